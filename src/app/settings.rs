//! What is fixed when the TUI starts, given to `App::new` at once.

use std::sync::Arc;

use time::{OffsetDateTime, UtcOffset};

use super::TimeZone;
use crate::keymap::Keymap;

/// What is fixed when the app starts (the command line, the config file, the terminal),
/// given to [`App::new`] at once so no field is assigned after the fact.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Running on the embedded demo pool.
    pub demo: bool,
    /// Writes allowed in the start-up pool (`--allow-write`, or its `allow_write = true`):
    /// write actions are offered. Without it no key, help line or command for a write
    /// exists. The pool part keeps it from here, and a switch brings the new pool's.
    pub allow_write: bool,
    /// Privacy mode at start (`--redact`, or the config); `p` toggles it.
    pub redact: bool,
    /// The key bindings in use (defaults with the config file's overrides).
    pub keymap: Arc<Keymap>,
    /// False under NO_COLOR.
    pub color: bool,
    /// The zone times are shown in.
    pub tz: TimeZone,
    /// The clock at start; the terminal loop moves it on with [`App::set_now`].
    pub now: OffsetDateTime,
    /// Attributes the browse filter matches besides the shown fields (the config's
    /// `search_attributes`, e.g. `custom:tenant`).
    pub search_attributes: Vec<String>,
    /// The config's named pools, (name, pool id) in config order.
    pub named_pools: Vec<(String, String)>,
}

impl Default for Settings {
    /// No writes, no privacy mode, the default keys, colour, UTC, the clock at the epoch.
    fn default() -> Self {
        Self {
            demo: false,
            allow_write: false,
            redact: false,
            keymap: Default::default(),
            color: true,
            tz: TimeZone::Fixed(UtcOffset::UTC),
            now: OffsetDateTime::UNIX_EPOCH,
            search_attributes: Vec::new(),
            named_pools: Vec::new(),
        }
    }
}
