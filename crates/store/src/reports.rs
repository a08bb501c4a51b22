//! Reports, their immutable revisions, saves without lost updates, and publication.

use std::sync::Arc;

use qpr_domain::ReportDocument;
use qpr_domain::changes::{self, Change, MergeError};
use sqlx::AnyConnection;
use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};

use crate::{
    Backend, CycleId, ReportId, RevisionId, Store, StoreError, Timestamp, corrupt, int, now, opt_timestamp, sha256_hex,
    timestamp,
};

/// [`ReportState::EDITABLE`] as an SQL list, `('draft', 'changes_requested')`, for `concat!`
/// into queries (`state IN …`); a test checks it names exactly those states.
macro_rules! editable_states_sql {
    () => {
        "('draft', 'changes_requested')"
    };
}

/// Where a report is in its workflow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReportState {
    /// Being prepared by the Party.
    Draft,
    /// Signed and submitted; locked for the Party.
    Submitted,
    /// Sent back to the Party with comments.
    ChangesRequested,
    /// Accepted by the Secretariat.
    Accepted,
    /// On the public site.
    Published,
}

impl ReportState {
    /// The stored name.
    pub const fn as_str(self) -> &'static str {
        match self {
            ReportState::Draft => "draft",
            ReportState::Submitted => "submitted",
            ReportState::ChangesRequested => "changes_requested",
            ReportState::Accepted => "accepted",
            ReportState::Published => "published",
        }
    }

    /// Every state, in the order of a report's life.
    pub const ALL: [ReportState; 5] = [
        ReportState::Draft,
        ReportState::Submitted,
        ReportState::ChangesRequested,
        ReportState::Accepted,
        ReportState::Published,
    ];
    /// The states in which the Party may still change the report (answers, annexes, CSO
    /// input) and sign it: draft and changes requested.
    pub const EDITABLE: [ReportState; 2] = [ReportState::Draft, ReportState::ChangesRequested];

    /// Whether the Party may still change and sign the report (see [`ReportState::EDITABLE`]).
    pub fn is_editable(self) -> bool {
        Self::EDITABLE.contains(&self)
    }

    /// Parses a stored name.
    pub fn parse(name: &str) -> Option<ReportState> {
        ReportState::ALL.into_iter().find(|s| s.as_str() == name)
    }
}

/// A report row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredReport {
    /// Id.
    pub id: ReportId,
    /// Party code.
    pub party_iso3: String,
    /// Party name as in the report.
    pub party_name: String,
    /// Report year.
    pub year: i32,
    /// Framework id the report answers.
    pub framework: String,
    /// Workflow state.
    pub state: ReportState,
    /// The latest revision.
    pub current_revision: Option<RevisionId>,
    /// The revision last submitted.
    pub submitted_revision: Option<RevisionId>,
    /// The revision on the public site.
    pub published_revision: Option<RevisionId>,
    /// When it was published.
    pub published_at: Option<Timestamp>,
    /// Last change.
    pub updated_at: Timestamp,
}

/// What is known of a revision besides its document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RevisionInfo {
    /// Id (increasing).
    pub id: RevisionId,
    /// Report.
    pub report_id: ReportId,
    /// The revision it was based on.
    pub parent_id: Option<RevisionId>,
    /// For a save, the revision the author's editor showed; when it is not `parent_id`, the
    /// save was merged with saves made in between. `None` for revisions not made by a save.
    pub base_id: Option<RevisionId>,
    /// Who saved it.
    pub author: String,
    /// When.
    pub created_at: Timestamp,
    /// SHA-256 (hex) of the document's JSON as stored.
    pub sha256: String,
}

/// How a save went.
#[derive(Debug, Clone, PartialEq)]
pub enum SaveOutcome {
    /// Saved as given: nobody saved in between.
    Saved {
        /// The new revision.
        revision: RevisionId,
    },
    /// Someone saved other fields in between; both changes are in the new revision.
    Merged {
        /// The new revision.
        revision: RevisionId,
        /// The merged document, which the editor should now show.
        document: Box<ReportDocument>,
    },
}

impl SaveOutcome {
    /// The new revision.
    pub fn revision(&self) -> RevisionId {
        match self {
            SaveOutcome::Saved { revision } | SaveOutcome::Merged { revision, .. } => *revision,
        }
    }
}

/// A published report as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct PublishedReport {
    /// The document of the published revision.
    pub document: ReportDocument,
    /// Id of that revision.
    pub revision: RevisionId,
    /// SHA-256 (hex) of the revision's JSON.
    pub sha256: String,
    /// When it was published.
    pub published_at: Timestamp,
    /// The day it was submitted (`YYYY-MM-DD`): for a report signed in qpr, the day of the
    /// signature of the published revision; for an imported one, the date the earlier
    /// platform recorded (`None` when its page does not tell).
    pub submitted_on: Option<String>,
    /// When an import published it (`None` for a report submitted and published in qpr).
    pub imported_at: Option<Timestamp>,
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
    pub published_at: Timestamp,
}

pub(crate) const REPORT_COLUMNS: &str = "id, party_iso3, party_name, year, framework, state, current_revision, submitted_revision, published_revision, published_at, updated_at";

pub(crate) fn report_from_row(row: &AnyRow) -> Result<StoredReport, StoreError> {
    let state: String = row.try_get("state")?;
    let id: ReportId = row.try_get("id")?;
    let key = format!("id {id}");
    let year = int(row, "year")?;
    Ok(StoredReport {
        id,
        party_iso3: row.try_get("party_iso3")?,
        party_name: row.try_get("party_name")?,
        year: i32::try_from(year).map_err(|_| corrupt("reports", &key, format_args!("year {year} out of range")))?,
        framework: row.try_get("framework")?,
        state: ReportState::parse(&state)
            .ok_or_else(|| corrupt("reports", &key, format_args!("unknown state `{state}`")))?,
        current_revision: row.try_get("current_revision")?,
        submitted_revision: row.try_get("submitted_revision")?,
        published_revision: row.try_get("published_revision")?,
        published_at: opt_timestamp(row, "reports", "published_at", &key)?,
        updated_at: timestamp(row, "reports", "updated_at", &key)?,
    })
}

fn revision_from_row(row: &AnyRow) -> Result<RevisionInfo, StoreError> {
    let id: RevisionId = row.try_get("id")?;
    Ok(RevisionInfo {
        id,
        report_id: row.try_get("report_id")?,
        parent_id: row.try_get("parent_id")?,
        base_id: row.try_get("base_id")?,
        author: row.try_get("author")?,
        created_at: timestamp(row, "revisions", "created_at", &format!("id {id}"))?,
        sha256: row.try_get("sha256")?,
    })
}

/// A document's JSON as stored and hashed.
pub(crate) fn document_json(document: &ReportDocument) -> Result<String, StoreError> {
    serde_json::to_string(document).map_err(|e| StoreError::Corrupt(format!("document does not serialize: {e}")))
}

/// Parses a stored document after checking it against its hash.
pub(crate) fn checked_document(revision: RevisionId, json: &str, sha256: &str) -> Result<ReportDocument, StoreError> {
    if sha256_hex(json.as_bytes()) != sha256 {
        return Err(StoreError::Corrupt(format!("revision {revision} does not match its SHA-256")));
    }
    ReportDocument::from_json(json).map_err(|e| StoreError::Corrupt(format!("revision {revision}: {e}")))
}

/// How many times a save tries without a lock before it takes the report's lock.
const OPTIMISTIC_ATTEMPTS: usize = 3;

/// A save ready to be written.
struct PreparedSave {
    /// The revision the save was based on.
    base: RevisionId,
    /// The merged document, when the save was merged with another.
    merged: Option<ReportDocument>,
    json: String,
    sha256: String,
    /// The saved document's completeness, stored with the revision.
    percent: Option<u8>,
}

/// The current revision of an editable report, from its `state, current_revision` row.
fn editable_current(report: ReportId, row: Option<AnyRow>) -> Result<RevisionId, StoreError> {
    let row = row.ok_or_else(|| StoreError::NotFound(format!("report {report}")))?;
    let state: String = row.try_get("state")?;
    if !ReportState::parse(&state).is_some_and(ReportState::is_editable) {
        return Err(StoreError::Rejected(format!("the report is {state}; it can no longer be edited")));
    }
    row.try_get::<Option<RevisionId>, _>("current_revision")?
        .ok_or_else(|| StoreError::Corrupt(format!("report {report} has no revision")))
}

impl Store {
    /// Creates a draft report for the document's Party and year, its first revision holding
    /// the document. Fails if the report exists.
    pub async fn create_report(
        &self,
        document: &ReportDocument,
        author: &str,
    ) -> Result<(ReportId, RevisionId), StoreError> {
        let mut tx = self.writer.begin().await?;
        let created = insert_report(self.audit_key(), &mut tx, document, None, author).await?;
        tx.commit().await?;
        Ok(created)
    }

    /// A report by id.
    pub async fn report(&self, id: ReportId) -> Result<StoredReport, StoreError> {
        let sql = format!("SELECT {REPORT_COLUMNS} FROM reports WHERE id = $1");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(&self.pool).await?;
        report_from_row(&row.ok_or_else(|| StoreError::NotFound(format!("report {id}")))?)
    }

    /// A report by Party and year.
    pub async fn report_by_key(&self, iso3: &str, year: i32) -> Result<Option<StoredReport>, StoreError> {
        let sql = format!("SELECT {REPORT_COLUMNS} FROM reports WHERE party_iso3 = $1 AND year = $2");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(iso3.to_owned())
            .bind(i64::from(year))
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(report_from_row).transpose()
    }

    /// The Party's report of the latest year before `year`, in any state (what a new draft
    /// is prefilled from).
    pub async fn latest_report_before(&self, iso3: &str, year: i32) -> Result<Option<StoredReport>, StoreError> {
        let sql = format!(
            "SELECT {REPORT_COLUMNS} FROM reports WHERE party_iso3 = $1 AND year < $2 ORDER BY year DESC LIMIT 1"
        );
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(iso3.to_owned())
            .bind(i64::from(year))
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(report_from_row).transpose()
    }

    /// A revision and its document, checked against its hash.
    pub async fn revision(&self, id: RevisionId) -> Result<(RevisionInfo, ReportDocument), StoreError> {
        let row =
            sqlx::query("SELECT id, report_id, parent_id, base_id, author, created_at, sha256, document FROM revisions WHERE id = $1")
                .bind(id)
                .fetch_optional(&self.pool)
                .await?
                .ok_or_else(|| StoreError::NotFound(format!("revision {id}")))?;
        let info = revision_from_row(&row)?;
        let json: String = row.try_get("document")?;
        self.count_document_read();
        let document = checked_document(id, &json, &info.sha256)?;
        Ok((info, document))
    }

    /// What is recorded of revision `id` if it is one of `report`'s (no document read);
    /// [`StoreError::NotFound`] when it is not, whether it exists elsewhere or not.
    pub async fn revision_of_report(&self, report: ReportId, id: RevisionId) -> Result<RevisionInfo, StoreError> {
        let row = sqlx::query(
            "SELECT id, report_id, parent_id, base_id, author, created_at, sha256 FROM revisions WHERE id = $1 AND report_id = $2",
        )
        .bind(id)
        .bind(report)
        .fetch_optional(&self.pool)
        .await?
        .ok_or_else(|| StoreError::NotFound(format!("revision {id}")))?;
        revision_from_row(&row)
    }

    /// Every revision of a report, oldest first.
    pub async fn revisions(&self, report: ReportId) -> Result<Vec<RevisionInfo>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, report_id, parent_id, base_id, author, created_at, sha256 FROM revisions WHERE report_id = $1 ORDER BY id",
        )
        .bind(report)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(revision_from_row).collect()
    }

    /// Field-level differences between two revisions.
    pub async fn diff_revisions(&self, from: RevisionId, to: RevisionId) -> Result<Vec<Change>, StoreError> {
        let (_, a) = self.revision(from).await?;
        let (_, b) = self.revision(to).await?;
        Ok(changes::diff(&a, &b))
    }

    /// Saves `document` as a new revision of `report`, based on revision `base`.
    ///
    /// If another save landed after `base`, the two are merged field by field; if both
    /// changed a field differently, nothing is saved and [`StoreError::Conflict`] carries
    /// both values. Only drafts (and reports sent back for changes) can be saved.
    ///
    /// The merge, the JSON and its hash are prepared outside any transaction; the write is a
    /// short compare-and-set (insert the revision, move the pointer only if it still points at
    /// what the merge was made against). When other saves keep winning that race, the save
    /// falls back to doing everything under the report's lock, so it always gets through.
    pub async fn save(
        &self,
        report: ReportId,
        base: RevisionId,
        document: &ReportDocument,
        author: &str,
    ) -> Result<SaveOutcome, StoreError> {
        self.save_and(report, base, document, author, None).await
    }

    /// Saves `document` as [`Store::save`] does and records a decision on a CSO's measure in
    /// the same transaction: both or neither. The decision is checked first (the invitation
    /// belongs to `report` and was submitted); a refused one writes no revision.
    pub async fn save_with_cso_decision(
        &self,
        report: ReportId,
        base: RevisionId,
        document: &ReportDocument,
        author: &str,
        decision: &crate::CsoDecision,
    ) -> Result<SaveOutcome, StoreError> {
        self.save_and(report, base, document, author, Some(decision)).await
    }

    async fn save_and(
        &self,
        report: ReportId,
        base: RevisionId,
        document: &ReportDocument,
        author: &str,
        decision: Option<&crate::CsoDecision>,
    ) -> Result<SaveOutcome, StoreError> {
        if let Some(problem) = document.size_problem() {
            return Err(StoreError::TooLarge(problem));
        }
        let _queued = self.save_lock(report).lock().await;
        for _ in 0..OPTIMISTIC_ATTEMPTS {
            let row = sqlx::query("SELECT state, current_revision FROM reports WHERE id = $1")
                .bind(report)
                .fetch_optional(&self.pool)
                .await?;
            let current = editable_current(report, row)?;
            let prepared = self.prepare_save(&mut *self.pool.acquire().await?, report, base, current, document).await?;
            let mut tx = self.writer.begin().await?;
            if let Some(outcome) = self.write_prepared(&mut tx, (report, current), prepared, author, decision).await? {
                tx.commit().await?;
                self.saved(report, &outcome, document);
                return Ok(outcome);
            }
            tx.rollback().await?;
        }
        // Under the report's lock (on SQLite the single writer connection is that lock).
        let mut tx = self.writer.begin().await?;
        let lock = match self.backend {
            Backend::Sqlite => "SELECT state, current_revision FROM reports WHERE id = $1",
            Backend::Postgres => "SELECT state, current_revision FROM reports WHERE id = $1 FOR UPDATE",
        };
        let row = sqlx::query(lock).bind(report).fetch_optional(&mut *tx).await?;
        let current = editable_current(report, row)?;
        // Read through the locked transaction: asking the pool for another connection while
        // holding this one could exhaust it when many savers wait on the lock.
        let prepared = self.prepare_save(&mut tx, report, base, current, document).await?;
        let outcome = self.write_prepared(&mut tx, (report, current), prepared, author, decision).await?;
        let outcome =
            outcome.ok_or_else(|| StoreError::Rejected("the report changed while it was locked; try again".into()))?;
        tx.commit().await?;
        self.saved(report, &outcome, document);
        Ok(outcome)
    }

    /// After a save's commit: the next save on this report is likely merged against this
    /// revision, so its document is kept parsed (reading and parsing 100 KB of JSON again
    /// costs more than the rest of a save). Only after the commit: SQLite may give a
    /// rolled-back revision's id to the next revision.
    /// `ours` is the document the caller saved (what was stored unless it was merged).
    fn saved(&self, report: ReportId, outcome: &SaveOutcome, ours: &ReportDocument) {
        let stored = match outcome {
            SaveOutcome::Saved { .. } => ours,
            SaveOutcome::Merged { document, .. } => document,
        };
        self.revision_cache.put((report, outcome.revision()), Arc::new(stored.clone()));
        self.after_write();
    }

    /// The document to save on top of `current`: ours as given, or merged with what was
    /// saved since `base`; serialized and hashed.
    async fn prepare_save(
        &self,
        conn: &mut AnyConnection,
        report: ReportId,
        base: RevisionId,
        current: RevisionId,
        document: &ReportDocument,
    ) -> Result<PreparedSave, StoreError> {
        let merged = if current == base {
            None
        } else {
            let base_document = self.cached_revision(conn, report, base).await?;
            let current_document = self.cached_revision(conn, report, current).await?;
            match changes::merge(&base_document, &current_document, document) {
                Ok(merged) => Some(merged),
                Err(MergeError::Conflicts(conflicts)) => return Err(StoreError::Conflict { base, current, conflicts }),
                Err(MergeError::Invalid(message)) => return Err(StoreError::Rejected(message)),
            }
        };
        let saved = merged.as_ref().unwrap_or(document);
        let json = document_json(saved)?;
        let sha256 = sha256_hex(json.as_bytes());
        let percent = qpr_domain::validate::builtin_percent_complete(saved);
        Ok(PreparedSave { base, merged, json, sha256, percent })
    }

    /// Inserts the prepared revision and moves the pointer if it still points at `current`
    /// and the report is still editable; `None` when it does not (nothing is changed then).
    /// A CSO decision given is checked and written first, in the same transaction.
    async fn write_prepared(
        &self,
        tx: &mut Transaction<'_, Any>,
        (report, current): (ReportId, RevisionId),
        prepared: PreparedSave,
        author: &str,
        decision: Option<&crate::CsoDecision>,
    ) -> Result<Option<SaveOutcome>, StoreError> {
        if let Some(decision) = decision {
            crate::accounts::write_cso_decision(self.audit_key(), tx, decision, report, author).await?;
        }
        let at = now();
        let revision = insert_json_revision(
            tx,
            report,
            (Some(current), Some(prepared.base)),
            &prepared.json,
            &prepared.sha256,
            author,
            &at,
        )
        .await?;
        crate::board::insert_completeness(tx, revision, prepared.percent).await?;
        let moved = sqlx::query(concat!(
            "UPDATE reports SET current_revision = $1, updated_at = $2
             WHERE id = $3 AND current_revision = $4 AND state IN ",
            editable_states_sql!()
        ))
        .bind(revision)
        .bind(at)
        .bind(report)
        .bind(current)
        .execute(&mut **tx)
        .await?
        .rows_affected();
        if moved != 1 {
            return Ok(None);
        }
        Ok(Some(match prepared.merged {
            Some(merged) => SaveOutcome::Merged { revision, document: Box::new(merged) },
            None => SaveOutcome::Saved { revision },
        }))
    }

    /// A revision's document from the cache of parsed revisions (they never change), read and
    /// checked against its hash on a miss.
    async fn cached_revision(
        &self,
        conn: &mut AnyConnection,
        report: ReportId,
        id: RevisionId,
    ) -> Result<Arc<ReportDocument>, StoreError> {
        if let Some(document) = self.revision_cache.get((report, id)) {
            return Ok(document);
        }
        let row = sqlx::query("SELECT sha256, document FROM revisions WHERE id = $1 AND report_id = $2")
            .bind(id)
            .bind(report)
            .fetch_optional(conn)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("revision {id} of report {report}")))?;
        self.count_document_read();
        let document = Arc::new(checked_document(
            id,
            &row.try_get::<String, _>("document")?,
            &row.try_get::<String, _>("sha256")?,
        )?);
        self.revision_cache.put((report, id), Arc::clone(&document));
        Ok(document)
    }

    /// Moves a report to `to` if it is in one of `from`, recording the change in the audit
    /// log and, for publication and withdrawal, in the outbox.
    pub async fn transition(
        &self,
        report: ReportId,
        from: &[ReportState],
        to: ReportState,
        actor: &str,
        details: serde_json::Value,
    ) -> Result<StoredReport, StoreError> {
        let mut tx = self.writer.begin().await?;
        self.transition_in(&mut tx, report, from, to, actor, details).await?;
        tx.commit().await?;
        self.report(report).await
    }

    /// [`Store::transition`] inside the caller's transaction, so that what goes with the change
    /// of state commits with it or not at all.
    async fn transition_in(
        &self,
        tx: &mut Transaction<'static, Any>,
        report: ReportId,
        from: &[ReportState],
        to: ReportState,
        actor: &str,
        details: serde_json::Value,
    ) -> Result<(), StoreError> {
        let sql = format!("SELECT {REPORT_COLUMNS} FROM reports WHERE id = $1");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(report).fetch_optional(&mut **tx).await?;
        let stored = report_from_row(&row.ok_or_else(|| StoreError::NotFound(format!("report {report}")))?)?;
        if !from.contains(&stored.state) {
            return Err(StoreError::Rejected(format!(
                "a {} report cannot become {}",
                stored.state.as_str(),
                to.as_str()
            )));
        }
        let at = now();
        // What signs off is the submitted revision; a report published straight from a draft
        // (an import of an already published page) publishes its current revision.
        let revision = match (to, stored.state) {
            (ReportState::Published, ReportState::Accepted) => stored.submitted_revision,
            _ => stored.current_revision,
        };
        let (update, topic) = match to {
            ReportState::Submitted => (
                sqlx::query("UPDATE reports SET state = $1, submitted_revision = $2, updated_at = $3 WHERE id = $4 AND state = $5").bind(to.as_str()).bind(revision).bind(at),
                None,
            ),
            ReportState::Published => (
                sqlx::query("UPDATE reports SET state = $1, published_revision = $2, published_at = $3, updated_at = $3 WHERE id = $4 AND state = $5").bind(to.as_str()).bind(revision).bind(at),
                Some("report.published"),
            ),
            _ if stored.state == ReportState::Published => (
                sqlx::query("UPDATE reports SET state = $1, published_revision = NULL, published_at = NULL, updated_at = $2 WHERE id = $3 AND state = $4").bind(to.as_str()).bind(at),
                Some("report.withdrawn"),
            ),
            _ => (sqlx::query("UPDATE reports SET state = $1, updated_at = $2 WHERE id = $3 AND state = $4").bind(to.as_str()).bind(at), None),
        };
        let changed = update.bind(report).bind(stored.state.as_str()).execute(&mut **tx).await?.rows_affected();
        if changed != 1 {
            return Err(StoreError::Rejected("the report changed state meanwhile; reload it".into()));
        }
        let mut audit_details =
            serde_json::json!({"from": stored.state.as_str(), "to": to.as_str(), "revision": revision});
        if let (Some(target), serde_json::Value::Object(extra)) = (audit_details.as_object_mut(), details) {
            target.extend(extra);
        }
        crate::audit::append(
            self.audit_key(),
            tx,
            actor,
            &format!("report.{}", to.as_str()),
            &format!("report:{report}"),
            &audit_details,
        )
        .await?;
        if let Some(topic) = topic {
            let subject = if to == ReportState::Published { revision } else { stored.published_revision };
            crate::outbox::push(tx, topic, report, subject).await?;
        }
        Ok(())
    }

    /// Imports `document` as the published version of its report: creates the report or
    /// adds a revision on top of its current one, then publishes that revision. Returns it.
    pub async fn publish(&self, document: &ReportDocument, author: &str) -> Result<RevisionId, StoreError> {
        let iso3 = party_code(document)?;
        let (report, revision) = match self.report_by_key(&iso3, document.year).await? {
            None => self.create_report(document, author).await?,
            Some(existing) => {
                if existing.state != ReportState::Draft {
                    self.transition(
                        existing.id,
                        &[existing.state],
                        ReportState::Draft,
                        author,
                        serde_json::json!({"reason": "re-import"}),
                    )
                    .await?;
                }
                let base = existing
                    .current_revision
                    .ok_or_else(|| StoreError::Corrupt(format!("report {} has no revision", existing.id)))?;
                // The imported page replaces what was there: it is based on the current revision.
                (existing.id, self.save(existing.id, base, document, author).await?.revision())
            }
        };
        // Published with the dates of an import (when it was published here, and the original
        // submission) in one transaction: never a published import without its dates.
        let mut tx = self.writer.begin().await?;
        self.transition_in(
            &mut tx,
            report,
            &[ReportState::Draft],
            ReportState::Published,
            author,
            serde_json::json!({"source": "import"}),
        )
        .await?;
        let submitted_on = document.source.as_ref().and_then(|source| source.node_date());
        sqlx::query("UPDATE reports SET imported_at = published_at, submitted_on = $1 WHERE id = $2")
            .bind(submitted_on)
            .bind(report)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        tracing::info!(report.iso3 = %iso3, report.year = document.year, revision = revision.get(), "Published report {iso3} {}", document.year);
        Ok(revision)
    }

    /// Reads the original submission date of imported reports that have none yet (imported
    /// before the date was kept: listed in `import_dates_unread` by migration 0013) from their
    /// published documents; a document whose page does not tell keeps none. Run when the store
    /// opens; each report is read once, so after the first time there is nothing to do.
    pub(crate) async fn fill_import_dates(&self) -> Result<(), StoreError> {
        let rows = sqlx::query(
            "SELECT r.id, v.document, v.sha256, r.published_revision FROM import_dates_unread u
             JOIN reports r ON r.id = u.report_id JOIN revisions v ON v.id = r.published_revision
             WHERE r.state = 'published'",
        )
        .fetch_all(&self.writer)
        .await?;
        for row in &rows {
            let report: ReportId = row.try_get("id")?;
            let revision: RevisionId = row.try_get("published_revision")?;
            let document = checked_document(
                revision,
                &row.try_get::<String, _>("document")?,
                &row.try_get::<String, _>("sha256")?,
            )?;
            let date = document.source.as_ref().and_then(|source| source.node_date());
            let mut tx = self.writer.begin().await?;
            if let Some(date) = date {
                sqlx::query("UPDATE reports SET submitted_on = $1 WHERE id = $2 AND submitted_on IS NULL")
                    .bind(date)
                    .bind(report)
                    .execute(&mut *tx)
                    .await?;
            }
            sqlx::query("DELETE FROM import_dates_unread WHERE report_id = $1").bind(report).execute(&mut *tx).await?;
            tx.commit().await?;
        }
        // Reports no longer published (withdrawn) have nothing to read.
        sqlx::query(
            "DELETE FROM import_dates_unread WHERE report_id IN (SELECT id FROM reports WHERE state <> 'published')",
        )
        .execute(&self.writer)
        .await?;
        Ok(())
    }

    /// The published revision of a Party's report for a year.
    pub async fn published_report(&self, iso3: &str, year: i32) -> Result<Option<PublishedReport>, StoreError> {
        let row = sqlx::query(
            "SELECT v.id, v.sha256, v.document, r.published_at, r.imported_at, r.submitted_on, s.signed_at FROM reports r
             JOIN revisions v ON v.id = r.published_revision
             LEFT JOIN signatures s ON s.revision_id = r.published_revision
             WHERE r.party_iso3 = $1 AND r.year = $2 AND r.state = 'published'",
        )
        .bind(iso3.to_owned())
        .bind(i64::from(year))
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let revision: RevisionId = row.try_get("id")?;
        let sha256: String = row.try_get("sha256")?;
        self.count_document_read();
        let document = checked_document(revision, &row.try_get::<String, _>("document")?, &sha256)?;
        let key = format!("published_revision {revision}");
        let signed_at = opt_timestamp(&row, "signatures", "signed_at", &key)?;
        let submitted_on = match signed_at {
            // RFC 3339 in UTC: the day is its first ten characters.
            Some(signed_at) => signed_at.as_str().get(..10).map(str::to_owned),
            None => row.try_get("submitted_on")?,
        };
        Ok(Some(PublishedReport {
            document,
            revision,
            sha256,
            published_at: published_at(&row, &key)?,
            submitted_on,
            imported_at: opt_timestamp(&row, "reports", "imported_at", &key)?,
        }))
    }

    /// Every published report, newest year first, then by Party.
    pub async fn published_reports(&self) -> Result<Vec<ReportSummary>, StoreError> {
        let rows = sqlx::query(
            "SELECT party_iso3, party_name, year, published_at FROM reports WHERE state = 'published' ORDER BY year DESC, party_name",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                let party_iso3: String = row.try_get("party_iso3")?;
                let year = report_year(row)?;
                Ok(ReportSummary {
                    published_at: published_at(row, &format!("party_iso3 {party_iso3}, year {year}"))?,
                    party_iso3,
                    party_name: row.try_get("party_name")?,
                    year,
                })
            })
            .collect()
    }

    /// Every report, any state.
    pub async fn reports(&self) -> Result<Vec<StoredReport>, StoreError> {
        let sql = format!("SELECT {REPORT_COLUMNS} FROM reports ORDER BY id");
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).fetch_all(&self.pool).await?;
        rows.iter().map(report_from_row).collect()
    }

    /// Number of reports of any state.
    pub async fn report_count(&self) -> Result<i64, StoreError> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM reports").fetch_one(&self.pool).await?)
    }

    /// Number of revisions of a Party's report for a year.
    pub async fn revision_count(&self, iso3: &str, year: i32) -> Result<i64, StoreError> {
        Ok(sqlx::query_scalar(
            "SELECT COUNT(*) FROM revisions v JOIN reports r ON r.id = v.report_id WHERE r.party_iso3 = $1 AND r.year = $2",
        )
        .bind(iso3.to_owned())
        .bind(i64::from(year))
        .fetch_one(&self.pool)
        .await?)
    }
}

/// The code a document's Party is stored under: its current one, for a document that names a
/// former code (`EUE`, the European Union's before `EUU`).
fn party_code(document: &ReportDocument) -> Result<String, StoreError> {
    document
        .party
        .iso3
        .clone()
        .map(|code| code.current().to_string())
        .ok_or_else(|| StoreError::NoPartyCode(document.party.name.clone()))
}

/// Inserts a draft report of the document's Party and year (in a cycle, if given) with its
/// first revision; fails if the report exists. Returns the report and revision ids.
pub(crate) async fn insert_report(
    key: Option<&qpr_signature::PlatformKey>,
    tx: &mut Transaction<'_, Any>,
    document: &ReportDocument,
    cycle: Option<CycleId>,
    author: &str,
) -> Result<(ReportId, RevisionId), StoreError> {
    let iso3 = party_code(document)?;
    let at = now();
    let report: ReportId = sqlx::query_scalar(
        "INSERT INTO reports (party_iso3, party_name, year, framework, cycle_id, state, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, 'draft', $6, $6) ON CONFLICT (party_iso3, year) DO NOTHING RETURNING id",
    )
    .bind(iso3.clone())
    .bind(document.party.name.clone())
    .bind(i64::from(document.year))
    .bind(document.framework.clone())
    .bind(cycle)
    .bind(at.clone())
    .fetch_optional(&mut **tx)
    .await?
    .ok_or_else(|| StoreError::Rejected(format!("a report of {iso3} for {} exists already", document.year)))?;
    let revision = insert_revision(tx, report, None, document, author, &at).await?;
    sqlx::query("UPDATE reports SET current_revision = $1 WHERE id = $2")
        .bind(revision)
        .bind(report)
        .execute(&mut **tx)
        .await?;
    crate::audit::append(
        key,
        tx,
        author,
        "report.created",
        &format!("report:{report}"),
        &serde_json::json!({"party": iso3, "year": document.year, "revision": revision, "cycle": cycle}),
    )
    .await?;
    Ok((report, revision))
}

async fn insert_revision(
    tx: &mut Transaction<'_, Any>,
    report: ReportId,
    parent: Option<RevisionId>,
    document: &ReportDocument,
    author: &str,
    at: &Timestamp,
) -> Result<RevisionId, StoreError> {
    let json = document_json(document)?;
    let sha256 = sha256_hex(json.as_bytes());
    let revision = insert_json_revision(tx, report, (parent, None), &json, &sha256, author, at).await?;
    crate::board::insert_completeness(tx, revision, qpr_domain::validate::builtin_percent_complete(document)).await?;
    Ok(revision)
}

/// Inserts a revision; `lineage` is its parent and, for a save, the revision it was based on.
async fn insert_json_revision(
    tx: &mut Transaction<'_, Any>,
    report: ReportId,
    lineage: (Option<RevisionId>, Option<RevisionId>),
    json: &str,
    sha256: &str,
    author: &str,
    at: &Timestamp,
) -> Result<RevisionId, StoreError> {
    Ok(sqlx::query_scalar(
        "INSERT INTO revisions (report_id, parent_id, base_id, author, created_at, sha256, document) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(report)
    .bind(lineage.0)
    .bind(lineage.1)
    .bind(author.to_owned())
    .bind(at.clone())
    .bind(sha256)
    .bind(json)
    .fetch_one(&mut **tx)
    .await?)
}

/// The publication time of a published report's row (named by `key` in errors): publication
/// always records it, so a published row without one is damaged, never "published at the
/// empty time".
pub(crate) fn published_at(row: &AnyRow, key: &str) -> Result<Timestamp, StoreError> {
    opt_timestamp(row, "reports", "published_at", &key)?
        .ok_or_else(|| StoreError::Corrupt(format!("the published report with {key} has no publication time")))
}

/// A report row's year, which the schema stores as an integer of any width.
pub(crate) fn report_year(row: &AnyRow) -> Result<i32, StoreError> {
    let year = int(row, "year")?;
    i32::try_from(year).map_err(|_| StoreError::Corrupt(format!("report year {year} out of range")))
}

#[cfg(test)]
mod tests {
    use super::ReportState;

    #[test]
    fn the_sql_list_of_editable_states_is_the_editable_states() {
        let listed = ReportState::EDITABLE.map(|state| format!("'{}'", state.as_str())).join(", ");
        assert_eq!(editable_states_sql!(), format!("({listed})"));
        let editable: Vec<_> = ReportState::ALL.into_iter().filter(|state| state.is_editable()).collect();
        assert_eq!(editable, ReportState::EDITABLE);
    }
}
