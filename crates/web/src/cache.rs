//! The page cache: rendered pages kept per *site version*, so that a page is rendered once per
//! change of what is published, not once per request.
//!
//! The site version is the store's change marks (the outbox moves with every publication and
//! withdrawal, the audit log with every audited change such as a reporting cycle opened,
//! whichever server or `qpr` command made them) and today's date (the home page shows the
//! next deadline). It is read from the database at most once per freshness period;
//! in between, requests are answered from memory without touching the database, and when the
//! period is over one request reads it again while the others go on with the version they
//! know. A publication therefore shows on every server within one freshness period.
//!
//! Like every cache of qpr, this one is derived from the database and can be dropped at any
//! time: it holds nothing the database does not.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, PoisonError, RwLock};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use qpr_domain::versions::MeasureKey;
use qpr_store::{ChangeMarks, Store, StoreError};

use crate::http::Representation;

/// How long the site version is trusted before it is read again.
pub(crate) const FRESHNESS: Duration = Duration::from_secs(1);

/// How many pages are kept; beyond, the cache starts afresh (keys are validated, so this
/// bounds memory against requests for many distinct pages, not normal use).
const MAX_PAGES: usize = 4096;

/// What the published content looks like at some moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct SiteVersion {
    marks: ChangeMarks,
    day: u64,
}

impl SiteVersion {
    /// The site version now, read from the store (what [`PageCache::version`] reads once per
    /// freshness period; tasks that must not delay what requests see read it with this).
    pub(crate) async fn read(store: &Store) -> Result<SiteVersion, StoreError> {
        let marks = store.change_marks().await?;
        let day = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs() / 86_400);
        Ok(SiteVersion { marks, day })
    }
}

#[derive(Debug, Clone, Copy)]
struct Checked {
    version: SiteVersion,
    at: Instant,
}

/// Rendered pages by key (see `Ui::cache_key`), each with the site version it was made from.
#[derive(Debug, Default)]
pub(crate) struct PageCache {
    checked: RwLock<Option<Checked>>,
    refreshing: AtomicBool,
    pages: RwLock<HashMap<String, (SiteVersion, Arc<Representation>)>>,
    /// Measures per published revision (revisions never change, so neither do these).
    measures: RwLock<HashMap<qpr_store::RevisionId, Arc<[MeasureKey]>>>,
}

/// Clears the `refreshing` flag when the refresh ends, also when its request is dropped.
struct Refreshing<'a>(&'a AtomicBool);

impl Drop for Refreshing<'_> {
    fn drop(&mut self) {
        self.0.store(false, Ordering::Release);
    }
}

impl PageCache {
    /// The current site version, read from the store when the known one is older than
    /// [`FRESHNESS`] (by one request at a time; the others use the known one meanwhile).
    pub(crate) async fn version(&self, store: &Store) -> Result<SiteVersion, StoreError> {
        let known = *self.checked.read().unwrap_or_else(PoisonError::into_inner);
        let _refreshing = match known {
            Some(checked) if checked.at.elapsed() < FRESHNESS => return Ok(checked.version),
            Some(checked) if self.refreshing.swap(true, Ordering::AcqRel) => return Ok(checked.version),
            Some(_) => Some(Refreshing(&self.refreshing)),
            None => None,
        };
        let version = SiteVersion::read(store).await?;
        *self.checked.write().unwrap_or_else(PoisonError::into_inner) = Some(Checked { version, at: Instant::now() });
        Ok(version)
    }

    /// The page under `key`, if it was made from `version`.
    pub(crate) fn get(&self, key: &str, version: SiteVersion) -> Option<Arc<Representation>> {
        let pages = self.pages.read().unwrap_or_else(PoisonError::into_inner);
        pages.get(key).filter(|(made_from, _)| *made_from == version).map(|(_, page)| Arc::clone(page))
    }

    /// Keeps a page made from `version`.
    pub(crate) fn put(&self, key: String, version: SiteVersion, page: Arc<Representation>) {
        let mut pages = self.pages.write().unwrap_or_else(PoisonError::into_inner);
        if pages.len() >= MAX_PAGES && !pages.contains_key(&key) {
            pages.clear();
        }
        pages.insert(key, (version, page));
    }

    /// The measures of a revision, if known.
    pub(crate) fn measures_of(&self, revision: qpr_store::RevisionId) -> Option<Arc<[MeasureKey]>> {
        self.measures.read().unwrap_or_else(PoisonError::into_inner).get(&revision).cloned()
    }

    /// Keeps the measures of a revision.
    pub(crate) fn keep_measures_of(&self, revision: qpr_store::RevisionId, keys: Arc<[MeasureKey]>) {
        self.measures.write().unwrap_or_else(PoisonError::into_inner).insert(revision, keys);
    }
}
