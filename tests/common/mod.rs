//! Helpers shared by the integration tests: the demo-pool model driver, the binary runner, the emulators, the recording
//! proxy, fixture seeding and the tmux driver.

pub mod app;
pub mod audit_log;
pub mod boxes;
pub mod cli;
pub mod delay_proxy;
pub mod emulator;
pub mod joined;
pub mod proxy;
pub mod seed;
pub mod stub;
pub mod target;
pub mod tls;
pub mod tmux;

/// The environment variable naming a file each skipped test appends a line to, so `.ci/run`
/// can count skips in its closing line (libtest hides a passing test's output).
pub const SKIP_LOG_ENV: &str = "COGNITO_TUI_SKIP_LOG";

/// A test that can't run here (a tool or emulator is missing): a failure under `CI=true`
/// (`.ci/run` sets it, and installs everything), else a loud skip, recorded in the file
/// [`SKIP_LOG_ENV`] names.
pub fn skip(message: &str) {
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "{message} (CI=true: .ci/run installs it)"
    );
    eprintln!("SKIPPED: {message}");
    if let Some(path) = std::env::var_os(SKIP_LOG_ENV) {
        use std::io::Write;
        let test = std::thread::current().name().unwrap_or("?").to_string();
        let mut log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .expect("open the skip log");
        writeln!(log, "{test}: {message}").expect("write the skip log");
    }
}

/// The path of `shell` as found on PATH, or `None` after [`skip`].
pub fn installed_shell(shell: &str) -> Option<std::path::PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    let found = std::env::split_paths(&path)
        .map(|dir| dir.join(shell))
        .find(|p| p.is_file());
    if found.is_none() {
        skip(&format!("{shell} is not installed (not on PATH)"));
    }
    found
}
