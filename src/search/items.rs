//! Items read whole: one item by id (`show`), the items most like one
//! (`similar`), every item (`export`), and the other places an item's text
//! appears (a hit's `also_in`).

use serde::Serialize;
use tantivy::collector::TopDocs;
use tantivy::query::{AllQuery, MoreLikeThisQuery, TermQuery};
use tantivy::schema::{IndexRecordOption, OwnedValue, TantivyDocument};
use tantivy::{DocAddress, Term};

use super::snippet::{self, SnippetTerms};
use super::{query, Hit, Place, SearchResults, Searcher};
use crate::record::StoredItem;
use crate::schema::Fields;
use crate::{analysis, Error, Result};

/// An item shown whole.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ShownItem {
    /// The item, with its text.
    #[serde(flatten)]
    pub item: StoredItem,
    /// Matched words in the item's text: half-open byte ranges, as `[start, end]` pairs.
    #[cfg_attr(feature = "server", schema(schema_with = crate::openapi::byte_ranges))]
    #[serde(serialize_with = "snippet::ranges_as_pairs")]
    pub highlights: Vec<std::ops::Range<usize>>,
    /// Parts of the query that were ignored.
    pub ignored: Vec<String>,
}

/// Other copies of an item's text (any path), for a hit's `also_in`.
pub(crate) fn also_in(
    searcher: &tantivy::Searcher,
    f: &Fields,
    item: &StoredItem,
    own: DocAddress,
) -> Result<Vec<Place>> {
    let Some(hash) = item.content_hash else { return Ok(Vec::new()) };
    let term = Term::from_field_u64(f.content_hash, hash.0);
    // Most texts are published once: the term's document count says so
    // without running a query.
    if searcher.doc_freq(&term)? <= 1 {
        return Ok(Vec::new());
    }
    let q = TermQuery::new(term, IndexRecordOption::Basic);
    let mut out = Vec::new();
    for (_, a) in searcher.search(&q, &TopDocs::with_limit(50).order_by_score())? {
        if a == own {
            continue;
        }
        let other = StoredItem::from_document(&searcher.doc(a)?, f);
        if (&other.path, other.line_start) != (&item.path, item.line_start) {
            let (id, path, line_start, line_end) = (other.id, other.path, other.line_start, other.line_end);
            out.push(Place { id, path, line_start, line_end, meeting_date: other.meta.meeting_date });
        }
    }
    out.sort_by(|a, b| (&a.path, a.line_start).cmp(&(&b.path, b.line_start)));
    Ok(out)
}

impl Searcher {
    /// The address and stored document of the item `id`.
    fn find(&self, searcher: &tantivy::Searcher, id: &str) -> Result<(DocAddress, TantivyDocument)> {
        let q = TermQuery::new(Term::from_field_text(self.open.fields.id, id.trim()), IndexRecordOption::Basic);
        let top = searcher.search(&q, &TopDocs::with_limit(1).order_by_score())?;
        let Some(&(_, address)) = top.first() else {
            return Err(Error::NoSuchItem(id.to_string()));
        };
        Ok((address, searcher.doc(address)?))
    }

    /// One whole item by id, with the words of `query` (if any) highlighted.
    pub fn show(&self, id: &str, query: Option<&str>) -> Result<ShownItem> {
        super::catching(|| {
            let searcher = self.reader.searcher();
            let councils = self.councils();
            let (_, doc) = self.find(&searcher, id)?;
            let item = councils.item(&doc, &self.open.fields);
            let mut highlights = Vec::new();
            let mut ignored = Vec::new();
            if let Some(q) = query.filter(|q| !q.trim().is_empty()) {
                let fb = self.filters(&searcher, &councils);
                let tree = query::parse(q);
                let mut notes = super::Notes::default();
                let leaves = super::LeafBuilder {
                    parser: &self.parser,
                    fields: self.open.fields,
                    filters: &fb,
                    analyzer: std::cell::RefCell::new(self.analyzers.take()),
                };
                let plan = leaves.plan(&tree, Vec::new(), &mut notes);
                self.analyzers.give(leaves.analyzer.into_inner());
                ignored = tree.ignored;
                ignored.extend(notes.ignored);
                if let Some(widest) = plan.widest() {
                    let mut terms = SnippetTerms::new(&searcher, widest, self.open.fields.body);
                    terms.expand(&searcher, &plan.prefixes, &plan.fuzzy);
                    highlights = snippet::highlight(item.body(), &terms, &mut analysis::text_analyzer());
                }
            }
            Ok(ShownItem { item, highlights, ignored })
        })
    }

    /// Items most like the item `id` (by its title and body), best first.
    pub fn similar(&self, id: &str, limit: usize) -> Result<SearchResults> {
        super::catching(|| {
            let searcher = self.reader.searcher();
            let f = self.open.fields;
            let councils = self.councils();
            let (_, doc) = self.find(&searcher, id)?;
            let own = StoredItem::from_document(&doc, &f);
            let fields = vec![
                (f.title, vec![OwnedValue::Str(own.meta.title.clone())]),
                (f.body, vec![OwnedValue::Str(own.body().to_string())]),
            ];
            let n = searcher.num_docs();
            let mlt = MoreLikeThisQuery::builder()
                .with_min_doc_frequency(1)
                .with_max_doc_frequency((n / 2).max(2))
                .with_min_term_frequency(2)
                .with_max_query_terms(30)
                .with_min_word_length(3)
                .with_document_fields(fields);
            let mut rows = Vec::new();
            for (score, a) in searcher.search(&mlt, &TopDocs::with_limit(limit * 2 + 10).order_by_score())? {
                let d: TantivyDocument = searcher.doc(a)?;
                let other = councils.item(&d, &f);
                // Not the item itself, nor another copy of its text.
                if other.id == own.id || (own.content_hash.is_some() && other.content_hash == own.content_hash) {
                    continue;
                }
                rows.push((score, a, other));
            }
            let terms = SnippetTerms::new(&searcher, &AllQuery, f.body);
            let mut analyzer = analysis::text_analyzer();
            let total = rows.len();
            let hits = rows
                .into_iter()
                .take(limit)
                .enumerate()
                .map(|(i, (score, address, mut item))| {
                    let snippets = snippet::best_snippets(&searcher, address, &item, &terms, &mut analyzer, 240, 3);
                    item.body = None;
                    Hit {
                        rank: i + 1,
                        score,
                        tier: None,
                        snippet: snippets.first().cloned().unwrap_or_else(|| snippet::Snippet::empty(item.line_start)),
                        snippets,
                        item,
                        expansions: Vec::new(),
                        also_in: Vec::new(),
                        attendance: None,
                    }
                })
                .collect();
            Ok(SearchResults { hits, total, ignored: Vec::new(), warnings: Vec::new(), facets: None })
        })
    }

    /// Every item a search matches (its query and filters; paging aside), with
    /// its text, in index order; every item for a search of nothing.
    pub fn export_matching(
        &self,
        opts: &super::SearchOptions,
        each: &mut dyn FnMut(StoredItem) -> Result<()>,
    ) -> Result<()> {
        if opts.query.trim().is_empty() && !opts.has_filters() {
            return self.export(each);
        }
        let searcher = self.reader.searcher();
        let councils = self.councils();
        let fb = self.filters(&searcher, &councils);
        let (plan, _, _) = self.plan(&fb, opts)?;
        let q = super::with_filters(plan.widest().map(|q| q.box_clone()), &plan.filters);
        let mut found: Vec<DocAddress> =
            searcher.search(&*q, &tantivy::collector::DocSetCollector)?.into_iter().collect();
        found.sort();
        for address in found {
            each(councils.item(&searcher.doc(address)?, &self.open.fields))?;
        }
        Ok(())
    }

    /// Every item with its text, in index order.
    pub fn export(&self, each: &mut dyn FnMut(StoredItem) -> Result<()>) -> Result<()> {
        let searcher = self.reader.searcher();
        let councils = self.councils();
        for (ord, segment) in searcher.segment_readers().iter().enumerate() {
            let alive = segment.alive_bitset();
            for doc_id in 0..segment.max_doc() {
                if alive.is_some_and(|b| !b.is_alive(doc_id)) {
                    continue;
                }
                let doc: TantivyDocument = searcher.doc(DocAddress::new(ord as u32, doc_id))?;
                each(councils.item(&doc, &self.open.fields))?;
            }
        }
        Ok(())
    }
}
