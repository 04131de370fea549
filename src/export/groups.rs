//! `export --with-groups`: every group's members read first, through the audit gate and the
//! limiter (ListGroups at the UserPoolRead rate, ListUsersInGroup at UserList's), so the cost
//! is groups × pages, not a request per user; then each user written with its groups.

use std::collections::HashMap;

use crate::cognito::CognitoError;
use crate::oneshot::CliError;
use crate::oneshot::gate::Gate;
use crate::output;

/// The key (JSON) and column (CSV/TSV) the groups go in.
pub(super) const COLUMN: &str = "Groups";

/// Reads every group's members, saying what it costs; `Err` is an audit failure.
pub(super) async fn read(
    gate: Gate<'_>,
) -> Result<Result<HashMap<String, Vec<String>>, CognitoError>, CliError> {
    output::note(
        "--with-groups: reading every group's members first (ListGroups, then \
         ListUsersInGroup for each group: one request per 60 members)",
    );
    let members = match gate.group_members().await? {
        Ok(members) => members,
        Err(e) => return Ok(Err(e)),
    };
    output::note(format_args!(
        "--with-groups: {} groups, {} memberships, {} requests",
        members.groups, members.memberships, members.requests
    ));
    Ok(Ok(members.by_user))
}
