//! Review comments anchored to a field path, threaded, resolvable, kept with the revision
//! they were made on.

use sqlx::Row;

use crate::{Store, StoreError, int, now, opt_int};

/// A comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comment {
    /// Id.
    pub id: i64,
    /// Report.
    pub report_id: i64,
    /// Revision the comment was made on.
    pub revision_id: i64,
    /// Field path (`answers.g1_ccs_ministry`, `policy_measures.AZE-2022-pm01.title`).
    pub field_path: String,
    /// The comment it answers.
    pub parent_id: Option<i64>,
    /// Author.
    pub author_id: i64,
    /// Text.
    pub body: String,
    /// When.
    pub created_at: String,
    /// When it was resolved.
    pub resolved_at: Option<String>,
}

impl Store {
    /// Adds a comment on a field of a revision, or a reply to another comment.
    pub async fn add_comment(
        &self,
        report: i64,
        revision: i64,
        field_path: &str,
        parent: Option<i64>,
        author: i64,
        body: &str,
    ) -> Result<i64, StoreError> {
        Ok(sqlx::query_scalar(
            "INSERT INTO comments (report_id, revision_id, field_path, parent_id, author_id, body, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(report)
        .bind(revision)
        .bind(field_path.to_owned())
        .bind(parent)
        .bind(author)
        .bind(body.to_owned())
        .bind(now())
        .fetch_one(&self.writer)
        .await?)
    }

    /// Marks an open comment of `report` resolved ([`StoreError::NotFound`] for a comment of
    /// another report, as for one that does not exist).
    pub async fn resolve_comment(&self, report: i64, comment: i64, by: i64) -> Result<(), StoreError> {
        let changed =
            sqlx::query("UPDATE comments SET resolved_at = $1, resolved_by = $2 WHERE id = $3 AND report_id = $4 AND resolved_at IS NULL")
                .bind(now())
                .bind(by)
                .bind(comment)
                .bind(report)
                .execute(&self.writer)
                .await?
                .rows_affected();
        if changed == 0 {
            return Err(StoreError::NotFound(format!("open comment {comment}")));
        }
        Ok(())
    }

    /// Every comment of a report, oldest first.
    pub async fn comments(&self, report: i64) -> Result<Vec<Comment>, StoreError> {
        let rows = sqlx::query("SELECT id, report_id, revision_id, field_path, parent_id, author_id, body, created_at, resolved_at FROM comments WHERE report_id = $1 ORDER BY id")
            .bind(report)
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|row| {
                Ok(Comment {
                    id: int(row, "id")?,
                    report_id: int(row, "report_id")?,
                    revision_id: int(row, "revision_id")?,
                    field_path: row.try_get("field_path")?,
                    parent_id: opt_int(row, "parent_id")?,
                    author_id: int(row, "author_id")?,
                    body: row.try_get("body")?,
                    created_at: row.try_get("created_at")?,
                    resolved_at: row.try_get("resolved_at")?,
                })
            })
            .collect()
    }
}
