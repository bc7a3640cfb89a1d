//! Kinds of paper: what a paper's head says it is (minutes, an agenda),
//! for papers whose structure the segmenter does not recognise.

use super::ItemType;

/// What kind of paper the head says it is.
pub(crate) fn text_kind(head: &[String]) -> Option<ItemType> {
    for l in head.iter().take(15) {
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
    }
}
