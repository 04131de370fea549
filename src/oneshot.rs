//! One-shot commands: look up, print, exit with a documented code.

use std::io::{IsTerminal, Write};

use crate::cli::{GetArgs, OutputFormat, TargetArgs};
use crate::cognito::lookup::{self, LookupError, LookupOutcome};
use crate::output;
use crate::sanitize::sanitize;
use crate::session;

/// Exit code for usage errors and locally refused input.
pub const EXIT_USAGE: i32 = 2;

/// Runs `get`; returns the process exit code.
pub async fn get(target: &TargetArgs, args: &GetArgs) -> i32 {
    let (pool, demo) = match session::resolve_pool(target) {
        Ok(p) => p,
        Err(message) => {
            eprintln!("error: {}", sanitize(&message));
            return EXIT_USAGE;
        }
    };
    if let Err(message) = lookup::validate_query(&args.query) {
        eprintln!("error: {message}");
        return EXIT_USAGE;
    }
    let session = session::connect(target, pool, demo).await;
    let format = args.output.unwrap_or(if std::io::stdout().is_terminal() {
        OutputFormat::Text
    } else {
        OutputFormat::Json
    });
    let result = lookup::lookup(
        session.backend.as_ref(),
        &session.pool,
        &args.query,
        args.by.into(),
        None,
    )
    .await;
    let mut stdout = std::io::stdout().lock();
    match result {
        Ok(LookupOutcome::Found(found)) => {
            let text = match format {
                OutputFormat::Json => output::user_json(&found.user) + "\n",
                OutputFormat::Text => output::user_text(&found),
            };
            // A closed pipe (`| head`) is not an error worth a panic.
            let _ = stdout.write_all(text.as_bytes());
            0
        }
        Ok(LookupOutcome::Ambiguous(ambiguous)) => {
            if format == OutputFormat::Json {
                let _ = writeln!(stdout, "{}", output::ambiguous_json(&ambiguous));
            }
            eprint!("error: ambiguous: {}", output::ambiguous_text(&ambiguous));
            4
        }
        Err(err) => {
            let code = err.exit_code();
            match &err {
                LookupError::Refused(message) => eprintln!("error: {}", sanitize(message)),
                LookupError::NotFound { .. } => eprintln!("error: {}", sanitize(&err.to_string())),
                LookupError::Cognito(e) => {
                    eprintln!("error: {}", sanitize(&e.to_string()));
                    eprintln!("hint: {}", sanitize(&e.hint(&session.error_context())));
                }
            }
            code
        }
    }
}
