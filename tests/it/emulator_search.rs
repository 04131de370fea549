//! Type-ahead search, browsing and the rate limiter against real emulators on 127.0.0.1,
//! every request seen by a recording proxy: moto with a pool of 10,000+ users, a tiny
//! cognito-local pool (it corrupts data under concurrent writes and ignores paging), and a
//! wiremock stub answering TooManyRequestsException.

use crate::common::emulator;
use crate::common::proxy;
use crate::common::seed;

use std::collections::HashSet;
use std::sync::Arc;
use std::time::{Duration, Instant};

use aws_sdk_cognitoidentityprovider as cip;
use cip::types::{AttributeType, MessageActionType};
use cognito_tui::cognito::sdk::SdkBackend;
use cognito_tui::cognito::{Backend, ErrorKind, FilterAttribute, PageRequest, PoolId};
use cognito_tui::ratelimit::{BackoffPolicy, RateLimitedBackend, RateLimiter, RateLimits};
use cognito_tui::search::browse::{self, LoadOutcome, Pager};
use cognito_tui::search::{self, Field, SearchResults, UserStore};
use emulator::{BulkUser, Emulator, Kind};
use proxy::RecordingProxy;
use tokio_util::sync::CancellationToken;

/// Users the set-up creates in the big pool (plus one special user).
const BIG: usize = 10_000;

const FAMILY: [&str; 40] = [
    "Smith",
    "Johnson",
    "Williams",
    "Brown",
    "Jones",
    "Garcia",
    "Miller",
    "Davis",
    "Rodriguez",
    "Martinez",
    "Hernandez",
    "Lopez",
    "Gonzalez",
    "Wilson",
    "Anderson",
    "Thomas",
    "Taylor",
    "Moore",
    "Jackson",
    "Martin",
    "Lee",
    "Perez",
    "Thompson",
    "White",
    "Harris",
    "Sanchez",
    "Clark",
    "Ramirez",
    "Lewis",
    "Robinson",
    "Walker",
    "Young",
    "Allen",
    "King",
    "Wright",
    "Scott",
    "Torres",
    "Nguyen",
    "Hill",
    "Kowalski",
];
const GIVEN: [&str; 8] = [
    "James", "Mary", "John", "Linda", "Wei", "Fatima", "Olu", "Renée",
];

fn attr(name: &str, value: &str) -> AttributeType {
    AttributeType::builder()
        .name(name)
        .value(value)
        .build()
        .expect("attribute")
}

/// User `i`: username user00042, email u00042@…, phone +15550000042, preferred pref00042,
/// given/family from short lists (so some prefixes match hundreds of users).
fn attributes_of(i: usize) -> Vec<AttributeType> {
    let given = GIVEN[i % GIVEN.len()];
    let family = FAMILY[i % FAMILY.len()];
    vec![
        attr("email", &format!("u{i:05}@example.com")),
        attr("phone_number", &format!("+1555{i:07}")),
        attr("preferred_username", &format!("pref{i:05}")),
        attr("given_name", given),
        attr("family_name", family),
        attr("name", &format!("{given} {family}")),
    ]
}

async fn create(
    client: &cip::Client,
    pool: &str,
    username: &str,
    attrs: Vec<AttributeType>,
) -> String {
    let mut attempt = 0;
    loop {
        let result = client
            .admin_create_user()
            .user_pool_id(pool)
            .username(username)
            .message_action(MessageActionType::Suppress)
            .temporary_password("Temp-Passw0rd!")
            .set_user_attributes(Some(attrs.clone()))
            .send()
            .await;
        match result {
            Ok(out) => {
                return out
                    .user
                    .and_then(|u| u.attributes)
                    .unwrap_or_default()
                    .into_iter()
                    .find(|a| a.name == "sub")
                    .and_then(|a| a.value)
                    .expect("sub");
            }
            Err(e) if attempt < 3 => {
                attempt += 1;
                eprintln!("retrying AdminCreateUser {username}: {e:?}");
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
            Err(e) => panic!("AdminCreateUser {username}: {e:?}"),
        }
    }
}

/// Creates the big pool with `BIG` users (in bulk, through the moto launcher), plus one
/// special user over HTTP; returns the pool id and the sub of user 4321.
async fn seed_big(moto: &Emulator) -> (String, String) {
    let client = seed::client(&moto.url());
    let pool = seed::create_pool(&client, "big").await;
    let started = Instant::now();
    let users: Vec<BulkUser> = (0..BIG)
        .map(|i| BulkUser {
            username: format!("user{i:05}"),
            attributes: attributes_of(i)
                .into_iter()
                .map(|a| (a.name, a.value.unwrap_or_default()))
                .collect(),
            ..BulkUser::default()
        })
        .collect();
    let subs = moto.create_users(&pool, &users);
    create(
        &client,
        &pool,
        "qq.special",
        vec![
            attr("email", "quirinus@acme.io"),
            attr("given_name", "Quirinus"),
            attr("family_name", "Quackenbush"),
            attr("name", "Quirinus Quackenbush"),
            attr("preferred_username", "quacky"),
        ],
    )
    .await;
    eprintln!(
        "seeded {} users in {:.1} s",
        BIG + 1,
        started.elapsed().as_secs_f64()
    );
    (pool, subs["user04321"].clone())
}

async fn sdk(url: &str) -> SdkBackend {
    seed::backend(url.into()).await
}

fn limited(inner: SdkBackend, user_list: u32) -> RateLimitedBackend<SdkBackend> {
    let limits = RateLimits {
        user_list,
        ..RateLimits::default()
    };
    RateLimitedBackend::new(
        inner,
        Arc::new(RateLimiter::new(limits, BackoffPolicy::default())),
    )
}

fn usernames(r: &SearchResults) -> Vec<&str> {
    r.hits.iter().map(|h| h.user.username.as_str()).collect()
}

/// Searches and checks the wire: exactly `requests` ListUsers and nothing else.
async fn search_counted(
    backend: &dyn Backend,
    proxy: &RecordingProxy,
    pool: &PoolId,
    query: &str,
    requests: usize,
) -> SearchResults {
    proxy.take();
    let r = search::search(backend, pool, query, None).await;
    assert!(r.failures.is_empty(), "{query}: {:?}", r.failures);
    let ops = proxy.take();
    assert_eq!(ops.len(), requests, "{query}: {ops:?}");
    assert!(ops.iter().all(|op| op == "ListUsers"), "{query}: {ops:?}");
    assert_eq!(r.requests, requests);
    r
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn moto_10k_users_search_browse_load_all_and_rate_limit() {
    let Some(moto) = Emulator::start(Kind::Moto) else {
        return;
    };
    let (pool_id, sub_4321) = seed_big(&moto).await;
    let pool = PoolId::parse(&pool_id).unwrap();
    // Three independent parts, each with its own limiter and its own proxy to count at, side
    // by side: the searches, load-all at 10/s then 30/s, and type-ahead bursts at 5/s.
    let (searched, loaded, bursts) = tokio::join!(
        searches_cost_only_their_list_users(&moto, &pool, &pool_id, &sub_4321),
        load_all_cancelled_at_10_per_second_then_resumed(&moto, &pool),
        concurrent_type_ahead_bursts_hold_the_default_5_per_second(&moto, &pool),
    );
    // Nothing in this whole test opened a user.
    for seen in [searched, loaded, bursts] {
        assert!(!seen.iter().any(|op| op == "AdminGetUser"), "{seen:?}");
    }
}

/// Search by each attribute kind, type-ahead with and without the prefix cache, paging and
/// the pool list; each costs only the ListUsers its shape needs. Returns what the proxy saw.
async fn searches_cost_only_their_list_users(
    moto: &Emulator,
    pool: &PoolId,
    pool_id: &str,
    sub_4321: &str,
) -> Vec<String> {
    let pool = pool.clone();
    let proxy = RecordingProxy::start(moto.addr).await;
    let backend = limited(sdk(&proxy.url()).await, 30);

    let r = search_counted(&backend, &proxy, &pool, "user0123", 6).await;
    let mut names = usernames(&r);
    names.sort();
    let expected: Vec<String> = (1230..1240).map(|i| format!("user{i:05}")).collect();
    assert_eq!(names, expected);
    assert!(
        r.hits
            .iter()
            .all(|h| h.matched_by == [FilterAttribute::Username])
    );
    assert_eq!(r.hits[0].highlights.for_field(Field::Username).len(), 8);

    let r = search_counted(&backend, &proxy, &pool, "u01234@", 1).await;
    assert_eq!(usernames(&r), ["user01234"]);
    assert_eq!(
        r.hits[0].highlights.for_field(Field::Email),
        &[0, 1, 2, 3, 4, 5, 6]
    );

    let r = search_counted(&backend, &proxy, &pool, "+1 555 000-777", 1).await;
    let mut names = usernames(&r);
    names.sort();
    let expected: Vec<String> = (7770..7780).map(|i| format!("user{i:05}")).collect();
    assert_eq!(names, expected, "phone prefix +1555000777");

    let r = search_counted(&backend, &proxy, &pool, &sub_4321[..13], 2).await;
    assert_eq!(
        usernames(&r),
        ["user04321"],
        "sub prefix {}",
        &sub_4321[..13]
    );
    assert_eq!(r.hits[0].matched_by, [FilterAttribute::Sub]);

    let r = search_counted(&backend, &proxy, &pool, "pref0999", 6).await;
    assert_eq!(r.hits.len(), 10);
    assert!(
        r.hits
            .iter()
            .all(|h| h.matched_by == [FilterAttribute::PreferredUsername])
    );

    let r = search_counted(&backend, &proxy, &pool, "Quirin", 6).await;
    assert_eq!(usernames(&r), ["qq.special"], "merged without duplicates");
    assert_eq!(
        r.hits[0].matched_by,
        [FilterAttribute::Name, FilterAttribute::GivenName]
    );
    let r = search_counted(&backend, &proxy, &pool, "Quacken", 6).await;
    assert_eq!(r.hits[0].matched_by, [FilterAttribute::FamilyName]);

    // 250 users are called Kowalski: one page of 60, flagged as a sample.
    let r = search_counted(&backend, &proxy, &pool, "Kowalski", 6).await;
    assert_eq!(r.hits.len(), 60);
    assert!(r.more);

    let r = search_counted(&backend, &proxy, &pool, "nobody-here", 6).await;
    assert!(r.hits.is_empty());

    // A type-ahead session with the cache: typing "u0777" one key at a time after "u0".
    let cache = search::PrefixCache::new();
    proxy.take();
    let mut requests = 0;
    for q in ["u0", "u07", "u077", "u0777"] {
        requests += search::search(&backend, &pool, q, Some(&cache))
            .await
            .requests;
    }
    let ops = proxy.take();
    assert_eq!(ops.len(), requests);
    eprintln!("type-ahead u0 → u0777 with the prefix cache: {requests} ListUsers");

    // A slow typist (a search after every key) typing the email prefix "u01234": with and
    // without the cache. A fast typist with a 300 ms debounce sends only the last search.
    let typed = "u01234";
    let mut with_cache = 0;
    let mut without = 0;
    let cache = search::PrefixCache::new();
    for n in 1..=typed.len() {
        let q = &typed[..n];
        with_cache += search::search(&backend, &pool, q, Some(&cache))
            .await
            .requests;
        without += search::search(&backend, &pool, q, None).await.requests;
    }
    let last = search::search(&backend, &pool, typed, None).await;
    assert_eq!(usernames(&last), ["user01234"]);
    proxy.take();
    eprintln!(
        "typing {typed:?} key by key: {without} ListUsers without the cache, {with_cache} with it; \
         debounced to one search: {}",
        last.requests
    );
    assert!(with_cache < without);

    // Paging: 60 a page, distinct users, a token until the end.
    proxy.take();
    let mut pager = Pager::new(None);
    let first = pager.next_page(&backend, &pool).await.unwrap();
    let second = pager.next_page(&backend, &pool).await.unwrap();
    assert_eq!((first.users.len(), second.users.len()), (60, 60));
    let distinct: HashSet<&str> = first
        .users
        .iter()
        .chain(&second.users)
        .map(|u| u.username.as_str())
        .collect();
    assert_eq!(distinct.len(), 120);
    assert!(!pager.done && pager.next_token.is_some());
    assert_eq!(proxy.take(), ["ListUsers", "ListUsers"]);

    // Pools are listed too.
    let page = backend
        .list_user_pools(PageRequest::first(60))
        .await
        .unwrap();
    assert!(
        page.pools
            .iter()
            .any(|p| p.id == pool_id && p.name == "big")
    );
    proxy.seen()
}

/// Load-all at 10 ListUsers/s, cancelled after 2.5 s, then resumed at 30/s to the end.
async fn load_all_cancelled_at_10_per_second_then_resumed(
    moto: &Emulator,
    pool: &PoolId,
) -> Vec<String> {
    let pool = pool.clone();
    let proxy = RecordingProxy::start(moto.addr).await;

    // Load-all at 10 ListUsers/s, cancelled after 2.5 s: the rate holds at the proxy (one
    // more in a window is arrival jitter between the limiter and the proxy).
    let slow = limited(sdk(&proxy.url()).await, 10);
    // A new client's first request is slow to leave (lazy set-up); warm it up outside the
    // limiter so arrival times at the proxy reflect the limiter, not the set-up.
    slow.inner().describe_pool(&pool).await.unwrap();
    let cancel = CancellationToken::new();
    let canceller = {
        let cancel = cancel.clone();
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(2500)).await;
            cancel.cancel();
        })
    };
    let mut store = UserStore::new();
    let mut pager = Pager::new(None);
    let since = Instant::now();
    let outcome = browse::load_all(&slow, &pool, &mut pager, &cancel, |page, progress| {
        store.extend(&page.users);
        assert_eq!(progress.users, store.len());
    })
    .await
    .unwrap();
    canceller.await.unwrap();
    let LoadOutcome::Cancelled(at) = outcome else {
        panic!("expected a cancelled load, got {outcome:?}");
    };
    let sent = proxy
        .times_of("ListUsers")
        .into_iter()
        .filter(|t| *t >= since)
        .count();
    let per_second = proxy.max_per_second("ListUsers", since);
    eprintln!(
        "load-all at 10/s: {} pages, {} users in 2.5 s; {sent} ListUsers sent, at most {per_second} in any second",
        at.pages, at.users
    );
    assert!(
        per_second <= 11,
        "{per_second} ListUsers in one second at a 10/s limit"
    );
    // At least a few pages went out (the limiter lets the load run); how many more depends on
    // how fast moto answers on this machine, so the bounds that matter are the rate above and
    // the page count below.
    assert!((2..=30).contains(&sent), "{sent} requests in 2.5 s at 10/s");
    assert!(!at.done && at.next_token.is_some());
    assert!(
        sent <= at.pages + 1,
        "at most the abandoned request is extra"
    );

    // Resume from where it stopped, and read everything.
    let fast = limited(sdk(&proxy.url()).await, 30);
    let outcome = browse::load_all(
        &fast,
        &pool,
        &mut pager,
        &CancellationToken::new(),
        |page, _| {
            store.extend(&page.users);
        },
    )
    .await
    .unwrap();
    assert!(matches!(outcome, LoadOutcome::Complete(_)));
    assert_eq!(store.len(), BIG + 1, "every user once");
    assert_eq!(pager.pages, (BIG + 1).div_ceil(60));

    proxy.seen()
}

/// Concurrent type-ahead bursts through the default 5/s limit.
async fn concurrent_type_ahead_bursts_hold_the_default_5_per_second(
    moto: &Emulator,
    pool: &PoolId,
) -> Vec<String> {
    let pool = pool.clone();
    let proxy = RecordingProxy::start(moto.addr).await;
    let default = limited(sdk(&proxy.url()).await, 5);
    default.inner().describe_pool(&pool).await.unwrap();
    let since = Instant::now();
    let queries = ["Ja", "Ma", "Jo", "Li"];
    futures::future::join_all(
        queries
            .iter()
            .map(|q| search::search(&default, &pool, q, None)),
    )
    .await;
    let sent = proxy
        .times_of("ListUsers")
        .into_iter()
        .filter(|t| *t >= since)
        .count();
    let per_second = proxy.max_per_second("ListUsers", since);
    let times: Vec<Instant> = (proxy.times_of("ListUsers").into_iter())
        .filter(|t| *t >= since)
        .collect();
    assert_eq!(sent, 24);
    // The limiter spaces requests 200 ms apart: 24 span 4.6 s, any six span 1 s, and a
    // one-second window holds 5, or 6 when arrival jitter moves one across its edge.
    // Measured at the proxy (two runs at a load average of 17 on 2 cores): 4.597 and 4.612 s,
    // six in no less than 954 and 936 ms (64 ms of jitter at worst), at most 6 in a second.
    // The bounds keep about three times that jitter: a 6/s limiter (3.8 s for 24, 833 ms for
    // six) fails them, and so does 24 requests in a burst.
    let span = times[23] - times[0];
    let shortest_six = (times.windows(6).map(|w| w[5] - w[0]).min()).unwrap();
    eprintln!(
        "type-ahead at 5/s: {sent} ListUsers over {span:?}, at most {per_second} in any \
         second, six in no less than {shortest_six:?}"
    );
    assert!(
        per_second <= 6,
        "{per_second} ListUsers in one second at a 5/s limit"
    );
    assert!(
        span >= Duration::from_millis(4400),
        "24 requests at 5/s span 4.6 s: {span:?}"
    );
    assert!(
        shortest_six >= Duration::from_millis(700),
        "six requests at 5/s span 1 s: {shortest_six:?}"
    );

    proxy.seen()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cognito_local_small_pool_and_its_paging_gap() {
    let Some(local) = Emulator::start(Kind::CognitoLocal) else {
        return;
    };
    let client = seed::client(&local.url());
    let pool_id = seed::create_pool(&client, "small").await;
    // One at a time: cognito-local corrupts its data file under concurrent writes.
    for i in 0..5 {
        create(&client, &pool_id, &format!("user{i:05}"), attributes_of(i)).await;
    }
    let pool = PoolId::parse(&pool_id).unwrap();
    let proxy = RecordingProxy::start(local.addr).await;
    let backend = limited(sdk(&proxy.url()).await, 30);

    let r = search_counted(&backend, &proxy, &pool, "u00003@", 1).await;
    assert_eq!(usernames(&r), ["user00003"]);
    let r = search_counted(&backend, &proxy, &pool, "user0000", 6).await;
    assert_eq!(r.hits.len(), 5);

    // Gap: cognito-local ignores Limit and PaginationToken — one page with everyone and no
    // token. Real Cognito (and moto) would page by 2 here; the pager still terminates.
    let page = backend
        .list_users(&pool, None, PageRequest::first(2))
        .await
        .unwrap();
    assert_eq!(page.users.len(), 5, "cognito-local ignores Limit");
    assert_eq!(page.next_token, None);
    let mut pager = Pager::new(None);
    let mut store = UserStore::new();
    let outcome = browse::load_all(
        &backend,
        &pool,
        &mut pager,
        &CancellationToken::new(),
        |p, _| {
            store.extend(&p.users);
        },
    )
    .await
    .unwrap();
    assert!(matches!(outcome, LoadOutcome::Complete(_)));
    assert_eq!((store.len(), pager.pages), (5, 1));
}

#[tokio::test]
async fn too_many_requests_backs_off_shows_throttled_and_recovers() {
    use wiremock::matchers::{header, method};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    let server = MockServer::start().await;
    let throttled = ResponseTemplate::new(400)
        .insert_header("content-type", "application/x-amz-json-1.1")
        .set_body_string(r#"{"__type":"TooManyRequestsException","message":"Rate exceeded"}"#);
    Mock::given(method("POST"))
        .and(header(
            "x-amz-target",
            "AWSCognitoIdentityProviderService.ListUsers",
        ))
        .respond_with(throttled.clone())
        .up_to_n_times(2)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("content-type", "application/x-amz-json-1.1")
                .set_body_string(
                    r#"{"Users":[{"Username":"alice","Attributes":[{"Name":"email","Value":"alice@example.com"}],"Enabled":true,"UserStatus":"CONFIRMED"}]}"#,
                ),
        )
        .with_priority(2)
        .mount(&server)
        .await;

    let policy = BackoffPolicy {
        base: Duration::from_millis(100),
        cap: Duration::from_secs(1),
        retries: 3,
    };
    let limiter = Arc::new(RateLimiter::new(RateLimits::default(), policy));
    let backend = RateLimitedBackend::new(sdk(&server.uri()).await, limiter.clone());
    let mut status = limiter.subscribe();
    let watcher = tokio::spawn(async move {
        let mut saw_backoff = false;
        while status.changed().await.is_ok() {
            saw_backoff |= status.borrow_and_update().backoff_until.is_some();
            if saw_backoff {
                break;
            }
        }
        saw_backoff
    });
    let pool = PoolId::parse("us-east-1_Stub1").unwrap();
    let started = Instant::now();
    let r = search::search(&backend, &pool, "alice@", None).await;
    assert!(r.failures.is_empty(), "{:?}", r.failures);
    assert_eq!(usernames(&r), ["alice"]);
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
    // Two backoffs: 50–100 ms, then 100–200 ms.
    assert!(started.elapsed() >= Duration::from_millis(150));
    assert!(
        watcher.await.unwrap(),
        "the throttle indicator showed the backoff"
    );
    assert!(!limiter.status().is_throttled());

    // Throttled every time: gives up after the retries with a Throttled error (exit code 7).
    server.reset().await;
    Mock::given(method("POST"))
        .respond_with(throttled)
        .mount(&server)
        .await;
    let r = search::search(&backend, &pool, "alice@", None).await;
    let error = r.total_failure().expect("failed");
    assert_eq!(error.kind, ErrorKind::Throttled);
    assert_eq!(error.exception.as_deref(), Some("TooManyRequestsException"));
    assert_eq!(error.kind.exit_code(), 7);
    assert_eq!(server.received_requests().await.unwrap().len(), 4);
}
