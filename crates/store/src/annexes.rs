//! Annex files: content-addressed blobs (SHA-256) with a size limit, attached to reports
//! with a title and a description. A report holds a file at most once, so a file's hash names
//! the annex within its report. Annexes change only while the report is editable (draft or
//! changes requested): what was submitted stays as submitted.

use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};

use crate::reports::ReportState;
use crate::{AnnexId, Backend, ReportId, Store, StoreError, Timestamp, int, now, sha256_hex, timestamp};

/// The largest annex accepted, in bytes.
pub const MAX_ANNEX_BYTES: usize = 20 * 1024 * 1024;

/// An annex of a report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Annex {
    /// Id.
    pub id: AnnexId,
    /// SHA-256 of the file (hex); names the annex within its report.
    pub sha256: String,
    /// Size in bytes.
    pub size: i64,
    /// Media type (checked by content by the caller).
    pub content_type: String,
    /// Title.
    pub title: String,
    /// Description of the main content.
    pub description: String,
    /// Who attached it (the actor name of the audit log, e.g. `user:7`).
    pub added_by: String,
    /// When.
    pub added_at: Timestamp,
}

const ANNEX_SELECT: &str =
    "SELECT a.id, a.blob_sha256, b.size, b.content_type, a.title, a.description, a.added_by, a.added_at
     FROM annexes a JOIN blobs b ON b.sha256 = a.blob_sha256";

fn annex_from_row(row: &AnyRow) -> Result<Annex, StoreError> {
    let id: AnnexId = row.try_get("id")?;
    Ok(Annex {
        id,
        sha256: row.try_get("blob_sha256")?,
        size: int(row, "size")?,
        content_type: row.try_get("content_type")?,
        title: row.try_get("title")?,
        description: row.try_get("description")?,
        added_by: row.try_get("added_by")?,
        added_at: timestamp(row, "annexes", "added_at", &format!("id {id}"))?,
    })
}

impl Store {
    /// Stores a file (once per content) and attaches it to a report. Refused when the file is
    /// over [`MAX_ANNEX_BYTES`], when the report cannot be edited, or when the report holds
    /// this file already.
    pub async fn add_annex(
        &self,
        report: ReportId,
        bytes: &[u8],
        content_type: &str,
        title: &str,
        description: &str,
        added_by: &str,
    ) -> Result<Annex, StoreError> {
        if bytes.len() > MAX_ANNEX_BYTES {
            return Err(StoreError::Rejected(format!(
                "the file is {} bytes; annexes are limited to {MAX_ANNEX_BYTES} bytes",
                bytes.len()
            )));
        }
        let sha256 = sha256_hex(bytes);
        let size = i64::try_from(bytes.len()).map_err(|_| StoreError::Rejected("file too large".into()))?;
        let mut tx = self.writer.begin().await?;
        self.lock_editable(&mut tx, report).await?;
        let existing: Option<String> =
            sqlx::query_scalar("SELECT title FROM annexes WHERE report_id = $1 AND blob_sha256 = $2")
                .bind(report)
                .bind(sha256.clone())
                .fetch_optional(&mut *tx)
                .await?;
        if let Some(existing) = existing {
            return Err(StoreError::Rejected(format!(
                "this file is already an annex of the report, titled “{existing}”"
            )));
        }
        sqlx::query("INSERT INTO blobs (sha256, size, content_type, bytes) VALUES ($1, $2, $3, $4) ON CONFLICT (sha256) DO NOTHING")
            .bind(sha256.clone())
            .bind(size)
            .bind(content_type.to_owned())
            .bind(bytes.to_vec())
            .execute(&mut *tx)
            .await?;
        let added_at = now();
        let id: AnnexId = sqlx::query_scalar("INSERT INTO annexes (report_id, blob_sha256, title, description, added_by, added_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id")
            .bind(report)
            .bind(sha256.clone())
            .bind(title.to_owned())
            .bind(description.to_owned())
            .bind(added_by.to_owned())
            .bind(added_at.clone())
            .fetch_one(&mut *tx)
            .await?;
        let details = serde_json::json!({"sha256": sha256, "size": size, "title": title});
        crate::audit::append(self.audit_key(), &mut tx, added_by, "annex.added", &format!("report:{report}"), &details)
            .await?;
        tx.commit().await?;
        Ok(Annex {
            id,
            sha256,
            size,
            content_type: content_type.to_owned(),
            title: title.to_owned(),
            description: description.to_owned(),
            added_by: added_by.to_owned(),
            added_at,
        })
    }

    /// The annexes of a report, in the order they were added.
    pub async fn annexes(&self, report: ReportId) -> Result<Vec<Annex>, StoreError> {
        let sql = format!("{ANNEX_SELECT} WHERE a.report_id = $1 ORDER BY a.id");
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(report).fetch_all(&self.pool).await?;
        rows.iter().map(annex_from_row).collect()
    }

    /// The annex of a report holding the file `sha256`, if the report has it.
    pub async fn annex(&self, report: ReportId, sha256: &str) -> Result<Option<Annex>, StoreError> {
        let sql = format!("{ANNEX_SELECT} WHERE a.report_id = $1 AND a.blob_sha256 = $2");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(report)
            .bind(sha256.to_owned())
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(annex_from_row).transpose()
    }

    /// Takes the file `sha256` off an editable report. The file itself is deleted when no
    /// other annex uses it, so a file removed by mistake (a confidential one) is really gone.
    pub async fn remove_annex(&self, report: ReportId, sha256: &str, actor: &str) -> Result<Annex, StoreError> {
        let mut tx = self.writer.begin().await?;
        self.lock_editable(&mut tx, report).await?;
        let sql = format!("{ANNEX_SELECT} WHERE a.report_id = $1 AND a.blob_sha256 = $2");
        let row =
            sqlx::query(sqlx::AssertSqlSafe(sql)).bind(report).bind(sha256.to_owned()).fetch_optional(&mut *tx).await?;
        let annex =
            annex_from_row(&row.ok_or_else(|| StoreError::NotFound(format!("annex {sha256} of report {report}")))?)?;
        sqlx::query("DELETE FROM annexes WHERE id = $1").bind(annex.id).execute(&mut *tx).await?;
        sqlx::query(
            "DELETE FROM blobs WHERE sha256 = $1 AND NOT EXISTS (SELECT 1 FROM annexes WHERE blob_sha256 = $1)",
        )
        .bind(sha256.to_owned())
        .execute(&mut *tx)
        .await?;
        let details = serde_json::json!({"sha256": sha256, "title": annex.title});
        crate::audit::append(self.audit_key(), &mut tx, actor, "annex.removed", &format!("report:{report}"), &details)
            .await?;
        tx.commit().await?;
        Ok(annex)
    }

    /// Checks, under the report's row lock (PostgreSQL; SQLite's single writer is the lock),
    /// that the report may change, so that a submission cannot slip between the check and the
    /// change of its annexes.
    async fn lock_editable(&self, tx: &mut Transaction<'_, Any>, report: ReportId) -> Result<(), StoreError> {
        let sql = match self.backend {
            Backend::Sqlite => "SELECT state FROM reports WHERE id = $1",
            Backend::Postgres => "SELECT state FROM reports WHERE id = $1 FOR UPDATE",
        };
        let state: String = sqlx::query_scalar(sql)
            .bind(report)
            .fetch_optional(&mut **tx)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("report {report}")))?;
        match ReportState::parse(&state) {
            Some(state) if state.is_editable() => Ok(()),
            _ => Err(StoreError::Rejected(format!(
                "the report is {}; its annexes can no longer change",
                state.replace('_', " ")
            ))),
        }
    }

    /// A file's bytes, checked against its hash.
    pub async fn blob(&self, sha256: &str) -> Result<Vec<u8>, StoreError> {
        let bytes: Vec<u8> = sqlx::query_scalar("SELECT bytes FROM blobs WHERE sha256 = $1")
            .bind(sha256.to_owned())
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("file {sha256}")))?;
        if sha256_hex(&bytes) != sha256 {
            return Err(StoreError::Corrupt(format!("file {sha256} does not match its hash")));
        }
        Ok(bytes)
    }
}
