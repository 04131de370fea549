//! This session's lookups: the entries kept, and the fuzzy filter over them.

use std::borrow::Cow;

use super::{App, Overlay};
use crate::cognito::User;
use crate::redact;
use crate::sanitize::sanitize;
use crate::search::rank::rank_by_texts;

/// Most recent lookups kept for the session.
pub const RECENT_MAX: usize = 100;

/// One user looked up in this session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecentEntry {
    pub username: String,
    /// Email, else phone number, else sub: what the engineer will recognise.
    pub detail: String,
    /// `detail` as privacy mode shows it.
    pub detail_masked: String,
    pub status: String,
    pub enabled: bool,
}

impl App {
    /// Recent lookups matching the recent-lookups filter, best first.
    pub fn recent_matches(&self) -> Vec<&RecentEntry> {
        let filter = match self.layers.overlay() {
            Overlay::Recent { input, .. } => input.text.trim(),
            _ => "",
        };
        if filter.is_empty() {
            return self.user.recent().iter().collect();
        }
        // The browse filter's rules (search/rank.rs): one field at a time, whole and
        // contiguous matches first.
        // Best score first; among equals, the most recent.
        rank_by_texts(filter, self.user.recent(), |e| match self.redact {
            // In privacy mode a hidden value must not be found by typing it.
            true => [
                Cow::Owned(redact::mask_query(&e.username)),
                Cow::Borrowed(e.detail_masked.as_str()),
            ],
            false => [
                Cow::Borrowed(e.username.as_str()),
                Cow::Borrowed(e.detail.as_str()),
            ],
        })
    }
}

pub(super) fn recent_entry(user: &User) -> RecentEntry {
    let detail = user
        .attribute("email")
        .or_else(|| user.attribute("phone_number"))
        .or_else(|| user.sub())
        .unwrap_or("");
    let kind = if user.attribute("email").is_some() {
        "email"
    } else if user.attribute("phone_number").is_some() {
        "phone_number"
    } else {
        "sub"
    };
    RecentEntry {
        username: user.username.clone(),
        detail: sanitize(detail).into_owned(),
        detail_masked: sanitize(&redact::mask_attribute(kind, detail)).into_owned(),
        status: user
            .status
            .as_ref()
            .map_or("-".into(), |s| sanitize(s.as_wire()).into_owned()),
        enabled: user.enabled,
    }
}
