//! One council, one identity, as the index is read: the council names the
//! index holds, grouped by identity ([`paper::council_identity`]: case,
//! spacing, word order and `&`/`and` do not count), a name that differs from a
//! more common one only by letters a scanner misreads ("rn" for "m", "ri" for
//! "n") joined to it, and the names and aliases the user declared joined to
//! theirs. Each council is shown by its most common full form (the declared
//! name, where there is one); its other forms are its aliases, which `stats`
//! lists and `--council` matches.
//!
//! Built from the index's distinct council names (a few per council) and
//! their document counts, never from the items themselves, so it costs the
//! same on any size of index. Items keep the names their papers gave; every
//! output shows the council's name.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::Serialize;

use crate::index::Declared;
use crate::paper;
use crate::schema::{Fields, NAME};

/// One council: its name, the other names its papers use, and its items.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Council {
    /// The name shown: the declared name, else the most common full form.
    pub name: String,
    /// The other names it goes by (in its papers, or declared).
    pub aliases: Vec<String>,
    /// Items naming it, in any form.
    pub items: u64,
    /// The normalised names (`council_key`) of all its forms.
    #[serde(skip)]
    keys: BTreeSet<String>,
    /// The identities of all its forms and aliases.
    #[serde(skip)]
    identities: BTreeSet<String>,
}

/// The councils of an index.
#[derive(Debug, Clone, Default)]
pub struct Councils {
    councils: Vec<Council>,
    /// A form as stored -> its council.
    by_form: HashMap<String, usize>,
}

impl Councils {
    /// The councils of the index a searcher reads.
    pub(crate) fn of_index(searcher: &tantivy::Searcher, fields: &Fields, declared: &Declared) -> Councils {
        let mut forms: BTreeMap<String, u64> = BTreeMap::new();
        for segment in searcher.segment_readers() {
            let Ok(Some(col)) = segment.fast_fields().str(NAME.council) else { continue };
            for ord in 0..col.num_terms() as u64 {
                let mut s = String::new();
                if col.ord_to_str(ord, &mut s).unwrap_or(false) {
                    forms.entry(s).or_default();
                }
            }
        }
        // Forms sharing a key (case, punctuation) share its count; each is counted once.
        let mut counted: BTreeSet<String> = BTreeSet::new();
        let with_counts: Vec<(String, u64)> = forms
            .into_keys()
            .map(|form| {
                let key = paper::normalise_council(&form);
                let n = if counted.insert(key.clone()) {
                    let term = tantivy::Term::from_field_text(fields.council_key, &key);
                    searcher.doc_freq(&term).unwrap_or(0)
                } else {
                    0
                };
                (form, n)
            })
            .collect();
        Councils::group(with_counts, declared)
    }

    /// Groups council names (with their item counts) into councils, joining
    /// the user's declared names and aliases.
    pub fn group(forms: Vec<(String, u64)>, declared: &Declared) -> Councils {
        let mut groups: Vec<Group> = Vec::new();
        let find = |identity: &str, groups: &mut Vec<Group>| -> usize {
            let fold = ocr_fold(identity);
            match groups.iter().position(|g| g.identities.contains(identity) || g.folds.contains(&fold)) {
                Some(i) => i,
                None => {
                    groups.push(Group::default());
                    groups.len() - 1
                }
            }
        };
        for (name, aliases) in &declared.councils {
            let identity = paper::council_identity(name);
            let i = find(&identity, &mut groups);
            groups[i].declared = Some(name.clone());
            groups[i].add_identity(identity);
            for a in aliases {
                groups[i].aliases.insert(a.clone());
                groups[i].add_identity(paper::council_identity(a));
            }
        }
        for (form, n) in forms {
            let identity = paper::council_identity(&form);
            let i = find(&identity, &mut groups);
            groups[i].add_identity(identity);
            groups[i].forms.push((form, n));
        }
        let groups = join_misspellings(groups);
        let mut out = Councils::default();
        for g in groups {
            for (form, _) in &g.forms {
                out.by_form.insert(form.clone(), out.councils.len());
            }
            out.councils.push(g.council());
        }
        out
    }

    /// The name shown for a council stored as `form`.
    pub fn name_of<'a>(&'a self, form: &'a str) -> &'a str {
        self.by_form.get(form).map_or(form, |&i| &self.councils[i].name)
    }

    /// Shows an item's council by its council's name.
    pub fn name(&self, item: &mut crate::record::StoredItem) {
        if let Some(c) = item.meta.council.as_mut() {
            if let Some(&i) = self.by_form.get(c.as_str()) {
                c.clone_from(&self.councils[i].name);
            }
        }
    }

    /// An item read back from its stored document, its council shown by its
    /// council's name: how every answer reads an item.
    pub(crate) fn item(&self, doc: &tantivy::schema::TantivyDocument, fields: &Fields) -> crate::record::StoredItem {
        let mut item = crate::record::StoredItem::from_document(doc, fields);
        self.name(&mut item);
        item
    }

    /// Every council, most items first.
    pub fn all(&self) -> Vec<&Council> {
        let mut v: Vec<&Council> = self.councils.iter().filter(|c| c.items > 0).collect();
        v.sort_by(|a, b| b.items.cmp(&a.items).then_with(|| a.name.cmp(&b.name)));
        v
    }

    /// The councils a `--council` value names: by any of their names or
    /// aliases, whatever the case, spacing, order or `&`, or by the first
    /// words of one ("Ashworth" for "Ashworth Borough Council") when no
    /// council is called just that.
    pub fn matching(&self, value: &str) -> Vec<&Council> {
        let identity = paper::council_identity(value);
        let key = paper::normalise_council(value);
        let squashed: String = key.split(' ').collect();
        if key.is_empty() {
            return Vec::new();
        }
        let exact: Vec<&Council> = self.councils.iter().filter(|c| c.identities.contains(&identity)).collect();
        if !exact.is_empty() {
            return exact;
        }
        self.councils
            .iter()
            .filter(|c| {
                c.keys.iter().chain(c.aliases.iter()).any(|k| {
                    let k = paper::normalise_council(k);
                    k.strip_prefix(key.as_str()).is_some_and(|r| r.is_empty() || r.starts_with(' '))
                        || k.split(' ').collect::<String>().starts_with(&squashed)
                })
            })
            .collect()
    }
}

impl Council {
    /// The normalised names the index holds for this council.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.keys.iter().map(String::as_str)
    }
}

/// A council being gathered.
#[derive(Debug, Default)]
struct Group {
    declared: Option<String>,
    aliases: BTreeSet<String>,
    forms: Vec<(String, u64)>,
    identities: BTreeSet<String>,
    folds: BTreeSet<String>,
}

impl Group {
    fn add_identity(&mut self, identity: String) {
        self.folds.insert(ocr_fold(&identity));
        self.identities.insert(identity);
    }

    /// The council: named by its declared name, else by its most common form
    /// (of the forms as common, the one with the most words: "Wye Dale", not
    /// "Wyedale").
    fn council(self) -> Council {
        let items = self.forms.iter().map(|(_, n)| n).sum();
        let by_identity: HashMap<String, u64> = self.forms.iter().fold(HashMap::new(), |mut m, (f, n)| {
            *m.entry(paper::council_identity(f)).or_default() += n;
            m
        });
        let best = self
            .forms
            .iter()
            .max_by(|a, b| {
                let weight = |f: &(String, u64)| by_identity.get(&paper::council_identity(&f.0)).copied().unwrap_or(0);
                weight(a)
                    .cmp(&weight(b))
                    .then_with(|| a.0.split_whitespace().count().cmp(&b.0.split_whitespace().count()))
                    .then_with(|| a.1.cmp(&b.1))
                    .then_with(|| b.0.cmp(&a.0))
            })
            .map(|(f, _)| f.clone());
        let name = self.declared.clone().or(best).unwrap_or_default();
        let mut aliases: BTreeSet<String> = self.forms.iter().map(|(f, _)| f.clone()).collect();
        aliases.extend(self.aliases.iter().cloned());
        aliases.remove(&name);
        let keys = self.forms.iter().map(|(f, _)| paper::normalise_council(f)).collect();
        Council { name, aliases: aliases.into_iter().collect(), items, keys, identities: self.identities }
    }
}

/// Groups whose name is another's with one letter wrong ("Stoke Fery", a typing
/// slip) join it, when the other is used at least [`MISSPELLING_RATIO`] times
/// as often: two real councils a letter apart are both common in their own
/// papers, a slip is rare beside its council.
fn join_misspellings(mut groups: Vec<Group>) -> Vec<Group> {
    let items = |g: &Group| g.forms.iter().map(|(_, n)| n).sum::<u64>();
    let mut order: Vec<usize> = (0..groups.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(items(&groups[i])));
    let mut into: Vec<Option<usize>> = vec![None; groups.len()];
    for (rank, &small) in order.iter().enumerate().rev() {
        if groups[small].declared.is_some() {
            continue;
        }
        let n = items(&groups[small]);
        let big = order[..rank].iter().copied().find(|&b| {
            into[b].is_none()
                && items(&groups[b]) >= MISSPELLING_RATIO * n.max(1)
                && (groups[small].identities.iter().any(|a| {
                    a.len() >= 8 && groups[b].identities.iter().any(|b| strsim::damerau_levenshtein(a, b) == 1)
                }) || groups[small]
                    .forms
                    .iter()
                    .any(|(f, _)| groups[b].identities.iter().any(|b| glued_word(f, b))))
        });
        into[small] = big;
    }
    let mut kept: Vec<Option<Group>> = groups.drain(..).map(Some).collect();
    for (small, big) in into.iter().enumerate() {
        let Some(big) = *big else { continue };
        if let Some(g) = kept[small].take() {
            if let Some(b) = kept[big].as_mut() {
                b.forms.extend(g.forms);
                b.identities.extend(g.identities);
                b.aliases.extend(g.aliases);
            }
        }
    }
    kept.into_iter().flatten().collect()
}

/// True when the name `form` is the council of identity `b` with a small
/// word glued to its first ("MINUTES OFWEST HINTON PARISH COUNCIL"): the word
/// left is a word of its own, of four letters or more.
fn glued_word(form: &str, b: &str) -> bool {
    let first = form.split_whitespace().next().unwrap_or("");
    ["of", "the"].iter().any(|w| {
        first.get(..w.len()).is_some_and(|p| p.eq_ignore_ascii_case(w))
            && first.len() >= w.len() + 4
            && paper::council_identity(&form.trim_start()[w.len()..]) == b
    })
}

/// How many times as often a council's name must be used as a name one letter
/// from it, for that name to be taken as a slip.
const MISSPELLING_RATIO: u64 = 20;

/// A council's identity with the letters a scanner confuses made one: "rn"
/// and "m", "ri" and "n", "cl" and "d", "vv" and "w", "1" and "l", "0" and
/// "o". Two names equal under it differ only by a misreading.
fn ocr_fold(identity: &str) -> String {
    identity
        .replace("rn", "m")
        .replace("ri", "n")
        .replace("cl", "d")
        .replace("vv", "w")
        .replace('1', "l")
        .replace('0', "o")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn forms(v: &[(&str, u64)]) -> Vec<(String, u64)> {
        v.iter().map(|(f, n)| (f.to_string(), *n)).collect()
    }

    #[test]
    fn one_council_whatever_its_papers_call_it() {
        let c = Councils::group(
            forms(&[
                ("Dunmore City and County Council", 900),
                ("Dunmore City & County Council", 30),
                ("Dunrnore City and County Council", 9),
                ("Township of Elmvale", 40),
                ("Elmvale Township Council", 60),
                ("Wyedale Community Council", 140),
                ("Wye Dale Community Council", 3),
                ("Boughley Parish Council", 20),
                ("Broughley Parish Council", 300),
            ]),
            &Declared::default(),
        );
        assert_eq!(c.name_of("Dunrnore City and County Council"), "Dunmore City and County Council");
        assert_eq!(c.name_of("Dunmore City & County Council"), "Dunmore City and County Council");
        assert_eq!(c.name_of("Township of Elmvale"), "Elmvale Township Council");
        // Spacing is one identity: the form with the most words is shown.
        assert_eq!(c.name_of("Wyedale Community Council"), "Wye Dale Community Council");
        // Two real parishes a letter apart, each common in its papers, stay two.
        assert_eq!(c.name_of("Boughley Parish Council"), "Boughley Parish Council");
        let slip = Councils::group(
            forms(&[("Hinton Parish Council", 300), ("Hintom Parish Council", 2)]),
            &Declared::default(),
        );
        assert_eq!(slip.name_of("Hintom Parish Council"), "Hinton Parish Council");
        // "MINUTES OFWEST HINTON PARISH COUNCIL": a glued "of" is a slip too,
        // but a place that begins with the same letters is not.
        let glued = Councils::group(
            forms(&[
                ("West Hinton Parish Council", 300),
                ("Ofwest Hinton Parish Council", 4),
                ("Offa County Council", 50),
                ("Fa County Council", 2000),
            ]),
            &Declared::default(),
        );
        assert_eq!(glued.name_of("Ofwest Hinton Parish Council"), "West Hinton Parish Council");
        assert_eq!(glued.name_of("Offa County Council"), "Offa County Council");
        let all = c.all();
        assert_eq!(all.len(), 5);
        let dunmore = all.iter().find(|x| x.name.starts_with("Dunmore")).unwrap();
        assert_eq!(dunmore.items, 939);
        assert_eq!(dunmore.aliases, vec!["Dunmore City & County Council", "Dunrnore City and County Council"]);
    }

    #[test]
    fn the_declared_name_is_shown_and_its_aliases_match() {
        let mut declared = Declared::default();
        declared.councils.insert("Ashworth Borough Council".into(), ["Ashworth BC".to_string()].into());
        let c = Councils::group(forms(&[("Ashworth BC", 10), ("Ashworth Borough Council", 2)]), &declared);
        assert_eq!(c.name_of("Ashworth BC"), "Ashworth Borough Council");
        assert_eq!(c.matching("ashworth bc").len(), 1);
        assert_eq!(c.matching("Ashworth").len(), 1);
        assert_eq!(c.all()[0].items, 12);
    }

    #[test]
    fn a_council_value_matches_by_any_form_or_its_first_words() {
        let c = Councils::group(
            forms(&[("Wye Dale Community Council", 3), ("Elmvale Township Council", 5), ("Hinton Parish Council", 2)]),
            &Declared::default(),
        );
        let names = |v: &str| c.matching(v).iter().map(|x| x.name.clone()).collect::<Vec<_>>();
        assert_eq!(names("Township of Elmvale"), vec!["Elmvale Township Council"]);
        assert_eq!(names("wyedale"), vec!["Wye Dale Community Council"]);
        assert_eq!(names("Wye Dale"), vec!["Wye Dale Community Council"]);
        assert_eq!(names("hinton"), vec!["Hinton Parish Council"]);
        assert!(names("Marsh End").is_empty());
        assert!(names("  ").is_empty());
    }
}
