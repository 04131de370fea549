//! Unit tests of the ranking rules and the store.

use super::*;
use crate::cognito::{Attribute, UserStatus};

fn user(username: &str, attrs: &[(&str, &str)]) -> UserSummary {
    UserSummary {
        username: username.into(),
        attributes: attrs.iter().map(|(n, v)| Attribute::new(*n, *v)).collect(),
        enabled: true,
        status: Some(UserStatus::Confirmed),
        ..Default::default()
    }
}

fn store() -> UserStore {
    let mut s = UserStore::new();
    s.extend(&[
        user(
            "alice",
            &[("email", "alice@example.com"), ("name", "Alice Liddell")],
        ),
        user("bob", &[("email", "bob@acme.io")]),
        user(
            "jo.smith",
            &[("email", "JO@Smith.org"), ("given_name", "Jo")],
        ),
        user("joanna", &[("email", "joanna@example.com")]),
        user("zoë", &[("name", "Zoë Müller")]),
    ]);
    s
}

#[test]
fn store_round_trips_the_shown_fields_and_dedupes_usernames() {
    let mut s = store();
    assert_eq!(s.len(), 5);
    assert!(!s.push(&user("bob", &[("email", "other@x")])));
    let row = s.row(2);
    assert_eq!(row.username, "jo.smith");
    assert_eq!(row.email, Some("JO@Smith.org"));
    assert_eq!(row.given_name, Some("Jo"));
    assert_eq!(row.name, None);
    assert_eq!(row.status(), Some(UserStatus::Confirmed));
    assert!(row.enabled);
    assert_eq!(s.haystack(2), "jo.smith jo@smith.org jo");
    assert_eq!(s.haystack(4), "zoë zoë müller");
}

#[test]
fn ranks_best_first_with_ties_in_load_order() {
    let s = store();
    let mut r = Ranker::with_threads(1);
    let rows: Vec<u32> = r.rank(&s, "jo").iter().map(|m| m.row).collect();
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert!(rows.contains(&2) && rows.contains(&3));
    // Case is ignored: the query is lowercased like the haystack.
    assert_eq!(r.rank(&s, "JO").len(), 2);
    assert_eq!(r.rank(&s, "").len(), 5, "empty query: everyone, load order");
    assert_eq!(r.results()[0].row, 0);
    assert!(r.rank(&s, "qqq").is_empty());
}

#[test]
fn narrowing_and_backspace_match_a_fresh_ranking() {
    let s = store();
    let mut incremental = Ranker::with_threads(1);
    for q in ["a", "al", "ali", "al", "a", "ac", "acm", "", "e", "ex"] {
        let got = incremental.rank(&s, q).to_vec();
        let fresh = Ranker::with_threads(1).rank(&s, q).to_vec();
        assert_eq!(got, fresh, "query {q:?}");
    }
}

#[test]
fn rows_added_later_are_merged_into_the_current_results() {
    let mut s = store();
    let mut r = Ranker::with_threads(1);
    assert_eq!(r.rank(&s, "jo").len(), 2);
    s.push(&user("jody", &[]));
    let got = r.rank(&s, "jo").to_vec();
    assert_eq!(got.len(), 3);
    assert_eq!(got, Ranker::with_threads(1).rank(&s, "jo").to_vec());
    s.clear();
    assert!(r.rank(&s, "jo").is_empty());
}

#[test]
fn highlights_map_back_to_fields_as_char_indices() {
    let s = store();
    let mut r = Ranker::with_threads(1);
    r.rank(&s, "müll");
    let h = r.highlights(&s, 4);
    assert_eq!(h.for_field(Field::Name), &[4, 5, 6, 7]);
    assert!(h.for_field(Field::Username).is_empty());

    r.rank(&s, "acme");
    let h = r.highlights(&s, 1);
    assert_eq!(h.for_field(Field::Email), &[4, 5, 6, 7]);
}

#[test]
fn two_threads_rank_like_one() {
    let mut s = UserStore::new();
    for i in 0..20_000 {
        s.push(&user(
            &format!("user{i:05}"),
            &[("email", &format!("u{i}@example{}.com", i % 7))],
        ));
    }
    for q in ["u1", "ex3", "user1999"] {
        let one = Ranker::with_threads(1).rank(&s, q).to_vec();
        let two = Ranker::with_threads(2).rank(&s, q).to_vec();
        assert_eq!(one, two, "{q}");
    }
}

fn bulk() -> UserStore {
    let mut s = UserStore::new();
    for i in 0..10_000 {
        let name = format!("bulk-{i:05}");
        s.push(&user(&name, &[("email", &format!("{name}@example.com"))]));
    }
    s
}

#[test]
fn one_field_at_a_time_and_contiguous_matches_first() {
    let s = bulk();
    let mut r = Ranker::with_threads(1);
    let got = r.rank(&s, "7777").to_vec();
    // Four 7s in one field: only bulk-07777 (the issue saw 523 users, picking 7s from
    // the username and the email together).
    let names: Vec<&str> = got.iter().map(|m| s.row(m.row as usize).username).collect();
    assert_eq!(names, ["bulk-07777"]);
    let got3 = r.rank(&s, "777").to_vec();
    let names3: Vec<&str> = got3
        .iter()
        .map(|m| s.row(m.row as usize).username)
        .collect();
    let contiguous = names3.iter().take_while(|n| n.contains("777")).count();
    assert_eq!(
        contiguous,
        names3.iter().filter(|n| n.contains("777")).count()
    );
    assert!(contiguous >= 19 && names3.len() > contiguous, "{names3:?}");
    let got = r.rank(&s, "7777").to_vec();
    assert_eq!(
        score::Tier::of_score(got[0].score),
        Some(score::Tier::Substring)
    );
    let h = r.highlights(&s, got[0].row);
    assert_eq!(h.0[0].0, Field::Username, "the ranking field first: {h:?}");
    // The exact username beats everything.
    let top = r.rank(&s, "bulk-00777")[0];
    assert_eq!(s.row(top.row as usize).username, "bulk-00777");
    assert_eq!(score::Tier::of_score(top.score), Some(score::Tier::Exact));
}

#[test]
fn the_fast_and_skim_scorers_rank_by_the_same_rules() {
    let s = bulk();
    for q in ["7777", "bulk-1", "00", "xample", "b7"] {
        let fast = Ranker::with_threads(1).rank(&s, q).to_vec();
        let skim = Ranker::with_threads(1)
            .with_scorer(Scorer::Skim)
            .rank(&s, q)
            .to_vec();
        let key = |v: &[Ranked]| {
            let mut k: Vec<(Option<score::Tier>, u32)> = v
                .iter()
                .map(|m| (score::Tier::of_score(m.score), m.row))
                .collect();
            k.sort();
            k
        };
        assert_eq!(key(&fast), key(&skim), "{q}");
        let tiers =
            |v: &[Ranked]| -> Vec<_> { v.iter().map(|m| score::Tier::of_score(m.score)).collect() };
        let mut sorted = tiers(&fast);
        sorted.sort_by(|a, b| b.cmp(a));
        assert_eq!(tiers(&fast), sorted, "{q}: tiers in order");
    }
}

#[test]
fn best_text_match_for_short_lists() {
    let (_, i, pos) = best_text_match("prod", ["Staging users", "Prod users"]).unwrap();
    assert_eq!((i, pos), (1, vec![0, 1, 2, 3]));
    assert!(best_text_match("zz", ["a", "b"]).is_none());
    let (_, i, _) = best_text_match("1_ab", ["dev", "eu-west-1_AbC"]).unwrap();
    assert_eq!(i, 1);
}

#[test]
fn subsequence_prefilter() {
    assert!(is_subsequence(b"ace", b"abcde"));
    assert!(!is_subsequence(b"aec", b"abcde"));
    assert!(is_subsequence(b"", b"x"));
    assert!(is_subsequence("ë".as_bytes(), "zoë".as_bytes()));
}

#[test]
fn the_store_keeps_the_sub_and_dates_an_export_writes() {
    let created = time::macros::datetime!(2021-06-01 08:00:00.123456 UTC);
    let modified = time::macros::datetime!(9999-12-31 23:59:59 +05:00);
    let full = UserSummary {
        created: Some(created),
        last_modified: Some(modified),
        ..user(
            "alice",
            &[
                ("sub", "13ec8665-a4ff-5525-87b0-8063bbe0cb29"),
                ("email", "alice@example.com"),
                ("custom:tenant", "acme"),
            ],
        )
    };
    let mut s = UserStore::new();
    s.extend([&full, &user("bob", &[])]);
    let row = s.row(0);
    assert_eq!(row.sub, Some("13ec8665-a4ff-5525-87b0-8063bbe0cb29"));
    assert_eq!(
        (row.created, row.last_modified),
        (Some(created), Some(modified))
    );
    // The sub is kept, not matched: the haystack is what the list shows.
    assert_eq!(s.haystack(0), "alice alice@example.com");
    let back = row.to_summary();
    assert_eq!(back.attribute("sub"), full.attribute("sub"));
    assert_eq!(back.attribute("email"), full.attribute("email"));
    assert_eq!(
        (back.created, back.last_modified),
        (full.created, full.last_modified)
    );
    assert_eq!(back.attribute("custom:tenant"), None, "not kept: not shown");
    let bob = s.row(1);
    assert_eq!((bob.sub, bob.created), (None, None));
    assert!(bob.to_summary().attributes.is_empty());
}

#[test]
fn a_row_costs_at_most_80_bytes_beside_its_text() {
    // 100,000 users: 8 MB of row data, plus their text and the username index.
    let size = std::mem::size_of::<super::store::RowMeta>();
    assert!(size <= 80, "{size}");
}
