use super::{Item, ItemType};
use crate::extract::Text;
/// Splits a pack into items.
pub fn segment(text: &Text) -> Vec<Item> {
    let title = text
        .lines
        .iter()
        .find(|l| !l.trim().is_empty())
        .cloned()
        .unwrap_or_default();
    vec![Item::new(
        ItemType::Report,
        title.trim(),
        1,
        text.lines.len().max(1),
    )]
}
pub(super) fn clean_body(lines: &[String], item: &Item) -> String {
    let end = item.line_end.min(lines.len());
    let start = item.line_start.clamp(1, end.max(1));
    lines[start - 1..end].join("\n")
}
