//! The row list every pane uses: a label column, a value, an optional note; either one line
//! per row (truncated with "…") or wrapped. Widths are display widths, so CJK and combining
//! text line up.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};
use unicode_segmentation::UnicodeSegmentation;

use crate::width::{self as cells, Cells};

use super::theme::Theme;
use crate::app::Row;

/// A piece of text with its style.
pub type Segment = (String, Style);

/// Cuts `segments` to `width` columns, ending in "…" when something was cut.
pub fn truncate(segments: &[Segment], width: usize) -> Vec<Segment> {
    let total: usize = segments.iter().map(|(t, _)| t.cells()).sum();
    if total <= width {
        return segments.to_vec();
    }
    let budget = width.saturating_sub(1);
    let mut out = Vec::new();
    let mut used = 0;
    let mut last_style = Style::new();
    for (text, style) in segments {
        last_style = *style;
        // Whole grapheme clusters only: a cut inside one would change its width.
        let (head, w) = cells::prefix(text, budget - used);
        if !head.is_empty() {
            out.push((head.to_string(), *style));
        }
        used += w;
        if head.len() < text.len() {
            break;
        }
    }
    if width > 0 {
        out.push(("…".into(), last_style));
    }
    out
}

/// Wraps `segments` into lines of at most `width` columns, breaking at spaces when it can.
pub fn wrap(segments: &[Segment], width: usize) -> Vec<Vec<Segment>> {
    let width = width.max(1);
    // Words keep their trailing spaces; a word wider than a line is split by character.
    let mut words: Vec<(String, Style)> = Vec::new();
    for (text, style) in segments {
        let mut word = String::new();
        for c in text.chars() {
            word.push(c);
            if c == ' ' {
                words.push((std::mem::take(&mut word), *style));
            }
        }
        if !word.is_empty() {
            words.push((word, *style));
        }
    }
    let mut lines: Vec<Vec<Segment>> = vec![Vec::new()];
    let mut used = 0;
    for (word, style) in words {
        let w = word.trim_end().cells();
        if used > 0 && used + w > width {
            lines.push(Vec::new());
            used = 0;
        }
        if w > width {
            for g in word.graphemes(true) {
                let cw = cells::grapheme_width(g);
                if used + cw > width && used > 0 {
                    lines.push(Vec::new());
                    used = 0;
                }
                push(lines.last_mut().expect("never empty"), g.to_string(), style);
                used += cw;
            }
            continue;
        }
        used += word.cells();
        push(lines.last_mut().expect("never empty"), word, style);
    }
    lines
}

fn push(line: &mut Vec<Segment>, text: String, style: Style) {
    match line.last_mut() {
        Some((t, s)) if *s == style => t.push_str(&text),
        _ => line.push((text, style)),
    }
}

/// Turns segments into a ratatui line.
pub fn to_line(segments: Vec<Segment>) -> Line<'static> {
    Line::from(
        segments
            .into_iter()
            .map(|(t, s)| Span::styled(t, s))
            .collect::<Vec<_>>(),
    )
}

/// How a list of rows is laid out.
#[derive(Debug, Clone, Copy)]
pub struct RowLayout {
    pub label_width: usize,
    pub wrap: bool,
}

impl RowLayout {
    /// A label column as wide as the widest label of `rows`, but no wider than `max`.
    pub fn fitted(rows: &[Row], max: usize, wrap: bool) -> Self {
        let widest = rows.iter().map(|r| r.label.cells()).max().unwrap_or(0);
        Self {
            label_width: widest.min(max),
            wrap,
        }
    }
}

/// The lines of each row at `width`.
pub fn row_lines(
    rows: &[Row],
    layout: RowLayout,
    width: usize,
    theme: &Theme,
) -> Vec<Vec<Line<'static>>> {
    let label_width = layout.label_width.min(width / 2);
    let value_width = width.saturating_sub(label_width + 1);
    // Where one whole note would squeeze its value, every row takes the short form, so one
    // pane never says both "verified" and "✓".
    let short_notes = !layout.wrap
        && rows.iter().any(|row| match (&row.short_note, &row.note) {
            (Some(_), Some((text, _))) => row.value.cells() + 2 + text.cells() > value_width,
            _ => false,
        });
    rows.iter()
        .map(|row| {
            let label = truncate(&[(row.label.clone(), theme.label())], label_width);
            let label_text: String = label.iter().map(|(t, _)| t.as_str()).collect();
            let pad = " ".repeat(label_width.saturating_sub(label_text.cells()) + 1);
            let value: Vec<Segment> = vec![(row.value.clone(), theme.tone(row.value_tone))];
            let note: Option<Segment> = row
                .note
                .as_ref()
                .map(|(note, tone)| (note.clone(), theme.tone(*tone)));
            let note = match (&row.short_note, note) {
                (Some(short), Some((_, style))) if short_notes => Some((short.clone(), style)),
                (_, note) => note,
            };
            let value_lines = layout_value(value, note, layout.wrap, value_width);
            value_lines
                .into_iter()
                .enumerate()
                .map(|(i, segs)| {
                    let mut line = if i == 0 {
                        label.clone()
                    } else {
                        vec![(String::new(), Style::new())]
                    };
                    line.push((
                        if i == 0 {
                            pad.clone()
                        } else {
                            " ".repeat(label_width + 1)
                        },
                        Style::new(),
                    ));
                    line.extend(segs);
                    to_line(line)
                })
                .collect()
        })
        .collect()
}

/// The value and its note: one truncated line (the note kept whole when it fits beside a
/// shortened value), or wrapped lines with the note starting a new line if it does not fit
/// after the value.
fn layout_value(
    value: Vec<Segment>,
    note: Option<Segment>,
    wrap_lines: bool,
    width: usize,
) -> Vec<Vec<Segment>> {
    let gap = || ("  ".to_string(), Style::new());
    if !wrap_lines {
        let Some(note) = note else {
            return vec![truncate(&value, width)];
        };
        let note_width = note.0.cells() + 2;
        if note_width * 2 > width {
            let mut all = value;
            all.extend([gap(), note]);
            return vec![truncate(&all, width)];
        }
        let mut line = truncate(&value, width - note_width);
        line.extend([gap(), note]);
        return vec![line];
    }
    let mut lines = wrap(&value, width);
    let Some(note) = note else {
        return lines;
    };
    let last_width: usize = lines
        .last()
        .map_or(0, |l| l.iter().map(|(t, _)| t.cells()).sum());
    if last_width + 2 + note.0.cells() <= width {
        lines.last_mut().expect("never empty").extend([gap(), note]);
    } else {
        lines.extend(wrap(&[note], width));
    }
    lines
}

/// Total lines the rows take at `width`.
pub fn height(rows: &[Row], layout: RowLayout, width: usize, theme: &Theme) -> usize {
    row_lines(rows, layout, width, theme)
        .iter()
        .map(Vec::len)
        .sum()
}

/// Rows drawn into an area, the selected one highlighted and scrolled into view.
pub struct RowList<'a> {
    pub rows: &'a [Row],
    pub cursor: usize,
    pub focused: bool,
    pub layout: RowLayout,
    pub theme: &'a Theme,
}

impl Widget for RowList<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let Self {
            rows,
            cursor,
            focused,
            layout,
            theme,
        } = self;
        if area.width == 0 || area.height == 0 {
            return;
        }
        let per_row = row_lines(rows, layout, area.width as usize, theme);
        let cursor = cursor.min(rows.len().saturating_sub(1));
        let start: usize = per_row.iter().take(cursor).map(Vec::len).sum();
        let end = start + per_row.get(cursor).map_or(0, Vec::len);
        let height = area.height as usize;
        // The selected row is kept in view without scroll state: as low as needed, no lower.
        let offset = end.saturating_sub(height).min(start);
        let selected = theme.selected(focused);
        let lines: Vec<Line> = per_row
            .into_iter()
            .enumerate()
            .flat_map(|(i, lines)| {
                lines.into_iter().map(move |mut line| {
                    if i == cursor && !rows.is_empty() {
                        line = line.patch_style(selected);
                    }
                    line
                })
            })
            .skip(offset)
            .take(height)
            .collect();
        Paragraph::new(lines).render(area, buf);
    }
}
