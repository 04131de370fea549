//! A list written from the TUI (Ctrl-S in browse) has every column `cognito-tui export -o csv`
//! writes for the same users, cell for cell: Sub and the dates included, which the browse
//! store used to drop. On the demo pool through the model, and on moto through the real app.

use std::collections::BTreeMap;

use cognito_tui::app::{App, Cmd, EXPORT_ATTRIBUTES, Msg};

use crate::common::app::{ch, demo_app, export_to, search, send, serve};
use crate::common::cli;
use crate::common::emulator::{BulkUser, Emulator, Kind};
use crate::common::{seed, tmux};

/// A CSV table keyed by its first column (Username), with its header.
type Table = (Vec<String>, BTreeMap<String, Vec<String>>);

fn parse(csv_text: &str) -> Table {
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    let header = reader.headers().unwrap().iter().map(String::from).collect();
    let mut rows = BTreeMap::new();
    for record in reader.records() {
        let record: Vec<String> = record.unwrap().iter().map(String::from).collect();
        assert!(
            rows.insert(record[0].clone(), record.clone()).is_none(),
            "one row per user: {record:?}"
        );
    }
    (header, rows)
}

/// `--attributes` as the TUI's export writes them.
fn attributes_flag() -> String {
    EXPORT_ATTRIBUTES.join(",")
}

/// Every row of `tui` equals the CLI's row for that user, and no column that the CLI fills
/// is empty in every row of the TUI's file (the defect this guards against).
fn assert_same_cells(tui: &Table, exported: &Table, expected_users: usize) {
    assert_eq!(tui.0, exported.0, "same header");
    assert_eq!(tui.1.len(), expected_users, "{:?}", tui.1.keys());
    for (username, row) in &tui.1 {
        let want = exported
            .1
            .get(username)
            .unwrap_or_else(|| panic!("{username} is not in the export"));
        assert_eq!(row, want, "{username}: every column the same");
    }
    for (i, column) in ["Sub", "UserCreateDate", "UserLastModifiedDate"]
        .iter()
        .map(|c| (tui.0.iter().position(|h| h == c).unwrap(), c))
    {
        assert!(
            tui.1.values().all(|r| !r[i].is_empty()),
            "{column} is filled in every row"
        );
    }
}

/// Sends `msgs`, serving the browse pages the demo backend answers, until none is left.
/// `export --demo EXTRA… -o csv --attributes …`: the CLI's side of each comparison.
fn demo_csv_export(extra: &[&str]) -> cli::Run {
    let attributes = attributes_flag();
    let args = [
        &["export", "--demo"][..],
        extra,
        &["-o", "csv", "--attributes", &attributes],
    ]
    .concat();
    cli::run_args(&args)
}

fn drive(app: &mut App, msgs: impl IntoIterator<Item = Msg>) -> Vec<Cmd> {
    let mut left = send(app, msgs);
    let mut other = Vec::new();
    while let Some(cmd) = left.pop() {
        match cmd {
            Cmd::BrowsePage { .. } => left.extend(serve(app, &cmd)),
            cmd => other.push(cmd),
        }
    }
    other
}

#[test]
fn demo_browse_export_has_every_column_of_export_o_csv() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("browse.csv");
    let mut app = demo_app();
    drive(&mut app, [ch('b')]);
    let shown = app.browse().match_count();
    assert!(shown > 10, "the demo pool's users are listed: {shown}");
    let users = export_to(&mut app, &path);
    // The worker's half, for real.
    assert_eq!(cognito_tui::worker::write_csv(&path, &users), Ok(shown));
    let tui = parse(&std::fs::read_to_string(&path).unwrap());

    let run = demo_csv_export(&[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let exported = parse(&run.stdout);
    assert_eq!(exported.1.len(), shown, "the whole demo pool either way");
    assert_same_cells(&tui, &exported, shown);
}

#[test]
fn demo_browse_export_in_privacy_mode_is_masked_as_export_redact_is() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("masked.csv");
    let mut app = crate::common::app::demo_app_with(cognito_tui::app::Settings {
        redact: true,
        ..crate::common::app::pinned()
    });
    drive(&mut app, [ch('b')]);
    let shown = app.browse().match_count();
    let users = export_to(&mut app, &path);
    assert!(
        app.notice().unwrap().contains("masked"),
        "{:?}",
        app.notice()
    );
    assert_eq!(cognito_tui::worker::write_csv(&path, &users), Ok(shown));
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(!text.contains("alice@acme.example"), "{text}");
    let run = demo_csv_export(&["--redact"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_same_cells(&parse(&text), &parse(&run.stdout), shown);
}

#[test]
fn demo_search_export_has_every_column_of_export_o_csv() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("search.csv");
    let mut app = demo_app();
    search(&mut app, "sam");
    let users = export_to(&mut app, &path);
    let n = cognito_tui::worker::write_csv(&path, &users).unwrap();
    assert!(n > 1, "{n}");
    let tui = parse(&std::fs::read_to_string(&path).unwrap());
    let run = demo_csv_export(&[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_same_cells(&tui, &parse(&run.stdout), n);
}

/// Users in the moto pool: two ListUsers pages, so load-all reads more than one.
const MOTO_USERS: usize = 75;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn moto_browse_export_from_the_real_app_matches_export_o_csv() {
    let Some(moto) = Emulator::start(Kind::Moto) else {
        return;
    };
    let client = seed::client(&moto.url());
    let pool = client
        .create_user_pool()
        .pool_name("browse-export")
        .send()
        .await
        .expect("CreateUserPool")
        .user_pool
        .and_then(|p| p.id)
        .expect("pool id");
    let users: Vec<BulkUser> = (0..MOTO_USERS)
        .map(|i| BulkUser {
            username: format!("user{i:03}"),
            attributes: vec![
                ("email".into(), format!("user{i:03}@example.com")),
                ("phone_number".into(), format!("+1555010{i:04}")),
                ("name".into(), format!("=User {i}")),
            ],
            password: (i % 3 == 0).then(|| "Passw0rd!Passw0rd".into()),
            disabled: i % 10 == 0,
        })
        .collect();
    moto.create_users(&pool, &users);

    let dir = tempfile::tempdir().unwrap();
    let csv_path = dir.path().join("browse.csv");
    let target = [
        "--endpoint-url",
        &moto.url(),
        "--region",
        seed::REGION,
        "--pool",
        &pool,
    ]
    .map(String::from);
    let mut args = target.to_vec();
    args.extend([
        "--log-file".into(),
        dir.path().join("tui.log").display().to_string(),
    ]);
    let path = csv_path.clone();
    let written = tokio::task::spawn_blocking(move || {
        let t = tmux::Tmux::spawn_tui(&args, 120, 30);
        t.wait_for("No user loaded");
        t.type_text("b");
        t.wait_for("60 users loaded");
        t.keys(&["C-l"]);
        t.wait_for(&format!("{MOTO_USERS} users loaded"));
        t.keys(&["C-s"]);
        t.wait_for("Save CSV as");
        t.keys(&["C-u"]);
        t.type_text(path.to_str().unwrap());
        t.keys(&["Enter"]);
        let written = t.wait_for(&format!("wrote {MOTO_USERS} users"));
        t.keys(&["Escape"]);
        t.type_text("q");
        assert_eq!(t.wait_exit().0, 0);
        written
    })
    .await
    .unwrap();
    let tui = parse(&std::fs::read_to_string(&csv_path).unwrap());

    let home = tempfile::tempdir().unwrap();
    let mut export = cli::command(home.path());
    export
        .arg("export")
        .args(&target)
        .args(["-o", "csv", "--attributes", &attributes_flag()]);
    let run = cli::run(export);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_same_cells(&tui, &parse(&run.stdout), MOTO_USERS);
    // The formula-looking name is neutralised in both, the same way.
    let user = &tui.1["user001"];
    assert_eq!(user.last().unwrap(), "'=User 1", "{written}");
}
