//! A fast fuzzy scorer for ASCII queries over lowercase haystacks, used to rank 100,000
//! loaded users within a keystroke (SkimMatcherV2 costs about 1.5 µs a user: 150 ms).
//!
//! It follows fzf's "v1" algorithm, which fzf itself uses for long lists: the shortest window
//! that holds the query in order, scored like skim (a match, bonuses for word starts and
//! consecutive runs, penalties for gaps). Every occurrence of the query as a contiguous
//! substring is scored too, so `smith` in `jo.smith` beats a scattered `s…m…i…t…h`.

use memchr::memmem;

const SCORE_MATCH: i32 = 16;
const GAP_START: i32 = -3;
const GAP_EXTENSION: i32 = -1;
const BONUS_BOUNDARY_WHITE: i32 = 10;
const BONUS_BOUNDARY_DELIMITER: i32 = 9;
const BONUS_BOUNDARY: i32 = 8;
const BONUS_CONSECUTIVE: i32 = 4;
const BONUS_FIRST_CHAR_MULTIPLIER: i32 = 2;

#[inline]
fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b >= 0x80
}

/// The bonus for matching at `i`, given the byte before it.
#[inline]
fn bonus_at(hay: &[u8], i: usize) -> i32 {
    let cur = hay[i];
    let prev = if i == 0 { b' ' } else { hay[i - 1] };
    if is_word(cur) {
        match prev {
            b' ' => BONUS_BOUNDARY_WHITE,
            b'.' | b'@' | b'_' | b'-' | b'+' | b'/' | b',' | b':' | b';' => {
                BONUS_BOUNDARY_DELIMITER
            }
            p if !is_word(p) => BONUS_BOUNDARY,
            p if p.is_ascii_digit() != cur.is_ascii_digit() => BONUS_BOUNDARY / 2,
            _ => 0,
        }
    } else {
        // Matching a separator the query typed (`@`, `.`) is as good as a word start.
        BONUS_BOUNDARY
    }
}

/// Scores the query matched greedily inside `hay[start..end]` (which must contain it).
fn score_window(hay: &[u8], pat: &[u8], start: usize, end: usize) -> i32 {
    let mut score = 0;
    let mut pi = 0;
    let mut in_gap = false;
    let mut consecutive = 0;
    let mut first_bonus = 0;
    for (i, &b) in hay.iter().enumerate().take(end).skip(start) {
        if pi < pat.len() && b == pat[pi] {
            let mut bonus = bonus_at(hay, i);
            if consecutive == 0 {
                first_bonus = bonus;
            } else {
                // A run keeps the bonus of its first character.
                if bonus == BONUS_BOUNDARY {
                    first_bonus = bonus;
                }
                bonus = bonus.max(first_bonus).max(BONUS_CONSECUTIVE);
            }
            score += SCORE_MATCH
                + if pi == 0 {
                    bonus * BONUS_FIRST_CHAR_MULTIPLIER
                } else {
                    bonus
                };
            in_gap = false;
            consecutive += 1;
            pi += 1;
        } else {
            score += if in_gap { GAP_EXTENSION } else { GAP_START };
            in_gap = true;
            consecutive = 0;
            first_bonus = 0;
        }
    }
    score
}

/// Where the best match is: a contiguous occurrence, or a scattered window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Best {
    score: i32,
    start: usize,
    end: usize,
}

fn best(hay: &[u8], pat: &[u8]) -> Option<Best> {
    let (&first, _) = pat.split_first()?;
    if pat.len() == 1 {
        // Every occurrence; the best is the one with the biggest bonus.
        let mut top: Option<Best> = None;
        for i in memchr::memchr_iter(first, hay) {
            let score = SCORE_MATCH + bonus_at(hay, i) * BONUS_FIRST_CHAR_MULTIPLIER;
            if top.is_none_or(|t| score > t.score) {
                top = Some(Best {
                    score,
                    start: i,
                    end: i + 1,
                });
                if score == SCORE_MATCH + BONUS_BOUNDARY_WHITE * BONUS_FIRST_CHAR_MULTIPLIER {
                    break;
                }
            }
        }
        return top;
    }
    // The shortest window: forward to the first complete match, then back from its end.
    let mut pi = 0;
    let mut end = 0;
    let mut from = 0;
    while pi < pat.len() {
        let i = from + memchr::memchr(pat[pi], &hay[from..])?;
        pi += 1;
        from = i + 1;
        end = i + 1;
    }
    let mut start = end;
    let mut pi = pat.len();
    while pi > 0 {
        start -= 1;
        if hay[start] == pat[pi - 1] {
            pi -= 1;
        }
    }
    let mut top = Best {
        score: score_window(hay, pat, start, end),
        start,
        end,
    };
    for i in memmem::find_iter(hay, pat) {
        let score = score_window(hay, pat, i, i + pat.len());
        if score > top.score {
            top = Best {
                score,
                start: i,
                end: i + pat.len(),
            };
        }
    }
    Some(top)
}

/// The score of an ASCII `pat` in `hay` (both lowercase), or None when it doesn't match.
pub fn score(hay: &[u8], pat: &[u8]) -> Option<i32> {
    best(hay, pat).map(|b| b.score)
}

/// The score and the matched byte positions, for highlighting.
pub fn positions(hay: &[u8], pat: &[u8]) -> Option<(i32, Vec<usize>)> {
    let b = best(hay, pat)?;
    let mut out = Vec::with_capacity(pat.len());
    let mut pi = 0;
    for (i, &c) in hay.iter().enumerate().take(b.end).skip(b.start) {
        if pi < pat.len() && c == pat[pi] {
            out.push(i);
            pi += 1;
        }
    }
    Some((b.score, out))
}

/// How a query matched one field; the tier decides the order before any fuzzy score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Tier {
    /// Letters of the query in order inside one field, in at most [`MAX_FRAGMENTS`] runs.
    Scattered = 1,
    /// The query as a substring, not at a word start.
    Substring = 2,
    /// The query at the start of a word (after a space, `.`, `@`, `-`, …).
    WordPrefix = 3,
    /// The field starts with the query.
    Prefix = 4,
    /// The field is the query.
    Exact = 5,
}

impl Tier {
    /// The tier a combined score (see [`combine`]) was built from.
    pub fn of_score(score: i32) -> Option<Tier> {
        match score / TIER_WEIGHT {
            1 => Some(Tier::Scattered),
            2 => Some(Tier::Substring),
            3 => Some(Tier::WordPrefix),
            4 => Some(Tier::Prefix),
            5 => Some(Tier::Exact),
            _ => None,
        }
    }
}

/// A scattered match may come in at most this many runs (two gaps): `jsmi` finds
/// `j|o.|smi|th`, but `7777` no longer finds four 7s strewn along an email.
pub const MAX_FRAGMENTS: u8 = 3;

/// Fields longer than this (bytes) are matched as substrings only.
const MAX_SCATTER_FIELD: usize = 256;

const TIER_WEIGHT: i32 = 1_000_000;

/// One number that orders matches: the tier first, then the fuzzy score inside it, then the
/// shorter field (`al` → `alice` before `alan.turing`).
pub fn combine(tier: Tier, fuzzy: i64, field_len: usize, query_len: usize) -> i32 {
    let fuzzy = (fuzzy.clamp(-2_000, 13_000) + 2_000) as i32;
    let extra = field_len.saturating_sub(query_len).min(63) as i32;
    tier as i32 * TIER_WEIGHT + fuzzy * 64 + (63 - extra)
}

/// Whether position `i` of `hay` starts a word.
#[inline]
fn word_start(hay: &[u8], i: usize) -> bool {
    i == 0 || !is_word(hay[i - 1]) || !is_word(hay[i])
}

/// How an ASCII `pat` matches the lowercase field `hay`: the tier and an fzf-like score
/// within it. `finder` must search for `pat`.
pub fn match_field(hay: &[u8], pat: &[u8], finder: &memmem::Finder<'_>) -> Option<(Tier, i32)> {
    if pat.is_empty() || pat.len() > hay.len() {
        return None;
    }
    if let Some(first) = finder.find(hay) {
        let n = pat.len();
        let (tier, at) = if first == 0 {
            (
                if hay.len() == n {
                    Tier::Exact
                } else {
                    Tier::Prefix
                },
                0,
            )
        } else {
            match finder.find_iter(hay).find(|&i| word_start(hay, i)) {
                Some(i) => (Tier::WordPrefix, i),
                None => (Tier::Substring, first),
            }
        };
        return Some((tier, score_window(hay, pat, at, at + n)));
    }
    if !is_subsequence(pat, hay) {
        return None;
    }
    if pat.len() > MAX_FRAGMENTS as usize
        && (hay.len() > MAX_SCATTER_FIELD || min_fragments(hay, pat)? > MAX_FRAGMENTS)
    {
        return None;
    }
    best(hay, pat).map(|b| (Tier::Scattered, b.score))
}

/// The fewest runs `pat` can be matched in, in order, inside `hay` (None: not at all, or
/// more than [`MAX_FRAGMENTS`]). Two rolling rows of a small dynamic programme.
fn min_fragments<T: PartialEq + Copy>(hay: &[T], pat: &[T]) -> Option<u8> {
    const INF: u8 = u8::MAX;
    let m = hay.len().min(MAX_SCATTER_FIELD);
    let hay = &hay[..m];
    let mut prev = [INF; MAX_SCATTER_FIELD];
    let mut cur = [INF; MAX_SCATTER_FIELD];
    for (j, &h) in hay.iter().enumerate() {
        prev[j] = if h == pat[0] { 1 } else { INF };
    }
    for &p in &pat[1..] {
        let mut before = INF; // min of prev[..j-1]: a match there starts a new run
        let mut row_min = INF;
        for j in 0..m {
            if j >= 2 {
                before = before.min(prev[j - 2]);
            }
            cur[j] = if hay[j] == p {
                let run = if j >= 1 { prev[j - 1] } else { INF };
                run.min(before.saturating_add(1))
            } else {
                INF
            };
            row_min = row_min.min(cur[j]);
        }
        if row_min > MAX_FRAGMENTS {
            return None;
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    let best = *prev[..m].iter().min()?;
    (best <= MAX_FRAGMENTS).then_some(best)
}

/// The positions (indices into `hay`) of a match of `pat` in the fewest runs, for
/// highlighting; generic so char slices (non-ASCII queries) use it too.
pub fn fewest_runs<T: PartialEq + Copy>(hay: &[T], pat: &[T]) -> Option<Vec<usize>> {
    const INF: u8 = u8::MAX;
    let (n, m) = (pat.len(), hay.len().min(MAX_SCATTER_FIELD));
    if n == 0 || n > m {
        return None;
    }
    // runs[i * m + j]: fewest runs for pat[..=i] with pat[i] at hay[j].
    let mut runs = vec![INF; n * m];
    for j in 0..m {
        if hay[j] == pat[0] {
            runs[j] = 1;
        }
    }
    for i in 1..n {
        let mut before = INF;
        for j in 0..m {
            if j >= 2 {
                before = before.min(runs[(i - 1) * m + j - 2]);
            }
            if hay[j] == pat[i] {
                let run = if j >= 1 {
                    runs[(i - 1) * m + j - 1]
                } else {
                    INF
                };
                runs[i * m + j] = run.min(before.saturating_add(1));
            }
        }
    }
    let last = &runs[(n - 1) * m..];
    let (mut j, &best) = last.iter().enumerate().min_by_key(|(_, r)| **r)?;
    if best == INF {
        return None;
    }
    let mut out = vec![0; n];
    let mut want = best;
    for i in (0..n).rev() {
        out[i] = j;
        if i == 0 {
            break;
        }
        let row = &runs[(i - 1) * m..i * m];
        if j >= 1 && row[j - 1] == want {
            j -= 1;
        } else {
            want -= 1;
            j = (0..j.saturating_sub(1)).rev().find(|&k| row[k] == want)?;
        }
    }
    Some(out)
}

/// Whether `runs` positions (ascending) come in at most [`MAX_FRAGMENTS`] runs.
pub fn within_fragment_cap(positions: &[usize]) -> bool {
    let runs = 1 + positions.windows(2).filter(|w| w[1] != w[0] + 1).count();
    runs <= MAX_FRAGMENTS as usize
}

/// The positions a [`match_field`] match highlights (byte indices into `hay`).
pub fn field_positions(hay: &[u8], pat: &[u8]) -> Option<Vec<usize>> {
    let finder = memmem::Finder::new(pat);
    let (tier, _) = match_field(hay, pat, &finder)?;
    if tier == Tier::Scattered {
        return fewest_runs(hay, pat);
    }
    let at = if tier == Tier::WordPrefix {
        finder.find_iter(hay).find(|&i| word_start(hay, i))?
    } else {
        finder.find(hay)?
    };
    Some((at..at + pat.len()).collect())
}

/// Whether `needle`'s bytes occur in `hay` in order: necessary for a fuzzy match (a char
/// subsequence is a byte subsequence in UTF-8), and far cheaper than scoring.
pub fn is_subsequence(needle: &[u8], hay: &[u8]) -> bool {
    let mut rest = hay;
    for &b in needle {
        match memchr_byte(b, rest) {
            Some(i) => rest = &rest[i + 1..],
            None => return false,
        }
    }
    true
}

#[inline]
fn memchr_byte(b: u8, hay: &[u8]) -> Option<usize> {
    hay.iter().position(|&h| h == b)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(hay: &str, pat: &str) -> Option<i32> {
        score(hay.as_bytes(), pat.as_bytes())
    }

    #[test]
    fn matches_in_order_only() {
        assert!(s("jo.smith", "jsm").is_some());
        assert!(s("jo.smith", "mj").is_none());
        assert!(s("abc", "").is_none());
    }

    #[test]
    fn word_starts_and_runs_beat_scattered_matches() {
        assert!(s("jo.smith", "smith") > s("xsxmxixtxh", "smith"));
        assert!(s("anna smith", "smi") > s("kismi", "smi"));
        assert!(s("jo smith", "js") > s("xjxs", "js"));
        // The substring later in the text wins over an early scattered window.
        let (_, pos) = positions(b"s.m.i.t.h smith", b"smith").unwrap();
        assert_eq!(pos, [10, 11, 12, 13, 14]);
        assert!(s("m", "m") > s("am", "m"));
    }

    fn tier(hay: &str, pat: &str) -> Option<Tier> {
        let finder = memmem::Finder::new(pat.as_bytes());
        match_field(hay.as_bytes(), pat.as_bytes(), &finder).map(|(t, _)| t)
    }

    #[test]
    fn tiers_put_whole_and_contiguous_matches_first() {
        assert_eq!(tier("alice", "alice"), Some(Tier::Exact));
        assert_eq!(tier("alice.smith", "alice"), Some(Tier::Prefix));
        assert_eq!(tier("jo.smith", "smi"), Some(Tier::WordPrefix));
        assert_eq!(tier("kismi", "smi"), Some(Tier::Substring));
        assert_eq!(tier("bulk-07777", "7777"), Some(Tier::Substring));
        assert_eq!(tier("bulk-77077", "7777"), Some(Tier::Scattered));
        // Four runs: too scattered to be a match.
        assert_eq!(tier("7x7x7x7", "7777"), None);
        assert_eq!(tier("john.david.smith", "jds"), Some(Tier::Scattered));
        let c = |t, f| combine(t, f, 5, 3);
        assert!(c(Tier::Prefix, -500) > c(Tier::WordPrefix, 900));
        assert_eq!(
            Tier::of_score(c(Tier::Substring, 40)),
            Some(Tier::Substring)
        );
    }

    #[test]
    fn fewest_runs_finds_the_tightest_alignment() {
        assert_eq!(fewest_runs(b"7x77x7", b"777"), Some(vec![0, 2, 3]));
        assert_eq!(fewest_runs(b"bulk-77077", b"7777"), Some(vec![5, 6, 8, 9]));
        assert_eq!(fewest_runs(b"abc", b"abd"), None);
        assert_eq!(min_fragments(b"bulk-77077", b"7777"), Some(2));
        assert_eq!(min_fragments(b"7x7x7x7", b"7777"), None);
        assert!(within_fragment_cap(&[0, 1, 5, 6, 9]));
        assert!(!within_fragment_cap(&[0, 2, 4, 6]));
    }

    #[test]
    fn positions_are_the_tightest_window() {
        let (_, pos) = positions(b"axxabxc", b"abc").unwrap();
        assert_eq!(pos, [3, 4, 6]);
        let (_, pos) = positions(b"jo.smith jo@smith.org", b"jo@").unwrap();
        assert_eq!(pos, [9, 10, 11]);
    }
}
