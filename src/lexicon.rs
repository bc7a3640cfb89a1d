//! The words councils use: spelling variants, acronyms and synonyms.
//!
//! The lists are data (`src/data/*.txt`), compiled in. Spelling variants are
//! applied by the analyzer to every word, at index and query time alike, so
//! `immunize` and `immunise` are one term. Acronyms are learned per pack from
//! definitions such as "Special Educational Needs and Disabilities (SEND)", on
//! top of a small built-in list. Synonyms expand queries.

use std::collections::HashMap;
use std::sync::LazyLock;

const VARIANTS: &str = include_str!("data/variants.txt");
const ACRONYMS: &str = include_str!("data/acronyms.txt");
const SYNONYMS: &str = include_str!("data/synonyms.txt");

fn data_lines(text: &str) -> impl Iterator<Item = &str> {
    text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#'))
}

static VARIANT_MAP: LazyLock<HashMap<&'static str, &'static str>> = LazyLock::new(|| {
    let mut map = HashMap::new();
    for line in data_lines(VARIANTS) {
        let mut words = line.split_whitespace();
        if let Some(canonical) = words.next() {
            for w in words {
                map.insert(w, canonical);
            }
        }
    }
    map
});

/// The British form of a lower-case word, when it has an American or other
/// variant spelling: `immunize` -> `immunise`, `behavior` -> `behaviour`.
/// Returns `None` when the word is already canonical.
pub fn british_spelling(lower: &str) -> Option<String> {
    if let Some(c) = VARIANT_MAP.get(lower) {
        return Some((*c).to_string());
    }
    // -ize/-yze endings and their inflections: organize, organization, analyzed.
    const ENDINGS: [&str; 12] =
        ["ize", "izes", "ized", "izing", "izer", "izers", "ization", "izations", "yze", "yzes", "yzed", "yzing"];
    if !lower.contains('z') {
        return None;
    }
    for end in ENDINGS {
        if let Some(stem) = lower.strip_suffix(end) {
            // Short stems are other words: size, prize, seize, maize, citizen is not an ending.
            if stem.chars().count() < 4 {
                return None;
            }
            return Some(format!("{stem}{}", end.replacen('z', "s", 1)));
        }
    }
    None
}

/// An acronym and its long form.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Acronym {
    /// As written: `SEND`, `DoLS`.
    pub short: String,
    /// The long form: `Special Educational Needs and Disabilities`.
    pub long: String,
}

/// The built-in acronyms.
pub fn builtin_acronyms() -> &'static [Acronym] {
    static LIST: LazyLock<Vec<Acronym>> = LazyLock::new(|| {
        data_lines(ACRONYMS)
            .filter_map(|l| l.split_once('\t'))
            .map(|(s, l)| Acronym { short: s.trim().to_string(), long: l.trim().to_string() })
            .collect()
    });
    &LIST
}

/// Minor words an acronym may skip: "Children and Young People's Plan (CYPP)".
fn is_minor(word: &str) -> bool {
    matches!(
        word.to_ascii_lowercase().as_str(),
        "and" | "of" | "for" | "the" | "in" | "on" | "to" | "with" | "&" | "a" | "an" | "at" | "by"
    )
}

/// True for a word written as an acronym: 2 to 8 characters, mostly capitals,
/// at least two capitals, starting with a capital.
pub fn looks_like_acronym(word: &str) -> bool {
    let n = word.chars().count();
    let caps = word.chars().filter(char::is_ascii_uppercase).count();
    (2..=8).contains(&n)
        && caps >= 2
        && word.chars().next().is_some_and(|c| c.is_ascii_uppercase())
        && word.chars().all(|c| c.is_ascii_alphanumeric() || c == '&')
        && caps * 2 > n
}

/// Learns the acronyms a text defines: "Long Form Words (LFW)", where the
/// acronym's letters are the initials of the words just before the bracket
/// (minor words may be skipped).
pub fn learn_acronyms<'a>(lines: impl IntoIterator<Item = &'a str>) -> Vec<Acronym> {
    let mut found: Vec<Acronym> = Vec::new();
    for line in lines {
        let mut rest = line;
        while let Some(open) = memchr::memchr(b'(', rest.as_bytes()) {
            let after = &rest[open + 1..];
            let Some(close) = memchr::memchr(b')', after.as_bytes()) else { break };
            let short = after[..close].trim();
            if looks_like_acronym(short) {
                if let Some(long) = long_form_before(&rest[..open], short) {
                    // The first definition of an acronym in a pack is the one it uses.
                    if !found.iter().any(|f| f.short == short) {
                        found.push(Acronym { short: short.to_string(), long });
                    }
                }
            }
            rest = &after[close..];
        }
    }
    found
}

/// The words before `(SHORT)` whose initials spell SHORT, if any.
fn long_form_before(before: &str, short: &str) -> Option<String> {
    let letters: Vec<char> =
        short.chars().filter(|c| c.is_ascii_alphabetic()).map(|c| c.to_ascii_lowercase()).collect();
    // Walk back from the bracket, word by word (a paragraph may be one long
    // line: only the words needed are split off), matching letters from the end.
    let mut words = before.rsplit(|c: char| c.is_whitespace() || c == '-' || c == '\u{2013}').filter(|w| !w.is_empty());
    // The words walked over, last first, and how many of them the long form takes.
    let mut walked: Vec<&str> = Vec::new();
    let mut taken = 0;
    let mut li = letters.len();
    while li > 0 {
        let Some(word) = words.next() else { break };
        walked.push(word);
        let w = word.trim_matches(|c: char| !c.is_alphanumeric() && c != '&');
        if w.is_empty() {
            return None;
        }
        let first = w.chars().next()?.to_ascii_lowercase();
        if first == letters[li - 1] {
            li -= 1;
            taken = walked.len();
        } else if is_minor(w) && li < letters.len() {
            continue;
        } else {
            return None;
        }
    }
    if li != 0 || taken == 0 {
        return None;
    }
    let long = walked[..taken].iter().rev().copied().collect::<Vec<_>>().join(" ");
    let long = long.trim_matches(|c: char| !c.is_alphanumeric() && c != ')' && c != '\'').to_string();
    // A long form starts with a capital: "the (SEND)" style noise is not a definition.
    long.chars().next().filter(|c| c.is_uppercase()).map(|_| long)
}

/// Synonym groups, lower-case phrases.
pub fn synonym_groups() -> &'static [Vec<String>] {
    static GROUPS: LazyLock<Vec<Vec<String>>> = LazyLock::new(|| {
        data_lines(SYNONYMS)
            .map(|l| l.split('|').map(|p| p.trim().to_lowercase()).filter(|p| !p.is_empty()).collect())
            .filter(|g: &Vec<String>| g.len() > 1)
            .collect()
    });
    &GROUPS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn american_and_british_spellings_meet() {
        assert_eq!(british_spelling("immunize").as_deref(), Some("immunise"));
        assert_eq!(british_spelling("organizations").as_deref(), Some("organisations"));
        assert_eq!(british_spelling("nebulizer").as_deref(), Some("nebuliser"));
        assert_eq!(british_spelling("analyzed").as_deref(), Some("analysed"));
        assert_eq!(british_spelling("behavior").as_deref(), Some("behaviour"));
        assert_eq!(british_spelling("immunise"), None);
        assert_eq!(british_spelling("size"), None);
        assert_eq!(british_spelling("citizen"), None);
    }

    #[test]
    fn acronym_definitions_are_learned_from_text() {
        // From the Somerset scrutiny pack (corpus-sample/002) and the HWB packs.
        let got = learn_acronyms([
            "Special Educational Needs and Disabilities (SEND) services",
            "the Somerset Safeguarding Children Board (SSCB) annual report",
            "Children and Young People's Plan (CYPP)",
            "in the meeting (see below) and (2019)",
        ]);
        let shorts: Vec<(&str, &str)> = got.iter().map(|a| (a.short.as_str(), a.long.as_str())).collect();
        assert_eq!(
            shorts,
            vec![
                ("SEND", "Special Educational Needs and Disabilities"),
                ("SSCB", "Somerset Safeguarding Children Board"),
                ("CYPP", "Children and Young People's Plan"),
            ]
        );
        assert!(looks_like_acronym("DoLS") && looks_like_acronym("A&E") && !looks_like_acronym("Send"));
    }
}
