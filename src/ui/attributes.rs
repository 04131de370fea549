//! The Attributes pane: every attribute, standard first then `custom:`, one line each.
//! Long values end in "…"; Enter shows the whole value.

use ratatui::Frame;
use ratatui::layout::Rect;
use unicode_width::UnicodeWidthStr;

use super::rows::{self, RowLayout};
use super::{Theme, pane_block};
use crate::app::{App, Overlay, Pane};
use crate::sanitize::sanitize;

/// Draws the pane.
pub fn render(app: &App, frame: &mut Frame, area: Rect, theme: &Theme) {
    let rows = app.rows(Pane::Attributes);
    let total = app
        .user
        .as_ref()
        .map_or(0, |u| u.found.user.attributes.len());
    let mut title = format!("Attributes ({})", rows.len());
    let editing = matches!(app.overlay, Overlay::Filter { .. });
    if !app.attr_filter.is_empty() || editing {
        title = format!(
            "Attributes ({} of {total}, filter \"{}\")",
            rows.len(),
            sanitize(&app.attr_filter)
        );
    }
    let block = pane_block(app, Pane::Attributes, title, rows.len(), theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if rows.is_empty() && !app.attr_filter.is_empty() {
        frame.render_widget(
            ratatui::widgets::Paragraph::new("no attribute matches the filter (Esc clears it)")
                .style(theme.tone(crate::app::Tone::Dim)),
            inner,
        );
        return;
    }
    let label_width = rows
        .iter()
        .map(|r| r.label.width())
        .max()
        .unwrap_or(0)
        .min(24);
    rows::render(
        frame,
        inner,
        &rows,
        app.cursor(Pane::Attributes),
        app.focus == Pane::Attributes,
        RowLayout {
            label_width,
            wrap: false,
        },
        theme,
    );
}
