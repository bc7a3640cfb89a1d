//! Papers from any council, through the library: one identity per council,
//! names a paper lacks taken from the papers of its meeting and folder, and
//! what a user declares in a settings file or with `index --council`. The
//! papers are written here, for invented councils.

use std::path::{Path, PathBuf};

use council_search::indexer::{index_paths, IndexOptions};
use council_search::record::StoredItem;
use council_search::search::{SearchOptions, Searcher};

/// Writes `files` (relative path, text) under a new folder.
fn papers(files: &[(&str, &str)]) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("papers");
    for (rel, text) in files {
        let p = root.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    (tmp, root)
}

/// Indexes `root` and returns every item, by file name.
fn index(tmp: &Path, root: &Path, options: IndexOptions) -> (Searcher, Vec<StoredItem>) {
    let idx = tmp.join("idx");
    index_paths(&idx, &[root.to_path_buf()], &options, &mut |_| {}).unwrap();
    let s = Searcher::open(&idx).unwrap();
    let mut items = Vec::new();
    s.export(&mut |it| {
        items.push(it);
        Ok(())
    })
    .unwrap();
    items.sort_by(|a, b| (&a.path, a.line_start).cmp(&(&b.path, b.line_start)));
    (s, items)
}

fn first<'a>(items: &'a [StoredItem], file: &str) -> &'a StoredItem {
    items.iter().find(|i| i.path.ends_with(file)).unwrap_or_else(|| panic!("no item of {file}"))
}

const AGENDA: &str = "ASHWORTH BOROUGH COUNCIL\n\nCABINET\n\nTuesday, 12th March, 2024, at 10.00 am\n\n\
    Council Chamber, Ashworth Town Hall\n\nAGENDA\n\n1. Apologies\n\n2. Budget Monitoring\n";
const REPORT: &str = "Budget Monitoring Report\n\nSummary\n\nThe forecast for the year is balanced.\n";

#[test]
fn a_paper_that_names_no_council_takes_its_meeting_s() {
    let (tmp, root) = papers(&[
        ("cabinet/2024-03-12/Agenda frontsheet.txt", AGENDA),
        ("cabinet/2024-03-12/Budget Monitoring Report.txt", REPORT),
    ]);
    let (_, items) = index(tmp.path(), &root, IndexOptions::default());
    let report = first(&items, "Budget Monitoring Report.txt");
    assert_eq!(report.meta.council.as_deref(), Some("Ashworth Borough Council"));
    assert_eq!(report.meta.committee.as_deref(), Some("Cabinet"));
    assert_eq!(report.meta.meeting_date.map(|d| d.to_string()).as_deref(), Some("2024-03-12"));
    let agenda = first(&items, "Agenda frontsheet.txt");
    assert!(agenda.meta.meeting_id.is_some());
    assert_eq!(report.meta.meeting_id, agenda.meta.meeting_id, "one meeting");
}

#[test]
fn a_folder_of_several_councils_gives_none_to_a_paper_that_names_none() {
    let minutes = |place: &str| {
        format!("Minutes of a meeting of {place} Parish Council held on Tuesday 7th May 2019 in {place} village hall\n\n1. Apologies\n")
    };
    let (tmp, root) = papers(&[
        ("2019/05/hinton/index.md", &minutes("Hinton")),
        ("2019/05/brackenfield/index.md", &minutes("Brackenfield")),
        ("2019/05/letter/index.md", "Dear Editor,\n\nThe lane is flooded again.\n"),
    ]);
    let (_, items) = index(tmp.path(), &root, IndexOptions::default());
    assert_eq!(first(&items, "hinton/index.md").meta.council.as_deref(), Some("Hinton Parish Council"));
    assert_eq!(first(&items, "letter/index.md").meta.council, None);
}

#[test]
fn one_council_whatever_its_papers_call_it_and_any_name_finds_it() {
    let (tmp, root) = papers(&[
        ("a.txt", "THE CORPORATION OF THE TOWNSHIP OF ELMVALE\n\nMINUTES\n\nTuesday, April 2, 2024\n\nPresent: Mayor.\n"),
        ("b.txt", "Elmvale Township Council\n\nAgenda of the meeting of Elmvale Township Council\n\nTuesday, April 16, 2024\n"),
        ("c.txt", "Elmvale Township Council\n\nMinutes of the meeting of Elmvale Township Council\n\nTuesday, May 7, 2024\n"),
    ]);
    let (s, items) = index(tmp.path(), &root, IndexOptions::default());
    let names: std::collections::BTreeSet<_> = items.iter().filter_map(|i| i.meta.council.clone()).collect();
    assert_eq!(names.len(), 1, "{names:?}");
    assert_eq!(names.first().map(String::as_str), Some("Elmvale Township Council"));
    let stats = s.stats().unwrap();
    assert_eq!(stats.councils.len(), 1);
    for name in ["Township of Elmvale", "elmvale township council", "Elmvale"] {
        let opts = SearchOptions { council: Some(name.into()), limit: 100, ..SearchOptions::default() };
        let r = s.search(&opts).unwrap();
        assert_eq!(r.total, items.len(), "{name}: {:?}", r.warnings);
    }
}

#[test]
fn a_settings_file_and_the_command_line_say_it_outright() {
    let (tmp, root) = papers(&[
        (
            "council-search.toml",
            "council = \"Ashworth Borough Council\"\ncouncil_aliases = [\"ABC\"]\n\n[committees]\n\"Executive Board\" = \"Cabinet\"\n",
        ),
        ("exec/2024-03-12/minutes.txt", "Minutes of the meeting of the Executive Board held on 12 March 2024\n\n1. Apologies\n"),
    ]);
    let (s, items) = index(tmp.path(), &root, IndexOptions::default());
    let m = first(&items, "minutes.txt");
    assert_eq!(m.meta.council.as_deref(), Some("Ashworth Borough Council"));
    assert_eq!(m.meta.committee.as_deref(), Some("Cabinet"));
    assert!(!items.iter().any(|i| i.path.ends_with("council-search.toml")), "the settings file is no paper");
    for (council, committee) in [("ABC", None), ("Ashworth Borough Council", Some("executive board"))] {
        let opts = SearchOptions {
            council: Some(council.into()),
            committee: committee.map(String::from),
            limit: 100,
            ..SearchOptions::default()
        };
        assert_eq!(s.search(&opts).unwrap().total, items.len(), "{council} {committee:?}");
    }
    let stats = s.stats().unwrap();
    assert_eq!(stats.council_aliases["Ashworth Borough Council"], vec!["ABC".to_string()]);

    let options =
        IndexOptions { rebuild: true, council: Some("Hinton Town Council".into()), ..IndexOptions::default() };
    let (_, items) = index(tmp.path(), &root, options);
    assert!(items.iter().all(|i| i.meta.council.as_deref() == Some("Hinton Town Council")));
}

#[test]
fn a_bad_settings_file_is_an_error_naming_it() {
    let (tmp, root) = papers(&[("council-search.toml", "councill = \"x\"\n"), ("a.txt", "Minutes\n")]);
    let err = index_paths(&tmp.path().join("idx"), &[root], &IndexOptions::default(), &mut |_| {}).unwrap_err();
    assert!(err.to_string().contains("council-search.toml"), "{err}");
    assert!(err.is_user_error());
}

#[test]
fn a_meeting_lists_its_papers_in_agenda_order() {
    let agenda = "ASHWORTH BOROUGH COUNCIL\n\nCABINET\n\nTuesday, 12th March, 2024, at 10.00 am\n\nAGENDA\n\n\
                  1. Apologies\n\n2. Parks Strategy Review (Pages 1 - 8)\n\n3. Budget Monitoring (Pages 9 - 20)\n";
    let (tmp, root) = papers(&[
        ("cabinet/2024-03-12/Agenda frontsheet.txt", agenda),
        ("cabinet/2024-03-12/Budget Monitoring Report.txt", REPORT),
        ("cabinet/2024-03-12/Parks Strategy Review.txt", "Parks Strategy Review\n\nSummary\n\nThe parks need work.\n"),
    ]);
    let (s, items) = index(tmp.path(), &root, IndexOptions::default());
    let report = first(&items, "Budget Monitoring Report.txt");
    // Any item's id names its meeting.
    let m = s.meeting(&report.id).unwrap();
    assert_eq!(Some(&m.meeting_id), report.meta.meeting_id.as_ref());
    assert_eq!(m.committee.as_deref(), Some("Cabinet"));
    let files: Vec<&str> = m.papers.iter().map(|p| p.path.rsplit('/').next().unwrap()).collect();
    assert_eq!(files, ["Agenda frontsheet.txt", "Parks Strategy Review.txt", "Budget Monitoring Report.txt"]);
    let agenda_items: Vec<Option<&str>> = m.papers[0].items.iter().map(|i| i.meta.agenda_item.as_deref()).collect();
    assert_eq!(agenda_items, [None, Some("1"), Some("2"), Some("3")]);
    assert!(m.papers.iter().flat_map(|p| &p.items).all(|i| i.body.is_none()));
    assert!(s.meeting("0000000000000000").is_err_and(|e| e.is_user_error()));

    // The binary prints the same as one JSON object.
    let idx = tmp.path().join("idx");
    let out = crate::util::run(&["meeting", &m.meeting_id, "--index", idx.to_str().unwrap(), "--format", "json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["meeting_id"], m.meeting_id.as_str());
    assert_eq!(v["papers"].as_array().map(Vec::len), Some(3));
    assert_eq!(v["papers"][0]["items"][0]["item_type"], "agenda");
}
