//! Browse filtered server-side by status / enabled (Ctrl-T), and the finder's list written to
//! a CSV file you name (Ctrl-S), on the embedded demo pool: the commands the model sends, the
//! worker's half run for real, the file parsed back, and snapshots of the new screens.

use cognito_tui::app::{App, Cmd, EXPORT_ATTRIBUTES, Msg, update};
use cognito_tui::cognito::{FilterAttribute, ListFilter};
use cognito_tui::tabular::FIXED_COLUMNS;
use cognito_tui::ui;
use crossterm::event::KeyCode;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use crate::common::app::{
    ch, ctrl, demo_first_page, export_to, key, pinned_demo_app as demo_app, search, send, serve,
    typed,
};

/// Sends `msgs`, serving each command the demo backend can answer, until none is left.
fn drive(app: &mut App, msgs: impl IntoIterator<Item = Msg>) -> Vec<Cmd> {
    let mut all = Vec::new();
    let mut queue: Vec<Cmd> = send(app, msgs);
    while let Some(cmd) = queue.pop() {
        all.push(cmd.clone());
        if matches!(cmd, Cmd::BrowsePage { .. }) {
            queue.extend(serve(app, &cmd));
        }
    }
    all
}

fn screen(app: &App, width: u16, height: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|f| ui::view(app, f)).unwrap();
    let buf = terminal.backend().buffer().clone();
    (0..buf.area.height)
        .map(|y| {
            let line: String = (0..buf.area.width)
                .map(|x| buf[(x, y)].symbol().to_string())
                .collect();
            line.trim_end().to_string() + "\n"
        })
        .collect()
}

fn usernames_shown(app: &App) -> Vec<String> {
    let mut names: Vec<String> = app
        .browse()
        .matches()
        .map(|i| app.browse().store.row(i as usize).username.to_string())
        .collect();
    names.sort();
    names
}

#[test]
fn ctrl_t_asks_cognito_for_each_filter_in_turn() {
    let mut app = demo_app();
    let cmds = drive(&mut app, [ch('b')]);
    assert!(matches!(
        cmds.as_slice(),
        [Cmd::BrowsePage { filter: None, .. }]
    ));
    let everyone = usernames_shown(&app).len();

    let expected = [
        (FilterAttribute::Status, "Enabled"),
        (FilterAttribute::Status, "Disabled"),
        (FilterAttribute::UserStatus, "CONFIRMED"),
        (FilterAttribute::UserStatus, "UNCONFIRMED"),
        (FilterAttribute::UserStatus, "FORCE_CHANGE_PASSWORD"),
        (FilterAttribute::UserStatus, "RESET_REQUIRED"),
    ];
    for (attribute, value) in expected {
        let cmds = drive(&mut app, [ctrl('t')]);
        // One request, with the filter in it: the narrowing is Cognito's, not ours.
        assert_eq!(
            cmds,
            vec![Cmd::BrowsePage {
                id: match &cmds[0] {
                    Cmd::BrowsePage { id, .. } => *id,
                    _ => unreachable!(),
                },
                token: None,
                filter: Some(ListFilter::exact(attribute, value)),
            }]
        );
        let want = demo_first_page(|u| match attribute {
            FilterAttribute::Status => u.enabled == (value == "Enabled"),
            _ => u.status.as_ref().map(|s| s.as_wire()) == Some(value),
        });
        assert_eq!(usernames_shown(&app), want, "{value}");
        assert!(app.notice().unwrap().contains(value), "{:?}", app.notice());
    }
    // After the last filter, none again: every user.
    let cmds = drive(&mut app, [ctrl('t')]);
    assert!(matches!(
        cmds.as_slice(),
        [Cmd::BrowsePage { filter: None, .. }]
    ));
    assert_eq!(usernames_shown(&app).len(), everyone);
}

#[test]
fn the_local_filter_narrows_within_the_server_filter_and_load_all_keeps_it() {
    let mut app = demo_app();
    drive(&mut app, [ch('b'), ctrl('t'), ctrl('t')]);
    assert_eq!(
        usernames_shown(&app),
        demo_first_page(|u| !u.enabled),
        "Disabled"
    );
    drive(&mut app, typed("jud"));
    assert_eq!(usernames_shown(&app), ["judy"]);
    insta::assert_snapshot!("browse_disabled_filtered", screen(&app, 100, 20));
    // Load-all carries the server filter in its pager.
    let mut app = demo_app();
    drive(&mut app, [ch('b'), ctrl('t')]);
    let cmds = send(&mut app, [ctrl('l')]);
    assert!(
        cmds.iter()
            .all(|c| !matches!(c, Cmd::LoadAll { pager, .. } if pager.filter.is_none())),
        "{cmds:?}"
    );
}

#[test]
fn ctrl_s_writes_the_filtered_list_to_a_new_csv_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("disabled.csv");
    let mut app = demo_app();
    drive(&mut app, [ch('b'), ctrl('t'), ctrl('t')]);
    assert!(send(&mut app, [ctrl('s')]).is_empty());
    insta::assert_snapshot!("export_prompt", screen(&app, 100, 20));
    send(&mut app, [ctrl('u')]);
    send(&mut app, typed(path.to_str().unwrap()));
    let cmds = send(&mut app, [key(KeyCode::Enter)]);
    let [
        Cmd::ExportList {
            id, path: p, users, ..
        },
    ] = cmds.as_slice()
    else {
        panic!("{cmds:?}")
    };
    assert_eq!(p, &path);
    assert_eq!(
        app.finder(),
        Some(cognito_tui::app::Finder::Browse),
        "still browsing"
    );
    // The worker's half, for real.
    let result = cognito_tui::worker::write_csv(p, users);
    update(
        &mut app,
        Msg::ExportDone {
            id: *id,
            result: result.clone(),
        },
    );
    let disabled = demo_first_page(|u| !u.enabled);
    assert_eq!(result, Ok(disabled.len()));
    assert!(
        app.notice().unwrap().starts_with("✓ wrote 3 users to"),
        "{:?}",
        app.notice()
    );

    let mut reader = csv::Reader::from_path(&path).unwrap();
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    let want: Vec<String> = FIXED_COLUMNS
        .iter()
        .chain(EXPORT_ATTRIBUTES.iter())
        .map(|s| s.to_string())
        .collect();
    assert_eq!(header, want);
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let mut names: Vec<&str> = rows.iter().map(|r| &r[0]).collect();
    names.sort();
    assert_eq!(names, disabled);
    for r in &rows {
        assert_eq!(&r[3], "false", "Enabled column: {r:?}");
    }
    let judy = rows.iter().find(|r| &r[0] == "judy").unwrap();
    assert_eq!(&judy[6], "judy@acme.example");

    // The same name again: the file is kept, and the agent told.
    let again = cognito_tui::worker::write_csv(&path, users);
    assert_eq!(
        again.unwrap_err().to_string(),
        "the file exists: choose another name"
    );
    // Esc closes the prompt without writing; an empty name is refused.
    send(&mut app, [ctrl('s'), ctrl('u')]);
    assert!(send(&mut app, [key(KeyCode::Enter)]).is_empty());
    assert!(app.export_prompt().is_some());
    send(&mut app, [key(KeyCode::Esc)]);
    assert!(app.export_prompt().is_none());
    assert_eq!(app.finder(), Some(cognito_tui::app::Finder::Browse));
}

#[test]
fn ctrl_s_exports_search_results_with_full_columns_and_safe_cells() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("search.csv");
    let mut app = demo_app();
    search(&mut app, "mallory");
    let users = export_to(&mut app, &path);
    assert_eq!(cognito_tui::worker::write_csv(&path, &users), Ok(1));
    let mut reader = csv::Reader::from_path(&path).unwrap();
    let row = reader.records().next().unwrap().unwrap();
    assert_eq!(&row[0], "mallory");
    assert!(!row[1].is_empty(), "search hits carry the sub: {row:?}");
    assert!(!row[4].is_empty(), "and the dates: {row:?}");
    // Every cell a spreadsheet would run as a formula starts with '.
    for cell in row.iter() {
        assert!(
            !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
            "{cell:?}"
        );
    }
}

fn summary(username: &str, tenant: &str) -> cognito_tui::cognito::UserSummary {
    use cognito_tui::cognito::{Attribute, UserSummary};
    UserSummary {
        username: username.into(),
        attributes: vec![
            Attribute {
                name: "email".into(),
                value: Some(format!("{username}@example.com")),
            },
            Attribute {
                name: "custom:tenant".into(),
                value: Some(tenant.into()),
            },
        ],
        created: None,
        last_modified: None,
        enabled: true,
        status: None,
    }
}

#[test]
fn search_attributes_from_the_config_are_matched_by_the_browse_filter() {
    let config = cognito_tui::config::parse(
        "search_attributes = [\"custom:tenant\"]\n",
        std::path::Path::new("test.toml"),
    )
    .unwrap();
    assert_eq!(config.search_attributes, ["custom:tenant"]);

    let page = cognito_tui::cognito::UserPage {
        users: vec![
            summary("ann", "umbrella"),
            summary("ben", "initech"),
            summary("cat", "umbrella"),
        ],
        next_token: None,
    };
    let matched = |attributes: &[String]| {
        let mut app = crate::common::app::demo_app_with(cognito_tui::app::Settings {
            search_attributes: attributes.to_vec(),
            ..crate::common::app::pinned()
        });
        let cmds = send(&mut app, [ch('b')]);
        let [Cmd::BrowsePage { id, .. }] = cmds.as_slice() else {
            panic!("{cmds:?}")
        };
        update(
            &mut app,
            Msg::BrowsePage {
                id: *id,
                result: Ok(page.clone()),
            },
        );
        send(&mut app, typed("umbrella"));
        usernames_shown(&app)
    };
    assert_eq!(matched(&config.search_attributes), ["ann", "cat"]);
    assert!(
        matched(&[]).is_empty(),
        "without the config the tenant is not matched"
    );
}

#[test]
fn a_bad_search_attribute_is_located_in_the_config() {
    let err = cognito_tui::config::parse(
        "search_attributes = [\"custom:tenant\", \"\"]\n",
        std::path::Path::new("test.toml"),
    )
    .unwrap_err();
    assert_eq!((err.line, err.column), (Some(1), Some(39)), "{err}");
    assert!(err.to_string().contains("search_attributes"), "{err}");
}
