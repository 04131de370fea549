//! The on-demand list panes (groups, devices, sign-in history): their state, fetching one
//! when its pane is opened, and taking the answer.

use super::{App, ErrorView, PAGE, Pane, cognito_error_view};
use crate::cognito::listing::{Fetched, ListKind};
use crate::cognito::{CognitoError, ErrorKind};
use crate::keymap::Action;

/// What the Sign-ins pane and `d` say for a pool without threat protection.
pub(super) const NO_THREAT_PROTECTION: &str =
    "this pool has no threat protection, so Cognito keeps no sign-in history";

/// Where a list pane stands.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum ListState {
    /// Not asked for: nothing is fetched until the pane is opened.
    #[default]
    NotLoaded,
    Loading {
        id: u64,
    },
    Loaded(Fetched),
    /// The pool or endpoint can't answer (no threat protection, an emulator): a calm note.
    Unavailable(String),
    /// The fetch failed.
    Failed(ErrorView),
}

/// The on-demand lists of the loaded user.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Lists {
    pub groups: ListState,
    pub devices: ListState,
    pub sign_ins: ListState,
    /// AdminGetUserAuthFactors, fetched when the MFA pane opens (`app/diagnosis.rs`).
    pub auth_factors: FactorsState,
}

/// Where the user's auth factors stand (AdminGetUserAuthFactors).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum FactorsState {
    /// Not asked for: only opening the MFA pane asks.
    #[default]
    NotLoaded,
    Loading {
        id: u64,
    },
    Loaded(crate::cognito::AuthFactors),
    /// Refused or failed; why, ready to show.
    Failed(String),
}

impl Lists {
    /// The state of `list`.
    pub fn get(&self, list: ListKind) -> &ListState {
        match list {
            ListKind::Groups => &self.groups,
            ListKind::Devices => &self.devices,
            ListKind::SignIns => &self.sign_ins,
        }
    }

    pub(super) fn get_mut(&mut self, list: ListKind) -> &mut ListState {
        match list {
            ListKind::Groups => &mut self.groups,
            ListKind::Devices => &mut self.devices,
            ListKind::SignIns => &mut self.sign_ins,
        }
    }

    pub(super) fn loading(&self) -> bool {
        [&self.groups, &self.devices, &self.sign_ins]
            .iter()
            .any(|s| matches!(s, ListState::Loading { .. }))
    }
}

/// A list pane's answer; an answer for a list no longer awaited (another user since) is
/// dropped.
pub(super) fn list_done(app: &mut App, id: u64, result: Result<Fetched, CognitoError>) {
    let Some(list) = app.user.list_awaiting(id) else {
        tracing::debug!(id, "dropping a superseded list result");
        return;
    };
    let state = match result {
        Ok(fetched) => ListState::Loaded(fetched),
        Err(e) if e.kind == ErrorKind::NotEnabled && list == ListKind::SignIns => {
            ListState::Unavailable(
                "sign-in history needs threat protection on this pool (AdminListUserAuthEvents \
                 answers only when advanced security is on)"
                    .into(),
            )
        }
        Err(e) if e.kind == ErrorKind::NotEnabled => ListState::Unavailable(format!(
            "{} needs a feature this pool has not enabled",
            list.noun()
        )),
        Err(e) if e.kind == ErrorKind::Unsupported => ListState::Unavailable(format!(
            "this endpoint does not implement {} (an emulator?), so {} can't be shown",
            list.operation(),
            list.noun()
        )),
        Err(e) => ListState::Failed(cognito_error_view(app, &e)),
    };
    app.user.set_list(list, state);
    let pane = Pane::ALL
        .into_iter()
        .find(|p| p.list() == Some(list))
        .expect("every list has a pane");
    let len = app.rows(pane).len();
    app.user.clamp_cursor(pane, len);
}

/// A cursor moved by `action` in a list of `len` rows (any list: panes, pickers, finders).
pub(super) fn move_in_list(cursor: usize, len: usize, action: Action) -> usize {
    let last = len.saturating_sub(1);
    match action {
        Action::Up => cursor.saturating_sub(1),
        Action::Down => (cursor + 1).min(last),
        Action::PageUp => cursor.saturating_sub(PAGE),
        Action::PageDown => (cursor + PAGE).min(last),
        Action::Top => 0,
        Action::Bottom => last,
        _ => cursor.min(last),
    }
}
