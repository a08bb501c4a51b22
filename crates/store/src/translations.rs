//! The Secretariat's translations of reports' executive summaries (migration 0011): at most one
//! per report and language (`en`, `fr`), replaced when attached again, removable; every
//! change is an audit entry, the attached text included, so the history keeps each text.
//! Who may attach and when is the workflow's rule (`qpr_workflow::translations`).

use qpr_domain::text::Lang;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::types::timestamp;
use crate::{ReportId, RevisionId, Store, StoreError, Timestamp, UserId, now};

/// A translation of a report's executive summary, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SummaryTranslation {
    /// The report.
    pub report_id: ReportId,
    /// The language it is written in.
    pub lang: Lang,
    /// The translated text, as the Secretariat typed it.
    pub text: String,
    /// The revision whose executive summary it translates.
    pub revision_id: RevisionId,
    /// Who attached it.
    pub attached_by: UserId,
    /// Their name.
    pub attached_by_name: String,
    /// When.
    pub attached_at: Timestamp,
}

fn translation_from_row(row: &AnyRow) -> Result<SummaryTranslation, StoreError> {
    let report_id: ReportId = row.try_get("report_id")?;
    let tag: String = row.try_get("lang")?;
    let key = format!("report_id {report_id}, lang {tag}");
    let lang = Lang::parse(&tag)
        .filter(|lang| lang.tag() == tag)
        .ok_or_else(|| StoreError::Corrupt(format!("summary_translations.lang of row {key} is `{tag}`")))?;
    Ok(SummaryTranslation {
        report_id,
        lang,
        text: row.try_get("body")?,
        revision_id: row.try_get("revision_id")?,
        attached_by: row.try_get("attached_by")?,
        attached_by_name: row.try_get("display_name")?,
        attached_at: timestamp(row, "summary_translations", "attached_at", &key)?,
    })
}

impl Store {
    /// The translations of a report's executive summary, English first.
    pub async fn summary_translations(&self, report: ReportId) -> Result<Vec<SummaryTranslation>, StoreError> {
        let rows = sqlx::query(
            "SELECT t.report_id, t.lang, t.body, t.revision_id, t.attached_by, u.display_name, t.attached_at
             FROM summary_translations t JOIN users u ON u.id = t.attached_by
             WHERE t.report_id = $1 ORDER BY t.lang",
        )
        .bind(report)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(translation_from_row).collect()
    }

    /// Attaches (or replaces) the translation of `report`'s executive summary into `lang`,
    /// made from `revision`, by `user`; in the audit log as `report.summary_translation_attached`
    /// with the text, by `actor`. A revision of another report, an unknown report or user is
    /// `NotFound`, and nothing is written.
    pub async fn attach_summary_translation(
        &self,
        (report, revision): (ReportId, RevisionId),
        lang: Lang,
        text: &str,
        user: UserId,
        actor: &str,
    ) -> Result<(), StoreError> {
        let mut tx = self.writer.begin().await?;
        // The revision must be the report's: checked in the query itself.
        let owned: Option<i64> = sqlx::query_scalar("SELECT 1 FROM revisions WHERE id = $1 AND report_id = $2")
            .bind(revision)
            .bind(report)
            .fetch_optional(&mut *tx)
            .await?;
        if owned.is_none() {
            return Err(StoreError::NotFound(format!("revision {revision} of report {report}")));
        }
        let known: Option<i64> =
            sqlx::query_scalar("SELECT 1 FROM users WHERE id = $1").bind(user).fetch_optional(&mut *tx).await?;
        if known.is_none() {
            return Err(StoreError::NotFound(format!("user {user}")));
        }
        sqlx::query(
            "INSERT INTO summary_translations (report_id, lang, body, revision_id, attached_by, attached_at)
             VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (report_id, lang) DO UPDATE SET body = excluded.body, revision_id = excluded.revision_id,
                 attached_by = excluded.attached_by, attached_at = excluded.attached_at",
        )
        .bind(report)
        .bind(lang.tag())
        .bind(text.to_owned())
        .bind(revision)
        .bind(user)
        .bind(now())
        .execute(&mut *tx)
        .await?;
        crate::audit::append(
            self.audit_key(),
            &mut tx,
            actor,
            "report.summary_translation_attached",
            &format!("report:{report}"),
            &serde_json::json!({ "lang": lang.tag(), "revision": revision, "text": text }),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Removes the translation of `report`'s executive summary into `lang`, in the audit log as
    /// `report.summary_translation_removed` by `actor`; `NotFound` when there is none.
    pub async fn remove_summary_translation(
        &self,
        report: ReportId,
        lang: Lang,
        actor: &str,
    ) -> Result<(), StoreError> {
        let mut tx = self.writer.begin().await?;
        let removed = sqlx::query("DELETE FROM summary_translations WHERE report_id = $1 AND lang = $2")
            .bind(report)
            .bind(lang.tag())
            .execute(&mut *tx)
            .await?;
        if removed.rows_affected() == 0 {
            return Err(StoreError::NotFound(format!("the {} translation of report {report}", lang.tag())));
        }
        crate::audit::append(
            self.audit_key(),
            &mut tx,
            actor,
            "report.summary_translation_removed",
            &format!("report:{report}"),
            &serde_json::json!({ "lang": lang.tag() }),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
