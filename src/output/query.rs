//! `--query`: a JMESPath expression applied to a command's JSON before the sink writes it, as
//! the AWS CLI's `--query` is (the `jmespath` crate, JMESPath's own Rust implementation), and
//! the AWS CLI's `--output text` rendering of the result ([`aws_text`]).
//!
//! The expression is compiled while the command line is parsed (a clap value parser), so a bad
//! one is a usage error, exit 2, naming the column where the parser stopped, before the config
//! is read or any request is sent.

use std::fmt;
use std::sync::Arc;

use serde::Serialize;
use serde_json::Value;

use crate::sanitize::sanitize;
use crate::width::width;

/// A compiled `--query` expression.
#[derive(Clone)]
pub struct Query(Arc<jmespath::Expression<'static>>);

impl fmt::Debug for Query {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Query({:?})", self.0.as_str())
    }
}

/// Why `--query` was refused or could not be applied.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QueryError {
    /// The expression does not parse: the parser's reason, its 1-based column, and the
    /// expression with a caret under that column (both lines escaped).
    #[error("{reason} at column {column}\n  {shown}\n  {caret}^")]
    Parse {
        reason: String,
        column: usize,
        shown: String,
        caret: String,
    },
    /// The expression parsed but failed on the data (a function given the wrong type).
    #[error("--query failed on the result: {0}")]
    Runtime(String),
}

impl Query {
    /// Compiles `expression`; an error names where the parser stopped.
    pub fn parse(expression: &str) -> Result<Self, QueryError> {
        jmespath::compile(expression)
            .map(|e| Self(Arc::new(e)))
            .map_err(|e| parse_error(expression, &e))
    }

    /// The expression as given.
    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }

    /// The expression applied to `value` (serialized as the sink would), as JSON.
    pub fn apply<T: Serialize + ?Sized>(&self, value: &T) -> Result<Value, QueryError> {
        let result = self
            .0
            .search(value)
            .map_err(|e| QueryError::Runtime(runtime_reason(&e)))?;
        serde_json::to_value(&*result).map_err(|e| QueryError::Runtime(e.to_string()))
    }
}

/// The error for a parse failure: the reason, the column, and a caret under it, measured in
/// display cells of the escaped expression so it lines up on a terminal.
fn parse_error(expression: &str, e: &jmespath::JmespathError) -> QueryError {
    let reason = match &e.reason {
        jmespath::ErrorReason::Parse(reason) => reason.clone(),
        other => other.to_string(),
    };
    let before: String = expression.chars().take(e.offset).collect();
    let column = e.offset + 1;
    QueryError::Parse {
        reason: sanitize(&reason).into_owned(),
        column,
        shown: sanitize(expression).into_owned(),
        caret: " ".repeat(width(&sanitize(&before))),
    }
}

fn runtime_reason(e: &jmespath::JmespathError) -> String {
    match &e.reason {
        jmespath::ErrorReason::Runtime(r) => r.to_string(),
        other => other.to_string(),
    }
}

/// clap's value parser for `--query`.
pub fn parse_query(expression: &str) -> Result<Query, QueryError> {
    Query::parse(expression)
}

/// A JSON scalar as the AWS CLI's text and table output print it (Python's `str`): strings
/// as they are, `None` for null, `True`/`False`, numbers as JSON writes them; escaped for
/// the terminal (tabs and line ends inside a value too, so they can't forge a column or row).
pub fn scalar_text(value: &Value) -> String {
    let raw = match value {
        Value::String(s) => return sanitize(s).into_owned(),
        Value::Null => "None".to_string(),
        Value::Bool(true) => "True".to_string(),
        Value::Bool(false) => "False".to_string(),
        Value::Number(n) => n.to_string(),
        // Not a scalar: what Python's str would show of it is not worth copying; JSON is.
        other => other.to_string(),
    };
    sanitize(&raw).into_owned()
}

fn is_scalar(value: &Value) -> bool {
    !matches!(value, Value::Array(_) | Value::Object(_))
}

/// `value` as the AWS CLI's `--output text` prints it (awscli `text.py`): a scalar on its
/// own line; a list of scalars on one tab-separated line; a list of objects one row each,
/// the union of their scalar keys in sorted order; an object's scalars in key order, then its
/// lists and objects under their key's name in capitals. Every value escaped
/// ([`scalar_text`]), so only this function's own tabs and line ends are raw.
pub fn aws_text(value: &Value) -> String {
    let mut out = String::new();
    text_item(value, None, None, &mut out);
    out
}

fn text_item(item: &Value, identifier: Option<&str>, keys: Option<&[String]>, out: &mut String) {
    match item {
        Value::Object(map) => text_object(map, identifier, keys, out),
        Value::Array(items) => text_list(items, identifier, out),
        scalar => {
            out.push_str(&scalar_text(scalar));
            out.push('\n');
        }
    }
}

fn text_list(items: &[Value], identifier: Option<&str>, out: &mut String) {
    if items.is_empty() {
        return;
    }
    if items.iter().any(Value::is_object) {
        let keys = scalar_keys(items);
        for item in items {
            text_item(item, identifier, Some(&keys), out);
        }
    } else if items.iter().any(Value::is_array) {
        let (scalars, nested): (Vec<&Value>, Vec<&Value>) =
            items.iter().partition(|v| is_scalar(v));
        if !scalars.is_empty() {
            scalar_list(&scalars, identifier, out);
        }
        for item in nested {
            text_item(item, identifier, None, out);
        }
    } else {
        scalar_list(&items.iter().collect::<Vec<_>>(), identifier, out);
    }
}

/// The sorted union of the keys whose values are scalars, over a list's objects.
fn scalar_keys(items: &[Value]) -> Vec<String> {
    let mut keys: Vec<String> = items
        .iter()
        .filter_map(Value::as_object)
        .flat_map(|m| {
            m.iter()
                .filter(|(_, v)| is_scalar(v))
                .map(|(k, _)| k.clone())
        })
        .collect();
    keys.sort();
    keys.dedup();
    keys
}

fn scalar_list(items: &[&Value], identifier: Option<&str>, out: &mut String) {
    match identifier {
        Some(id) => {
            for item in items {
                out.push_str(&format!("{}\t{}\n", upper(id), scalar_text(item)));
            }
        }
        None => {
            let cells: Vec<String> = items.iter().map(|v| scalar_text(v)).collect();
            out.push_str(&cells.join("\t"));
            out.push('\n');
        }
    }
}

fn text_object(
    map: &serde_json::Map<String, Value>,
    identifier: Option<&str>,
    keys: Option<&[String]>,
    out: &mut String,
) {
    let mut sorted: Vec<(&String, &Value)> = map.iter().collect();
    sorted.sort_by(|a, b| a.0.cmp(b.0));
    let (mut scalars, nested): (Vec<String>, Vec<(&String, &Value)>) = match keys {
        None => (
            sorted
                .iter()
                .filter(|(_, v)| is_scalar(v))
                .map(|(_, v)| scalar_text(v))
                .collect(),
            sorted.into_iter().filter(|(_, v)| !is_scalar(v)).collect(),
        ),
        // A row of a list: the list's scalar keys, empty where this object lacks one.
        Some(keys) => (
            keys.iter()
                .map(|k| map.get(k).map(scalar_text).unwrap_or_default())
                .collect(),
            sorted
                .into_iter()
                .filter(|(k, _)| !keys.contains(k))
                .collect(),
        ),
    };
    if !scalars.is_empty() {
        if let Some(id) = identifier {
            scalars.insert(0, upper(id));
        }
        out.push_str(&scalars.join("\t"));
        out.push('\n');
    }
    for (key, value) in nested {
        text_item(value, Some(key), None, out);
    }
}

/// A key as an identifier column: upper-cased (Python's `str.upper`) and escaped.
fn upper(key: &str) -> String {
    sanitize(&key.to_uppercase()).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_bad_expression_names_its_column() {
        let err = Query::parse("UserAttributes[?Name=='email'").unwrap_err();
        let QueryError::Parse { column, caret, .. } = &err else {
            panic!("{err:?}");
        };
        assert_eq!(*column, 30, "{err}");
        assert_eq!(caret.len(), 29);
    }

    #[test]
    fn text_follows_the_aws_cli_shapes() {
        assert_eq!(aws_text(&json!(null)), "None\n");
        assert_eq!(aws_text(&json!(["a", true, 1])), "a\tTrue\t1\n");
        assert_eq!(
            aws_text(&json!({"b": 1, "a": "x", "L": [{"n": "e"}, {"n": "f", "m": 2}]})),
            "x\t1\nL\t\te\nL\t2\tf\n"
        );
        assert_eq!(aws_text(&json!({"t": ["a", "b"]})), "T\ta\nT\tb\n");
        assert_eq!(aws_text(&json!("a\tb\u{1b}")), "a\\tb\\x1b\n");
    }
}
