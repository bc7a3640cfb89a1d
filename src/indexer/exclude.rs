//! What not to index: `--exclude GLOB` patterns and a `.council-search-ignore`
//! file in an indexed folder (one glob a line, `#` for comments). A pattern
//! without `/` matches a file or folder name anywhere below the root
//! (`README.md`, `*.csv`, `drafts`); a pattern with `/` matches the path
//! relative to the root (`2019/*.txt`). An excluded folder excludes everything
//! in it.

use std::path::Path;

use globset::{Glob, GlobSet, GlobSetBuilder};

use crate::{Error, Result};

/// The name of the ignore file read from each indexed folder.
pub const IGNORE_FILE: &str = ".council-search-ignore";

/// Compiled exclusion patterns for one indexed root.
#[derive(Debug, Clone)]
pub struct Excludes {
    names: GlobSet,
    paths: GlobSet,
}

impl Excludes {
    /// Compiles `patterns` plus the root's ignore file, if it has one.
    pub fn new(patterns: &[String], root: &Path) -> Result<Excludes> {
        let mut all: Vec<(String, String)> = patterns.iter().map(|p| (p.clone(), "--exclude".to_string())).collect();
        let file = root.join(IGNORE_FILE);
        if let Ok(text) = std::fs::read_to_string(&file) {
            for line in text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')) {
                all.push((line.to_string(), file.display().to_string()));
            }
        }
        let (mut names, mut paths) = (GlobSetBuilder::new(), GlobSetBuilder::new());
        for (pattern, from) in all {
            let p = pattern.trim_start_matches("./").trim_end_matches('/');
            let glob = Glob::new(p).map_err(|e| Error::BadInput(format!("{from}: bad pattern {pattern:?}: {e}")))?;
            if p.contains('/') {
                paths.add(glob);
            } else {
                names.add(glob);
            }
        }
        let build = |b: GlobSetBuilder| b.build().map_err(|e| Error::BadInput(format!("exclude patterns: {e}")));
        Ok(Excludes { names: build(names)?, paths: build(paths)? })
    }

    /// True when `rel` (a path relative to the root) is excluded, by its own
    /// name, a folder's name on the way, or its whole relative path.
    pub fn is_excluded(&self, rel: &Path) -> bool {
        if rel.as_os_str().is_empty() {
            return false;
        }
        rel.components().any(|c| self.names.is_match(c.as_os_str())) || self.paths.is_match(rel)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_match_anywhere_and_paths_from_the_root() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::write(tmp.path().join(IGNORE_FILE), "# not papers\nMANIFEST.csv\ndrafts\n").unwrap();
        let ex = Excludes::new(&["README.md".into(), "2019/*.txt".into()], tmp.path()).unwrap();
        assert!(ex.is_excluded(Path::new("README.md")));
        assert!(ex.is_excluded(Path::new("kent/README.md")));
        assert!(ex.is_excluded(Path::new("kent/MANIFEST.csv")));
        assert!(ex.is_excluded(Path::new("drafts/minutes.txt")));
        assert!(ex.is_excluded(Path::new("2019/minutes.txt")));
        assert!(!ex.is_excluded(Path::new("2020/minutes.txt")));
        assert!(!ex.is_excluded(Path::new("kent/minutes.md")));
        assert!(Excludes::new(&["[".into()], tmp.path()).is_err());
    }
}
