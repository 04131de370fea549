//! Helpers shared by the integration tests: the demo-pool model driver, the binary runner, the emulators, the recording
//! proxy, fixture seeding and the tmux driver.

pub mod app;
pub mod cli;
pub mod delay_proxy;
pub mod emulator;
pub mod joined;
pub mod proxy;
pub mod seed;
pub mod tls;
pub mod tmux;

/// The path of `shell`, or `None` (a failure under CI=true, which installs it; a loud skip
/// elsewhere).
pub fn installed_shell(shell: &str) -> Option<std::path::PathBuf> {
    let found = ["/bin", "/usr/bin"]
        .iter()
        .map(|d| std::path::Path::new(d).join(shell))
        .find(|p| p.exists());
    if found.is_none() {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "{shell} is not installed (.ci/run installs it)"
        );
        eprintln!("SKIPPED: {shell} is not installed");
    }
    found
}
