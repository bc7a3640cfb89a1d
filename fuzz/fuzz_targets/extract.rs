//! The extractors: any bytes as a text, Markdown or HTML file. A bad file is a
//! `FileProblem`, never a panic; what is read keeps every line.
#![no_main]

use council_search::extract::{from_bytes_as, Format};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&which, bytes)) = data.split_first() else { return };
    let format = [Format::Text, Format::Markdown, Format::Html][usize::from(which % 3)];
    if let Ok(text) = from_bytes_as(bytes, format) {
        assert!(!text.lines.is_empty());
    }
});
