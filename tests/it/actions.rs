//! The write actions agents use every day, at moto and cognito-local through the SDK backend
//! with writing allowed: each sends exactly one request, and its effect shows in the
//! AdminGetUser / AdminListGroupsForUser that follows. Where an emulator lacks an operation
//! the test asserts the error we show and names the gap.

use crate::common::emulator;
use crate::common::proxy;
use crate::common::seed;

use aws_sdk_cognitoidentityprovider as cip;
use cognito_tui::cognito::resources::collect_pages;
use cognito_tui::cognito::sdk::SdkBackend;
use cognito_tui::cognito::{
    Backend, CognitoError, ErrorKind, InviteDelivery, ListKind, Listing, PageRequest, PoolId, User,
    UserStatus, VerifiedAttribute, WriteAction, Writer,
};
use emulator::{Emulator, Kind};
use proxy::RecordingProxy;

/// The backend under test, the pool, and the proxy that sees its requests.
struct Rig {
    b: SdkBackend,
    pool: PoolId,
    proxy: RecordingProxy,
}

impl Rig {
    /// Performs `action` on `username`; asserts it went out as exactly one request.
    async fn write(&self, username: &str, action: WriteAction) -> Result<(), CognitoError> {
        self.proxy.take();
        let operation = action.operation();
        let result = self.b.write(&self.pool, username, action).await;
        assert_eq!(self.proxy.take(), [operation], "one request, never retried");
        result
    }

    async fn get(&self, username: &str) -> User {
        self.b
            .admin_get_user(&self.pool, username)
            .await
            .unwrap_or_else(|e| panic!("AdminGetUser {username}: {e}"))
    }

    async fn groups_of(&self, username: &str) -> Vec<String> {
        let page = self
            .b
            .list_for_user(
                &self.pool,
                username,
                ListKind::Groups,
                PageRequest::first(60),
            )
            .await
            .expect("AdminListGroupsForUser");
        let Listing::Groups(groups) = page.listing else {
            panic!("AdminListGroupsForUser answered another list")
        };
        let mut names: Vec<String> = groups.into_iter().map(|g| g.name).collect();
        names.sort();
        names
    }
}

async fn create_group(client: &cip::Client, pool: &str, name: &str) {
    client
        .create_group()
        .user_pool_id(pool)
        .group_name(name)
        .send()
        .await
        .expect("CreateGroup");
}

/// A user who signed up and never entered the code: UNCONFIRMED, as only SignUp makes one.
async fn sign_up_unconfirmed(client: &cip::Client, pool: &str, username: &str) {
    let app = client
        .create_user_pool_client()
        .user_pool_id(pool)
        .client_name("actions-test")
        .send()
        .await
        .expect("CreateUserPoolClient")
        .user_pool_client
        .and_then(|c| c.client_id)
        .expect("client id");
    client
        .sign_up()
        .client_id(app)
        .username(username)
        .password("Sign-up-Passw0rd!")
        .user_attributes(seed::attr("email", &format!("{username}@example.com")))
        .send()
        .await
        .expect("SignUp");
}

async fn suite(kind: Kind) {
    let Some(emulator) = Emulator::start(kind) else {
        return;
    };
    let name = kind.name();
    let client = seed::client(&emulator.url());
    let seeded = seed::seed(&client).await;
    let pool_id = seeded.alias_pool.clone();
    for group in ["support", "beta-testers"] {
        create_group(&client, &pool_id, group).await;
    }
    client
        .admin_add_user_to_group()
        .user_pool_id(&pool_id)
        .username("alice")
        .group_name("support")
        .send()
        .await
        .expect("AdminAddUserToGroup");
    sign_up_unconfirmed(&client, &pool_id, "uma").await;
    let proxy = RecordingProxy::start(emulator.addr).await;
    let rig = Rig {
        b: seed::backend(proxy.url()).await,
        pool: PoolId::parse(&pool_id).unwrap(),
        proxy,
    };

    // The add-to-group picker lists the pool's groups.
    let (groups, more) = collect_pages(|token| {
        let rig = &rig;
        async move {
            let page = PageRequest::after(60, token.as_deref());
            rig.b.list_groups(&rig.pool, page).await
        }
    })
    .await
    .expect("ListGroups");
    assert!(!more);
    let mut listed: Vec<&str> = groups.iter().map(|g| g.name.as_str()).collect();
    listed.sort_unstable();
    assert_eq!(listed, ["beta-testers", "support"], "{name}");

    // Add to / remove from a group.
    assert_eq!(rig.groups_of("alice").await, ["support"]);
    rig.write("alice", WriteAction::AddToGroup("beta-testers".into()))
        .await
        .expect("AdminAddUserToGroup");
    assert_eq!(rig.groups_of("alice").await, ["beta-testers", "support"]);
    rig.write("alice", WriteAction::RemoveFromGroup("support".into()))
        .await
        .expect("AdminRemoveUserFromGroup");
    assert_eq!(rig.groups_of("alice").await, ["beta-testers"], "{name}");
    let missing = rig
        .write("alice", WriteAction::AddToGroup("no-such-group".into()))
        .await
        .expect_err("a group that does not exist");
    assert_eq!(missing.operation, "AdminAddUserToGroup");
    assert_eq!(
        missing.exception.as_deref(),
        Some("ResourceNotFoundException"),
        "{name}: {missing}"
    );

    // Mark email and phone verified: bob's email is on record unverified; give him a phone.
    client
        .admin_update_user_attributes()
        .user_pool_id(&pool_id)
        .username("bob")
        .user_attributes(seed::attr("phone_number", "+15550100002"))
        .user_attributes(seed::attr("phone_number_verified", "false"))
        .send()
        .await
        .expect("AdminUpdateUserAttributes");
    let bob = rig.get("bob").await;
    for attribute in VerifiedAttribute::ALL {
        assert!(attribute.applies_to(&bob), "{attribute:?} before");
    }
    for attribute in VerifiedAttribute::ALL {
        // The flag alone, as the API reference documents: re-sending the address could
        // start a verification of it in pools that verify changes before applying them.
        let marked = rig.write("bob", WriteAction::MarkVerified(attribute)).await;
        let bob = rig.get("bob").await;
        match kind {
            Kind::Moto => {
                marked.expect("AdminUpdateUserAttributes");
                assert_eq!(bob.attribute(attribute.flag()), Some("true"));
                assert!(!attribute.applies_to(&bob));
            }
            Kind::CognitoLocal => {
                // Gap: cognito-local refuses a verified flag without the address in the same
                // request ("Email is required to verify/un-verify an email").
                let e =
                    marked.expect_err("cognito-local takes the flag alone now? update this test");
                assert_eq!(e.kind, ErrorKind::InvalidParameter, "{e}");
                assert_eq!(e.operation, "AdminUpdateUserAttributes");
                assert!(attribute.applies_to(&bob), "nothing changed");
            }
        }
    }

    // Confirm a sign-up.
    assert_eq!(rig.get("uma").await.status, Some(UserStatus::Unconfirmed));
    rig.write("uma", WriteAction::ConfirmSignUp)
        .await
        .expect("AdminConfirmSignUp");
    assert_eq!(rig.get("uma").await.status, Some(UserStatus::Confirmed));

    // Reset MFA: bob has SMS MFA on, preferred.
    let sms_on = client
        .admin_set_user_mfa_preference()
        .user_pool_id(&pool_id)
        .username("bob")
        .sms_mfa_settings(
            cip::types::SmsMfaSettingsType::builder()
                .enabled(true)
                .preferred_mfa(true)
                .build(),
        )
        .send()
        .await;
    let before = rig.get("bob").await;
    let reset = rig.write("bob", WriteAction::ResetMfa).await;
    match kind {
        Kind::Moto => {
            sms_on.expect("moto sets MFA preferences");
            assert_eq!(before.mfa_settings, Some(vec!["SMS_MFA".to_string()]));
            assert_eq!(before.preferred_mfa.as_deref(), Some("SMS_MFA"));
            reset.expect("AdminSetUserMFAPreference");
            let bob = rig.get("bob").await;
            // moto sends the empty forms, Cognito omits them; both mean "no MFA".
            assert!(
                bob.mfa_settings.as_ref().is_none_or(Vec::is_empty),
                "{bob:?}"
            );
            assert!(
                bob.preferred_mfa.as_ref().is_none_or(String::is_empty),
                "{bob:?}"
            );
        }
        Kind::CognitoLocal => {
            // Gap: cognito-local has no AdminSetUserMFAPreference (only SetUserMFAPreference
            // with the user's own token); the error names the operation.
            assert!(sms_on.is_err() && before.mfa_settings.is_none());
            let e = reset.expect_err("cognito-local resets MFA now? update this test");
            assert_eq!(e.kind, ErrorKind::Unsupported, "{e}");
            assert_eq!(e.operation, "AdminSetUserMFAPreference");
        }
    }

    // Resend the invitation: dup.two was created by an admin and never signed in.
    assert_eq!(
        rig.get("dup.two").await.status,
        Some(UserStatus::ForceChangePassword)
    );
    let resent = rig
        .write(
            "dup.two",
            WriteAction::ResendInvitation(InviteDelivery::Email),
        )
        .await;
    match kind {
        Kind::Moto => {
            resent.expect("AdminCreateUser RESEND");
            // Gap: moto re-creates the user on RESEND (its attributes are dropped; Cognito
            // keeps them), so only the status is compared.
            assert_eq!(
                rig.get("dup.two").await.status,
                Some(UserStatus::ForceChangePassword)
            );
        }
        Kind::CognitoLocal => {
            // Gap: cognito-local answers RESEND with CognitoLocal#Unsupported.
            let e = resent.expect_err("cognito-local resends now? update this test");
            assert_eq!(e.kind, ErrorKind::Unsupported, "{e}");
            assert_eq!(e.operation, "AdminCreateUser");
        }
    }

    // Delete: the user is gone for AdminGetUser and for a second delete.
    rig.write("dup.one", WriteAction::DeleteUser)
        .await
        .expect("AdminDeleteUser");
    let gone = rig
        .b
        .admin_get_user(&rig.pool, "dup.one")
        .await
        .expect_err("deleted");
    assert_eq!(gone.kind, ErrorKind::UserNotFound, "{name}: {gone}");
    let again = rig.write("dup.one", WriteAction::DeleteUser).await;
    assert_eq!(again.unwrap_err().kind, ErrorKind::UserNotFound, "{name}");
    // Nobody else went with it.
    assert_eq!(rig.get("alice").await.username, "alice");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn moto_write_actions_take_effect() {
    suite(Kind::Moto).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cognito_local_write_actions_take_effect() {
    suite(Kind::CognitoLocal).await;
}
