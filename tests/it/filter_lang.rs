//! The `--where` language through its public interface (`Filter::parse`, `matches`,
//! `server_side`): a grammar table (each expression's matches over a fixed set of users, or
//! the column of its error), the server-side conjunct chosen for each shape, and a property
//! test against a reference evaluator written here, over random expressions and users.

use cognito_tui::cognito::{Attribute, UserStatus, UserSummary};
use cognito_tui::filter::Filter;
use proptest::prelude::*;
use time::macros::datetime;

fn user(name: &str, status: &str, enabled: bool, year: i32, attrs: &[(&str, &str)]) -> UserSummary {
    let created = datetime!(2020-06-01 12:00 UTC).replace_year(year).unwrap();
    UserSummary {
        username: name.into(),
        attributes: attrs
            .iter()
            .map(|(n, v)| Attribute {
                name: (*n).into(),
                value: Some((*v).into()),
            })
            .collect(),
        created: Some(created),
        last_modified: Some(created),
        enabled,
        status: Some(UserStatus::from_wire(status)),
    }
}

fn people() -> Vec<UserSummary> {
    vec![
        user(
            "alice",
            "CONFIRMED",
            true,
            2021,
            &[
                ("email", "alice@acme.example"),
                ("custom:tier", "gold"),
                ("custom:seats", "12"),
            ],
        ),
        user(
            "bob",
            "CONFIRMED",
            false,
            2024,
            &[
                ("email", "bob@b.example"),
                ("custom:tier", "silver"),
                ("custom:seats", "3"),
            ],
        ),
        user(
            "carol",
            "UNCONFIRMED",
            true,
            2025,
            &[
                ("email", "Carol@ACME.example"),
                ("updated_at", "1767225600"),
            ],
        ),
        user(
            "dave",
            "FORCE_CHANGE_PASSWORD",
            true,
            2026,
            &[("phone_number", "+15550100004")],
        ),
    ]
}

/// Usernames of the fixture users `expr` matches; the error's column when it doesn't parse.
fn run(expr: &str) -> Result<Vec<String>, usize> {
    let filter = Filter::parse(expr).map_err(|e| e.column)?;
    Ok(people()
        .into_iter()
        .filter(|u| filter.matches(u))
        .map(|u| u.username)
        .collect())
}

#[test]
fn grammar_table() {
    let ok = |names: &[&str]| Ok(names.iter().map(|s| s.to_string()).collect::<Vec<_>>());
    let table: Vec<(&str, Result<Vec<String>, usize>)> = vec![
        ("custom:tier = gold", ok(&["alice"])),
        ("custom:tier = 'gold'", ok(&["alice"])),
        ("custom:tier != gold", ok(&["bob", "carol", "dave"])),
        ("email ~ '(?i)@acme\\.example$'", ok(&["alice", "carol"])),
        ("email ~ '@acme'", ok(&["alice"])),
        ("email !~ '@acme'", ok(&["bob", "carol", "dave"])),
        ("email contains acme", ok(&["alice"])),
        ("email startswith b", ok(&["bob"])),
        ("email endswith .example", ok(&["alice", "bob", "carol"])),
        ("custom:seats > 5", ok(&["alice"])),
        ("custom:seats <= 3", ok(&["bob"])),
        ("custom:seats >= 3 and custom:seats < 12", ok(&["bob"])),
        ("UserCreateDate < 2024-01-01", ok(&["alice"])),
        (
            "UserCreateDate >= 2024-06-01T12:00:00Z",
            ok(&["bob", "carol", "dave"]),
        ),
        ("updated_at > 2025-12-31", ok(&["carol"])),
        ("UserStatus = confirmed", ok(&["alice", "bob"])),
        ("cognito:user_status = UNCONFIRMED", ok(&["carol"])),
        ("Enabled = false", ok(&["bob"])),
        (
            "username = alice or username = dave",
            ok(&["alice", "dave"]),
        ),
        ("not has(email)", ok(&["dave"])),
        (
            "has(custom:tier) and not (custom:tier = gold)",
            ok(&["bob"]),
        ),
        // `and` binds tighter than `or`.
        (
            "username = dave or Enabled = true and custom:tier = gold",
            ok(&["alice", "dave"]),
        ),
        (
            "(username = dave or Enabled = true) and custom:tier = gold",
            ok(&["alice"]),
        ),
        ("NOT Enabled = true AND has(email)", ok(&["bob"])),
        ("phone_number startswith '+1555'", ok(&["dave"])),
        ("Username = 'a b\\'c'", ok(&[])),
        // Errors: the column of the token that went wrong.
        ("", Err(1)),
        ("emial = x", Err(1)),
        ("email", Err(6)),
        ("email =", Err(8)),
        ("email is x", Err(7)),
        ("email = x and", Err(14)),
        ("(email = x", Err(11)),
        ("email = x)", Err(10)),
        ("email = 'x", Err(9)),
        ("email ~ '('", Err(9)),
        ("Enabled = maybe", Err(11)),
        ("UserCreateDate > soon", Err(18)),
        ("custom:seats > many", Err(16)),
        ("UserStatus < 3", Err(14)),
        ("email ! x", Err(7)),
        ("has email", Err(1)),
        ("has(emial)", Err(5)),
        ("custom: = x", Err(1)),
        ("é = x", Err(1)),
        ("email = x é", Err(11)),
    ];
    for (expr, expected) in table {
        assert_eq!(run(expr), expected, "{expr:?}");
    }
}

#[test]
fn errors_say_where_and_what() {
    let e = Filter::parse("email = x and custom:tier >").unwrap_err();
    let text = e.to_string();
    assert!(
        text.contains("column 28") && text.contains("expected a value"),
        "{text}"
    );
    assert!(!text.contains('\n'), "one line: {text}");
}

#[test]
fn the_most_selective_servable_conjunct_goes_to_cognito() {
    let table: [(&str, Option<&str>); 11] = [
        ("custom:tier = gold", None),
        ("Enabled = true", Some("status = \"Enabled\"")),
        (
            "UserStatus = confirmed and Enabled = false",
            Some("cognito:user_status = \"CONFIRMED\""),
        ),
        (
            "Enabled = true and email startswith al",
            Some("email ^= \"al\""),
        ),
        (
            "email startswith al and username = bob",
            Some("username = \"bob\""),
        ),
        (
            "given_name = Al and email startswith alice@",
            Some("given_name = \"Al\""),
        ),
        ("sub = abc and email = a@b", Some("sub = \"abc\"")),
        // Not a conjunct of the whole expression: ListUsers would lose matches.
        ("email = a@b or custom:tier = gold", None),
        ("not email = a@b", None),
        ("email != a@b", None),
        (
            "custom:tier = gold and (username = a or username = b)",
            None,
        ),
    ];
    for (expr, expected) in table {
        let filter = Filter::parse(expr).unwrap();
        let chosen = filter.server_side().map(|f| f.expression());
        assert_eq!(chosen.as_deref(), expected, "{expr:?}");
    }
}

// The reference: an expression tree of our own, rendered to text, and evaluated here without
// the product's code. Regexes are limited to `^lit`, `lit$` and `lit` over plain letters so
// the reference can check them with `str` methods.

#[derive(Debug, Clone)]
enum Ref {
    And(Box<Ref>, Box<Ref>),
    Or(Box<Ref>, Box<Ref>),
    Not(Box<Ref>),
    Has(&'static str),
    /// attribute, operator, literal
    Cmp(&'static str, &'static str, String),
    Seats(&'static str, i64),
    Created(&'static str, i32),
    Enabled(bool),
    Status(&'static str),
}

const ATTRS: [&str; 3] = ["email", "custom:tier", "nickname"];
const WORDS: [&str; 4] = ["ab", "b", "abc", "ca"];
const STATUSES: [&str; 3] = ["CONFIRMED", "UNCONFIRMED", "RESET_REQUIRED"];

fn leaf() -> impl Strategy<Value = Ref> {
    let text_ops = prop::sample::select(vec![
        "=",
        "!=",
        "contains",
        "startswith",
        "endswith",
        "~",
        "!~",
    ]);
    let word = prop::sample::select(WORDS.to_vec()).prop_map(String::from);
    let regex = (prop::sample::select(WORDS.to_vec()), 0..3u8).prop_map(|(w, k)| match k {
        0 => format!("^{w}"),
        1 => format!("{w}$"),
        _ => w.to_string(),
    });
    let ordering = prop::sample::select(vec!["<", "<=", ">", ">="]);
    prop_oneof![
        (prop::sample::select(ATTRS.to_vec()), text_ops, word, regex).prop_map(|(a, op, w, r)| {
            let literal = if op.contains('~') { r } else { w };
            Ref::Cmp(a, op, literal)
        }),
        prop::sample::select(ATTRS.to_vec()).prop_map(Ref::Has),
        (ordering.clone(), -2..20i64).prop_map(|(op, n)| Ref::Seats(op, n)),
        (ordering, 2019..2027i32).prop_map(|(op, y)| Ref::Created(op, y)),
        any::<bool>().prop_map(Ref::Enabled),
        prop::sample::select(STATUSES.to_vec()).prop_map(Ref::Status),
    ]
}

fn expression() -> impl Strategy<Value = Ref> {
    leaf().prop_recursive(4, 24, 2, |inner| {
        prop_oneof![
            (inner.clone(), inner.clone()).prop_map(|(a, b)| Ref::And(Box::new(a), Box::new(b))),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| Ref::Or(Box::new(a), Box::new(b))),
            inner.prop_map(|a| Ref::Not(Box::new(a))),
        ]
    })
}

/// The text of `e`, with parentheses only where precedence needs them (and around `not`'s
/// operand when it is binary), so precedence is exercised.
fn render(e: &Ref) -> String {
    let wrap = |child: &Ref, parent_and: bool| match child {
        Ref::Or(..) if parent_and => format!("({})", render(child)),
        _ => render(child),
    };
    match e {
        Ref::And(a, b) => format!("{} and {}", wrap(a, true), wrap(b, true)),
        // `or` is left-associative: a right child that is an `or` keeps its parentheses.
        Ref::Or(a, b) => match **b {
            Ref::Or(..) => format!("{} or ({})", render(a), render(b)),
            _ => format!("{} or {}", render(a), render(b)),
        },
        Ref::Not(a) => match **a {
            Ref::And(..) | Ref::Or(..) => format!("not ({})", render(a)),
            _ => format!("not {}", render(a)),
        },
        Ref::Has(a) => format!("has({a})"),
        Ref::Cmp(a, op, lit) => format!("{a} {op} '{lit}'"),
        Ref::Seats(op, n) => format!("custom:seats {op} {n}"),
        Ref::Created(op, y) => format!("UserCreateDate {op} {y}-01-01"),
        Ref::Enabled(b) => format!("Enabled = {b}"),
        Ref::Status(s) => format!("UserStatus = {s}"),
    }
}

fn get<'a>(u: &'a UserSummary, name: &str) -> Option<&'a str> {
    u.attributes
        .iter()
        .find(|a| a.name == name)?
        .value
        .as_deref()
}

fn regex_ref(text: &str, pattern: &str) -> bool {
    if let Some(p) = pattern.strip_prefix('^') {
        text.starts_with(p)
    } else if let Some(p) = pattern.strip_suffix('$') {
        text.ends_with(p)
    } else {
        text.contains(pattern)
    }
}

fn order<T: PartialOrd>(op: &str, a: T, b: T) -> bool {
    match op {
        "<" => a < b,
        "<=" => a <= b,
        ">" => a > b,
        _ => a >= b,
    }
}

fn reference(e: &Ref, u: &UserSummary) -> bool {
    match e {
        Ref::And(a, b) => reference(a, u) && reference(b, u),
        Ref::Or(a, b) => reference(a, u) || reference(b, u),
        Ref::Not(a) => !reference(a, u),
        Ref::Has(a) => get(u, a).is_some(),
        Ref::Cmp(a, op, lit) => {
            let v = get(u, a);
            match *op {
                "=" => v == Some(lit.as_str()),
                "!=" => v != Some(lit.as_str()),
                "contains" => v.is_some_and(|v| v.contains(lit.as_str())),
                "startswith" => v.is_some_and(|v| v.starts_with(lit.as_str())),
                "endswith" => v.is_some_and(|v| v.ends_with(lit.as_str())),
                "~" => v.is_some_and(|v| regex_ref(v, lit)),
                _ => !v.is_some_and(|v| regex_ref(v, lit)),
            }
        }
        Ref::Seats(op, n) => get(u, "custom:seats")
            .and_then(|s| s.parse::<i64>().ok())
            .is_some_and(|s| order(op, s, *n)),
        Ref::Created(op, y) => u
            .created
            .is_some_and(|c| order(op, (c.year(), c.ordinal()), (*y, 1))),
        Ref::Enabled(b) => u.enabled == *b,
        Ref::Status(s) => u.status.as_ref().is_some_and(|st| st.as_wire() == *s),
    }
}

fn random_user() -> impl Strategy<Value = UserSummary> {
    let value = prop::sample::select(vec!["ab", "abc", "b", "cab", "ca", "", "bca"]);
    (
        prop::collection::vec(prop::option::of(value), 3),
        prop::option::of(-3..25i64),
        2018..2028i32,
        1..365u16,
        any::<bool>(),
        prop::sample::select(STATUSES.to_vec()),
    )
        .prop_map(|(values, seats, year, day, enabled, status)| {
            let mut u = user("u", status, enabled, year, &[]);
            let date = time::Date::from_ordinal_date(year, day.min(365)).unwrap();
            u.created = Some(date.midnight().assume_utc());
            for (name, v) in ATTRS.iter().zip(values) {
                if let Some(v) = v {
                    u.attributes.push(Attribute {
                        name: (*name).into(),
                        value: Some(v.into()),
                    });
                }
            }
            if let Some(n) = seats {
                u.attributes.push(Attribute {
                    name: "custom:seats".into(),
                    value: Some(n.to_string()),
                });
            }
            u
        })
}

/// What ListUsers' filter keeps (API reference: `=` exact, `^=` starts with).
fn cognito_keeps(filter: &cognito_tui::cognito::ListFilter, u: &UserSummary) -> bool {
    let value = match filter.attribute.as_str() {
        "username" => Some(u.username.clone()),
        "status" => Some(if u.enabled { "Enabled" } else { "Disabled" }.to_string()),
        "cognito:user_status" => u.status.as_ref().map(|s| s.as_wire().to_string()),
        name => get(u, name).map(str::to_string),
    };
    value.is_some_and(|v| match filter.prefix {
        true => v.starts_with(&filter.value),
        false => v == filter.value,
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(600))]

    #[test]
    fn matches_the_reference_evaluator(e in expression(), users in prop::collection::vec(random_user(), 8)) {
        let text = render(&e);
        let filter = Filter::parse(&text).map_err(|err| TestCaseError::fail(format!("{text}: {err}")))?;
        for u in &users {
            prop_assert_eq!(filter.matches(u), reference(&e, u), "{} on {:?}", text, u);
        }
    }

    #[test]
    fn the_server_side_part_never_loses_a_match(e in expression(), users in prop::collection::vec(random_user(), 8)) {
        let text = render(&e);
        let filter = Filter::parse(&text).unwrap();
        if let Some(server) = filter.server_side() {
            for u in users.iter().filter(|u| reference(&e, u)) {
                prop_assert!(cognito_keeps(&server, u), "{} sent {} and lost {:?}", text, server.expression(), u);
            }
        }
    }
}
