//! The index follows the database: publish, re-publish a changed revision and withdraw
//! reports through the store, run the outbox consumer, and the index shows each step;
//! `check` finds no difference, and finds the ones made on purpose. On both engines.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use qpr_search::{Problem, SearchIndex, SearchRequest};
use qpr_store::{ReportState, Store};
use qpr_test_support::{Engine, on_both_engines};
use serde_json::json;

use crate::support::seed_of;

struct World {
    store: Store,
    url: String,
    index_dir: std::path::PathBuf,
    _dir: tempfile::TempDir,
}

impl World {
    async fn new(engine: Engine) -> World {
        let dir = tempfile::tempdir().unwrap();
        let url = match engine {
            Engine::Sqlite => qpr_store::sqlite_url(&dir.path().join("qpr.sqlite3")),
            Engine::Postgres => qpr_test_support::postgres_url(),
        };
        let store = Store::open(&url).await.unwrap();
        World { store, url, index_dir: qpr_search::index_dir(dir.path()), _dir: dir }
    }

    fn open_index(&self) -> Arc<SearchIndex> {
        Arc::new(SearchIndex::open(&self.index_dir).unwrap())
    }

    async fn raw(&self) -> sqlx::AnyPool {
        sqlx::any::install_default_drivers();
        sqlx::AnyPool::connect(&self.url).await.unwrap()
    }
}

fn titles(index: &SearchIndex, query: &[(&str, &str)]) -> Vec<String> {
    let mut request = SearchRequest::from_params(query.iter().copied()).unwrap();
    request.per_page = 100;
    index.search(&request).unwrap().hits.into_iter().map(|h| h.title).collect()
}

fn total(index: &SearchIndex, query: &[(&str, &str)]) -> u64 {
    index.search(&SearchRequest::from_params(query.iter().copied()).unwrap()).unwrap().total
}

async fn assert_in_step(index: &SearchIndex, store: &Store) {
    let report = qpr_search::check(index, store).await.unwrap();
    assert!(report.differences.is_empty(), "{:#?}", report.differences);
    assert_eq!(report.indexed, report.in_database);
    assert_eq!(report.index_seq, report.outbox_head);
}

on_both_engines!(
    search_follows_publication_edits_and_withdrawal,
    a_restart_resumes_after_the_last_applied_event,
    check_finds_drift_made_on_purpose
);

async fn search_follows_publication_edits_and_withdrawal(engine: Engine) {
    let world = World::new(engine).await;
    let index = world.open_index();
    assert_eq!(qpr_search::catch_up(&index, &world.store).await.unwrap(), 0);
    assert_eq!(total(&index, &[]), 0);

    world.store.publish(&seed_of(2022), "test").await.unwrap();
    assert_eq!(total(&index, &[]), 0, "nothing before the consumer runs");
    assert_eq!(qpr_search::catch_up(&index, &world.store).await.unwrap(), 1);
    assert_eq!(total(&index, &[("domain", "music")]), 4);
    assert_in_step(&index, &world.store).await;

    let mut edited = seed_of(2022);
    edited.policy_measures[0].title = "Orchestras on tour".into();
    edited.policy_measures[0].domains = vec!["Music".into()];
    world.store.publish(&edited, "test").await.unwrap();
    qpr_search::catch_up(&index, &world.store).await.unwrap();
    assert_eq!(titles(&index, &[("q", "orchestras")]), ["Orchestras on tour"]);
    assert_eq!(total(&index, &[("domain", "music")]), 5, "the edited measure is now about music");
    assert_eq!(total(&index, &[]), 27, "the old revision's measures are gone");
    assert_in_step(&index, &world.store).await;

    world.store.publish(&seed_of(2018), "test").await.unwrap();
    qpr_search::catch_up(&index, &world.store).await.unwrap();
    assert_eq!(total(&index, &[("year", "2018")]), 27);
    assert_eq!(total(&index, &[]), 27, "the 2018 report is a copy: its measures are the same measures");
    assert_eq!(total(&index, &[("year", "2022")]), 27);
    assert_in_step(&index, &world.store).await;

    let report = world.store.report_by_key("AZE", 2022).await.unwrap().unwrap().id;
    world
        .store
        .transition(report, &[ReportState::Published], ReportState::Accepted, "secretariat", json!({}))
        .await
        .unwrap();
    qpr_search::catch_up(&index, &world.store).await.unwrap();
    assert!(titles(&index, &[("q", "orchestras")]).is_empty(), "withdrawn measures are not found");
    assert_eq!(total(&index, &[]), 27);
    assert_in_step(&index, &world.store).await;
}

async fn a_restart_resumes_after_the_last_applied_event(engine: Engine) {
    let world = World::new(engine).await;
    world.store.publish(&seed_of(2022), "test").await.unwrap();
    {
        let index = world.open_index();
        assert_eq!(qpr_search::catch_up(&index, &world.store).await.unwrap(), 1);
    }
    world.store.publish(&seed_of(2018), "test").await.unwrap();
    let index = world.open_index();
    assert_eq!(index.applied_seq().unwrap(), 1, "the position is kept with the index");
    assert_eq!(qpr_search::catch_up(&index, &world.store).await.unwrap(), 1, "only the new event is applied");
    assert_eq!(total(&index, &[]), 27, "a copy of the same measures");
    assert_eq!(total(&index, &[("year", "2018")]), 27);
    assert_in_step(&index, &world.store).await;
    drop(index);
    // A lost index is only a cache: a new one is rebuilt from the database.
    std::fs::remove_dir_all(&world.index_dir).unwrap();
    let index = world.open_index();
    assert!(index.is_empty());
    qpr_search::rebuild(&index, &world.store, |_, _| {}).await.unwrap();
    assert_in_step(&index, &world.store).await;
}

async fn check_finds_drift_made_on_purpose(engine: Engine) {
    let world = World::new(engine).await;
    world.store.publish(&seed_of(2022), "test").await.unwrap();
    world.store.publish(&seed_of(2018), "test").await.unwrap();
    let index = world.open_index();
    qpr_search::catch_up(&index, &world.store).await.unwrap();
    assert_in_step(&index, &world.store).await;

    // The index holds another text than the database for one report.
    let report_2018 = world.store.report_by_key("AZE", 2018).await.unwrap().unwrap();
    let mut wrong = seed_of(2018);
    wrong.policy_measures[3].title = "A title nobody published".into();
    wrong.cso_measures.pop();
    index.replace_report(report_2018.id, Some((report_2018.published_revision.unwrap(), &wrong))).unwrap();
    index.commit(index.applied_seq().unwrap()).unwrap();
    let report = qpr_search::check(&index, &world.store).await.unwrap();
    let problems: Vec<&Problem> = report.differences.iter().map(|d| &d.problem).collect();
    assert!(problems.iter().any(|p| matches!(p, Problem::Field { field, .. } if field == "title")), "{problems:?}");
    assert!(problems.contains(&&Problem::MissingFromIndex), "{problems:?}");
    qpr_search::rebuild(&index, &world.store, |_, _| {}).await.unwrap();
    assert_in_step(&index, &world.store).await;

    // The database loses a publication without an outbox event (a manual edit).
    let report_2022 = world.store.report_by_key("AZE", 2022).await.unwrap().unwrap();
    sqlx::query("UPDATE reports SET state = 'accepted' WHERE id = $1")
        .bind(report_2022.id)
        .execute(&world.raw().await)
        .await
        .unwrap();
    let report = qpr_search::check(&index, &world.store).await.unwrap();
    let (gone, changed): (Vec<_>, Vec<_>) =
        report.differences.iter().partition(|d| d.problem == Problem::NotInDatabase);
    assert_eq!(gone.len(), 27, "{:#?}", report.differences);
    assert!(gone.iter().all(|d| d.report_id == report_2022.id.get()));
    assert!(gone[0].to_string().contains("not published in the database"), "{}", gone[0]);
    // The 2018 versions are now the newest published: the index does not know it yet.
    assert!(
        changed.iter().all(|d| d.report_id == report_2018.id.get()
            && matches!(&d.problem, Problem::Field { field, .. } if field == "reported_in" || field.starts_with("current"))),
        "{changed:#?}"
    );
    assert_eq!(changed.len(), 27 * 3, "reported_in, current and its bit of each 2018 measure");
}
