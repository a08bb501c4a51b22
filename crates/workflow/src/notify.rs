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
use qpr_store::{MembershipRole, Store, StoreError, StoredReport, User};

use crate::Workflow;
use crate::messages::{self as i18n, Args};

/// Between the English and the French text of a message.
const LANGUAGE_SEPARATOR: &str = "----------------------------------------";

/// The subject and body of a message in both languages: `args` gives each language its
/// arguments (dates are written differently).
fn bilingual(subject: &str, body: &str, args: impl Fn(Lang) -> Args) -> (String, String) {
    let (en, fr) = (args(Lang::En), args(Lang::Fr));
    (
        format!("{} / {}", i18n::text_with(Lang::En, subject, &en), i18n::text_with(Lang::Fr, subject, &fr)),
        format!(
            "{}\n\n{LANGUAGE_SEPARATOR}\n\n{}\n",
            i18n::text_with(Lang::En, body, &en),
            i18n::text_with(Lang::Fr, body, &fr)
        ),
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
            Err(error) => {
                tracing::warn!(event, to = %user.email, code = error.code(), "notification not sent: {error}")
            }
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
pub(crate) async fn party_team(store: &Store, iso3: &str, contributors: bool) -> Result<Vec<User>, StoreError> {
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
pub async fn report_submitted(workflow: &Workflow, report: &StoredReport, by: &User) -> usize {
    let event = "report_submitted";
    let url = &workflow.public_url;
    let args = |lang: Lang| {
        let mut args = report_args(url, report);
        args.push(("by", by.display_name.clone().into()));
        args.push(("date", i18n::date(lang, report.updated_at.as_str()).into()));
        args
    };
    let reviewers = or_nobody(event, secretariat(&workflow.store).await);
    let mut sent =
        deliver(&workflow.mailer, event, &reviewers, bilingual("mail-submitted-subject", "mail-submitted-body", args))
            .await;
    let focal_points = or_nobody(event, party_team(&workflow.store, &report.party_iso3, false).await);
    sent +=
        deliver(&workflow.mailer, event, &focal_points, bilingual("mail-receipt-subject", "mail-receipt-body", args))
            .await;
    sent
}

/// The Secretariat sent the report back with `message`: the Party's team is told what to change.
pub async fn changes_requested(workflow: &Workflow, report: &StoredReport, message: &str) -> usize {
    let args = |_: Lang| {
        let mut args = report_args(&workflow.public_url, report);
        args.push(("message", message.trim().to_owned().into()));
        // The comments themselves: the review page lists the open ones by section.
        args.push(("comments", format!("{}/review", workspace_link(&workflow.public_url, report)).into()));
        args
    };
    to_party_team(workflow, report, "changes_requested", bilingual("mail-changes-subject", "mail-changes-body", args))
        .await
}

/// The Secretariat accepted the report.
pub async fn report_accepted(workflow: &Workflow, report: &StoredReport) -> usize {
    let args = |_: Lang| report_args(&workflow.public_url, report);
    to_party_team(workflow, report, "report_accepted", bilingual("mail-accepted-subject", "mail-accepted-body", args))
        .await
}

/// The report is on the public site.
pub async fn report_published(workflow: &Workflow, report: &StoredReport) -> usize {
    let url = &workflow.public_url;
    let args = |_: Lang| {
        let mut args = report_args(url, report);
        args.push((
            "public_link",
            format!("{}/reports/{}/{}", url.trim_end_matches('/'), report.party_iso3, report.year).into(),
        ));
        args
    };
    to_party_team(
        workflow,
        report,
        "report_published",
        bilingual("mail-published-subject", "mail-published-body", args),
    )
    .await
}

async fn to_party_team(workflow: &Workflow, report: &StoredReport, event: &str, message: (String, String)) -> usize {
    let team = or_nobody(event, party_team(&workflow.store, &report.party_iso3, true).await);
    deliver(&workflow.mailer, event, &team, message).await
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
            line.push_str(&format!(
                "; {} without focal point or contributor ({})",
                self.no_recipient.len(),
                self.no_recipient.join(", ")
            ));
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
            if !report.state.is_editable() {
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
            let framework = frameworks.get(&report.framework).ok_or_else(|| ReminderError::Framework {
                report: name.clone(),
                framework: report.framework.clone(),
            })?;
            let revision =
                report.current_revision.ok_or_else(|| StoreError::Corrupt(format!("report {name} has no revision")))?;
            let (_, document) = store.revision(revision).await?;
            let percent = validate::overall(&validate::completeness(framework, &document)).percent();
            let args = |lang: Lang| {
                let mut args = report_args(public_url, &report);
                args.push(("days", FluentValue::from(days_left)));
                args.push(("deadline", i18n::date(lang, &cycle.deadline).into()));
                args.push(("percent", FluentValue::from(percent)));
                args
            };
            let sent =
                deliver(mailer, "reminder", &team, bilingual("mail-reminder-subject", "mail-reminder-body", args))
                    .await;
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

#[cfg(test)]
mod tests {
    use qpr_domain::ReportDocument;
    use qpr_domain::countries::Iso3;
    use qpr_domain::document::PartyRef;
    use qpr_mail::OutboxEntry;
    use qpr_store::{Membership, NewUser, ReportState};
    use serde_json::json;

    use super::*;

    /// A site on a fresh SQLite database with the mail outbox folder, and a 2028 cycle (deadline
    /// 30 April 2028) with a draft for each of `parties`.
    async fn site(parties: &[(&str, &str)]) -> (Workflow, tempfile::TempDir) {
        let (url, dir) = qpr_test_support::sqlite_url();
        let store = Store::open(&url).await.unwrap();
        let mailer = Mailer::to_folder("qpr <noreply@qpr.test>", dir.path().join("mail")).unwrap();
        let drafts: Vec<ReportDocument> = parties
            .iter()
            .map(|(iso3, name)| {
                ReportDocument::new(
                    "qpr-2020",
                    PartyRef { name: (*name).into(), iso3: Some(Iso3::parse(iso3).unwrap()) },
                    2028,
                )
            })
            .collect();
        store.open_cycle_with_reports(2028, "qpr-2020", "2028-04-30", &drafts, "test").await.unwrap();
        (Workflow::new(store, mailer, "https://qpr.test/"), dir)
    }

    async fn user(state: &Workflow, email: &str, role: Option<(&str, MembershipRole)>) -> User {
        let new = NewUser {
            email,
            display_name: &format!("Name of {email}"),
            password_hash: None,
            is_secretariat: role.is_none(),
        };
        let id = state.store.create_user(&new, "test").await.unwrap();
        if let Some((party, role)) = role {
            let membership = Membership { user_id: id, party_iso3: party.into(), role, sections: None };
            state.store.set_membership(&membership, "test").await.unwrap();
        }
        state.store.user(id).await.unwrap()
    }

    async fn report(state: &Workflow, iso3: &str) -> StoredReport {
        state.store.report_by_key(iso3, 2028).await.unwrap().unwrap()
    }

    /// The messages written since the last call, by recipient.
    fn inbox(state: &Workflow, seen: &mut usize) -> BTreeMap<String, Vec<OutboxEntry>> {
        let mut all = state.mailer.outbox().unwrap();
        all.reverse();
        let mut by_recipient: BTreeMap<String, Vec<OutboxEntry>> = BTreeMap::new();
        for mail in all.into_iter().skip(*seen) {
            *seen += 1;
            by_recipient.entry(mail.to.clone()).or_default().push(mail);
        }
        by_recipient
    }

    fn date(text: &str) -> time::Date {
        time::Date::parse(text, &time::format_description::well_known::Iso8601::DATE).unwrap()
    }

    #[tokio::test]
    async fn each_event_reaches_its_people_in_both_languages() {
        let (state, _dir) = site(&[("AZE", "Azerbaijan"), ("FRA", "France")]).await;
        user(&state, "sec@unesco.test", None).await;
        // An address the mailer refuses: that message is logged and skipped, the others go.
        user(&state, "not an address", None).await;
        let focal = user(&state, "fp@culture.gov.az", Some(("AZE", MembershipRole::FocalPoint))).await;
        user(&state, "c@culture.gov.az", Some(("AZE", MembershipRole::Contributor))).await;
        user(&state, "fp@culture.gouv.fr", Some(("FRA", MembershipRole::FocalPoint))).await;
        let aze = report(&state, "AZE").await;
        let mut seen = 0;

        assert_eq!(report_submitted(&state, &aze, &focal).await, 2);
        let mails = inbox(&state, &mut seen);
        assert_eq!(mails.keys().collect::<Vec<_>>(), ["fp@culture.gov.az", "sec@unesco.test"]);
        let review = &mails["sec@unesco.test"][0];
        assert_eq!(
            review.subject,
            "The report of Azerbaijan (2028) was submitted / Le rapport de Azerbaijan (2028) a été soumis"
        );
        assert!(
            review
                .body
                .contains("Name of fp@culture.gov.az submitted the quadrennial periodic report of Azerbaijan (2028)")
        );
        assert!(review.body.contains("https://qpr.test/app/reports/AZE/2028"), "{}", review.body);
        let (english, french) = review.body.split_once(LANGUAGE_SEPARATOR).unwrap();
        assert!(
            english.contains("Hello,") && french.contains("Bonjour,") && french.contains("a soumis"),
            "English, then French"
        );
        assert!(
            mails["fp@culture.gov.az"][0].subject.starts_with("Receipt: the report of Azerbaijan (2028) was submitted")
        );

        assert_eq!(changes_requested(&state, &aze, "  Please answer question 1.2.  ").await, 2);
        let mails = inbox(&state, &mut seen);
        assert_eq!(
            mails.keys().collect::<Vec<_>>(),
            ["c@culture.gov.az", "fp@culture.gov.az"],
            "the Party's team, not the Secretariat"
        );
        let body = &mails["c@culture.gov.az"][0].body;
        assert!(
            body.contains("Its message:\n\nPlease answer question 1.2.\n") && body.contains("Son message :"),
            "{body}"
        );
        assert!(body.contains("https://qpr.test/app/reports/AZE/2028/review"), "links to the comments: {body}");

        assert_eq!(report_accepted(&state, &aze).await, 2);
        let mails = inbox(&state, &mut seen);
        assert!(mails["fp@culture.gov.az"][0].subject.starts_with("The report of Azerbaijan (2028) was accepted / "));

        assert_eq!(report_published(&state, &aze).await, 2);
        let mails = inbox(&state, &mut seen);
        assert_eq!(mails.len(), 2);
        assert!(mails["c@culture.gov.az"][0].body.contains("now published:\n\nhttps://qpr.test/reports/AZE/2028\n"));

        // A Party without anyone named: nobody to tell, and nothing fails.
        assert_eq!(report_accepted(&state, &report(&state, "FRA").await).await, 1, "only France's focal point");
    }

    #[test]
    fn the_reminder_due_is_the_closest_threshold_not_below_the_days_left() {
        let due: Vec<Option<i64>> =
            [90, 61, 60, 59, 31, 30, 29, 8, 7, 1, 0, -1].into_iter().map(due_threshold).collect();
        assert_eq!(
            due,
            [None, None, Some(60), Some(60), Some(60), Some(30), Some(30), Some(30), Some(7), Some(7), Some(7), None]
        );
    }

    #[tokio::test]
    async fn reminders_go_once_per_threshold_and_never_an_earlier_after_a_later() {
        let (state, _dir) =
            site(&[("AZE", "Azerbaijan"), ("FRA", "France"), ("BRA", "Brazil"), ("DEU", "Germany")]).await;
        user(&state, "fp@culture.gov.az", Some(("AZE", MembershipRole::FocalPoint))).await;
        user(&state, "c@culture.gov.az", Some(("AZE", MembershipRole::Contributor))).await;
        user(&state, "fp@cultura.gov.br", Some(("BRA", MembershipRole::FocalPoint))).await;
        user(&state, "broken address", Some(("DEU", MembershipRole::FocalPoint))).await;
        // Brazil submitted: no reminder.
        let brazil = report(&state, "BRA").await;
        state
            .store
            .transition(brazil.id, &[ReportState::Draft], ReportState::Submitted, "test", json!({}))
            .await
            .unwrap();
        let aze = report(&state, "AZE").await;
        let mut answered = state.store.revision(aze.current_revision.unwrap()).await.unwrap().1;
        answered.answers.insert("gi_executive_summary".into(), json!("Summary."));
        state.store.save(aze.id, aze.current_revision.unwrap(), &answered, "test").await.unwrap();
        let remind = |today: &'static str| {
            let state = state.clone();
            async move { state.send_reminders(date(today)).await.unwrap() }
        };
        let mut seen = 0;

        let early = remind("2028-02-15").await;
        assert_eq!((early.total(), early.not_due, early.no_recipient.len()), (0, 3, 0), "{early:?}");

        let sixty = remind("2028-03-01").await;
        assert_eq!(sixty.sent, BTreeMap::from([(60, 1)]));
        assert_eq!(
            (sixty.messages, sixty.no_recipient.clone(), sixty.failed.clone()),
            (2, vec!["FRA 2028".to_owned()], vec!["DEU 2028".to_owned()])
        );
        let mails = inbox(&state, &mut seen);
        assert_eq!(mails.keys().collect::<Vec<_>>(), ["c@culture.gov.az", "fp@culture.gov.az"]);
        let mail = &mails["fp@culture.gov.az"][0];
        assert!(
            mail.subject.starts_with("60 days left: the report of Azerbaijan (2028) / 60 jours restants"),
            "{}",
            mail.subject
        );
        assert!(mail.body.contains("is due on 30 April 2028: 60 days from now."), "{}", mail.body);
        assert!(mail.body.contains("est attendu le 30 avril 2028 : dans 60 jours."), "{}", mail.body);
        let percent = mail.body.split("It is ").nth(1).unwrap().split(" % complete").next().unwrap();
        assert!(percent.parse::<u8>().unwrap() > 0, "the completeness of the current revision: {percent}");
        assert!(mail.body.contains("https://qpr.test/app/reports/AZE/2028"));
        assert!(
            state.store.sent_reminders(report(&state, "DEU").await.id).await.unwrap().is_empty(),
            "a reminder that reached nobody is given back"
        );

        // Cron runs again the same day, and the next day: nothing new.
        for today in ["2028-03-01", "2028-03-02"] {
            let again = remind(today).await;
            assert_eq!((again.total(), again.already_sent), (0, 1), "{today}: {again:?}");
        }
        assert!(inbox(&state, &mut seen).is_empty());

        // Missed days: on day 29 the 30-day reminder goes.
        let thirty = remind("2028-04-01").await;
        assert_eq!(thirty.sent, BTreeMap::from([(30, 1)]));
        assert!(inbox(&state, &mut seen)["fp@culture.gov.az"][0].body.contains("30 April 2028: 29 days from now."));

        // France names its focal point five days before: it gets the 7-day reminder only, and
        // never the 30-day one afterwards (a clock set back, say).
        user(&state, "fp@culture.gouv.fr", Some(("FRA", MembershipRole::FocalPoint))).await;
        let seven = remind("2028-04-25").await;
        assert_eq!(seven.sent, BTreeMap::from([(7, 2)]));
        assert_eq!(
            seven.summary(),
            "sent 2 reminders (7-day: 2) in 3 messages; 0 reports not due; 0 already reminded; 1 not sent, to retry (DEU 2028)"
        );
        let mails = inbox(&state, &mut seen);
        assert!(mails["fp@culture.gouv.fr"][0].body.contains("5 days from now."));
        let back = remind("2028-04-01").await;
        assert_eq!((back.total(), back.already_sent), (0, 2));
        let on_the_day = remind("2028-04-30").await;
        assert_eq!((on_the_day.total(), on_the_day.already_sent), (0, 2));
        let late = remind("2028-05-01").await;
        assert_eq!((late.total(), late.not_due), (0, 3), "past the deadline the board flags it; no reminder");
        let sent: Vec<i64> =
            state.store.sent_reminders(aze.id).await.unwrap().into_iter().map(|r| r.threshold_days).collect();
        assert_eq!(sent, [60, 30, 7]);
    }
}
