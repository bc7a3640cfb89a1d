//! In-process query latency: opens an index with `Searcher::open` and runs each
//! query of a file N times through `Searcher::search` (top 10 with snippets,
//! nothing cached between calls), plain and with filters.
//!
//! ```sh
//! cargo bench --bench query -- IDX QUERIES [--runs N] [--json OUT]
//! # or: BENCH_INDEX=IDX BENCH_QUERIES=FILE BENCH_RUNS=20 cargo bench --bench query
//! ```
//!
//! Prints, per filter variant, each query's hit count (`SearchResults::total`)
//! and latency median / p95 / p99, then the variant's figures over all
//! queries x runs. `scripts/bench` builds this with `cargo bench --no-run` and
//! runs the binary directly. With no index given it prints its usage and exits
//! 0, so a bare `cargo bench` does no harm.

use std::path::PathBuf;
use std::time::Instant;

use anyhow::{bail, Context, Result};
use chrono::NaiveDate;
use council_search::paper::ItemType;
use council_search::search::{SearchOptions, Searcher};
use serde_json::json;

const USAGE: &str = "usage: query IDX QUERIES [--runs N] [--warmup N] [--json OUT]\n\
   (or BENCH_INDEX, BENCH_QUERIES, BENCH_RUNS, BENCH_JSON in the environment)";

/// A named set of filters applied to every query.
struct Variant {
    name: &'static str,
    cli: &'static str,
    apply: fn(&mut SearchOptions),
}

fn variants() -> Vec<Variant> {
    vec![
        Variant { name: "plain", cli: "", apply: |_| {} },
        Variant {
            name: "type=report",
            cli: "--type report",
            apply: |o| o.item_types = vec![ItemType::parse("report").expect("report is an item type")],
        },
        Variant {
            name: "2016-2018",
            cli: "--from 2016-01-01 --to 2018-12-31",
            apply: |o| {
                o.from = NaiveDate::from_ymd_opt(2016, 1, 1);
                o.to = NaiveDate::from_ymd_opt(2018, 12, 31);
            },
        },
    ]
}

/// Nearest-rank percentile of sorted values (as `peer-baselines` computes it).
fn pct(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = (p * (sorted.len() - 1) as f64).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn median(sorted: &[f64]) -> f64 {
    let n = sorted.len();
    match n {
        0 => f64::NAN,
        _ if n % 2 == 1 => sorted[n / 2],
        _ => (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0,
    }
}

fn summary(lat_ms: &mut [f64]) -> (f64, f64, f64) {
    lat_ms.sort_by(|a, b| a.total_cmp(b));
    (median(lat_ms), pct(lat_ms, 0.95), pct(lat_ms, 0.99))
}

struct Args {
    index: PathBuf,
    queries: PathBuf,
    runs: usize,
    warmup: usize,
    json: Option<PathBuf>,
}

fn args() -> Result<Option<Args>> {
    let env = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
    let mut positional = Vec::new();
    let mut runs = env("BENCH_RUNS").map(|v| v.parse()).transpose().context("BENCH_RUNS")?.unwrap_or(20);
    let mut warmup = 1;
    let mut json = env("BENCH_JSON").map(PathBuf::from);
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        match a.as_str() {
            // cargo bench passes --bench to harness = false targets.
            "--bench" => {}
            "--runs" => runs = it.next().context("--runs N")?.parse().context("--runs N")?,
            "--warmup" => warmup = it.next().context("--warmup N")?.parse().context("--warmup N")?,
            "--json" => json = Some(PathBuf::from(it.next().context("--json OUT")?)),
            "-h" | "--help" => {
                println!("{USAGE}");
                return Ok(None);
            }
            s if s.starts_with('-') => bail!("unknown option {s}\n{USAGE}"),
            _ => positional.push(a),
        }
    }
    let mut positional = positional.into_iter();
    let index = positional.next().or_else(|| env("BENCH_INDEX"));
    let queries = positional.next().or_else(|| env("BENCH_QUERIES"));
    match (index, queries) {
        (Some(i), Some(q)) => Ok(Some(Args { index: i.into(), queries: q.into(), runs: runs.max(1), warmup, json })),
        _ => {
            println!("query bench: no index given, nothing to do.\n{USAGE}");
            Ok(None)
        }
    }
}

fn main() -> Result<()> {
    let Some(a) = args()? else { return Ok(()) };
    let text = std::fs::read_to_string(&a.queries).with_context(|| format!("reading {}", a.queries.display()))?;
    let queries: Vec<String> =
        text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).map(String::from).collect();
    let t = Instant::now();
    let searcher = Searcher::open(&a.index).with_context(|| format!("opening {}", a.index.display()))?;
    let open_ms = t.elapsed().as_secs_f64() * 1e3;
    println!(
        "index {}  open {:.1} ms  {} queries x {} runs (+{} warm-up), top 10 with snippets",
        a.index.display(),
        open_ms,
        queries.len(),
        a.runs,
        a.warmup
    );

    let mut out_variants = Vec::new();
    for v in variants() {
        let opts: Vec<SearchOptions> = queries
            .iter()
            .map(|q| {
                let mut o = SearchOptions { query: q.clone(), limit: 10, ..SearchOptions::default() };
                (v.apply)(&mut o);
                o
            })
            .collect();
        let mut totals = vec![0usize; queries.len()];
        for _ in 0..a.warmup {
            for (i, o) in opts.iter().enumerate() {
                totals[i] = searcher.search(o)?.total;
            }
        }
        let mut per_query: Vec<Vec<f64>> = vec![Vec::with_capacity(a.runs); queries.len()];
        // Runs outside, queries inside: one query's repeats are not back to back.
        for _ in 0..a.runs {
            for (i, o) in opts.iter().enumerate() {
                let t = Instant::now();
                let r = searcher.search(o)?;
                per_query[i].push(t.elapsed().as_secs_f64() * 1e3);
                totals[i] = r.total;
                std::hint::black_box(r);
            }
        }
        println!("\n[{}] {}", v.name, if v.cli.is_empty() { "(no filters)" } else { v.cli });
        println!("{:44} {:>8} {:>9} {:>9} {:>9}", "query", "hits", "p50 ms", "p95 ms", "p99 ms");
        let mut all = Vec::new();
        let mut rows = Vec::new();
        for (i, q) in queries.iter().enumerate() {
            all.extend_from_slice(&per_query[i]);
            let (p50, p95, p99) = summary(&mut per_query[i]);
            println!("{:44} {:>8} {:>9.2} {:>9.2} {:>9.2}", q, totals[i], p50, p95, p99);
            rows.push(json!({"query": q, "total": totals[i], "p50_ms": p50, "p95_ms": p95, "p99_ms": p99}));
        }
        let (p50, p95, p99) = summary(&mut all);
        println!("{:44} {:>8} {:>9.2} {:>9.2} {:>9.2}", "ALL (queries x runs)", "", p50, p95, p99);
        out_variants.push(json!({
            "name": v.name, "cli": v.cli, "queries": rows,
            "p50_ms": p50, "p95_ms": p95, "p99_ms": p99, "samples": all.len(),
        }));
    }
    if let Some(path) = &a.json {
        let doc = json!({"index": a.index, "runs": a.runs, "open_ms": open_ms, "variants": out_variants});
        std::fs::write(path, serde_json::to_string_pretty(&doc)?)
            .with_context(|| format!("writing {}", path.display()))?;
    }
    Ok(())
}
