//! The public site's read-only queries (`public.rs`), run on both engines like the contract
//! suite: every test here runs once on SQLite and once on PostgreSQL.

// The test bodies are plain async functions that the per-engine macro wraps in `#[test]`s,
// so clippy does not see them as tests.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use qpr_domain::ReportDocument;
use qpr_domain::countries::Iso3;
use qpr_domain::document::PartyRef;
use qpr_store::{ReportState, RevisionId, Store};
use qpr_test_support::{Engine, TestDatabase, on_both_engines};
use serde_json::json;

use crate::support::seed;

async fn store(engine: Engine) -> (Store, TestDatabase) {
    let database = TestDatabase::new(engine);
    let store = Store::open(&database.url).await.unwrap_or_else(|e| panic!("open {}: {e}", database.url));
    (store, database)
}

fn report(iso3: &str, name: &str, year: i32) -> ReportDocument {
    let mut document = seed();
    document.party = PartyRef { name: name.to_owned(), iso3: Some(Iso3::parse(iso3).unwrap()) };
    document.year = year;
    document
}

on_both_engines!(
    published_listing_lists_what_is_published_newest_first,
    change_marks_move_with_publications_and_cycles,
    an_imported_report_keeps_its_original_submission_date
);

/// Issue 15, point 4: an imported report keeps the date it was submitted on the earlier
/// platform (the node line's stamp, `05/08/2022`), apart from the day it was imported; one
/// imported before the date was kept gets it when the store next opens.
async fn an_imported_report_keeps_its_original_submission_date(engine: Engine) {
    let (store, database) = store(engine).await;
    store.publish(&seed(), "import").await.unwrap();
    let published = store.published_report("AZE", 2022).await.unwrap().unwrap();
    assert_eq!(published.submitted_on.as_deref(), Some("2022-08-05"));
    assert_eq!(published.imported_at.as_ref(), Some(&published.published_at), "imported when published");
    let mut no_stamp = report("FRA", "France", 2018);
    no_stamp.source = None;
    store.publish(&no_stamp, "import").await.unwrap();
    let france = store.published_report("FRA", 2018).await.unwrap().unwrap();
    assert_eq!(france.submitted_on, None, "a page without the node line does not tell");
    assert!(france.imported_at.is_some());
    // The listing of published reports tells the same, for the lists of the public site.
    let listed = store.published_listing().await.unwrap();
    let aze = listed.iter().find(|l| l.party_iso3 == "AZE").unwrap();
    assert_eq!(aze.imported_at.as_ref(), Some(&published.published_at));
    assert_eq!(aze.submitted_on.as_deref(), Some("2022-08-05"));
    let fra = listed.iter().find(|l| l.party_iso3 == "FRA").unwrap();
    assert_eq!((fra.imported_at.is_some(), fra.submitted_on.as_deref()), (true, None));

    // Nothing imported since the date is kept waits to be read at an opening.
    sqlx::any::install_default_drivers();
    let raw = sqlx::AnyPool::connect(&database.url).await.unwrap();
    let unread = "SELECT COUNT(*) FROM import_dates_unread";
    assert_eq!(sqlx::query_scalar::<_, i64>(unread).fetch_one(&raw).await.unwrap(), 0);

    // Imported before the date was kept (as migration 0013 lists them): filled from the
    // document at the next opening, and each read once, told or not.
    sqlx::query("UPDATE reports SET submitted_on = NULL").execute(&raw).await.unwrap();
    sqlx::query("INSERT INTO import_dates_unread (report_id) SELECT id FROM reports").execute(&raw).await.unwrap();
    assert_eq!(store.published_report("AZE", 2022).await.unwrap().unwrap().submitted_on, None);
    store.close().await;
    let reopened = Store::open(&database.url).await.unwrap();
    let published = reopened.published_report("AZE", 2022).await.unwrap().unwrap();
    assert_eq!(published.submitted_on.as_deref(), Some("2022-08-05"));
    assert_eq!(reopened.published_report("FRA", 2018).await.unwrap().unwrap().submitted_on, None);
    assert_eq!(
        sqlx::query_scalar::<_, i64>(unread).fetch_one(&raw).await.unwrap(),
        0,
        "the report whose page does not tell is not read again at every opening"
    );
}

async fn published_listing_lists_what_is_published_newest_first(engine: Engine) {
    let (store, _database) = store(engine).await;
    assert_eq!(store.published_listing().await.unwrap(), []);
    let aze = store.publish(&report("AZE", "Azerbaijan", 2022), "import").await.unwrap();
    let fra = store.publish(&report("FRA", "France", 2018), "import").await.unwrap();
    let bel = store.publish(&report("BEL", "Belgium", 2022), "import").await.unwrap();
    store.create_report(&report("AZE", "Azerbaijan", 2026), "focal").await.unwrap();
    let listed = store.published_listing().await.unwrap();
    let keys: Vec<(&str, &str, i32, RevisionId)> =
        listed.iter().map(|p| (p.party_iso3.as_str(), p.party_name.as_str(), p.year, p.revision)).collect();
    assert_eq!(
        keys,
        [("AZE", "Azerbaijan", 2022, aze), ("BEL", "Belgium", 2022, bel), ("FRA", "France", 2018, fra)],
        "drafts are left out"
    );
    let published = store.published_report("AZE", 2022).await.unwrap().unwrap();
    assert_eq!(
        (listed[0].revision, listed[0].published_at.as_str()),
        (published.revision, published.published_at.as_str())
    );

    // A withdrawn report leaves the list; a re-publication lists its new revision.
    let withdrawn = store.report_by_key("FRA", 2018).await.unwrap().unwrap();
    store.transition(withdrawn.id, &[ReportState::Published], ReportState::Accepted, "s", json!({})).await.unwrap();
    let mut again = report("AZE", "Azerbaijan", 2022);
    again.policy_measures[0].title = "Renamed".into();
    let republished = store.publish(&again, "import").await.unwrap();
    let listed = store.published_listing().await.unwrap();
    let keys: Vec<(&str, RevisionId)> = listed.iter().map(|p| (p.party_iso3.as_str(), p.revision)).collect();
    assert_eq!(keys, [("AZE", republished), ("BEL", bel)]);
    assert_ne!(republished, aze);
}

async fn change_marks_move_with_publications_and_cycles(engine: Engine) {
    let (store, _database) = store(engine).await;
    let start = store.change_marks().await.unwrap();
    assert_eq!(start.outbox, 0);
    store.publish(&report("AZE", "Azerbaijan", 2022), "import").await.unwrap();
    let published = store.change_marks().await.unwrap();
    assert!(published.outbox > start.outbox && published.audit > start.audit, "{start:?} → {published:?}");
    let cycle = store.open_cycle(2027, "qpr-2020", "2027-06-30", "secretariat").await.unwrap();
    let opened = store.change_marks().await.unwrap();
    assert_eq!(opened.outbox, published.outbox, "opening a cycle publishes nothing");
    assert!(opened.audit > published.audit);
    store.close_cycle(cycle, "secretariat").await.unwrap();
    let closed = store.change_marks().await.unwrap();
    assert!(closed.audit > opened.audit);
    assert_eq!(store.change_marks().await.unwrap(), closed, "reading moves nothing");
}
