//! E-mail notifications of the workflow, and the deadline reminders.
//!
//! One function per event, for the transition to call *after* it was committed:
//!
//! | event | who gets it |
//! |---|---|
//! | [`report_submitted`] | every Secretariat user (to review it), and the Party's focal point (a receipt) |
//! | [`changes_requested`] | the Party's focal point and contributors, with the Secretariat's message |
//! | [`report_accepted`] | the Party's focal point and contributors |
//! | [`report_published`] | the Party's focal point and contributors, with the public link |
//!
//! Reminders ([`send_reminders`], run by `qpr remind` or `qpr serve --reminders`) go to the
//! focal point and contributors of every report of an open cycle that is not submitted (draft or
//! changes requested), 60, 30 and 7 days before the cycle's deadline.
//!
//! **A notification never undoes what it reports.** The transition is committed before anyone is
//! told; a message that cannot be sent (relay down, bad address) or recipients that cannot be
//! read are logged with `tracing::warn` and skipped, and the other recipients still get theirs.
//! The functions return how many messages went out, which callers may ignore. Disabled accounts
//! get nothing.
//!
//! Language: the platform does not know which language each person reads (the Convention works
//! in English and French, and one Party's team may use either), so every message carries both:
//! the subject `English / Français`, the body in English, then in French.

use std::collections::BTreeMap;

use fluent_templates::fluent_bundle::FluentValue;
use qpr_domain::framework::FrameworkRegistry;
use qpr_domain::text::Lang;
use qpr_domain::validate;
use qpr_mail::{Mail, Mailer};
use qpr_store::{MembershipRole, ReportState, Store, StoreError, StoredReport, User};

use crate::AppState;
use crate::i18n;

/// Fluent arguments of one language.
type Args = Vec<(&'static str, FluentValue<'static>)>;

/// Between the English and the French text of a message.
const LANGUAGE_SEPARATOR: &str = "----------------------------------------";

/// The subject and body of a message in both languages: `args` gives each language its
/// arguments (dates are written differently).
fn bilingual(subject: &str, body: &str, args: impl Fn(Lang) -> Args) -> (String, String) {
    let (en, fr) = (args(Lang::En), args(Lang::Fr));
    (
        format!("{} / {}", i18n::text_with(Lang::En, subject, &en), i18n::text_with(Lang::Fr, subject, &fr)),
        format!("{}\n\n{LANGUAGE_SEPARATOR}\n\n{}\n", i18n::text_with(Lang::En, body, &en), i18n::text_with(Lang::Fr, body, &fr)),
    )
}

/// The report's page in the workspace.
fn workspace_link(public_url: &str, report: &StoredReport) -> String {
    format!("{}/app/reports/{}/{}", public_url.trim_end_matches('/'), report.party_iso3, report.year)
}

/// The arguments every report message has: Party, year, link.
fn report_args(public_url: &str, report: &StoredReport) -> Args {
    vec![
        ("party", report.party_name.clone().into()),
        ("year", report.year.to_string().into()),
        ("link", workspace_link(public_url, report).into()),
    ]
}

/// Sends one message to each recipient; a failure is logged and skipped. Returns how many went.
async fn deliver(mailer: &Mailer, event: &str, recipients: &[User], (subject, body): (String, String)) -> usize {
    let mut sent = 0;
    for user in recipients {
        let mail = Mail { to: user.email.clone(), subject: subject.clone(), body: body.clone() };
        match mailer.send(&mail).await {
            Ok(()) => sent += 1,
            Err(error) => tracing::warn!(event, to = %user.email, code = error.code(), "notification not sent: {error}"),
        }
    }
    sent
}

/// Recipients read from the database, or none (logged) when it cannot be read: the event
/// happened either way.
fn or_nobody(event: &str, recipients: Result<Vec<User>, StoreError>) -> Vec<User> {
    recipients.unwrap_or_else(|error| {
        tracing::warn!(event, "notification not sent: cannot read its recipients: {error}");
        Vec::new()
    })
}

/// The Party's team who can sign in: the focal point first, then the contributors (with
/// `contributors`).
async fn party_team(store: &Store, iso3: &str, contributors: bool) -> Result<Vec<User>, StoreError> {
    let mut members = store.party_members(iso3).await?;
    members.retain(|(user, m)| !user.disabled && (contributors || m.role == MembershipRole::FocalPoint));
    members.sort_by_key(|(_, m)| m.role != MembershipRole::FocalPoint);
    Ok(members.into_iter().map(|(user, _)| user).collect())
}

/// Every Secretariat user who can sign in.
async fn secretariat(store: &Store) -> Result<Vec<User>, StoreError> {
    Ok(store.users().await?.into_iter().filter(|u| u.is_secretariat && !u.disabled).collect())
}

/// The report was submitted by `by`: the Secretariat is asked to review it, the Party's focal
/// point gets a receipt.
pub(crate) async fn report_submitted(state: &AppState, report: &StoredReport, by: &User) -> usize {
    let event = "report_submitted";
    let url = &state.settings.public_url;
    let args = |lang: Lang| {
        let mut args = report_args(url, report);
        args.push(("by", by.display_name.clone().into()));
        args.push(("date", i18n::date(lang, &report.updated_at).into()));
        args
    };
    let reviewers = or_nobody(event, secretariat(&state.store).await);
    let mut sent = deliver(&state.mailer, event, &reviewers, bilingual("mail-submitted-subject", "mail-submitted-body", args)).await;
    let focal_points = or_nobody(event, party_team(&state.store, &report.party_iso3, false).await);
    sent += deliver(&state.mailer, event, &focal_points, bilingual("mail-receipt-subject", "mail-receipt-body", args)).await;
    sent
}

/// The Secretariat sent the report back with `message`: the Party's team is told what to change.
pub(crate) async fn changes_requested(state: &AppState, report: &StoredReport, message: &str) -> usize {
    let args = |_: Lang| {
        let mut args = report_args(&state.settings.public_url, report);
        args.push(("message", message.trim().to_owned().into()));
        args
    };
    to_party_team(state, report, "changes_requested", bilingual("mail-changes-subject", "mail-changes-body", args)).await
}

/// The Secretariat accepted the report.
pub(crate) async fn report_accepted(state: &AppState, report: &StoredReport) -> usize {
    let args = |_: Lang| report_args(&state.settings.public_url, report);
    to_party_team(state, report, "report_accepted", bilingual("mail-accepted-subject", "mail-accepted-body", args)).await
}

/// The report is on the public site.
pub(crate) async fn report_published(state: &AppState, report: &StoredReport) -> usize {
    let url = &state.settings.public_url;
    let args = |_: Lang| {
        let mut args = report_args(url, report);
        args.push(("public_link", format!("{}/reports/{}/{}", url.trim_end_matches('/'), report.party_iso3, report.year).into()));
        args
    };
    to_party_team(state, report, "report_published", bilingual("mail-published-subject", "mail-published-body", args)).await
}

async fn to_party_team(state: &AppState, report: &StoredReport, event: &str, message: (String, String)) -> usize {
    let team = or_nobody(event, party_team(&state.store, &report.party_iso3, true).await);
    deliver(&state.mailer, event, &team, message).await
}

/// Days before a cycle's deadline at which reminders go out, the earliest first.
pub const REMINDER_DAYS: [i64; 3] = [60, 30, 7];

/// The reminder due `days_left` days before the deadline: the closest threshold not below it
/// (29 days left: the 30-day reminder; 5 days left: the 7-day one, even if the 30-day one was
/// never sent). None before the first threshold or after the deadline.
pub fn due_threshold(days_left: i64) -> Option<i64> {
    if days_left < 0 {
        return None;
    }
    REMINDER_DAYS.iter().rev().copied().find(|threshold| days_left <= *threshold)
}

/// What a reminder run did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReminderRun {
    /// Reminders sent (one per report, to each of its team), by threshold in days.
    pub sent: BTreeMap<i64, usize>,
    /// Messages sent in all.
    pub messages: usize,
    /// Unsubmitted reports with no reminder due today (too early, or past the deadline).
    pub not_due: usize,
    /// Reports whose due reminder was sent before (by this or a later threshold).
    pub already_sent: usize,
    /// Reports due a reminder with nobody to send it to (`ISO3 year`): no focal point or
    /// contributor named yet. They get it once someone is named.
    pub no_recipient: Vec<String>,
    /// Reports whose reminder could not be sent to anyone; it is tried again next run.
    pub failed: Vec<String>,
}

impl ReminderRun {
    /// Reminders sent in all.
    pub fn total(&self) -> usize {
        self.sent.values().sum()
    }

    /// One line for a person or a log: `sent 12 reminders (7-day: 3, 30-day: 9); 140 reports not due`.
    pub fn summary(&self) -> String {
        let by_threshold: Vec<String> = self.sent.iter().map(|(days, count)| format!("{days}-day: {count}")).collect();
        let mut line = format!("sent {} reminders", self.total());
        if !by_threshold.is_empty() {
            line.push_str(&format!(" ({}) in {} messages", by_threshold.join(", "), self.messages));
        }
        line.push_str(&format!("; {} reports not due; {} already reminded", self.not_due, self.already_sent));
        if !self.no_recipient.is_empty() {
            line.push_str(&format!("; {} without focal point or contributor ({})", self.no_recipient.len(), self.no_recipient.join(", ")));
        }
        if !self.failed.is_empty() {
            line.push_str(&format!("; {} not sent, to retry ({})", self.failed.len(), self.failed.join(", ")));
        }
        line
    }
}

/// Why a reminder run stopped.
#[derive(Debug, thiserror::Error)]
pub enum ReminderError {
    /// The database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A cycle's deadline is not a date.
    #[error("the deadline `{deadline}` of the {year} cycle is not a YYYY-MM-DD date")]
    Deadline {
        /// The cycle's year.
        year: i32,
        /// The stored deadline.
        deadline: String,
    },
    /// A report answers a framework this platform does not know.
    #[error("the report {report} answers the unknown framework `{framework}`")]
    Framework {
        /// `ISO3 year`.
        report: String,
        /// The framework id.
        framework: String,
    },
}

/// Sends the reminders due `today` (see [`due_threshold`]) for every unsubmitted report of every
/// open cycle, each once per report, deadline and threshold however often it runs: a reminder is
/// claimed in the database before it is sent, and given back if it reached nobody.
pub async fn send_reminders(
    store: &Store,
    frameworks: &FrameworkRegistry,
    mailer: &Mailer,
    public_url: &str,
    today: time::Date,
) -> Result<ReminderRun, ReminderError> {
    let mut run = ReminderRun::default();
    let date_format = time::format_description::parse_borrowed::<2>("[year]-[month]-[day]")
        .map_err(|e| StoreError::Corrupt(format!("date format: {e}")))?;
    for cycle in store.cycles().await?.into_iter().filter(|c| c.open) {
        let deadline = time::Date::parse(&cycle.deadline, &date_format)
            .map_err(|_| ReminderError::Deadline { year: cycle.year, deadline: cycle.deadline.clone() })?;
        let days_left = (deadline - today).whole_days();
        for report in store.cycle_reports(cycle.id).await? {
            if !matches!(report.state, ReportState::Draft | ReportState::ChangesRequested) {
                continue;
            }
            let name = format!("{} {}", report.party_iso3, report.year);
            let Some(threshold) = due_threshold(days_left) else {
                run.not_due += 1;
                continue;
            };
            let team = party_team(store, &report.party_iso3, true).await?;
            if team.is_empty() {
                run.no_recipient.push(name);
                continue;
            }
            let recipients = i64::try_from(team.len()).unwrap_or(i64::MAX);
            if !store.claim_reminder(report.id, &cycle.deadline, threshold, recipients).await? {
                run.already_sent += 1;
                continue;
            }
            let framework = frameworks
                .get(&report.framework)
                .ok_or_else(|| ReminderError::Framework { report: name.clone(), framework: report.framework.clone() })?;
            let revision = report.current_revision.ok_or_else(|| StoreError::Corrupt(format!("report {name} has no revision")))?;
            let (_, document) = store.revision(revision).await?;
            let percent = validate::overall(&validate::completeness(framework, &document)).percent();
            let args = |lang: Lang| {
                let mut args = report_args(public_url, &report);
                args.push(("days", FluentValue::from(days_left)));
                args.push(("deadline", i18n::date(lang, &cycle.deadline).into()));
                args.push(("percent", FluentValue::from(percent)));
                args
            };
            let sent = deliver(mailer, "reminder", &team, bilingual("mail-reminder-subject", "mail-reminder-body", args)).await;
            if sent == 0 {
                store.release_reminder(report.id, &cycle.deadline, threshold).await?;
                run.failed.push(name);
                continue;
            }
            *run.sent.entry(threshold).or_default() += 1;
            run.messages += sent;
        }
    }
    Ok(run)
}
