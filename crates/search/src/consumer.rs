//! Keeping the index in step with the database: a full rebuild, and the outbox consumer.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::time::Duration;

use qpr_store::{PublishedRevision, ReportId, Store};

use crate::{SearchError, SearchIndex};

/// Outbox events read at a time.
const BATCH: i64 = 256;

/// What a rebuild did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RebuildSummary {
    /// Published reports read.
    pub reports: usize,
    /// Measures indexed.
    pub measures: usize,
    /// The outbox position the index now reflects.
    pub seq: i64,
}

/// Recreates the index from the database: every measure of every published revision.
/// `progress` is called after each report with (reports done, reports in all).
pub async fn rebuild(
    index: &Arc<SearchIndex>,
    store: &Store,
    progress: impl Fn(usize, usize),
) -> Result<RebuildSummary, SearchError> {
    // The outbox position is read first: whatever is published after it is replayed later.
    let seq = store.outbox_head().await?;
    let published = store.published_revisions().await?;
    index.set_background_merges(false)?;
    index.clear()?;
    let mut by_party: BTreeMap<&str, Vec<&PublishedRevision>> = BTreeMap::new();
    for report in &published {
        by_party.entry(report.party_iso3.as_str()).or_default().push(report);
    }
    let (mut measures, mut done) = (0, 0);
    for reports in by_party.values() {
        measures += replace_party(index, store, &[], reports).await?;
        done += reports.len();
        progress(done, published.len());
    }
    blocking(index, move |index| {
        index.commit(seq)?;
        index.optimize()?;
        index.set_background_merges(true)
    })
    .await?;
    Ok(RebuildSummary { reports: published.len(), measures, seq })
}

/// Indexes every published report of a Party (`published`), after removing what the index
/// holds of them and of `others` (reports of the Party no longer published).
async fn replace_party(
    index: &SearchIndex,
    store: &Store,
    others: &[ReportId],
    published: &[&PublishedRevision],
) -> Result<usize, SearchError> {
    let mut documents = Vec::with_capacity(published.len());
    for report in published {
        documents.push((report.report_id, report.revision_id, store.revision(report.revision_id).await?.1));
    }
    let documents: Vec<_> =
        documents.iter().map(|(report, revision, document)| (*report, *revision, document)).collect();
    index.replace_party(others, &documents)
}

/// Applies every outbox event after the one the index recorded: each report concerned is
/// re-read as it is now (published revision, or not published) and its measures replaced.
/// Returns the number of events applied.
pub async fn catch_up(index: &Arc<SearchIndex>, store: &Store) -> Result<usize, SearchError> {
    let mut applied = 0;
    loop {
        let events = store.outbox_after(index.applied_seq()?, BATCH).await?;
        let Some(last) = events.last().map(|e| e.seq) else { return Ok(applied) };
        let reports: BTreeSet<ReportId> =
            events.iter().filter(|e| e.topic.starts_with("report.")).map(|e| e.report_id).collect();
        // A report's measures are current or not by the Party's other reports: the Party's
        // published reports are indexed together.
        let mut parties: BTreeMap<String, Vec<ReportId>> = BTreeMap::new();
        for report in reports {
            match store.report(report).await {
                Ok(stored) => parties.entry(stored.party_iso3).or_default().push(report),
                // A report that is gone has nothing published; what the index holds of it goes.
                Err(qpr_store::StoreError::NotFound(_)) => {
                    index.replace_report(report, None)?;
                }
                Err(error) => return Err(error.into()),
            }
        }
        for (party, reports) in parties {
            let published = store.published_revisions_of_party(&party).await?;
            replace_party(index, store, &reports, &published.iter().collect::<Vec<_>>()).await?;
        }
        blocking(index, move |index| index.commit(last)).await?;
        applied += events.len();
    }
}

/// Follows the outbox for as long as the task runs, checking every `every`. A new index, or
/// one ahead of the database's outbox (built from another database), is rebuilt first. Errors are logged and retried: the database may be
/// briefly unreachable, and the index never gets ahead of it.
pub async fn follow(index: Arc<SearchIndex>, store: Store, every: Duration) {
    let rebuild_first = match index.applied_seq() {
        // An index ahead of the outbox was built from another database.
        Ok(applied) => store.outbox_head().await.is_ok_and(|head| applied > head) || (index.is_empty() && applied == 0),
        Err(error) => {
            tracing::warn!(error = %error, "The search index does not say how far it follows the database; it is rebuilt");
            true
        }
    };
    if rebuild_first {
        match rebuild(&index, &store, |_, _| {}).await {
            Ok(summary) => {
                tracing::info!(measures = summary.measures, "Built the search index: {} measures", summary.measures)
            }
            Err(error) => tracing::error!(error = %error, "Building the search index failed: {error}"),
        }
    }
    loop {
        match catch_up(&index, &store).await {
            Ok(0) => {}
            // The sequence number is for the log line only; catch_up has just written it.
            Ok(events) => tracing::info!(events, seq = index.applied_seq().unwrap_or(0), "Search index updated"),
            Err(error) => tracing::error!(error = %error, "Updating the search index failed: {error}"),
        }
        tokio::time::sleep(every).await;
    }
}

/// Runs index work that blocks (commits, merges) off the async threads.
async fn blocking<T: Send + 'static>(
    index: &Arc<SearchIndex>,
    work: impl FnOnce(&SearchIndex) -> Result<T, SearchError> + Send + 'static,
) -> Result<T, SearchError> {
    let index = Arc::clone(index);
    tokio::task::spawn_blocking(move || work(&index))
        .await
        .map_err(|e| SearchError::Io(format!("index task failed: {e}")))?
}
