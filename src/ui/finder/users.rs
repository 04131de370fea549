//! One user per row, as the search and browse lists draw them: the columns (Name and Phone
//! where the width allows), the highlights of the query's matches, privacy mode's masks, and
//! the row drawing the pool picker shares.

use std::borrow::Cow;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::widgets::{Paragraph, Widget};

use crate::app::Tone;
use crate::redact;
use crate::sanitize::sanitize;
use crate::search::{Field, Highlights};
use crate::ui::Theme;
use crate::ui::columns::cell;
use crate::ui::rows::{Segment, to_line, truncate};
use crate::width::Cells;

/// One user as a list row shows it.
pub(super) struct UserLine<'a> {
    pub(super) username: &'a str,
    /// The `name` attribute (highlights index it), else given and family name joined.
    pub(super) name: Option<(Cow<'a, str>, bool)>,
    pub(super) email: Option<&'a str>,
    pub(super) phone: Option<&'a str>,
    pub(super) status: Option<&'a str>,
    pub(super) enabled: bool,
    pub(super) highlights: Highlights,
}

/// A search hit as a list row shows it.
pub(super) fn hit_line(h: &crate::search::SearchHit) -> UserLine<'_> {
    let user = &h.user;
    UserLine {
        username: &user.username,
        name: shown_name(
            user.attribute("name"),
            user.attribute("given_name"),
            user.attribute("family_name"),
        ),
        email: user.attribute("email"),
        phone: user.attribute("phone_number"),
        status: user.status.as_ref().map(|s| s.as_wire()),
        enabled: user.enabled,
        highlights: h.highlights.clone(),
    }
}

/// The width of the last column, "Enabled" (its values are "yes" and "DISABLED").
const ENABLED: usize = 8;

/// A list's column widths; the Name and Phone columns only where the width allows.
#[derive(Debug, Clone, Copy)]
struct Widths {
    username: usize,
    name: Option<usize>,
    email: usize,
    phone: Option<usize>,
    status: usize,
    enabled: usize,
}

/// Below this the Name column is not worth its room (the email says more).
const NAME_MIN: usize = 12;

/// Column widths for `width`: username, email, status, enabled and the "Match" column
/// (`matched` cells, 0 when not shown), each wanting what the rows on screen hold; the
/// username is cut last, the email first. Name and Phone join when the rows have them and
/// what is left after the others' wants holds them (a name at least [`NAME_MIN`], a phone
/// number whole).
fn columns(width: usize, lines: &[UserLine], matched: usize) -> Widths {
    use crate::ui::columns::{Column, fit};
    let widest = |f: &dyn Fn(&UserLine) -> usize, header: &str| {
        lines.iter().map(f).max().unwrap_or(0).max(header.cells())
    };
    let username = widest(&|u| sanitize(u.username).cells(), "Username");
    let email = widest(&|u| sanitize(u.email.unwrap_or("-")).cells(), "Email");
    let status = widest(&|u| sanitize(u.status.unwrap_or("-")).cells(), "Status");
    let name = widest(
        &|u| u.name.as_ref().map_or(1, |(n, _)| sanitize(n).cells()),
        "Name",
    );
    let phone = widest(&|u| sanitize(u.phone.unwrap_or("-")).cells(), "Phone");
    let mut spare = width.saturating_sub(matched + username + email + status + ENABLED + 4);
    let show_name = lines.iter().any(|u| u.name.is_some()) && spare > NAME_MIN;
    if show_name {
        spare = spare.saturating_sub(name.min(spare - 1) + 1);
    }
    let show_phone = lines.iter().any(|u| u.phone.is_some()) && spare > phone;
    let mut wanted = vec![Column::new(username, 8, 0)];
    if show_name {
        wanted.push(Column::new(name, NAME_MIN.min(name), 4));
    }
    wanted.push(Column::new(email, 5, 3));
    if show_phone {
        wanted.push(Column::new(phone, phone, 5));
    }
    wanted.extend([Column::new(status, 6, 1), Column::new(ENABLED, 3, 2)]);
    let mut w = fit(width.saturating_sub(matched), &wanted).into_iter();
    let mut next = || w.next().unwrap_or(0);
    Widths {
        username: next(),
        name: show_name.then(&mut next),
        email: next(),
        phone: show_phone.then(&mut next),
        status: next(),
        enabled: next(),
    }
}

/// The name a row shows: the `name` attribute (marked as such: highlights index it), else
/// the given and family names joined.
pub(super) fn shown_name<'a>(
    name: Option<&'a str>,
    given: Option<&'a str>,
    family: Option<&'a str>,
) -> Option<(Cow<'a, str>, bool)> {
    if let Some(name) = name {
        return Some((name.into(), true));
    }
    match (given, family) {
        (Some(g), Some(f)) => Some((format!("{g} {f}").into(), false)),
        (Some(one), None) | (None, Some(one)) => Some((one.into(), false)),
        (None, None) => None,
    }
}

/// The "Match" column's width: the longest field label.
const MATCHED: usize = 9;

/// Which field a row matched in, as the "Match" column says it.
fn field_label(field: Field) -> &'static str {
    match field {
        Field::Username => "username",
        Field::Email => "email",
        Field::PhoneNumber => "phone",
        Field::PreferredUsername => "preferred",
        Field::Name => "name",
        Field::GivenName => "given",
        Field::FamilyName => "family",
        Field::SearchAttribute => "custom",
    }
}

/// One personal value of a row: masked in privacy mode (without highlights, which would
/// give the masked characters away), else highlighted where the query matched.
fn personal(
    value: &str,
    attribute: &str,
    marks: &[usize],
    width: usize,
    redact: bool,
    mark: Style,
) -> Vec<Segment> {
    if redact {
        pad(
            &redact::mask_attribute(attribute, value),
            width,
            Style::new(),
        )
    } else {
        highlighted(value, marks, width, mark)
    }
}

/// One row of a user list: username, name, email and phone (highlighted, or masked), the
/// field that matched, status and enabled, in columns of `w`.
fn user_row(
    u: UserLine,
    w: Widths,
    show_match: bool,
    redact: bool,
    mark: Style,
    theme: &Theme,
) -> Vec<Segment> {
    let marks = |field| u.highlights.for_field(field);
    let mut segs = if redact {
        pad(&redact::mask_query(u.username), w.username, Style::new())
    } else {
        highlighted(u.username, marks(Field::Username), w.username, mark)
    };
    if let Some(width) = w.name {
        segs.extend(match &u.name {
            Some((name, true)) => personal(name, "name", marks(Field::Name), width, redact, mark),
            Some((name, false)) => personal(name, "name", &[], width, redact, mark),
            None => pad("-", width, Style::new()),
        });
    }
    let email = u.email.unwrap_or("-");
    segs.extend(personal(
        email,
        "email",
        marks(Field::Email),
        w.email,
        redact,
        mark,
    ));
    if let Some(width) = w.phone {
        segs.extend(match u.phone {
            Some(phone) => personal(
                phone,
                "phone_number",
                marks(Field::PhoneNumber),
                width,
                redact,
                mark,
            ),
            None => pad("-", width, Style::new()),
        });
    }
    if show_match {
        let field = u.highlights.0.first().map(|(f, _)| *f);
        segs.extend(pad(
            field.map_or("", field_label),
            MATCHED,
            theme.tone(Tone::Dim),
        ));
    }
    let status = u.status.unwrap_or("-");
    let tone = match status {
        "CONFIRMED" | "EXTERNAL_PROVIDER" => Tone::Normal,
        "COMPROMISED" | "ARCHIVED" => Tone::Bad,
        _ => Tone::Warn,
    };
    segs.extend(pad(status, w.status, theme.tone(tone)));
    segs.extend(if u.enabled {
        pad("yes", w.enabled, theme.tone(Tone::Good))
    } else {
        pad("DISABLED", w.enabled, theme.tone(Tone::Bad))
    });
    segs
}

#[allow(clippy::too_many_arguments)]
pub(super) fn user_list<'a>(
    redact: bool,
    buf: &mut Buffer,
    area: Rect,
    lines: impl Iterator<Item = UserLine<'a>>,
    total: usize,
    cursor: usize,
    offset: usize,
    theme: &Theme,
) {
    let lines: Vec<UserLine<'a>> = lines.collect();
    // Show which field matched when a filter is in play: a match in a name or phone number
    // is otherwise invisible in a row of username and email.
    let show_match = lines.iter().any(|u| !u.highlights.is_empty());
    let matched = if show_match { MATCHED + 1 } else { 0 };
    let w = columns(area.width as usize, &lines, matched);
    let mut header = pad("Username", w.username, theme.label());
    if let Some(width) = w.name {
        header.extend(pad("Name", width, theme.label()));
    }
    header.extend(pad("Email", w.email, theme.label()));
    if let Some(width) = w.phone {
        header.extend(pad("Phone", width, theme.label()));
    }
    if show_match {
        header.extend(pad("Match", MATCHED, theme.label()));
    }
    header.extend(pad("Status", w.status, theme.label()));
    header.extend(pad("Enabled", w.enabled, theme.label()));
    let mark = theme
        .accent()
        .add_modifier(Modifier::BOLD | Modifier::UNDERLINED);
    let rows: Vec<Vec<Segment>> = lines
        .into_iter()
        .map(|u| user_row(u, w, show_match, redact, mark, theme))
        .collect();
    let selected = cursor.min(total.saturating_sub(1)).saturating_sub(offset);
    draw_rows(buf, area, header, rows, selected, theme);
}

/// `text`, sanitized, in `style`, as a column of `width` (see [`super::columns::cell`]).
pub(super) fn pad(text: &str, width: usize, style: Style) -> Vec<Segment> {
    cell(&[(sanitize(text).into_owned(), style)], width)
}

/// `text` (raw) cut to `width` columns, with the chars at `marks` (char indices into the raw
/// value) in `mark` style. Each char is sanitized on its own, so indices stay aligned.
fn highlighted(text: &str, marks: &[usize], width: usize, mark: Style) -> Vec<Segment> {
    let mut segs: Vec<Segment> = Vec::new();
    for (i, c) in text.chars().enumerate() {
        let style = if marks.contains(&i) {
            mark
        } else {
            Style::new()
        };
        let piece = sanitize(&c.to_string()).into_owned();
        match segs.last_mut() {
            Some((t, s)) if *s == style => t.push_str(&piece),
            _ => segs.push((piece, style)),
        }
    }
    cell(&segs, width)
}

/// `segments` without the blanks at the end (the last column's padding and gutter), which
/// would otherwise count towards the width and cut a row that fits.
fn trim_end(mut segments: Vec<Segment>) -> Vec<Segment> {
    while let Some((text, _)) = segments.last_mut() {
        let kept = text.trim_end_matches(' ').len();
        text.truncate(kept);
        if !text.is_empty() {
            break;
        }
        segments.pop();
    }
    segments
}

pub(super) fn draw_rows(
    buf: &mut Buffer,
    area: Rect,
    header: Vec<Segment>,
    rows: Vec<Vec<Segment>>,
    selected: usize,
    theme: &Theme,
) {
    let width = area.width as usize;
    let mut lines = vec![to_line(truncate(&trim_end(header), width))];
    for (i, segs) in rows.into_iter().enumerate() {
        let mut segs = truncate(&trim_end(segs), width);
        if i == selected {
            for (_, style) in &mut segs {
                *style = style.patch(theme.selected(true));
            }
            lines.push(to_line(segs).style(theme.selected(true)));
        } else {
            lines.push(to_line(segs));
        }
    }
    Paragraph::new(lines).render(area, buf);
}
