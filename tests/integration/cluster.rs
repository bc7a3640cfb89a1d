//! The items handed to a real Quickwit node, searched with the same queries.
//!
//! Runs when `QUICKWIT_BIN` names a Quickwit 0.9 binary (it is not on any
//! package registry; the README says how to build it), and says that it
//! skipped otherwise. A node is started on loopback with a temporary data
//! folder, the index is created from our configuration, the export of
//! `corpus-sample/` ingested, and every seed relevance task run both ways: the
//! same first hit on every task, the same totals on the filter-only tasks, and
//! phrase and date-range queries that find the same items.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use council_search::cluster::{self, Quickwit};
use council_search::search::{SearchOptions, Searcher};

use crate::relevance::{options, tasks, SEED_TASKS};
use crate::util::sample_index;

/// A Quickwit node on loopback, stopped when dropped.
struct Node {
    child: Child,
    port: u16,
    _data: tempfile::TempDir,
}

impl Drop for Node {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn start(bin: &Path) -> Node {
    let data = tempfile::tempdir().unwrap();
    let (port, grpc) = (free_port(), free_port());
    let config = data.path().join("node.yaml");
    let dir = data.path().join("data");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        &config,
        format!(
            "version: 0.8\nnode_id: council-search-test\nlisten_address: 127.0.0.1\nrest:\n  listen_port: {port}\n\
             grpc_listen_port: {grpc}\ngossip_listen_port: {port}\ndata_dir: {}\n",
            dir.display()
        ),
    )
    .unwrap();
    let child = Command::new(bin)
        .args(["run", "--config", config.to_str().unwrap()])
        .env("QW_ENABLE_OTLP_ENDPOINT", "false")
        .env("QW_DISABLE_TELEMETRY", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start quickwit");
    let node = Node { child, port, _data: data };
    let deadline = Instant::now() + Duration::from_secs(120);
    while ureq::get(&format!("http://127.0.0.1:{port}/health/readyz")).call().is_err() {
        assert!(Instant::now() < deadline, "quickwit did not come up on port {port}");
        std::thread::sleep(Duration::from_millis(250));
    }
    node
}

/// Exports the sample index, creates the cluster index and ingests the items.
fn load(bin: &Path, node: &Node) -> PathBuf {
    let export = node._data.path().join("export");
    let searcher = Searcher::open(sample_index()).unwrap();
    let mut exporter = cluster::Exporter::new(&export, "council_items").unwrap();
    searcher.export(&mut |item| exporter.add(&item)).unwrap();
    let summary = exporter.finish().unwrap();
    let endpoint = format!("http://127.0.0.1:{}", node.port);
    let config = export.join(cluster::export::CONFIG_FILE);
    let created = Command::new(bin)
        .args(["index", "create", "--endpoint", &endpoint, "--index-config", config.to_str().unwrap(), "--yes"])
        .output()
        .unwrap();
    assert!(created.status.success(), "{}", String::from_utf8_lossy(&created.stderr));
    for file in &summary.files {
        let url = format!("{endpoint}/api/v1/council_items/ingest?commit=force");
        // The index's shards may take a moment to open.
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let resp = ureq::post(&url).send(std::fs::read(file).unwrap());
            match resp {
                Ok(mut r) => {
                    let v: serde_json::Value = r.body_mut().read_json().unwrap();
                    assert_eq!(v["num_rejected_docs"], 0, "{v}");
                    break;
                }
                Err(e) if Instant::now() < deadline => {
                    eprintln!("ingest not ready yet: {e}");
                    std::thread::sleep(Duration::from_millis(500));
                }
                Err(e) => panic!("ingest failed: {e}"),
            }
        }
    }
    export
}

#[test]
fn a_quickwit_cluster_answers_as_the_local_index_does() {
    let Some(bin) = std::env::var_os("QUICKWIT_BIN").map(PathBuf::from) else {
        eprintln!("skipped: QUICKWIT_BIN does not name a Quickwit binary (see the README, \"When one machine is not enough\")");
        return;
    };
    let node = start(&bin);
    load(&bin, &node);
    let cluster = Quickwit::parse(&format!("quickwit=http://127.0.0.1:{}/council_items", node.port)).unwrap();
    let local = Searcher::open(sample_index()).unwrap();
    for task in tasks(SEED_TASKS) {
        let opts = options(&task, 10);
        let (l, c) = (local.search(&opts).unwrap(), cluster.search(&opts).unwrap());
        let first = |r: &council_search::search::SearchResults| r.hits.first().map(|h| h.item.id.clone());
        assert_eq!(first(&c), first(&l), "{}: {:?}", task.id, task.query);
        if task.query.is_empty() {
            assert_eq!(c.total, l.total, "{}: filter-only totals", task.id);
        }
    }
    // Phrases, exclusions and date ranges find the same items.
    let ids = |r: council_search::search::SearchResults| {
        r.hits.into_iter().map(|h| h.item.id).collect::<std::collections::BTreeSet<_>>()
    };
    for (query, from, to) in [
        ("\"mental health\"", None, None),
        ("\"better care fund\" -pharmacy", None, None),
        ("carers", Some("2017-01-01"), Some("2018-06-30")),
        ("dementia OR carers", Some("2020-01-16"), Some("2020-01-16")),
    ] {
        let opts = SearchOptions {
            query: query.into(),
            from: from.map(|d| d.parse().unwrap()),
            to: to.map(|d| d.parse().unwrap()),
            limit: 200,
            ..SearchOptions::default()
        };
        assert_eq!(ids(cluster.search(&opts).unwrap()), ids(local.search(&opts).unwrap()), "{query} {from:?}-{to:?}");
    }
    // One meeting, one view: the same papers in the same order.
    let any = local.search(&SearchOptions { query: "carers".into(), ..SearchOptions::default() }).unwrap();
    let item_id = any.hits[0].item.id.clone();
    let shape = |m: council_search::search::Meeting| {
        let ids: Vec<Vec<String>> = m.papers.into_iter().map(|p| p.items.into_iter().map(|i| i.id).collect()).collect();
        (m.meeting_id, ids)
    };
    assert_eq!(shape(cluster.meeting(&item_id).unwrap()), shape(local.meeting(&item_id).unwrap()));
    // The command line, as a user runs it.
    let engine = format!("quickwit=http://127.0.0.1:{}/council_items", node.port);
    for args in [&["carers support"][..], &["SEND", "--type", "minutes"], &["--type", "guidance_notes"]] {
        let run = |extra: &[&str]| {
            let mut all = vec!["search", "--format", "json", "--color", "never"];
            all.extend_from_slice(args);
            all.extend_from_slice(extra);
            let out = crate::util::run(&all);
            assert_eq!(out.status.code(), Some(0), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
            crate::util::parse_lines(&out.stdout).0.into_iter().map(|h| h.id).collect::<Vec<_>>()
        };
        let (on_cluster, here) = (run(&["--engine", &engine]), run(&["--index", sample_index().to_str().unwrap()]));
        assert_eq!(on_cluster.first(), here.first(), "{args:?}");
    }
    // The search page, the API, an item page and the feed, in front of the cluster.
    let server = crate::http::Server::start_with(&["--engine", &engine]);
    let api = server.get("/api/search?q=carers+support&limit=3");
    assert_eq!(api.status, 200);
    let here = local.search(&SearchOptions { query: "carers support".into(), limit: 3, ..SearchOptions::default() });
    let first = here.unwrap().hits[0].item.id.clone();
    assert_eq!(api.json()["hits"][0]["id"].as_str(), Some(first.as_str()));
    let page = server.get("/?q=carers+support");
    assert!(page.status == 200 && page.text().contains(&format!("/items/{first}")), "the page links the first hit");
    let item = server.get(&format!("/items/{first}?q=carers"));
    assert_eq!(item.status, 200);
    assert!(item.text().contains("<mark"), "the item page marks the matches");
    let feed = server.get("/feed.atom?q=carers");
    assert!(feed.status == 200 && feed.text().contains("<entry>"));
    assert_eq!(server.get(&format!("/items/{first}/source")).status, 404, "a cluster holds no source files");
    drop(server);
    let down = crate::util::run(&["search", "carers", "--engine", "quickwit=http://127.0.0.1:1/council_items"]);
    assert_eq!(down.status.code(), Some(2));
    assert_eq!(String::from_utf8_lossy(&down.stderr).trim().lines().count(), 1, "a node that is down: one line");
    let years = |t: council_search::search::Timeline| t.buckets;
    let opts = SearchOptions { query: "carers".into(), ..SearchOptions::default() };
    assert_eq!(
        years(cluster.timeline(&opts, false).unwrap()).len(),
        years(local.timeline(&opts, false).unwrap()).len()
    );
}

#[test]
fn export_writes_the_configuration_the_items_and_the_deletes() {
    let tmp = tempfile::tempdir().unwrap();
    let (all, minutes) = (tmp.path().join("all"), tmp.path().join("minutes"));
    let index = sample_index().to_str().unwrap();
    let out = crate::util::run(&["export", "--index", index, "--to", "quickwit", all.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let lines: Vec<serde_json::Value> = std::fs::read_dir(&all)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "ndjson") && p.file_name().unwrap() != "delete-queries.ndjson")
        .flat_map(|p| {
            std::fs::read_to_string(p).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect::<Vec<_>>()
        })
        .collect();
    let searcher = Searcher::open(sample_index()).unwrap();
    let mut items = Vec::new();
    searcher
        .export(&mut |i| {
            items.push(i);
            Ok(())
        })
        .unwrap();
    assert_eq!(lines.len(), items.len());
    // Every line reads back as the item the index holds.
    for (line, item) in lines.iter().zip(&items) {
        assert_eq!(&cluster::export::item_of_line(line).unwrap(), item);
    }
    assert!(std::fs::read_to_string(all.join("index-config.yaml")).unwrap().contains("timestamp_field: meeting_ts"));
    assert_eq!(std::fs::read_to_string(all.join("delete-queries.ndjson")).unwrap().lines().count(), 6);
    // With filters: only what a search with them would find.
    let out = crate::util::run(&[
        "export",
        "--index",
        index,
        "--to",
        "quickwit",
        minutes.to_str().unwrap(),
        "--type",
        "minutes",
        "--until",
        "2019",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let text = std::fs::read_to_string(minutes.join("items-00001.ndjson")).unwrap();
    let kept: Vec<serde_json::Value> = text.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert!(!kept.is_empty());
    assert!(kept.iter().all(|l| l["item_type"] == "minutes" && l["meeting_date"].as_str().unwrap() < "2020"));
    // An earlier export is never overwritten.
    let again = crate::util::run(&["export", "--index", index, "--to", "quickwit", all.to_str().unwrap()]);
    assert_eq!(again.status.code(), Some(2));
}
