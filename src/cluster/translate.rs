//! Our query language and filters, in Quickwit's query language.
//!
//! The query is parsed as for a local search ([`crate::search::query`]) and
//! each word or phrase analysed by our analyzer, so the cluster is asked for
//! exactly the terms it was given at export ([`super::terms`]): a word becomes
//! its term in each weighted text field (`title_terms:"nurs"^3 OR ...`), a
//! phrase a phrase of terms, a compound both its spaced and joined forms, an
//! acronym in capitals its written form (`caps`) or its long form. Keyword
//! fields and the options become filters on raw fields; the meeting date range
//! becomes the timestamp parameters. What the cluster cannot do (fuzzy words)
//! is searched as written and said.

use chrono::NaiveDate;

use super::terms;
use crate::lexicon;
use crate::paper;
use crate::search::query::{self, Clause, Keyword, Leaf, Node, Occur, QueryTree};
use crate::search::SearchOptions;
use crate::{Error, Result};

/// The weighted text fields searched by default, as the local index weighs them.
pub const TEXT_FIELDS: [(&str, f32); 5] =
    [("title", 3.0), ("agenda_title", 2.0), ("headings", 1.5), ("body", 1.0), ("expansions", 0.8)];

/// The name of the cluster field holding a text field's analysed terms.
pub fn terms_field(field: &str) -> String {
    format!("{field}_terms")
}

/// A search, in the cluster's terms.
#[derive(Debug, Clone, PartialEq)]
pub struct ClusterQuery {
    /// Every clause required (the all-words tier), filters included.
    pub all_words: String,
    /// The some-words reading, filters included, where it differs.
    pub some_words: Option<String>,
    /// Whether there are words to rank by (else: a listing by date).
    pub scored: bool,
    /// Meeting dates from, inclusive: seconds since the epoch.
    pub start_timestamp: Option<i64>,
    /// Meeting dates to, exclusive: seconds since the epoch.
    pub end_timestamp: Option<i64>,
    /// What the query had to say: parts ignored, searched differently.
    pub notes: Vec<String>,
    /// The analysed terms of the query's words, to highlight in snippets.
    pub highlight: Vec<String>,
}

impl ClusterQuery {
    /// Every item: no words, no dates (for look-ups by id or hash, and statistics).
    pub fn everything() -> ClusterQuery {
        ClusterQuery {
            all_words: "*".to_string(),
            some_words: None,
            scored: false,
            start_timestamp: None,
            end_timestamp: None,
            notes: Vec::new(),
            highlight: Vec::new(),
        }
    }
}

/// Translates a search's query and filters.
pub fn translate(opts: &SearchOptions) -> Result<ClusterQuery> {
    let tree = query::parse(&opts.query);
    let mut t = Translator { notes: tree.ignored.clone(), highlight: Vec::new(), text: terms::text_analyzer() };
    let mut filters = option_filters(opts);
    let mut rest = Vec::new();
    for c in &tree.clauses {
        match (&c.node, c.occur) {
            (Node::Leaf(Leaf::Keyword(k, v)), Occur::MustNot) => filters.push(format!("NOT {}", keyword(*k, v))),
            (Node::Leaf(Leaf::Keyword(k, v)), _) => filters.push(keyword(*k, v)),
            _ => rest.push(c.clone()),
        }
    }
    let positive = rest.iter().any(|c| c.occur != Occur::MustNot);
    let all = t.group(&rest, true);
    let tiers = !opts.all_words && QueryTree { clauses: rest.clone(), ignored: Vec::new() }.has_tiers();
    let some = if tiers { t.group(&rest, false) } else { None };
    if all.is_none() && filters.is_empty() && opts.from.is_none() && opts.to.is_none() {
        return Err(Error::BadInput(format!(
            "the query {:?} has no word to search for; give a word, a phrase or a filter",
            opts.query
        )));
    }
    let some = if positive { some } else { None };
    let with_filters = |q: Option<String>| {
        let parts: Vec<String> = q.into_iter().chain(filters.iter().cloned()).collect();
        if parts.is_empty() {
            "*".to_string()
        } else {
            parts.iter().map(|p| format!("({p})")).collect::<Vec<_>>().join(" AND ")
        }
    };
    Ok(ClusterQuery {
        all_words: with_filters(all),
        some_words: some.map(|s| with_filters(Some(s))),
        scored: positive,
        // An undated item's timestamp is the day before any other: a date range
        // leaves it out, as locally.
        start_timestamp: match (opts.from, opts.to) {
            (Some(d), _) => Some(day_start(d).max(first_dated())),
            (None, Some(_)) => Some(first_dated()),
            (None, None) => None,
        },
        end_timestamp: opts.to.and_then(|d| d.succ_opt()).map(day_start),
        notes: t.notes,
        highlight: t.highlight,
    })
}

/// The first second after an undated item's timestamp.
fn first_dated() -> i64 {
    NaiveDate::parse_from_str(super::config::UNDATED, "%Y-%m-%d").map_or(0, |d| day_start(d) + 1)
}

/// Midnight UTC of a day, in seconds.
fn day_start(d: NaiveDate) -> i64 {
    d.and_hms_opt(0, 0, 0).map_or(0, |t| t.and_utc().timestamp())
}

/// The option filters (dates aside), as query clauses.
fn option_filters(opts: &SearchOptions) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(c) = &opts.council {
        out.push(keyword(Keyword::Council, c));
    }
    if let Some(c) = &opts.committee {
        out.push(keyword(Keyword::Committee, c));
    }
    if !opts.item_types.is_empty() {
        let types: Vec<String> = opts.item_types.iter().map(|t| quote(t.as_str())).collect();
        out.push(format!("item_type: IN [{}]", types.join(" ")));
    }
    if let Some(item) = &opts.agenda_item {
        out.push(keyword(Keyword::Item, item));
    }
    if let Some(p) = opts.page {
        out.push(format!("page_start:<={p} AND page_end:>={p}"));
    }
    if let Some(name) = opts.attendee.as_deref().map(str::trim).filter(|n| !n.is_empty()) {
        let words = terms::term_stream(&mut terms::name_analyzer(), name);
        out.push(format!("attendance_terms:{}", quote(&words)));
    }
    out
}

/// A keyword field's value as a filter clause.
pub fn keyword(k: Keyword, value: &str) -> String {
    let value = value.trim();
    match k {
        Keyword::Type => format!("item_type:{}", quote(&value.to_ascii_lowercase())),
        Keyword::Council => {
            // As locally: the name, or any council whose name it starts ("Worcestershire").
            let key = paper::normalise_council(value);
            format!("council_key:{} OR council_key:{}*", quote(&key), escape(&format!("{key} ")))
        }
        Keyword::Committee => format!("committee_key:{}", quote(&paper::normalise_committee(value))),
        Keyword::Item => format!("agenda_item:{}", quote(value)),
        Keyword::Id => format!("id:{}", quote(value)),
        Keyword::Format => format!("format:{}", quote(&value.to_ascii_lowercase())),
    }
}

/// A value in double quotes, with quotes and backslashes escaped.
pub fn quote(value: &str) -> String {
    format!("\"{}\"", value.replace('\\', "\\\\").replace('"', "\\\""))
}

/// A value outside quotes with every character the grammar reads escaped.
fn escape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        if !(c.is_alphanumeric() || c == '_') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

struct Translator {
    notes: Vec<String>,
    highlight: Vec<String>,
    text: tantivy::tokenizer::TextAnalyzer,
}

impl Translator {
    /// Clauses side by side: each required (`all`), or any of the plain ones.
    fn group(&mut self, clauses: &[Clause], all: bool) -> Option<String> {
        let (mut must, mut should, mut not) = (Vec::new(), Vec::new(), Vec::new());
        for c in clauses {
            let Some(q) = self.node(&c.node, all) else { continue };
            match c.occur {
                Occur::Default if all => must.push(q),
                Occur::Default => should.push(q),
                Occur::Must => must.push(q),
                Occur::MustNot => not.push(q),
            }
        }
        if must.is_empty() && should.is_empty() && not.is_empty() {
            return None;
        }
        let mut parts: Vec<String> = must.iter().map(|q| format!("({q})")).collect();
        match (must.is_empty(), should.len()) {
            (_, 0) => {}
            // Optional beside required clauses: they only add to the score.
            // `*` keeps the alternatives from being required (it adds one to every score).
            (false, _) => parts.push(format!("({} OR *)", wrapped(&should).join(" OR "))),
            (true, 1) => parts.push(format!("({})", should[0])),
            (true, _) => parts.push(format!("({})", wrapped(&should).join(" OR "))),
        }
        if parts.is_empty() {
            parts.push("*".to_string());
        }
        parts.extend(not.iter().map(|q| format!("NOT ({q})")));
        Some(parts.join(" AND "))
    }

    fn node(&mut self, node: &Node, all: bool) -> Option<String> {
        match node {
            Node::Group(clauses) => self.group(clauses, all),
            Node::Or(alts) => {
                let qs: Vec<String> = alts.iter().filter_map(|n| self.node(n, all)).collect();
                (!qs.is_empty()).then(|| wrapped(&qs).join(" OR "))
            }
            Node::Leaf(leaf) => self.leaf(leaf),
        }
    }

    fn leaf(&mut self, leaf: &Leaf) -> Option<String> {
        match leaf {
            Leaf::Keyword(k, v) => Some(keyword(*k, v)),
            Leaf::Fuzzy { word, distance } => {
                self.notes.push(format!("`{word}~{distance}`: the cluster has no fuzzy search; searched as written"));
                self.word(None, word, None)
            }
            Leaf::Text { field, text, phrase: false, boost, .. } => self.word(*field, text, *boost),
            Leaf::Text { field, text, phrase: true, slop, boost } => {
                let q = self.phrase(*field, text, *slop)?;
                Some(boosted(q, *boost))
            }
            Leaf::Prefix { field, prefix } => {
                let p = escape(&prefix.to_lowercase());
                self.highlight.push(prefix.to_lowercase());
                Some(over_fields(*field, |f| format!("{f}:{p}*")))
            }
            Leaf::Synonyms(group) => {
                let alts: Vec<String> = group.iter().filter_map(|s| self.phrase(None, s, None)).collect();
                (!alts.is_empty()).then(|| alts.iter().map(|a| format!("({a})")).collect::<Vec<_>>().join(" OR "))
            }
        }
    }

    /// A word, expanded the way councils write it (as the local search does).
    fn word(&mut self, field: Option<&'static str>, word: &str, boost: Option<f32>) -> Option<String> {
        if field.is_none() {
            let parts: Vec<&str> = word.split('-').collect();
            if parts.len() > 1 && parts.iter().all(|p| !p.is_empty() && p.chars().all(char::is_alphabetic)) {
                let spaced = self.phrase(None, &parts.join(" "), None)?;
                let joined = self.terms_query(None, &parts.concat())?;
                return Some(boosted(format!("({spaced}) OR ({joined})"), boost));
            }
            if lexicon::looks_like_acronym(word) && word.chars().all(|c| c.is_ascii_alphabetic()) {
                let term = self.terms_query(None, word)?;
                let expansions = self.terms_query(Some("expansions"), word)?;
                return Some(boosted(format!("caps:{}^3 OR ({expansions}) OR ({term})", quote(word)), boost));
            }
        }
        let q = self.terms_query(field, word)?;
        Some(boosted(q, boost))
    }

    /// A word's terms in the fields: one term, its joined form when it is a
    /// reference, else the phrase of its terms. None for a common word alone.
    fn terms_query(&mut self, field: Option<&'static str>, word: &str) -> Option<String> {
        let (words, joined) = terms::terms(&mut self.text, word);
        let value = match (joined.first(), words.len()) {
            (Some(j), _) => j.clone(),
            (None, 0) => return None,
            (None, _) => words.join(" "),
        };
        self.highlight.extend(words.iter().cloned().chain(joined));
        Some(over_fields(field, |f| format!("{f}:{}", quote(&value))))
    }

    /// A phrase of terms in the fields, with its slop.
    fn phrase(&mut self, field: Option<&'static str>, text: &str, slop: Option<u32>) -> Option<String> {
        let (words, _) = terms::terms(&mut self.text, text);
        if words.is_empty() {
            return None;
        }
        self.highlight.extend(words.iter().cloned());
        let slop = slop.map(|s| format!("~{s}")).unwrap_or_default();
        let phrase = quote(&words.join(" "));
        Some(over_fields(field, |f| format!("{f}:{phrase}{slop}")))
    }
}

/// A clause over one named text field, or over every weighted text field.
fn over_fields(field: Option<&'static str>, clause: impl Fn(&str) -> String) -> String {
    match field {
        Some(f) => clause(&terms_field(f)),
        None => TEXT_FIELDS
            .iter()
            .map(|(f, w)| {
                let c = clause(&terms_field(f));
                if *w == 1.0 {
                    c
                } else {
                    format!("{c}^{w}")
                }
            })
            .collect::<Vec<_>>()
            .join(" OR "),
    }
}

/// Each clause in parentheses.
fn wrapped(clauses: &[String]) -> Vec<String> {
    clauses.iter().map(|q| format!("({q})")).collect()
}

fn boosted(q: String, boost: Option<f32>) -> String {
    match boost {
        Some(b) => format!("({q})^{b}"),
        None => q,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::paper::ItemType;

    fn q(text: &str) -> ClusterQuery {
        translate(&SearchOptions { query: text.into(), ..SearchOptions::default() }).unwrap()
    }

    const NURS: &str = r#"title_terms:"nurs"^3 OR agenda_title_terms:"nurs"^2 OR headings_terms:"nurs"^1.5 OR body_terms:"nurs" OR expansions_terms:"nurs"^0.8"#;

    #[test]
    fn every_query_form_becomes_the_cluster_query_string() {
        let term = |t: &str| NURS.replace("nurs", t);
        let (nurs, oversea) = (term("nurs"), term("oversea"));
        assert_eq!(q("nurses").all_words, format!("(({nurs}))"));
        let both = q("nurses overseas");
        assert_eq!(both.all_words, format!("(({nurs}) AND ({oversea}))"));
        assert_eq!(both.some_words, Some(format!("((({nurs}) OR ({oversea})))")));
        assert_eq!(q("\"mental health\"").all_words, format!("(({}))", term("mental health")));
        assert!(q("\"prevention concordat\"~3").all_words.contains(r#"body_terms:"prevent concordat"~3"#));
        assert_eq!(q("nurses OR overseas").all_words, format!("((({nurs}) OR ({oversea})))"));
        assert_eq!(q("nurses OR overseas").some_words, None);
        assert_eq!(q("nurses AND overseas").all_words, both.all_words);
        assert_eq!(q("nurses AND overseas").some_words, None);
        assert_eq!(q("+nurses overseas").some_words, Some(format!("(({nurs}) AND (({oversea}) OR *))")));
        assert_eq!(q("nurses NOT overseas").all_words, format!("(({nurs}) AND NOT ({oversea}))"));
        assert_eq!(q("nurses -overseas").all_words, q("nurses NOT overseas").all_words);
        assert_eq!(q("-overseas").all_words, format!("(* AND NOT ({oversea}))"));
        assert_eq!(
            q("(nurses OR overseas) AND NOT title:budget").all_words,
            format!("((({nurs}) OR ({oversea})) AND NOT (title_terms:\"budget\"))")
        );
        assert_eq!(q("title:budget").all_words, r#"((title_terms:"budget"))"#);
        assert_eq!(q("FP/17/09/14").all_words, format!("(({}))", term("fp/17/09/14")));
        assert!(q("safeguard*").all_words.contains("body_terms:safeguard*"));
        assert!(q("budget^2").all_words.contains(")^2"));
        assert_eq!(
            q("SEND").all_words,
            format!("((caps:\"SEND\"^3 OR (expansions_terms:\"send\") OR ({})))", term("send"))
        );
        assert_eq!(q("self-harm").all_words, format!("((({}) OR ({})))", term("self harm"), term("selfharm")));
        let fuzzy = q("pharmcy~1");
        assert_eq!(fuzzy.all_words, format!("(({}))", term("pharmci")));
        assert!(fuzzy.notes[0].contains("fuzzy"));
        let synonyms = [term("work programm"), term("forward plan"), term("work plan")];
        assert_eq!(
            q("work programme").all_words,
            format!("((({}) OR ({}) OR ({})))", synonyms[0], synonyms[1], synonyms[2])
        );
    }

    #[test]
    fn filters_and_dates_become_clauses_and_timestamps() {
        let opts = SearchOptions {
            query: "type:minutes carers".into(),
            council: Some("Somerset".into()),
            committee: Some("Health & Wellbeing Board".into()),
            item_types: vec![ItemType::Report, ItemType::Appendix],
            from: NaiveDate::from_ymd_opt(2016, 1, 1),
            to: NaiveDate::from_ymd_opt(2018, 12, 31),
            page: Some(5),
            agenda_item: Some("5a".into()),
            ..SearchOptions::default()
        };
        let c = translate(&opts).unwrap();
        for part in [
            r#"(council_key:"somerset" OR council_key:somerset\ *)"#,
            r#"(committee_key:"health and wellbeing board")"#,
            r#"(item_type: IN ["report" "appendix"])"#,
            r#"(agenda_item:"5a")"#,
            "(page_start:<=5 AND page_end:>=5)",
            r#"(item_type:"minutes")"#,
        ] {
            assert!(c.all_words.contains(part), "{part} in {}", c.all_words);
        }
        assert_eq!(c.start_timestamp, Some(1_451_606_400));
        assert_eq!(c.end_timestamp, Some(1_546_300_800));
        let listing =
            translate(&SearchOptions { item_types: vec![ItemType::Minutes], ..SearchOptions::default() }).unwrap();
        assert_eq!(listing.all_words, r#"(item_type: IN ["minutes"])"#);
        assert!(!listing.scored);
        assert!(translate(&SearchOptions { query: "?!?".into(), ..SearchOptions::default() }).is_err());
        assert_eq!(q("-overseas").all_words, format!("(* AND NOT ({}))", NURS.replace("nurs", "oversea")));
    }
}
