//! The MFA pane: UserMFASettingList with the preferred method marked, an explicit
//! "none", and legacy MFAOptions labelled as deprecated.

use super::Theme;
use super::pane::PaneView;
use crate::app::{App, Pane};

/// The pane as it is drawn.
pub fn view<'a>(app: &App, theme: &'a Theme) -> PaneView<'a> {
    PaneView::of(app, Pane::Mfa, theme).labels(usize::MAX, true)
}
