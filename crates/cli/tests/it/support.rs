//! `qpr serve` for the tests of the binary: started from a data directory on a free loopback
//! port, stopped when dropped, and a minimal HTTP client to read its pages.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A `qpr serve` process, stopped when dropped.
pub(crate) struct Server {
    child: Child,
    /// `127.0.0.1:port`.
    pub address: String,
    /// Its standard error (the log).
    log: tempfile::NamedTempFile,
}

impl Server {
    /// Starts `qpr serve` with `args` (after `serve --listen ADDRESS`) on a free port and waits
    /// until it answers.
    pub(crate) fn start(args: &[&str]) -> Server {
        Server::start_with(args, &[], None)
    }

    /// [`Server::start`] with environment variables, and a limit of open files (`ulimit -n`)
    /// when `open_files` is given.
    pub(crate) fn start_with(args: &[&str], env: &[(&str, &str)], open_files: Option<u32>) -> Server {
        let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let address = format!("127.0.0.1:{port}");
        let log = tempfile::NamedTempFile::new().unwrap();
        let mut command = match open_files {
            Some(limit) => {
                let mut command = Command::new("sh");
                command.args(["-c", r#"ulimit -n "$0" && exec "$@""#, &limit.to_string(), env!("CARGO_BIN_EXE_qpr")]);
                command
            }
            None => Command::new(env!("CARGO_BIN_EXE_qpr")),
        };
        let child = command
            .args(["serve", "--listen", &address])
            .args(args)
            .envs(env.iter().copied())
            .stdout(Stdio::null())
            .stderr(log.reopen().unwrap())
            .spawn()
            .unwrap();
        let mut server = Server { child, address, log };
        let deadline = Instant::now() + Duration::from_secs(60);
        while TcpStream::connect(&server.address).is_err() {
            let exited = server.child.try_wait().unwrap().is_some();
            assert!(!exited && Instant::now() < deadline, "qpr serve did not start: {}", server.log());
            std::thread::sleep(Duration::from_millis(50));
        }
        server
    }

    /// What the server logged so far.
    pub(crate) fn log(&self) -> String {
        std::fs::read_to_string(self.log.path()).unwrap()
    }

    /// Whether the process is still running.
    pub(crate) fn is_running(&mut self) -> bool {
        self.child.try_wait().unwrap().is_none()
    }

    /// GET a path; returns the status code and the body.
    pub(crate) fn get(&self, path: &str) -> (u16, String) {
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
