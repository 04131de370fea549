//! `--where` on 100,000 users: what the filter costs per user, away from the rate limiter's
//! sleeps (an export at the ListUsers ceiling reads 1,800 users a second, so the filter's share
//! of the export is this time per user × 1,800 per second). The expressions are those of
//! `benches/desk.py`'s `--where` case: nothing in them is a filter ListUsers takes, so every
//! user is checked. Goal (issue 25): the filter adds ≤ 5% to the export's time. Run:
//! `cargo bench --bench filter`.

#[path = "common/synthetic.rs"]
mod synthetic;

use std::hint::black_box;

use cognito_tui::cognito::{Attribute, UserSummary};
use cognito_tui::filter::Filter;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

const USERS: usize = 100_000;
const TIERS: [&str; 4] = ["gold", "silver", "bronze", "gold-plus"];

/// The synthetic users with a `custom:tier` each, as the desk script's stub serves them.
fn users() -> Vec<UserSummary> {
    let mut users = synthetic::users(synthetic::bench_size(USERS));
    for (i, u) in users.iter_mut().enumerate() {
        u.attributes
            .push(Attribute::new("custom:tier", TIERS[i % TIERS.len()]));
    }
    users
}

fn filter(c: &mut Criterion) {
    let users = users();
    let mut group = c.benchmark_group("where_100k");
    group.throughput(Throughput::Elements(users.len() as u64));
    for (name, source) in [
        ("some", r#"custom:tier ~ "^gold" and email endswith ".org""#),
        (
            "all",
            r#"custom:tier ~ "^(gold|silver|bronze)" and email contains "@""#,
        ),
        ("status", "UserStatus = CONFIRMED and not has(phone_number)"),
    ] {
        let filter = Filter::parse(source).expect("the bench's expressions parse");
        group.bench_function(name, |b| {
            b.iter(|| {
                black_box(&users)
                    .iter()
                    .filter(|u| filter.matches(*u))
                    .count()
            })
        });
    }
    group.finish();
}

criterion_group!(benches, filter);
criterion_main!(benches);
