//! `index --rebuild`: build a new index beside the live one and swap it in
//! whole, so that searches during a rebuild see the old index, never a half
//! built one, and a rebuild that fails or is killed leaves the live index as it
//! was.
//!
//! The new index is built in a hidden sibling folder (`.NAME.rebuild`) while
//! this run holds the live folder's writer lock (no other run writes to it
//! meanwhile). At the end the two folders are exchanged in one atomic rename
//! (`renameat2(RENAME_EXCHANGE)` on Linux; elsewhere two renames, with a
//! moment between them in which there is no index), and the old index is
//! deleted. Searches that had the old index open keep reading it until they
//! are done. A sibling left by a killed rebuild is cleared by the next one.

use std::path::{Path, PathBuf};

use tantivy::directory::{Directory, MmapDirectory, INDEX_WRITER_LOCK};

use crate::index;
use crate::{Error, Result};

/// Builds a new index with `build` (given the folder to build it in) and
/// swaps it in at `dir`.
pub(crate) fn beside<T>(dir: &Path, build: impl FnOnce(&Path) -> Result<T>) -> Result<T> {
    let staging = staging_dir(dir)?;
    std::fs::create_dir_all(dir).map_err(|source| Error::Io { path: dir.to_path_buf(), source })?;
    let live = MmapDirectory::open(dir)?;
    let _lock = live.acquire_lock(&INDEX_WRITER_LOCK).map_err(|e| index::lock_error(dir, e))?;
    clear(&staging)?;
    std::fs::create_dir_all(&staging).map_err(|source| Error::Io { path: staging.clone(), source })?;
    let built = build(&staging);
    if built.is_err() {
        let _ = std::fs::remove_dir_all(&staging);
        return built;
    }
    exchange(&staging, dir)?;
    // The old index, now at the staging path. Should it not go, the next rebuild clears it.
    let _ = std::fs::remove_dir_all(&staging);
    built
}

/// The hidden sibling folder a rebuild of `dir` is built in.
pub(crate) fn staging_dir(dir: &Path) -> Result<PathBuf> {
    let name =
        dir.file_name().ok_or_else(|| Error::BadInput(format!("{}: an index folder needs a name", dir.display())))?;
    let parent = dir.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    Ok(parent.join(format!(".{}.rebuild", name.to_string_lossy())))
}

/// True while a rebuild of `dir` is under way (or was killed midway).
pub(crate) fn under_way(dir: &Path) -> bool {
    staging_dir(dir).is_ok_and(|s| s.is_dir())
}

fn clear(staging: &Path) -> Result<()> {
    match std::fs::remove_dir_all(staging) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(source) => Err(Error::Io { path: staging.to_path_buf(), source }),
    }
}

/// Exchanges the folders `a` and `b` (both exist) in one step.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> Result<()> {
    use rustix::fs::{renameat_with, RenameFlags, CWD};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE)
        .map_err(|e| Error::Io { path: b.to_path_buf(), source: std::io::Error::from(e) })
}

/// Exchanges the folders `a` and `b` (both exist): two renames.
#[cfg(not(target_os = "linux"))]
fn exchange(a: &Path, b: &Path) -> Result<()> {
    let aside = a.with_extension("old");
    let io = |path: &Path| move |source| Error::Io { path: path.to_path_buf(), source };
    std::fs::rename(b, &aside).map_err(io(b))?;
    std::fs::rename(a, b).map_err(io(a))?;
    std::fs::rename(&aside, a).map_err(io(&aside))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_new_folder_takes_the_old_ones_place_whole() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("idx");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("old"), "old").unwrap();
        let stats = beside(&dir, |staging| {
            assert_eq!(staging, tmp.path().join(".idx.rebuild"));
            assert!(under_way(&dir));
            std::fs::write(staging.join("new"), "new").unwrap();
            // Until the swap, the live folder is untouched.
            assert!(dir.join("old").exists() && !dir.join("new").exists());
            Ok(7)
        })
        .unwrap();
        assert_eq!(stats, 7);
        assert!(dir.join("new").exists() && !dir.join("old").exists());
        assert!(!under_way(&dir));
        // A failed build leaves the live folder as it was, and no sibling.
        let failed: Result<()> = beside(&dir, |_| Err(Error::Internal("disk full".into())));
        assert!(failed.is_err());
        assert!(dir.join("new").exists() && !under_way(&dir));
    }
}
