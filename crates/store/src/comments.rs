//! Review comments anchored to a field path, threaded, resolvable, kept with the revision
//! they were made on.

use sqlx::Row;

use crate::{CommentId, ReportId, RevisionId, Store, StoreError, Timestamp, UserId, now, opt_timestamp, timestamp};

/// A comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comment {
    /// Id.
    pub id: CommentId,
    /// Report.
    pub report_id: ReportId,
    /// Revision the comment was made on.
    pub revision_id: RevisionId,
    /// Field path (`answers.g1_ccs_ministry`, `policy_measures.AZE-2022-pm01.title`).
    pub field_path: String,
    /// The comment it answers.
    pub parent_id: Option<CommentId>,
    /// Author.
    pub author_id: UserId,
    /// Text.
    pub body: String,
    /// When.
    pub created_at: Timestamp,
    /// When it was resolved.
    pub resolved_at: Option<Timestamp>,
}

impl Store {
    /// Adds a comment on a field of a revision, or a reply to another comment.
    pub async fn add_comment(
        &self,
        report: ReportId,
        revision: RevisionId,
        field_path: &str,
        parent: Option<CommentId>,
        author: UserId,
        body: &str,
    ) -> Result<CommentId, StoreError> {
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
    pub async fn resolve_comment(&self, report: ReportId, comment: CommentId, by: UserId) -> Result<(), StoreError> {
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
    pub async fn comments(&self, report: ReportId) -> Result<Vec<Comment>, StoreError> {
        let rows = sqlx::query("SELECT id, report_id, revision_id, field_path, parent_id, author_id, body, created_at, resolved_at FROM comments WHERE report_id = $1 ORDER BY id")
            .bind(report)
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|row| {
                let id: CommentId = row.try_get("id")?;
                let key = format!("id {id}");
                Ok(Comment {
                    id,
                    report_id: row.try_get("report_id")?,
                    revision_id: row.try_get("revision_id")?,
                    field_path: row.try_get("field_path")?,
                    parent_id: row.try_get("parent_id")?,
                    author_id: row.try_get("author_id")?,
                    body: row.try_get("body")?,
                    created_at: timestamp(row, "comments", "created_at", &key)?,
                    resolved_at: opt_timestamp(row, "comments", "resolved_at", &key)?,
                })
            })
            .collect()
    }
}
