//! Issue 12, the real binary against an attacker who edits files and the database: edited
//! backups are refused whole, a re-chained audit log fails `qpr audit verify`, the data
//! directory is private to the account, and `qpr verify` prints no terminal control sequence
//! from a signature file. (The rotated-out key's signatures: `verify.rs`.)

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use qpr_signature::{Official, PlatformKey, ReportRef, SignatureMeta, Signer};
use sqlx::Row;

const DEMO: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../demo/qpr-azerbaijan-2022.txt");

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Runs `qpr --data-dir DATA ARGS` in `dir` (so no `./qpr.toml` is read), without settings
/// from the environment.
fn qpr(dir: &Path, data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_qpr"))
        .current_dir(dir)
        .env_remove("QPR_CONFIG")
        .env_remove("QPR_SIGNING_KEY")
        .env_remove("QPR_DATABASE")
        .env_remove("QPR_SMTP_RELAY")
        .args(["--data-dir", data.to_str().unwrap()])
        .args(args)
        .output()
        .unwrap()
}

fn assert_ok(output: &Output) {
    assert!(output.status.success(), "stdout: {}\nstderr: {}", text(&output.stdout), text(&output.stderr));
}

/// Asserts a failure whose stderr says all of `needles`; returns stderr.
fn assert_fails(output: &Output, needles: &[&str]) -> String {
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "stdout: {}\nstderr: {stderr}", text(&output.stdout));
    for needle in needles {
        assert!(stderr.contains(needle), "`{needle}` not in: {stderr}");
    }
    stderr
}

/// A temporary directory with a data dir `data` holding the demo report (imported), a focal
/// point, and so a sealed audit log, a signing key and a mail.
struct Platform {
    dir: tempfile::TempDir,
}

impl Platform {
    fn new() -> Platform {
        let platform = Platform { dir: tempfile::tempdir().unwrap() };
        assert_ok(&platform.qpr(&["import", DEMO]));
        assert_ok(&platform.qpr(&[
            "user",
            "add",
            "--role",
            "focal-point",
            "--party",
            "AZE",
            "--name",
            "Focal",
            "fp@example.org",
        ]));
        platform
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn data(&self) -> PathBuf {
        self.path("data")
    }

    fn qpr(&self, args: &[&str]) -> Output {
        qpr(self.dir.path(), &self.data(), args)
    }

    /// `qpr ARGS` with another data dir (in the same temporary directory).
    fn qpr_in(&self, data: &str, args: &[&str]) -> Output {
        qpr(self.dir.path(), &self.path(data), args)
    }

    fn key_file(&self) -> String {
        self.data().join(qpr_signature::KEY_FILE_NAME).to_str().unwrap().to_owned()
    }

    /// A backup of the platform, as its lines.
    fn backup(&self) -> Vec<String> {
        assert_ok(&self.qpr(&["backup", "backup.jsonl"]));
        std::fs::read_to_string(self.path("backup.jsonl")).unwrap().lines().map(str::to_owned).collect()
    }

    fn write(&self, name: &str, lines: &[String]) -> String {
        std::fs::write(self.path(name), lines.iter().map(|line| format!("{line}\n")).collect::<String>()).unwrap();
        name.to_owned()
    }

    /// Runs SQL on a data dir's database behind the binary's back.
    fn sql<T>(&self, data: &str, work: impl AsyncFnOnce(&sqlx::SqlitePool) -> T) -> T {
        let url = format!("sqlite://{}", self.path(data).join("qpr.sqlite3").display());
        tokio::runtime::Runtime::new().unwrap().block_on(async {
            let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
            let result = work(&pool).await;
            pool.close().await;
            result
        })
    }

    /// Reports, users and audit entries in a data dir's database.
    fn row_counts(&self, data: &str) -> (i64, i64, i64) {
        self.sql(data, async |pool| {
            let row = sqlx::query(
                "SELECT (SELECT COUNT(*) FROM reports) AS r, (SELECT COUNT(*) FROM users) AS u, (SELECT COUNT(*) FROM audit_log) AS a",
            )
            .fetch_one(pool)
            .await
            .unwrap();
            (row.get("r"), row.get("u"), row.get("a"))
        })
    }
}

/// The backup line of a table's row whose JSON contains `needle`.
fn line_of(lines: &[String], table: &str, needle: &str) -> usize {
    lines.iter().position(|line| line.contains(&format!("\"table\":\"{table}\"")) && line.contains(needle)).unwrap()
}

#[test]
fn an_edited_backup_is_refused_whole_and_the_target_stays_empty() {
    let platform = Platform::new();
    let lines = platform.backup();
    assert!(lines.last().unwrap().starts_with("{\"authentication\":"), "{:?}", lines.last());
    let key = platform.key_file();

    // A user made Secretariat in the file: the seal no longer matches.
    let mut edited = lines.clone();
    let user = line_of(&edited, "users", "fp@example.org");
    assert!(edited[user].contains("\"is_secretariat\":0"), "{}", edited[user]);
    edited[user] = edited[user].replace("\"is_secretariat\":0", "\"is_secretariat\":1");
    let file = platform.write("secretariat.jsonl", &edited);
    let output = platform.qpr_in("target", &["--signing-key", &key, "restore", &file]);
    assert_fails(&output, &["changed after it was written", "[backup_not_authentic]"]);
    assert_eq!(platform.row_counts("target"), (0, 0, 0), "nothing was restored");

    // The same edit with an authentication line made again, with a key of the attacker's.
    let other = tempfile::tempdir().unwrap();
    let (other_key, _) = PlatformKey::load_or_generate(&other.path().join("k.pem")).unwrap();
    let resealed = platform.path("resealed.jsonl");
    {
        use std::io::Write;
        let body: String = edited[..edited.len() - 1].iter().map(|line| format!("{line}\n")).collect();
        std::fs::write(&resealed, &body).unwrap();
        let mut file = std::fs::OpenOptions::new().append(true).open(&resealed).unwrap();
        let digest = qpr_signature::sha256_hex(body.as_bytes());
        let seal = other_key.seal("qpr-backup/1", format!("{digest}\n2026-01-01T00:00:00Z").as_bytes());
        let trailer = serde_json::json!({"authentication": {"format": "qpr-backup-seal/1", "sha256": digest,
            "sealed_at": "2026-01-01T00:00:00Z", "key_id": seal.key_id, "algorithm": "Ed25519", "signature": seal.signature}});
        writeln!(file, "{trailer}").unwrap();
    }
    let output = platform.qpr_in("target", &["--signing-key", &key, "restore", resealed.to_str().unwrap()]);
    assert_fails(&output, &["unknown key id", "[backup_not_authentic]"]);
    assert_eq!(platform.row_counts("target"), (0, 0, 0), "nothing was restored");

    // Without the authentication line (an older backup, or one cut short of it).
    let bare = platform.write("bare.jsonl", &lines[..lines.len() - 1]);
    assert_fails(
        &platform.qpr_in("target", &["--signing-key", &key, "restore", &bare]),
        &["--unauthenticated", "[backup_not_authentic]"],
    );
    assert_eq!(platform.row_counts("target"), (0, 0, 0), "nothing was restored");

    // --unauthenticated still checks what the rows vouch for: a revision that no longer
    // matches its SHA-256, an audit entry edited.
    let mut revision_edited = lines[..lines.len() - 1].to_vec();
    let revision = line_of(&revision_edited, "revisions", "Azerbaijan");
    revision_edited[revision] = revision_edited[revision].replacen("Azerbaijan", "Azerbaijan (edited)", 1);
    let file = platform.write("revision.jsonl", &revision_edited);
    let output = platform.qpr_in("target", &["restore", "--unauthenticated", &file]);
    assert_fails(
        &output,
        &["WITHOUT checking", "table revisions, row id 1", "does not match its document", "Nothing was restored"],
    );
    assert_eq!(platform.row_counts("target"), (0, 0, 0), "nothing was restored");

    let mut audit_edited = lines[..lines.len() - 1].to_vec();
    let entry = line_of(&audit_edited, "audit_log", "\"seq\":2,");
    audit_edited[entry] = audit_edited[entry].replacen("\"subject\":\"", "\"subject\":\"not ", 1);
    let file = platform.write("audit.jsonl", &audit_edited);
    let output = platform.qpr_in("target", &["restore", "--unauthenticated", &file]);
    assert_fails(&output, &["table audit_log, row seq 2", "[hash_mismatch]", "Nothing was restored"]);
    assert_eq!(platform.row_counts("target"), (0, 0, 0), "nothing was restored");

    // Without a key to check with, nothing is restored either, and the error says what to pass.
    let output = platform.qpr_in("nokey", &["restore", "backup.jsonl"]);
    assert_fails(&output, &["--signing-key"]);

    // The genuine file restores into the same (still empty) target with the key file given,
    // and its audit log verifies there.
    let output = platform.qpr_in("target", &["--signing-key", &key, "restore", "backup.jsonl"]);
    assert_ok(&output);
    assert!(text(&output.stderr).contains("is authentic"), "{}", text(&output.stderr));
    assert_eq!(platform.row_counts("target"), platform.row_counts("data"));
    assert_ok(&platform.qpr_in("target", &["--signing-key", &key, "audit", "verify"]));

    // An old backup restores with --unauthenticated, saying loudly what is not checked.
    let output = platform.qpr_in("old", &["restore", "--unauthenticated", &bare]);
    assert_ok(&output);
    assert!(
        text(&output.stderr).contains("WARNING: restoring bare.jsonl WITHOUT checking"),
        "{}",
        text(&output.stderr)
    );
}

/// The hash of an audit entry as `qpr-store` computes it (length-prefixed fields).
fn entry_hash(fields: [&str; 7]) -> String {
    let mut text = String::new();
    for field in fields {
        text.push_str(&format!("{}:{field}\n", field.len()));
    }
    qpr_signature::sha256_hex(text.as_bytes())
}

/// Edits the details of audit entry 1 and recomputes every hash after it and the head, as an
/// attacker with write access to the database (but not the key) would.
async fn rechain(pool: &sqlx::SqlitePool) {
    let rows = sqlx::query("SELECT seq, at, actor, action, subject, details FROM audit_log ORDER BY seq")
        .fetch_all(pool)
        .await
        .unwrap();
    let mut previous = String::new();
    for row in rows {
        let seq: i64 = row.get("seq");
        let mut details: String = row.get("details");
        if seq == 1 {
            details = "{\"note\":\"nothing happened here\"}".into();
        }
        let (at, actor, action, subject): (String, String, String, String) =
            (row.get("at"), row.get("actor"), row.get("action"), row.get("subject"));
        let hash = entry_hash([&seq.to_string(), &at, &actor, &action, &subject, &details, &previous]);
        sqlx::query("UPDATE audit_log SET details = $1, prev_hash = $2, hash = $3 WHERE seq = $4")
            .bind(&details)
            .bind(&previous)
            .bind(&hash)
            .bind(seq)
            .execute(pool)
            .await
            .unwrap();
        previous = hash;
    }
    sqlx::query("UPDATE audit_head SET hash = $1").bind(&previous).execute(pool).await.unwrap();
}

#[test]
fn an_audit_log_edited_and_rechained_fails_verification() {
    let platform = Platform::new();
    let output = platform.qpr(&["audit", "verify"]);
    assert_ok(&output);
    assert!(text(&output.stderr).contains("every hash, link and seal checked"), "{}", text(&output.stderr));

    platform.sql("data", rechain);
    let stderr =
        assert_fails(&platform.qpr(&["audit", "verify"]), &["audit entry 1:", "[anchor_mismatch]", "tampered with"]);
    assert!(
        !stderr.contains("[hash_mismatch]") && !stderr.contains("[broken_link]"),
        "the chain itself is whole again: {stderr}"
    );

    // Removing the seals too makes the entries unsealed, which is no way out.
    platform.sql("data", async |pool| {
        sqlx::query("UPDATE audit_log SET seal = NULL, seal_key_id = NULL").execute(pool).await.unwrap();
    });
    assert_fails(&platform.qpr(&["audit", "verify"]), &["[unsealed_entry]"]);
    // Nor can the legacy sealing bless them: the anchor of this node still disagrees.
    assert_ok(&platform.qpr(&["audit", "seal-legacy"]));
    assert_fails(
        &platform.qpr(&["audit", "verify"]),
        &["[anchor_mismatch]", "differs from the entry this node recorded"],
    );
}

#[test]
fn removing_the_newest_audit_entries_with_the_head_fails_verification() {
    let platform = Platform::new();
    assert_ok(&platform.qpr(&["audit", "verify"]));
    let (_, _, entries) = platform.row_counts("data");
    assert!(entries >= 3, "{entries}");
    platform.sql("data", async |pool| {
        let last: i64 = sqlx::query_scalar("SELECT MAX(seq) FROM audit_log").fetch_one(pool).await.unwrap();
        let previous: String = sqlx::query_scalar("SELECT hash FROM audit_log WHERE seq = $1")
            .bind(last - 1)
            .fetch_one(pool)
            .await
            .unwrap();
        sqlx::query("DELETE FROM audit_log WHERE seq = $1").bind(last).execute(pool).await.unwrap();
        sqlx::query("UPDATE audit_head SET seq = $1, hash = $2")
            .bind(last - 1)
            .bind(previous)
            .execute(pool)
            .await
            .unwrap();
    });
    assert_fails(&platform.qpr(&["audit", "verify"]), &["[anchor_mismatch]", "the newest entries were removed"]);
}

#[test]
fn entries_from_before_sealing_are_sealed_once_on_request() {
    let platform = Platform::new();
    // A log written before sealing: no seals, no anchor.
    platform.sql("data", async |pool| {
        sqlx::query("UPDATE audit_log SET seal = NULL, seal_key_id = NULL").execute(pool).await.unwrap();
    });
    assert_fails(&platform.qpr(&["audit", "verify"]), &["[unsealed_entry]", "qpr audit seal-legacy"]);
    assert_ok(&platform.qpr(&["audit", "seal-legacy"]));
    assert_ok(&platform.qpr(&["audit", "verify"]));
    // New entries are sealed as they are written; nothing is left to seal.
    assert_ok(&platform.qpr(&["user", "add", "--role", "contributor", "--party", "AZE", "c@example.org"]));
    assert_ok(&platform.qpr(&["audit", "verify"]));
    let output = platform.qpr(&["audit", "seal-legacy"]);
    assert_ok(&output);
    assert!(text(&output.stderr).contains("sealed 0 audit entries"), "{}", text(&output.stderr));
}

#[cfg(unix)]
fn modes(root: &Path) -> Vec<(PathBuf, u32, bool)> {
    use std::os::unix::fs::PermissionsExt;
    let mut out = Vec::new();
    let mut pending = vec![root.to_path_buf()];
    while let Some(path) = pending.pop() {
        let Ok(metadata) = std::fs::symlink_metadata(&path) else { continue };
        out.push((path.clone(), metadata.permissions().mode() & 0o777, metadata.is_dir()));
        if metadata.is_dir() {
            pending.extend(std::fs::read_dir(&path).unwrap().filter_map(Result::ok).map(|entry| entry.path()));
        }
    }
    out
}

#[cfg(unix)]
#[test]
fn a_new_data_dir_and_everything_qpr_writes_in_it_are_private() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let output = qpr(dir.path(), &data, &["user", "add", "--role", "secretariat", "admin@example.org"]);
    assert_ok(&output);
    {
        // While the server runs: the database with its -wal and -shm, the search index.
        let _server = crate::support::Server::start(&["--data-dir", data.to_str().unwrap()]);
        let found = modes(&data);
        let names: Vec<String> =
            found.iter().map(|(path, _, _)| path.strip_prefix(&data).unwrap().display().to_string()).collect();
        for expected in
            ["qpr.sqlite3", "qpr.sqlite3-wal", "qpr.sqlite3-shm", "signing-key.pem", "mail-outbox", "search"]
        {
            assert!(names.iter().any(|name| name == expected), "{expected} not in {names:?}");
        }
        assert!(names.iter().any(|name| name.starts_with("mail-outbox/") && name.ends_with(".eml")), "{names:?}");
        for (path, mode, is_dir) in &found {
            assert_eq!(*mode, if *is_dir { 0o700 } else { 0o600 }, "{} has mode {mode:o}", path.display());
        }
    }
    assert_ok(&qpr(dir.path(), &data, &["backup", "backup.jsonl"]));
    let backup = std::fs::metadata(dir.path().join("backup.jsonl")).unwrap().permissions().mode() & 0o777;
    assert_eq!(backup, 0o600, "a backup holds password hashes");

    // An existing data dir others can read is left as it is, with a warning.
    std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o755)).unwrap();
    let output = qpr(dir.path(), &data, &["user", "add", "--role", "secretariat", "second@example.org"]);
    assert_ok(&output);
    assert!(text(&output.stderr).contains("has mode 755"), "{}", text(&output.stderr));
    assert_eq!(std::fs::metadata(&data).unwrap().permissions().mode() & 0o777, 0o755);
}

#[test]
fn verify_prints_what_a_signature_file_says_with_control_characters_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let (key, _) = PlatformKey::load_or_generate(&data.join(qpr_signature::KEY_FILE_NAME)).unwrap();
    let document =
        qpr_import::import_published(qpr_domain::Framework::qpr_2020(), &std::fs::read_to_string(DEMO).unwrap())
            .unwrap();
    let meta = SignatureMeta {
        report: ReportRef { party: "AZE".into(), year: 2022, revision: 3 },
        signer: Signer {
            user: "x\u{1b}]0;title\u{7}@example.org".into(),
            official: Official {
                title: String::new(),
                first_name: "Eve".into(),
                last_name: "\u{1b}[2K\rverified OK".into(),
                organization: "Ministry \u{202E}erutluC fo".into(),
                position: "\u{2066}Director\u{2069}\u{9b}".into(),
            },
        },
        signed_at: time::OffsetDateTime::from_unix_timestamp(1_740_821_400).unwrap(),
    };
    let signed = key.sign_report(&serde_json::to_value(&document).unwrap(), meta).unwrap();
    std::fs::write(dir.path().join("signed.json"), &signed.document).unwrap();
    std::fs::write(dir.path().join("signature.json"), &signed.envelope_json).unwrap();
    let is_unsafe =
        |c: char| c.is_control() && c != '\n' || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}');

    let output = qpr(dir.path(), &data, &["verify", "signed.json", "signature.json"]);
    assert_ok(&output);
    let stdout = text(&output.stdout);
    assert!(!output.stdout.contains(&0x1b) && !stdout.chars().any(is_unsafe), "{stdout:?}");
    assert!(stdout.contains("Eve \\u{1b}[2K\\u{d}verified OK") && stdout.contains("\\u{202e}"), "{stdout}");
    assert_eq!(stdout.lines().count(), 1);

    // Failures quote the file too: an unknown format with an escape sequence in it.
    let mut envelope: serde_json::Value = serde_json::from_slice(&signed.envelope_json).unwrap();
    envelope["format"] = "\u{1b}[1A\u{1b}[2Kverified: all good".into();
    std::fs::write(dir.path().join("odd.json"), serde_json::to_vec(&envelope).unwrap()).unwrap();
    let output = qpr(dir.path(), &data, &["verify", "signed.json", "odd.json"]);
    let stderr = assert_fails(&output, &["[unsupported_format]", "\\u{1b}[1A"]);
    assert!(!output.stderr.contains(&0x1b) && !stderr.chars().any(is_unsafe), "{stderr:?}");
}

#[test]
fn after_a_key_rotation_the_audit_log_and_earlier_backups_still_verify() {
    let platform = Platform::new();
    platform.backup();
    assert_ok(&platform.qpr(&["key", "rotate"]));
    assert_ok(&platform.qpr(&["audit", "verify"]));
    assert_ok(&platform.qpr(&["user", "add", "--role", "contributor", "--party", "AZE", "c@example.org"]));
    assert_ok(&platform.qpr(&["audit", "verify"]));
    // The backup sealed with the retired key, checked with the current key file and the
    // retired keys beside it.
    let output = platform.qpr_in("target", &["--signing-key", &platform.key_file(), "restore", "backup.jsonl"]);
    assert_ok(&output);
    assert_ok(&platform.qpr_in("target", &["--signing-key", &platform.key_file(), "audit", "verify"]));
}
