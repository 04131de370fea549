//! "Which pool is this user in?" in the TUI (`A`): the current query asked of every named pool
//! of the config at once, one row per pool, Enter opening a hit in its pool through the
//! checked pool switch. The model with the real worker on the demo (every named pool that is
//! not the demo pool answers "pool not found"), the popup's screens as snapshots, privacy mode,
//! stale answers, tiny terminals; and the real app in tmux against three moto pools, with
//! every request seen at a recording proxy and every lookup in the audit log.

use std::sync::Arc;

use clap::Parser;
use cognito_tui::app::{App, Cmd, Msg, Overlay, PoolResult, Settings, update};
use cognito_tui::audit::AuditLog;
use cognito_tui::cli::Cli;
use cognito_tui::cognito::listing::ListKind;
use cognito_tui::cognito::lookup::{
    Found, LookupError, LookupMode, LookupOutcome, MatchedBy, Resolution, Via,
};
use cognito_tui::cognito::{Attribute, CognitoError, ErrorKind, User, UserStatus};
use cognito_tui::session::{SessionInfo, Target};
use crossterm::event::KeyCode;
use time::macros::datetime;

use crate::common::app::{ch, demo_app_with, key, keymap_with, pinned, screen, send, typed};
use crate::common::emulator::{Emulator, Kind};
use crate::common::joined::Joined;
use crate::common::proxy::RecordingProxy;
use crate::common::{seed, tmux};

const DEMO: &str = "us-east-1_DemoPool1";

/// Three named pools on the demo: the demo pool itself and two the demo doesn't have.
const CONFIG: &str = "[pools.acme]\npool_id = \"us-east-1_DemoPool1\"\n\n\
                      [pools.emea]\npool_id = \"eu-west-1_Emea1\"\n\n\
                      [pools.staging]\npool_id = \"us-east-1_Staging1\"\n";

/// The model joined to a real worker, with the config file it was started with.
struct Driver {
    joined: Joined,
    _dir: tempfile::TempDir,
}

impl std::ops::Deref for Driver {
    type Target = Joined;
    fn deref(&self) -> &Joined {
        &self.joined
    }
}

impl std::ops::DerefMut for Driver {
    fn deref_mut(&mut self) -> &mut Joined {
        &mut self.joined
    }
}

impl Driver {
    /// `--demo --config CONFIG` plus `args`, started with the config's named pools.
    async fn start(config: &str, args: &[&str], audit: Option<Arc<AuditLog>>) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        std::fs::write(&path, config).unwrap();
        let mut argv = vec!["cognito-tui", "--demo", "--config", path.to_str().unwrap()];
        argv.extend(args);
        let cli = Cli::parse_from(argv);
        let target = Target::resolve(&cli.target).expect("target");
        let (pool, demo) = target.pool().expect("pool");
        let app = App::new(
            pool.as_str(),
            Settings {
                demo,
                named_pools: (target.config.pools.iter())
                    .map(|(n, p)| (n.clone(), p.pool_id.clone()))
                    .collect(),
                ..pinned()
            },
        );
        let mut d = Self {
            joined: Joined::spawn(app, target, Some(pool), demo, audit),
            _dir: dir,
        };
        d.until("the start-up description", |m| {
            matches!(m, Msg::PoolDescribed { .. })
        })
        .await;
        d
    }

    /// `A`, and every pool's answer.
    async fn all_pools(&mut self) {
        self.send([ch('A')]);
        let Some(Cmd::LookupAllPools { pools, .. }) = self.sent.last().cloned() else {
            panic!("A asked no pool: {:?}", self.sent.last())
        };
        self.until_n("every pool's answer", pools.len(), |m| {
            matches!(m, Msg::PoolLookupDone { .. })
        })
        .await;
    }
}

fn all(app: &App) -> &cognito_tui::app::AllPools {
    match app.overlay() {
        Overlay::AllPools(all) => all,
        other => panic!("no all-pools popup: {other:?}"),
    }
}

/// Each row as `name: outcome`.
fn outcomes(app: &App) -> Vec<String> {
    (all(app).rows.iter())
        .map(|r| {
            let what = match &r.result {
                PoolResult::Pending => "pending".to_string(),
                PoolResult::Found(f) => format!("found {}", f.user.username),
                PoolResult::NotFound => "not found".into(),
                PoolResult::Ambiguous(a) => format!("ambiguous {}", a.matches.len()),
                PoolResult::Failed { reason, .. } => format!("error: {reason}"),
            };
            format!("{}: {what}", r.name)
        })
        .collect()
}

#[tokio::test]
async fn a_asks_every_named_pool_and_enter_opens_the_hit_in_its_pool() {
    // On a named pool the demo doesn't have: the lookup there can only fail.
    let mut d = Driver::start(CONFIG, &["--pool", "staging"], None).await;
    assert_eq!(d.app.pool_name(), "us-east-1_Staging1");
    d.look_up("alice").await;
    assert!(d.app.user().is_none() && d.app.error().is_some());

    // A: the failed query, in every named pool at once, in config order.
    d.send([ch('A')]);
    let Some(Cmd::LookupAllPools {
        query, mode, pools, ..
    }) = d.sent.last().cloned()
    else {
        panic!("{:?}", d.sent)
    };
    assert_eq!((query.as_str(), mode), ("alice", LookupMode::Auto));
    assert_eq!(pools, ["acme", "emea", "staging"]);
    assert!(d.app.error().is_none(), "the popup replaces the error");
    assert!(d.app.busy(), "the spinner runs while pools are asked");
    insta::assert_snapshot!("allpools_asking", screen(&d.app, 100, 24));

    d.until_n("three answers", 3, |m| {
        matches!(m, Msg::PoolLookupDone { .. })
    })
    .await;
    assert_eq!(
        outcomes(&d.app),
        [
            "acme: found alice",
            "emea: error: pool not found",
            "staging: error: pool not found"
        ]
    );
    assert!(!d.app.busy());
    insta::assert_snapshot!("allpools_answered", screen(&d.app, 100, 24));
    // The selected row's whole error, with its hint.
    d.send([ch('j')]);
    let text = screen(&d.app, 100, 24);
    assert!(
        text.contains("ResourceNotFoundException") && text.contains("eu-west-1_Emea1"),
        "{text}"
    );
    // Enter on a failed pool opens nothing.
    let before = d.sent.len();
    d.send([key(KeyCode::Enter)]);
    assert_eq!(d.sent.len(), before);

    // Enter on the hit: the checked switch to acme, then alice from the answer in hand.
    d.send([ch('k'), key(KeyCode::Enter)]);
    assert!(
        matches!(d.sent.last(), Some(Cmd::SwitchPool { pool, .. }) if pool == "acme"),
        "{:?}",
        d.sent.last()
    );
    assert_eq!(*d.app.overlay(), Overlay::None);
    let from = d.sent.len();
    d.until("the switch", |m| matches!(m, Msg::PoolSwitched { .. }))
        .await;
    assert_eq!(d.app.pool_name(), DEMO);
    let user = d.app.user().expect("alice is shown");
    assert_eq!(user.found.user.username, "alice");
    assert_eq!(user.query, "alice");
    assert!(
        !d.sent[from..]
            .iter()
            .any(|c| matches!(c, Cmd::Lookup { .. })),
        "no second AdminGetUser: {:?}",
        &d.sent[from..]
    );
    assert_eq!(d.app.recent()[0].username, "alice");
}

#[tokio::test]
async fn a_hit_whose_pool_switch_fails_leaves_the_old_pool_and_shows_nothing() {
    use cognito_tui::session::{SessionError, SwitchError};
    let mut d = Driver::start(CONFIG, &["--pool", "staging"], None).await;
    d.look_up("alice").await;
    d.all_pools().await;
    d.send([key(KeyCode::Enter)]);
    let Some(Cmd::SwitchPool { id, .. }) = d.sent.last().cloned() else {
        panic!("{:?}", d.sent.last())
    };
    // The worker's check fails (as for a pool whose credentials expired meanwhile).
    let from = d.sent.len();
    d.send([Msg::PoolSwitched {
        id,
        result: Err(SwitchError::Target(SessionError::NoPool)),
    }]);
    assert_eq!(
        d.app.pool_name(),
        "us-east-1_Staging1",
        "still on the old pool"
    );
    assert!(d.app.user().is_none(), "nothing shown from the other pool");
    assert!(d.sent[from..].is_empty(), "{:?}", &d.sent[from..]);
    let error = d.app.error().expect("the failed switch is said");
    assert!(error.title.starts_with("Still on"), "{error:?}");
    assert!(
        error.message.contains("could not switch to acme"),
        "{error:?}"
    );
    // The worker's own (successful) answer to that switch comes late and is dropped.
    d.until("the worker's answer", |m| {
        matches!(m, Msg::PoolSwitched { .. })
    })
    .await;
    assert_eq!(d.app.pool_name(), "us-east-1_Staging1");
}

#[tokio::test]
async fn an_ambiguous_pool_lists_its_matches_and_enter_opens_one() {
    let mut d = Driver::start(CONFIG, &[], None).await;
    d.look_up("shared@acme.example").await;
    assert!(matches!(d.app.overlay(), Overlay::Picker { .. }));
    d.send([key(KeyCode::Esc)]);
    d.all_pools().await;
    assert_eq!(outcomes(&d.app)[0], "acme: ambiguous 2");
    d.send([key(KeyCode::Enter)]);
    assert_eq!(all(&d.app).picking, Some((0, 0)));
    insta::assert_snapshot!("allpools_picking", screen(&d.app, 100, 24));
    // Esc goes back to the pools, not out.
    d.send([key(KeyCode::Esc)]);
    assert_eq!(all(&d.app).picking, None);
    d.send([key(KeyCode::Enter), ch('j'), key(KeyCode::Enter)]);
    // acme is the pool in use: no switch, one lookup of the match by username.
    let Some(Cmd::Lookup { query, mode, .. }) = d.sent.last().cloned() else {
        panic!("{:?}", d.sent.last())
    };
    assert_eq!(mode, LookupMode::Username);
    d.until("the lookup", |m| matches!(m, Msg::LookupDone { .. }))
        .await;
    assert_eq!(d.app.user().unwrap().found.user.username, query);
}

#[tokio::test]
async fn each_pool_lookup_is_one_audit_line_naming_its_pool() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("audit.jsonl");
    let log = Arc::new(AuditLog::open(&path, None, None).unwrap());
    let mut d = Driver::start(CONFIG, &[], Some(log)).await;
    d.look_up("bob").await;
    d.all_pools().await;
    let lines = crate::common::audit_log::lines(&path);
    let mut pools: Vec<(&str, &str)> = (lines.iter().skip(1))
        .map(|l| (l["pool"].as_str().unwrap(), l["outcome"].as_str().unwrap()))
        .collect();
    pools.sort();
    assert_eq!(lines.len(), 4, "the lookup, then one per pool: {lines:?}");
    assert_eq!(
        pools,
        [
            ("eu-west-1_Emea1", "ResourceNotFoundException"),
            ("us-east-1_DemoPool1", "found"),
            ("us-east-1_Staging1", "ResourceNotFoundException"),
        ]
    );
    assert!(lines.iter().all(|l| l["query"] == "bob"));
}

#[tokio::test]
async fn no_named_pools_says_how_to_name_them_and_a_query_can_be_typed() {
    let mut d = Driver::start("", &[], None).await;
    // Nothing looked up yet: A asks for the query.
    d.send([ch('A')]);
    assert!(all(&d.app).input.is_some());
    d.send(typed("alice"));
    insta::assert_snapshot!("allpools_typing", screen(&d.app, 100, 24));
    d.send([key(KeyCode::Enter)]);
    assert!(
        !d.sent
            .iter()
            .any(|c| matches!(c, Cmd::LookupAllPools { .. })),
        "nowhere to ask"
    );
    let text = screen(&d.app, 100, 24);
    assert!(
        text.contains("[pools.prod]") && text.contains("pool_id ="),
        "{text}"
    );
    insta::assert_snapshot!("allpools_no_named_pools", text);
    d.send([key(KeyCode::Esc)]);
    assert_eq!(*d.app.overlay(), Overlay::None);
}

#[tokio::test]
async fn a_typed_query_is_asked_everywhere_and_stale_answers_are_dropped() {
    let mut d = Driver::start(CONFIG, &[], None).await;
    d.send([ch('A')]);
    d.send(typed("carol"));
    d.send([key(KeyCode::Enter)]);
    let Some(Cmd::LookupAllPools { id: first, .. }) = d.sent.last().cloned() else {
        panic!("{:?}", d.sent.last())
    };
    // Closed and asked again before the first run answered.
    d.send([key(KeyCode::Esc), ch('A')]);
    let Some(Cmd::LookupAllPools {
        id: second, query, ..
    }) = d.sent.last().cloned()
    else {
        panic!("{:?}", d.sent.last())
    };
    assert_ne!(first, second);
    assert_eq!(query, "carol", "the typed query is the current one");
    // The worker stops the first run (its lookups audited as superseded: tests/it/audit.rs);
    // an answer it gave before that is dropped, and only the second's fill the rows.
    d.until_n(
        "the second run",
        3,
        |m| matches!(m, Msg::PoolLookupDone { id, .. } if *id == second),
    )
    .await;
    assert_eq!(outcomes(&d.app)[0], "acme: found carol");
    update(
        &mut d.app,
        Msg::PoolLookupDone {
            id: first,
            pool: "acme".into(),
            session: None,
            result: Err(LookupError::Refused("stale".into())),
        },
    );
    assert_eq!(outcomes(&d.app)[0], "acme: found carol", "stale: dropped");
}

#[tokio::test]
async fn a_late_ambiguous_lookup_waits_behind_the_popup_until_esc() {
    let mut d = Driver::start(CONFIG, &[], None).await;
    // A while the lookup is still out: the popup asks the same query everywhere.
    d.send([ch('/')]);
    d.send(typed("shared@acme.example"));
    d.send([key(KeyCode::Enter), ch('A')]);
    let Some(Cmd::LookupAllPools { query, .. }) = d.sent.last().cloned() else {
        panic!("{:?}", d.sent.last())
    };
    assert_eq!(query, "shared@acme.example");
    d.until_n("the lookup and every pool's answer", 4, |m| {
        matches!(m, Msg::LookupDone { .. } | Msg::PoolLookupDone { .. })
    })
    .await;
    // The lookup came back ambiguous: the popup stays, its picker behind it.
    assert_eq!(
        all(&d.app).behind.as_ref().map(|a| a.matches.len()),
        Some(2)
    );
    assert_eq!(outcomes(&d.app)[0], "acme: ambiguous 2");
    let text = screen(&d.app, 100, 24);
    assert!(text.contains("then lists the 2 users"), "{text}");
    insta::assert_snapshot!("allpools_picker_behind", text);
    d.send([key(KeyCode::Esc)]);
    let Overlay::Picker { ambiguous, cursor } = d.app.overlay() else {
        panic!("{:?}", d.app.overlay())
    };
    assert_eq!((ambiguous.matches.len(), *cursor), (2, 0));
    // The picker then closes as it always does.
    d.send([key(KeyCode::Esc)]);
    assert_eq!(*d.app.overlay(), Overlay::None);
}

#[tokio::test]
async fn the_popup_renders_sanely_on_tiny_and_minimum_terminals() {
    let mut d = Driver::start(CONFIG, &[], None).await;
    d.look_up("alice").await;
    d.all_pools().await;
    for (w, h) in [(10, 20), (10, 4), (1, 1), (59, 15)] {
        let text = screen(&d.app, w, h);
        assert!(text.contains("small") || w < 10, "{w}x{h}: {text}");
    }
    let text = screen(&d.app, 60, 16);
    for row in ["acme", "emea", "staging"] {
        assert!(text.contains(row), "60x16 shows every pool: {text}");
    }
    insta::assert_snapshot!("allpools_60x16", text);
}

#[test]
fn the_welcome_screen_offers_a_with_the_key_the_table_gives_it() {
    let app = crate::common::app::demo_app();
    let line = "A  which pool is a user in? a lookup in every named pool";
    assert!(
        screen(&app, 100, 24).contains(line),
        "{}",
        screen(&app, 100, 24)
    );
    // Rebound in the config's [keys]: the welcome screen names the new key.
    let app = demo_app_with(Settings {
        keymap: keymap_with(&[("all_pools", "W")]),
        ..crate::common::app::demo()
    });
    let text = screen(&app, 100, 24);
    assert!(
        text.contains("W  which pool is a user in?") && !text.contains(line),
        "{text}"
    );
}

fn personal_user() -> User {
    User {
        username: "jo.doe@example.com".into(),
        attributes: vec![
            Attribute::new("sub", "7d1e6c2a-4b3f-4e8d-9a10-5c2b7e4f9a31"),
            Attribute::new("email", "jo.doe@example.com"),
            Attribute::new("name", "Josephine Doe"),
        ],
        created: Some(datetime!(2024-03-01 10:00:00 UTC)),
        last_modified: Some(datetime!(2025-12-01 10:00:00 UTC)),
        enabled: true,
        status: Some(UserStatus::Confirmed),
        mfa_options: None,
        preferred_mfa: None,
        mfa_settings: None,
    }
}

#[test]
fn privacy_mode_masks_the_query_the_usernames_and_the_errors() {
    let mut app = demo_app_with(Settings {
        redact: true,
        named_pools: vec![
            ("acme".to_string(), DEMO.to_string()),
            ("emea".to_string(), "eu-west-1_Emea1".to_string()),
        ],
        ..pinned()
    });
    let email = "jo.doe@example.com";
    app.start_lookup(email, LookupMode::Auto);
    let cmds = send(&mut app, [ch('A')]);
    let [Cmd::LookupAllPools { id, query, .. }] = cmds.as_slice() else {
        panic!("{cmds:?}")
    };
    assert_eq!(query, email, "the worker asks with the real query");
    let found = Found {
        user: personal_user(),
        resolution: Resolution {
            matched_by: MatchedBy::Email,
            via: Via::ListUsers,
            calls: 3,
        },
    };
    let info = |pool: &str| SessionInfo {
        pool: pool.into(),
        region: Some("eu-west-1".into()),
        profile: Some("desk".into()),
        target: "cognito-idp.eu-west-1.amazonaws.com".into(),
    };
    update(
        &mut app,
        Msg::PoolLookupDone {
            id: *id,
            pool: "acme".into(),
            session: Some(info(DEMO)),
            result: Ok(LookupOutcome::Found(Box::new(found))),
        },
    );
    update(
        &mut app,
        Msg::PoolLookupDone {
            id: *id,
            pool: "emea".into(),
            session: Some(info("eu-west-1_Emea1")),
            result: Err(LookupError::Cognito(CognitoError::new(
                ErrorKind::AccessDenied,
                "AdminGetUser",
                format!("not allowed to read {email}"),
            ))),
        },
    );
    let answered = screen(&app, 100, 24);
    send(&mut app, [ch('j')]);
    let error = screen(&app, 100, 24);
    for text in [&answered, &error] {
        for personal in [email, "jo.doe", "Josephine"] {
            assert!(!text.contains(personal), "{personal} drawn:\n{text}");
        }
    }
    assert!(answered.contains("j•••@e•••.com"), "{answered}");
    assert!(error.contains("access denied"), "{error}");
    insta::assert_snapshot!("allpools_private", error);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn moto_the_real_app_finds_the_pool_a_user_is_in_and_opens_it_there() {
    use crate::common::emulator::BulkUser;
    let Some(moto) = Emulator::start(Kind::Moto) else {
        return;
    };
    let client = seed::client(&moto.url());
    let (north, south, west) = (
        seed::create_pool(&client, "desk-north").await,
        seed::create_pool(&client, "desk-south").await,
        seed::create_pool(&client, "desk-west").await,
    );
    let someone = |name: &str| BulkUser {
        username: name.into(),
        attributes: vec![("email".into(), format!("{name}@example.com"))],
        password: None,
        disabled: false,
    };
    moto.create_users(&north, &[someone("niamh")]);
    moto.create_users(&south, &[someone("casey"), someone("sol")]);
    moto.create_users(&west, &[someone("wren")]);
    let proxy = RecordingProxy::start(moto.addr).await;

    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    let url = proxy.url();
    let named = |name: &str, id: &str, profile: &str| {
        format!(
            "[pools.{name}]\npool_id = \"{id}\"\nendpoint_url = \"{url}\"\nregion = \"{}\"\n\
             profile = \"{profile}\"\n\n",
            seed::REGION
        )
    };
    std::fs::write(
        &config,
        [
            named("north", &north, "desk-n"),
            named("south", &south, "desk-s"),
            named("west", &west, "desk-w"),
        ]
        .concat(),
    )
    .unwrap();
    // Each pool's profile, with moto's dummy keys.
    let credentials = dir.path().join("credentials");
    std::fs::write(
        &credentials,
        ["desk-n", "desk-s", "desk-w"]
            .map(|p| format!("[{p}]\naws_access_key_id = test\naws_secret_access_key = test\n"))
            .concat(),
    )
    .unwrap();
    let audit = dir.path().join("audit.jsonl");
    let args: Vec<String> = [
        "--config",
        config.to_str().unwrap(),
        "--pool",
        "north",
        "--lookup",
        "casey",
        "--audit-log",
        audit.to_str().unwrap(),
        "--log-file",
        dir.path().join("tui.log").to_str().unwrap(),
    ]
    .map(String::from)
    .to_vec();
    let credentials_file = credentials.to_str().unwrap().to_string();
    let no_config = dir.path().join("no-aws-config").display().to_string();
    let screens = tokio::task::spawn_blocking(move || {
        let env = [
            ("AWS_EC2_METADATA_DISABLED", "true"),
            ("AWS_SHARED_CREDENTIALS_FILE", credentials_file.as_str()),
            ("AWS_CONFIG_FILE", no_config.as_str()),
        ];
        let t = tmux::Tmux::spawn(env!("CARGO_BIN_EXE_cognito-tui"), &args, &env, 110, 30);
        // Not in the pool in use: exactly when to ask the others.
        let missing = t.wait_for("No such user");
        t.type_text("A");
        let answered = t.wait_for("in 1 of 3 named pools");
        // south is the second row.
        t.keys(&["Down", "Enter"]);
        let opened = t.wait_for_all(&["desk-south (", "Username casey"]);
        t.type_text("q");
        assert_eq!(t.wait_exit().0, 0);
        [missing, answered, opened]
    })
    .await
    .unwrap();
    let answered = &screens[1];
    for line in [
        format!("north {north}"),
        format!("south {south}"),
        format!("west  {west}"),
    ] {
        assert!(answered.contains(&line), "{line}\n{answered}");
    }
    assert!(
        answered.contains("✓ found casey FORCE_CHANGE_PASSWORD"),
        "{answered}"
    );
    assert_eq!(answered.matches("not found").count(), 2, "{answered}");

    // At the emulator: each pool got its own AdminGetUser; the switch described south, and
    // opening the hit asked nothing again.
    let gets = proxy.pools_of("AdminGetUser");
    let count = |pool: &str| gets.iter().filter(|p| *p == pool).count();
    assert_eq!(count(&north), 2, "--lookup, then A: {gets:?}");
    assert_eq!(
        count(&south),
        1,
        "found once, not asked again on Enter: {gets:?}"
    );
    assert_eq!(count(&west), 1, "{gets:?}");
    assert!(proxy.pools_of("DescribeUserPool").contains(&south));

    // The audit log: one line per pool, each naming that pool's own profile and Region.
    let lines = crate::common::audit_log::lines(&audit);
    // The first lookup is --lookup's (the connection's `tui_session` start line is no lookup).
    let mut per_pool: Vec<(String, String, String)> = (lines.iter())
        .filter(|l| l["action"] == "lookup")
        .skip(1)
        .map(|l| {
            let s = |k: &str| l[k].as_str().unwrap_or_default().to_string();
            (s("pool"), s("profile"), s("outcome"))
        })
        .collect();
    per_pool.sort();
    let mut want = vec![
        (north.clone(), "desk-n".to_string(), "not_found".to_string()),
        (south.clone(), "desk-s".into(), "found".into()),
        (west.clone(), "desk-w".into(), "not_found".into()),
    ];
    want.sort();
    assert_eq!(per_pool, want, "{lines:?}");
    assert!(
        lines.iter().all(|l| l["region"] == seed::REGION),
        "{lines:?}"
    );
    // One start line per connection: the start-up pool's, then the pool switched to.
    let starts: Vec<&str> = (lines.iter().filter(|l| l["phase"] == "start"))
        .map(|l| l["pool"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(starts, [north.as_str(), south.as_str()], "{lines:?}");
}

/// Enter on a hit in a pool with threat protection, from one without (the demo's Lite pool),
/// with the Sign-ins pane open: the user's sign-ins are fetched in the new pool, not refused
/// with the old pool's "no threat protection" (the new pool's settings count before the
/// user it brings is shown). The refusal in the Lite pool first is the control.
#[tokio::test]
async fn a_hit_opened_in_a_pool_with_threat_protection_reads_its_sign_ins() {
    let config = "[pools.lite]\npool_id = \"us-east-1_DemoLite1\"\n\n\
                  [pools.acme]\npool_id = \"us-east-1_DemoPool1\"\n";
    let mut d = Driver::start(config, &["--pool", "lite"], None).await;
    d.look_up("lena").await;
    d.send([ch('6')]);
    let text = screen(&d.app, 120, 30);
    assert!(text.contains("no threat protection"), "{text}");

    d.send([ch('/')]);
    d.send(typed("alice"));
    d.send([key(KeyCode::Enter)]);
    d.until("alice's lookup", |m| matches!(m, Msg::LookupDone { .. }))
        .await;
    d.all_pools().await;
    assert_eq!(outcomes(&d.app), ["lite: not found", "acme: found alice"]);
    d.send([ch('j'), key(KeyCode::Enter)]);
    let from = d.sent.len();
    d.until("the switch", |m| matches!(m, Msg::PoolSwitched { .. }))
        .await;
    assert_eq!(d.app.pool_name(), DEMO);
    assert!(
        d.sent[from..].iter().any(|c| matches!(
            c,
            Cmd::FetchList { list: ListKind::SignIns, username, .. } if username == "alice"
        )),
        "alice's sign-ins are asked for in acme: {:?}",
        &d.sent[from..]
    );
    let text = screen(&d.app, 120, 30);
    assert!(!text.contains("no threat protection"), "{text}");
}
