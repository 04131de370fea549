//! The frame every popup is drawn in: the double-bordered block, sizing to wrapped text,
//! and the list popup (title, filter line, rows scrolled to the cursor, footer).

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Clear, Paragraph, Widget, Wrap};

use crate::app::{LineInput, Tone};
use crate::sanitize::sanitize;
use crate::ui::rows::{Segment, to_line, truncate};
use crate::ui::{Theme, centered};

pub(crate) fn popup_block(title: String, theme: &Theme) -> Block<'static> {
    Block::default()
        .borders(Borders::ALL)
        .border_type(BorderType::Double)
        .border_style(theme.border(true))
        .padding(ratatui::widgets::Padding::horizontal(1))
        .title(Span::styled(format!(" {title} "), theme.title(true)))
}

/// Lines a paragraph of `lines` wraps to at `width` (a close estimate, for sizing).
pub(crate) fn wrapped_height(lines: &[Line], width: u16) -> u16 {
    let width = width.max(1) as usize;
    lines
        .iter()
        .map(|l| l.width().max(1).div_ceil(width) as u16)
        .sum()
}

/// `lines` wrapped in `block`, at most `max_width` wide and as tall as the text (a close
/// estimate), centered over `area`, scrolled down `scroll` lines; returns where it was drawn.
pub(crate) fn text_popup(
    buf: &mut Buffer,
    area: Rect,
    lines: Vec<Line>,
    block: Block,
    max_width: u16,
    scroll: u16,
) -> Rect {
    let width = area.width.saturating_sub(4).min(max_width);
    let height = wrapped_height(&lines, width.saturating_sub(4)) + 2;
    let rect = centered(area, width, height);
    Clear.render(rect, buf);
    Paragraph::new(lines)
        .block(block)
        .wrap(Wrap { trim: false })
        .scroll((scroll, 0))
        .render(rect, buf);
    rect
}

/// Clears `rect` and draws an empty popup titled `title` on it; returns the inside.
pub(crate) fn popup_frame(buf: &mut Buffer, rect: Rect, title: String, theme: &Theme) -> Rect {
    Clear.render(rect, buf);
    let block = popup_block(title, theme);
    let inner = block.inner(rect);
    block.render(rect, buf);
    inner
}

/// The rows that fit in `area`, scrolled to keep `cursor` in view, the cursor's highlighted.
pub(crate) fn visible_rows(
    rows: Vec<Vec<Segment>>,
    cursor: usize,
    area: Rect,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let visible = area.height as usize;
    let cursor = cursor.min(rows.len().saturating_sub(1));
    let offset = (cursor + 1).saturating_sub(visible);
    (rows.into_iter().enumerate())
        .skip(offset)
        .take(visible)
        .map(|(i, segs)| {
            let mut segs = truncate(&segs, area.width as usize);
            if i != cursor {
                return to_line(segs);
            }
            for (_, style) in &mut segs {
                *style = style.patch(theme.selected(true));
            }
            to_line(segs).style(theme.selected(true))
        })
        .collect()
}

/// A list in a popup: title, an optional filter line, rows, the selected one, a footer.
pub struct ListPopup<'a> {
    pub title: String,
    pub input: Option<&'a LineInput>,
    pub rows: Vec<Vec<Segment>>,
    pub cursor: usize,
    pub footer: String,
}

/// Draws a list popup; returns where the terminal cursor goes (its filter line, if any).
pub(crate) fn list_popup(
    buf: &mut Buffer,
    area: Rect,
    popup: ListPopup,
    theme: &Theme,
) -> Option<Position> {
    let ListPopup {
        title,
        input,
        rows,
        cursor,
        footer,
    } = popup;
    let width = area.width.saturating_sub(4).min(96);
    let extra = if input.is_some() { 2 } else { 0 };
    let height = (rows.len() as u16 + 4 + extra).min(area.height);
    let rect = centered(area, width, height.max(5));
    let inner = popup_frame(buf, rect, title, theme);
    let [input_area, list_area, footer_area] = Layout::vertical([
        Constraint::Length(extra),
        Constraint::Min(0),
        Constraint::Length(2),
    ])
    .areas(inner);
    let mut typed_at = None;
    if let Some(input) = input {
        let text = sanitize(&input.text);
        Paragraph::new(Line::from(vec![
            Span::styled("› ", theme.accent()),
            Span::raw(text.into_owned()),
        ]))
        .render(input_area, buf);
        typed_at = crate::ui::input_cursor(input_area, input_area.y, 2, input);
    }
    let mut lines = visible_rows(rows, cursor, list_area, theme);
    if lines.is_empty() {
        lines.push(Line::from(Span::styled(
            "no matches",
            theme.tone(Tone::Dim),
        )));
    }
    Paragraph::new(lines).render(list_area, buf);
    Paragraph::new(vec![
        Line::from(""),
        Line::from(Span::styled(footer, theme.tone(Tone::Dim))),
    ])
    .render(footer_area, buf);
    typed_at
}
