//! This session's lookups: the entries kept, and the fuzzy filter over them.

use super::{App, Overlay};
use crate::cognito::User;
use crate::redact;
use crate::sanitize::sanitize;
use crate::search::rank::best_text_match;

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
        let filter = match &self.overlay {
            Overlay::Recent { input, .. } => input.text.trim(),
            _ => "",
        };
        if filter.is_empty() {
            return self.recent.iter().collect();
        }
        // The browse filter's rules (search/rank.rs): one field at a time, whole and
        // contiguous matches first.
        let mut scored: Vec<(i32, usize, &RecentEntry)> = self
            .recent
            .iter()
            .enumerate()
            .filter_map(|(i, e)| {
                // In privacy mode a hidden value must not be found by typing it.
                let (username, detail) = match self.redact {
                    true => (redact::mask_query(&e.username), e.detail_masked.clone()),
                    false => (e.username.clone(), e.detail.clone()),
                };
                best_text_match(filter, [username.as_str(), detail.as_str()])
                    .map(|(s, _, _)| (s, i, e))
            })
            .collect();
        // Best score first; among equals, the most recent.
        scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        scored.into_iter().map(|(_, _, e)| e).collect()
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
