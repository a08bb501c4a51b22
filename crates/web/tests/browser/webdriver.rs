//! A small W3C `WebDriver` client over plain HTTP/1.1 on loopback: the handful of commands the
//! browser tests need (new session, navigate, run script, keys, find and click, end session).
//!
//! Why not thirtyfour: its tree brings reqwest and an HTTP client stack we do not otherwise
//! build, and it turns on `serde_json`'s `preserve_order` feature, which Cargo would then turn on
//! for every crate of the workspace in test builds (changing the key order of every JSON map).

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

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
pub struct Browser {
    driver: String,
    session: String,
    _profile: tempfile::TempDir,
}

impl Browser {
    /// Starts Chromium through the chromedriver at `QPR_CHROMEDRIVER_URL`.
    pub fn start() -> Browser {
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
        let mut options = json!({ "args": args });
        if let Ok(binary) = std::env::var("QPR_CHROMIUM") {
            options["binary"] = json!(binary);
        }
        let capabilities = json!({ "capabilities": { "alwaysMatch": { "browserName": "chrome", "goog:chromeOptions": options } } });
        let reply = request(&driver, "POST", "/session", Some(&capabilities));
        let session = reply["sessionId"].as_str().unwrap_or_else(|| panic!("no session id in {reply}")).to_owned();
        Browser { driver, session, _profile: profile }
    }

    fn command(&self, method: &str, path: &str, body: Option<&Value>) -> Value {
        request(&self.driver, method, &format!("/session/{}{path}", self.session), body)
    }

    /// Opens a page and waits for it to load.
    pub fn goto(&self, url: &str) {
        self.command("POST", "/url", Some(&json!({ "url": url })));
    }

    /// Runs a script (a function body) and returns its result.
    pub fn execute(&self, script: &str) -> Value {
        self.command("POST", "/execute/sync", Some(&json!({ "script": script, "args": [] })))
    }

    /// Runs a script that calls `arguments[arguments.length - 1]` with its result.
    pub fn execute_async(&self, script: &str) -> Value {
        self.command("POST", "/execute/async", Some(&json!({ "script": script, "args": [] })))
    }

    /// Presses and releases a key (a `WebDriver` key code such as `\u{E004}` for Tab).
    pub fn press(&self, key: &str) {
        let actions = json!({ "actions": [{ "type": "key", "id": "keyboard", "actions": [
            { "type": "keyDown", "value": key }, { "type": "keyUp", "value": key }
        ] }] });
        self.command("POST", "/actions", Some(&actions));
    }

    /// Clicks the first element a CSS selector finds.
    pub fn click(&self, selector: &str) {
        let found = self.command("POST", "/element", Some(&json!({ "using": "css selector", "value": selector })));
        let element =
            found.as_object().and_then(|o| o.values().next()).and_then(Value::as_str).unwrap_or_else(|| panic!("{selector}: {found}"));
        self.command("POST", &format!("/element/{element}/click"), Some(&json!({})));
    }

    /// The address of the current page.
    pub fn url(&self) -> String {
        self.command("GET", "/url", None).as_str().unwrap_or_default().to_owned()
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        // Best effort: a failed test must still close Chromium.
        let _ = std::panic::catch_unwind(|| request(&self.driver, "DELETE", &format!("/session/{}", self.session), None));
    }
}

/// One `WebDriver` command: an HTTP/1.1 request on a new connection; returns the reply's
/// `value`, or panics with the driver's error.
fn request(host: &str, method: &str, path: &str, body: Option<&Value>) -> Value {
    let body = body.map(Value::to_string).unwrap_or_default();
    let mut stream = TcpStream::connect(host).unwrap_or_else(|e| panic!("cannot reach chromedriver at {host}: {e}"));
    stream.set_read_timeout(Some(Duration::from_secs(120))).unwrap();
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let (status, payload) = read_reply(&mut stream).unwrap_or_else(|e| panic!("{method} {path}: no reply from chromedriver: {e}"));
    let value: Value =
        serde_json::from_slice(&payload).unwrap_or_else(|e| panic!("{method} {path}: {e}: {}", String::from_utf8_lossy(&payload)));
    assert_eq!(status, 200, "{method} {path} failed: {}", value["value"]);
    value["value"].clone()
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
        let read = stream.read(&mut chunk)?;
        if read == 0 {
            return Err(std::io::Error::new(std::io::ErrorKind::UnexpectedEof, "connection closed before the headers ended"));
        }
        buffer.extend_from_slice(&chunk[..read]);
    };
    let head = String::from_utf8_lossy(&buffer[..header_end]).to_ascii_lowercase();
    let status = head.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    let length = head.lines().find_map(|l| l.strip_prefix("content-length:")).and_then(|l| l.trim().parse::<usize>().ok());
    let chunked = head.contains("transfer-encoding: chunked");
    let complete = |buffer: &[u8]| match length {
        Some(length) => buffer.len() >= header_end + length,
        None => chunked && buffer.ends_with(b"0\r\n\r\n"),
    };
    while !complete(&buffer) {
        let read = stream.read(&mut chunk)?;
        if read == 0 {
            break;
        }
        buffer.extend_from_slice(&chunk[..read]);
    }
    let body = buffer.split_off(header_end);
    Ok((status, if chunked { dechunk(&body) } else { body }))
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
