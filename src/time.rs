//! Time zones and how times read: RFC 3339 for machines (JSON, the audit log), local time
//! with a relative age for people.

use ::time::format_description::BorrowedFormatItem;
use ::time::format_description::well_known::Rfc3339;
use ::time::{OffsetDateTime, UtcOffset};

/// How times are shown: a fixed offset (tests) or the system's local time zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeZone {
    Fixed(UtcOffset),
    Local,
}

impl TimeZone {
    /// The offset in force at `t` (daylight saving included, for `Local`).
    pub fn offset_at(self, t: OffsetDateTime) -> UtcOffset {
        match self {
            Self::Fixed(offset) => offset,
            Self::Local => local_offset_at(t).unwrap_or(UtcOffset::UTC),
        }
    }
}

#[cfg(unix)]
fn local_offset_at(t: OffsetDateTime) -> Option<UtcOffset> {
    // time_t is 64-bit on the platforms we build for; the conversion is for the others.
    #[allow(clippy::useless_conversion)]
    let secs: libc::time_t = t.unix_timestamp().try_into().ok()?;
    // SAFETY: `tm` is plain old data and localtime_r writes only to it. The time crate
    // declines this call in multi-threaded programs because a concurrent setenv could race;
    // this program never calls setenv.
    let mut tm: libc::tm = unsafe { std::mem::zeroed() };
    let ok = unsafe { !libc::localtime_r(&secs, &mut tm).is_null() };
    if !ok {
        return None;
    }
    UtcOffset::from_whole_seconds(i32::try_from(tm.tm_gmtoff).ok()?).ok()
}

#[cfg(not(unix))]
fn local_offset_at(t: OffsetDateTime) -> Option<UtcOffset> {
    UtcOffset::local_offset_at(t).ok()
}

/// RFC 3339 in UTC, e.g. `2024-05-01T12:00:00.123Z`: JSON output and the audit log.
pub fn rfc3339(t: OffsetDateTime) -> String {
    t.checked_to_offset(UtcOffset::UTC)
        .and_then(|t| t.format(&Rfc3339).ok())
        .unwrap_or_else(|| t.unix_timestamp().to_string())
}

/// `t` in the zone `tz` by `format`; RFC 3339 if it can't be formatted.
/// A time whose local date is out of `time`'s range (year 9999 east of UTC, year -9999 west
/// of it) stays in UTC rather than panicking in `to_offset`.
fn local(tz: TimeZone, t: OffsetDateTime, format: &[BorrowedFormatItem<'_>]) -> String {
    t.checked_to_offset(tz.offset_at(t))
        .or_else(|| t.checked_to_offset(UtcOffset::UTC))
        .and_then(|t| t.format(format).ok())
        .unwrap_or_else(|| rfc3339(t))
}

/// "2025-11-20 08:12 +00:00", for list rows.
pub fn format_short(tz: TimeZone, t: Option<OffsetDateTime>) -> String {
    let format = ::time::macros::format_description!(
        "[year]-[month]-[day] [hour]:[minute] [offset_hour sign:mandatory]:[offset_minute]"
    );
    t.map_or_else(|| "-".into(), |t| local(tz, t, format))
}

/// "2023-03-14 09:26:53 +00:00 (2 years ago)".
pub fn format_long(tz: TimeZone, now: OffsetDateTime, t: Option<OffsetDateTime>) -> String {
    let format = ::time::macros::format_description!(
        "[year]-[month]-[day] [hour]:[minute]:[second] [offset_hour sign:mandatory]:[offset_minute]"
    );
    t.map_or_else(
        || "-".into(),
        |t| format!("{} ({})", local(tz, t, format), relative_age(now, t)),
    )
}

/// "3 hours ago", "just now", "in 2 days".
pub fn relative_age(now: OffsetDateTime, t: OffsetDateTime) -> String {
    // `-` on OffsetDateTime can't overflow: both ends are within ±9999 years.
    let secs = (now - t).whole_seconds();
    let abs = secs.unsigned_abs();
    if abs < 60 {
        return "just now".into();
    }
    let (n, unit) = match abs {
        s if s < 3_600 => (s / 60, "minute"),
        s if s < 86_400 => (s / 3_600, "hour"),
        s if s < 86_400 * 60 => (s / 86_400, "day"),
        s if s < 86_400 * 365 => (s / (86_400 * 30), "month"),
        s => (s / (86_400 * 365), "year"),
    };
    let plural = if n == 1 { "" } else { "s" };
    if secs < 0 {
        format!("in {n} {unit}{plural}")
    } else {
        format!("{n} {unit}{plural} ago")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(secs: i64) -> OffsetDateTime {
        OffsetDateTime::from_unix_timestamp(secs).unwrap()
    }

    #[test]
    fn the_ends_of_the_range_render_in_every_offset() {
        let ends = [
            OffsetDateTime::new_utc(::time::Date::MAX, ::time::Time::MAX),
            OffsetDateTime::new_utc(::time::Date::MIN, ::time::Time::MIDNIGHT),
            at(-1),
            at(0),
        ];
        let now = at(1_700_000_000);
        for hours in [-14i8, -1, 0, 1, 2, 14] {
            let tz = TimeZone::Fixed(UtcOffset::from_hms(hours, 0, 0).unwrap());
            for t in ends {
                let short = format_short(tz, Some(t));
                let long = format_long(tz, now, Some(t));
                assert!(!short.is_empty() && !long.is_empty());
                assert!(!rfc3339(t).is_empty());
            }
        }
        let east = TimeZone::Fixed(UtcOffset::from_hms(2, 0, 0).unwrap());
        assert_eq!(format_short(east, Some(ends[0])), "9999-12-31 23:59 +00:00");
        assert_eq!(rfc3339(ends[0]), "9999-12-31T23:59:59.999999999Z");
    }
}
