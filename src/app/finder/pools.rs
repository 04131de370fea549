//! The pool picker: the config's named pools and every page of ListUserPools.

use crate::app::{App, Cmd, ErrorView, LineInput, cognito_error_view};
use crate::cognito::{CognitoError, ErrorKind, PoolPage};
use crate::sanitize::sanitize;
use crate::search::rank::rank_by_texts;

use super::Finder;

/// How many ListUserPools pages the picker reads at most (60 pools each).
pub const MAX_POOL_PAGES: usize = 50;

/// Where a pool in the picker came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PoolSource {
    /// `[pools.NAME]` in the config file.
    Named,
    /// ListUserPools.
    Listed,
    /// A pool id typed or pasted into the picker (the way in without ListUserPools).
    Typed,
}

/// One pool the picker offers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PoolEntry {
    /// The config name, or the pool's own name (sanitized when drawn).
    pub name: String,
    pub id: String,
    pub source: PoolSource,
}

/// The pool picker.
#[derive(Debug, Clone, Default)]
pub struct PoolsState {
    pub input: LineInput,
    pub cursor: usize,
    pub entries: Vec<PoolEntry>,
    pub pending: Option<u64>,
    pub pages: usize,
    /// Every page read (or the listing is impossible).
    pub done: bool,
    /// Why the pools could not be listed (a calm note, the named pools still work).
    pub note: Option<String>,
    pub error: Option<ErrorView>,
}

impl App {
    /// Pools the picker shows, filtered by its input (fuzzy), best first.
    pub fn pool_matches(&self) -> Vec<PoolEntry> {
        let filter = self.finders.pools.input.text.trim();
        if filter.is_empty() {
            return self.finders.pools.entries.clone();
        }
        // A typed or pasted pool id comes first, whether or not a listed name matches.
        if let Some(typed) = self.typed_pool() {
            return vec![typed];
        }
        if let Some(id) = crate::app::pools::typed_pool_id(filter) {
            return (self.finders.pools.entries.iter())
                .filter(|p| p.id == id.as_str())
                .cloned()
                .collect();
        }
        // The browse filter's rules: name or id, whole and contiguous matches first.
        rank_by_texts(filter, &self.finders.pools.entries, |p| {
            [p.name.as_str(), p.id.as_str()]
        })
        .into_iter()
        .cloned()
        .collect()
    }

    /// Whether a pool has been chosen (the TUI can start without one).
    pub fn has_pool(&self) -> bool {
        self.pool.chosen()
    }

    /// Whether a finder request is in flight (for the spinner).
    pub(in crate::app) fn finder_busy(&self) -> bool {
        self.finders.busy()
    }

    /// Sets the named pools of the config file, listed first in the picker.
    pub(in crate::app) fn set_named_pools(
        &mut self,
        named: impl IntoIterator<Item = (String, String)>,
    ) {
        self.finders
            .pools
            .entries
            .retain(|p| p.source != PoolSource::Named);
        let named: Vec<PoolEntry> = named
            .into_iter()
            .map(|(name, id)| PoolEntry {
                name,
                id,
                source: PoolSource::Named,
            })
            .collect();
        self.finders.pools.entries.splice(0..0, named);
    }

    /// Opens the pool picker, listing the pools if that has not been done yet.
    pub fn open_pools(&mut self) -> Vec<Cmd> {
        self.finders.open = Some(Finder::Pools);
        self.finders.pools.input = LineInput::default();
        self.finders.pools.cursor = 0;
        if self.finders.pools.done || self.finders.pools.pending.is_some() {
            return Vec::new();
        }
        let id = self.next_request_id();
        self.finders.pools.pending = Some(id);
        self.finders.pools.error = None;
        vec![Cmd::ListPools { id, token: None }]
    }
}

/// A page of ListUserPools; asks for the next one while there are more.
pub(in crate::app) fn pools_page(
    app: &mut App,
    id: u64,
    result: Result<PoolPage, CognitoError>,
) -> Vec<Cmd> {
    if app.finders.pools.pending != Some(id) {
        return Vec::new();
    }
    app.finders.pools.pending = None;
    match result {
        Ok(page) => {
            app.finders.pools.pages += 1;
            for pool in page.pools {
                // A pool both named and listed appears once, as its name in the config.
                if !app.finders.pools.entries.iter().any(|p| p.id == pool.id) {
                    app.finders.pools.entries.push(PoolEntry {
                        name: pool.name,
                        id: pool.id,
                        source: PoolSource::Listed,
                    });
                }
            }
            match page.next_token {
                Some(token) if app.finders.pools.pages < MAX_POOL_PAGES => {
                    app.finders.pools.pending = Some(id);
                    return vec![Cmd::ListPools {
                        id,
                        token: Some(token),
                    }];
                }
                Some(_) => {
                    app.finders.pools.done = true;
                    app.finders.pools.note = Some(format!(
                        "only the first {} pools are listed: type to filter",
                        app.finders.pools.entries.len()
                    ));
                }
                None => app.finders.pools.done = true,
            }
        }
        Err(e) if matches!(e.kind, ErrorKind::Unsupported | ErrorKind::AccessDenied) => {
            app.finders.pools.done = true;
            app.finders.pools.note = Some(format!(
                "pools can't be listed here ({}): named pools from the config file only",
                sanitize(e.exception.as_deref().unwrap_or(&e.message))
            ));
        }
        Err(e) => app.finders.pools.error = Some(cognito_error_view(app, &e)),
    }
    Vec::new()
}
