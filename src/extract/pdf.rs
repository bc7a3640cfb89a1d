//! PDF -> text, page by page, through poppler's `pdftotext` run as a child process.
//!
//! A child process can be killed, a thread cannot: a PDF that makes the parser
//! spin is stopped at a deadline, and a crash in the parser is only a failed
//! file. The text comes back in reading order (pdftotext without `-layout`), one
//! form feed after each page; see docs/FORMATS.md for why this tool and mode.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use super::{Text, MAX_FILE_BYTES};
use crate::error::FileProblem;

/// How to run the PDF extractor.
#[derive(Debug, Clone)]
pub struct PdfOptions {
    /// The `pdftotext` program (a name looked up on `PATH`, or a path).
    pub tool: PathBuf,
    /// Fixed part of the time limit for one file.
    pub base_timeout: Duration,
    /// Extra time allowed per MiB of PDF.
    pub timeout_per_mib: Duration,
    /// Largest text output accepted, in bytes.
    pub max_output_bytes: u64,
}

impl Default for PdfOptions {
    fn default() -> Self {
        PdfOptions {
            tool: PathBuf::from("pdftotext"),
            base_timeout: Duration::from_secs(30),
            timeout_per_mib: Duration::from_secs(2),
            max_output_bytes: MAX_FILE_BYTES,
        }
    }
}

/// What to tell a user who has no `pdftotext`.
const INSTALL_HINT: &str = "needs `pdftotext` to read PDFs: install poppler-utils (Debian/Ubuntu: `apt-get install poppler-utils`; macOS: `brew install poppler`)";

/// Reads a PDF's text layer into lines, filling `pdf_page_starts`.
pub fn read_pdf(path: &Path, opts: &PdfOptions) -> Result<Text, FileProblem> {
    let size = std::fs::metadata(path).map_err(|e| FileProblem::Unreadable(e.to_string()))?.len();
    if size == 0 {
        return Err(FileProblem::Empty);
    }
    check_header(path)?;
    let out = run_tool(path, size, opts)?;
    let text = pages_to_text(&out);
    if text.is_blank() {
        return Err(FileProblem::NoTextLayer);
    }
    Ok(text)
}

/// A PDF starts with `%PDF-` within its first KiB (some writers put junk first).
fn check_header(path: &Path) -> Result<(), FileProblem> {
    let mut head = Vec::with_capacity(1024);
    std::fs::File::open(path)
        .and_then(|f| f.take(1024).read_to_end(&mut head))
        .map_err(|e| FileProblem::Unreadable(e.to_string()))?;
    if head.windows(5).any(|w| w == b"%PDF-") {
        Ok(())
    } else {
        Err(FileProblem::Corrupt("not a PDF (no %PDF- header)".into()))
    }
}

/// Runs `pdftotext -enc UTF-8 -eol unix PATH -` with a deadline and an output cap.
fn run_tool(path: &Path, size: u64, opts: &PdfOptions) -> Result<Vec<u8>, FileProblem> {
    // A relative name starting with '-' would be read as an option.
    let arg = if path.is_relative() { Path::new(".").join(path) } else { path.to_path_buf() };
    let mut child = Command::new(&opts.tool)
        .args(["-enc", "UTF-8", "-eol", "unix"])
        .arg(&arg)
        .arg("-")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => FileProblem::ToolMissing(INSTALL_HINT.into()),
            _ => FileProblem::Unreadable(format!("cannot run {}: {e}", opts.tool.display())),
        })?;

    let mut stdout = child.stdout.take().expect("piped stdout");
    let mut stderr = child.stderr.take().expect("piped stderr");
    let cap = opts.max_output_bytes;
    let (tx, rx) = mpsc::channel();
    let out_reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        // One byte over the cap tells us the cap was hit.
        let r = (&mut stdout).take(cap + 1).read_to_end(&mut buf);
        let _ = tx.send(());
        // Drain (and drop) anything past the cap so the child is not blocked on a full pipe.
        let _ = std::io::copy(&mut stdout, &mut std::io::sink());
        r.map(|_| buf)
    });
    let err_reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = (&mut stderr).take(64 << 10).read_to_end(&mut buf);
        let _ = std::io::copy(&mut stderr, &mut std::io::sink());
        buf
    });

    let mib = size.div_ceil(1 << 20) as u32;
    let limit = opts.base_timeout + opts.timeout_per_mib * mib;
    // stdout reaches EOF (or the cap) when the child is done writing.
    let finished = rx.recv_timeout(limit).is_ok();
    if !finished {
        let _ = child.kill();
        let _ = child.wait();
        let _ = out_reader.join();
        let _ = err_reader.join();
        return Err(FileProblem::TimedOut(limit.as_secs()));
    }
    let out = out_reader.join().map_err(|_| FileProblem::Unreadable("reader thread failed".into()))?;
    let out = out.map_err(|e| FileProblem::Unreadable(e.to_string()))?;
    if out.len() as u64 > cap {
        let _ = child.kill();
        let _ = child.wait();
        let _ = err_reader.join();
        return Err(FileProblem::TooLarge(out.len() as u64));
    }
    // Output is complete; the exit status follows at once (bounded all the same).
    let status = wait_bounded(&mut child, Duration::from_secs(5));
    let err = err_reader.join().unwrap_or_default();
    let err = String::from_utf8_lossy(&err);
    match status {
        Some(s) if s.success() => Ok(out),
        Some(s) => Err(classify_failure(s.code(), &err)),
        None => Err(FileProblem::TimedOut(limit.as_secs())),
    }
}

/// Waits for a child that has closed its output, killing it after `limit`.
fn wait_bounded(child: &mut std::process::Child, limit: Duration) -> Option<std::process::ExitStatus> {
    let start = std::time::Instant::now();
    let mut nap = Duration::from_micros(200);
    loop {
        match child.try_wait() {
            Ok(Some(s)) => return Some(s),
            Ok(None) if start.elapsed() < limit => {
                std::thread::sleep(nap);
                nap = (nap * 2).min(Duration::from_millis(20));
            }
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                return None;
            }
        }
    }
}

/// pdftotext exits 1 when it cannot open the document (damaged, or a password is
/// needed), 3 when the document forbids copying its text, and dies by a signal
/// when the parser crashes.
fn classify_failure(code: Option<i32>, stderr: &str) -> FileProblem {
    let lower = stderr.to_ascii_lowercase();
    if lower.contains("incorrect password") || lower.contains("encrypt") || code == Some(3) {
        return FileProblem::Encrypted;
    }
    let detail =
        stderr.lines().map(str::trim).rfind(|l| !l.is_empty() && !l.starts_with("Syntax Warning")).unwrap_or("");
    let detail = detail.chars().take(200).collect::<String>();
    match code {
        Some(c) if detail.is_empty() => FileProblem::Corrupt(format!("pdftotext failed (exit {c})")),
        Some(_) => FileProblem::Corrupt(detail),
        None => FileProblem::Corrupt("pdftotext crashed on it".into()),
    }
}

/// Splits pdftotext's output into pages (a form feed ends each page) and lines.
/// Every page gets at least one line, so page starts strictly increase.
pub(crate) fn pages_to_text(out: &[u8]) -> Text {
    let (s, lossy) = match std::str::from_utf8(out) {
        Ok(s) => (std::borrow::Cow::Borrowed(s), false),
        Err(_) => (String::from_utf8_lossy(out), true),
    };
    let mut lines: Vec<String> = Vec::new();
    let mut starts = Vec::new();
    let body = s.strip_suffix('\u{c}').unwrap_or(&s);
    for page in body.split('\u{c}') {
        starts.push(lines.len() + 1);
        let page = page.strip_suffix('\n').unwrap_or(page);
        let before = lines.len();
        lines.extend(page.split('\n').map(|l| l.trim_end().to_string()));
        if lines.len() == before {
            lines.push(String::new());
        }
    }
    Text { lines, lossy, pdf_page_starts: starts, ..Text::default() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_split_on_form_feeds() {
        let t = pages_to_text(b"a\nb\n\x0cc\n\x0c\x0cd\n\x0c");
        assert_eq!(t.lines, vec!["a", "b", "c", "", "d"]);
        assert_eq!(t.pdf_page_starts, vec![1, 3, 4, 5]);
    }

    #[test]
    fn failures_are_classified() {
        assert_eq!(classify_failure(Some(1), "Command Line Error: Incorrect password\n"), FileProblem::Encrypted);
        assert_eq!(classify_failure(Some(3), ""), FileProblem::Encrypted);
        assert!(matches!(
            classify_failure(Some(1), "Syntax Error: Couldn't read xref table\nSyntax Warning: x\n"),
            FileProblem::Corrupt(d) if d.contains("xref")
        ));
        assert!(matches!(classify_failure(None, ""), FileProblem::Corrupt(_)));
    }
}
