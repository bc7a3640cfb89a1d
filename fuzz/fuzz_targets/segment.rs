//! The segmenter: any text as a paper (under a path with a date and a body
//! named in it). Items must stay inside the text and never panic.
#![no_main]

use council_search::extract::Text;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = Text::from_bytes(data);
    let path = std::path::Path::new("/papers/Cabinet/2024-03-04/agenda.txt");
    let items = council_search::paper::items(&text, path);
    let lines = text.lines.len().max(1);
    for item in &items {
        assert!(item.line_start >= 1 && item.line_start <= item.line_end && item.line_end <= lines, "{item:?}");
        let _ = council_search::paper::item_body(&text.lines, item);
    }
});
