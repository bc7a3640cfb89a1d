//! Search quality on real sentences from the seed packs: spelling variants,
//! compounds, acronyms both ways, synonyms, decisions, attendance, duplicates,
//! boilerplate ranking, prefix and fuzzy highlights, facets and timelines.

use council_search::paper::ItemType;
use council_search::search::{Hit, SearchOptions, SearchResults, Searcher};

use crate::util::sample_index;

fn searcher() -> Searcher {
    Searcher::open(sample_index()).expect("open sample index")
}

fn search(q: &str) -> SearchResults {
    searcher().search(&SearchOptions { query: q.into(), limit: 20, ..SearchOptions::default() }).expect("search")
}

fn file(h: &Hit) -> &str {
    &h.item.path[h.item.path.len() - 24..h.item.path.len() - 21]
}

fn highlighted(h: &Hit) -> Vec<String> {
    h.snippets.iter().flat_map(|s| s.highlights.iter().map(move |r| s.text[r.clone()].to_lowercase())).collect()
}

#[test]
fn american_spelling_finds_british_text() {
    // 001 minute 297: "Immunisation rates were good overall".
    let r = search("immunization rates");
    let top = &r.hits[0];
    assert_eq!((file(top), top.item.meta.item_type.as_str()), ("001", "minutes"), "{top:?}");
    assert!(highlighted(top).iter().any(|w| w.starts_with("immunisation")), "{:?}", highlighted(top));
}

#[test]
fn hyphen_and_space_variants_find_each_other() {
    // Our Plan (000 appendix) writes "self-harm"; queries may not.
    for q in ["self harm", "self-harm", "selfharm"] {
        let r = search(q);
        assert!(
            r.hits.iter().take(3).any(|h| file(h) == "000" && h.item.meta.item_type.as_str() == "appendix"),
            "{q}: {:?}",
            r.hits
        );
    }
    // Worcestershire writes "Well-being"; "wellbeing" finds it.
    let r = searcher()
        .search(&SearchOptions {
            query: "wellbeing".into(),
            council: Some("Worcestershire County Council".into()),
            ..SearchOptions::default()
        })
        .unwrap();
    assert!(!r.hits.is_empty());
}

#[test]
fn acronyms_find_long_forms_and_back() {
    // 000 minute 416 defines "Special Educational Needs and Disability (SEND)".
    let r = search("SEND");
    let top = &r.hits[0];
    assert!(top.snippets.iter().any(|s| s.text.contains("SEND")), "{top:?}");
    assert!(top.expansions.iter().any(|e| e.acronym == "SEND" && e.long.starts_with("Special Educational Needs")));
    // The capitalised acronym is not drowned by the verb "send".
    assert!(r.hits.iter().take(3).all(|h| h.snippets.iter().any(|s| s.text.contains("SEND"))), "{:?}", r.hits);

    // The long form finds an item that only writes the acronym: the STP workforce
    // report (000 item 8) never spells out Sustainability and Transformation Plan.
    let r = search("Sustainability and Transformation Plan workforce");
    let hit = r
        .hits
        .iter()
        .find(|h| {
            file(h) == "000"
                && h.item.meta.item_type.as_str() == "report"
                && h.item.meta.agenda_item.as_deref() == Some("8")
        })
        .expect("the STP workforce report");
    assert!(hit.rank <= 3, "rank {}", hit.rank);
}

#[test]
fn synonyms_work_programme_is_forward_plan() {
    // 001 item 10 is a "Forward Plan" on the agenda and a "Work Programme" in the pack.
    let r = search("forward plan");
    assert!(
        r.hits.iter().take(5).any(|h| h.item.meta.item_type.as_str() == "work_programme" && file(h) == "000"),
        "{:?}",
        r.hits
    );
}

#[test]
fn decisions_are_records_with_their_meeting_date() {
    let s = searcher();
    let r = s
        .search(&SearchOptions {
            query: "transformation plan".into(),
            item_types: vec![ItemType::Decision],
            council: Some("Worcestershire".into()),
            ..SearchOptions::default()
        })
        .unwrap();
    // 004 minute 397: "RESOLVED that the Health and Well-being Board: a) Noted the progress
    // on the development of the ... Sustainability and Transformation Plan (STP)".
    let d = &r.hits[0];
    assert_eq!(d.item.meta.item_type.as_str(), "decision");
    assert_eq!(d.item.meta.meeting_date.map(|d| d.to_string()).as_deref(), Some("2016-11-01"));
    assert!(d.item.meta.title.starts_with("Decision: RESOLVED"), "{}", d.item.meta.title);
    assert!(d.snippet.text.contains("Transformation Plan"), "{}", d.snippet.text);
    let parent = d.item.parent_id.as_deref().expect("linked to its minutes");
    let minutes = s.show(parent, None).unwrap();
    assert_eq!(minutes.item.meta.item_type.as_str(), "minutes");
    assert!(minutes.item.line_start <= d.item.line_start && d.item.line_end <= minutes.item.line_end);
}

#[test]
fn attendee_finds_meetings_and_says_how_they_were_recorded() {
    let s = searcher();
    let by = |name: &str| {
        s.search(&SearchOptions { attendee: Some(name.into()), limit: 50, ..SearchOptions::default() }).unwrap().hits
    };
    // 000 minutes: "Apologies for absence: ... Mel Lock, ...".
    let mel = by("Mel Lock");
    assert_eq!(mel.len(), 1, "{mel:?}");
    assert_eq!(mel[0].item.meta.meeting_date.map(|d| d.to_string()).as_deref(), Some("2019-11-14"));
    assert_eq!(mel[0].attendance.as_deref(), Some(&["apologies".to_string()][..]));
    // Cllr C Lawrence chaired both Somerset HWB meetings.
    let chair = by("C Lawrence");
    let dates: Vec<String> = chair.iter().filter_map(|h| h.item.meta.meeting_date.map(|d| d.to_string())).collect();
    assert!(dates.iter().any(|d| d == "2019-11-14") && dates.iter().any(|d| d == "2017-11-23"), "{dates:?}");
    assert!(chair.iter().all(|h| h.attendance.as_deref() == Some(&["present".to_string()][..])));
}

#[test]
fn the_same_report_published_twice_is_one_hit() {
    // 003 is the 'Our Plan' cover report also printed in the 000 pack.
    let r = search("Our Plan endorses");
    let ours: Vec<&Hit> = r
        .hits
        .iter()
        .filter(|h| h.item.meta.item_type.as_str() == "report" && h.item.meta.title.contains("Our Plan"))
        .collect();
    assert_eq!(ours.len(), 1, "{:?}", r.hits.iter().map(|h| (&h.item.path, h.item.line_start)).collect::<Vec<_>>());
    assert_eq!(ours[0].also_in.len(), 1);
    // With a date filter, the dated copy (000) is the one shown.
    let dated = searcher()
        .search(&SearchOptions {
            query: "Our Plan endorses".into(),
            from: "2020-01-01".parse().ok(),
            ..SearchOptions::default()
        })
        .unwrap();
    let h = dated.hits.iter().find(|h| h.item.meta.item_type.as_str() == "report").unwrap();
    assert_eq!(file(h), "000");
    assert!(h.also_in.iter().any(|p| p.path.ends_with("003_595710f39ac7a03d.txt")));
}

#[test]
fn procedural_items_rank_below_substantive_ones_unless_asked_for() {
    let r = search("meeting");
    assert!(r.hits.iter().take(5).all(|h| h.item.meta.item_type.as_str() != "guidance_notes"), "{:?}", r.hits);
    let asked = search("guidance meeting");
    assert!(asked.hits.iter().take(3).any(|h| h.item.meta.item_type.as_str() == "guidance_notes"));
}

#[test]
fn titles_count_more_than_body_words() {
    let r = search("Better Care Fund");
    assert!(r.hits[0].item.meta.title.to_lowercase().contains("better care fund"), "{:?}", r.hits[0]);
}

#[test]
fn prefix_fuzzy_and_slop_queries_highlight_their_matches() {
    let r = search("safeguard*");
    assert!(highlighted(&r.hits[0]).iter().all(|w| w.starts_with("safeguard")));
    assert!(!highlighted(&r.hits[0]).is_empty());
    // A garbled word still finds the pharmacy report (001 item 6: "Lloyds pharmacy in Cheddar").
    let r = search("Cheddar pharmcy~1");
    assert_eq!(file(&r.hits[0]), "001");
    assert!(highlighted(&r.hits[0]).iter().any(|w| w == "pharmacy"), "{:?}", highlighted(&r.hits[0]));
    let r = search("\"Lloyds Cheddar\"~3");
    assert_eq!(file(&r.hits[0]), "001");
}

#[test]
fn up_to_three_snippets_best_first() {
    let r = search("carers");
    let h = &r.hits[0];
    assert!(h.snippets.len() > 1 && h.snippets.len() <= 3);
    assert_eq!(h.snippets[0], h.snippet);
    let lines: Vec<usize> = h.snippets.iter().map(|s| s.line).collect();
    let mut dedup = lines.clone();
    dedup.dedup();
    assert_eq!(lines.len(), dedup.len());
}

#[test]
fn facets_and_timeline_count_the_matches() {
    // Each bucket counts what filtering on it would find: the search's total
    // with that filter added (the same text published twice once).
    let s = searcher();
    let opts = SearchOptions { query: "carers".into(), facets: true, ..SearchOptions::default() };
    let r = s.search(&opts).unwrap();
    let f = r.facets.expect("facets");
    assert!(f.item_type.len() > 1 && f.year.len() > 1, "{f:?}");
    for (t, n) in &f.item_type {
        let t = council_search::paper::ItemType::parse(t).unwrap();
        let filtered = s.search(&SearchOptions { item_types: vec![t], limit: 0, ..opts.clone() }).unwrap();
        assert_eq!(filtered.total as u64, *n, "type {t}");
    }
    let t = s.timeline(&opts, false).unwrap();
    assert_eq!(t.total, r.total);
    assert_eq!(
        t.buckets.iter().map(|(y, _)| y.as_str()).collect::<Vec<_>>(),
        f.year.iter().map(|(y, _)| y.as_str()).collect::<Vec<_>>()
    );
    for (year, n) in &t.buckets {
        let from = council_search::search::parse_date_bound(year, false);
        let to = council_search::search::parse_date_bound(year, true);
        let filtered = s.search(&SearchOptions { from, to, limit: 0, ..opts.clone() }).unwrap();
        assert_eq!(filtered.total as u64, *n, "year {year}");
    }
    let monthly = s.timeline(&opts, true).unwrap();
    let months: u64 = monthly.buckets.iter().map(|(_, n)| n).sum();
    let years: u64 = t.buckets.iter().map(|(_, n)| n).sum();
    assert!(months >= years && monthly.undated == t.undated, "{monthly:?}");
}

#[test]
fn similar_items_exclude_the_item_and_its_copies() {
    let s = searcher();
    let r = search("Pharmaceutical Needs Assessment");
    let id = &r.hits[0].item.id;
    let sim = s.similar(id, 5).unwrap();
    assert!(!sim.hits.is_empty());
    assert!(sim.hits.iter().all(|h| &h.item.id != id));
}
