//! The real binary on the sample corpus: index into a temporary folder, search,
//! decode the JSON lines into typed structs, assert paths, order and metadata.

use std::path::Path;
use std::sync::OnceLock;

use crate::util::{cmd, corpus, parse_lines, run};

/// An index of corpus-sample built by the binary, once.
fn cli_index() -> &'static str {
    static DIR: OnceLock<(tempfile::TempDir, String)> = OnceLock::new();
    let (_, path) = DIR.get_or_init(|| {
        let tmp = tempfile::tempdir().unwrap();
        let idx = tmp.path().join("idx").display().to_string();
        let out = run(&["index", corpus().to_str().unwrap(), "--index", &idx]);
        assert!(out.status.success(), "index failed: {}", String::from_utf8_lossy(&out.stderr));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("6 added"), "summary: {stderr}");
        (tmp, idx)
    });
    path
}

fn search(args: &[&str]) -> (std::process::Output, Vec<crate::util::Hit>) {
    let mut all = vec!["search", "--index", cli_index(), "--format", "json", "--color", "never"];
    all.extend_from_slice(args);
    let out = run(&all);
    let (hits, (_, returned, _)) = parse_lines(&out.stdout);
    assert_eq!(returned, hits.len());
    (out, hits)
}

fn file_of(path: &str) -> &str {
    Path::new(path).file_name().unwrap().to_str().unwrap()
}

#[test]
fn topic_search_finds_the_workforce_report_first() {
    let (out, hits) = search(&["nurses recruited from overseas"]);
    assert_eq!(out.status.code(), Some(0));
    let top = &hits[0];
    assert!(file_of(&top.path).starts_with("000_"), "{top:?}");
    assert_eq!(top.item_type, "report");
    assert_eq!(top.meeting_date.as_deref(), Some("2020-01-16"));
    assert!(top.line_start >= 1295 && top.line_end <= 1447, "{}-{}", top.line_start, top.line_end);
    assert!((top.line_start..=top.line_end).contains(&top.snippet.line));
    assert_eq!(top.council.as_deref(), Some("Somerset County Council"));
    // Highlights are byte ranges on character boundaries, over matched words.
    assert!(!top.snippet.highlights.is_empty());
    for [s, e] in &top.snippet.highlights {
        let word = top.snippet.text.get(*s..*e).expect("highlight inside the text").to_lowercase();
        assert!(["nurs", "recruit", "oversea"].iter().any(|w| word.starts_with(w)), "{word}");
    }
}

#[test]
fn filters_alone_list_minutes_newest_first_dated_by_the_meeting_they_record() {
    let (out, hits) = search(&["--type", "minutes", "--from", "2017-10-01", "--to", "2017-12-31"]);
    assert_eq!(out.status.code(), Some(0));
    let got: Vec<(&str, &str)> =
        hits.iter().map(|h| (&file_of(&h.path)[..3], h.meeting_date.as_deref().unwrap())).collect();
    assert_eq!(got, vec![("001", "2017-11-23"), ("002", "2017-10-20")]);
    assert!(hits.iter().all(|h| h.item_type == "minutes"));
}

#[test]
fn committee_filter_is_forgiving() {
    let (_, a) = search(&[
        "--committee",
        "the health & well-being board",
        "--council",
        "worcestershire county council",
        "-n",
        "100",
    ]);
    assert!(!a.is_empty());
    assert!(a.iter().all(|h| file_of(&h.path).starts_with("004_")));
    let (_, b) = search(&[
        "--committee",
        "Health and Well-Being Board",
        "--council",
        "Worcestershire County Council",
        "-n",
        "100",
    ]);
    assert_eq!(a.len(), b.len());
}

#[test]
fn agenda_entries_are_found_by_item_number_and_never_by_page() {
    let (_, hits) = search(&["--item", "7", "--type", "agenda", "--from", "2018-01-18", "--to", "2018-01-18"]);
    assert_eq!(hits.len(), 1, "{hits:?}");
    assert!(hits[0].title.contains("Health and Care Integration"), "{}", hits[0].title);
    let (_, paged) = search(&["--page", "37", "--type", "agenda"]);
    assert!(paged.is_empty());
}

#[test]
fn a_council_reference_matches_whole() {
    let (_, hits) = search(&["FP/17/09/14"]);
    assert!(!hits.is_empty());
    assert!(hits[0].snippet.text.contains("FP/17/09/14"), "{}", hits[0].snippet.text);
    let (out, none) = search(&["FP/17/09/99"]);
    assert!(none.is_empty());
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn same_query_same_order() {
    let (_, a) = search(&["health", "-n", "30"]);
    let (_, b) = search(&["health", "-n", "30"]);
    let ids = |h: &[crate::util::Hit]| h.iter().map(|h| h.id.clone()).collect::<Vec<_>>();
    assert_eq!(ids(&a), ids(&b));
    assert_eq!(a.len(), 30);
    let (_, page2) = search(&["health", "-n", "10", "--offset", "10"]);
    assert_eq!(ids(&page2), ids(&a)[10..20].to_vec());
}

#[test]
fn no_hits_exit_one_and_errors_exit_two() {
    let (out, hits) = search(&["zzqxjv"]);
    assert!(hits.is_empty());
    assert_eq!(out.status.code(), Some(1));

    let missing = run(&["search", "x", "--index", "/nonexistent/council-idx"]);
    assert_eq!(missing.status.code(), Some(2));
    let err = String::from_utf8_lossy(&missing.stderr);
    assert!(err.contains("/nonexistent/council-idx"), "{err}");
    assert_eq!(err.trim().lines().count(), 1, "{err}");

    let bad_date = run(&["search", "x", "--index", cli_index(), "--from", "2017-13-01"]);
    assert_eq!(bad_date.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad_date.stderr).contains("--from"));
    let bad_type = run(&["search", "x", "--index", cli_index(), "--type", "memo"]);
    assert_eq!(bad_type.status.code(), Some(2));
}

#[test]
fn malformed_queries_run_what_they_can_and_say_what_was_ignored() {
    for q in ["\"better care fund", "nosuchfield:carers", "(carers", "-carers", "“Better Care Fund”", "carers AND"]
    {
        let (out, _) = search(&[q]);
        assert!(matches!(out.status.code(), Some(0 | 1)), "{q}: {}", String::from_utf8_lossy(&out.stderr));
    }
    // Nothing left to search for, and no filter: an error, never every item.
    for q in ["-", "?!?", "\"", "the"] {
        let out = run(&["search", q, "--index", cli_index(), "--format", "json"]);
        assert_eq!(out.status.code(), Some(2), "{q}");
        assert!(out.stdout.is_empty(), "{q}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("no word to search for") || err.contains("only common words"), "{q}: {err}");
    }
    let (out, hits) = search(&["nosuchfield:carers"]);
    assert!(!hits.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).contains("nosuchfield"));
    let (_, curly) = search(&["“Better Care Fund”"]);
    let (_, straight) = search(&["\"Better Care Fund\""]);
    assert_eq!(curly.iter().map(|h| &h.id).collect::<Vec<_>>(), straight.iter().map(|h| &h.id).collect::<Vec<_>>());
}

#[test]
fn csv_has_a_header_and_a_row_per_hit() {
    let out = run(&["search", "carers", "--index", cli_index(), "--format", "csv", "-n", "3"]);
    let mut r = csv::Reader::from_reader(&out.stdout[..]);
    assert_eq!(&r.headers().unwrap()[3], "path");
    assert_eq!(r.records().count(), 3);
}

#[test]
fn show_prints_the_whole_item_and_stats_summarise() {
    let (_, hits) = search(&["Lloyds pharmacy Cheddar"]);
    let out = run(&["show", &hits[0].id, "--index", cli_index(), "--query", "Cheddar", "--color", "never"]);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("[Cheddar]"), "{text}");
    assert!(text.lines().count() > 20);

    let out = run(&["stats", "--index", cli_index(), "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let councils: Vec<&str> = v["councils"].as_array().unwrap().iter().map(|c| c[0].as_str().unwrap()).collect();
    assert!(councils.contains(&"Somerset County Council") && councils.contains(&"Worcestershire County Council"));
    assert_eq!(v["files"], 6);
}

#[test]
fn first_run_searches_the_bundled_sample() {
    let home = tempfile::tempdir().unwrap();
    let out = cmd().env("HOME", home.path()).args(["search", "domestic abuse", "--color", "never"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stderr).contains("sample"));
    assert!(!out.stdout.is_empty());
    // Nothing was written to the user's default index folder.
    assert!(!home.path().join(".local/share/council-search/index").exists());
}

#[test]
fn bad_files_are_skipped_counted_and_the_rest_indexed() {
    let tmp = tempfile::tempdir().unwrap();
    let papers = tmp.path().join("papers");
    std::fs::create_dir(&papers).unwrap();
    std::fs::copy(crate::util::seed("003"), papers.join("report.txt")).unwrap();
    std::fs::write(papers.join("empty.txt"), "").unwrap();
    std::fs::write(papers.join("binary.txt"), b"\x00\x01\x02PK\x03\x04").unwrap();
    std::fs::write(papers.join("latin1.txt"), b"Minutes of the caf\xe9 committee\nRecycling was discussed.").unwrap();
    let idx = tmp.path().join("idx");
    let out = run(&["index", papers.to_str().unwrap(), "--index", idx.to_str().unwrap(), "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let stats: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(stats["added"], 2);
    assert_eq!(stats["skipped"].as_array().unwrap().len(), 2);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("empty.txt") && err.contains("binary.txt"), "{err}");
    let out = run(&["search", "recycling", "--index", idx.to_str().unwrap(), "--format", "json"]);
    let (hits, _) = parse_lines(&out.stdout);
    assert!(hits[0].path.ends_with("latin1.txt"));
}

#[test]
fn files_of_unread_formats_are_named_and_papers_are_known_by_content() {
    let tmp = tempfile::tempdir().unwrap();
    let papers = tmp.path().join("papers");
    std::fs::create_dir(&papers).unwrap();
    std::fs::copy(crate::util::seed("003"), papers.join("report.txt")).unwrap();
    std::fs::write(papers.join("minutes.docx"), b"PK\x03\x04 word document").unwrap();
    std::fs::write(papers.join("budget.xlsx"), b"PK\x03\x04 spreadsheet").unwrap();
    std::fs::write(papers.join("photo.jpg"), b"\xff\xd8\xff\xe0 jfif").unwrap();
    std::fs::write(papers.join("MANIFEST.csv"), "path,date\nreport.txt,2020-01-01\n").unwrap();
    // Minutes saved from a website under the page's own name.
    let page = "<!DOCTYPE html><html><head><title>Minutes</title></head><body><main>\
                <h1>Minutes of the Ashworth Parish Council</h1><p>The zzwebpageword was agreed.</p></main></body></html>";
    std::fs::write(papers.join("minutes.php"), page).unwrap();
    let idx = tmp.path().join("idx");
    let out = run(&["index", papers.to_str().unwrap(), "--index", idx.to_str().unwrap(), "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let stats: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(stats["added"], 2, "{stats}");
    let reasons: Vec<(String, String)> = stats["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            let name = Path::new(s["path"].as_str().unwrap()).file_name().unwrap().to_string_lossy().into_owned();
            (name, s["reason"].as_str().unwrap().to_string())
        })
        .collect();
    for (name, reason) in
        [("minutes.docx", "unsupported"), ("budget.xlsx", "unsupported"), ("MANIFEST.csv", "not_a_paper")]
    {
        assert!(reasons.contains(&(name.to_string(), reason.to_string())), "{name}: {reasons:?}");
    }
    assert_eq!(stats["ignored"], 1, "the photo is passed over: {stats}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("minutes.docx") && err.contains("unsupported format"), "{err}");
    let out = run(&["search", "zzwebpageword", "--index", idx.to_str().unwrap(), "--format", "json"]);
    let (hits, _) = parse_lines(&out.stdout);
    assert!(hits[0].path.ends_with("minutes.php"));
    // A folder with no paper at all is an error, and makes no index.
    let none = tmp.path().join("none");
    std::fs::create_dir(&none).unwrap();
    std::fs::write(none.join("minutes.docx"), b"PK\x03\x04").unwrap();
    let empty_idx = tmp.path().join("empty-idx");
    let out = run(&["index", none.to_str().unwrap(), "--index", empty_idx.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("no papers found") && err.contains("1 unsupported") && err.trim().lines().count() == 1,
        "{err}"
    );
    assert!(!empty_idx.join("meta.json").exists());
}

#[test]
fn limit_zero_counts_and_exits_by_the_matches() {
    let out = run(&["search", "carers", "--index", cli_index(), "--format", "json", "--limit", "0"]);
    assert_eq!(out.status.code(), Some(0));
    let (hits, (total, returned, _)) = parse_lines(&out.stdout);
    assert!(hits.is_empty() && returned == 0 && total > 0);
    let out = run(&["search", "zzznothingmatches", "--index", cli_index(), "--format", "json", "--limit", "0"]);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn excluded_files_and_ignore_files_keep_non_papers_out() {
    let tmp = tempfile::tempdir().unwrap();
    let papers = tmp.path().join("papers");
    std::fs::create_dir_all(papers.join("drafts")).unwrap();
    std::fs::copy(crate::util::seed("003"), papers.join("report.txt")).unwrap();
    std::fs::copy(crate::util::seed("003"), papers.join("drafts").join("draft.txt")).unwrap();
    std::fs::write(papers.join("README.md"), "How these files were downloaded.").unwrap();
    std::fs::write(papers.join(".council-search-ignore"), "# not papers\ndrafts\n").unwrap();
    let idx = tmp.path().join("idx");
    let (p, i) = (papers.to_str().unwrap(), idx.to_str().unwrap());
    let out = run(&["index", p, "--index", i, "--exclude", "README.md", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let stats: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(stats["added"], 1, "{stats}");
    // Excluding a file that was indexed removes its items on the next run.
    let out = run(&["index", p, "--index", i, "--exclude", "README.md", "--exclude", "report.txt", "--format", "json"]);
    let stats: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!((stats["removed"].as_u64(), stats["total_items"].as_u64()), (Some(1), Some(0)), "{stats}");
    let bad = run(&["index", p, "--index", i, "--exclude", "["]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("bad pattern"));
}

#[test]
fn the_hand_written_edge_case_in_the_sample_is_decoded_and_dated() {
    // corpus-sample/edge-parish-minutes-cp1252-crlf.txt: Windows-1252 bytes, CRLF line ends.
    let (_, hits) = search(&["precept village hall grant"]);
    let top = &hits[0];
    assert!(top.path.ends_with("edge-parish-minutes-cp1252-crlf.txt"), "{top:?}");
    assert_eq!(top.meeting_date.as_deref(), Some("2024-03-04"));
    assert!(top.snippets.iter().any(|s| s.text.contains('£')), "{:?}", top.snippets);
    let (_, decisions) = search(&["grant village hall", "--type", "decision", "--from", "2024-01-01"]);
    assert!(decisions[0].snippet.text.starts_with("RESOLVED"), "{:?}", decisions[0]);
}
