//! The `--where` parser: a lexer and a recursive descent over its tokens. Every error names
//! the column (1-based, in characters) where the expression went wrong, and types are checked
//! here — `Enabled = maybe`, `UserCreateDate < soon`, a regex that doesn't compile — so a bad
//! expression is refused before any request.

use time::format_description::well_known::Rfc3339;
use time::macros::format_description;
use time::{Date, OffsetDateTime};

use super::{Expr, Field, Op, Value};

/// Why an expression can't be parsed, and where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
// One line: the error sink escapes line ends, so a caret line would not line up.
#[error("--where, column {column}: {message} (in: {expression})")]
pub struct ParseError {
    /// 1-based column (in characters) of the token that went wrong.
    pub column: usize,
    pub message: String,
    /// The expression as given.
    pub expression: String,
}

/// The attributes every pool has (Cognito developer guide, "Working with user attributes":
/// standard attributes); others must be `custom:` or `dev:custom:`.
const STANDARD: [&str; 21] = [
    "address",
    "birthdate",
    "email",
    "email_verified",
    "family_name",
    "gender",
    "given_name",
    "identities",
    "locale",
    "middle_name",
    "name",
    "nickname",
    "phone_number",
    "phone_number_verified",
    "picture",
    "preferred_username",
    "profile",
    "sub",
    "updated_at",
    "website",
    "zoneinfo",
];

/// Regexes are compiled from untrusted text: bound the automaton.
const REGEX_SIZE_LIMIT: usize = 1 << 20;

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Open,
    Close,
    Symbol(Op),
    /// A quoted string (quotes removed, escapes applied).
    Quoted(String),
    Word(String),
    End,
}

/// A token and the byte offset where it starts.
type Spanned = (Token, usize);

/// Parses a whole expression.
pub(super) fn parse(source: &str, extra: &[&str]) -> Result<Expr, ParseError> {
    let mut parser = Parser {
        source,
        tokens: lex(source)?,
        next: 0,
        extra,
    };
    if parser.peek().0 == Token::End {
        return Err(parser.error_at(0, "empty expression: e.g. custom:tier = gold"));
    }
    let expr = parser.or()?;
    match parser.peek() {
        (Token::End, _) => Ok(expr),
        (_, at) => {
            let at = *at;
            Err(parser.error_at(at, "expected `and`, `or` or the end of the expression"))
        }
    }
}

fn error(source: &str, at: usize, message: impl Into<String>) -> ParseError {
    ParseError {
        column: source[..at.min(source.len())].chars().count() + 1,
        message: message.into(),
        expression: source.to_string(),
    }
}

/// Whether `c` ends a bare word.
fn is_delimiter(c: char) -> bool {
    c.is_whitespace() || "()\"'=!<>~".contains(c)
}

fn lex(source: &str) -> Result<Vec<Spanned>, ParseError> {
    let mut tokens = Vec::new();
    let mut chars = source.char_indices().peekable();
    while let Some(&(at, c)) = chars.peek() {
        chars.next();
        let next = chars.peek().map(|&(_, c)| c);
        let mut two = |token| {
            chars.next();
            token
        };
        let token = match (c, next) {
            (c, _) if c.is_whitespace() => continue,
            ('(', _) => Token::Open,
            (')', _) => Token::Close,
            ('=', _) => Token::Symbol(Op::Eq),
            ('~', _) => Token::Symbol(Op::Matches),
            ('!', Some('=')) => two(Token::Symbol(Op::Ne)),
            ('!', Some('~')) => two(Token::Symbol(Op::NotMatches)),
            ('<', Some('=')) => two(Token::Symbol(Op::Le)),
            ('>', Some('=')) => two(Token::Symbol(Op::Ge)),
            ('<', _) => Token::Symbol(Op::Lt),
            ('>', _) => Token::Symbol(Op::Gt),
            ('!', _) => return Err(error(source, at, "`!` is `!=` or `!~`; `not` negates")),
            ('"' | '\'', _) => Token::Quoted(quoted(source, at, c, &mut chars)?),
            _ => {
                let mut end = at + c.len_utf8();
                while let Some(&(i, c)) = chars.peek().filter(|(_, c)| !is_delimiter(*c)) {
                    end = i + c.len_utf8();
                    chars.next();
                }
                Token::Word(source[at..end].to_string())
            }
        };
        tokens.push((token, at));
    }
    tokens.push((Token::End, source.len()));
    Ok(tokens)
}

/// The rest of a string opened by `quote` at `at`: backslash escapes the next character.
fn quoted(
    source: &str,
    at: usize,
    quote: char,
    chars: &mut impl Iterator<Item = (usize, char)>,
) -> Result<String, ParseError> {
    let mut text = String::new();
    while let Some((_, c)) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some((_, c)) => text.push(c),
                None => break,
            },
            c if c == quote => return Ok(text),
            c => text.push(c),
        }
    }
    Err(error(
        source,
        at,
        format!("unterminated string: no closing {quote}"),
    ))
}

struct Parser<'a> {
    source: &'a str,
    tokens: Vec<Spanned>,
    next: usize,
    /// Field names the caller adds (`LastSignIn` for `export --last-sign-in`).
    extra: &'a [&'a str],
}

impl Parser<'_> {
    fn peek(&self) -> &Spanned {
        &self.tokens[self.next.min(self.tokens.len() - 1)]
    }

    fn advance(&mut self) -> Spanned {
        let token = self.peek().clone();
        self.next += 1;
        token
    }

    fn error_at(&self, at: usize, message: impl Into<String>) -> ParseError {
        error(self.source, at, message)
    }

    /// The field `name` names: one the caller added, or the language's own.
    fn field(&self, name: &str, at: usize) -> Result<Field, ParseError> {
        // Any case, as the language's own field names; named as the caller spells it.
        match self.extra.iter().find(|e| e.eq_ignore_ascii_case(name)) {
            Some(extra) => Ok(Field::Attribute(extra.to_string())),
            None => field(self.source, name, at),
        }
    }

    /// Consumes the keyword `word` (any case) if it is next.
    fn keyword(&mut self, word: &str) -> bool {
        let found = matches!(&self.peek().0, Token::Word(w) if w.eq_ignore_ascii_case(word));
        self.next += usize::from(found);
        found
    }

    fn or(&mut self) -> Result<Expr, ParseError> {
        let mut left = self.and()?;
        while self.keyword("or") {
            left = Expr::Or(Box::new(left), Box::new(self.and()?));
        }
        Ok(left)
    }

    fn and(&mut self) -> Result<Expr, ParseError> {
        let mut left = self.unary()?;
        while self.keyword("and") {
            left = Expr::And(Box::new(left), Box::new(self.unary()?));
        }
        Ok(left)
    }

    fn unary(&mut self) -> Result<Expr, ParseError> {
        if self.keyword("not") {
            return Ok(Expr::Not(Box::new(self.unary()?)));
        }
        let (token, at) = self.advance();
        match token {
            Token::Open => {
                let expr = self.or()?;
                self.close(at)?;
                Ok(expr)
            }
            Token::Word(w) if w.eq_ignore_ascii_case("has") && self.peek().0 == Token::Open => {
                let (_, open) = self.advance();
                let (name, name_at) = self.name()?;
                let field = self.field(&name, name_at)?;
                self.close(open)?;
                Ok(Expr::Has(field))
            }
            Token::Word(name) => {
                let field = self.field(&name, at)?;
                self.comparison(field)
            }
            _ => Err(self.error_at(at, "expected an attribute name, `not`, `has(…)` or `(`")),
        }
    }

    /// The `)` matching the `(` at `open`.
    fn close(&mut self, open: usize) -> Result<(), ParseError> {
        match self.advance() {
            (Token::Close, _) => Ok(()),
            (_, at) => Err(self.error_at(
                at,
                format!(
                    "expected `)` to close the `(` at column {}",
                    error(self.source, open, "").column
                ),
            )),
        }
    }

    fn name(&mut self) -> Result<(String, usize), ParseError> {
        match self.advance() {
            (Token::Word(w), at) => Ok((w, at)),
            (_, at) => Err(self.error_at(at, "expected an attribute name")),
        }
    }

    /// `OP VALUE` after `field`.
    fn comparison(&mut self, field: Field) -> Result<Expr, ParseError> {
        let (token, at) = self.advance();
        let op = match token {
            Token::Symbol(op) => op,
            Token::Word(w) => match w.to_ascii_lowercase().as_str() {
                "contains" => Op::Contains,
                "startswith" => Op::StartsWith,
                "endswith" => Op::EndsWith,
                _ => return Err(self.op_error(at)),
            },
            _ => return Err(self.op_error(at)),
        };
        let (literal, value_at) = match self.advance() {
            (Token::Quoted(s) | Token::Word(s), at) => (s, at),
            (_, at) => {
                return Err(self.error_at(at, "expected a value (quote it if it has spaces)"));
            }
        };
        let value =
            typed(&field, op, literal).map_err(|e| self.error_at(value_at, e.to_string()))?;
        Ok(Expr::Compare(field, op, value))
    }

    fn op_error(&self, at: usize) -> ParseError {
        self.error_at(
            at,
            "expected an operator: = != ~ !~ < <= > >= contains startswith endswith",
        )
    }
}

/// The field `name` names; an unknown standard attribute is an error (a typo would match
/// nothing, silently).
fn field(source: &str, name: &str, at: usize) -> Result<Field, ParseError> {
    let special = match name.to_ascii_lowercase().as_str() {
        "username" => Some(Field::Username),
        "userstatus" | "cognito:user_status" => Some(Field::UserStatus),
        "enabled" => Some(Field::Enabled),
        "usercreatedate" => Some(Field::UserCreateDate),
        "userlastmodifieddate" => Some(Field::UserLastModifiedDate),
        _ => None,
    };
    if let Some(field) = special {
        return Ok(field);
    }
    let custom = ["custom:", "dev:custom:"]
        .iter()
        .any(|p| name.strip_prefix(p).is_some_and(|rest| !rest.is_empty()));
    if custom || STANDARD.contains(&name) {
        return Ok(Field::Attribute(name.to_string()));
    }
    Err(error(
        source,
        at,
        format!(
            "unknown attribute {name:?}: a standard attribute (email, phone_number, name, …), \
             custom:NAME, or Username, UserStatus, Enabled, UserCreateDate, UserLastModifiedDate"
        ),
    ))
}

/// Why a literal can't be compared with its field by its operator.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
enum TypeError {
    #[error("not a regular expression: {0}")]
    Regex(String),
    #[error("Enabled is true or false, not {0:?}")]
    Bool(String),
    #[error("< <= > >= compare numbers and dates; this field is neither")]
    Unordered,
    #[error("{0:?} is not a date (2026-01-31 or 2026-01-31T12:00:00Z)")]
    Date(String),
    #[error("{0:?} is neither a number nor a date: < <= > >= compare those")]
    NumberOrDate(String),
}

/// The literal typed for `op` on `field`.
fn typed(field: &Field, op: Op, literal: String) -> Result<Value, TypeError> {
    use Op::*;
    let ordering = matches!(op, Lt | Le | Gt | Ge);
    let dated = matches!(field, Field::UserCreateDate | Field::UserLastModifiedDate);
    match (op, field) {
        (Matches | NotMatches, _) => regex::RegexBuilder::new(&literal)
            .size_limit(REGEX_SIZE_LIMIT)
            .build()
            .map(Value::Regex)
            .map_err(|e| TypeError::Regex(regex_reason(&e))),
        (Contains | StartsWith | EndsWith, _) => Ok(Value::Text(literal)),
        (Eq | Ne, Field::Enabled) => match literal.to_ascii_lowercase().as_str() {
            "true" => Ok(Value::Bool(true)),
            "false" => Ok(Value::Bool(false)),
            _ => Err(TypeError::Bool(literal)),
        },
        (_, Field::Enabled | Field::UserStatus | Field::Username) if ordering => {
            Err(TypeError::Unordered)
        }
        (Eq | Ne, Field::UserStatus) => Ok(Value::Text(literal.to_ascii_uppercase())),
        (_, _) if dated => date(&literal)
            .map(Value::Date)
            .ok_or(TypeError::Date(literal)),
        (Eq | Ne, _) => Ok(Value::Text(literal)),
        _ => match (date(&literal), number(&literal)) {
            (Some(d), _) => Ok(Value::Date(d)),
            (None, Some(n)) => Ok(Value::Number(n)),
            (None, None) => Err(TypeError::NumberOrDate(literal)),
        },
    }
}

/// The regex crate's reason in one line: its syntax errors draw the pattern and a caret over
/// several lines, the reason last.
fn regex_reason(e: &regex::Error) -> String {
    let text = e.to_string();
    let last = text
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("");
    last.trim().trim_start_matches("error: ").to_string()
}

/// A date (midnight UTC) or an RFC 3339 time.
pub(super) fn date(text: &str) -> Option<OffsetDateTime> {
    if let Ok(t) = OffsetDateTime::parse(text, &Rfc3339) {
        return Some(t);
    }
    Date::parse(text, format_description!("[year]-[month]-[day]"))
        .ok()
        .map(|d| d.midnight().assume_utc())
}

/// A finite number.
pub(super) fn number(text: &str) -> Option<f64> {
    text.trim().parse::<f64>().ok().filter(|n| n.is_finite())
}
