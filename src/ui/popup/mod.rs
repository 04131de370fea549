//! Popups over the panes: an error, the ambiguous-match picker, recent lookups, the help,
//! a full value, the escape hatch, and the write-action menu and confirmations. Each is
//! drawn from a view holding what it shows ([`PopupView::of`] builds it from the model);
//! one room per popup, the frame they share in `frame.rs`.

mod confirm;
mod detail;
pub(crate) mod frame;
mod hatch;
mod help;
mod mfa_code;
pub(crate) mod picker;

use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::widgets::StatefulWidget;

use crate::app::{AllPools, App, Overlay};
use crate::cognito::UserSummary;
use crate::keymap::Keymap;
use crate::sanitize::sanitize;
use crate::ui::Theme;

pub use confirm::ConfirmPopup;
pub use detail::{ErrorPopup, PasswordPopup};
pub use frame::ListPopup;
pub use mfa_code::MfaCodePopup;

/// The popup the overlay asks for, holding what it draws.
pub struct PopupView<'a> {
    pub popup: Popup<'a>,
    /// The key table: every key a popup names comes from it.
    pub keymap: &'a Keymap,
    pub theme: &'a Theme,
}

/// One popup's content.
pub enum Popup<'a> {
    /// No popup (or one drawn in the bar: the lookup and the attribute filter).
    None,
    /// The ambiguous-match picker: four columns, sized to the width it is drawn in.
    Picker {
        title: String,
        /// The matches, drawn username, status, enabled, email.
        matches: &'a [UserSummary],
        /// Privacy mode: usernames and emails masked.
        redact: bool,
        /// Only the first page is shown.
        more: bool,
        cursor: usize,
    },
    /// Recent lookups, the write actions, or a group to pick.
    List(ListPopup<'a>),
    /// The key bindings, filtered and scrolled; rows are laid out for the width drawn in.
    Help {
        keymap: &'a Keymap,
        allow_write: bool,
        filter: &'a str,
        scroll: u16,
    },
    /// The equivalent aws command and the console address.
    Hatch {
        command: &'a str,
        url: &'a str,
        demo: bool,
    },
    /// Asking before a write action.
    Confirm(ConfirmPopup<'a>),
    /// A full value.
    Detail {
        title: &'a str,
        text: &'a str,
        scroll: u16,
    },
    /// A temporary password just set, shown once.
    Password(PasswordPopup),
    /// A credential provider waits for an MFA code.
    MfaCode(MfaCodePopup<'a>),
    /// The current query in every named pool.
    AllPools {
        all: &'a AllPools,
        looks: crate::ui::allpools::Looks<'a>,
    },
}

impl<'a> PopupView<'a> {
    /// The popup the app's overlay asks for.
    pub fn of(app: &'a App, theme: &'a Theme) -> Self {
        let popup = match app.overlay() {
            Overlay::Picker { ambiguous, cursor } => {
                let filter = match app.redact() {
                    true => crate::redact::mask_ambiguous(ambiguous, &[]).description(),
                    false => ambiguous.description(),
                };
                let title = format!(
                    "{} users match {}{}",
                    ambiguous.matches.len(),
                    sanitize(&filter),
                    if ambiguous.more { " (more exist)" } else { "" }
                );
                Popup::Picker {
                    title,
                    matches: &ambiguous.matches,
                    redact: app.redact(),
                    more: ambiguous.more,
                    cursor: *cursor,
                }
            }
            Overlay::Recent { input, cursor } => {
                Popup::List(picker::recent(app, input, *cursor, theme))
            }
            Overlay::Help { scroll, filter, .. } => Popup::Help {
                keymap: app.keymap(),
                allow_write: app.allow_write(),
                filter: &filter.text,
                scroll: *scroll,
            },
            Overlay::Hatch { command, url } => Popup::Hatch {
                command,
                url,
                demo: app.demo(),
            },
            Overlay::Actions { cursor } => Popup::List(confirm::actions_menu(app, *cursor, theme)),
            Overlay::Groups { change, cursor } => {
                Popup::List(confirm::groups_picker(app, *change, *cursor, theme))
            }
            // Exactly the write that will be sent: its pool, not the pool in use now.
            Overlay::Confirm {
                write,
                phrase,
                input,
            } => Popup::Confirm(ConfirmPopup::of(app, write, phrase.as_deref(), input)),
            Overlay::Detail {
                title,
                text,
                scroll,
                ..
            } => Popup::Detail {
                title,
                text,
                scroll: *scroll,
            },
            Overlay::AllPools(all) => Popup::AllPools {
                all,
                looks: crate::ui::allpools::Looks::of(app),
            },
            Overlay::Password(shown) => Popup::Password(PasswordPopup::of(app, shown)),
            Overlay::MfaCode(entry) => Popup::MfaCode(MfaCodePopup::of(entry)),
            Overlay::None | Overlay::Lookup { .. } | Overlay::Filter { .. } => Popup::None,
        };
        Self {
            popup,
            keymap: app.keymap(),
            theme,
        }
    }
}

/// A popup's state is where the terminal cursor goes, if it has a line being typed.
impl StatefulWidget for PopupView<'_> {
    type State = Option<Position>;

    fn render(self, area: Rect, buf: &mut Buffer, cursor: &mut Option<Position>) {
        let (theme, keys) = (self.theme, self.keymap);
        let typed_at = match self.popup {
            Popup::None => None,
            Popup::Picker {
                title,
                matches,
                redact,
                more,
                cursor,
            } => picker::picker(buf, area, title, matches, redact, more, cursor, keys, theme),
            Popup::List(list) => frame::list_popup(buf, area, list, theme),
            Popup::Help {
                keymap,
                allow_write,
                filter,
                scroll,
            } => {
                help::help(buf, area, keymap, allow_write, scroll, filter, theme);
                None
            }
            Popup::Hatch { command, url, demo } => {
                hatch::hatch(buf, area, command, url, demo, keys, theme);
                None
            }
            Popup::Confirm(confirm) => confirm::confirm_popup(buf, area, confirm, keys, theme),
            Popup::AllPools { all, looks } => {
                crate::ui::allpools::render(buf, area, all, looks, theme)
            }
            Popup::Detail {
                title,
                text,
                scroll,
            } => {
                detail::detail(buf, area, title, text, scroll, keys, theme);
                None
            }
            Popup::Password(shown) => {
                detail::password(buf, area, &shown, keys, theme);
                None
            }
            Popup::MfaCode(popup) => mfa_code::mfa_code(buf, area, popup, keys, theme),
        };
        if typed_at.is_some() {
            *cursor = typed_at;
        }
    }
}
