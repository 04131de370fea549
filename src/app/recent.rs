//! This session's lookups: the entries kept, and the fuzzy filter over them.

use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;

use super::{App, Overlay};
use crate::cognito::User;
use crate::redact;
use crate::sanitize::sanitize;

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
        let matcher = SkimMatcherV2::default().ignore_case();
        let mut scored: Vec<(i64, usize, &RecentEntry)> = self
            .recent
            .iter()
            .enumerate()
            .filter_map(|(i, e)| {
                // In privacy mode a hidden value must not be found by typing it.
                let haystack = match self.redact {
                    true => format!("{} {}", redact::mask_query(&e.username), e.detail_masked),
                    false => format!("{} {}", e.username, e.detail),
                };
                matcher.fuzzy_match(&haystack, filter).map(|s| (s, i, e))
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
