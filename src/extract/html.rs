//! HTML -> text: the page's content without its chrome (navigation, headers,
//! footers, sidebars, menus, forms), scripts and styles; entities decoded;
//! headings as their own `#`-prefixed lines; block elements, `<br>`, list items
//! and table rows as line breaks; table cells separated by tabs.
//!
//! Parsing is html5ever's (through `scraper`): the HTML standard's error
//! recovery, no recursion, so unterminated or absurdly nested markup neither
//! blows the stack nor hangs. The walk over the tree is iterative too.

use ego_tree::iter::Edge;
use scraper::{ElementRef, Html, Node, Selector};

use super::{Text, TextMeta};

/// Converts a whole HTML page. `fragment` is for text files that are really
/// HTML snippets: there a newline in the source is a line break too.
pub(crate) fn html_to_text(src: &str, fragment: bool) -> Text {
    let flattened = cap_nesting(src, MAX_DEPTH);
    let doc = Html::parse_document(flattened.as_deref().unwrap_or(src));
    let meta = head_meta(&doc);
    let roots = content_roots(&doc);
    let mut lines = render(&roots, fragment);
    if lines.iter().all(|l| l.trim().is_empty()) && !roots.is_whole_body {
        // The content container was empty: fall back to the whole body.
        lines = render(&Roots { nodes: vec![doc.root_element()], is_whole_body: true }, fragment);
    }
    Text { lines, meta, ..Text::default() }
}

/// Deepest element nesting handed to the parser. html5ever's tree builder scans
/// its stack of open elements on each tag, so nesting 100,000 deep would cost
/// quadratic time; start tags past this depth are dropped (their text stays).
const MAX_DEPTH: usize = 256;

/// A linear pre-pass estimating how deep elements nest; returns the source
/// without the start tags that would nest deeper than `limit`, or `None` when
/// nothing had to go.
fn cap_nesting(src: &str, limit: usize) -> Option<String> {
    const VOID: &[&str] = &[
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr",
    ];
    const RAW: &[&str] = &["script", "style", "textarea", "title", "xmp", "noscript", "iframe", "template"];
    const SELF_CLOSING_SIBLINGS: &[&str] = &["p", "li", "dt", "dd", "tr", "td", "th", "option"];
    let b = src.as_bytes();
    let mut stack: Vec<String> = Vec::new();
    let mut out: Option<String> = None;
    let mut copied = 0usize;
    let mut i = 0usize;
    while let Some(off) = memchr_lt(&b[i..]) {
        let at = i + off;
        let rest = &src[at..];
        if rest.starts_with("<!--") {
            i = rest.find("-->").map_or(b.len(), |e| at + e + 3);
            continue;
        }
        if rest.starts_with("<!") || rest.starts_with("<?") {
            i = rest.find('>').map_or(b.len(), |e| at + e + 1);
            continue;
        }
        let closing = rest.starts_with("</");
        let name_start = at + if closing { 2 } else { 1 };
        let name_len = b[name_start..].iter().take_while(|c| c.is_ascii_alphanumeric()).count();
        if name_len == 0 || !b[name_start].is_ascii_alphabetic() {
            i = at + 1;
            continue;
        }
        let name = src[name_start..name_start + name_len].to_ascii_lowercase();
        let end = src[name_start..].find('>').map_or(b.len(), |e| name_start + e + 1);
        if closing {
            if let Some(pos) = stack.iter().rev().take(64).position(|n| *n == name) {
                stack.truncate(stack.len() - 1 - pos);
            }
            i = end;
            continue;
        }
        let self_closing = src[at..end].ends_with("/>");
        if RAW.contains(&name.as_str()) {
            // Skip raw text up to its end tag.
            let close = format!("</{name}");
            let lower_tail = &src[end..];
            i = super::find_ascii_ci(lower_tail, &close).map_or(b.len(), |e| end + e);
            continue;
        }
        if VOID.contains(&name.as_str()) || self_closing {
            i = end;
            continue;
        }
        if SELF_CLOSING_SIBLINGS.contains(&name.as_str()) && stack.last() == Some(&name) {
            stack.pop();
        }
        if stack.len() >= limit {
            let o = out.get_or_insert_with(|| String::with_capacity(src.len()));
            o.push_str(&src[copied..at]);
            o.push(' ');
            copied = end;
        } else {
            stack.push(name);
        }
        i = end;
    }
    out.map(|mut o| {
        o.push_str(&src[copied..]);
        o
    })
}

fn memchr_lt(b: &[u8]) -> Option<usize> {
    b.iter().position(|&c| c == b'<')
}

/// True when a plain-text file is really HTML: it has markup tags or HTML
/// entities in numbers no plain text has.
/// A `.txt` file holding HTML fragments (`<br />`, `<p>`, `&pound;`), cleaned
/// line by line: tags removed, entities decoded. Every line of the file stays
/// a line, so a file that breaks its lines after its `<br>`s keeps its line
/// numbers; a `<br>` inside a line also breaks it, so a file written as one
/// long line of fragments reads as the lines it shows (other tags, a table
/// cell's `<p>` say, stay inside their line).
pub(crate) fn fragment_lines(src: &str) -> Text {
    let mut text = Text::from_lines_of(src);
    let mut lines = Vec::with_capacity(text.lines.len());
    for line in std::mem::take(&mut text.lines) {
        if memchr::memchr2(b'<', b'&', line.as_bytes()).is_some() {
            lines.extend(clean_fragment_line(&line).split('\n').map(|l| l.trim_end().to_string()));
        } else {
            lines.push(line);
        }
    }
    text.lines = lines;
    text
}

fn clean_fragment_line(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(i) = rest.find('<') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let is_tag = after.starts_with(|c: char| c.is_ascii_alphabetic() || c == '/' || c == '!');
        match after.find('>').filter(|_| is_tag) {
            Some(j) => {
                // A line break or block boundary inside the line becomes a space.
                let name = after[..j].trim_start_matches('/').as_bytes();
                let named = |t: &str| name.get(..t.len()).is_some_and(|n| n.eq_ignore_ascii_case(t.as_bytes()));
                rest = &after[j + 1..];
                if ["br", "p", "div", "li", "tr", "td", "th", "h"].into_iter().any(named) {
                    // A `<br>` with text after it on the line starts a new line; one
                    // that ends the line adds nothing to the line break after it.
                    let ends_line = only_tags(rest);
                    let breaks = named("br");
                    out.push(if breaks && !ends_line { '\n' } else { ' ' });
                }
            }
            None => {
                out.push('<');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    decode_entities(out.trim_end())
}

/// True when `s` holds nothing but tags and white space (a line's end).
fn only_tags(s: &str) -> bool {
    let mut rest = s.trim_start();
    while let Some(after) = rest.strip_prefix('<') {
        match after.find('>') {
            Some(j) => rest = after[j + 1..].trim_start(),
            None => return false,
        }
    }
    rest.is_empty()
}

/// Decodes the HTML entities council papers use (named ones such as `&pound;`
/// and numeric ones); an unknown entity is left as written.
pub(crate) fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    ENTITY
        .replace_all(s, |c: &regex::Captures<'_>| decode_entity(&c[0]).unwrap_or_else(|| c[0].to_string()))
        .into_owned()
}

fn decode_entity(e: &str) -> Option<String> {
    let name = e.strip_prefix('&')?.strip_suffix(';')?;
    if let Some(num) = name.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse().ok()?,
        };
        return char::from_u32(code).filter(|c| !c.is_control() || *c == '\t').map(String::from);
    }
    let c = match name {
        "nbsp" => ' ',
        "amp" => '&',
        "pound" => '£',
        "euro" => '€',
        "quot" => '"',
        "apos" => '\'',
        "lt" => '<',
        "gt" => '>',
        "rsquo" => '\u{2019}',
        "lsquo" => '\u{2018}',
        "rdquo" => '\u{201D}',
        "ldquo" => '\u{201C}',
        "ndash" => '\u{2013}',
        "mdash" => '\u{2014}',
        "hellip" => '\u{2026}',
        _ => return None,
    };
    Some(c.to_string())
}

pub(crate) fn looks_like_html(s: &str) -> bool {
    let head = &s[..floor_char_boundary(s, 256 << 10)];
    let lower_start = head.trim_start().get(..15).unwrap_or("").to_ascii_lowercase();
    if lower_start.starts_with("<!doctype html") || lower_start.starts_with("<html") {
        return true;
    }
    let tags = TAG.find_iter(head).take(3).count();
    let entities = ENTITY.find_iter(head).take(3).count();
    tags >= 2 || (tags >= 1 && entities >= 1) || entities >= 3
}

static TAG: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(
        r"(?i)</?(?:br|p|div|span|h[1-6]|strong|b|i|em|u|li|ul|ol|table|tr|td|th|a|hr|font|body|html)(?:\s[^<>]*)?/?>",
    )
    .expect("valid regex")
});
static ENTITY: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r"&(?:nbsp|amp|pound|euro|quot|apos|lt|gt|rsquo|lsquo|rdquo|ldquo|ndash|mdash|hellip|#[0-9]{2,5}|#x[0-9a-fA-F]{2,4});")
        .expect("valid regex")
});

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    if i >= s.len() {
        return s.len();
    }
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Title, canonical URL and a document date from the head.
fn head_meta(doc: &Html) -> TextMeta {
    let mut meta = TextMeta::default();
    let sel = Selector::parse("title, link[rel][href], meta[content]").expect("valid selector");
    let mut og_url = None;
    let mut meeting_date = None;
    let mut published = None;
    for el in doc.select(&sel) {
        let v = el.value();
        match v.name() {
            "title" if meta.title.is_none() => {
                let t = collapse_ws(&el.text().collect::<String>());
                if !t.is_empty() {
                    meta.title = Some(t);
                }
            }
            "link" => {
                let rels = v.attr("rel").unwrap_or("").to_ascii_lowercase();
                if rels.split_whitespace().any(|r| r == "canonical") && meta.source_url.is_none() {
                    meta.source_url = v.attr("href").map(|h| h.trim().to_string()).filter(|h| !h.is_empty());
                }
            }
            "meta" => {
                let key = v.attr("property").or_else(|| v.attr("name")).unwrap_or("").to_ascii_lowercase();
                let content = v.attr("content").unwrap_or("").trim();
                match key.as_str() {
                    "og:url" if og_url.is_none() && !content.is_empty() => og_url = Some(content.to_string()),
                    "meeting_date" | "meeting-date" | "meetingdate" | "dc.date.meeting" if meeting_date.is_none() => {
                        meeting_date = super::parse_iso_date(content)
                    }
                    "article:published_time" | "dc.date" | "dcterms.date" | "dc.date.issued" | "date"
                        if published.is_none() =>
                    {
                        published = super::parse_iso_date(content)
                    }
                    _ => {}
                }
            }
            _ => {}
        }
    }
    if meta.source_url.is_none() {
        meta.source_url = og_url;
    }
    meta.date = meeting_date.or(published);
    meta
}

/// Where the content is: `<main>` (or `role=main`), else the outermost
/// `<article>`s, else the body.
struct Roots<'a> {
    nodes: Vec<ElementRef<'a>>,
    is_whole_body: bool,
}

fn content_roots(doc: &Html) -> Roots<'_> {
    let main = Selector::parse("main, [role=main]").expect("valid selector");
    if let Some(m) = doc.select(&main).next() {
        return Roots { nodes: vec![m], is_whole_body: false };
    }
    let article = Selector::parse("article").expect("valid selector");
    // Outermost articles only; checking ancestors is bounded to keep this linear.
    let arts: Vec<_> = doc
        .select(&article)
        .take(200)
        .filter(|a| !a.ancestors().take(10_000).any(|n| n.value().as_element().is_some_and(|e| e.name() == "article")))
        .collect();
    if !arts.is_empty() {
        return Roots { nodes: arts, is_whole_body: false };
    }
    Roots { nodes: vec![doc.root_element()], is_whole_body: true }
}

/// Elements whose whole subtree is chrome or not text.
fn is_skipped(el: &scraper::node::Element, whole_body: bool) -> bool {
    match el.name() {
        "script" | "style" | "noscript" | "template" | "nav" | "aside" | "footer" | "form" | "button" | "select"
        | "textarea" | "iframe" | "svg" | "math" | "canvas" | "object" | "embed" | "dialog" | "head" | "menu" => {
            return true
        }
        // A page's header is chrome; an article's header holds its title.
        "header" if whole_body => return true,
        _ => {}
    }
    if el.attr("hidden").is_some() || el.attr("aria-hidden").is_some_and(|v| v.eq_ignore_ascii_case("true")) {
        return true;
    }
    if let Some(role) = el.attr("role") {
        let role = role.to_ascii_lowercase();
        if matches!(
            role.as_str(),
            "navigation" | "banner" | "contentinfo" | "search" | "complementary" | "menu" | "menubar"
        ) {
            return true;
        }
    }
    let chrome = |v: &str| {
        v.split_whitespace().any(|t| {
            let t = t.to_ascii_lowercase();
            t.contains("menu")
                || t.contains("breadcrumb")
                || t.contains("sidebar")
                || t.contains("cookie")
                || t.contains("skip-link")
                || t.contains("screen-reader")
                || t.contains("sharedaddy")
                || t == "nav"
                || t.starts_with("nav-")
                || t.ends_with("-nav")
                || t.ends_with("-navigation")
        })
    };
    el.attr("class").is_some_and(chrome) || el.attr("id").is_some_and(chrome)
}

/// Elements that start and end a line.
fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "section"
            | "article"
            | "main"
            | "header"
            | "blockquote"
            | "address"
            | "figure"
            | "figcaption"
            | "ul"
            | "ol"
            | "dl"
            | "dt"
            | "dd"
            | "table"
            | "caption"
            | "thead"
            | "tbody"
            | "tfoot"
            | "center"
            | "fieldset"
            | "details"
            | "summary"
            | "hr"
            | "body"
            | "html"
    )
}

/// Builds lines: collapses whitespace, never leaves two blank lines in a row.
#[derive(Default)]
struct Lines {
    lines: Vec<String>,
    cur: String,
    space: bool,
    /// The last thing written was a `<br>`: a source newline right after it adds nothing.
    after_br: bool,
}

impl Lines {
    fn text(&mut self, s: &str, pre: bool, fragment: bool) {
        for c in s.chars() {
            if c == '\n' && (pre || fragment) {
                if self.after_br && !pre {
                    self.after_br = false;
                } else {
                    self.hard_break();
                }
            } else if c.is_whitespace() && !(pre && c != '\n' && c != '\r') {
                self.space = true;
            } else {
                if self.space && !self.cur.is_empty() && !self.cur.ends_with(['\t', ' ']) {
                    self.cur.push(' ');
                }
                self.space = false;
                self.after_br = false;
                self.cur.push(c);
            }
        }
    }

    /// Ends the current line if it has text.
    fn soft_break(&mut self) {
        if !self.cur.trim().is_empty() {
            self.hard_break();
        } else {
            self.cur.clear();
        }
        self.space = false;
    }

    /// Ends the current line even if empty (at most one blank line in a row).
    fn hard_break(&mut self) {
        let line = self.cur.trim_end().to_string();
        self.cur.clear();
        self.space = false;
        self.after_br = false;
        if line.is_empty() && self.lines.last().is_none_or(|l| l.is_empty()) {
            return;
        }
        self.lines.push(line);
    }

    /// A blank line after a paragraph, heading, list or table.
    fn blank(&mut self) {
        self.soft_break();
        if self.lines.last().is_some_and(|l| !l.is_empty()) {
            self.lines.push(String::new());
        }
    }

    fn finish(mut self) -> Vec<String> {
        self.soft_break();
        while self.lines.last().is_some_and(|l| l.is_empty()) {
            self.lines.pop();
        }
        if self.lines.is_empty() {
            self.lines.push(String::new());
        }
        self.lines
    }
}

fn render(roots: &Roots<'_>, fragment: bool) -> Vec<String> {
    let mut r = Renderer::default();
    for root in &roots.nodes {
        let mut skipping: Option<ego_tree::NodeId> = None;
        for edge in root.traverse() {
            match edge {
                Edge::Open(node) if skipping.is_none() => match node.value() {
                    Node::Text(t) => r.out.text(t, r.pre_depth > 0, fragment),
                    Node::Element(el) if is_skipped(el, roots.is_whole_body) => skipping = Some(node.id()),
                    Node::Element(el) => r.open(el),
                    _ => {}
                },
                Edge::Open(_) => {}
                Edge::Close(node) => {
                    if let Some(id) = skipping {
                        if id == node.id() {
                            skipping = None;
                        }
                        continue;
                    }
                    if let Node::Element(el) = node.value() {
                        r.close(el);
                    }
                }
            }
        }
        r.out.blank();
    }
    r.out.finish()
}

/// The lines of an HTML tree as it is walked, and the state of the open elements.
#[derive(Default)]
struct Renderer {
    out: Lines,
    /// Per open list: the next number of an `<ol>`, or None for `<ul>`. Heap, not stack.
    lists: Vec<Option<i64>>,
    /// How many `<pre>` elements are open.
    pre_depth: usize,
    /// A cell of the current table row has been written.
    cell_in_row: bool,
}

impl Renderer {
    /// An element opens: its line breaks, heading marker, list number or cell tab.
    fn open(&mut self, el: &scraper::node::Element) {
        let out = &mut self.out;
        let name = el.name();
        match name {
            "br" => {
                out.hard_break();
                out.after_br = true;
            }
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                out.blank();
                let level = (name.as_bytes()[1] - b'0') as usize;
                out.cur.push_str(&"#".repeat(level));
                out.cur.push(' ');
            }
            "pre" => {
                out.soft_break();
                self.pre_depth += 1;
            }
            "ul" | "menu" => {
                out.soft_break();
                self.lists.push(None);
            }
            "ol" => {
                out.soft_break();
                let start = el.attr("start").and_then(|s| s.trim().parse().ok()).unwrap_or(1);
                self.lists.push(Some(start));
            }
            "li" => {
                out.soft_break();
                match self.lists.last_mut() {
                    Some(Some(n)) => {
                        let n0 = el.attr("value").and_then(|s| s.trim().parse().ok()).unwrap_or(*n);
                        out.cur.push_str(&format!("{n0}. "));
                        *n = n0 + 1;
                    }
                    _ => out.cur.push_str("- "),
                }
            }
            "tr" => {
                out.soft_break();
                self.cell_in_row = false;
            }
            "td" | "th" => {
                if self.cell_in_row {
                    out.cur.push('\t');
                }
                out.space = false;
                self.cell_in_row = true;
            }
            "p" | "table" => out.blank(),
            n if is_block(n) => out.soft_break(),
            _ => {}
        }
    }

    /// An element closes: the breaks after it.
    fn close(&mut self, el: &scraper::node::Element) {
        let out = &mut self.out;
        match el.name() {
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                // An empty heading leaves only its marker: drop it.
                if out.cur.trim_end().chars().all(|c| c == '#') {
                    out.cur.clear();
                }
                out.blank();
            }
            "pre" => {
                self.pre_depth = self.pre_depth.saturating_sub(1);
                out.soft_break();
            }
            "ul" | "ol" | "menu" => {
                self.lists.pop();
                out.blank();
            }
            "p" | "table" => out.blank(),
            "li" | "tr" => out.soft_break(),
            n if is_block(n) => out.soft_break(),
            _ => {}
        }
    }
}

fn collapse_ws(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chrome_is_dropped_and_structure_kept() {
        let html = r#"<!doctype html><html><head><title>Agenda &amp; papers</title>
            <link rel="canonical" href="https://example.org/a"><style>p{}</style></head>
            <body><header>Site</header><nav><a>Home</a></nav>
            <article><h1>Agenda</h1><p>Item one&nbsp;&pound;5<br>next</p>
            <ol><li>First</li><li>Second</li></ol>
            <table><tr><td>a</td><td>b</td></tr></table><script>x()</script></article>
            <aside>Widget</aside><footer>Foot</footer></body></html>"#;
        let t = html_to_text(html, false);
        assert_eq!(t.lines, vec!["# Agenda", "", "Item one \u{a3}5", "next", "", "1. First", "2. Second", "", "a\tb"]);
        assert_eq!(t.meta.title.as_deref(), Some("Agenda & papers"));
        assert_eq!(t.meta.source_url.as_deref(), Some("https://example.org/a"));
    }

    #[test]
    fn deep_nesting_is_capped_linearly() {
        let src = format!("<body>{}deep", "<div><b>".repeat(5000));
        let capped = cap_nesting(&src, 256).unwrap();
        assert!(capped.matches("<div>").count() < 200);
        assert!(capped.ends_with("deep"));
        assert_eq!(cap_nesting("<p>a<p>b<ul><li>x<li>y</ul>", 256), None);
        let t = html_to_text(&src, false);
        assert_eq!(t.lines, vec!["deep"]);
    }

    #[test]
    fn a_fragment_written_as_one_line_reads_as_the_lines_it_shows() {
        let t = fragment_lines("Minutes of the meeting.<br /><br />Present: all.<br />2300. Police Report.<br />");
        assert_eq!(t.lines, vec!["Minutes of the meeting.", "", "Present: all.", "2300. Police Report."]);
        let t = fragment_lines("<b>Agenda</b><br />\n1. Apologies<br /> \n");
        assert_eq!(t.lines, vec!["Agenda", "1. Apologies"]);
    }

    #[test]
    fn fragments_keep_their_newlines() {
        assert!(looks_like_html("Item 1<br />\nItem 2 &pound;5<br />\n"));
        assert!(!looks_like_html("a < b and c > d\nnothing & here"));
        let t = html_to_text("<strong>AGM</strong><br><br />\n1.Apologies<br />\n2.Minutes\nCost &pound;5", true);
        assert_eq!(t.lines, vec!["AGM", "", "1.Apologies", "2.Minutes", "Cost \u{a3}5"]);
    }
}
