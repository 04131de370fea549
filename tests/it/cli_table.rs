//! `-o table` through the real binary: golden tables of the demo pool at several terminal
//! widths (`COLUMNS`), every line measured by an oracle of its own (display width by grapheme
//! cluster, unicode-width, not the product's `width.rs`), and cells cut with `…` between
//! whole clusters, never inside one. The AWS CLI's byte-for-byte agreement on the widths it
//! draws is in `cli_query.rs`.

use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

use crate::common::emulator::{Emulator, Kind};
use crate::common::{cli, seed};

/// Runs the binary with `COLUMNS` set (stdout is a pipe, so only `COLUMNS` sizes the table).
fn with_columns(columns: Option<&str>, args: &[&str]) -> cli::Run {
    let home = tempfile::tempdir().unwrap();
    let mut command = cli::command(home.path());
    if let Some(columns) = columns {
        command.env("COLUMNS", columns);
    }
    command.args(args);
    cli::run(command)
}

/// Display cells of `line`, by grapheme cluster.
fn cells(line: &str) -> usize {
    line.graphemes(true).map(|g| g.width()).sum()
}

/// Every line's width, checked against `columns`: exactly (a stream's tables) or at most.
fn assert_widths(stdout: &str, columns: usize, exactly: bool) {
    assert!(!stdout.is_empty(), "no table");
    for line in stdout.lines() {
        let w = cells(line);
        match exactly {
            true => assert_eq!(w, columns, "{line:?}\n{stdout}"),
            false => assert!(w <= columns, "{w} > {columns}: {line:?}\n{stdout}"),
        }
    }
}

#[test]
fn get_draws_the_aws_table_sized_to_the_terminal() {
    for columns in ["100", "50", "30"] {
        let run = with_columns(Some(columns), &["--demo", "get", "alice", "-o", "table"]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert_widths(&run.stdout, columns.parse().unwrap(), false);
        insta::assert_snapshot!(format!("get_alice_table_{columns}"), run.stdout);
    }
    // Not a terminal and no COLUMNS: the AWS CLI's 80, turned vertical to fit.
    let run = with_columns(None, &["--demo", "get", "alice", "-o", "table"]);
    assert_widths(&run.stdout, 80, false);
    assert!(run.stdout.contains("|  Username  "), "{}", run.stdout);
}

#[test]
fn search_draws_one_section_per_user() {
    let args = ["--demo", "search", "al", "-o", "table", "--limit", "2"];
    let run = with_columns(Some("120"), &args);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_widths(&run.stdout, 120, false);
    insta::assert_snapshot!("search_al_table_120", run.stdout);
}

#[test]
fn export_tables_are_all_the_terminals_width() {
    let args = ["--demo", "export", "-o", "table", "--streams", "1"];
    let run = with_columns(Some("72"), &args);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_widths(&run.stdout, 72, true);
    let tables = run.stdout.matches("ListUsers").count();
    let users = with_columns(None, &["--demo", "export", "--streams", "1"]);
    assert_eq!(tables, users.stdout.lines().count(), "one table per user");
    let first: Vec<&str> = run
        .stdout
        .lines()
        .take_while(|l| !l.contains("bob"))
        .collect();
    insta::assert_snapshot!("export_first_user_table_72", first.join("\n"));
}

/// Values whose clusters are several chars each: flags (two regional indicators), a
/// decomposed é (e + U+0301), CJK (two cells each).
const FLAGS: &str = "🇩🇪🇫🇷🇮🇹🇪🇸🇬🇧🇯🇵🇧🇷🇨🇦🇳🇴🇸🇪🇫🇮🇵🇱";
const ACCENTS: &str = "e\u{301}e\u{301}e\u{301}e\u{301}e\u{301}e\u{301}e\u{301}e\u{301}e\u{301}e\u{301}e\u{301}e\u{301}e\u{301}e\u{301}e\u{301}e\u{301}e\u{301}e\u{301}e\u{301}e\u{301}";
const CJK: &str = "日本語日本語日本語日本語日本語日本語日本語";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn narrow_tables_cut_cells_between_whole_clusters() {
    let Some(moto) = Emulator::start(Kind::Moto) else {
        return;
    };
    let client = seed::client(&moto.url());
    let pool = seed::create_pool(&client, "narrow").await;
    let attributes = [("name", ACCENTS), ("nickname", FLAGS), ("family_name", CJK)];
    seed::create_user(&client, &pool, "wide", &attributes).await;
    let url = moto.url();
    let (narrow, wide) = cli::blocking(move || {
        let target = cli::target(&pool, &url);
        let args = [&["get", "wide", "-o", "table"][..], &target].concat();
        (
            with_columns(Some("34"), &args),
            with_columns(Some("400"), &args),
        )
    })
    .await;
    let run = narrow;
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_widths(&run.stdout, 34, false);
    let mut cut = 0;
    for line in run.stdout.lines() {
        let indicators = line
            .chars()
            .filter(|c| ('\u{1F1E6}'..='\u{1F1FF}').contains(c));
        assert_eq!(indicators.count() % 2, 0, "a flag split: {line:?}");
        if let Some((before, _)) = line.split_once('…') {
            cut += 1;
            let cell = before.rsplit('|').next().unwrap().trim_start();
            if cell.contains('\u{301}') {
                assert!(cell.ends_with('\u{301}'), "an accent cut off: {line:?}");
            }
        }
    }
    // The control: the three long values were cut, and are shown whole when there is room.
    assert!(cut >= 3, "{}", run.stdout);
    for value in [FLAGS, ACCENTS, CJK] {
        assert!(wide.stdout.contains(value), "{}", wide.stdout);
    }
}
