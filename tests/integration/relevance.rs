//! The seed relevance tasks (tests/data/seed-tasks.jsonl, a copy of the shared
//! task file), scored as `eval-relevance` scores them: MRR@10 and hit@1 on the
//! query tasks, set recall and precision on the filter-only tasks. A hit counts
//! only if it is the right item (or inside it), never a whole file.

use council_search::paper::ItemType;
use council_search::search::{Hit, SearchOptions, Searcher};
use serde::Deserialize;

use crate::util::sample_index;

#[derive(Debug, Deserialize)]
pub struct Task {
    pub id: String,
    pub query: String,
    #[serde(default)]
    filters: serde_json::Map<String, serde_json::Value>,
    expected: Vec<Expected>,
}

#[derive(Debug, Deserialize)]
struct Expected {
    file: Option<String>,
    path: Option<String>,
    line_start: Option<usize>,
    line_end: Option<usize>,
    doc_start: Option<usize>,
    doc_end: Option<usize>,
}

pub const SEED_TASKS: &str = include_str!("../data/seed-tasks.jsonl");
/// Tasks written for this project: the words journalists type where the papers
/// spell them otherwise (American spellings, long forms of acronyms, synonyms).
const QUALITY_TASKS: &str = include_str!("../data/quality-tasks.jsonl");

pub fn tasks(text: &str) -> Vec<Task> {
    text.lines().filter(|l| !l.trim().is_empty()).map(|l| serde_json::from_str(l).expect("task line")).collect()
}

pub fn options(task: &Task, k: usize) -> SearchOptions {
    let mut o = SearchOptions { query: task.query.clone(), limit: k, ..SearchOptions::default() };
    for (key, v) in &task.filters {
        let s = v.as_str().map(str::to_string).unwrap_or_else(|| v.to_string());
        match key.as_str() {
            "council" => o.council = Some(s),
            "committee" => o.committee = Some(s),
            "item_type" => o.item_types = vec![ItemType::parse(&s).expect("task type")],
            "date_from" => o.from = Some(s.parse().expect("task date")),
            "date_to" => o.to = Some(s.parse().expect("task date")),
            "agenda_item" => o.agenda_item = Some(s),
            "page" => o.page = Some(s.parse().expect("task page")),
            other => panic!("unknown filter {other}"),
        }
    }
    o
}

/// The same rule as eval-relevance's `matches`.
fn matches(hit: &Hit, e: &Expected) -> bool {
    if let Some(file) = &e.file {
        if !hit.item.path.ends_with(file.as_str()) {
            return false;
        }
        if let (Some(ds), Some(de)) = (e.doc_start, e.doc_end) {
            if hit.item.line_start + 5 < ds || hit.item.line_end > de + 5 {
                return false;
            }
        }
        return hit.item.line_start <= e.line_end.unwrap_or(usize::MAX)
            && hit.item.line_end >= e.line_start.unwrap_or(0);
    }
    e.path.as_ref().is_some_and(|p| hit.item.path.ends_with(p.as_str()))
}

#[derive(Debug, Default)]
struct Scores {
    mrr: f64,
    hit1: f64,
    recall: f64,
    precision: f64,
    report: Vec<String>,
}

fn score(task_file: &str) -> Scores {
    let searcher = Searcher::open(sample_index()).expect("open sample index");
    let (mut rr, mut h1, mut rec, mut prec) = (vec![], vec![], vec![], vec![]);
    let mut report = Vec::new();
    for task in tasks(task_file) {
        let k = if task.query.is_empty() { 1000 } else { 10 };
        let hits = searcher.search(&options(&task, k)).expect("search").hits;
        if task.query.is_empty() {
            let found = task.expected.iter().filter(|e| hits.iter().any(|h| matches(h, e))).count();
            let good = hits.iter().filter(|h| task.expected.iter().any(|e| matches(h, e))).count();
            let r = found as f64 / task.expected.len() as f64;
            let p = if hits.is_empty() { 0.0 } else { good as f64 / hits.len() as f64 };
            report.push(format!("{} recall={r:.2} precision={p:.2} hits={}", task.id, hits.len()));
            rec.push(r);
            prec.push(p);
        } else {
            let rank = hits.iter().position(|h| task.expected.iter().any(|e| matches(h, e))).map(|i| i + 1);
            report.push(format!(
                "{} rank={rank:?} top={:?}",
                task.id,
                hits.first().map(|h| (h.item.meta.item_type.as_str(), h.item.line_start, h.item.line_end))
            ));
            rr.push(rank.map_or(0.0, |r| 1.0 / r as f64));
            h1.push(if rank == Some(1) { 1.0 } else { 0.0 });
        }
    }
    let mean = |v: &[f64]| if v.is_empty() { 1.0 } else { v.iter().sum::<f64>() / v.len() as f64 };
    Scores { mrr: mean(&rr), hit1: mean(&h1), recall: mean(&rec), precision: mean(&prec), report }
}

#[test]
fn quality_tasks_find_what_the_papers_spell_otherwise() {
    let s = score(QUALITY_TASKS);
    let summary = format!("MRR@10={:.3} hit@1={:.3}\n{}", s.mrr, s.hit1, s.report.join("\n"));
    eprintln!("{summary}");
    assert!(s.mrr >= 0.9, "MRR@10 below 0.9:\n{summary}");
    assert!(s.hit1 >= 0.8, "hit@1 below 0.8:\n{summary}");
}

#[test]
fn seed_tasks_meet_the_relevance_floor() {
    let s = score(SEED_TASKS);
    let summary = format!(
        "MRR@10={:.3} hit@1={:.3} recall={:.3} precision={:.3}\n{}",
        s.mrr,
        s.hit1,
        s.recall,
        s.precision,
        s.report.join("\n")
    );
    eprintln!("{summary}");
    assert!(s.mrr >= 0.9, "MRR@10 below 0.9:\n{summary}");
    assert!(s.hit1 >= 0.8, "hit@1 below 0.8:\n{summary}");
    assert!(s.recall >= 1.0, "filter recall below 1.0:\n{summary}");
    assert!(s.precision >= 0.9, "filter precision below 0.9:\n{summary}");
}
