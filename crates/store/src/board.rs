//! What the Secretariat's status board reads: a cycle's reports with their current
//! revision's completeness (stored with each revision, so the board reads no document) and
//! their reviewer; the assignment of reviewers; how many documents this store has read.

use std::sync::atomic::Ordering;

use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};

use crate::reports::{REPORT_COLUMNS, StoredReport, report_from_row};
use crate::{CycleId, ReportId, RevisionId, Store, StoreError, UserId, now};

/// One report of a cycle as the status board needs it; no document is read to make it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BoardRow {
    /// The report.
    pub report: StoredReport,
    /// Its current revision is its first (nobody has saved the draft yet).
    pub untouched: bool,
    /// The share of applicable questions its current revision answers (0–100), as stored
    /// with the revision; `None` for a revision of a framework that is not built in.
    pub percent: Option<u8>,
    /// The Secretariat member assigned to review it.
    pub reviewer: Option<UserId>,
}

/// The columns of a board row: the report's, prefixed `r.`.
fn board_columns() -> String {
    REPORT_COLUMNS.split(", ").map(|column| format!("r.{column}")).collect::<Vec<_>>().join(", ")
}

fn board_row(row: &AnyRow) -> Result<BoardRow, StoreError> {
    let report = report_from_row(row)?;
    let parent: Option<RevisionId> = row.try_get("parent_id")?;
    let percent: Option<i64> = row.try_get("percent")?;
    Ok(BoardRow {
        untouched: parent.is_none(),
        percent: percent.and_then(|p| u8::try_from(p).ok()).filter(|p| *p <= 100),
        reviewer: row.try_get("reviewer")?,
        report,
    })
}

impl Store {
    /// Every report of a cycle with what the status board shows, ordered by Party code: one
    /// query that selects no document.
    pub async fn cycle_board(&self, cycle: CycleId) -> Result<Vec<BoardRow>, StoreError> {
        let sql = format!(
            "SELECT {}, v.parent_id, c.percent, rr.user_id AS reviewer FROM reports r
             LEFT JOIN revisions v ON v.id = r.current_revision
             LEFT JOIN revision_completeness c ON c.revision_id = r.current_revision
             LEFT JOIN report_reviewers rr ON rr.report_id = r.id
             WHERE r.cycle_id = $1 ORDER BY r.party_iso3",
            board_columns()
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(cycle).fetch_all(&self.pool).await?;
        rows.iter().map(board_row).collect()
    }

    /// The reports assigned to `reviewer`, of every cycle, newest year first.
    pub async fn reviews_of(&self, reviewer: UserId) -> Result<Vec<BoardRow>, StoreError> {
        let sql = format!(
            "SELECT {}, v.parent_id, c.percent, rr.user_id AS reviewer FROM report_reviewers rr
             JOIN reports r ON r.id = rr.report_id
             LEFT JOIN revisions v ON v.id = r.current_revision
             LEFT JOIN revision_completeness c ON c.revision_id = r.current_revision
             WHERE rr.user_id = $1 ORDER BY r.year DESC, r.party_iso3",
            board_columns()
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(reviewer).fetch_all(&self.pool).await?;
        rows.iter().map(board_row).collect()
    }

    /// Assigns `reviewer` to review `report` (`None`: nobody), in the audit log as
    /// `report.reviewer_assigned` by `actor`. Whether the reviewer may review (a member of the
    /// Secretariat) is the workflow's rule; the store refuses an unknown user or report.
    pub async fn assign_reviewer(
        &self,
        report: ReportId,
        reviewer: Option<UserId>,
        actor: &str,
    ) -> Result<(), StoreError> {
        let mut tx = self.writer.begin().await?;
        let exists: Option<i64> =
            sqlx::query_scalar("SELECT 1 FROM reports WHERE id = $1").bind(report).fetch_optional(&mut *tx).await?;
        if exists.is_none() {
            return Err(StoreError::NotFound(format!("report {report}")));
        }
        match reviewer {
            Some(user) => {
                let known: Option<i64> =
                    sqlx::query_scalar("SELECT 1 FROM users WHERE id = $1").bind(user).fetch_optional(&mut *tx).await?;
                if known.is_none() {
                    return Err(StoreError::NotFound(format!("user {user}")));
                }
                sqlx::query(
                    "INSERT INTO report_reviewers (report_id, user_id, assigned_at) VALUES ($1, $2, $3)
                     ON CONFLICT (report_id) DO UPDATE SET user_id = excluded.user_id, assigned_at = excluded.assigned_at",
                )
                .bind(report)
                .bind(user)
                .bind(now())
                .execute(&mut *tx)
                .await?;
            }
            None => {
                sqlx::query("DELETE FROM report_reviewers WHERE report_id = $1").bind(report).execute(&mut *tx).await?;
            }
        }
        crate::audit::append(
            self.audit_key(),
            &mut tx,
            actor,
            "report.reviewer_assigned",
            &format!("report:{report}"),
            &serde_json::json!({ "reviewer": reviewer }),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// How many report documents this store (and its clones) has read from the database and
    /// parsed since it was opened: what a page that must read none can be checked by.
    pub fn documents_read(&self) -> u64 {
        self.documents_read.load(Ordering::Relaxed)
    }

    /// Counts one document read (see [`Store::documents_read`]).
    pub(crate) fn count_document_read(&self) {
        self.documents_read.fetch_add(1, Ordering::Relaxed);
    }

    /// Computes and stores the completeness of every revision that has none (those written
    /// before migration 0008), in batches. Run when the store opens: nothing to do after the
    /// first time; servers opening at once insert the same values, the first one kept.
    pub(crate) async fn fill_completeness(&self) -> Result<(), StoreError> {
        const BATCH: i64 = 200;
        let mut after: i64 = 0;
        loop {
            let rows = sqlx::query(
                "SELECT v.id, v.sha256, v.document FROM revisions v
                 LEFT JOIN revision_completeness c ON c.revision_id = v.id
                 WHERE c.revision_id IS NULL AND v.id > $1 ORDER BY v.id LIMIT $2",
            )
            .bind(after)
            .bind(BATCH)
            .fetch_all(&self.writer)
            .await?;
            let Some(last) = rows.last() else { return Ok(()) };
            after = last.try_get("id")?;
            let mut tx = self.writer.begin().await?;
            for row in &rows {
                let id: RevisionId = row.try_get("id")?;
                let document = crate::reports::checked_document(
                    id,
                    &row.try_get::<String, _>("document")?,
                    &row.try_get::<String, _>("sha256")?,
                )?;
                insert_completeness(&mut tx, id, qpr_domain::validate::builtin_percent_complete(&document)).await?;
            }
            tx.commit().await?;
        }
    }
}

impl Store {
    /// Claims the board message of `token` (the preview's) for sending: `true` when the caller
    /// is to send it, `false` when it was claimed already (a form sent twice, two servers). One
    /// statement; audited as `board.message` with the cycle, the subject and the recipients.
    pub async fn claim_board_message(
        &self,
        token: &str,
        cycle: CycleId,
        (subject, body): (&str, &str),
        sent_by: UserId,
        recipients: &[String],
    ) -> Result<bool, StoreError> {
        let mut tx = self.writer.begin().await?;
        let claimed: Option<String> = sqlx::query_scalar(
            "INSERT INTO board_messages (token, cycle_id, subject, body, sent_by, sent_at, recipients)
             VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (token) DO NOTHING RETURNING token",
        )
        .bind(token.to_owned())
        .bind(cycle)
        .bind(subject.to_owned())
        .bind(body.to_owned())
        .bind(sent_by)
        .bind(now())
        .bind(i64::try_from(recipients.len()).unwrap_or(i64::MAX))
        .fetch_optional(&mut *tx)
        .await?;
        if claimed.is_none() {
            return Ok(false);
        }
        crate::audit::append(
            self.audit_key(),
            &mut tx,
            &format!("user:{sent_by}"),
            "board.message",
            &format!("cycle:{cycle}"),
            &serde_json::json!({ "subject": subject, "recipients": recipients }),
        )
        .await?;
        tx.commit().await?;
        Ok(true)
    }
}

/// Records a revision's completeness (nothing for `None`: a framework not built in).
pub(crate) async fn insert_completeness(
    tx: &mut Transaction<'_, Any>,
    revision: RevisionId,
    percent: Option<u8>,
) -> Result<(), StoreError> {
    if let Some(percent) = percent {
        sqlx::query(
            "INSERT INTO revision_completeness (revision_id, percent) VALUES ($1, $2) ON CONFLICT (revision_id) DO NOTHING",
        )
        .bind(revision)
        .bind(i64::from(percent))
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}
