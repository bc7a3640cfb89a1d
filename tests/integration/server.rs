//! `council-search serve` over a real socket: the JSON API on the seeds, bad
//! input of every kind, hostile document text, exports in the CLI's formats,
//! new papers reaching the API and the feed without a restart, saved
//! searches, the feed in a real feed parser and the API contract checked by
//! schemathesis.

use std::path::{Path, PathBuf};

use serde_json::Value;

use super::http::{enc, wait_for, Server};
use super::util::{run, runs, sample_index, seed, tool_available, tool_present};

/// A folder of papers (copies of `papers`) and its index, both temporary.
fn papers_and_index(papers: &[PathBuf]) -> (tempfile::TempDir, PathBuf, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("papers");
    std::fs::create_dir_all(&dir).unwrap();
    for p in papers {
        std::fs::copy(p, dir.join(p.file_name().unwrap())).unwrap();
    }
    let idx = tmp.path().join("idx");
    index(&dir, &idx, &[]);
    (tmp, dir, idx)
}

fn index(dir: &Path, idx: &Path, extra: &[&str]) {
    let mut args = vec!["index", dir.to_str().unwrap(), "--index", idx.to_str().unwrap(), "-q"];
    args.extend_from_slice(extra);
    let out = run(&args);
    assert!(out.status.success(), "index: {}", String::from_utf8_lossy(&out.stderr));
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/server").join(name)
}

fn ids(v: &Value) -> Vec<String> {
    v["hits"].as_array().unwrap().iter().map(|h| h["id"].as_str().unwrap().to_string()).collect()
}

#[test]
fn api_search_answers_in_the_cli_field_names_with_counts_that_add_up() {
    let server = Server::start(sample_index());
    let res = server.get("/api/search?q=domestic+abuse&facets=true&histogram=year&limit=5");
    assert_eq!(res.status, 200);
    assert_eq!(res.header("content-type"), Some("application/json"));
    let v = res.json();
    let total = v["total"].as_u64().unwrap() as usize;
    assert_eq!(v["returned"], 5);
    for field in ["id", "rank", "score", "tier", "path", "line_start", "line_end", "title", "council", "meeting_date"] {
        assert!(v["hits"][0].get(field).is_some(), "a hit has {field}");
    }
    assert!(v["hits"][0]["snippet"]["highlights"][0].as_array().is_some_and(|r| r.len() == 2));
    // The same library call as the CLI: the same total and order.
    let cli = run(&["search", "domestic abuse", "--index", sample_index().to_str().unwrap(), "--format", "json"]);
    let (hits, (cli_total, _, _)) = super::util::parse_lines(&cli.stdout);
    assert_eq!(total, cli_total);
    let first: Vec<String> = hits.iter().take(5).map(|h| h.id.clone()).collect();
    assert_eq!(ids(&v), first);
    // Facets and the histogram count the same matches.
    let by_council: u64 = v["facets"]["council"].as_array().unwrap().iter().map(|p| p[1].as_u64().unwrap()).sum();
    assert_eq!(by_council as usize, total);
    let by_year: u64 = v["histogram"].as_array().unwrap().iter().map(|b| b["count"].as_u64().unwrap()).sum();
    assert!(by_year as usize <= total && by_year > 0);
    // Paging reaches exactly the total.
    let mut seen = Vec::new();
    for offset in (0..total).step_by(4) {
        let page = server.get(&format!("/api/search?q=domestic+abuse&limit=4&offset={offset}")).json();
        seen.extend(ids(&page));
    }
    assert_eq!(seen.len(), total);
}

#[test]
fn api_filters_select_what_the_cli_selects() {
    let server = Server::start(sample_index());
    let v = server.get("/api/search?q=health&type=minutes&from=2017-10&to=2017-12&limit=100").json();
    assert!(v["total"].as_u64().unwrap() > 0);
    for h in v["hits"].as_array().unwrap() {
        assert_eq!(h["item_type"], "minutes");
        let d = h["meeting_date"].as_str().unwrap();
        assert!(("2017-10-01"..="2017-12-31").contains(&d), "{d}");
    }
    let idx = sample_index().to_str().unwrap();
    let cli = run(&[
        "search", "health", "--type", "minutes", "--from", "2017-10", "--to", "2017-12", "--limit", "100", "--index",
        idx, "--format", "json",
    ]);
    let (hits, _) = super::util::parse_lines(&cli.stdout);
    assert_eq!(ids(&v), hits.iter().map(|h| h.id.clone()).collect::<Vec<_>>());
    // A council facet value filters on click: the link's parameters select that council only.
    let council =
        server.get("/api/search?q=health&facets=true").json()["facets"]["council"][0][0].as_str().unwrap().to_string();
    let only = server.get(&format!("/api/search?q=health&council={}&limit=100", enc(&council))).json();
    assert!(only["hits"].as_array().unwrap().iter().all(|h| h["council"] == council.as_str()));
}

#[test]
fn bad_parameters_get_400_naming_the_parameter_and_never_500() {
    let server = Server::start(sample_index());
    let long = "a".repeat(10 * 1024);
    let cases: Vec<(String, &str)> = vec![
        ("/api/search?q=x&type=memo".into(), "type"),
        ("/api/search?q=x&from=2023-02-30".into(), "from"),
        ("/api/search?q=x&to=2023-13".into(), "to"),
        ("/api/search?q=x&from=2021&to=2020".into(), "to"),
        ("/api/search?q=x&sort=best".into(), "sort"),
        ("/api/search?q=x&limit=101".into(), "limit"),
        ("/api/search?q=x&limit=-1".into(), "limit"),
        ("/api/search?q=x&offset=ten".into(), "offset"),
        ("/api/search?q=x&page=0".into(), "page"),
        ("/api/search?q=x&all=yes".into(), "all"),
        ("/api/search?q=x&facets=1".into(), "facets"),
        ("/api/search?q=x&histogram=week".into(), "histogram"),
        ("/api/search?q=x&colour=red".into(), "colour"),
        ("/api/search?q=a&q=b".into(), "q"),
        (format!("/api/search?q={long}"), "q"),
        ("/api/search?q=%3F%21%3F".into(), "q"),
        ("/api/search".into(), "q"),
        ("/api/items/0123456789abcdef?q=x&q=y".into(), "q"),
        ("/api/items/0123456789abcdef/similar?limit=500".into(), "limit"),
        ("/export.csv?q=x&limit=1001".into(), "limit"),
        ("/feed.atom?q=x&limit=5".into(), "limit"),
    ];
    for (target, parameter) in &cases {
        let res = server.get(target);
        assert_eq!(res.status, 400, "{target}: {}", res.text());
        let v = res.json();
        assert_eq!(v["parameter"], *parameter, "{target}: {v}");
        assert!(!v["error"].as_str().unwrap().is_empty());
    }
    // The pages say the same, as a page.
    let page = server.get("/?q=x&from=2023-02-30");
    assert_eq!(page.status, 400);
    assert!(page.text().contains("from"));
}

#[test]
fn unknown_ids_are_404_and_no_path_from_the_request_reaches_the_disk() {
    let server = Server::start(sample_index());
    for target in [
        "/api/items/0123456789abcdef",
        "/api/items/not-an-id",
        "/api/items/0123456789abcdef/similar",
        "/api/meetings/2017-11-23~0000000000000000",
        "/api/meetings/not-a-meeting",
        "/items/0123456789abcdef",
        "/items/0123456789abcdef/source",
        "/api/nothing",
    ] {
        let res = server.get(target);
        assert_eq!(res.status, 404, "{target}");
        if target.starts_with("/api/") {
            assert!(res.json()["error"].is_string());
        }
    }
    for trick in [
        "/items/..%2F..%2F..%2F..%2Fetc%2Fpasswd/source",
        "/items/../../../../etc/passwd",
        "/items/%2e%2e/%2e%2e/%2e%2e/etc/passwd/source",
        "/assets/..%2F..%2F..%2FCargo.toml",
        "/assets/../../Cargo.toml",
        "/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/api/items/..%2F..%2F..%2Fetc%2Fpasswd",
        "/items/%00/source",
        "/items/0123456789abcdef%2F..%2F..%2FCargo.toml/source",
        "/items//etc/passwd/source",
        "/api/openapi.json/../../../../etc/passwd",
    ] {
        let res = server.get(trick);
        assert!([400, 404].contains(&res.status), "{trick}: {}", res.status);
        let body = res.text();
        assert!(!body.contains("root:") && !body.contains("[package]"), "{trick} leaked a file");
    }
}

#[test]
fn a_paper_with_markup_in_its_text_shows_it_as_text_everywhere() {
    let (_tmp, _, idx) = papers_and_index(&[fixture("hostile-markup.html"), fixture("later-paper.txt")]);
    let server = Server::start(&idx);
    let api = server.get("/api/search?q=quokka").json();
    let id = api["hits"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["title"].as_str().is_some_and(|t| t.contains("Markup quoted")))
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let shown = server.get(&format!("/api/items/{id}")).json();
    assert!(
        shown["body"].as_str().unwrap().contains("<script>alert(\"quokka\")</script>"),
        "the text holds the markup"
    );
    for target in ["/?q=quokka".to_string(), format!("/items/{id}?q=quokka"), "/feed.atom?q=quokka".to_string()] {
        let res = server.get(&target);
        assert_eq!(res.status, 200, "{target}");
        let body = res.text();
        assert!(body.contains("&lt;script&gt;alert("), "{target} shows the markup as text");
        for raw in ["<script>alert", "<img src=x", "<iframe", "</textarea>", "<b>bold"] {
            assert!(!body.contains(raw), "{target} carries {raw} unescaped");
        }
    }
    // No page runs inline script, and the policy forbids it.
    for target in ["/".to_string(), "/?q=quokka".to_string(), format!("/items/{id}?q=quokka")] {
        let res = server.get(&target);
        let csp = res.header("content-security-policy").unwrap_or("");
        assert!(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"), "{csp}");
        let body = res.text();
        for tag in body.split("<script").skip(1) {
            assert!(tag.trim_start().starts_with("src=\"/assets/"), "inline script in {target}");
        }
    }
}

#[test]
fn item_pages_number_every_match_and_serve_the_source_by_id_only() {
    let server = Server::start(sample_index());
    let top = server.get("/api/search?q=domestic+abuse&limit=1").json();
    let id = top["hits"][0]["id"].as_str().unwrap().to_string();
    let shown = server.get(&format!("/api/items/{id}?q=domestic+abuse")).json();
    let n = shown["highlights"].as_array().unwrap().len();
    assert!(n >= 2);
    let page = server.get(&format!("/items/{id}?q=domestic+abuse")).text();
    // Every highlighted word is marked; the words of one phrase are one numbered match.
    let marks = page.matches("<mark id=\"m").count();
    assert!(marks >= 2 && marks <= n, "{marks} of {n}");
    assert!(page.contains("id=\"m1\"") && page.contains("id=\"m2\""));
    assert!(page.contains(&format!("href=\"/items/{id}/source\"")));
    assert!(page.contains("This meeting") && page.contains("/api/meetings/"), "the meeting section");
    // The meeting answers in JSON and holds this item.
    let meeting_link = page.split("href=\"/api/meetings/").nth(1).unwrap().split('"').next().unwrap();
    let meeting = server.get(&format!("/api/meetings/{meeting_link}")).json();
    let papers = meeting["papers"].as_array().unwrap();
    assert!(papers.iter().flat_map(|p| p["items"].as_array().unwrap()).any(|i| i["id"] == id.as_str()));
    // A text paper is served as the text the index read: its lines are the item's.
    let source = server.get(&format!("/items/{id}/source"));
    assert_eq!(source.status, 200);
    assert_eq!(source.header("content-type"), Some("text/plain; charset=utf-8"));
    assert!(source.header("content-security-policy").is_some_and(|c| c.contains("sandbox")));
    let line_start = shown["line_start"].as_u64().unwrap() as usize;
    let first_line = shown["body"].as_str().unwrap().lines().next().unwrap();
    assert_eq!(source.text().lines().nth(line_start - 1).unwrap().trim(), first_line.trim());
}

#[test]
fn a_pdf_item_links_its_paper_at_its_page() {
    if !tool_available("pdftotext", "a PDF paper's source link (Debian: poppler-utils)") {
        return;
    }
    let pdf = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/formats/two-pages.pdf");
    let (_tmp, _, idx) = papers_and_index(&[pdf]);
    let server = Server::start(&idx);
    let all = server.get("/export.jsonl?q=format%3Apdf").text();
    let first: Value = serde_json::from_str(all.lines().next().unwrap()).unwrap();
    let id = first["id"].as_str().unwrap();
    let page = server.get(&format!("/items/{id}")).text();
    assert!(page.contains(&format!("/items/{id}/source#page=")), "the PDF opens at the item's page");
    let source = server.get(&format!("/items/{id}/source"));
    assert_eq!(source.header("content-type"), Some("application/pdf"));
    assert!(source.body.starts_with(b"%PDF"));
}

#[test]
fn exports_are_the_cli_formats_bounded() {
    let server = Server::start(sample_index());
    let idx = sample_index().to_str().unwrap();
    for (route, format) in [("/export.csv", "csv"), ("/export.jsonl", "json")] {
        let res = server.get(&format!("{route}?q=health&type=report"));
        assert_eq!(res.status, 200);
        assert!(res.header("content-disposition").is_some_and(|d| d.starts_with("attachment")));
        let cli = run(&["search", "health", "--type", "report", "--limit", "1000", "--format", format, "--index", idx]);
        assert_eq!(res.text(), String::from_utf8_lossy(&cli.stdout), "{route} is the CLI's --format {format}");
    }
    let csv = server.get("/export.csv?q=health").text();
    assert_eq!(csv.lines().next().unwrap(), council_search::output::CSV_HEADER.join(","));
    let two = server.get("/export.jsonl?q=health&limit=2").text();
    assert_eq!(two.lines().count(), 3, "two hits and the summary");
}

#[test]
fn the_openapi_document_describes_every_route_from_the_code() {
    let server = Server::start(sample_index());
    let doc = server.get("/api/openapi.json").json();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    for path in [
        "/api/search",
        "/api/items/{id}",
        "/api/items/{id}/similar",
        "/api/meetings/{id}",
        "/api/stats",
        "/api/health",
        "/export.csv",
        "/export.jsonl",
        "/feed.atom",
    ] {
        assert!(doc["paths"].get(path).is_some(), "{path} is documented");
    }
    for schema in ["StoredItem", "Hit", "Snippet", "ItemMeta", "Facets", "IndexSummary", "ErrorBody"] {
        assert!(doc["components"]["schemas"].get(schema).is_some(), "{schema} is a component");
    }
    let health = server.get("/api/health").json();
    assert_eq!(health["status"], "ok");
    let stats = server.get("/api/stats").json();
    assert_eq!(stats["items"], health["items"]);
}

#[test]
fn new_papers_reach_the_api_and_the_feed_without_a_restart() {
    let (_tmp, dir, idx) = papers_and_index(&[seed("001")]);
    let server = Server::start(&idx);
    assert_eq!(server.get("/api/search?q=zeppelin").json()["total"], 0);
    // A new paper, indexed by another process while the server runs.
    std::fs::copy(fixture("later-paper.txt"), dir.join("later-paper.txt")).unwrap();
    index(&dir, &idx, &[]);
    let arrived = wait_for(15, || server.get("/api/search?q=zeppelin").json()["total"].as_u64() > Some(0));
    assert!(arrived, "the new commit was picked up");
    let feed = server.get("/feed.atom?q=zeppelin").text();
    assert!(feed.contains("Zeppelin") || feed.contains("zeppelin"), "{feed}");
    // A rebuild swaps the whole folder: the server opens the new one.
    std::fs::remove_file(dir.join("later-paper.txt")).unwrap();
    index(&dir, &idx, &["--rebuild"]);
    let swapped = wait_for(15, || server.get("/api/search?q=zeppelin").json()["total"] == 0);
    assert!(swapped, "the rebuilt index was opened");
    assert_eq!(server.get("/api/health").json()["status"], "ok");
    assert!(server.get("/api/search?q=health").json()["total"].as_u64() > Some(0));
}

#[test]
fn the_feed_parses_in_feedparser_with_the_newest_matching_items() {
    let have = runs("python3", &["-c", "import feedparser"]);
    if !tool_present("python3's feedparser (PyPI)", have, "the feed's check in a real feed parser") {
        return;
    }
    let server = Server::start(sample_index());
    let url = server.url("/feed.atom?q=health&type=minutes");
    let script = "import feedparser, json, sys\n\
        f = feedparser.parse(sys.argv[1])\n\
        print(json.dumps({'bozo': f.bozo, 'version': f.version, 'title': f.feed.get('title'),\n\
          'entries': [{'id': e.id, 'title': e.title, 'link': e.link, 'updated': e.updated} for e in f.entries]}))";
    let out = std::process::Command::new("python3").args(["-c", script, &url]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let parsed: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(parsed["bozo"], false, "well-formed: {parsed}");
    assert_eq!(parsed["version"], "atom10");
    let expected = server.get("/api/search?q=health&type=minutes&sort=date&limit=50").json();
    let entries = parsed["entries"].as_array().unwrap();
    assert_eq!(entries.len(), expected["hits"].as_array().unwrap().len());
    for (entry, hit) in entries.iter().zip(expected["hits"].as_array().unwrap()) {
        assert_eq!(entry["id"], format!("urn:council-search:item:{}", hit["id"].as_str().unwrap()));
        assert_eq!(entry["title"], hit["title"]);
        assert!(entry["link"]
            .as_str()
            .unwrap()
            .starts_with(&server.url(&format!("/items/{}", hit["id"].as_str().unwrap()))));
        assert!(entry["updated"].as_str().unwrap().starts_with(hit["meeting_date"].as_str().unwrap()));
    }
}

#[test]
fn watch_run_prints_new_items_once() {
    let (tmp, dir, idx) = papers_and_index(&[seed("001")]);
    let file = tmp.path().join("watches.json");
    let watch = |args: &[&str]| {
        let mut all = vec!["watch", "--file", file.to_str().unwrap(), "--index", idx.to_str().unwrap()];
        all.extend_from_slice(args);
        let out = run(&all);
        assert!(out.status.success(), "watch {args:?}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    };
    watch(&["add", "hangars", "zeppelin OR hangar", "--council", "Somerset County Council"]);
    watch(&["add", "health", "health", "--type", "minutes"]);
    assert!(watch(&["list"]).contains("hangars"));
    assert_eq!(watch(&["run"]), "", "nothing new since the searches were saved");
    std::fs::copy(fixture("later-paper.txt"), dir.join("later-paper.txt")).unwrap();
    index(&dir, &idx, &[]);
    let first = watch(&["run", "--format", "json"]);
    let lines: Vec<Value> = first.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let new: Vec<&Value> = lines.iter().filter(|l| l["type"] == "new").collect();
    assert!(!new.is_empty(), "{first}");
    assert!(new.iter().all(|l| l["path"].as_str().unwrap().ends_with("later-paper.txt")));
    assert!(new.iter().any(|l| l["watch"] == "hangars"));
    assert_eq!(lines.last().unwrap()["type"], "summary");
    let again = watch(&["run", "--format", "json"]);
    assert_eq!(again.lines().count(), 1, "only the summary the second time: {again}");
    watch(&["remove", "hangars"]);
    assert!(!watch(&["list"]).contains("hangars"));
}

#[test]
fn schemathesis_finds_no_server_error_and_no_answer_off_the_schema() {
    // Through the Python that has it (the same `python3` pip installed it for), whatever PATH holds.
    const SCHEMATHESIS: &str =
        "import sys; from schemathesis.cli import schemathesis; sys.argv[0] = 'schemathesis'; schemathesis()";
    let found = runs("python3", &["-c", SCHEMATHESIS, "--version"]);
    if !tool_present("python3's schemathesis (PyPI)", found, "the API contract check") {
        return;
    }
    let server = Server::start(sample_index());
    let top = server.get("/api/search?q=domestic+abuse&limit=1").json();
    let id = top["hits"][0]["id"].as_str().unwrap().to_string();
    let page = server.get(&format!("/items/{id}")).text();
    let meeting = page.split("href=\"/api/meetings/").nth(1).unwrap().split('"').next().unwrap().to_string();
    let tmp = tempfile::tempdir().unwrap();
    let config = tmp.path().join("schemathesis.toml");
    std::fs::write(
        &config,
        format!(
            "[parameters]\n\"path.id\" = \"{id}\"\n\n[[operations]]\ninclude-path = \"/api/meetings/{{id}}\"\nparameters = {{ \"path.id\" = \"{meeting}\" }}\n"
        ),
    )
    .unwrap();
    let out = std::process::Command::new("python3")
        .current_dir(tmp.path())
        .args(["-c", SCHEMATHESIS, "--config-file", config.to_str().unwrap(), "run", &server.url("/api/openapi.json")])
        .args(["--url", &server.url(""), "--max-examples", "30", "--seed", "18", "--no-color"])
        .args(["--generation-database", "none", "--phases", "examples,coverage,fuzzing"])
        .args(["--checks", "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,response_headers_conformance,negative_data_rejection"])
        .output()
        .unwrap();
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "schemathesis found problems:\n{report}\n{}", String::from_utf8_lossy(&out.stderr));
    assert!(report.contains("No issues found"), "{report}");
}
