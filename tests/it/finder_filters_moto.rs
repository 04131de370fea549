//! The browse filter and the list export in the real TUI against moto, with every request
//! counted at a proxy: a status filter costs one ListUsers (Cognito filters; we don't read
//! the whole pool to filter it here), and Ctrl-S writes exactly the filtered list as CSV.

use aws_sdk_cognitoidentityprovider as cip;
use cip::types::{AttributeType, MessageActionType};

use crate::common::emulator::{Emulator, Kind};
use crate::common::proxy::RecordingProxy;
use crate::common::{cli, seed, tmux};

/// Users in the pool: three pages of ListUsers.
const USERS: usize = 130;
/// The disabled ones; one with a name a spreadsheet would run as a formula.
const DISABLED: [&str; 3] = ["off.one", "off.two", "off.formula"];
const FORMULA: &str = "=HYPERLINK(\"http://evil.example\",\"click\")";

async fn fill(client: &cip::Client) -> String {
    let pool = seed::create_pool(client, "filters").await;
    let names = (0..USERS - DISABLED.len())
        .map(|i| format!("user{i:03}"))
        .chain(DISABLED.iter().map(|s| s.to_string()));
    for name in names {
        let mut attributes = vec![
            AttributeType::builder()
                .name("email")
                .value(format!("{name}@example.com"))
                .build()
                .unwrap(),
        ];
        if name == "off.formula" {
            attributes.push(
                AttributeType::builder()
                    .name("name")
                    .value(FORMULA)
                    .build()
                    .unwrap(),
            );
        }
        client
            .admin_create_user()
            .user_pool_id(&pool)
            .username(&name)
            .message_action(MessageActionType::Suppress)
            .set_user_attributes(Some(attributes))
            .send()
            .await
            .unwrap_or_else(|e| panic!("AdminCreateUser {name}: {e:?}"));
    }
    for name in DISABLED {
        client
            .admin_disable_user()
            .user_pool_id(&pool)
            .username(name)
            .send()
            .await
            .expect("AdminDisableUser");
    }
    pool
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn moto_status_filter_is_one_list_users_and_the_export_holds_exactly_the_filtered_users() {
    let Some(moto) = Emulator::start(Kind::Moto) else {
        return;
    };
    let pool = fill(&seed::client(&moto.url())).await;
    let proxy = RecordingProxy::start(moto.addr).await;
    let dir = tempfile::tempdir().unwrap();
    let csv_path = dir.path().join("disabled.csv");
    let log = dir.path().join("tui.log");
    let url = proxy.url();
    let args: Vec<String> = [
        &cli::target(&pool, &url)[..],
        &["--log-file", log.to_str().unwrap()],
    ]
    .concat()
    .into_iter()
    .map(String::from)
    .collect();
    let path = csv_path.clone();
    let screens = tokio::task::spawn_blocking(move || {
        let t = tmux::Tmux::spawn_tui(&args, 120, 30);
        t.wait_for("No user loaded");
        t.type_text("b");
        let browse = t.wait_for("60 users loaded");
        t.keys(&["C-t"]);
        t.wait_for_all(&["status = \"Enabled\"", "60 users loaded"]);
        t.keys(&["C-t"]);
        let disabled = t.wait_for_all(&["status = \"Disabled\"", "3 users loaded"]);
        t.keys(&["C-s"]);
        t.wait_for("Save CSV as");
        t.keys(&["C-u"]);
        t.type_text(path.to_str().unwrap());
        t.keys(&["Enter"]);
        let written = t.wait_for("wrote 3 users");
        t.keys(&["Escape"]);
        t.type_text("q");
        assert_eq!(t.wait_exit().0, 0);
        [browse, disabled, written]
    })
    .await
    .unwrap();

    let seen = proxy.seen();
    let list_users = seen.iter().filter(|o| *o == "ListUsers").count();
    // The first page, the first page of "Enabled", the one page of "Disabled". Filtering
    // here would have read all three pages to find the three disabled users.
    assert_eq!(list_users, 3, "{seen:?}\n{}", screens[1]);
    assert!(
        !seen.iter().any(|o| o == "AdminGetUser"),
        "browsing bills no user: {seen:?}"
    );

    let mut reader = csv::Reader::from_path(&csv_path).unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let mut names: Vec<&str> = rows.iter().map(|r| &r[0]).collect();
    names.sort();
    let mut want = DISABLED.to_vec();
    want.sort();
    assert_eq!(names, want, "{}", screens[2]);
    let formula = rows.iter().find(|r| &r[0] == "off.formula").unwrap();
    assert_eq!(
        &formula[8],
        format!("'{FORMULA}"),
        "the formula is neutralised"
    );
    assert!(rows.iter().all(|r| &r[3] == "false"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn moto_type_ahead_tries_the_case_variants_and_says_which_matched() {
    use cognito_tui::app::{App, Msg, TimeZone, update};
    use cognito_tui::cognito::PoolId;
    use cognito_tui::search::variants::search_with_case_variants;

    let Some(moto) = Emulator::start(Kind::Moto) else {
        return;
    };
    let client = seed::client(&moto.url());
    let pool = seed::create_pool(&client, "case").await;
    for name in ["Smithers", "smithy", "jones"] {
        client
            .admin_create_user()
            .user_pool_id(&pool)
            .username(name)
            .message_action(MessageActionType::Suppress)
            .send()
            .await
            .expect("AdminCreateUser");
    }
    let backend = seed::backend(moto.url()).await;
    let pool = PoolId::parse(&pool).unwrap();
    let names = |r: &cognito_tui::search::SearchResults| {
        let mut n: Vec<String> = r.hits.iter().map(|h| h.user.username.clone()).collect();
        n.sort();
        n
    };

    // As typed, moto's username prefix is case-sensitive: "smith" finds smithy only; the
    // Capitalised variant finds Smithers.
    let plain = cognito_tui::search::search(&backend, &pool, "smith", None).await;
    assert_eq!(names(&plain), ["smithy"], "moto's ^= is case-sensitive");
    let r = search_with_case_variants(&backend, &pool, "smith", None).await;
    assert_eq!(names(&r), ["Smithers", "smithy"]);
    assert_eq!(r.case_variants, ["Smith"]);
    assert!(
        r.requests > plain.requests,
        "the variant cost its own requests"
    );

    // Typed in capitals: nothing as typed, the lower-case variant is the one named.
    let r = search_with_case_variants(&backend, &pool, "SMITH", None).await;
    assert_eq!(names(&r), ["Smithers", "smithy"]);
    assert_eq!(r.case_variants, ["smith", "Smith"]);

    // Already lower case and matching exactly what exists: no variant is named.
    let r = search_with_case_variants(&backend, &pool, "jon", None).await;
    assert_eq!(names(&r), ["jones"]);
    assert!(r.case_variants.is_empty());

    // The search list says which variant matched.
    let mut app = App::new(
        pool.as_str(),
        cognito_tui::app::Settings {
            tz: TimeZone::Fixed(time::UtcOffset::UTC),
            ..Default::default()
        },
    );
    // Connected, as the worker says once it has its client (else the header says
    // "connecting…" over a search that was answered).
    let connected = cognito_tui::session::SessionInfo {
        pool: pool.as_str().into(),
        region: Some("us-east-1".into()),
        profile: None,
        target: "the endpoint".into(),
    };
    update(&mut app, Msg::Connected(connected));
    update(
        &mut app,
        Msg::Key(crossterm::event::KeyEvent::from(
            crossterm::event::KeyCode::Char('t'),
        )),
    );
    let cmds: Vec<_> = "SMITH"
        .chars()
        .flat_map(|c| {
            update(
                &mut app,
                Msg::Key(crossterm::event::KeyEvent::from(
                    crossterm::event::KeyCode::Char(c),
                )),
            )
        })
        .collect();
    let Some(cognito_tui::app::Cmd::Search { id, .. }) = cmds.last() else {
        panic!("{cmds:?}")
    };
    let r = search_with_case_variants(&backend, &pool, "SMITH", None).await;
    update(
        &mut app,
        Msg::SearchDone {
            id: *id,
            results: r,
        },
    );
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(100, 16)).unwrap();
    terminal.draw(|f| cognito_tui::ui::view(&app, f)).unwrap();
    let buf = terminal.backend().buffer().clone();
    let screen: String = (0..buf.area.height)
        .map(|y| {
            let line: String = (0..buf.area.width)
                .map(|x| buf[(x, y)].symbol().to_string())
                .collect();
            line.trim_end().to_string() + "\n"
        })
        .collect();
    assert!(
        screen.contains("matched as \"smith\" and \"Smith\""),
        "{screen}"
    );
    insta::assert_snapshot!("search_case_variant", screen.replace(pool.as_str(), "POOL"));
}
