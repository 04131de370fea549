//! One way to act: a write is a value made when its confirmation opens — pool, username and
//! sub of the user on screen, the call — and nothing later changes its target. While a pool
//! switch is in flight, `x` and lookups are refused with a message; the confirmation and the
//! result name the write's own pool; a write for another pool than the one in use is refused
//! by the model and by the worker. Writes follow the pool (`allow_write` per pool), and
//! read-only `x` says why and how. Through `update`, and through the real worker.

use std::sync::Arc;

use clap::Parser;
use cognito_tui::act::Write;
use cognito_tui::app::{App, Cmd, Msg, Overlay, Switched, update};
use cognito_tui::cli::Cli;
use cognito_tui::cognito::demo::DemoBackend;
use cognito_tui::cognito::{ErrorKind, PoolSchema, WriteAction};
use cognito_tui::session::{SessionInfo, Target};
use crossterm::event::KeyCode;

use crate::common::app::{ch, key, pinned_demo_app, screen, send, serve, typed};
use crate::common::joined::Joined;

const W2: &str = "eu-west-1_WTwo22";

/// The demo app with writes allowed and `query` looked up.
fn writable_with(query: &str) -> App {
    let mut app = pinned_demo_app();
    app.allow_write = true;
    let mut cmds = send(&mut app, [ch('/')]);
    cmds.extend(send(&mut app, typed(query)));
    cmds.extend(send(&mut app, [key(KeyCode::Enter)]));
    let [lookup @ Cmd::Lookup { .. }] = cmds.as_slice() else {
        panic!("{cmds:?}");
    };
    serve(&mut app, lookup);
    assert!(app.user.is_some(), "{query} not found: {:?}", app.error);
    app
}

/// `P`, the pool `W2` typed, Enter: the switch's id (the worker's answer not given yet).
fn start_switch(app: &mut App) -> u64 {
    let cmds = send(app, [ch('P')]);
    if let [list @ Cmd::ListPools { .. }] = cmds.as_slice() {
        serve(app, list);
    }
    send(app, typed(W2));
    match send(app, [key(KeyCode::Enter)]).as_slice() {
        [Cmd::SwitchPool { id, .. }] => *id,
        other => panic!("{other:?}"),
    }
}

/// The worker's answer to the switch `id`: W2, checked, with writes allowed or not.
fn switched(app: &mut App, id: u64, allow_write: bool) -> Vec<Cmd> {
    let info = SessionInfo {
        pool: W2.into(),
        region: Some("eu-west-1".into()),
        profile: None,
        target: "cognito-idp.eu-west-1.amazonaws.com".into(),
    };
    let schema = Some(PoolSchema {
        name: Some("w2".into()),
        ..PoolSchema::default()
    });
    let result = Ok(Switched {
        info,
        schema,
        allow_write,
    });
    update(app, Msg::PoolSwitched { id, result })
}

fn notice(app: &App) -> &str {
    app.notice.as_deref().unwrap_or_default()
}

#[test]
fn while_a_switch_is_in_flight_x_and_lookups_are_refused_with_a_message() {
    let mut app = writable_with("alice");
    start_switch(&mut app);
    assert!(send(&mut app, [ch('x')]).is_empty());
    assert_eq!(app.overlay, Overlay::None, "no menu while the pool changes");
    assert!(
        notice(&app).contains("actions wait until the switch is done"),
        "{}",
        notice(&app)
    );
    let mut cmds = send(&mut app, [ch('/')]);
    cmds.extend(send(&mut app, typed("bob")));
    cmds.extend(send(&mut app, [key(KeyCode::Enter)]));
    assert!(cmds.is_empty(), "{cmds:?}");
    assert!(
        notice(&app).contains("look up once the switch is done"),
        "{}",
        notice(&app)
    );
    // The positive control: without a switch in flight the same keys act.
    let mut app = writable_with("alice");
    send(&mut app, [ch('x')]);
    assert!(matches!(app.overlay, Overlay::Actions { .. }));
}

#[test]
fn the_write_is_made_at_confirmation_and_names_its_pool_and_user() {
    let mut app = writable_with("alice");
    send(&mut app, [ch('x'), key(KeyCode::Enter)]);
    let Overlay::Confirm { write, .. } = &app.overlay else {
        panic!("{:?}", app.overlay);
    };
    let expected = Write {
        pool: "us-east-1_DemoPool1".into(),
        pool_label: "us-east-1_DemoPool1".into(),
        username: "alice".into(),
        sub: Some("13ec8665-a4ff-5525-87b0-8063bbe0cb29".into()),
        action: WriteAction::DisableUser,
    };
    assert_eq!(*write, expected);
    // The confirmation shows exactly that target.
    let shown = screen(&app, 80, 24);
    assert!(shown.contains("Pool  us-east-1_DemoPool1"), "{shown}");
    assert!(shown.contains("User  alice"), "{shown}");
    assert!(shown.contains("Call  AdminDisableUser"), "{shown}");
    let cmds = send(
        &mut app,
        typed("alice").into_iter().chain([key(KeyCode::Enter)]),
    );
    let [Cmd::Write { id, write }] = cmds.as_slice() else {
        panic!("{cmds:?}");
    };
    assert_eq!(*write, expected);
    update(
        &mut app,
        Msg::WriteDone {
            id: *id,
            result: Ok(()),
        },
    );
    assert!(
        notice(&app).contains("✓ disabled alice in us-east-1_DemoPool1"),
        "{}",
        notice(&app)
    );
}

#[test]
fn writes_follow_the_pool_switched_to() {
    let mut app = writable_with("alice");
    assert!(screen(&app, 100, 24).contains("WRITES ON"));
    let id = start_switch(&mut app);
    switched(&mut app, id, false);
    assert!(!app.allow_write);
    assert!(!screen(&app, 100, 24).contains("WRITES ON"));
    let id = start_switch(&mut app);
    switched(&mut app, id, true);
    assert!(app.allow_write);
    assert!(screen(&app, 100, 24).contains("WRITES ON"));
}

#[test]
fn read_only_x_says_why_and_how() {
    let mut app = pinned_demo_app();
    assert!(!app.allow_write);
    assert!(send(&mut app, [ch('x')]).is_empty());
    assert_eq!(app.overlay, Overlay::None);
    assert_eq!(
        notice(&app),
        "writes are off: start with --allow-write, or allow_write = true for this pool"
    );
    assert!(screen(&app, 100, 24).contains("writes are off"));
}

/// The real worker on the demo pool, with writes allowed.
fn demo_worker(app: App) -> Joined {
    let cli = Cli::parse_from(["cognito-tui", "--demo", "--allow-write"]);
    let target = Target::without_config(&cli.target);
    let (pool, demo) = target.pool().unwrap();
    Joined::spawn(app, target, Some(pool), demo, None::<Arc<_>>)
}

#[tokio::test]
async fn the_worker_refuses_a_write_for_another_pool() {
    let app = App::new(DemoBackend::embedded().pool_id().as_str(), true);
    let mut joined = demo_worker(app);
    joined
        .until("connected", |m| matches!(m, Msg::Connected(_)))
        .await;
    let write = Write {
        pool: W2.into(),
        pool_label: "w2".into(),
        username: "alice".into(),
        sub: None,
        action: WriteAction::DisableUser,
    };
    let done = joined.ask(Cmd::Write { id: 7, write }, |m| {
        matches!(m, Msg::WriteDone { id: 7, .. })
    });
    let Msg::WriteDone { result, .. } = done.await else {
        unreachable!()
    };
    let err = result.unwrap_err();
    assert_eq!(err.kind, ErrorKind::Configuration);
    assert!(err.message.contains("not sent"), "{err}");
    // alice is untouched in the pool in use; the same write for it goes through.
    let write = Write {
        pool: DemoBackend::embedded().pool_id().to_string(),
        pool_label: "demo".into(),
        username: "alice".into(),
        sub: None,
        action: WriteAction::DisableUser,
    };
    let done = joined.ask(Cmd::Write { id: 8, write }, |m| {
        matches!(m, Msg::WriteDone { id: 8, .. })
    });
    let Msg::WriteDone { result, .. } = done.await else {
        unreachable!()
    };
    assert!(result.is_ok(), "{result:?}");
}

#[test]
fn the_diagnosis_names_the_actions_key_only_while_writes_are_on() {
    // judy is disabled: the verdict's remedy is a write action.
    let mut app = pinned_demo_app();
    let mut cmds = send(&mut app, [ch('/')]);
    cmds.extend(send(&mut app, typed("judy")));
    cmds.extend(send(&mut app, [key(KeyCode::Enter)]));
    serve(&mut app, &cmds[0]);
    let read_only = screen(&app, 100, 30);
    assert!(
        read_only.contains("enable the user (needs --allow-write)"),
        "{read_only}"
    );
    assert!(!read_only.contains("(x)"), "{read_only}");
    let writable = writable_with("judy");
    let shown = screen(&writable, 100, 30);
    assert!(shown.contains("enable the user (x)"), "{shown}");
}

#[test]
fn the_pool_in_use_changes_only_on_a_switch() {
    let mut app = pinned_demo_app();
    let demo = app.pool_name().to_string();
    update(
        &mut app,
        Msg::Connected(SessionInfo {
            pool: W2.into(),
            region: None,
            profile: None,
            target: "elsewhere".into(),
        }),
    );
    assert_eq!(
        app.pool_name(),
        demo,
        "a session for another pool is ignored"
    );
    let id = start_switch(&mut app);
    assert_eq!(app.pool_name(), demo, "the switch is only asked for");
    switched(&mut app, id, false);
    assert_eq!(app.pool_name(), W2);
}

#[test]
fn an_audit_failure_during_a_write_stays_on_screen_through_the_refresh() {
    let mut app = writable_with("alice");
    send(&mut app, [ch('x'), key(KeyCode::Enter)]);
    let cmds = send(
        &mut app,
        typed("alice").into_iter().chain([key(KeyCode::Enter)]),
    );
    let [Cmd::Write { id, .. }] = cmds.as_slice() else {
        panic!("{cmds:?}");
    };
    // The outcome line could not be written; then the write's answer comes.
    update(&mut app, Msg::AuditFailed("disk full".into()));
    let cmds = update(
        &mut app,
        Msg::WriteDone {
            id: *id,
            result: Ok(()),
        },
    );
    assert!(matches!(cmds.as_slice(), [Cmd::Lookup { .. }]), "{cmds:?}");
    let error = app.error.as_ref().expect("still on screen");
    assert_eq!(error.title, "Audit log not written");
    assert!(
        notice(&app).contains("✓ disabled alice"),
        "{}",
        notice(&app)
    );
}
