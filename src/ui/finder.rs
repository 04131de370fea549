//! The finders over the whole body: type-ahead search results, the browsed pool and the pool
//! picker. One row per user: username, email, status, enabled (and name and phone where the
//! width allows), with the fuzzy matches highlighted. Privacy mode masks the personal columns (and drops their highlights, which
//! would give the masked characters away). Every value is sanitized before it is drawn.

use crate::width::Cells;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{
    Block, BorderType, Borders, Gauge, Paragraph, StatefulWidget, Widget, Wrap,
};

mod users;

use users::{UserLine, draw_rows, hit_line, pad, shown_name, user_list};

use super::{SPINNER, Theme};
use crate::app::{
    App, BrowseState, ErrorView, Finder, LineInput, PoolEntry, PoolsState, SearchState, Tone,
};
use crate::keymap::{Action, Context};
use crate::redact::shown_query;
use crate::sanitize::sanitize;
mod pools;
use pools::pools;

/// What a finder draws: its title, input line, status line and list. It holds the finder's
/// own state, not the whole model.
pub struct FinderView<'a> {
    pub title: String,
    /// The input line's prompt ("Search › "; the export prompt takes the line over).
    pub label: &'static str,
    pub input: &'a LineInput,
    /// The input's text is selected (a reopened search: typing replaces it).
    pub selected: bool,
    pub list: FinderList<'a>,
    /// Privacy mode: the personal columns masked, their highlights dropped.
    pub redact: bool,
    /// The spinner's current frame.
    pub spinner: &'static str,
    /// The keys that open a row and close (or stop), as the key table has them.
    pub open: &'a str,
    pub close: &'a str,
    /// The main screen's browse key, which the empty search suggests.
    pub browse: &'a str,
    pub theme: &'a Theme,
}

/// The finder's own state, and what it needs of the rest of the model.
pub enum FinderList<'a> {
    Search(&'a SearchState),
    Browse {
        state: &'a BrowseState,
        /// The keys of "load all", as the status line names them.
        load_key: &'a str,
    },
    Pools {
        state: &'a PoolsState,
        /// The entries the typed filter keeps.
        matches: Vec<PoolEntry>,
        /// The pool in use, marked with a dot.
        current: &'a str,
    },
}

impl<'a> FinderView<'a> {
    /// The finder `which` as the app has it.
    pub fn of(app: &'a App, which: Finder, theme: &'a Theme) -> Self {
        let title = match which {
            Finder::Search => " Search users (ListUsers prefix, as you type) ".to_string(),
            Finder::Browse => match &app.browse().pager.filter {
                // The filter first: a long pool name must not push it off the border.
                Some(f) => format!(
                    " Browse · {} · {} ",
                    sanitize(&f.expression()),
                    sanitize(&app.pool_label())
                ),
                None => format!(" Browse {} ", sanitize(&app.pool_label())),
            },
            Finder::Pools => " Choose a user pool ".to_string(),
        };
        // The export prompt (Ctrl-S) takes the input line; the list stays as it will be
        // written.
        let export = app.export_prompt().map(|p| ("Save CSV as › ", p));
        let ((label, input), list) = match which {
            Finder::Search => (
                export.unwrap_or(("Search › ", &app.search().input)),
                FinderList::Search(app.search()),
            ),
            Finder::Browse => (
                export.unwrap_or(("Filter › ", &app.browse().input)),
                FinderList::Browse {
                    state: app.browse(),
                    load_key: app.keymap().label(
                        crate::keymap::Context::Finder,
                        crate::keymap::Action::LoadAll,
                    ),
                },
            ),
            Finder::Pools => (
                ("Pool › ", &app.pools().input),
                FinderList::Pools {
                    state: app.pools(),
                    matches: app.pool_matches(),
                    current: app.pool_name(),
                },
            ),
        };
        Self {
            title,
            label,
            input,
            selected: which == Finder::Search
                && app.query_selected()
                && app.export_prompt().is_none(),
            list,
            redact: app.redact(),
            spinner: SPINNER[app.spinner() % SPINNER.len()],
            open: app.keymap().key(Context::Finder, Action::Submit),
            close: app.keymap().key(Context::Finder, Action::Cancel),
            browse: app.keymap().key(Context::Main, Action::Browse),
            theme,
        }
    }
}

/// The finder's state is where the terminal cursor goes (the input line).
impl StatefulWidget for FinderView<'_> {
    type State = Option<Position>;

    fn render(self, area: Rect, buf: &mut Buffer, cursor: &mut Option<Position>) {
        let theme = self.theme;
        let mut block = Block::default()
            .borders(Borders::ALL)
            .border_type(BorderType::Thick)
            .border_style(theme.border(true))
            .padding(ratatui::widgets::Padding::horizontal(1))
            .title(Span::styled(self.title, theme.title(true)));
        // The "n/N" counter goes on the bottom border, as the panes have it: on the header
        // row it covered the last column's title.
        if let Some((at, total)) = position(&self.list) {
            block = block.title_bottom(
                Line::from(Span::styled(
                    format!(" {}/{total} ", at.min(total - 1) + 1),
                    theme.tone(Tone::Dim),
                ))
                .right_aligned(),
            );
        }
        let inner = block.inner(area);
        block.render(area, buf);
        let [input_area, status_area, list_area] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Min(0),
        ])
        .areas(inner);
        let text_style = if self.selected {
            theme.selected(true)
        } else {
            Style::new()
        };
        if let Some(p) = input_line(buf, input_area, self.label, self.input, text_style, theme) {
            *cursor = Some(p);
        }
        let body = Body {
            status: status_area,
            list: list_area,
            redact: self.redact,
            spinner: self.spinner,
            open: self.open,
            close: self.close,
            browse: self.browse,
            theme,
        };
        match self.list {
            FinderList::Search(s) => search(s, body, buf),
            FinderList::Browse { state, load_key } => browse(state, load_key, body, buf),
            FinderList::Pools {
                state,
                matches,
                current,
            } => pools(state, &matches, current, body, buf),
        }
    }
}

/// Where a finder's status line and list go, and how they are drawn.
#[derive(Clone, Copy)]
struct Body<'a> {
    status: Rect,
    list: Rect,
    redact: bool,
    spinner: &'a str,
    open: &'a str,
    close: &'a str,
    browse: &'a str,
    theme: &'a Theme,
}

/// While a search is out: the spinner and what is still awaited, on the right of the status
/// line; returns what is left of it on the left.
fn waiting_on_the_right(
    s: &SearchState,
    status: Rect,
    spinner: &str,
    theme: &Theme,
    buf: &mut Buffer,
) -> Rect {
    if s.pending.is_some() {
        let waiting = s
            .results
            .as_ref()
            .filter(|r| {
                !r.waiting.is_empty() && Some(&r.query) == Some(&s.input.text.trim().to_string())
            })
            .and_then(|r| r.still_searching())
            .map_or_else(
                || format!("{spinner} searching…"),
                |more| format!("{spinner} {more}"),
            );
        let width = (waiting.cells() as u16 + 1).min(status.width / 2);
        let [left, right] =
            Layout::horizontal([Constraint::Min(0), Constraint::Length(width)]).areas(status);
        Paragraph::new(Span::styled(waiting, theme.tone(Tone::Dim)))
            .alignment(ratatui::layout::Alignment::Right)
            .render(right, buf);
        left
    } else {
        status
    }
}

/// The search's status line: matches, requests, case variants, and whether it is partial.
fn summary(
    s: &SearchState,
    results: &crate::search::SearchResults,
    redact: bool,
) -> (String, Tone) {
    let query = shown_query(redact, &results.query);
    // Partial results (filters still out) never say "0 matches": the search isn't over.
    let found = match (results.hits.len(), results.waiting.is_empty()) {
        (0, false) => "no match yet".to_string(),
        (n, false) => format!("{n} match{} so far", if n == 1 { "" } else { "es" }),
        (n, true) => format!("{n} match{}", if n == 1 { "" } else { "es" }),
    };
    let mut line = format!(
        "{found} for {:?} ({} request{})",
        sanitize(&query),
        results.requests,
        if results.requests == 1 { "" } else { "s" },
    );
    let mut tone = Tone::Dim;
    if !results.case_variants.is_empty() {
        let variants: Vec<String> = results
            .case_variants
            .iter()
            .map(|v| format!("{:?}", sanitize(&shown_query(redact, v))))
            .collect();
        line.push_str(&format!(" · matched as {}", variants.join(" and ")));
    }
    if results.more {
        line.push_str(" · more exist: refine your query");
        tone = Tone::Warn;
    }
    if !results.failures.is_empty() && s.error.is_none() {
        line.push_str(&format!(
            " · {} filter{} failed",
            results.failures.len(),
            if results.failures.len() == 1 { "" } else { "s" }
        ));
        tone = Tone::Warn;
    }
    (line, tone)
}

/// During a load-all, a progress line above the list (a gauge when the pool's size is
/// estimated); returns the status and list areas left.
fn load_all_status(
    b: &BrowseState,
    [status, list]: [Rect; 2],
    spinner: &str,
    close: &str,
    theme: &Theme,
    buf: &mut Buffer,
) -> [Rect; 2] {
    let loaded = b.store.len();
    let pages = b.pager.pages;
    if b.loading_all.is_some() {
        let [gauge, rest] =
            Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(list);
        let label = match b.progress() {
            // DescribeUserPool's EstimatedNumberOfUsers: a real fraction, said to be an
            // estimate, and the time left at the rate pages are coming.
            Some((fraction, left)) => {
                let mut label = format!(
                    "{spinner} loading all: {} of ~{} users (estimated) · {:.0}%",
                    thousands(loaded as u64),
                    thousands(b.estimated_total.unwrap_or_default()),
                    fraction * 100.0
                );
                if let Some(left) = left {
                    label.push_str(&format!(" · about {} left", duration(left)));
                }
                label.push_str(&format!(" · {} stops", close));
                Gauge::default()
                    .gauge_style(theme.accent())
                    .ratio(fraction.clamp(0.0, 1.0))
                    .label(Span::styled(label, theme.label()))
                    .render(status, buf);
                None
            }
            // No total to measure against: no bar pretending to know one.
            None => Some(format!(
                "{spinner} loading all: {} users, {pages} page{} so far (pool size unknown) · {} stops",
                thousands(loaded as u64),
                if pages == 1 { "" } else { "s" },
                close
            )),
        };
        if let Some(label) = label {
            dim(buf, status, label, Tone::Normal, theme);
        }
        [gauge, rest]
    } else {
        [status, list]
    }
}

/// Browse's status line: how many users are loaded and match, pages, and what is left.
fn browse_summary(b: &BrowseState, load_key: &str, spinner: &str, redact: bool) -> String {
    let (loaded, pages, matches) = (b.store.len(), b.pager.pages, b.match_count());
    if let Some(Err(e)) = &b.where_rows {
        return crate::redact::shown_where_error(redact, e);
    }
    let mut line = String::new();
    if b.page_pending.is_some() {
        line.push_str(&format!("{spinner} "));
    }
    if b.input.text.trim().is_empty() {
        line.push_str(&format!("{} users loaded", thousands(loaded as u64)));
    } else {
        line.push_str(&format!(
            "{} of {} loaded users match",
            thousands(matches as u64),
            thousands(loaded as u64)
        ));
    }
    line.push_str(&format!(
        " · {pages} page{}",
        if pages == 1 { "" } else { "s" }
    ));
    if b.pager.done && b.pager.filter.is_some() {
        line.push_str(" · every user the filter selects is loaded");
    } else if b.pager.done {
        line.push_str(" · everything is loaded");
    } else if b.loading_all.is_none() {
        line.push_str(&format!(
            " · more pages: scroll down, or {load_key} loads all"
        ));
    }
    line
}

/// The selected row and the number of rows of a user list, when one is drawn.
fn position(list: &FinderList) -> Option<(usize, usize)> {
    let (cursor, total) = match list {
        FinderList::Search(s) => {
            if s.error.is_some() {
                return None;
            }
            (s.cursor, s.results.as_ref()?.hits.len())
        }
        FinderList::Browse { state: b, .. } => {
            if b.error.is_some() {
                return None;
            }
            (b.cursor, b.match_count())
        }
        FinderList::Pools { .. } => return None,
    };
    (total > 0).then_some((cursor, total))
}

/// Draws the input line; returns where the terminal cursor goes.
fn input_line(
    buf: &mut Buffer,
    area: Rect,
    label: &str,
    input: &LineInput,
    text_style: Style,
    theme: &Theme,
) -> Option<Position> {
    let text = sanitize(&input.text).into_owned();
    Paragraph::new(Line::from(vec![
        Span::styled(label.to_string(), theme.accent()),
        Span::styled(text, text_style),
    ]))
    .render(area, buf);
    super::input_cursor(area, area.y, label.cells() as u16, input)
}

/// One line of `text`, ending in "…" when the area is too narrow for it (never cut silently).
fn dim(buf: &mut Buffer, area: Rect, text: String, tone: Tone, theme: &Theme) {
    let text = crate::width::fit(&text, area.width.into());
    Paragraph::new(Span::styled(text.trim_end().to_string(), theme.tone(tone))).render(area, buf);
}

/// What a list shows instead of rows: `waiting` while answers are still out, else `none`,
/// wrapped over the list's rows.
fn no_rows(buf: &mut Buffer, area: Rect, waiting: Option<&str>, none: &str, theme: &Theme) {
    let text = waiting.unwrap_or(none).to_string();
    Paragraph::new(Span::styled(text, theme.tone(Tone::Dim)))
        .wrap(ratatui::widgets::Wrap { trim: true })
        .render(area, buf);
}

fn search(s: &SearchState, body: Body, buf: &mut Buffer) {
    let (status, list, theme, spinner) = (body.status, body.list, body.theme, body.spinner);
    // The spinner and what is still out sit on the right of the status line, apart from the
    // placeholder and the counts on its left.
    let status = waiting_on_the_right(s, status, spinner, theme, buf);
    let Some(results) = &s.results else {
        dim(
            buf,
            status,
            "type a username, email, name, phone (+44…) or sub prefix".into(),
            Tone::Dim,
            theme,
        );
        return;
    };
    if let Some(error) = &s.error {
        inline_error(&error.shown(body.redact), buf, list, body.close, theme);
    }
    let query = shown_query(body.redact, &results.query);
    if let Some(suggested) = &s.suggested {
        let first = results
            .hits
            .first()
            .map(|h| h.user.username.as_str())
            .unwrap_or("");
        let first = shown_query(body.redact, first);
        dim(
            buf,
            status,
            format!(
                "no user is {:?} · did you mean {}? {} opens · cost: {}",
                sanitize(&query),
                sanitize(&first),
                body.open,
                suggested.cost
            ),
            Tone::Warn,
            theme,
        );
    } else {
        let (line, tone) = summary(s, results, body.redact);
        dim(buf, status, line, tone, theme);
    }
    if s.error.is_some() {
        return;
    }
    if results.hits.is_empty() {
        let waiting = results.still_searching();
        let waiting = waiting.as_deref();
        let none = format!(
            "no users start with that: try another attribute (an email, a family name) or {} to browse",
            body.browse
        );
        return no_rows(buf, list, waiting, &none, theme);
    }
    let lines: Vec<UserLine> = results.hits.iter().map(hit_line).collect();
    let (offset, visible) = scroll(list, s.cursor);
    let lines = lines.into_iter().skip(offset).take(visible);
    user_list(
        body.redact,
        buf,
        list,
        lines,
        results.hits.len(),
        s.cursor,
        offset,
        theme,
    );
}

/// The first row shown and how many fit below the header, keeping `cursor` in view.
fn scroll(area: Rect, cursor: usize) -> (usize, usize) {
    let visible = (area.height.saturating_sub(1) as usize).max(1);
    ((cursor + 1).saturating_sub(visible), visible)
}

fn browse(b: &BrowseState, load_key: &str, body: Body, buf: &mut Buffer) {
    let (status, list, theme, spinner) = (body.status, body.list, body.theme, body.spinner);
    let loaded = b.store.len();
    let [status, list] = load_all_status(b, [status, list], spinner, body.close, theme, buf);
    let matches = b.match_count();
    let line = browse_summary(b, load_key, spinner, body.redact);
    dim(buf, status, line, Tone::Dim, theme);
    if let Some(error) = &b.error {
        inline_error(&error.shown(body.redact), buf, list, body.close, theme);
        return;
    }
    if matches == 0 {
        let text = if loaded == 0 && b.busy_for_view() {
            "reading the first page…".to_string()
        } else if loaded == 0 {
            "this pool has no users".to_string()
        } else if b.pager.done {
            "no user in the pool matches".to_string()
        } else if b.loading_all.is_some() {
            "no loaded user matches yet: still loading".to_string()
        } else {
            format!("no loaded user matches: more pages may hold one ({load_key} loads all)")
        };
        dim(buf, list, text, Tone::Dim, theme);
        return;
    }
    // Only the rows on screen are highlighted.
    let (offset, visible) = scroll(list, b.cursor);
    let lines = b.matches().skip(offset).take(visible).map(|row| {
        let r = b.store.row(row as usize);
        UserLine {
            username: r.username,
            name: shown_name(r.name, r.given_name, r.family_name),
            email: r.email,
            phone: r.phone_number,
            status: r.status_wire,
            enabled: r.enabled,
            highlights: b.ranker.highlights(&b.store, row),
        }
    });
    user_list(
        body.redact,
        buf,
        list,
        lines,
        matches,
        b.cursor,
        offset,
        theme,
    );
}

/// `12345` as `12,345`.
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Seconds as `40 s`, `3 min`, `2 h 5 min`.
fn duration(secs: f64) -> String {
    let secs = secs.round() as u64;
    match secs {
        0..=59 => format!("{} s", secs.max(1)),
        60..=3599 => format!("{} min", secs.div_ceil(60)),
        _ => format!("{} h {} min", secs / 3600, (secs % 3600) / 60),
    }
}

impl crate::app::BrowseState {
    fn busy_for_view(&self) -> bool {
        self.page_pending.is_some() || self.loading_all.is_some()
    }
}

fn inline_error(error: &ErrorView, buf: &mut Buffer, area: Rect, close: &str, theme: &Theme) {
    let mut lines = vec![Line::from(vec![
        Span::styled(format!("{}: ", error.title), theme.error()),
        Span::raw(error.exception.clone().unwrap_or_default()),
    ])];
    lines.push(Line::from(error.message.clone()));
    if let Some(hint) = &error.hint {
        lines.push(super::hint_line(hint, theme));
    }
    lines.push(Line::from(Span::styled(
        format!("Edit the query to try again · {close} closes"),
        theme.tone(Tone::Dim),
    )));
    Paragraph::new(lines)
        .wrap(Wrap { trim: false })
        .render(area, buf);
}
