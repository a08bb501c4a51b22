//! Reporting cycles: the year, the framework version Parties answer, the submission
//! deadline, and whether the cycle is open.

use qpr_domain::ReportDocument;
use sqlx::Row;

use crate::reports::{REPORT_COLUMNS, StoredReport, report_from_row};
use crate::{CycleId, Store, StoreError, corrupt, int, now};

/// A reporting cycle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cycle {
    /// Id.
    pub id: CycleId,
    /// Reporting year (the year reports of the cycle carry).
    pub year: i32,
    /// Framework id the cycle's reports answer (`qpr-2020`).
    pub framework: String,
    /// Submission deadline (`YYYY-MM-DD`).
    pub deadline: String,
    /// Accepting submissions.
    pub open: bool,
}

impl Store {
    /// Opens a reporting cycle; one per year.
    pub async fn open_cycle(
        &self,
        year: i32,
        framework: &str,
        deadline: &str,
        actor: &str,
    ) -> Result<CycleId, StoreError> {
        self.open_cycle_with_reports(year, framework, deadline, &[], actor).await
    }

    /// Opens a reporting cycle and, in the same transaction, creates the draft report of each
    /// Party expected (one empty document each, answering the cycle's framework). Nothing is
    /// written if any of them fails (a Party with a report for that year already, say).
    pub async fn open_cycle_with_reports(
        &self,
        year: i32,
        framework: &str,
        deadline: &str,
        drafts: &[ReportDocument],
        actor: &str,
    ) -> Result<CycleId, StoreError> {
        if let Some(stray) = drafts.iter().find(|d| d.year != year || d.framework != framework) {
            return Err(StoreError::Rejected(format!(
                "the draft of {} answers {} {}, not the cycle's {framework} {year}",
                stray.party.name, stray.framework, stray.year
            )));
        }
        let mut tx = self.writer.begin().await?;
        let id: Option<CycleId> = sqlx::query_scalar(
            "INSERT INTO cycles (year, framework, deadline, state, created_at) VALUES ($1, $2, $3, 'open', $4)
             ON CONFLICT (year) DO NOTHING RETURNING id",
        )
        .bind(i64::from(year))
        .bind(framework.to_owned())
        .bind(deadline.to_owned())
        .bind(now())
        .fetch_optional(&mut *tx)
        .await?;
        let id = id.ok_or_else(|| StoreError::Rejected(format!("a reporting cycle for {year} exists already")))?;
        crate::audit::append(
            self.audit_key(),
            &mut tx,
            actor,
            "cycle.opened",
            &format!("cycle:{id}"),
            &serde_json::json!({"year": year, "framework": framework, "deadline": deadline}),
        )
        .await?;
        for draft in drafts {
            crate::reports::insert_report(self.audit_key(), &mut tx, draft, Some(id), actor).await?;
        }
        tx.commit().await?;
        Ok(id)
    }

    /// The reports of a cycle, by Party code.
    pub async fn cycle_reports(&self, cycle: CycleId) -> Result<Vec<StoredReport>, StoreError> {
        let sql = format!("SELECT {REPORT_COLUMNS} FROM reports WHERE cycle_id = $1 ORDER BY party_iso3");
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(cycle).fetch_all(&self.pool).await?;
        rows.iter().map(report_from_row).collect()
    }

    /// Closes a cycle to submissions.
    pub async fn close_cycle(&self, id: CycleId, actor: &str) -> Result<(), StoreError> {
        let mut tx = self.writer.begin().await?;
        let changed = sqlx::query("UPDATE cycles SET state = 'closed' WHERE id = $1 AND state = 'open'")
            .bind(id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if changed == 0 {
            return Err(StoreError::NotFound(format!("open cycle {id}")));
        }
        crate::audit::append(
            self.audit_key(),
            &mut tx,
            actor,
            "cycle.closed",
            &format!("cycle:{id}"),
            &serde_json::json!({}),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Every cycle, newest first.
    pub async fn cycles(&self) -> Result<Vec<Cycle>, StoreError> {
        let rows = sqlx::query("SELECT id, year, framework, deadline, state FROM cycles ORDER BY year DESC")
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|row| {
                let id: CycleId = row.try_get("id")?;
                let year = int(row, "year")?;
                let state: String = row.try_get("state")?;
                Ok(Cycle {
                    id,
                    year: i32::try_from(year).map_err(|_| {
                        corrupt("cycles", format_args!("id {id}"), format_args!("year {year} out of range"))
                    })?,
                    framework: row.try_get("framework")?,
                    deadline: row.try_get("deadline")?,
                    open: match state.as_str() {
                        "open" => true,
                        "closed" => false,
                        _ => {
                            return Err(corrupt(
                                "cycles",
                                format_args!("id {id}"),
                                format_args!("unknown state `{state}`"),
                            ));
                        }
                    },
                })
            })
            .collect()
    }
}
