//! cognito-tui: look up AWS Cognito user-pool users by username, alias or sub.

pub mod cli;
pub mod cognito;
pub mod oneshot;
pub mod output;
pub mod sanitize;
pub mod session;
