//! Signatures of submitted revisions. The store keeps the envelope as the signing layer wrote it
//! (`qpr-signature`, JSON) and never reads inside it; submitting writes the signature and moves
//! the report to `submitted` in one transaction, so a submitted report always has its signature.

use sqlx::Row;

use crate::reports::{REPORT_COLUMNS, StoredReport, report_from_row};
use crate::{ReportId, RevisionId, Store, StoreError, Timestamp, now, timestamp};

/// A stored signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredSignature {
    /// The signed revision.
    pub revision_id: RevisionId,
    /// The report.
    pub report_id: ReportId,
    /// The signature envelope (JSON).
    pub envelope: String,
    /// When it was signed.
    pub signed_at: Timestamp,
}

impl Store {
    /// Submits a report: records the signature of its current revision `revision` and moves it
    /// from draft or changes requested to submitted, in one transaction. Fails (writing nothing)
    /// when the report moved on meanwhile: another save, or another submission.
    pub async fn submit_signed(
        &self,
        report: ReportId,
        revision: RevisionId,
        envelope: &str,
        actor: &str,
    ) -> Result<StoredReport, StoreError> {
        let mut tx = self.writer.begin().await?;
        let sql = format!("SELECT {REPORT_COLUMNS} FROM reports WHERE id = $1");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(report).fetch_optional(&mut *tx).await?;
        let stored = report_from_row(&row.ok_or_else(|| StoreError::NotFound(format!("report {report}")))?)?;
        if !stored.state.is_editable() {
            return Err(StoreError::Rejected(format!("a {} report cannot be submitted", stored.state.as_str())));
        }
        if stored.current_revision != Some(revision) {
            return Err(StoreError::Rejected(
                "the report was saved again while it was being signed; review it and sign again".into(),
            ));
        }
        let at = now();
        sqlx::query("INSERT INTO signatures (revision_id, report_id, envelope, signed_at) VALUES ($1, $2, $3, $4)")
            .bind(revision)
            .bind(report)
            .bind(envelope.to_owned())
            .bind(at.clone())
            .execute(&mut *tx)
            .await?;
        let changed = sqlx::query(
            "UPDATE reports SET state = 'submitted', submitted_revision = $1, updated_at = $2 WHERE id = $3 AND state = $4 AND current_revision = $1",
        )
        .bind(revision)
        .bind(at)
        .bind(report)
        .bind(stored.state.as_str())
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if changed != 1 {
            return Err(StoreError::Rejected("the report changed meanwhile; reload it".into()));
        }
        crate::audit::append(
            self.audit_key(),
            &mut tx,
            actor,
            "report.submitted",
            &format!("report:{report}"),
            &serde_json::json!({"from": stored.state.as_str(), "to": "submitted", "revision": revision, "signed": true}),
        )
        .await?;
        tx.commit().await?;
        self.report(report).await
    }

    /// Every signature of a report, oldest first (the last one is the current submission's
    /// when the report is submitted; the others are superseded or recalled).
    pub async fn signatures(&self, report: ReportId) -> Result<Vec<StoredSignature>, StoreError> {
        let rows = sqlx::query(
            "SELECT revision_id, report_id, envelope, signed_at FROM signatures WHERE report_id = $1 ORDER BY signed_at, revision_id",
        )
        .bind(report)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(signature_from_row).collect()
    }

    /// The signature of a revision, if it was signed.
    pub async fn signature(&self, revision: RevisionId) -> Result<Option<StoredSignature>, StoreError> {
        let row =
            sqlx::query("SELECT revision_id, report_id, envelope, signed_at FROM signatures WHERE revision_id = $1")
                .bind(revision)
                .fetch_optional(&self.pool)
                .await?;
        row.as_ref().map(signature_from_row).transpose()
    }
}

fn signature_from_row(row: &sqlx::any::AnyRow) -> Result<StoredSignature, StoreError> {
    let revision_id: RevisionId = row.try_get("revision_id")?;
    Ok(StoredSignature {
        revision_id,
        report_id: row.try_get("report_id")?,
        envelope: row.try_get("envelope")?,
        signed_at: timestamp(row, "signatures", "signed_at", &format!("revision_id {revision_id}"))?,
    })
}
