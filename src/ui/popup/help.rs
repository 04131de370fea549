//! The help: every binding of the key table, filtered and scrolled.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Widget};

use crate::keymap::{Action, Context, Keymap};
use crate::ui::{Theme, centered};

use super::frame::*;

pub(crate) fn help(
    buf: &mut Buffer,
    area: Rect,
    keymap: &Keymap,
    allow_write: bool,
    scroll: u16,
    filter: &str,
    theme: &Theme,
) {
    let width = area.width.saturating_sub(4).min(72);
    let rect = centered(area, width, area.height);
    Clear.render(rect, buf);
    let key = |action| keymap.key(Context::Help, action);
    let keys = format!(
        " {}/{} {}/{} {}/{} scroll · {} filter · {} close ",
        key(Action::Down),
        key(Action::Up),
        key(Action::PageUp),
        key(Action::PageDown),
        key(Action::Top),
        key(Action::Bottom),
        key(Action::Filter),
        key(Action::Cancel),
    );
    let block = popup_block("Help: key bindings".into(), theme)
        .title_bottom(Line::from(keys).right_aligned());
    let inner = block.inner(rect);
    let rows = crate::app::help_rows(keymap, allow_write, filter, inner.width as usize);
    let max_scroll = rows.len().saturating_sub(inner.height as usize);
    let lines: Vec<Line> = rows
        .into_iter()
        .skip((scroll as usize).min(max_scroll))
        .take(inner.height as usize)
        .map(|row| {
            if row.heading {
                Line::from(Span::styled(row.text, theme.title(true)))
            } else {
                Line::from(vec![
                    Span::styled(row.keys, theme.key()),
                    Span::raw(row.text),
                ])
            }
        })
        .collect();
    Paragraph::new(lines).block(block).render(rect, buf);
}
