//! The `council-search` binary: parse arguments, resolve them into library
//! options, call the library, render, and exit with grep's codes (0 hits, 1 no
//! hits, 2 error).

mod cli;

use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{anyhow, bail, Context};
use clap::Parser;
use council_search::cluster::Quickwit;
use council_search::indexer::{self, IndexOptions, Progress};
use council_search::paper::ItemType;
use council_search::search::{SearchOptions, SearchRequest, SearchResults, Searcher, Sort};
use council_search::{index, Error};
use indicatif::{ProgressBar, ProgressStyle};

#[cfg(feature = "server")]
use cli::args::ServeArgs;
use cli::args::{
    Cli, Color, Command, ExportArgs, ExportTarget, FilterArgs, Format, IndexArgs, MeetingArgs, QueryArgs, SearchArgs,
    ShowArgs, SimilarArgs, SortArg, StatsArgs, SummaryFormat, TimelineArgs,
};
use cli::render::{self, Style};

/// Indexing allocates a string or vector per line, item and document field
/// on several threads at once; mimalloc serves that faster than the system
/// allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(err) => {
            if is_broken_pipe(&err) {
                return ExitCode::SUCCESS;
            }
            let _ = writeln!(io::stderr(), "council-search: {}", one_line(&err));
            if is_internal(&err) {
                let _ = writeln!(
                    io::stderr(),
                    "council-search: this is an internal error, not a mistake of yours; please report it with the command that gave it"
                );
            }
            ExitCode::from(2)
        }
    }
}

fn one_line(err: &anyhow::Error) -> String {
    format!("{err:#}").replace('\n', " ")
}

/// True for a failure inside the library (a bug, a broken index), as opposed
/// to a mistake in the command.
fn is_internal(err: &anyhow::Error) -> bool {
    err.chain().any(|e| e.downcast_ref::<Error>().is_some_and(Error::is_internal))
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| e.downcast_ref::<io::Error>().is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe))
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let style = Style::new(use_colour(cli.color));
    match cli.command {
        Command::Index(args) => run_index(cli.index, args),
        Command::Search(args) => run_search(cli.index, args, style),
        Command::Show(args) => run_show(cli.index, args, style),
        Command::Meeting(args) => run_meeting(cli.index, args, style),
        Command::Stats(args) => run_stats(cli.index, args),
        Command::Timeline(args) => run_timeline(cli.index, args),
        Command::Similar(args) => run_similar(cli.index, args, style),
        Command::Export(args) => run_export(cli.index, args),
        #[cfg(feature = "server")]
        Command::Serve(args) => run_serve(cli.index, args),
        Command::Watch(args) => cli::watch::run_watch(cli.index, args),
    }
}

/// Colour only on a terminal, NO_COLOR unset and TERM not dumb, unless forced.
fn use_colour(choice: Color) -> bool {
    match choice {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => {
            io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::env::var("TERM").map_or(true, |t| t != "dumb")
        }
    }
}

/// The default index folder: `$XDG_DATA_HOME/council-search/index`, else
/// `~/.local/share/council-search/index`.
fn default_index_dir() -> anyhow::Result<PathBuf> {
    base_dir("XDG_DATA_HOME", ".local/share").map(|d| d.join("council-search").join("index"))
}

/// Where the bundled sample's index is cached, per schema version.
fn sample_index_dir() -> anyhow::Result<PathBuf> {
    base_dir("XDG_CACHE_HOME", ".cache").map(|d| {
        d.join("council-search").join(format!(
            "sample-v{}-{}",
            council_search::schema::SCHEMA_VERSION,
            env!("CARGO_PKG_VERSION")
        ))
    })
}

pub(crate) fn base_dir(var: &str, home_rel: &str) -> anyhow::Result<PathBuf> {
    if let Some(d) = std::env::var_os(var).filter(|v| !v.is_empty()) {
        return Ok(PathBuf::from(d));
    }
    let home = std::env::var_os("HOME").filter(|v| !v.is_empty()).ok_or_else(|| {
        anyhow!("cannot find a home folder for the default index: pass --index DIR or set COUNCIL_SEARCH_INDEX")
    })?;
    Ok(PathBuf::from(home).join(home_rel))
}

/// The bundled sample papers, wherever the binary is run from.
fn sample_corpus() -> anyhow::Result<PathBuf> {
    let built_in = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus-sample");
    if built_in.is_dir() {
        return Ok(built_in);
    }
    // An installed binary next to a copy of the project: target/release/council-search.
    if let Ok(exe) = std::env::current_exe() {
        for up in exe.ancestors().skip(1).take(4) {
            let candidate = up.join("corpus-sample");
            if candidate.is_dir() {
                return Ok(candidate);
            }
        }
    }
    bail!("the bundled sample papers (corpus-sample/) were not found: pass --index DIR")
}

/// The index a reading command uses. A named index must exist; with none named
/// and none at the default folder, the bundled sample's index is used (built on
/// first use).
pub(crate) fn index_for_reading(named: Option<PathBuf>) -> anyhow::Result<PathBuf> {
    if let Some(dir) = named {
        if !index::exists(&dir) {
            if council_search::indexer::rebuild_under_way(&dir) {
                bail!("an index is being built at {}; search again when it has finished", dir.display());
            }
            return Err(Error::NoIndex(dir).into());
        }
        return Ok(dir);
    }
    let default = default_index_dir()?;
    if index::exists(&default) {
        return Ok(default);
    }
    let sample = sample_index_dir()?;
    let usable = index::exists(&sample) && index::open(&sample).is_ok();
    if !usable {
        let corpus = sample_corpus()?;
        let _ = writeln!(
            io::stderr(),
            "council-search: no index yet; building one of the bundled sample papers ({}) in {}",
            corpus.display(),
            sample.display()
        );
        let _ = std::fs::remove_dir_all(&sample);
        let opts = IndexOptions { rebuild: true, ..IndexOptions::default() };
        indexer::index_paths(&sample, &[corpus], &opts, &mut |_| {})
            .with_context(|| format!("building the sample index in {}", sample.display()))?;
    } else {
        let _ =
            writeln!(io::stderr(), "council-search: searching the bundled sample papers (index {})", sample.display());
    }
    Ok(sample)
}

fn run_index(named: Option<PathBuf>, args: IndexArgs) -> anyhow::Result<ExitCode> {
    let dir = match named {
        Some(d) => d,
        None => default_index_dir()?,
    };
    for p in &args.paths {
        if !p.exists() {
            bail!("{}: no such file or folder", p.display());
        }
    }
    let opts = IndexOptions {
        rebuild: args.rebuild,
        memory_budget: args.memory_mb.max(16) << 20,
        threads: args.threads,
        batch_bytes: (args.batch_mb.max(0.0) * 1_048_576.0) as u64,
        exclude: args.exclude.clone(),
        council: args.council.as_deref().map(str::trim).filter(|c| !c.is_empty()).map(String::from),
    };
    let show_bar = !args.quiet && io::stderr().is_terminal();
    let bar = if show_bar { ProgressBar::new(0) } else { ProgressBar::hidden() };
    bar.set_style(
        ProgressStyle::with_template(
            "{spinner} [{elapsed_precise}] {bar:30} {bytes}/{total_bytes} ({bytes_per_sec}) {msg}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let mut on_progress = |p: Progress<'_>| match p {
        Progress::Found { bytes, .. } => bar.set_length(bytes),
        Progress::File { path, bytes } => {
            bar.inc(bytes);
            bar.set_message(path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default());
        }
        Progress::Skipped { path, detail, .. } => {
            bar.suspend(|| {
                let _ = writeln!(
                    io::stderr(),
                    "council-search: skipped {}: {}",
                    render::sanitize(&path.display().to_string()),
                    render::sanitize(detail)
                );
            });
        }
        Progress::Note { path, note } => {
            bar.suspend(|| {
                let _ = writeln!(
                    io::stderr(),
                    "council-search: note: {}: {note}",
                    render::sanitize(&path.display().to_string())
                );
            });
        }
        Progress::Committing => bar.set_message("committing"),
    };
    let stats = indexer::index_paths(&dir, &args.paths, &opts, &mut on_progress)
        .with_context(|| format!("indexing into {}", dir.display()))?;
    bar.finish_and_clear();
    match args.format {
        SummaryFormat::Human => render::index_summary_human(&mut io::stderr().lock(), &stats, &dir)?,
        SummaryFormat::Json => {
            let mut v = serde_json::to_value(&stats)?;
            v["index"] = serde_json::json!(dir.display().to_string());
            writeln!(io::stdout().lock(), "{v}")?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Resolves the query and filter flags into a search request (dates as typed).
pub(crate) fn search_request(words: &QueryArgs, f: &FilterArgs) -> anyhow::Result<SearchRequest> {
    let mut item_types = Vec::new();
    for t in f.item_type.iter().filter(|t| !t.trim().is_empty()) {
        let t = ItemType::parse(t).ok_or_else(|| {
            anyhow!("--type {t:?}: unknown item type; use one of {}", council_search::search::type_names())
        })?;
        if !item_types.contains(&t) {
            item_types.push(t);
        }
    }
    let nonempty = |s: &Option<String>| s.clone().filter(|s| !s.trim().is_empty());
    let query = words.query.iter().chain(&words.more).cloned().collect::<Vec<_>>().join(" ");
    Ok(SearchRequest {
        q: Some(query).filter(|q| !q.is_empty()),
        council: nonempty(&f.council),
        committee: nonempty(&f.committee),
        item_type: (!item_types.is_empty()).then_some(item_types),
        from: nonempty(&f.from),
        to: nonempty(&f.to),
        item: nonempty(&f.item),
        page: f.page,
        attendee: nonempty(&f.attendee),
        all: None,
        sort: None,
    })
}

/// Resolves filter flags into search options (query, paging and order left at their defaults).
fn search_options(words: &QueryArgs, f: &FilterArgs) -> anyhow::Result<SearchOptions> {
    search_request(words, f)?.options().map_err(|e| anyhow!("--{} {}", e.field, e.message))
}

fn print_notes(ignored: &[String], warnings: &[String]) {
    for why in ignored {
        let _ = writeln!(io::stderr(), "council-search: ignored {}", render::sanitize(why));
    }
    for note in warnings {
        let _ = writeln!(io::stderr(), "council-search: {}", render::sanitize(note));
    }
}

fn run_search(named: Option<PathBuf>, args: SearchArgs, style: Style) -> anyhow::Result<ExitCode> {
    let opts = SearchOptions {
        sort: match args.sort {
            SortArg::Relevance => Sort::Relevance,
            SortArg::Date => Sort::Date,
        },
        limit: args.limit,
        offset: args.offset,
        facets: args.facets,
        all_words: args.all,
        ..search_options(&args.words, &args.filters)?
    };
    let results = match &args.engine {
        Some(spec) => Quickwit::parse(spec)?.search(&opts)?,
        None => Searcher::open(&index_for_reading(named)?)?.search(&opts)?,
    };
    print_notes(&results.ignored, &results.warnings);
    print_results(&results, args.format, style)
}

/// Renders hits in the chosen format; exit 0 with hits, 1 without.
fn print_results(results: &SearchResults, format: Format, style: Style) -> anyhow::Result<ExitCode> {
    let mut out = io::BufWriter::new(io::stdout().lock());
    match format {
        Format::Human => render::human(&mut out, results, style)?,
        Format::Json => council_search::output::json_lines(&mut out, results)?,
        Format::Csv => council_search::output::csv(&mut out, results)?,
    }
    out.flush()?;
    // `--limit 0` counts: the matches, not the hits shown, decide.
    Ok(if results.total == 0 { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

fn run_timeline(named: Option<PathBuf>, args: TimelineArgs) -> anyhow::Result<ExitCode> {
    let opts = search_options(&args.words, &args.filters)?;
    let timeline = match &args.engine {
        Some(spec) => Quickwit::parse(spec)?.timeline(&opts, args.monthly)?,
        None => Searcher::open(&index_for_reading(named)?)?.timeline(&opts, args.monthly)?,
    };
    print_notes(&timeline.ignored, &timeline.warnings);
    let mut out = io::BufWriter::new(io::stdout().lock());
    match args.format {
        SummaryFormat::Human => render::timeline_human(&mut out, &timeline)?,
        SummaryFormat::Json => render::timeline_json(&mut out, &timeline)?,
    }
    out.flush()?;
    Ok(if timeline.total == 0 { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

fn run_similar(named: Option<PathBuf>, args: SimilarArgs, style: Style) -> anyhow::Result<ExitCode> {
    let dir = index_for_reading(named)?;
    let results = Searcher::open(&dir)?.similar(&args.id, args.limit)?;
    print_results(&results, args.format, style)
}

fn run_export(named: Option<PathBuf>, args: ExportArgs) -> anyhow::Result<ExitCode> {
    let query = QueryArgs { query: args.query.clone(), more: Vec::new() };
    let opts = search_options(&query, &args.filters())?;
    let searcher = Searcher::open(&index_for_reading(named)?)?;
    if let (Some(ExportTarget::Quickwit), Some(dir)) = (args.to, &args.dir) {
        return export_to_quickwit(&searcher, &opts, dir, &args.index_id);
    }
    let mut out = io::BufWriter::new(io::stdout().lock());
    let mut write_err: Option<io::Error> = None;
    searcher
        .export_matching(&opts, &mut |item| {
            let line = serde_json::to_string(&item).map_err(|e| Error::Internal(e.to_string()))?;
            if let Err(e) = writeln!(out, "{line}") {
                write_err = Some(e);
                return Err(Error::Internal("output closed".into()));
            }
            Ok(())
        })
        .or_else(|e| if write_err.is_some() { Ok(()) } else { Err(e) })?;
    if let Some(e) = write_err {
        return Err(e.into());
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// `export --to quickwit DIR`: the configuration, the items, the delete queries.
fn export_to_quickwit(
    searcher: &Searcher,
    opts: &SearchOptions,
    dir: &Path,
    index_id: &str,
) -> anyhow::Result<ExitCode> {
    let started = std::time::Instant::now();
    let mut exporter = council_search::cluster::Exporter::new(dir, index_id)?;
    searcher.export_matching(opts, &mut |item| exporter.add(&item))?;
    let summary = exporter.finish()?;
    for (id, bytes) in &summary.too_large {
        let _ = writeln!(
            io::stderr(),
            "council-search: left out item {id}: its line of {bytes} bytes is over the cluster's 10 MiB request limit"
        );
    }
    let secs = started.elapsed().as_secs_f64();
    let _ = writeln!(
        io::stderr(),
        "exported {} items of {} papers into {} ({} files, {:.1} MB in {secs:.2}s); create the index from {}, apply {} to replace papers exported before, then ingest the items files (see the README)",
        summary.items,
        summary.papers,
        dir.display(),
        summary.files.len(),
        summary.bytes as f64 / 1e6,
        council_search::cluster::export::CONFIG_FILE,
        council_search::cluster::export::DELETES_FILE,
    );
    Ok(ExitCode::SUCCESS)
}

fn run_show(named: Option<PathBuf>, args: ShowArgs, style: Style) -> anyhow::Result<ExitCode> {
    let dir = index_for_reading(named)?;
    let searcher = Searcher::open(&dir)?;
    let shown = searcher.show(&args.id, args.query.as_deref())?;
    print_notes(&shown.ignored, &[]);
    let mut out = io::BufWriter::new(io::stdout().lock());
    match args.format {
        SummaryFormat::Human => render::show_human(&mut out, &shown, style)?,
        SummaryFormat::Json => writeln!(out, "{}", serde_json::to_string(&shown)?)?,
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn run_meeting(named: Option<PathBuf>, args: MeetingArgs, style: Style) -> anyhow::Result<ExitCode> {
    let dir = index_for_reading(named)?;
    let searcher = Searcher::open(&dir)?;
    let meeting = searcher.meeting(&args.id)?;
    let mut out = io::BufWriter::new(io::stdout().lock());
    match args.format {
        SummaryFormat::Human => render::meeting_human(&mut out, &meeting, style)?,
        SummaryFormat::Json => writeln!(out, "{}", serde_json::to_string(&meeting)?)?,
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn run_stats(named: Option<PathBuf>, args: StatsArgs) -> anyhow::Result<ExitCode> {
    let dir = index_for_reading(named)?;
    let searcher = Searcher::open(&dir)?;
    let summary = searcher.stats()?;
    let mut out = io::BufWriter::new(io::stdout().lock());
    match args.format {
        SummaryFormat::Human => render::stats_human(&mut out, &summary)?,
        SummaryFormat::Json => writeln!(out, "{}", serde_json::to_string(&summary)?)?,
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

#[cfg(feature = "server")]
fn run_serve(named: Option<PathBuf>, args: ServeArgs) -> anyhow::Result<ExitCode> {
    use council_search::server::{serve, ServeOptions, Served};
    let (source, name) = match &args.engine {
        Some(spec) => {
            let cluster = Quickwit::parse(spec)?;
            let name = format!("{}/{}", cluster.base, cluster.index);
            (Served::Cluster(cluster), name)
        }
        None => {
            let dir = index_for_reading(named)?;
            let name = dir.display().to_string();
            (Served::Index(dir), name)
        }
    };
    let mut opts = ServeOptions::of(source, args.bind);
    opts.deadline = std::time::Duration::from_secs(args.timeout.max(1));
    if !args.bind.ip().is_loopback() {
        let _ = writeln!(
            io::stderr(),
            "council-search: listening on {}, not loopback: other machines can read this index",
            args.bind.ip()
        );
    }
    serve(opts, |addr| {
        let _ = writeln!(
            io::stderr(),
            "council-search: serving {} at http://{addr}/ (Ctrl-C stops)",
            render::sanitize(&name)
        );
    })
    .with_context(|| format!("serving {name}"))?;
    Ok(ExitCode::SUCCESS)
}
