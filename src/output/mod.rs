//! The one output sink of the one-shot commands. Every byte `get`, `search`, `diagnose`,
//! `export`, batches, `completions` and `man` write to stdout or stderr goes through here,
//! and here each format gets its escaping:
//!
//! - JSON and NDJSON: serialized by [`Stdout::json`] / [`Stdout::json_line`] through
//!   `sanitize::SafeJsonFormatter` (controls, bidi, zero-width, separators, tags as `\uXXXX`);
//! - CSV and TSV: [`table::TableWriter`], every cell escaped for the terminal (as `sanitize`)
//!   and for spreadsheets (the formula guard);
//! - `export -o cognito-import`: [`import::ImportWriter`], Cognito's import rules (commas
//!   escaped with `\`, nothing quoted), every value escaped for the terminal, no formula guard;
//! - `--query` and `-o table`: [`Shape`] — the JMESPath result of each JSON value
//!   ([`query`]), drawn as JSON, as the AWS CLI's text ([`query::aws_text`]) or as its table
//!   ([`grid`]), every value escaped before it is measured or joined;
//! - text: [`Stdout::text`] and the stderr functions ([`error`], [`hint`], [`note`], …) escape
//!   every unsafe character but the line ends, whatever the caller already did.
//!
//! A write that fails is a [`WriteError`]: a closed pipe (`| head`) stops the command
//! quietly, anything else (a full disk, `/dev/full`) ends it with exit code
//! [`crate::exit::OUTPUT`]. Nothing else in `src/` names stdout or stderr (the TUI's terminal in
//! `tui.rs` aside); `tests/it/output_sink.rs` reads the source to hold that.

pub mod grid;
pub mod import;
pub mod json;
pub mod query;
mod sink;
pub mod table;
pub mod text;

pub use json::*;
pub use sink::*;
pub use text::*;

use crate::cognito::listing::Listing;
use crate::cognito::{AuthEvent, Device, Group};

/// Lists fetched for `get --include`; `None` when not asked for or not available.
#[derive(Debug, Clone, Default)]
pub struct Extras {
    pub groups: Option<Vec<Group>>,
    pub devices: Option<Vec<Device>>,
    pub events: Option<Vec<AuthEvent>>,
    /// AdminGetUserAuthFactors' answer (`--include auth-factors`).
    pub auth_factors: Option<crate::cognito::AuthFactors>,
}

impl Extras {
    /// Keeps a fetched list in its place.
    pub fn add(&mut self, listing: Listing) {
        match listing {
            Listing::Groups(groups) => self.groups = Some(groups),
            Listing::Devices(devices) => self.devices = Some(devices),
            Listing::SignIns(events) => self.events = Some(events),
        }
    }
}
