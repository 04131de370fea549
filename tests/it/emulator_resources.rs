//! Groups, devices, sign-in history and write actions against moto and cognito-local.
//! Where an emulator lacks an operation the test asserts the error we show and names the gap.

use crate::common::emulator;
use crate::common::proxy;
use crate::common::seed;

use cognito_tui::cognito::listing::fetch_list;
use cognito_tui::cognito::{
    Backend, ErrorKind, ListKind, Listing, PageRequest, PoolId, UserStatus, WriteAction, Writer,
};
use emulator::{Emulator, Kind};
use proxy::RecordingProxy;

async fn suite(kind: Kind) {
    let Some(emulator) = Emulator::start(kind) else {
        return;
    };
    let client = seed::client(&emulator.url());
    let seeded = seed::seed(&client).await;
    let pool_id = seeded.alias_pool.clone();
    let pool = PoolId::parse(&pool_id).unwrap();
    let proxy = RecordingProxy::start(emulator.addr).await;
    let b = seed::backend(proxy.url()).await;

    // Groups: 65 of them, so a second page is needed (60 a page).
    for i in 0..65 {
        let name = format!("group-{i:02}");
        client
            .create_group()
            .user_pool_id(&pool_id)
            .group_name(&name)
            .description(format!("Group number {i}"))
            .precedence(i)
            .send()
            .await
            .expect("CreateGroup");
        client
            .admin_add_user_to_group()
            .user_pool_id(&pool_id)
            .username("alice")
            .group_name(&name)
            .send()
            .await
            .expect("AdminAddUserToGroup");
    }
    proxy.take();
    let fetched = fetch_list(&b, &pool, "alice", ListKind::Groups)
        .await
        .expect("groups");
    assert!(!fetched.more);
    let Listing::Groups(groups) = fetched.listing else {
        panic!("AdminListGroupsForUser answered another list")
    };
    assert_eq!(groups.len(), 65, "{}", kind.name());
    assert_eq!(
        groups
            .iter()
            .find(|g| g.name == "group-07")
            .unwrap()
            .precedence,
        Some(7)
    );
    let pages = proxy.take().len();
    match kind {
        Kind::Moto => assert_eq!(pages, 2, "moto pages groups 60 at a time"),
        // Gap: cognito-local ignores Limit/NextToken and answers everything in one page.
        Kind::CognitoLocal => assert_eq!(pages, 1, "cognito-local ignores group paging"),
    }

    // Devices and sign-in history: neither emulator implements them. We show the error, not a
    // crash, and name the gap.
    let first = PageRequest::first(60);
    let devices = b
        .list_for_user(&pool, "alice", ListKind::Devices, first)
        .await;
    let events = b
        .list_for_user(&pool, "alice", ListKind::SignIns, first)
        .await;
    for (what, result) in [
        ("AdminListDevices", devices.map(drop)),
        ("AdminListUserAuthEvents", events.map(drop)),
    ] {
        let err = result.expect_err(&format!(
            "{} implements {what}? update this test",
            kind.name()
        ));
        let expected = match kind {
            Kind::Moto => ErrorKind::Internal, // HTTP 500 with an HTML body
            Kind::CognitoLocal => ErrorKind::Unsupported, // CognitoLocal#Unsupported
        };
        assert_eq!(err.kind, expected, "{}: {what}: {err}", kind.name());
        assert_eq!(err.operation, what);
        if kind == Kind::Moto {
            // Said as what it is, not as the SDK's JSON parser tripping on `<`.
            assert!(
                err.message.contains(&format!(
                    "answered HTTP 500 with an HTML page, not a Cognito response — does it \
                     implement {what}?"
                )),
                "{err}"
            );
            assert_eq!(err.html_status, Some(500));
        }
    }

    // Write actions: disable, enable, sign out everywhere, reset password. A password can
    // only be reset for a confirmed user, as in real Cognito.
    let _ = client
        .admin_set_user_password()
        .user_pool_id(&pool_id)
        .username("alice")
        .password("Perm-Passw0rd!")
        .permanent(true)
        .send()
        .await;
    proxy.take();
    b.write(&pool, "bob", WriteAction::DisableUser)
        .await
        .expect("disable");
    assert!(!b.admin_get_user(&pool, "bob").await.unwrap().enabled);
    b.write(&pool, "bob", WriteAction::EnableUser)
        .await
        .expect("enable");
    assert!(b.admin_get_user(&pool, "bob").await.unwrap().enabled);
    let signed_out = b.write(&pool, "bob", WriteAction::GlobalSignOut).await;
    let reset = b.write(&pool, "alice", WriteAction::ResetPassword).await;
    match kind {
        Kind::Moto => {
            signed_out.expect("moto signs out");
            reset.expect("moto resets");
            let alice = b.admin_get_user(&pool, "alice").await.unwrap();
            assert_eq!(alice.status, Some(UserStatus::ResetRequired));
        }
        Kind::CognitoLocal => {
            // Gap: cognito-local implements neither AdminUserGlobalSignOut nor
            // AdminResetUserPassword; the error names the operation.
            let e = reset.expect_err("cognito-local resets passwords now? update this test");
            assert_eq!(e.operation, "AdminResetUserPassword");
            if let Err(e) = signed_out {
                assert_eq!(e.operation, "AdminUserGlobalSignOut");
            }
        }
    }
    let seen = proxy.take();
    assert!(seen.contains(&"AdminDisableUser".to_string()), "{seen:?}");
    assert!(seen.contains(&"AdminEnableUser".to_string()), "{seen:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn moto_groups_devices_events_writes() {
    suite(Kind::Moto).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cognito_local_groups_devices_events_writes() {
    suite(Kind::CognitoLocal).await;
}
