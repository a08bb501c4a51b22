// Shared by the browser tests of two crates; each uses the commands it needs.
#![allow(dead_code)]

//! A small W3C `WebDriver` client over plain HTTP/1.1 on loopback: the handful of commands the
//! browser tests need (sessions with or without JavaScript, navigate, run scripts, find elements,
//! click and type, read text, tabs, cookies, and waiting with a time limit).
//!
//! Why not thirtyfour: its tree brings reqwest and an HTTP client stack we do not otherwise
//! build, and it turns on `serde_json`'s `preserve_order` feature, which Cargo would then turn on
//! for every crate of the workspace in test builds (changing the key order of every JSON map).

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// The flags Chromium needs here: headless, no sandbox (we may run as root), nothing that
/// reaches the network, a fresh profile.
const CHROMIUM_FLAGS: &[&str] = &[
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--window-size=1280,900",
];

/// A Chromium session, ended when dropped.
pub(super) struct Browser {
    driver: String,
    session: String,
    _profile: tempfile::TempDir,
}

/// An element of the current page (a `WebDriver` element reference).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Element(String);

/// The key of the element reference in `WebDriver` replies.
const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

/// How long the `wait_*` helpers wait before failing the test.
pub(super) const WAIT: Duration = Duration::from_secs(20);

impl Browser {
    /// Starts Chromium through the chromedriver at `QPR_CHROMEDRIVER_URL`.
    pub(super) fn start() -> Browser {
        Browser::start_with(&json!({}))
    }

    /// Starts Chromium with JavaScript turned off for every page (as a user who disabled it,
    /// through the content setting; `WebDriver` scripts still run, page scripts do not).
    pub(super) fn start_without_javascript() -> Browser {
        Browser::start_with(&json!({ "profile.managed_default_content_settings.javascript": 2 }))
    }

    fn start_with(prefs: &Value) -> Browser {
        let driver = std::env::var("QPR_CHROMEDRIVER_URL").unwrap_or_else(|_| {
            panic!(
                "QPR_CHROMEDRIVER_URL is not set: the browser tests need Chromium, chromedriver and axe-core. \
                 Run scripts/test, or `source scripts/lib/ensure-chromium.sh` in your shell first (it installs them and starts chromedriver)."
            )
        });
        let driver = driver.trim_start_matches("http://").trim_end_matches('/').to_owned();
        let profile = tempfile::Builder::new().prefix("qpr-chromium-").tempdir().unwrap();
        let mut args: Vec<String> = CHROMIUM_FLAGS.iter().map(|f| (*f).to_owned()).collect();
        args.push(format!("--user-data-dir={}", profile.path().display()));
        let mut options = json!({ "args": args, "prefs": prefs });
        if let Ok(binary) = std::env::var("QPR_CHROMIUM") {
            options["binary"] = json!(binary);
        }
        let capabilities =
            json!({ "capabilities": { "alwaysMatch": { "browserName": "chrome", "goog:chromeOptions": options } } });
        let reply =
            request(&driver, "POST", "/session", Some(&capabilities)).unwrap_or_else(|e| panic!("POST /session: {e}"));
        let session = reply["sessionId"].as_str().unwrap_or_else(|| panic!("no session id in {reply}")).to_owned();
        Browser { driver, session, _profile: profile }
    }

    fn try_command(&self, method: &str, path: &str, body: Option<&Value>) -> Result<Value, String> {
        request(&self.driver, method, &format!("/session/{}{path}", self.session), body)
    }

    fn command(&self, method: &str, path: &str, body: Option<&Value>) -> Value {
        self.try_command(method, path, body)
            .unwrap_or_else(|e| panic!("{method} {path} (on {}): {e}", self.url_or_unknown()))
    }

    fn url_or_unknown(&self) -> String {
        self.try_command("GET", "/url", None)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_else(|| "?".to_owned())
    }

    /// Opens a page and waits for it to load.
    pub(super) fn goto(&self, url: &str) {
        self.command("POST", "/url", Some(&json!({ "url": url })));
    }

    /// Sets the size of the window's viewport to `width` × `height` CSS pixels (a phone's 390 px,
    /// a desktop's 1280 px): the window is resized by the difference its frame makes.
    pub(super) fn set_viewport(&self, width: u32, height: u32) {
        self.command("POST", "/window/rect", Some(&json!({ "width": width, "height": height })));
        let inner = self.execute("return [window.innerWidth, window.innerHeight];");
        let (w, h) = (inner[0].as_u64().unwrap_or(0), inner[1].as_u64().unwrap_or(0));
        let (dw, dh) = (u64::from(width).saturating_sub(w), u64::from(height).saturating_sub(h));
        if dw > 0 || dh > 0 {
            self.command(
                "POST",
                "/window/rect",
                Some(&json!({ "width": u64::from(width) + dw, "height": u64::from(height) + dh })),
            );
        }
        let inner = self.execute("return window.innerWidth;");
        assert_eq!(inner, json!(width), "the viewport could not be made {width} px wide");
    }

    /// Runs a script (a function body) and returns its result.
    /// How far the current page scrolls sideways, in CSS pixels (0 when it fits the window).
    pub(super) fn sideways_scroll(&self) -> i64 {
        let overflow = self.execute("return document.documentElement.scrollWidth - window.innerWidth;");
        overflow.as_i64().unwrap_or_else(|| panic!("scrollWidth - innerWidth gave {overflow}"))
    }

    pub(super) fn execute(&self, script: &str) -> Value {
        self.command("POST", "/execute/sync", Some(&json!({ "script": script, "args": [] })))
    }

    /// Runs a script that calls `arguments[arguments.length - 1]` with its result.
    pub(super) fn execute_async(&self, script: &str) -> Value {
        self.command("POST", "/execute/async", Some(&json!({ "script": script, "args": [] })))
    }

    /// Presses and releases a key (a `WebDriver` key code such as `\u{E004}` for Tab).
    pub(super) fn press(&self, key: &str) {
        let actions = json!({ "actions": [{ "type": "key", "id": "keyboard", "actions": [
            { "type": "keyDown", "value": key }, { "type": "keyUp", "value": key }
        ] }] });
        self.command("POST", "/actions", Some(&actions));
    }

    /// Every element a CSS selector finds, in document order.
    pub(super) fn find_all(&self, selector: &str) -> Vec<Element> {
        let found = self.command("POST", "/elements", Some(&json!({ "using": "css selector", "value": selector })));
        found.as_array().map(|list| list.iter().filter_map(element_of).collect()).unwrap_or_default()
    }

    /// The first element a CSS selector finds, if any.
    pub(super) fn try_find(&self, selector: &str) -> Option<Element> {
        self.find_all(selector).into_iter().next()
    }

    /// The first element a CSS selector finds; fails the test, naming the selector and the
    /// page, when there is none.
    pub(super) fn find(&self, selector: &str) -> Element {
        self.try_find(selector)
            .unwrap_or_else(|| panic!("no element `{selector}` on {}, which shows:\n{}", self.url(), self.shown()))
    }

    /// Clicks the first element a CSS selector finds and waits until the browser shows the
    /// page the click loaded (a form's submit button): what the old page showed cannot be
    /// taken for the answer, however slow the machine.
    pub(super) fn click_and_load(&self, selector: &str) {
        self.execute("window.__qprOldPage = true;");
        self.click(selector);
        self.wait_until(&format!("the page loaded by `{selector}`"), || {
            (self.execute("return window.__qprOldPage === undefined && document.readyState === 'complete';")
                == Value::Bool(true))
            .then_some(())
        });
    }

    /// Clicks the first element a CSS selector finds.
    pub(super) fn click(&self, selector: &str) {
        let element = self.find(selector);
        self.click_element(&element);
    }

    /// Clicks an element (scrolled into view first, as a user would).
    pub(super) fn click_element(&self, element: &Element) {
        self.command("POST", &format!("/element/{}/click", element.0), Some(&json!({})));
    }

    /// Types text into the first element a CSS selector finds, key by key (real key events:
    /// `keydown`, `input`, `keyup` for each character), after what it already holds.
    pub(super) fn type_into(&self, selector: &str, text: &str) {
        let element = self.find(selector);
        self.command("POST", &format!("/element/{}/value", element.0), Some(&json!({ "text": text })));
    }

    /// Empties a text field or text area.
    pub(super) fn clear(&self, selector: &str) {
        let element = self.find(selector);
        self.command("POST", &format!("/element/{}/clear", element.0), Some(&json!({})));
    }

    /// Empties a field and types `text` into it.
    pub(super) fn fill(&self, selector: &str, text: &str) {
        self.clear(selector);
        self.type_into(selector, text);
    }

    /// The text an element shows (as rendered: hidden parts left out).
    pub(super) fn text(&self, selector: &str) -> String {
        let element = self.find(selector);
        self.element_text(&element)
    }

    /// The text an element shows.
    pub(super) fn element_text(&self, element: &Element) -> String {
        self.command("GET", &format!("/element/{}/text", element.0), None).as_str().unwrap_or_default().to_owned()
    }

    /// The current value of a form control (its `value` property).
    pub(super) fn value(&self, selector: &str) -> String {
        let element = self.find(selector);
        self.command("GET", &format!("/element/{}/property/value", element.0), None)
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    /// An attribute of an element, if it has it.
    pub(super) fn attribute(&self, element: &Element, name: &str) -> Option<String> {
        self.command("GET", &format!("/element/{}/attribute/{name}", element.0), None).as_str().map(str::to_owned)
    }

    /// The text of the whole page (`body`), as shown.
    pub(super) fn page_text(&self) -> String {
        self.text("body")
    }

    /// What the page shows (its `main`, else its body), for failure messages.
    fn shown(&self) -> String {
        let text = self.try_command("POST", "/execute/sync", Some(&json!({ "script": "return (document.querySelector('main') || document.body || document.documentElement).innerText;", "args": [] })));
        text.ok().and_then(|t| t.as_str().map(str::to_owned)).unwrap_or_default()
    }

    /// The address of the current page.
    pub(super) fn url(&self) -> String {
        self.command("GET", "/url", None).as_str().unwrap_or_default().to_owned()
    }

    /// Waits until `check` returns something (it is called every 50 ms), at most `WAIT`;
    /// fails the test with `what` and the page's address when it never does.
    pub(super) fn wait_until<T>(&self, what: &str, mut check: impl FnMut() -> Option<T>) -> T {
        let deadline = Instant::now() + WAIT;
        loop {
            if let Some(found) = check() {
                return found;
            }
            assert!(Instant::now() < deadline, "waited {WAIT:?} for {what} on {}", self.url_or_unknown());
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Waits until an element a CSS selector finds exists.
    pub(super) fn wait_for(&self, selector: &str) -> Element {
        self.wait_until(&format!("`{selector}`"), || self.try_find(selector))
    }

    /// Waits until the text of the element a CSS selector finds contains `expected`.
    pub(super) fn wait_for_text(&self, selector: &str, expected: &str) -> String {
        self.wait_until(&format!("`{selector}` to show “{expected}”"), || {
            let element = self.try_find(selector)?;
            // The element can be replaced between finding and reading: read again then.
            let text = self.try_command("GET", &format!("/element/{}/text", element.0), None).ok()?;
            let text = text.as_str()?.to_owned();
            text.contains(expected).then_some(text)
        })
    }

    /// The handle of the current window (tab).
    pub(super) fn window(&self) -> String {
        self.command("GET", "/window", None).as_str().unwrap_or_default().to_owned()
    }

    /// Opens a new tab, switches to it and returns its handle.
    pub(super) fn new_window(&self) -> String {
        let reply = self.command("POST", "/window/new", Some(&json!({ "type": "tab" })));
        let handle = reply["handle"].as_str().unwrap_or_else(|| panic!("no handle in {reply}")).to_owned();
        self.switch_to_window(&handle);
        handle
    }

    /// Makes the window `handle` the current one.
    pub(super) fn switch_to_window(&self, handle: &str) {
        self.command("POST", "/window", Some(&json!({ "handle": handle })));
    }

    /// Closes the current tab as a user does (the page gets `pagehide`); the session goes on
    /// in the other tabs (switch to one before the next command).
    pub(super) fn close_window(&self) {
        self.command("DELETE", "/window", None);
    }

    /// Saves a screenshot of the viewport as a PNG file at `path` (for a person to look at;
    /// tests assert on measured geometry, never on pixels).
    pub(super) fn screenshot(&self, path: &std::path::Path) {
        // A page still settling can make the capture fail once ("not attached to an active
        // page"): try again a few times before failing the test.
        let mut data = self.try_command("GET", "/screenshot", None);
        for _ in 0..5 {
            if data.is_ok() {
                break;
            }
            std::thread::sleep(Duration::from_millis(300));
            data = self.try_command("GET", "/screenshot", None);
        }
        let data = data.unwrap_or_else(|e| panic!("screenshot of {}: {e}", self.url_or_unknown()));
        let png = base64_decode(data.as_str().unwrap_or_default());
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).unwrap_or_else(|e| panic!("cannot create {}: {e}", dir.display()));
        }
        std::fs::write(path, png).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
    }

    /// The cookies of the current page's site, as `WebDriver` gives them (`name`, `value`, ...).
    pub(super) fn cookies(&self) -> Vec<Value> {
        self.command("GET", "/cookie", None).as_array().cloned().unwrap_or_default()
    }

    /// The value of the cookie `name` of the current page's site.
    pub(super) fn cookie(&self, name: &str) -> Option<String> {
        self.cookies().into_iter().find(|c| c["name"] == name).and_then(|c| c["value"].as_str().map(str::to_owned))
    }

    /// Sets a cookie for the current page's site.
    pub(super) fn add_cookie(&self, name: &str, value: &str) {
        self.command("POST", "/cookie", Some(&json!({ "cookie": { "name": name, "value": value, "path": "/" } })));
    }

    /// Removes the cookie `name` of the current page's site (as when a session ends).
    pub(super) fn delete_cookie(&self, name: &str) {
        self.command("DELETE", &format!("/cookie/{name}"), None);
    }
}

/// Standard base64 (with padding), as `WebDriver` sends screenshots.
fn base64_decode(text: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        _ => 63,
    };
    let digits: Vec<u8> = text.bytes().filter(|c| c.is_ascii_alphanumeric() || *c == b'+' || *c == b'/').collect();
    let mut out = Vec::with_capacity(digits.len() * 3 / 4);
    for chunk in digits.chunks(4) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, c)| n | (u32::from(value(*c)) << (18 - 6 * i)));
        let bytes = n.to_be_bytes();
        out.extend_from_slice(&bytes[1..chunk.len()]);
    }
    out
}

/// The element reference in a reply's value.
fn element_of(value: &Value) -> Option<Element> {
    value.get(ELEMENT_KEY).and_then(Value::as_str).map(|id| Element(id.to_owned()))
}

impl Drop for Browser {
    fn drop(&mut self) {
        // Best effort: a failed test must still close Chromium.
        let _ = request(&self.driver, "DELETE", &format!("/session/{}", self.session), None);
    }
}

/// One `WebDriver` command: an HTTP/1.1 request on a new connection; returns the reply's
/// `value`, or the driver's error (status and message).
fn request(host: &str, method: &str, path: &str, body: Option<&Value>) -> Result<Value, String> {
    let body = body.map(Value::to_string).unwrap_or_default();
    let mut stream = TcpStream::connect(host).map_err(|e| format!("cannot reach chromedriver at {host}: {e}"))?;
    stream.set_read_timeout(Some(Duration::from_secs(120))).map_err(|e| e.to_string())?;
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .map_err(|e| format!("cannot send to chromedriver: {e}"))?;
    let (status, payload) = read_reply(&mut stream).map_err(|e| format!("no reply from chromedriver: {e}"))?;
    let value: Value =
        serde_json::from_slice(&payload).map_err(|e| format!("{e}: {}", String::from_utf8_lossy(&payload)))?;
    if status == 200 { Ok(value["value"].clone()) } else { Err(format!("HTTP {status}: {}", value["value"])) }
}

/// Reads one reply: its status and its body, by `Content-Length` or chunks (chromedriver
/// does not always close the connection after replying, so reading to the end would hang).
fn read_reply(stream: &mut TcpStream) -> std::io::Result<(u16, Vec<u8>)> {
    let mut buffer = Vec::new();
    let mut chunk = [0; 64 * 1024];
    let header_end = loop {
        if let Some(at) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
        }
        let read = read_some(stream, &mut chunk)?;
        if read == 0 {
            return Err(std::io::Error::new(
                std::io::ErrorKind::UnexpectedEof,
                "connection closed before the headers ended",
            ));
        }
        buffer.extend_from_slice(&chunk[..read]);
    };
    let head = String::from_utf8_lossy(&buffer[..header_end]).to_ascii_lowercase();
    let status = head.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    let length =
        head.lines().find_map(|l| l.strip_prefix("content-length:")).and_then(|l| l.trim().parse::<usize>().ok());
    let chunked = head.contains("transfer-encoding: chunked");
    let complete = |buffer: &[u8]| match length {
        Some(length) => buffer.len() >= header_end + length,
        None => chunked && buffer.ends_with(b"0\r\n\r\n"),
    };
    while !complete(&buffer) {
        let read = read_some(stream, &mut chunk)?;
        if read == 0 {
            break;
        }
        buffer.extend_from_slice(&chunk[..read]);
    }
    let body = buffer.split_off(header_end);
    Ok((status, if chunked { dechunk(&body) } else { body }))
}

/// One `read`, again when a signal interrupted it: a test process that runs servers gets
/// signals (a SIGTERM handler, children ending), and an interrupted read is not an error of
/// chromedriver's (CI once failed on `Interrupted system call` here).
fn read_some(stream: &mut TcpStream, chunk: &mut [u8]) -> std::io::Result<usize> {
    loop {
        match stream.read(chunk) {
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            other => return other,
        }
    }
}

fn dechunk(mut chunks: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(line_end) = chunks.windows(2).position(|w| w == b"\r\n") {
        let size = usize::from_str_radix(String::from_utf8_lossy(&chunks[..line_end]).trim(), 16).unwrap_or(0);
        let start = line_end + 2;
        if size == 0 || chunks.len() < start + size {
            break;
        }
        out.extend_from_slice(&chunks[start..start + size]);
        chunks = chunks[start + size..].strip_prefix(b"\r\n").unwrap_or(&chunks[start + size..]);
    }
    out
}
