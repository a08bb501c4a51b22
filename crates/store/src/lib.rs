//! Storage of reports and their revisions.
//!
//! Boundary: the only crate that knows SQL. Callers hand it report documents and get them
//! back; every save is a new immutable revision with the SHA-256 of its JSON, and a report
//! points at its current and published revisions. The embedded default is SQLite in WAL mode
//! with foreign keys on; migrations are append-only files run at open.

use std::path::Path;
use std::str::FromStr;

use qpr_domain::ReportDocument;
use sha2::{Digest, Sha256};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Row, SqlitePool};

/// What went wrong in storage. Codes are stable for API clients.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database URL names no backend this build has.
    #[error("unsupported database URL `{0}` (expected sqlite://PATH)")]
    UnsupportedUrl(String),
    /// The document cannot be filed: no ISO code for the Party.
    #[error("the report of `{0}` cannot be stored: its Party has no ISO 3166-1 code")]
    NoPartyCode(String),
    /// A stored document no longer parses (written by a newer version, or damaged).
    #[error("stored revision {revision} is not a readable report document: {source}")]
    Corrupt {
        /// Revision id.
        revision: i64,
        /// Parse error.
        source: serde_json::Error,
    },
    /// The database refused or failed.
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    /// A migration failed.
    #[error("database migration failed: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
}

impl StoreError {
    /// A stable, machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            StoreError::UnsupportedUrl(_) => "unsupported_database_url",
            StoreError::NoPartyCode(_) => "no_party_code",
            StoreError::Corrupt { .. } => "corrupt_revision",
            StoreError::Database(_) => "database_error",
            StoreError::Migration(_) => "migration_failed",
        }
    }
}

/// A published report as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct PublishedReport {
    /// The document of the published revision.
    pub document: ReportDocument,
    /// Id of that revision.
    pub revision: i64,
    /// SHA-256 (hex) of the revision's JSON.
    pub sha256: String,
    /// When it was published (RFC 3339, UTC).
    pub published_at: String,
}

/// One line of the list of published reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportSummary {
    /// ISO 3166-1 alpha-3 of the Party.
    pub party_iso3: String,
    /// Party name as in the report.
    pub party_name: String,
    /// Report year.
    pub year: i32,
    /// When it was published.
    pub published_at: String,
}

/// The database of reports.
#[derive(Debug, Clone)]
pub struct Store {
    pool: SqlitePool,
}

impl Store {
    /// Opens (creating if needed) the SQLite database `qpr.sqlite3` in `data_dir`.
    pub async fn open_in_data_dir(data_dir: &Path) -> Result<Store, StoreError> {
        Store::open(&format!("sqlite://{}", data_dir.join("qpr.sqlite3").display())).await
    }

    /// Opens the database a URL names and brings its schema up to date.
    pub async fn open(url: &str) -> Result<Store, StoreError> {
        if !url.starts_with("sqlite:") {
            return Err(StoreError::UnsupportedUrl(url.to_owned()));
        }
        let options = SqliteConnectOptions::from_str(url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(std::time::Duration::from_secs(10));
        let pool = SqlitePoolOptions::new().max_connections(4).connect_with(options).await?;
        sqlx::migrate!("./migrations").run(&pool).await?;
        Ok(Store { pool })
    }

    /// Stores `document` as a new revision of its report and publishes that revision.
    /// Re-publishing the same Party and year adds a revision and moves the pointer; the
    /// earlier revisions stay.
    pub async fn publish(&self, document: &ReportDocument, author: &str) -> Result<i64, StoreError> {
        let iso3 = document
            .party
            .iso3
            .as_ref()
            .ok_or_else(|| StoreError::NoPartyCode(document.party.name.clone()))?
            .to_string();
        let json = serde_json::to_string(document).map_err(|source| StoreError::Corrupt { revision: 0, source })?;
        let sha256 = hex_sha256(json.as_bytes());
        let now = now_rfc3339();
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO reports (party_iso3, party_name, year, state, created_at) VALUES (?1, ?2, ?3, 'draft', ?4)
             ON CONFLICT (party_iso3, year) DO NOTHING",
        )
        .bind(&iso3)
        .bind(&document.party.name)
        .bind(document.year)
        .bind(&now)
        .execute(&mut *tx)
        .await?;
        let report: (i64, Option<i64>) =
            sqlx::query_as("SELECT id, current_revision FROM reports WHERE party_iso3 = ?1 AND year = ?2")
                .bind(&iso3)
                .bind(document.year)
                .fetch_one(&mut *tx)
                .await?;
        let revision: i64 = sqlx::query_scalar(
            "INSERT INTO revisions (report_id, parent_id, author, created_at, sha256, document)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id",
        )
        .bind(report.0)
        .bind(report.1)
        .bind(author)
        .bind(&now)
        .bind(&sha256)
        .bind(&json)
        .fetch_one(&mut *tx)
        .await?;
        sqlx::query(
            "UPDATE reports SET state = 'published', party_name = ?2, current_revision = ?3, published_revision = ?3,
             published_at = ?4 WHERE id = ?1",
        )
        .bind(report.0)
        .bind(&document.party.name)
        .bind(revision)
        .bind(&now)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        tracing::info!(report.iso3 = %iso3, report.year = document.year, revision, "Published report {iso3} {}", document.year);
        Ok(revision)
    }

    /// The published revision of a Party's report for a year.
    pub async fn published_report(&self, iso3: &str, year: i32) -> Result<Option<PublishedReport>, StoreError> {
        let row = sqlx::query(
            "SELECT v.id, v.sha256, v.document, r.published_at FROM reports r
             JOIN revisions v ON v.id = r.published_revision
             WHERE r.party_iso3 = ?1 AND r.year = ?2 AND r.state = 'published'",
        )
        .bind(iso3)
        .bind(year)
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let revision: i64 = row.try_get("id")?;
        let json: String = row.try_get("document")?;
        let document = ReportDocument::from_json(&json).map_err(|source| StoreError::Corrupt { revision, source })?;
        Ok(Some(PublishedReport {
            document,
            revision,
            sha256: row.try_get("sha256")?,
            published_at: row.try_get::<Option<String>, _>("published_at")?.unwrap_or_default(),
        }))
    }

    /// Every published report, newest year first, then by Party.
    pub async fn published_reports(&self) -> Result<Vec<ReportSummary>, StoreError> {
        let rows = sqlx::query(
            "SELECT party_iso3, party_name, year, published_at FROM reports WHERE state = 'published'
             ORDER BY year DESC, party_name",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(ReportSummary {
                    party_iso3: row.try_get("party_iso3")?,
                    party_name: row.try_get("party_name")?,
                    year: row.try_get("year")?,
                    published_at: row.try_get::<Option<String>, _>("published_at")?.unwrap_or_default(),
                })
            })
            .collect()
    }

    /// Number of reports of any state.
    pub async fn report_count(&self) -> Result<i64, StoreError> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM reports").fetch_one(&self.pool).await?)
    }

    /// Number of revisions of a report.
    pub async fn revision_count(&self, iso3: &str, year: i32) -> Result<i64, StoreError> {
        Ok(sqlx::query_scalar(
            "SELECT COUNT(*) FROM revisions v JOIN reports r ON r.id = v.report_id WHERE r.party_iso3 = ?1 AND r.year = ?2",
        )
        .bind(iso3)
        .bind(year)
        .fetch_one(&self.pool)
        .await?)
    }
}

fn hex_sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

fn now_rfc3339() -> String {
    time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use qpr_domain::countries::Iso3;
    use qpr_domain::document::PartyRef;

    fn document(year: i32) -> ReportDocument {
        let mut document = ReportDocument::new("qpr-2020", PartyRef { name: "Azerbaijan".into(), iso3: Iso3::parse("AZE").ok() }, year);
        document.answers.insert("g1_ccs_ministry".into(), serde_json::Value::Bool(true));
        document
    }

    #[tokio::test]
    async fn publish_then_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_in_data_dir(dir.path()).await.unwrap();
        assert_eq!(store.report_count().await.unwrap(), 0);
        let revision = store.publish(&document(2022), "importer").await.unwrap();
        let published = store.published_report("AZE", 2022).await.unwrap().expect("published");
        assert_eq!(published.revision, revision);
        assert_eq!(published.document, document(2022));
        assert_eq!(published.sha256.len(), 64);
        assert!(store.published_report("AZE", 2018).await.unwrap().is_none());
        let list = store.published_reports().await.unwrap();
        assert_eq!(list.len(), 1);
        assert_eq!((list[0].party_iso3.as_str(), list[0].year), ("AZE", 2022));
    }

    #[tokio::test]
    async fn republishing_keeps_every_revision() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_in_data_dir(dir.path()).await.unwrap();
        store.publish(&document(2022), "a").await.unwrap();
        let mut changed = document(2022);
        changed.answers.insert("g1_ccs_ministry".into(), serde_json::Value::Bool(false));
        let second = store.publish(&changed, "b").await.unwrap();
        assert_eq!(store.revision_count("AZE", 2022).await.unwrap(), 2);
        let published = store.published_report("AZE", 2022).await.unwrap().unwrap();
        assert_eq!((published.revision, published.document), (second, changed));
        // Reopening finds the same data (the file is the database).
        drop(store);
        let reopened = Store::open_in_data_dir(dir.path()).await.unwrap();
        assert_eq!(reopened.report_count().await.unwrap(), 1);
    }

    #[tokio::test]
    async fn revisions_cannot_be_rewritten() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_in_data_dir(dir.path()).await.unwrap();
        store.publish(&document(2022), "a").await.unwrap();
        let update = sqlx::query("UPDATE revisions SET document = '{}'").execute(&store.pool).await;
        assert!(update.is_err(), "the trigger refuses edits");
        let delete = sqlx::query("DELETE FROM revisions").execute(&store.pool).await;
        assert!(delete.is_err(), "the trigger refuses deletion");
    }

    #[tokio::test]
    async fn documents_without_a_party_code_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_in_data_dir(dir.path()).await.unwrap();
        let mut nameless = document(2022);
        nameless.party.iso3 = None;
        let error = store.publish(&nameless, "a").await.unwrap_err();
        assert_eq!(error.code(), "no_party_code");
        assert!(Store::open("mysql://x").await.is_err());
    }
}
