//! The type-ahead search cache: Ctrl-R in the search asks Cognito again, bypassing it (its
//! expiry after 60 s is a unit test in `search`, on tokio's paused clock).

use std::time::Duration;

use clap::Parser;
use cognito_tui::app::{App, Cmd, Msg, update};
use cognito_tui::cli::Cli;
use cognito_tui::session;
use cognito_tui::worker;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

fn ch(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

#[test]
fn ctrl_r_in_the_search_forgets_the_cache_and_searches_at_once() {
    let mut app = App::new("us-east-1_DemoPool1", crate::common::app::pinned());
    let mut cmds = Vec::new();
    for c in "tal".chars() {
        cmds.extend(update(&mut app, ch(c)));
    }
    assert!(
        matches!(cmds.last(), Some(Cmd::Search { query, .. }) if query == "al"),
        "{cmds:?}"
    );
    let ctrl_r = Msg::Key(KeyEvent::new(KeyCode::Char('r'), KeyModifiers::CONTROL));
    let cmds = update(&mut app, ctrl_r);
    assert!(matches!(cmds[0], Cmd::ForgetSearchCache), "{cmds:?}");
    let Some(Cmd::Search {
        id,
        query,
        debounce_ms,
    }) = cmds.get(1)
    else {
        panic!("{cmds:?}")
    };
    assert_eq!((query.as_str(), *debounce_ms), ("al", 0));
    assert_eq!(app.search().pending, Some(*id));
    assert_eq!(
        app.search().input.text,
        "al",
        "Ctrl-R is not typed into the query"
    );
}

/// Sends `cmd` and waits for the search answer with `id`; returns how many requests it cost.
async fn searched(
    jobs: &tokio::sync::mpsc::UnboundedSender<Cmd>,
    msgs: &mut tokio::sync::mpsc::UnboundedReceiver<Msg>,
    id: u64,
    query: &str,
) -> usize {
    jobs.send(Cmd::Search {
        id,
        query: query.into(),
        debounce_ms: 0,
    })
    .unwrap();
    let wait = async {
        loop {
            // Partial answers (filters still out) come first; the final one has none waiting.
            if let Some(Msg::SearchDone { id: got, results }) = msgs.recv().await
                && got == id
                && results.waiting.is_empty()
            {
                return results.requests;
            }
        }
    };
    tokio::time::timeout(Duration::from_secs(10), wait)
        .await
        .expect("search answered")
}

#[tokio::test]
async fn the_worker_answers_from_the_cache_until_told_to_forget_it() {
    let cli = Cli::parse_from(["cognito-tui", "--demo", "--config", "/dev/null"]);
    let target = session::Target::resolve(&cli.target).unwrap();
    let (pool, demo) = target.pool().unwrap();
    let (jobs, mut msgs) = worker::spawn(target, Some(pool), demo, None);
    // Fewer than a page as typed, so the Capitalised variant is asked too: 6 filters as
    // typed, 5 for "A" (no Capitalised email).
    assert_eq!(searched(&jobs, &mut msgs, 1, "a").await, 11, "a and A");
    assert_eq!(
        searched(&jobs, &mut msgs, 2, "al").await,
        0,
        "cached: al from a, Al from A"
    );
    jobs.send(Cmd::ForgetSearchCache).unwrap();
    assert_eq!(searched(&jobs, &mut msgs, 3, "al").await, 11, "asked again");
}
