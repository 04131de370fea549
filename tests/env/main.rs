//! The tests whose worker builds its AWS client from the process environment, as the real
//! TUI does. They share one binary with its own harness (libtest-mimic), so the environment
//! is isolated once in `main`, before any thread exists: dummy credentials, no
//! instance-metadata probe, no profile, and a HOME and config directory of their own, so
//! nothing but 127.0.0.1 is ever contacted. The tests then run side by side.

#[path = "../common/mod.rs"]
#[allow(dead_code)]
mod common;

mod finder;
mod pools;
mod readonly;

use std::future::Future;
use std::path::Path;

use libtest_mimic::{Arguments, Trial};

/// Runs `test` on a runtime of its own, as `#[tokio::test]` would.
pub fn current_thread(test: impl Future<Output = ()>) {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(test);
}

/// The environment every test here runs in (see the module comment).
fn isolate_environment(home: &Path) {
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
    // SAFETY: called at the start of `main`, before the harness or any runtime starts a thread.
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

/// A test as the harness runs it: a panic fails it.
fn trial(name: &'static str, test: fn()) -> Trial {
    Trial::test(name, move || {
        test();
        Ok(())
    })
}

fn main() {
    let home = tempfile::tempdir().unwrap();
    isolate_environment(home.path());
    let trials = vec![
        trial(
            "finder::scrolling_search_and_browse_results_costs_no_admin_get_user",
            finder::scrolling_search_and_browse_results_costs_no_admin_get_user,
        ),
        trial(
            "readonly::without_allow_write_no_write_request_reaches_the_emulator",
            readonly::without_allow_write_no_write_request_reaches_the_emulator,
        ),
        trial(
            "pools::moto_a_switch_to_an_unknown_pool_keeps_the_old_pool_for_the_next_lookup",
            pools::moto_a_switch_to_an_unknown_pool_keeps_the_old_pool_for_the_next_lookup,
        ),
        trial(
            "pools::moto_commands_queued_during_a_slow_switch_are_not_held",
            pools::moto_commands_queued_during_a_slow_switch_are_not_held,
        ),
        trial(
            "pools::moto_a_missing_pool_is_said_on_the_first_screen",
            pools::moto_a_missing_pool_is_said_on_the_first_screen,
        ),
    ];
    let mut args = Arguments::from_args();
    // They wait on emulators and the network far more than on the CPU: all at once.
    args.test_threads.get_or_insert(trials.len());
    libtest_mimic::run(&args, trials).exit();
}
