//! Mapping documents to agenda items: minutes to the minutes item, reports and
//! work programmes by a monotonic alignment with the items that carry pages,
//! appendices to their report.

use super::agenda::AgendaEntry;
use super::Doc;
use crate::paper::lines;
use crate::paper::ItemType;

/// Largest alignment table built; bigger inputs are paired in order.
const MAX_CELLS: usize = 200_000;

struct Group {
    docs: Vec<usize>,
    wp: bool,
    title: String,
    explicit: Option<String>,
}

/// For each doc, the index of its agenda entry.
pub(super) fn assign(docs: &[Doc], entries: &[AgendaEntry]) -> Vec<Option<usize>> {
    let mut out = vec![None; docs.len()];
    if entries.is_empty() {
        return out;
    }
    let minutes_entry = entries.iter().position(|e| !e.procedural && e.title.to_lowercase().contains("minutes"));
    let mut groups: Vec<Group> = Vec::new();
    let mut last_primary: Option<ItemType> = None;
    for (k, d) in docs.iter().enumerate() {
        // A section of a long document goes with the document it continues.
        if d.continuation {
            match d.item_type {
                ItemType::Minutes => out[k] = minutes_entry,
                _ => {
                    if let Some(g) = groups.last_mut() {
                        g.docs.push(k);
                    }
                }
            }
            continue;
        }
        match d.item_type {
            ItemType::Minutes => {
                out[k] = minutes_entry;
                last_primary = None;
            }
            ItemType::Report => {
                groups.push(Group { docs: vec![k], wp: false, title: d.title.clone(), explicit: d.explicit.clone() });
                last_primary = Some(ItemType::Report);
            }
            ItemType::WorkProgramme => {
                if last_primary == Some(ItemType::WorkProgramme) {
                    if let Some(g) = groups.last_mut() {
                        g.docs.push(k);
                        continue;
                    }
                }
                groups.push(Group { docs: vec![k], wp: true, title: d.title.clone(), explicit: None });
                last_primary = Some(ItemType::WorkProgramme);
            }
            ItemType::Appendix => {
                if let Some(g) = groups.last_mut() {
                    g.docs.push(k);
                }
            }
            _ => last_primary = None,
        }
    }
    let cands: Vec<usize> = (0..entries.len())
        .filter(|&i| entries[i].pages.is_some() && !entries[i].procedural && Some(i) != minutes_entry)
        .collect();
    let matched = align(&groups, &cands, entries);
    let mut prev: Option<usize> = None;
    for (g, m) in groups.iter().zip(matched) {
        let e = m.or(prev);
        prev = e;
        for &k in &g.docs {
            out[k] = e;
        }
    }
    out
}

/// Monotonic alignment of groups to candidate entries maximising title similarity.
fn align(groups: &[Group], cands: &[usize], entries: &[AgendaEntry]) -> Vec<Option<usize>> {
    let (g, c) = (groups.len(), cands.len());
    let mut res = vec![None; g];
    if g == 0 || c == 0 {
        return res;
    }
    if (g + 1) * (c + 1) > MAX_CELLS {
        for (i, r) in res.iter_mut().enumerate().take(c) {
            *r = Some(cands[i]);
        }
        return res;
    }
    let gw: Vec<Vec<String>> = groups.iter().map(|x| lines::words(&x.title)).collect();
    let ew: Vec<Vec<String>> = cands.iter().map(|&i| lines::words(&entries[i].title)).collect();
    let score = |i: usize, j: usize| -> f64 {
        let grp = &groups[i];
        let en = &entries[cands[j]];
        if let Some(x) = &grp.explicit {
            return if x.eq_ignore_ascii_case(&en.num) { 10.0 } else { f64::NEG_INFINITY };
        }
        let mut s = 1.0 + lines::overlap(&gw[i], &ew[j]);
        if acronym_match(&grp.title, &ew[j]) {
            s += 1.0;
        }
        let lower = en.title.to_lowercase();
        let wp_title =
            lower.contains("work programme") || lower.contains("forward plan") || lower.contains("work plan");
        if grp.wp && wp_title {
            s += 1.0;
        } else if grp.wp != wp_title {
            s -= 0.5;
        }
        s
    };
    let w = c + 1;
    let mut dp = vec![0.0f64; (g + 1) * w];
    for i in 1..=g {
        for j in 1..=c {
            let mut best = dp[(i - 1) * w + j].max(dp[i * w + j - 1]);
            let s = score(i - 1, j - 1);
            if s > 0.0 {
                best = best.max(dp[(i - 1) * w + j - 1] + s);
            }
            dp[i * w + j] = best;
        }
    }
    let (mut i, mut j) = (g, c);
    while i > 0 && j > 0 {
        let here = dp[i * w + j];
        let s = score(i - 1, j - 1);
        if s > 0.0 && (here - (dp[(i - 1) * w + j - 1] + s)).abs() < 1e-9 {
            res[i - 1] = Some(cands[j - 1]);
            i -= 1;
            j -= 1;
        } else if (here - dp[(i - 1) * w + j]).abs() < 1e-9 {
            i -= 1;
        } else {
            j -= 1;
        }
    }
    res
}

/// True when an acronym in `title` (STP, WSAB) matches the initials of `entry_words`
/// (in order, or as the same set of letters).
fn acronym_match(title: &str, entry_words: &[String]) -> bool {
    let initials: String = entry_words.iter().filter_map(|w| w.chars().next()).collect();
    if initials.len() < 2 {
        return false;
    }
    let mut sorted_init: Vec<char> = initials.chars().collect();
    sorted_init.sort_unstable();
    for tok in title.split(|c: char| !c.is_alphanumeric()) {
        let n = tok.chars().count();
        if !(2..=6).contains(&n) || !tok.chars().all(|c| c.is_ascii_uppercase()) {
            continue;
        }
        let lower = tok.to_ascii_lowercase();
        if initials.contains(&lower) {
            return true;
        }
        let mut s: Vec<char> = lower.chars().collect();
        s.sort_unstable();
        if s == sorted_init {
            return true;
        }
    }
    false
}
