//! The pool picker's list: the named pools (with the Region their id names), the listed
//! ones, and a failed ListUserPools as one line beneath them.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout};
use ratatui::style::Style;
use ratatui::text::Span;
use ratatui::widgets::{Paragraph, Widget, Wrap};

use super::{Body, dim, draw_rows, no_rows, pad};
use crate::app::{ErrorView, PoolEntry, PoolSource, PoolsState, Tone};
use crate::sanitize::sanitize;
use crate::ui::rows::Segment;
use crate::width::Cells;

/// The pool picker's column widths: name, pool id, source.
const POOL_NAME: usize = 22;
const POOL_ID: usize = 26;
const POOL_SOURCE: usize = 21;

pub(super) fn pools(
    p: &PoolsState,
    matches: &[PoolEntry],
    current: &str,
    body: Body,
    buf: &mut Buffer,
) {
    let (status, mut list, theme, spinner) = (body.status, body.list, body.theme, body.spinner);
    let mut line = if p.pending.is_some() {
        format!("{spinner} listing pools (ListUserPools)… ")
    } else {
        String::new()
    };
    line.push_str(&format!("{} of {} pools", matches.len(), p.entries.len()));
    if let Some(note) = &p.note {
        line.push_str(&format!(" · {}", sanitize(note)));
    }
    dim(buf, status, line, Tone::Dim, theme);
    // A failed ListUserPools is one line beneath the pools that still work (the named
    // ones): the rows are never hidden behind it, so Enter opens only what is drawn.
    if let Some(error) = &p.error {
        let text = pools_error_line(&error.shown(body.redact));
        let height = (text.cells() as u16)
            .div_ceil(list.width.max(1))
            .clamp(1, 3)
            .min(list.height.saturating_sub(2).max(1));
        let [rows, error_area] =
            Layout::vertical([Constraint::Min(0), Constraint::Length(height)]).areas(list);
        Paragraph::new(Span::styled(text, theme.error()))
            .wrap(Wrap { trim: true })
            .render(error_area, buf);
        list = rows;
    }
    let rows: Vec<Vec<Segment>> = matches
        .iter()
        .map(|entry| {
            let current = entry.id == current;
            let (source, name) = match entry.source {
                PoolSource::Named => (pool_region(&entry.id), entry.name.as_str()),
                PoolSource::Listed => (String::new(), entry.name.as_str()),
                PoolSource::Typed => ("typed id".into(), "(use this pool id)"),
            };
            [
                pad(if current { "●" } else { "" }, 1, theme.tone(Tone::Good)),
                pad(name, POOL_NAME, theme.label()),
                pad(&entry.id, POOL_ID, Style::new()),
                pad(&source, POOL_SOURCE, theme.tone(Tone::Dim)),
            ]
            .concat()
        })
        .collect();
    if rows.is_empty() {
        let none =
            "no pool matches: type a pool id (eu-west-1_AbC123) or paste its console address";
        return no_rows(buf, list, p.pending.map(|_| "…"), none, theme);
    }
    let header = [
        pad("", 1, Style::new()),
        pad("Name", POOL_NAME, theme.label()),
        pad("Pool id", POOL_ID, theme.label()),
        pad("Source", POOL_SOURCE, theme.label()),
    ]
    .concat();
    let visible = list.height.saturating_sub(1) as usize;
    let offset = (p.cursor + 1).saturating_sub(visible.max(1));
    let total = rows.len();
    draw_rows(
        buf,
        list,
        header,
        rows.into_iter().skip(offset).take(visible.max(1)).collect(),
        p.cursor.min(total - 1) - offset,
        theme,
    );
}

/// A named pool's Source cell: the config file, and the Region its id names (a pool id is
/// `REGION_ID`; the Region the client uses for it comes from the config or that id).
fn pool_region(id: &str) -> String {
    match id.split_once('_') {
        Some((region, _)) if !region.is_empty() => format!("config {region}"),
        _ => "config file".into(),
    }
}

/// The pool picker's one line for a failed ListUserPools.
fn pools_error_line(error: &ErrorView) -> String {
    let mut text = format!("✗ pools not listed: {}", error.title);
    if let Some(exception) = &error.exception {
        text.push_str(&format!(" ({exception})"));
    }
    text.push_str(&format!(": {}", error.message.trim_end_matches('.')));
    if let Some(hint) = &error.hint {
        text.push_str(&format!(" · {hint}"));
    }
    text
}
