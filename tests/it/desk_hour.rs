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
