//! What an export does before its first ListUsers page: the options checked against the
//! format (refused before any request), the columns, then the reads that come first — the
//! pool's settings (and `--last-sign-in`'s refusal on a pool without sign-in history),
//! `--with-groups`' memberships, `-o cognito-import`'s header — and the export set up from
//! them, its per-user readers started (their costs stated).

use std::collections::HashMap;

use super::{
    Export, ExportArgs, ExportFormat, Filters, Progress, Resume, Sink, groups, import, mfa, signin,
};
use crate::cognito::CognitoError;
use crate::filter::Filter;
use crate::oneshot::stop::Ending;
use crate::oneshot::{CliError, usage};
use crate::output::table;
use crate::output::{Stdout, WriteError};

/// What is read before the users: the pool's settings, `--with-groups`' memberships, the
/// import header.
pub(super) struct Before {
    schema: Option<crate::cognito::PoolSchema>,
    groups: Option<HashMap<String, Vec<String>>>,
    header: Option<Vec<String>>,
}

impl Before {
    /// Reads them; `Err` is how the run ends when one can't be read, or when `--last-sign-in`
    /// can't run on this pool (its end line written, before the scan).
    pub(super) async fn read(
        run: &crate::oneshot::Run,
        args: &ExportArgs,
        expression: Option<&String>,
    ) -> Result<Self, Result<i32, CliError>> {
        let end = |error: CliError| end_early(run, expression, error);
        let schema = run.gate().pool_settings().await.map_err(Err)?.ok();
        let refusal = (schema.as_ref()).and_then(signin::refusal);
        if let (true, Some(why)) = (args.last_sign_in, refusal) {
            return Err(end(usage(why)));
        }
        let failed = |during: &str, error: CognitoError| CliError::Cognito {
            during: during.into(),
            error: Box::new(error),
            hint: None,
        };
        let groups = match args.with_groups {
            true => match groups::read(run.gate()).await.map_err(Err)? {
                Ok(groups) => Some(groups),
                Err(e) => return Err(end(failed("--with-groups: ", e))),
            },
            false => None,
        };
        let header = match args.output == ExportFormat::CognitoImport {
            true => match run.gate().csv_header().await.map_err(Err)? {
                Ok(h) => match import::check_header(&h) {
                    Ok(()) => Some(h),
                    Err(e) => return Err(end(failed("-o cognito-import: ", e))),
                },
                Err(e) => return Err(end(failed("-o cognito-import: ", e))),
            },
            false => None,
        };
        Ok(Self {
            schema,
            groups,
            header,
        })
    }

    /// The export over `filters` from `resume`, with the per-user readers started (their
    /// costs stated), and its sink opened (`Err`: the header could not be written).
    #[allow(clippy::type_complexity)]
    pub(super) fn start<'r>(
        self,
        run: &'r crate::oneshot::Run,
        args: &ExportArgs,
        filters: Filters,
        columns: Vec<String>,
        resume: Resume,
    ) -> Result<(Export<'r>, Result<Sink, WriteError>), CliError> {
        let estimate = (self.schema.as_ref())
            .and_then(|s| s.estimated_number_of_users)
            .and_then(|n| u64::try_from(n).ok());
        let filtered =
            filters.server.is_some() || filters.client_enabled.is_some() || filters.local.is_some();
        let rates = &run.target.config.rate_limits;
        // A --where on LastSignIn itself narrows nothing before the reads: say the full cost.
        let before_read = filters.server.is_some()
            || filters.client_enabled.is_some()
            || (filters.local.as_ref()).is_some_and(|l| !l.mentions(&signin::field()));
        let signin = (args.last_sign_in).then(|| {
            signin::Reader::start(run.gate(), estimate, rates.user_resource_read, before_read)
        });
        let mfa = (args.with_mfa)
            .then(|| mfa::Reader::start(run.gate(), estimate, rates.user_read, filtered));
        let sink = match self.header {
            Some(header) => {
                let pool_mfa = (self.schema.as_ref()).and_then(|s| s.mfa_configuration.as_deref());
                import::ImportFile::open(Stdout::open(), header, pool_mfa, args.with_mfa)
                    .map(|file| Sink::Import(Box::new(file)))
            }
            None => {
                let username_attributes =
                    (self.schema.map(|s| s.username_attributes)).unwrap_or_default();
                let redact = run.redact().then_some(username_attributes);
                Sink::open(args.output, args.jmespath.clone(), columns, redact)
            }
        };
        let deferred = (filters.local.as_ref())
            .is_some_and(|l| l.mentions(&signin::field()))
            .then(signin::field);
        let export = Export {
            pages: run.gate().pages()?,
            filter: filters.server,
            client_enabled: filters.client_enabled,
            local: filters.local,
            deferred,
            groups: self.groups,
            mfa,
            signin,
            streams: usize::from(args.streams),
            resume,
            progress: Progress::new(estimate),
            rejected_token: false,
        };
        Ok((export, sink))
    }
}

/// Ends the run before the scan with `error`: its end line written, then the error (and the
/// end line's own failure beside it, if it had one).
fn end_early(
    run: &crate::oneshot::Run,
    expression: Option<&String>,
    error: CliError,
) -> Result<i32, CliError> {
    let ending = Ending::Failed(error);
    let audited = run.end(&ending, |event| event.query = expression.cloned());
    crate::oneshot::settle(audited, ending.into_result())
}

/// The csv/tsv attribute columns, and those the options add (`Groups`, `MfaSettings` and
/// `PreferredMfa`, `LastSignIn`); refuses what the format can't hold.
pub(super) fn columns(args: &ExportArgs) -> Result<Vec<String>, CliError> {
    check_format(args)?;
    let mut columns = table::attribute_columns(&args.attributes).map_err(usage)?;
    if !args.output.delimited() {
        return Ok(columns);
    }
    if args.with_groups {
        columns.push(groups::COLUMN.to_string());
    }
    if args.with_mfa {
        columns.extend([mfa::SETTINGS.to_string(), mfa::PREFERRED.to_string()]);
    }
    if args.last_sign_in {
        columns.push(signin::COLUMN.to_string());
    }
    Ok(columns)
}

/// The combinations of options the output format can't hold, refused before any request.
fn check_format(args: &ExportArgs) -> Result<(), CliError> {
    if args.jmespath.is_some() && !matches!(args.output, ExportFormat::Json | ExportFormat::Table) {
        return Err(usage(
            "--query shapes json and table output, not csv, tsv or cognito-import",
        ));
    }
    if !args.attributes.is_empty() && !args.output.delimited() {
        return Err(usage(
            "--attributes chooses csv/tsv columns: add -o csv or -o tsv",
        ));
    }
    let extra = match (args.with_groups, args.last_sign_in) {
        (true, _) => Some("--with-groups"),
        (false, true) => Some("--last-sign-in"),
        (false, false) => None,
    };
    if let (ExportFormat::CognitoImport, Some(flag)) = (args.output, extra) {
        return Err(usage(format_args!(
            "-o cognito-import writes exactly the pool's GetCSVHeader columns, which an import \
             job requires; {flag} would add one: use -o csv or json for it"
        )));
    }
    let mentions =
        (args.where_.as_deref()).is_some_and(|w| w.to_ascii_lowercase().contains("lastsignin"));
    if mentions && !args.last_sign_in {
        // The parsed check comes with the filters; this one only says what to add.
        let source = args.where_.as_deref().unwrap_or_default();
        if let Ok(f) = Filter::parse_with(source, &[signin::COLUMN])
            && f.mentions(&signin::field())
        {
            return Err(usage(
                "--where names LastSignIn, which only --last-sign-in reads: add it (one \
                 AdminListUserAuthEvents per user)",
            ));
        }
    }
    Ok(())
}
