//! The Quickwit index configuration, generated from the field list in
//! `index-schema/schema.json`: every field of the index is mapped (or listed in
//! [`LEFT_OUT`] with why), with its Quickwit type, tokenizer, record, fieldnorms,
//! fast and stored flags.
//!
//! Text the local index analyses with our English analyzer is kept twice on the
//! cluster: as written, stored for display and snippets (`body`), and as our
//! analysed terms (`body_terms`, whitespace tokenizer, positions for phrases,
//! fieldnorms for BM25), since Quickwit has no English stemmer. Names and keys
//! become raw fields (fast where facets or filters read them). Quickwit needs
//! its timestamp field in every document, and not every paper is dated: the
//! timestamp field is `meeting_ts`, the meeting date, or [`UNDATED`] for an
//! undated item, and `meeting_date` itself stays empty where it is. The document mode is strict: an export line with a
//! field the configuration does not know is refused, not silently dropped.

use crate::schema::{self, FieldSpec};

/// The configuration's version of Quickwit's index config format.
pub const CONFIG_VERSION: &str = "0.9";

/// The cluster's timestamp field: the meeting date, [`UNDATED`] when there is none.
pub const TIMESTAMP_FIELD: &str = "meeting_ts";

/// The timestamp of an undated item: before any meeting a council keeps papers of.
pub const UNDATED: &str = "1900-01-01";

/// Fields of the index that the cluster does not keep, with why.
pub const LEFT_OUT: &[(&str, &str)] = &[];

/// Fields the local index holds several values of: arrays on the cluster.
const MULTI_VALUED: &[&str] = &["present", "apologies", "attending", "acronyms", "caps"];

/// One field of the cluster's document mapping.
#[derive(Debug, Clone, PartialEq)]
pub struct ClusterField {
    /// Field name.
    pub name: String,
    /// Quickwit type: `text`, `u64`, `bool`, `datetime`, `array<text>`, `array<u64>`.
    pub kind: &'static str,
    /// The field's options, in order, as (key, value) YAML scalars.
    pub options: Vec<(&'static str, String)>,
    /// What it holds (the index field it comes from).
    pub why: String,
}

impl ClusterField {
    fn new(name: impl Into<String>, kind: &'static str, why: impl Into<String>) -> Self {
        ClusterField { name: name.into(), kind, options: Vec::new(), why: why.into() }
    }

    fn opt(mut self, key: &'static str, value: impl ToString) -> Self {
        self.options.push((key, value.to_string()));
        self
    }

    /// Raw text: one exact term.
    fn raw(name: &str, kind: &'static str, f: &FieldSpec) -> Self {
        let mut c = ClusterField::new(name, kind, &f.why).opt("indexed", f.indexed).opt("stored", f.stored);
        if f.indexed {
            // Field lengths count in BM25 as in the local index (`caps` is scored).
            c = c.opt("tokenizer", "raw").opt("fieldnorms", true);
        }
        c.opt("fast", f.fast)
    }

    /// Analysed terms, as our analyzer made them: searched, never shown.
    fn terms(of: &str, why: &str) -> Self {
        ClusterField::new(format!("{of}_terms"), "text", format!("Our analysed terms of `{of}`: {why}"))
            .opt("indexed", true)
            .opt("tokenizer", "whitespace")
            .opt("record", "position")
            .opt("fieldnorms", true)
            .opt("stored", false)
            .opt("fast", false)
    }

    /// Stored for display only.
    fn shown(name: &str, kind: &'static str, why: &str) -> Self {
        ClusterField::new(name, kind, why).opt("indexed", false).opt("stored", true).opt("fast", false)
    }
}

/// The cluster fields that keep one index field.
pub fn mappings_of(f: &FieldSpec) -> Vec<ClusterField> {
    let name = f.name.as_str();
    let kind = |single: &'static str, multi: &'static str| if MULTI_VALUED.contains(&name) { multi } else { single };
    match (f.kind.as_str(), f.tokenizer.as_deref()) {
        ("text", Some("council_en")) => {
            let mut out = Vec::new();
            if f.stored {
                out.push(ClusterField::shown(name, "text", &f.why));
            }
            out.push(ClusterField::terms(name, &f.why));
            out
        }
        ("text", Some("council_name")) if ["council", "committee"].contains(&name) => {
            vec![ClusterField::raw(name, "text", &FieldSpec { fast: true, ..f.clone() })]
        }
        ("text", Some("council_name")) if name == "presenter" => {
            vec![ClusterField::shown(name, "text", &f.why), ClusterField::terms(name, &f.why)]
        }
        // Present, apologies, attending: shown as lists, searched together (`attendance_terms`).
        ("text", Some("council_name")) => vec![ClusterField::shown(name, kind("text", "array<text>"), &f.why)],
        ("text", _) => vec![ClusterField::raw(name, kind("text", "array<text>"), f)],
        // The content hash is written in hex, as every output writes it.
        ("u64", _) if name == "content_hash" => {
            vec![ClusterField::raw(name, "text", &FieldSpec { fast: true, ..f.clone() })]
        }
        ("u64", _) if name == "boilerplate" => vec![ClusterField::new(name, "bool", &f.why)
            .opt("indexed", f.indexed)
            .opt("stored", f.stored)
            .opt("fast", f.fast)],
        ("u64", _) => vec![ClusterField::new(name, "u64", &f.why)
            .opt("indexed", f.indexed)
            .opt("stored", f.stored)
            .opt("fast", f.fast)],
        ("date", _) => vec![ClusterField::new(name, "datetime", &f.why)
            .opt("input_formats", "[\"%Y-%m-%d\"]")
            .opt("output_format", "\"%Y-%m-%d\"")
            .opt("fast_precision", "seconds")
            .opt("indexed", true)
            .opt("stored", true)
            .opt("fast", true)],
        // Line starts and page markers: numbers for snippets, kept as they are.
        _ => vec![ClusterField::shown(name, "array<u64>", &f.why)],
    }
}

/// Every field of the cluster's document mapping, in index order, then the
/// one made of several index fields.
pub fn cluster_fields() -> Vec<ClusterField> {
    let mut out: Vec<ClusterField> = schema::spec()
        .fields
        .iter()
        .filter(|f| !LEFT_OUT.iter().any(|(n, _)| *n == f.name))
        .flat_map(mappings_of)
        .collect();
    out.push(ClusterField::terms(
        "attendance",
        "who is recorded as present, sending apologies or attending, for `--attendee`",
    ));
    out.push(
        ClusterField::new(
            TIMESTAMP_FIELD,
            "datetime",
            "The meeting date, 1900-01-01 for an undated item: the timestamp field",
        )
        .opt("input_formats", "[\"%Y-%m-%d\"]")
        .opt("fast_precision", "seconds")
        .opt("indexed", true)
        .opt("stored", false)
        .opt("fast", true),
    );
    out
}

/// The index configuration for an index named `index_id`, as YAML.
pub fn index_config(index_id: &str) -> String {
    let mut y = String::new();
    y.push_str("# Quickwit index configuration for council-search items (generated by\n");
    y.push_str("# `council-search export --to quickwit`; see the README, \"When one machine is not enough\").\n");
    y.push_str(&format!("version: {CONFIG_VERSION}\nindex_id: {index_id}\n"));
    y.push_str(&format!("doc_mapping:\n  mode: strict\n  timestamp_field: {TIMESTAMP_FIELD}\n  field_mappings:\n"));
    for f in cluster_fields() {
        y.push_str(&format!("    # {}\n", f.why.replace('\n', " ")));
        y.push_str(&format!("    - name: {}\n      type: {}\n", f.name, yaml_str(f.kind)));
        for (k, v) in &f.options {
            y.push_str(&format!("      {k}: {v}\n"));
        }
    }
    y.push_str("indexing_settings:\n  commit_timeout_secs: 10\n");
    y.push_str("  # Splits mature within an hour, so delete tasks (re-exports) apply within an hour.\n");
    y.push_str("  merge_policy:\n    type: stable_log\n    maturation_period: 1h\n");
    y.push_str("search_settings:\n  default_search_fields: [");
    let defaults: Vec<String> =
        super::translate::TEXT_FIELDS.iter().map(|(f, _)| super::translate::terms_field(f)).collect();
    y.push_str(&defaults.join(", "));
    y.push_str("]\n");
    y
}

/// A YAML scalar for a value with `<` or `>` in it (`array<text>`).
fn yaml_str(s: &str) -> String {
    if s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        s.to_string()
    } else {
        format!("\"{s}\"")
    }
}

/// True when `id` is a valid Quickwit index id.
pub fn valid_index_id(id: &str) -> bool {
    let mut chars = id.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && (3..=255).contains(&id.len())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use yaml_rust2::{Yaml, YamlLoader};

    use super::*;

    fn parsed() -> Yaml {
        YamlLoader::load_from_str(&index_config("council_items")).expect("valid YAML").remove(0)
    }

    #[test]
    fn the_yaml_has_the_structure_quickwit_requires() {
        let y = parsed();
        assert_eq!(y["version"].as_f64(), Some(0.9));
        assert_eq!(y["index_id"].as_str(), Some("council_items"));
        let dm = &y["doc_mapping"];
        assert_eq!(dm["mode"].as_str(), Some("strict"));
        assert_eq!(dm["timestamp_field"].as_str(), Some("meeting_ts"));
        let fields = dm["field_mappings"].as_vec().unwrap();
        let allowed: BTreeSet<&str> = ["text", "datetime", "u64", "bool", "array<text>", "array<u64>"].into();
        let mut names = BTreeSet::new();
        for f in fields {
            let (name, kind) = (f["name"].as_str().unwrap(), f["type"].as_str().unwrap());
            assert!(names.insert(name), "{name} twice");
            assert!(allowed.contains(kind), "{name}: {kind}");
            for key in ["indexed", "stored", "fast"] {
                assert!(f[key].as_bool().is_some(), "{name}: no {key}");
            }
            if kind == "text" && f["indexed"].as_bool() == Some(true) {
                let tokenizer = f["tokenizer"].as_str().unwrap();
                assert!(["raw", "whitespace"].contains(&tokenizer), "{name}: {tokenizer}");
                assert_eq!(f["fieldnorms"].as_bool(), Some(true), "{name}");
                if tokenizer == "whitespace" {
                    assert_eq!(f["record"].as_str(), Some("position"), "{name}");
                }
            }
            if kind != "text" && kind != "array<text>" {
                assert!(f["tokenizer"].is_badvalue() && f["record"].is_badvalue(), "{name}");
            }
        }
        for name in ["meeting_date", "meeting_ts"] {
            let date = fields.iter().find(|f| f["name"].as_str() == Some(name)).unwrap();
            assert_eq!((date["type"].as_str(), date["fast"].as_bool()), (Some("datetime"), Some(true)), "{name}");
        }
        let defaults = y["search_settings"]["default_search_fields"].as_vec().unwrap();
        assert_eq!(defaults.len(), 5);
        for d in defaults {
            assert!(names.contains(d.as_str().unwrap()), "{d:?} is no field");
        }
        assert!(y["indexing_settings"]["merge_policy"]["type"].as_str().is_some());
    }

    #[test]
    fn every_index_field_is_mapped_or_deliberately_left_out() {
        let y = parsed();
        let names: BTreeSet<String> = y["doc_mapping"]["field_mappings"]
            .as_vec()
            .unwrap()
            .iter()
            .map(|f| f["name"].as_str().unwrap().to_string())
            .collect();
        for f in &schema::spec().fields {
            let mapped = names.contains(&f.name) || names.contains(&format!("{}_terms", f.name));
            let left_out = LEFT_OUT.iter().any(|(n, _)| *n == f.name);
            assert!(mapped != left_out, "{}: mapped {mapped}, left out {left_out}", f.name);
        }
        assert!(valid_index_id("council_items") && !valid_index_id("1x") && !valid_index_id("a b c"));
    }
}
