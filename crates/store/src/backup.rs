//! Backups in one portable format for both engines: JSON lines, one row per line, read in
//! one consistent snapshot, restored in one transaction into an empty database (of either
//! engine: a backup of SQLite restores into PostgreSQL and back).
//!
//! ```text
//! {"format":"qpr-backup/1","created_at":"…","engine":"sqlite"}
//! {"table":"reports","row":{"id":1,…}}
//! …
//! {"end":true,"rows":1234}
//! ```
//! The end line lets a restore refuse a cut-off file. A restore also checks what the rows
//! can vouch for themselves, before anything is committed: every revision's SHA-256 against
//! its JSON (which must be a report document), and the audit log's hash chain and head. That
//! the file is the one `qpr backup` wrote (no row edited, added or removed) is the business of
//! the trailer line the command adds after the end line and checks before it restores.

use std::collections::BTreeMap;
use std::io::{BufRead, Write};

use base64::Engine as _;
use futures_util::TryStreamExt;
use serde_json::{Map, Value, json};
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::audit::{AuditAnchor, ChainLink, chain_problems};
use crate::{Backend, Store, StoreError, now, sha256_hex};

const FORMAT: &str = "qpr-backup/1";

#[derive(Clone, Copy)]
enum Kind {
    Int,
    Text,
    Blob,
}

use Kind::{Blob, Int, Text};

/// Every table, in an order that respects foreign keys, with its columns.
const TABLES: &[(&str, &[(&str, Kind)])] = &[
    (
        "parties",
        &[
            ("iso3", Text),
            ("name_en", Text),
            ("name_fr", Text),
            ("region", Text),
            ("deposit_date", Text),
            ("instrument", Text),
        ],
    ),
    (
        "cycles",
        &[("id", Int), ("year", Int), ("framework", Text), ("deadline", Text), ("state", Text), ("created_at", Text)],
    ),
    (
        "reports",
        &[
            ("id", Int),
            ("party_iso3", Text),
            ("party_name", Text),
            ("year", Int),
            ("framework", Text),
            ("cycle_id", Int),
            ("state", Text),
            ("current_revision", Int),
            ("submitted_revision", Int),
            ("published_revision", Int),
            ("published_at", Text),
            ("created_at", Text),
            ("updated_at", Text),
            ("submitted_on", Text),
            ("imported_at", Text),
        ],
    ),
    (
        "revisions",
        &[
            ("id", Int),
            ("report_id", Int),
            ("parent_id", Int),
            ("base_id", Int),
            ("author", Text),
            ("created_at", Text),
            ("sha256", Text),
            ("document", Text),
        ],
    ),
    (
        "users",
        &[
            ("id", Int),
            ("email", Text),
            ("display_name", Text),
            ("password_hash", Text),
            ("is_secretariat", Int),
            ("disabled", Int),
            ("created_at", Text),
        ],
    ),
    ("memberships", &[("user_id", Int), ("party_iso3", Text), ("role", Text), ("sections", Text)]),
    ("revision_completeness", &[("revision_id", Int), ("percent", Int)]),
    ("report_reviewers", &[("report_id", Int), ("user_id", Int), ("assigned_at", Text)]),
    (
        "board_messages",
        &[
            ("token", Text),
            ("cycle_id", Int),
            ("subject", Text),
            ("body", Text),
            ("sent_by", Int),
            ("sent_at", Text),
            ("recipients", Int),
        ],
    ),
    (
        "summary_translations",
        &[
            ("report_id", Int),
            ("lang", Text),
            ("body", Text),
            ("revision_id", Int),
            ("attached_by", Int),
            ("attached_at", Text),
        ],
    ),
    (
        "cso_invitations",
        &[
            ("id", Int),
            ("report_id", Int),
            ("email", Text),
            ("organization", Text),
            ("token_sha256", Text),
            ("created_by", Int),
            ("created_at", Text),
            ("expires_at", Text),
            ("submitted_at", Text),
            ("submission", Text),
            ("decisions", Text),
        ],
    ),
    (
        "comments",
        &[
            ("id", Int),
            ("report_id", Int),
            ("revision_id", Int),
            ("field_path", Text),
            ("parent_id", Int),
            ("author_id", Int),
            ("body", Text),
            ("created_at", Text),
            ("resolved_at", Text),
            ("resolved_by", Int),
        ],
    ),
    (
        "reminders",
        &[("report_id", Int), ("deadline", Text), ("threshold_days", Int), ("sent_at", Text), ("recipients", Int)],
    ),
    ("sessions", &[("id_sha256", Text), ("user_id", Int), ("data", Text), ("expires_at", Text)]),
    ("login_failures", &[("key", Text), ("failures", Int), ("since", Text)]),
    ("import_dates_unread", &[("report_id", Int)]),
    ("signatures", &[("revision_id", Int), ("report_id", Int), ("envelope", Text), ("signed_at", Text)]),
    (
        "user_tokens",
        &[
            ("token_sha256", Text),
            ("user_id", Int),
            ("purpose", Text),
            ("label", Text),
            ("created_at", Text),
            ("expires_at", Text),
            ("used_at", Text),
        ],
    ),
    ("blobs", &[("sha256", Text), ("size", Int), ("content_type", Text), ("bytes", Blob)]),
    (
        "annexes",
        &[
            ("id", Int),
            ("report_id", Int),
            ("blob_sha256", Text),
            ("title", Text),
            ("description", Text),
            ("added_by", Text),
            ("added_at", Text),
        ],
    ),
    (
        "audit_log",
        &[
            ("seq", Int),
            ("at", Text),
            ("actor", Text),
            ("action", Text),
            ("subject", Text),
            ("details", Text),
            ("prev_hash", Text),
            ("hash", Text),
            ("seal_key_id", Text),
            ("seal", Text),
        ],
    ),
    ("audit_head", &[("id", Int), ("seq", Int), ("hash", Text)]),
    ("outbox", &[("seq", Int), ("topic", Text), ("report_id", Int), ("revision_id", Int), ("created_at", Text)]),
    ("outbox_head", &[("id", Int), ("seq", Int)]),
];

/// Tables whose ids come from an identity sequence on PostgreSQL.
const IDENTITY_TABLES: &[&str] = &["cycles", "reports", "revisions", "users", "cso_invitations", "comments", "annexes"];

/// Rows written or restored, by table.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BackupSummary {
    /// Rows per table.
    pub rows: BTreeMap<String, u64>,
}

impl BackupSummary {
    /// All rows.
    pub fn total(&self) -> u64 {
        self.rows.values().sum()
    }
}

fn cell(row: &AnyRow, column: &str, kind: Kind) -> Result<Value, sqlx::Error> {
    Ok(match kind {
        Int => row.try_get::<Option<i64>, _>(column)?.map_or(Value::Null, Value::from),
        Text => row.try_get::<Option<String>, _>(column)?.map_or(Value::Null, Value::from),
        Blob => row
            .try_get::<Option<Vec<u8>>, _>(column)?
            .map_or(Value::Null, |b| Value::from(base64::engine::general_purpose::STANDARD.encode(b))),
    })
}

fn io_error(error: &std::io::Error) -> StoreError {
    StoreError::Backup(format!("cannot write: {error}"))
}

impl Store {
    /// Writes every row of every table to `out`, read in one consistent snapshot while the
    /// database stays online.
    pub async fn backup(&self, out: &mut impl Write) -> Result<BackupSummary, StoreError> {
        let mut tx = self.pool.begin().await?;
        if self.backend == Backend::Postgres {
            sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY").execute(&mut *tx).await?;
        }
        let engine = match self.backend {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        };
        writeln!(out, "{}", json!({"format": FORMAT, "created_at": now(), "engine": engine}))
            .map_err(|e| io_error(&e))?;
        let mut summary = BackupSummary::default();
        for (table, columns) in TABLES {
            let names: Vec<&str> = columns.iter().map(|(name, _)| *name).collect();
            let sql = format!("SELECT {} FROM {table} ORDER BY {}", names.join(", "), names[0]);
            let mut rows = sqlx::query(sqlx::AssertSqlSafe(sql)).fetch(&mut *tx);
            let mut count = 0;
            while let Some(row) = rows.try_next().await? {
                let mut object = Map::new();
                for (name, kind) in *columns {
                    object.insert((*name).to_owned(), cell(&row, name, *kind)?);
                }
                writeln!(out, "{}", json!({"table": table, "row": object})).map_err(|e| io_error(&e))?;
                count += 1;
            }
            summary.rows.insert((*table).to_owned(), count);
        }
        tx.commit().await?;
        writeln!(out, "{}", json!({"end": true, "rows": summary.total()})).map_err(|e| io_error(&e))?;
        out.flush().map_err(|e| io_error(&e))?;
        Ok(summary)
    }

    /// Restores a backup into this database, which must hold no reports, users or audit
    /// entries. All or nothing: a bad line anywhere leaves the database as it was.
    pub async fn restore(&self, input: impl BufRead) -> Result<BackupSummary, StoreError> {
        let mut tx = self.writer.begin().await?;
        let occupied: i64 = sqlx::query_scalar(
            "SELECT (SELECT COUNT(*) FROM reports) + (SELECT COUNT(*) FROM users) + (SELECT COUNT(*) FROM audit_log)",
        )
        .fetch_one(&mut *tx)
        .await?;
        if occupied != 0 {
            return Err(StoreError::Backup(
                "the target database is not empty; restore only into a new data directory or database".into(),
            ));
        }
        for table in ["parties", "audit_head", "outbox_head"] {
            sqlx::query(sqlx::AssertSqlSafe(format!("DELETE FROM {table}"))).execute(&mut *tx).await?;
        }
        let mut summary = BackupSummary { rows: TABLES.iter().map(|(name, _)| ((*name).to_owned(), 0)).collect() };
        let mut ended = false;
        let mut audit = AuditCheck::default();
        for (index, line) in input.lines().enumerate() {
            let number = index + 1;
            let line = line.map_err(|e| StoreError::Backup(format!("line {number}: cannot read: {e}")))?;
            let value: Value =
                serde_json::from_str(&line).map_err(|e| StoreError::Backup(format!("line {number}: not JSON: {e}")))?;
            if number == 1 {
                if value.get("format").and_then(Value::as_str) != Some(FORMAT) {
                    return Err(StoreError::Backup(format!("line 1: not a {FORMAT} file")));
                }
                continue;
            }
            if ended {
                return Err(StoreError::Backup(format!("line {number}: data after the end line")));
            }
            if value.get("end").is_some() {
                let expected = value.get("rows").and_then(Value::as_u64);
                if expected != Some(summary.total()) {
                    return Err(StoreError::Backup(format!(
                        "the end line counts {expected:?} rows but {} were read",
                        summary.total()
                    )));
                }
                ended = true;
                continue;
            }
            let table = value
                .get("table")
                .and_then(Value::as_str)
                .ok_or_else(|| StoreError::Backup(format!("line {number}: no table name")))?;
            let Some((table, columns)) = TABLES.iter().find(|(name, _)| *name == table) else {
                return Err(StoreError::Backup(format!("line {number}: unknown table `{table}`")));
            };
            let row = value
                .get("row")
                .and_then(Value::as_object)
                .ok_or_else(|| StoreError::Backup(format!("line {number}: no row")))?;
            match *table {
                "revisions" => check_revision(row, number)?,
                "audit_log" => audit.entry(row, number)?,
                "audit_head" => audit.head(row, number)?,
                _ => {}
            }
            let placeholders: Vec<String> = (1..=columns.len()).map(|i| format!("${i}")).collect();
            let names: Vec<&str> = columns.iter().map(|(name, _)| *name).collect();
            let sql = format!("INSERT INTO {table} ({}) VALUES ({})", names.join(", "), placeholders.join(", "));
            let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
            for (name, kind) in *columns {
                // A column missing from the row is NULL (a NOT NULL column then refuses the row).
                let cell = row.get(*name).unwrap_or(&Value::Null);
                let bad = || StoreError::Backup(format!("line {number}: `{table}.{name}` has the wrong type"));
                query = match (kind, cell) {
                    (Int, Value::Null) => query.bind(None::<i64>),
                    (Text, Value::Null) => query.bind(None::<String>),
                    (Blob, Value::Null) => query.bind(None::<Vec<u8>>),
                    (Int, Value::Number(n)) => query.bind(n.as_i64().ok_or_else(bad)?),
                    (Text, Value::String(s)) => query.bind(s.clone()),
                    (Blob, Value::String(s)) => {
                        query.bind(base64::engine::general_purpose::STANDARD.decode(s).map_err(|_| bad())?)
                    }
                    _ => return Err(bad()),
                };
            }
            query.execute(&mut *tx).await.map_err(|e| StoreError::Backup(format!("line {number}: {e}")))?;
            *summary.rows.entry((*table).to_owned()).or_default() += 1;
        }
        if !ended {
            return Err(StoreError::Backup("the file is cut off (no end line); nothing was restored".into()));
        }
        audit.finish()?;
        if self.backend == Backend::Postgres {
            for table in IDENTITY_TABLES {
                let sql = format!(
                    "SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
                );
                sqlx::query(sqlx::AssertSqlSafe(sql)).execute(&mut *tx).await?;
            }
        }
        tx.commit().await?;
        Ok(summary)
    }
}

/// A text cell of a backup row (empty when missing or not text: the row's insert reports that).
fn text<'a>(row: &'a Map<String, Value>, column: &str) -> &'a str {
    row.get(column).and_then(Value::as_str).unwrap_or_default()
}

/// A revision row's document must be a report document whose SHA-256 is the stored one: a
/// revision edited in the file would be served (and indexed) as if it were the one saved.
fn check_revision(row: &Map<String, Value>, line: usize) -> Result<(), StoreError> {
    let id = row.get("id").map_or_else(|| "?".to_owned(), ToString::to_string);
    let document = text(row, "document");
    let actual = sha256_hex(document.as_bytes());
    let stored = text(row, "sha256");
    if actual != stored {
        return Err(StoreError::Backup(format!(
            "table revisions, row id {id} (line {line}): the stored SHA-256 {stored} does not match its document (whose SHA-256 is \
             {actual}); the file was edited. Nothing was restored"
        )));
    }
    if let Err(error) = qpr_domain::ReportDocument::from_json(document) {
        return Err(StoreError::Backup(format!(
            "table revisions, row id {id} (line {line}): its document is not a report document ({error}). Nothing was restored"
        )));
    }
    Ok(())
}

/// The audit log of a backup, checked as a chain while it is read (the backup writes it in
/// order), then against its head row.
#[derive(Default)]
struct AuditCheck {
    entries: Vec<OwnedLink>,
    head: Option<(AuditAnchor, usize)>,
}

/// An audit entry of the file, as the chain check reads it, with its line.
struct OwnedLink {
    line: usize,
    seq: i64,
    fields: [String; 7],
}

impl AuditCheck {
    fn entry(&mut self, row: &Map<String, Value>, line: usize) -> Result<(), StoreError> {
        let seq = row
            .get("seq")
            .and_then(Value::as_i64)
            .ok_or_else(|| StoreError::Backup(format!("line {line}: `audit_log.seq` is not a number")))?;
        let fields = ["at", "actor", "action", "subject", "details", "prev_hash", "hash"]
            .map(|column| text(row, column).to_owned());
        self.entries.push(OwnedLink { line, seq, fields });
        Ok(())
    }

    fn head(&mut self, row: &Map<String, Value>, line: usize) -> Result<(), StoreError> {
        let seq = row
            .get("seq")
            .and_then(Value::as_i64)
            .ok_or_else(|| StoreError::Backup(format!("line {line}: `audit_head.seq` is not a number")))?;
        self.head = Some((AuditAnchor { seq, hash: text(row, "hash").to_owned() }, line));
        Ok(())
    }

    fn finish(&self) -> Result<(), StoreError> {
        let Some((head, head_line)) = &self.head else {
            return Err(StoreError::Backup(
                "table audit_head: the file has no head row of the audit log. Nothing was restored".into(),
            ));
        };
        let links = self.entries.iter().map(|entry| {
            let [at, actor, action, subject, details, prev_hash, hash] = &entry.fields;
            ChainLink { seq: entry.seq, at, actor, action, subject, details, prev_hash, hash }
        });
        let problems = chain_problems(links, head);
        let Some(problem) = problems.first() else {
            return Ok(());
        };
        let line = self.entries.iter().find(|entry| entry.seq == problem.seq).map_or(*head_line, |entry| entry.line);
        let table = if problem.code == "tail_removed" { "audit_head" } else { "audit_log" };
        Err(StoreError::Backup(format!(
            "table {table}, row seq {} (line {line}): {} [{}]{}; the file was edited. Nothing was restored",
            problem.seq,
            problem.message,
            problem.code,
            if problems.len() > 1 { format!(" (and {} more problem(s))", problems.len() - 1) } else { String::new() }
        )))
    }
}
