//! The integration tests, as one crate: one binary to compile and link (each separate test
//! binary links the whole AWS SDK again). Run one group with `cargo test --test it emulators::`.
//! The process environment is isolated once, before `main` and any thread (see
//! `isolate_environment`), so tests whose worker builds its AWS client from the environment,
//! as the TUI does (`env_*`), run here beside the others; no test changes it afterwards.

// the limit is for src/ (issue 21); long table tests read better whole
#![allow(clippy::too_many_lines)]

#[path = "../common/mod.rs"]
mod common;

mod actions;
mod actions_tui;
mod allpools;
mod audit;
mod audit_caller;
mod audit_chain;
mod audit_syslog;
mod bastion;
mod bastion_identity;
mod bastion_imds;
mod bastion_rate;
mod bastion_slow_link;
mod bastion_tls;
mod bastion_tty;
mod browse_export;
mod cli_exceptions;
mod cli_faults;
mod cli_get;
mod cli_include;
mod config_pools;
mod desk_batch;
mod desk_export;
mod diagnose;
mod diagnose_cli;
mod diagnose_model;
mod diagtui;
mod diagtui_batch;
mod diagtui_emulator;
mod discover_cli;
mod discover_tui;
mod emulator_resources;
mod emulator_search;
mod emulators;
mod env_finder;
mod env_pools;
mod env_readonly;
mod export_counts;
mod export_tokens;
mod finder;
mod finder_filters;
mod finder_filters_moto;
mod invariants;
mod log_lines;
mod long_runs;
mod oneshot_gate;
mod output_errors;
mod output_escaping;
mod output_sink;
mod packaging;
mod phone;
mod pools;
mod privacy_cli;
mod privacy_time;
mod privacy_tui;
mod properties;
mod resolution;
mod search_cache;
mod search_cli;
mod suite_rules;
mod tui_pty;
mod tui_render;
mod tui_robustness;
mod tui_update;
mod ui_views;
mod usage_errors;
mod width_columns;
mod worker_gate;
mod write_race_tui;
mod write_target;

/// Dummy credentials, no instance-metadata probe, no AWS profile, config or endpoint, and a
/// HOME and config directory of the tests' own: code under test that reads the environment
/// (the worker builds its client the way the TUI does) contacts nothing but 127.0.0.1 and
/// reads nothing of this machine's. Child processes get their own environment regardless.
#[ctor::ctor(unsafe)]
fn isolate_environment() {
    let home = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("it-home");
    let _ = std::fs::create_dir_all(home.join("config"));
    let vars = [
        ("AWS_ACCESS_KEY_ID", common::seed::ACCESS_KEY.to_string()),
        (
            "AWS_SECRET_ACCESS_KEY",
            common::seed::SECRET_KEY.to_string(),
        ),
        ("AWS_EC2_METADATA_DISABLED", "true".to_string()),
        (
            "AWS_CONFIG_FILE",
            home.join("no-config").display().to_string(),
        ),
        (
            "AWS_SHARED_CREDENTIALS_FILE",
            home.join("no-credentials").display().to_string(),
        ),
        ("HOME", home.display().to_string()),
        ("XDG_CONFIG_HOME", home.join("config").display().to_string()),
    ];
    // SAFETY: a constructor runs before `main`, while this process has a single thread.
    unsafe {
        for (k, v) in vars {
            std::env::set_var(k, v);
        }
        for k in [
            "AWS_PROFILE",
            "AWS_ENDPOINT_URL",
            "AWS_SESSION_TOKEN",
            "COGNITO_TUI_CONFIG",
        ] {
            std::env::remove_var(k);
        }
    }
}
