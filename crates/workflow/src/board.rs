//! The Secretariat's status board at scale: which reports it shows and in what order (by
//! region, status, overdue, completeness and reviewer), the reviewer of each report (a member
//! of the Secretariat, assigned by the Secretariat, audited) and each member's queue.

use std::cmp::Ordering;

use qpr_domain::countries::Region;
use qpr_domain::text::Lang;
use qpr_store::{Cycle, ReportId, UserId};
use serde::Deserialize;

use crate::access::require_secretariat;
use crate::auth::SignedIn;
use crate::cycles::{PartyStatus, status_board};
use crate::{Field, Invalid, Problem, Workflow, WorkflowError};

/// A board query as typed (the page's form or the address): every field optional, an empty
/// one meaning "any".
#[derive(Debug, Clone, Default, Deserialize)]
pub struct BoardQueryText {
    /// A region id (`africa`).
    #[serde(default)]
    pub region: String,
    /// A status of [`PartyStatus::STATUSES`].
    #[serde(default)]
    pub status: String,
    /// `yes`: only overdue reports.
    #[serde(default)]
    pub overdue: String,
    /// At least this percentage complete.
    #[serde(default)]
    pub min: String,
    /// At most this percentage complete.
    #[serde(default)]
    pub max: String,
    /// `none` (no reviewer yet) or a reviewer's user id.
    #[serde(default)]
    pub reviewer: String,
    /// A column of [`BoardSort`] (`party` by default).
    #[serde(default)]
    pub sort: String,
    /// `desc` for the reverse order.
    #[serde(default)]
    pub order: String,
}

/// Whose reports, by reviewer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ReviewerFilter {
    /// Any report.
    #[default]
    Anyone,
    /// Reports nobody reviews yet.
    Nobody,
    /// Reports this member reviews.
    User(UserId),
}

/// The board's columns to sort by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum BoardSort {
    /// The Party's name in the board's language.
    #[default]
    Party,
    /// Region, then Party.
    Region,
    /// Status in the order of a report's life, then Party.
    Status,
    /// Completeness, then Party.
    Completeness,
    /// Last change, then Party.
    Updated,
    /// Reviewer's name (none first), then Party.
    Reviewer,
}

impl BoardSort {
    /// Every column, with its id in addresses.
    pub const ALL: [(BoardSort, &'static str); 6] = [
        (BoardSort::Party, "party"),
        (BoardSort::Region, "region"),
        (BoardSort::Status, "status"),
        (BoardSort::Completeness, "complete"),
        (BoardSort::Updated, "updated"),
        (BoardSort::Reviewer, "reviewer"),
    ];

    /// The id in addresses (`complete`).
    pub fn id(self) -> &'static str {
        BoardSort::ALL.iter().find(|(sort, _)| *sort == self).map_or("party", |(_, id)| id)
    }
}

/// A checked board query.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BoardQuery {
    /// Only this region's Parties.
    pub region: Option<Region>,
    /// Only reports in this status.
    pub status: Option<&'static str>,
    /// Only overdue reports.
    pub overdue: bool,
    /// At least this complete (percent).
    pub min: Option<u8>,
    /// At most this complete (percent).
    pub max: Option<u8>,
    /// By reviewer.
    pub reviewer: ReviewerFilter,
    /// Order.
    pub sort: BoardSort,
    /// Reversed.
    pub descending: bool,
}

impl BoardQuery {
    /// Checks a typed query; a value that names nothing is an error naming its field.
    pub fn parse(text: &BoardQueryText) -> Result<BoardQuery, WorkflowError> {
        let unknown = |field: Field, value: &str| Invalid::new(field, Problem::Unknown { value: value.to_owned() });
        let region = match text.region.trim() {
            "" => None,
            id => Some(Region::from_id(id).ok_or_else(|| unknown(Field::Region, id))?),
        };
        let status = match text.status.trim() {
            "" => None,
            id => Some(PartyStatus::STATUSES.into_iter().find(|s| *s == id).ok_or_else(|| unknown(Field::Status, id))?),
        };
        let overdue = match text.overdue.trim() {
            "" | "no" => false,
            "yes" => true,
            other => return Err(Invalid::new(Field::Overdue, Problem::NotYesNo { value: other.to_owned() }).into()),
        };
        let percent = |field: Field, value: &str| -> Result<Option<u8>, WorkflowError> {
            match value.trim() {
                "" => Ok(None),
                v => v
                    .parse::<u8>()
                    .ok()
                    .filter(|p| *p <= 100)
                    .map(Some)
                    .ok_or_else(|| Invalid::new(field, Problem::NotAPercent { value: v.to_owned() }).into()),
            }
        };
        let min = percent(Field::MinPercent, &text.min)?;
        let max = percent(Field::MaxPercent, &text.max)?;
        if let (Some(min), Some(max)) = (min, max)
            && min > max
        {
            let problem = Problem::LessThanLeast { value: max.to_string(), least: min.to_string() };
            return Err(Invalid::new(Field::MaxPercent, problem).into());
        }
        let reviewer = match text.reviewer.trim() {
            "" => ReviewerFilter::Anyone,
            "none" => ReviewerFilter::Nobody,
            id => ReviewerFilter::User(
                id.parse().map_err(|_| Invalid::new(Field::Reviewer, Problem::NoSuchUser { value: id.to_owned() }))?,
            ),
        };
        let sort = match text.sort.trim() {
            "" => BoardSort::Party,
            id => BoardSort::ALL
                .iter()
                .find(|(_, sort_id)| *sort_id == id)
                .map(|(sort, _)| *sort)
                .ok_or_else(|| unknown(Field::SortBy, id))?,
        };
        let descending = match text.order.trim() {
            "" | "asc" => false,
            "desc" => true,
            other => return Err(unknown(Field::Order, other).into()),
        };
        Ok(BoardQuery { region, status, overdue, min, max, reviewer, sort, descending })
    }

    /// Whether a row passes the filters.
    pub fn keeps(&self, row: &PartyStatus) -> bool {
        self.region.is_none_or(|region| row.region == Some(region))
            && self.status.is_none_or(|status| row.status == status)
            && (!self.overdue || row.overdue)
            && self.min.is_none_or(|min| row.percent >= min)
            && self.max.is_none_or(|max| row.percent <= max)
            && match self.reviewer {
                ReviewerFilter::Anyone => true,
                ReviewerFilter::Nobody => row.reviewer.is_none(),
                ReviewerFilter::User(user) => row.reviewer == Some(user),
            }
    }

    /// The rows that pass the filters, in the query's order (the Party's name breaking ties).
    pub fn apply(&self, mut rows: Vec<PartyStatus>) -> Vec<PartyStatus> {
        rows.retain(|row| self.keeps(row));
        let status_rank = |row: &PartyStatus| PartyStatus::STATUSES.iter().position(|s| *s == row.status);
        let by_name = |a: &PartyStatus, b: &PartyStatus| a.party.cmp(&b.party).then_with(|| a.iso3.cmp(&b.iso3));
        let key = |a: &PartyStatus, b: &PartyStatus| -> Ordering {
            match self.sort {
                BoardSort::Party => Ordering::Equal,
                BoardSort::Region => a.region.cmp(&b.region),
                BoardSort::Status => status_rank(a).cmp(&status_rank(b)),
                BoardSort::Completeness => a.percent.cmp(&b.percent),
                BoardSort::Updated => a.updated_at.as_str().cmp(b.updated_at.as_str()),
                BoardSort::Reviewer => a.reviewer_name.cmp(&b.reviewer_name),
            }
        };
        rows.sort_by(|a, b| {
            let order = key(a, b).then_with(|| by_name(a, b));
            if self.descending { order.reverse() } else { order }
        });
        rows
    }
}

/// The board of a cycle as the query asks (Secretariat only), Parties named in `lang`.
pub async fn board(
    workflow: &Workflow,
    viewer: &SignedIn,
    cycle: &Cycle,
    query: &BoardQuery,
    lang: Lang,
) -> Result<Vec<PartyStatus>, WorkflowError> {
    require_secretariat(viewer)?;
    Ok(query.apply(status_board(workflow, cycle, lang).await?))
}

/// The members of the Secretariat who may review reports (enabled accounts), by name.
pub async fn reviewers(workflow: &Workflow, viewer: &SignedIn) -> Result<Vec<qpr_store::User>, WorkflowError> {
    require_secretariat(viewer)?;
    let mut members: Vec<qpr_store::User> =
        workflow.store.users().await?.into_iter().filter(|u| u.is_secretariat && !u.disabled).collect();
    members.sort_by(|a, b| a.display_name.cmp(&b.display_name).then(a.id.cmp(&b.id)));
    Ok(members)
}

/// The Secretariat assigns `reviewer` (a member of the Secretariat; `None`: nobody) to review
/// `report`; audited as `report.reviewer_assigned`.
pub async fn assign_reviewer(
    workflow: &Workflow,
    viewer: &SignedIn,
    report: ReportId,
    reviewer: Option<UserId>,
) -> Result<(), WorkflowError> {
    require_secretariat(viewer)?;
    if let Some(user) = reviewer {
        let member = workflow
            .store
            .user(user)
            .await
            .map_err(|_| Invalid::new(Field::Reviewer, Problem::NoSuchUser { value: user.to_string() }))?;
        if !member.is_secretariat || member.disabled {
            return Err(Invalid::new(Field::Reviewer, Problem::NotSecretariat { who: member.email }).into());
        }
    }
    Ok(workflow.store.assign_reviewer(report, reviewer, &viewer.actor()).await?)
}

/// One report of a reviewer's queue.
#[derive(Debug, Clone)]
pub struct Review {
    /// The Party's code.
    pub iso3: String,
    /// The Party's name in the queue's language.
    pub party: String,
    /// The report's year.
    pub year: i32,
    /// The report's state (`submitted` first: those wait for the reviewer).
    pub state: qpr_store::ReportState,
    /// Share of applicable questions answered.
    pub percent: Option<u8>,
    /// Last change.
    pub updated_at: qpr_store::Timestamp,
}

/// The reports the viewer (a member of the Secretariat) reviews: those awaiting a decision
/// (submitted) first, then the others, newest year first.
pub async fn my_reviews(workflow: &Workflow, viewer: &SignedIn, lang: Lang) -> Result<Vec<Review>, WorkflowError> {
    require_secretariat(viewer)?;
    let mut reviews: Vec<Review> = workflow
        .store
        .reviews_of(viewer.user.id)
        .await?
        .into_iter()
        .map(|row| {
            let report = row.report;
            Review {
                party: qpr_domain::countries::by_iso3(&report.party_iso3)
                    .map_or_else(|| report.party_name.clone(), |c| c.name.get(lang).to_owned()),
                iso3: report.party_iso3,
                year: report.year,
                state: report.state,
                percent: row.percent,
                updated_at: report.updated_at,
            }
        })
        .collect();
    let waiting = |r: &Review| r.state != qpr_store::ReportState::Submitted;
    reviews.sort_by(|a, b| waiting(a).cmp(&waiting(b)).then(b.year.cmp(&a.year)).then(a.party.cmp(&b.party)));
    Ok(reviews)
}

/// A message from the board to the focal points of the reports a query keeps.
#[derive(Debug, Clone)]
pub struct BoardMessage {
    /// Each report the query keeps and its focal points' e-mail addresses (none when the
    /// Party has no focal point yet).
    pub recipients: Vec<(PartyStatus, Vec<String>)>,
    /// The token that sends this message once (the preview hands it to the confirmation).
    pub token: String,
}

impl BoardMessage {
    /// How many messages go out: one per focal point and report.
    pub fn count(&self) -> usize {
        self.recipients.iter().map(|(_, to)| to.len()).sum()
    }

    /// The reports whose Party has no focal point to write to.
    pub fn unreached(&self) -> impl Iterator<Item = &PartyStatus> {
        self.recipients.iter().filter(|(_, to)| to.is_empty()).map(|(row, _)| row)
    }
}

/// The preview of a message to the focal points of the reports `query` keeps (Secretariat
/// only): who would get it, and a new token to send it with.
pub async fn preview_message(
    workflow: &Workflow,
    viewer: &SignedIn,
    cycle: &Cycle,
    query: &BoardQuery,
    lang: Lang,
) -> Result<BoardMessage, WorkflowError> {
    let rows = board(workflow, viewer, cycle, query, lang).await?;
    let mut recipients = Vec::with_capacity(rows.len());
    for row in rows {
        let focal = crate::notify::party_team(&workflow.store, &row.iso3, false).await?;
        recipients.push((row, focal.into_iter().map(|u| u.email).collect()));
    }
    Ok(BoardMessage { recipients, token: crate::auth::random_token()? })
}

/// What sending a board message did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MessageOutcome {
    /// Sent: how many messages went out.
    Sent(usize),
    /// This token's message was sent already (the form was sent twice): nothing sent now.
    AlreadySent,
}

/// Sends `subject` and `body` to the focal points of the reports `query` keeps, each with the
/// link to their report; claimed once by `token` (see [`preview_message`]); audited.
pub async fn send_message(
    workflow: &Workflow,
    viewer: &SignedIn,
    (cycle, query, lang): (&Cycle, &BoardQuery, Lang),
    token: &str,
    (subject, body): (&str, &str),
) -> Result<MessageOutcome, WorkflowError> {
    let (subject, body) = (subject.trim(), body.trim());
    if subject.is_empty() {
        return Err(Invalid::new(Field::Subject, Problem::Required).into());
    }
    if body.is_empty() {
        return Err(Invalid::new(Field::Message, Problem::Required).into());
    }
    if token.len() < 32 || !token.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') {
        return Err(Invalid::new(Field::PreviewToken, Problem::PreviewMissing).into());
    }
    let mut message = preview_message(workflow, viewer, cycle, query, lang).await?;
    message.token = token.to_owned();
    let addresses: Vec<String> = message.recipients.iter().flat_map(|(_, to)| to.iter().cloned()).collect();
    if !workflow.store.claim_board_message(token, cycle.id, (subject, body), viewer.user.id, &addresses).await? {
        return Ok(MessageOutcome::AlreadySent);
    }
    let public = workflow.public_url.trim_end_matches('/');
    let mut sent = 0;
    for (row, to) in &message.recipients {
        let text = format!("{body}\n\n{public}/app/reports/{}/{}\n", row.iso3, cycle.year);
        for address in to {
            let mail = qpr_mail::Mail { to: address.clone(), subject: subject.to_owned(), body: text.clone() };
            match workflow.mailer.send(&mail).await {
                Ok(()) => sent += 1,
                Err(error) => tracing::warn!(to = %address, code = error.code(), "board message not sent: {error}"),
            }
        }
    }
    Ok(MessageOutcome::Sent(sent))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(
        iso3: &str,
        region: Option<Region>,
        status: &'static str,
        percent: u8,
        reviewer: Option<i64>,
    ) -> PartyStatus {
        PartyStatus {
            iso3: iso3.to_owned(),
            party: iso3.to_owned(),
            region,
            status,
            percent,
            overdue: status == "in_progress",
            updated_at: "2027-01-01T00:00:00Z".parse().unwrap(),
            reviewer: reviewer.map(|id| id.to_string().parse().unwrap()),
            reviewer_name: reviewer.map(|id| format!("R{id}")),
        }
    }

    fn query(pairs: &[(&str, &str)]) -> Result<BoardQuery, WorkflowError> {
        let mut text = BoardQueryText::default();
        for (key, value) in pairs {
            let value = (*value).to_owned();
            match *key {
                "region" => text.region = value,
                "status" => text.status = value,
                "overdue" => text.overdue = value,
                "min" => text.min = value,
                "max" => text.max = value,
                "reviewer" => text.reviewer = value,
                "sort" => text.sort = value,
                "order" => text.order = value,
                _ => unreachable!(),
            }
        }
        BoardQuery::parse(&text)
    }

    fn codes(rows: &[PartyStatus]) -> Vec<&str> {
        rows.iter().map(|r| r.iso3.as_str()).collect()
    }

    #[test]
    fn filters_combine_and_sorts_break_ties_by_party() {
        let rows = vec![
            row("SEN", Some(Region::Africa), "in_progress", 40, None),
            row("FRA", Some(Region::EuropeNorthAmerica), "submitted", 100, Some(7)),
            row("EUU", Some(Region::EuropeNorthAmerica), "in_progress", 75, Some(7)),
            row("BRA", Some(Region::LatinAmericaCaribbean), "not_started", 0, Some(3)),
        ];
        let all = query(&[]).unwrap().apply(rows.clone());
        assert_eq!(codes(&all), ["BRA", "EUU", "FRA", "SEN"]);
        let europe = query(&[("region", "europe_north_america")]).unwrap().apply(rows.clone());
        assert_eq!(codes(&europe), ["EUU", "FRA"]);
        let overdue_half = query(&[("overdue", "yes"), ("min", "50")]).unwrap().apply(rows.clone());
        assert_eq!(codes(&overdue_half), ["EUU"]);
        let seven = query(&[("reviewer", "7"), ("sort", "complete"), ("order", "desc")]).unwrap().apply(rows.clone());
        assert_eq!(codes(&seven), ["FRA", "EUU"]);
        let unassigned = query(&[("reviewer", "none")]).unwrap().apply(rows.clone());
        assert_eq!(codes(&unassigned), ["SEN"]);
        let by_status = query(&[("sort", "status")]).unwrap().apply(rows.clone());
        assert_eq!(codes(&by_status), ["BRA", "EUU", "SEN", "FRA"]);
        let low = query(&[("max", "40"), ("status", "not_started")]).unwrap().apply(rows);
        assert_eq!(codes(&low), ["BRA"]);
    }

    #[test]
    fn a_value_that_names_nothing_is_an_error_naming_its_field() {
        for (pairs, field) in [
            (vec![("region", "atlantis")], Field::Region),
            (vec![("status", "lost")], Field::Status),
            (vec![("overdue", "maybe")], Field::Overdue),
            (vec![("min", "101")], Field::MinPercent),
            (vec![("min", "60"), ("max", "50")], Field::MaxPercent),
            (vec![("reviewer", "bob")], Field::Reviewer),
            (vec![("sort", "colour")], Field::SortBy),
            (vec![("order", "up")], Field::Order),
        ] {
            match query(&pairs) {
                Err(WorkflowError::Invalid(invalid)) => assert_eq!(invalid.field, field, "{pairs:?}"),
                other => panic!("{pairs:?}: {other:?}"),
            }
        }
    }
}
