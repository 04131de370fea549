//! cognito-tui: look up AWS Cognito user-pool users by username, alias or sub.

pub mod act;
pub mod app;
pub mod audit;
pub mod cli;
pub mod cognito;
pub mod config;
pub mod diagnose;
pub mod exit;
pub mod export;
pub mod filter;
pub mod hatch;
pub mod keymap;
pub mod login;
pub mod oneshot;
pub mod output;
pub mod paths;
pub mod phone;
pub mod ratelimit;
pub mod redact;
pub mod sanitize;
pub mod search;
pub mod session;
/// The CSV/TSV writer's old path, for the TUI's list export (`worker::write_csv`).
pub use output::table as tabular;
pub mod time;
pub mod tui;
pub mod ui;
pub mod width;
pub mod worker;
