//! The outbox: a gap-free, commit-ordered feed of changes that derived data follows (the
//! search index, caches of other app servers). Events are written in the same transaction as
//! the change they announce, so a consumer that has applied every event up to N is exactly
//! in step with the database as of N.

use sqlx::{Any, Row, Transaction};

use crate::{ReportId, RevisionId, Store, StoreError, Timestamp, int, now, timestamp};

/// One change to follow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxEvent {
    /// Position in the feed, from 1, without gaps.
    pub seq: i64,
    /// `report.published` or `report.withdrawn`.
    pub topic: String,
    /// The report concerned.
    pub report_id: ReportId,
    /// The revision concerned (the one published or withdrawn).
    pub revision_id: Option<RevisionId>,
    /// When.
    pub created_at: Timestamp,
}

/// Appends an event inside the caller's transaction.
pub(crate) async fn push(
    tx: &mut Transaction<'_, Any>,
    topic: &str,
    report: ReportId,
    revision: Option<RevisionId>,
) -> Result<i64, StoreError> {
    let seq: i64 = sqlx::query_scalar("UPDATE outbox_head SET seq = seq + 1 WHERE id = 1 RETURNING seq")
        .fetch_one(&mut **tx)
        .await?;
    sqlx::query("INSERT INTO outbox (seq, topic, report_id, revision_id, created_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(seq)
        .bind(topic.to_owned())
        .bind(report)
        .bind(revision)
        .bind(now())
        .execute(&mut **tx)
        .await?;
    Ok(seq)
}

impl Store {
    /// Events after `seq`, oldest first, at most `limit`.
    pub async fn outbox_after(&self, seq: i64, limit: i64) -> Result<Vec<OutboxEvent>, StoreError> {
        let rows = sqlx::query(
            "SELECT seq, topic, report_id, revision_id, created_at FROM outbox WHERE seq > $1 ORDER BY seq LIMIT $2",
        )
        .bind(seq)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                let seq = int(row, "seq")?;
                Ok(OutboxEvent {
                    seq,
                    topic: row.try_get("topic")?,
                    report_id: row.try_get("report_id")?,
                    revision_id: row.try_get("revision_id")?,
                    created_at: timestamp(row, "outbox", "created_at", &format!("seq {seq}"))?,
                })
            })
            .collect()
    }

    /// The last event's position (0 when none).
    pub async fn outbox_head(&self) -> Result<i64, StoreError> {
        Ok(sqlx::query_scalar("SELECT seq FROM outbox_head WHERE id = 1").fetch_one(&self.pool).await?)
    }
}
