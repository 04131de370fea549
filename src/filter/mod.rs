//! `--where`: a filter language over any user attribute, for `export`, `search` and the TUI's
//! browse line. An expression is parsed once, before any request ([`Filter::parse`]: errors
//! carry the column); [`Filter::matches`] evaluates it on each user read; [`Filter::server_side`]
//! picks the one conjunct ListUsers can serve itself, so Cognito narrows the scan and the whole
//! expression still runs here on what comes back.
//!
//! ```text
//! expr    := or
//! or      := and ("or" and)*
//! and     := unary ("and" unary)*
//! unary   := "not" unary | "(" expr ")" | "has" "(" NAME ")" | NAME OP VALUE
//! OP      := = != ~ !~ < <= > >= contains startswith endswith
//! VALUE   := "quoted" | 'quoted' | bare-word
//! ```
//!
//! A hand-written recursive descent: six productions, with the column of every error and no
//! parser crate to compile (winnow is in the tree through toml, but its combinators would be
//! more code than the grammar).

mod browse;
mod eval;
mod parse;
mod plan;

use time::OffsetDateTime;

pub use browse::browse_rows;
pub use eval::{FieldValue, Record};
pub use parse::ParseError;

/// A field of a user the language names: the ListUsers fields, or an attribute.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Field {
    Username,
    UserStatus,
    Enabled,
    UserCreateDate,
    UserLastModifiedDate,
    /// A user attribute by its name (`email`, `custom:tier`).
    Attribute(String),
}

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Eq,
    Ne,
    Matches,
    NotMatches,
    Lt,
    Le,
    Gt,
    Ge,
    Contains,
    StartsWith,
    EndsWith,
}

/// A literal on the right of an operator, typed where the operator needs it.
#[derive(Debug, Clone)]
pub enum Value {
    Text(String),
    /// A date (`2026-01-01` is midnight UTC) or an RFC 3339 time.
    Date(OffsetDateTime),
    Number(f64),
    Bool(bool),
    Regex(regex::Regex),
}

/// A parsed expression.
#[derive(Debug, Clone)]
pub enum Expr {
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
    Not(Box<Expr>),
    /// `has(name)`: the field is present with a value.
    Has(Field),
    Compare(Field, Op, Value),
}

/// A `--where` expression: its text (for the audit line and the resume token) and its tree.
#[derive(Debug, Clone)]
pub struct Filter {
    source: String,
    expr: Expr,
}

impl Filter {
    /// Parses `source`; the error names the column where it went wrong.
    pub fn parse(source: &str) -> Result<Self, ParseError> {
        Self::parse_with(source, &[])
    }

    /// Parses `source`, taking the names in `extra` as fields too (a column a command reads
    /// itself, e.g. `export --last-sign-in`'s `LastSignIn`).
    pub fn parse_with(source: &str, extra: &[&str]) -> Result<Self, ParseError> {
        Ok(Self {
            source: source.trim().to_string(),
            expr: parse::parse(source, extra)?,
        })
    }

    /// The expression as typed (trimmed).
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The parsed tree.
    pub fn expr(&self) -> &Expr {
        &self.expr
    }

    /// Whether `user` matches the whole expression.
    pub fn matches(&self, user: &impl Record) -> bool {
        eval::eval(&self.expr, user)
    }

    /// Whether `user` may still match once `deferred` (a field read later, per user) is
    /// known: the expression in three-valued logic with `deferred` unknown. `false` only when
    /// no value of `deferred` could make it match, so the per-user read can be skipped.
    pub fn could_match(&self, user: &impl Record, deferred: &Field) -> bool {
        eval::eval_unknown(&self.expr, user, deferred) != Some(false)
    }

    /// Whether the expression names `field` anywhere.
    pub fn mentions(&self, field: &Field) -> bool {
        eval::mentions(&self.expr, field)
    }

    /// The one ListUsers filter that narrows the scan without losing a match: the most
    /// selective top-level conjunct ListUsers can serve, if any.
    pub fn server_side(&self) -> Option<crate::cognito::ListFilter> {
        plan::server_side(&self.expr)
    }
}
