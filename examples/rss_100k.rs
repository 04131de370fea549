//! Measures resident memory with 100,000 users loaded into the browse store, the way
//! "load all" fills it: page by page (60 users), each page dropped once stored, then one
//! fuzzy ranking. Runs a 2-worker tokio runtime like the app. Linux only (/proc/self/status).
//! Run: `cargo run --release --example rss_100k`.

#[path = "../benches/common/synthetic.rs"]
mod synthetic;

use cognito_tui::search::{Ranker, UserStore};

fn status(field: &str) -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .map(|l| l[field.len()..].trim().to_string())
        })
        .unwrap_or_else(|| "?".into())
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let count: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(100_000);
    // An AWS backend set up as the app does (no request is sent), so its memory counts too.
    let backend = runtime.block_on(cognito_tui::cognito::sdk::SdkBackend::connect(
        &cognito_tui::cognito::sdk::SdkOptions {
            region: Some("us-east-1".into()),
            endpoint_url: Some("http://127.0.0.1:9".into()),
            static_credentials: Some(("test".into(), "test".into())),
            ..Default::default()
        },
        None,
    ));
    println!("baseline:        VmRSS {}", status("VmRSS:"));
    let (store, ranker) = runtime.block_on(async move {
        let mut store = UserStore::new();
        let mut rng = synthetic::Rng::new(0x5eed_cafe);
        let mut i = 0;
        while i < count {
            let page: Vec<_> = (i..(i + 60).min(count))
                .map(|n| synthetic::user(&mut rng, n))
                .collect();
            i += page.len();
            store.extend(&page);
            tokio::task::yield_now().await;
        }
        let mut ranker = Ranker::new();
        for q in ["j", "jo", "joh", "john"] {
            ranker.rank(&store, q);
        }
        ranker.rank(&store, "");
        (store, ranker)
    });
    println!(
        "{} users loaded: VmRSS {}  (peak VmHWM {}); store heap {:.1} MB; {} ranked",
        store.len(),
        status("VmRSS:"),
        status("VmHWM:"),
        store.heap_bytes() as f64 / 1e6,
        ranker.results().len()
    );
    drop(backend);
}
