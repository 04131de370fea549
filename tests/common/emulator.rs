//! Starts the real Cognito emulators (moto, cognito-local) on 127.0.0.1 for a test, and stops
//! them when dropped. `.ci/run` installs them; locally, point MOTO_SERVER / COGNITO_LOCAL_DIR
//! at an install. With CI=true a missing emulator fails the test; otherwise the test says
//! it was skipped, loudly.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Which emulator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Moto,
    CognitoLocal,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Moto => "moto",
            Kind::CognitoLocal => "cognito-local",
        }
    }
}

/// A running emulator; killed on drop.
pub struct Emulator {
    pub kind: Kind,
    pub addr: SocketAddr,
    child: Child,
    /// moto only: the launcher's command channel (see `tests/common/moto_launch.py`).
    control: Option<Mutex<(ChildStdin, BufReader<ChildStdout>)>>,
    _workdir: tempfile::TempDir,
}

/// A user for [`Emulator::create_users`].
#[derive(Debug, Clone, Default)]
pub struct BulkUser {
    pub username: String,
    pub attributes: Vec<(String, String)>,
    /// A permanent password (the user becomes CONFIRMED); None leaves FORCE_CHANGE_PASSWORD.
    pub password: Option<String>,
    pub disabled: bool,
}

impl Emulator {
    /// `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Starts `kind`, or returns None (after saying so) when it is not installed outside CI.
    pub fn start(kind: Kind) -> Option<Emulator> {
        let workdir = tempfile::tempdir().expect("temp dir");
        let port = free_port();
        let mut command = match kind {
            Kind::Moto => {
                let bin = locate(
                    "MOTO_SERVER",
                    &project_path(".ci/work/venv/bin/moto_server"),
                )?;
                // The same server `moto_server -H 127.0.0.1 -p PORT` runs, started from the
                // venv's Python so the test can also bulk-create users in it.
                let mut c = Command::new(python_of(&bin));
                c.arg(project_path("tests/common/moto_launch.py"))
                    .args(["127.0.0.1", &port.to_string()]);
                c
            }
            Kind::CognitoLocal => {
                let dir = locate("COGNITO_LOCAL_DIR", &project_path(".ci/node"))?;
                let start = dir.join("node_modules/cognito-local/lib/bin/start.js");
                if !start.exists() {
                    return missing(kind, &start);
                }
                // Without this, every new pool makes the username an email.
                let config_dir = workdir.path().join(".cognito");
                std::fs::create_dir_all(&config_dir).expect("config dir");
                std::fs::write(
                    config_dir.join("config.json"),
                    r#"{"UserPoolDefaults": {"UsernameAttributes": []}}"#,
                )
                .expect("config.json");
                let mut c = Command::new("node");
                c.arg(start)
                    .env("HOST", "127.0.0.1")
                    .env("PORT", port.to_string());
                c
            }
        };
        aws_free(&mut command, workdir.path());
        let piped = kind == Kind::Moto;
        command
            .current_dir(workdir.path())
            .stdin(if piped { Stdio::piped() } else { Stdio::null() })
            .stdout(if piped { Stdio::piped() } else { Stdio::null() })
            .stderr(Stdio::null());
        let mut child = command.spawn().unwrap_or_else(|e| {
            panic!("could not start {}: {e}", kind.name());
        });
        let control = match (child.stdin.take(), child.stdout.take()) {
            (Some(stdin), Some(stdout)) => Some(Mutex::new((stdin, BufReader::new(stdout)))),
            _ => None,
        };
        let addr: SocketAddr = ([127, 0, 0, 1], port).into();
        let mut emulator = Emulator {
            kind,
            addr,
            child,
            control,
            _workdir: workdir,
        };
        emulator.wait_ready();
        Some(emulator)
    }

    /// Creates users in a pool through moto's own AdminCreateUser code, without one HTTP
    /// request each (10,000 users: under a second instead of ~90 s); returns each user's sub.
    /// moto only: cognito-local has no such entry point, so its tests seed over HTTP.
    pub fn create_users(
        &self,
        pool: &str,
        users: &[BulkUser],
    ) -> std::collections::HashMap<String, String> {
        let control = self
            .control
            .as_ref()
            .expect("bulk creation is a moto launcher feature");
        let users: Vec<serde_json::Value> = users
            .iter()
            .map(|u| {
                serde_json::json!({
                    "Username": u.username,
                    "Attributes": u.attributes.iter()
                        .map(|(n, v)| serde_json::json!({"Name": n, "Value": v}))
                        .collect::<Vec<_>>(),
                    "Password": u.password,
                    "Enabled": !u.disabled,
                })
            })
            .collect();
        let command = serde_json::json!({"op": "create_users", "pool": pool, "users": users});
        let mut guard = control.lock().unwrap();
        let (stdin, stdout) = &mut *guard;
        writeln!(stdin, "{command}").expect("write to the moto launcher");
        stdin.flush().expect("flush the moto launcher");
        let mut line = String::new();
        stdout.read_line(&mut line).expect("read the moto launcher");
        let answer: serde_json::Value =
            serde_json::from_str(&line).unwrap_or_else(|e| panic!("launcher said {line:?}: {e}"));
        assert_eq!(answer["ok"], true, "bulk creation failed: {answer}");
        answer["subs"]
            .as_object()
            .expect("subs")
            .iter()
            .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string()))
            .collect()
    }

    fn wait_ready(&mut self) {
        let deadline = Instant::now() + Duration::from_secs(60);
        while Instant::now() < deadline {
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!("{} exited during start-up: {status}", self.kind.name());
            }
            if TcpStream::connect_timeout(&self.addr, Duration::from_millis(200)).is_ok() {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!(
            "{} did not listen on {} within 60 s",
            self.kind.name(),
            self.addr
        );
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A port nobody listens on right now.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("bind an ephemeral port")
}

/// The Python that runs a pip entry-point script (its `#!` line), else `python3`.
fn python_of(script: &Path) -> PathBuf {
    std::fs::read_to_string(script)
        .ok()
        .and_then(|text| {
            let first = text.lines().next()?.strip_prefix("#!")?.trim().to_string();
            Some(PathBuf::from(first))
        })
        .filter(|p| p.exists())
        .unwrap_or_else(|| PathBuf::from("python3"))
}

fn project_path(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

fn locate(var: &str, default: &Path) -> Option<PathBuf> {
    let path = std::env::var_os(var)
        .map(PathBuf::from)
        .unwrap_or_else(|| default.to_path_buf());
    if path.exists() {
        Some(path)
    } else {
        missing(
            if var == "MOTO_SERVER" {
                Kind::Moto
            } else {
                Kind::CognitoLocal
            },
            &path,
        )
    }
}

fn missing<T>(kind: Kind, path: &Path) -> Option<T> {
    super::skip(&format!(
        "{} is not installed at {} (run `bash .ci/run`, or set MOTO_SERVER / COGNITO_LOCAL_DIR)",
        kind.name(),
        path.display()
    ));
    None
}

/// The emulator's environment without this machine's AWS settings: every `AWS_*` variable of
/// the test process left out (moto's boto would read a profile, a config file, a Region), the
/// tests' dummy keys, no instance-metadata probe, and AWS files in `dir` that don't exist.
fn aws_free(command: &mut Command, dir: &Path) {
    for (name, _) in std::env::vars_os() {
        if name.to_string_lossy().starts_with("AWS_") {
            command.env_remove(name);
        }
    }
    command
        .env("AWS_ACCESS_KEY_ID", super::seed::ACCESS_KEY)
        .env("AWS_SECRET_ACCESS_KEY", super::seed::SECRET_KEY)
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_CONFIG_FILE", dir.join("no-config"))
        .env("AWS_SHARED_CREDENTIALS_FILE", dir.join("no-credentials"));
}
