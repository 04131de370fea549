//! Reads bordered boxes (panes and popups) off a drawn frame: a title's box is closed when
//! its four corners and four edges are all on screen, so a frame too small for a popup, or
//! a layout that clips one, is seen.
#![allow(dead_code)]

use ratatui::buffer::Buffer;

const TOP_LEFT: &str = "┌┏╔╭";
const TOP_RIGHT: &str = "┐┓╗╮";
const BOTTOM_LEFT: &str = "└┗╚╰";
const BOTTOM_RIGHT: &str = "┘┛╝╯";
const VERTICAL: &str = "│┃║";

fn cell(buf: &Buffer, x: u16, y: u16) -> &str {
    buf[(x, y)].symbol()
}

fn is(set: &str, symbol: &str) -> bool {
    symbol.chars().count() == 1 && set.contains(symbol)
}

/// Everywhere `title` starts on screen (its characters in consecutive cells).
pub fn find_all(buf: &Buffer, title: &str) -> Vec<(u16, u16)> {
    let chars: Vec<char> = title.chars().collect();
    let width = buf.area.width as usize;
    let mut found = Vec::new();
    for y in 0..buf.area.height {
        for x in 0..(width + 1).saturating_sub(chars.len()) {
            let here = (chars.iter().enumerate())
                .all(|(i, c)| cell(buf, (x + i) as u16, y) == c.to_string());
            if here {
                found.push((x as u16, y));
            }
        }
    }
    found
}

/// Checks that `title` is drawn whole on the top edge of a box whose corners and edges are
/// all on screen (at one of the places it is drawn); says what is wrong otherwise.
pub fn closed_box(buf: &Buffer, title: &str) -> Result<(), String> {
    let places = find_all(buf, title);
    if places.is_empty() {
        return Err(format!("{title:?} is not on screen"));
    }
    let mut problems = Vec::new();
    for (x, y) in places {
        match closed_box_at(buf, title, x, y) {
            Ok(()) => return Ok(()),
            Err(problem) => problems.push(problem),
        }
    }
    Err(problems.join("; "))
}

fn closed_box_at(buf: &Buffer, title: &str, start: u16, top: u16) -> Result<(), String> {
    let left = (0..start)
        .rev()
        .find(|&x| is(TOP_LEFT, cell(buf, x, top)))
        .ok_or_else(|| format!("{title:?}: no top-left corner before it"))?;
    let right = (start + title.chars().count() as u16..buf.area.width)
        .find(|&x| is(TOP_RIGHT, cell(buf, x, top)))
        .ok_or_else(|| format!("{title:?}: no top-right corner after it"))?;
    let bottom = (top + 1..buf.area.height)
        .find(|&y| !is(VERTICAL, cell(buf, right, y)))
        .filter(|&y| is(BOTTOM_RIGHT, cell(buf, right, y)))
        .ok_or_else(|| format!("{title:?}: its right edge does not end in a corner"))?;
    if !is(BOTTOM_LEFT, cell(buf, left, bottom)) {
        return Err(format!(
            "{title:?}: no bottom-left corner at ({left}, {bottom})"
        ));
    }
    if let Some(y) = (top + 1..bottom).find(|&y| !is(VERTICAL, cell(buf, left, y))) {
        return Err(format!("{title:?}: its left edge is broken at row {y}"));
    }
    Ok(())
}
