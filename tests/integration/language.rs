//! The query language and the answers a script relies on, on the seed packs,
//! in the debug build `cargo test` uses (tantivy's debug assertions on):
//! each operator's meaning, excluded phrases and references, scores in rank
//! order, totals that paging reaches exactly, keyword fields as filters.

use std::collections::BTreeSet;

use council_search::analysis;
use council_search::paper::ItemType;
use council_search::record::StoredItem;
use council_search::search::{Hit, SearchOptions, SearchResults, Searcher, Sort, Tier};
use tantivy::tokenizer::TokenStream;

use crate::util::sample_index;

fn searcher() -> Searcher {
    Searcher::open(sample_index()).expect("open sample index")
}

fn run(opts: SearchOptions) -> SearchResults {
    searcher().search(&opts).unwrap_or_else(|e| panic!("{:?}: {e}", opts.query))
}

fn query(q: &str) -> SearchOptions {
    SearchOptions { query: q.into(), ..SearchOptions::default() }
}

/// Every hit of a search, paged through `page` at a time; checks the total on the way.
fn all_hits(opts: SearchOptions, page: usize) -> Vec<Hit> {
    let mut out = Vec::new();
    let total = run(SearchOptions { limit: 0, ..opts.clone() }).total;
    loop {
        let r = run(SearchOptions { limit: page, offset: out.len(), ..opts.clone() });
        assert_eq!(r.total, total, "{:?}: the total moved while paging", opts.query);
        let n = r.hits.len();
        for (i, h) in r.hits.iter().enumerate() {
            assert_eq!(h.rank, out.len() + i + 1, "{:?}", opts.query);
        }
        out.extend(r.hits);
        if n < page {
            break;
        }
    }
    out
}

/// The places (path, first line) of hits.
fn places(hits: &[Hit]) -> BTreeSet<(String, usize)> {
    hits.iter().map(|h| (h.item.path.clone(), h.item.line_start)).collect()
}

/// The analysed terms of a text, in order of position.
fn terms(text: &str) -> Vec<(usize, String)> {
    let mut a = analysis::text_analyzer();
    let mut stream = a.token_stream(text);
    let mut out = Vec::new();
    while stream.advance() {
        let t = stream.token();
        out.push((t.position, t.text.clone()));
    }
    out
}

/// True when the analysed `words` occur one after another in `text`.
fn has_phrase(text: &str, words: &[&str]) -> bool {
    let t = terms(text);
    let at = |pos: usize, w: &str| t.iter().any(|(p, term)| *p == pos && term == w);
    t.iter().any(|(p, term)| term == words[0] && words.iter().enumerate().skip(1).all(|(k, w)| at(p + k, w)))
}

/// Every stored item, with its text.
fn exported() -> Vec<StoredItem> {
    let mut items = Vec::new();
    searcher()
        .export(&mut |item| {
            items.push(item);
            Ok(())
        })
        .unwrap();
    items
}

/// How many items `keep` selects, the same text published twice once.
fn count_distinct(items: &[StoredItem], keep: impl Fn(&StoredItem) -> bool) -> usize {
    let mut hashes = BTreeSet::new();
    items.iter().filter(|i| keep(i)).filter(|i| i.content_hash.is_none_or(|h| hashes.insert(h))).count()
}

#[test]
fn excluded_phrases_and_references_answer_with_the_totals_of_a_count() {
    let items = exported();
    let text =
        |i: &StoredItem| format!("{}\n{}\n{}", i.meta.title, i.meta.agenda_title.as_deref().unwrap_or(""), i.body());
    let has = |i: &StoredItem, w: &str| terms(&text(i)).iter().any(|(_, t)| t == w);
    let dementia = |i: &StoredItem| has(i, "dementia");
    let want = count_distinct(&items, |i| dementia(i) && !has_phrase(&text(i), &["care", "home"]));
    let r = run(query("dementia -\"care home\""));
    assert_eq!(r.total, want);
    assert!(want > 0 && want < count_distinct(&items, dementia), "the exclusion excludes something");
    for h in &r.hits {
        let item = searcher().show(&h.item.id, None).unwrap().item;
        assert!(!has_phrase(&text(&item), &["care", "home"]), "{}", item.meta.title);
    }
    // An excluded reference, and `NOT` before a phrase, in the same build.
    let r = run(query("dementia -7/0"));
    assert_eq!(r.total, count_distinct(&items, |i| dementia(i) && !has_phrase(&text(i), &["7", "0"])));
    assert_eq!(run(query("dementia NOT \"care home\"")).total, want);
}

#[test]
fn each_operator_means_what_it_says() {
    let ids = |q: &str| places(&all_hits(query(q), 50));
    let (both, either) = (ids("carers AND support"), ids("carers support"));
    assert!(!both.is_empty() && both.is_subset(&either) && both.len() < either.len());
    assert_eq!(ids("+carers +support"), both);
    // A required word beside a plain one: the plain one only ranks.
    assert_eq!(ids("+carers support"), ids("carers"));
    let plus = all_hits(query("+carers support"), 50);
    let first_some = plus.iter().position(|h| h.tier == Some(Tier::SomeWords)).unwrap();
    assert_eq!(places(&plus[..first_some]), both);
    assert_eq!(ids("carers OR support"), either);
    let carers = ids("carers");
    assert!(carers.is_subset(&either) && ids("support").is_subset(&either));
    let without = ids("carers NOT support");
    assert_eq!(without, &carers - &both);
    assert_eq!(ids("carers -support"), without);
    // Parentheses group: either word, then the third required.
    let grouped = ids("(carers OR dementia) AND funding");
    assert!(!grouped.is_empty());
    assert!(grouped.is_subset(&(&ids("carers funding") | &ids("dementia funding"))));
    assert!(grouped.is_subset(&ids("funding")));
    // Sorted by date, each hit still says whether it has every word.
    for h in all_hits(SearchOptions { sort: Sort::Date, ..query("carers support") }, 20) {
        let has_both = both.contains(&(h.item.path.clone(), h.item.line_start));
        assert_eq!(h.tier, Some(if has_both { Tier::AllWords } else { Tier::SomeWords }), "{}", h.item.meta.title);
    }
    // `--all` keeps the all-words tier alone.
    let strict = places(&all_hits(SearchOptions { all_words: true, ..query("carers support") }, 50));
    assert_eq!(strict, both);
}

#[test]
fn a_keyword_field_is_a_filter_not_an_alternative() {
    let r = all_hits(query("type:minutes carers"), 50);
    assert!(!r.is_empty() && r.iter().all(|h| h.item.meta.item_type == ItemType::Minutes));
    let flag = all_hits(SearchOptions { item_types: vec![ItemType::Minutes], ..query("carers") }, 50);
    assert_eq!(places(&r), places(&flag));
    let not_minutes = all_hits(query("-type:minutes carers"), 50);
    assert!(not_minutes.iter().all(|h| h.item.meta.item_type != ItemType::Minutes));
    assert_eq!(not_minutes.len() + r.len(), run(query("carers")).total);
    // A committee named with spaces, in quotes.
    let c = all_hits(query("committee:\"health and wellbeing board\" carers"), 50);
    let wellbeing =
        |h: &Hit| h.item.meta.committee.as_deref().unwrap_or("").to_lowercase().replace('-', "").contains("wellbeing");
    assert!(!c.is_empty() && c.iter().all(wellbeing));
}

#[test]
fn scores_follow_the_rank_order_within_each_tier() {
    for q in ["carers support funding", "mental health dementia", "\"better care fund\" OR carers", "nurses overseas"] {
        let hits = all_hits(query(q), 25);
        assert!(hits.len() > 5, "{q}");
        for w in hits.windows(2) {
            let (a, b) = (&w[0], &w[1]);
            assert!(a.tier <= b.tier, "{q}: tier {:?} after {:?}", b.tier, a.tier);
            if a.tier == b.tier {
                assert!(a.score >= b.score, "{q}: rank {} scores {} after {}", b.rank, b.score, a.score);
            }
        }
        assert!(hits.iter().all(|h| h.tier.is_some()));
    }
    // Both tiers show up for words that are not always together.
    let hits = all_hits(query("carers support"), 25);
    assert!(
        hits.iter().any(|h| h.tier == Some(Tier::AllWords)) && hits.iter().any(|h| h.tier == Some(Tier::SomeWords))
    );
}

#[test]
fn paging_reaches_exactly_the_total() {
    let filtered = SearchOptions { item_types: vec![ItemType::Report], ..SearchOptions::default() };
    let by_date = SearchOptions { sort: Sort::Date, ..query("carers support") };
    for opts in [query("carers"), query("carers support"), query("health OR care"), filtered, by_date] {
        let total = run(SearchOptions { limit: 0, ..opts.clone() }).total;
        for page in [1, 7, 1000] {
            let hits = all_hits(opts.clone(), page);
            assert_eq!(hits.len(), total, "{:?} by {page}", opts.query);
            assert_eq!(places(&hits).len(), total, "{:?}: a hit twice", opts.query);
            let hashes: Vec<_> = hits.iter().filter_map(|h| h.item.content_hash).collect();
            assert_eq!(hashes.iter().collect::<BTreeSet<_>>().len(), hashes.len(), "a text twice");
        }
        // Past the end: nothing, and the same total.
        let past = run(SearchOptions { offset: total, ..opts.clone() });
        assert!(past.hits.is_empty() && past.total == total);
    }
}

#[test]
fn counting_without_hits_and_queries_with_nothing_to_search() {
    let r = run(SearchOptions { limit: 0, ..query("carers") });
    assert!(r.hits.is_empty() && r.total > 0);
    for q in ["?!?", "\"", "-", "the", "()", "\"\"~2"] {
        let e = searcher().search(&query(q)).err().unwrap_or_else(|| panic!("{q:?} was answered"));
        assert!(e.is_user_error(), "{q:?}: {e}");
    }
    // A filter alone lists items; so does an exclusion alone.
    assert!(run(SearchOptions { item_types: vec![ItemType::Minutes], ..query("the") }).total > 0);
    assert!(run(query("-carers")).total > run(query("carers")).total);
}
