//! Which pool am I in: the pool on screen is the pool in use. A switch keeps the old pool
//! until the worker has checked the new one, a failed switch says why and changes nothing, a
//! missing pool is said on the first screen, the picker takes a typed id or a console
//! address, and recent lookups are kept per pool. Key → commands, and the screens.

use cognito_tui::app::{
    App, Cmd, ListState, MenuItem, Msg, Overlay, PoolSource, Settings, Switched, update,
};
use cognito_tui::cognito::demo::DemoBackend;
use cognito_tui::cognito::lookup::LookupMode;
use cognito_tui::cognito::{Backend, CognitoError, ErrorKind, PoolSchema};
use cognito_tui::keymap::Context;
use cognito_tui::session::{SessionInfo, SwitchError};
use crossterm::event::KeyCode;
use futures::executor::block_on;

use crate::common::app::screen;
use crate::common::app::{
    ch, demo_app_with, key, pinned, pinned_demo_app as demo_app, send, serve, typed,
};

const OTHER: &str = "eu-west-1_AbC123";

fn demo_pool() -> String {
    DemoBackend::embedded().pool_id().to_string()
}

/// The demo app, connected, with a fixed clock for the snapshots.
/// What the worker says once DescribeUserPool has answered for the demo pool.
fn described(app: &mut App) {
    let backend = DemoBackend::embedded();
    let result = block_on(backend.describe_pool(&backend.pool_id()));
    update(
        app,
        Msg::PoolDescribed {
            pool: demo_pool(),
            result,
        },
    );
}

/// [`demo_app`] started with `--allow-write`.
fn writable_app() -> App {
    demo_app_with(Settings {
        allow_write: true,
        ..pinned()
    })
}

/// The add-to-group picker opened on the user on screen (x, down to "add to group", Enter),
/// the pool's groups answered with `result`, and the picker closed again.
fn read_pool_groups(app: &mut App, result: Result<cognito_tui::app::Fetched, CognitoError>) {
    send(app, [ch('x')]);
    let items = app.menu_items();
    let at = (items.iter().position(|i| *i == MenuItem::AddToGroup)).expect("add to group");
    send(app, (0..at).map(|_| key(KeyCode::Down)));
    let cmds = send(app, [key(KeyCode::Enter)]);
    assert!(
        cmds.iter()
            .any(|c| matches!(c, Cmd::FetchPoolGroups { .. })),
        "{cmds:?}"
    );
    for cmd in &cmds {
        match cmd {
            Cmd::FetchPoolGroups { id } => {
                let result = result.clone();
                update(app, Msg::PoolGroupsDone { id: *id, result });
            }
            other => {
                serve(app, other);
            }
        }
    }
    send(app, [key(KeyCode::Esc)]);
}

/// Looks `query` up through the keys, served by the demo backend.
fn look_up(app: &mut App, query: &str) {
    let mut cmds = send(app, [ch('/')]);
    cmds.extend(send(app, typed(query)));
    cmds.extend(send(app, [key(KeyCode::Enter)]));
    let [lookup @ Cmd::Lookup { .. }] = cmds.as_slice() else {
        panic!("{cmds:?}");
    };
    serve(app, lookup);
}

/// Opens the picker (served by the demo backend), types `text`, and presses Enter: the
/// switch's id and the pool the worker is asked for.
fn pick(app: &mut App, text: &str) -> (u64, String) {
    let cmds = send(app, [ch('P')]);
    if let [list @ Cmd::ListPools { .. }] = cmds.as_slice() {
        serve(app, list);
    }
    send(app, typed(text));
    let cmds = send(app, [key(KeyCode::Enter)]);
    match cmds.as_slice() {
        [Cmd::SwitchPool { id, pool }] => (*id, pool.clone()),
        other => panic!("{other:?}"),
    }
}

fn session_for(pool: &str) -> SessionInfo {
    SessionInfo {
        pool: pool.to_string(),
        region: Some("eu-west-1".into()),
        profile: None,
        target: "cognito-idp.eu-west-1.amazonaws.com".into(),
    }
}

fn switched(pool: &str, name: &str) -> Result<Switched, SwitchError> {
    Ok(Switched {
        info: session_for(pool),
        schema: Some(PoolSchema {
            name: Some(name.into()),
            ..PoolSchema::default()
        }),
        allow_write: false,
    })
}

fn not_found(pool: &str) -> CognitoError {
    CognitoError::new(
        ErrorKind::PoolNotFound,
        "DescribeUserPool",
        format!("User pool {pool} does not exist."),
    )
    .with_exception("ResourceNotFoundException")
}

#[test]
fn a_switch_keeps_the_pool_in_use_until_the_worker_has_checked_the_new_one() {
    let mut app = writable_app();
    described(&mut app);
    look_up(&mut app, "alice");
    // The old pool's groups, as the add-to-group picker read them (before the switch: x
    // waits while one is in flight).
    let unsupported = CognitoError::new(ErrorKind::Unsupported, "ListGroups", "not here");
    read_pool_groups(&mut app, Err(unsupported));
    assert!(
        matches!(app.pool_groups(), ListState::Unavailable(_)),
        "{:?}",
        app.pool_groups()
    );
    // Esc peels what the refusal left on screen, then P opens the picker.
    while app.error().is_some() || app.notice().is_some() || *app.overlay() != Overlay::None {
        send(&mut app, [key(KeyCode::Esc)]);
    }
    let (id, pool) = pick(&mut app, OTHER);
    assert_eq!(pool, OTHER, "a typed id is asked for as it is");
    // Still the demo pool, everywhere, while the worker checks the other one.
    assert_eq!(app.pool_name(), demo_pool());
    assert!(app.pool_label().starts_with("Acme"), "{}", app.pool_label());
    assert!(app.user().is_some() && app.busy());
    // A new lookup meanwhile is refused with a message: the pool is about to change.
    let cmds = send(&mut app, [ch('/')]);
    assert!(cmds.is_empty());
    let cmds = send(
        &mut app,
        typed("bob").into_iter().chain([key(KeyCode::Enter)]),
    );
    assert!(cmds.is_empty(), "{cmds:?}");
    assert!(
        (app.notice().unwrap()).contains("look up once the switch is done"),
        "{:?}",
        app.notice()
    );
    // A refresh of the user on screen goes out at once, for the pool on screen.
    let cmds = send(&mut app, [ch('r')]);
    assert!(
        matches!(cmds.as_slice(), [Cmd::Lookup { query, .. }] if query == "alice"),
        "{cmds:?}"
    );
    serve(&mut app, &cmds[0]);
    assert_eq!(app.user().unwrap().found.user.username, "alice");

    let cmds = update(
        &mut app,
        Msg::PoolSwitched {
            id,
            result: switched(OTHER, "Support EU"),
        },
    );
    // The worker is told to commit, after everything asked for the old pool.
    assert_eq!(cmds.last(), Some(&Cmd::UsePool { id }), "{cmds:?}");
    assert_eq!(app.pool_name(), OTHER);
    assert_eq!(app.pool_label(), format!("Support EU ({OTHER})"));
    assert_eq!(app.session().unwrap().pool, OTHER);
    assert!(app.user().is_none() && app.recent().is_empty() && !app.busy());
    assert_eq!(*app.pool_groups(), cognito_tui::app::ListState::NotLoaded);
    assert_eq!(
        app.notice(),
        Some("switched to Support EU (eu-west-1_AbC123)")
    );
}

#[test]
fn a_failed_switch_leaves_the_old_pool_with_the_reason() {
    let mut app = demo_app();
    look_up(&mut app, "alice");
    let before = app.session().cloned();
    let (id, _) = pick(&mut app, "eu-west-1_Nope1");
    let cmds = update(
        &mut app,
        Msg::PoolSwitched {
            id,
            result: Err(SwitchError::Pool {
                info: Box::new(session_for("eu-west-1_Nope1")),
                error: not_found("eu-west-1_Nope1"),
            }),
        },
    );
    assert!(cmds.is_empty(), "nothing is committed: {cmds:?}");
    assert_eq!(app.pool_name(), demo_pool());
    assert_eq!(app.session(), before.as_ref());
    assert_eq!(app.user().unwrap().found.user.username, "alice");
    let error = app.error().expect("the failure is on screen");
    assert_eq!(error.title, format!("Still on {}", demo_pool()));
    assert!(
        error
            .message
            .contains("could not switch to eu-west-1_Nope1"),
        "{error:?}"
    );
    assert!(
        error
            .hint
            .as_deref()
            .unwrap()
            .ends_with("P chooses another pool")
    );
    // A name the config file does not define and that is no pool id is refused the same way.
    let (id, _) = pick(&mut app, "eu-west-1_Nope2");
    let refused = cognito_tui::session::Target::without_config(
        &<cognito_tui::cli::Cli as clap::Parser>::parse_from(["cognito-tui"]).target,
    )
    .for_pool("not a pool")
    .unwrap_err();
    update(
        &mut app,
        Msg::PoolSwitched {
            id,
            result: Err(refused.into()),
        },
    );
    assert_eq!(app.pool_name(), demo_pool());
    assert!(app.error().unwrap().message.contains("not a pool"));
}

#[test]
fn no_switch_while_an_action_is_running() {
    let mut app = writable_app();
    look_up(&mut app, "alice");
    // x, Enter (disable), the username typed, Enter: the write goes to the worker.
    send(&mut app, [ch('x'), key(KeyCode::Enter)]);
    send(&mut app, typed("alice"));
    let cmds = send(&mut app, [key(KeyCode::Enter)]);
    assert!(matches!(cmds.as_slice(), [Cmd::Write { .. }]), "{cmds:?}");
    assert!(app.writing().is_some());
    let cmds = send(&mut app, [ch('P')]);
    serve(&mut app, &cmds[0]);
    send(&mut app, typed(OTHER));
    assert!(send(&mut app, [key(KeyCode::Enter)]).is_empty());
    assert!(app.pool_status().switching.is_none());
    assert_eq!(
        app.notice(),
        Some("an action is still running: switch pools when it is done")
    );
}

#[test]
fn only_the_newest_switch_is_answered() {
    let mut app = demo_app();
    let (first, _) = pick(&mut app, OTHER);
    let (second, _) = pick(&mut app, "eu-west-1_Second1");
    let stale = update(
        &mut app,
        Msg::PoolSwitched {
            id: first,
            result: switched(OTHER, "First"),
        },
    );
    assert!(stale.is_empty() && app.pool_name() == demo_pool());
    let cmds = update(
        &mut app,
        Msg::PoolSwitched {
            id: second,
            result: switched("eu-west-1_Second1", "Second"),
        },
    );
    assert!(cmds.contains(&Cmd::UsePool { id: second }));
    assert_eq!(app.pool_name(), "eu-west-1_Second1");
}

#[test]
fn the_picker_takes_a_typed_pool_id_or_a_console_address() {
    let mut app = demo_app();
    let cmds = send(&mut app, [ch('P')]);
    serve(&mut app, &cmds[0]);
    send(&mut app, typed(OTHER));
    let matches = app.pool_matches();
    assert_eq!(matches.len(), 1);
    assert_eq!(
        (matches[0].id.as_str(), matches[0].source),
        (OTHER, PoolSource::Typed)
    );

    for url in [
        "https://eu-west-1.console.aws.amazon.com/cognito/v2/idp/user-pools/eu-west-1_AbC123/users?region=eu-west-1",
        "https://eu-west-1.console.aws.amazon.com/cognito/v2/idp/user-pools/eu-west-1_AbC123/user-management/users/details/alice?region=eu-west-1",
        "https://console.aws.amazon.com/cognito/users/?region=eu-west-1#/pool/eu-west-1_AbC123/details",
    ] {
        send(
            &mut app,
            [Msg::Key(crossterm::event::KeyEvent::new(
                KeyCode::Char('u'),
                crossterm::event::KeyModifiers::CONTROL,
            ))],
        );
        send(&mut app, [Msg::Paste(url.into())]);
        let matches = app.pool_matches();
        assert_eq!(matches.len(), 1, "{url}");
        assert_eq!(matches[0].id, OTHER, "{url}");
    }
    // The listed demo pool, by its id, is the listed entry (with its name), not a typed one.
    send(
        &mut app,
        [Msg::Key(crossterm::event::KeyEvent::new(
            KeyCode::Char('u'),
            crossterm::event::KeyModifiers::CONTROL,
        ))],
    );
    send(&mut app, typed(&demo_pool()));
    let matches = app.pool_matches();
    assert_eq!(matches.len(), 1);
    assert_eq!(matches[0].source, PoolSource::Listed);

    use cognito_tui::app::typed_pool_id;
    assert_eq!(typed_pool_id(" eu-west-1_AbC123 ").unwrap().as_str(), OTHER);
    assert!(typed_pool_id("alice").is_none());
    assert!(
        typed_pool_id("https://eu-west-1.console.aws.amazon.com/cognito/v2/idp/user-pools")
            .is_none()
    );
}

#[test]
fn a_lookup_typed_before_a_pool_is_chosen_runs_in_the_chosen_pool() {
    let mut app = App::new(
        "",
        Settings {
            named_pools: vec![("prod".to_string(), OTHER.to_string())],
            ..Settings::default()
        },
    );
    assert!(send(&mut app, [ch('/')]).is_empty());
    assert_eq!(
        app.context(),
        Context::Input,
        "the lookup bar takes the query"
    );
    assert!(send(&mut app, typed("alice")).is_empty());
    let cmds = send(&mut app, [key(KeyCode::Enter)]);
    assert!(
        matches!(cmds.as_slice(), [Cmd::ListPools { .. }]),
        "{cmds:?}"
    );
    assert_eq!(app.context(), Context::Finder);
    assert_eq!(
        app.pools().input.text,
        "",
        "the query is not the pool filter"
    );
    assert_eq!(
        app.notice(),
        Some("choose a user pool to look up \"alice\" in")
    );
    let cmds = send(&mut app, [key(KeyCode::Enter)]);
    let [Cmd::SwitchPool { id, pool }] = cmds.as_slice() else {
        panic!("{cmds:?}")
    };
    assert_eq!(pool, "prod");
    let cmds = update(
        &mut app,
        Msg::PoolSwitched {
            id: *id,
            result: switched(OTHER, "Prod"),
        },
    );
    assert!(
        matches!(cmds.as_slice(), [.., Cmd::UsePool { .. }, Cmd::Lookup { query, mode: LookupMode::Auto, .. }] if query == "alice"),
        "the lookup follows the commit: {cmds:?}"
    );
}

#[test]
fn recent_lookups_are_kept_per_pool() {
    let mut app = demo_app();
    look_up(&mut app, "alice");
    look_up(&mut app, "bob");
    assert_eq!(app.recent().len(), 2);
    let (id, _) = pick(&mut app, OTHER);
    update(
        &mut app,
        Msg::PoolSwitched {
            id,
            result: switched(OTHER, "Other"),
        },
    );
    send(&mut app, [ch('h')]);
    assert_eq!(*app.overlay(), Overlay::None);
    assert_eq!(app.notice(), Some("no lookups yet in this session"));
    // Back on the demo pool, its lookups are there again.
    let (id, _) = pick(&mut app, &demo_pool());
    let mut info = session_for(&demo_pool());
    info.region = None;
    update(
        &mut app,
        Msg::PoolSwitched {
            id,
            result: Ok(Switched {
                info,
                schema: None,
                allow_write: false,
            }),
        },
    );
    let names: Vec<&str> = app.recent().iter().map(|e| e.username.as_str()).collect();
    assert_eq!(names, ["bob", "alice"]);
}

#[test]
fn start_up_says_a_pool_that_does_not_exist() {
    let mut app = demo_app();
    described(&mut app);
    assert!(app.pool_status().problem.is_none());
    assert!(app.pool_label().ends_with(&format!("({})", demo_pool())));
    // An answer about another pool (one switched away from) changes nothing.
    update(
        &mut app,
        Msg::PoolDescribed {
            pool: OTHER.into(),
            result: Err(not_found(OTHER)),
        },
    );
    assert!(app.pool_status().problem.is_none());

    let mut missing = App::new("us-east-1_Nope1", Settings::default());
    update(&mut missing, Msg::Connected(session_for("us-east-1_Nope1")));
    update(
        &mut missing,
        Msg::PoolDescribed {
            pool: "us-east-1_Nope1".into(),
            result: Err(not_found("us-east-1_Nope1")),
        },
    );
    let problem = missing.pool_status().problem.as_ref().expect("said");
    assert_eq!(problem.title, "Pool not found: us-east-1_Nope1");
    // P opens the picker from there.
    let cmds = send(&mut missing, [ch('P')]);
    assert!(matches!(cmds.as_slice(), [Cmd::ListPools { .. }]));
}

/// The screens: the header names the pool `name (id)`; a pool that does not exist is the
/// first screen; a failed switch is on screen over the old pool.
#[test]
fn pool_screens() {
    let mut app = demo_app();
    described(&mut app);
    look_up(&mut app, "alice");
    insta::assert_snapshot!("header_with_name", screen(&app, 80, 24));

    let (id, _) = pick(&mut app, "eu-west-1_Nope1");
    insta::assert_snapshot!("switching", screen(&app, 80, 24));
    update(
        &mut app,
        Msg::PoolSwitched {
            id,
            result: Err(SwitchError::Pool {
                info: Box::new(session_for("eu-west-1_Nope1")),
                error: not_found("eu-west-1_Nope1"),
            }),
        },
    );
    insta::assert_snapshot!("failed_switch", screen(&app, 80, 24));

    let mut missing = App::new(
        "us-east-1_Nope1",
        Settings {
            now: app.now(),
            ..Settings::default()
        },
    );
    update(
        &mut missing,
        Msg::Connected(SessionInfo {
            region: Some("us-east-1".into()),
            target: "cognito-idp.us-east-1.amazonaws.com".into(),
            ..session_for("us-east-1_Nope1")
        }),
    );
    update(
        &mut missing,
        Msg::PoolDescribed {
            pool: "us-east-1_Nope1".into(),
            result: Err(not_found("us-east-1_Nope1")),
        },
    );
    insta::assert_snapshot!("start_up_pool_not_found", screen(&missing, 80, 24));

    let mut picker = demo_app();
    let cmds = send(&mut picker, [ch('P')]);
    serve(&mut picker, &cmds[0]);
    send(&mut picker, typed(OTHER));
    insta::assert_snapshot!("picker_typed_id", screen(&picker, 80, 24));
}
