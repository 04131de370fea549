//! The all-pools popup: one row per named pool (name, pool id, its answer or a spinner), the
//! selected pool's details under them, an ambiguous pool's matches to pick from, the line to
//! type a query on, and how to name pools when the config names none.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

use super::columns::{Column, cell, fit};
use super::popup::frame::{popup_block, popup_frame, text_popup, visible_rows, wrapped_height};
use super::popup::picker::match_rows;
use super::rows::{Segment, truncate};
use super::{SPINNER, Theme, centered, plain};
use crate::app::{AllPools, App, PoolResult, PoolRow, Tone};
use crate::keymap::{Action, Context};
use crate::redact::{shown_query, shown_username};
use crate::sanitize::sanitize;
use crate::width::Cells;

/// How the config names a pool, for the popup that finds none.
const HOW_TO_NAME: [&str; 5] = [
    "[pools.prod]",
    "pool_id = \"eu-west-1_AbCdEf123\"",
    "profile = \"support-prod\"      # optional",
    "region = \"eu-west-1\"          # optional",
    "",
];

/// What the popup takes from the app besides its own state.
#[derive(Debug, Clone, Copy)]
pub struct Looks<'a> {
    /// Privacy mode: mask the query, usernames, emails and error text.
    pub redact: bool,
    /// The spinner's step, for pools still asking.
    pub spinner: usize,
    /// The keys the popup names, from the key table: open, close (List context), and
    /// submit, close while a query is typed (Input), and `A` itself (Main).
    pub open: &'a str,
    pub close: &'a str,
    pub typed_submit: &'a str,
    pub typed_close: &'a str,
    pub all_pools: &'a str,
}

impl<'a> Looks<'a> {
    /// What the popup takes from `app`.
    pub fn of(app: &'a App) -> Self {
        let keys = app.keymap();
        Self {
            redact: app.redact(),
            spinner: app.spinner(),
            open: keys.key(Context::List, Action::Submit),
            close: keys.key(Context::List, Action::Cancel),
            typed_submit: keys.key(Context::Input, Action::Submit),
            typed_close: keys.key(Context::Input, Action::Cancel),
            all_pools: keys.key(Context::Main, Action::AllPools),
        }
    }
}

/// Draws the popup over `area`; returns where the terminal cursor goes when a query is being
/// typed.
pub fn render(
    buf: &mut Buffer,
    area: Rect,
    all: &AllPools,
    looks: Looks<'_>,
    theme: &Theme,
) -> Option<Position> {
    let query = sanitize(&shown_query(looks.redact, &all.query)).into_owned();
    if let Some(input) = &all.input {
        return typing(buf, area, input, looks, theme);
    }
    if all.rows.is_empty() {
        no_pools(buf, area, &query, looks, theme);
        return None;
    }
    if let Some((row, cursor)) = all.picking
        && let Some(PoolRow {
            name,
            result: PoolResult::Ambiguous(a),
            ..
        }) = all.rows.get(row)
    {
        let title = format!(
            "{} users match {query:?} in {}{}",
            a.matches.len(),
            sanitize(name),
            if a.more { " (more exist)" } else { "" }
        );
        let footer = format!(
            "{} opens the user in {} (one AdminGetUser) · {} back to the pools",
            looks.open,
            sanitize(name),
            looks.close
        );
        let rows = match_rows(looks.redact, &a.matches, area, theme);
        list(buf, area, title, rows, cursor, Vec::new(), &footer, theme);
        return None;
    }
    let hits = all.hits();
    let title = match (all.in_flight(), hits) {
        (true, _) => format!("{query:?} in {} named pools", all.rows.len()),
        (false, 0) => format!("{query:?}: in none of {} named pools", all.rows.len()),
        (false, n) => format!(
            "{query:?}: in {n} of {} named pool{}",
            all.rows.len(),
            if all.rows.len() == 1 { "" } else { "s" }
        ),
    };
    let rows = pool_rows(looks, all, area, theme);
    let detail = all
        .rows
        .get(all.cursor)
        .map(|row| detail(looks, row, theme))
        .unwrap_or_default();
    let footer = match &all.behind {
        Some(a) => format!(
            "{} opens a hit in its pool · {} closes, then lists the {} users your lookup \
             matched",
            looks.open,
            looks.close,
            a.matches.len()
        ),
        None => format!(
            "{} opens a hit in its pool (a checked pool switch) · {} closes",
            looks.open, looks.close
        ),
    };
    list(buf, area, title, rows, all.cursor, detail, &footer, theme);
    None
}

/// The line to type a query on.
fn typing(
    buf: &mut Buffer,
    area: Rect,
    input: &crate::app::LineInput,
    looks: Looks<'_>,
    theme: &Theme,
) -> Option<Position> {
    let lines = vec![
        Line::from(vec![
            Span::styled("› ", theme.accent()),
            Span::raw(sanitize(&input.text).into_owned()),
        ]),
        Line::from(""),
        dim(
            &format!(
                "{} looks it up in every named pool · {} closes",
                looks.typed_submit, looks.typed_close
            ),
            theme,
        ),
    ];
    let rect = popup(buf, area, lines, "Look up in every named pool", theme);
    let inner = Rect {
        x: rect.x + 2,
        y: rect.y + 1,
        width: rect.width.saturating_sub(4),
        height: rect.height.saturating_sub(2),
    };
    super::input_cursor(inner, inner.y, 2, input)
}

/// No pools named in the config: how to name them.
fn no_pools(buf: &mut Buffer, area: Rect, query: &str, looks: Looks<'_>, theme: &Theme) {
    let mut lines = vec![
        Line::from(format!(
            "No pools are named in the config file, so there is nowhere else to look \
             {query:?} up. Name each pool once in $XDG_CONFIG_HOME/cognito-tui/config.toml \
             (or ~/.config/…, or --config FILE):"
        )),
        Line::from(""),
    ];
    lines.extend(
        HOW_TO_NAME
            .iter()
            .map(|l| Line::from(Span::styled(*l, theme.accent()))),
    );
    lines.push(Line::from(format!(
        "then {} looks a user up in every one of them at once.",
        looks.all_pools
    )));
    lines.push(Line::from(""));
    lines.push(dim(&format!("{} closes", looks.close), theme));
    popup(buf, area, lines, "No named pools", theme);
}

fn dim(text: &str, theme: &Theme) -> Line<'static> {
    Line::from(Span::styled(text.to_string(), theme.tone(Tone::Dim)))
}

/// A wrapped text popup sized to `lines`; returns where it was drawn.
fn popup(buf: &mut Buffer, area: Rect, lines: Vec<Line>, title: &str, theme: &Theme) -> Rect {
    text_popup(
        buf,
        area,
        lines,
        popup_block(title.to_string(), theme),
        80,
        0,
    )
}

/// Text columns inside the popup drawn over `area`.
fn inner_width(area: Rect) -> usize {
    area.width.saturating_sub(4).min(96).saturating_sub(4) as usize
}

/// One row per pool: name, pool id, and what it answered.
fn pool_rows(looks: Looks<'_>, all: &AllPools, area: Rect, theme: &Theme) -> Vec<Vec<Segment>> {
    let results: Vec<Vec<Segment>> = all.rows.iter().map(|r| result(looks, r, theme)).collect();
    let names: Vec<String> = all
        .rows
        .iter()
        .map(|r| sanitize(&r.name).into_owned())
        .collect();
    let ids: Vec<String> = (all.rows.iter())
        .map(|r| sanitize(&r.pool_id).into_owned())
        .collect();
    let want = |cells: &[String]| cells.iter().map(|c| c.cells()).max().unwrap_or(1);
    let result_want = (results.iter())
        .map(|r| r.iter().map(|(t, _)| t.cells()).sum::<usize>())
        .max()
        .unwrap_or(1);
    let widths = fit(
        inner_width(area),
        &[
            Column::new(want(&names), 4, 0),
            Column::new(want(&ids), 8, 2),
            Column::new(result_want, 9, 1),
        ],
    );
    (names.into_iter().zip(ids).zip(results))
        .map(|((name, id), result)| {
            let mut row = cell(&[(name, theme.label())], widths[0]);
            row.extend(cell(&[(id, theme.tone(Tone::Dim))], widths[1]));
            row.extend(truncate(&result, widths[2]));
            row
        })
        .collect()
}

/// A pool's answer in a few words (masked in privacy mode, sanitized).
fn result(looks: Looks<'_>, row: &PoolRow, theme: &Theme) -> Vec<Segment> {
    match &row.result {
        PoolResult::Pending => vec![(
            format!("{} asking…", SPINNER[looks.spinner % SPINNER.len()]),
            theme.tone(Tone::Dim),
        )],
        PoolResult::Found(found) => {
            let user = &found.user;
            let mut segs = vec![
                ("✓ found ".to_string(), theme.tone(Tone::Good)),
                (
                    sanitize(&shown_username(looks.redact, &user.username)).into_owned(),
                    theme.label(),
                ),
            ];
            if let Some(status) = &user.status {
                segs.push((format!(" {}", sanitize(status.as_wire())), plain()));
            }
            if !user.enabled {
                segs.push((" DISABLED".into(), theme.tone(Tone::Bad)));
            }
            segs
        }
        PoolResult::NotFound => vec![("not found".into(), theme.tone(Tone::Dim))],
        PoolResult::Ambiguous(a) => vec![(
            format!(
                "? ambiguous: {}{} matches",
                a.matches.len(),
                if a.more { "+" } else { "" }
            ),
            theme.tone(Tone::Warn),
        )],
        PoolResult::Failed { reason, .. } => {
            vec![(format!("✗ error: {reason}"), theme.tone(Tone::Bad))]
        }
    }
}

/// The selected pool's details, under the rows.
fn detail(looks: Looks<'_>, row: &PoolRow, theme: &Theme) -> Vec<Line<'static>> {
    let name = sanitize(&row.name).into_owned();
    match &row.result {
        PoolResult::Pending => vec![dim(&format!("waiting for {name}…"), theme)],
        PoolResult::Found(found) => vec![Line::from(format!(
            "Found {}; {} shows it in {name}.",
            found.resolution, looks.open
        ))],
        PoolResult::NotFound => vec![dim(&format!("No user matches in {name}."), theme)],
        PoolResult::Ambiguous(a) => vec![Line::from(format!(
            "{} users match in {name}; {} lists them to pick one.",
            a.matches.len(),
            looks.open
        ))],
        PoolResult::Failed { error, .. } => {
            let error = error.shown(looks.redact);
            let mut lines = Vec::new();
            let head = match &error.exception {
                Some(exception) => format!("{exception}: {}", error.message),
                None => error.message.clone(),
            };
            lines.push(Line::from(Span::styled(head, theme.error())));
            if let Some(hint) = &error.hint {
                lines.push(super::hint_line(hint, theme));
            }
            lines
        }
    }
}

/// A list with the selected row highlighted, `detail` under it and a one-line footer.
#[allow(clippy::too_many_arguments)]
fn list(
    buf: &mut Buffer,
    area: Rect,
    title: String,
    rows: Vec<Vec<Segment>>,
    cursor: usize,
    detail: Vec<Line<'static>>,
    footer: &str,
    theme: &Theme,
) {
    let width = area.width.saturating_sub(4).min(96);
    let text_width = width.saturating_sub(4);
    let detail_height = match detail.is_empty() {
        true => 0,
        false => wrapped_height(&detail, text_width) + 1,
    };
    let height = (rows.len() as u16)
        .saturating_add(detail_height)
        .saturating_add(4)
        .min(area.height);
    let rect = centered(area, width, height.max(5));
    let inner = popup_frame(buf, rect, title, theme);
    let [list_area, detail_area, footer_area] = Layout::vertical([
        Constraint::Min(1),
        Constraint::Length(detail_height),
        Constraint::Length(2),
    ])
    .areas(inner);
    let lines = visible_rows(rows, cursor, list_area, theme);
    Paragraph::new(lines).render(list_area, buf);
    if detail_height > 0 {
        let mut text = vec![Line::from("")];
        text.extend(detail);
        Paragraph::new(text)
            .wrap(Wrap { trim: false })
            .render(detail_area, buf);
    }
    Paragraph::new(vec![Line::from(""), dim(footer, theme)]).render(footer_area, buf);
}
