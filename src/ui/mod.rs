//! The view: draws the [`App`] and nothing else. It reads state, never changes it, and
//! every string that came from Cognito has been sanitized by the model's row builders or
//! is sanitized here before it is drawn. [`view`] is the one function that reads the whole
//! model: it builds each part's view struct, which holds only what that part draws, and
//! renders it as a ratatui widget.

mod allpools;
mod attributes;
mod columns;
mod finder;
mod footer;
mod lists;
mod mfa;
mod pane;
mod popup;
pub mod rows;
mod status;
pub mod theme;
mod welcome;

use std::borrow::Cow;

use crate::width::Cells;
use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::{Alignment, Constraint, Layout, Position, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, StatefulWidget, Widget, Wrap};

pub use finder::{FinderList, FinderView};
pub use footer::{FooterView, first_key, keys_for};
pub use popup::{ConfirmPopup, ErrorPopup, ListPopup, Popup, PopupView};
pub use theme::Theme;
pub use welcome::{PoolProblemView, WelcomeView};

use crate::app::{App, LineInput, Overlay, Pane, Throttle, Tone};
use crate::cognito::lookup::LookupMode;
use crate::keymap::{Action, Context};
use crate::sanitize::sanitize;

/// Below this size the layout cannot work; a message says so instead.
pub const MIN_WIDTH: u16 = 60;
/// Below this height the layout cannot work.
pub const MIN_HEIGHT: u16 = 16;

pub(crate) const SPINNER: [&str; 10] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

/// Draws the whole screen: the one place that turns the model into the views that draw it.
pub fn view(app: &App, frame: &mut Frame) {
    let theme = Theme::new(app.color());
    let area = frame.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        too_small(frame, area, first_key(app, Context::Main, Action::Quit));
        return;
    }
    let bar_view = BarView::of(app, &theme);
    let [header, body, bar, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(bar_view.height(area.width)),
        Constraint::Length(1),
    ])
    .areas(area);
    // Where the terminal cursor goes: the last input drawn that has one.
    let mut cursor = None;
    frame.render_widget(HeaderView::of(app, &theme), header);
    if let Some(which) = app.finder() {
        frame.render_stateful_widget(FinderView::of(app, which, &theme), body, &mut cursor);
    } else if app.user().is_some() {
        render_panes(app, frame, body, &theme);
    } else if let Some(problem) = &app.pool_status().problem {
        frame.render_widget(PoolProblemView::of(app, problem, &theme), body);
    } else {
        frame.render_widget(WelcomeView::of(app, &theme), body);
    }
    frame.render_stateful_widget(bar_view, bar, &mut cursor);
    frame.render_widget(FooterView::of(app, &theme), footer);
    if let Some(error) = app.error() {
        frame.render_widget(
            ErrorPopup::new(error.shown(app.redact()), app.keymap(), &theme),
            body,
        );
    }
    frame.render_stateful_widget(PopupView::of(app, &theme), body, &mut cursor);
    if let Some(position) = cursor {
        frame.set_cursor_position(position);
    }
}

/// Display columns of `input`'s text before its cursor, as it is drawn (sanitized).
fn cursor_column(input: &LineInput) -> u16 {
    let before: String = input.text.chars().take(input.cursor).collect();
    sanitize(&before).cells() as u16
}

/// Where the terminal cursor goes in `input`, drawn `prefix` columns into line `y` of
/// `area` (kept inside the area; nowhere when the area is empty).
fn input_cursor(area: Rect, y: u16, prefix: u16, input: &LineInput) -> Option<Position> {
    (area.height > 0).then(|| {
        let x = area.x + prefix + cursor_column(input);
        Position::new(x.min(area.right().saturating_sub(1)), y)
    })
}

/// "What to do: …" under an error.
fn hint_line(hint: &str, theme: &Theme) -> Line<'static> {
    Line::from(vec![
        Span::styled("What to do: ", theme.tone(Tone::Warn)),
        Span::raw(hint.to_string()),
    ])
}

fn too_small(frame: &mut Frame, area: Rect, quit: &str) {
    let text = vec![
        Line::from("Terminal too small"),
        Line::from(format!(
            "{}x{}, need {MIN_WIDTH}x{MIN_HEIGHT}",
            area.width, area.height
        )),
        Line::from(format!("{quit} quits")),
    ];
    let top = area.height.saturating_sub(text.len() as u16) / 2;
    let inner = Rect {
        y: area.y + top,
        height: area.height - top,
        ..area
    };
    frame.render_widget(
        Paragraph::new(text)
            .alignment(Alignment::Center)
            .wrap(Wrap { trim: true }),
        inner,
    );
}

fn render_panes(app: &App, frame: &mut Frame, body: Rect, theme: &Theme) {
    let status_rows = app.rows(Pane::Status);
    let status_lines = rows::height(
        &status_rows,
        status::LAYOUT,
        body.width.saturating_sub(2) as usize,
        theme,
    ) as u16;
    let status = status::view(app, theme);
    let stale = status.stale_height(body.width);
    // Status gets what it needs up to just over half the body; the rest is for the lists.
    let status_height = (status_lines + 2).min(body.height.saturating_mul(3) / 5) + stale;
    let [top, tabs, bottom] = Layout::vertical([
        Constraint::Length(status_height),
        Constraint::Length(1),
        Constraint::Min(0),
    ])
    .areas(body);
    frame.render_widget(status, top);
    frame.render_widget(
        TabsView {
            focus: app.focus(),
            theme,
        },
        tabs,
    );
    // The lists fetched on demand take the whole lower half, one at a time.
    if let Some(list) = lists::view(app, app.focus(), theme) {
        frame.render_widget(list, bottom);
        return;
    }
    let attr_share = if body.width >= 120 { 65 } else { 62 };
    let [left, right] = Layout::horizontal([
        Constraint::Percentage(attr_share),
        Constraint::Percentage(100 - attr_share),
    ])
    .areas(bottom);
    frame.render_widget(attributes::view(app, theme), left);
    frame.render_widget(mfa::view(app, theme), right);
}

/// What the tab bar over the lower half draws: Attributes and MFA side by side, or one of
/// the lists, and which pane has the focus.
pub struct TabsView<'a> {
    pub focus: Pane,
    pub theme: &'a Theme,
}

impl Widget for TabsView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let (focus, theme) = (self.focus, self.theme);
        let lower = [
            Pane::Attributes,
            Pane::Mfa,
            Pane::Groups,
            Pane::Devices,
            Pane::SignIns,
        ];
        let showing_list = focus.list().is_some();
        let mut spans = vec![Span::raw(" ")];
        for (i, pane) in lower.into_iter().enumerate() {
            if i == 2 {
                spans.push(Span::styled("│ ", theme.tone(Tone::Dim)));
            }
            let visible = if showing_list {
                focus == pane
            } else {
                pane.list().is_none()
            };
            let style = if focus == pane {
                theme.title(true).patch(theme.selected(true))
            } else if visible {
                theme.title(false)
            } else {
                theme.tone(Tone::Dim)
            };
            spans.push(Span::styled(
                format!("{} {}", pane.index() + 1, pane.title()),
                style,
            ));
            spans.push(Span::raw("  "));
        }
        Paragraph::new(Line::from(spans)).render(area, buf);
    }
}

/// What the header line draws: the pool and endpoint in use, what is in flight, and the
/// modes that must stay in sight.
pub struct HeaderView<'a> {
    /// The pool's label (or "no pool chosen"), raw.
    pub pool: String,
    /// The Region and endpoint (or how to pick a pool), raw.
    pub target: String,
    /// What is in flight, spinner first and sanitized; empty when idle.
    pub activity: String,
    pub privacy: bool,
    pub writes: bool,
    /// The client-side rate limiter is holding requests back.
    pub throttle: Option<Throttle>,
    /// The audit syslog receiver is not taking lines (`--audit-syslog`).
    pub syslog_down: bool,
    pub theme: &'a Theme,
}

impl<'a> HeaderView<'a> {
    /// The header as the app is now.
    pub fn of(app: &App, theme: &'a Theme) -> Self {
        let mut pool = app.pool_label();
        if app.pool_status().problem.is_some() {
            pool.push_str(" ⚠");
        }
        let target = match app.session() {
            Some(s) => match &s.region {
                Some(r) if *r != s.target => format!("{r} · {}", s.target),
                _ => s.target.clone(),
            },
            None => "connecting…".into(),
        };
        let pool = if app.has_pool() {
            pool
        } else {
            "no pool chosen".to_string()
        };
        let target = if app.has_pool() {
            target
        } else {
            "P picks one".to_string()
        };
        let spinner = SPINNER[app.spinner() % SPINNER.len()];
        let activity = match (app.pending(), app.writing()) {
            _ if let Some(s) = &app.pool_status().switching => {
                format!("{spinner} switching to {} ", sanitize(&s.label))
            }
            (_, Some(w)) => format!(
                "{spinner} {} {} ",
                w.write.action.operation(),
                sanitize(&crate::redact::shown_username(
                    app.redact(),
                    &w.write.username
                ))
            ),
            (Some(p), None) => {
                let query = crate::redact::shown_query(app.redact(), &p.query);
                format!(
                    "{spinner} looking up {:?} ({}) ",
                    sanitize(&query),
                    p.mode.label()
                )
            }
            (None, None) => String::new(),
        };
        Self {
            pool,
            target,
            activity,
            privacy: app.redact(),
            writes: app.allow_write(),
            throttle: app.throttle(),
            syslog_down: app.syslog_down().is_some(),
            theme,
        }
    }
}

impl Widget for HeaderView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let theme = self.theme;
        let left = format!(
            " cognito-tui │ {} │ {}",
            sanitize(&self.pool),
            sanitize(&self.target)
        );
        let mut right = self.activity;
        // Modes that change what the screen shows or what keys do are always in sight.
        let mut badges = Vec::new();
        if self.privacy {
            badges.push((" PRIVACY ", theme.tone(Tone::Warn).patch(theme.header())));
        }
        if self.writes {
            badges.push((" WRITES ON ", theme.error().patch(theme.header())));
        }
        // The client-side rate limiter is holding requests back: say so, or a slow screen
        // would look like a hang.
        let throttle_badge;
        if let Some(t) = &self.throttle {
            let what = t.category.map(|c| format!(" {c}")).unwrap_or_default();
            throttle_badge = if t.backing_off {
                format!(" THROTTLED{what}: backing off ")
            } else {
                format!(" RATE LIMIT{what}: {} queued ", t.queued)
            };
            badges.push((
                throttle_badge.as_str(),
                theme.tone(Tone::Warn).patch(theme.header()),
            ));
        }
        if self.syslog_down {
            badges.push((" audit: syslog down ", theme.error().patch(theme.header())));
        }
        let badge_width: usize = badges.iter().map(|(b, _)| b.cells() + 1).sum();
        if !badges.is_empty() && right.is_empty() {
            right.push(' ');
        }
        Block::default().style(theme.header()).render(area, buf);
        let right_width = ((right.cells() + badge_width) as u16).min(area.width);
        let [l, r] =
            Layout::horizontal([Constraint::Min(0), Constraint::Length(right_width)]).areas(area);
        // The target gives way to the spinner, visibly cut rather than run into it.
        let left = rows::truncate(
            &[(left, Style::new())],
            l.width.saturating_sub(u16::from(!right.is_empty())) as usize,
        )
        .into_iter()
        .map(|(t, _)| t)
        .collect::<String>();
        Paragraph::new(left).style(theme.header()).render(l, buf);
        let mut spans = Vec::new();
        for (badge, style) in badges {
            spans.push(Span::styled(
                badge,
                style.add_modifier(ratatui::style::Modifier::BOLD),
            ));
            spans.push(Span::raw(" "));
        }
        spans.push(Span::styled(right, theme.header().patch(theme.accent())));
        Paragraph::new(Line::from(spans))
            .style(theme.header())
            .render(r, buf);
    }
}

fn prompt(mode: LookupMode) -> &'static str {
    match mode {
        LookupMode::Auto => "Look up (username, alias or sub) › ",
        LookupMode::Username => "Username › ",
        LookupMode::Alias => "Alias (email, phone, preferred_username) › ",
        LookupMode::Sub => "Sub › ",
    }
}

/// What the line above the footer draws: the lookup bar or a filter while one is typed,
/// and the notice.
pub struct BarView<'a> {
    /// The prompt and the line being edited here, if one is.
    pub input: Option<(&'static str, &'a LineInput)>,
    /// The notice as the screen shows it (masked in privacy mode), not yet sanitized.
    pub notice: Option<Cow<'a, str>>,
    pub theme: &'a Theme,
}

impl<'a> BarView<'a> {
    /// The bar as the app is now.
    pub fn of(app: &'a App, theme: &'a Theme) -> Self {
        let input = match app.overlay() {
            Overlay::Lookup { mode, input } => Some((prompt(*mode), input)),
            Overlay::Filter { input } => Some(("Filter attributes › ", input)),
            Overlay::Help { filter, .. }
                if !filter.text.is_empty() || app.context() == Context::Input =>
            {
                Some(("Filter help › ", filter))
            }
            _ => None,
        };
        Self {
            input,
            notice: (app.notice()).map(|n| crate::redact::shown(app.redact(), n)),
            theme,
        }
    }
}

impl BarView<'_> {
    /// Rows the bar takes at `width`: a notice too long for one line wraps onto a second
    /// (never cut mid-word), an input line takes one.
    pub fn height(&self, width: u16) -> u16 {
        match (&self.input, &self.notice) {
            (None, Some(notice)) if sanitize(notice).cells() + 1 > width as usize => 2,
            _ => 1,
        }
    }
}

/// The bar's state is where the terminal cursor goes (in the line being edited).
impl StatefulWidget for BarView<'_> {
    type State = Option<Position>;

    fn render(self, area: Rect, buf: &mut Buffer, cursor: &mut Option<Position>) {
        let theme = self.theme;
        let Some((label, input)) = self.input else {
            if let Some(notice) = &self.notice {
                Paragraph::new(format!(" {}", sanitize(notice)))
                    .style(theme.accent())
                    .wrap(Wrap { trim: false })
                    .render(area, buf);
            }
            return;
        };
        let label = format!(" {label}");
        let label_width = label.cells() as u16;
        let text = sanitize(&input.text);
        let cursor_col = cursor_column(input);
        let room = area.width.saturating_sub(label_width + 1);
        // Long input scrolls so the cursor stays visible.
        let skip = cursor_col.saturating_sub(room);
        let mut line = vec![Span::styled(label, theme.accent())];
        line.push(Span::raw(text.into_owned()));
        let mut spans_line = Line::from(line);
        if skip > 0 {
            spans_line = Line::from(vec![
                Span::styled(" …", theme.accent()),
                Span::raw({
                    // A wide character cut in half goes whole; a space keeps the cursor on
                    // the end.
                    let (text, cut) = (sanitize(&input.text), skip as usize + 2);
                    let rest = crate::width::skip_cells(&text, cut);
                    let dropped = text.cells() - rest.cells();
                    format!("{}{rest}", " ".repeat(dropped.saturating_sub(cut)))
                }),
            ]);
        }
        Paragraph::new(spans_line).render(area, buf);
        if let Some(notice) = &self.notice {
            // Beside what is typed, at least half the line; cut between words, never inside
            // an example such as a UUID.
            let typed = label_width + sanitize(&input.text).cells() as u16 + 2;
            let room = area.width.saturating_sub(typed).max(area.width / 2);
            let notice = format!(
                " {} ",
                cut_at_word(&sanitize(notice), room.saturating_sub(2) as usize)
            );
            let w = (notice.cells() as u16).min(room);
            let r = Rect {
                x: area.right().saturating_sub(w),
                width: w,
                ..area
            };
            Paragraph::new(notice).style(theme.error()).render(r, buf);
        }
        let x = if skip > 0 {
            area.x + 2 + cursor_col.saturating_sub(skip + 2).min(room)
        } else {
            area.x + label_width + cursor_col
        };
        *cursor = Some(Position::new(x.min(area.right().saturating_sub(1)), area.y));
    }
}

/// `text` if it fits in `width` columns, else its first words that fit and "…".
fn cut_at_word(text: &str, width: usize) -> String {
    if text.cells() <= width {
        return text.to_string();
    }
    let mut out = String::new();
    for word in text.split(' ') {
        let next = if out.is_empty() {
            word.cells()
        } else {
            out.cells() + 1 + word.cells()
        };
        if next + 1 > width {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out.push('…');
    out
}

/// A rectangle of at most `width`×`height` centred in `area`.
pub fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let w = width.min(area.width);
    let h = height.min(area.height);
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}

/// A plain style, for spans that need one.
pub fn plain() -> Style {
    Style::new()
}
