//! Annex files: content-addressed blobs (SHA-256) with a size limit, attached to reports
//! with a title and a description.

use sqlx::Row;

use crate::{Store, StoreError, int, now, sha256_hex};

/// The largest annex accepted, in bytes.
pub const MAX_ANNEX_BYTES: usize = 20 * 1024 * 1024;

/// An annex of a report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Annex {
    /// Id.
    pub id: i64,
    /// SHA-256 of the file.
    pub sha256: String,
    /// Size in bytes.
    pub size: i64,
    /// Media type (checked by content by the caller).
    pub content_type: String,
    /// Title.
    pub title: String,
    /// Description of the main content.
    pub description: String,
}

impl Store {
    /// Stores a file (once per content) and attaches it to a report.
    pub async fn add_annex(
        &self,
        report: i64,
        bytes: &[u8],
        content_type: &str,
        title: &str,
        description: &str,
        added_by: &str,
    ) -> Result<Annex, StoreError> {
        if bytes.len() > MAX_ANNEX_BYTES {
            return Err(StoreError::Rejected(format!("the file is {} bytes; annexes are limited to {MAX_ANNEX_BYTES} bytes", bytes.len())));
        }
        let sha256 = sha256_hex(bytes);
        let size = i64::try_from(bytes.len()).map_err(|_| StoreError::Rejected("file too large".into()))?;
        let mut tx = self.writer.begin().await?;
        sqlx::query("INSERT INTO blobs (sha256, size, content_type, bytes) VALUES ($1, $2, $3, $4) ON CONFLICT (sha256) DO NOTHING")
            .bind(sha256.clone())
            .bind(size)
            .bind(content_type.to_owned())
            .bind(bytes.to_vec())
            .execute(&mut *tx)
            .await?;
        let id: i64 = sqlx::query_scalar("INSERT INTO annexes (report_id, blob_sha256, title, description, added_by, added_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id")
            .bind(report)
            .bind(sha256.clone())
            .bind(title.to_owned())
            .bind(description.to_owned())
            .bind(added_by.to_owned())
            .bind(now())
            .fetch_one(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(Annex { id, sha256, size, content_type: content_type.to_owned(), title: title.to_owned(), description: description.to_owned() })
    }

    /// The annexes of a report.
    pub async fn annexes(&self, report: i64) -> Result<Vec<Annex>, StoreError> {
        let rows = sqlx::query("SELECT a.id, a.blob_sha256, b.size, b.content_type, a.title, a.description FROM annexes a JOIN blobs b ON b.sha256 = a.blob_sha256 WHERE a.report_id = $1 ORDER BY a.id")
            .bind(report)
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|row| {
                Ok(Annex {
                    id: int(row, "id")?,
                    sha256: row.try_get("blob_sha256")?,
                    size: int(row, "size")?,
                    content_type: row.try_get("content_type")?,
                    title: row.try_get("title")?,
                    description: row.try_get("description")?,
                })
            })
            .collect()
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
