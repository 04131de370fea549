//! `export --with-groups` on moto, requests counted at a recording proxy: the groups come from
//! ListGroups and one ListUsersInGroup per page of each group's members (groups × pages),
//! never AdminListGroupsForUser per user; each user carries exactly its groups.

use crate::common::cli;
use crate::common::emulator::{BulkUser, Emulator, Kind};
use crate::common::proxy::RecordingProxy;
use crate::common::seed;

const USERS: usize = 130;

/// `big` holds user000…user069 (two pages of 60), `small` user100…user104 and user000…user001
/// (one page, so it is read before `big`'s second page comes back), `empty` nobody.
async fn seed_pool(moto: &Emulator) -> String {
    let client = seed::client(&moto.url());
    let pool = seed::create_pool(&client, "groups").await;
    let users: Vec<BulkUser> = (0..USERS)
        .map(|i| BulkUser {
            username: format!("user{i:03}"),
            attributes: vec![],
            password: None,
            disabled: false,
        })
        .collect();
    moto.create_users(&pool, &users);
    for group in ["big", "small", "empty"] {
        client
            .create_group()
            .user_pool_id(&pool)
            .group_name(group)
            .send()
            .await
            .expect("CreateGroup");
    }
    let members = (0..70)
        .map(|i| ("big", i))
        .chain((100..105).map(|i| ("small", i)))
        .chain((0..2).map(|i| ("small", i)));
    for (group, i) in members {
        client
            .admin_add_user_to_group()
            .user_pool_id(&pool)
            .group_name(group)
            .username(format!("user{i:03}"))
            .send()
            .await
            .expect("AdminAddUserToGroup");
    }
    pool
}

/// The groups the seeding gave user `i`, in ListGroups' order (creation order on moto).
fn groups_of(i: usize) -> Vec<String> {
    match i {
        0..2 => vec!["big".to_string(), "small".to_string()],
        2..70 => vec!["big".to_string()],
        100..105 => vec!["small".to_string()],
        _ => vec![],
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn groups_cost_groups_times_pages_and_land_on_their_users() {
    let Some(moto) = Emulator::start(Kind::Moto) else {
        return;
    };
    let pool = seed_pool(&moto).await;
    let proxy = RecordingProxy::start(moto.addr).await;
    let url = proxy.url();
    let args = [
        &["export"][..],
        &cli::target(&pool, &url),
        &["--with-groups"],
    ]
    .concat();
    let run = cli::run_args_async(&args).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let seen = proxy.take();
    let count = |op: &str| seen.iter().filter(|o| *o == op).count();
    assert_eq!(count("ListGroups"), 1, "{seen:?}");
    // big: 70 members, two pages; small: one; empty: one (an empty page).
    assert_eq!(count("ListUsersInGroup"), 4, "{seen:?}");
    assert_eq!(count("AdminListGroupsForUser"), 0, "{seen:?}");
    assert!(
        run.stderr.contains("3 groups, 77 memberships, 5 requests"),
        "{}",
        run.stderr
    );
    let lines = cli::json_lines(&run.stdout);
    assert_eq!(lines.len(), USERS);
    for line in lines {
        let name = line["Username"].as_str().unwrap();
        let i: usize = name.trim_start_matches("user").parse().unwrap();
        let groups: Vec<String> = serde_json::from_value(line["Groups"].clone()).unwrap();
        assert_eq!(groups, groups_of(i), "{name}");
    }

    // CSV: a Groups column; without the flag, no group request at all (the control).
    let args = [
        &["export"][..],
        &cli::target(&pool, &url),
        &[
            "-o",
            "csv",
            "--with-groups",
            "--where",
            "username = user003",
        ],
    ]
    .concat();
    let run = cli::run_args_async(&args).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let mut rows = run.stdout.lines();
    assert!(rows.next().unwrap().ends_with(",Groups"), "{}", run.stdout);
    assert!(
        rows.next().unwrap().starts_with("user003,") && run.stdout.trim_end().ends_with(",big"),
        "{}",
        run.stdout
    );
    proxy.take();
    let args = [
        &["export"][..],
        &cli::target(&pool, &url),
        &["--where", "username = user003"],
    ]
    .concat();
    let run = cli::run_args_async(&args).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(proxy.take(), ["DescribeUserPool", "ListUsers"]);
}
