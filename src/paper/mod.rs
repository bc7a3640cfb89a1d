//! The domain: what a council paper is made of.
//!
//! A pack (one file) is segmented into [`Item`]s: the agenda, guidance notes, the
//! minutes of the previous meeting, each report, each appendix, the work
//! programme, and one agenda-entry record per agenda item. Every item carries its
//! metadata and the line range it spans in the source file. This module knows
//! nothing about the index.

mod bodies;
mod dates;
mod decisions;
mod head;
mod kinds;
mod lines;
mod minutes;
mod names;
mod segment;

use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

pub use dates::parse_date;
pub use names::{council_identity, normalise_committee, normalise_council};
pub use segment::{segment, segment_with_path};

/// Every record a pack yields: its segmented items, then records derived from
/// them (decisions extracted from minutes). This is what the indexer indexes.
/// The path gives the meeting date the text and front matter lack, and says
/// what kind of paper it is; a council or committee named only by a folder is
/// left to the indexer, which looks first at the other papers of the meeting
/// ([`path_names`]).
pub fn items(text: &crate::extract::Text, path: &std::path::Path) -> Vec<Item> {
    let mut items = segment::segment_paper(text, path);
    let acronyms = crate::lexicon::learn_acronyms(text.lines.iter().map(String::as_str));
    for item in items.iter_mut().filter(|i| i.meta.item_type == ItemType::Minutes) {
        item.attendance = minutes::attendance(&text.lines, item);
    }
    let decisions = decisions::decisions(&text.lines, &items);
    items.extend(decisions);
    for item in &mut items {
        if let Some(url) = &text.meta.source_url {
            item.meta.source_url.get_or_insert_with(|| url.clone());
        }
        item.acronyms.clone_from(&acronyms);
    }
    items
}

/// The id of a meeting: the same for every paper and item of one meeting of one
/// body (its council, its committee, its date), however each names them (case,
/// spacing, `&`, word order: see [`council_identity`] and
/// [`normalise_committee`]). 16 hex digits.
pub fn meeting_id(council: Option<&str>, committee: Option<&str>, date: Option<NaiveDate>) -> String {
    let mut h = blake3::Hasher::new();
    h.update(council.map(council_identity).unwrap_or_default().as_bytes());
    h.update(b"\0");
    h.update(committee.map(normalise_committee).unwrap_or_default().as_bytes());
    h.update(b"\0");
    if let Some(d) = date {
        h.update(d.format("%Y-%m-%d").to_string().as_bytes());
    }
    h.finalize().to_hex()[..16].to_string()
}

/// What a paper says about itself: the council and committee it names and the
/// date of its meeting. The papers of a folder that name nothing take theirs
/// from these.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Named {
    /// The council the paper names.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub council: Option<String>,
    /// The body that met, as the paper names it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub committee: Option<String>,
    /// The date of the meeting the paper is for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<NaiveDate>,
    /// What kind of paper it is (an agenda or minutes names the body that met).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<ItemType>,
}

impl Named {
    /// True when the paper names nothing.
    pub fn is_empty(&self) -> bool {
        self.council.is_none() && self.committee.is_none() && self.date.is_none() && self.kind.is_none()
    }
}

/// The council and the body the folders of a paper's path name, if any:
/// `…/ashworth-borough-council/…`, `…/06-Meeting of the Planning Committee/x.pdf`.
pub fn path_names(path: &std::path::Path) -> (Option<String>, Option<String>) {
    (bodies::path_council(path), bodies::path_body(path))
}

/// What kind of paper an item is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub enum ItemType {
    /// The front sheet and agenda, or one agenda entry.
    Agenda,
    /// Guidance notes for the meeting (procedure boilerplate).
    GuidanceNotes,
    /// Minutes of a meeting (dated by the meeting they record).
    Minutes,
    /// An officer's report.
    Report,
    /// An appendix to a report.
    Appendix,
    /// A work programme, forward plan or outcome tracker.
    WorkProgramme,
    /// A decision recorded in minutes ("RESOLVED that ..."), linked to its minutes.
    Decision,
    /// A newsletter a council publishes to its residents.
    Newsletter,
    /// A letter (to or from the council), published on its own.
    Letter,
    /// A public notice (a vacancy, an election, a closure), not a meeting's agenda.
    Notice,
    /// Slides presented at a meeting.
    Presentation,
}

impl ItemType {
    /// Every type, in the order the CLI lists them.
    pub const ALL: [ItemType; 11] = [
        ItemType::Agenda,
        ItemType::GuidanceNotes,
        ItemType::Minutes,
        ItemType::Report,
        ItemType::Appendix,
        ItemType::WorkProgramme,
        ItemType::Decision,
        ItemType::Newsletter,
        ItemType::Letter,
        ItemType::Notice,
        ItemType::Presentation,
    ];

    /// The stable name used in the index, JSON and filters.
    pub fn as_str(self) -> &'static str {
        match self {
            ItemType::Agenda => "agenda",
            ItemType::GuidanceNotes => "guidance_notes",
            ItemType::Minutes => "minutes",
            ItemType::Report => "report",
            ItemType::Appendix => "appendix",
            ItemType::WorkProgramme => "work_programme",
            ItemType::Decision => "decision",
            ItemType::Newsletter => "newsletter",
            ItemType::Letter => "letter",
            ItemType::Notice => "notice",
            ItemType::Presentation => "presentation",
        }
    }

    /// Parses a stable name (also accepts `-` for `_` and any case).
    pub fn parse(s: &str) -> Option<ItemType> {
        let s = s.trim().to_ascii_lowercase().replace(['-', ' '], "_");
        ItemType::ALL.into_iter().find(|t| t.as_str() == s)
    }
}

impl fmt::Display for ItemType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What an item is and where it belongs: the metadata every output shows and
/// every filter reads. The segmenter fills it; the index stores it as it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ItemMeta {
    /// The item's own title.
    pub title: String,
    /// The title the agenda gives this item, when it differs from `title`.
    pub agenda_title: Option<String>,
    /// The council, in its canonical form ("Somerset County Council").
    pub council: Option<String>,
    /// The committee, as the front sheet names it.
    pub committee: Option<String>,
    /// The date of the meeting the text belongs to (for minutes: the meeting they record).
    pub meeting_date: Option<NaiveDate>,
    /// What kind of paper this is.
    pub item_type: ItemType,
    /// The agenda item this belongs to, as printed ("5", "5a", "7.1").
    pub agenda_item: Option<String>,
    /// First printed page.
    pub page_start: Option<u32>,
    /// Last printed page.
    pub page_end: Option<u32>,
    /// For agenda entries: the pages the agenda lists for the item ("5-12", "To Follow").
    pub listed_pages: Option<String>,
    /// Who presents the item, where the agenda says.
    pub presenter: Option<String>,
    /// Where the paper was published, if it says.
    pub source_url: Option<String>,
    /// True for procedural boilerplate (guidance notes, apologies, declarations).
    pub boilerplate: bool,
    /// The meeting the item belongs to: the same for every paper and item of
    /// one meeting of one body of one council ([`meeting_id`]).
    pub meeting_id: Option<String>,
    /// For a decision: who moved the motion, where the minutes say.
    pub mover: Option<String>,
    /// For a decision: who seconded it.
    pub seconder: Option<String>,
    /// For a decision: how the vote went (`carried`, `defeated`, `withdrawn`).
    pub outcome: Option<String>,
}

impl ItemMeta {
    /// The metadata of a new item of `item_type`: its title and nothing else yet.
    pub fn new(item_type: ItemType, title: impl Into<String>) -> ItemMeta {
        ItemMeta {
            title: title.into(),
            agenda_title: None,
            council: None,
            committee: None,
            meeting_date: None,
            item_type,
            agenda_item: None,
            page_start: None,
            page_end: None,
            listed_pages: None,
            presenter: None,
            source_url: None,
            boilerplate: false,
            meeting_id: None,
            mover: None,
            seconder: None,
            outcome: None,
        }
    }
}

/// One searchable record: a part of a pack with its metadata and where it lies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// What it is and where it belongs.
    pub meta: ItemMeta,
    /// First line in the source file (1-based, inclusive).
    pub line_start: usize,
    /// Last line in the source file (1-based, inclusive).
    pub line_end: usize,
    /// Printed page markers found inside the item: (source line, page number).
    pub page_markers: Vec<(usize, u32)>,
    /// The item this one belongs to (a decision's minutes), as an index into the
    /// same pack's item list.
    pub parent: Option<usize>,
    /// Who attended the meeting (minutes only).
    pub attendance: Option<Attendance>,
    /// Acronyms the pack defines ("Special Educational Needs and Disabilities (SEND)").
    pub acronyms: Vec<crate::lexicon::Acronym>,
}

/// Attendance recorded in minutes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Attendance {
    /// Members present.
    pub present: Vec<String>,
    /// Those who sent apologies.
    pub apologies: Vec<String>,
    /// Others also attending (officers, guests).
    pub attending: Vec<String>,
}

impl Item {
    /// A new item of `item_type` spanning `line_start..=line_end`, with no metadata yet.
    pub fn new(item_type: ItemType, title: impl Into<String>, line_start: usize, line_end: usize) -> Item {
        Item {
            meta: ItemMeta::new(item_type, title),
            line_start,
            line_end,
            page_markers: Vec::new(),
            parent: None,
            attendance: None,
            acronyms: Vec::new(),
        }
    }

    /// The printed page a source line sits on, from the markers and the page range.
    pub fn page_of_line(&self, line: usize) -> Option<u32> {
        page_of_line(&self.page_markers, self.meta.page_start, self.meta.page_end, line)
    }
}

/// The printed page of a source line, given an item's page markers and range.
///
/// A "Page N" marker is printed at the foot of page N, so a line belongs to the
/// first marker at or after it; past the last marker, to the page after it (kept
/// within the range); with no markers, to the first page of the range.
pub fn page_of_line(
    markers: &[(usize, u32)],
    page_start: Option<u32>,
    page_end: Option<u32>,
    line: usize,
) -> Option<u32> {
    if let Some(&(_, p)) = markers.iter().find(|&&(l, _)| l >= line) {
        return Some(p);
    }
    match markers.last() {
        Some(&(_, p)) => Some(p.saturating_add(1)).filter(|&p| page_end.is_none_or(|e| p <= e)).or(page_end),
        None => page_start,
    }
}

/// The text of an item as indexed: exactly one output line per source line in
/// `item.line_start..=item.line_end`, so that body line `i` is source line
/// `line_start + i`. Noise lines (blank-page markers, standalone page markers)
/// become empty lines rather than disappearing.
pub fn item_body(lines: &[String], item: &Item) -> String {
    segment::clean_body(lines, item)
}
