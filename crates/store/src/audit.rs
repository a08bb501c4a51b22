//! The audit log: append-only, each entry chained to the previous one by SHA-256.
//!
//! An entry's hash covers its sequence number, time, actor, action, subject, details and
//! the previous entry's hash, so editing an entry breaks its hash, removing one breaks the
//! sequence and the next entry's link, and removing the last ones disagrees with the head
//! row. Appends take the head row first, which serializes them in commit order.
//!
//! The chain alone is no proof against someone who can write to the database: they can edit
//! an entry and recompute every hash after it. So each entry is also *sealed*: when the
//! store has the platform key ([`Store::with_audit_key`]), it signs `<seq>\n<hash>` (purpose
//! [`AUDIT_SEAL_PURPOSE`]) and stores the seal beside the entry. The key lives outside the
//! database, every server of a deployment holds the same one (it signs reports too), and the
//! published keys check the seals ([`Store::verify_audit_sealed`]), so an entry rewritten
//! without the key fails on every node, whichever node wrote it. Removing the newest entries
//! together with the head row (a rollback) leaves valid seals; a node's [`AuditAnchor`], kept
//! outside the database, catches that back to the newest entry it has seen.

use qpr_signature::{PlatformKey, PublicKeySet, Seal};
use sqlx::{Any, Row, Transaction};

use crate::{Store, StoreError, Timestamp, int, now, sha256_hex, timestamp};

/// The purpose of an audit entry's seal (see [`qpr_signature::Seal`]).
pub const AUDIT_SEAL_PURPOSE: &str = "qpr-audit/1";

/// The message an entry's seal signs: its sequence number and hash (which covers the rest).
fn seal_message(seq: i64, hash: &str) -> String {
    format!("{seq}\n{hash}")
}

/// The head of the audit log as a node last saw it (sequence number and hash), to be kept
/// outside the database and compared by [`Store::verify_audit_sealed`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditAnchor {
    /// The newest entry's sequence number (0 for an empty log).
    pub seq: i64,
    /// Its hash (empty for an empty log).
    pub hash: String,
}

/// One entry of the audit log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    /// Position in the log, from 1, without gaps.
    pub seq: i64,
    /// When.
    pub at: Timestamp,
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
    /// The id of the key that sealed it, and the seal (standard base64 of an Ed25519
    /// signature); none for an entry written without the key.
    pub seal: Option<Seal>,
}

/// A break in the chain found by [`Store::verify_audit`] or [`Store::verify_audit_sealed`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditProblem {
    /// Sequence number where the chain breaks.
    pub seq: i64,
    /// A stable code: `entries_missing`, `broken_link`, `hash_mismatch`, `tail_removed`,
    /// `unsealed_entry`, `anchor_mismatch`.
    pub code: &'static str,
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

/// Appends an entry inside the caller's transaction, sealed with `key` when given.
pub(crate) async fn append(
    key: Option<&PlatformKey>,
    tx: &mut Transaction<'_, Any>,
    actor: &str,
    action: &str,
    subject: &str,
    details: &serde_json::Value,
) -> Result<i64, StoreError> {
    let head = sqlx::query("UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash")
        .fetch_one(&mut **tx)
        .await?;
    let seq = int(&head, "seq")?;
    let prev_hash: String = head.try_get("hash")?;
    let at = now();
    let details = details.to_string();
    let hash = entry_hash(seq, at.as_str(), actor, action, subject, &details, &prev_hash);
    let seal = key.map(|key| key.seal(AUDIT_SEAL_PURPOSE, seal_message(seq, &hash).as_bytes()));
    sqlx::query(
        "INSERT INTO audit_log (seq, at, actor, action, subject, details, prev_hash, hash, seal_key_id, seal)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(seq)
    .bind(at)
    .bind(actor.to_owned())
    .bind(action.to_owned())
    .bind(subject.to_owned())
    .bind(details)
    .bind(prev_hash)
    .bind(hash.clone())
    .bind(seal.as_ref().map(|seal| seal.key_id.clone()))
    .bind(seal.map(|seal| seal.signature))
    .execute(&mut **tx)
    .await?;
    sqlx::query("UPDATE audit_head SET hash = $1 WHERE id = 1").bind(hash).execute(&mut **tx).await?;
    Ok(seq)
}

impl Store {
    /// Records an action in the audit log.
    pub async fn audit(
        &self,
        actor: &str,
        action: &str,
        subject: &str,
        details: &serde_json::Value,
    ) -> Result<i64, StoreError> {
        let mut tx = self.writer.begin().await?;
        let seq = append(self.audit_key(), &mut tx, actor, action, subject, details).await?;
        tx.commit().await?;
        Ok(seq)
    }

    /// The audit log, oldest first.
    pub async fn audit_entries(&self) -> Result<Vec<AuditEntry>, StoreError> {
        let rows =
            sqlx::query("SELECT seq, at, actor, action, subject, details, prev_hash, hash, seal_key_id, seal FROM audit_log ORDER BY seq")
                .fetch_all(&self.pool)
                .await?;
        rows.iter()
            .map(|row| {
                let seq = int(row, "seq")?;
                Ok(AuditEntry {
                    seq,
                    at: timestamp(row, "audit_log", "at", &format!("seq {seq}"))?,
                    actor: row.try_get("actor")?,
                    action: row.try_get("action")?,
                    subject: row.try_get("subject")?,
                    details: row.try_get("details")?,
                    prev_hash: row.try_get("prev_hash")?,
                    hash: row.try_get("hash")?,
                    seal: match (
                        row.try_get::<Option<String>, _>("seal_key_id")?,
                        row.try_get::<Option<String>, _>("seal")?,
                    ) {
                        (Some(key_id), Some(signature)) => Some(Seal { key_id, signature }),
                        _ => None,
                    },
                })
            })
            .collect()
    }

    /// Checks the whole chain; an empty list means it is intact. Also returns the number of
    /// entries checked. Seals are not checked (see [`Store::verify_audit_sealed`]).
    pub async fn verify_audit(&self) -> Result<(usize, Vec<AuditProblem>), StoreError> {
        let entries = self.audit_entries().await?;
        let problems = self.chain_problems(&entries).await?;
        Ok((entries.len(), problems))
    }

    /// Checks the chain, every entry's seal against `keys` (the platform's published keys,
    /// retired ones included, without the retirement rule of report signatures: a server
    /// keeps sealing with the key it loaded until it restarts after a rotation, and an entry
    /// it sealed then is no forgery; an edit of an older entry is dated before the retirement
    /// anyway), and, when given, that the log still holds the head a node saw
    /// (`anchor`, kept outside the database). An entry without a seal is a problem
    /// (`unsealed_entry`), and so is a seal that does not verify (`anchor_mismatch`): an
    /// edit whose hashes were all recomputed is found here.
    pub async fn verify_audit_sealed(
        &self,
        keys: &PublicKeySet,
        anchor: Option<&AuditAnchor>,
    ) -> Result<(usize, Vec<AuditProblem>), StoreError> {
        let entries = self.audit_entries().await?;
        let mut problems = self.chain_problems(&entries).await?;
        for entry in &entries {
            match &entry.seal {
                None => problems.push(AuditProblem {
                    seq: entry.seq,
                    code: "unsealed_entry",
                    message: "has no seal: written before sealing began (check the log, then run `qpr audit seal-legacy` once), \
                              by a program without the platform key, or its seal was removed"
                        .into(),
                }),
                Some(seal) => {
                    if let Err(error) = keys.check_seal(AUDIT_SEAL_PURPOSE, seal_message(entry.seq, &entry.hash).as_bytes(), seal, None) {
                        problems.push(AuditProblem {
                            seq: entry.seq,
                            code: "anchor_mismatch",
                            message: format!(
                                "its seal does not match (the entry was rewritten and the chain recomputed, or the seal forged): {error} [{}]",
                                error.code()
                            ),
                        });
                    }
                }
            }
        }
        if let Some(anchor) = anchor.filter(|anchor| anchor.seq > 0) {
            match entries.iter().find(|entry| entry.seq == anchor.seq) {
                Some(entry) if entry.hash == anchor.hash => {}
                Some(_) => problems.push(AuditProblem {
                    seq: anchor.seq,
                    code: "anchor_mismatch",
                    message: "differs from the entry this node recorded as the log's head (the log was rewritten)".into(),
                }),
                None => problems.push(AuditProblem {
                    seq: anchor.seq,
                    code: "anchor_mismatch",
                    message: format!(
                        "is missing, but this node saw the log reach it (the log now ends at {}: the newest entries were removed)",
                        entries.last().map_or(0, |entry| entry.seq)
                    ),
                }),
            }
        }
        problems.sort_by_key(|problem| problem.seq);
        Ok((entries.len(), problems))
    }

    /// The head of the audit log (the newest entry's sequence number and hash), to anchor
    /// outside the database.
    pub async fn audit_head(&self) -> Result<AuditAnchor, StoreError> {
        let head = sqlx::query("SELECT seq, hash FROM audit_head WHERE id = 1").fetch_one(&self.pool).await?;
        Ok(AuditAnchor { seq: int(&head, "seq")?, hash: head.try_get("hash")? })
    }

    /// Seals the entries written before sealing began (with this store's key, see
    /// [`Store::with_audit_key`]), once, after an upgrade: only when the chain is intact and the
    /// unsealed entries all come before the first sealed one. Returns how many were sealed.
    /// Whoever runs it vouches for those entries: check the log first.
    pub async fn seal_legacy_audit_entries(&self) -> Result<usize, StoreError> {
        let Some(key) = self.audit_key() else {
            return Err(StoreError::Rejected("sealing the audit log needs the platform key".into()));
        };
        let mut tx = self.writer.begin().await?;
        // Takes the head row: no append runs meanwhile.
        sqlx::query("UPDATE audit_head SET seq = seq WHERE id = 1").execute(&mut *tx).await?;
        let entries = self.audit_entries().await?;
        let problems = self.chain_problems(&entries).await?;
        if let Some(problem) = problems.first() {
            return Err(StoreError::Rejected(format!(
                "the audit log's chain is broken ({} problem(s), the first at entry {}: {}); nothing was sealed",
                problems.len(),
                problem.seq,
                problem.message
            )));
        }
        let first_sealed = entries.iter().position(|entry| entry.seal.is_some()).unwrap_or(entries.len());
        if let Some(late) = entries[first_sealed..].iter().find(|entry| entry.seal.is_none()) {
            return Err(StoreError::Rejected(format!(
                "entry {} has no seal but comes after sealed entries: it was not written before sealing began; nothing was sealed",
                late.seq
            )));
        }
        for entry in &entries[..first_sealed] {
            let seal = key.seal(AUDIT_SEAL_PURPOSE, seal_message(entry.seq, &entry.hash).as_bytes());
            sqlx::query("UPDATE audit_log SET seal_key_id = $1, seal = $2 WHERE seq = $3 AND seal IS NULL")
                .bind(seal.key_id)
                .bind(seal.signature)
                .bind(entry.seq)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(first_sealed)
    }

    async fn chain_problems(&self, entries: &[AuditEntry]) -> Result<Vec<AuditProblem>, StoreError> {
        let head = self.audit_head().await?;
        Ok(chain_problems(entries.iter().map(ChainLink::from), &head))
    }
}

/// What the chain check reads of an entry.
pub(crate) struct ChainLink<'a> {
    pub seq: i64,
    pub at: &'a str,
    pub actor: &'a str,
    pub action: &'a str,
    pub subject: &'a str,
    pub details: &'a str,
    pub prev_hash: &'a str,
    pub hash: &'a str,
}

impl<'a> From<&'a AuditEntry> for ChainLink<'a> {
    fn from(entry: &'a AuditEntry) -> ChainLink<'a> {
        ChainLink {
            seq: entry.seq,
            at: entry.at.as_str(),
            actor: &entry.actor,
            action: &entry.action,
            subject: &entry.subject,
            details: &entry.details,
            prev_hash: &entry.prev_hash,
            hash: &entry.hash,
        }
    }
}

/// Checks entries (oldest first) as a chain ending at `head`: sequence without gaps, each
/// linked to the one before, each hash matching its content, the last one the head.
pub(crate) fn chain_problems<'a>(
    entries: impl IntoIterator<Item = ChainLink<'a>>,
    head: &AuditAnchor,
) -> Vec<AuditProblem> {
    let mut problems = Vec::new();
    let mut expected_seq = 1;
    let mut previous_hash = String::new();
    for entry in entries {
        if entry.seq != expected_seq {
            problems.push(AuditProblem {
                seq: expected_seq,
                code: "entries_missing",
                message: format!("entries {expected_seq} to {} are missing", entry.seq - 1),
            });
        }
        if entry.prev_hash != previous_hash {
            problems.push(AuditProblem {
                seq: entry.seq,
                code: "broken_link",
                message: "does not link to the entry before it (an entry before it was removed or changed)".into(),
            });
        }
        let hash =
            entry_hash(entry.seq, entry.at, entry.actor, entry.action, entry.subject, entry.details, entry.prev_hash);
        if hash != entry.hash {
            problems.push(AuditProblem {
                seq: entry.seq,
                code: "hash_mismatch",
                message: "its content does not match its hash (it was edited)".into(),
            });
        }
        expected_seq = entry.seq + 1;
        previous_hash = entry.hash.to_owned();
    }
    if head.seq != expected_seq - 1 || head.hash != previous_hash {
        problems.push(AuditProblem {
            seq: head.seq,
            code: "tail_removed",
            message: format!(
                "the log ends at entry {} but {} were written (the last entries were removed)",
                expected_seq - 1,
                head.seq
            ),
        });
    }
    problems
}
