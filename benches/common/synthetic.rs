//! Deterministic, realistic-looking users for benchmarks and the memory measurement:
//! usernames in the shapes pools really have (first.last, flast42, UUIDs), emails at a
//! handful of domains, given/family/full names, a few statuses.
#![allow(dead_code)]

use cognito_tui::cognito::{Attribute, UserStatus, UserSummary};

/// `full` under `cargo bench` (which passes `--bench`); 1,000 when CI runs the benches once in
/// test mode, only to keep them compiling and running: the 100,000-user set costs seconds of
/// a debug build's time there and measures nothing.
pub fn bench_size(full: usize) -> usize {
    match std::env::args().any(|a| a == "--bench") {
        true => full,
        false => full.min(1_000),
    }
}

const FIRST: [&str; 48] = [
    "james",
    "mary",
    "john",
    "patricia",
    "robert",
    "jennifer",
    "michael",
    "linda",
    "william",
    "elizabeth",
    "david",
    "barbara",
    "richard",
    "susan",
    "joseph",
    "jessica",
    "thomas",
    "sarah",
    "charles",
    "karen",
    "chris",
    "nancy",
    "daniel",
    "lisa",
    "matthew",
    "betty",
    "anthony",
    "margaret",
    "mark",
    "sandra",
    "donald",
    "ashley",
    "steven",
    "kimberly",
    "paul",
    "emily",
    "andrew",
    "donna",
    "joshua",
    "michelle",
    "zoë",
    "renée",
    "jörg",
    "siobhán",
    "wei",
    "aarav",
    "fatima",
    "olusegun",
];
const LAST: [&str; 40] = [
    "smith",
    "johnson",
    "williams",
    "brown",
    "jones",
    "garcia",
    "miller",
    "davis",
    "rodriguez",
    "martinez",
    "hernandez",
    "lopez",
    "gonzalez",
    "wilson",
    "anderson",
    "thomas",
    "taylor",
    "moore",
    "jackson",
    "martin",
    "lee",
    "perez",
    "thompson",
    "white",
    "harris",
    "sanchez",
    "clark",
    "ramirez",
    "lewis",
    "robinson",
    "walker",
    "young",
    "allen",
    "king",
    "wright",
    "müller",
    "o'brien",
    "nakamura",
    "okafor",
    "kowalski",
];
const DOMAINS: [&str; 12] = [
    "gmail.com",
    "yahoo.com",
    "outlook.com",
    "hotmail.com",
    "icloud.com",
    "acme.io",
    "example.com",
    "proton.me",
    "corp.example.org",
    "mail.de",
    "web.de",
    "fastmail.com",
];

/// A tiny xorshift generator: deterministic across runs, no dependency.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed | 1)
    }
    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }
    pub fn pick<'a>(&mut self, list: &[&'a str]) -> &'a str {
        list[(self.next() % list.len() as u64) as usize]
    }
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// User `i` of a generated pool.
pub fn user(rng: &mut Rng, i: usize) -> UserSummary {
    let first = rng.pick(&FIRST);
    let last = rng.pick(&LAST);
    let domain = rng.pick(&DOMAINS);
    let n = rng.next() % 1000;
    let username = match rng.next() % 4 {
        0 => format!("{first}.{last}.{i}"),
        1 => format!("{}{last}{i}", first.chars().next().unwrap_or('x')),
        2 => {
            let a = rng.next();
            let b = rng.next();
            format!(
                "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
                a >> 32,
                (a >> 16) & 0xffff,
                a & 0xfff,
                (b >> 48) | 0x8000,
                b & 0xffff_ffff_ffff
            )
        }
        _ => format!("{first}{i}"),
    };
    let email = format!(
        "{first}.{last}{}@{domain}",
        if n < 700 {
            String::new()
        } else {
            n.to_string()
        }
    );
    let given = capitalize(first);
    let family = capitalize(last);
    let mut attributes = vec![
        Attribute::new("sub", format!("{:016x}-{i:08}", rng.next())),
        Attribute::new("email", email),
        Attribute::new("email_verified", "true"),
        Attribute::new("given_name", given.clone()),
        Attribute::new("family_name", family.clone()),
        Attribute::new("name", format!("{given} {family}")),
    ];
    if n.is_multiple_of(3) {
        attributes.push(Attribute::new("phone_number", format!("+1555{:07}", i)));
    }
    UserSummary {
        username,
        attributes,
        created: None,
        last_modified: None,
        enabled: !n.is_multiple_of(17),
        status: Some(match n % 10 {
            0 => UserStatus::ForceChangePassword,
            1 => UserStatus::Unconfirmed,
            _ => UserStatus::Confirmed,
        }),
    }
}

/// `count` generated users.
pub fn users(count: usize) -> Vec<UserSummary> {
    let mut rng = Rng::new(0x5eed_cafe);
    (0..count).map(|i| user(&mut rng, i)).collect()
}
