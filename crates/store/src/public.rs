//! Read-only queries of the public site: what is published, and marks that move whenever
//! what the site shows may have changed (its page cache follows them).

use sqlx::Row;

use crate::{RevisionId, Store, StoreError, Timestamp, int};

/// A published report, without its document: enough to list it, link to it and know when
/// it changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublishedListing {
    /// ISO 3166-1 alpha-3 of the Party.
    pub party_iso3: String,
    /// Party name as in the report.
    pub party_name: String,
    /// Report year.
    pub year: i32,
    /// The published revision (immutable: what is derived from it never goes stale).
    pub revision: RevisionId,
    /// When it was published.
    pub published_at: Timestamp,
    /// When an import published it (`None` for a report submitted and published in qpr).
    pub imported_at: Option<Timestamp>,
    /// For an imported report, the day the earlier platform says it was submitted
    /// (`YYYY-MM-DD`), when its page tells (see [`crate::PublishedReport::submitted_on`]).
    pub submitted_on: Option<String>,
}

/// Positions of the two change logs: the outbox moves with every publication and withdrawal,
/// the audit log with every audited change (reporting cycles opened and closed among them).
/// When neither moved, nothing the public site shows has changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChangeMarks {
    /// The outbox's last position.
    pub outbox: i64,
    /// The audit log's last position.
    pub audit: i64,
}

impl Store {
    /// The current [`ChangeMarks`], in one query.
    pub async fn change_marks(&self) -> Result<ChangeMarks, StoreError> {
        let row =
            sqlx::query("SELECT o.seq AS outbox, a.seq AS audit FROM outbox_head o CROSS JOIN audit_head a WHERE o.id = 1 AND a.id = 1")
                .fetch_one(&self.pool)
                .await?;
        Ok(ChangeMarks { outbox: int(&row, "outbox")?, audit: int(&row, "audit")? })
    }

    /// Every published report with its published revision, newest year first, then by
    /// Party code.
    pub async fn published_listing(&self) -> Result<Vec<PublishedListing>, StoreError> {
        let rows = sqlx::query(
            "SELECT party_iso3, party_name, year, published_revision, published_at, imported_at, submitted_on FROM reports
             WHERE state = 'published' AND published_revision IS NOT NULL ORDER BY year DESC, party_iso3",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                let revision: RevisionId = row.try_get("published_revision")?;
                let key = format!("published_revision {revision}");
                let imported_at = crate::types::opt_timestamp(row, "reports", "imported_at", &key)?;
                Ok(PublishedListing {
                    party_iso3: row.try_get("party_iso3")?,
                    party_name: row.try_get("party_name")?,
                    year: crate::reports::report_year(row)?,
                    revision,
                    published_at: crate::reports::published_at(row, &key)?,
                    submitted_on: if imported_at.is_some() { row.try_get("submitted_on")? } else { None },
                    imported_at,
                })
            })
            .collect()
    }
}
