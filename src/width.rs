//! Display width, the one measure every column uses: the terminal cells a string takes, by
//! grapheme cluster as ratatui draws it. Summing `char` widths gets emoji with a variation
//! selector (`❤️` is two cells, its chars one), and cutting between chars splits a cluster
//! (a base from its combining mark, a flag in half); both shift every column after them.

use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

/// Cells one grapheme cluster takes, as ratatui's buffer counts them: a control never
/// reaches the screen (0), one byte is one cell, halfwidth sound marks take a cell each.
pub fn grapheme_width(g: &str) -> usize {
    if g.contains(char::is_control) {
        0
    } else if g.len() == 1 {
        1
    } else {
        g.width()
            + g.chars()
                .filter(|c| matches!(c, '\u{FF9E}' | '\u{FF9F}'))
                .count()
    }
}

/// Cells `s` takes on screen.
pub fn width(s: &str) -> usize {
    s.graphemes(true).map(grapheme_width).sum()
}

/// The longest prefix of `s` that fits in `max` cells, whole clusters only, and its width.
pub fn prefix(s: &str, max: usize) -> (&str, usize) {
    let mut used = 0;
    for (i, g) in s.grapheme_indices(true) {
        let w = grapheme_width(g);
        if used + w > max {
            return (&s[..i], used);
        }
        used += w;
    }
    (s, used)
}

/// [`width`] as a method, so call sites read `text.cells()`.
pub trait Cells {
    /// Cells this text takes on screen.
    fn cells(&self) -> usize;
}

impl Cells for str {
    fn cells(&self) -> usize {
        width(self)
    }
}

/// `s` without its first `cells` cells (whole clusters: a wide one straddling the cut goes).
pub fn skip_cells(s: &str, cells: usize) -> &str {
    let mut dropped = 0;
    for (i, g) in s.grapheme_indices(true) {
        if dropped >= cells {
            return &s[i..];
        }
        dropped += grapheme_width(g);
    }
    ""
}

/// `s` in exactly `cells` cells: cut with "…" when wider, padded with spaces when narrower.
pub fn fit(s: &str, cells: usize) -> String {
    if width(s) <= cells {
        return pad(s, cells);
    }
    if cells == 0 {
        return String::new();
    }
    let (head, used) = prefix(s, cells - 1);
    format!("{head}…{}", " ".repeat(cells - 1 - used))
}

/// `s` followed by spaces up to `cells` cells (as it is when already that wide).
pub fn pad(s: &str, cells: usize) -> String {
    format!("{s}{}", " ".repeat(cells.saturating_sub(width(s))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clusters_are_measured_whole() {
        assert_eq!(width("abc"), 3);
        assert_eq!(width("日本"), 4);
        assert_eq!(width("❤\u{FE0F}"), 2, "emoji presentation");
        assert_eq!(width("e\u{301}"), 1, "combining acute");
        assert_eq!(width("🇩🇪"), 2, "a flag is one cluster");
        assert_eq!(width("👩\u{200D}💻"), 2, "ZWJ sequence");
    }

    #[test]
    fn cuts_never_split_a_cluster() {
        assert_eq!(prefix("🇩🇪x", 1), ("", 0));
        assert_eq!(prefix("e\u{301}x", 1), ("e\u{301}", 1));
        assert_eq!(fit("日本語", 4), "日… ");
        assert_eq!(width(&fit("日本語", 4)), 4);
        assert_eq!(fit("ab", 4), "ab  ");
        assert_eq!(fit("abc", 0), "");
        assert_eq!(skip_cells("日本語", 2), "本語");
        assert_eq!(skip_cells("日本語", 3), "語");
        assert_eq!(skip_cells("ab", 5), "");
    }
}
