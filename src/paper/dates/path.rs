//! Dates in a paper's path: the file name and the folders it sits in, which
//! often name the meeting (`2019-03-14`, `20190314`, `aug-7-2018`, a
//! `YYYY/MM/DD-…` folder run). The last resort when the text and the file's
//! own metadata give none.

use std::path::Path;
use std::sync::LazyLock;

use chrono::NaiveDate;
use regex::Regex;

use super::find_full_date;

/// `14-03-2019`, `20190314`, `aug-7-2018`, `6th February 2019`, and a
/// `YYYY/MM/DD-…` folder run.
///
/// One exception to "nearest first": a folder whose whole name is a date
/// (`…/2025-01-30/…`, as ModernGov exports file each meeting's papers) names
/// the meeting, and outranks a date written among the words of the file name
/// (`Appendix E 21.01.25 incl update.pdf`, a version date). A file name that is
/// itself just a date (`2010-05-05.txt`) still wins.
pub(crate) fn path_date(path: &Path) -> Option<NaiveDate> {
    let comps: Vec<String> = path.iter().map(|c| c.to_string_lossy().into_owned()).collect();
    let n = comps.len();
    for (k, c) in comps.iter().enumerate().rev() {
        let c = if k + 1 == n { stem(c) } else { c.as_str() };
        if let Some(d) = component_date(c) {
            if k + 1 == n && !WHOLE_DATE.is_match(c) {
                if let Some(folder) = comps[..k].iter().rev().find(|f| WHOLE_DATE.is_match(f)) {
                    return component_date(folder).or(Some(d));
                }
            }
            return Some(d);
        }
        // `YYYY/MM/DD-name`: three components.
        if k >= 2 {
            let y = comps[k - 2].parse::<i32>().ok().filter(|y| (1900..2100).contains(y));
            let m = comps[k - 1].parse::<u32>().ok();
            let d = c
                .get(..2)
                .and_then(|d| d.parse::<u32>().ok())
                .filter(|_| !c[2..].starts_with(|ch: char| ch.is_ascii_digit()));
            if let (Some(y), Some(m), Some(d)) = (y, m, d) {
                if let Some(date) = NaiveDate::from_ymd_opt(y, m, d) {
                    return Some(date);
                }
            }
        }
    }
    None
}

fn stem(name: &str) -> &str {
    match name.rfind('.') {
        Some(i) if i > 0 && name.len() - i <= 6 => &name[..i],
        _ => name,
    }
}

/// A path component that is a date and nothing else: `2025-01-30`, `20250130`, `30-01-2025`.
static WHOLE_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:(?:19|20)\d\d[-_.]?[01]\d[-_.]?[0-3]\d|[0-3]?\d[-_.][01]?\d[-_.](?:19|20)\d\d)$")
        .expect("valid regex")
});

static ISO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|[^0-9])((?:19|20)\d\d)[-_.]?([01]\d)[-_.]?([0-3]\d)(?:[^0-9]|$)").expect("valid regex")
});
static DMY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|[^0-9])([0-3]?\d)[-_.]([01]?\d)[-_.]((?:19|20)\d\d)(?:[^0-9]|$)").expect("valid regex")
});

fn component_date(c: &str) -> Option<NaiveDate> {
    if let Some(m) = ISO.captures(c) {
        let d = NaiveDate::from_ymd_opt(m[1].parse().ok()?, m[2].parse().ok()?, m[3].parse().ok()?);
        if d.is_some() {
            return d;
        }
    }
    if let Some(m) = DMY.captures(c) {
        let d = NaiveDate::from_ymd_opt(m[3].parse().ok()?, m[2].parse().ok()?, m[1].parse().ok()?);
        if d.is_some() {
            return d;
        }
    }
    let spaced = c.replace(['-', '_'], " ");
    find_full_date(&spaced).map(|f| f.date)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, day)
    }

    #[test]
    fn path_dates() {
        assert_eq!(path_date(Path::new("x/2019/03/06-Monthly Meeting/Minutes - 6th February 2019.md")), d(2019, 2, 6));
        assert_eq!(path_date(Path::new("minutes/20180108.txt")), d(2018, 1, 8));
        assert_eq!(path_date(Path::new("html/2018/agenda-aug-7-2018.html")), d(2018, 8, 7));
        assert_eq!(path_date(Path::new("a/14-03-2019.txt")), d(2019, 3, 14));
        assert_eq!(path_date(Path::new("a/2019/03/06-Meeting/Agenda.md")), d(2019, 3, 6));
        assert_eq!(path_date(Path::new("a/b.txt")), None);
        // A meeting folder named by its date outranks a version date among the file name's words.
        assert_eq!(path_date(Path::new("cabinet/2024-03-12/Annex B 04.03.24 draft.pdf")), d(2024, 3, 12));
        assert_eq!(path_date(Path::new("council/20240312/Budget update 4.3.24.pdf")), d(2024, 3, 12));
        // A file name that is only a date still wins; so does a dated name under a folder run.
        assert_eq!(path_date(Path::new("records/1999-01-01/1999-01-06.txt")), d(1999, 1, 6));
        assert_eq!(path_date(Path::new("p/2019/03/06-Meeting/Minutes - 6th February 2019.md")), d(2019, 2, 6));
    }
}
