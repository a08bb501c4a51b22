//! Every action of the drafting workflow, written once: the HTML handlers and the JSON API both
//! call these, so a rule checked for one is checked for the other. Each takes the signed-in
//! user, checks what they may do (`access`), and goes through the store.

use qpr_domain::countries::{self, Iso3};
use qpr_domain::document::PartyRef;
use qpr_domain::text::Lang;
use qpr_domain::validate;
use qpr_domain::{Framework, ReportDocument};
use qpr_mail::Mail;
use qpr_store::{Cycle, Membership, MembershipRole, NewUser, ReportState, StoredReport, TokenPurpose, User};
use serde::Serialize;

use super::access::ReportAccess;
use super::auth::{SignedIn, random_token};
use crate::AppState;
use crate::error::{Missing, WebError};
use crate::i18n;

/// How long a "set your password" link works: long enough for an invitation read after a
/// holiday, short enough for a reset link.
const INVITATION_LINK_DAYS: i64 = 14;
const RESET_LINK_HOURS: i64 = 2;

fn rfc3339(at: time::OffsetDateTime) -> Result<String, WebError> {
    at.format(&time::format_description::well_known::Rfc3339).map_err(|e| WebError::Internal(e.to_string()))
}

/// A report the viewer may see, with what they may do with it; `404` when it is not theirs.
pub(crate) async fn report_for(
    state: &AppState,
    viewer: &SignedIn,
    iso3: &str,
    year: &str,
) -> Result<(StoredReport, ReportAccess), WebError> {
    let iso3 = Iso3::parse(iso3).map_err(|_| WebError::NotFound(Missing::CountryCode(iso3.to_owned())))?;
    let year: i32 = year.parse().map_err(|_| WebError::NotFound(Missing::Year(year.to_owned())))?;
    let not_found = || WebError::NotFound(Missing::Page);
    let report = state.store.report_by_key(iso3.as_str(), year).await?.ok_or_else(not_found)?;
    let access = ReportAccess::of(viewer, &report);
    if !access.can_see_report() {
        return Err(not_found());
    }
    Ok((report, access))
}

/// Only the Secretariat.
pub(crate) fn require_secretariat(viewer: &SignedIn) -> Result<(), WebError> {
    if viewer.user.is_secretariat { Ok(()) } else { Err(WebError::Forbidden) }
}

/// A year typed in a form.
pub(crate) fn parse_year(text: &str) -> Result<i32, WebError> {
    match text.trim().parse::<i32>() {
        Ok(year @ 2000..=2100) => Ok(year),
        _ => Err(WebError::Invalid(format!("Year: `{text}` is not a year between 2000 and 2100."))),
    }
}

/// A `YYYY-MM-DD` date typed in a form.
pub(crate) fn parse_date(text: &str, label: &str) -> Result<String, WebError> {
    let format = time::format_description::parse_borrowed::<2>("[year]-[month]-[day]").map_err(|e| WebError::Internal(e.to_string()))?;
    time::Date::parse(text.trim(), &format)
        .map(|_| text.trim().to_owned())
        .map_err(|_| WebError::Invalid(format!("{label}: `{text}` is not a date written YYYY-MM-DD.")))
}

/// Opens a reporting cycle with a draft report for each Party expected (every Party to the
/// Convention when `parties` is empty).
pub(crate) async fn open_cycle(
    state: &AppState,
    viewer: &SignedIn,
    year: i32,
    framework: &str,
    deadline: &str,
    parties: &[String],
) -> Result<i64, WebError> {
    require_secretariat(viewer)?;
    if state.frameworks.get(framework).is_none() {
        return Err(WebError::Invalid(format!("Framework: `{framework}` is not a framework this platform knows.")));
    }
    let expected: Vec<&countries::Country> = if parties.is_empty() {
        countries::all().iter().filter(|c| c.ratification.is_some()).collect()
    } else {
        parties
            .iter()
            .map(|code| {
                countries::by_iso3(code.trim()).ok_or_else(|| WebError::Invalid(format!("Parties: `{code}` is not a country code.")))
            })
            .collect::<Result<_, _>>()?
    };
    let drafts: Vec<ReportDocument> = expected
        .iter()
        .map(|country| {
            let party = PartyRef { name: country.name.get(Lang::En).to_owned(), iso3: Some(country.iso3.clone()) };
            ReportDocument::new(framework, party, year)
        })
        .collect();
    Ok(state.store.open_cycle_with_reports(year, framework, deadline, &drafts, &viewer.actor()).await?)
}

/// The cycle of a year.
pub(crate) async fn cycle(state: &AppState, year: i32) -> Result<Cycle, WebError> {
    state.store.cycles().await?.into_iter().find(|c| c.year == year).ok_or(WebError::NotFound(Missing::Page))
}

/// Where a Party's report stands, as the status board shows it.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct PartyStatus {
    pub iso3: String,
    pub party: String,
    /// `not_started`, `in_progress`, `submitted`, `changes_requested`, `accepted`, `published`.
    pub status: &'static str,
    /// Share of applicable questions answered, 0–100.
    pub percent: u8,
    /// Past the deadline and not submitted.
    pub overdue: bool,
    pub updated_at: String,
}

/// The status of every report of a cycle.
pub(crate) async fn status_board(state: &AppState, cycle: &Cycle) -> Result<Vec<PartyStatus>, WebError> {
    let today = time::OffsetDateTime::now_utc().date().to_string();
    let mut rows = Vec::new();
    for report in state.store.cycle_reports(cycle.id).await? {
        let revision = report.current_revision.ok_or_else(|| WebError::Internal(format!("report {} has no revision", report.id)))?;
        let (info, document) = state.store.revision(revision).await?;
        let framework = state.framework(&report.framework)?;
        let percent = validate::overall(&validate::completeness(framework, &document)).percent();
        let status = match report.state {
            ReportState::Draft if info.parent_id.is_none() => "not_started",
            ReportState::Draft => "in_progress",
            other => other.as_str(),
        };
        let unsubmitted = matches!(report.state, ReportState::Draft | ReportState::ChangesRequested);
        rows.push(PartyStatus {
            iso3: report.party_iso3.clone(),
            party: report.party_name.clone(),
            status,
            percent,
            overdue: unsubmitted && cycle.open && today.as_str() > cycle.deadline.as_str(),
            updated_at: report.updated_at.clone(),
        });
    }
    Ok(rows)
}

/// The link of a one-time password page on the site reached at `public_url`.
fn password_link(public_url: &str, token: &str) -> String {
    format!("{}/password/set/{token}", public_url.trim_end_matches('/'))
}

/// Makes a one-time "set your password" link's secret for `user`, valid for `lifetime`.
async fn password_token(store: &qpr_store::Store, user: i64, lifetime: time::Duration, label: &str) -> Result<String, WebError> {
    let token = random_token()?;
    let expires = rfc3339(time::OffsetDateTime::now_utc() + lifetime)?;
    store.create_user_token(user, TokenPurpose::Password, &token, label, Some(&expires)).await?;
    Ok(token)
}

/// A link with which `user` chooses their first password (valid as long as an invitation),
/// for the administrator created from the command line.
pub async fn first_password_link(store: &qpr_store::Store, public_url: &str, user: i64) -> Result<String, WebError> {
    let token = password_token(store, user, time::Duration::days(INVITATION_LINK_DAYS), "first password").await?;
    Ok(password_link(public_url, &token))
}

/// Sends a message; a failure to send is reported to the person acting, since they can copy the
/// link by hand.
async fn send(state: &AppState, mail: Mail) -> Result<(), WebError> {
    state.mailer.send(&mail).await.map_err(|e| WebError::Invalid(format!("The e-mail to {} could not be sent: {e}", mail.to)))
}

/// The user with this e-mail, created (without a password) if new. `check` runs on an
/// existing user before anything is written; a new user is created only once the address is
/// valid, so a refused invitation leaves no account behind.
async fn user_for_invitation(
    state: &AppState,
    viewer: &SignedIn,
    (email, name): (&str, &str),
    check: impl AsyncFnOnce(&User) -> Result<(), WebError>,
) -> Result<(User, bool), WebError> {
    let email =
        qpr_mail::parse_address(email).map_err(|_| WebError::Invalid(format!("E-mail: `{}` is not an e-mail address.", email.trim())))?;
    if let Some(user) = state.store.user_by_email(&email).await? {
        check(&user).await?;
        return Ok((user, false));
    }
    let display_name = if name.trim().is_empty() { email.as_str() } else { name.trim() };
    let id = state
        .store
        .create_user(&NewUser { email: &email, display_name, password_hash: None, is_secretariat: false }, &viewer.actor())
        .await?;
    Ok((state.store.user(id).await?, true))
}

/// Gives `email` a role for a Party and tells them by e-mail (with a link to set a password
/// when they have none yet). Returns the user. An invitation never lowers a role: inviting a
/// focal point as a contributor is refused (it would let a co-focal point demote, then remove,
/// another).
async fn invite_member(
    state: &AppState,
    viewer: &SignedIn,
    membership: (&str, MembershipRole, Option<Vec<String>>),
    email: &str,
    name: &str,
    lang: Lang,
) -> Result<User, WebError> {
    let (iso3, role, sections) = membership;
    let check = async |user: &User| {
        if user.is_secretariat {
            return Err(WebError::Invalid(format!("E-mail: {} belongs to the Secretariat, which cannot hold a Party's role.", user.email)));
        }
        let memberships = state.store.memberships(user.id).await?;
        if let Some(other) = memberships.iter().find(|m| m.party_iso3 != iso3) {
            return Err(WebError::Invalid(format!("E-mail: {} already works on the report of {}.", user.email, other.party_iso3)));
        }
        if let Some(current) = memberships.iter().find(|m| m.party_iso3 == iso3 && m.role != role && m.role.includes(role)) {
            return Err(WebError::Invalid(format!(
                "E-mail: {} is already {} of this report; an invitation never lowers a role.",
                user.email,
                current.role.as_str().replace('_', " ")
            )));
        }
        Ok(())
    };
    let (user, _) = user_for_invitation(state, viewer, (email, name), check).await?;
    state.store.set_membership(&Membership { user_id: user.id, party_iso3: iso3.to_owned(), role, sections }, &viewer.actor()).await?;
    let role_key = if role == MembershipRole::FocalPoint { "mail-role-focal-point" } else { "mail-role-contributor" };
    let link = if user.password_hash.is_none() {
        let token = password_token(&state.store, user.id, time::Duration::days(INVITATION_LINK_DAYS), "invitation").await?;
        password_link(&state.settings.public_url, &token)
    } else {
        format!("{}/login", state.settings.public_url.trim_end_matches('/'))
    };
    let args = [
        ("inviter", viewer.user.display_name.clone().into()),
        ("role", i18n::text(lang, role_key).into()),
        ("party", iso3.to_owned().into()),
        ("link", link.into()),
    ];
    let mail = Mail {
        to: user.email.clone(),
        subject: i18n::text_with(lang, "mail-invitation-subject", &args),
        body: i18n::text_with(lang, "mail-invitation-body", &args),
    };
    send(state, mail).await?;
    Ok(user)
}

/// The Secretariat names a Party's focal point for a cycle's report.
pub(crate) async fn invite_focal_point(
    state: &AppState,
    viewer: &SignedIn,
    year: i32,
    iso3: &str,
    email: &str,
    name: &str,
    lang: Lang,
) -> Result<User, WebError> {
    require_secretariat(viewer)?;
    let cycle = cycle(state, year).await?;
    let iso3 = iso3.trim().to_uppercase();
    if !state.store.cycle_reports(cycle.id).await?.iter().any(|r| r.party_iso3 == iso3) {
        return Err(WebError::Invalid(format!("Party: {iso3} is not expected to report in the {year} cycle.")));
    }
    invite_member(state, viewer, (&iso3, MembershipRole::FocalPoint, None), email, name, lang).await
}

/// The focal point invites a contributor to some sections (every section when none is given).
pub(crate) async fn invite_contributor(
    state: &AppState,
    viewer: &SignedIn,
    report: &StoredReport,
    access: &ReportAccess,
    invitee: (&str, &str),
    sections: Vec<String>,
    lang: Lang,
) -> Result<User, WebError> {
    if !access.can_manage() {
        return Err(WebError::Forbidden);
    }
    let framework = state.framework(&report.framework)?;
    if let Some(unknown) = sections.iter().find(|id| framework.section(id).is_none()) {
        return Err(WebError::Invalid(format!("Sections: `{unknown}` is not a section of the form.")));
    }
    let sections = (!sections.is_empty()).then_some(sections);
    invite_member(state, viewer, (&report.party_iso3, MembershipRole::Contributor, sections), invitee.0, invitee.1, lang).await
}

/// The focal point takes a contributor off the report (never themselves: a Party keeps its
/// focal point; the Secretariat names another).
pub(crate) async fn remove_member(
    state: &AppState,
    viewer: &SignedIn,
    report: &StoredReport,
    access: &ReportAccess,
    user: i64,
) -> Result<(), WebError> {
    if !access.can_manage() {
        return Err(WebError::Forbidden);
    }
    let members = state.store.party_members(&report.party_iso3).await?;
    match members.iter().find(|(u, _)| u.id == user) {
        None => Err(WebError::NotFound(Missing::Page)),
        Some((_, m)) if m.role == MembershipRole::FocalPoint => {
            Err(WebError::Invalid("A focal point cannot be removed here; the Secretariat names the focal point.".into()))
        }
        Some(_) => Ok(state.store.remove_membership(user, &report.party_iso3, &viewer.actor()).await?),
    }
}

/// Sends a password reset link if the address has an account; says nothing either way (so the
/// form does not tell who has an account).
pub(crate) async fn request_password_reset(state: &AppState, email: &str, lang: Lang) -> Result<(), WebError> {
    let Some(user) = state.store.user_by_email(email).await? else { return Ok(()) };
    if user.disabled {
        return Ok(());
    }
    let token = password_token(&state.store, user.id, time::Duration::hours(RESET_LINK_HOURS), "reset").await?;
    let args = [("link", password_link(&state.settings.public_url, &token).into())];
    let mail = Mail {
        to: user.email.clone(),
        subject: i18n::text_with(lang, "mail-reset-subject", &args),
        body: i18n::text_with(lang, "mail-reset-body", &args),
    };
    send(state, mail).await
}

/// The framework of a report.
pub(crate) fn framework_of<'a>(state: &'a AppState, report: &StoredReport) -> Result<&'a Framework, WebError> {
    state.framework(&report.framework)
}
