//! Civil society input, the part without the form engine: the focal point invites a CSO (a
//! link whose secret is stored hashed, e-mailed when an address is given) and ends a link.
//! The CSO form itself and the focal point's decisions per measure are still in `qpr-web`,
//! with the form engine they read.

use qpr_domain::text::Lang;
use qpr_mail::Mail;
use qpr_store::{InvitationId, StoredReport, Timestamp};

use crate::access::ReportAccess;
use crate::auth::{SignedIn, random_token};
use crate::messages as i18n;
use crate::{Workflow, WorkflowError};

/// How long a CSO link works when the report's cycle gives no deadline.
const LINK_DAYS: i64 = 120;

/// Invites a CSO to the report; returns the link (shown once to the focal point, and e-mailed,
/// in `lang`, when an address is given).
pub async fn invite(
    workflow: &Workflow,
    viewer: &SignedIn,
    (report, access): (&StoredReport, &ReportAccess),
    (organization, email): (&str, Option<&str>),
    lang: Lang,
) -> Result<String, WorkflowError> {
    if !access.can_manage() {
        return Err(WorkflowError::Forbidden);
    }
    if !report.state.is_editable() {
        return Err(WorkflowError::CsoInvitationsClosed);
    }
    let organization = organization.trim();
    if organization.is_empty() || organization.chars().count() > 300 {
        return Err(WorkflowError::Invalid { field: "Organization", problem: "give its name (at most 300 characters).".into() });
    }
    let email = email.map(str::trim).filter(|e| !e.is_empty());
    if let Some(address) = email
        && (!address.contains('@') || address.contains(char::is_whitespace))
    {
        return Err(WorkflowError::Invalid { field: "E-mail", problem: format!("`{address}` is not an e-mail address.") });
    }
    let token = random_token()?;
    let expires = time::OffsetDateTime::now_utc() + time::Duration::days(LINK_DAYS);
    let expires = Timestamp::from_instant(expires);
    workflow.store.create_invitation(report.id, organization, email, &token, &expires, Some(viewer.user.id)).await?;
    let link = format!("{}{}{token}", workflow.public_url, crate::CSO_LINK_PATH);
    if let Some(address) = email {
        let args =
            [("party", report.party_name.clone().into()), ("organization", organization.to_owned().into()), ("link", link.clone().into())];
        let mail = Mail {
            to: address.to_owned(),
            subject: i18n::text_with(lang, "mail-cso-subject", &args),
            body: i18n::text_with(lang, "mail-cso-body", &args),
        };
        workflow.mailer.send(&mail).await.map_err(|e| WorkflowError::MailNotSent {
            to: address.to_owned(),
            reason: e.to_string(),
            link: Some(link.clone()),
        })?;
    }
    Ok(link)
}

/// Ends a CSO's link (the focal point).
pub async fn revoke(
    workflow: &Workflow,
    viewer: &SignedIn,
    (report, access): (&StoredReport, &ReportAccess),
    invitation: InvitationId,
) -> Result<(), WorkflowError> {
    if !access.can_manage() {
        return Err(WorkflowError::Forbidden);
    }
    Ok(workflow.store.revoke_invitation(report.id, invitation, &viewer.actor()).await?)
}
