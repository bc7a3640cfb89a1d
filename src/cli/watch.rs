//! `council-search watch`: saved searches from the command line. The file and
//! the runs are the library's (`council_search::watch`); this module resolves
//! the flags, picks the file and prints.

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use council_search::search::Searcher;
use council_search::watch::{self, WatchList};
use serde_json::json;

use super::args::{SummaryFormat, WatchAction, WatchArgs};
use super::render;

/// The saved-search file: `--file`, else `$COUNCIL_SEARCH_WATCHES` (both in
/// `args.file`), else `watches.json` in the data folder.
fn watch_file(args: &WatchArgs) -> anyhow::Result<PathBuf> {
    match &args.file {
        Some(f) => Ok(f.clone()),
        None => crate::base_dir("XDG_DATA_HOME", ".local/share").map(|d| d.join("council-search").join("watches.json")),
    }
}

fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// Runs a `watch` subcommand; `add` and `run` search the index named (found as `search` finds it).
pub fn run_watch(named: Option<PathBuf>, args: WatchArgs) -> anyhow::Result<ExitCode> {
    let file = watch_file(&args)?;
    let mut list = WatchList::load(&file)?;
    let mut out = io::BufWriter::new(io::stdout().lock());
    match args.action {
        WatchAction::Add(add) => {
            let mut request = crate::search_request(&add.words, &add.filters)?;
            request.all = add.all.then_some(true);
            request.options().map_err(|e| anyhow::anyhow!("--{} {}", e.field, e.message))?;
            let searcher = Searcher::open(&crate::index_for_reading(named)?)?;
            let watch = list.add(&searcher, &add.name, request, &now())?;
            let _ = writeln!(
                io::stderr(),
                "council-search: saved {:?} ({} items match now; `watch run` prints those that arrive later)",
                watch.name,
                watch.seen.len()
            );
            list.save(&file).with_context(|| format!("saving {}", file.display()))?;
        }
        WatchAction::List { format } => {
            for w in &list.watches {
                match format {
                    SummaryFormat::Human => {
                        let search: Vec<String> = w.search.pairs().iter().map(|(k, v)| format!("{k}={v}")).collect();
                        let last = w.last_run.as_deref().unwrap_or("never");
                        writeln!(
                            out,
                            "{}  {}  (last run {last})",
                            render::sanitize(&w.name),
                            render::sanitize(&search.join(" "))
                        )?;
                    }
                    SummaryFormat::Json => writeln!(
                        out,
                        "{}",
                        json!({"name": w.name, "search": w.search, "added": w.added, "last_run": w.last_run, "seen": w.seen.len()})
                    )?,
                }
            }
        }
        WatchAction::Remove { name } => {
            list.remove(&name)?;
            list.save(&file).with_context(|| format!("saving {}", file.display()))?;
        }
        WatchAction::Run { name, format } => {
            let searcher = Searcher::open(&crate::index_for_reading(named)?)?;
            let at = now();
            let mut new_items = 0;
            let mut ran = 0;
            for w in list.watches.iter_mut().filter(|w| name.as_ref().is_none_or(|n| *n == w.name)) {
                let found = watch::run(&searcher, w, &at)?;
                ran += 1;
                new_items += found.new.len();
                print_run(&mut out, &found, format)?;
            }
            if let Some(n) = name.filter(|_| ran == 0) {
                anyhow::bail!("no saved search named {n:?}");
            }
            if format == SummaryFormat::Json {
                writeln!(out, "{}", json!({"type": "summary", "watches": ran, "new": new_items}))?;
            }
            list.save(&file).with_context(|| format!("saving {}", file.display()))?;
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// What one saved search found: nothing for a search with nothing new.
fn print_run(out: &mut impl Write, found: &watch::WatchRun, format: SummaryFormat) -> io::Result<()> {
    match format {
        SummaryFormat::Human => {
            if found.new.is_empty() {
                return Ok(());
            }
            writeln!(out, "{}: {} new", render::sanitize(&found.name), found.new.len())?;
            for hit in &found.new {
                let m = &hit.item.meta;
                let date = m.meeting_date.map_or_else(|| "undated".to_string(), |d| d.to_string());
                writeln!(
                    out,
                    "  {}  {}  {}  id {}",
                    date,
                    m.item_type.as_str(),
                    render::sanitize(&m.title),
                    hit.item.id
                )?;
                writeln!(
                    out,
                    "    {}:{}-{}",
                    render::sanitize(&hit.item.path),
                    hit.item.line_start,
                    hit.item.line_end
                )?;
            }
            writeln!(out)
        }
        SummaryFormat::Json => {
            for hit in &found.new {
                let mut v = serde_json::to_value(hit).map_err(io::Error::other)?;
                if let Some(obj) = v.as_object_mut() {
                    obj.insert("watch".into(), json!(found.name));
                }
                writeln!(out, "{}", council_search::output::typed_line("new", v))?;
            }
            Ok(())
        }
    }
}
