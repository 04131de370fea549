//! The MFA pane: UserMFASettingList with the preferred method marked, an explicit
//! "none", and legacy MFAOptions labelled as deprecated.

use ratatui::Frame;
use ratatui::layout::Rect;
use unicode_width::UnicodeWidthStr;

use super::rows::{self, RowLayout};
use super::{Theme, pane_block};
use crate::app::{App, Pane};

/// Draws the pane.
pub fn render(app: &App, frame: &mut Frame, area: Rect, theme: &Theme) {
    let rows = app.rows(Pane::Mfa);
    let block = pane_block(app, Pane::Mfa, "MFA".into(), rows.len(), theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    rows::render(
        frame,
        inner,
        &rows,
        app.cursor(Pane::Mfa),
        app.focus == Pane::Mfa,
        RowLayout {
            label_width: rows.iter().map(|r| r.label.width()).max().unwrap_or(0),
            wrap: true,
        },
        theme,
    );
}
