//! The Attributes pane: every attribute, standard first then `custom:`, one line each.
//! Long values end in "…"; Enter shows the whole value.

use ratatui::widgets::Paragraph;

use super::Theme;
use super::pane::PaneView;
use crate::app::{App, Overlay, Pane, Tone};
use crate::sanitize::sanitize;

/// The pane as it is drawn.
pub fn view<'a>(app: &App, theme: &'a Theme) -> PaneView<'a> {
    let mut view = PaneView::of(app, Pane::Attributes, theme).labels(24, false);
    let shown = view.rows.len();
    view.title = format!("Attributes ({shown})");
    let editing = matches!(app.overlay(), Overlay::Filter { .. });
    if !app.attr_filter().is_empty() || editing {
        // Counted as the unfiltered title counts: rows, with the *_verified flags folded
        // into their attribute's row ("9 of 9", not "9 of 11" beside "(9)").
        let total = app
            .user()
            .map_or(0, |u| crate::app::attribute_rows(&u.found.user, "").len());
        view.title = format!(
            "Attributes ({shown} of {total}, filter \"{}\")",
            sanitize(app.attr_filter())
        );
    }
    if shown == 0 && !app.attr_filter().is_empty() {
        view.message = Some(
            Paragraph::new(format!(
                "no attribute matches the filter ({} clears it)",
                super::first_key(
                    app,
                    crate::keymap::Context::Main,
                    crate::keymap::Action::Cancel
                )
            ))
            .style(theme.tone(Tone::Dim)),
        );
    }
    view
}
