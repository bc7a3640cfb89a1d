//! THE field list. The fields are data, in `index-schema/schema.json`; this
//! module builds the tantivy schema from that file, names every field the code
//! uses in [`Fields`], and holds [`SCHEMA_VERSION`]. Tests prove the file and
//! the code agree, and that any change to the file comes with a version bump.
//!
//! The same field names are used in the index, the JSON output and any export.

use std::sync::LazyLock;

use serde::Deserialize;
use tantivy::schema::{
    BytesOptions, DateOptions, DateTimePrecision, Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing,
    TextOptions,
};

use crate::analysis;

/// Version of the field list. Bump it whenever `index-schema/schema.json` changes.
pub const SCHEMA_VERSION: u32 = 4;

/// The field list as committed.
pub const SCHEMA_JSON: &str = include_str!("../index-schema/schema.json");

/// One field, as `index-schema/schema.json` describes it.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
pub struct FieldSpec {
    /// Field name, used in the index, the JSON output and `field:value` queries.
    pub name: String,
    /// `text`, `u64`, `date` or `bytes`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Analyzer for text fields (`raw` for exact values).
    pub tokenizer: Option<String>,
    /// Searchable.
    pub indexed: bool,
    /// Kept in the document store.
    pub stored: bool,
    /// Kept in a column for filters, sorting and facets.
    pub fast: bool,
    /// Why the field exists.
    pub why: String,
}

/// The whole schema file.
#[derive(Debug, Clone, Deserialize)]
pub struct SchemaSpec {
    /// Must equal [`SCHEMA_VERSION`].
    pub schema_version: u32,
    /// Every field, in index order.
    pub fields: Vec<FieldSpec>,
}

/// The parsed schema file.
pub fn spec() -> &'static SchemaSpec {
    static SPEC: LazyLock<SchemaSpec> =
        LazyLock::new(|| serde_json::from_str(SCHEMA_JSON).expect("index-schema/schema.json is valid (tested)"));
    &SPEC
}

/// Builds the tantivy schema from the field list.
pub fn build_schema() -> Schema {
    let mut b = Schema::builder();
    for f in &spec().fields {
        match f.kind.as_str() {
            "text" => {
                let mut o = TextOptions::default();
                let tokenizer = f.tokenizer.as_deref().unwrap_or("raw");
                if f.indexed {
                    let record = if tokenizer == "raw" {
                        IndexRecordOption::Basic
                    } else {
                        IndexRecordOption::WithFreqsAndPositions
                    };
                    o = o.set_indexing_options(
                        TextFieldIndexing::default().set_tokenizer(tokenizer).set_index_option(record),
                    );
                }
                if f.stored {
                    o = o.set_stored();
                }
                if f.fast {
                    o = o.set_fast("raw");
                }
                b.add_text_field(&f.name, o);
            }
            "u64" => {
                let mut o = NumericOptions::default();
                if f.indexed {
                    o = o.set_indexed();
                }
                if f.stored {
                    o = o.set_stored();
                }
                if f.fast {
                    o = o.set_fast();
                }
                b.add_u64_field(&f.name, o);
            }
            "date" => {
                let mut o = DateOptions::default().set_precision(DateTimePrecision::Seconds);
                if f.indexed {
                    o = o.set_indexed();
                }
                if f.stored {
                    o = o.set_stored();
                }
                if f.fast {
                    o = o.set_fast();
                }
                b.add_date_field(&f.name, o);
            }
            "bytes" => {
                let mut o = BytesOptions::default();
                if f.stored {
                    o = o.set_stored();
                }
                b.add_bytes_field(&f.name, o);
            }
            other => panic!("index-schema/schema.json: unknown field type {other} (tested)"),
        }
    }
    b.build()
}

macro_rules! fields {
    ($($name:ident),* $(,)?) => {
        /// Every field the code uses, resolved once per schema.
        #[derive(Debug, Clone, Copy)]
        #[allow(missing_docs)]
        pub struct Fields { $(pub $name: Field,)* }

        /// The name of every field the code uses, for the APIs that take
        /// names (fast-field columns, aggregations): `NAME.meeting_date`.
        #[derive(Debug, Clone, Copy)]
        #[allow(missing_docs)]
        pub struct FieldNames { $(pub $name: &'static str,)* }

        /// The names of the fields, each spelled once (in [`fields!`]'s list).
        pub const NAME: FieldNames = FieldNames { $($name: stringify!($name),)* };

        impl Fields {
            /// The names of the fields the code uses, in declaration order.
            pub const NAMES: &'static [&'static str] = &[$(stringify!($name)),*];

            /// Resolves every field by name; fails if the schema lacks one.
            pub fn resolve(schema: &Schema) -> crate::Result<Fields> {
                Ok(Fields { $($name: schema.get_field(stringify!($name)).map_err(|_| {
                    crate::Error::Internal(format!("schema has no field {}", stringify!($name)))
                })?,)* })
            }
        }
    };
}

fields!(
    id,
    path,
    file_hash,
    format,
    council,
    council_key,
    committee,
    committee_key,
    item_type,
    agenda_item,
    title,
    agenda_title,
    body,
    meeting_date,
    page_start,
    page_end,
    listed_pages,
    presenter,
    line_start,
    line_end,
    line_positions,
    page_markers,
    boilerplate,
    source_url,
    pdf_page_start,
    pdf_page_end,
    pdf_pages,
    year,
    year_month,
    headings,
    expansions,
    acronyms,
    caps,
    parent_id,
    present,
    apologies,
    attending,
    content_hash,
    meeting_id,
    mover,
    seconder,
    outcome,
);

/// A fingerprint of the field list (names, types, analyzers, flags) and the
/// analysis settings. Recorded with [`SCHEMA_VERSION`] in tests so that any change
/// to either needs a deliberate version bump.
pub fn fingerprint() -> String {
    let mut h = blake3::Hasher::new();
    for f in &spec().fields {
        let line = format!("{}|{}|{:?}|{}|{}|{}\n", f.name, f.kind, f.tokenizer, f.indexed, f.stored, f.fast);
        h.update(line.as_bytes());
    }
    h.update(format!("analysis={}", analysis::ANALYSIS_VERSION).as_bytes());
    h.finalize().to_hex()[..16].to_string()
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    /// The fingerprint of the committed schema at [`SCHEMA_VERSION`]. If this test
    /// fails, the schema or analysis changed: bump `SCHEMA_VERSION` (here and in
    /// schema.json) and record the new fingerprint.
    const FINGERPRINT_AT_VERSION: (u32, &str) = (4, "ddb6882d5d434ed4");

    #[test]
    fn schema_file_parses_and_versions_agree() {
        assert_eq!(spec().schema_version, SCHEMA_VERSION, "schema.json and SCHEMA_VERSION disagree");
        let names: Vec<&str> = spec().fields.iter().map(|f| f.name.as_str()).collect();
        let unique: BTreeSet<&str> = names.iter().copied().collect();
        assert_eq!(unique.len(), names.len(), "duplicate field names in schema.json");
        for f in &spec().fields {
            assert!(!f.why.trim().is_empty(), "field {} has no why", f.name);
            assert!(f.indexed || f.stored || f.fast, "field {} is neither indexed, stored nor fast", f.name);
            if f.kind == "text" {
                let t = f.tokenizer.as_deref().unwrap_or("");
                assert!(
                    ["raw", analysis::TEXT_ANALYZER, analysis::NAME_ANALYZER].contains(&t),
                    "field {} names an unknown tokenizer {t}",
                    f.name
                );
            }
        }
    }

    #[test]
    fn code_and_schema_file_name_the_same_fields() {
        let in_file: BTreeSet<&str> = spec().fields.iter().map(|f| f.name.as_str()).collect();
        let in_code: BTreeSet<&str> = Fields::NAMES.iter().copied().collect();
        assert_eq!(in_file, in_code);
        let schema = build_schema();
        Fields::resolve(&schema).expect("every code field exists in the built schema");
        assert_eq!(schema.fields().count(), spec().fields.len());
    }

    #[test]
    fn built_schema_matches_the_file_flags() {
        let schema = build_schema();
        for f in &spec().fields {
            let entry = schema.get_field_entry(schema.get_field(&f.name).unwrap());
            assert_eq!(entry.is_stored(), f.stored, "{} stored", f.name);
            assert_eq!(entry.is_fast(), f.fast, "{} fast", f.name);
            assert_eq!(entry.is_indexed(), f.indexed, "{} indexed", f.name);
        }
    }

    #[test]
    fn schema_change_requires_version_bump() {
        assert_eq!(
            (SCHEMA_VERSION, fingerprint().as_str()),
            FINGERPRINT_AT_VERSION,
            "the schema or analysis changed: bump SCHEMA_VERSION and record the new fingerprint"
        );
    }
}
