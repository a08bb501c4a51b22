//! What the store's tests share: the seed report and a fresh database of one engine.

use qpr_domain::{Framework, ReportDocument};
use qpr_store::Store;
use qpr_test_support::{Engine, TestDatabase};

/// The published Azerbaijan 2022 report, as UNESCO's site shows it.
pub(crate) const SEED: &str = include_str!("../../../../demo/qpr-azerbaijan-2022.txt");

/// The seed report, imported.
pub(crate) fn seed() -> ReportDocument {
    qpr_import::import_published(Framework::qpr_2020(), SEED).unwrap()
}

/// The seed report for another year.
pub(crate) fn seed_of(year: i32) -> ReportDocument {
    let mut document = seed();
    document.year = year;
    document
}

/// A fresh, migrated database of one engine, removed when dropped.
pub(crate) struct TestDb {
    /// The store on it.
    pub store: Store,
    /// The database (its URL, for raw connections).
    pub database: TestDatabase,
}

impl TestDb {
    /// A new database on `engine`, migrated by [`Store::open`].
    pub(crate) async fn new(engine: Engine) -> TestDb {
        let database = TestDatabase::new(engine);
        let store = Store::open(&database.url).await.unwrap_or_else(|e| panic!("open {}: {e}", database.url));
        TestDb { store, database }
    }

    /// A raw connection, for tampering with what the store guards.
    pub(crate) async fn raw(&self) -> sqlx::AnyPool {
        sqlx::any::install_default_drivers();
        sqlx::AnyPool::connect(&self.database.url).await.unwrap()
    }
}
