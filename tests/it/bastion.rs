//! One binary for bastion hosts, through the binary itself: shell completions (static scripts
//! that parse, dynamic pool and profile names), the man page, `--version` with the commit, the
//! example config, no terminal, and a HOME that is missing, not writable or someone else's.

use std::path::Path;
use std::process::Command;

use crate::common::{self, cli};

const BIN: &str = env!("CARGO_BIN_EXE_cognito-tui");

fn stdout_of(args: &[&str]) -> String {
    let r = cli::run_args(args);
    assert_eq!(r.code, 0, "{args:?}: {}", r.stderr);
    r.stdout
}

const CONFIG: &str = r#"
[pools.prod-eu]
pool_id = "eu-west-1_AbC123"

[pools.staging]
pool_id = "us-east-1_Xyz"
"#;

/// Completes the last word of `line` in a real bash with the script `completions bash`
/// prints, the binary on PATH; returns COMPREPLY.
fn bash_complete(line: &[&str], env: &[(&str, &Path)]) -> Vec<String> {
    let script = stdout_of(&["completions", "bash"]);
    let dir = tempfile::tempdir().unwrap();
    let script_path = dir.path().join("cognito-tui.bash");
    std::fs::write(&script_path, script).unwrap();
    let words: Vec<String> = line.iter().map(|w| format!("'{w}'")).collect();
    let cword = line.len() - 1;
    let program = format!(
        "source '{}'; COMP_WORDS=({}); COMP_CWORD={cword}; COMP_TYPE=9; \
         _clap_complete_cognito_tui cognito-tui '{}' '{}'; printf '%s\\n' \"${{COMPREPLY[@]}}\"",
        script_path.display(),
        words.join(" "),
        line[cword],
        line[cword.saturating_sub(1)],
    );
    let bin_dir = Path::new(BIN).parent().unwrap();
    let mut bash = Command::new("bash");
    bash.env_clear()
        .env("PATH", format!("{}:/usr/bin:/bin", bin_dir.display()))
        .env("HOME", dir.path())
        .args(["--norc", "-c", &program]);
    for (k, v) in env {
        bash.env(k, v);
    }
    let out = bash.output().expect("run bash");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut words: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect();
    words.sort();
    words
}

#[test]
fn completion_scripts_for_every_shell_and_bash_parses() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let script = stdout_of(&["completions", shell]);
        assert!(script.contains("cognito-tui"), "{shell}: {script}");
        assert!(
            script.contains("COGNITO_TUI_COMPLETE"),
            "{shell} calls the binary back: {script}"
        );
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.bash");
    std::fs::write(&path, stdout_of(&["completions", "bash"])).unwrap();
    let status = Command::new("bash").arg("-n").arg(&path).status().unwrap();
    assert!(status.success(), "bash -n rejects the completion script");

    let r = cli::run_args(&["completions", "tcsh"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("tcsh"), "{}", r.stderr);
}

/// fish and zsh get scripts of their own, not just bash: fish (run for real, the binary on
/// PATH) completes the config's pool names with their ids; zsh parses its script.
#[test]
fn fish_completes_pool_names_and_zsh_parses_its_script() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    std::fs::write(&config, CONFIG).unwrap();
    let bin_dir = Path::new(BIN).parent().unwrap();
    if let Some(fish) = common::installed_shell("fish") {
        let script = dir.path().join("cognito-tui.fish");
        std::fs::write(&script, stdout_of(&["completions", "fish"])).unwrap();
        let out = Command::new(fish)
            .env_clear()
            .env("PATH", format!("{}:/usr/bin:/bin", bin_dir.display()))
            .env("HOME", dir.path())
            .env("COGNITO_TUI_CONFIG", &config)
            .args(["--no-config", "-c"])
            .arg(format!(
                "source '{}'; complete -C 'cognito-tui --pool '; complete -C 'cognito-tui get --pool st'",
                script.display()
            ))
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(
            String::from_utf8_lossy(&out.stdout),
            "prod-eu\teu-west-1_AbC123\nstaging\tus-east-1_Xyz\nstaging\tus-east-1_Xyz\n"
        );
    }
    if let Some(zsh) = common::installed_shell("zsh") {
        let script = dir.path().join("_cognito-tui");
        std::fs::write(&script, stdout_of(&["completions", "zsh"])).unwrap();
        let status = Command::new(zsh).arg("-n").arg(&script).status().unwrap();
        assert!(status.success(), "zsh -n rejects the completion script");
    }
}

#[test]
fn bash_completes_pool_names_from_the_config_and_profiles_from_the_aws_config() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    std::fs::write(&config, CONFIG).unwrap();
    let aws_config = dir.path().join("aws-config");
    std::fs::write(
        &aws_config,
        "[default]\nregion = eu-west-1\n\n[profile support-prod]\nrole_arn = x\n\n[sso-session corp]\nsso_region = eu-west-1\n",
    )
    .unwrap();
    let aws_credentials = dir.path().join("aws-credentials");
    std::fs::write(&aws_credentials, "[ci-user]\naws_access_key_id = x\n").unwrap();

    let env = [("COGNITO_TUI_CONFIG", config.as_path())];
    assert_eq!(
        bash_complete(&["cognito-tui", "--pool", ""], &env),
        ["prod-eu", "staging"]
    );
    assert_eq!(
        bash_complete(&["cognito-tui", "get", "--pool", "st"], &env),
        ["staging"]
    );
    // The default config path under XDG_CONFIG_HOME is read too.
    let xdg = dir.path().join("xdg");
    std::fs::create_dir_all(xdg.join("cognito-tui")).unwrap();
    std::fs::write(xdg.join("cognito-tui/config.toml"), CONFIG).unwrap();
    assert_eq!(
        bash_complete(
            &["cognito-tui", "--pool", "pr"],
            &[("XDG_CONFIG_HOME", xdg.as_path())]
        ),
        ["prod-eu"]
    );

    let env = [
        ("AWS_CONFIG_FILE", aws_config.as_path()),
        ("AWS_SHARED_CREDENTIALS_FILE", aws_credentials.as_path()),
    ];
    assert_eq!(
        bash_complete(&["cognito-tui", "--profile", ""], &env),
        ["ci-user", "default", "support-prod"]
    );
    // Subcommands and options still complete statically.
    let words = bash_complete(&["cognito-tui", "comp"], &[]);
    assert_eq!(words, ["completions"]);
}

#[test]
fn a_broken_config_completes_no_pools_and_no_error() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    std::fs::write(&config, "[pools.x\n").unwrap();
    let env = [("COGNITO_TUI_CONFIG", config.as_path())];
    assert!(bash_complete(&["cognito-tui", "--pool", ""], &env).is_empty());
}

#[test]
fn man_page_is_roff_from_the_cli_definition() {
    let page = stdout_of(&["man"]);
    assert!(
        page.starts_with(".ie") || page.contains(".TH cognito-tui 1"),
        "{page}"
    );
    assert!(page.contains(".TH cognito-tui 1"), "{page}");
    for needle in [
        ".SH NAME",
        ".SH SYNOPSIS",
        r"\-\-pool",
        r"\-\-allow\-write",
        "completions",
        "Look up one user",
    ] {
        assert!(page.contains(needle), "man page lacks {needle}");
    }
    // man(1) renders it when installed (not on every machine).
    if Command::new("man").arg("--version").output().is_ok() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cognito-tui.1");
        std::fs::write(&path, &page).unwrap();
        let out = Command::new("man")
            .arg("-l")
            .arg(&path)
            .env("MANPAGER", "cat")
            .env("PAGER", "cat")
            .output()
            .unwrap();
        if out.status.success() {
            let text = String::from_utf8_lossy(&out.stdout);
            assert!(text.contains("--pool"), "{text}");
        }
    }
}

#[test]
fn version_names_the_git_commit_and_the_target() {
    let version = stdout_of(&["--version"]);
    let line = version.trim();
    let prefix = format!("cognito-tui {} (commit ", env!("CARGO_PKG_VERSION"));
    let inner = line
        .strip_prefix(&prefix)
        .and_then(|rest| rest.strip_suffix(')'))
        .unwrap_or_else(|| panic!("{line}: not `{prefix}COMMIT, TRIPLE)`"));
    let (commit, triple) = inner
        .split_once(", ")
        .unwrap_or_else(|| panic!("{line}: no `, TRIPLE`"));
    // The triple the test itself runs on, from the standard library rather than build.rs.
    let (arch, os) = (std::env::consts::ARCH, std::env::consts::OS);
    assert!(
        triple.starts_with(&format!("{arch}-")) && triple.contains(&format!("-{os}")),
        "{triple} is not a {arch} {os} triple"
    );
    let head = Command::new("git")
        .args(["rev-parse", "--short=12", "HEAD"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string());
    match head {
        Some(head) => assert_eq!(commit, head, "{line}"),
        None => eprintln!("no git here: only the version's shape is checked"),
    }
}

#[test]
fn example_config_is_valid_and_names_its_pools() {
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("config.example.toml");
    let r = cli::run_args(&[
        "--config",
        example.to_str().unwrap(),
        "--demo",
        "get",
        "alice",
        "-o",
        "json",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    // A pool name that is not in it lists the ones that are.
    let r = cli::run_args(&[
        "--config",
        example.to_str().unwrap(),
        "--pool",
        "nope",
        "get",
        "alice",
    ]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("(prod, staging)"), "{}", r.stderr);
}

#[test]
fn without_a_terminal_the_tui_says_so_in_one_line_and_exits_2() {
    // stdin and stdout are pipes here, as under `ssh host cognito-tui`, cron or a pipe.
    let r = cli::run_args(&["--demo"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert_eq!(r.stderr.lines().count(), 1, "{}", r.stderr);
    assert!(r.stderr.contains("needs a terminal"), "{}", r.stderr);
    assert!(r.stderr.contains("ssh -t"), "{}", r.stderr);
    assert!(r.stderr.contains("cognito-tui get"), "{}", r.stderr);
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
    assert!(
        r.stdout.is_empty(),
        "nothing drawn into the pipe: {}",
        r.stdout
    );
}

/// `get --demo` with HOME set to `home` (None: unset).
fn get_demo_with_home(home: Option<&Path>) -> cli::Run {
    let scratch = tempfile::tempdir().unwrap();
    let mut c = cli::command(scratch.path());
    match home {
        Some(h) => c.env("HOME", h),
        None => c.env_remove("HOME"),
    };
    c.env_remove("AWS_CONFIG_FILE")
        .env_remove("AWS_SHARED_CREDENTIALS_FILE")
        .env("RUST_LOG", "warn")
        .args(["--demo", "get", "alice", "-o", "json"]);
    cli::run(c)
}

#[test]
fn one_shot_works_with_home_missing_unwritable_or_foreign() {
    let r = get_demo_with_home(None);
    assert_eq!(r.code, 0, "no HOME: {}", r.stderr);
    assert!(r.stdout.contains("\"Username\": \"alice\""), "{}", r.stdout);

    // A HOME nothing can be created in, even by root (who ignores permission bits).
    let read_only = Path::new("/proc/self");
    assert!(std::fs::create_dir(read_only.join(".local")).is_err());
    let r = get_demo_with_home(Some(read_only));
    assert_eq!(r.code, 0, "read-only HOME: {}", r.stderr);
    let r = get_demo_with_home(Some(Path::new("/nonexistent/home")));
    assert_eq!(r.code, 0, "HOME missing on disk: {}", r.stderr);
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
}
