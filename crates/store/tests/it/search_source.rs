//! The read queries the search index is built from, on both engines.

// The test bodies are plain async functions that the per-engine macro wraps in `#[test]`s,
// so clippy does not see them as tests.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use qpr_store::{PublishedRevision, ReportId, ReportState};
use qpr_test_support::{Engine, on_both_engines};
use serde_json::json;

use crate::support::{TestDb, seed_of};

on_both_engines!(
    published_revisions_lists_what_is_on_the_public_site,
    published_revision_of_follows_publication_and_withdrawal
);

async fn published_revisions_lists_what_is_on_the_public_site(engine: Engine) {
    let db = TestDb::new(engine).await;
    assert!(db.store.published_revisions().await.unwrap().is_empty());
    let first = db.store.publish(&seed_of(2018), "test").await.unwrap();
    let second = db.store.publish(&seed_of(2022), "test").await.unwrap();
    let (draft, _) = db.store.create_report(&seed_of(2026), "test").await.unwrap();
    let listed = db.store.published_revisions().await.unwrap();
    let reports: Vec<ReportId> = listed.iter().map(|p| p.report_id).collect();
    assert!(!reports.contains(&draft), "drafts are not listed");
    assert_eq!(listed.iter().map(|p| p.revision_id).collect::<Vec<_>>(), [first, second]);
    assert!(reports.windows(2).all(|w| w[0] < w[1]), "by report id");
    let report = db.store.report_by_key("AZE", 2022).await.unwrap().unwrap();
    let aze = PublishedRevision { report_id: report.id, revision_id: second, party_iso3: "AZE".into() };
    assert!(listed.contains(&aze));
    let mut other = seed_of(2022);
    other.party = qpr_domain::document::PartyRef {
        name: "France".into(),
        iso3: Some(qpr_domain::countries::Iso3::parse("FRA").unwrap()),
    };
    db.store.publish(&other, "test").await.unwrap();
    let of_party = db.store.published_revisions_of_party("AZE").await.unwrap();
    assert_eq!(of_party.iter().map(|p| p.revision_id).collect::<Vec<_>>(), [first, second], "the Party's only");
    assert_eq!(db.store.published_revisions_of_party("FRA").await.unwrap().len(), 1);
}

async fn published_revision_of_follows_publication_and_withdrawal(engine: Engine) {
    let db = TestDb::new(engine).await;
    assert_eq!(db.store.published_revision_of(ReportId::new(42)).await.unwrap(), None, "no such report");
    let first = db.store.publish(&seed_of(2022), "test").await.unwrap();
    let report = db.store.report_by_key("AZE", 2022).await.unwrap().unwrap().id;
    assert_eq!(db.store.published_revision_of(report).await.unwrap(), Some(first));
    let mut edited = seed_of(2022);
    edited.policy_measures[0].title = "Edited".into();
    let second = db.store.publish(&edited, "test").await.unwrap();
    assert_ne!(first, second);
    assert_eq!(
        db.store.published_revision_of(report).await.unwrap(),
        Some(second),
        "a re-publication replaces the revision"
    );
    db.store.transition(report, &[ReportState::Published], ReportState::Accepted, "s", json!({})).await.unwrap();
    assert_eq!(db.store.published_revision_of(report).await.unwrap(), None, "withdrawn");
}
