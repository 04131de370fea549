//! What the export options add to each user — `Groups` (`--with-groups`), `MfaSettings` and
//! `PreferredMfa` (`--with-mfa`), `LastSignIn` (`--last-sign-in`) — as keys after the
//! ListUsers item's own (JSON) or as columns after the attribute columns (CSV/TSV), in that
//! order. No Cognito attribute has these names: standard ones are lower-case, custom ones
//! `custom:`; so as columns they ride along as attributes of those names.

use serde::Serialize;
use time::OffsetDateTime;

use super::mfa::{self, Mfa};
use super::{groups, signin};
use crate::cognito::{Attribute, UserSummary};
use crate::output;

/// One user's extras, each `None` when its option is off.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Extras<'x> {
    pub groups: Option<&'x [String]>,
    pub mfa: Option<&'x Mfa>,
    /// `Some(None)`: read, and no auth event on record.
    pub last_sign_in: Option<Option<OffsetDateTime>>,
}

/// The ListUsers item with the extras' keys after its own.
pub(super) fn json<'a>(u: &'a UserSummary, extras: &Extras<'a>) -> impl Serialize + 'a {
    #[derive(Serialize)]
    struct WithExtras<'a, U: Serialize> {
        #[serde(flatten)]
        user: U,
        #[serde(rename = "Groups", skip_serializing_if = "Option::is_none")]
        groups: Option<&'a [String]>,
        #[serde(rename = "MfaSettings", skip_serializing_if = "Option::is_none")]
        mfa_settings: Option<&'a [String]>,
        #[serde(rename = "PreferredMfa", skip_serializing_if = "Option::is_none")]
        preferred_mfa: Option<Option<&'a str>>,
        #[serde(rename = "LastSignIn", skip_serializing_if = "Option::is_none")]
        last_sign_in: Option<Option<String>>,
    }
    WithExtras {
        user: output::list_users_value(u),
        groups: extras.groups,
        mfa_settings: extras.mfa.map(|m| m.settings.as_slice()),
        preferred_mfa: extras.mfa.map(|m| m.preferred.as_deref()),
        last_sign_in: extras.last_sign_in.map(|t| t.map(output::text_time)),
    }
}

/// The user with the extras as attributes of their column names.
pub(super) fn with_columns(u: &UserSummary, extras: &Extras) -> UserSummary {
    let mut u = u.clone();
    let mut add = |name: &str, value: Option<String>| {
        u.attributes.push(Attribute {
            name: name.into(),
            value,
        })
    };
    if let Some(g) = extras.groups {
        add(groups::COLUMN, Some(g.join(",")));
    }
    if let Some(m) = extras.mfa {
        add(mfa::SETTINGS, Some(m.settings.join(",")));
        add(mfa::PREFERRED, m.preferred.clone());
    }
    if let Some(last) = extras.last_sign_in {
        add(signin::COLUMN, last.map(output::text_time));
    }
    u
}
