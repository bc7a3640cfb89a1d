//! A paper's own metadata, read once for the whole file: the council, the body
//! that met, the meeting date and the kind of paper. The text comes first,
//! then what the file says about itself (front matter, an HTML head), then,
//! where the caller allows it, the path. Items get these unless their own
//! structure says otherwise (minutes recording another meeting).

use std::path::Path;

use chrono::{Datelike, NaiveDate};

use super::agenda::Front;
use crate::extract::Text;
use crate::paper::lines::Line;
use crate::paper::{bodies, dates, kinds, ItemType};

/// The body that meets when the whole council meets.
pub(crate) const FULL_COUNCIL: &str = "Full Council";

/// What a paper says about itself.
#[derive(Debug, Clone, Default)]
pub(crate) struct PaperMeta {
    /// The council the paper names.
    pub council: Option<String>,
    /// The body that met, as the paper names it.
    pub committee: Option<String>,
    /// The meeting the paper is for (a pack: its front sheet's date).
    pub date: Option<NaiveDate>,
    /// What kind of paper it says it is (`None`: it does not say).
    pub kind: Option<ItemType>,
}

/// Where the metadata may come from.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Sources<'a> {
    /// The file's path, for its name and the date it gives.
    pub path: Option<&'a Path>,
    /// Whether a council or body named by a folder may be taken (the
    /// indexer takes them itself, after the papers of the same meeting).
    pub path_names: bool,
}

impl PaperMeta {
    /// Reads the metadata of a paper whose content runs from line `first`,
    /// its first document start (if any) at `first_start`; `head` is its head
    /// as plain text, `front` its front sheet if it has one and `kind` what
    /// it says it is ([`stated_kind`]).
    pub(crate) fn read(
        text: &Text,
        src: Sources<'_>,
        (ls, head): (&[Line], &[String]),
        (first, first_start): (usize, usize),
        front: Option<&Front>,
        kind: Option<ItemType>,
    ) -> PaperMeta {
        let path = src.path;
        let council_lines = first_start.max(first + 100).min(first + 400);
        let council = bodies::titled_or_printed(text.meta.title.as_deref().and_then(bodies::title_council), head)
            .or_else(|| bodies::domain_council(ls, first, council_lines))
            .or_else(|| text.meta.council.clone())
            .or_else(|| path.filter(|_| src.path_names).and_then(bodies::path_council));
        let committee = front
            .and_then(|f| f.committee.clone())
            .or_else(|| bodies::text_body(head, kind.is_none_or(|k| matches!(k, ItemType::Agenda | ItemType::Minutes))))
            .or_else(|| bodies::that_the_body(ls, first))
            .or_else(|| text.meta.committee.clone())
            .or_else(|| path.filter(|_| src.path_names).and_then(bodies::path_body));
        // A meeting of the whole council is the Full Council; a paper that
        // names no council but whose body is one belongs to it.
        let council = council.or_else(|| committee.as_deref().and_then(bodies::council_in));
        let committee =
            committee
                .map(|c| if bodies::is_whole_council(&c, council.as_deref()) { FULL_COUNCIL.to_string() } else { c });
        let date = match front {
            Some(f) => Some(f.date),
            None => head_date(text, path, head, kind),
        };
        let kind = match front {
            Some(_) => Some(ItemType::Agenda),
            None => kind,
        };
        PaperMeta { council, committee, date, kind }
    }
}

/// What kind of paper the file says it is, by its name, its metadata title,
/// its head and its folder (see [`kinds::paper_kind`]).
pub(crate) fn stated_kind(text: &Text, path: Option<&Path>, head: &[String]) -> Option<ItemType> {
    let file = path.and_then(|p| p.file_stem()).map(|s| s.to_string_lossy());
    let folder = path.and_then(|p| p.parent()).and_then(|p| p.file_name()).map(|s| s.to_string_lossy());
    kinds::paper_kind(file.as_deref(), folder.as_deref(), text.meta.title.as_deref(), head)
}

/// Without a front sheet: the date the head states, then metadata, then the path.
///
/// Which date is the meeting's depends on the kind of paper: an agenda's head
/// may carry the date it was issued, some days before the meeting its file
/// or folder is named by (then the later date is the meeting's); a report's
/// or an appendix's head carries its own date (then the date its file or
/// folder names for the meeting wins, unless the head names its meeting:
/// "To: Cabinet – 30 January 2025"). Minutes are dated by the meeting they
/// record, which their head states (their folder may be the meeting that
/// approved them).
fn head_date(text: &Text, path: Option<&Path>, head: &[String], kind: Option<ItemType>) -> Option<NaiveDate> {
    let path_date = path.and_then(dates::path_date);
    let hint_year = text.meta.date.or(path_date).map(|d| d.year());
    let stated = dates::head_date(head, hint_year).map(|h| match (kind, path_date) {
        (Some(ItemType::Agenda), Some(p)) if p > h.date && (p - h.date).num_days() <= MAX_NOTICE_DAYS => p,
        (Some(k), Some(p)) if !h.announced && !matches!(k, ItemType::Agenda | ItemType::Minutes) => p,
        _ => h.date,
    });
    stated
        .or_else(|| {
            text.meta
                .title
                .as_deref()
                .and_then(|t| dates::title_date(t).or_else(|| dates::text_date(&[t.to_string()], hint_year)))
        })
        .or_else(|| meta_date(text))
        .or(path_date)
}

/// Most days an agenda is issued before its meeting.
const MAX_NOTICE_DAYS: i64 = 45;

/// The date the file gives about itself, unless its title shows that date is
/// not the meeting's (see [`dates::title_disowns_date`]).
pub(crate) fn meta_date(text: &Text) -> Option<NaiveDate> {
    let d = text.meta.date?;
    match text.meta.title.as_deref() {
        Some(t) if dates::title_disowns_date(t, d) => None,
        _ => Some(d),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::paper::head;

    fn date_of(text: &str, path: &str, kind: ItemType) -> Option<NaiveDate> {
        let t = Text::from_lines_of(text);
        head_date(&t, Some(Path::new(path)), &head::head(&t.lines), Some(kind))
    }

    fn d(y: i32, m: u32, day: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, day)
    }

    #[test]
    fn an_agenda_is_dated_by_its_meeting_not_by_its_issue() {
        // The letter's date heads the page; the meeting's date is garbled, the file names it.
        let text = "3 September 2015\n\nYou are requested to attend a meeting to be held on Tuesday, 8 Sept, 20\n";
        assert_eq!(
            date_of(text, "p/Agenda - Harbour District - 8th September 2015.md", ItemType::Agenda),
            d(2015, 9, 8)
        );
        // A meeting a year away is no issue date's meeting.
        let text = "3 September 2015\n\nYou are requested to attend the meeting below.\n";
        assert_eq!(date_of(text, "p/Agenda - 8th September 2015.md", ItemType::Agenda), d(2015, 9, 8));
        assert_eq!(date_of(text, "p/Agenda - 8th September 2016.md", ItemType::Agenda), d(2015, 9, 3));
    }

    #[test]
    fn a_report_is_dated_by_the_meeting_it_is_for() {
        let text = "Half-year Report\n\n14 October 2024\n\nSummary of the year so far.\n";
        assert_eq!(
            date_of(text, "council/2025-03-13/Appendix 1 - Half-year Report.pdf", ItemType::Appendix),
            d(2025, 3, 13)
        );
        // Unless its head names its meeting.
        let text = "To: Cabinet – 30 January 2025\nSubject: Budget\n";
        assert_eq!(date_of(text, "council/2025-03-13/Budget.pdf", ItemType::Report), d(2025, 1, 30));
        // Minutes keep the meeting they record, whatever their folder says.
        let text = "MINUTES of a meeting of the Cabinet held on Thursday, 30 January 2025.\n";
        assert_eq!(
            date_of(text, "cabinet/2025-03-04/Minutes of Previous Meeting.pdf", ItemType::Minutes),
            d(2025, 1, 30)
        );
    }
}
