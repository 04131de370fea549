//! The panes fetched on demand: Groups, Devices and Sign-ins. One at a time fills the lower
//! half of the screen (a tab beside Attributes and MFA), so each list gets the full width
//! even at 80×24. Until it has loaded, or when the pool can't answer, the pane says why.

use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::pane::PaneView;
use super::{SPINNER, Theme};
use crate::app::{App, ListState, Listing, Pane, Tone};

/// `pane` (one of the list panes) as it is drawn; None for the other panes.
pub fn view<'a>(app: &App, pane: Pane, theme: &'a Theme) -> Option<PaneView<'a>> {
    let list = pane.list()?;
    let state = app.lists().get(list);
    let mut view = PaneView::of(app, pane, theme);
    let rows = &view.rows;
    view.title = match state {
        ListState::Loaded(fetched) if fetched.more => {
            format!("{} (first {}; more exist)", pane.title(), rows.len())
        }
        ListState::Loaded(_) => format!("{} ({})", pane.title(), rows.len()),
        _ => pane.title().to_string(),
    };
    let username = app.user().map_or(String::new(), |u| {
        let username = crate::redact::shown_username(app.redact(), &u.found.user.username);
        crate::sanitize::sanitize(&username).into_owned()
    });
    let message: Vec<Line> = match state {
        ListState::NotLoaded => vec![Line::from(Span::styled(
            format!("not loaded yet: r loads {}", list.noun()),
            theme.tone(Tone::Dim),
        ))],
        ListState::Loading { .. } => vec![Line::from(Span::styled(
            format!(
                "{} loading {} ({})…",
                SPINNER[app.spinner() % SPINNER.len()],
                list.noun(),
                list.operation()
            ),
            theme.accent(),
        ))],
        ListState::Loaded(fetched) if rows.is_empty() => {
            let text = match fetched.listing {
                Listing::Groups(_) => format!("{username} is in no groups"),
                Listing::Devices(_) => format!("{username} has no remembered or tracked devices"),
                Listing::SignIns(_) => format!("no sign-in events recorded for {username}"),
            };
            vec![Line::from(Span::styled(text, theme.tone(Tone::Dim)))]
        }
        ListState::Loaded(_) => Vec::new(),
        ListState::Unavailable(note) => vec![
            Line::from(Span::styled(note.clone(), theme.tone(Tone::Warn))),
            Line::from(""),
            Line::from(Span::styled(
                "This is a setting of the pool, not a problem with the user.",
                theme.tone(Tone::Dim),
            )),
        ],
        ListState::Failed(error) => {
            let mut lines = vec![Line::from(vec![
                Span::styled(
                    error
                        .exception
                        .clone()
                        .unwrap_or_else(|| error.title.clone()),
                    theme.error(),
                ),
                Span::raw(format!("  {}", error.message)),
            ])];
            if let Some(hint) = &error.hint {
                lines.push(super::hint_line(hint, theme));
            }
            lines.push(Line::from(Span::styled(
                "r tries again",
                theme.tone(Tone::Dim),
            )));
            lines
        }
    };
    if !message.is_empty() {
        view.message = Some(Paragraph::new(message).wrap(Wrap { trim: false }));
    }
    Some(view)
}
