//! The account page (API tokens) and the Secretariat's view of the mail outbox.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::extract::rejection::FormRejection;
use axum::response::Response;
use qpr_mail::OutboxEntry;
use qpr_store::{ApiTokenInfo, TokenPurpose};

use super::actions;
use super::auth::{Viewer, random_token};
use super::{Chrome, page_error, private_page, see_other};
use crate::AppState;
use crate::error::WebError;
use crate::ui::Ui;

#[derive(Template)]
#[template(path = "app/account.html")]
struct AccountPage<'a> {
    lang: &'static str,
    ui: &'a Ui,
    chrome: &'a Chrome,
    email: &'a str,
    tokens: Vec<ApiTokenInfo>,
    /// A token just made: shown once, never again.
    new_token: Option<String>,
    /// Why the change of password was refused.
    password_error: Option<String>,
}

#[derive(Template)]
#[template(path = "app/mail.html")]
struct MailPage<'a> {
    lang: &'static str,
    ui: &'a Ui,
    chrome: &'a Chrome,
    relay: bool,
    mails: Vec<OutboxEntry>,
}

async fn render_account(
    state: &AppState,
    viewer: &Viewer,
    ui: &Ui,
    new_token: Option<String>,
) -> Result<Response, WebError> {
    render_account_with(state, viewer, ui, new_token, None).await
}

/// The account page, with what was wrong with a change of password.
async fn render_account_with(
    state: &AppState,
    viewer: &Viewer,
    ui: &Ui,
    new_token: Option<String>,
    password_error: Option<String>,
) -> Result<Response, WebError> {
    let signed_in = viewer.require()?;
    let tokens = state.store.api_tokens(signed_in.user.id).await?;
    let (chrome, cookie) = Chrome::new(state, viewer)?;
    let page = AccountPage {
        lang: ui.lang(),
        ui,
        chrome: &chrome,
        email: &signed_in.user.email,
        tokens,
        new_token,
        password_error,
    };
    Ok(private_page(&page, cookie))
}

/// `GET /app/account`.
pub(crate) async fn account(State(state): State<AppState>, viewer: Viewer, ui: Ui) -> Response {
    render_account(&state, &viewer, &ui, None).await.unwrap_or_else(|error| page_error(error, &ui))
}

/// Makes an API token for the user; returns the secret (shown once).
pub(crate) async fn create_api_token(
    state: &AppState,
    user: qpr_store::UserId,
    label: &str,
) -> Result<String, WebError> {
    let label = label.trim();
    if label.is_empty() || label.chars().count() > 100 {
        return Err(qpr_workflow::Invalid::new(
            qpr_workflow::Field::TokenName,
            qpr_workflow::Problem::Length { max: 100 },
        )
        .into());
    }
    let token = format!("qpr_{}", random_token()?);
    state.store.create_user_token(user, TokenPurpose::Api, &token, label, None).await?;
    Ok(token)
}

/// `POST /app/account`: `action=create` (`label`) or `action=revoke` (`token`).
pub(crate) async fn account_action(
    State(state): State<AppState>,
    viewer: Viewer,
    ui: Ui,
    super::auth::ClientAddress(client): super::auth::ClientAddress,
    form: Result<Form<AccountForm>, FormRejection>,
) -> Response {
    let result: Result<Response, WebError> = async {
        let form = super::parsed(form)?;
        viewer.check_write(form.csrf.as_deref())?;
        let user = viewer.require()?.user.id;
        let new_token = match form.action {
            AccountAction::Create => Some(create_api_token(&state, user, &form.label).await?),
            AccountAction::Revoke => {
                state.store.revoke_api_token(user, &form.token).await?;
                None
            }
            AccountAction::Password => {
                let signed_in = viewer.require()?;
                let typed = (form.current.as_str(), form.password.as_str(), form.confirm.as_str());
                let changed =
                    qpr_workflow::auth::change_password(&state.store, &state.throttle, signed_in, typed, client)
                        .await?;
                return match changed {
                    // Every session ended with the old password: sign in with the new one.
                    Ok(()) => Ok(see_other("/login?done=password")),
                    Err(refusal) => {
                        let mut page =
                            render_account_with(&state, &viewer, &ui, None, Some(ui.t(refusal.message_id()))).await?;
                        *page.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
                        Ok(page)
                    }
                };
            }
        };
        render_account(&state, &viewer, &ui, new_token).await
    }
    .await;
    result.unwrap_or_else(|error| page_error(error, &ui))
}

/// `GET /app/admin/mail`: every message the platform wrote to its outbox folder.
pub(crate) async fn mail_outbox(State(state): State<AppState>, viewer: Viewer, ui: Ui) -> Response {
    let result: Result<Response, WebError> = async {
        actions::require_secretariat(viewer.require()?)?;
        let hidden = ui.t("mail-link-hidden");
        let mails = state
            .mailer
            .outbox()
            .map_err(|e| WebError::Internal(e.to_string()))?
            .into_iter()
            .map(|mail| OutboxEntry { body: hide_link_secrets(&mail.body, &hidden), ..mail })
            .collect();
        let (chrome, cookie) = Chrome::new(&state, &viewer)?;
        Ok(private_page(
            &MailPage { lang: ui.lang(), ui: &ui, chrome: &chrome, relay: state.mailer.folder().is_none(), mails },
            cookie,
        ))
    }
    .await;
    result.unwrap_or_else(|error| page_error(error, &ui))
}

/// `body` with the secret of every password or CSO link replaced by `hidden`: the listing
/// shows that a link was sent, not the link (with it, any Secretariat member could set a
/// focal point's password or write a CSO's input).
fn hide_link_secrets(body: &str, hidden: &str) -> String {
    let mut out = String::with_capacity(body.len());
    let mut rest = body;
    while let Some((at, prefix)) =
        qpr_workflow::SECRET_LINK_PATHS.iter().filter_map(|p| rest.find(p).map(|at| (at, *p))).min()
    {
        let after = at + prefix.len();
        out.push_str(&rest[..after]);
        let secret = rest[after..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
            .map_or(rest.len(), |end| after + end);
        if secret > after {
            out.push_str(hidden);
        }
        rest = &rest[secret..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::hide_link_secrets;

    #[test]
    fn secrets_of_links_are_hidden_and_the_rest_kept() {
        let token = "0123456789abcdef".repeat(4);
        let body = format!(
            "Hello,\nhttps://qpr.example/password/set/{token}\nand https://qpr.example/cso/{token}?lang=fr.\nSee https://qpr.example/reports/AZE/2022"
        );
        let shown = hide_link_secrets(&body, "[hidden]");
        assert!(!shown.contains(&token), "{shown}");
        assert_eq!(
            shown,
            "Hello,\nhttps://qpr.example/password/set/[hidden]\nand https://qpr.example/cso/[hidden]?lang=fr.\nSee https://qpr.example/reports/AZE/2022"
        );
        assert_eq!(hide_link_secrets("no links /cso/ here", "[hidden]"), "no links /cso/ here");
    }
}

/// What the account page's form does with API tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum AccountAction {
    /// A new token, named by `label`.
    Create,
    /// Ends the token `token`.
    Revoke,
    /// A new password: `current`, `password`, `confirm`.
    Password,
}

/// `POST /app/account`: `action`, with the new token's `label` or the `token` to revoke.
#[derive(Debug, serde::Deserialize)]
pub(crate) struct AccountForm {
    csrf: Option<String>,
    action: AccountAction,
    #[serde(default)]
    label: String,
    #[serde(default)]
    token: String,
    #[serde(default)]
    current: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    confirm: String,
}
