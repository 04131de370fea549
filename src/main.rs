use std::process::ExitCode;

use clap::Parser;
use cognito_tui::cli::{Cli, Command};
use cognito_tui::oneshot;

fn main() -> ExitCode {
    let cli = Cli::parse();
    if std::env::var_os("RUST_LOG").is_some() && cli.command.is_some() {
        let _ = tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
            .with_writer(std::io::stderr)
            .try_init();
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::from(1);
        }
    };
    let code = match &cli.command {
        Some(Command::Get(args)) => runtime.block_on(oneshot::get(&cli.target, args)),
        Some(Command::Search(args)) => runtime.block_on(oneshot::search(&cli.target, args)),
        Some(Command::Diagnose(args)) => {
            runtime.block_on(oneshot::diagnose::run(&cli.target, args))
        }
        Some(Command::Export(args)) => {
            runtime.block_on(cognito_tui::export::run(&cli.target, args))
        }
        None => runtime.block_on(cognito_tui::tui::run(&cli)),
    };
    ExitCode::from(code.clamp(0, 255) as u8)
}
