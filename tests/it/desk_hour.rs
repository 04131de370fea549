//! The desk's second hour (issue 22), in the real binary under tmux: a list written from
//! the TUI is the whole list or says it is not, the pool picker keeps the named pools when
//! ListUserPools fails, a failed lookup doesn't leave the previous user looking current,
//! search reopens with its last query, and F1 opens the help from every mode.

use crate::common::emulator::{BulkUser, Emulator, Kind};
use crate::common::{seed, tmux};

/// Two ListUsers pages: browse shows the first 60 until asked for the rest.
const USERS: usize = 75;

fn csv_rows(path: &std::path::Path) -> usize {
    csv::Reader::from_path(path).unwrap().records().count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ctrl_s_says_a_partial_list_is_partial_and_enter_writes_the_whole_list() {
    let Some(moto) = Emulator::start(Kind::Moto) else {
        return;
    };
    let client = seed::client(&moto.url());
    let pool = seed::create_pool(&client, "partial").await;
    let users: Vec<BulkUser> = (0..USERS)
        .map(|i| BulkUser {
            username: format!("user{i:03}"),
            attributes: vec![("email".into(), format!("user{i:03}@example.com"))],
            password: None,
            disabled: false,
        })
        .collect();
    moto.create_users(&pool, &users);
    let dir = tempfile::tempdir().unwrap();
    let (loaded, whole) = (dir.path().join("loaded.csv"), dir.path().join("whole.csv"));
    let audit = dir.path().join("audit.jsonl");
    let mut args: Vec<String> = crate::common::cli::target(&pool, &moto.url())
        .iter()
        .map(|s| s.to_string())
        .collect();
    for extra in ["--log-file", dir.path().join("tui.log").to_str().unwrap()]
        .into_iter()
        .chain(["--audit-log", audit.to_str().unwrap()])
    {
        args.push(extra.into());
    }
    let (p1, p2) = (loaded.clone(), whole.clone());
    let screens = tokio::task::spawn_blocking(move || {
        let t = tmux::Tmux::spawn_tui(&args, 120, 30);
        t.wait_for("No user loaded");
        t.type_text("b");
        t.wait_for("60 users loaded");
        // The prompt says the list is partial and offers both.
        t.keys(&["C-s"]);
        let prompt = t.wait_for_all(&["Save CSV as", "60 loaded — more pages not loaded"]);
        assert!(prompt.contains("Enter loads the rest"), "{prompt}");
        // Ctrl-S again: only what is loaded, and the result says so.
        t.keys(&["C-u"]);
        t.type_text(p1.to_str().unwrap());
        t.keys(&["C-s"]);
        let partial = t.wait_for("✓ wrote 60 loaded — more pages not loaded");
        // Enter: the rest is loaded first, then the whole list written.
        t.keys(&["C-s"]);
        t.wait_for("Save CSV as");
        t.keys(&["C-u"]);
        t.type_text(p2.to_str().unwrap());
        t.keys(&["Enter"]);
        let complete = t.wait_for(&format!("✓ wrote {USERS} users to"));
        t.keys(&["Escape"]);
        t.type_text("q");
        assert_eq!(t.wait_exit().0, 0);
        [prompt, partial, complete]
    })
    .await
    .unwrap();
    assert_eq!(csv_rows(&loaded), 60, "{}", screens[1]);
    assert_eq!(csv_rows(&whole), USERS, "{}", screens[2]);
    // The audit line of each export says which it was.
    let log = std::fs::read_to_string(&audit).unwrap();
    let exports: Vec<serde_json::Value> = log
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .filter(|v: &serde_json::Value| v["action"] == "export_list")
        .collect();
    assert_eq!(exports.len(), 2, "{log}");
    assert_eq!(exports[0]["query"], "60 loaded — more pages not loaded");
    assert_eq!(exports[0]["count"], 60);
    assert_eq!(exports[1]["query"], "whole list");
    assert_eq!(exports[1]["count"], USERS);
}

/// A stub Cognito that refuses ListUserPools as Cognito does when the credentials are not
/// accepted (the service model's error shape: `__type` and `message`, HTTP 400), and
/// describes any pool it is asked about.
async fn pools_denied_stub() -> wiremock::MockServer {
    use wiremock::matchers::{header, method};
    use wiremock::{Mock, MockServer, ResponseTemplate};
    let server = MockServer::start().await;
    let target = "x-amz-target";
    Mock::given(method("POST"))
        .and(header(
            target,
            "AWSCognitoIdentityProviderService.ListUserPools",
        ))
        .respond_with(
            ResponseTemplate::new(400)
                .insert_header("x-amzn-ErrorType", "UnrecognizedClientException")
                .set_body_json(serde_json::json!({
                    "__type": "UnrecognizedClientException",
                    "message": "The security token included in the request is invalid."
                })),
        )
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(header(
            target,
            "AWSCognitoIdentityProviderService.DescribeUserPool",
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "UserPool": {"Id": "eu-west-2_Second22", "Name": "second", "EstimatedNumberOfUsers": 3}
        })))
        .mount(&server)
        .await;
    server
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_pool_picker_lists_the_named_pools_when_list_user_pools_is_refused() {
    let stub = pools_denied_stub().await;
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    let url = stub.uri();
    std::fs::write(
        &config,
        format!(
            "[pools.first]\npool_id = \"us-east-1_First111\"\nendpoint_url = \"{url}\"\n\n\
             [pools.second]\npool_id = \"eu-west-2_Second22\"\nendpoint_url = \"{url}\"\n"
        ),
    )
    .unwrap();
    let args: Vec<String> = [
        "--config",
        config.to_str().unwrap(),
        "--endpoint-url",
        &url,
        "--region",
        "us-east-1",
        "--log-file",
        dir.path().join("tui.log").to_str().unwrap(),
    ]
    .map(String::from)
    .to_vec();
    let screens = tokio::task::spawn_blocking(move || {
        let t = tmux::Tmux::spawn_tui(&args, 80, 24);
        // Started without a pool: the picker opens on its own.
        let picker = t.wait_for_all(&["Choose a user pool", "pools not listed"]);
        // The second named pool, drawn, is the one Enter opens.
        t.keys(&["Down", "Enter"]);
        let switched = t.wait_until(
            "the switch to the second pool",
            tmux::DEFAULT_TIMEOUT,
            |s| !s.contains("Choose a user pool") && s.contains("eu-west-2_Second22"),
        );
        t.keys(&["C-c"]);
        t.wait_exit();
        [picker, switched]
    })
    .await
    .unwrap();
    let picker = &screens[0];
    for row in [
        "first                  us-east-1_First111",
        "second                 eu-west-2_Second22",
    ] {
        let row_start = row.split_whitespace().next().unwrap();
        let line = picker
            .lines()
            .find(|l| l.contains(row_start) && l.contains("config"))
            .unwrap_or_else(|| panic!("{row}: a row of its own\n{picker}"));
        assert!(
            line.contains(row.split_whitespace().last().unwrap()),
            "{line}"
        );
    }
    assert!(picker.contains("config eu-west-2"), "its Region: {picker}");
    assert!(picker.contains("UnrecognizedClientException"), "{picker}");
    assert!(picker.contains("2 of 2 pools"), "{picker}");
}

/// A pool both named in the config and listed by ListUserPools is one row, the named one.
#[test]
fn a_pool_both_named_and_listed_appears_once() {
    use crate::common::app::{ch, demo_app_with, pinned, send, serve};
    use cognito_tui::app::{PoolSource, Settings};
    let demo_id = cognito_tui::cognito::demo::DemoBackend::embedded()
        .pool_id()
        .to_string();
    let mut app = demo_app_with(Settings {
        named_pools: vec![("desk".into(), demo_id.clone())],
        ..pinned()
    });
    let cmds = send(&mut app, [ch('P')]);
    let mut left = cmds;
    while let Some(cmd) = left.pop() {
        left.extend(serve(&mut app, &cmd));
    }
    let rows: Vec<_> = app
        .pool_matches()
        .into_iter()
        .filter(|p| p.id == demo_id)
        .collect();
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0].source, PoolSource::Named);
    // Positive control: ListUserPools did list it.
    assert!(app.pools().pages >= 1, "{:?}", app.pools());
}

/// The picker when ListUserPools failed (no Region, no network): the named pools listed,
/// the error one line beneath them, at 80×24 and 60×16.
#[test]
fn pool_picker_with_list_user_pools_failed_snapshots() {
    use crate::common::app::{ch, demo_app_with, pinned, screen, send};
    use cognito_tui::app::{Cmd, Msg, Settings, update};
    use cognito_tui::cognito::{CognitoError, ErrorKind};
    let mut app = demo_app_with(Settings {
        named_pools: vec![
            ("prod".into(), "eu-west-1_AbC123".into()),
            ("staging".into(), "ap-southeast-2_StagingPool9".into()),
        ],
        ..pinned()
    });
    let cmds = send(&mut app, [ch('P')]);
    let [Cmd::ListPools { id, .. }] = cmds.as_slice() else {
        panic!("{cmds:?}")
    };
    let mut error = CognitoError::new(
        ErrorKind::Network,
        "ListUserPools",
        "dispatch failure: no Region was configured",
    );
    error.exception = None;
    update(
        &mut app,
        Msg::PoolsPage {
            id: *id,
            result: Err(error),
        },
    );
    let wide = screen(&app, 80, 24);
    for needle in [
        "prod",
        "eu-west-1_AbC123",
        "staging",
        "config ap-southeast-2",
    ] {
        assert!(wide.contains(needle), "{needle}\n{wide}");
    }
    insta::assert_snapshot!("picker_list_failed_80x24", wide);
    insta::assert_snapshot!("picker_list_failed_60x16", screen(&app, 60, 16));
}

/// The real binary on the demo pool, in an 80×24 tmux.
fn demo_tui(extra: &[&str]) -> (tmux::Tmux, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("tui.log");
    let mut args = vec!["--demo", "--log-file", log.to_str().unwrap()];
    args.extend_from_slice(extra);
    let t = tmux::Tmux::spawn(
        env!("CARGO_BIN_EXE_cognito-tui"),
        &args,
        &tmux::TUI_ENV,
        80,
        24,
    );
    (t, dir)
}

#[test]
fn a_failed_lookup_says_the_user_shown_is_not_its_answer_until_the_next_lookup() {
    let (t, _dir) = demo_tui(&["--lookup", "alice"]);
    t.wait_for("Username alice");
    t.type_text("/");
    t.type_text("zzqqxx-nobody");
    t.keys(&["Enter"]);
    t.wait_for("No such user");
    t.keys(&["Escape"]);
    let stale = t.wait_for("showing alice — the lookup for \"zzqqxx-nobody\" found no one");
    assert!(stale.contains("Username alice"), "{stale}");
    // The next lookup that finds someone takes the line away.
    t.type_text("u");
    t.type_text("bob");
    t.keys(&["Enter"]);
    let next = t.wait_for("Username bob");
    assert!(!next.contains("found no one"), "{next}");
    t.keys(&["C-c"]);
    assert_eq!(t.wait_exit().0, 0);
}

/// Looks `query` up with `/` and serves every command it gives.
fn look_up(app: &mut cognito_tui::app::App, query: &str) {
    use crate::common::app::{ch, key, send, serve, typed};
    send(app, [ch('/')]);
    send(app, typed(query));
    let mut left = send(app, [key(crossterm::event::KeyCode::Enter)]);
    while let Some(cmd) = left.pop() {
        left.extend(serve(app, &cmd));
    }
}

#[test]
fn stale_user_line_snapshots() {
    use crate::common::app::{key, pinned_demo_app, screen, send};
    let mut app = pinned_demo_app();
    look_up(&mut app, "alice");
    look_up(&mut app, "zzqqxx-nobody");
    send(&mut app, [key(crossterm::event::KeyCode::Esc)]);
    let wide = screen(&app, 80, 24);
    assert!(wide.contains("found no one"), "{wide}");
    insta::assert_snapshot!("stale_user_80x24", wide);
    insta::assert_snapshot!("stale_user_60x16", screen(&app, 60, 16));
}

#[test]
fn search_reopens_with_its_last_query_selected_typing_replaces_and_end_appends() {
    let (t, _dir) = demo_tui(&[]);
    t.wait_for("No user loaded");
    t.type_text("t");
    t.type_text("ali");
    t.wait_for("alice");
    t.keys(&["Escape"]);
    t.wait_until("the search to close", tmux::DEFAULT_TIMEOUT, |s| {
        !s.contains("Search ›")
    });
    // Reopened on the last query; typing replaces it.
    t.type_text("t");
    t.wait_for("Search › ali");
    t.type_text("bo");
    let replaced = t.wait_for("Search › bo");
    assert!(!replaced.contains("Search › alibo"), "{replaced}");
    t.wait_for("bob");
    t.keys(&["Escape"]);
    t.wait_until("the search to close", tmux::DEFAULT_TIMEOUT, |s| {
        !s.contains("Search ›")
    });
    // → keeps it: what is typed next is appended.
    t.type_text("t");
    t.wait_for("Search › bo");
    t.keys(&["Right"]);
    t.type_text("b");
    t.wait_for("Search › bob");
    t.keys(&["Escape"]);
    t.wait_until("the search to close", tmux::DEFAULT_TIMEOUT, |s| {
        !s.contains("Search ›")
    });
    // End too.
    t.type_text("t");
    t.wait_for("Search › bob");
    t.keys(&["End"]);
    t.type_text("x");
    t.wait_for("Search › bobx");
    t.keys(&["C-c"]);
    assert_eq!(t.wait_exit().0, 0);
}

/// Waits until the help is gone from the screen.
fn help_closed(t: &tmux::Tmux) -> String {
    t.wait_until("the help to close", tmux::DEFAULT_TIMEOUT, |s| {
        !s.contains("Help: key bindings")
    })
}

#[test]
fn f1_opens_the_help_from_every_mode_and_closing_it_returns_there() {
    let (t, _dir) = demo_tui(&[]);
    t.wait_for("No user loaded");
    // Browse: the footer names the filter and save keys; `?` is typed into the filter.
    t.type_text("b");
    let browse = t.wait_for_all(&["kenji.tanaka", "Ctrl-T filter", "Ctrl-S save"]);
    assert!(
        browse.contains("F1 "),
        "the footer points at the help: {browse}"
    );
    t.type_text("?");
    t.wait_for("Filter › ?");
    t.keys(&["F1"]);
    t.wait_for("Help: key bindings");
    t.keys(&["Escape"]);
    let back = help_closed(&t);
    assert!(back.contains("Filter › ?"), "back in browse: {back}");
    t.keys(&["BSpace", "Escape"]);
    t.wait_for("No user loaded");
    // The lookup bar: F1, then back to what was typed.
    t.type_text("/");
    t.type_text("alice");
    t.keys(&["F1"]);
    t.wait_for("Help: key bindings");
    t.keys(&["F1"]);
    let back = help_closed(&t);
    assert!(
        back.contains("Look up (username, alias or sub) › alice"),
        "{back}"
    );
    t.keys(&["Enter"]);
    t.wait_for("Username alice");
    // The full-value popup: `?` (no line has focus there).
    t.keys(&["Enter"]);
    t.wait_until("the value popup", tmux::DEFAULT_TIMEOUT, |s| {
        s.contains("copy")
    });
    t.type_text("?");
    t.wait_for("Help: key bindings");
    // The help's filter matches words in descriptions: "disabled" finds the status filter.
    t.type_text("/");
    t.type_text("disabled");
    let filtered = t.wait_for("Ctrl-T");
    assert!(filtered.contains("filter by status"), "{filtered}");
    t.keys(&["C-c"]);
    assert_eq!(t.wait_exit().0, 0);
}

#[test]
fn the_browse_filter_reads_a_phone_number_as_typed_in_national_format() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    std::fs::write(&config, "default_country = \"GB\"\n").unwrap();
    let (t, _dir) = demo_tui(&["--config", config.to_str().unwrap()]);
    t.wait_for("No user loaded");
    t.type_text("b");
    t.wait_for("kenji.tanaka");
    // erin's +447700900123, as a British caller reads it out.
    t.type_text("07700 900123");
    let screen = t.wait_until("the filter to narrow", tmux::DEFAULT_TIMEOUT, |s| {
        s.contains("erin") && !s.contains("alice@")
    });
    assert!(screen.contains("Filter › 07700 900123"), "{screen}");
    t.keys(&["C-c"]);
    assert_eq!(t.wait_exit().0, 0);
}

#[test]
fn at_80x24_the_first_blocker_its_fix_and_the_browse_filter_are_in_sight() {
    use crate::common::app::{ch, ctrl, pinned_demo_app, screen, send, serve};
    let mut app = pinned_demo_app();
    look_up(&mut app, "grace");
    let user = screen(&app, 80, 24);
    // grace is disabled: the verdict's first blocker and what to do about it, unscrolled.
    let sign_in = user
        .lines()
        .position(|l| l.contains("Sign-in"))
        .unwrap_or_else(|| panic!("{user}"));
    let verdict: String = user.lines().skip(sign_in).take(4).collect();
    assert!(verdict.contains("disabled"), "{verdict}");
    insta::assert_snapshot!("blocker_80x24", user);
    insta::assert_snapshot!("blocker_60x16", screen(&app, 60, 16));

    // Browse with a status filter: the title says which, first.
    let mut left = send(&mut app, [ch('b'), ctrl('t'), ctrl('t')]);
    while let Some(cmd) = left.pop() {
        left.extend(serve(&mut app, &cmd));
    }
    let browse = screen(&app, 80, 24);
    assert!(
        browse.contains("Browse · status = \"Disabled\""),
        "{browse}"
    );
    // The notice is longer than the line: it wraps onto a second rather than being cut.
    send(&mut app, [ctrl('s')]);
    let prompt = screen(&app, 80, 24);
    assert!(prompt.contains("cancels"), "{prompt}");
    insta::assert_snapshot!("browse_filtered_prompt_60x16", screen(&app, 60, 16));
}
