//! One meeting, one view: every paper and item of a meeting (the items that
//! share its `meeting_id`), in the order a clerk opens them: the agenda
//! first, then the papers by the agenda item they are for, each paper's items
//! in their own order; what no agenda item claims comes last. Rendering is
//! the binary's.

use std::cmp::Ordering;

use chrono::NaiveDate;
use serde::Serialize;
use tantivy::collector::TopDocs;
use tantivy::query::TermQuery;
use tantivy::schema::{IndexRecordOption, TantivyDocument};
use tantivy::Term;

use super::Searcher;
use crate::paper::ItemType;
use crate::record::StoredItem;
use crate::{Error, Result};

/// Most items one meeting lists.
pub(crate) const MAX_ITEMS: usize = 10_000;

/// A meeting and what it holds.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Meeting {
    /// Its id.
    pub meeting_id: String,
    /// Its council, as shown everywhere.
    pub council: Option<String>,
    /// The body that met.
    pub committee: Option<String>,
    /// Its date.
    pub meeting_date: Option<NaiveDate>,
    /// Its papers, in agenda order.
    pub papers: Vec<MeetingPaper>,
}

/// One paper of a meeting, with its items (their text left out).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct MeetingPaper {
    /// The paper's file.
    pub path: String,
    /// The agenda item it is for, where it says.
    pub agenda_item: Option<String>,
    /// Its items, in their order in the paper.
    pub items: Vec<StoredItem>,
}

impl Searcher {
    /// The meeting `id` names: a meeting id, or the id of any of its items.
    pub fn meeting(&self, id: &str) -> Result<Meeting> {
        super::catching(|| {
            let searcher = self.reader.searcher();
            let f = self.open.fields;
            let councils = self.councils();
            let id = id.trim();
            let mut meeting_id = id.to_string();
            let mut items = self.items_of_meeting(&searcher, &councils, id)?;
            if items.is_empty() {
                // An item's id stands for its meeting.
                let q = TermQuery::new(Term::from_field_text(f.id, id), IndexRecordOption::Basic);
                let top = searcher.search(&q, &TopDocs::with_limit(1).order_by_score())?;
                let item = top
                    .first()
                    .map(|&(_, a)| searcher.doc::<TantivyDocument>(a).map(|d| StoredItem::from_document(&d, &f)))
                    .transpose()?;
                meeting_id =
                    item.and_then(|i| i.meta.meeting_id).ok_or_else(|| Error::NoSuchMeeting(id.to_string()))?;
                items = self.items_of_meeting(&searcher, &councils, &meeting_id)?;
            }
            Ok(arrange(meeting_id, items))
        })
    }

    /// Every item that carries the meeting id `id`, without its text.
    fn items_of_meeting(
        &self,
        searcher: &tantivy::Searcher,
        councils: &super::Councils,
        id: &str,
    ) -> Result<Vec<StoredItem>> {
        let f = self.open.fields;
        let q = TermQuery::new(Term::from_field_text(f.meeting_id, id), IndexRecordOption::Basic);
        let mut out = Vec::new();
        for (_, a) in searcher.search(&q, &TopDocs::with_limit(MAX_ITEMS).order_by_score())? {
            let mut item = councils.item(&searcher.doc::<TantivyDocument>(a)?, &f);
            item.body = None;
            out.push(item);
        }
        Ok(out)
    }
}

/// The meeting's items grouped into papers, in agenda order.
pub(crate) fn arrange(meeting_id: String, mut items: Vec<StoredItem>) -> Meeting {
    items.sort_by(|a, b| (&a.path, a.line_start, &a.id).cmp(&(&b.path, b.line_start, &b.id)));
    let first = items.iter().find(|i| i.meta.item_type != ItemType::Decision).or(items.first());
    let council = first.and_then(|i| i.meta.council.clone());
    let committee = first.and_then(|i| i.meta.committee.clone());
    let meeting_date = first.and_then(|i| i.meta.meeting_date);
    let mut papers: Vec<MeetingPaper> = Vec::new();
    for item in items {
        match papers.last_mut() {
            Some(p) if p.path == item.path => p.items.push(item),
            _ => papers.push(MeetingPaper { path: item.path.clone(), agenda_item: None, items: vec![item] }),
        }
    }
    // The agenda's entries: (number, words of the title).
    let entries: Vec<(String, Vec<String>)> = papers
        .iter()
        .flat_map(|p| &p.items)
        .filter(|i| i.meta.item_type == ItemType::Agenda)
        .filter_map(|i| Some((i.meta.agenda_item.clone()?, title_words(&i.meta.title))))
        .collect();
    for p in &mut papers {
        // A paper is for the agenda item its first item names (an agenda's
        // entries are its own; the agenda itself comes first), else the entry
        // its title shares most words with.
        let first = p.items.iter().find(|i| i.meta.item_type != ItemType::Agenda);
        p.agenda_item = first.and_then(|i| i.meta.agenda_item.clone()).or_else(|| {
            let words = title_words(&first?.meta.title);
            entries
                .iter()
                .map(|(n, e)| (shared(&words, e), n))
                .filter(|&(share, _)| share >= 0.6)
                .max_by(|a, b| a.0.total_cmp(&b.0))
                .map(|(_, n)| n.clone())
        });
    }
    papers.sort_by(|a, b| {
        paper_order(a)
            .cmp(&paper_order(b))
            .then_with(|| agenda_cmp(&a.agenda_item, &b.agenda_item))
            .then_with(|| a.path.cmp(&b.path))
    });
    Meeting { meeting_id, council, committee, meeting_date, papers }
}

/// The words of a title that say what it is about, lower case.
fn title_words(t: &str) -> Vec<String> {
    t.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.len() > 2 && !matches!(*w, "the" | "and" | "for" | "report" | "appendix"))
        .map(str::to_lowercase)
        .collect()
}

/// The share of the shorter word list found in the other.
fn shared(a: &[String], b: &[String]) -> f64 {
    let n = a.len().min(b.len());
    if n == 0 {
        return 0.0;
    }
    a.iter().filter(|w| b.contains(w)).count() as f64 / n as f64
}

/// Agendas first, then papers for an agenda item, then the rest.
fn paper_order(p: &MeetingPaper) -> u8 {
    let agenda = p.items.first().is_some_and(|i| i.meta.item_type == ItemType::Agenda);
    match (agenda, &p.agenda_item) {
        (true, _) => 0,
        (false, Some(_)) => 1,
        (false, None) => 2,
    }
}

/// Agenda items in their printed order: `2` < `5a` < `7.1` < `10`.
fn agenda_cmp(a: &Option<String>, b: &Option<String>) -> Ordering {
    let key = |s: &str| {
        let digits: String = s.chars().take_while(char::is_ascii_digit).collect();
        (digits.parse::<u64>().unwrap_or(u64::MAX), s[digits.len()..].to_string())
    };
    match (a, b) {
        (Some(a), Some(b)) => key(a).cmp(&key(b)),
        (a, b) => a.is_none().cmp(&b.is_none()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::paper::ItemMeta;

    fn item(path: &str, line: usize, t: ItemType, agenda_item: Option<&str>) -> StoredItem {
        // The agenda's item 6 and the paper on the parks share their title's words.
        let title = if line == 12 || path == "parks.pdf" {
            "Parks Strategy Review".to_string()
        } else {
            format!("{path}:{line}")
        };
        let mut meta = ItemMeta::new(t, title);
        meta.agenda_item = agenda_item.map(String::from);
        StoredItem {
            id: format!("{path}{line}"),
            path: path.into(),
            line_start: line,
            line_end: line,
            meta,
            pdf_page_start: None,
            pdf_page_end: None,
            parent_id: None,
            present: vec![],
            apologies: vec![],
            attending: vec![],
            acronyms: vec![],
            format: crate::extract::Format::Text,
            file_hash: String::new(),
            content_hash: None,
            body: None,
            layout: Default::default(),
        }
    }

    #[test]
    fn a_meeting_s_papers_come_in_agenda_order() {
        let m = arrange(
            "m".into(),
            vec![
                item("z-report.pdf", 1, ItemType::Report, Some("10")),
                item("notes.pdf", 1, ItemType::Report, None),
                item("parks.pdf", 1, ItemType::Report, None),
                item("agenda.pdf", 12, ItemType::Agenda, Some("6")),
                item("b-report.pdf", 1, ItemType::Report, Some("5a")),
                item("agenda.pdf", 9, ItemType::Agenda, Some("1")),
                item("agenda.pdf", 1, ItemType::Agenda, None),
                item("a-report.pdf", 1, ItemType::Report, Some("7.1")),
                item("b-report.pdf", 40, ItemType::Appendix, Some("5a")),
            ],
        );
        let paths: Vec<&str> = m.papers.iter().map(|p| p.path.as_str()).collect();
        assert_eq!(paths, ["agenda.pdf", "b-report.pdf", "parks.pdf", "a-report.pdf", "z-report.pdf", "notes.pdf"]);
        assert_eq!(m.papers[0].items.iter().map(|i| i.line_start).collect::<Vec<_>>(), [1, 9, 12]);
        assert_eq!(m.papers[1].items.len(), 2);
    }
}
