//! Test fixtures: fresh databases on both engines.
//!
//! PostgreSQL: tests use the server named by `QPR_TEST_POSTGRES_URL` (the README's test
//! command starts one), or else start their own throwaway server from the PostgreSQL
//! binaries (`initdb`, `postgres`) in a temporary directory, on a free loopback port, as an
//! unprivileged user when run as root. A watchdog stops that server when the test process
//! ends. If neither is possible the test fails with a message saying what to install; it is
//! never skipped.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

/// The environment variable naming an existing PostgreSQL server for tests
/// (`postgres://user@127.0.0.1:PORT/postgres`).
pub const POSTGRES_URL_VAR: &str = "QPR_TEST_POSTGRES_URL";

/// A database engine the storage tests run on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    /// SQLite in a temporary file.
    Sqlite,
    /// A fresh database on the test PostgreSQL server.
    Postgres,
}

/// A new, empty database of one engine, removed when this is dropped (a SQLite file with its
/// directory, a PostgreSQL database with `DROP DATABASE … WITH (FORCE)`), so that a long test run
/// does not fill the disk.
#[derive(Debug)]
pub struct TestDatabase {
    /// Its URL, for `Store::open`.
    pub url: String,
    _dir: Option<tempfile::TempDir>,
    /// The PostgreSQL database's name.
    postgres: Option<String>,
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        if let Some(name) = &self.postgres {
            // Best effort: a failure leaves a database behind, which the server's data dir
            // (or the next run of `scripts/test`) removes with the server.
            let psql = find_binary("psql");
            let _ = Command::new(psql)
                .args(["-q", "-d", server_url(), "-c", &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status();
        }
    }
}

impl TestDatabase {
    /// A new database on `engine`.
    pub fn new(engine: Engine) -> TestDatabase {
        match engine {
            Engine::Sqlite => {
                let (url, dir) = sqlite_url();
                TestDatabase { url, _dir: Some(dir), postgres: None }
            }
            Engine::Postgres => {
                let url = postgres_url();
                let name = url.rsplit_once('/').map(|(_, name)| name.to_owned());
                TestDatabase { url, _dir: None, postgres: name }
            }
        }
    }
}

/// Runs each named `async fn(Engine)` as two tests, `sqlite::NAME` and `postgres::NAME`
/// (multi-threaded tokio runtime), so that one body checks a contract on both engines.
#[macro_export]
macro_rules! on_both_engines {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 4)] async fn $name() { super::$name($crate::Engine::Sqlite).await })*
        }
        mod postgres {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 4)] async fn $name() { super::$name($crate::Engine::Postgres).await })*
        }
    };
}

/// A fresh SQLite database file in a new temporary directory, dropped with the guard.
pub fn sqlite_url() -> (String, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("cannot create a temporary directory: {e}"));
    let url = format!("sqlite://{}", dir.path().join("test.sqlite3").display());
    (url, dir)
}

/// The URL of a new, empty PostgreSQL database on the test server.
pub fn postgres_url() -> String {
    let server = server_url();
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let name = format!("qpr_test_{}_{}", std::process::id(), COUNTER.fetch_add(1, Ordering::SeqCst));
    psql(server, &format!("CREATE DATABASE {name}"));
    replace_database(server, &name)
}

fn replace_database(url: &str, database: &str) -> String {
    match url.rsplit_once('/') {
        Some((base, _)) => format!("{base}/{database}"),
        None => panic!("{POSTGRES_URL_VAR} must end in /DATABASE: {url}"),
    }
}

/// Runs one SQL statement with `psql`.
fn psql(url: &str, sql: &str) {
    let psql = find_binary("psql");
    let output = Command::new(&psql)
        .args(["-v", "ON_ERROR_STOP=1", "-q", "-d", url, "-c", sql])
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", psql.display()));
    assert!(output.status.success(), "psql `{sql}` failed: {}", String::from_utf8_lossy(&output.stderr));
}

/// The server's URL: from the environment, or a server started for this process.
pub fn server_url() -> &'static str {
    static URL: OnceLock<String> = OnceLock::new();
    URL.get_or_init(|| match std::env::var(POSTGRES_URL_VAR) {
        Ok(url) if !url.is_empty() => url,
        _ => start_server(),
    })
}

/// Finds a PostgreSQL program on PATH or in Debian's versioned directories.
fn find_binary(name: &str) -> PathBuf {
    let on_path = std::env::var_os("PATH")
        .into_iter()
        .flat_map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .map(|dir| dir.join(name));
    let debian = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .map(|entry| entry.path().join("bin").join(name));
    on_path.chain(debian).find(|path| path.is_file()).unwrap_or_else(|| {
        panic!(
            "PostgreSQL program `{name}` not found. Install PostgreSQL (Debian: `apt-get install postgresql`; \
             `scripts/test` does this) or set {POSTGRES_URL_VAR} to a server's URL."
        )
    })
}

/// The user that runs the server: ourselves, or `postgres`/`nobody` when we are root
/// (PostgreSQL refuses to run as root).
fn server_user() -> Option<&'static str> {
    let uid = Command::new("id").arg("-u").output().ok().map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned());
    if uid.as_deref() != Some("0") {
        return None;
    }
    let exists = |user: &str| {
        Command::new("id").arg(user).stdout(Stdio::null()).stderr(Stdio::null()).status().is_ok_and(|s| s.success())
    };
    ["postgres", "nobody"]
        .into_iter()
        .find(|user| exists(user))
        .or_else(|| panic!("running as root and no unprivileged user (postgres, nobody) exists to run PostgreSQL"))
}

fn as_user(user: Option<&str>, program: &Path) -> Command {
    match user {
        Some(user) => {
            let mut command = Command::new("runuser");
            command.args(["-u", user, "--"]).arg(program);
            command
        }
        None => Command::new(program),
    }
}

fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("no free loopback port: {e}"));
    listener.local_addr().map(|a| a.port()).unwrap_or_else(|e| panic!("no port: {e}"))
}

fn start_server() -> String {
    let initdb = find_binary("initdb");
    let postgres = find_binary("postgres");
    let user = server_user();
    // The directory must outlive this function: it is removed by the watchdog with the server.
    let dir = tempfile::Builder::new()
        .prefix("qpr-test-pg-")
        .tempdir()
        .unwrap_or_else(|e| panic!("temporary directory: {e}"))
        .keep();
    let data = dir.join("data");
    if let Some(user) = user {
        let status = Command::new("chown").args(["-R", user]).arg(&dir).status();
        assert!(status.is_ok_and(|s| s.success()), "cannot give {} to {user}", dir.display());
    }
    let output = as_user(user, &initdb)
        .args(["--auth=trust", "--username=qpr", "--no-sync", "--encoding=UTF8", "--locale=C", "-D"])
        .arg(&data)
        .output()
        .unwrap_or_else(|e| panic!("cannot run initdb: {e}"));
    assert!(output.status.success(), "initdb failed: {}", String::from_utf8_lossy(&output.stderr));
    let port = free_port();
    // The watchdog shell starts the server, then stops it (and removes its files) as soon as
    // this test process is gone, so no server outlives the tests.
    let script = format!(
        "{postgres} -D {data} -p {port} -k {dir} -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off >{dir}/log 2>&1 & pg=$!; \
         while [ -d /proc/{parent} ]; do sleep 1; done; kill -INT $pg; wait $pg; rm -rf {dir}",
        postgres = postgres.display(),
        data = data.display(),
        dir = dir.display(),
        parent = std::process::id(),
    );
    #[expect(clippy::zombie_processes, reason = "the watchdog outlives this process on purpose; init reaps it")]
    let _watchdog = as_user(user, Path::new("/bin/sh"))
        .args(["-c", &script])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start postgres: {e}"));
    let url = format!("postgres://qpr@127.0.0.1:{port}/postgres");
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let ready =
            Command::new(find_binary("pg_isready")).args(["-q", "-h", "127.0.0.1", "-p", &port.to_string()]).status();
        if ready.is_ok_and(|s| s.success()) {
            return url;
        }
        assert!(
            Instant::now() < deadline,
            "PostgreSQL did not start within 30 s; its log: {}",
            std::fs::read_to_string(dir.join("log")).unwrap_or_default()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// The names of the `[dependencies]` of a crate (not its dev- or build-dependencies), read
/// from the text of its Cargo.toml: the architecture tests that keep a crate free of HTTP and
/// templates check this list.
pub fn manifest_dependencies(manifest: &str) -> Vec<&str> {
    let section = manifest.split("[dependencies]").nth(1).unwrap_or_default();
    let dependencies = section.split("\n[").next().unwrap_or_default();
    dependencies
        .lines()
        .filter(|line| !line.trim_start().starts_with('#'))
        .filter_map(|line| line.split(['=', '.']).next())
        .map(str::trim)
        .filter(|name| !name.is_empty())
        .collect()
}

/// The message ids a Fluent file defines (`id = …` lines), for the tests that check both
/// languages define the same messages and that the code uses no other.
pub fn fluent_message_ids(ftl: &str) -> std::collections::BTreeSet<&str> {
    ftl.lines()
        .filter(|line| line.starts_with(|c: char| c.is_ascii_lowercase()))
        .filter_map(|line| line.split_once(" =").map(|(id, _)| id.trim()))
        .collect()
}
