//! The packaging scripts (scripts/package.sh, scripts/package-layout): a tree with uncommitted
//! changes is refused unless `--allow-dirty`, and the one layout installs every file through
//! both the .deb and the .rpm. CI (scripts/ci-packages.sh) builds, installs and removes the
//! real packages; these checks need no binary and no root.

use std::collections::BTreeSet;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Command;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run git");
    assert!(out.status.success(), "git {args:?}: {out:?}");
}

/// Makes `dir` a committed checkout holding the packaging scripts and a Cargo.toml.
fn checkout(dir: &Path) {
    std::fs::create_dir_all(dir.join("scripts")).unwrap();
    for file in ["scripts/package.sh", "scripts/package-layout", "Cargo.toml"] {
        std::fs::copy(Path::new(ROOT).join(file), dir.join(file)).unwrap();
    }
    git(dir, &["init", "-q"]);
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-q", "-m", "packaging"]);
}

/// What the stand-in binary says to `--version`: not the version Cargo.toml names.
const STAND_IN_VERSION: &str = "cognito-tui 9.9.9 (commit 000000000000, none)";

/// Runs scripts/package.sh in `dir` on a stand-in binary (beside the checkout, as is what
/// the script writes, in `out/`); returns its stderr. It always fails here: the stand-in
/// does not say the version it should.
fn package(dir: &Path, flags: &[&str]) -> String {
    let out_dir = dir.parent().unwrap().join("out");
    let stand_in = dir.parent().unwrap().join("stand-in");
    std::fs::write(&stand_in, format!("#!/bin/sh\necho '{STAND_IN_VERSION}'\n")).unwrap();
    std::fs::set_permissions(&stand_in, std::fs::Permissions::from_mode(0o755)).unwrap();
    let out = Command::new("bash")
        .arg("scripts/package.sh")
        .args(flags)
        .arg(&stand_in)
        .current_dir(dir)
        .env("DIST_DIR", out_dir.join("dist"))
        .env("CARGO_TARGET_DIR", out_dir.join("target"))
        .output()
        .expect("run bash");
    assert!(!out.status.success(), "{out:?}");
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn a_dirty_tree_is_refused_unless_allowed() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("repo");
    checkout(&repo);
    std::fs::write(repo.join("stray.txt"), "local edit").unwrap();
    let dirty = package(&repo, &[]);
    assert!(
        dirty.contains("the tree has uncommitted changes") && dirty.contains("stray.txt"),
        "{dirty}"
    );
    assert!(!tmp.path().join("out").exists(), "nothing is written");
    let refused_later = format!("the binary says '{STAND_IN_VERSION}'");

    // Positive controls: allowed, or clean, it passes the check and fails later, on the
    // stand-in binary.
    let allowed = package(&repo, &["--allow-dirty"]);
    assert!(allowed.contains(&refused_later), "{allowed}");
    std::fs::remove_file(repo.join("stray.txt")).unwrap();
    let clean = package(&repo, &[]);
    assert!(clean.contains(&refused_later), "{clean}");
}

/// (FILE, DESTINATION, MODE, FORMATS) for each line of scripts/package-layout.
fn layout() -> Vec<(String, String, String, String)> {
    let text = std::fs::read_to_string(Path::new(ROOT).join("scripts/package-layout")).unwrap();
    text.lines()
        .map(|line| line.split('#').next().unwrap_or_default())
        .filter(|line| !line.trim().is_empty())
        .map(|line| {
            let fields: Vec<&str> = line.split_whitespace().collect();
            assert!(matches!(fields.len(), 3 | 4), "bad layout line: {line}");
            let formats = fields.get(3).copied().unwrap_or("deb,rpm");
            let [file, dest, mode] = [fields[0], fields[1], fields[2]].map(String::from);
            (file, dest, mode, formats.to_string())
        })
        .collect()
}

#[test]
fn the_layout_installs_every_file_through_both_formats() {
    let lines = layout();
    let sources = |format: &str| -> BTreeSet<String> {
        lines
            .iter()
            .filter(|(_, _, _, formats)| formats.split(',').any(|f| f == format))
            .map(|(file, ..)| file.clone())
            .collect()
    };
    assert_eq!(sources("deb"), sources("rpm"));
    let deb = sources("deb");
    for needed in [
        "cognito-tui",
        "cognito-tui.1.gz",
        "completions/cognito-tui.bash",
        "completions/_cognito-tui",
        "completions/cognito-tui.fish",
        "README.md",
        "LICENSE-MIT",
        "LICENSE-APACHE",
        "config.example.toml",
        "assets/iam-policy.json",
        "assets/iam-policy-write.json",
    ] {
        assert!(deb.contains(needed), "the layout does not install {needed}");
    }
    for (file, dest, mode, _) in &lines {
        assert!(
            dest.starts_with("/usr/"),
            "{file} goes to {dest}, outside /usr"
        );
        let executable = dest.starts_with("/usr/bin/");
        assert_eq!(mode, if executable { "0755" } else { "0644" }, "{dest}");
    }
}
