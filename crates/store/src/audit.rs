//! The audit log: append-only, each entry chained to the previous one by SHA-256.
//!
//! An entry's hash covers its sequence number, time, actor, action, subject, details and
//! the previous entry's hash, so editing an entry breaks its hash, removing one breaks the
//! sequence and the next entry's link, and removing the last ones disagrees with the head
//! row. Appends take the head row first, which serializes them in commit order.

use sqlx::{Any, Row, Transaction};

use crate::{Store, StoreError, int, now, sha256_hex};

/// One entry of the audit log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    /// Position in the log, from 1, without gaps.
    pub seq: i64,
    /// When (RFC 3339, UTC).
    pub at: String,
    /// Who: a user's e-mail, `import`, `system`.
    pub actor: String,
    /// What: `report.published`, `user.created`, …
    pub action: String,
    /// On what: `report:12`, `user:3`.
    pub subject: String,
    /// Details as JSON text.
    pub details: String,
    /// Hash of the previous entry (empty for the first).
    pub prev_hash: String,
    /// Hash of this entry.
    pub hash: String,
}

/// A break in the chain found by [`Store::verify_audit`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditProblem {
    /// Sequence number where the chain breaks.
    pub seq: i64,
    /// What is wrong there.
    pub message: String,
}

fn entry_hash(seq: i64, at: &str, actor: &str, action: &str, subject: &str, details: &str, prev_hash: &str) -> String {
    // Fields are length-prefixed so that no two different entries hash the same text.
    let mut text = String::new();
    for field in [&seq.to_string(), at, actor, action, subject, details, prev_hash] {
        text.push_str(&field.len().to_string());
        text.push(':');
        text.push_str(field);
        text.push('\n');
    }
    sha256_hex(text.as_bytes())
}

/// Appends an entry inside the caller's transaction.
pub(crate) async fn append(
    tx: &mut Transaction<'_, Any>,
    actor: &str,
    action: &str,
    subject: &str,
    details: &serde_json::Value,
) -> Result<i64, StoreError> {
    let head = sqlx::query("UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash").fetch_one(&mut **tx).await?;
    let seq = int(&head, "seq")?;
    let prev_hash: String = head.try_get("hash")?;
    let at = now();
    let details = details.to_string();
    let hash = entry_hash(seq, &at, actor, action, subject, &details, &prev_hash);
    sqlx::query(
        "INSERT INTO audit_log (seq, at, actor, action, subject, details, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(seq)
    .bind(at)
    .bind(actor.to_owned())
    .bind(action.to_owned())
    .bind(subject.to_owned())
    .bind(details)
    .bind(prev_hash)
    .bind(hash.clone())
    .execute(&mut **tx)
    .await?;
    sqlx::query("UPDATE audit_head SET hash = $1 WHERE id = 1").bind(hash).execute(&mut **tx).await?;
    Ok(seq)
}

impl Store {
    /// Records an action in the audit log.
    pub async fn audit(&self, actor: &str, action: &str, subject: &str, details: &serde_json::Value) -> Result<i64, StoreError> {
        let mut tx = self.writer.begin().await?;
        let seq = append(&mut tx, actor, action, subject, details).await?;
        tx.commit().await?;
        Ok(seq)
    }

    /// The audit log, oldest first.
    pub async fn audit_entries(&self) -> Result<Vec<AuditEntry>, StoreError> {
        let rows = sqlx::query("SELECT seq, at, actor, action, subject, details, prev_hash, hash FROM audit_log ORDER BY seq")
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|row| {
                Ok(AuditEntry {
                    seq: int(row, "seq")?,
                    at: row.try_get("at")?,
                    actor: row.try_get("actor")?,
                    action: row.try_get("action")?,
                    subject: row.try_get("subject")?,
                    details: row.try_get("details")?,
                    prev_hash: row.try_get("prev_hash")?,
                    hash: row.try_get("hash")?,
                })
            })
            .collect()
    }

    /// Checks the whole chain; an empty list means it is intact. Also returns the number of
    /// entries checked.
    pub async fn verify_audit(&self) -> Result<(usize, Vec<AuditProblem>), StoreError> {
        let entries = self.audit_entries().await?;
        let head = sqlx::query("SELECT seq, hash FROM audit_head WHERE id = 1").fetch_one(&self.pool).await?;
        let (head_seq, head_hash) = (int(&head, "seq")?, head.try_get::<String, _>("hash")?);
        let mut problems = Vec::new();
        let mut expected_seq = 1;
        let mut previous_hash = String::new();
        for entry in &entries {
            if entry.seq != expected_seq {
                problems
                    .push(AuditProblem { seq: expected_seq, message: format!("entries {expected_seq} to {} are missing", entry.seq - 1) });
            }
            if entry.prev_hash != previous_hash {
                problems.push(AuditProblem {
                    seq: entry.seq,
                    message: "does not link to the entry before it (an entry before it was removed or changed)".into(),
                });
            }
            let hash = entry_hash(entry.seq, &entry.at, &entry.actor, &entry.action, &entry.subject, &entry.details, &entry.prev_hash);
            if hash != entry.hash {
                problems.push(AuditProblem { seq: entry.seq, message: "its content does not match its hash (it was edited)".into() });
            }
            expected_seq = entry.seq + 1;
            previous_hash = entry.hash.clone();
        }
        if head_seq != expected_seq - 1 || head_hash != previous_hash {
            problems.push(AuditProblem {
                seq: head_seq,
                message: format!("the log ends at entry {} but {head_seq} were written (the last entries were removed)", expected_seq - 1),
            });
        }
        Ok((entries.len(), problems))
    }
}
