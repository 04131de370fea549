//! Fuzzy ranking of loaded users, fast enough to run on every keystroke over 100,000 users.
//!
//! Users live in a compact [`UserStore`] (`rank/store.rs`): the few fields a list shows (and
//! the sub and dates a CSV export of the list writes), packed into one string arena, plus one
//! lowercase haystack per user computed once when the user is added. A [`Ranker`] keeps the
//! ranked result of every prefix of the current query, so a growing query only re-scores the
//! previous matches (a match of `jo` is needed for a match of `joh`), and backspace returns an
//! earlier result without scoring anything.
//!
//! Two scorers: [`Scorer::Fast`] (the browse filter: fzf's v1 algorithm over bytes, see
//! `score.rs`, about 20× cheaper than skim) and [`Scorer::Skim`] (SkimMatcherV2, for the few
//! hundred users a type-ahead search returns). Fast falls back to skim for non-ASCII queries.

use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;

use super::score;
pub use super::score::is_subsequence;
use crate::cognito::UserSummary;

mod store;
pub use store::{UserRow, UserStore, lowercase_into};

/// A field a list row shows and the fuzzy filter matches, in haystack order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    Username,
    Email,
    PhoneNumber,
    PreferredUsername,
    Name,
    GivenName,
    FamilyName,
    /// A value of one of the config's `search_attributes` (e.g. `custom:tenant`): matched, not
    /// shown, so never highlighted.
    SearchAttribute,
}

impl Field {
    /// Every matched field, in haystack order.
    pub const ALL: [Field; 7] = [
        Field::Username,
        Field::Email,
        Field::PhoneNumber,
        Field::PreferredUsername,
        Field::Name,
        Field::GivenName,
        Field::FamilyName,
    ];

    /// The Cognito attribute name (`username` for the username).
    pub fn attribute(self) -> &'static str {
        match self {
            Field::Username => "username",
            Field::Email => "email",
            Field::PhoneNumber => "phone_number",
            Field::PreferredUsername => "preferred_username",
            Field::Name => "name",
            Field::GivenName => "given_name",
            Field::FamilyName => "family_name",
            Field::SearchAttribute => "search attribute",
        }
    }

    fn value(self, user: &UserSummary) -> &str {
        match self {
            Field::Username => &user.username,
            other => user.attribute(other.attribute()).unwrap_or(""),
        }
    }
}

/// Matched character positions per field, for highlighting (char indices into the raw value).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Highlights(pub Vec<(Field, Vec<usize>)>);

impl Highlights {
    /// The matched char indices in `field`'s value (empty when nothing matched there).
    pub fn for_field(&self, field: Field) -> &[usize] {
        self.0
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, i)| i.as_slice())
            .unwrap_or(&[])
    }

    /// Whether nothing is highlighted.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// One ranked match: a row of the store and its score (higher is better).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ranked {
    pub row: u32,
    pub score: i32,
}

/// The ranked matches of one query.
#[derive(Debug, Default)]
struct Level {
    query: String,
    matches: Vec<Ranked>,
}

/// Which fuzzy scorer a [`Ranker`] uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Scorer {
    /// fzf v1 over bytes for ASCII queries (SkimMatcherV2 otherwise): for big lists.
    #[default]
    Fast,
    /// SkimMatcherV2 always: for small lists, e.g. search results.
    Skim,
}

/// Above this many candidates, scoring is split over two threads.
const PARALLEL_THRESHOLD: usize = 8_192;
/// How many prefixes of the query keep their results (for narrowing and backspace).
const MAX_LEVELS: usize = 48;

/// Reusable fuzzy-ranking state over one [`UserStore`]. Call [`Ranker::rank`] on every
/// keystroke (or whenever the store grows); it does as little work as the change needs.
pub struct Ranker {
    matcher: SkimMatcherV2,
    /// Results of the current query's prefixes, shortest first.
    levels: Vec<Level>,
    /// Buffers of dropped levels, reused so keystrokes don't allocate.
    spare: Vec<Vec<Ranked>>,
    /// Every row in load order, for the empty query.
    all: Vec<Ranked>,
    /// Rows of the store already ranked, and the store generation they came from.
    rows_seen: usize,
    generation: u64,
    query: String,
    /// Threads to score with (1 or 2).
    threads: usize,
    scorer: Scorer,
}

impl Default for Ranker {
    fn default() -> Self {
        Self::new()
    }
}

impl std::fmt::Debug for Ranker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Ranker")
            .field("query", &self.query)
            .field("levels", &self.levels.len())
            .field("rows_seen", &self.rows_seen)
            .finish()
    }
}

impl Ranker {
    /// A ranker that uses up to two threads for big candidate sets.
    pub fn new() -> Self {
        let threads = std::thread::available_parallelism()
            .map(|n| n.get().min(2))
            .unwrap_or(1);
        Self::with_threads(threads)
    }

    /// A ranker that scores on `threads` threads (1 = the calling thread only).
    pub fn with_threads(threads: usize) -> Self {
        Self {
            // The haystack and query are lowercased already; respecting case skips skim's own
            // per-char case folding.
            matcher: SkimMatcherV2::default().respect_case(),
            levels: Vec::new(),
            spare: Vec::new(),
            all: Vec::new(),
            rows_seen: 0,
            generation: 0,
            query: String::new(),
            threads: threads.clamp(1, 2),
            scorer: Scorer::Fast,
        }
    }

    /// The same ranker with another scorer.
    pub fn with_scorer(mut self, scorer: Scorer) -> Self {
        self.scorer = scorer;
        self
    }

    fn fast(&self, query: &str) -> bool {
        self.scorer == Scorer::Fast && query.is_ascii()
    }

    /// The current (lowercased, trimmed) query.
    pub fn query(&self) -> &str {
        &self.query
    }

    /// The current results, best first (every row in load order for an empty query).
    pub fn results(&self) -> &[Ranked] {
        if self.query.is_empty() {
            &self.all
        } else {
            self.levels
                .last()
                .map(|l| l.matches.as_slice())
                .unwrap_or(&[])
        }
    }

    /// Ranks `store` for `query`; returns the matches, best first (ties in load order).
    /// Narrows from earlier results when the query grows and reuses them on backspace; rows
    /// added to the store since the last call are scored and merged in.
    pub fn rank(&mut self, store: &UserStore, query: &str) -> &[Ranked] {
        if store.generation != self.generation || store.len() < self.rows_seen {
            self.reset();
            self.generation = store.generation;
        }
        let mut lowered = std::mem::take(&mut self.query);
        lowered.clear();
        lowercase_into(&mut lowered, query.trim());
        self.query = lowered;

        // New rows: extend the load-order list, and fold them into the current query's
        // results; deeper or other levels can't be trusted to include them, so drop them.
        if store.len() > self.rows_seen {
            let new_rows = self.rows_seen..store.len();
            self.all.extend(new_rows.clone().map(|r| Ranked {
                row: r as u32,
                score: 0,
            }));
            while self.levels.len() > 1 {
                let level = self.levels.pop().expect("len > 1");
                self.recycle(level.matches);
            }
            if let Some(mut level) = self.levels.pop() {
                let mut added = self.take_buffer();
                let candidates = Candidates::Range(new_rows.start as u32..new_rows.end as u32);
                self.score_into(store, &level.query, candidates, &mut added);
                level.matches.extend_from_slice(&added);
                sort_ranked(&mut level.matches);
                self.recycle(added);
                self.levels.push(level);
            }
            self.rows_seen = store.len();
        }

        if self.query.is_empty() {
            return &self.all;
        }
        // Keep only levels whose query is a prefix of the new one.
        while let Some(top) = self.levels.last() {
            if self.query.starts_with(top.query.as_str()) {
                break;
            }
            let level = self.levels.pop().expect("non-empty");
            self.recycle(level.matches);
        }
        if self.levels.last().is_some_and(|l| l.query == self.query) {
            return self.results();
        }
        let mut matches = self.take_buffer();
        let candidates = match self.levels.last() {
            Some(parent) => Candidates::Ranked(&parent.matches),
            None => Candidates::Range(0..store.len() as u32),
        };
        self.score_into(store, &self.query, candidates, &mut matches);
        sort_ranked(&mut matches);
        if self.levels.len() >= MAX_LEVELS {
            let level = self.levels.remove(0);
            self.recycle(level.matches);
        }
        self.levels.push(Level {
            query: self.query.clone(),
            matches,
        });
        self.results()
    }

    /// Where the current query matched in `row`: the one field that ranked it and the
    /// matched char positions there. Computed on demand for the rows on screen only.
    pub fn highlights(&self, store: &UserStore, row: u32) -> Highlights {
        if self.query.is_empty() || row as usize >= store.len() {
            return Highlights::default();
        }
        let q = QueryMatcher::new(&self.query, self.fast(&self.query), &self.matcher);
        let best = store
            .hay_fields(row as usize)
            .filter_map(|(field, text)| q.score(text).map(|score| (score, field, text)))
            .fold(None, |best: Option<(i32, Field, &str)>, m| match best {
                Some(b) if b.0 >= m.0 => Some(b),
                _ => Some(m),
            });
        let Some((field, positions)) =
            best.and_then(|(_, field, text)| Some((field, q.positions(text)?)))
        else {
            return Highlights::default();
        };
        // The ranking field first; a list row also marks its username and email where the
        // query matches them on its own (the rules hold per field).
        let mut out = vec![(field, positions)];
        for (other, text) in store.hay_fields(row as usize) {
            if other != field
                && matches!(other, Field::Username | Field::Email)
                && let Some(p) = q.score(text).and_then(|_| q.positions(text))
            {
                out.push((other, p));
            }
        }
        Highlights(out)
    }

    fn reset(&mut self) {
        while let Some(level) = self.levels.pop() {
            self.recycle(level.matches);
        }
        self.all.clear();
        self.rows_seen = 0;
    }

    fn take_buffer(&mut self) -> Vec<Ranked> {
        let mut buf = self.spare.pop().unwrap_or_default();
        buf.clear();
        buf
    }

    fn recycle(&mut self, mut buf: Vec<Ranked>) {
        if self.spare.len() < 4 {
            buf.clear();
            self.spare.push(buf);
        }
    }

    fn score_into(
        &self,
        store: &UserStore,
        query: &str,
        rows: Candidates<'_>,
        out: &mut Vec<Ranked>,
    ) {
        let q = QueryMatcher::new(query, self.fast(query), &self.matcher);
        if self.threads > 1 && rows.len() >= PARALLEL_THRESHOLD {
            let (left, right) = rows.split();
            let q = &q;
            let mut right_out = Vec::new();
            std::thread::scope(|s| {
                let handle = s.spawn(|| {
                    let mut v = Vec::with_capacity(right.len() / 4);
                    score_rows(q, store, right, &mut v);
                    v
                });
                score_rows(q, store, left, out);
                right_out = handle.join().expect("ranking thread panicked");
            });
            out.extend_from_slice(&right_out);
        } else {
            score_rows(&q, store, rows, out);
        }
    }
}

/// The rows to score: a range of the store, or an earlier result.
#[derive(Clone)]
enum Candidates<'a> {
    Range(std::ops::Range<u32>),
    Ranked(&'a [Ranked]),
}

impl<'a> Candidates<'a> {
    fn len(&self) -> usize {
        match self {
            Candidates::Range(r) => r.len(),
            Candidates::Ranked(v) => v.len(),
        }
    }

    fn split(self) -> (Candidates<'a>, Candidates<'a>) {
        match self {
            Candidates::Range(r) => {
                let mid = r.start + (r.end - r.start) / 2;
                (
                    Candidates::Range(r.start..mid),
                    Candidates::Range(mid..r.end),
                )
            }
            Candidates::Ranked(v) => {
                let (a, b) = v.split_at(v.len() / 2);
                (Candidates::Ranked(a), Candidates::Ranked(b))
            }
        }
    }
}

fn sort_ranked(v: &mut [Ranked]) {
    v.sort_unstable_by_key(|r| (std::cmp::Reverse(r.score), r.row));
}

fn score_rows(
    q: &QueryMatcher<'_>,
    store: &UserStore,
    rows: Candidates<'_>,
    out: &mut Vec<Ranked>,
) {
    match rows {
        Candidates::Range(r) => {
            for row in r {
                score_row(q, store, row, out);
            }
        }
        Candidates::Ranked(v) => {
            for r in v {
                score_row(q, store, r.row, out);
            }
        }
    }
}

/// A row's score is its best field's: the query must match inside one field (a username
/// and an email are never mixed into one match).
#[inline]
fn score_row(q: &QueryMatcher<'_>, store: &UserStore, row: u32, out: &mut Vec<Ranked>) {
    // Necessary for a match in any field, and far cheaper than looking at each.
    if !is_subsequence(q.query.as_bytes(), store.haystack(row as usize).as_bytes()) {
        return;
    }
    let best = store
        .hay_fields(row as usize)
        .filter_map(|(_, text)| q.score(text))
        .max();
    if let Some(score) = best {
        out.push(Ranked { row, score });
    }
}

/// One query, ready to be matched against many lowercase fields by the ranking rules:
/// exact, prefix, word-start, substring, then scattered in at most three runs (see
/// [`score::Tier`]); the fuzzy score (fzf v1, or skim's) only orders matches of one tier.
pub struct QueryMatcher<'q> {
    query: &'q str,
    finder: memchr::memmem::Finder<'q>,
    fast: bool,
    matcher: &'q SkimMatcherV2,
}

impl<'q> QueryMatcher<'q> {
    /// Matches `query` (already lowercased and trimmed); `fast` picks fzf's scoring over
    /// skim's for ASCII queries.
    pub fn new(query: &'q str, fast: bool, matcher: &'q SkimMatcherV2) -> Self {
        Self {
            query,
            finder: memchr::memmem::Finder::new(query.as_bytes()),
            fast: fast && query.is_ascii(),
            matcher,
        }
    }

    /// The combined score of the query in one lowercase field, or None.
    pub fn score(&self, text: &str) -> Option<i32> {
        let (tier, fast_score) = if self.query.is_ascii() {
            score::match_field(text.as_bytes(), self.query.as_bytes(), &self.finder)?
        } else {
            (match_chars(text, self.query)?.0, 0)
        };
        let fuzzy = if self.fast {
            i64::from(fast_score)
        } else {
            self.matcher.fuzzy_match(text, self.query).unwrap_or(0)
        };
        Some(score::combine(tier, fuzzy, text.len(), self.query.len()))
    }

    /// The matched char positions in one lowercase field.
    pub fn positions(&self, text: &str) -> Option<Vec<usize>> {
        if self.query.is_ascii() {
            let bytes = score::field_positions(text.as_bytes(), self.query.as_bytes())?;
            Some(
                bytes
                    .into_iter()
                    .map(|b| text[..b].chars().count())
                    .collect(),
            )
        } else {
            match_chars(text, self.query).map(|(_, p)| p)
        }
    }
}

/// The ranking rules over chars, for non-ASCII queries: the tier and the char positions.
fn match_chars(text: &str, query: &str) -> Option<(score::Tier, Vec<usize>)> {
    use score::Tier;
    let n = query.chars().count();
    let char_at = |byte: usize| text[..byte].chars().count();
    if let Some(first) = text.find(query) {
        let word_start = |b: usize| {
            b == 0
                || text[..b]
                    .chars()
                    .next_back()
                    .is_none_or(|c| !c.is_alphanumeric())
        };
        let (tier, at) = if first == 0 {
            (
                if text == query {
                    Tier::Exact
                } else {
                    Tier::Prefix
                },
                0,
            )
        } else {
            match text
                .match_indices(query)
                .map(|(i, _)| i)
                .find(|&i| word_start(i))
            {
                Some(i) => (Tier::WordPrefix, i),
                None => (Tier::Substring, first),
            }
        };
        let at = char_at(at);
        return Some((tier, (at..at + n).collect()));
    }
    let hay: Vec<char> = text.chars().collect();
    let pat: Vec<char> = query.chars().collect();
    let positions = score::fewest_runs(&hay, &pat)?;
    score::within_fragment_cap(&positions).then_some((Tier::Scattered, positions))
}

/// The best score of `query` (lowercased, trimmed) over a few texts, and which text and
/// char positions gave it: the ranking rules of the browse filter, for small lists (the
/// pool picker, recent lookups).
pub fn best_text_match<'t>(
    query: &str,
    texts: impl IntoIterator<Item = &'t str>,
) -> Option<(i32, usize, Vec<usize>)> {
    let matcher = SkimMatcherV2::default().respect_case();
    let mut lowered_query = String::new();
    lowercase_into(&mut lowered_query, query.trim());
    let q = QueryMatcher::new(&lowered_query, false, &matcher);
    let (score, i, lowered) = best_of(&q, texts)?;
    Some((score, i, q.positions(&lowered).unwrap_or_default()))
}

/// `items` any of whose `texts` match `query` ([`best_text_match`]'s rules), best first;
/// equal scores keep the items' order. One matcher for the whole list.
pub fn rank_by_texts<'a, T, S: AsRef<str>, const N: usize>(
    query: &str,
    items: impl IntoIterator<Item = &'a T>,
    texts: impl Fn(&'a T) -> [S; N],
) -> Vec<&'a T> {
    let matcher = SkimMatcherV2::default().respect_case();
    let mut lowered_query = String::new();
    lowercase_into(&mut lowered_query, query.trim());
    let q = QueryMatcher::new(&lowered_query, false, &matcher);
    let mut scored: Vec<(i32, usize, &T)> = (items.into_iter().enumerate())
        .filter_map(|(i, item)| {
            let texts = texts(item);
            best_of(&q, texts.iter().map(AsRef::as_ref)).map(|(score, _, _)| (score, i, item))
        })
        .collect();
    scored.sort_by_key(|&(score, i, _)| (std::cmp::Reverse(score), i));
    scored.into_iter().map(|(_, _, item)| item).collect()
}

/// The best-scoring of `texts` under `q`: its score, index and lowered text.
fn best_of<'t>(
    q: &QueryMatcher,
    texts: impl IntoIterator<Item = &'t str>,
) -> Option<(i32, usize, String)> {
    let mut best: Option<(i32, usize, String)> = None;
    for (i, text) in texts.into_iter().enumerate() {
        let mut lowered = String::new();
        lowercase_into(&mut lowered, text);
        if let Some(score) = q.score(&lowered)
            && best.as_ref().is_none_or(|b| score > b.0)
        {
            best = Some((score, i, lowered));
        }
    }
    best
}

/// Ranks a handful of users (search results) with SkimMatcherV2 over the same haystacks as
/// the browse filter: returns (index into `users`, score, highlights), best first.
pub fn rank_summaries(users: &[UserSummary], query: &str) -> Vec<(usize, i64, Highlights)> {
    let mut store = UserStore::new();
    let mut index_of_row = Vec::with_capacity(users.len());
    for (i, u) in users.iter().enumerate() {
        if store.push(u) {
            index_of_row.push(i);
        }
    }
    let mut ranker = Ranker::with_threads(1).with_scorer(Scorer::Skim);
    let ranked: Vec<Ranked> = ranker.rank(&store, query).to_vec();
    ranked
        .into_iter()
        .map(|r| {
            (
                index_of_row[r.row as usize],
                i64::from(r.score),
                ranker.highlights(&store, r.row),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests;
