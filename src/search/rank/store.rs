//! The store behind the browse list: the shown fields, the sub and the dates of every loaded
//! user packed into one string arena and a fixed-size row each, with one lowercase haystack
//! per user for the ranker.

use std::collections::HashMap;
use std::hash::{BuildHasher, Hasher};

use time::OffsetDateTime;

use super::Field;
use crate::cognito::{UserStatus, UserSummary};

/// Slots in a row's text: the matched fields, then the status's wire value and the sub.
const SLOTS: usize = Field::ALL.len() + 2;
const STATUS_SLOT: usize = Field::ALL.len();
/// Not matched nor shown: kept so an exported list has `-o csv`'s Sub column (36 bytes).
const SUB_SLOT: usize = Field::ALL.len() + 1;

#[derive(Debug, Clone, Copy)]
pub(super) struct RowMeta {
    text_start: u32,
    /// Byte length of each slot's value in `text` (attribute values are at most 2048 chars).
    lens: [u16; SLOTS],
    hay_start: u32,
    hay_len: u32,
    /// Byte length of each field in `hay` (fields are joined by one space).
    hay_lens: [u16; Field::ALL.len()],
    enabled: bool,
    has_status: bool,
    /// Kept as Cognito sent them (16 bytes each), for the export's date columns.
    created: Option<OffsetDateTime>,
    last_modified: Option<OffsetDateTime>,
}

/// One row of the store, borrowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UserRow<'a> {
    pub username: &'a str,
    pub email: Option<&'a str>,
    pub phone_number: Option<&'a str>,
    pub preferred_username: Option<&'a str>,
    pub name: Option<&'a str>,
    pub given_name: Option<&'a str>,
    pub family_name: Option<&'a str>,
    /// The wire value (`CONFIRMED`, …); see [`UserRow::status`].
    pub status_wire: Option<&'a str>,
    pub enabled: bool,
    /// Not shown in the list; kept for the CSV export.
    pub sub: Option<&'a str>,
    pub created: Option<OffsetDateTime>,
    pub last_modified: Option<OffsetDateTime>,
}

impl UserRow<'_> {
    /// The status as our domain type.
    pub fn status(&self) -> Option<UserStatus> {
        self.status_wire.map(UserStatus::from_wire)
    }

    /// The value of a matched field (`""` when absent).
    pub fn field(&self, field: Field) -> &str {
        match field {
            Field::Username => self.username,
            Field::Email => self.email.unwrap_or(""),
            Field::PhoneNumber => self.phone_number.unwrap_or(""),
            Field::PreferredUsername => self.preferred_username.unwrap_or(""),
            Field::Name => self.name.unwrap_or(""),
            Field::GivenName => self.given_name.unwrap_or(""),
            Field::FamilyName => self.family_name.unwrap_or(""),
            Field::SearchAttribute => "",
        }
    }

    /// The row as a ListUsers user with the attributes the store keeps (the shown ones and
    /// `sub`): what an export of the list writes.
    pub fn to_summary(&self) -> UserSummary {
        let attributes = Field::ALL[1..]
            .iter()
            .map(|f| (f.attribute(), self.field(*f)))
            .chain([("sub", self.sub.unwrap_or(""))])
            .filter(|(_, value)| !value.is_empty())
            .map(|(name, value)| crate::cognito::Attribute::new(name, value))
            .collect();
        UserSummary {
            username: self.username.to_string(),
            attributes,
            created: self.created,
            last_modified: self.last_modified,
            enabled: self.enabled,
            status: self.status(),
        }
    }
}

/// Users loaded for browsing, stored compactly (about 2 × the shown text, the sub, and about
/// 100 bytes a user): only what the list shows and matches and what its CSV export writes, never
/// full attribute vectors.
#[derive(Debug, Default, Clone)]
pub struct UserStore {
    text: String,
    hay: String,
    rows: Vec<RowMeta>,
    /// Hash of a username → row, to drop users a later page repeats.
    by_username: HashMap<u64, u32>,
    /// Changes when the store is cleared, so rankers know their results are stale.
    pub(super) generation: u64,
}

/// A hasher with fixed keys: usernames are not attacker-chosen keys here, and a fixed
/// hasher keeps the map at 16 bytes an entry.
#[derive(Clone, Copy, Default)]
struct FixedState;

impl BuildHasher for FixedState {
    type Hasher = std::collections::hash_map::DefaultHasher;
    fn build_hasher(&self) -> Self::Hasher {
        std::collections::hash_map::DefaultHasher::new()
    }
}

fn username_hash(username: &str) -> u64 {
    let mut h = FixedState.build_hasher();
    h.write(username.as_bytes());
    h.finish()
}

/// Lowercases char by char, keeping one char per char so match indices map back to the raw
/// value (a char whose lowercase is several chars, like `İ`, is kept as it is).
pub fn lowercase_into(out: &mut String, s: &str) {
    for c in s.chars() {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
            continue;
        }
        let mut lower = c.to_lowercase();
        match (lower.next(), lower.next()) {
            (Some(l), None) => out.push(l),
            _ => out.push(c),
        }
    }
}

/// Clamps a value to what a `u16` length can hold, on a char boundary.
fn clamp_value(s: &str) -> &str {
    if s.len() <= u16::MAX as usize {
        return s;
    }
    let mut end = u16::MAX as usize;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

impl UserStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    /// Number of users.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Whether no user is loaded.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Forgets every user (e.g. on a pool switch); rankers notice and start over.
    pub fn clear(&mut self) {
        self.text.clear();
        self.hay.clear();
        self.rows.clear();
        self.by_username.clear();
        self.generation += 1;
    }

    /// Adds users in order, skipping usernames already present; returns how many were added.
    pub fn extend<'a>(&mut self, users: impl IntoIterator<Item = &'a UserSummary>) -> usize {
        let before = self.rows.len();
        for user in users {
            self.push(user);
        }
        self.rows.len() - before
    }

    /// Adds users as [`UserStore::extend`] does, with the values of the `extra` attributes
    /// (the config's `search_attributes`, e.g. `custom:tenant`) in the haystack only: they
    /// match the filter but are not shown. Returns how many users were added.
    pub fn extend_searching<'a>(
        &mut self,
        users: impl IntoIterator<Item = &'a UserSummary>,
        extra: &[String],
    ) -> usize {
        let before = self.rows.len();
        for user in users {
            if !self.push(user) || extra.is_empty() {
                continue;
            }
            for name in extra {
                if let Some(value) = user.attribute(name).filter(|v| !v.is_empty()) {
                    // Past the shown fields: highlights map only the fields and ignore these.
                    self.hay.push(' ');
                    lowercase_into(&mut self.hay, clamp_value(value));
                }
            }
            let hay_end = self.hay.len() as u32;
            let meta = self.rows.last_mut().expect("just pushed");
            meta.hay_len = hay_end - meta.hay_start;
        }
        self.rows.len() - before
    }

    /// Adds one user unless its username is already present; returns whether it was added.
    pub fn push(&mut self, user: &UserSummary) -> bool {
        let hash = username_hash(&user.username);
        if let Some(&row) = self.by_username.get(&hash)
            && self.row(row as usize).username == user.username
        {
            return false;
        }
        let index = self.rows.len() as u32;
        let text_start = self.text.len() as u32;
        let mut lens = [0u16; SLOTS];
        let mut hay_lens = [0u16; Field::ALL.len()];
        let hay_start = self.hay.len() as u32;
        for (slot, field) in Field::ALL.iter().enumerate() {
            let value = clamp_value(field.value(user));
            lens[slot] = value.len() as u16;
            self.text.push_str(value);
            if !value.is_empty() {
                if self.hay.len() > hay_start as usize {
                    self.hay.push(' ');
                }
                let before = self.hay.len();
                lowercase_into(&mut self.hay, value);
                hay_lens[slot] = (self.hay.len() - before).min(u16::MAX as usize) as u16;
            }
        }
        let status = user.status.as_ref().map(|s| clamp_value(s.as_wire()));
        if let Some(s) = status {
            lens[STATUS_SLOT] = s.len() as u16;
            self.text.push_str(s);
        }
        let sub = clamp_value(user.attribute("sub").unwrap_or(""));
        lens[SUB_SLOT] = sub.len() as u16;
        self.text.push_str(sub);
        self.rows.push(RowMeta {
            text_start,
            lens,
            hay_start,
            hay_len: self.hay.len() as u32 - hay_start,
            hay_lens,
            enabled: user.enabled,
            has_status: status.is_some(),
            created: user.created,
            last_modified: user.last_modified,
        });
        self.by_username.entry(hash).or_insert(index);
        true
    }

    /// The row at `index` (panics when out of range, like slice indexing).
    pub fn row(&self, index: usize) -> UserRow<'_> {
        let meta = &self.rows[index];
        let mut start = meta.text_start as usize;
        let mut slots: [&str; SLOTS] = [""; SLOTS];
        for (slot, len) in meta.lens.iter().enumerate() {
            let end = start + *len as usize;
            slots[slot] = &self.text[start..end];
            start = end;
        }
        fn some(s: &str) -> Option<&str> {
            (!s.is_empty()).then_some(s)
        }
        UserRow {
            username: slots[0],
            email: some(slots[1]),
            phone_number: some(slots[2]),
            preferred_username: some(slots[3]),
            name: some(slots[4]),
            given_name: some(slots[5]),
            family_name: some(slots[6]),
            status_wire: meta.has_status.then_some(slots[STATUS_SLOT]),
            enabled: meta.enabled,
            sub: some(slots[SUB_SLOT]),
            created: meta.created,
            last_modified: meta.last_modified,
        }
    }

    /// The lowercase haystack matched for row `index`.
    pub fn haystack(&self, index: usize) -> &str {
        let meta = &self.rows[index];
        &self.hay[meta.hay_start as usize..(meta.hay_start + meta.hay_len) as usize]
    }

    /// Bytes held by the store's buffers (capacity, not just length).
    pub fn heap_bytes(&self) -> usize {
        self.text.capacity()
            + self.hay.capacity()
            + self.rows.capacity() * std::mem::size_of::<RowMeta>()
            + self.by_username.capacity() * (std::mem::size_of::<(u64, u32)>() + 1)
    }

    /// Each present field's lowercase text in row `index`'s haystack, in field order.
    pub(super) fn hay_fields(&self, index: usize) -> impl Iterator<Item = (Field, &str)> + '_ {
        let meta = &self.rows[index];
        let start = meta.hay_start as usize;
        let end = start + meta.hay_len as usize;
        let fields_end = start
            + meta
                .hay_lens
                .iter()
                .filter(|len| **len > 0)
                .map(|len| *len as usize + 1)
                .sum::<usize>();
        let mut at = start;
        let known = Field::ALL
            .iter()
            .zip(meta.hay_lens)
            .filter(|(_, len)| *len > 0)
            .map(move |(&field, len)| {
                let text = &self.hay[at..at + len as usize];
                at += len as usize + 1;
                (field, text)
            });
        // The config's search attributes follow the shown fields, joined by spaces (see
        // `extend_searching`); each word of them is matched as a field of its own.
        let extra = self
            .hay
            .get(fields_end.min(end)..end)
            .unwrap_or("")
            .split(' ')
            .filter(|v| !v.is_empty())
            .map(|v| (Field::SearchAttribute, v));
        known.chain(extra)
    }
}
