//! Column widths by content and priority: every column first gets its minimum, then the
//! columns in priority order grow to what their content needs (first to a third of the room
//! each, then beyond), and what is left goes to the last column. A short status no longer keeps 21 columns while usernames are cut.

use crate::width::Cells;
use ratatui::style::Style;

use super::rows::{Segment, truncate};

/// One column to fit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    /// The widest content (header included), in display columns.
    pub want: usize,
    /// Never narrower than this (if the width allows at all).
    pub min: usize,
    /// Lower grows first.
    pub priority: u8,
}

impl Column {
    /// A column wanting `want` columns, at least `min`, growing in `priority` order.
    pub fn new(want: usize, min: usize, priority: u8) -> Self {
        Self {
            want: want.max(min),
            min,
            priority,
        }
    }
}

/// Widths for `columns` in `width` display columns, with one column of gap after each.
/// Spare room after every column has what it wants goes to the last column.
pub fn fit(width: usize, columns: &[Column]) -> Vec<usize> {
    let room = width.saturating_sub(columns.len());
    let mut widths: Vec<usize> = columns.iter().map(|c| c.min).collect();
    let mut used: usize = widths.iter().sum();
    if used > room {
        // Not even the minimums fit: the lowest priorities give way first.
        let mut order: Vec<usize> = (0..columns.len()).collect();
        order.sort_by_key(|&i| std::cmp::Reverse(columns[i].priority));
        for i in order {
            let cut = (used - room).min(widths[i]);
            widths[i] -= cut;
            used -= cut;
            if used <= room {
                break;
            }
        }
        return widths;
    }
    let mut order: Vec<usize> = (0..columns.len()).collect();
    order.sort_by_key(|&i| columns[i].priority);
    // First up to a third of the room each, so one long value can't starve the others;
    // then what is left, in priority order.
    for cap in [room / 3, usize::MAX] {
        for &i in &order {
            let grow = (columns[i].want.min(cap).saturating_sub(widths[i])).min(room - used);
            widths[i] += grow;
            used += grow;
        }
    }
    if let Some(last) = widths.last_mut() {
        *last += room - used;
    }
    widths
}

/// One column of a row: `segments` cut (with "…") or padded with spaces to exactly `width`
/// display columns, then one space between columns. Every column of every finder goes
/// through here: widths are display widths (`rows::truncate`, unicode-width), never char
/// counts, so a wide (CJK) or zero-width character cannot shift the columns after it.
pub fn cell(segments: &[Segment], width: usize) -> Vec<Segment> {
    let mut out = truncate(segments, width);
    let used: usize = out.iter().map(|(t, _)| t.cells()).sum();
    out.push((" ".repeat(width.saturating_sub(used) + 1), Style::new()));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_decides_and_priority_breaks_ties() {
        // username, email, status, enabled at 58 columns.
        let cols = [
            Column::new(10, 8, 0),
            Column::new(30, 5, 3),
            Column::new(9, 6, 1),
            Column::new(8, 3, 2),
        ];
        let w = fit(58, &cols);
        assert_eq!(&w[..], &[10, 27, 9, 8]);
        assert_eq!(w.iter().sum::<usize>() + 4, 58);
        // Narrow: the email gives way first.
        assert_eq!(fit(40, &cols), vec![10, 9, 9, 8]);
        // One very long username doesn't take the status's room.
        let cols = [
            Column::new(200, 8, 0),
            Column::new(30, 5, 3),
            Column::new(21, 6, 1),
            Column::new(8, 3, 2),
        ];
        assert_eq!(fit(80, &cols), vec![25, 22, 21, 8]);
        // Too narrow for the minimums: the lowest priority is cut first.
        assert_eq!(fit(20, &cols), vec![8, 0, 6, 2]);
    }
}
