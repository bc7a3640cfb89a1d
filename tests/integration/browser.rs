//! The search page in a real headless Chromium, driven over WebDriver
//! (Debian's `chromium` and `chromium-driver`): type a query, see ranked
//! results, apply a filter and a facet, open an item and step to its second
//! match, follow the feed link. Screenshots of the results (wide and phone
//! sized) and of the item page are kept under `target/tmp/screenshots/`.

use std::net::{SocketAddr, TcpListener};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

use serde_json::{json, Value};

use super::http::{request, try_request, wait_for, Server};
use super::util::{runs, sample_index, tool_present};

const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

/// The chromedriver process, stopped when dropped (also when the session
/// cannot be had).
struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A chromedriver process and one browser session in it.
struct Browser {
    _driver: Driver,
    addr: SocketAddr,
    session: String,
    _profile: tempfile::TempDir,
}

impl Browser {
    fn start() -> Browser {
        let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let driver = Driver(
            Command::new("chromedriver")
                .arg(format!("--port={port}"))
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("starting chromedriver"),
        );
        let addr: SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
        // Until it is ready, chromedriver may take a connection and drop it.
        let up = wait_for(30, || {
            try_request(addr, "GET", "/status", None).is_ok_and(|r| r.json()["value"]["ready"] == true)
        });
        assert!(up, "chromedriver did not start");
        let profile = tempfile::tempdir().unwrap();
        let args = [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--window-size=1280,1100",
        ];
        let mut args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
        args.push(format!("--user-data-dir={}", profile.path().display()));
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {"binary": "/usr/bin/chromium", "args": args}
        }}});
        let res = request(addr, "POST", "/session", Some(&caps.to_string()));
        let v = res.json();
        let session = v["value"]["sessionId"].as_str().unwrap_or_else(|| panic!("no session: {v}")).to_string();
        Browser { _driver: driver, addr, session, _profile: profile }
    }

    fn call(&self, method: &str, path: &str, body: Value) -> Value {
        let target = format!("/session/{}{path}", self.session);
        let body = if method == "GET" { None } else { Some(body.to_string()) };
        let res = request(self.addr, method, &target, body.as_deref());
        let v = res.json();
        assert_eq!(res.status, 200, "{method} {path}: {v}");
        v["value"].clone()
    }

    fn go(&self, url: &str) {
        self.call("POST", "/url", json!({"url": url}));
    }

    fn url(&self) -> String {
        self.call("GET", "/url", json!({})).as_str().unwrap().to_string()
    }

    fn find_all(&self, css: &str) -> Vec<String> {
        let v = self.call("POST", "/elements", json!({"using": "css selector", "value": css}));
        v.as_array().unwrap().iter().map(|e| e[ELEMENT].as_str().unwrap().to_string()).collect()
    }

    fn find(&self, css: &str) -> String {
        self.find_all(css).into_iter().next().unwrap_or_else(|| panic!("no element {css}"))
    }

    fn click(&self, css: &str) {
        let e = self.find(css);
        self.call("POST", &format!("/element/{e}/click"), json!({}));
    }

    fn type_into(&self, css: &str, text: &str) {
        let e = self.find(css);
        self.call("POST", &format!("/element/{e}/value"), json!({"text": text}));
    }

    fn text(&self, element: &str) -> String {
        self.call("GET", &format!("/element/{element}/text"), json!({})).as_str().unwrap_or("").to_string()
    }

    fn script(&self, js: &str) -> Value {
        self.call("POST", "/execute/sync", json!({"script": js, "args": []}))
    }

    fn wait_url(&self, part: &str) {
        assert!(wait_for(20, || self.url().contains(part)), "the page never reached a URL with {part}: {}", self.url());
    }

    fn screenshot(&self, name: &str) -> PathBuf {
        let b64 = self.call("GET", "/screenshot", json!({}));
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("screenshots");
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(name);
        std::fs::write(&path, base64_decode(b64.as_str().unwrap())).unwrap();
        path
    }

    fn resize(&self, width: u32, height: u32) {
        self.call("POST", "/window/rect", json!({"width": width, "height": height}));
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = request(self.addr, "DELETE", &format!("/session/{}", self.session), None);
    }
}

fn base64_decode(s: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    };
    let (mut out, mut acc, mut bits) = (Vec::new(), 0u32, 0);
    for v in s.bytes().filter_map(value) {
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    out
}

#[test]
fn a_reader_searches_filters_opens_an_item_and_follows_the_search() {
    let present = runs("chromium", &["--version"]) && runs("chromedriver", &["--version"]);
    if !tool_present("`chromium` or `chromedriver`", present, "the browser test") {
        return;
    }
    let server = Server::start(sample_index());
    let browser = Browser::start();

    // Type a query: ranked results, in the API's order.
    browser.go(&server.url("/"));
    browser.type_into("#q", "domestic abuse\u{E007}");
    browser.wait_url("q=domestic");
    let hits = browser.find_all("li.hit h2 a");
    assert!(hits.len() >= 3);
    let api = server.get("/api/search?q=domestic+abuse&limit=3").json();
    for (k, hit) in hits.iter().take(3).enumerate() {
        assert_eq!(browser.text(hit), api["hits"][k]["title"].as_str().unwrap());
    }
    assert!(!browser.find_all("li.hit mark").is_empty(), "snippets are highlighted");
    assert!(!browser.find_all("nav.histogram a.bar").is_empty(), "a histogram");
    assert!(!browser.url().contains("council="), "empty fields stay out of the URL");

    // Apply a filter from the form.
    browser.click("form.filters summary");
    browser.click("input[name=type][value=appendix]");
    browser.click("form.filters button[type=submit]");
    browser.wait_url("type=appendix");
    for t in browser.find_all("li.hit li.type") {
        assert_eq!(browser.text(&t), "appendix");
    }
    // And a facet: the first council.
    browser.click("aside.facets section.facet li a");
    browser.wait_url("council=");
    let chips: Vec<String> = browser.find_all("ul.chips li").iter().map(|c| browser.text(c)).collect();
    assert!(
        chips.iter().any(|c| c.starts_with("council:")) && chips.iter().any(|c| c.starts_with("type:")),
        "{chips:?}"
    );
    let results_url = browser.url();
    let wide = browser.screenshot("results.png");
    browser.resize(390, 844);
    browser.go(&results_url);
    let phone = browser.screenshot("results-phone.png");
    browser.resize(1280, 1100);

    // The histogram narrows to a year, then to a month.
    browser.go(&server.url("/?q=health"));
    browser.click("nav.histogram a.bar");
    browser.wait_url("from=");
    assert!(browser.find_all("nav.histogram a.bar").len() == 12, "a year shows its months");

    // Open an item and step to its second match.
    browser.go(&server.url("/?q=domestic+abuse"));
    browser.click("li.hit h2 a");
    browser.wait_url("/items/");
    browser.click("nav.matches button[data-step='1']");
    browser.click("nav.matches button[data-step='1']");
    let current = browser.script("var m = document.querySelector('mark.current'); return m ? m.id : null;");
    assert_eq!(current, "m2");
    assert!(browser.url().ends_with("#m2"));
    let position = browser.text(&browser.find("nav.matches .position"));
    assert!(position.starts_with("Match 2 of"), "{position}");
    let item = browser.screenshot("item.png");

    // Follow the search: the feed link of the results page.
    browser.go(&server.url("/?q=domestic+abuse"));
    browser.click("a.feed");
    browser.wait_url("/feed.atom");
    let source = browser.call("GET", "/source", json!({}));
    assert!(source.as_str().unwrap().contains("urn:council-search:item:"), "the feed opened");
    for shot in [wide, phone, item] {
        assert!(std::fs::metadata(&shot).unwrap().len() > 10_000, "{} was saved", shot.display());
        eprintln!("screenshot: {}", shot.display());
    }
}
