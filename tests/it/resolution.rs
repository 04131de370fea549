//! Resolution rules against a scripted fake backend (every answer chosen by the test) and
//! against the demo pool, which follows Cognito's own rules.

use std::collections::VecDeque;
use std::sync::Mutex;

use async_trait::async_trait;
use cognito_tui::cognito::demo::DemoBackend;
use cognito_tui::cognito::lookup::{
    LookupError, LookupMode, LookupOutcome, MatchedBy, Via, lookup,
};
use cognito_tui::cognito::{
    Attribute, Backend, CognitoError, ErrorKind, ListFilter, ListKind, ListingPage, PageRequest,
    PoolId, PoolSchema, User, UserPage, UserSummary,
};

/// A backend that answers from a script and records every call.
#[derive(Default)]
struct Scripted {
    get: Mutex<VecDeque<Result<User, CognitoError>>>,
    list: Mutex<VecDeque<Result<UserPage, CognitoError>>>,
    calls: Mutex<Vec<String>>,
}

impl Scripted {
    fn get(self, r: Result<User, CognitoError>) -> Self {
        self.get.lock().unwrap().push_back(r);
        self
    }
    fn list(self, r: Result<UserPage, CognitoError>) -> Self {
        self.list.lock().unwrap().push_back(r);
        self
    }
    fn calls(&self) -> Vec<String> {
        self.calls.lock().unwrap().clone()
    }
}

#[async_trait]
impl Backend for Scripted {
    async fn admin_get_user(&self, _: &PoolId, username: &str) -> Result<User, CognitoError> {
        self.calls
            .lock()
            .unwrap()
            .push(format!("AdminGetUser {username}"));
        self.get
            .lock()
            .unwrap()
            .pop_front()
            .expect("unscripted AdminGetUser")
    }
    async fn list_users(
        &self,
        _: &PoolId,
        filter: Option<&ListFilter>,
        page: PageRequest<'_>,
    ) -> Result<UserPage, CognitoError> {
        let expr = filter.map(ListFilter::expression).unwrap_or_default();
        self.calls
            .lock()
            .unwrap()
            .push(format!("ListUsers {expr} limit {}", page.limit));
        self.list
            .lock()
            .unwrap()
            .pop_front()
            .expect("unscripted ListUsers")
    }
    async fn describe_pool(&self, _: &PoolId) -> Result<PoolSchema, CognitoError> {
        panic!("resolution must never call DescribeUserPool itself")
    }
    async fn list_for_user(
        &self,
        _: &PoolId,
        _: &str,
        list: ListKind,
        _: PageRequest<'_>,
    ) -> Result<ListingPage, CognitoError> {
        panic!("resolution never lists a user's {}", list.noun())
    }
    fn describe_target(&self) -> String {
        "scripted".into()
    }
}

fn pool() -> PoolId {
    PoolId::parse("eu-west-1_Test1").unwrap()
}

fn user(name: &str, attrs: &[(&str, &str)]) -> User {
    User {
        username: name.into(),
        attributes: attrs.iter().map(|(n, v)| Attribute::new(*n, *v)).collect(),
        enabled: true,
        ..User::default()
    }
}

fn summary(name: &str, attrs: &[(&str, &str)]) -> UserSummary {
    UserSummary {
        username: name.into(),
        attributes: attrs.iter().map(|(n, v)| Attribute::new(*n, *v)).collect(),
        enabled: true,
        ..UserSummary::default()
    }
}

fn err(kind: ErrorKind, exception: &str) -> CognitoError {
    CognitoError::new(kind, "AdminGetUser", "scripted").with_exception(exception)
}

fn not_found() -> Result<User, CognitoError> {
    Err(err(ErrorKind::UserNotFound, "UserNotFoundException"))
}

#[tokio::test]
async fn alias_found_directly_is_one_call_and_says_so() {
    let b = Scripted::default().get(Ok(user("u-123", &[("email", "Ann@Example.com")])));
    let r = lookup(&b, &pool(), "ann@example.com", LookupMode::Auto, None).await;
    let Ok(LookupOutcome::Found(f)) = r else {
        panic!("{r:?}")
    };
    assert_eq!(f.resolution.matched_by, MatchedBy::Email);
    assert_eq!(f.resolution.via, Via::AdminGetUser);
    assert_eq!(f.resolution.to_string(), "by email, via AdminGetUser");
    assert_eq!(b.calls(), ["AdminGetUser ann@example.com"]);
}

#[tokio::test]
async fn non_alias_email_uses_one_exact_list_then_one_get() {
    let b = Scripted::default()
        .get(not_found())
        .list(Ok(UserPage {
            users: vec![summary("ann", &[("email", "ann@example.com")])],
            next_token: None,
        }))
        .get(Ok(user("ann", &[("email", "ann@example.com")])));
    let r = lookup(&b, &pool(), " ann@example.com ", LookupMode::Auto, None).await;
    let Ok(LookupOutcome::Found(f)) = r else {
        panic!("{r:?}")
    };
    assert_eq!(f.resolution.to_string(), "by email, via ListUsers");
    assert_eq!(f.resolution.calls, 3);
    assert_eq!(
        b.calls(),
        [
            "AdminGetUser ann@example.com",
            "ListUsers email = \"ann@example.com\" limit 60",
            "AdminGetUser ann",
        ]
    );
}

#[tokio::test]
async fn several_matches_are_ambiguous_never_a_silent_pick() {
    let b = Scripted::default().get(not_found()).list(Ok(UserPage {
        users: vec![
            summary("a1", &[("email", "x@example.com")]),
            summary("a2", &[("email", "x@example.com")]),
        ],
        next_token: Some("more".into()),
    }));
    let r = lookup(&b, &pool(), "x@example.com", LookupMode::Auto, None).await;
    let Ok(LookupOutcome::Ambiguous(a)) = r else {
        panic!("{r:?}")
    };
    assert_eq!(a.matches.len(), 2);
    assert!(a.more, "a further page must be reported, not fetched");
    assert_eq!(a.calls, 2);
    assert_eq!(b.calls().len(), 2);
}

#[tokio::test]
async fn loose_server_matches_are_filtered_to_exact_ones() {
    let b = Scripted::default()
        .get(not_found())
        .list(Ok(UserPage {
            users: vec![
                summary("near", &[("email", "x@example.com.au")]),
                summary("exact", &[("email", "x@example.com")]),
            ],
            next_token: None,
        }))
        .get(Ok(user("exact", &[])));
    let r = lookup(&b, &pool(), "x@example.com", LookupMode::Auto, None).await;
    let Ok(LookupOutcome::Found(f)) = r else {
        panic!("{r:?}")
    };
    assert_eq!(f.user.username, "exact");
}

#[tokio::test]
async fn errors_other_than_not_found_stop_resolution() {
    for (kind, exception) in [
        (ErrorKind::Throttled, "TooManyRequestsException"),
        (ErrorKind::AccessDenied, "AccessDeniedException"),
        (ErrorKind::PoolNotFound, "ResourceNotFoundException"),
        (ErrorKind::Internal, "InternalErrorException"),
    ] {
        let b = Scripted::default().get(Err(err(kind, exception)));
        let r = lookup(&b, &pool(), "x@example.com", LookupMode::Auto, None).await;
        match r {
            Err(LookupError::Cognito(e)) => assert_eq!(e.kind, kind),
            other => panic!("{exception}: {other:?}"),
        }
        assert_eq!(
            b.calls().len(),
            1,
            "{exception}: no fallback after a real error"
        );
        assert_eq!(
            LookupError::Cognito(err(kind, exception)).exit_code(),
            kind.exit_code()
        );
    }
}

#[tokio::test]
async fn a_denied_fallback_is_reported_as_such() {
    let b = Scripted::default()
        .get(not_found())
        .list(Err(CognitoError::new(
            ErrorKind::AccessDenied,
            "ListUsers",
            "not allowed",
        )));
    let r = lookup(&b, &pool(), "x@example.com", LookupMode::Auto, None).await;
    let Err(LookupError::Cognito(e)) = r else {
        panic!("{r:?}")
    };
    assert_eq!(e.operation, "ListUsers");
    assert!(
        e.hint(&Default::default())
            .contains("cognito-idp:ListUsers")
    );
}

#[tokio::test]
async fn user_deleted_between_list_and_get_is_not_found() {
    let b = Scripted::default()
        .get(not_found())
        .list(Ok(UserPage {
            users: vec![summary(
                "gone",
                &[("sub", "0f8fad5b-d9cb-469f-a165-70867728950e")],
            )],
            next_token: None,
        }))
        .get(not_found());
    let r = lookup(
        &b,
        &pool(),
        "0f8fad5b-d9cb-469f-a165-70867728950e",
        LookupMode::Sub,
        None,
    )
    .await;
    let Err(LookupError::NotFound { tried, calls, .. }) = r else {
        panic!("{r:?}")
    };
    assert_eq!(calls, 3);
    assert_eq!(tried.len(), 3, "{tried:?}");
}

#[tokio::test]
async fn refused_queries_make_no_call() {
    for (query, mode) in [
        ("", LookupMode::Auto),
        ("   ", LookupMode::Auto),
        ("not-a-uuid", LookupMode::Sub),
        ("bad\u{1b}[2J", LookupMode::Auto),
    ] {
        let b = Scripted::default();
        let r = lookup(&b, &pool(), query, mode, None).await;
        assert!(
            matches!(r, Err(LookupError::Refused(_))),
            "{query:?}: {r:?}"
        );
        assert!(b.calls().is_empty());
    }
    let long = "x".repeat(129);
    let b = Scripted::default();
    assert!(matches!(
        lookup(&b, &pool(), &long, LookupMode::Auto, None).await,
        Err(LookupError::Refused(_))
    ));
}

#[tokio::test]
async fn quotes_and_backslashes_are_escaped_in_the_filter() {
    let b = Scripted::default()
        .get(not_found())
        .list(Ok(UserPage::default()));
    let _ = lookup(&b, &pool(), r#"o"brien\x"#, LookupMode::Alias, None).await;
    assert_eq!(
        b.calls()[1],
        r#"ListUsers preferred_username = "o\"brien\\x" limit 60"#
    );
}

#[tokio::test]
async fn a_known_alias_schema_saves_the_redundant_list() {
    let schema = PoolSchema {
        alias_attributes: vec!["preferred_username".into()],
        ..PoolSchema::default()
    };
    let b = Scripted::default().get(not_found());
    let r = lookup(&b, &pool(), "nobody", LookupMode::Auto, Some(&schema)).await;
    assert!(
        matches!(r, Err(LookupError::NotFound { calls: 1, .. })),
        "{r:?}"
    );
    assert_eq!(b.calls().len(), 1);
}

#[tokio::test]
async fn demo_pool_follows_cognito_rules() {
    let demo = DemoBackend::embedded();
    let pool = demo.pool_id();
    let get = |q: &'static str, mode| {
        let demo = demo.clone();
        let pool = pool.clone();
        async move { lookup(&demo, &pool, q, mode, None).await }
    };
    // Verified email alias: one call. Unverified email: found through ListUsers.
    let Ok(LookupOutcome::Found(f)) = get("alice@acme.example", LookupMode::Auto).await else {
        panic!()
    };
    assert_eq!((f.user.username.as_str(), f.resolution.calls), ("alice", 1));
    let Ok(LookupOutcome::Found(f)) = get("carol@acme.example", LookupMode::Auto).await else {
        panic!()
    };
    assert_eq!(f.resolution.to_string(), "by email, via ListUsers");
    // Phone is not an alias in the demo pool.
    let Ok(LookupOutcome::Found(f)) = get("+15550100001", LookupMode::Auto).await else {
        panic!()
    };
    assert_eq!(f.resolution.to_string(), "by phone number, via ListUsers");
    // Case-insensitive pool, and sub.
    let Ok(LookupOutcome::Found(f)) = get("ALICE", LookupMode::Username).await else {
        panic!()
    };
    assert_eq!(f.user.username, "alice");
    let sub = f.user.sub().unwrap().to_string();
    let sub: &'static str = Box::leak(sub.into_boxed_str());
    let Ok(LookupOutcome::Found(f)) = get(sub, LookupMode::Sub).await else {
        panic!()
    };
    assert_eq!(f.resolution.to_string(), "by sub, via AdminGetUser");
    // Unknown pool.
    let other = PoolId::parse("us-east-1_Other").unwrap();
    let r = lookup(&demo, &other, "alice", LookupMode::Auto, None).await;
    assert!(matches!(r, Err(LookupError::Cognito(e)) if e.kind == ErrorKind::PoolNotFound));
    assert!(demo.len() >= 25);
}

const SUB: &str = "0f8fad5b-d9cb-469f-a165-70867728950e";

#[tokio::test]
async fn by_sub_a_user_whose_username_is_that_sub_is_not_it() {
    // AdminGetUser answers for the username first: mallory's username is ann's sub.
    let b = Scripted::default()
        .get(Ok(user(
            SUB,
            &[("sub", "11111111-2222-4333-8444-555555555555")],
        )))
        .list(Ok(UserPage {
            users: vec![summary("ann", &[("sub", SUB)])],
            next_token: None,
        }))
        .get(Ok(user("ann", &[("sub", SUB)])));
    let r = lookup(&b, &pool(), SUB, LookupMode::Sub, None).await;
    let Ok(LookupOutcome::Found(f)) = r else {
        panic!("{r:?}")
    };
    assert_eq!(f.user.username, "ann");
    assert_eq!(f.resolution.to_string(), "by sub, via ListUsers");
    assert_eq!(
        b.calls(),
        [
            format!("AdminGetUser {SUB}"),
            format!("ListUsers sub = \"{SUB}\" limit 60"),
            "AdminGetUser ann".to_string(),
        ]
    );
}

#[tokio::test]
async fn by_sub_the_user_holding_it_is_one_call() {
    let b = Scripted::default().get(Ok(user("ann", &[("sub", SUB)])));
    let r = lookup(&b, &pool(), SUB, LookupMode::Sub, None).await;
    let Ok(LookupOutcome::Found(f)) = r else {
        panic!("{r:?}")
    };
    assert_eq!(f.resolution.to_string(), "by sub, via AdminGetUser");
    assert_eq!(b.calls().len(), 1);
}

#[tokio::test]
async fn by_alias_a_user_whose_username_is_that_email_is_not_it() {
    let b = Scripted::default()
        .get(Ok(user(
            "ann@example.com",
            &[("email", "mallory@evil.example")],
        )))
        .list(Ok(UserPage {
            users: vec![summary("ann", &[("email", "ann@example.com")])],
            next_token: None,
        }))
        .get(Ok(user("ann", &[("email", "ann@example.com")])));
    let r = lookup(&b, &pool(), "ann@example.com", LookupMode::Alias, None).await;
    let Ok(LookupOutcome::Found(f)) = r else {
        panic!("{r:?}")
    };
    assert_eq!(f.user.username, "ann");
    assert_eq!(f.resolution.to_string(), "by email, via ListUsers");
    assert_eq!(f.resolution.calls, 3);
}

#[tokio::test]
async fn by_alias_a_preferred_username_alias_is_one_call() {
    let b = Scripted::default().get(Ok(user("u-1", &[("preferred_username", "ally")])));
    let r = lookup(&b, &pool(), "ally", LookupMode::Alias, None).await;
    let Ok(LookupOutcome::Found(f)) = r else {
        panic!("{r:?}")
    };
    assert_eq!(f.resolution.matched_by, MatchedBy::PreferredUsername);
    assert_eq!(b.calls().len(), 1);
}

#[tokio::test]
async fn by_username_the_user_whose_alias_it_is_is_not_found() {
    let b = Scripted::default().get(Ok(user("u-1", &[("preferred_username", "bob")])));
    let r = lookup(&b, &pool(), "bob", LookupMode::Username, None).await;
    let Err(LookupError::NotFound { tried, calls, .. }) = &r else {
        panic!("{r:?}")
    };
    assert_eq!(*calls, 1, "username mode has no fallback");
    assert!(tried[0].contains("\"u-1\""), "{tried:?}");
    assert!(tried[0].contains("not the username"), "{tried:?}");

    // Case-folded: a case-insensitive pool answers `Bob` for `bob`.
    let b = Scripted::default().get(Ok(user("Bob", &[])));
    let r = lookup(&b, &pool(), "bob", LookupMode::Username, None).await;
    assert!(matches!(r, Ok(LookupOutcome::Found(_))), "{r:?}");
}

#[tokio::test]
async fn auto_an_email_found_as_a_username_that_another_user_holds_is_ambiguous() {
    let b = Scripted::default()
        .get(Ok(user(
            "ann@example.com",
            &[("email", "mallory@evil.example")],
        )))
        .list(Ok(UserPage {
            users: vec![summary("ann", &[("email", "ann@example.com")])],
            next_token: None,
        }));
    let r = lookup(&b, &pool(), "ann@example.com", LookupMode::Auto, None).await;
    let Ok(LookupOutcome::Ambiguous(a)) = r else {
        panic!("{r:?}")
    };
    let names: Vec<&str> = a.matches.iter().map(|m| m.username.as_str()).collect();
    assert_eq!(names, ["ann@example.com", "ann"]);
    assert_eq!(a.matched_by, [MatchedBy::Username, MatchedBy::Email]);
    assert_eq!(a.calls, 2);
    assert_eq!(
        a.description(),
        "username or email = \"ann@example.com\"",
        "the title names both ways"
    );
    assert_eq!(
        b.calls(),
        [
            "AdminGetUser ann@example.com",
            "ListUsers email = \"ann@example.com\" limit 60",
        ]
    );
}

#[tokio::test]
async fn auto_a_phone_found_as_a_username_nobody_else_holds_is_found() {
    let b = Scripted::default()
        .get(Ok(user("+15550102030", &[])))
        .list(Ok(UserPage::default()));
    let r = lookup(&b, &pool(), "+1 555 010 2030", LookupMode::Auto, None).await;
    let Ok(LookupOutcome::Found(f)) = r else {
        panic!("{r:?}")
    };
    assert_eq!(f.resolution.to_string(), "by username, via AdminGetUser");
    assert_eq!(f.resolution.calls, 2);
    assert_eq!(
        b.calls()[1],
        "ListUsers phone_number = \"+15550102030\" limit 60"
    );
}

#[tokio::test]
async fn auto_the_collision_check_costs_nothing_where_it_cannot_happen() {
    // email is an alias here: AdminGetUser already resolved it (an unscripted ListUsers
    // would panic).
    let schema = PoolSchema {
        alias_attributes: vec!["email".into()],
        ..Default::default()
    };
    let b = Scripted::default().get(Ok(user("ann@example.com", &[])));
    let r = lookup(
        &b,
        &pool(),
        "ann@example.com",
        LookupMode::Auto,
        Some(&schema),
    )
    .await;
    assert!(matches!(r, Ok(LookupOutcome::Found(_))), "{r:?}");
    // Plain and UUID queries found as usernames: one call.
    for q in ["alice", SUB] {
        let b = Scripted::default().get(Ok(user(q, &[])));
        let r = lookup(&b, &pool(), q, LookupMode::Auto, None).await;
        assert!(matches!(r, Ok(LookupOutcome::Found(_))), "{r:?}");
        assert_eq!(b.calls().len(), 1);
    }
    // Found by its email (an alias): no check either.
    let b = Scripted::default().get(Ok(user("u-1", &[("email", "ann@example.com")])));
    let r = lookup(&b, &pool(), "ann@example.com", LookupMode::Auto, None).await;
    assert!(matches!(r, Ok(LookupOutcome::Found(_))), "{r:?}");
    assert_eq!(b.calls().len(), 1);
}
