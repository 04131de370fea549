//! `-o table`: JSON drawn as the AWS CLI's `--output table` draws it (awscli `formatter.py`'s
//! `TableFormatter` and `table.py`'s `MultiTable`): a title row, then one section per object,
//! its scalar keys as centred column headers over a row of values, its lists and objects as
//! nested sections indented by `|`, all boxed with `-`, `|` and `+`; a table wider than the
//! terminal turns its one-row sections into key/value rows ("vertical").
//!
//! Two things differ, both for the terminal: widths are display cells by grapheme cluster
//! ([`crate::width`]), and a table still wider than the terminal after the vertical turn is
//! cut to it, each cell shortened with `…` between whole clusters (the AWS CLI lets such a
//! table overflow and wrap). Every cell, header and title is escaped ([`scalar_text`],
//! [`sanitize`]) before it is measured.

use serde_json::Value;

use super::query::scalar_text;
use crate::sanitize::sanitize;
use crate::width::{prefix, width};

/// The width a table is drawn for when stdout is not a terminal and `COLUMNS` is not set:
/// the AWS CLI's default.
pub const DEFAULT_WIDTH: usize = 80;

/// Narrowest table drawn, whatever the terminal says: room for a title and one column.
const MIN_WIDTH: usize = 20;

/// One section: a title, headers, rows of cells, and how deep it is nested.
#[derive(Debug, Default)]
struct Section {
    title: String,
    headers: Vec<String>,
    rows: Vec<Vec<String>>,
    indent: usize,
    max_widths: Vec<usize>,
}

impl Section {
    fn new(title: &str, indent: usize) -> Self {
        Self {
            title: sanitize(title).into_owned(),
            indent,
            ..Self::default()
        }
    }

    fn widen(&mut self, cells: &[String]) {
        if self.max_widths.is_empty() {
            self.max_widths = cells.iter().map(|c| width(c)).collect();
        } else {
            for (w, c) in self.max_widths.iter_mut().zip(cells) {
                *w = (*w).max(width(c));
            }
        }
    }

    fn add_header(&mut self, headers: Vec<String>) {
        let headers: Vec<String> = headers.iter().map(|h| sanitize(h).into_owned()).collect();
        self.widen(&headers);
        self.headers = headers;
    }

    fn add_row(&mut self, row: Vec<String>) {
        self.widen(&row);
        self.rows.push(row);
    }

    /// The width this section needs: its columns with their padding, the border, the
    /// indentation on both sides; at least its title's.
    fn total_width(&self) -> usize {
        let columns: usize = self.max_widths.iter().map(|w| w + 4).sum::<usize>() + 2;
        let title = width(&self.title) + 2;
        columns.max(title) + 2 * self.indent
    }

    /// Column widths scaled to fill `max_width` (table.py's `calculate_column_widths`:
    /// Python's `round`, half to even, then the rounding error taken from the first columns
    /// or given to the last).
    fn column_widths(&self, max_width: usize) -> Vec<usize> {
        let unscaled: Vec<usize> = self.max_widths.iter().map(|w| w + 4).collect();
        let sum: usize = unscaled.iter().sum();
        if unscaled.is_empty() || sum == 0 {
            return unscaled;
        }
        if sum > max_width {
            return shrink(&unscaled, max_width);
        }
        let factor = max_width as f64 / sum as f64;
        let mut scaled: Vec<i64> = unscaled
            .iter()
            .map(|&w| (factor * w as f64).round_ties_even() as i64)
            .collect();
        let mut off_by = scaled.iter().sum::<i64>() - max_width as i64;
        while off_by != 0 {
            let n = scaled.len();
            let order: Vec<usize> = match off_by > 0 {
                true => (0..n).collect(),
                false => (0..n).rev().collect(),
            };
            for i in order {
                scaled[i] += if off_by > 0 { -1 } else { 1 };
                off_by += if off_by > 0 { -1 } else { 1 };
                if off_by == 0 {
                    break;
                }
            }
        }
        scaled.into_iter().map(|w| w.max(0) as usize).collect()
    }
}

/// Widths that fit `max_width` when the columns need more (which the AWS CLI never does: it
/// overflows): the narrow columns keep their width and the widest share what is left, so a
/// long value is cut and not every short one beside it.
fn shrink(natural: &[usize], max_width: usize) -> Vec<usize> {
    let mut order: Vec<usize> = (0..natural.len()).collect();
    order.sort_by_key(|&i| natural[i]);
    let mut widths = vec![0; natural.len()];
    let mut left = max_width;
    for (done, &i) in order.iter().enumerate() {
        let share = left / (natural.len() - done);
        widths[i] = natural[i].min(share);
        left -= widths[i];
    }
    // What integer division left over goes to the widest column.
    if let Some(&widest) = order.last() {
        widths[widest] += left;
    }
    widths
}

/// Builds the sections of `value` under `title` (formatter.py's `_build_table`).
struct Builder {
    sections: Vec<Section>,
}

impl Builder {
    fn current(&mut self) -> &mut Section {
        if self.sections.is_empty() {
            self.sections.push(Section::default());
        }
        self.sections.last_mut().expect("one section at least")
    }

    fn build(&mut self, title: Option<&str>, value: &Value, indent: usize) -> bool {
        if is_empty(value) {
            return false;
        }
        if let Some(title) = title {
            self.sections.push(Section::new(title, indent));
        }
        match value {
            Value::Array(items) if items.first().is_some_and(Value::is_object) => {
                self.list(items, indent, title);
            }
            Value::Array(items) => {
                for item in items {
                    match item {
                        Value::Array(inner) if inner.iter().all(is_scalar) => {
                            self.current()
                                .add_row(inner.iter().map(scalar_text).collect());
                        }
                        Value::Array(_) | Value::Object(_) => {
                            self.build(None, item, 0);
                        }
                        scalar => self.current().add_row(vec![scalar_text(scalar)]),
                    }
                }
            }
            Value::Object(map) => self.object(map, indent),
            // A scalar at the top (`--query Username`): the AWS CLI draws nothing but the
            // title; it is shown as a one-cell row instead, so the value is not lost.
            scalar => self.current().add_row(vec![scalar_text(scalar)]),
        }
        true
    }

    fn object(&mut self, map: &serde_json::Map<String, Value>, indent: usize) {
        let (headers, more) = group_keys(std::iter::once(map));
        if headers.len() == 1 {
            let value = scalar_text(&map[&headers[0]]);
            let key = sanitize(&headers[0]).into_owned();
            self.current().add_row(vec![key, value]);
        } else if !headers.is_empty() {
            let row = headers.iter().map(|k| scalar_text(&map[k])).collect();
            self.current().add_header(headers);
            self.current().add_row(row);
        }
        for key in more {
            self.build(Some(&key), &map[&key], indent + 1);
        }
    }

    fn list(&mut self, items: &[Value], indent: usize, title: Option<&str>) {
        let (headers, more) = group_keys(items.iter().filter_map(Value::as_object));
        self.current().add_header(headers.clone());
        for (i, item) in items.iter().enumerate() {
            if i > 0 && !more.is_empty() {
                self.sections
                    .push(Section::new(title.unwrap_or(""), indent));
                self.current().add_header(headers.clone());
            }
            let cell = |k: &String| match item.get(k) {
                Some(v) if is_scalar(v) => scalar_text(v),
                Some(v) => sanitize(&v.to_string()).into_owned(),
                None => String::new(),
            };
            let row = headers.iter().map(cell).collect();
            self.current().add_row(row);
            for key in more.iter().filter(|k| item.get(k.as_str()).is_some()) {
                self.build(Some(key), &item[key.as_str()], indent + 1);
            }
        }
    }
}

/// Python's truthiness, which `_build_table` tests first: null, false, 0, "", [] and {} draw
/// nothing.
fn is_empty(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::Bool(b) => !b,
        Value::Number(n) => n.as_f64() == Some(0.0),
        Value::String(s) => s.is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
    }
}

fn is_scalar(value: &Value) -> bool {
    !matches!(value, Value::Array(_) | Value::Object(_))
}

/// The sorted scalar keys and the sorted other keys, over all the objects given.
fn group_keys<'a>(
    maps: impl Iterator<Item = &'a serde_json::Map<String, Value>>,
) -> (Vec<String>, Vec<String>) {
    let mut scalars = std::collections::BTreeSet::new();
    let mut more = std::collections::BTreeSet::new();
    for map in maps {
        for (key, value) in map {
            match is_scalar(value) {
                true => scalars.insert(key.clone()),
                false => more.insert(key.clone()),
            };
        }
    }
    (scalars.into_iter().collect(), more.into_iter().collect())
}

/// How wide a table may be drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fit {
    /// As wide as its content needs, at most this many cells (the terminal's width): `get`,
    /// `search`, a `--query` result.
    AtMost(usize),
    /// Exactly this wide, whatever the content: the tables of a stream (`export`, batches)
    /// line up one under the other.
    Exactly(usize),
}

/// `value` drawn as the AWS CLI's table titled `title`; empty when the AWS CLI would draw
/// nothing (null, an empty list or object).
pub fn render(title: &str, value: &Value, fit: Fit) -> String {
    let mut builder = Builder {
        sections: Vec::new(),
    };
    if !builder.build(Some(title), value, 0) {
        return String::new();
    }
    let mut sections = builder.sections;
    let limit = match fit {
        Fit::AtMost(w) | Fit::Exactly(w) => w.max(MIN_WIDTH),
    };
    let mut needed = sections.iter().map(Section::total_width).max().unwrap_or(0);
    if needed > limit {
        make_vertical(&mut sections);
        needed = sections.iter().map(Section::total_width).max().unwrap_or(0);
    }
    let max_width = match fit {
        Fit::AtMost(_) => needed.min(limit),
        Fit::Exactly(_) => limit,
    };
    let mut out = format!("{}\n", "-".repeat(max_width));
    for section in &sections {
        draw_section(section, max_width, &mut out);
    }
    out
}

/// table.py's `convert_to_vertical_table`: a section of one row under headers becomes one
/// row per header, the header beside its value.
fn make_vertical(sections: &mut [Section]) {
    for section in sections.iter_mut() {
        if section.rows.len() == 1 && !section.headers.is_empty() {
            let mut vertical = Section::new("", section.indent);
            vertical.title = std::mem::take(&mut section.title);
            let row = std::mem::take(&mut section.rows[0]);
            for (header, cell) in section.headers.iter().zip(row) {
                vertical.add_row(vec![header.clone(), cell]);
            }
            *section = vertical;
        }
    }
}

/// One section's lines, each between its indentation bars.
fn draw_section(section: &Section, max_width: usize, out: &mut String) {
    let bars = "|".repeat(section.indent);
    let inner = max_width.saturating_sub(2 * section.indent);
    let mut line = |text: String| {
        out.push_str(&bars);
        out.push_str(&text);
        out.push_str(&bars);
        out.push('\n');
    };
    if !section.title.is_empty() {
        line(centre(&section.title, inner, "|"));
        if section.headers.is_empty() && section.rows.is_empty() {
            line(format!("+{}+", "-".repeat(inner.saturating_sub(2))));
        }
    }
    let widths = section.column_widths(inner);
    if !section.headers.is_empty() {
        line(rule(&widths));
        let cells = widths.iter().zip(&section.headers).enumerate();
        line(
            cells
                .map(|(i, (w, h))| centre(h, *w, if i == 0 { "|" } else { "" }))
                .collect(),
        );
    }
    if !section.rows.is_empty() && !widths.is_empty() {
        line(rule(&widths));
        for row in &section.rows {
            let cells = widths.iter().zip(row).enumerate();
            line(
                cells
                    .map(|(i, (w, c))| left(c, *w, if i == 0 { "|" } else { "" }))
                    .collect(),
            );
        }
        line(rule(&widths));
    }
}

/// A rule under or over a row: `+---+----+`.
fn rule(widths: &[usize]) -> String {
    let mut out = String::new();
    for (i, w) in widths.iter().enumerate() {
        match i {
            0 => out.push_str(&format!("+{}+", "-".repeat(w.saturating_sub(2)))),
            _ => out.push_str(&format!("{}+", "-".repeat(w.saturating_sub(1)))),
        }
    }
    out
}

/// `text` cut to `cells` with `…` when wider (whole clusters only), and its width.
fn cut(text: &str, cells: usize) -> (String, usize) {
    let w = width(text);
    if w <= cells {
        return (text.to_string(), w);
    }
    if cells == 0 {
        return (String::new(), 0);
    }
    let (head, used) = prefix(text, cells - 1);
    (format!("{head}…"), used + 1)
}

/// table.py's `center_text`: `text` centred in `length` cells between `left` and `|`.
fn centre(text: &str, length: usize, left: &str) -> String {
    let room = length.saturating_sub(left.len() + 1);
    let (text, used) = cut(text, room);
    let start = (length / 2).saturating_sub(used / 2 + 1);
    let start = start.min(room - used);
    let so_far = left.len() + start + used;
    let right = length.saturating_sub(1 + so_far);
    format!("{left}{}{text}{}|", " ".repeat(start), " ".repeat(right))
}

/// table.py's `align_left`: `text` after two spaces of padding (none when it only just
/// fits) in `length` cells between `left` and `|`.
fn left(text: &str, length: usize, left: &str) -> String {
    let room = length.saturating_sub(left.len() + 1);
    let (text, used) = cut(text, room);
    let padding = if used + 2 <= room { 2 } else { 0 };
    let right = room - used - padding;
    format!("{left}{}{text}{}|", " ".repeat(padding), " ".repeat(right))
}

/// The width tables are drawn for: `COLUMNS` when set to a number, else the terminal's when
/// stdout is one, else [`DEFAULT_WIDTH`].
pub fn terminal_width() -> usize {
    if let Some(columns) = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<usize>().ok())
        .filter(|&c| c > 0)
    {
        return columns;
    }
    if super::stdout_is_terminal()
        && let Ok((columns, _)) = crossterm::terminal::size()
        && columns > 0
    {
        return usize::from(columns);
    }
    DEFAULT_WIDTH
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn scaling_rounds_half_to_even_and_fills_the_width() {
        let mut s = Section::default();
        s.add_row(vec!["ab".into(), "abcdef".into()]);
        let widths = s.column_widths(40);
        assert_eq!(widths.iter().sum::<usize>(), 40);
    }

    #[test]
    fn a_narrow_table_cuts_cells_between_clusters() {
        let value = json!({"Name": "日本語日本語日本語日本語日本語", "Flag": "🇩🇪🇩🇪🇩🇪🇩🇪🇩🇪🇩🇪🇩🇪"});
        let table = render("T", &value, Fit::AtMost(24));
        for line in table.lines() {
            assert_eq!(width(line), 24, "{line:?}\n{table}");
        }
        assert!(table.contains('…'), "{table}");
    }
}
