//! The integration tests, as one crate: one binary to compile and link (each separate test
//! binary links the whole AWS SDK again). Run one group with `cargo test --test it emulators::`.
//! Tests that must change the process environment live in one binary beside this one,
//! `tests/env/`, with a harness that sets it before any thread starts.

#[path = "../common/mod.rs"]
mod common;

mod actions;
mod actions_tui;
mod allpools;
mod audit;
mod bastion;
mod bastion_imds;
mod bastion_slow_link;
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
mod diagtui;
mod diagtui_batch;
mod diagtui_emulator;
mod discover_cli;
mod discover_tui;
mod emulator_resources;
mod emulator_search;
mod emulators;
mod finder;
mod finder_filters;
mod finder_filters_moto;
mod invariants;
mod log_lines;
mod pools;
mod privacy_cli;
mod privacy_time;
mod privacy_tui;
mod properties;
mod resolution;
mod search_cache;
mod search_cli;
mod tui_pty;
mod tui_render;
mod tui_robustness;
mod tui_update;
mod ui_views;
mod usage_errors;
mod width_columns;
