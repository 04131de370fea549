//! Starts the real Cognito emulators (moto, cognito-local) on 127.0.0.1 for a test, and stops
//! them when dropped. `.ci/run` installs them; locally, point MOTO_SERVER / COGNITO_LOCAL_DIR
//! at an install. With CI=true a missing emulator fails the test; otherwise the test says
//! it was skipped, loudly.
#![allow(dead_code)]

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
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
    _workdir: tempfile::TempDir,
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
                let mut c = Command::new(bin);
                c.args(["-H", "127.0.0.1", "-p", &port.to_string()]);
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
        command
            .current_dir(workdir.path())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        let child = command.spawn().unwrap_or_else(|e| {
            panic!("could not start {}: {e}", kind.name());
        });
        let addr: SocketAddr = ([127, 0, 0, 1], port).into();
        let mut emulator = Emulator {
            kind,
            addr,
            child,
            _workdir: workdir,
        };
        emulator.wait_ready();
        Some(emulator)
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
    let message = format!(
        "{} is not installed at {} (run `bash .ci/run`, or set MOTO_SERVER / COGNITO_LOCAL_DIR)",
        kind.name(),
        path.display()
    );
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("{message}");
    }
    eprintln!("SKIPPED: {message}");
    None
}
