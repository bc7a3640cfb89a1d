//! Kinds of paper: what a paper is (an agenda, minutes, a report, an
//! appendix, a newsletter, a letter, a notice, a presentation), by what it
//! says about itself. The words it is filed under come first (a file named
//! "Appendix B - Reserves Policy" is an appendix whatever its first lines
//! say), then its metadata title, then its first lines, then the folder it is
//! filed in ("minutes/20180108.pdf"). Nothing here guesses: a paper that says
//! nothing has no kind, and the caller decides what that means.

use super::ItemType;

/// What kind of paper a file is, by what it says about itself (see the module
/// docs for the order of the signals); `None` when nothing says.
pub(crate) fn paper_kind(
    file_name: Option<&str>,
    folder_name: Option<&str>,
    title: Option<&str>,
    head: &[String],
) -> Option<ItemType> {
    file_name
        .and_then(kind_in_name)
        .or_else(|| title.and_then(kind_in_title))
        .or_else(|| text_kind(head))
        .or_else(|| folder_name.and_then(kind_of_folder))
}

/// The words of a name, lower case, split at anything but letters.
fn name_words(name: &str) -> Vec<String> {
    name.split(|c: char| !c.is_alphabetic()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect()
}

/// The kind a file's name gives: an appendix label anywhere ("24-001 -
/// Appendix A - Summary"), else the first word that names a meeting paper
/// ("Printed minutes 13th-Feb-2025", "Notice and Agenda", "Minutes of
/// Previous Meeting"), else the first word that names another kind ("Annual
/// Report", "Parish Newsletter"). "Agenda item" names an item, not an agenda.
pub(crate) fn kind_in_name(name: &str) -> Option<ItemType> {
    let words = name_words(name);
    if words.iter().any(|w| matches!(w.as_str(), "appendix" | "annex" | "annexe")) {
        return Some(ItemType::Appendix);
    }
    let kinds = || {
        words.iter().enumerate().filter_map(|(k, w)| {
            let next = words.get(k + 1).map(String::as_str);
            Some(match w.as_str() {
                "agenda" if next != Some("item") => ItemType::Agenda,
                "frontsheet" | "summons" => ItemType::Agenda,
                "minutes" | "minute" => ItemType::Minutes,
                "newsletter" => ItemType::Newsletter,
                "letter" => ItemType::Letter,
                "notice" => ItemType::Notice,
                "presentation" => ItemType::Presentation,
                "report" | "reports" => ItemType::Report,
                _ => return None,
            })
        })
    };
    kinds().find(|k| matches!(k, ItemType::Agenda | ItemType::Minutes)).or_else(|| kinds().next())
}

/// The kind a metadata title gives: as a name does, but only a minutes,
/// agenda, newsletter or notice title (a title "Report on the park" may head
/// any paper).
fn kind_in_title(title: &str) -> Option<ItemType> {
    match kind_in_name(title)? {
        k @ (ItemType::Minutes | ItemType::Agenda | ItemType::Newsletter | ItemType::Notice) => Some(k),
        _ => None,
    }
}

/// The kind a folder's name gives, for papers filed by kind ("minutes/",
/// "Agendas/"): the whole name is the kind, in the singular or the plural.
fn kind_of_folder(name: &str) -> Option<ItemType> {
    let words = name_words(name);
    match words.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        ["agenda" | "agendas"] => Some(ItemType::Agenda),
        ["minutes"] => Some(ItemType::Minutes),
        ["reports"] => Some(ItemType::Report),
        ["appendices"] => Some(ItemType::Appendix),
        ["newsletters"] => Some(ItemType::Newsletter),
        _ => None,
    }
}

/// What kind of paper the head says it is.
pub(crate) fn text_kind(head: &[String]) -> Option<ItemType> {
    // An agenda's or a minutes' own numbered lines ("4. Matters arising from
    // the minutes") do not say what the paper is.
    for l in head.iter().take(15).filter(|l| !l.starts_with(|c: char| c.is_ascii_digit())) {
        let lower = l.to_lowercase();
        let lower = lower.trim_start_matches(['*', '#', ' ']);
        if lower.starts_with("minutes")
            || lower.contains(" minutes of ")
            || lower.starts_with("extract of minutes")
            || lower.starts_with("draft minutes")
            || lower.ends_with(" minutes")
            || lower.starts_with("record of decision")
            || lower.starts_with("official proceedings")
        {
            return Some(ItemType::Minutes);
        }
        if lower.starts_with("agenda")
            || lower.contains("*** agenda")
            || lower.contains("amended agenda")
            || lower.starts_with("summons")
            || lower.starts_with("notice of meeting")
            || lower.contains("you are requested to attend")
            || lower.contains("you are hereby summoned")
            || lower.ends_with(" agenda")
        {
            return Some(ItemType::Agenda);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(s: &str) -> Vec<String> {
        s.lines().map(String::from).collect()
    }

    #[test]
    fn the_head_says_what_a_paper_is() {
        assert_eq!(text_kind(&strings("Elmvale Township\nMinutes of the Council meeting")), Some(ItemType::Minutes));
        assert_eq!(text_kind(&strings("*** AGENDA ***\nMonday, June 9, 2025")), Some(ItemType::Agenda));
        assert_eq!(text_kind(&strings("Notice of Meeting\nAshworth Borough Council")), Some(ItemType::Agenda));
        assert_eq!(text_kind(&strings("Budget report\nSummary")), None);
        assert_eq!(text_kind(&strings("2401. Police Report\n2402. Matters arising from minutes")), None);
    }

    #[test]
    fn a_file_name_says_what_a_paper_is() {
        for (name, kind) in [
            ("Appendix B - Reserves Policy", ItemType::Appendix),
            ("24-00109 - Appendix A - Record of Decision", ItemType::Appendix),
            ("1 - Annex 2 - Group Budget - covering report", ItemType::Appendix),
            ("Printed minutes 13th-Feb-2025 09.30 Borough Council", ItemType::Minutes),
            ("Agenda frontsheet 04th-Mar-2025 10.00 Cabinet", ItemType::Agenda),
            ("Minutes of Previous Meeting", ItemType::Minutes),
            ("Draft Minutes - Meeting of the Harbour District - 6th February 2019", ItemType::Minutes),
            ("agenda-aug-7-2018", ItemType::Agenda),
            ("Agenda Item 5 - Parks Report", ItemType::Report),
            ("Governance Update Report", ItemType::Report),
            ("Parish Newsletter Spring 2019", ItemType::Newsletter),
            ("Notice and Agenda - Housing Committee 2nd June 2016", ItemType::Agenda),
            ("Notice of Election", ItemType::Notice),
            ("Budget Presentation 2024", ItemType::Presentation),
        ] {
            assert_eq!(kind_in_name(name), Some(kind), "{name}");
        }
        for name in ["20180108", "index", "Questions put and answers given", "Pay Policy Statement 2025-2026"] {
            assert_eq!(kind_in_name(name), None, "{name}");
        }
    }

    #[test]
    fn the_name_outranks_the_head_and_the_folder_comes_last() {
        let minutes_head = strings("Minutes of the meeting of the Selection Committee");
        assert_eq!(
            paper_kind(Some("Appendix 1 - Recommendations"), None, None, &minutes_head),
            Some(ItemType::Appendix)
        );
        assert_eq!(paper_kind(Some("20180108"), Some("minutes"), None, &[]), Some(ItemType::Minutes));
        assert_eq!(paper_kind(Some("20180108"), Some("agenda"), None, &minutes_head), Some(ItemType::Minutes));
        assert_eq!(
            paper_kind(Some("index"), Some("2015"), Some("Hinton Parish Council Newsletter"), &[]),
            Some(ItemType::Newsletter)
        );
        assert_eq!(paper_kind(Some("index"), Some("2015"), Some("Hinton Parish Council - May meeting"), &[]), None);
    }
}
