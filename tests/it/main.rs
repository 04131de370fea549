//! The integration tests, as one crate: one binary to compile and link (each separate test
//! binary links the whole AWS SDK again). Run one group with `cargo test --test it emulators::`.
//! No test changes the process environment: an in-process test gives the AWS SDK its
//! credentials and AWS files through `Target::sdk` (`common::target`), and a child process
//! gets its environment with `Command::env` (`common::cli`).

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
mod bastion_login;
mod bastion_mfa;
mod bastion_rate;
mod bastion_slow_link;
mod bastion_tls;
mod bastion_tty;
mod browse_export;
mod cli_exceptions;
mod cli_faults;
mod cli_get;
mod cli_help;
mod cli_include;
mod cli_query;
mod cli_table;
mod config_pools;
mod demo_cases;
mod demo_lite;
mod desk_batch;
mod desk_export;
mod desk_hour;
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
mod export_groups;
mod export_mfa;
mod export_tokens;
mod filter_lang;
mod filter_moto;
mod filter_tui;
mod finder;
mod finder_filters;
mod finder_filters_moto;
mod invariants;
mod log_lines;
mod long_runs;
mod mfa_factors;
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
mod search_variants;
mod suite_env;
mod suite_rules;
mod temp_password;
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
