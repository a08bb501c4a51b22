//! Storage: the one boundary through which every feature reads and writes.
//!
//! Boundary: the only crate that knows SQL. One code path serves both engines through
//! sqlx's `Any` driver, with SQL both accept (`$N` parameters, `RETURNING`, `ON CONFLICT`);
//! the backend is chosen once from the database URL (`sqlite://…` or `postgres://…`), and
//! each engine has its own append-only migration directory. SQLite runs in WAL mode with
//! foreign keys on and a single writer connection; PostgreSQL takes concurrent writers, made
//! safe by compare-and-set updates and head rows that serialize the audit log and outbox.
//!
//! What it guarantees:
//! - every save is a new immutable revision (whole document, SHA-256, parent, author, time);
//! - a save names the revision it was based on and never overwrites a newer one silently:
//!   changes to other fields are merged, changes to the same field are a [`StoreError::Conflict`];
//! - the audit log is hash-chained ([`Store::verify_audit`]) and, with the platform key,
//!   sealed entry by entry ([`Store::verify_audit_sealed`]); the outbox is gap-free;
//! - a restore writes nothing unless every revision matches its SHA-256 and the audit chain holds.

mod accounts;
mod annexes;
mod audit;
mod backup;
mod board;
mod comments;
mod cycles;
mod outbox;
mod parties;
mod public;
mod reminders;
mod reports;
mod search_source;
mod signatures;
mod throttle;
mod translations;
mod types;

use std::collections::{HashMap, VecDeque};
use std::path::Path;
use std::sync::{Arc, Mutex, Once};
use std::time::Duration;

use qpr_domain::ReportDocument;
use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::{AnyPool, Executor, Row};

pub use accounts::{
    ApiTokenInfo, CsoDecision, Invitation, Membership, MembershipRole, NewUser, Session, TokenPurpose, User,
};
pub use annexes::{Annex, MAX_ANNEX_BYTES};
pub use audit::{AUDIT_SEAL_PURPOSE, AuditAnchor, AuditEntry, AuditProblem};
pub use backup::BackupSummary;
pub use board::BoardRow;
pub use comments::Comment;
pub use cycles::Cycle;
pub use outbox::OutboxEvent;
pub use parties::PartyRow;
pub use public::{ChangeMarks, PublishedListing};
pub use reminders::SentReminder;
pub use reports::{PublishedReport, ReportState, ReportSummary, RevisionInfo, SaveOutcome, StoredReport};
pub use search_source::PublishedRevision;
pub use signatures::StoredSignature;
pub use translations::SummaryTranslation;
pub use types::{
    AnnexId, CommentId, CycleId, InvitationId, ParseIdError, ParseTimestampError, ReportId, RevisionId, Timestamp,
    UserId,
};

/// The engine behind a [`Store`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// Embedded SQLite (the default).
    Sqlite,
    /// PostgreSQL.
    Postgres,
}

impl Backend {
    /// The engine a database URL names.
    pub fn from_url(url: &str) -> Result<Backend, StoreError> {
        if url.starts_with("sqlite:") {
            Ok(Backend::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Backend::Postgres)
        } else {
            Err(StoreError::UnsupportedUrl(redact(url)))
        }
    }
}

/// What went wrong in storage. Codes are stable for API clients.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database URL names no supported engine.
    #[error("unsupported database URL `{0}` (expected sqlite://PATH or postgres://…)")]
    UnsupportedUrl(String),
    /// The document cannot be filed: no ISO code for the Party.
    #[error("the report of `{0}` cannot be stored: its Party has no ISO 3166-1 code")]
    NoPartyCode(String),
    /// Nothing with this id or key.
    #[error("{0} not found")]
    NotFound(String),
    /// The save was based on an old revision and changed fields someone else changed since.
    #[error("the report was changed by someone else since revision {base}: {}", conflicts.iter().map(|c| c.path.as_str()).collect::<Vec<_>>().join(", "))]
    Conflict {
        /// The revision the save was based on.
        base: RevisionId,
        /// The current revision, which holds the other person's values.
        current: RevisionId,
        /// Each field changed on both sides, with both values.
        conflicts: Vec<qpr_domain::changes::Conflict>,
    },
    /// The request is not allowed in the report's current state, or breaks a rule.
    #[error("{0}")]
    Rejected(String),
    /// The document is larger than a report may be (`ReportDocument::size_problem`): nothing
    /// was saved.
    #[error("the report is too large: {0}")]
    TooLarge(String),
    /// A stored document no longer parses (written by a newer version, or damaged).
    #[error("stored data is not readable: {0}")]
    Corrupt(String),
    /// A stored instant is not RFC 3339 text (a row edited by hand, or damaged): the row is
    /// not read at all, rather than read with an empty or made-up time.
    #[error("stored data is not readable: {table}.{column} of row {row} is not an RFC 3339 timestamp: `{value}`")]
    CorruptTimestamp {
        /// The table.
        table: &'static str,
        /// The column.
        column: &'static str,
        /// The row's key (`id 12`, `seq 3`).
        row: String,
        /// The stored text.
        value: String,
    },
    /// The backup file is not one qpr wrote, or the target is not empty.
    #[error("backup: {0}")]
    Backup(String),
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
            StoreError::NotFound(_) => "not_found",
            StoreError::Conflict { .. } => "edit_conflict",
            StoreError::Rejected(_) => "rejected",
            StoreError::TooLarge(_) => "too_large",
            StoreError::Corrupt(_) | StoreError::CorruptTimestamp { .. } => "corrupt_data",
            StoreError::Backup(_) => "backup_invalid",
            StoreError::Database(_) => "database_error",
            StoreError::Migration(_) => "migration_failed",
        }
    }
}

/// The database.
#[derive(Debug, Clone)]
pub struct Store {
    /// Connections for reading (and, on PostgreSQL, writing).
    pool: AnyPool,
    /// Connections for writing: one on SQLite (it has one writer anyway; queuing here instead
    /// of in SQLite's busy handler keeps latency fair), the same pool on PostgreSQL.
    writer: AnyPool,
    backend: Backend,
    /// Parsed revisions, shared by clones of the store; revisions never change, so it is
    /// never stale.
    revision_cache: Arc<RevisionCache>,
    /// Saves of one report made through this process queue here, so that they do not race
    /// each other to the database (saves from other servers are still settled there).
    save_locks: Arc<[tokio::sync::Mutex<()>; SAVE_LOCK_STRIPES]>,
    /// Writes since the last WAL checkpoint (SQLite): see [`Store::after_write`].
    writes_since_checkpoint: Arc<std::sync::atomic::AtomicU32>,
    /// The platform key that seals each audit entry appended through this store (see
    /// [`Store::with_audit_key`]); none in tests and tools that write no audited data.
    audit_key: Option<Arc<qpr_signature::PlatformKey>>,
    /// Report documents read and parsed (see [`Store::documents_read`]).
    documents_read: Arc<std::sync::atomic::AtomicU64>,
}

/// Commits between two WAL checkpoints on SQLite: about 4 MB of WAL with revisions of 100 KB.
const CHECKPOINT_EVERY: u32 = 40;

/// Number of save locks; reports share one by `id % SAVE_LOCK_STRIPES`.
const SAVE_LOCK_STRIPES: usize = 64;

impl Store {
    fn new(pool: AnyPool, writer: AnyPool, backend: Backend) -> Store {
        Store {
            pool,
            writer,
            backend,
            revision_cache: Arc::default(),
            save_locks: Arc::new(std::array::from_fn(|_| tokio::sync::Mutex::new(()))),
            writes_since_checkpoint: Arc::default(),
            audit_key: None,
            documents_read: Arc::default(),
        }
    }

    /// This store, sealing every audit entry it appends with `key` (an Ed25519 signature over
    /// the entry's sequence number and hash, stored beside it): an entry edited in the
    /// database, even with every hash after it recomputed, no longer matches its seal, which
    /// only the key's holder can make. The key is kept outside the database.
    #[must_use]
    pub fn with_audit_key(mut self, key: Arc<qpr_signature::PlatformKey>) -> Store {
        self.audit_key = Some(key);
        self
    }

    pub(crate) fn audit_key(&self) -> Option<&qpr_signature::PlatformKey> {
        self.audit_key.as_deref()
    }

    /// After a committed write: on SQLite, every [`CHECKPOINT_EVERY`] writes, copies the WAL
    /// into the database file in a task of its own, on a reading connection. SQLite's automatic
    /// checkpoint would run inside the commit that crosses the threshold, on the one writer
    /// connection, and that save (and every save queued behind it) would wait for it: the
    /// slowest saves were exactly those. A passive checkpoint runs beside writers.
    pub(crate) fn after_write(&self) {
        use std::sync::atomic::Ordering;
        if self.backend != Backend::Sqlite
            || self.writes_since_checkpoint.fetch_add(1, Ordering::Relaxed) + 1 < CHECKPOINT_EVERY
        {
            return;
        }
        self.writes_since_checkpoint.store(0, Ordering::Relaxed);
        let pool = self.pool.clone();
        tokio::spawn(async move {
            if let Err(error) = sqlx::query("PRAGMA wal_checkpoint(PASSIVE)").execute(&pool).await {
                // The next checkpoint copies what this one did not; nothing is lost meanwhile.
                tracing::debug!("WAL checkpoint skipped: {error}");
            }
        });
    }

    /// The save lock of a report.
    pub(crate) fn save_lock(&self, report: ReportId) -> &tokio::sync::Mutex<()> {
        // `rem_euclid` is in 0..SAVE_LOCK_STRIPES, so the conversion cannot fail.
        &self.save_locks[usize::try_from(report.get().rem_euclid(SAVE_LOCK_STRIPES as i64)).unwrap_or_default()]
    }
}

/// A bounded cache of parsed revision documents, for merges.
///
/// Keyed by report *and* revision: a lookup answers only for the report it names, so a
/// revision id of another report (ids are sequential and guessable) is a miss, read from the
/// database with the same condition and refused there. (Keyed by revision alone, a save on
/// one report could be merged against another Party's draft and show it in the conflict.)
#[derive(Debug, Default)]
struct RevisionCache {
    entries: Mutex<CacheEntries>,
}

/// A cache key: (report id, revision id).
type RevisionKey = (ReportId, RevisionId);

/// The cached documents, and their keys oldest first (the order of eviction).
#[derive(Debug, Default)]
struct CacheEntries {
    documents: HashMap<RevisionKey, Arc<ReportDocument>>,
    order: VecDeque<RevisionKey>,
}

impl RevisionCache {
    /// Enough for the recent revisions of every report being edited at once (merges need
    /// the current revision and each editor's base, both recent), at a few hundred KB each.
    const CAPACITY: usize = 512;

    /// A poisoned lock (a panic while it was held) is a miss: the revision is read from the
    /// database instead.
    fn get(&self, key: RevisionKey) -> Option<Arc<ReportDocument>> {
        self.entries.lock().ok()?.documents.get(&key).cloned()
    }

    /// Adds a document, evicting the oldest: the revisions merges need are the newest ones.
    /// (Clearing the whole cache when full made every save for the next moment re-read and
    /// parse two documents at once: the slowest saves of the benchmark were exactly those.)
    fn put(&self, key: RevisionKey, document: Arc<ReportDocument>) {
        if let Ok(mut entries) = self.entries.lock() {
            if entries.documents.insert(key, document).is_some() {
                return;
            }
            entries.order.push_back(key);
            while entries.order.len() > Self::CAPACITY {
                if let Some(oldest) = entries.order.pop_front() {
                    entries.documents.remove(&oldest);
                }
            }
        }
    }
}

static DRIVERS: Once = Once::new();

impl Store {
    /// Opens (creating if needed) the SQLite database `qpr.sqlite3` in `data_dir`.
    pub async fn open_in_data_dir(data_dir: &Path) -> Result<Store, StoreError> {
        Store::open(&sqlite_url(&data_dir.join("qpr.sqlite3"))).await
    }

    /// Opens the database a URL names, brings its schema up to date, and loads the Parties.
    pub async fn open(url: &str) -> Result<Store, StoreError> {
        DRIVERS.call_once(sqlx::any::install_default_drivers);
        let backend = Backend::from_url(url)?;
        let store = match backend {
            Backend::Sqlite => {
                let url = if url.contains('?') { url.to_owned() } else { format!("{url}?mode=rwc") };
                // Every connection: WAL, foreign keys, waiting for locks. The writer's automatic
                // checkpoint waits for 40 MB of WAL: `Store::after_write` checkpoints saves off the
                // writer's path long before; the automatic one only bounds other writes.
                let options = |writer: bool| {
                    AnyPoolOptions::new().after_connect(move |conn, _| {
                        Box::pin(async move {
                            conn.execute("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000;")
                                .await?;
                            if writer {
                                conn.execute("PRAGMA wal_autocheckpoint = 10000;").await?;
                            }
                            Ok(())
                        })
                    })
                };
                let writer =
                    options(true).max_connections(1).acquire_timeout(Duration::from_secs(60)).connect(&url).await?;
                let pool = options(false).max_connections(8).connect(&url).await?;
                Store::new(pool, writer, backend)
            }
            Backend::Postgres => {
                let pool = AnyPoolOptions::new()
                    .max_connections(32)
                    .acquire_timeout(Duration::from_secs(60))
                    .connect(url)
                    .await?;
                Store::new(pool.clone(), pool, backend)
            }
        };
        match backend {
            Backend::Sqlite => sqlx::migrate!("./migrations/sqlite").run(&store.writer).await?,
            Backend::Postgres => sqlx::migrate!("./migrations/postgres").run(&store.writer).await?,
        }
        store.load_parties().await?;
        store.fill_import_dates().await?;
        store.fill_completeness().await?;
        Ok(store)
    }

    /// The engine behind this store.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Runs the smallest query on the readers' pool: whether the database answers.
    pub async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    /// Closes every connection (waits for running queries).
    pub async fn close(&self) {
        self.writer.close().await;
        self.pool.close().await;
    }
}

/// The `sqlite://` URL of a database file.
pub fn sqlite_url(path: &Path) -> String {
    format!("sqlite://{}", path.display())
}

/// A URL without its password, for messages and logs.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let credentials = &url[scheme_end + 3..at];
            match credentials.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme_end + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

/// The current time, as every timestamp is stored (RFC 3339, UTC).
pub(crate) fn now() -> Timestamp {
    Timestamp::now()
}

pub(crate) use qpr_signature::sha256_hex;
pub(crate) use types::{opt_timestamp, timestamp};

/// A stored value that does not read back, naming its table and row (`row` is how the row is
/// known: `id 5`, `user 3, Party AZE`), so that the operator can find it.
pub(crate) fn corrupt(table: &str, row: impl std::fmt::Display, what: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(format!("table {table}, row {row}: {what}"))
}

/// Reads an integer column as i64 whatever its width on the engine.
pub(crate) fn int(row: &AnyRow, column: &str) -> Result<i64, sqlx::Error> {
    row.try_get::<i64, _>(column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_choose_the_engine_and_passwords_stay_hidden() {
        assert_eq!(Backend::from_url("sqlite:///tmp/x.db").unwrap(), Backend::Sqlite);
        assert_eq!(Backend::from_url("postgres://u:p@h/db").unwrap(), Backend::Postgres);
        let error = Backend::from_url("mysql://root:secret@h/db").unwrap_err().to_string();
        assert!(error.contains("root:***@h") && !error.contains("secret"), "{error}");
    }

    #[test]
    fn a_full_revision_cache_evicts_only_its_oldest_document() {
        let cache = RevisionCache::default();
        let document = Arc::new(ReportDocument::new(
            "qpr-2020",
            qpr_domain::document::PartyRef { name: "X".into(), iso3: None },
            2026,
        ));
        let last = i64::try_from(RevisionCache::CAPACITY).unwrap();
        for id in 0..=last {
            cache.put((ReportId::new(7), RevisionId::new(id)), Arc::clone(&document));
        }
        let key = |id| (ReportId::new(7), RevisionId::new(id));
        assert!(cache.get(key(0)).is_none(), "the oldest is evicted");
        assert!((1..=last).all(|id| cache.get(key(id)).is_some()), "every newer one is kept");
        cache.put(key(last), Arc::clone(&document));
        assert!(cache.get(key(1)).is_some(), "putting a cached id again evicts nothing");
    }

    #[test]
    fn a_cached_revision_answers_only_for_its_report() {
        let cache = RevisionCache::default();
        let document = Arc::new(ReportDocument::new(
            "qpr-2020",
            qpr_domain::document::PartyRef { name: "X".into(), iso3: None },
            2026,
        ));
        cache.put((ReportId::new(1), RevisionId::new(42)), document);
        assert!(cache.get((ReportId::new(1), RevisionId::new(42))).is_some());
        assert!(
            cache.get((ReportId::new(2), RevisionId::new(42))).is_none(),
            "revision 42 is report 1's, not report 2's"
        );
    }
}
