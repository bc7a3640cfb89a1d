//! File -> text with line numbers: the one seam every input format goes through.
//!
//! Each reader turns a file into a [`Text`]: its lines (1-based in every public
//! number), decoded leniently. This module only reads; it never segments, and it
//! never decides what a paper means.

use std::path::Path;

use crate::error::FileProblem;

mod encoding;
mod html;
pub(crate) use html::decode_entities;
mod markdown;
pub mod pdf;

/// The text of one input file, line by line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Text {
    /// The lines, without their terminators. Line `n` (1-based) is `lines[n - 1]`.
    pub lines: Vec<String>,
    /// True when some bytes were not valid UTF-8 and were replaced.
    pub lossy: bool,
    /// For paged formats (PDF): the 1-based line at which each page starts, in
    /// page order (page `i + 1` starts at `pdf_page_starts[i]`). Empty otherwise.
    pub pdf_page_starts: Vec<usize>,
    /// What the file says about itself (front matter, HTML head), if anything.
    pub meta: TextMeta,
}

/// Metadata a file states about itself, outside its text: YAML front matter,
/// an HTML head. Less trusted than what the text says, more than the path.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TextMeta {
    /// A title.
    pub title: Option<String>,
    /// A date (of the meeting, where the source says so; else a publication date).
    pub date: Option<chrono::NaiveDate>,
    /// Where the paper was published (canonical link, original file link).
    pub source_url: Option<String>,
    /// A council or other body named by the metadata.
    pub council: Option<String>,
    /// A committee named by the metadata.
    pub committee: Option<String>,
}

impl Text {
    /// Splits a string into lines on `\n`, `\r\n` or a lone `\r`, dropping a leading BOM.
    pub fn from_lines_of(s: &str) -> Text {
        let s = s.strip_prefix('\u{feff}').unwrap_or(s);
        let mut lines = Vec::new();
        let mut rest = s;
        // Most files have no CR: their lines are found with a one-byte search.
        let has_cr = memchr::memchr(b'\r', s.as_bytes()).is_some();
        let next_break = |rest: &str| {
            if has_cr {
                memchr::memchr2(b'\n', b'\r', rest.as_bytes())
            } else {
                memchr::memchr(b'\n', rest.as_bytes())
            }
        };
        while let Some(i) = next_break(rest) {
            lines.push(rest[..i].to_string());
            let skip = if rest[i..].starts_with("\r\n") { 2 } else { 1 };
            rest = &rest[i + skip..];
        }
        // A file that ends in a newline has no empty last line; one that does not
        // still has its last line counted (as `cat -n` does).
        if !rest.is_empty() || lines.is_empty() {
            lines.push(rest.to_string());
        }
        Text { lines, ..Text::default() }
    }

    /// Decodes bytes as UTF-8, replacing invalid sequences, then splits lines.
    pub fn from_bytes(bytes: &[u8]) -> Text {
        match std::str::from_utf8(bytes) {
            Ok(s) => Text::from_lines_of(s),
            Err(_) => {
                let mut t = Text::from_lines_of(&String::from_utf8_lossy(bytes));
                t.lossy = true;
                t
            }
        }
    }

    /// True when there is no non-whitespace character at all.
    pub fn is_blank(&self) -> bool {
        self.lines.iter().all(|l| l.trim().is_empty())
    }
}

/// The input formats the indexer knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub enum Format {
    /// Plain text (`.txt`).
    Text,
    /// Markdown (`.md`, `.markdown`).
    Markdown,
    /// HTML (`.html`, `.htm`).
    Html,
    /// PDF (`.pdf`).
    Pdf,
}

impl Format {
    /// The format a path's extension names, if it is one the indexer reads.
    pub fn of_path(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "txt" | "text" => Some(Format::Text),
            "md" | "markdown" => Some(Format::Markdown),
            "html" | "htm" | "xhtml" => Some(Format::Html),
            "pdf" => Some(Format::Pdf),
            _ => None,
        }
    }

    /// The format a [`Format::name`] names.
    pub fn from_name(name: &str) -> Option<Format> {
        [Format::Text, Format::Markdown, Format::Html, Format::Pdf].into_iter().find(|f| f.name() == name)
    }

    /// A short lower-case name, used in summaries and the index.
    pub fn name(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Markdown => "markdown",
            Format::Html => "html",
            Format::Pdf => "pdf",
        }
    }
}

/// Largest file read whole; bigger ones are skipped with a reason.
pub const MAX_FILE_BYTES: u64 = 256 << 20;

/// Reads one file into [`Text`]. Problems come back as a [`FileProblem`]: the
/// caller skips the file and counts it.
///
/// Text and Markdown are decoded as UTF-8, else (by a BOM) UTF-16, else
/// Windows-1252 when the bytes are clearly that, else lossily; a `.txt` file
/// that is really HTML is converted as HTML. Markdown front matter becomes
/// [`TextMeta`]. PDFs go through `pdftotext` (see [`pdf`]).
pub fn read(path: &Path, format: Format) -> Result<Text, FileProblem> {
    if format == Format::Pdf {
        let meta = std::fs::metadata(path).map_err(|e| FileProblem::Unreadable(e.to_string()))?;
        if meta.len() > MAX_FILE_BYTES {
            return Err(FileProblem::TooLarge(meta.len()));
        }
        return pdf::read_pdf(path, &pdf::PdfOptions::default());
    }
    from_bytes_as(&read_bytes(path)?, format)
}

/// The bytes of a file, refused without reading them if it is over
/// [`MAX_FILE_BYTES`]: read once, for both its content hash and its text.
pub fn read_bytes(path: &Path) -> Result<Vec<u8>, FileProblem> {
    use std::io::Read;
    let unreadable = |e: std::io::Error| FileProblem::Unreadable(e.to_string());
    let file = std::fs::File::open(path).map_err(unreadable)?;
    let len = file.metadata().map_err(unreadable)?.len();
    if len > MAX_FILE_BYTES {
        return Err(FileProblem::TooLarge(len));
    }
    let mut bytes = Vec::with_capacity(len as usize);
    // `take` bounds a file that grows while it is read.
    file.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes).map_err(unreadable)?;
    match bytes.len() as u64 {
        n if n > MAX_FILE_BYTES => Err(FileProblem::TooLarge(n)),
        _ => Ok(bytes),
    }
}

/// Converts the bytes of a non-PDF file of the given format (what [`read`] does
/// after reading the file).
pub fn from_bytes_as(bytes: &[u8], format: Format) -> Result<Text, FileProblem> {
    if bytes.is_empty() {
        return Err(FileProblem::Empty);
    }
    // UTF-16 text has NUL bytes; its BOM says it is text all the same.
    if encoding_rs::Encoding::for_bom(bytes).is_none_or(|(e, _)| e == encoding_rs::UTF_8) && looks_binary(bytes) {
        return Err(FileProblem::Binary);
    }
    let (s, lossy) = encoding::decode(bytes);
    let mut text = match format {
        // HTML fragments in a text file are cleaned line by line, keeping line numbers.
        Format::Text if html::looks_like_html(&s) => html::fragment_lines(&s),
        Format::Text => Text::from_lines_of(&s),
        Format::Markdown => {
            let mut t = Text::from_lines_of(&s);
            markdown::apply_front_matter(&mut t);
            t
        }
        Format::Html => html::html_to_text(&s, false),
        Format::Pdf => return Err(FileProblem::Unsupported("a PDF's bytes are read by `pdftotext`".into())),
    };
    text.lossy = lossy;
    if text.is_blank() {
        return Err(FileProblem::Empty);
    }
    Ok(text)
}

/// Where an ASCII `needle` first occurs in `hay`, ignoring ASCII case
/// (candidates found by their first byte, in either case, with `memchr`).
pub(crate) fn find_ascii_ci(hay: &str, needle: &str) -> Option<usize> {
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    let &first = n.first()?;
    memchr::memchr2_iter(first.to_ascii_lowercase(), first.to_ascii_uppercase(), h)
        .find(|&i| h.get(i..i + n.len()).is_some_and(|w| w.eq_ignore_ascii_case(n)))
}

/// A date written `YYYY-MM-DD`, alone or at the start of a timestamp.
pub(crate) fn parse_iso_date(s: &str) -> Option<chrono::NaiveDate> {
    let s = s.trim();
    let head = s.get(..10)?;
    let ok_tail = s.len() == 10 || s[10..].starts_with(['T', ' ', 't']);
    if !ok_tail {
        return None;
    }
    chrono::NaiveDate::parse_from_str(head, "%Y-%m-%d").ok()
}

/// A file with NUL bytes in its first 8 KiB is binary, as git and ripgrep judge it.
fn looks_binary(bytes: &[u8]) -> bool {
    bytes[..bytes.len().min(8192)].contains(&0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_find_ignores_case_and_finds_the_first() {
        assert_eq!(find_ascii_ci("x </Script> </SCRIPT>", "</script"), Some(2));
        assert_eq!(find_ascii_ci("Minutes of KENT COUNTY COUNCIL", "council"), Some(23));
        assert_eq!(find_ascii_ci("cOuNcI", "council"), None);
        assert_eq!(find_ascii_ci("caf\u{e9} www.kent.GOV.uk", ".gov"), Some(14));
        assert_eq!(find_ascii_ci("anything", ""), None);
    }

    #[test]
    fn lines_split_on_every_ending_and_count_like_cat_n() {
        let t = Text::from_lines_of("\u{feff}a\r\nb\rc\nd");
        assert_eq!(t.lines, vec!["a", "b", "c", "d"]);
        assert_eq!(Text::from_lines_of("a\n").lines, vec!["a"]);
        assert_eq!(Text::from_lines_of("a\n\nb").lines, vec!["a", "", "b"]);
    }

    #[test]
    fn invalid_utf8_is_replaced_and_flagged() {
        let t = Text::from_bytes(b"caf\xe9 menu");
        assert!(t.lossy);
        assert_eq!(t.lines[0], "caf\u{fffd} menu");
    }
}
