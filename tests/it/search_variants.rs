//! Case variants and the order of a search's filters, against moto (whose `^=` compares
//! case-sensitively, as Cognito's does): the one-shot `search` finds what type-ahead finds
//! (`search ALI` finds alice), and a lowercase family name is found by the second request,
//! not after the six filters of the query as typed.

use crate::common::emulator::{Emulator, Kind};
use crate::common::{cli, seed};

use cognito_tui::cognito::PoolId;
use cognito_tui::search::SearchResults;

/// A pool of alice (lower-case username, Capitalised names) and two Kowalskis whose
/// usernames don't start with the name.
async fn people(url: &str) -> String {
    let client = seed::client(url);
    let pool = seed::create_pool(&client, "people").await;
    let users: [(&str, &[(&str, &str)]); 3] = [
        (
            "alice",
            &[("given_name", "Alice"), ("family_name", "Liddell")],
        ),
        ("jk1", &[("given_name", "Jan"), ("family_name", "Kowalski")]),
        (
            "ak2",
            &[("given_name", "Anna"), ("family_name", "Kowalska")],
        ),
    ];
    for (name, attributes) in users {
        seed::create_user(&client, &pool, name, attributes).await;
    }
    pool
}

fn usernames(stdout: &str) -> Vec<String> {
    let v: serde_json::Value =
        serde_json::from_str(stdout).unwrap_or_else(|e| panic!("{e}: {stdout}"));
    let mut names: Vec<String> = v
        .as_array()
        .expect("array")
        .iter()
        .map(|u| u["Username"].as_str().unwrap().to_string())
        .collect();
    names.sort();
    names
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_shot_search_tries_the_case_variants_as_type_ahead_does() {
    let Some(moto) = Emulator::start(Kind::Moto) else {
        return;
    };
    let url = moto.url();
    let pool = people(&url).await;
    let run = |query: &'static str| {
        let (pool, url) = (pool.clone(), url.clone());
        cli::blocking(move || {
            let target = cli::target(&pool, &url);
            cli::run_args(&[&["search", query, "-o", "json"][..], &target].concat())
        })
    };
    let (shouted, lower, control) = tokio::join!(run("ALI"), run("kowal"), run("alice"));
    // Positive control: the query in the case it is stored in.
    assert_eq!(control.code, 0, "{}", control.stderr);
    assert_eq!(usernames(&control.stdout), ["alice"]);
    assert_eq!(shouted.code, 0, "{}", shouted.stderr);
    assert_eq!(usernames(&shouted.stdout), ["alice"]);
    assert_eq!(lower.code, 0, "{}", lower.stderr);
    assert_eq!(usernames(&lower.stdout), ["ak2", "jk1"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lowercase_family_name_shows_from_the_second_request() {
    let Some(moto) = Emulator::start(Kind::Moto) else {
        return;
    };
    let pool = people(&moto.url()).await;
    let backend = seed::backend(moto.url()).await;
    let pool = PoolId::parse(&pool).unwrap();
    let mut partials: Vec<SearchResults> = Vec::new();
    let done = cognito_tui::search::variants::search_with_case_variants_streaming(
        &backend,
        &pool,
        "kowal",
        None,
        |r| partials.push(r.clone()),
    )
    .await;
    assert_eq!(done.hits.len(), 2, "{:?}", done.hits);
    assert_eq!(done.case_variants, ["Kowal"]);
    // Every partial names what is still out; the final one nothing.
    assert!(partials.iter().all(|p| !p.waiting.is_empty()));
    assert!(done.waiting.is_empty());
    let first = partials
        .iter()
        .position(|p| !p.hits.is_empty())
        .expect("a partial result with the Kowalskis");
    // The answers come in any order, but at most the four filters in flight can answer
    // before the second (family_name ^= "Kowal"): never the six of the query as typed.
    assert!(first < 4, "first hit after {} answers", first + 1);
    assert!(
        partials[first].waiting.len() >= done.requests - 4,
        "{:?}",
        partials[first].waiting
    );
}
