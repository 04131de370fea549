//! The pickers of users: the ambiguous-match picker and the recent lookups.

use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};

use crate::app::{App, LineInput, Tone};
use crate::cognito::UserSummary;
use crate::keymap::{Action, Context, Keymap};
use crate::redact::shown_username;
use crate::sanitize::sanitize;
use crate::ui::Theme;
use crate::ui::columns::{Column, cell};
use crate::ui::rows::Segment;
use crate::width::{Cells, fit};

use super::frame::*;

/// The ambiguous-match picker.
#[allow(clippy::too_many_arguments)]
pub(crate) fn picker(
    buf: &mut Buffer,
    area: Rect,
    title: String,
    matches: &[UserSummary],
    redact: bool,
    more: bool,
    cursor: usize,
    keymap: &Keymap,
    theme: &Theme,
) -> Option<Position> {
    let rows = match_rows(redact, matches, area, theme);
    let open = keymap.key(Context::List, Action::Submit);
    let footer = if more {
        format!("Only the first page is shown: narrow the query. {open} opens the user.")
    } else {
        format!("{open} opens the selected user (one AdminGetUser).")
    };
    list_popup(
        buf,
        area,
        ListPopup {
            title,
            input: None,
            rows,
            cursor,
            footer,
        },
        theme,
    )
}

/// Rows of ambiguous matches (username, status, enabled, email; sanitized, masked in
/// privacy mode), the columns sized to what a popup over `area` leaves.
pub(crate) fn match_rows(
    redact: bool,
    matches: &[UserSummary],
    area: Rect,
    theme: &Theme,
) -> Vec<Vec<Segment>> {
    let cells: Vec<[String; 4]> = (matches.iter())
        .map(|m| {
            let email = m.attribute("email").unwrap_or("-");
            let email = match redact {
                true => crate::redact::mask_attribute("email", email),
                false => email.to_string(),
            };
            [
                sanitize(&shown_username(redact, &m.username)).into_owned(),
                m.status
                    .as_ref()
                    .map_or("-".into(), |s| sanitize(s.as_wire()).into_owned()),
                (if m.enabled { "enabled" } else { "DISABLED" }).to_string(),
                sanitize(&email).into_owned(),
            ]
        })
        .collect();
    // Widths by content inside the popup (border and padding take 4 columns).
    let inner = area.width.saturating_sub(4).min(96).saturating_sub(4) as usize;
    let want = |i: usize| cells.iter().map(|c| c[i].cells()).max().unwrap_or(1);
    let widths = crate::ui::columns::fit(
        inner,
        &[
            Column::new(want(0), 8, 0),
            Column::new(want(1), 6, 1),
            Column::new(want(2), 3, 2),
            Column::new(want(3), 5, 3),
        ],
    );
    (cells.into_iter().zip(matches))
        .map(|(c, m)| {
            let styles = [
                theme.label(),
                crate::ui::plain(),
                theme.tone(if m.enabled { Tone::Good } else { Tone::Bad }),
                crate::ui::plain(),
            ];
            (c.into_iter().zip(styles).zip(&widths))
                .flat_map(|((text, style), &w)| cell(&[(text, style)], w))
                .collect()
        })
        .collect()
}

pub(crate) fn recent<'a>(
    app: &App,
    input: &'a LineInput,
    cursor: usize,
    theme: &Theme,
) -> ListPopup<'a> {
    let rows: Vec<Vec<Segment>> = app
        .recent_matches()
        .into_iter()
        .map(|e| {
            vec![
                (
                    fit(&sanitize(&shown_username(app.redact(), &e.username)), 24) + " ",
                    theme.label(),
                ),
                (
                    fit(
                        if app.redact() {
                            &e.detail_masked
                        } else {
                            &e.detail
                        },
                        30,
                    ) + " ",
                    crate::ui::plain(),
                ),
                (
                    e.status.clone(),
                    theme.tone(if e.enabled { Tone::Normal } else { Tone::Bad }),
                ),
            ]
        })
        .collect();
    ListPopup {
        title: format!("Recent lookups ({})", app.recent().len()),
        input: Some(input),
        rows,
        cursor,
        footer: format!(
            "Type to filter (fuzzy) · {} looks the user up again",
            app.keymap().key(Context::Input, Action::Submit)
        ),
    }
}
