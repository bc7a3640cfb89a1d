//! Input formats: PDF (per page), HTML (content without chrome), Markdown front
//! matter, HTML fragments in `.txt`, Windows-1252 text; end to end through the binary.
//!
//! The PDF tests need poppler's `pdftotext` (Debian: poppler-utils), as the
//! binary does: without it they say that they skipped, except under CI, where
//! `.ci/run` installs it and its absence fails them.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use council_search::extract::pdf::{read_pdf, PdfOptions};
use council_search::extract::{read, Format, Text};
use council_search::FileProblem;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/formats").join(name)
}

fn line_of(t: &Text, needle: &str) -> usize {
    t.lines
        .iter()
        .position(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("no line with {needle:?} in {:#?}", t.lines))
        + 1
}

#[test]
fn pdf_text_comes_per_page_with_page_starts() {
    if !crate::util::tool_available("pdftotext", "reading PDFs (Debian: poppler-utils)") {
        return;
    }
    let t = read(&fixture("two-pages.pdf"), Format::Pdf).unwrap();
    assert_eq!(t.pdf_page_starts.len(), 2, "{t:#?}");
    assert_eq!(t.pdf_page_starts[0], 1);
    assert_eq!(line_of(&t, "Budget monitoring report"), 1);
    assert_eq!(line_of(&t, "Quarter three figures"), 2);
    // Page 2 starts at its first line.
    assert_eq!(line_of(&t, "Appendix A zebra crossings"), t.pdf_page_starts[1]);
    assert_eq!(line_of(&t, "Second page text"), t.pdf_page_starts[1] + 1);
    assert!(!t.lossy);
}

#[test]
fn pdf_problems_are_named() {
    if !crate::util::tool_available("pdftotext", "reading PDFs (Debian: poppler-utils)") {
        return;
    }
    assert_eq!(read(&fixture("blank-page.pdf"), Format::Pdf), Err(FileProblem::NoTextLayer));
    assert_eq!(read(&fixture("encrypted.pdf"), Format::Pdf), Err(FileProblem::Encrypted));
    assert!(matches!(read(&fixture("corrupt.pdf"), Format::Pdf), Err(FileProblem::Corrupt(_))));

    let tmp = tempfile::tempdir().unwrap();
    let fake = tmp.path().join("not-really.pdf");
    std::fs::write(&fake, "hello, I am text").unwrap();
    assert!(matches!(read(&fake, Format::Pdf), Err(FileProblem::Corrupt(d)) if d.contains("not a PDF")));
    let empty = tmp.path().join("empty.pdf");
    std::fs::write(&empty, "").unwrap();
    assert_eq!(read(&empty, Format::Pdf), Err(FileProblem::Empty));
}

#[test]
fn missing_pdftotext_says_what_to_install() {
    let opts = PdfOptions { tool: "/nonexistent/pdftotext".into(), ..PdfOptions::default() };
    let err = read_pdf(&fixture("two-pages.pdf"), &opts).unwrap_err();
    assert_eq!(err.kind(), "tool_missing");
    let msg = err.to_string();
    assert!(msg.contains("pdftotext") && msg.contains("poppler-utils") && !msg.contains('\n'), "{msg}");
}

#[cfg(unix)]
#[test]
fn a_hanging_extractor_is_killed_at_the_deadline() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    let tool = tmp.path().join("slow-pdftotext");
    std::fs::write(&tool, "#!/bin/sh\nexec sleep 30\n").unwrap();
    std::fs::set_permissions(&tool, std::fs::Permissions::from_mode(0o755)).unwrap();
    let opts = PdfOptions {
        tool,
        base_timeout: Duration::from_millis(300),
        timeout_per_mib: Duration::ZERO,
        ..PdfOptions::default()
    };
    let start = Instant::now();
    let err = read_pdf(&fixture("two-pages.pdf"), &opts).unwrap_err();
    assert_eq!(err.kind(), "timed_out");
    assert!(start.elapsed() < Duration::from_secs(10), "{:?}", start.elapsed());
}

#[test]
fn html_keeps_content_and_drops_chrome() {
    let t = read(&fixture("meeting.html"), Format::Html).unwrap();
    let all = t.lines.join("\n");
    for gone in [
        "Home",
        "Council menu",
        "Welcome banner",
        "tracking",
        "font-family",
        "Copyright",
        "Search this site",
        "Posted in",
    ] {
        assert!(!all.contains(gone), "{gone:?} should be gone:\n{all}");
    }
    let h1 = line_of(&t, "Planning Committee Agenda");
    assert_eq!(t.lines[h1 - 1], "# Planning Committee Agenda");
    assert_eq!(t.lines[line_of(&t, "Items") - 1], "## Items");
    // <br> breaks a line; &nbsp; is a (no-break) space.
    assert_eq!(line_of(&t, "Start time 6:30"), line_of(&t, "Tuesday, April 16, 2019") + 1);
    assert!(all.contains("2. Resolution: approve the kestrel habitat survey & budget of \u{a3}1,200."), "{all}");
    assert!(all.contains("1. Disclosure of pecuniary interest."));
    assert!(all.contains("Account\tAmount\nRoads\t\u{a3}5"), "{all}");
    assert_eq!(t.meta.title.as_deref(), Some("Agenda \u{2013} Planning Committee \u{2013} Example Township"));
    assert_eq!(t.meta.source_url.as_deref(), Some("https://example.org/agenda-planning-committee/"));
    assert!(t.pdf_page_starts.is_empty());
}

#[test]
fn a_txt_file_of_html_fragments_is_converted() {
    let t = read(&fixture("agenda-fragment.txt"), Format::Text).unwrap();
    // Tags go, entities are decoded, and line N is still line N of the file.
    assert_eq!(
        t.lines,
        vec![
            "ANNUAL MEETING",
            "1. Apologies for absence",
            "2. Grant to the village hall of \u{a3}250",
            "3. Date of next meeting"
        ]
    );
}

#[test]
fn front_matter_becomes_meta_and_line_numbers_hold() {
    let t = read(&fixture("minutes.md"), Format::Markdown).unwrap();
    let raw = std::fs::read_to_string(fixture("minutes.md")).unwrap();
    assert_eq!(t.lines.len(), raw.lines().count());
    // Line N is still line N of the file.
    assert_eq!(line_of(&t, "MINUTES of the Ordinary Meeting"), 9);
    assert_eq!(raw.lines().nth(8).unwrap(), t.lines[8]);
    assert!(t.lines[..8].iter().all(|l| l.is_empty()), "{:#?}", t.lines);
    assert_eq!(t.meta.title.as_deref(), Some("Parish Council Minutes March"));
    assert_eq!(t.meta.date, chrono::NaiveDate::from_ymd_opt(2019, 4, 2));
    assert_eq!(t.meta.council.as_deref(), Some("Example Parish Council"));
}

#[test]
fn windows_1252_text_is_decoded_not_garbled() {
    let t = read(&fixture("cp1252.txt"), Format::Text).unwrap();
    assert!(!t.lossy);
    assert_eq!(
        t.lines,
        vec!["MINUTES", "The caf\u{e9} owner\u{2019}s request for \u{201c}outdoor seating\u{201d} was approved \u{2013} cost \u{a3}120."]
    );
}

#[test]
fn pathological_inputs_are_bounded() {
    let tmp = tempfile::tempdir().unwrap();
    // Deeply nested, unterminated HTML: no stack overflow, no hang.
    let deep = tmp.path().join("deep.html");
    let mut s = String::from("<html><body>");
    for _ in 0..100_000 {
        s.push_str("<div><b>");
    }
    s.push_str("deepest words");
    std::fs::write(&deep, &s).unwrap();
    let start = Instant::now();
    let t = read(&deep, Format::Html).unwrap();
    assert!(t.lines.join(" ").contains("deepest words"));
    assert!(start.elapsed() < Duration::from_secs(60), "{:?}", start.elapsed());

    // A million tiny lines, and a long file with no newline.
    let many = tmp.path().join("many.txt");
    std::fs::write(&many, "a\n".repeat(1_000_000)).unwrap();
    assert_eq!(read(&many, Format::Text).unwrap().lines.len(), 1_000_000);
    let long = tmp.path().join("long.txt");
    std::fs::write(&long, "word ".repeat(4_000_000)).unwrap();
    assert_eq!(read(&long, Format::Text).unwrap().lines.len(), 1);
}

#[test]
fn index_and_search_every_format_end_to_end() {
    if !crate::util::tool_available("pdftotext", "reading PDFs (Debian: poppler-utils)") {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let docs = tmp.path().join("papers");
    std::fs::create_dir(&docs).unwrap();
    for f in ["two-pages.pdf", "meeting.html", "minutes.md", "cp1252.txt", "blank-page.pdf"] {
        std::fs::copy(fixture(f), docs.join(f)).unwrap();
    }
    let idx = tmp.path().join("idx");
    let out =
        crate::util::run(&["index", docs.to_str().unwrap(), "--index", idx.to_str().unwrap(), "--format", "json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let formats = &summary["formats"];
    for (name, n) in [("pdf", 1), ("html", 1), ("markdown", 1), ("text", 1)] {
        assert_eq!(formats[name].as_u64(), Some(n), "formats: {formats}");
    }
    // The scan is skipped with its reason, named on stderr.
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("blank-page.pdf") && stderr.contains("no text layer"), "{stderr}");

    for (query, ext) in [("zebra", ".pdf"), ("kestrel", ".html"), ("ospreys", ".md"), ("seating", ".txt")] {
        let out = crate::util::run(&["search", query, "--index", idx.to_str().unwrap(), "--format", "json"]);
        assert!(out.status.success(), "{query}: {}", String::from_utf8_lossy(&out.stderr));
        let (hits, _) = crate::util::parse_lines(&out.stdout);
        assert!(!hits.is_empty(), "no hit for {query}");
        assert!(hits[0].path.ends_with(ext), "{query}: {}", hits[0].path);
    }
    // The PDF hit is on page 2, where the word is.
    let out = crate::util::run(&["search", "zebra", "--index", idx.to_str().unwrap(), "--format", "json"]);
    let (hits, _) = crate::util::parse_lines(&out.stdout);
    let page_two = read(&fixture("two-pages.pdf"), Format::Pdf).unwrap().pdf_page_starts[1];
    assert_eq!(hits[0].snippet.line, page_two);
}
