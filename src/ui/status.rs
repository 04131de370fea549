//! The Status pane: who the user is, whether they can sign in, what their status means,
//! when they changed, and how the lookup found them.

use ratatui::Frame;
use ratatui::layout::Rect;

use super::rows::{self, RowLayout};
use super::{Theme, pane_block};
use crate::app::{App, Pane};

/// Layout of the Status rows (also used to size the pane).
pub const LAYOUT: RowLayout = RowLayout {
    label_width: 8,
    wrap: true,
};

/// Draws the pane.
pub fn render(app: &App, frame: &mut Frame, area: Rect, theme: &Theme) {
    let rows = app.rows(Pane::Status);
    let block = pane_block(app, Pane::Status, "Status".into(), rows.len(), theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    rows::render(
        frame,
        inner,
        &rows,
        app.cursor(Pane::Status),
        app.focus == Pane::Status,
        LAYOUT,
        theme,
    );
}
