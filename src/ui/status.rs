//! The Status pane: who the user is, whether they can sign in, what their status means,
//! when they changed, and how the lookup found them.

use super::Theme;
use super::pane::PaneView;
use super::rows::RowLayout;
use crate::app::{App, Pane};

/// Layout of the Status rows (also used to size the pane).
pub const LAYOUT: RowLayout = RowLayout {
    label_width: 8,
    wrap: true,
};

/// The pane as it is drawn.
pub fn view<'a>(app: &App, theme: &'a Theme) -> PaneView<'a> {
    PaneView {
        layout: LAYOUT,
        ..PaneView::of(app, Pane::Status, theme)
    }
}
