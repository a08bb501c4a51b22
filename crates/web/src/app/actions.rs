//! The actions of the drafting workflow as the HTML handlers and the JSON API both call them,
//! so a rule checked for one is checked for the other. The rules themselves are
//! `qpr-workflow`'s: these functions turn path segments and form values into its arguments,
//! and its refusals into [`WebError`]s (one conversion, in `error`).

pub(crate) use qpr_workflow::cycles::PartyStatus;

use qpr_domain::text::Lang;
use qpr_domain::{Framework, Year};
use qpr_store::{Cycle, StoredReport, User};

use super::access::ReportAccess;
use super::auth::SignedIn;
use crate::AppState;
use crate::error::{Missing, WebError};
use crate::report_key::ReportKey;

/// A report the viewer may see, with what they may do with it; `404` when it is not theirs.
pub(crate) async fn report_for(
    state: &AppState,
    viewer: &SignedIn,
    key: &ReportKey,
) -> Result<(StoredReport, ReportAccess), WebError> {
    let not_found = || WebError::NotFound(Missing::Page);
    let report = state.store.report_by_key(key.iso3.as_str(), key.year.get()).await?.ok_or_else(not_found)?;
    let access = ReportAccess::of(viewer, &report);
    if !access.can_see_report() {
        return Err(not_found());
    }
    Ok((report, access))
}

/// Only the Secretariat.
pub(crate) fn require_secretariat(viewer: &SignedIn) -> Result<(), WebError> {
    Ok(qpr_workflow::access::require_secretariat(viewer)?)
}

/// A year typed in a form (or an address), in [`Year`]'s range.
pub(crate) fn parse_year(text: &str) -> Result<i32, WebError> {
    Year::parse(text).map(Year::get).map_err(|_| {
        qpr_workflow::Invalid::new(
            qpr_workflow::Field::Year,
            qpr_workflow::Problem::NotAYear { value: text.to_owned() },
        )
        .into()
    })
}

/// A `YYYY-MM-DD` date typed in a form's `field`.
pub(crate) fn parse_date(text: &str, field: qpr_workflow::Field) -> Result<String, WebError> {
    let format = time::format_description::parse_borrowed::<2>("[year]-[month]-[day]")
        .map_err(|e| WebError::Internal(e.to_string()))?;
    time::Date::parse(text.trim(), &format).map(|_| text.trim().to_owned()).map_err(|_| {
        qpr_workflow::Invalid::new(field, qpr_workflow::Problem::NotADate { value: text.to_owned() }).into()
    })
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
) -> Result<qpr_store::CycleId, WebError> {
    Ok(qpr_workflow::cycles::open_cycle(&state.workflow, viewer, (year, framework, deadline), parties).await?)
}

/// The cycle of a year.
pub(crate) async fn cycle(state: &AppState, year: i32) -> Result<Cycle, WebError> {
    Ok(qpr_workflow::cycles::cycle(&state.workflow, year).await?)
}

/// The status of every report of a cycle.
pub(crate) async fn status_board(state: &AppState, cycle: &Cycle, lang: Lang) -> Result<Vec<PartyStatus>, WebError> {
    Ok(qpr_workflow::cycles::status_board(&state.workflow, cycle, lang).await?)
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
    Ok(qpr_workflow::accounts::invite_focal_point(&state.workflow, viewer, year, iso3, (email, name), lang).await?)
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
    Ok(qpr_workflow::accounts::invite_contributor(&state.workflow, viewer, (report, access), invitee, sections, lang)
        .await?)
}

/// The focal point takes a contributor off the report.
pub(crate) async fn remove_member(
    state: &AppState,
    viewer: &SignedIn,
    report: &StoredReport,
    access: &ReportAccess,
    user: qpr_store::UserId,
) -> Result<(), WebError> {
    Ok(qpr_workflow::accounts::remove_member(&state.workflow, viewer, (report, access), user).await?)
}

/// The framework of a report.
pub(crate) fn framework_of<'a>(state: &'a AppState, report: &StoredReport) -> Result<&'a Framework, WebError> {
    state.framework(&report.framework)
}
