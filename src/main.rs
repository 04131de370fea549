use std::process::ExitCode;
use std::time::Duration;

use clap::{CommandFactory, Parser};
use cognito_tui::cli::{AuditCommand, COMPLETE_ENV, Cli, Command};
use cognito_tui::oneshot::{self, CliError};
use cognito_tui::output::{self, Stdout};

fn main() -> ExitCode {
    // The completion scripts call back with COGNITO_TUI_COMPLETE set: answer and exit.
    clap_complete::CompleteEnv::with_factory(Cli::command)
        .var(COMPLETE_ENV)
        .complete();
    let cli = Cli::parse();
    match &cli.command {
        Some(Command::Completions { shell }) => return print_completions(shell.name()),
        Some(Command::Man) => return print_man(),
        _ => {}
    }
    if std::env::var_os("RUST_LOG").is_some() && cli.command.is_some() {
        let _ = tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
            .with_writer(output::diagnostics)
            .with_ansi(false)
            .try_init();
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => return exit(Err(CliError::Runtime(e))),
    };
    let ended = match &cli.command {
        Some(Command::Get(args)) => runtime.block_on(oneshot::get(&cli.target, args)),
        Some(Command::Search(args)) => runtime.block_on(oneshot::search(&cli.target, args)),
        Some(Command::Diagnose(args)) => {
            runtime.block_on(oneshot::diagnose::run(&cli.target, args))
        }
        Some(Command::Export(args)) => {
            runtime.block_on(cognito_tui::export::run(&cli.target, args))
        }
        Some(Command::Audit(AuditCommand::Verify { file })) => oneshot::audit_verify(file),
        Some(Command::Completions { .. } | Command::Man) => unreachable!("handled above"),
        None => Ok(runtime.block_on(cognito_tui::tui::run(&cli))),
    };
    // A request still waiting on a dead network (or DNS in a blocking thread) must not keep
    // the process alive after the terminal hung up.
    runtime.shutdown_timeout(Duration::from_millis(200));
    exit(ended)
}

/// The one place a one-shot command's error is said (through the output sink), and the
/// process's exit code.
fn exit(ended: Result<i32, CliError>) -> ExitCode {
    let code = ended.unwrap_or_else(|error| {
        error.report();
        error.exit_code()
    });
    ExitCode::from(code.clamp(0, 255) as u8)
}

/// `completions SHELL`: the script that registers `cognito-tui` for completion; it calls the
/// binary back (COGNITO_TUI_COMPLETE), so pool and profile names are read when completing.
fn print_completions(shell: &str) -> ExitCode {
    let shells = clap_complete::env::Shells::builtins();
    let Some(completer) = shells.completer(shell) else {
        return exit(Err(CliError::usage(format_args!(
            "no completions for {shell}"
        ))));
    };
    let mut script = Vec::new();
    let written = completer.write_registration(
        COMPLETE_ENV,
        "cognito-tui",
        "cognito-tui",
        "cognito-tui",
        &mut script,
    );
    finish(written.map(|()| script))
}

/// `man`: the roff page, from the same definitions as `--help`.
fn print_man() -> ExitCode {
    let mut page = Vec::new();
    let rendered = clap_mangen::Man::new(Cli::command()).render(&mut page);
    finish(rendered.map(|()| page))
}

/// Writes a script or page this program generated; `| head` closing the pipe is not an
/// error, any other write failure is exit 8.
fn finish(rendered: std::io::Result<Vec<u8>>) -> ExitCode {
    let written = rendered
        .map_err(output::WriteError::from)
        .and_then(|bytes| Stdout::open().program_text(&String::from_utf8_lossy(&bytes)));
    exit(written.map(|()| 0).map_err(CliError::Output))
}
