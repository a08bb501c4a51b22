//! Deadline reminders: which were sent, so that each is sent once per report, deadline and
//! threshold however often the reminder job runs, and never an earlier threshold after a later.

use sqlx::Row;

use crate::{ReportId, Store, StoreError, Timestamp, int, now, timestamp};

/// A reminder recorded as sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentReminder {
    /// Report.
    pub report_id: ReportId,
    /// The deadline it reminded of (`YYYY-MM-DD`).
    pub deadline: String,
    /// How many days before the deadline it was due (60, 30, 7).
    pub threshold_days: i64,
    /// When it was claimed for sending.
    pub sent_at: Timestamp,
    /// How many people it went to.
    pub recipients: i64,
}

impl Store {
    /// Claims the reminder of `report` due `threshold_days` before `deadline`: `true` when the
    /// caller is to send it, `false` when it, or a reminder of a smaller threshold (a later
    /// one), was claimed already for this deadline. One statement, so two jobs running at once
    /// cannot both claim the same reminder.
    pub async fn claim_reminder(
        &self,
        report: ReportId,
        deadline: &str,
        threshold_days: i64,
        recipients: i64,
    ) -> Result<bool, StoreError> {
        let claimed: Option<ReportId> = sqlx::query_scalar(
            "INSERT INTO reminders (report_id, deadline, threshold_days, sent_at, recipients)
             SELECT $1, $2, $3, $4, $5
             WHERE NOT EXISTS (SELECT 1 FROM reminders WHERE report_id = $1 AND deadline = $2 AND threshold_days <= $3)
             ON CONFLICT DO NOTHING RETURNING report_id",
        )
        .bind(report)
        .bind(deadline.to_owned())
        .bind(threshold_days)
        .bind(now())
        .bind(recipients)
        .fetch_optional(&self.writer)
        .await?;
        Ok(claimed.is_some())
    }

    /// Gives back a claimed reminder that could not be sent to anyone, so that the next run
    /// tries again.
    pub async fn release_reminder(
        &self,
        report: ReportId,
        deadline: &str,
        threshold_days: i64,
    ) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM reminders WHERE report_id = $1 AND deadline = $2 AND threshold_days = $3")
            .bind(report)
            .bind(deadline.to_owned())
            .bind(threshold_days)
            .execute(&self.writer)
            .await?;
        Ok(())
    }

    /// The reminders sent for a report, in the order they were due (largest threshold first).
    pub async fn sent_reminders(&self, report: ReportId) -> Result<Vec<SentReminder>, StoreError> {
        let rows = sqlx::query(
            "SELECT report_id, deadline, threshold_days, sent_at, recipients FROM reminders
             WHERE report_id = $1 ORDER BY deadline, threshold_days DESC",
        )
        .bind(report)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                let report_id: ReportId = row.try_get("report_id")?;
                let deadline: String = row.try_get("deadline")?;
                let threshold_days = int(row, "threshold_days")?;
                let key = format!("report_id {report_id}, deadline {deadline}, threshold_days {threshold_days}");
                Ok(SentReminder {
                    sent_at: timestamp(row, "reminders", "sent_at", &key)?,
                    report_id,
                    deadline,
                    threshold_days,
                    recipients: int(row, "recipients")?,
                })
            })
            .collect()
    }
}
