//! Splitting a report's span into the cover report and its appendices.

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;

use crate::paper::lines::{self, Line};

static LABEL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^(?:appendix|annex)\s+([a-z0-9]{1,3})(?-u:\b)").expect("valid regex"));

/// At most this many listed titles are remembered per report (keeps it linear).
const MAX_REFS: usize = 64;

/// Closing sections of a cover report.
const CLOSING: &[&str] = &[
    "background papers",
    "background documents",
    "supporting information",
    "supporting documents",
    "report sign-off",
    "report sign off",
    "contact points",
    "specific contact points",
    "county council contact points",
    "note: for sight",
    "list of appendices",
];

fn closing_heading(l: &Line) -> bool {
    if l.tab || l.long || l.clean.len() > 200 {
        return false;
    }
    let c = l.clean.trim_start_matches(['-', '•', '*', ' ']);
    let c = &c[lines::numbered_prefix_len(c)..];
    let lower = c.trim().to_lowercase();
    CLOSING.iter().any(|h| lower.starts_with(h))
}

/// A line that belongs to a report's closing sections: list items, table rows,
/// contact details, links, references to appendices.
fn closing_line(l: &Line) -> bool {
    let lower = l.clean.to_lowercase();
    closing_heading(l)
        || l.tab
        || lines::is_list_item(l.raw.trim_start())
        || lower.contains('@')
        || lower.contains("appendi")
        || ["name", "tel", "email", "e-mail", "phone", "telephone", "www.", "http", "<http"]
            .iter()
            .any(|p| lower.starts_with(p))
}

/// A top-level appendix label: `Appendix B`, `## Appendix A: …`, `**APPENDIX A**`.
fn label(l: &Line) -> bool {
    !l.long && l.clean.len() <= 150 && LABEL.is_match(&l.clean)
}

/// What a cover report's closing sections have shown so far: whether the
/// scan is in them, whether it has been, and the titles they list.
#[derive(Default)]
struct Closing {
    /// In the closing sections now.
    in_zone: bool,
    /// The report has had closing sections.
    seen: bool,
    /// The next line is the paragraph a closing heading introduces.
    first_para: bool,
    /// Titles the closing sections list, and whether an appendix took each.
    refs: Vec<(Vec<String>, bool)>,
}

impl Closing {
    /// Takes a line of the cover report (not a split): a closing heading
    /// opens the zone, its lines add titles, any other line closes it.
    fn see(&mut self, l: &Line) {
        if closing_heading(l) {
            self.in_zone = true;
            self.seen = true;
            // A heading alone on its line introduces a paragraph that belongs to it.
            self.first_para = l.clean.len() <= 60;
        } else if self.in_zone {
            if self.first_para || closing_line(l) {
                self.first_para = false;
                if !l.tab && !l.long {
                    let text = l.clean.trim_start_matches(['-', '•', '*', ' ']);
                    let text = &text[lines::numbered_prefix_len(text)..];
                    let w = lines::words(text);
                    if !w.is_empty() && self.refs.len() < MAX_REFS {
                        self.refs.push((w, false));
                    }
                }
            } else {
                self.in_zone = false;
            }
        }
    }

    /// True when a line is a title the closing sections listed and no appendix took yet.
    fn lists(&self, l: &Line) -> bool {
        let w = lines::words(&l.clean);
        w.len() >= 4 && self.refs.iter().any(|(r, used)| !used && r.len() >= 4 && lines::overlap(&w, r) >= 0.8)
    }

    /// An appendix starts at `l`: the listed title it matches best is taken.
    fn take(&mut self, l: &Line) {
        self.in_zone = false;
        self.first_para = false;
        let w = lines::words(&l.clean);
        if let Some(best) = self
            .refs
            .iter_mut()
            .filter(|(_, used)| !used)
            .map(|r| (lines::overlap(&w, &r.0), r))
            .filter(|(o, _)| *o >= 0.5)
            .max_by(|a, b| a.0.total_cmp(&b.0))
        {
            best.1 .1 = true;
        }
    }
}

/// The appendices inside a report's span `s..e` (0-based): their first lines and titles.
pub(crate) fn appendices(
    ls: &[Line],
    s: usize,
    e: usize,
    heading_counts: &HashMap<String, usize>,
    report_title: &str,
) -> Vec<(usize, String)> {
    let e = e.min(ls.len());
    let mut out: Vec<(usize, String)> = Vec::new();
    let mut in_appendix = false;
    let mut closing = Closing::default();
    let mut blank_since = false;
    let mut empty_run = 0usize;
    let mut current_key = String::new();
    let Some(first) = (s..e).find(|&i| ls[i].is_content()) else { return out };
    for (i, l) in ls.iter().enumerate().take(e).skip(first + 1) {
        if l.blank_page {
            blank_since = true;
            empty_run += 1;
            continue;
        }
        if l.empty {
            empty_run += 1;
            continue;
        }
        if lines::is_page_marker(l.clean.trim()) {
            // A printed page number: neither a boundary nor a title.
            continue;
        }
        let context = in_appendix || closing.seen;
        // The key is built only where it is needed; a repeat is found without it.
        let key = || if l.long { String::new() } else { lines::key(&l.clean) };
        let repeat = !l.long && !current_key.is_empty() && lines::key_is(&l.clean, &current_key);
        let in_zone = closing.in_zone;
        let split = !repeat
            && (
                // (a) An explicit label in a top-level position.
                (label(l) && (blank_since || in_zone || l.hashes > 0 || l.bold || empty_run >= 3 && !in_appendix))
                // (b) The first line after the cover report's closing sections.
                || (in_zone && !closing.first_para && !closing_line(l) && (empty_run >= 2 || l.heading_like()))
                // (c) A new document after a blank page, once the report has closed.
                || (blank_since && context)
                // (d) A running page title (a heading repeated through the pack).
                || (in_appendix
                    && (1..=2).contains(&l.hashes)
                    && lines::numbered_prefix_len(&l.clean) == 0
                    && heading_counts.get(&key()).copied().unwrap_or(0) >= 3)
                // (e) A title the cover report listed, after a gap.
                || (context && empty_run >= 2 && l.heading_like() && closing.lists(l))
            );
        if split {
            in_appendix = true;
            current_key = key();
            closing.take(l);
            out.push((i, appendix_title(ls, i, e, report_title)));
        } else if !in_appendix {
            closing.see(l);
        }
        blank_since = l.inline_blank;
        empty_run = 0;
    }
    out
}

/// The title of an appendix starting at `i`: a bare label takes the next line
/// too; a title block of short lines is joined ("ANNUAL / REPORT / 2016/17").
fn appendix_title(ls: &[Line], i: usize, e: usize, report_title: &str) -> String {
    let c = ls[i].clean.trim();
    let bare = LABEL.find(c).is_some_and(|m| c[m.end()..].trim_matches([':', '-', '–', ' ']).is_empty());
    let next = |from: usize| {
        (from..e.min(from + 6)).find(|&j| ls[j].is_content() && !lines::is_page_marker(ls[j].clean.trim()))
    };
    if bare {
        if let Some(j) = next(i + 1) {
            if ls[j].heading_like() {
                return format!("{c}: {}", ls[j].clean.trim());
            }
        }
        return c.to_string();
    }
    if !ls[i].heading_like() {
        return lines::truncate(&format!("Appendix to {report_title}"), 150).to_string();
    }
    let mut title = c.to_string();
    let mut j = i;
    for _ in 0..3 {
        if title.len() >= 60 {
            break;
        }
        let Some(k) = next(j + 1) else { break };
        let l = &ls[k];
        let caps = |x: &Line| !x.clean.chars().any(char::is_lowercase);
        let same_style = (ls[i].bold && l.bold) || (caps(&ls[i]) && caps(l));
        if !l.heading_like() || !same_style || title.len() + l.clean.len() > 120 {
            break;
        }
        title.push(' ');
        title.push_str(l.clean.trim());
        j = k;
    }
    lines::truncate(&title, 150).to_string()
}
