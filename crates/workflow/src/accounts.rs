//! Accounts and the Parties' teams: an account made from the command line, one-time password
//! links, password resets, and the invitations that give a person a role for a Party (with the
//! e-mail that tells them).

use qpr_domain::countries::Iso3;
use qpr_domain::text::Lang;
use qpr_mail::{Mail, MailError};
use qpr_store::{Membership, MembershipRole, NewUser, Store, StoredReport, Timestamp, TokenPurpose, User, UserId};

use crate::access::{ReportAccess, require_secretariat};
use crate::auth::{SignedIn, random_token};
use crate::messages as i18n;
use crate::{Field, Invalid, Problem, Workflow, WorkflowError};

/// How long a "set your password" link works: long enough for an invitation read after a
/// holiday, short enough for a reset link.
pub const INVITATION_LINK_DAYS: i64 = 14;
/// How long a password reset link works.
pub const RESET_LINK_HOURS: i64 = 2;

/// The link of a one-time password page on the site reached at `public_url`.
fn password_link(public_url: &str, token: &str) -> String {
    format!("{}{}{token}", public_url.trim_end_matches('/'), crate::PASSWORD_LINK_PATH)
}

/// Makes a one-time "set your password" link's secret for `user`, valid for `lifetime`.
async fn password_token(
    store: &Store,
    user: UserId,
    lifetime: time::Duration,
    label: &str,
) -> Result<String, WorkflowError> {
    let token = random_token()?;
    let expires = Timestamp::from_instant(time::OffsetDateTime::now_utc() + lifetime);
    store.create_user_token(user, TokenPurpose::Password, &token, label, Some(&expires)).await?;
    Ok(token)
}

/// A link with which `user` chooses their first password (valid as long as an invitation),
/// for the administrator created from the command line.
pub async fn first_password_link(store: &Store, public_url: &str, user: UserId) -> Result<String, WorkflowError> {
    let token = password_token(store, user, time::Duration::days(INVITATION_LINK_DAYS), "first password").await?;
    Ok(password_link(public_url, &token))
}

/// An account to make from the command line (`qpr user add`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAccount<'a> {
    /// The e-mail (login).
    pub email: &'a str,
    /// The name shown to others (the e-mail when `None`).
    pub name: Option<&'a str>,
    /// Member of the Secretariat.
    pub secretariat: bool,
    /// A role for a Party (its ISO3 code).
    pub party: Option<(String, MembershipRole)>,
}

/// An account made, with the link that lets its owner choose a password.
#[derive(Debug)]
pub struct CreatedAccount {
    /// The user's id.
    pub user: UserId,
    /// The one-time link (also e-mailed).
    pub link: String,
    /// Whether the e-mail with the link went out: when it did not, someone gives the link by hand.
    pub mailed: Result<(), MailError>,
}

/// Makes an account without a password, with its Party role if any, and e-mails (in English)
/// the one-time link with which its owner chooses the password. `actor` is who does it in
/// the audit log (`cli`).
pub async fn create_account(
    workflow: &Workflow,
    account: &NewAccount<'_>,
    actor: &str,
) -> Result<CreatedAccount, WorkflowError> {
    let email = account.email.trim();
    let display_name = account.name.unwrap_or(email);
    let new_user = NewUser { email, display_name, password_hash: None, is_secretariat: account.secretariat };
    let user = workflow.store.create_user(&new_user, actor).await?;
    if let Some((party, role)) = &account.party {
        let membership = Membership { user_id: user, party_iso3: party.clone(), role: *role, sections: None };
        workflow.store.set_membership(&membership, actor).await?;
    }
    let link = first_password_link(&workflow.store, &workflow.public_url, user).await?;
    let args = [("link", link.clone().into())];
    let mail = Mail {
        to: email.to_owned(),
        subject: i18n::text_with(Lang::En, "mail-account-subject", &args),
        body: format!("{}\n", i18n::text_with(Lang::En, "mail-account-body", &args)),
    };
    let mailed = workflow.mailer.send(&mail).await;
    Ok(CreatedAccount { user, link, mailed })
}

/// Sends a message; a failure to send is reported to the person acting, since they can copy the
/// link by hand.
async fn send(workflow: &Workflow, mail: Mail) -> Result<(), WorkflowError> {
    workflow.mailer.send(&mail).await.map_err(|e| WorkflowError::MailNotSent {
        to: mail.to.clone(),
        reason: e.to_string(),
        link: None,
    })
}

/// A refusal of the e-mail field.
fn email_refused(problem: Problem) -> WorkflowError {
    Invalid::new(Field::Email, problem).into()
}

/// The user with this e-mail, created (without a password) if new. `check` runs on an
/// existing user before anything is written; a new user is created only once the address is
/// valid, so a refused invitation leaves no account behind.
async fn user_for_invitation(
    workflow: &Workflow,
    viewer: &SignedIn,
    (email, name): (&str, &str),
    check: impl AsyncFnOnce(&User) -> Result<(), WorkflowError>,
) -> Result<(User, bool), WorkflowError> {
    let email = qpr_mail::parse_address(email)
        .map_err(|_| email_refused(Problem::NotAnEmail { value: email.trim().to_owned() }))?;
    if let Some(user) = workflow.store.user_by_email(&email).await? {
        check(&user).await?;
        return Ok((user, false));
    }
    let display_name = if name.trim().is_empty() { email.as_str() } else { name.trim() };
    let id = workflow
        .store
        .create_user(
            &NewUser { email: &email, display_name, password_hash: None, is_secretariat: false },
            &viewer.actor(),
        )
        .await?;
    Ok((workflow.store.user(id).await?, true))
}

/// Gives `email` a role for a Party and tells them by e-mail (with a link to set a password
/// when they have none yet). Returns the user. An invitation never lowers a role: inviting a
/// focal point as a contributor is refused (it would let a co-focal point demote, then remove,
/// another).
async fn invite_member(
    workflow: &Workflow,
    viewer: &SignedIn,
    membership: (&str, MembershipRole, Option<Vec<String>>),
    (email, name): (&str, &str),
    lang: Lang,
) -> Result<User, WorkflowError> {
    let (iso3, role, sections) = membership;
    let check = async |user: &User| {
        if user.is_secretariat {
            return Err(email_refused(Problem::SecretariatMember { who: user.email.clone() }));
        }
        let memberships = workflow.store.memberships(user.id).await?;
        if let Some(other) = memberships.iter().find(|m| m.party_iso3 != iso3) {
            let problem = Problem::OtherParty { who: user.email.clone(), party: other.party_iso3.clone() };
            return Err(email_refused(problem));
        }
        if let Some(current) =
            memberships.iter().find(|m| m.party_iso3 == iso3 && m.role != role && m.role.includes(role))
        {
            let problem = Problem::HigherRole { who: user.email.clone(), role: current.role.as_str().to_owned() };
            return Err(email_refused(problem));
        }
        Ok(())
    };
    let (user, _) = user_for_invitation(workflow, viewer, (email, name), check).await?;
    workflow
        .store
        .set_membership(&Membership { user_id: user.id, party_iso3: iso3.to_owned(), role, sections }, &viewer.actor())
        .await?;
    let role_key = if role == MembershipRole::FocalPoint { "mail-role-focal-point" } else { "mail-role-contributor" };
    let link = if user.password_hash.is_none() {
        let token =
            password_token(&workflow.store, user.id, time::Duration::days(INVITATION_LINK_DAYS), "invitation").await?;
        password_link(&workflow.public_url, &token)
    } else {
        format!("{}/login", workflow.public_url.trim_end_matches('/'))
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
    send(workflow, mail).await?;
    Ok(user)
}

/// The Secretariat names a Party's focal point for a cycle's report; the invitation is
/// written in `lang`.
pub async fn invite_focal_point(
    workflow: &Workflow,
    viewer: &SignedIn,
    year: i32,
    iso3: &str,
    (email, name): (&str, &str),
    lang: Lang,
) -> Result<User, WorkflowError> {
    require_secretariat(viewer)?;
    let cycle = crate::cycles::cycle(workflow, year).await?;
    // A former code (`EUE`) names the Party it names today.
    let iso3 = Iso3::from_input(iso3)
        .map_err(|_| Invalid::new(Field::Party, Problem::NotACountryCode { value: iso3.to_owned() }))?
        .as_str()
        .to_owned();
    if !workflow.store.cycle_reports(cycle.id).await?.iter().any(|r| r.party_iso3 == iso3) {
        return Err(Invalid::new(Field::Party, Problem::NotInCycle { party: iso3, year }).into());
    }
    invite_member(workflow, viewer, (&iso3, MembershipRole::FocalPoint, None), (email, name), lang).await
}

/// The focal point invites a contributor to some sections (every section when none is given).
pub async fn invite_contributor(
    workflow: &Workflow,
    viewer: &SignedIn,
    (report, access): (&StoredReport, &ReportAccess),
    invitee: (&str, &str),
    sections: Vec<String>,
    lang: Lang,
) -> Result<User, WorkflowError> {
    if !access.can_manage() {
        return Err(WorkflowError::Forbidden);
    }
    let framework = workflow.framework(&report.framework)?;
    if let Some(unknown) = sections.iter().find(|id| framework.section(id).is_none()) {
        return Err(Invalid::new(Field::Sections, Problem::Unknown { value: unknown.clone() }).into());
    }
    let sections = (!sections.is_empty()).then_some(sections);
    invite_member(workflow, viewer, (&report.party_iso3, MembershipRole::Contributor, sections), invitee, lang).await
}

/// The focal point takes a contributor off the report (never themselves: a Party keeps its
/// focal point; the Secretariat names another).
pub async fn remove_member(
    workflow: &Workflow,
    viewer: &SignedIn,
    (report, access): (&StoredReport, &ReportAccess),
    user: UserId,
) -> Result<(), WorkflowError> {
    if !access.can_manage() {
        return Err(WorkflowError::Forbidden);
    }
    let members = workflow.store.party_members(&report.party_iso3).await?;
    match members.iter().find(|(u, _)| u.id == user) {
        None => Err(WorkflowError::NotFound),
        Some((_, m)) if m.role == MembershipRole::FocalPoint => Err(WorkflowError::FocalPointStays),
        Some(_) => Ok(workflow.store.remove_membership(user, &report.party_iso3, &viewer.actor()).await?),
    }
}

/// Sends a password reset link (written in `lang`) if the address has an account; says
/// nothing either way (so the form does not tell who has an account).
pub async fn request_password_reset(workflow: &Workflow, email: &str, lang: Lang) -> Result<(), WorkflowError> {
    let Some(user) = workflow.store.user_by_email(email).await? else { return Ok(()) };
    if user.disabled {
        return Ok(());
    }
    let token = password_token(&workflow.store, user.id, time::Duration::hours(RESET_LINK_HOURS), "reset").await?;
    let args = [("link", password_link(&workflow.public_url, &token).into())];
    let mail = Mail {
        to: user.email.clone(),
        subject: i18n::text_with(lang, "mail-reset-subject", &args),
        body: i18n::text_with(lang, "mail-reset-body", &args),
    };
    send(workflow, mail).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn an_account_from_the_command_line_gets_its_link_by_mail() {
        let (url, dir) = qpr_test_support::sqlite_url();
        let store = Store::open(&url).await.unwrap();
        let mailer = qpr_mail::Mailer::to_folder("qpr <noreply@qpr.test>", dir.path().join("mail")).unwrap();
        let workflow = Workflow::new(store, mailer, "https://qpr.test/");
        let account = NewAccount {
            email: " fp@culture.gov.az ",
            name: Some("Focal"),
            secretariat: false,
            party: Some(("AZE".into(), MembershipRole::FocalPoint)),
        };
        let created = create_account(&workflow, &account, "cli").await.unwrap();
        created.mailed.unwrap();
        assert!(created.link.starts_with("https://qpr.test/password/set/"), "{}", created.link);
        let user = workflow.store.user(created.user).await.unwrap();
        assert_eq!(
            (user.email.as_str(), user.display_name.as_str(), user.is_secretariat),
            ("fp@culture.gov.az", "Focal", false)
        );
        let roles = workflow.store.memberships(created.user).await.unwrap();
        assert_eq!((roles[0].party_iso3.as_str(), roles[0].role), ("AZE", MembershipRole::FocalPoint));
        let mail = &workflow.mailer.outbox().unwrap()[0];
        assert_eq!(mail.subject, "Your account on the periodic reporting platform");
        assert_eq!(
            mail.body,
            format!(
                "Hello,\n\nAn account was created for you. Open this link to choose your password: {}\n\nThe link works once, for 14 days.\n",
                created.link
            )
        );
    }
}
