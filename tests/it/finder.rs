//! Issue 15 in the finders: honest load-all progress, "did you mean" on not-found (TUI and
//! `get`, one ListUsers and no extra AdminGetUser), type-ahead results as each filter
//! answers, and which field a row matched.

use cognito_tui::app::{App, Cmd, Finder, Msg, update};
use cognito_tui::cognito::demo::DemoBackend;
use cognito_tui::cognito::lookup::{self, LookupError, LookupMode};
use cognito_tui::cognito::{Attribute, FilterAttribute, UserSummary};
use cognito_tui::search::{SearchHit, SearchResults};
use cognito_tui::ui;
use crossterm::event::KeyCode;
use futures::executor::block_on;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use crate::common::app::{ch, demo_app, key, send, serve, typed};
use crate::common::cli::{self, run_args};
use crate::common::emulator::{Emulator, Kind};
use crate::common::proxy::RecordingProxy;
use crate::common::seed;

fn screen(app: &App, width: u16, height: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|f| ui::view(app, f)).unwrap();
    let buf = terminal.backend().buffer().clone();
    let mut out = String::new();
    for y in 0..buf.area.height {
        for x in 0..buf.area.width {
            out.push_str(buf[(x, y)].symbol());
        }
        out.push('\n');
    }
    out
}

/// Looks `query` up the way the TUI's worker does (with suggestions on not-found).
fn look_up_suggesting(app: &mut App, query: &str) {
    let Cmd::Lookup { id, mode, .. } = app.start_lookup(query, LookupMode::Auto) else {
        unreachable!()
    };
    let demo = DemoBackend::embedded();
    let pool = demo.pool_id();
    let result = block_on(lookup::lookup(&demo, &pool, query, mode, None));
    let result = block_on(lookup::suggest(&demo, &pool, mode, result));
    update(app, Msg::LookupDone { id, result });
}

#[test]
fn a_typo_offers_the_closest_users_and_enter_opens_one() {
    let mut app = demo_app();
    look_up_suggesting(&mut app, "alcie");
    assert_eq!(app.finder(), Some(Finder::Search));
    assert!(screen(&app, 80, 24).contains(r#"no user is "alcie""#));
    let results = app.search().results.as_ref().expect("suggestions");
    assert_eq!(results.hits[0].user.username, "alice");
    insta::assert_snapshot!("did_you_mean", screen(&app, 80, 24));
    // Enter opens the suggestion: one AdminGetUser by username, as any open.
    let cmds = send(&mut app, [key(KeyCode::Enter)]);
    assert!(
        matches!(&cmds[..], [Cmd::Lookup { query, mode: LookupMode::Username, .. }] if query == "alice"),
        "{cmds:?}"
    );
    assert_eq!(app.finder(), None);
    serve(&mut app, &cmds[0]);
    assert_eq!(app.user().unwrap().found.user.username, "alice");

    // Nothing close: the error alone, no finder.
    let mut app = demo_app();
    look_up_suggesting(&mut app, "zzzzqq");
    assert!(app.error().is_some());
    assert_eq!(app.finder(), None);
}

#[test]
fn the_suggestion_costs_one_list_users_and_says_so() {
    let demo = DemoBackend::embedded();
    let pool = demo.pool_id();
    let result = block_on(lookup::lookup(
        &demo,
        &pool,
        "alcie",
        LookupMode::Auto,
        None,
    ));
    let err = block_on(lookup::suggest(&demo, &pool, LookupMode::Auto, result)).unwrap_err();
    let LookupError::NotFound {
        tried,
        calls,
        suggestions,
        ..
    } = &err
    else {
        panic!("{err:?}")
    };
    // AdminGetUser, the preferred_username fallback, then the one prefix search.
    assert_eq!(*calls, 3, "{tried:?}");
    assert_eq!(
        tried.last().unwrap(),
        r#"ListUsers username ^= "al" for suggestions: 1 close"#
    );
    assert_eq!(suggestions[0].username, "alice");
}

#[test]
fn get_lists_the_suggestions_on_stderr() {
    let r = run_args(&["get", "--demo", "alcie", "-o", "json"]);
    assert_eq!(r.code, 3, "{}", r.stderr);
    assert!(r.stdout.is_empty(), "{}", r.stdout);
    assert!(
        r.stderr.contains("hint: did you mean alice?"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr
            .contains("3 requests in all, no AdminGetUser for them")
    );
    assert!(r.stderr.lines().any(|l| l.trim() == "alice"));
    let r = run_args(&["get", "--demo", "zzzzqq"]);
    assert_eq!(r.code, 3);
    assert!(
        r.stderr.contains("no user is close to it either"),
        "{}",
        r.stderr
    );
}

/// Against moto, through a recording proxy: a typo costs AdminGetUser, the fallback and one
/// ListUsers for suggestions, and never a second AdminGetUser.
#[tokio::test(flavor = "multi_thread")]
async fn on_moto_the_suggestion_is_one_list_users() {
    let Some(moto) = Emulator::start(Kind::Moto) else {
        return;
    };
    let seeded = seed::seed(&seed::client(&moto.url())).await;
    let proxy = RecordingProxy::start(moto.addr).await;
    let (url, pool) = (proxy.url(), seeded.alias_pool.clone());
    let r = tokio::task::spawn_blocking(move || {
        run_args(&[&["get"][..], &cli::target(&pool, &url), &["alcie"]].concat())
    })
    .await
    .unwrap();
    assert_eq!(r.code, 3, "{}", r.stderr);
    assert!(r.stderr.contains("did you mean alice?"), "{}", r.stderr);
    let seen = proxy.take();
    assert_eq!(
        seen.iter().filter(|o| o.contains("AdminGetUser")).count(),
        1,
        "{seen:?}"
    );
    assert_eq!(
        seen.iter().filter(|o| o.contains("ListUsers")).count(),
        2,
        "{seen:?}"
    );
}

/// On tokio's paused clock, so the load-all's reading rate is exactly what the test makes it.
#[tokio::test(start_paused = true)]
async fn load_all_progress_uses_the_estimate_and_says_so() {
    let mut app = demo_app();
    let cmds = send(&mut app, [ch('b')]);
    let [Cmd::BrowsePage { id, .. }] = cmds.as_slice() else {
        panic!("{cmds:?}")
    };
    // The first page of a big pool: the demo's users but one, and a token for more pages.
    let backend = DemoBackend::embedded();
    let mut page = block_on(cognito_tui::search::browse::fetch_page(
        &backend,
        &backend.pool_id(),
        None,
        None,
    ))
    .unwrap();
    let last = page.users.pop().expect("the demo pool has users");
    page.next_token = Some("next".into());
    let id = *id;
    update(
        &mut app,
        Msg::BrowsePage {
            id,
            result: Ok(page),
        },
    );
    let cmds = send(&mut app, [cognito_tui_ctrl_l()]);
    let Some(Cmd::LoadAll { id, .. }) = cmds.first() else {
        panic!("{cmds:?}")
    };
    let id = *id;
    update(
        &mut app,
        Msg::LoadAllEstimate {
            id,
            users: Some(10_000),
        },
    );
    // The load-all's first page, one user, 1/300 s after it started: 300 users a second.
    tokio::time::advance(std::time::Duration::from_secs_f64(1.0 / 300.0)).await;
    let page = cognito_tui::cognito::UserPage {
        users: vec![last],
        next_token: Some("more".into()),
    };
    update(
        &mut app,
        Msg::BrowsePage {
            id,
            result: Ok(page),
        },
    );
    let (fraction, left) = app.browse().progress().unwrap();
    assert!((fraction - 0.0027).abs() < 0.001, "{fraction}");
    assert!((left.unwrap() - 33.24).abs() < 0.1);
    let shown = screen(&app, 80, 24);
    insta::assert_snapshot!("load_all_estimated", shown);
    assert!(
        !shown.contains("more pages"),
        "no scroll hint while loading"
    );

    // Done: said plainly, and an empty filter no longer says "more pages may hold one".
    let page = cognito_tui::cognito::UserPage::default();
    update(
        &mut app,
        Msg::BrowsePage {
            id,
            result: Ok(page),
        },
    );
    update(&mut app, Msg::LoadAllDone { id, result: Ok(()) });
    send(&mut app, typed("qqqqq"));
    let shown = screen(&app, 80, 24);
    assert!(shown.contains("everything is loaded"), "{shown}");
    assert!(shown.contains("no user in the pool matches"), "{shown}");
    assert!(!shown.contains("may hold one"), "{shown}");
}

fn cognito_tui_ctrl_l() -> Msg {
    crate::common::app::ctrl('l')
}

#[test]
fn search_results_show_as_each_filter_answers() {
    let mut app = demo_app();
    send(&mut app, [ch('t')]);
    let cmds = send(&mut app, typed("ali"));
    let Some(Cmd::Search { id, .. }) = cmds.last() else {
        panic!("{cmds:?}")
    };
    let alice = UserSummary {
        username: "alice".into(),
        attributes: vec![Attribute::new("email", "alice@acme.example")],
        enabled: true,
        ..Default::default()
    };
    let partial = SearchResults {
        query: "ali".into(),
        hits: vec![SearchHit {
            user: alice,
            score: 1,
            highlights: Default::default(),
            matched_by: vec![FilterAttribute::Username],
        }],
        requests: 6,
        waiting: vec![FilterAttribute::Name, FilterAttribute::Email],
        ..Default::default()
    };
    update(
        &mut app,
        Msg::SearchDone {
            id: *id,
            results: partial,
        },
    );
    assert_eq!(app.search().pending, Some(*id), "still searching");
    let shown = screen(&app, 80, 24);
    assert!(shown.contains("searching 2 more attributes…"), "{shown}");
    assert!(shown.contains("1 match so far"), "{shown}");
    assert!(
        shown.contains("alice@acme.example"),
        "the first answer shows at once"
    );
    // The final answer ends the search.
    serve(&mut app, cmds.last().unwrap());
    assert_eq!(app.search().pending, None);
    assert!(!screen(&app, 80, 24).contains("more attributes"));
}

/// A lowercase name whose first answers found no one says what is still out, never
/// "0 matches", until the last filter answers.
#[test]
fn partial_results_with_no_hits_say_what_is_still_searched() {
    let mut app = demo_app();
    send(&mut app, [ch('t')]);
    let cmds = send(&mut app, typed("kowal"));
    let Some(Cmd::Search { id, .. }) = cmds.last() else {
        panic!("{cmds:?}")
    };
    let partial = SearchResults {
        query: "kowal".into(),
        requests: 2,
        waiting: vec![
            FilterAttribute::GivenName,
            FilterAttribute::Email,
            FilterAttribute::Name,
            FilterAttribute::FamilyName,
            FilterAttribute::PreferredUsername,
        ],
        ..Default::default()
    };
    update(
        &mut app,
        Msg::SearchDone {
            id: *id,
            results: partial,
        },
    );
    let shown = screen(&app, 80, 24);
    assert!(shown.contains("searching 5 more attributes…"), "{shown}");
    assert!(shown.contains("no match yet"), "{shown}");
    assert!(!shown.contains("0 matches"), "{shown}");
    // Positive control: the final, empty answer does say so.
    let done = SearchResults {
        query: "kowal".into(),
        requests: 12,
        ..Default::default()
    };
    update(
        &mut app,
        Msg::SearchDone {
            id: *id,
            results: done,
        },
    );
    let shown = screen(&app, 80, 24);
    assert!(shown.contains("0 matches"), "{shown}");
    assert!(!shown.contains("more attributes"), "{shown}");
}

#[test]
fn browse_filter_says_which_field_matched() {
    let mut app = demo_app();
    let cmds = send(&mut app, [ch('b')]);
    for cmd in &cmds {
        serve(&mut app, cmd);
    }
    send(&mut app, typed("tanaka"));
    let shown = screen(&app, 80, 24);
    insta::assert_snapshot!("browse_match_field", shown);
    assert!(shown.contains("Match"), "{shown}");
}

/// Wide enough, the lists gain Name and Phone; privacy mode masks both as it masks the email.
#[test]
fn name_and_phone_columns_show_when_wide_and_are_masked_in_privacy_mode() {
    let mut app = demo_app();
    look_up_suggesting(&mut app, "alcie");
    let narrow = screen(&app, 60, 16);
    assert!(
        !narrow.contains("Name") && !narrow.contains("Phone"),
        "{narrow}"
    );
    let wide = screen(&app, 120, 40);
    assert!(
        wide.contains("Alice Anders") && wide.contains("+15550100001"),
        "{wide}"
    );
    let mut private = demo_app();
    send(&mut private, [ch('p')]);
    look_up_suggesting(&mut private, "alcie");
    let masked = screen(&private, 120, 40);
    assert!(
        masked.contains("Name") && masked.contains("Phone"),
        "{masked}"
    );
    assert!(!masked.contains("Alice Anders"), "{masked}");
    assert!(!masked.contains("0100001"), "{masked}");
}
