//! The lookup behaviour suite against real, independently written Cognito emulators
//! (moto and cognito-local) on 127.0.0.1, with every request counted on the wire by a
//! recording proxy. Where an emulator lacks something real Cognito does, the expectation
//! names the gap instead of passing quietly.

use crate::common::emulator;
use crate::common::proxy;
use crate::common::seed;

use cognito_tui::cognito::lookup::{
    LookupError, LookupMode, LookupOutcome, MatchedBy, Via, lookup,
};
use cognito_tui::cognito::{ErrorKind, PoolId};
use emulator::{Emulator, Kind};
use proxy::RecordingProxy;

/// What a lookup should produce.
#[derive(Debug, Clone)]
enum Expect {
    Found {
        username: String,
        matched_by: MatchedBy,
        via: Via,
    },
    Ambiguous(Vec<&'static str>),
    NotFound,
    Error(ErrorKind),
}

struct Case {
    name: &'static str,
    pool: String,
    query: String,
    mode: LookupMode,
    expect: Expect,
    calls: usize,
    /// Why this emulator's answer differs from real Cognito's, if it does.
    gap: Option<&'static str>,
}

fn found(username: &str, matched_by: MatchedBy, via: Via) -> Expect {
    Expect::Found {
        username: username.to_string(),
        matched_by,
        via,
    }
}

const ALIAS_GAP: &str =
    "emulator's AdminGetUser does not resolve aliases; real Cognito finds this in 1 call";

fn cases(kind: Kind, s: &seed::Seeded) -> Vec<Case> {
    use MatchedBy as M;
    let alice_sub = s.subs["alice"].clone();
    let (sub_expect, sub_calls, sub_gap) = match kind {
        Kind::CognitoLocal => (found("alice", M::Sub, Via::AdminGetUser), 1, None),
        Kind::Moto => (
            found("alice", M::Sub, Via::ListUsers),
            3,
            Some("moto's AdminGetUser does not resolve a sub; real Cognito finds it in 1 call"),
        ),
    };
    let frank_sub = s.subs["frank"].clone();
    // AdminGetUser answers the user *named* by frank's sub; sub mode must go on to ListUsers.
    // cognito-local refuses to create that user (its AdminCreateUser resolves subs), so there
    // only frank exists: sub mode finds him directly and username mode must not take him.
    let sub_named_gap = "cognito-local refuses a username equal to another user's sub \
        (UsernameExistsException): the collision cannot be seeded there";
    let (frank_expect, frank_calls, frank_gap, sub_named_expect, sub_named_gap) =
        match &s.sub_named_refused {
            None => (
                found("frank", M::Sub, Via::ListUsers),
                3,
                None,
                found(&frank_sub, M::Username, Via::AdminGetUser),
                None,
            ),
            Some(_) => (
                found("frank", M::Sub, Via::AdminGetUser),
                1,
                Some(sub_named_gap),
                Expect::NotFound,
                Some(sub_named_gap),
            ),
        };
    if let Some(refusal) = &s.sub_named_refused {
        println!("{}: {refusal}", kind.name());
        assert_eq!(
            kind,
            Kind::CognitoLocal,
            "moto must hold the sub-named user"
        );
    }
    let case = |name, pool: &String, query: &str, mode, expect, calls, gap| Case {
        name,
        pool: pool.clone(),
        query: query.to_string(),
        mode,
        expect,
        calls,
        gap,
    };
    let auto = LookupMode::Auto;
    vec![
        case(
            "username",
            &s.alias_pool,
            "alice",
            auto,
            found("alice", M::Username, Via::AdminGetUser),
            1,
            None,
        ),
        case(
            "email alias",
            &s.alias_pool,
            "alice@example.com",
            auto,
            found("alice", M::Email, Via::ListUsers),
            3,
            Some(ALIAS_GAP),
        ),
        case(
            "phone alias",
            &s.alias_pool,
            "+15550100001",
            auto,
            found("alice", M::PhoneNumber, Via::ListUsers),
            3,
            Some(ALIAS_GAP),
        ),
        case(
            "phone alias as pasted",
            &s.alias_pool,
            "+1 555-010-0001",
            LookupMode::Alias,
            found("alice", M::PhoneNumber, Via::ListUsers),
            3,
            Some(ALIAS_GAP),
        ),
        case(
            "preferred_username alias",
            &s.alias_pool,
            "ally",
            auto,
            found("alice", M::PreferredUsername, Via::ListUsers),
            3,
            Some(ALIAS_GAP),
        ),
        case(
            "sub",
            &s.alias_pool,
            &alice_sub,
            auto,
            sub_expect.clone(),
            sub_calls,
            sub_gap,
        ),
        case(
            "sub, sub mode",
            &s.alias_pool,
            &alice_sub,
            LookupMode::Sub,
            sub_expect,
            sub_calls,
            sub_gap,
        ),
        case(
            "email-as-username pool",
            &s.email_pool,
            "eve@example.com",
            auto,
            found(&s.eve_username, M::Email, Via::AdminGetUser),
            1,
            None,
        ),
        case(
            "email that is not an alias",
            &s.plain_pool,
            "carol@example.com",
            auto,
            found("carol", M::Email, Via::ListUsers),
            3,
            None,
        ),
        case(
            "unverified email",
            &s.alias_pool,
            "bob@example.com",
            auto,
            found("bob", M::Email, Via::ListUsers),
            3,
            None,
        ),
        case(
            "duplicate emails",
            &s.alias_pool,
            "shared@example.com",
            auto,
            Expect::Ambiguous(vec!["dup.one", "dup.two"]),
            2,
            None,
        ),
        case(
            "unknown user",
            &s.alias_pool,
            "nobody",
            auto,
            Expect::NotFound,
            2,
            None,
        ),
        case(
            "unknown email",
            &s.alias_pool,
            "nobody@example.com",
            auto,
            Expect::NotFound,
            2,
            None,
        ),
        // Collisions: a username equal to another user's email, and one equal to another
        // user's sub. The answer must be the user asked for, or an honest ambiguity.
        case(
            "username = another's email, auto",
            &s.collision_pool,
            "dan@example.com",
            auto,
            Expect::Ambiguous(vec!["dan", "dan@example.com"]),
            2,
            None,
        ),
        case(
            "username = another's email, alias mode",
            &s.collision_pool,
            "dan@example.com",
            LookupMode::Alias,
            found("dan", M::Email, Via::ListUsers),
            3,
            None,
        ),
        case(
            "username = another's email, username mode",
            &s.collision_pool,
            "dan@example.com",
            LookupMode::Username,
            found("dan@example.com", M::Username, Via::AdminGetUser),
            1,
            None,
        ),
        case(
            "username = another's sub, sub mode",
            &s.collision_pool,
            &frank_sub,
            LookupMode::Sub,
            frank_expect,
            frank_calls,
            frank_gap,
        ),
        case(
            "username = another's sub, username mode",
            &s.collision_pool,
            &frank_sub,
            LookupMode::Username,
            sub_named_expect,
            1,
            sub_named_gap,
        ),
        case(
            "username mode makes no fallback",
            &s.alias_pool,
            "alice@example.com",
            LookupMode::Username,
            Expect::NotFound,
            1,
            Some(ALIAS_GAP),
        ),
        case(
            "unknown pool",
            &"us-east-1_NoSuchPool0".to_string(),
            "alice",
            auto,
            Expect::Error(ErrorKind::PoolNotFound),
            1,
            None,
        ),
        case(
            "unicode username",
            &s.alias_pool,
            "zoë.müller",
            auto,
            found("zoë.müller", M::Username, Via::AdminGetUser),
            1,
            None,
        ),
        case(
            "128-character username",
            &s.alias_pool,
            &seed::long_username(),
            auto,
            found(&seed::long_username(), M::Username, Via::AdminGetUser),
            1,
            None,
        ),
        case(
            "hostile attribute values",
            &s.alias_pool,
            "mallory",
            auto,
            found("mallory", M::Username, Via::AdminGetUser),
            1,
            None,
        ),
    ]
}

async fn run_suite(kind: Kind) {
    let Some(emulator) = Emulator::start(kind) else {
        return;
    };
    let seeded = seed::seed(&seed::client(&emulator.url())).await;
    let proxy = RecordingProxy::start(emulator.addr).await;
    let backend = seed::backend(proxy.url()).await;

    let mut failures = Vec::new();
    println!(
        "{:<34} {:>5}  requests seen by {}",
        "lookup",
        "calls",
        kind.name()
    );
    for case in cases(kind, &seeded) {
        proxy.take();
        let pool = PoolId::parse(&case.pool).expect("valid pool id");
        let result = lookup(&backend, &pool, &case.query, case.mode, None).await;
        let seen = proxy.take();
        println!(
            "{:<34} {:>5}  {}{}",
            case.name,
            seen.len(),
            seen.join(" → "),
            case.gap
                .map(|g| format!("   [gap: {g}]"))
                .unwrap_or_default()
        );
        if let Err(problem) = check(&case, &result, &seen) {
            failures.push(format!("{}: {problem}", case.name));
        }
        if case.name == "hostile attribute values"
            && let Ok(LookupOutcome::Found(f)) = &result
            && f.user.attribute("name") != Some(seed::HOSTILE_NAME)
        {
            failures.push(format!(
                "hostile values must come back byte for byte, got {:?}",
                f.user.attribute("name")
            ));
        }
    }
    assert!(failures.is_empty(), "{}: {failures:#?}", kind.name());
}

fn check(
    case: &Case,
    result: &Result<LookupOutcome, LookupError>,
    seen: &[String],
) -> Result<(), String> {
    if seen.len() != case.calls {
        return Err(format!("expected {} calls, saw {seen:?}", case.calls));
    }
    match (&case.expect, result) {
        (
            Expect::Found {
                username,
                matched_by,
                via,
            },
            Ok(LookupOutcome::Found(f)),
        ) => {
            if &f.user.username != username {
                return Err(format!(
                    "found {:?}, expected {username:?}",
                    f.user.username
                ));
            }
            if f.resolution.matched_by != *matched_by || f.resolution.via != *via {
                return Err(format!(
                    "resolved {}, expected {matched_by:?} via {via:?}",
                    f.resolution
                ));
            }
            if f.resolution.calls as usize != seen.len() {
                return Err(format!(
                    "reported {} calls, the wire saw {}",
                    f.resolution.calls,
                    seen.len()
                ));
            }
            Ok(())
        }
        (Expect::Ambiguous(names), Ok(LookupOutcome::Ambiguous(a))) => {
            let mut got: Vec<&str> = a.matches.iter().map(|m| m.username.as_str()).collect();
            got.sort();
            if got == *names {
                Ok(())
            } else {
                Err(format!("matches {got:?}, expected {names:?}"))
            }
        }
        (Expect::NotFound, Err(LookupError::NotFound { calls, .. })) => {
            if *calls as usize == seen.len() {
                Ok(())
            } else {
                Err(format!("reported {calls} calls"))
            }
        }
        (Expect::Error(kind), Err(LookupError::Cognito(e))) if e.kind == *kind => Ok(()),
        (expect, got) => Err(format!("expected {expect:?}, got {got:?}")),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn moto_behaviour_suite() {
    run_suite(Kind::Moto).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cognito_local_behaviour_suite() {
    run_suite(Kind::CognitoLocal).await;
}

use crate::common::cli;

/// The binary's `get` against each emulator prints what the SDK itself sees.
async fn cli_get_matches_sdk(kind: Kind) {
    let Some(emulator) = Emulator::start(kind) else {
        return;
    };
    let client = seed::client(&emulator.url());
    let seeded = seed::seed(&client).await;
    let direct = client
        .admin_get_user()
        .user_pool_id(&seeded.alias_pool)
        .username("alice")
        .send()
        .await
        .expect("AdminGetUser through the SDK");
    let url = emulator.url();
    let pool = seeded.alias_pool.clone();
    let (json_run, text_run) = tokio::task::spawn_blocking(move || {
        let base = [&["get"][..], &cli::target(&pool, &url)].concat();
        let json = cli::run_args(&[&base[..], &["alice@example.com", "-o", "json"]].concat());
        let text = cli::run_args(&[&base[..], &["mallory", "-o", "text"]].concat());
        (json, text)
    })
    .await
    .unwrap();
    // A username equal to another user's email: exit 4, naming both and how each matched.
    let (url, pool) = (emulator.url(), seeded.collision_pool.clone());
    let collision = tokio::task::spawn_blocking(move || {
        cli::run_args(
            &[
                &["get"][..],
                &cli::target(&pool, &url),
                &["dan@example.com", "-o", "json"],
            ]
            .concat(),
        )
    })
    .await
    .unwrap();
    assert_eq!(collision.code, 4, "{}: {}", kind.name(), collision.stderr);
    assert!(
        collision
            .stderr
            .contains("username or email = \"dan@example.com\""),
        "{}",
        collision.stderr
    );
    let report: serde_json::Value = serde_json::from_str(&collision.stdout).unwrap();
    let how: Vec<(&str, &str)> = report["Users"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| {
            (
                u["Username"].as_str().unwrap(),
                u["MatchedBy"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(how, [("dan@example.com", "username"), ("dan", "email")]);
    assert_eq!(json_run.code, 0, "{}: {}", kind.name(), json_run.stderr);
    let v: serde_json::Value = serde_json::from_str(&json_run.stdout).unwrap();
    assert_eq!(v["Username"], "alice");
    assert_eq!(v["Enabled"], direct.enabled);
    assert_eq!(
        v["UserStatus"],
        direct.user_status.as_ref().unwrap().as_str()
    );
    let created = direct.user_create_date.unwrap();
    let printed = time::OffsetDateTime::parse(
        v["UserCreateDate"].as_str().unwrap(),
        &time::format_description::well_known::Rfc3339,
    )
    .unwrap();
    assert_eq!(printed.unix_timestamp(), created.secs(), "{}", kind.name());
    let names: Vec<&str> = v["UserAttributes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["Name"].as_str().unwrap())
        .collect();
    let direct_names: Vec<&str> = direct.user_attributes().iter().map(|a| a.name()).collect();
    assert_eq!(names, direct_names, "{}", kind.name());

    assert_eq!(text_run.code, 0, "{}", text_run.stderr);
    assert!(
        !text_run.stdout.contains('\u{1b}'),
        "raw escape reached the terminal"
    );
    assert!(text_run.stdout.contains("\\x1b[2J"), "{}", text_run.stdout);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn moto_cli_get() {
    cli_get_matches_sdk(Kind::Moto).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cognito_local_cli_get() {
    cli_get_matches_sdk(Kind::CognitoLocal).await;
}
