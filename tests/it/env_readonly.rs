//! Read-only by default, proven on the wire: a session built the way the app builds it,
//! against moto behind a recording proxy. Without `--allow-write` every write action is
//! refused before a request leaves the process; with it, each reaches the emulator.

use crate::common::emulator::{Emulator, Kind};
use crate::common::proxy::RecordingProxy;
use crate::common::seed;
use clap::Parser;
use cognito_tui::cli::Cli;
use cognito_tui::cognito::{
    Access, ErrorKind, InviteDelivery, Op, PoolId, TemporaryPassword, VerifiedAttribute,
    WriteAction,
};

/// One of each write action, the delete last (it removes the user the others act on).
fn every_action() -> Vec<WriteAction> {
    vec![
        WriteAction::EnableUser,
        WriteAction::DisableUser,
        WriteAction::ResetPassword,
        WriteAction::GlobalSignOut,
        WriteAction::ResetMfa,
        WriteAction::DeleteSoftwareToken,
        WriteAction::ResendInvitation(InviteDelivery::Email),
        WriteAction::ConfirmSignUp,
        WriteAction::MarkVerified(VerifiedAttribute::Email),
        WriteAction::AddToGroup("support".into()),
        WriteAction::RemoveFromGroup("support".into()),
        WriteAction::SetTemporaryPassword(TemporaryPassword::from_text("Temp-Pass-2026-x7Q")),
        WriteAction::DeleteUser,
    ]
}

#[test]
fn without_allow_write_no_write_request_reaches_the_emulator() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let Some(moto) = Emulator::start(Kind::Moto) else {
            return;
        };
        let client = seed::client(&moto.url());
        let seeded = seed::seed(&client).await;
        client
            .create_group()
            .user_pool_id(&seeded.alias_pool)
            .group_name("support")
            .send()
            .await
            .expect("CreateGroup");
        // Every write operation we have is exercised here, so a new one can't skip the proof.
        let writes: Vec<&str> = Op::ALL
            .iter()
            .filter(|op| op.access == Access::Write)
            .map(|op| op.name)
            .collect();
        let mut exercised: Vec<&str> = every_action().iter().map(|a| a.operation()).collect();
        exercised.sort_unstable();
        let mut expected = writes.clone();
        expected.sort_unstable();
        assert_eq!(
            exercised, expected,
            "every_action() misses a write operation"
        );
        let proxy = RecordingProxy::start(moto.addr).await;

        for allow_write in [false, true] {
            let mut argv = vec![
                "cognito-tui".to_string(),
                "--pool".into(),
                seeded.alias_pool.clone(),
                "--region".into(),
                seed::REGION.into(),
                "--endpoint-url".into(),
                proxy.url(),
                "--max-attempts".into(),
                "1".into(),
                "--config".into(),
                "/dev/null".into(),
            ];
            if allow_write {
                argv.push("--allow-write".into());
            }
            let cli = Cli::parse_from(argv);
            let target = crate::common::target::resolve(&cli.target);
            let (pool, demo) = target.pool().unwrap();
            assert!(!demo);
            let session = target.connect(pool.clone(), demo).await;
            assert_eq!(session.pool, PoolId::parse(&seeded.alias_pool).unwrap());
            proxy.take();

            // Read-only is the absence of the write capability, not a check in a decorator.
            assert_eq!(session.writer.is_some(), allow_write);
            for action in every_action() {
                let result = session.write("bob", action.clone()).await;
                if !allow_write {
                    let err = result.expect_err("refused");
                    assert_eq!(err.kind, ErrorKind::ReadOnly, "{action:?}: {err}");
                }
            }
            // Reads still go through either way.
            session
                .backend
                .admin_get_user(&session.pool, "alice")
                .await
                .expect("AdminGetUser");

            let seen = proxy.take();
            let written: Vec<&String> = seen
                .iter()
                .filter(|op| writes.contains(&op.as_str()))
                .collect();
            if allow_write {
                for op in &writes {
                    assert!(
                        seen.iter().any(|s| s == op),
                        "{op} never reached moto: {seen:?}"
                    );
                }
                // One request per confirmed action: writes are never retried.
                assert_eq!(written.len(), every_action().len(), "{written:?}");
            } else {
                assert!(
                    written.is_empty(),
                    "write requests reached moto: {written:?}"
                );
                assert_eq!(seen, ["AdminGetUser"], "only the read went out");
            }
        }
    });
}
