//! Handing items to a Quickwit cluster: the index configuration and the items
//! as NDJSON files of at most [`MAX_FILE_BYTES`] (Quickwit's ingest limit), and
//! the delete queries that clear the exported papers' old items first.
//!
//! Each line is the stored item as every output writes it (its text included),
//! plus what the cluster needs to search it as the local index does: our
//! analysed terms of each text field (`*_terms`), the normalised council and
//! committee keys, the year columns, and the line and page layout for
//! snippets. [`item_of_line`] reads a line back into the stored item.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::Serialize;
use serde_json::{json, Map, Value};

use super::{config, terms};
use crate::record::{StoredItem, TextLayout};
use crate::{paper, Error, Result};

/// Largest NDJSON file written: Quickwit's default ingest request limit.
pub const MAX_FILE_BYTES: usize = 10 * 1024 * 1024;

/// The name of the index configuration file in an export folder.
pub const CONFIG_FILE: &str = "index-config.yaml";

/// The name of the delete queries file in an export folder.
pub const DELETES_FILE: &str = "delete-queries.ndjson";

/// What an export wrote.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ExportSummary {
    /// The export folder.
    pub dir: PathBuf,
    /// Items written.
    pub items: usize,
    /// Papers they come from (one delete query each).
    pub papers: usize,
    /// The NDJSON files, in order.
    pub files: Vec<PathBuf>,
    /// Bytes of NDJSON written.
    pub bytes: u64,
    /// Items left out because one line of theirs would be over the cluster's
    /// request limit: (id, bytes).
    pub too_large: Vec<(String, usize)>,
}

/// Writes items to NDJSON files in `dir`, each under [`MAX_FILE_BYTES`].
pub struct Exporter {
    dir: PathBuf,
    summary: ExportSummary,
    current: Option<(std::io::BufWriter<std::fs::File>, usize)>,
    paths: std::collections::BTreeSet<String>,
    text: tantivy::tokenizer::TextAnalyzer,
    names: tantivy::tokenizer::TextAnalyzer,
}

impl Exporter {
    /// Starts an export into `dir` (created if needed; it must hold no earlier
    /// export), writing the index configuration for `index_id` first.
    pub fn new(dir: &Path, index_id: &str) -> Result<Exporter> {
        if !config::valid_index_id(index_id) {
            return Err(Error::BadInput(format!(
                "--index-id {index_id:?}: a Quickwit index id starts with a letter and has 3 to 255 letters, digits, `_` or `-`"
            )));
        }
        std::fs::create_dir_all(dir).map_err(|source| Error::Io { path: dir.to_path_buf(), source })?;
        let earlier = std::fs::read_dir(dir)
            .map_err(|source| Error::Io { path: dir.to_path_buf(), source })?
            .filter_map(|e| e.ok())
            .any(|e| e.file_name().to_string_lossy().ends_with(".ndjson"));
        if earlier {
            return Err(Error::BadInput(format!("{}: holds an earlier export; give an empty folder", dir.display())));
        }
        write_file(&dir.join(CONFIG_FILE), config::index_config(index_id).as_bytes())?;
        Ok(Exporter {
            dir: dir.to_path_buf(),
            summary: ExportSummary { dir: dir.to_path_buf(), ..ExportSummary::default() },
            current: None,
            paths: Default::default(),
            text: terms::text_analyzer(),
            names: terms::name_analyzer(),
        })
    }

    /// Adds one item.
    pub fn add(&mut self, item: &StoredItem) -> Result<()> {
        let mut line = serde_json::to_string(&self.line_of(item)).map_err(|e| Error::Internal(e.to_string()))?;
        line.push('\n');
        if line.len() > MAX_FILE_BYTES {
            self.summary.too_large.push((item.id.clone(), line.len()));
            return Ok(());
        }
        let full = self.current.as_ref().is_some_and(|(_, n)| n + line.len() > MAX_FILE_BYTES);
        if full || self.current.is_none() {
            self.next_file()?;
        }
        let path = self.summary.files.last().cloned().unwrap_or_default();
        if let Some((w, n)) = self.current.as_mut() {
            w.write_all(line.as_bytes()).map_err(|source| Error::Io { path, source })?;
            *n += line.len();
        }
        self.summary.items += 1;
        self.summary.bytes += line.len() as u64;
        self.paths.insert(item.path.clone());
        Ok(())
    }

    fn next_file(&mut self) -> Result<()> {
        self.flush()?;
        let path = self.dir.join(format!("items-{:05}.ndjson", self.summary.files.len() + 1));
        let file = std::fs::File::create(&path).map_err(|source| Error::Io { path: path.clone(), source })?;
        self.current = Some((std::io::BufWriter::new(file), 0));
        self.summary.files.push(path);
        Ok(())
    }

    fn flush(&mut self) -> Result<()> {
        if let Some((mut w, _)) = self.current.take() {
            let path = self.summary.files.last().cloned().unwrap_or_default();
            w.flush().map_err(|source| Error::Io { path, source })?;
        }
        Ok(())
    }

    /// Writes the delete queries of the exported papers and ends the export.
    pub fn finish(mut self) -> Result<ExportSummary> {
        self.flush()?;
        let mut deletes = String::new();
        for p in &self.paths {
            deletes.push_str(&json!({"query": format!("path:{}", super::translate::quote(p))}).to_string());
            deletes.push('\n');
        }
        write_file(&self.dir.join(DELETES_FILE), deletes.as_bytes())?;
        self.summary.papers = self.paths.len();
        Ok(self.summary)
    }

    /// One item's line: the stored item, its analysed terms, keys and layout.
    fn line_of(&mut self, item: &StoredItem) -> Value {
        let mut line: Map<String, Value> = match serde_json::to_value(item) {
            Ok(Value::Object(m)) => m,
            _ => Map::new(),
        };
        let searched = crate::indexer::searched_terms(item);
        let m = &item.meta;
        let text = &mut self.text;
        let mut put = |k: &str, v: Value| {
            line.insert(k.to_string(), v);
        };
        put("title_terms", json!(terms::term_stream(text, &m.title)));
        put("agenda_title_terms", json!(terms::terms_of_values(text, m.agenda_title.as_deref())));
        put("headings_terms", json!(terms::terms_of_values(text, searched.headings.iter().map(String::as_str))));
        put("body_terms", json!(terms::term_stream(text, item.body())));
        put("expansions_terms", json!(terms::terms_of_values(text, searched.expansions.iter().map(String::as_str))));
        put("caps", json!(searched.caps));
        put("presenter_terms", json!(terms::terms_of_values(&mut self.names, m.presenter.as_deref())));
        let people = item.present.iter().chain(&item.apologies).chain(&item.attending).map(String::as_str);
        put("attendance_terms", json!(terms::terms_of_values(&mut self.names, people)));
        put("council_key", json!(m.council.as_deref().map(paper::normalise_council)));
        put("committee_key", json!(m.committee.as_deref().map(paper::normalise_committee)));
        let day = m.meeting_date.map_or_else(|| config::UNDATED.to_string(), |d| d.to_string());
        put(config::TIMESTAMP_FIELD, json!(day));
        if let Some(d) = m.meeting_date {
            use chrono::Datelike;
            let year = d.year().max(0) as u64;
            put("year", json!(year));
            put("year_month", json!(year * 100 + u64::from(d.month())));
        }
        let pairs = |p: &[(usize, u32)]| p.iter().flat_map(|&(l, pg)| [l as u64, u64::from(pg)]).collect::<Vec<_>>();
        put("line_positions", json!(item.layout.line_positions));
        put("page_markers", json!(pairs(&item.layout.page_markers)));
        put("pdf_pages", json!(pairs(&item.layout.pdf_pages)));
        Value::Object(line)
    }
}

/// The stored item a line (or a cluster hit) holds, its layout included.
pub fn item_of_line(line: &Value) -> Result<StoredItem> {
    let mut item: StoredItem = serde_json::from_value(line.clone())
        .map_err(|e| Error::Cluster(format!("an item it holds is not one of ours: {e}")))?;
    let numbers = |k: &str| -> Vec<u64> {
        line.get(k).and_then(Value::as_array).map(|a| a.iter().filter_map(Value::as_u64).collect()).unwrap_or_default()
    };
    let pairs = |k: &str| numbers(k).chunks_exact(2).map(|c| (c[0] as usize, c[1] as u32)).collect();
    item.layout = TextLayout {
        line_positions: numbers("line_positions").into_iter().map(|n| n as u32).collect(),
        page_markers: pairs("page_markers"),
        pdf_pages: pairs("pdf_pages"),
    };
    Ok(item)
}

fn write_file(path: &Path, bytes: &[u8]) -> Result<()> {
    std::fs::write(path, bytes).map_err(|source| Error::Io { path: path.to_path_buf(), source })
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::paper::{ItemMeta, ItemType};
    use crate::record::ContentHash;

    fn item(n: usize, body: &str) -> StoredItem {
        let mut meta = ItemMeta::new(ItemType::Minutes, format!("Minutes {n}"));
        meta.council = Some("Ashworth Borough Council".into());
        meta.committee = Some("Health & Wellbeing Board".into());
        meta.meeting_date = chrono::NaiveDate::from_ymd_opt(2019, 6, 14);
        meta.presenter = Some("Dr A Smith".into());
        StoredItem {
            id: format!("{n:016x}"),
            path: format!("/papers/{}.txt", n % 7),
            line_start: 1,
            line_end: 3,
            meta,
            pdf_page_start: Some(1),
            pdf_page_end: Some(2),
            parent_id: None,
            present: vec!["Cllr B Jones".into()],
            apologies: vec![],
            attending: vec!["J O'Brien".into()],
            acronyms: vec!["SEND=Special Educational Needs and Disabilities".into()],
            format: crate::extract::Format::Pdf,
            file_hash: "ab".repeat(32),
            content_hash: Some(ContentHash(u64::MAX - n as u64)),
            body: Some(body.to_string()),
            layout: TextLayout {
                line_positions: vec![0, 3, 9],
                page_markers: vec![(2, 7)],
                pdf_pages: vec![(1, 1), (3, 2)],
            },
        }
    }

    #[test]
    fn lines_round_trip_to_the_stored_item_and_carry_only_mapped_fields() {
        let tmp = tempfile::tempdir().unwrap();
        let mut ex = Exporter::new(tmp.path(), "council_items").unwrap();
        let it = item(1, "SEND pupils\n3. Background\nThe self-harm plan FP/17/09/14");
        let line = ex.line_of(&it);
        assert_eq!(item_of_line(&line).unwrap(), it);
        assert_eq!(line["body_terms"], "send pupil 3 background self harm plan fp 17 09 14 selfharm fp/17/09/14");
        assert_eq!(line["headings_terms"], "3 background");
        assert_eq!(line["caps"], json!(["FP", "SEND"]));
        assert_eq!(line["expansions_terms"], "special educ need disabl");
        assert_eq!(line["committee_key"], crate::paper::normalise_committee("Health & Wellbeing Board"));
        assert_eq!(line["attendance_terms"], "cllr b jones j o'brien");
        assert_eq!(line["year_month"], 201906);
        assert_eq!(line["meeting_date"], "2019-06-14");
        // Quickwit's strict mode refuses fields it does not know: every key is mapped.
        let mapped: BTreeSet<String> = config::cluster_fields().into_iter().map(|f| f.name).collect();
        for key in line.as_object().unwrap().keys() {
            assert!(mapped.contains(key), "{key} is not in the index configuration");
        }
    }

    #[test]
    fn files_stay_under_the_ingest_limit_and_deletes_name_each_paper() {
        let tmp = tempfile::tempdir().unwrap();
        let mut ex = Exporter::new(tmp.path(), "council_items").unwrap();
        let body = "word ".repeat(60_000);
        for n in 0..120 {
            ex.add(&item(n, &body)).unwrap();
        }
        ex.add(&item(999, &"x".repeat(MAX_FILE_BYTES))).unwrap();
        let summary = ex.finish().unwrap();
        assert_eq!(summary.items, 120);
        assert_eq!(summary.too_large.len(), 1);
        assert!(summary.files.len() >= 3, "{:?}", summary.files);
        let mut lines = 0;
        for f in &summary.files {
            let text = std::fs::read_to_string(f).unwrap();
            assert!(text.len() <= MAX_FILE_BYTES, "{}: {}", f.display(), text.len());
            lines += text.lines().count();
        }
        assert_eq!(lines, 120);
        let deletes = std::fs::read_to_string(tmp.path().join(DELETES_FILE)).unwrap();
        assert_eq!(deletes.lines().count(), 7);
        assert!(deletes.contains(r#"{"query":"path:\"/papers/0.txt\""}"#), "{deletes}");
        assert!(std::fs::read_to_string(tmp.path().join(CONFIG_FILE)).unwrap().contains("index_id: council_items"));
        assert!(Exporter::new(tmp.path(), "council_items").is_err(), "an earlier export is not overwritten");
    }
}
