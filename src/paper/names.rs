//! Council and committee names: normalisation for forgiving filters, and tidy
//! display casing for names printed in capitals.

/// English, Welsh and Scottish county and large-authority place words that may
/// prefix a committee name ("Somerset Health and Wellbeing Board"). Multi-word
/// places come first so that the longest prefix wins.
const PLACES: &[&str] = &[
    "east riding of yorkshire",
    "north east lincolnshire",
    "north yorkshire",
    "south yorkshire",
    "west yorkshire",
    "east sussex",
    "west sussex",
    "west midlands",
    "west berkshire",
    "north somerset",
    "north lincolnshire",
    "north tyneside",
    "south tyneside",
    "south gloucestershire",
    "bath and north east somerset",
    "brighton and hove",
    "isle of wight",
    "greater manchester",
    "greater london",
    "bedfordshire",
    "berkshire",
    "buckinghamshire",
    "cambridgeshire",
    "cheshire",
    "cornwall",
    "cumbria",
    "derbyshire",
    "devon",
    "dorset",
    "durham",
    "essex",
    "gloucestershire",
    "hampshire",
    "herefordshire",
    "hertfordshire",
    "kent",
    "lancashire",
    "leicestershire",
    "lincolnshire",
    "norfolk",
    "northamptonshire",
    "northumberland",
    "nottinghamshire",
    "oxfordshire",
    "rutland",
    "shropshire",
    "somerset",
    "staffordshire",
    "suffolk",
    "surrey",
    "warwickshire",
    "wiltshire",
    "worcestershire",
    "yorkshire",
    "birmingham",
    "bristol",
    "leeds",
    "liverpool",
    "manchester",
    "sheffield",
    "london",
];

/// Case-folds, turns `&` into `and`, joins hyphenated words (`well-being` ->
/// `wellbeing`), drops other punctuation and collapses whitespace.
fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    let mut prev_alnum = false;
    while let Some(c) = chars.next() {
        if c == '&' {
            out.push_str(" and ");
            prev_alnum = false;
        } else if matches!(c, '-' | '\u{2010}' | '\u{2011}')
            && prev_alnum
            && chars.peek().is_some_and(|n| n.is_alphanumeric())
        {
            // A hyphen inside a word joins it: "Well-Being" -> "wellbeing".
        } else if matches!(c, '\'' | '\u{2019}' | '\u{2018}') {
            // Apostrophes vanish: "Children's" -> "childrens".
        } else if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
            prev_alnum = true;
        } else {
            out.push(' ');
            prev_alnum = false;
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn strip_word_prefix<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let rest = s.strip_prefix(prefix)?;
    rest.strip_prefix(' ')
}

/// Normalises a committee name for matching: case-folded, `&` as `and`, no
/// punctuation or hyphens, abbreviations spelt out ("SPC"), no leading "the"
/// or county/place name. Both "health & well-being board" and "Somerset Health
/// and Wellbeing Board" become "health and wellbeing board".
pub fn normalise_committee(s: &str) -> String {
    let folded = fold(s);
    let spelt: Vec<String> = folded
        .split(' ')
        .map(|w| match super::bodies::SPELT_OUT.iter().find(|(a, _)| w.eq_ignore_ascii_case(a)) {
            Some((_, full)) => full.to_lowercase(),
            None => w.to_string(),
        })
        .collect();
    let folded = spelt.join(" ");
    let mut rest: &str = &folded;
    if let Some(r) = strip_word_prefix(rest, "the") {
        rest = r;
    }
    for place in PLACES {
        if let Some(r) = strip_word_prefix(rest, place) {
            // Keep the place when it is the whole name or the name is "X County Council".
            if r.split(' ').count() >= 2 && !r.starts_with("county council") {
                rest = r;
            }
            break;
        }
    }
    rest.to_string()
}

/// Normalises a council name for matching: case-folded, `&` as `and`,
/// punctuation dropped, no leading "the".
pub fn normalise_council(s: &str) -> String {
    let folded = fold(s);
    match strip_word_prefix(&folded, "the") {
        Some(r) => r.to_string(),
        None => folded,
    }
}

/// Words that say what kind of council a council is; the others name its place.
const COUNCIL_KINDS: &[&str] = &[
    "city",
    "county",
    "borough",
    "district",
    "metropolitan",
    "parish",
    "town",
    "community",
    "township",
    "village",
    "municipal",
    "municipality",
    "regional",
    "unitary",
];

/// The identity of a council: its place and its kind, whatever the case, the
/// spacing, the order of the words, `&` or `and`. "Township of Elmvale",
/// "Elmvale Township Council" and "The Corporation of the Township of Elmvale"
/// are one council; so are "Wye Dale Community Council" and "Wyedale Community
/// Council", and "Dunmore City & County Council" and "Dunmore City and County
/// Council". The place's words are joined (so spacing does not count), the
/// kind's words sorted (so order does not), and "council", "corporation",
/// "of", "the" and "and" dropped.
pub fn council_identity(s: &str) -> String {
    let folded = fold(s);
    let mut place = String::new();
    let mut kinds: Vec<&str> = Vec::new();
    for w in folded.split(' ') {
        if matches!(w, "council" | "corporation" | "of" | "the" | "and") {
            continue;
        }
        if COUNCIL_KINDS.contains(&w) {
            kinds.push(w);
        } else {
            place.push_str(w);
        }
    }
    kinds.sort_unstable();
    kinds.dedup();
    format!("{place} {}", kinds.join(" ")).trim().to_string()
}

/// Words kept in lower case inside a title-cased name.
const SMALL: &[&str] = &["and", "of", "for", "the", "in", "on", "to", "with", "at", "by", "a", "an", "or"];

/// Tidies a name printed in capitals for display: `SOMERSET HEALTH AND
/// WELLBEING BOARD` -> `Somerset Health and Wellbeing Board`. Names already in
/// mixed case are returned as they are (whitespace collapsed).
pub(crate) fn display_case(s: &str) -> String {
    let words: Vec<&str> = s.split_whitespace().collect();
    let has_lower = s.chars().any(|c| c.is_lowercase());
    if has_lower {
        return words.join(" ");
    }
    let mut out = Vec::with_capacity(words.len());
    for (i, w) in words.iter().enumerate() {
        let lower = w.to_lowercase();
        if i > 0 && SMALL.contains(&lower.as_str()) {
            out.push(lower);
            continue;
        }
        // Capitalise each hyphen-separated part: WELL-BEING -> Well-Being.
        let parts: Vec<String> = lower
            .split('-')
            .map(|p| {
                let mut cs = p.chars();
                match cs.next() {
                    Some(f) => f.to_uppercase().chain(cs).collect(),
                    None => String::new(),
                }
            })
            .collect();
        out.push(parts.join("-"));
    }
    out.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn committee_variants_meet() {
        let want = "health and wellbeing board";
        for s in [
            "Somerset Health and Wellbeing Board",
            "SOMERSET HEALTH AND WELLBEING BOARD",
            "THE HEALTH AND WELLBEING BOARD",
            "Health & Wellbeing Board",
            "health & well-being board",
            "Health and Well-Being Board",
            "Worcestershire Health and Well-being Board",
            "  the   Health and Well-Being   Board. ",
        ] {
            assert_eq!(normalise_committee(s), want, "{s:?}");
        }
        assert_eq!(
            normalise_committee("Scrutiny for Policies, Children and Families Committee"),
            "scrutiny for policies children and families committee"
        );
        assert_eq!(
            normalise_committee("Scrutiny for Policies Children & Families Committee"),
            "scrutiny for policies children and families committee"
        );
        assert_eq!(normalise_committee("Children's Services"), "childrens services");
        // What a user types for a committee its papers spell out.
        assert_eq!(
            normalise_committee("Home & Social Development SPC"),
            normalise_committee("Home and Social Development Strategic Policy Committee")
        );
    }

    #[test]
    fn a_place_alone_is_kept() {
        assert_eq!(normalise_committee("Somerset"), "somerset");
        assert_eq!(normalise_committee("Somerset County Council"), "somerset county council");
        assert_eq!(normalise_committee(""), "");
    }

    #[test]
    fn councils_normalise() {
        assert_eq!(normalise_council("Somerset County Council"), "somerset county council");
        assert_eq!(normalise_council("The  Somerset County Council."), "somerset county council");
        assert_eq!(normalise_council("Brighton & Hove City Council"), "brighton and hove city council");
    }

    #[test]
    fn one_council_whatever_the_case_spacing_order_and_ampersand() {
        let elmvale = council_identity("Township of Elmvale");
        for s in ["Elmvale Township Council", "The Corporation of the Township of Elmvale", "TOWNSHIP OF ELMVALE"] {
            assert_eq!(council_identity(s), elmvale, "{s}");
        }
        assert_eq!(council_identity("Wye Dale Community Council"), council_identity("Wyedale Community Council"));
        assert_eq!(
            council_identity("Dunmore City & County Council"),
            council_identity("Dunmore City and County Council")
        );
        assert_eq!(council_identity("Council of the City of Harbourton"), council_identity("Harbourton City Council"));
        assert_ne!(council_identity("Dunmore County Council"), council_identity("Dunmore City and County Council"));
        assert_ne!(council_identity("Hinton Parish Council"), council_identity("Hinton Town Council"));
        assert_eq!(council_identity(""), "");
    }

    #[test]
    fn display_case_tidies_capitals() {
        assert_eq!(display_case("SOMERSET HEALTH AND WELLBEING BOARD"), "Somerset Health and Wellbeing Board");
        assert_eq!(display_case("HEALTH AND WELL-BEING BOARD"), "Health and Well-Being Board");
        assert_eq!(display_case("Health and Well-Being  Board"), "Health and Well-Being Board");
    }
}
