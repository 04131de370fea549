//! Records what `--version` says beyond the package version: the git commit the binary is
//! built from and the target triple it is built for.

use std::process::Command;

fn git(args: &[&str]) -> Option<String> {
    let out = Command::new("git").args(args).output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// The commit a packaged crate (crates.io, `cargo install`) was made from: `cargo package`
/// records it in .cargo_vcs_info.json (`"dirty": true` when packaged with --allow-dirty).
fn packaged_commit() -> Option<String> {
    let info = std::fs::read_to_string(".cargo_vcs_info.json").ok()?;
    let sha = info.split("\"sha1\": \"").nth(1)?.get(..12)?;
    let dirty = if info.contains("\"dirty\": true") {
        "+dirty"
    } else {
        ""
    };
    Some(format!("{sha}{dirty}"))
}

fn main() {
    // A packaged crate's directory may sit inside some other git checkout (cargo's own
    // target/package/): its recorded commit comes first. A source tarball with neither
    // says so rather than fail the build.
    let mut commit = packaged_commit()
        .or_else(|| git(&["rev-parse", "--short=12", "HEAD"]))
        .unwrap_or_else(|| "unknown".into());
    // scripts/dist.sh sets this when told to package a tree with uncommitted changes
    // (--allow-dirty): the binary then doesn't claim to be exactly that commit. Checking
    // `git status` here instead would go stale: cargo reruns this script only on the paths
    // below, not on every edit.
    if std::env::var_os("COGNITO_TUI_DIRTY").is_some_and(|v| !v.is_empty())
        && !commit.ends_with("+dirty")
    {
        commit.push_str("+dirty");
    }
    println!("cargo:rustc-env=COGNITO_TUI_GIT_COMMIT={commit}");
    // Cargo gives build scripts the triple being built for (cargo-zigbuild's `.2.17` suffix
    // is not part of it).
    let target = std::env::var("TARGET").unwrap_or_else(|_| "unknown".into());
    println!("cargo:rustc-env=COGNITO_TUI_TARGET={target}");
    println!("cargo:rerun-if-changed=build.rs");
    if std::path::Path::new(".cargo_vcs_info.json").exists() {
        println!("cargo:rerun-if-changed=.cargo_vcs_info.json");
    }
    println!("cargo:rerun-if-env-changed=COGNITO_TUI_DIRTY");
    // Rebuild when HEAD moves: HEAD itself (a checkout) and the ref it points at (a commit).
    for path in ["HEAD", "packed-refs"]
        .into_iter()
        .map(String::from)
        .chain(git(&["symbolic-ref", "-q", "HEAD"]))
    {
        // A path that doesn't exist would make cargo rerun this script on every build.
        if let Some(p) = git(&["rev-parse", "--path-format=absolute", "--git-path", &path])
            .filter(|p| std::path::Path::new(p).exists())
        {
            println!("cargo:rerun-if-changed={p}");
        }
    }
}
