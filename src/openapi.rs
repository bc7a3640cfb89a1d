//! OpenAPI schemas for the values the library serialises by hand: byte ranges
//! as `[start, end]` pairs, counts as `[name, count]` pairs and content hashes
//! as hex. The types themselves derive their schemas where they are defined
//! (with the `server` feature); this module only fills the gaps serde's
//! custom serialisers leave, so the document describes what is really sent.

use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, Schema, SchemaType, Type};
use utoipa::openapi::RefOr;

/// A list of pairs whose members are of these types: `[[a, b], ...]`.
fn pairs(first: Type, second: Type) -> RefOr<Schema> {
    let member = ObjectBuilder::new().schema_type(SchemaType::from_iter([first, second]));
    let pair = ArrayBuilder::new().items(member).min_items(Some(2)).max_items(Some(2));
    ArrayBuilder::new().items(pair).build().into()
}

/// Half-open byte ranges, as a list of `[start, end]` pairs.
pub fn byte_ranges() -> RefOr<Schema> {
    pairs(Type::Integer, Type::Integer)
}

/// Counts by name, as a list of `[name, count]` pairs.
pub fn name_counts() -> RefOr<Schema> {
    pairs(Type::String, Type::Integer)
}

/// A content hash: 16 hex digits, or null.
pub fn content_hash() -> RefOr<Schema> {
    ObjectBuilder::new()
        .schema_type(SchemaType::from_iter([Type::String, Type::Null]))
        .pattern(Some("^[0-9a-f]{16}$"))
        .into()
}
