//! What a user says outright about a folder of papers: a `council-search.toml`
//! file in the folder (for it and every folder below, until another such file
//! says otherwise), or `index --council NAME` for every paper of a run.
//!
//! ```toml
//! council = "Ashworth Borough Council"          # the council of every paper here
//! council_aliases = ["Ashworth BC"]             # other names papers use for it
//!
//! [committees]                                  # names papers use = the name to show
//! "SPC 1" = "Housing Strategic Policy Committee"
//! ```
//!
//! The walk finds the files; the parse workers apply them to each paper's
//! items; the names and aliases go into the commit record, so a search for an
//! alias finds the council. This module reads and applies settings; it does
//! not infer anything.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Deserialize;

use crate::paper::{normalise_committee, Item};
use crate::{Error, Result};

/// The name of the settings file read from a papers folder.
pub const SETTINGS_FILE: &str = "council-search.toml";

/// The settings that hold for one paper.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// The council of every paper the settings hold for, whatever it names.
    #[serde(default)]
    pub council: Option<String>,
    /// Other names of that council (abbreviations, a former name).
    #[serde(default)]
    pub council_aliases: Vec<String>,
    /// Other names of committees: the name papers use -> the name to show.
    #[serde(default)]
    pub committees: HashMap<String, String>,
}

impl Settings {
    /// Parses the text of a settings file; `from` names it in messages.
    pub fn parse(text: &str, from: &Path) -> Result<Settings> {
        let s: Settings = toml::from_str(text)
            .map_err(|e| Error::BadInput(format!("{}: {}", from.display(), e.message().replace('\n', " "))))?;
        if s.council.as_deref().is_some_and(|c| c.trim().is_empty()) {
            return Err(Error::BadInput(format!("{}: `council` is empty", from.display())));
        }
        Ok(s)
    }

    /// These settings with `over` laid over them: what `over` says wins.
    fn under(&self, over: &Settings) -> Settings {
        let mut s = self.clone();
        if over.council.is_some() {
            s.council.clone_from(&over.council);
            s.council_aliases.clone_from(&over.council_aliases);
        }
        s.committees.extend(over.committees.iter().map(|(k, v)| (k.clone(), v.clone())));
        s
    }

    /// True when the settings say nothing.
    pub fn is_empty(&self) -> bool {
        self.council.is_none() && self.committees.is_empty()
    }

    /// Applies the settings to a paper's items: the declared council on every
    /// item, and a committee named by an alias under its declared name.
    pub fn apply(&self, items: &mut [Item]) {
        let aliases: Vec<(String, &String)> =
            self.committees.iter().map(|(alias, name)| (normalise_committee(alias), name)).collect();
        for it in items {
            if let Some(c) = &self.council {
                it.meta.council = Some(c.trim().to_string());
            }
            if let Some(c) = &it.meta.committee {
                let key = normalise_committee(c);
                if let Some((_, name)) = aliases.iter().find(|(k, _)| *k == key) {
                    it.meta.committee = Some(name.trim().to_string());
                }
            }
        }
    }
}

/// The settings of every folder the walk visits, each found once: a folder's
/// own file laid over what holds for its parent.
#[derive(Debug, Default)]
pub(crate) struct FolderSettings {
    by_folder: HashMap<PathBuf, Option<Arc<Settings>>>,
    /// What `index --council` says, over every file.
    cli: Settings,
    /// Every distinct settings in force, for the commit record.
    seen: Vec<Arc<Settings>>,
}

impl FolderSettings {
    /// No file read yet; `cli` is laid over every file's settings.
    pub fn new(cli: Settings) -> FolderSettings {
        FolderSettings { cli, ..FolderSettings::default() }
    }

    /// The settings in force for papers in `folder`, which lies under `root`
    /// (a folder's file holds for the folders below it, up to the root).
    pub fn for_folder(&mut self, root: &Path, folder: &Path) -> Result<Option<Arc<Settings>>> {
        if let Some(s) = self.by_folder.get(folder) {
            return Ok(s.clone());
        }
        let inherited = match folder.parent().filter(|p| folder != root && p.starts_with(root)) {
            Some(parent) => self.for_folder(root, parent)?,
            None => (!self.cli.is_empty()).then(|| Arc::new(self.cli.clone())),
        };
        let file = folder.join(SETTINGS_FILE);
        let here = match std::fs::read_to_string(&file) {
            Ok(text) => {
                let own = Settings::parse(&text, &file)?;
                let base = inherited.as_deref().cloned().unwrap_or_default();
                let merged = Arc::new(base.under(&own).under(&self.cli));
                self.seen.push(merged.clone());
                Some(merged)
            }
            Err(_) => inherited,
        };
        if let Some(s) = &here {
            if !self.seen.iter().any(|x| Arc::ptr_eq(x, s)) {
                self.seen.push(s.clone());
            }
        }
        self.by_folder.insert(folder.to_path_buf(), here.clone());
        Ok(here)
    }

    /// Every distinct settings in force somewhere in the walk.
    pub fn seen(&self) -> &[Arc<Settings>] {
        &self.seen
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::paper::ItemType;

    #[test]
    fn a_settings_file_parses_and_refuses_what_it_does_not_know() {
        let s = Settings::parse(
            "council = \"Ashworth Borough Council\"\ncouncil_aliases = [\"Ashworth BC\"]\n\n[committees]\n\"SPC 1\" = \"Housing Strategic Policy Committee\"\n",
            Path::new("x.toml"),
        )
        .unwrap();
        assert_eq!(s.council.as_deref(), Some("Ashworth Borough Council"));
        assert_eq!(s.council_aliases, vec!["Ashworth BC".to_string()]);
        assert_eq!(s.committees["SPC 1"], "Housing Strategic Policy Committee");
        let err = Settings::parse("counsil = \"x\"", Path::new("x.toml")).unwrap_err();
        assert!(err.to_string().contains("x.toml"), "{err}");
        assert!(Settings::parse("council = \"  \"", Path::new("x.toml")).is_err());
        assert!(Settings::parse("council = [", Path::new("x.toml")).is_err());
    }

    #[test]
    fn settings_name_the_council_and_rename_committees() {
        let s = Settings::parse(
            "council = \"Township of Elmvale\"\n[committees]\n\"Council\" = \"Full Council\"\n",
            Path::new("x.toml"),
        )
        .unwrap();
        let mut items = vec![Item::new(ItemType::Minutes, "m", 1, 2)];
        items[0].meta.council = Some("Hinton County Council".into());
        items[0].meta.committee = Some("COUNCIL".into());
        s.apply(&mut items);
        assert_eq!(items[0].meta.council.as_deref(), Some("Township of Elmvale"));
        assert_eq!(items[0].meta.committee.as_deref(), Some("Full Council"));
    }

    #[test]
    fn a_folder_s_file_holds_below_it_and_the_command_line_wins() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        std::fs::create_dir_all(root.join("a/b")).unwrap();
        std::fs::create_dir_all(root.join("c")).unwrap();
        std::fs::write(root.join(SETTINGS_FILE), "council = \"Ashworth Borough Council\"\n").unwrap();
        std::fs::write(root.join("a").join(SETTINGS_FILE), "[committees]\n\"PC\" = \"Planning Committee\"\n").unwrap();
        let mut fs = FolderSettings::new(Settings::default());
        let ab = fs.for_folder(root, &root.join("a/b")).unwrap().unwrap();
        assert_eq!(ab.council.as_deref(), Some("Ashworth Borough Council"));
        assert_eq!(ab.committees["PC"], "Planning Committee");
        let c = fs.for_folder(root, &root.join("c")).unwrap().unwrap();
        assert!(c.committees.is_empty());
        let cli = Settings { council: Some("Hinton Town Council".into()), ..Settings::default() };
        let mut fs = FolderSettings::new(cli);
        let ab = fs.for_folder(root, &root.join("a/b")).unwrap().unwrap();
        assert_eq!(ab.council.as_deref(), Some("Hinton Town Council"));
        std::fs::write(root.join("c").join(SETTINGS_FILE), "council = 3").unwrap();
        assert!(FolderSettings::new(Settings::default()).for_folder(root, &root.join("c")).is_err());
    }
}
