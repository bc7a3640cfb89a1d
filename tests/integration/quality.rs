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
    &h.path[h.path.len() - 24..h.path.len() - 21]
}

fn highlighted(h: &Hit) -> Vec<String> {
    h.snippets.iter().flat_map(|s| s.highlights.iter().map(move |r| s.text[r.clone()].to_lowercase())).collect()
}

#[test]
fn american_spelling_finds_british_text() {
    // 001 minute 297: "Immunisation rates were good overall".
    let r = search("immunization rates");
    let top = &r.hits[0];
    assert_eq!((file(top), top.item_type.as_str()), ("001", "minutes"), "{top:?}");
    assert!(highlighted(top).iter().any(|w| w.starts_with("immunisation")), "{:?}", highlighted(top));
}

#[test]
fn hyphen_and_space_variants_find_each_other() {
    // Our Plan (000 appendix) writes "self-harm"; queries may not.
    for q in ["self harm", "self-harm", "selfharm"] {
        let r = search(q);
        assert!(r.hits.iter().take(3).any(|h| file(h) == "000" && h.item_type == "appendix"), "{q}: {:?}", r.hits);
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
        .find(|h| file(h) == "000" && h.item_type == "report" && h.agenda_item.as_deref() == Some("8"))
        .expect("the STP workforce report");
    assert!(hit.rank <= 3, "rank {}", hit.rank);
}

#[test]
fn synonyms_work_programme_is_forward_plan() {
    // 001 item 10 is a "Forward Plan" on the agenda and a "Work Programme" in the pack.
    let r = search("forward plan");
    assert!(r.hits.iter().take(5).any(|h| h.item_type == "work_programme" && file(h) == "000"), "{:?}", r.hits);
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
    assert_eq!(d.item_type, "decision");
    assert_eq!(d.meeting_date.as_deref(), Some("2016-11-01"));
    assert!(d.title.starts_with("Decision: RESOLVED"), "{}", d.title);
    assert!(d.snippet.text.contains("Transformation Plan"), "{}", d.snippet.text);
    let parent = d.parent_id.as_deref().expect("linked to its minutes");
    let minutes = s.show(parent, None).unwrap();
    assert_eq!(minutes.item.item_type, "minutes");
    assert!(minutes.item.line_start <= d.line_start && d.line_end <= minutes.item.line_end);
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
    assert_eq!(mel[0].meeting_date.as_deref(), Some("2019-11-14"));
    assert_eq!(mel[0].attendance.as_deref(), Some(&["apologies".to_string()][..]));
    // Cllr C Lawrence chaired both Somerset HWB meetings.
    let chair = by("C Lawrence");
    let dates: Vec<&str> = chair.iter().filter_map(|h| h.meeting_date.as_deref()).collect();
    assert!(dates.contains(&"2019-11-14") && dates.contains(&"2017-11-23"), "{dates:?}");
    assert!(chair.iter().all(|h| h.attendance.as_deref() == Some(&["present".to_string()][..])));
}

#[test]
fn the_same_report_published_twice_is_one_hit() {
    // 003 is the 'Our Plan' cover report also printed in the 000 pack.
    let r = search("Our Plan endorses");
    let ours: Vec<&Hit> = r.hits.iter().filter(|h| h.item_type == "report" && h.title.contains("Our Plan")).collect();
    assert_eq!(ours.len(), 1, "{:?}", r.hits.iter().map(|h| (&h.path, h.line_start)).collect::<Vec<_>>());
    assert_eq!(ours[0].also_in.len(), 1);
    // With a date filter, the dated copy (000) is the one shown.
    let dated = searcher()
        .search(&SearchOptions {
            query: "Our Plan endorses".into(),
            from: "2020-01-01".parse().ok(),
            ..SearchOptions::default()
        })
        .unwrap();
    let h = dated.hits.iter().find(|h| h.item_type == "report").unwrap();
    assert_eq!(file(h), "000");
    assert!(h.also_in.iter().any(|p| p.path.ends_with("003_595710f39ac7a03d.txt")));
}

#[test]
fn procedural_items_rank_below_substantive_ones_unless_asked_for() {
    let r = search("meeting");
    assert!(r.hits.iter().take(5).all(|h| h.item_type != "guidance_notes"), "{:?}", r.hits);
    let asked = search("guidance meeting");
    assert!(asked.hits.iter().take(3).any(|h| h.item_type == "guidance_notes"));
}

#[test]
fn titles_count_more_than_body_words() {
    let r = search("Better Care Fund");
    assert!(r.hits[0].title.to_lowercase().contains("better care fund"), "{:?}", r.hits[0]);
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
    let s = searcher();
    let opts = SearchOptions { query: "carers".into(), facets: true, ..SearchOptions::default() };
    let r = s.search(&opts).unwrap();
    let f = r.facets.expect("facets");
    let by_type: u64 = f.item_type.iter().map(|(_, n)| n).sum();
    assert_eq!(by_type as usize, r.total);
    let t = s.timeline(&opts, false).unwrap();
    let dated: u64 = t.buckets.iter().map(|(_, n)| n).sum();
    assert_eq!(dated + t.undated, t.total as u64);
    assert_eq!(
        t.buckets.iter().map(|(y, _)| y.as_str()).collect::<Vec<_>>(),
        f.year.iter().map(|(y, _)| y.as_str()).collect::<Vec<_>>()
    );
}

#[test]
fn similar_items_exclude_the_item_and_its_copies() {
    let s = searcher();
    let r = search("Pharmaceutical Needs Assessment");
    let id = &r.hits[0].id;
    let sim = s.similar(id, 5).unwrap();
    assert!(!sim.hits.is_empty());
    assert!(sim.hits.iter().all(|h| &h.id != id));
}
