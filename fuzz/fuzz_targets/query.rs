//! The query path with a real search: any text as a query over an index of
//! one seed pack, with and without a filter and each sort. A mistake in the
//! query may be refused (a user error); nothing may panic or fail inside.
#![no_main]

use std::sync::OnceLock;

use council_search::paper::ItemType;
use council_search::search::{SearchOptions, Searcher, Sort};
use libfuzzer_sys::fuzz_target;

fn searcher() -> &'static Searcher {
    static S: OnceLock<(tempfile::TempDir, Searcher)> = OnceLock::new();
    &S.get_or_init(|| {
        let tmp = tempfile::tempdir().expect("a temporary folder");
        let idx = tmp.path().join("idx");
        let seed = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../corpus-sample");
        let seed = std::fs::read_dir(seed)
            .expect("corpus-sample")
            .map(|e| e.expect("an entry").path())
            .find(|p| p.file_name().is_some_and(|n| n.to_string_lossy().starts_with("001_")))
            .expect("seed 001");
        council_search::indexer::index_paths(&idx, &[seed], &Default::default(), &mut |_| {}).expect("index");
        let s = Searcher::open(&idx).expect("open");
        (tmp, s)
    })
    .1
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, text)) = data.split_first() else { return };
    let query = String::from_utf8_lossy(text).into_owned();
    let opts = SearchOptions {
        query,
        item_types: if mode & 1 == 1 { vec![ItemType::Minutes, ItemType::Decision] } else { Vec::new() },
        sort: if mode & 2 == 2 { Sort::Date } else { Sort::Relevance },
        all_words: mode & 4 == 4,
        offset: usize::from(mode >> 4),
        limit: 5,
        facets: mode & 8 == 8,
        ..SearchOptions::default()
    };
    if let Err(e) = searcher().search(&opts) {
        assert!(e.is_user_error(), "internal error for {:?}: {e}", opts.query);
    }
});
