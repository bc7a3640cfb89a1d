//! The stored item: one item as the index holds it, the one type every output
//! serialises (search hits, `show`, `export`, the HTTP API, the cluster export),
//! with its conversion to and from the tantivy document.
//!
//! The writer fills a [`StoredItem`] from a segmented item and hands it over with
//! [`StoredItem::to_document`]; the reader gets it back with
//! [`StoredItem::from_document`]. The packing of numbers ([`codec`]) lives here,
//! below both, so the read side never imports the write side. The writer hands
//! the text over beside the item ([`ItemText`]) with the terms found in it that
//! are only searched (headings, acronym expansions); normalised keys and year
//! columns are derived here. None of those is part of the item.

pub mod codec;

use chrono::Datelike;
use serde::{Deserialize, Serialize};
use tantivy::schema::{Field, TantivyDocument, Value};

use crate::extract::Format;
use crate::paper::{self, ItemMeta};
use crate::schema::Fields;

/// One item as stored: its place in a paper, its metadata, who attended, and
/// (where the output carries it) its text.
///
/// JSON: the fields at the top level, `meeting_date` as `YYYY-MM-DD`, missing
/// values as `null`; `body` only where the output carries the text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct StoredItem {
    /// Stable id: from the paper's content and the item's place in it, so it
    /// survives moving or renaming the paper's folder.
    pub id: String,
    /// Source file, as indexed (an absolute path).
    pub path: String,
    /// First line of the item in the source file (1-based, inclusive).
    pub line_start: usize,
    /// Last line of the item (1-based, inclusive).
    pub line_end: usize,
    /// What the item is and where it belongs.
    #[serde(flatten)]
    pub meta: ItemMeta,
    /// First PDF page (1-based), for papers read from PDF.
    pub pdf_page_start: Option<u32>,
    /// Last PDF page.
    pub pdf_page_end: Option<u32>,
    /// The item this record belongs to (a decision's minutes).
    pub parent_id: Option<String>,
    /// People recorded as present (minutes).
    #[serde(default)]
    pub present: Vec<String>,
    /// People who sent apologies (minutes).
    #[serde(default)]
    pub apologies: Vec<String>,
    /// Others recorded as also attending (minutes).
    #[serde(default)]
    pub attending: Vec<String>,
    /// The acronym expansions the item uses, as `ACRONYM=long form`.
    #[serde(default)]
    pub acronyms: Vec<String>,
    /// The input format the text came from.
    pub format: Format,
    /// BLAKE3 of the source file's bytes (hex).
    pub file_hash: String,
    /// Hash of the item's normalised text, when it is substantive enough that
    /// another copy of it is the same paper published twice.
    #[cfg_attr(feature = "server", schema(schema_with = crate::openapi::content_hash))]
    pub content_hash: Option<ContentHash>,
    /// The text, one line per source line; `None` where an output leaves it out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    /// Where lines and pages start inside the text, for snippets.
    #[serde(skip)]
    pub layout: TextLayout,
}

/// The hash of an item's normalised text (the first 64 bits of its BLAKE3):
/// equal for the same paper published twice. In JSON, 16 hex digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ContentHash(pub u64);

impl Serialize for ContentHash {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&format!("{:016x}", self.0))
    }
}

impl<'de> Deserialize<'de> for ContentHash {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let hex = String::deserialize(d)?;
        u64::from_str_radix(&hex, 16).map(ContentHash).map_err(serde::de::Error::custom)
    }
}

/// Where things are inside an item's text: what a snippet needs to say which
/// line and page it comes from without analysing the text again.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TextLayout {
    /// Token position at which each body line starts.
    pub line_positions: Vec<u32>,
    /// Printed page markers inside the item: (source line, page).
    pub page_markers: Vec<(usize, u32)>,
    /// Where each PDF page starts inside the item: (source line, PDF page).
    pub pdf_pages: Vec<(usize, u32)>,
}

/// An item's text as the writer hands it over, with the terms found in it that
/// the index only searches.
#[derive(Debug, Clone, Default)]
pub struct ItemText<'a> {
    /// The text, one line per source line.
    pub body: &'a str,
    /// Section headings inside the item (boosted).
    pub headings: Vec<&'a str>,
    /// Long forms of the acronyms the item uses, and acronyms of its long forms.
    pub expansions: Vec<&'a str>,
    /// Acronyms as written in capitals.
    pub caps: Vec<&'a str>,
}

impl StoredItem {
    /// The tantivy document of this item with its `text`: every stored field,
    /// the text's searched-only terms, and the keys and columns derived from
    /// the metadata. `self.body` is not read: the writer holds the text apart.
    pub fn to_document(&self, f: &Fields, text: &ItemText<'_>) -> TantivyDocument {
        let (body, terms) = (text.body, text);
        let m = &self.meta;
        // Room for the body and the other fields up front: the document's
        // buffer is not grown (and copied) field by field.
        let mut doc = TantivyDocument::with_capacity(body.len() + 2048);
        doc.add_text(f.id, &self.id);
        doc.add_text(f.path, &self.path);
        doc.add_text(f.file_hash, &self.file_hash);
        doc.add_text(f.format, self.format.name());
        add_names(&mut doc, f, m.council.as_deref(), m.committee.as_deref());
        doc.add_text(f.item_type, m.item_type.as_str());
        add_opt_text(&mut doc, f.agenda_item, &m.agenda_item);
        doc.add_text(f.title, &m.title);
        add_opt_text(&mut doc, f.agenda_title, &m.agenda_title);
        if let Some(d) = m.meeting_date {
            let year = d.year().max(0) as u64;
            doc.add_date(f.meeting_date, codec::date_value(d));
            doc.add_u64(f.year, year);
            doc.add_u64(f.year_month, year * 100 + u64::from(d.month()));
        }
        add_opt_u64(&mut doc, f.page_start, m.page_start);
        add_opt_u64(&mut doc, f.page_end, m.page_end);
        add_opt_text(&mut doc, f.listed_pages, &m.listed_pages);
        add_opt_text(&mut doc, f.presenter, &m.presenter);
        doc.add_u64(f.line_start, self.line_start as u64);
        doc.add_u64(f.line_end, self.line_end as u64);
        doc.add_bytes(f.line_positions, &codec::encode_deltas(&self.layout.line_positions));
        doc.add_bytes(f.page_markers, &codec::encode_pairs(&self.layout.page_markers));
        doc.add_u64(f.boilerplate, u64::from(m.boilerplate));
        add_opt_text(&mut doc, f.source_url, &m.source_url);
        if let Some(id) = &m.meeting_id {
            add_meeting_id(&mut doc, f, id);
        }
        add_opt_text(&mut doc, f.mover, &m.mover);
        add_opt_text(&mut doc, f.seconder, &m.seconder);
        add_opt_text(&mut doc, f.outcome, &m.outcome);
        add_opt_u64(&mut doc, f.pdf_page_start, self.pdf_page_start);
        add_opt_u64(&mut doc, f.pdf_page_end, self.pdf_page_end);
        if self.pdf_page_start.is_some() {
            doc.add_bytes(f.pdf_pages, &codec::encode_pairs(&self.layout.pdf_pages));
        }
        add_opt_text(&mut doc, f.parent_id, &self.parent_id);
        for (field, names) in
            [(f.present, &self.present), (f.apologies, &self.apologies), (f.attending, &self.attending)]
        {
            for n in names {
                doc.add_text(field, n);
            }
        }
        for a in &self.acronyms {
            doc.add_text(f.acronyms, a);
        }
        for (field, values) in [(f.expansions, &terms.expansions), (f.caps, &terms.caps), (f.headings, &terms.headings)]
        {
            for v in values {
                doc.add_text(field, v);
            }
        }
        if let Some(h) = self.content_hash {
            doc.add_u64(f.content_hash, h.0);
        }
        doc.add_text(f.body, body);
        doc
    }

    /// The item a stored document holds, its text included.
    pub fn from_document(doc: &TantivyDocument, f: &Fields) -> StoredItem {
        let text = |field| doc.get_first(field).and_then(|v| v.as_str()).map(str::to_string);
        let texts = |field| doc.get_all(field).filter_map(|v| v.as_str()).map(str::to_string).collect::<Vec<_>>();
        let number = |field| doc.get_first(field).and_then(|v| v.as_u64());
        let page = |field| number(field).and_then(|p| u32::try_from(p).ok());
        let bytes = |field| doc.get_first(field).and_then(|v| v.as_bytes()).unwrap_or(&[]);
        let item_type = text(f.item_type).and_then(|t| paper::ItemType::parse(&t)).unwrap_or(paper::ItemType::Report);
        let meta = ItemMeta {
            title: text(f.title).unwrap_or_default(),
            agenda_title: text(f.agenda_title),
            council: text(f.council),
            committee: text(f.committee),
            meeting_date: doc.get_first(f.meeting_date).and_then(|v| v.as_datetime()).and_then(codec::date_of),
            item_type,
            agenda_item: text(f.agenda_item),
            page_start: page(f.page_start),
            page_end: page(f.page_end),
            listed_pages: text(f.listed_pages),
            presenter: text(f.presenter),
            source_url: text(f.source_url),
            boilerplate: number(f.boilerplate) == Some(1),
            meeting_id: text(f.meeting_id),
            mover: text(f.mover),
            seconder: text(f.seconder),
            outcome: text(f.outcome),
        };
        StoredItem {
            id: text(f.id).unwrap_or_default(),
            path: text(f.path).unwrap_or_default(),
            line_start: number(f.line_start).unwrap_or(0) as usize,
            line_end: number(f.line_end).unwrap_or(0) as usize,
            meta,
            pdf_page_start: page(f.pdf_page_start),
            pdf_page_end: page(f.pdf_page_end),
            parent_id: text(f.parent_id),
            present: texts(f.present),
            apologies: texts(f.apologies),
            attending: texts(f.attending),
            acronyms: texts(f.acronyms),
            format: text(f.format).and_then(|n| Format::from_name(&n)).unwrap_or(Format::Text),
            file_hash: text(f.file_hash).unwrap_or_default(),
            content_hash: number(f.content_hash).map(ContentHash),
            body: Some(text(f.body).unwrap_or_default()),
            layout: TextLayout {
                line_positions: codec::decode_deltas(bytes(f.line_positions)),
                page_markers: codec::decode_pairs(bytes(f.page_markers)),
                pdf_pages: codec::decode_pairs(bytes(f.pdf_pages)),
            },
        }
    }

    /// The item's text ("" where it was left out).
    pub fn body(&self) -> &str {
        self.body.as_deref().unwrap_or("")
    }

    /// The printed page a source line of the item sits on.
    pub fn page_of_line(&self, line: usize) -> Option<u32> {
        paper::page_of_line(&self.layout.page_markers, self.meta.page_start, self.meta.page_end, line)
    }

    /// The PDF page a source line of the item sits on, for papers read from PDF.
    pub fn pdf_page_of_line(&self, line: usize) -> Option<u32> {
        self.layout.pdf_pages.iter().take_while(|&&(l, _)| l <= line).last().map(|&(_, p)| p)
    }
}

/// Adds an item's council and committee to its document, with the keys the
/// filters match: when the document is made, or later, once the papers
/// around it have given the names it lacked (with its meeting id, which
/// depends on them).
pub fn add_names(doc: &mut TantivyDocument, f: &Fields, council: Option<&str>, committee: Option<&str>) {
    if let Some(c) = council {
        doc.add_text(f.council, c);
        doc.add_text(f.council_key, paper::normalise_council(c));
    }
    if let Some(c) = committee {
        doc.add_text(f.committee, c);
        doc.add_text(f.committee_key, paper::normalise_committee(c));
    }
}

/// Adds an item's meeting id to its document (see [`add_names`]).
pub fn add_meeting_id(doc: &mut TantivyDocument, f: &Fields, meeting_id: &str) {
    doc.add_text(f.meeting_id, meeting_id);
}

fn add_opt_text(doc: &mut TantivyDocument, field: Field, value: &Option<String>) {
    if let Some(v) = value {
        doc.add_text(field, v);
    }
}

fn add_opt_u64(doc: &mut TantivyDocument, field: Field, value: Option<u32>) {
    if let Some(v) = value {
        doc.add_u64(field, u64::from(v));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::paper::ItemType;

    /// An item with every field set, and values that need care (a date before
    /// 1970, several attendees, PDF pages).
    fn full_item() -> StoredItem {
        let mut meta = ItemMeta::new(ItemType::Decision, "Decision: RESOLVED that the plan be approved");
        meta.agenda_title = Some("Sustainability and Transformation Plan".into());
        meta.council = Some("Somerset County Council".into());
        meta.committee = Some("Somerset Health and Wellbeing Board".into());
        meta.meeting_date = chrono::NaiveDate::from_ymd_opt(1969, 11, 23);
        meta.agenda_item = Some("7.1".into());
        meta.page_start = Some(3);
        meta.page_end = Some(8);
        meta.listed_pages = Some("3 - 8".into());
        meta.presenter = Some("Trudi Grant".into());
        meta.source_url = Some("https://example.org/minutes.pdf".into());
        meta.boilerplate = true;
        meta.meeting_id = Some("00112233aabbccdd".into());
        meta.mover = Some("A. Roe".into());
        meta.seconder = Some("B. Doe".into());
        meta.outcome = Some("carried".into());
        StoredItem {
            id: "0123456789abcdef".into(),
            path: "/papers/minutes.pdf".into(),
            line_start: 96,
            line_end: 99,
            meta,
            pdf_page_start: Some(2),
            pdf_page_end: Some(3),
            parent_id: Some("fedcba9876543210".into()),
            present: vec!["Cllr A Smith".into(), "Cllr B Jones".into()],
            apologies: vec!["Cllr C Brown".into()],
            attending: vec![],
            acronyms: vec!["STP=Sustainability and Transformation Plan".into()],
            format: Format::Pdf,
            file_hash: "ab".repeat(32),
            content_hash: Some(ContentHash(0xcdcd_cdcd_cdcd_cdcd)),
            body: Some("RESOLVED that\nthe plan\n\nbe approved".into()),
            layout: TextLayout {
                line_positions: vec![0, 2, 4, 4],
                page_markers: vec![(98, 3)],
                pdf_pages: vec![(96, 2), (98, 3)],
            },
        }
    }

    #[test]
    fn an_item_comes_back_from_its_document_whole() {
        let schema = crate::schema::build_schema();
        let f = Fields::resolve(&schema).unwrap();
        let item = full_item();
        let doc = item.to_document(&f, &ItemText { body: item.body(), ..ItemText::default() });
        assert_eq!(StoredItem::from_document(&doc, &f), item);
        // An item with nothing optional set comes back as it went in, too.
        let mut bare = item.clone();
        bare.meta = ItemMeta::new(ItemType::Report, "");
        (bare.pdf_page_start, bare.pdf_page_end, bare.parent_id) = (None, None, None);
        (bare.present, bare.apologies, bare.acronyms, bare.content_hash) = (vec![], vec![], vec![], None);
        bare.layout = TextLayout::default();
        let doc = bare.to_document(&f, &ItemText { body: bare.body(), ..ItemText::default() });
        assert_eq!(StoredItem::from_document(&doc, &f), bare);
    }

    #[test]
    fn json_has_the_fields_at_the_top_level_and_reads_back() {
        let mut item = full_item();
        let json = serde_json::to_value(&item).unwrap();
        assert_eq!(json["meeting_date"], "1969-11-23");
        assert_eq!(json["item_type"], "decision");
        assert_eq!(json["format"], "pdf");
        assert_eq!(json["content_hash"], "cdcdcdcdcdcdcdcd");
        assert_eq!(json["title"], "Decision: RESOLVED that the plan be approved");
        assert!(json.get("meta").is_none() && json.get("layout").is_none());
        let back: StoredItem = serde_json::from_value(json).unwrap();
        item.layout = TextLayout::default();
        assert_eq!(back, item);
        item.body = None;
        assert!(serde_json::to_value(&item).unwrap().get("body").is_none());
    }
}
