//! The process's exit codes, named once. Every `exit_code()` in `src/` answers with these
//! names, never a number (tests/it/invariants.rs reads the source to hold that), and [`CODES`]
//! is the documented list: the man page's EXIT STATUS and README's "Exit codes" table are
//! held equal to it by tests/it/cli_help.rs.

/// Found (or the run did what it was asked).
pub const FOUND: i32 = 0;
/// The async runtime can't start.
pub const RUNTIME: i32 = 1;
/// A usage error, or input refused before any request.
pub const USAGE: i32 = 2;
/// The user was not found.
pub const NOT_FOUND: i32 = 3;
/// Several users match.
pub const AMBIGUOUS: i32 = 4;
/// The pool was not found, or Cognito refused a parameter.
pub const POOL_OR_PARAMETER: i32 = 5;
/// Not authorized, denied by IAM, or no usable credentials.
pub const NOT_AUTHORIZED: i32 = 6;
/// Throttled, an internal error, a timeout or the network, after retries.
pub const SERVICE: i32 = 7;
/// The output can't be written.
pub const OUTPUT: i32 = 8;
/// The audit log can't be written: the request it would record was not sent.
pub const AUDIT: i32 = 9;
/// The endpoint's certificate is not trusted, or the CA bundle can't be used.
pub const TLS: i32 = 10;
/// `audit verify`: the chain is broken.
pub const CHAIN_BROKEN: i32 = 11;

/// Stopped by a signal: 128 + its number, as shells report it (README, "Ctrl-C").
pub const HANG_UP: i32 = 129;
/// Stopped by Ctrl-C (SIGINT).
pub const INTERRUPT: i32 = 130;
/// Stopped by SIGTERM.
pub const TERMINATE: i32 = 143;

/// Every exit code a command documents, with its meaning.
pub const CODES: [(i32, &str); 12] = [
    (FOUND, "found"),
    (
        RUNTIME,
        "the async runtime can't start (no request was sent)",
    ),
    (
        USAGE,
        "usage error, or input refused locally (empty/over-long query, malformed pool id, no Region, a `--query` that does not parse or fails on the result)",
    ),
    (
        NOT_FOUND,
        "user not found (stderr names the pool, the query and everything that was tried)",
    ),
    (
        AMBIGUOUS,
        "ambiguous: several users match (stderr lists them; `-o json` also prints them on stdout)",
    ),
    (
        POOL_OR_PARAMETER,
        "pool not found, or InvalidParameterException from Cognito",
    ),
    (
        NOT_AUTHORIZED,
        "not authorized, access denied by IAM, or no / expired credentials",
    ),
    (
        SERVICE,
        "throttled, internal error, timeout or network failure after retries",
    ),
    (
        OUTPUT,
        "cannot write output (a full disk, `/dev/full`, an I/O error on stdout, or on the terminal UI's terminal): the command stops at once with a message; a long run's end line says `error (exit 8)`",
    ),
    (
        AUDIT,
        "the audit log can't be written (`--audit-log`): the request it would record was not sent (nothing at all when the file is refused at start, the terminal UI included; a batch or export stops there); also when the syslog receiver `--audit-syslog` names can't be reached at start (nothing sent)",
    ),
    (
        TLS,
        "TLS: the endpoint's certificate is not trusted (a private CA or a TLS-inspecting proxy: set `AWS_CA_BUNDLE` or the profile's `ca_bundle`), or the CA bundle named can't be used",
    ),
    (
        CHAIN_BROKEN,
        "`audit verify FILE`: the audit log's chain is broken (stderr names the first broken line and why); 2 when FILE can't be read",
    ),
];
