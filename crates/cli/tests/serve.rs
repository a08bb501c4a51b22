//! `qpr serve` as a user runs it: a fresh data directory (or an empty PostgreSQL database),
//! no set-up, the demo report loaded on first start, and the same pages from both engines.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A `qpr serve` process, stopped when dropped.
struct Server {
    child: Child,
    address: String,
}

impl Server {
    fn start(args: &[&str]) -> Server {
        let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let address = format!("127.0.0.1:{port}");
        let log = tempfile::NamedTempFile::new().unwrap();
        let child = Command::new(env!("CARGO_BIN_EXE_qpr"))
            .args(["serve", "--listen", &address])
            .args(args)
            .stdout(Stdio::null())
            .stderr(log.reopen().unwrap())
            .spawn()
            .unwrap();
        let mut server = Server { child, address };
        let deadline = Instant::now() + Duration::from_secs(60);
        while TcpStream::connect(&server.address).is_err() {
            let exited = server.child.try_wait().unwrap().is_some();
            assert!(!exited && Instant::now() < deadline, "qpr serve did not start: {}", std::fs::read_to_string(log.path()).unwrap());
            std::thread::sleep(Duration::from_millis(50));
        }
        server
    }

    /// GET a path; returns the status code and the body.
    fn get(&self, path: &str) -> (u16, String) {
        let mut stream = TcpStream::connect(&self.address).unwrap();
        write!(stream, "GET {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n", self.address).unwrap();
        let mut response = Vec::new();
        stream.read_to_end(&mut response).unwrap();
        let response = String::from_utf8(response).unwrap();
        let (head, body) = response.split_once("\r\n\r\n").unwrap();
        let status = head.split_whitespace().nth(1).unwrap().parse().unwrap();
        let chunked = head.to_ascii_lowercase().contains("transfer-encoding: chunked");
        (status, if chunked { dechunk(body) } else { body.to_owned() })
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn dechunk(body: &str) -> String {
    let mut out = String::new();
    let mut rest = body;
    while let Some((size, after)) = rest.split_once("\r\n") {
        let size = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if size == 0 {
            break;
        }
        out.push_str(&after[..size]);
        rest = &after[size + 2..];
    }
    out
}

#[test]
fn a_fresh_data_dir_serves_the_demo_report_and_postgres_serves_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let data_dir = dir.path().join("fresh");
    let sqlite = Server::start(&["--data-dir", data_dir.to_str().unwrap()]);
    let (status, home) = sqlite.get("/");
    assert_eq!(status, 200);
    assert!(home.contains("/reports/AZE/2022"), "the home page links to the demo report");
    let (status, page) = sqlite.get("/reports/AZE/2022");
    assert_eq!(status, 200);
    assert!(page.contains("Azerbaijan 2022"));
    let (status, json) = sqlite.get("/api/v1/reports/AZE/2022");
    assert_eq!(status, 200);
    let document: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(document["policy_measures"].as_array().unwrap().len(), 22);
    assert!(data_dir.join("qpr.sqlite3").exists(), "the database lives in the data dir");
    let (status, keys) = sqlite.get("/.well-known/qpr-signing-keys.json");
    assert_eq!(status, 200);
    let key = qpr_signature::PlatformKey::load(&data_dir.join("signing-key.pem")).expect("the signing key is made in the data dir");
    assert_eq!(qpr_signature::PublicKeySet::parse(keys.as_bytes(), "served").unwrap(), key.public_key_set());

    let other_dir = dir.path().join("other");
    let postgres = Server::start(&["--data-dir", other_dir.to_str().unwrap(), "--database", &qpr_test_support::postgres_url()]);
    for path in ["/api/v1/reports/AZE/2022", "/reports/AZE/2022", "/reports/AZE/2022?lang=fr"] {
        assert_eq!(postgres.get(path), sqlite.get(path), "{path} differs between SQLite and PostgreSQL");
    }
}
