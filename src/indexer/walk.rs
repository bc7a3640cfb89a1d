//! Finding the papers: walk the roots, leave out what is hidden, excluded or
//! not a paper, and say what each candidate file is.
//!
//! A file's format comes from its extension, or from its first bytes where the
//! extension says nothing (minutes saved from a website as `.php` are HTML). A
//! file of a known format that the indexer cannot read (Word, spreadsheets) is
//! counted and named as unsupported; files that are plainly not papers (a
//! README, a licence, a CSV manifest) are counted as such. The walk reads no
//! file's text: the parse workers do that. It does read each folder's
//! settings file ([`settings`](super::settings)), and says which hold for each
//! candidate.

use std::collections::BTreeSet;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::UNIX_EPOCH;

use walkdir::WalkDir;

use super::exclude::Excludes;
use super::settings::{FolderSettings, Settings, SETTINGS_FILE};
use crate::extract::Format;
use crate::{Error, FileProblem, Result};

/// A file to read.
#[derive(Debug, Clone)]
pub(crate) struct Candidate {
    /// Where it is.
    pub path: PathBuf,
    /// The key it is recorded under ([`path_key`]).
    pub key: String,
    /// How to read it.
    pub format: Format,
    /// Its size.
    pub bytes: u64,
    /// Its modification time, in nanoseconds since the epoch (0 if unknown).
    pub mtime: i64,
    /// What the user says about the papers of its folder, if anything.
    pub settings: Option<Arc<Settings>>,
}

/// What the walk found under the roots.
#[derive(Debug, Default)]
pub(crate) struct Walked {
    /// The files to read, each once, in walk order.
    pub files: Vec<Candidate>,
    /// The roots, as keys.
    pub root_keys: Vec<String>,
    /// Folders the walk could not read (their recorded files are kept).
    pub unreadable: Vec<String>,
    /// Files left out, with why.
    pub skipped: Vec<(PathBuf, FileProblem)>,
    /// Other files passed over: not papers by their kind (images, data).
    pub ignored: usize,
    /// Every distinct settings in force under the roots.
    pub settings: Vec<Arc<Settings>>,
}

/// Walks `roots` (files or folders), with `exclude` patterns and each root's
/// ignore file; `settings` (from the command line) hold over every folder's
/// own. A root that does not exist, or a settings file that cannot be read as
/// one, is an error naming it.
pub(crate) fn walk_roots(roots: &[PathBuf], exclude: &[String], settings: &Settings) -> Result<Walked> {
    let mut walked = Walked::default();
    let mut folders = FolderSettings::new(settings.clone());
    for root in roots {
        let canonical = std::fs::canonicalize(root).map_err(|e| Error::BadInput(format!("{}: {e}", root.display())))?;
        walked.root_keys.push(path_key(&canonical));
        let excludes = Excludes::new(exclude, &canonical)?;
        walk_root(&canonical, &excludes, &mut folders, &mut walked)?;
    }
    walked.settings = folders.seen().to_vec();
    // Overlapping roots (`papers papers/2024`) name some files twice.
    let mut keys = BTreeSet::new();
    walked.files.retain(|f| keys.insert(f.key.clone()));
    Ok(walked)
}

fn walk_root(root: &Path, excludes: &Excludes, settings: &mut FolderSettings, out: &mut Walked) -> Result<()> {
    let explicit_file = root.is_file();
    let settings_root = if explicit_file { root.parent().unwrap_or(root) } else { root };
    for entry in WalkDir::new(root).follow_links(true).sort_by_file_name() {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let path = e.path().map(Path::to_path_buf).unwrap_or_else(|| root.to_path_buf());
                out.unreadable.push(path_key(&path));
                out.skipped.push((path, FileProblem::Unreadable(e.to_string())));
                continue;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let path = entry.path();
        // Hidden files, and what --exclude or the folder's ignore file names, are not papers;
        // nor is a folder's settings file.
        if is_hidden(path, root)
            || path.strip_prefix(root).is_ok_and(|rel| excludes.is_excluded(rel))
            || path.file_name().is_some_and(|n| n == SETTINGS_FILE)
        {
            continue;
        }
        let format = match kind_of(path) {
            Kind::Paper(format) => format,
            Kind::Unsupported(what) => {
                out.skipped.push((path.to_path_buf(), FileProblem::Unsupported(what)));
                continue;
            }
            Kind::NotAPaper(why) => {
                out.skipped.push((path.to_path_buf(), FileProblem::NotAPaper(why)));
                continue;
            }
            Kind::Other if explicit_file => {
                let what = "a file of a kind the indexer does not read".to_string();
                out.skipped.push((path.to_path_buf(), FileProblem::Unsupported(what)));
                continue;
            }
            Kind::Other => {
                out.ignored += 1;
                continue;
            }
        };
        let (bytes, mtime) = match entry.metadata() {
            Ok(m) => (
                m.len(),
                m.modified().ok().and_then(|t| t.duration_since(UNIX_EPOCH).ok()).map_or(0, |d| d.as_nanos() as i64),
            ),
            Err(_) => (0, 0),
        };
        let folder = path.parent().unwrap_or(settings_root);
        let settings = settings.for_folder(settings_root, folder)?;
        out.files.push(Candidate { path: path.to_path_buf(), key: path_key(path), format, bytes, mtime, settings });
    }
    Ok(())
}

/// What a file is, for the walk.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Kind {
    /// A paper in a format the indexer reads.
    Paper(Format),
    /// A document format the indexer cannot read (named).
    Unsupported(String),
    /// Plainly not a paper (named why).
    NotAPaper(&'static str),
    /// Anything else: images, archives, data.
    Other,
}

/// Extensions of document formats the indexer does not read, with their names.
const UNSUPPORTED: &[(&str, &str)] = &[
    ("docx", "Word"),
    ("doc", "Word"),
    ("rtf", "Rich Text"),
    ("odt", "OpenDocument text"),
    ("xlsx", "Excel"),
    ("xls", "Excel"),
    ("ods", "OpenDocument spreadsheet"),
    ("pptx", "PowerPoint"),
    ("ppt", "PowerPoint"),
    ("odp", "OpenDocument presentation"),
];

/// What the file at `path` is: by its name, then (for names that say nothing)
/// by its first bytes.
fn kind_of(path: &Path) -> Kind {
    let name = path.file_name().map(|n| n.to_string_lossy().to_lowercase()).unwrap_or_default();
    let ext = path.extension().map(|e| e.to_string_lossy().to_lowercase()).unwrap_or_default();
    if let Some(why) = not_a_paper(&name, &ext) {
        return Kind::NotAPaper(why);
    }
    if let Some(format) = Format::of_path(path) {
        return Kind::Paper(format);
    }
    if let Some((_, what)) = UNSUPPORTED.iter().find(|(e, _)| *e == ext) {
        return Kind::Unsupported(format!("{what} (.{ext}): convert it to PDF or text to index it"));
    }
    match sniff(path) {
        Some(format) => Kind::Paper(format),
        None => Kind::Other,
    }
}

/// Files that come with a folder of papers but are not papers: the folder's
/// own notes and licence, and tables of data (a manifest, an export).
fn not_a_paper(name: &str, ext: &str) -> Option<&'static str> {
    let stem = name.split('.').next().unwrap_or(name);
    if ["readme", "license", "licence", "changelog", "copying", "contributing", "source", "manifest"].contains(&stem) {
        return Some("a folder's notes, not a paper");
    }
    if ["csv", "tsv", "json", "jsonl", "ndjson", "xml", "yaml", "yml"].contains(&ext) {
        return Some("a data file, not a paper");
    }
    None
}

/// The format a file's first bytes show, whatever its name: a PDF, or an HTML page.
fn sniff(path: &Path) -> Option<Format> {
    let mut head = [0u8; 1024];
    let mut file = std::fs::File::open(path).ok()?;
    let n = file.read(&mut head).ok()?;
    let head = &head[..n];
    if head.starts_with(b"%PDF-") {
        return Some(Format::Pdf);
    }
    let text = String::from_utf8_lossy(head);
    let start = text.trim_start_matches('\u{feff}').trim_start().to_ascii_lowercase();
    let html = start.starts_with("<!doctype html") || start.starts_with("<html") || {
        start.starts_with("<?xml") && start.contains("<html")
    };
    html.then_some(Format::Html)
}

/// Hidden files and folders (a leading dot) below the root are not papers.
fn is_hidden(path: &Path, root: &Path) -> bool {
    path.strip_prefix(root)
        .map(|rel| rel.components().any(|c| c.as_os_str().to_str().is_some_and(|s| s.starts_with('.'))))
        .unwrap_or(false)
}

/// The key a file is recorded under: its absolute path, as text.
pub(crate) fn path_key(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}

/// True when the recorded file `key` lies under the root `root` (or is it).
pub(crate) fn is_under(key: &str, root: &str) -> bool {
    key == root || key.strip_prefix(root).is_some_and(|rest| rest.starts_with(std::path::MAIN_SEPARATOR))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roots_contain_only_their_own_files() {
        assert!(is_under("/a/b/c.txt", "/a/b"));
        assert!(!is_under("/a/bc/c.txt", "/a/b"));
    }

    #[test]
    fn files_are_known_by_name_then_by_their_first_bytes() {
        let tmp = tempfile::tempdir().unwrap();
        let write = |name: &str, bytes: &[u8]| {
            let p = tmp.path().join(name);
            std::fs::write(&p, bytes).unwrap();
            p
        };
        assert_eq!(kind_of(&write("minutes.txt", b"Minutes")), Kind::Paper(Format::Text));
        assert_eq!(kind_of(&write("minutes.php", b"\n <!DOCTYPE html><html>")), Kind::Paper(Format::Html));
        assert_eq!(kind_of(&write("agenda.aspx", b"%PDF-1.7\n")), Kind::Paper(Format::Pdf));
        assert_eq!(kind_of(&write("photo.jpg", b"\xff\xd8\xff\xe0")), Kind::Other);
        assert!(matches!(kind_of(&write("report.docx", b"PK\x03\x04")), Kind::Unsupported(w) if w.contains("Word")));
        assert!(matches!(kind_of(&write("README.md", b"# notes")), Kind::NotAPaper(_)));
        assert!(matches!(kind_of(&write("LICENSE", b"MIT")), Kind::NotAPaper(_)));
        assert!(matches!(kind_of(&write("MANIFEST.csv", b"path,date")), Kind::NotAPaper(_)));
        assert!(matches!(kind_of(&write("SOURCE.md", b"# Where these came from")), Kind::NotAPaper(_)));
    }
}
