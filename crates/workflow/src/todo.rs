//! Time and to-dos: how long is left before a report's deadline, where a person takes up
//! their work on a report ("continue where you left off"), and what waits for the
//! Secretariat (submitted reports to review, Parties past the deadline).

use qpr_domain::changes;
use qpr_domain::validate::SectionCompleteness;
use qpr_store::{ReportState, StoredReport};
use time::{Date, Month};

use crate::history::describe;
use crate::{Workflow, WorkflowError};

/// Today's date (UTC), the one clock of the deadlines.
pub fn today() -> Date {
    time::OffsetDateTime::now_utc().date()
}

/// A deadline as a person reads it: the date and the days left.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeadlineStatus {
    /// The deadline (`YYYY-MM-DD`).
    pub deadline: String,
    /// Days from today to the deadline: 0 on the day itself, negative once it has passed.
    pub days_left: i64,
}

impl DeadlineStatus {
    /// The deadline `deadline` (`YYYY-MM-DD`) seen on `today`; `None` when it is not a date.
    pub fn on(deadline: &str, today: Date) -> Option<DeadlineStatus> {
        let date = parse_date(deadline)?;
        Some(DeadlineStatus { deadline: deadline.to_owned(), days_left: (date - today).whole_days() })
    }

    /// Whether the deadline has passed.
    pub fn is_past(&self) -> bool {
        self.days_left < 0
    }

    /// Days past the deadline (0 before it and on the day).
    pub fn days_late(&self) -> i64 {
        (-self.days_left).max(0)
    }
}

/// A date written `YYYY-MM-DD`.
fn parse_date(text: &str) -> Option<Date> {
    let mut parts = text.split('-');
    let (year, month, day) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || year.len() != 4 || month.len() != 2 || day.len() != 2 {
        return None;
    }
    let month = Month::try_from(month.parse::<u8>().ok()?).ok()?;
    Date::from_calendar_date(year.parse().ok()?, month, day.parse().ok()?).ok()
}

/// The deadline of a report: its cycle's, while the report is still to be submitted (a
/// report already submitted, or outside any cycle, has none to meet).
pub async fn report_deadline(
    workflow: &Workflow,
    report: &StoredReport,
    today: Date,
) -> Result<Option<DeadlineStatus>, WorkflowError> {
    if !report.state.is_editable() {
        return Ok(None);
    }
    let cycle = workflow.store.cycles().await?.into_iter().find(|c| c.year == report.year && c.open);
    Ok(cycle.and_then(|cycle| DeadlineStatus::on(&cycle.deadline, today)))
}

/// Why a section is offered to continue with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContinueReason {
    /// The person changed it last.
    LastEdited,
    /// It is the first section, in the form's order, that is not complete.
    FirstIncomplete,
}

/// Where a person takes up their work on a report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContinueAt {
    /// The section's id.
    pub section: String,
    /// Why this one.
    pub reason: ContinueReason,
}

/// Where to continue: the section the person edited last, if they may still edit it, else the
/// first incomplete section they may edit; `None` when every section they may edit is complete.
/// `completeness` is in the form's order.
pub fn continue_at(
    completeness: &[SectionCompleteness],
    last_edited: Option<&str>,
    may_edit: impl Fn(&str) -> bool,
) -> Option<ContinueAt> {
    if let Some(section) = last_edited.filter(|s| may_edit(s) && completeness.iter().any(|c| c.section == *s)) {
        return Some(ContinueAt { section: section.to_owned(), reason: ContinueReason::LastEdited });
    }
    completeness
        .iter()
        .find(|c| c.percent() < 100 && may_edit(&c.section))
        .map(|c| ContinueAt { section: c.section.clone(), reason: ContinueReason::FirstIncomplete })
}

/// How many of a report's newest revisions are looked at to find the person's last edit.
const LAST_EDIT_LOOKBACK: usize = 50;

/// The section of the form the person (`actor`, as revisions record their authors) changed
/// in their newest revision of the report (among its last revisions), if any.
pub async fn last_edited_section(
    workflow: &Workflow,
    report: &StoredReport,
    actor: &str,
) -> Result<Option<String>, WorkflowError> {
    let framework = workflow.framework(&report.framework)?;
    let revisions = workflow.store.revisions(report.id).await?;
    for info in revisions.iter().rev().take(LAST_EDIT_LOOKBACK).filter(|r| r.author == actor) {
        let Some(parent) = info.parent_id else { continue };
        let (_, before) = workflow.store.revision(parent).await?;
        let (_, after) = workflow.store.revision(info.id).await?;
        let sections = describe(framework, &before, &after, &changes::diff(&before, &after));
        if let Some(section) = sections.iter().find_map(|s| s.section) {
            return Ok(Some(section.id.clone()));
        }
    }
    Ok(None)
}

/// A submitted report waiting for the Secretariat's review.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ToReview {
    /// The Party's code.
    pub iso3: String,
    /// The Party's name.
    pub party: String,
    /// The report's year.
    pub year: i32,
    /// When it was submitted (its last change).
    pub since: qpr_store::Timestamp,
}

/// A Party of an open cycle whose report is past the deadline and not submitted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Overdue {
    /// The Party's code.
    pub iso3: String,
    /// The Party's name.
    pub party: String,
    /// The report's year.
    pub year: i32,
    /// The cycle's deadline and how late it is.
    pub deadline: DeadlineStatus,
}

/// What waits for the Secretariat.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SecretariatTodo {
    /// Submitted reports to review, longest waiting first.
    pub to_review: Vec<ToReview>,
    /// Reports of open cycles past their deadline and not submitted, most late first.
    pub overdue: Vec<Overdue>,
}

/// What waits for the Secretariat on `today`.
pub async fn secretariat_todo(workflow: &Workflow, today: Date) -> Result<SecretariatTodo, WorkflowError> {
    let mut todo = SecretariatTodo::default();
    for report in workflow.store.reports().await?.into_iter().filter(|r| r.state == ReportState::Submitted) {
        todo.to_review.push(ToReview {
            iso3: report.party_iso3,
            party: report.party_name,
            year: report.year,
            since: report.updated_at,
        });
    }
    todo.to_review.sort_by(|a, b| a.since.as_str().cmp(b.since.as_str()));
    for cycle in workflow.store.cycles().await?.into_iter().filter(|c| c.open) {
        let Some(deadline) = DeadlineStatus::on(&cycle.deadline, today).filter(DeadlineStatus::is_past) else {
            continue;
        };
        for report in workflow.store.cycle_reports(cycle.id).await?.into_iter().filter(|r| r.state.is_editable()) {
            todo.overdue.push(Overdue {
                iso3: report.party_iso3,
                party: report.party_name,
                year: report.year,
                deadline: deadline.clone(),
            });
        }
    }
    todo.overdue
        .sort_by(|a, b| b.deadline.days_late().cmp(&a.deadline.days_late()).then_with(|| a.party.cmp(&b.party)));
    Ok(todo)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(year: i32, month: Month, day: u8) -> Date {
        Date::from_calendar_date(year, month, day).unwrap()
    }

    #[test]
    fn days_left_count_to_the_deadline_and_below_zero_after_it() {
        let on = |today| DeadlineStatus::on("2028-04-30", today).unwrap();
        assert_eq!(on(date(2028, Month::April, 1)).days_left, 29);
        assert_eq!(on(date(2028, Month::April, 30)).days_left, 0);
        assert!(!on(date(2028, Month::April, 30)).is_past(), "the day itself is not late");
        assert_eq!(on(date(2028, Month::May, 3)).days_left, -3);
        assert_eq!(on(date(2028, Month::May, 3)).days_late(), 3);
        assert_eq!(on(date(2027, Month::April, 30)).days_left, 366, "2028 is a leap year");
        assert_eq!(DeadlineStatus::on("30 April 2028", date(2028, Month::April, 1)), None);
    }

    #[test]
    fn continue_where_left_off_else_at_the_first_incomplete_section() {
        let section = |id: &str, answered, applicable| SectionCompleteness { section: id.into(), answered, applicable };
        let sections = [section("general", 3, 3), section("goal1", 1, 4), section("goal2", 0, 2)];
        let anyone = |_: &str| true;
        assert_eq!(
            continue_at(&sections, Some("goal2"), anyone),
            Some(ContinueAt { section: "goal2".into(), reason: ContinueReason::LastEdited })
        );
        assert_eq!(
            continue_at(&sections, None, anyone),
            Some(ContinueAt { section: "goal1".into(), reason: ContinueReason::FirstIncomplete })
        );
        let goal2_only = |s: &str| s == "goal2";
        assert_eq!(
            continue_at(&sections, Some("goal1"), goal2_only),
            Some(ContinueAt { section: "goal2".into(), reason: ContinueReason::FirstIncomplete }),
            "a section the person may not edit is not offered"
        );
        assert_eq!(continue_at(&sections, Some("elsewhere"), goal2_only).map(|c| c.section), Some("goal2".into()));
        let done = [section("general", 3, 3)];
        assert_eq!(continue_at(&done, None, anyone), None);
    }
}
