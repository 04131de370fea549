//! Overlays: the popups and input lines that take the keyboard while open, and their keys.
//! Only one exists at a time, so there is no popup stack to keep consistent.

use super::actions::{GroupChange, submit_typed};
use super::{App, Cmd, LineInput, Pane, move_in_list};
use crate::cognito::WriteAction;
use crate::cognito::lookup::{self, Ambiguous, LookupMode, QueryShape};
use crate::keymap::Action;

/// A popup or input line that takes the keyboard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Overlay {
    None,
    /// The lookup bar.
    Lookup {
        mode: LookupMode,
        input: LineInput,
    },
    /// Editing the attribute filter (applied as you type).
    Filter {
        input: LineInput,
    },
    /// Several users matched: choose one.
    Picker {
        ambiguous: Ambiguous,
        cursor: usize,
    },
    /// This session's lookups, fuzzy-filtered.
    Recent {
        input: LineInput,
        cursor: usize,
    },
    /// Every key binding.
    Help {
        scroll: u16,
    },
    /// One value in full.
    Detail {
        title: String,
        text: String,
        copy: String,
        scroll: u16,
    },
    /// The equivalent aws command and the console address (both sanitized).
    Hatch {
        command: String,
        url: String,
    },
    /// The write actions that apply to the user (only with `--allow-write`).
    Actions {
        cursor: usize,
    },
    /// Choosing the group to add the user to or remove them from (only with
    /// `--allow-write`); the choices come from [`App::group_choices`].
    Groups {
        change: GroupChange,
        cursor: usize,
    },
    /// Asking before a write action. `phrase` is what must be typed into `input` (the
    /// username; for a delete also the pool id's end); without one, y or n answers.
    Confirm {
        action: WriteAction,
        username: String,
        phrase: Option<String>,
        input: LineInput,
    },
}

pub(super) fn input_mut(overlay: &mut Overlay) -> Option<&mut LineInput> {
    match overlay {
        Overlay::Lookup { input, .. }
        | Overlay::Filter { input }
        | Overlay::Recent { input, .. }
        | Overlay::Confirm { input, .. } => Some(input),
        _ => None,
    }
}

/// Live effects of editing: the attribute filter applies as you type; the recent list
/// jumps back to its best match.
pub(super) fn after_edit(app: &mut App) {
    match &mut app.overlay {
        Overlay::Filter { input } => {
            app.attr_filter = input.text.clone();
            app.cursors[Pane::Attributes.index()] = 0;
        }
        Overlay::Recent { cursor, .. } => *cursor = 0,
        _ => {}
    }
}

pub(super) fn act_help(app: &mut App, action: Action) -> Vec<Cmd> {
    if let Overlay::Help { scroll } = &mut app.overlay {
        match action {
            Action::Up => *scroll = scroll.saturating_sub(1),
            Action::Down => *scroll = scroll.saturating_add(1),
            _ => app.overlay = Overlay::None,
        }
    }
    Vec::new()
}

pub(super) fn act_hatch(app: &mut App, action: Action) -> Vec<Cmd> {
    if let Overlay::Hatch { command, url } = &app.overlay {
        let text = match action {
            Action::Copy => command.clone(),
            Action::CopyUrl => url.clone(),
            _ => {
                app.overlay = Overlay::None;
                return Vec::new();
            }
        };
        app.notice = Some(copied_notice(&text));
        return vec![Cmd::Copy(text)];
    }
    Vec::new()
}

pub(super) fn act_detail(app: &mut App, action: Action) -> Vec<Cmd> {
    if let Overlay::Detail { scroll, copy, .. } = &mut app.overlay {
        match action {
            Action::Up => *scroll = scroll.saturating_sub(1),
            Action::Down => *scroll = scroll.saturating_add(1),
            Action::Copy => {
                let text = copy.clone();
                app.notice = Some(copied_notice(&text));
                return vec![Cmd::Copy(text)];
            }
            _ => app.overlay = Overlay::None,
        }
    }
    Vec::new()
}

/// "copied 12 characters to the clipboard (OSC 52)".
pub(super) fn copied_notice(text: &str) -> String {
    let n = text.chars().count();
    format!(
        "copied {n} character{} to the clipboard (OSC 52)",
        if n == 1 { "" } else { "s" }
    )
}

pub(super) fn act_input(app: &mut App, action: Action) -> Vec<Cmd> {
    if let Some(input) = input_mut(&mut app.overlay)
        && input.edit(action)
    {
        after_edit(app);
        return Vec::new();
    }
    match (&mut app.overlay, action) {
        (Overlay::Lookup { .. }, Action::Cancel) => app.overlay = Overlay::None,
        (Overlay::Lookup { mode, input }, Action::Submit) => {
            let mode = *mode;
            let query = match lookup::validate_query(&input.text) {
                Ok(q) => q,
                Err(message) => {
                    app.notice = Some(message);
                    return Vec::new();
                }
            };
            if mode == LookupMode::Sub && lookup::classify(&query) != QueryShape::Uuid {
                app.notice =
                    Some("a sub is a UUID such as 0f8fad5b-d9cb-469f-a165-70867728950e".into());
                return Vec::new();
            }
            app.overlay = Overlay::None;
            return app.submit_lookup(&query, mode);
        }
        (Overlay::Filter { .. }, Action::Submit) => app.overlay = Overlay::None,
        (Overlay::Filter { .. }, Action::Cancel) => {
            app.attr_filter.clear();
            app.overlay = Overlay::None;
        }
        (Overlay::Recent { .. }, Action::Cancel) => app.overlay = Overlay::None,
        (Overlay::Confirm { .. }, Action::Cancel) => {
            app.overlay = Overlay::None;
            app.notice = Some("cancelled: nothing was changed".into());
        }
        (Overlay::Confirm { .. }, Action::Submit) => return submit_typed(app),
        (Overlay::Recent { .. }, Action::Up | Action::Down) => {
            let len = app.recent_matches().len();
            if let Overlay::Recent { cursor, .. } = &mut app.overlay {
                *cursor = move_in_list(*cursor, len, action);
            }
        }
        (Overlay::Recent { cursor, .. }, Action::Submit) => {
            let cursor = *cursor;
            let chosen = app.recent_matches().get(cursor).map(|e| e.username.clone());
            if let Some(username) = chosen {
                app.overlay = Overlay::None;
                return vec![app.start_lookup(&username, LookupMode::Username)];
            }
        }
        _ => {}
    }
    Vec::new()
}

pub(super) fn act_picker(app: &mut App, action: Action) -> Vec<Cmd> {
    let Overlay::Picker { ambiguous, cursor } = &mut app.overlay else {
        return Vec::new();
    };
    match action {
        Action::Cancel => app.overlay = Overlay::None,
        Action::Submit => {
            if let Some(m) = ambiguous.matches.get(*cursor) {
                let username = m.username.clone();
                app.overlay = Overlay::None;
                return vec![app.start_lookup(&username, LookupMode::Username)];
            }
        }
        other => *cursor = move_in_list(*cursor, ambiguous.matches.len(), other),
    }
    Vec::new()
}
