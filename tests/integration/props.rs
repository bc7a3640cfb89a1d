//! Property tests: the segmenter, the date parser and the query parser never
//! panic, whatever the input. 256 cases each by default (`PROPTEST_CASES`
//! changes it).

use std::sync::OnceLock;

use council_search::extract::Text;
use council_search::paper;
use council_search::search::{query, SearchOptions, Searcher};
use proptest::prelude::*;

fn config() -> ProptestConfig {
    ProptestConfig { failure_persistence: None, ..ProptestConfig::default() }
}

/// Pieces of council papers that steer the segmenter's rules.
const FRAGMENTS: &[&str] = &[
    "**",
    "Agenda",
    "AGENDA",
    "Agenda Item 5",
    "Item 7.1",
    "5a.",
    "Minutes of a meeting of the Cabinet held on 16 January 2020",
    "Minutes of the previous meeting",
    "Present:",
    "Apologies for absence",
    "Report of the Director of Adult Social Care",
    "Appendix A",
    "Appendix 2 -",
    "Work Programme",
    "Guidance notes",
    "Page 3",
    "Page",
    "- 12 -",
    "\t",
    "    ",
    "",
    "#",
    "## 4. Budget",
    "|---|---|",
    "Somerset County Council",
    "Health and Wellbeing Board",
    "16 January 2020",
    "Monday, 3rd February 2020",
    "2020-01-16",
    "31/02/2019",
    "Date: 10.00 am",
    "FP/17/09/14",
    "\u{202E}",
    "\u{feff}",
    "\r",
];

fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => proptest::sample::select(FRAGMENTS).prop_map(str::to_string),
        1 => "\\PC{0,30}",
        1 => any::<String>(),
        1 => (proptest::sample::select(FRAGMENTS), proptest::sample::select(FRAGMENTS), "[ \t:*#.-]{0,3}")
            .prop_map(|(a, b, sep)| format!("{a}{sep}{b}")),
    ]
}

fn line_soup() -> impl Strategy<Value = String> {
    prop::collection::vec(fragment(), 0..80).prop_map(|lines| lines.join("\n"))
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn segmenter_never_panics_on_line_soup(s in line_soup()) {
        let text = Text::from_lines_of(&s);
        let items = paper::items(&text, std::path::Path::new("papers/x.txt"));
        for item in &items {
            prop_assert!(item.line_start >= 1 && item.line_start <= item.line_end.max(item.line_start));
            let _ = paper::item_body(&text.lines, item);
        }
        let _ = paper::segment(&text);
    }

    #[test]
    fn segmenter_never_panics_on_arbitrary_text(s in any::<String>()) {
        let text = Text::from_lines_of(&s);
        let _ = paper::items(&text, std::path::Path::new("papers/x.txt"));
    }

    #[test]
    fn segmenter_never_panics_on_arbitrary_bytes(b in prop::collection::vec(any::<u8>(), 0..2000)) {
        let _ = paper::items(&Text::from_bytes(&b), std::path::Path::new("papers/x.txt"));
    }

    #[test]
    fn dates_never_panic(s in prop_oneof![any::<String>(), "[0-9]{1,4}[ /.-][0-9A-Za-z]{1,9}[ /.,-]{0,2}[0-9]{0,5}", line_soup()]) {
        let _ = paper::parse_date(&s);
    }

    #[test]
    fn query_preparation_never_panics(s in prop_oneof![any::<String>(), "[\"'()+\\-:*~^ a-zA-Z_/0-9\u{201C}\u{201D}\u{2013}]{0,40}"]) {
        let _ = query::parse(&s);
    }

    #[test]
    fn searching_never_panics(s in prop_oneof![any::<String>(), "[\"'()+\\-:*~^ a-z_/0-9]{0,30}", "(title|body|type|item|council|id|nope):[a-z\"*-]{0,8}( (OR|AND|-)? ?[a-z]{0,6}){0,3}"]) {
        // A mistake in the query may be refused; nothing may fail inside.
        if let Err(e) = searcher().search(&SearchOptions { query: s, limit: 3, ..SearchOptions::default() }) {
            prop_assert!(e.is_user_error(), "internal error: {e}");
        }
    }
}

/// A searcher over a tiny index of one seed pack, built once.
fn searcher() -> &'static Searcher {
    static S: OnceLock<(tempfile::TempDir, Searcher)> = OnceLock::new();
    &S.get_or_init(|| {
        let tmp = tempfile::tempdir().unwrap();
        let idx = tmp.path().join("idx");
        council_search::indexer::index_paths(
            &idx,
            &[crate::util::seed("001")],
            &council_search::indexer::IndexOptions::default(),
            &mut |_| {},
        )
        .unwrap();
        let s = Searcher::open(&idx).unwrap();
        (tmp, s)
    })
    .1
}
