//! The papers around a paper: where one names no council or no committee, the
//! papers of its meeting (its folder, its date) and of its folder say, then
//! the folders above it, then the folder's own name; where nothing says, the
//! name stays unknown.
//!
//! Parse workers see one file at a time, so this is the feeder's work. As each
//! file is taken, what it names itself goes into a tally of its folder (by
//! meeting date, and in all) and of every folder above it. A paper that lacks
//! a name is held until its folder has been read whole; then the papers of its
//! meeting decide, then its folder's. A council still unknown waits for each
//! folder above in turn, where it is taken only when nearly every paper below
//! names the same one (a folder of several parishes' minutes names none).
//!
//! Memory stays bounded at any corpus size: a tally per folder (a few names
//! and counts), a count of unread files per folder, and the held papers'
//! documents, at most [`HELD_BYTES`] of them: past that, the longest-held
//! paper is written with what is known by then. Crash safety is the
//! feeder's: a held paper is neither written nor recorded, so a run killed
//! while holding it reads it again next time.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::paper::{council_identity, normalise_committee, ItemType, Named};

/// Most bytes of documents held while their folders are read.
pub(crate) const HELD_BYTES: usize = 16 << 20;

/// Share of the named papers below a folder that must name one council for
/// the folder's papers that name none to take it.
const ANCESTOR_SHARE: f64 = 0.9;

/// Share of a folder's named papers that must agree on a name.
const FOLDER_SHARE: f64 = 2.0 / 3.0;

/// Names counted by identity, each shown as its most common form.
#[derive(Debug, Default, Clone)]
struct Tally {
    /// identity -> (papers naming it, its forms and how often each is used).
    names: HashMap<String, (u32, HashMap<String, u32>)>,
    /// Papers counted.
    total: u32,
}

impl Tally {
    fn add(&mut self, key: String, form: &str, weight: u32) {
        let entry = self.names.entry(key).or_default();
        entry.0 += weight;
        *entry.1.entry(form.to_string()).or_default() += weight;
        self.total += weight;
    }

    /// The name at least `share` of the counted papers give (at least
    /// `least` of them), in its most common form.
    fn agreed(&self, share: f64, least: u32) -> Option<String> {
        // Ties go to the identity first in order, so the answer never depends on the hash.
        let (_, (n, forms)) = self.names.iter().max_by(|a, b| a.1 .0.cmp(&b.1 .0).then_with(|| b.0.cmp(a.0)))?;
        if *n < least || f64::from(*n) < share * f64::from(self.total) {
            return None;
        }
        forms.iter().max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0))).map(|(f, _)| f.clone())
    }
}

/// What the papers of one folder name.
#[derive(Debug, Default)]
struct Folder {
    /// Councils named, by the meeting date of the paper naming them.
    councils_by_date: HashMap<Option<NaiveDate>, Tally>,
    /// Committees named, by meeting date.
    committees_by_date: HashMap<Option<NaiveDate>, Tally>,
    /// Councils named by any paper of the folder.
    councils: Tally,
    /// Committees named by any paper of the folder.
    committees: Tally,
}

/// What a held paper still needs, and where else it may come from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Needs {
    /// The paper's own names (the missing ones are `None`).
    pub named: Named,
    /// Whether it needs a council; a committee.
    pub council: bool,
    /// Whether it needs a committee.
    pub committee: bool,
    /// The council and body the paper's folders name, the last resort.
    pub path_council: Option<String>,
    /// The body its folder names.
    pub path_committee: Option<String>,
}

/// Names found for a held paper.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Found {
    /// The council, if it needed one and one was found.
    pub council: Option<String>,
    /// The committee, likewise.
    pub committee: Option<String>,
}

struct Held<P> {
    paper: P,
    bytes: usize,
    folder: PathBuf,
    needs: Needs,
    found: Found,
    /// The committee is settled (found, or known to be unknown).
    committee_done: bool,
}

/// The papers around each paper of one run (see the module docs). `P` is
/// what is held for a paper: its documents, for the feeder.
pub(crate) struct Context<P> {
    folders: HashMap<PathBuf, Folder>,
    /// Councils named by the papers anywhere below each folder.
    below: HashMap<PathBuf, Tally>,
    /// Files not yet taken, in each folder and below.
    unread: HashMap<PathBuf, usize>,
    held: BTreeMap<u64, Held<P>>,
    /// Held papers by the folder whose reading they wait for.
    waiting: HashMap<PathBuf, Vec<u64>>,
    next: u64,
    held_bytes: usize,
    cap: usize,
}

impl<P> Context<P> {
    /// The context of a run over files at `paths`; at most `cap` bytes held.
    pub fn new<'a>(paths: impl IntoIterator<Item = &'a Path>, cap: usize) -> Context<P> {
        let mut unread: HashMap<PathBuf, usize> = HashMap::new();
        for path in paths {
            for folder in path.ancestors().skip(1) {
                *unread.entry(folder.to_path_buf()).or_default() += 1;
            }
        }
        Context {
            folders: HashMap::new(),
            below: HashMap::new(),
            unread,
            held: BTreeMap::new(),
            waiting: HashMap::new(),
            next: 0,
            held_bytes: 0,
            cap,
        }
    }

    /// Counts what the paper at `path` names itself.
    pub fn named(&mut self, path: &Path, named: &Named) {
        let Some(folder) = path.parent() else { return };
        let f = self.folders.entry(folder.to_path_buf()).or_default();
        if let Some(c) = &named.council {
            let key = council_identity(c);
            f.councils.add(key.clone(), c, 1);
            f.councils_by_date.entry(named.date).or_default().add(key.clone(), c, 1);
            for a in folder.ancestors() {
                self.below.entry(a.to_path_buf()).or_default().add(key.clone(), c, 1);
            }
        }
        if let Some(c) = &named.committee {
            // An agenda or minutes names the body that met; a report may name others.
            let weight = if matches!(named.kind, Some(ItemType::Agenda | ItemType::Minutes)) { 3 } else { 1 };
            let key = normalise_committee(c);
            f.committees.add(key.clone(), c, weight);
            f.committees_by_date.entry(named.date).or_default().add(key, c, weight);
        }
    }

    /// Holds the paper at `path` until its names can be found, or gives it
    /// back at once if it needs none.
    pub fn hold(&mut self, path: &Path, paper: P, bytes: usize, needs: Needs) -> Option<P> {
        if !needs.council && !needs.committee {
            return Some(paper);
        }
        let folder = path.parent().unwrap_or(path).to_path_buf();
        let id = self.next;
        self.next += 1;
        self.waiting.entry(folder.clone()).or_default().push(id);
        let committee_done = !needs.committee;
        self.held.insert(id, Held { paper, bytes, folder, needs, found: Found::default(), committee_done });
        self.held_bytes += bytes;
        None
    }

    /// The file at `path` has been taken: its folders have one file fewer to
    /// read. Gives back the held papers whose names are now settled.
    pub fn taken(&mut self, path: &Path) -> Vec<(P, Found)> {
        let mut out = Vec::new();
        for folder in path.ancestors().skip(1) {
            let Some(n) = self.unread.get_mut(folder) else { continue };
            *n = n.saturating_sub(1);
            if *n == 0 {
                self.unread.remove(folder);
                self.folder_read(folder, &mut out);
            }
        }
        while self.held_bytes > self.cap {
            let Some((&id, _)) = self.held.iter().next() else { break };
            out.push(self.release_best(id));
        }
        out
    }

    /// Every paper still held, with what is known by now (the end of a run).
    pub fn drain(&mut self) -> Vec<(P, Found)> {
        let ids: Vec<u64> = self.held.keys().copied().collect();
        ids.into_iter().map(|id| self.release_best(id)).collect()
    }

    /// Papers held.
    #[cfg(test)]
    pub fn held(&self) -> usize {
        self.held.len()
    }

    /// Every file of `folder` (and below) has been read: its waiting papers
    /// settle what they can; those still lacking a council wait for the
    /// folder above.
    fn folder_read(&mut self, folder: &Path, out: &mut Vec<(P, Found)>) {
        let Some(ids) = self.waiting.remove(folder) else { return };
        for id in ids {
            let Some(h) = self.held.get_mut(&id) else { continue };
            let own = h.folder == folder;
            if own {
                let f = self.folders.get(folder);
                let date = h.needs.named.date;
                if !h.committee_done {
                    h.found.committee = f.and_then(|f| meeting_or_folder(&f.committees_by_date, &f.committees, date));
                    if h.found.committee.is_none() {
                        h.found.committee.clone_from(&h.needs.path_committee);
                    }
                    h.committee_done = true;
                }
                if h.needs.council && h.found.council.is_none() {
                    h.found.council = f.and_then(|f| meeting_or_folder(&f.councils_by_date, &f.councils, date));
                }
            } else if h.needs.council && h.found.council.is_none() {
                h.found.council = self.below.get(folder).and_then(|t| t.agreed(ANCESTOR_SHARE, 2));
            }
            let settled = !h.needs.council || h.found.council.is_some();
            match folder.parent() {
                Some(up) if !settled && self.unread.contains_key(up) => {
                    self.waiting.entry(up.to_path_buf()).or_default().push(id);
                }
                _ => {
                    let h = self.take_held(id);
                    out.push(finish(h));
                }
            }
        }
    }

    fn take_held(&mut self, id: u64) -> Held<P> {
        let h = self.held.remove(&id).expect("a held paper");
        self.held_bytes -= h.bytes;
        h
    }

    /// Releases a held paper before its folders are all read: what its
    /// meeting, its folder and the folders above it name by now.
    fn release_best(&mut self, id: u64) -> (P, Found) {
        let mut h = self.take_held(id);
        let f = self.folders.get(&h.folder);
        let date = h.needs.named.date;
        if !h.committee_done {
            h.found.committee = f.and_then(|f| meeting_or_folder(&f.committees_by_date, &f.committees, date));
            h.found.committee = h.found.committee.or_else(|| h.needs.path_committee.clone());
            h.committee_done = true;
        }
        if h.needs.council && h.found.council.is_none() {
            h.found.council = f.and_then(|f| meeting_or_folder(&f.councils_by_date, &f.councils, date)).or_else(|| {
                h.folder.ancestors().skip(1).find_map(|a| self.below.get(a).and_then(|t| t.agreed(ANCESTOR_SHARE, 2)))
            });
        }
        finish(h)
    }
}

/// The name the papers of a meeting give (any of them), else the one most of
/// the folder's papers give.
fn meeting_or_folder(
    by_date: &HashMap<Option<NaiveDate>, Tally>,
    all: &Tally,
    date: Option<NaiveDate>,
) -> Option<String> {
    date.and_then(|d| by_date.get(&Some(d))).and_then(|t| t.agreed(0.5, 1)).or_else(|| all.agreed(FOLDER_SHARE, 1))
}

/// A held paper's names, the folder's own name as the last resort for a council.
fn finish<P>(mut h: Held<P>) -> (P, Found) {
    if h.needs.council && h.found.council.is_none() {
        h.found.council = h.needs.path_council.take();
    }
    (h.paper, h.found)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn named(council: Option<&str>, committee: Option<&str>, date: Option<&str>) -> Named {
        Named {
            kind: Some(if committee == Some("Cabinet") { ItemType::Agenda } else { ItemType::Report }),
            council: council.map(String::from),
            committee: committee.map(String::from),
            date: date.map(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap()),
        }
    }

    fn needs(n: Named) -> Needs {
        Needs { council: n.council.is_none(), committee: n.committee.is_none(), named: n, ..Needs::default() }
    }

    /// Takes papers in order (path, own names); returns what each held one was given.
    fn run(papers: &[(&str, Named)]) -> BTreeMap<String, Found> {
        let mut cx: Context<String> = Context::new(papers.iter().map(|(p, _)| Path::new(*p)), HELD_BYTES);
        let mut out = BTreeMap::new();
        for (p, n) in papers {
            let path = Path::new(p);
            cx.named(path, n);
            if let Some(back) = cx.hold(path, p.to_string(), 10, needs(n.clone())) {
                out.insert(back, Found::default());
            }
            out.extend(cx.taken(path));
        }
        out.extend(cx.drain());
        assert_eq!(cx.held(), 0);
        out
    }

    #[test]
    fn a_paper_takes_the_names_of_its_meeting() {
        let found = run(&[
            (
                "/p/cabinet/2025-01-30/agenda.pdf",
                named(Some("Ashworth Borough Council"), Some("Cabinet"), Some("2025-01-30")),
            ),
            ("/p/cabinet/2025-01-30/report.pdf", named(None, None, Some("2025-01-30"))),
            ("/p/cabinet/2025-01-30/appendix.pdf", named(None, Some("Audit Committee"), Some("2025-01-30"))),
        ]);
        let report = &found["/p/cabinet/2025-01-30/report.pdf"];
        assert_eq!(report.council.as_deref(), Some("Ashworth Borough Council"));
        assert_eq!(report.committee.as_deref(), Some("Cabinet"));
        assert_eq!(found["/p/cabinet/2025-01-30/appendix.pdf"].committee, None, "it named its own");
    }

    #[test]
    fn a_council_comes_from_the_folders_above_when_nearly_all_agree() {
        let mut papers = vec![("/p/2019/01/a.md".to_string(), named(None, Some("Harbour District"), None))];
        for k in 0..9 {
            papers.push((
                format!("/p/2019/{:02}/m{k}.md", k + 2),
                named(Some("Dunmore City and County Council"), None, None),
            ));
        }
        // An OCR form counts as the same council (its identity); the common form is shown.
        papers.push(("/p/2020/x.md".into(), named(Some("Dunmore City & County Council"), None, None)));
        let refs: Vec<(&str, Named)> = papers.iter().map(|(p, n)| (p.as_str(), n.clone())).collect();
        let found = run(&refs);
        assert_eq!(found["/p/2019/01/a.md"].council.as_deref(), Some("Dunmore City and County Council"));
    }

    #[test]
    fn a_folder_of_several_councils_gives_none() {
        let found = run(&[
            ("/p/2015/01/a/index.md", named(Some("Hinton Parish Council"), None, None)),
            ("/p/2015/01/b/index.md", named(Some("Brackenfield Parish Council"), None, None)),
            ("/p/2015/01/c/index.md", named(None, None, None)),
        ]);
        assert_eq!(found["/p/2015/01/c/index.md"].council, None);
    }

    #[test]
    fn the_folder_s_own_name_is_the_last_resort() {
        let mut cx: Context<&str> = Context::new([Path::new("/p/ashworth/x.txt")], HELD_BYTES);
        let n = named(None, None, None);
        let mut nd = needs(n.clone());
        nd.path_council = Some("Ashworth Borough Council".into());
        cx.named(Path::new("/p/ashworth/x.txt"), &n);
        assert!(cx.hold(Path::new("/p/ashworth/x.txt"), "x", 10, nd).is_none());
        let out = cx.taken(Path::new("/p/ashworth/x.txt"));
        assert_eq!(out, vec![("x", Found { council: Some("Ashworth Borough Council".into()), committee: None })]);
    }

    #[test]
    fn held_papers_never_exceed_the_cap() {
        let paths: Vec<String> = (0..100).map(|k| format!("/p/{k}/x.txt")).collect();
        let mut cx: Context<usize> = Context::new(paths.iter().map(|p| Path::new(p.as_str())), 1000);
        let mut released = 0;
        // Every file in one folder would be held to the end; the cap lets them go.
        for (k, p) in paths.iter().enumerate() {
            let path = Path::new(p.as_str());
            let n = named(None, None, None);
            cx.named(path, &n);
            assert!(cx.hold(path, k, 300, needs(n)).is_none());
            released += cx.taken(path).len();
            assert!(cx.held_bytes <= 1000);
        }
        released += cx.drain().len();
        assert_eq!(released, 100);
    }
}
