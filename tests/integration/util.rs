//! Shared helpers: the sample corpus, a sample index built once, the binary.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use serde::Deserialize;

/// The bundled sample papers.
pub fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus-sample")
}

/// One of the seed packs in the sample corpus, by its number prefix ("000").
pub fn seed(prefix: &str) -> PathBuf {
    std::fs::read_dir(corpus())
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.file_name().unwrap().to_string_lossy().starts_with(&format!("{prefix}_")))
        .unwrap_or_else(|| panic!("no seed {prefix} in corpus-sample"))
}

/// An index of the sample corpus, built once per test run (through the library).
pub fn sample_index() -> &'static Path {
    static DIR: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    let (_, path) = DIR.get_or_init(|| {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("idx");
        council_search::indexer::index_paths(
            &path,
            &[corpus()],
            &council_search::indexer::IndexOptions::default(),
            &mut |_| {},
        )
        .expect("indexing corpus-sample");
        (tmp, path)
    });
    path
}

/// Runs the real binary with a clean environment.
pub fn run(args: &[&str]) -> Output {
    cmd().args(args).output().expect("running council-search")
}

/// The binary as a command, with our env vars and colour settings removed.
pub fn cmd() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_council-search"));
    c.env_remove("COUNCIL_SEARCH_INDEX")
        .env_remove("NO_COLOR")
        .env_remove("XDG_DATA_HOME")
        .env_remove("XDG_CACHE_HOME");
    c
}

/// A JSON line of `search --format json`.
#[derive(Debug, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[allow(dead_code)]
pub enum Line {
    /// A hit.
    Hit(Box<Hit>),
    /// The closing summary.
    Summary { total: usize, returned: usize, ignored: Vec<String> },
}

/// A hit as scripts see it.
#[derive(Debug, Deserialize)]
#[allow(dead_code)]
pub struct Hit {
    pub id: String,
    pub rank: usize,
    pub score: f64,
    pub path: String,
    pub line_start: usize,
    pub line_end: usize,
    pub title: String,
    pub council: Option<String>,
    pub committee: Option<String>,
    pub meeting_date: Option<String>,
    pub item_type: String,
    pub agenda_item: Option<String>,
    pub page_start: Option<u32>,
    pub page_end: Option<u32>,
    pub snippet: Snippet,
    pub snippets: Vec<Snippet>,
}

/// A snippet as scripts see it.
#[derive(Debug, Deserialize)]
#[allow(dead_code)]
pub struct Snippet {
    pub text: String,
    pub highlights: Vec<[usize; 2]>,
    pub line: usize,
    pub page: Option<u32>,
}

/// Decodes JSON lines into hits and the summary; panics on anything else on stdout.
pub fn parse_lines(stdout: &[u8]) -> (Vec<Hit>, (usize, usize, Vec<String>)) {
    let text = std::str::from_utf8(stdout).expect("stdout is UTF-8");
    let mut hits = Vec::new();
    let mut summary = None;
    for line in text.lines() {
        match serde_json::from_str::<Line>(line).unwrap_or_else(|e| panic!("not a JSON line: {line:?}: {e}")) {
            Line::Hit(h) => hits.push(*h),
            Line::Summary { total, returned, ignored } => summary = Some((total, returned, ignored)),
        }
    }
    (hits, summary.expect("a summary line"))
}

/// True when the system tool `name` can be run. A test that needs it and finds
/// it missing says that it skipped and why; under CI (`CI=true`, where
/// `.ci/run` installs every tool) a missing tool fails the test instead.
pub fn tool_available(name: &str, needed_for: &str) -> bool {
    let found = std::process::Command::new(name)
        .arg("--version")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok();
    tool_present(&format!("`{name}`"), found, needed_for)
}

/// [`tool_available`] for a tool found some other way (`found`): `what` names it.
pub fn tool_present(what: &str, found: bool, needed_for: &str) -> bool {
    if !found {
        let ci = std::env::var("CI").is_ok_and(|v| v == "true" || v == "1");
        assert!(!ci, "{what} is missing under CI; it is needed for {needed_for}");
        eprintln!("skipped: {what} is not installed; it is needed for {needed_for}");
    }
    found
}

/// True when `program args...` runs and exits 0.
pub fn runs(program: &str, args: &[&str]) -> bool {
    std::process::Command::new(program)
        .args(args)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}
