//! The user on screen and its panes, a part of [`super::App`] that owns its state: the lookup
//! in flight, the user it found, a newer lookup that failed, which pane has the focus and
//! each pane's cursor, the privacy reveal, the attribute filter, the list panes and the auth
//! factors fetched when opened, and this pool's recent lookups. Only the methods here change
//! them; the rest of the model asks.

use super::lists::{FactorsState, ListState, Lists};
use super::recent::{RECENT_MAX, RecentEntry, recent_entry};
use super::{Cmd, Pane, PoolSettings, RequestIds, move_in_list};
use crate::cognito::listing::ListKind;
use crate::cognito::lookup::{Found, LookupMode};
use crate::keymap::Action;

/// A lookup in flight.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pending {
    pub id: u64,
    pub query: String,
    pub mode: LookupMode,
}

/// The user on screen and how it was asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Loaded {
    pub found: Found,
    pub query: String,
    pub mode: LookupMode,
}

/// The user on screen and its panes (see the module's comment).
#[derive(Debug, Clone)]
pub(crate) struct UserPanes {
    loaded: Option<Loaded>,
    pending: Option<Pending>,
    /// The query of the newest lookup, when it failed while a user stayed on screen, and
    /// whether it found no one: the screen says the user shown is not its answer.
    failed_lookup: Option<(String, bool)>,
    focus: Pane,
    /// Selected row per pane, by [`Pane::ALL`] index.
    cursors: [usize; 6],
    /// The loaded user's groups, devices, sign-in history and auth factors, fetched when
    /// their pane opens.
    lists: Lists,
    /// The one row shown unmasked in privacy mode, until the selection moves.
    revealed: Option<(Pane, usize)>,
    attr_filter: String,
    /// This pool's lookups, newest first.
    recent: Vec<RecentEntry>,
}

impl Default for UserPanes {
    /// No user yet, the Attributes pane focused.
    fn default() -> Self {
        Self {
            loaded: None,
            pending: None,
            failed_lookup: None,
            focus: Pane::Attributes,
            cursors: [0; 6],
            lists: Lists::default(),
            revealed: None,
            attr_filter: String::new(),
            recent: Vec::new(),
        }
    }
}

impl UserPanes {
    /// The user on screen.
    pub(crate) fn loaded(&self) -> Option<&Loaded> {
        self.loaded.as_ref()
    }

    /// The username of the user on screen.
    pub(crate) fn username(&self) -> Option<&str> {
        self.loaded.as_ref().map(|l| l.found.user.username.as_str())
    }

    /// The lookup in flight.
    pub(crate) fn pending(&self) -> Option<&Pending> {
        self.pending.as_ref()
    }

    /// The newest lookup's query, when it failed with a user still shown, and whether it
    /// found no one.
    pub(crate) fn failed_lookup(&self) -> Option<&(String, bool)> {
        self.failed_lookup.as_ref()
    }

    /// The pane with the focus.
    pub(crate) fn focus(&self) -> Pane {
        self.focus
    }

    /// The selected row of `pane`.
    pub(crate) fn cursor(&self, pane: Pane) -> usize {
        self.cursors[pane.index()]
    }

    /// The list panes and auth factors of the user on screen.
    pub(crate) fn lists(&self) -> &Lists {
        &self.lists
    }

    /// The one row shown unmasked in privacy mode.
    pub(crate) fn revealed(&self) -> Option<(Pane, usize)> {
        self.revealed
    }

    /// The attribute filter.
    pub(crate) fn attr_filter(&self) -> &str {
        &self.attr_filter
    }

    /// This pool's lookups, newest first.
    pub(crate) fn recent(&self) -> &[RecentEntry] {
        &self.recent
    }

    /// Whether a lookup or a list fetch is in flight.
    pub(crate) fn busy(&self) -> bool {
        self.pending.is_some() || self.lists.loading()
    }

    /// A lookup `id` of `query` starts, superseding any in flight.
    pub(crate) fn start_lookup(&mut self, id: u64, query: &str, mode: LookupMode) {
        self.pending = Some(Pending {
            id,
            query: query.to_string(),
            mode,
        });
    }

    /// The lookup `id` answered: it is no longer in flight (None: it was superseded).
    pub(crate) fn take_pending(&mut self, id: u64) -> Option<Pending> {
        self.pending.take_if(|p| p.id == id)
    }

    /// The lookup of `query` failed: with a user on screen, the screen says it is not the
    /// answer (`not_found`: it found no one).
    pub(crate) fn lookup_failed(&mut self, query: String, not_found: bool) {
        if self.loaded.is_some() {
            self.failed_lookup = Some((query, not_found));
        }
    }

    /// Forgets the lookup in flight (the worker has stopped).
    pub(crate) fn drop_pending(&mut self) {
        self.pending = None;
    }

    /// `found` goes on screen, as `pending` asked for it: the panes reset unless it is the
    /// same user again, and it heads the recent lookups. Whether it was the same user.
    pub(crate) fn show(&mut self, found: Found, pending: Pending) -> bool {
        let same_user = self.username() == Some(found.user.username.as_str());
        if !same_user {
            self.cursors = [0; 6];
            self.attr_filter.clear();
            self.lists = Lists::default();
        }
        self.revealed = None;
        self.failed_lookup = None;
        let entry = recent_entry(&found.user);
        self.recent.retain(|e| e.username != entry.username);
        self.recent.insert(0, entry);
        self.recent.truncate(RECENT_MAX);
        self.loaded = Some(Loaded {
            found,
            query: pending.query,
            mode: pending.mode,
        });
        same_user
    }

    /// Keeps `pane`'s cursor on one of its `len` rows.
    pub(crate) fn clamp_cursor(&mut self, pane: Pane, len: usize) {
        let c = &mut self.cursors[pane.index()];
        *c = (*c).min(len.saturating_sub(1));
    }

    /// Moves the focused pane's cursor (over `len` rows) by `action`; a reveal ends.
    pub(crate) fn move_cursor(&mut self, action: Action, len: usize) {
        self.revealed = None;
        let c = &mut self.cursors[self.focus.index()];
        *c = move_in_list(*c, len, action);
    }

    /// The focus moves to `pane`; a reveal ends.
    pub(crate) fn focus_on(&mut self, pane: Pane) {
        self.focus = pane;
        self.revealed = None;
    }

    /// The attribute filter is being typed: its pane has the focus (a reveal stays).
    pub(crate) fn focus_attributes(&mut self) {
        self.focus = Pane::Attributes;
    }

    /// Privacy mode changed: nothing stays revealed.
    pub(crate) fn hide_revealed(&mut self) {
        self.revealed = None;
    }

    /// Shows the selected row unmasked until the selection moves.
    pub(crate) fn reveal_selected(&mut self) {
        self.revealed = Some((self.focus, self.cursor(self.focus)));
    }

    /// The attribute filter, as typed (applied as it is typed, from the first row).
    pub(crate) fn filter_attributes(&mut self, text: &str) {
        self.attr_filter = text.to_string();
        self.cursors[Pane::Attributes.index()] = 0;
    }

    /// No attribute filter.
    pub(crate) fn clear_filter(&mut self) {
        self.attr_filter.clear();
    }

    /// The pool is left: no user, no lookup in flight, its panes reset; its recent lookups
    /// are handed back, to keep for coming back.
    pub(crate) fn leave_pool(&mut self) -> Vec<RecentEntry> {
        self.loaded = None;
        self.pending = None;
        self.lists = Lists::default();
        self.cursors = [0; 6];
        self.attr_filter.clear();
        self.revealed = None;
        std::mem::take(&mut self.recent)
    }

    /// The recent lookups of the pool entered (kept from an earlier visit).
    pub(crate) fn enter_pool(&mut self, recent: Vec<RecentEntry>) {
        self.recent = recent;
    }

    /// `username` was deleted: off the screen and out of the recent lookups.
    pub(crate) fn forget_deleted(&mut self, username: &str) {
        self.loaded = None;
        self.lists = Lists::default();
        self.cursors = [0; 6];
        self.recent.retain(|e| e.username != username);
    }

    /// The user's groups changed: fetched again when the Groups pane next shows.
    pub(crate) fn groups_changed(&mut self) {
        self.lists.groups = ListState::NotLoaded;
    }

    /// Starts fetching the list `pane` shows if it has not been asked for yet (or `again`).
    /// A pool known (DescribeUserPool) to lack threat protection keeps no sign-in history:
    /// AdminListUserAuthEvents would only answer UserPoolAddOnNotEnabledException.
    pub(crate) fn open_list(
        &mut self,
        pane: Pane,
        again: bool,
        pool: &PoolSettings,
        ids: &mut RequestIds,
    ) -> Vec<Cmd> {
        let (Some(list), Some(username)) = (pane.list(), self.username()) else {
            return Vec::new();
        };
        let username = username.to_string();
        if !again && *self.lists.get(list) != ListState::NotLoaded {
            return Vec::new();
        }
        if list == ListKind::SignIns && pool.keeps_no_history() {
            *self.lists.get_mut(list) =
                ListState::Unavailable(super::lists::NO_THREAT_PROTECTION.into());
            return Vec::new();
        }
        let id = ids.next();
        *self.lists.get_mut(list) = ListState::Loading { id };
        vec![Cmd::FetchList { id, list, username }]
    }

    /// The list the fetch `id` is for, if it is still awaited.
    pub(crate) fn list_awaiting(&self, id: u64) -> Option<ListKind> {
        [ListKind::Groups, ListKind::Devices, ListKind::SignIns]
            .into_iter()
            .find(|l| *self.lists.get(*l) == ListState::Loading { id })
    }

    /// `list`'s answer, as its pane shows it.
    pub(crate) fn set_list(&mut self, list: ListKind, state: ListState) {
        *self.lists.get_mut(list) = state;
    }

    /// Opening the MFA pane: AdminGetUserAuthFactors once per user shown (a lookup alone
    /// never asks, so a password-only pool's lookup costs what it did); again after a failure.
    pub(crate) fn open_factors(&mut self, ids: &mut RequestIds) -> Vec<Cmd> {
        let Some(username) = self.username() else {
            return Vec::new();
        };
        if matches!(
            self.lists.auth_factors,
            FactorsState::Loading { .. } | FactorsState::Loaded(_)
        ) {
            return Vec::new();
        }
        let username = username.to_string();
        let id = ids.next();
        self.lists.auth_factors = FactorsState::Loading { id };
        vec![Cmd::FetchAuthFactors { id, username }]
    }

    /// Whether the auth factors fetch `id` is still awaited (a newer user's is not).
    pub(crate) fn factors_awaited(&self, id: u64) -> bool {
        self.lists.auth_factors == (FactorsState::Loading { id })
    }

    /// The auth factors' answer, as the MFA pane shows it.
    pub(crate) fn set_factors(&mut self, state: FactorsState) {
        self.lists.auth_factors = state;
    }
}
