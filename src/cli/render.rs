//! Rendering results for people: colour only when wanted, document text
//! sanitised. The forms for scripts (JSON lines, CSV) are the library's
//! (`council_search::output`), shared with the server's exports.

use std::io::{self, Write};

use council_search::indexer::IndexStats;
use council_search::paper::ItemMeta;
use council_search::search::{Facets, IndexSummary, Meeting, SearchResults, ShownItem, Tier, Timeline};
use serde_json::json;

/// ANSI styles, or none.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    colour: bool,
}

impl Style {
    /// Colour on or off.
    pub fn new(colour: bool) -> Style {
        Style { colour }
    }

    fn paint(&self, code: &str, s: &str) -> String {
        if self.colour {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }

    fn bold(&self, s: &str) -> String {
        self.paint("1", s)
    }
    fn path(&self, s: &str) -> String {
        self.paint("35", s)
    }
    fn dim(&self, s: &str) -> String {
        self.paint("2", s)
    }
    fn hit(&self, s: &str) -> String {
        self.paint("1;31", s)
    }
}

/// Makes untrusted document text safe for a terminal: control, bidirectional
/// and zero-width characters are shown as escapes, tabs as spaces.
pub fn sanitize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\t' => out.push(' '),
            '\n' => out.push('\n'),
            c if c.is_control()
                || matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}' | '\u{061C}') =>
            {
                out.push_str(&format!("\\u{{{:04X}}}", c as u32));
            }
            c => out.push(c),
        }
    }
    out
}

/// Text with highlighted ranges, sanitised piece by piece.
fn highlighted(text: &str, ranges: &[std::ops::Range<usize>], style: Style) -> String {
    let mut out = String::new();
    let mut at = 0;
    for r in ranges {
        if r.start < at || r.end > text.len() || !text.is_char_boundary(r.start) || !text.is_char_boundary(r.end) {
            continue;
        }
        out.push_str(&sanitize(&text[at..r.start]));
        let word = sanitize(&text[r.clone()]);
        out.push_str(&if style.colour { style.hit(&word) } else { format!("[{word}]") });
        at = r.end;
    }
    out.push_str(&sanitize(&text[at..]));
    out
}

/// Council, committee, date, type, agenda item and pages, on one line.
fn meta_line(m: &ItemMeta) -> String {
    let mut parts: Vec<String> = Vec::new();
    parts.extend(m.council.iter().cloned());
    parts.extend(m.committee.iter().cloned());
    parts.push(m.meeting_date.map_or_else(|| "undated".into(), |d| d.to_string()));
    parts.push(m.item_type.as_str().to_string());
    if let Some(a) = &m.agenda_item {
        parts.push(format!("item {a}"));
    }
    match (m.page_start, m.page_end) {
        (Some(a), Some(b)) if a != b => parts.push(format!("pp. {a}-{b}")),
        (Some(a), _) => parts.push(format!("p. {a}")),
        _ => {
            if let Some(l) = &m.listed_pages {
                parts.push(format!("listed pp. {l}"));
            }
        }
    }
    parts.join(" · ")
}

/// What a hit's tier says about it, for people.
fn tier_note(tier: Option<Tier>) -> &'static str {
    match tier {
        Some(Tier::AllWords) => "  all words",
        Some(Tier::SomeWords) => "  some words",
        None => "",
    }
}

/// Search results for people.
pub fn human(out: &mut impl Write, results: &SearchResults, style: Style) -> io::Result<()> {
    for hit in &results.hits {
        let item = &hit.item;
        writeln!(
            out,
            "{} {}  {}",
            style.bold(&format!("{}.", hit.rank)),
            style.bold(&sanitize(&item.meta.title)),
            style.dim(&format!("score {:.2}{}  id {}", hit.score, tier_note(hit.tier), item.id))
        )?;
        writeln!(out, "   {}", sanitize(&meta_line(&item.meta)))?;
        let page = hit.snippet.page.map(|p| format!(" (page {p})")).unwrap_or_default();
        writeln!(
            out,
            "   {}{}",
            style.path(&format!("{}:{}-{}", sanitize(&item.path), item.line_start, item.line_end)),
            style.dim(&format!("  line {}{page}", hit.snippet.line))
        )?;
        for (i, sn) in hit.snippets.iter().enumerate() {
            let at = if i == 0 { String::new() } else { style.dim(&format!("  (line {})", sn.line)) };
            writeln!(out, "   {}{at}", highlighted(&sn.text, &sn.highlights, style))?;
        }
        if !hit.expansions.is_empty() {
            let ex: Vec<String> = hit.expansions.iter().map(|e| format!("{} = {}", e.acronym, e.long)).collect();
            writeln!(out, "   {}", style.dim(&sanitize(&format!("acronyms: {}", ex.join("; ")))))?;
        }
        if let Some(roles) = &hit.attendance {
            writeln!(out, "   {}", style.dim(&format!("attendance: {}", roles.join(", "))))?;
        }
        for place in &hit.also_in {
            writeln!(
                out,
                "   {}",
                style.dim(&sanitize(&format!("also in {}:{}-{}", place.path, place.line_start, place.line_end)))
            )?;
        }
        writeln!(out)?;
    }
    if let Some(f) = &results.facets {
        facets_human(out, f)?;
    }
    let shown = results.hits.len();
    writeln!(
        out,
        "{}",
        style.dim(&format!("{shown} of {} matching item{}", results.total, if results.total == 1 { "" } else { "s" }))
    )
}

/// Facet counts for people.
fn facets_human(out: &mut impl Write, f: &Facets) -> io::Result<()> {
    for (label, rows) in
        [("council", &f.council), ("committee", &f.committee), ("type", &f.item_type), ("year", &f.year)]
    {
        let cells: Vec<String> = rows.iter().map(|(k, n)| format!("{} ({n})", sanitize(k))).collect();
        writeln!(out, "{label:>9}: {}", if cells.is_empty() { "-".to_string() } else { cells.join(", ") })?;
    }
    Ok(())
}

/// A timeline as a bar chart.
pub fn timeline_human(out: &mut impl Write, t: &Timeline) -> io::Result<()> {
    let max = t.buckets.iter().map(|(_, n)| *n).max().unwrap_or(0).max(1);
    let width = 50.0;
    for (period, n) in &t.buckets {
        let bar = "█".repeat(((*n as f64 / max as f64) * width).ceil() as usize);
        writeln!(out, "{period:>7} {bar} {n}")?;
    }
    if t.undated > 0 {
        writeln!(out, "{:>7} {} undated", "", t.undated)?;
    }
    writeln!(out, "{} matching item{}", t.total, if t.total == 1 { "" } else { "s" })
}

/// A timeline as JSON lines: one `{"type":"bucket","period","count"}` per period, then a summary.
pub fn timeline_json(out: &mut impl Write, t: &Timeline) -> io::Result<()> {
    for (period, n) in &t.buckets {
        writeln!(out, "{}", json!({"type": "bucket", "period": period, "count": n}))?;
    }
    writeln!(
        out,
        "{}",
        json!({"type": "summary", "total": t.total, "undated": t.undated, "ignored": t.ignored, "warnings": t.warnings})
    )
}

/// One item, whole, for people.
pub fn show_human(out: &mut impl Write, shown: &ShownItem, style: Style) -> io::Result<()> {
    let it = &shown.item;
    writeln!(out, "{}", style.bold(&sanitize(&it.meta.title)))?;
    writeln!(out, "{}", sanitize(&meta_line(&it.meta)))?;
    writeln!(out, "{}", style.path(&format!("{}:{}-{}", sanitize(&it.path), it.line_start, it.line_end)))?;
    writeln!(out)?;
    let body = highlighted(it.body(), &shown.highlights, style);
    let width = it.line_end.to_string().len();
    for (i, line) in body.split('\n').enumerate() {
        writeln!(out, "{} {}", style.dim(&format!("{:>width$}", it.line_start + i)), line)?;
    }
    Ok(())
}

/// A meeting's papers and items for people: the meeting, then each paper's
/// path and its items (type, agenda item, title, pages, id), in agenda order.
pub fn meeting_human(out: &mut impl Write, m: &Meeting, style: Style) -> io::Result<()> {
    let mut head: Vec<String> = Vec::new();
    head.extend(m.council.iter().cloned());
    head.extend(m.committee.iter().cloned());
    head.push(m.meeting_date.map_or_else(|| "undated".into(), |d| d.to_string()));
    writeln!(out, "{}  {}", style.bold(&sanitize(&head.join(" · "))), style.dim(&format!("meeting {}", m.meeting_id)))?;
    for p in &m.papers {
        writeln!(out)?;
        writeln!(out, "{}", style.path(&sanitize(&p.path)))?;
        for it in &p.items {
            let item = it.meta.agenda_item.as_deref().map(|a| format!("item {a}")).unwrap_or_default();
            let pages = match (it.meta.page_start, it.meta.page_end) {
                (Some(a), Some(b)) if a != b => format!("  pp. {a}-{b}"),
                (Some(a), _) => format!("  p. {a}"),
                _ => String::new(),
            };
            writeln!(
                out,
                "  {:<14} {:<9} {}{}  {}",
                it.meta.item_type.as_str(),
                item,
                sanitize(&it.meta.title),
                pages,
                style.dim(&format!("id {}  lines {}-{}", it.id, it.line_start, it.line_end))
            )?;
        }
    }
    Ok(())
}

/// Index contents for people.
pub fn stats_human(out: &mut impl Write, s: &IndexSummary) -> io::Result<()> {
    writeln!(out, "index      {}", s.path)?;
    writeln!(out, "files      {}", s.files)?;
    writeln!(out, "items      {}", s.items)?;
    let range = match (&s.first_meeting, &s.last_meeting) {
        (Some(a), Some(b)) => format!("{a} to {b}"),
        _ => "none".into(),
    };
    writeln!(out, "meetings   {range} ({} items undated)", s.undated)?;
    for (label, rows) in [("councils", &s.councils), ("committees", &s.committees), ("types", &s.item_types)] {
        writeln!(out, "{label}")?;
        for (name, n) in rows {
            writeln!(out, "  {n:>7}  {}", sanitize(name))?;
            if let Some(aliases) = s.council_aliases.get(name).filter(|_| label == "councils") {
                writeln!(out, "           also: {}", sanitize(&aliases.join("; ")))?;
            }
        }
    }
    Ok(())
}

/// The indexing summary for people, on stderr.
pub fn index_summary_human(out: &mut impl Write, s: &IndexStats, index: &std::path::Path) -> io::Result<()> {
    let formats: Vec<String> = s.formats.iter().map(|(f, n)| format!("{n} {f}")).collect();
    writeln!(
        out,
        "indexed into {}: {} added, {} changed, {} moved, {} removed, {} unchanged, {} skipped; {} items written, {} in the index; {:.1} MB in {:.2}s{}",
        index.display(),
        s.added,
        s.changed,
        s.moved,
        s.removed,
        s.unchanged,
        s.skipped.len(),
        s.items,
        s.total_items,
        s.bytes as f64 / 1e6,
        s.seconds,
        if formats.is_empty() { String::new() } else { format!(" ({})", formats.join(", ")) }
    )?;
    let mut reasons: std::collections::BTreeMap<&str, usize> = Default::default();
    for sk in &s.skipped {
        *reasons.entry(sk.reason).or_default() += 1;
    }
    if !reasons.is_empty() {
        let r: Vec<String> = reasons.iter().map(|(k, n)| format!("{n} {k}")).collect();
        writeln!(out, "skipped: {}", r.join(", "))?;
    }
    if s.ignored > 0 {
        writeln!(out, "passed over {} other files (not papers by their kind: images, archives)", s.ignored)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_text_is_sanitised() {
        assert_eq!(sanitize("a\u{202E}b\x1b[31mc\td"), "a\\u{202E}b\\u{001B}[31mc d");
    }

    #[test]
    fn highlights_are_marked_without_colour() {
        let s = highlighted("nurses from overseas", &[0..6, 12..20], Style::new(false));
        assert_eq!(s, "[nurses] from [overseas]");
    }
}
