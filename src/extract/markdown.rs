//! Markdown: YAML front matter becomes [`TextMeta`] and blank lines (so line N
//! is still line N of the file); an "[Original file](URL)" link near the top
//! becomes the source URL. The rest is kept as written: the segmenter reads
//! Markdown headings itself.

use super::{parse_iso_date, Text, TextMeta};

/// Front matter longer than this many lines is taken for text, not metadata.
const MAX_FRONT_MATTER_LINES: usize = 200;

/// Fills `text.meta` from front matter (blanking those lines) and an
/// "Original file" link.
pub(crate) fn apply_front_matter(text: &mut Text) {
    if text.lines.first().map(|l| l.trim_end()) == Some("---") {
        let end = text
            .lines
            .iter()
            .take(MAX_FRONT_MATTER_LINES)
            .skip(1)
            .position(|l| matches!(l.trim_end(), "---" | "..."))
            .map(|i| i + 1);
        if let Some(end) = end {
            text.meta = parse_front_matter(&text.lines[1..end]);
            for l in &mut text.lines[..=end] {
                l.clear();
            }
        }
    }
    if text.meta.source_url.is_none() {
        text.meta.source_url = text.lines.iter().take(5).find_map(|l| original_file_link(l));
    }
}

/// The simple YAML that front matter uses: top-level `key: value` pairs; lists
/// and nested maps are passed over.
fn parse_front_matter(lines: &[String]) -> TextMeta {
    let mut meta = TextMeta::default();
    let mut meeting_date = None;
    let mut post_date = None;
    for line in lines {
        if line.starts_with([' ', '\t', '-', '#']) {
            continue;
        }
        let Some((key, value)) = line.split_once(':') else { continue };
        let key = key.trim().to_ascii_lowercase().replace('-', "_");
        let value = unquote(value.trim());
        if value.is_empty() {
            continue;
        }
        match key.as_str() {
            "title" => meta.title = Some(value.to_string()),
            "meeting_date" | "meeting" | "date_of_meeting" => meeting_date = meeting_date.or(parse_iso_date(value)),
            // In the posts seen so far `date` is the post date (usually weeks after the meeting).
            "date" | "published" | "pubdate" => post_date = post_date.or(parse_iso_date(value)),
            "source_url" | "original_url" | "source" | "url" | "canonical_url" | "original"
                if meta.source_url.is_none() && value.starts_with("http") =>
            {
                meta.source_url = Some(value.to_string())
            }
            "council" | "authority" | "organisation" | "organization" | "body" if meta.council.is_none() => {
                meta.council = Some(value.to_string())
            }
            "committee" if meta.committee.is_none() => meta.committee = Some(value.to_string()),
            _ => {}
        }
    }
    meta.date = meeting_date.or(post_date);
    meta
}

fn unquote(v: &str) -> &str {
    let v = v.split(" #").next().unwrap_or(v).trim();
    for q in ['"', '\''] {
        if let Some(inner) = v.strip_prefix(q).and_then(|s| s.strip_suffix(q)) {
            return inner.trim();
        }
    }
    v
}

/// `[Original file](https://...)`, as PDF-to-Markdown converters write it.
fn original_file_link(line: &str) -> Option<String> {
    let rest = line.trim().strip_prefix('[')?;
    let (label, rest) = rest.split_once("](")?;
    if !label.to_ascii_lowercase().contains("original") {
        return None;
    }
    let url = rest.split_once(')')?.0.trim();
    url.starts_with("http").then(|| url.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_matter_blanked_and_parsed() {
        let mut t = Text::from_lines_of(
            "---\ntitle: \"Minutes March\"\ndate: \"2019-03-06\"\ncategories:\n  - \"x\"\ncouncil: Stoke Ferry Parish Council\n---\n\nBody\n",
        );
        apply_front_matter(&mut t);
        assert_eq!(t.lines.len(), 9);
        assert!(t.lines[..8].iter().all(|l| l.is_empty()));
        assert_eq!(t.lines[8], "Body");
        assert_eq!(t.meta.title.as_deref(), Some("Minutes March"));
        assert_eq!(t.meta.date, chrono::NaiveDate::from_ymd_opt(2019, 3, 6));
        assert_eq!(t.meta.council.as_deref(), Some("Stoke Ferry Parish Council"));
    }

    #[test]
    fn original_file_link_is_the_source() {
        let mut t = Text::from_lines_of("[Original file](https://x.ie/a%20b.pdf)\n\n---\ntext");
        apply_front_matter(&mut t);
        assert_eq!(t.meta.source_url.as_deref(), Some("https://x.ie/a%20b.pdf"));
        assert_eq!(t.lines[0], "[Original file](https://x.ie/a%20b.pdf)");
    }

    #[test]
    fn unterminated_front_matter_is_text() {
        let mut t = Text::from_lines_of("---\ntitle: x\nbody");
        apply_front_matter(&mut t);
        assert_eq!(t.lines[1], "title: x");
        assert_eq!(t.meta, TextMeta::default());
    }
}
