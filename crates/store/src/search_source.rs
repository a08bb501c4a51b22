//! Read queries for derived data that follows the published reports (the search index):
//! which revision of which report is on the public site.

use sqlx::Row;

use crate::{ReportId, RevisionId, Store, StoreError};

/// A published report and the revision on the public site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublishedRevision {
    /// Report id.
    pub report_id: ReportId,
    /// The published revision.
    pub revision_id: RevisionId,
    /// The Party's code (`AZE`).
    pub party_iso3: String,
}

impl Store {
    /// Every published report with its published revision, by report id.
    pub async fn published_revisions(&self) -> Result<Vec<PublishedRevision>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, published_revision, party_iso3 FROM reports WHERE state = 'published' AND published_revision IS NOT NULL ORDER BY id",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(published_revision).collect()
    }

    /// Every published report of a Party with its published revision, by report id.
    pub async fn published_revisions_of_party(&self, iso3: &str) -> Result<Vec<PublishedRevision>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, published_revision, party_iso3 FROM reports WHERE party_iso3 = $1 AND state = 'published' AND published_revision IS NOT NULL ORDER BY id",
        )
        .bind(iso3.to_owned())
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(published_revision).collect()
    }

    /// The published revision of a report, `None` when the report is not (or no longer)
    /// published or does not exist.
    pub async fn published_revision_of(&self, report_id: ReportId) -> Result<Option<RevisionId>, StoreError> {
        let row = sqlx::query("SELECT published_revision FROM reports WHERE id = $1 AND state = 'published'")
            .bind(report_id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(|row| row.try_get::<Option<RevisionId>, _>("published_revision")).transpose()?.flatten())
    }
}

/// A row of `id, published_revision, party_iso3` as a [`PublishedRevision`].
fn published_revision(row: &sqlx::any::AnyRow) -> Result<PublishedRevision, StoreError> {
    Ok(PublishedRevision {
        report_id: row.try_get("id")?,
        revision_id: row.try_get("published_revision")?,
        party_iso3: row.try_get("party_iso3")?,
    })
}
