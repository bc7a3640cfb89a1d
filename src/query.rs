//! The query language: what users type, made safe and expanded for the parser.
//!
//! The grammar is tantivy's (words, `"phrases"`, `"a b"~3` slop, `OR`,
//! `-exclusion`, `field:value`, `prefix*`), made forgiving first: pasted curly
//! quotes and dashes work, a stray quote or lone operator is dropped, an unknown
//! field is searched as words, and each of these is reported. Then the query is
//! expanded the way councils write: hyphen and space variants of compounds,
//! synonyms, capitalised acronyms matched as written or by their long form, and
//! `term~1` fuzzy words (which tantivy's grammar lacks) taken out for a fuzzy
//! query of their own.

use crate::lexicon;
use crate::paper::ItemType;

/// Fields users may name in `field:value`, with the index field each means.
pub const QUERY_FIELDS: &[(&str, &str)] = &[
    ("title", "title"),
    ("body", "body"),
    ("agenda_title", "agenda_title"),
    ("council", "council"),
    ("committee", "committee"),
    ("presenter", "presenter"),
    ("type", "item_type"),
    ("item_type", "item_type"),
    ("item", "agenda_item"),
    ("agenda_item", "agenda_item"),
    ("id", "id"),
    ("format", "format"),
];

/// Makes a user's query safe for the parser, and says what it changed.
///
/// Curly quotes and dashes become straight ones; an unmatched quote, a lone
/// `-`/`+`, or a dangling `AND`/`OR` is dropped; `field:value` with an unknown
/// field is searched as plain words; field aliases (`type:`, `item:`) are mapped.
pub fn prepare_query(raw: &str) -> (String, Vec<String>) {
    let mut ignored = Vec::new();
    let mut s: String = raw
        .chars()
        .map(|c| match c {
            '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' | '\u{FF02}' => '"',
            '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{2032}' => '\'',
            '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2212}' => '-',
            c if c.is_control() => ' ',
            c => c,
        })
        .collect();
    if s.matches('"').count() % 2 == 1 {
        if let Some(i) = s.rfind('"') {
            s.replace_range(i..i + 1, " ");
        }
        ignored.push("an unmatched quote".to_string());
    }
    // Work on whitespace-separated pieces outside quotes.
    let mut out: Vec<String> = Vec::new();
    let mut in_quote = false;
    let mut piece = String::new();
    let mut pieces: Vec<(String, bool)> = Vec::new();
    for c in s.chars() {
        if c == '"' {
            in_quote = !in_quote;
        }
        if c.is_whitespace() && !in_quote {
            if !piece.is_empty() {
                pieces.push((std::mem::take(&mut piece), false));
            }
        } else {
            piece.push(c);
        }
    }
    if !piece.is_empty() {
        pieces.push((piece, false));
    }
    let n = pieces.len();
    for (i, (p, _)) in pieces.into_iter().enumerate() {
        if p.chars().all(|c| matches!(c, '-' | '+' | '!' | '^' | '~' | '*' | ':' | '(' | ')' | '{' | '}' | '[' | ']')) {
            if p.chars().any(|c| matches!(c, '(' | ')')) && p.chars().all(|c| matches!(c, '(' | ')')) {
                out.push(p);
            } else {
                ignored.push(format!("a lone `{p}`"));
            }
            continue;
        }
        if (p == "AND" || p == "OR") && (i == 0 || i + 1 == n) {
            ignored.push(format!("a dangling `{p}`"));
            continue;
        }
        out.push(quote_slashes(map_field(&p, &mut ignored)));
    }
    // A query of exclusions alone means "everything but": start from all items.
    out.retain(|p| !p.is_empty());
    if !out.is_empty() && out.iter().all(|p| p.starts_with('-')) {
        out.insert(0, "*".to_string());
    }
    // Unbalanced parentheses: drop them all rather than guess.
    let joined = out.join(" ");
    let opens = joined.matches('(').count();
    let closes = joined.matches(')').count();
    if opens != closes {
        ignored.push("unbalanced parentheses".to_string());
        return (joined.replace(['(', ')'], " "), ignored);
    }
    (joined, ignored)
}

/// A word with `/` in it (a reference such as FP/17/09/14) is quoted, since a
/// bare `/` starts a regular expression in the parser's grammar.
fn quote_slashes(piece: String) -> String {
    if !piece.contains('/') || piece.contains('"') {
        return piece;
    }
    let (prefix, word) = match piece.split_once(':') {
        Some((f, w)) if !f.contains('/') => (format!("{f}:"), w.to_string()),
        _ => {
            let w = piece.trim_start_matches(['-', '+']);
            (piece[..piece.len() - w.len()].to_string(), w.to_string())
        }
    };
    format!("{prefix}\"{word}\"")
}

fn map_field(piece: &str, ignored: &mut Vec<String>) -> String {
    let body = piece.trim_start_matches(['-', '+']);
    let sign = &piece[..piece.len() - body.len()];
    let Some((field, value)) = body.split_once(':') else { return piece.to_string() };
    if field.is_empty() || field.starts_with('"') || !field.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return piece.to_string();
    }
    if value.is_empty() {
        ignored.push(format!("`{piece}` has no value"));
        return String::new();
    }
    match QUERY_FIELDS.iter().find(|(name, _)| name.eq_ignore_ascii_case(field)) {
        Some(&(_, "item_type")) => {
            let v = value.trim_matches('"');
            match ItemType::parse(v) {
                Some(t) => format!("{sign}item_type:{}", t.as_str()),
                None => {
                    ignored.push(format!("unknown item type `{v}` (types: {})", type_names()));
                    String::new()
                }
            }
        }
        Some(&(_, target)) => format!("{sign}{target}:{value}"),
        None if value.starts_with("//") => piece.to_string().replace(':', " "),
        None => {
            ignored.push(format!("unknown field `{field}` (searched `{value}` as words)"));
            format!("{sign}{value}")
        }
    }
}

/// The item type names, comma-separated, for messages.
pub fn type_names() -> String {
    ItemType::ALL.iter().map(|t| t.as_str()).collect::<Vec<_>>().join(", ")
}

/// Terms a query keeps; the rest of a longer query (a pasted page, say) is
/// dropped with a warning, so one query cannot tie up the engine.
pub const MAX_QUERY_TERMS: usize = 64;

/// A user's query, ready to run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Prepared {
    /// The text for tantivy's query parser (may be empty).
    pub text: String,
    /// Fuzzy words (`term~N`) with their edit distance, run as fuzzy queries.
    pub fuzzy: Vec<(String, u8)>,
    /// Prefixes (`word*`), lower-case, for highlighting.
    pub prefixes: Vec<String>,
    /// What was ignored or reinterpreted, for the user.
    pub ignored: Vec<String>,
}

impl Prepared {
    /// Normalises, repairs and expands a raw query.
    pub fn new(raw: &str) -> Prepared {
        let (text, ignored) = prepare_query(raw);
        let mut p = Prepared { ignored, ..Prepared::default() };
        let mut pieces = split_pieces(&text);
        if pieces.len() > MAX_QUERY_TERMS {
            p.ignored.push(format!(
                "{} of the query's {} terms (a query keeps its first {MAX_QUERY_TERMS})",
                pieces.len() - MAX_QUERY_TERMS,
                pieces.len()
            ));
            pieces.truncate(MAX_QUERY_TERMS);
        }
        let mut out: Vec<String> = Vec::new();
        let mut i = 0;
        while i < pieces.len() {
            // Synonym phrases span several pieces.
            if let Some((len, group)) = synonym_at(&pieces[i..]) {
                let alts: Vec<String> = group.iter().map(|s| format!("\"{s}\"")).collect();
                out.push(format!("({})", alts.join(" OR ")));
                i += len;
                continue;
            }
            let piece = &tidy_operators(&pieces[i], &mut p.ignored);
            i += 1;
            if piece.is_empty() {
                continue;
            }
            if let Some((word, n)) = fuzzy_word(piece) {
                if piece.starts_with('-') {
                    p.ignored.push(format!("`{piece}`: a fuzzy word cannot be excluded"));
                } else {
                    p.fuzzy.push((word, n));
                }
                continue;
            }
            if let Some(prefix) = piece.strip_suffix('*').filter(|w| is_plain_word(w)) {
                p.prefixes.push(prefix.to_lowercase());
                out.push(piece.clone());
                continue;
            }
            out.push(expand_word(piece));
        }
        if out.iter().all(|p| p.starts_with('-')) && !out.is_empty() && p.fuzzy.is_empty() {
            out.insert(0, "*".to_string());
        }
        p.text = out.join(" ");
        p
    }

    /// True when there is nothing to search for (filters alone).
    pub fn is_empty(&self) -> bool {
        self.text.trim().is_empty() && self.fuzzy.is_empty()
    }
}

/// Keeps `~` and `^` only where the grammar gives them a meaning: `"a b"~N`
/// (slop), `word~N` (fuzzy), `word^N` (boost, N > 0). Quotes glued inside a
/// word are dropped. Anything else is removed and reported.
fn tidy_operators(piece: &str, ignored: &mut Vec<String>) -> String {
    let body = piece.trim_start_matches(['-', '+']);
    let sign = &piece[..piece.len() - body.len()];
    let (field, value) = match body.split_once(':') {
        Some((f, v)) if !f.contains('"') => (&body[..f.len() + 1], v),
        _ => ("", body),
    };
    let quoted = value.starts_with('"') && value[1..].contains('"');
    let (core, tail) = if quoted {
        let close = value[1..].find('"').map_or(value.len(), |i| i + 2);
        (&value[..close], &value[close..])
    } else {
        let cut = value.find(['~', '^']).unwrap_or(value.len());
        (&value[..cut], &value[cut..])
    };
    let core = if quoted { core.to_string() } else { core.replace('"', "") };
    let tail_ok = match tail.chars().next() {
        None => true,
        Some('~') => {
            (tail.len() == 1 || tail[1..].parse::<u32>().is_ok_and(|n| (1..=100).contains(&n))) && !core.is_empty()
        }
        Some('^') => tail[1..].parse::<f32>().is_ok_and(|b| b > 0.0 && b.is_finite()) && !core.is_empty(),
        _ => false,
    };
    if !tail_ok {
        ignored.push(format!("`{tail}` after `{core}`"));
    }
    let tail = if tail_ok { tail } else { "" };
    let core_has_word = core.chars().any(char::is_alphanumeric) || core == "*";
    if !core_has_word {
        return String::new();
    }
    format!("{sign}{field}{core}{tail}")
}

/// Splits on whitespace outside quotes.
fn split_pieces(s: &str) -> Vec<String> {
    let mut pieces = Vec::new();
    let mut piece = String::new();
    let mut in_quote = false;
    for c in s.chars() {
        if c == '"' {
            in_quote = !in_quote;
        }
        if c.is_whitespace() && !in_quote {
            if !piece.is_empty() {
                pieces.push(std::mem::take(&mut piece));
            }
        } else {
            piece.push(c);
        }
    }
    if !piece.is_empty() {
        pieces.push(piece);
    }
    pieces
}

fn is_plain_word(w: &str) -> bool {
    !w.is_empty() && w.chars().all(|c| c.is_alphanumeric() || c == '\'')
}

/// `word~N` outside quotes: a fuzzy word with edit distance N (at most 2).
fn fuzzy_word(piece: &str) -> Option<(String, u8)> {
    let (word, n) = piece.rsplit_once('~')?;
    if !is_plain_word(word) || word.starts_with('"') {
        return None;
    }
    let n: u8 = if n.is_empty() { 1 } else { n.parse().ok()? };
    Some((word.to_lowercase(), n.clamp(1, 2)))
}

/// The longest synonym phrase starting at the first piece, as (pieces used, group).
fn synonym_at(pieces: &[String]) -> Option<(usize, &'static Vec<String>)> {
    let words: Vec<String> = pieces.iter().take(6).map(|p| p.to_lowercase()).collect();
    if words.first().is_none_or(|w| !is_plain_word(w)) {
        return None;
    }
    let mut best: Option<(usize, &'static Vec<String>)> = None;
    for group in lexicon::synonym_groups() {
        for phrase in group {
            let pw: Vec<&str> = phrase.split_whitespace().collect();
            if pw.len() <= words.len()
                && pw.iter().zip(&words).all(|(a, b)| *a == b)
                && best.is_none_or(|(n, _)| pw.len() > n)
            {
                best = Some((pw.len(), group));
            }
        }
    }
    best
}

/// Expands one plain piece: a hyphenated compound matches its spaced and
/// joined forms; a capitalised acronym matches as written (not the ordinary
/// word it spells) or by its long form.
fn expand_word(piece: &str) -> String {
    let body = piece.trim_start_matches(['-', '+']);
    let sign = &piece[..piece.len() - body.len()];
    if body.contains(':') || body.contains('"') || body.contains('(') || body.contains(')') {
        return piece.to_string();
    }
    let parts: Vec<&str> = body.split('-').collect();
    if parts.len() > 1 && parts.iter().all(|p| !p.is_empty() && p.chars().all(char::is_alphabetic)) {
        return format!("{sign}(\"{}\" OR {})", parts.join(" "), parts.concat());
    }
    if lexicon::looks_like_acronym(body)
        && body.chars().all(|c| c.is_ascii_alphabetic() || c == '&')
        && !body.contains('&')
    {
        return format!("{sign}(caps:{body}^3 OR expansions:{body} OR {body})");
    }
    piece.to_string()
}
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_very_long_query_is_cut_with_a_warning() {
        let long = vec!["carers"; 10_000].join(" ");
        let p = Prepared::new(&long);
        assert_eq!(p.text.split_whitespace().count(), MAX_QUERY_TERMS);
        assert!(p.ignored.iter().any(|w| w.contains("9936 of the query's 10000 terms")), "{:?}", p.ignored);
    }

    #[test]
    fn stray_operators_are_dropped_not_passed_on() {
        assert_eq!(Prepared::new("-b~0\"-").text, "* -b");
        assert_eq!(Prepared::new("a\"(-b\"0^0").text, "a -b0");
        assert_eq!(Prepared::new("\"mental health\"~3 budget^2 x^0").text, "\"mental health\"~3 budget^2 x");
        assert_eq!(Prepared::new("title:\"better care\"").text, "title:\"better care\"");
    }

    #[test]
    fn councils_ways_of_writing_are_expanded() {
        let p = Prepared::new("self-harm SEND work programme budgt~1 safeguard*");
        assert!(p.text.contains("(\"self harm\" OR selfharm)"), "{}", p.text);
        assert!(p.text.contains("caps:SEND^3"), "{}", p.text);
        assert!(p.text.contains("\"forward plan\""), "{}", p.text);
        assert_eq!(p.fuzzy, vec![("budgt".to_string(), 1)]);
        assert_eq!(p.prefixes, vec!["safeguard".to_string()]);
        assert!(!p.text.contains("budgt"));
    }

    #[test]
    fn pasted_quotes_and_dashes_work_like_straight_ones() {
        assert_eq!(prepare_query("\u{201C}mental health\u{201D} \u{2013}send").0, "\"mental health\" -send");
    }

    #[test]
    fn malformed_queries_are_repaired_and_reported() {
        let (q, why) = prepare_query("\"modern slavery");
        assert_eq!(q.trim(), "modern slavery");
        assert_eq!(why.len(), 1);
        let (q, why) = prepare_query("housing - parks");
        assert_eq!(q, "housing parks");
        assert!(why[0].contains('-'));
        let (q, why) = prepare_query("nosuch:field housing");
        assert_eq!(q, "field housing");
        assert!(why[0].contains("nosuch"));
        let (q, _) = prepare_query("type:Minutes item:5 -council:worcestershire");
        assert_eq!(q, "item_type:minutes agenda_item:5 -council:worcestershire");
        assert_eq!(prepare_query("FP/17/09/14 -x/y").0, "\"FP/17/09/14\" -\"x/y\"");
        let (q, why) = prepare_query("(unclosed group");
        assert_eq!(q.trim(), "unclosed group");
        assert!(!why.is_empty());
    }
}
