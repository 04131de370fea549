//! The target an in-process test connects with. What the AWS SDK would otherwise take from
//! the process environment — credentials, the AWS config and credentials files — is given
//! through `Target::sdk` instead, so a test reads nothing of this machine's AWS set-up and
//! no test has to rewrite the environment (child processes get theirs with `Command::env`).
#![allow(dead_code)]

use std::path::Path;

use cognito_tui::cli::TargetArgs;
use cognito_tui::cognito::sdk::ProfilePaths;
use cognito_tui::session::{SdkSettings, Target};

use super::seed;

/// The tests' dummy keys as the only credentials (no chain: no instance-metadata probe) and
/// AWS files that don't exist.
pub fn sdk_settings() -> SdkSettings {
    let home = Path::new(env!("CARGO_TARGET_TMPDIR")).join("it-home");
    SdkSettings {
        static_credentials: Some((seed::ACCESS_KEY.into(), seed::SECRET_KEY.into())),
        profile_paths: Some(ProfilePaths {
            config: home.join("no-config"),
            credentials: home.join("no-credentials"),
        }),
        ..SdkSettings::default()
    }
}

/// `args` with their config file applied, and [`sdk_settings`]. The config file must be
/// named (`--config /dev/null` for none): the default path is this machine's.
pub fn resolve(args: &TargetArgs) -> Target {
    assert!(
        args.config.is_some(),
        "name the config file (--config /dev/null for none): the default is this machine's"
    );
    let mut target = Target::resolve(args).expect("target");
    target.sdk = sdk_settings();
    target
}
