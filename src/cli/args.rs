//! Command-line arguments (clap derive). Only the binary sees these; they are
//! resolved into the library's typed options before any work is done.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Full-text search over council papers: agenda items, reports and minutes,
/// with their council, committee and meeting date.
#[derive(Debug, Parser)]
#[command(
    name = "council-search",
    version,
    after_help = "Exit codes: 0 hits (or success), 1 no hits, 2 error.\n\
The index lives at --index, else $COUNCIL_SEARCH_INDEX, else the default data folder \
($XDG_DATA_HOME/council-search/index or ~/.local/share/council-search/index). \
With no index anywhere yet, `search` uses an index of the bundled sample papers."
)]
pub struct Cli {
    /// Index folder.
    #[arg(long, global = true, env = "COUNCIL_SEARCH_INDEX", value_name = "DIR")]
    pub index: Option<PathBuf>,

    /// When to use colour: auto (a terminal, NO_COLOR unset, TERM not dumb), always, never.
    #[arg(long, global = true, value_enum, default_value_t = Color::Auto)]
    pub color: Color,

    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Index papers (.txt, .md) from files and folders.
    Index(IndexArgs),
    /// Search the index.
    Search(SearchArgs),
    /// Print one whole item, with a query's words highlighted.
    Show(ShowArgs),
    /// List one meeting's papers and items in agenda order.
    Meeting(MeetingArgs),
    /// Summarise what the index holds: councils, committees, types, dates.
    Stats(StatsArgs),
    /// Draw the matches per year (or month) as a bar chart.
    Timeline(TimelineArgs),
    /// List the items most like one item.
    Similar(SimilarArgs),
    /// Write every item (or those a query and filters match), with its text, as
    /// JSON lines (the search field names); or hand them to a Quickwit cluster.
    Export(ExportArgs),
    /// Serve a search page, a JSON API, exports and Atom feeds over HTTP (read-only).
    #[cfg(feature = "server")]
    Serve(ServeArgs),
    /// Saved searches: add, list or remove them, or run them to print what is new since their last run.
    Watch(WatchArgs),
}

/// `serve` arguments.
#[cfg(feature = "server")]
#[derive(Debug, Args)]
#[command(after_help = "The page is at http://ADDRESS/, the API at /api/ (described by /api/openapi.json).\n\
It binds to loopback unless told otherwise, never writes to the index, and picks up \
new papers from `index` runs (and finished rebuilds) without a restart.")]
pub struct ServeArgs {
    /// Address and port to listen on. Anything but loopback lets other machines read the index.
    #[arg(long, default_value = "127.0.0.1:8080", value_name = "ADDR:PORT")]
    pub bind: std::net::SocketAddr,
    /// Longest a search may run, in seconds, before it is answered 503.
    #[arg(long, default_value_t = 10, value_name = "SECONDS")]
    pub timeout: u64,
    /// Serve a cluster instead of a local index: quickwit=http://HOST:7280/INDEX.
    #[arg(long, value_name = "SPEC", env = "COUNCIL_SEARCH_ENGINE")]
    pub engine: Option<String>,
}

/// `watch` arguments.
#[derive(Debug, Args)]
pub struct WatchArgs {
    /// The saved-search file (default: $XDG_DATA_HOME/council-search/watches.json).
    #[arg(long, global = true, env = "COUNCIL_SEARCH_WATCHES", value_name = "FILE")]
    pub file: Option<PathBuf>,
    /// What to do.
    #[command(subcommand)]
    pub action: WatchAction,
}

/// `watch` subcommands.
#[derive(Debug, Subcommand)]
pub enum WatchAction {
    /// Save a search under a name; what it matches now counts as seen.
    Add(Box<WatchAddArgs>),
    /// List the saved searches.
    List {
        /// Output format.
        #[arg(long, short = 'f', value_enum, default_value_t = SummaryFormat::Human)]
        format: SummaryFormat,
    },
    /// Remove a saved search.
    Remove {
        /// Its name.
        name: String,
    },
    /// Run the saved searches (or one) and print the items new since their last run (for cron).
    Run {
        /// Only this saved search.
        name: Option<String>,
        /// Output format: human, or JSON lines (one {"type":"new","watch",...hit} per item, then a summary).
        #[arg(long, short = 'f', value_enum, default_value_t = SummaryFormat::Human)]
        format: SummaryFormat,
    },
}

/// `watch add` arguments.
#[derive(Debug, Args)]
pub struct WatchAddArgs {
    /// A name for the search.
    pub name: String,
    /// The query.
    #[command(flatten)]
    pub words: QueryArgs,
    /// Filters.
    #[command(flatten)]
    pub filters: FilterArgs,
    /// Only items with every word of the query.
    #[arg(long)]
    pub all: bool,
}

/// `index` arguments.
#[derive(Debug, Args)]
pub struct IndexArgs {
    /// Files and folders to index.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Start the index over instead of updating it.
    #[arg(long)]
    pub rebuild: bool,
    /// Do not index files or folders matching this glob (repeatable): a name
    /// (`README.md`, `*.csv`, `drafts`) anywhere, or a path from the folder
    /// (`2019/*.txt`). A `.council-search-ignore` file in an indexed folder adds
    /// patterns, one a line.
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,
    /// The council of every paper indexed, whatever the papers name (over a
    /// `council-search.toml` file's `council`).
    #[arg(long, value_name = "NAME")]
    pub council: Option<String>,
    /// Writer threads (default: one per core, at most 4).
    #[arg(long, default_value_t = 0)]
    pub threads: usize,
    /// Writer memory budget in MB.
    #[arg(long, default_value_t = 256, value_name = "MB")]
    pub memory_mb: usize,
    /// Output format for the summary.
    #[arg(long, value_enum, default_value_t = SummaryFormat::Human)]
    pub format: SummaryFormat,
    /// No progress bar.
    #[arg(long, short)]
    pub quiet: bool,
    /// Commit after this many MB of input (tests use small batches).
    #[arg(long, hide = true, default_value_t = 64.0, value_name = "MB")]
    pub batch_mb: f64,
}

/// The query, shared by `search` and `timeline`.
#[derive(Debug, Args)]
pub struct QueryArgs {
    /// The query (see `search --help`). May be empty when filters are given; may begin with `-`.
    #[arg(value_name = "QUERY", allow_hyphen_values = true)]
    pub query: Option<String>,
    /// More query words, for queries typed without quotes.
    #[arg(value_name = "WORDS", hide = true)]
    pub more: Vec<String>,
}

/// Filters shared by `search` and `timeline`.
#[derive(Debug, Args)]
pub struct FilterArgs {
    /// Council, by any of its names or aliases (forgiving: case, spacing, word order, & or and).
    #[arg(long)]
    pub council: Option<String>,
    /// Committee (forgiving: case, & or and, hyphens, a leading "the" or place name).
    #[arg(long)]
    pub committee: Option<String>,
    /// Item type: agenda, guidance_notes, minutes, report, appendix, work_programme, decision,
    /// newsletter, letter, notice, presentation (repeat or comma-separate).
    #[arg(long = "type", value_name = "TYPE", value_delimiter = ',')]
    pub item_type: Vec<String>,
    /// Meetings on or after this date: YYYY-MM-DD, or a month (YYYY-MM) or year (YYYY) from its first day.
    #[arg(long, value_name = "DATE")]
    pub from: Option<String>,
    /// Meetings on or before this date: YYYY-MM-DD, or a month (YYYY-MM) or year (YYYY) to its last day.
    #[arg(long, value_name = "DATE")]
    pub to: Option<String>,
    /// Agenda item, as printed (5, 5a, 7.1).
    #[arg(long, value_name = "N")]
    pub item: Option<String>,
    /// A printed page the item spans.
    #[arg(long, value_name = "N")]
    pub page: Option<u32>,
    /// Minutes of meetings this person attended or sent apologies to.
    #[arg(long, value_name = "NAME")]
    pub attendee: Option<String>,
}

/// `search` arguments.
#[derive(Debug, Args)]
#[command(after_help = query_help())]
pub struct SearchArgs {
    /// The query.
    #[command(flatten)]
    pub words: QueryArgs,
    /// Filters.
    #[command(flatten)]
    pub filters: FilterArgs,
    /// Order: relevance (default; newest first for filters alone) or date (newest first).
    #[arg(long, value_enum, default_value_t = SortArg::Relevance)]
    pub sort: SortArg,
    /// Hits to show (0: only count the matches).
    #[arg(long, short = 'n', default_value_t = 10)]
    pub limit: usize,
    /// Hits to skip.
    #[arg(long, default_value_t = 0)]
    pub offset: usize,
    /// Also count the matches by council, committee, item type and year.
    #[arg(long)]
    pub facets: bool,
    /// Only items with every word of the query (no partial matches after them).
    #[arg(long)]
    pub all: bool,
    /// Search a cluster instead of a local index: quickwit=http://HOST:7280/INDEX.
    #[arg(long, value_name = "SPEC", env = "COUNCIL_SEARCH_ENGINE")]
    pub engine: Option<String>,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

/// `timeline` arguments.
#[derive(Debug, Args)]
pub struct TimelineArgs {
    /// The query.
    #[command(flatten)]
    pub words: QueryArgs,
    /// Filters.
    #[command(flatten)]
    pub filters: FilterArgs,
    /// Count per month instead of per year.
    #[arg(long)]
    pub monthly: bool,
    /// Count on a cluster instead of a local index: quickwit=http://HOST:7280/INDEX.
    #[arg(long, value_name = "SPEC", env = "COUNCIL_SEARCH_ENGINE")]
    pub engine: Option<String>,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = SummaryFormat::Human)]
    pub format: SummaryFormat,
}

/// `similar` arguments.
#[derive(Debug, Args)]
pub struct SimilarArgs {
    /// The item id (from search results).
    pub id: String,
    /// Items to show.
    #[arg(long, short = 'n', default_value_t = 10)]
    pub limit: usize,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

/// `export` arguments.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Write the items for another engine instead, into DIR: `quickwit` (an
    /// index configuration, the items as NDJSON files of at most 10 MiB, and
    /// the delete queries that clear the exported papers' old items first).
    #[arg(long, value_enum, requires = "dir")]
    pub to: Option<ExportTarget>,
    /// The folder to write into (with --to).
    #[arg(value_name = "DIR", requires = "to")]
    pub dir: Option<PathBuf>,
    /// The Quickwit index id the configuration names.
    #[arg(long, default_value = "council_items", value_name = "ID")]
    pub index_id: String,
    /// Only the items this query matches (see `search --help`).
    #[arg(long, short, value_name = "QUERY", allow_hyphen_values = true)]
    pub query: Option<String>,
    /// Council.
    #[arg(long)]
    pub council: Option<String>,
    /// Committee.
    #[arg(long)]
    pub committee: Option<String>,
    /// Item type (repeat or comma-separate).
    #[arg(long = "type", value_name = "TYPE", value_delimiter = ',')]
    pub item_type: Vec<String>,
    /// Meetings on or after this date (YYYY-MM-DD, YYYY-MM or YYYY).
    #[arg(long, value_name = "DATE")]
    pub from: Option<String>,
    /// Meetings on or before this date (`--to` names the target here).
    #[arg(long, value_name = "DATE")]
    pub until: Option<String>,
}

impl ExportArgs {
    /// The search filters these arguments name.
    pub fn filters(&self) -> FilterArgs {
        FilterArgs {
            council: self.council.clone(),
            committee: self.committee.clone(),
            item_type: self.item_type.clone(),
            from: self.from.clone(),
            to: self.until.clone(),
            item: None,
            page: None,
            attendee: None,
        }
    }
}

/// Engines items can be handed to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportTarget {
    /// A Quickwit cluster.
    Quickwit,
}

/// `show` arguments.
#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The item id (from search results).
    pub id: String,
    /// Words to highlight.
    #[arg(long, short)]
    pub query: Option<String>,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = SummaryFormat::Human)]
    pub format: SummaryFormat,
}

/// `meeting` arguments.
#[derive(Debug, Args)]
pub struct MeetingArgs {
    /// The meeting's id (`meeting_id` in search results), or the id of any of its items.
    pub id: String,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = SummaryFormat::Human)]
    pub format: SummaryFormat,
}

/// `stats` arguments.
#[derive(Debug, Args)]
pub struct StatsArgs {
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = SummaryFormat::Human)]
    pub format: SummaryFormat,
}

/// Colour choice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Color {
    /// Colour on a terminal, unless NO_COLOR is set or TERM is dumb.
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

/// Search output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// For people.
    Human,
    /// JSON lines: one object per hit, then a summary.
    Json,
    /// CSV with a header row, one row per hit.
    Csv,
}

/// Formats for summaries and single items.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SummaryFormat {
    /// For people.
    Human,
    /// One JSON object.
    Json,
}

/// Sort orders.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SortArg {
    /// Best match first.
    Relevance,
    /// Newest meeting first.
    Date,
}

/// The query language's help, from the library's examples (the search page shows the same).
fn query_help() -> String {
    let mut out = String::from("Query language:\n");
    for (query, meaning) in council_search::search::query::HELP {
        out.push_str(&format!("  {query:<25}{meaning}\n"));
    }
    out.push_str(council_search::search::query::HELP_NOTES);
    out.push_str(" --all keeps only items with every word.");
    out
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::*;

    #[test]
    fn cli_definition_is_valid() {
        Cli::command().debug_assert();
    }
}
