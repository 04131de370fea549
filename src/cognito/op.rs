//! One descriptor per Cognito operation: its API name, the rate-quota category it counts
//! against, and whether it reads or writes. Layers over a backend decide by the descriptor,
//! so a new operation is described here once rather than in every decorator.

/// Cognito's rate-quota categories.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum QuotaCategory {
    /// ListUsers (30 rps, not adjustable).
    UserList,
    /// AdminGetUser (120 rps).
    UserRead,
    /// Groups, devices, auth events (50 rps).
    UserResourceRead,
    /// DescribeUserPool, ListUserPools (15 rps).
    UserPoolRead,
    /// Admin writes: disable, enable, sign out, reset password… (25 rps).
    UserUpdate,
}

impl QuotaCategory {
    /// Every category.
    pub const ALL: [QuotaCategory; 5] = [
        QuotaCategory::UserList,
        QuotaCategory::UserRead,
        QuotaCategory::UserResourceRead,
        QuotaCategory::UserPoolRead,
        QuotaCategory::UserUpdate,
    ];

    /// AWS's default quota in requests per second.
    pub fn aws_quota(self) -> u32 {
        match self {
            QuotaCategory::UserList => 30,
            QuotaCategory::UserRead => 120,
            QuotaCategory::UserResourceRead => 50,
            QuotaCategory::UserPoolRead => 15,
            QuotaCategory::UserUpdate => 25,
        }
    }

    /// The config key, e.g. `user_list`.
    pub fn key(self) -> &'static str {
        match self {
            QuotaCategory::UserList => "user_list",
            QuotaCategory::UserRead => "user_read",
            QuotaCategory::UserResourceRead => "user_resource_read",
            QuotaCategory::UserPoolRead => "user_pool_read",
            QuotaCategory::UserUpdate => "user_update",
        }
    }
}

/// Whether an operation only reads or changes a user.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Access {
    /// Safe to retry; allowed in read-only mode.
    Read,
    /// Changes Cognito; needs `--allow-write` and is never retried by us.
    Write,
}

/// A Cognito API operation as the layers see it. `category` is the client-side limiter's
/// bucket; where AWS counts an operation in a category we have no bucket for (UserCreation,
/// UserResourceUpdate, UserPoolResourceRead), it shares a bucket whose AWS quota is no larger,
/// so our limit stays under the real one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Op {
    /// The API name, e.g. `AdminGetUser`.
    pub name: &'static str,
    /// The quota it counts against.
    pub category: QuotaCategory,
    /// Read or write.
    pub access: Access,
}

const fn op(name: &'static str, category: QuotaCategory, access: Access) -> Op {
    Op {
        name,
        category,
        access,
    }
}

use Access::{Read, Write};
use QuotaCategory::*;

impl Op {
    /// AdminGetUser (counts the user as monthly active).
    pub const ADMIN_GET_USER: Op = op("AdminGetUser", UserRead, Read);
    /// ListUsers.
    pub const LIST_USERS: Op = op("ListUsers", UserList, Read);
    /// DescribeUserPool.
    pub const DESCRIBE_USER_POOL: Op = op("DescribeUserPool", UserPoolRead, Read);
    /// ListUserPools.
    pub const LIST_USER_POOLS: Op = op("ListUserPools", UserPoolRead, Read);
    /// AdminListGroupsForUser.
    pub const LIST_GROUPS_FOR_USER: Op = op("AdminListGroupsForUser", UserResourceRead, Read);
    /// AdminListDevices.
    pub const LIST_DEVICES: Op = op("AdminListDevices", UserResourceRead, Read);
    /// AdminListUserAuthEvents (needs threat protection on the pool).
    pub const LIST_AUTH_EVENTS: Op = op("AdminListUserAuthEvents", UserResourceRead, Read);
    /// AdminEnableUser.
    pub const ENABLE_USER: Op = op("AdminEnableUser", UserUpdate, Write);
    /// AdminDisableUser.
    pub const DISABLE_USER: Op = op("AdminDisableUser", UserUpdate, Write);
    /// AdminResetUserPassword.
    pub const RESET_PASSWORD: Op = op("AdminResetUserPassword", UserUpdate, Write);
    /// AdminUserGlobalSignOut.
    pub const GLOBAL_SIGN_OUT: Op = op("AdminUserGlobalSignOut", UserUpdate, Write);
    /// ListGroups, for the add-to-group picker. AWS: UserPoolResourceRead (20 rps, 5 per
    /// pool), limited here with DescribeUserPool.
    pub const LIST_GROUPS: Op = op("ListGroups", UserPoolRead, Read);
    /// AdminSetUserMFAPreference (reset MFA).
    pub const SET_MFA_PREFERENCE: Op = op("AdminSetUserMFAPreference", UserUpdate, Write);
    /// AdminCreateUser with `MessageAction=RESEND`. AWS: UserCreation (50 rps).
    pub const RESEND_INVITATION: Op = op("AdminCreateUser", UserUpdate, Write);
    /// AdminConfirmSignUp. AWS: UserCreation (50 rps).
    pub const CONFIRM_SIGN_UP: Op = op("AdminConfirmSignUp", UserUpdate, Write);
    /// AdminUpdateUserAttributes (mark email / phone verified).
    pub const UPDATE_ATTRIBUTES: Op = op("AdminUpdateUserAttributes", UserUpdate, Write);
    /// AdminAddUserToGroup. AWS: UserResourceUpdate (25 rps).
    pub const ADD_TO_GROUP: Op = op("AdminAddUserToGroup", UserUpdate, Write);
    /// AdminRemoveUserFromGroup. AWS: UserResourceUpdate (25 rps).
    pub const REMOVE_FROM_GROUP: Op = op("AdminRemoveUserFromGroup", UserUpdate, Write);
    /// AdminDeleteUser.
    pub const DELETE_USER: Op = op("AdminDeleteUser", UserUpdate, Write);
    /// AdminDeleteSoftwareToken: the first call of Reset MFA (a lost authenticator).
    pub const DELETE_SOFTWARE_TOKEN: Op = op("AdminDeleteSoftwareToken", UserUpdate, Write);
    /// AdminSetUserPassword (a temporary password, `Permanent=false`).
    pub const SET_PASSWORD: Op = op("AdminSetUserPassword", UserUpdate, Write);
    /// ListUsersInGroup: `export --with-groups`, a page of one group's members. AWS: UserList
    /// ("Quotas in Amazon Cognito", API operation categories).
    pub const LIST_USERS_IN_GROUP: Op = op("ListUsersInGroup", UserList, Read);
    /// GetUserPoolMfaConfig, read with DescribeUserPool. AWS: UserPoolRead.
    pub const GET_POOL_MFA_CONFIG: Op = op("GetUserPoolMfaConfig", UserPoolRead, Read);
    /// AdminGetUserAuthFactors: a user's sign-in factors and passkeys. AWS: UserRead.
    pub const GET_USER_AUTH_FACTORS: Op = op("AdminGetUserAuthFactors", UserRead, Read);
    /// GetCSVHeader: `export -o cognito-import`'s header, once per export. AWS counts it with
    /// the user-import operations ("Quotas in Amazon Cognito", API operation categories);
    /// limited here in the UserPoolRead bucket, the smallest read quota, so ours stays under it.
    pub const GET_CSV_HEADER: Op = op("GetCSVHeader", UserPoolRead, Read);

    /// Every operation cognito-tui sends.
    pub const ALL: [Op; 25] = [
        Op::ADMIN_GET_USER,
        Op::LIST_USERS,
        Op::DESCRIBE_USER_POOL,
        Op::LIST_USER_POOLS,
        Op::LIST_GROUPS_FOR_USER,
        Op::LIST_DEVICES,
        Op::LIST_AUTH_EVENTS,
        Op::ENABLE_USER,
        Op::DISABLE_USER,
        Op::RESET_PASSWORD,
        Op::GLOBAL_SIGN_OUT,
        Op::LIST_GROUPS,
        Op::SET_MFA_PREFERENCE,
        Op::RESEND_INVITATION,
        Op::CONFIRM_SIGN_UP,
        Op::UPDATE_ATTRIBUTES,
        Op::ADD_TO_GROUP,
        Op::REMOVE_FROM_GROUP,
        Op::DELETE_USER,
        Op::GET_POOL_MFA_CONFIG,
        Op::GET_USER_AUTH_FACTORS,
        Op::DELETE_SOFTWARE_TOKEN,
        Op::SET_PASSWORD,
        Op::LIST_USERS_IN_GROUP,
        Op::GET_CSV_HEADER,
    ];
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_operation_is_listed_once() {
        let names: std::collections::HashSet<&str> = Op::ALL.iter().map(|op| op.name).collect();
        assert_eq!(names.len(), Op::ALL.len());
    }

    /// The policies in assets/ grant exactly what we send: reads in the read policy, writes
    /// in the write policy, so `--allow-write` never fails on a missing permission.
    #[test]
    fn the_iam_policies_name_every_operation_in_the_right_file() {
        let read = include_str!("../../assets/iam-policy.json");
        let write = include_str!("../../assets/iam-policy-write.json");
        for op in Op::ALL {
            let action = format!("\"cognito-idp:{}\"", op.name);
            let (home, other) = match op.access {
                Access::Read => (read, write),
                Access::Write => (write, read),
            };
            assert!(
                home.contains(&action),
                "{} missing from its policy",
                op.name
            );
            assert!(!other.contains(&action), "{} in the wrong policy", op.name);
        }
    }

    #[test]
    fn writes_and_only_writes_count_against_user_update() {
        for op in Op::ALL {
            assert_eq!(
                op.access == Access::Write,
                op.category == QuotaCategory::UserUpdate,
                "{op:?}"
            );
        }
    }
}
