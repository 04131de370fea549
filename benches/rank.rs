//! Fuzzy ranking of 100,000 loaded users: one keystroke from scratch, and a growing query
//! that narrows from the previous result (what typing in the browse filter does).
//! Goal: ≤ 16 ms a keystroke. Run: `cargo bench --bench rank`.

#[path = "common/synthetic.rs"]
mod synthetic;

use std::hint::black_box;

use cognito_tui::search::{Ranker, UserStore};
use criterion::{Criterion, criterion_group, criterion_main};

const USERS: usize = 100_000;

fn store() -> UserStore {
    let mut store = UserStore::new();
    store.extend(&synthetic::users(synthetic::bench_size(USERS)));
    store
}

fn rank(c: &mut Criterion) {
    let store = store();
    let mut group = c.benchmark_group("rank_100k");
    for threads in [1, 2] {
        for query in ["m", "jo", "smith", "gmail"] {
            group.bench_function(format!("first_keystroke/{threads}t/{query}"), |b| {
                b.iter(|| {
                    // A fresh ranker: nothing to narrow from.
                    let mut ranker = Ranker::with_threads(threads);
                    black_box(ranker.rank(&store, black_box(query)).len())
                })
            });
        }
        group.bench_function(format!("typing_j_o_h_n_._s/{threads}t"), |b| {
            b.iter(|| {
                let mut ranker = Ranker::with_threads(threads);
                let mut q = String::new();
                for c in "john.s".chars() {
                    q.push(c);
                    black_box(ranker.rank(&store, &q).len());
                }
            })
        });
        group.bench_function(format!("narrow_jo_to_joh/{threads}t"), |b| {
            let mut ranker = Ranker::with_threads(threads);
            b.iter(|| {
                ranker.rank(&store, "jo");
                black_box(ranker.rank(&store, "joh").len())
            })
        });
    }
    group.bench_function("highlights_one_screen", |b| {
        let mut ranker = Ranker::new();
        let rows: Vec<u32> = ranker
            .rank(&store, "jsmi")
            .iter()
            .take(50)
            .map(|r| r.row)
            .collect();
        b.iter(|| {
            for &row in &rows {
                black_box(ranker.highlights(&store, row));
            }
        })
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20).measurement_time(std::time::Duration::from_secs(3));
    targets = rank
}
criterion_main!(benches);
