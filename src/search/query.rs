//! The query language users type, parsed into a tree ([`QueryTree`]).
//!
//! ```text
//! query   := clause*                 clauses side by side: all the words rank first
//! clause  := ["+" | "-" | "NOT"] alt ["AND" clause]
//! alt     := unit ("OR" unit)*       OR binds closest: `housing OR homes budget`
//! unit    := "(" query ")" | leaf
//! leaf    := word | "phrase"[~N] | field:word | field:"phrase" | word* | word~N | word^N
//! ```
//!
//! `AND` makes the clauses on both sides required, `+word` one clause, `-word`
//! and `NOT word` exclude. `field:value` on a keyword field (`type`, `council`,
//! `committee`, `item`, `id`, `format`) is a filter; on a text field (`title`,
//! `body`, ...) it searches that field. The parser is forgiving and says what
//! it did: pasted curly quotes and dashes work like straight ones, a stray
//! quote, a lone operator, unbalanced parentheses or an unknown field are
//! dropped or read as words, and each is reported in [`QueryTree::ignored`].
//! Nothing here touches the index: [`super::plan`] turns the tree into
//! tantivy queries.

use crate::lexicon;
use crate::paper::ItemType;

/// The query language by example, `(query, meaning)`: the help of
/// `search --help` and of the search page.
pub const HELP: &[(&str, &str)] = &[
    ("nurses overseas", "items with both words first (\"all words\"), then items with either (\"some words\")"),
    ("\"mental health\"", "an exact phrase (stemmed words, in order)"),
    ("\"prevention concordat\"~3", "the words within 3 positions of each other"),
    ("housing OR homes", "either word (OR binds closest: housing OR homes budget)"),
    ("road AND culvert", "both words required (so is +road)"),
    ("culvert NOT road", "exclude a word or phrase (so is -road; a query may begin with -)"),
    ("(parks OR gardens) -car", "parentheses group"),
    ("title:budget", "a word in one text field: title, body, agenda_title, presenter"),
    ("type:minutes", "a filter on a keyword field: type, council, committee, item, id, format (committee:\"health and wellbeing board\" quotes a name with spaces)"),
    ("FP/17/09/14", "a council reference, matched whole"),
    ("safeguard*", "words starting with safeguard"),
    ("budgt~1", "words within 1 edit (typos, garbled PDF text)"),
    ("budget^2", "weigh a word more"),
    ("SEND", "an acronym in capitals: matched as written or by its long form"),
];

/// What the examples of [`HELP`] leave unsaid.
pub const HELP_NOTES: &str = "Words are stemmed and accent-folded; British and American spellings, hyphen and space \
variants (self-harm, self harm) and synonyms (work programme, forward plan) find each other. \
Common words (the, from, of) are not searched; a query with nothing else to search for and no \
filter is an error. Curly quotes and dashes pasted from a PDF work like straight ones. \
Malformed parts are ignored, with a note saying so.";

/// Fields users may name in `field:value`, with what each is.
pub const QUERY_FIELDS: &[(&str, FieldRef)] = &[
    ("title", FieldRef::Text("title")),
    ("body", FieldRef::Text("body")),
    ("agenda_title", FieldRef::Text("agenda_title")),
    ("presenter", FieldRef::Text("presenter")),
    ("type", FieldRef::Keyword(Keyword::Type)),
    ("item_type", FieldRef::Keyword(Keyword::Type)),
    ("council", FieldRef::Keyword(Keyword::Council)),
    ("committee", FieldRef::Keyword(Keyword::Committee)),
    ("item", FieldRef::Keyword(Keyword::Item)),
    ("agenda_item", FieldRef::Keyword(Keyword::Item)),
    ("id", FieldRef::Keyword(Keyword::Id)),
    ("format", FieldRef::Keyword(Keyword::Format)),
];

/// Terms a query keeps; the rest of a longer query (a pasted page, say) is
/// dropped with a warning, so one query cannot tie up the engine.
pub const MAX_QUERY_TERMS: usize = 64;

/// What a `field:` names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldRef {
    /// A text field of the index, searched by its words.
    Text(&'static str),
    /// A keyword field: `field:value` is a filter.
    Keyword(Keyword),
}

/// The keyword fields: exact values, used as filters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keyword {
    /// `type:minutes`
    Type,
    /// `council:somerset` (forgiving, as `--council`)
    Council,
    /// `committee:"health and wellbeing board"` (forgiving, as `--committee`)
    Committee,
    /// `item:5a`
    Item,
    /// `id:…`
    Id,
    /// `format:pdf`
    Format,
}

/// A parsed query.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct QueryTree {
    /// The top-level clauses, side by side.
    pub clauses: Vec<Clause>,
    /// What was ignored or reinterpreted, for the user.
    pub ignored: Vec<String>,
}

/// One clause of a group, and how it must occur.
#[derive(Debug, Clone, PartialEq)]
pub struct Clause {
    /// Required, excluded, or by default (all the words rank first).
    pub occur: Occur,
    /// What the clause matches.
    pub node: Node,
}

/// How a clause must occur in a matching item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Occur {
    /// Side by side with others: required for the all-words tier, one of
    /// them enough for the some-words tier.
    Default,
    /// Required (`+word`, either side of `AND`).
    Must,
    /// Excluded (`-word`, `NOT word`).
    MustNot,
}

/// A part of the query tree.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    /// Clauses side by side, in parentheses.
    Group(Vec<Clause>),
    /// Any of the alternatives.
    Or(Vec<Node>),
    /// A word, a phrase or a field value.
    Leaf(Leaf),
}

/// A leaf of the tree: one thing to look up.
#[derive(Debug, Clone, PartialEq)]
pub enum Leaf {
    /// A word or phrase in the text fields (or one named text field).
    Text {
        /// The field named, if any (`title:`).
        field: Option<&'static str>,
        /// The word or the phrase's words.
        text: String,
        /// Written in quotes.
        phrase: bool,
        /// `"a b"~N`: the words within N positions.
        slop: Option<u32>,
        /// `word^N`: a weight.
        boost: Option<f32>,
    },
    /// `word*`: words starting with the prefix.
    Prefix {
        /// The field named, if any.
        field: Option<&'static str>,
        /// The prefix as typed.
        prefix: String,
    },
    /// `word~N`: words within N edits (at most 2).
    Fuzzy {
        /// The word, lower-cased.
        word: String,
        /// The edit distance.
        distance: u8,
    },
    /// Phrases that mean the same (`work programme` = `forward plan`).
    Synonyms(&'static [String]),
    /// `field:value` on a keyword field.
    Keyword(Keyword, String),
}

impl QueryTree {
    /// True when the query has nothing to look up (exclusions aside).
    pub fn has_no_terms(&self) -> bool {
        !self.clauses.iter().any(|c| c.occur != Occur::MustNot)
    }

    /// True when the all-words and some-words readings of the query differ:
    /// some group has a clause side by side that the some-words reading lets
    /// go (two of them, or one beside a required clause).
    pub fn has_tiers(&self) -> bool {
        fn group_has(clauses: &[Clause]) -> bool {
            let count = |o: Occur| clauses.iter().filter(|c| c.occur == o).count();
            let (default, must) = (count(Occur::Default), count(Occur::Must));
            default > 1 || (default == 1 && must > 0) || clauses.iter().any(|c| node_has(&c.node))
        }
        fn node_has(node: &Node) -> bool {
            match node {
                Node::Group(cs) => group_has(cs),
                Node::Or(alts) => alts.iter().any(node_has),
                Node::Leaf(_) => false,
            }
        }
        group_has(&self.clauses)
    }

    /// Every leaf, in order.
    pub fn leaves(&self) -> Vec<&Leaf> {
        fn walk<'a>(node: &'a Node, out: &mut Vec<&'a Leaf>) {
            match node {
                Node::Group(cs) => cs.iter().for_each(|c| walk(&c.node, out)),
                Node::Or(alts) => alts.iter().for_each(|n| walk(n, out)),
                Node::Leaf(l) => out.push(l),
            }
        }
        let mut out = Vec::new();
        self.clauses.iter().for_each(|c| walk(&c.node, &mut out));
        out
    }
}

/// Parses a user's query. Never fails: what cannot be read is dropped and
/// reported in [`QueryTree::ignored`].
pub fn parse(raw: &str) -> QueryTree {
    let mut ignored = Vec::new();
    let text = normalise(raw);
    let mut tokens = lex(&text, &mut ignored);
    balance_parentheses(&mut tokens, &mut ignored);
    let leaves = tokens.iter().filter(|t| matches!(t, Token::Piece(_) | Token::Phrase { .. })).count();
    if leaves > MAX_QUERY_TERMS {
        ignored.push(format!(
            "{} of the query's {leaves} terms (a query keeps its first {MAX_QUERY_TERMS})",
            leaves - MAX_QUERY_TERMS
        ));
        truncate_terms(&mut tokens, MAX_QUERY_TERMS);
    }
    let mut parser = Parser { tokens, at: 0, ignored };
    let mut clauses = parser.clauses(false);
    merge_synonyms(&mut clauses);
    QueryTree { clauses, ignored: parser.ignored }
}

/// Pasted curly quotes and dashes become straight ones; control characters spaces.
fn normalise(raw: &str) -> String {
    raw.chars()
        .map(|c| match c {
            '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' | '\u{FF02}' => '"',
            '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{2032}' => '\'',
            '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2212}' => '-',
            c if c.is_control() => ' ',
            c => c,
        })
        .collect()
}

/// A lexical token.
#[derive(Debug, Clone, PartialEq)]
enum Token {
    Open,
    Close,
    And,
    Or,
    Not,
    /// `+` or `-` written right before a piece, phrase or `(`.
    Sign(char),
    /// A piece of text outside quotes (a word, `field:value`, `word*`...).
    Piece(String),
    /// A quoted phrase, with the field written right before it and what follows the closing quote.
    Phrase {
        field: Option<String>,
        words: String,
        tail: String,
    },
}

/// Splits the text into tokens. An unmatched quote is dropped (and reported).
fn lex(text: &str, ignored: &mut Vec<String>) -> Vec<Token> {
    let quotes = text.matches('"').count();
    let last_quote = (quotes % 2 == 1).then(|| text.rfind('"')).flatten();
    if last_quote.is_some() {
        ignored.push("an unmatched quote".to_string());
    }
    let mut tokens = Vec::new();
    let mut rest = text;
    let mut offset = 0;
    while let Some(c) = rest.chars().next() {
        let here = offset;
        let step = |n: usize, rest: &mut &str, offset: &mut usize| {
            *rest = &rest[n..];
            *offset += n;
        };
        match c {
            c if c.is_whitespace() => step(c.len_utf8(), &mut rest, &mut offset),
            '(' => {
                tokens.push(Token::Open);
                step(1, &mut rest, &mut offset);
            }
            ')' => {
                tokens.push(Token::Close);
                step(1, &mut rest, &mut offset);
            }
            '"' if Some(here) != last_quote => {
                let close = rest[1..].find('"').map_or(rest.len(), |i| i + 1);
                let words = rest[1..close].to_string();
                let after = (close + 1).min(rest.len());
                let tail_len = rest[after..]
                    .find(|c: char| c.is_whitespace() || c == ')' || c == '(')
                    .unwrap_or(rest.len() - after);
                let tail = rest[after..after + tail_len].to_string();
                tokens.push(Token::Phrase { field: None, words, tail });
                step(after + tail_len, &mut rest, &mut offset);
            }
            '"' => step(1, &mut rest, &mut offset),
            '+' | '-' if rest[1..].starts_with(|n: char| !n.is_whitespace()) => {
                tokens.push(Token::Sign(c));
                step(1, &mut rest, &mut offset);
            }
            _ => {
                let end = piece_end(rest);
                let piece = &rest[..end];
                // `field:"a phrase"`: the field goes with the phrase that follows.
                if piece.ends_with(':') && rest[end..].starts_with('"') && Some(here + end) != last_quote {
                    let field = piece.trim_end_matches(':').to_string();
                    step(end, &mut rest, &mut offset);
                    let close = rest[1..].find('"').map_or(rest.len(), |i| i + 1);
                    let words = rest[1..close].to_string();
                    let after = (close + 1).min(rest.len());
                    let tail_len = rest[after..].find(char::is_whitespace).unwrap_or(rest.len() - after);
                    let tail = rest[after..after + tail_len].to_string();
                    tokens.push(Token::Phrase { field: Some(field), words, tail });
                    step(after + tail_len, &mut rest, &mut offset);
                    continue;
                }
                tokens.push(match piece {
                    "AND" | "&&" => Token::And,
                    "OR" | "||" => Token::Or,
                    "NOT" => Token::Not,
                    _ => Token::Piece(piece.to_string()),
                });
                step(end, &mut rest, &mut offset);
            }
        }
    }
    tokens
}

/// Where a piece starting at the start of `rest` ends: at whitespace, a
/// parenthesis, or a quote (an unmatched one included).
fn piece_end(rest: &str) -> usize {
    rest.find(|c: char| c.is_whitespace() || matches!(c, '(' | ')' | '"')).unwrap_or(rest.len())
}

/// Drops every parenthesis when they do not pair up, rather than guess.
fn balance_parentheses(tokens: &mut Vec<Token>, ignored: &mut Vec<String>) {
    let mut depth = 0i32;
    let mut ok = true;
    for t in tokens.iter() {
        match t {
            Token::Open => depth += 1,
            Token::Close => {
                depth -= 1;
                ok &= depth >= 0;
            }
            _ => {}
        }
    }
    if !ok || depth != 0 {
        ignored.push("unbalanced parentheses".to_string());
        tokens.retain(|t| !matches!(t, Token::Open | Token::Close));
    }
}

/// Keeps the first `n` pieces and phrases (and the tokens between them).
fn truncate_terms(tokens: &mut Vec<Token>, n: usize) {
    let mut seen = 0;
    let cut = tokens
        .iter()
        .position(|t| {
            seen += usize::from(matches!(t, Token::Piece(_) | Token::Phrase { .. }));
            seen > n
        })
        .unwrap_or(tokens.len());
    tokens.truncate(cut);
    // Closing parentheses still owed.
    let depth: i32 = tokens.iter().map(|t| i32::from(*t == Token::Open) - i32::from(*t == Token::Close)).sum();
    tokens.extend(std::iter::repeat_n(Token::Close, depth.max(0) as usize));
}

struct Parser {
    tokens: Vec<Token>,
    at: usize,
    ignored: Vec<String>,
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at)
    }

    /// Clauses up to the end (or a closing parenthesis, when `nested`).
    fn clauses(&mut self, nested: bool) -> Vec<Clause> {
        let mut clauses: Vec<Clause> = Vec::new();
        // The clause before an `AND` becomes required once a clause follows it.
        let mut and_pending = false;
        while let Some(t) = self.peek() {
            match t {
                Token::Close if nested => break,
                Token::Close => {
                    self.at += 1;
                }
                Token::And => {
                    self.at += 1;
                    if clauses.is_empty() || and_pending {
                        self.ignored.push("a dangling `AND`".to_string());
                    } else {
                        and_pending = true;
                    }
                }
                Token::Or => {
                    self.at += 1;
                    self.ignored.push("a dangling `OR`".to_string());
                }
                _ => {
                    let Some(mut clause) = self.clause() else { continue };
                    if and_pending {
                        if let Some(prev) = clauses.last_mut() {
                            if prev.occur == Occur::Default {
                                prev.occur = Occur::Must;
                            }
                        }
                        if clause.occur == Occur::Default {
                            clause.occur = Occur::Must;
                        }
                        and_pending = false;
                    }
                    clauses.push(clause);
                }
            }
        }
        if and_pending {
            self.ignored.push("a dangling `AND`".to_string());
        }
        clauses
    }

    /// One clause: an optional sign or `NOT`, then alternatives.
    fn clause(&mut self) -> Option<Clause> {
        let mut occur = Occur::Default;
        loop {
            match self.peek() {
                Some(Token::Sign('-')) | Some(Token::Not) => {
                    occur = Occur::MustNot;
                    self.at += 1;
                }
                Some(Token::Sign(_)) => {
                    occur = if occur == Occur::MustNot { occur } else { Occur::Must };
                    self.at += 1;
                }
                _ => break,
            }
        }
        let Some(node) = self.alternatives() else {
            if occur != Occur::Default {
                self.ignored.push("an operator with nothing after it".to_string());
            }
            return None;
        };
        Some(Clause { occur, node })
    }

    /// A unit, then `OR unit` as long as they come.
    fn alternatives(&mut self) -> Option<Node> {
        let first = self.unit();
        let mut alts: Vec<Node> = first.into_iter().collect();
        while self.peek() == Some(&Token::Or) {
            self.at += 1;
            match self.peek() {
                Some(Token::Piece(_)) | Some(Token::Phrase { .. }) | Some(Token::Open) => {
                    if let Some(n) = self.unit() {
                        alts.push(n);
                    }
                }
                _ => self.ignored.push("a dangling `OR`".to_string()),
            }
        }
        match alts.len() {
            0 => None,
            1 => alts.pop(),
            _ => Some(Node::Or(alts)),
        }
    }

    /// A parenthesised group or one leaf. None (having consumed it) for a
    /// token that makes no leaf.
    fn unit(&mut self) -> Option<Node> {
        let token = self.tokens.get(self.at)?.clone();
        self.at += 1;
        match token {
            Token::Open => {
                let mut inner = self.clauses(true);
                if self.peek() == Some(&Token::Close) {
                    self.at += 1;
                }
                match inner.len() {
                    0 => None,
                    1 if inner[0].occur == Occur::Default => inner.pop().map(|c| c.node),
                    _ => Some(Node::Group(inner)),
                }
            }
            Token::Piece(p) => leaf_of_piece(&p, &mut self.ignored).map(Node::Leaf),
            Token::Phrase { field, words, tail } => {
                leaf_of_phrase(field.as_deref(), &words, &tail, &mut self.ignored).map(Node::Leaf)
            }
            Token::Sign(s) => {
                self.ignored.push(format!("a lone `{s}`"));
                None
            }
            Token::Not | Token::And | Token::Or | Token::Close => None,
        }
    }
}

/// The field a `field:` prefix names, case-insensitively.
fn field_named(name: &str) -> Option<FieldRef> {
    QUERY_FIELDS.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|&(_, f)| f)
}

/// The leaf a piece outside quotes makes, if any.
fn leaf_of_piece(piece: &str, ignored: &mut Vec<String>) -> Option<Leaf> {
    // `field:value`, where the field is a plain name (not a URL's scheme).
    if let Some((name, value)) = piece.split_once(':') {
        let plain_name = !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if plain_name && !value.starts_with("//") {
            return match field_named(name) {
                _ if value.is_empty() => {
                    ignored.push(format!("`{piece}` has no value"));
                    None
                }
                Some(FieldRef::Keyword(k)) => keyword_leaf(k, value, ignored),
                Some(FieldRef::Text(f)) => word_leaf(Some(f), value, ignored),
                None => {
                    ignored.push(format!("unknown field `{name}` (searched `{value}` as words)"));
                    word_leaf(None, value, ignored)
                }
            };
        }
    }
    word_leaf(None, piece, ignored)
}

/// A keyword field's value, checked where the values are known.
fn keyword_leaf(k: Keyword, value: &str, ignored: &mut Vec<String>) -> Option<Leaf> {
    let value = value.trim_matches('"');
    if k == Keyword::Type {
        return match ItemType::parse(value) {
            Some(t) => Some(Leaf::Keyword(k, t.as_str().to_string())),
            None => {
                ignored.push(format!("unknown item type `{value}` (types: {})", type_names()));
                None
            }
        };
    }
    Some(Leaf::Keyword(k, value.to_string()))
}

/// The item type names, comma-separated, for messages.
pub fn type_names() -> String {
    ItemType::ALL.iter().map(|t| t.as_str()).collect::<Vec<_>>().join(", ")
}

/// A word (with `*`, `~N` or `^N` after it) as a leaf.
fn word_leaf(field: Option<&'static str>, piece: &str, ignored: &mut Vec<String>) -> Option<Leaf> {
    let cut = piece.find(['~', '^', '*']).unwrap_or(piece.len());
    let (word, tail) = piece.split_at(cut);
    if !word.chars().any(char::is_alphanumeric) {
        if !piece.is_empty() && piece.chars().all(|c| matches!(c, '+' | '-' | '!')) {
            ignored.push(format!("a lone `{piece}`"));
        } else if !piece.trim().is_empty() {
            ignored.push(format!("`{piece}` (no word in it)"));
        }
        return None;
    }
    let plain = word.chars().all(|c| c.is_alphanumeric() || c == '\'');
    match tail {
        "" => Some(Leaf::Text { field, text: word.to_string(), phrase: false, slop: None, boost: None }),
        "*" if plain => Some(Leaf::Prefix { field, prefix: word.to_string() }),
        t if t.starts_with('~') && plain && field.is_none() => {
            let n = &t[1..];
            match if n.is_empty() { Some(1) } else { n.parse::<u8>().ok() } {
                Some(d) => Some(Leaf::Fuzzy { word: word.to_lowercase(), distance: d.clamp(1, 2) }),
                None => {
                    ignored.push(format!("`{t}` after `{word}`"));
                    Some(Leaf::Text { field, text: word.to_string(), phrase: false, slop: None, boost: None })
                }
            }
        }
        t if t.starts_with('^') => {
            let boost = t[1..].parse::<f32>().ok().filter(|b| *b > 0.0 && b.is_finite() && *b <= 100.0);
            if boost.is_none() {
                ignored.push(format!("`{t}` after `{word}`"));
            }
            Some(Leaf::Text { field, text: word.to_string(), phrase: false, slop: None, boost })
        }
        t => {
            ignored.push(format!("`{t}` after `{word}`"));
            Some(Leaf::Text { field, text: word.to_string(), phrase: false, slop: None, boost: None })
        }
    }
}

/// A quoted phrase (its field, if one was written before it, and what follows
/// the closing quote: `~N` slop or `^N` weight).
fn leaf_of_phrase(field: Option<&str>, words: &str, tail: &str, ignored: &mut Vec<String>) -> Option<Leaf> {
    let field = match field.map(|name| (name, field_named(name))) {
        None => None,
        Some((_, Some(FieldRef::Text(f)))) => Some(f),
        Some((_, Some(FieldRef::Keyword(k)))) => return keyword_leaf(k, words, ignored),
        Some((name, None)) => {
            ignored.push(format!("unknown field `{name}` (searched the phrase in every field)"));
            None
        }
    };
    if !words.chars().any(char::is_alphanumeric) {
        if !words.trim().is_empty() || !tail.is_empty() {
            ignored.push(format!("`\"{words}\"{tail}` (no word in it)"));
        }
        return None;
    }
    let (mut slop, mut boost) = (None, None);
    match tail.chars().next() {
        None => {}
        Some('~') => match tail[1..].parse::<u32>() {
            Ok(n) if (1..=100).contains(&n) => slop = Some(n),
            _ => ignored.push(format!("`{tail}` after `\"{words}\"`")),
        },
        Some('^') => match tail[1..].parse::<f32>() {
            Ok(b) if b > 0.0 && b.is_finite() && b <= 100.0 => boost = Some(b),
            _ => ignored.push(format!("`{tail}` after `\"{words}\"`")),
        },
        Some(_) => ignored.push(format!("`{tail}` after `\"{words}\"`")),
    }
    Some(Leaf::Text { field, text: words.to_string(), phrase: true, slop, boost })
}

/// Runs of plain words side by side that spell a synonym phrase become one
/// synonym leaf, in every group (the longest phrase wins).
fn merge_synonyms(clauses: &mut Vec<Clause>) {
    for c in clauses.iter_mut() {
        match &mut c.node {
            Node::Group(inner) => merge_synonyms(inner),
            Node::Or(alts) => {
                for a in alts.iter_mut() {
                    if let Node::Group(inner) = a {
                        merge_synonyms(inner);
                    }
                }
            }
            Node::Leaf(_) => {}
        }
    }
    let plain_word = |c: &Clause| match &c.node {
        Node::Leaf(Leaf::Text { field: None, text, phrase: false, slop: None, boost: None })
            if c.occur == Occur::Default =>
        {
            Some(text.to_lowercase())
        }
        _ => None,
    };
    let mut i = 0;
    while i < clauses.len() {
        let words: Vec<String> = clauses[i..].iter().take(6).map_while(plain_word).collect();
        if let Some((len, group)) = synonym_at(&words) {
            clauses.splice(i..i + len, [Clause { occur: Occur::Default, node: Node::Leaf(Leaf::Synonyms(group)) }]);
        }
        i += 1;
    }
}

/// The longest synonym phrase that `words` start with, as (words used, group).
fn synonym_at(words: &[String]) -> Option<(usize, &'static [String])> {
    let mut best: Option<(usize, &'static [String])> = None;
    for group in lexicon::synonym_groups() {
        for phrase in group {
            let pw: Vec<&str> = phrase.split_whitespace().collect();
            if pw.len() <= words.len()
                && pw.iter().zip(words).all(|(a, b)| *a == b)
                && best.is_none_or(|(n, _)| pw.len() > n)
            {
                best = Some((pw.len(), group.as_slice()));
            }
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(w: &str) -> Node {
        Node::Leaf(Leaf::Text { field: None, text: w.into(), phrase: false, slop: None, boost: None })
    }

    fn clause(occur: Occur, node: Node) -> Clause {
        Clause { occur, node }
    }

    #[test]
    fn operators_make_the_tree_users_mean() {
        use Occur::*;
        assert_eq!(
            parse("culvert NOT road").clauses,
            vec![clause(Default, word("culvert")), clause(MustNot, word("road"))]
        );
        assert_eq!(parse("road AND culvert").clauses, vec![clause(Must, word("road")), clause(Must, word("culvert"))]);
        assert_eq!(
            parse("housing OR homes budget").clauses,
            vec![clause(Default, Node::Or(vec![word("housing"), word("homes")])), clause(Default, word("budget"))]
        );
        assert_eq!(
            parse("+housing -(parks OR gardens)").clauses,
            vec![clause(Must, word("housing")), clause(MustNot, Node::Or(vec![word("parks"), word("gardens")]))]
        );
        let nested = parse("(a b) OR c");
        let group = Node::Group(vec![clause(Default, word("a")), clause(Default, word("b"))]);
        assert_eq!(nested.clauses, vec![clause(Default, Node::Or(vec![group, word("c")]))]);
        assert!(nested.has_tiers() && parse("a b").has_tiers());
        assert!(!parse("a").has_tiers() && !parse("a AND b").has_tiers() && !parse("a -b").has_tiers());
        assert!(parse("+a b").has_tiers() && parse("a AND b c").has_tiers() && !parse("+a +b -c").has_tiers());
    }

    #[test]
    fn fields_phrases_and_word_forms_are_leaves() {
        let t = parse("type:Minutes committee:\"health and wellbeing board\" title:budget \"mental health\"~3 safeguard* budgt~1 nurses^2");
        assert_eq!(
            t.leaves(),
            vec![
                &Leaf::Keyword(Keyword::Type, "minutes".into()),
                &Leaf::Keyword(Keyword::Committee, "health and wellbeing board".into()),
                &Leaf::Text { field: Some("title"), text: "budget".into(), phrase: false, slop: None, boost: None },
                &Leaf::Text { field: None, text: "mental health".into(), phrase: true, slop: Some(3), boost: None },
                &Leaf::Prefix { field: None, prefix: "safeguard".into() },
                &Leaf::Fuzzy { word: "budgt".into(), distance: 1 },
                &Leaf::Text { field: None, text: "nurses".into(), phrase: false, slop: None, boost: Some(2.0) },
            ]
        );
        assert!(t.ignored.is_empty(), "{:?}", t.ignored);
        assert_eq!(parse("FP/17/09/14").leaves().len(), 1);
        assert!(matches!(parse("work programme").leaves()[..], [Leaf::Synonyms(_)]));
    }

    #[test]
    fn what_cannot_be_read_is_dropped_and_said() {
        for (q, said) in [
            ("\"modern slavery", "unmatched quote"),
            ("housing - parks", "lone `-`"),
            ("nosuch:field housing", "unknown field `nosuch`"),
            ("(unclosed group", "unbalanced"),
            ("type:memo x", "unknown item type"),
            ("AND housing", "dangling `AND`"),
            ("housing OR", "dangling `OR`"),
            ("x~0.5", "after `x`"),
            ("?!?", "no word"),
        ] {
            let t = parse(q);
            assert!(t.ignored.iter().any(|w| w.contains(said)), "{q}: {:?}", t.ignored);
        }
        assert!(parse("?!?").clauses.is_empty());
        assert!(parse("\"").clauses.is_empty());
        assert_eq!(parse("\u{201C}mental health\u{201D} \u{2013}send").clauses.len(), 2);
        assert!(parse("-dementia").has_no_terms() && !parse("dementia -x").has_no_terms());
    }

    #[test]
    fn a_very_long_query_is_cut_with_a_warning() {
        let long = vec!["carers"; 10_000].join(" ");
        let t = parse(&long);
        assert_eq!(t.leaves().len(), MAX_QUERY_TERMS);
        assert!(t.ignored.iter().any(|w| w.contains("9936 of the query's 10000 terms")), "{:?}", t.ignored);
    }
}
