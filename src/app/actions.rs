//! The write actions (only with `--allow-write`): which apply to the user on screen, the `x`
//! menu, the group pickers, the confirmations, and what is shown and refreshed once one is
//! done. Every path to a [`Cmd::Write`] runs through [`confirm`].

use super::{App, Cmd, ErrorView, LineInput, ListState, Pane, WritePending};
use super::{cognito_error_view, move_in_list};
use crate::act::Write;
use crate::cognito::listing::{Fetched, Listing};
use crate::cognito::{
    CognitoError, ErrorKind, Group, InviteDelivery, TemporaryPassword, User, UserStatus,
    VerifiedAttribute, WriteAction, password,
};
use crate::keymap::Action;
use crate::sanitize::sanitize;

/// How many characters of the pool id a delete asks for.
pub const POOL_SUFFIX_LEN: usize = 6;

/// One line of the `x` menu.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MenuItem {
    /// This action; its confirmation follows.
    Do(WriteAction),
    /// Choose one of the pool's groups (ListGroups) to add the user to.
    AddToGroup,
    /// Choose one of the user's groups to remove them from.
    RemoveFromGroup,
}

impl MenuItem {
    /// The short name in the menu's first column.
    pub fn label(&self) -> &'static str {
        match self {
            Self::Do(action) => match action {
                WriteAction::EnableUser => "Enable",
                WriteAction::DisableUser => "Disable",
                WriteAction::ResetPassword => "Reset password",
                WriteAction::GlobalSignOut => "Sign out everywhere",
                WriteAction::ResetMfa => "Reset MFA",
                WriteAction::DeleteSoftwareToken => "Delete TOTP",
                WriteAction::ResendInvitation(_) => "Resend invitation",
                WriteAction::ConfirmSignUp => "Confirm sign-up",
                WriteAction::MarkVerified(VerifiedAttribute::Email) => "Mark email verified",
                WriteAction::MarkVerified(VerifiedAttribute::PhoneNumber) => "Mark phone verified",
                WriteAction::AddToGroup(_) => "Add to group",
                WriteAction::RemoveFromGroup(_) => "Remove from group",
                WriteAction::DeleteUser => "Delete user",
                WriteAction::SetTemporaryPassword(_) => "Temporary password",
            },
            Self::AddToGroup => "Add to a group…",
            Self::RemoveFromGroup => "Remove from a group…",
        }
    }

    /// What it does, in the menu's second column.
    pub fn description(&self) -> String {
        match self {
            Self::Do(action) => action.description(),
            Self::AddToGroup => "choose one of the pool's groups (ListGroups)".into(),
            Self::RemoveFromGroup => "choose one of the user's groups".into(),
        }
    }
}

/// Which way a group picker changes membership.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GroupChange {
    Add,
    Remove,
}

/// What a group picker can offer right now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GroupChoices {
    /// Still fetching (the pool's groups, or the user's).
    Loading,
    /// The groups to choose from (possibly none).
    Ready(Vec<Group>),
    /// The list could not be had; why, ready to show.
    Failed(String),
}

/// Whether the user has any MFA set up (something to reset).
fn has_mfa(user: &User) -> bool {
    user.mfa_settings.as_ref().is_some_and(|s| !s.is_empty())
        || user.preferred_mfa.as_ref().is_some_and(|p| !p.is_empty())
        || user.mfa_options.as_ref().is_some_and(|o| !o.is_empty())
}

fn groups_of(state: &ListState) -> Option<&[Group]> {
    match state {
        ListState::Loaded(Fetched {
            listing: Listing::Groups(groups),
            ..
        }) => Some(groups),
        _ => None,
    }
}

impl App {
    /// The menu lines that apply to the loaded user, in order: enable only when disabled,
    /// disable only when enabled, reset MFA only with MFA set up, resend the invitation only
    /// for FORCE_CHANGE_PASSWORD (and somewhere to send it), confirm only for UNCONFIRMED,
    /// mark verified only for an address on record that is not, remove from a group unless
    /// the user is known to be in none, set a temporary password, delete. Empty without
    /// `--allow-write`.
    pub fn menu_items(&self) -> Vec<MenuItem> {
        let Some(loaded) = self.user.loaded().filter(|_| self.allow_write()) else {
            return Vec::new();
        };
        let user = &loaded.found.user;
        let mut items = vec![
            MenuItem::Do(if user.enabled {
                WriteAction::DisableUser
            } else {
                WriteAction::EnableUser
            }),
            MenuItem::Do(WriteAction::ResetPassword),
            MenuItem::Do(WriteAction::GlobalSignOut),
        ];
        if has_mfa(user) {
            items.push(MenuItem::Do(WriteAction::ResetMfa));
        }
        if user.status == Some(UserStatus::ForceChangePassword)
            && let Some(delivery) = InviteDelivery::for_user(user)
        {
            items.push(MenuItem::Do(WriteAction::ResendInvitation(delivery)));
        }
        if user.status == Some(UserStatus::Unconfirmed) {
            items.push(MenuItem::Do(WriteAction::ConfirmSignUp));
        }
        for attribute in VerifiedAttribute::ALL {
            if attribute.applies_to(user) {
                items.push(MenuItem::Do(WriteAction::MarkVerified(attribute)));
            }
        }
        items.push(MenuItem::AddToGroup);
        if groups_of(&self.user.lists().groups).is_none_or(|g| !g.is_empty()) {
            items.push(MenuItem::RemoveFromGroup);
        }
        // For a user no recovery channel reaches; after the others so their places stay.
        items.push(MenuItem::Do(WriteAction::SetTemporaryPassword(
            TemporaryPassword::to_generate(),
        )));
        items.push(MenuItem::Do(WriteAction::DeleteUser));
        items
    }

    /// The groups a picker offers: the user's own to remove them from; the pool's, less
    /// those the user is already in, to add them to.
    pub fn group_choices(&self, change: GroupChange) -> GroupChoices {
        let failed = |state: &ListState| match state {
            ListState::Unavailable(note) => Some(note.clone()),
            ListState::Failed(e) => Some(e.message.clone()),
            _ => None,
        };
        let mine = &self.user.lists().groups;
        match change {
            GroupChange::Remove => match (groups_of(mine), failed(mine)) {
                (Some(groups), _) => GroupChoices::Ready(groups.to_vec()),
                (None, Some(why)) => GroupChoices::Failed(why),
                (None, None) => GroupChoices::Loading,
            },
            GroupChange::Add => {
                let pool = self.pool.groups();
                match (groups_of(pool), failed(pool)) {
                    (_, Some(why)) => GroupChoices::Failed(why),
                    (None, None) => GroupChoices::Loading,
                    (Some(groups), None) => {
                        // Without the user's groups every group is offered; adding twice is
                        // harmless in Cognito.
                        let member = groups_of(mine).unwrap_or_default();
                        GroupChoices::Ready(
                            groups
                                .iter()
                                .filter(|g| member.iter().all(|m| m.name != g.name))
                                .cloned()
                                .collect(),
                        )
                    }
                }
            }
        }
    }

    /// What must be typed to confirm `action` on `username`: nothing (y/n), the username,
    /// or for a delete the username, a space and the last characters of the pool id.
    pub fn confirmation_phrase(&self, action: &WriteAction, username: &str) -> Option<String> {
        phrase_for(action, username, self.pool_name())
    }

    /// The write `action` on the user on screen, in the pool in use: the value the
    /// confirmation shows and the worker sends, fixed from now on.
    pub fn write_for(&self, action: WriteAction) -> Option<Write> {
        let user = &self.user.loaded()?.found.user;
        Some(Write {
            pool: self.pool_name().to_string(),
            pool_label: self.pool_label(),
            username: user.username.clone(),
            sub: user.sub().map(str::to_string),
            action,
        })
    }

    /// The confirmation of `action`; a temporary password is generated now, to the pool's
    /// password policy (Cognito's defaults while it is not known), so the confirmed write is
    /// exactly what is sent.
    fn confirm_overlay(&self, action: WriteAction) -> Result<super::Overlay, NotConfirmable> {
        let action = match action {
            WriteAction::SetTemporaryPassword(p) if p.is_pending() => {
                let policy = match self.pool.settings() {
                    super::PoolSettings::Known(schema) => schema.password_policy,
                    _ => None,
                };
                let made = password::generate(policy.as_ref())?;
                WriteAction::SetTemporaryPassword(made)
            }
            other => other,
        };
        let write = self.write_for(action).ok_or(NotConfirmable::NoUser)?;
        let phrase = phrase_for(&write.action, &write.username, &write.pool);
        Ok(super::Overlay::Confirm {
            write,
            phrase,
            input: LineInput::default(),
        })
    }

    /// Opens the confirmation of `action` on the user on screen, or says why not.
    pub(super) fn open_confirmation(&mut self, action: WriteAction) {
        match self.confirm_overlay(action) {
            Ok(overlay) => self.layers.open(overlay),
            Err(why) => self.layers.say(why.to_string()),
        }
    }

    /// Why no write may start now, if one may not: writes are off for this pool, a pool
    /// switch is in flight (the user on screen is about to change), or a write is running.
    pub fn write_refusal(&self) -> Option<String> {
        self.pool.write_refusal()
    }
}

/// Why a confirmation could not open.
#[derive(Debug, thiserror::Error)]
pub enum NotConfirmable {
    #[error("look a user up first (/)")]
    NoUser,
    #[error(transparent)]
    Password(#[from] password::PasswordError),
}

/// Why `x` does nothing without writes, and how to turn them on.
pub const WRITES_OFF: &str =
    "writes are off: start with --allow-write, or allow_write = true for this pool";

/// The phrase a confirmation of `action` on `username` in `pool` asks to be typed, if any.
fn phrase_for(action: &WriteAction, username: &str, pool: &str) -> Option<String> {
    match action {
        WriteAction::DeleteUser => {
            let start = pool
                .char_indices()
                .rev()
                .nth(POOL_SUFFIX_LEN - 1)
                .map_or(0, |(i, _)| i);
            Some(format!("{username} {}", &pool[start..]))
        }
        a if a.needs_typed_confirmation() => Some(username.to_string()),
        _ => None,
    }
}

/// Keys in the `x` menu.
pub(super) fn act_menu(app: &mut App, action: Action) -> Vec<Cmd> {
    let items = app.menu_items();
    let super::Overlay::Actions { cursor } = app.layers.overlay_mut() else {
        return Vec::new();
    };
    match action {
        Action::Cancel => app.layers.close(),
        Action::Submit => {
            let Some(chosen) = items.get(*cursor).cloned() else {
                return Vec::new();
            };
            return choose(app, chosen);
        }
        other => *cursor = move_in_list(*cursor, items.len(), other),
    }
    Vec::new()
}

fn choose(app: &mut App, item: MenuItem) -> Vec<Cmd> {
    match item {
        MenuItem::Do(action) => {
            app.open_confirmation(action);
            Vec::new()
        }
        MenuItem::AddToGroup => {
            app.layers.open(super::Overlay::Groups {
                change: GroupChange::Add,
                cursor: 0,
            });
            // The user's groups too, so those they are in are not offered.
            let mut cmds = app.open_list(Pane::Groups, false);
            cmds.extend(app.pool.open_groups(&mut app.ids));
            cmds
        }
        MenuItem::RemoveFromGroup => {
            app.layers.open(super::Overlay::Groups {
                change: GroupChange::Remove,
                cursor: 0,
            });
            app.open_list(Pane::Groups, false)
        }
    }
}

/// Keys in a group picker.
pub(super) fn act_groups(app: &mut App, action: Action) -> Vec<Cmd> {
    let super::Overlay::Groups { change, cursor } = *app.layers.overlay() else {
        return Vec::new();
    };
    let choices = match app.group_choices(change) {
        GroupChoices::Ready(groups) => groups,
        _ => Vec::new(),
    };
    match action {
        // Back to the menu, on the line that opened the picker.
        Action::Cancel => {
            let opener = match change {
                GroupChange::Add => MenuItem::AddToGroup,
                GroupChange::Remove => MenuItem::RemoveFromGroup,
            };
            let cursor = app
                .menu_items()
                .iter()
                .position(|item| *item == opener)
                .unwrap_or(0);
            app.layers.open(super::Overlay::Actions { cursor });
        }
        Action::Submit => {
            if let Some(group) = choices.get(cursor) {
                let name = group.name.clone();
                let action = match change {
                    GroupChange::Add => WriteAction::AddToGroup(name),
                    GroupChange::Remove => WriteAction::RemoveFromGroup(name),
                };
                app.open_confirmation(action);
            }
        }
        other => {
            app.layers.open(super::Overlay::Groups {
                change,
                cursor: move_in_list(cursor, choices.len(), other),
            });
        }
    }
    Vec::new()
}

/// Keys in a yes/no confirmation.
pub(super) fn act_confirm(app: &mut App, action: Action) -> Vec<Cmd> {
    match action {
        Action::Submit => confirm(app),
        _ => {
            app.layers.close();
            app.layers.say("cancelled: nothing was changed");
            Vec::new()
        }
    }
}

/// Enter in a typed confirmation: only the exact phrase confirms.
pub(super) fn submit_typed(app: &mut App) -> Vec<Cmd> {
    let super::Overlay::Confirm {
        phrase: Some(phrase),
        input,
        write,
    } = app.layers.overlay()
    else {
        return Vec::new();
    };
    if input.text.trim() != phrase {
        app.layers.say(match write.action {
            WriteAction::DeleteUser => format!(
                "type {} (username, space, pool id's last {POOL_SUFFIX_LEN}) or Esc",
                sanitize(phrase)
            ),
            _ => format!(
                "type the username {} exactly to confirm, or Esc",
                sanitize(phrase)
            ),
        });
        return Vec::new();
    }
    confirm(app)
}

/// The confirmed write goes to the worker as the confirmation showed it (only ever with
/// writes allowed for the pool in use, never while the pool is changing).
fn confirm(app: &mut App) -> Vec<Cmd> {
    let super::Overlay::Confirm { write, .. } = app.layers.take() else {
        return Vec::new();
    };
    if let Some(why) = app.write_refusal() {
        app.layers.say(format!("not sent: {why}"));
        return Vec::new();
    }
    if write.pool != app.pool_name() {
        app.layers.say(format!(
            "not sent: it was confirmed for {}, and {} is in use now",
            sanitize(&write.pool_label),
            sanitize(&app.pool_label())
        ));
        return Vec::new();
    }
    let id = app.next_request_id();
    app.layers.say(format!(
        "{} {}…",
        write.action.operation(),
        sanitize(&write.username)
    ));
    app.pool.start_write(id, write.clone());
    vec![Cmd::Write { id, write }]
}

/// Past tense of an action, for the result notice.
fn done_phrase(action: &WriteAction) -> String {
    match action {
        WriteAction::EnableUser => "enabled".into(),
        WriteAction::DisableUser => "disabled".into(),
        WriteAction::ResetPassword => "password reset for".into(),
        WriteAction::GlobalSignOut => "signed out everywhere:".into(),
        WriteAction::ResetMfa => "MFA reset for".into(),
        WriteAction::DeleteSoftwareToken => "TOTP deleted for".into(),
        WriteAction::ResendInvitation(delivery) => {
            format!("invitation re-sent {} to", delivery.label())
        }
        WriteAction::ConfirmSignUp => "sign-up confirmed for".into(),
        WriteAction::MarkVerified(attribute) => {
            format!("{} marked verified for", attribute.attribute())
        }
        WriteAction::AddToGroup(group) => format!("added to {}:", sanitize(group)),
        WriteAction::RemoveFromGroup(group) => format!("removed from {}:", sanitize(group)),
        WriteAction::DeleteUser => "deleted".into(),
        WriteAction::SetTemporaryPassword(_) => "temporary password set for".into(),
    }
}

/// A write finished: say so, and show the user as the action left them (one AdminGetUser),
/// or, deleted, no longer.
pub(super) fn write_done(app: &mut App, id: u64, result: Result<(), CognitoError>) -> Vec<Cmd> {
    let Some(WritePending { write, .. }) = app.pool.take_write(id) else {
        return Vec::new();
    };
    if let Err(e) = result {
        app.layers.fail(cognito_error_view(app, &e));
        return Vec::new();
    }
    // The result names the write's own pool, whatever is on screen now.
    app.layers.say(format!(
        "✓ {} {} in {}",
        done_phrase(&write.action),
        sanitize(&crate::redact::shown_username(app.redact, &write.username)),
        sanitize(&write.pool_label)
    ));
    // Shown this once: Cognito keeps only a hash, and nothing here keeps it either.
    if let WriteAction::SetTemporaryPassword(password) = &write.action {
        app.layers
            .open(super::Overlay::Password(Box::new(PasswordShown {
                username: write.username.clone(),
                pool_label: write.pool_label.clone(),
                password: password.clone(),
            })));
    }
    if write.pool != app.pool_name() {
        return Vec::new();
    }
    match write.action {
        // Nothing left to refresh: AdminGetUser would only say UserNotFound.
        WriteAction::DeleteUser => {
            app.user.forget_deleted(&write.username);
            return Vec::new();
        }
        // Fetched again when the Groups pane next shows.
        WriteAction::AddToGroup(_) | WriteAction::RemoveFromGroup(_) => {
            app.user.groups_changed();
        }
        _ => {}
    }
    // The refresh keeps what is on screen: the result, and an error that came meanwhile
    // (an audit line that could not be written must stay in view).
    let (notice, error) = (app.layers.take_notice(), app.layers.take_error());
    let cmd = app.start_lookup(&write.username, super::LookupMode::Username);
    app.layers.put_back(notice, error);
    vec![cmd]
}

/// A temporary password just set, in its own popup: shown this once, copied only when the
/// copy key asks, gone when the popup closes. Its `Debug` hides the password.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PasswordShown {
    /// The user it was set for (unsanitized).
    pub username: String,
    /// The pool, `name (id)` (unsanitized).
    pub pool_label: String,
    pub password: TemporaryPassword,
}

/// Keys in the temporary-password popup: the copy key sends it to the terminal's clipboard
/// (OSC 52); any other key closes it for good.
pub(super) fn act_password(app: &mut App, action: Action) -> Vec<Cmd> {
    let super::Overlay::Password(shown) = app.layers.overlay() else {
        return Vec::new();
    };
    match action {
        Action::Copy => {
            let text = shown.password.expose().to_string();
            app.layers.say(super::copied_notice(&text));
            vec![Cmd::Copy(text)]
        }
        Action::Up | Action::Down => Vec::new(),
        _ => {
            app.layers.close();
            app.layers
                .say("the temporary password is no longer shown anywhere");
            Vec::new()
        }
    }
}

/// The pool's groups arrived for the add-to-group picker; stale answers are dropped.
pub(super) fn pool_groups_done(app: &mut App, id: u64, result: Result<Fetched, CognitoError>) {
    if !app.pool.groups_awaited(id) {
        tracing::debug!(id, "dropping a superseded ListGroups result");
        return;
    }
    let groups = match result {
        Ok(fetched) => ListState::Loaded(fetched),
        Err(e) if e.kind == ErrorKind::Unsupported => ListState::Unavailable(format!(
            "this endpoint does not implement {} (an emulator?)",
            e.operation
        )),
        Err(e) => {
            let view: ErrorView = cognito_error_view(app, &e);
            ListState::Failed(ErrorView {
                message: match &view.hint {
                    Some(hint) => format!("{}: {hint}", view.message),
                    None => view.message.clone(),
                },
                ..view
            })
        }
    };
    app.pool.set_groups(groups);
}
