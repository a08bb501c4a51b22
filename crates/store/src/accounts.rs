//! Users, their roles for Parties, CSO invitations and HTTP sessions. Secrets (invitation
//! tokens, session ids) are stored only as their SHA-256; password hashes come hashed from
//! the caller (Argon2id, in the web layer).

use std::collections::BTreeMap;

use sqlx::Row;
use sqlx::any::AnyRow;

use crate::{
    InvitationId, ReportId, Store, StoreError, Timestamp, UserId, corrupt, int, now, opt_timestamp, sha256_hex,
    timestamp,
};

/// A user account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    /// Id.
    pub id: UserId,
    /// E-mail, unique, stored lower-case.
    pub email: String,
    /// Name shown to others.
    pub display_name: String,
    /// Argon2id PHC string; `None` until a password is set.
    pub password_hash: Option<String>,
    /// Member of the Secretariat.
    pub is_secretariat: bool,
    /// Cannot log in.
    pub disabled: bool,
}

/// What is needed to create a user.
#[derive(Debug, Clone)]
pub struct NewUser<'a> {
    /// E-mail.
    pub email: &'a str,
    /// Name shown to others.
    pub display_name: &'a str,
    /// Argon2id PHC string, if a password is set now.
    pub password_hash: Option<&'a str>,
    /// Member of the Secretariat.
    pub is_secretariat: bool,
}

/// A user's role for a Party.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MembershipRole {
    /// Prepares, signs and submits the Party's report.
    FocalPoint,
    /// Fills the sections assigned.
    Contributor,
}

impl MembershipRole {
    /// Whether this role may do all that `other` may (a focal point includes a contributor).
    pub fn includes(self, other: MembershipRole) -> bool {
        self == other || self == MembershipRole::FocalPoint
    }

    /// The stored name (`focal_point`, `contributor`).
    pub fn as_str(self) -> &'static str {
        match self {
            MembershipRole::FocalPoint => "focal_point",
            MembershipRole::Contributor => "contributor",
        }
    }
}

/// A user's role for a Party.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Membership {
    /// User.
    pub user_id: UserId,
    /// Party.
    pub party_iso3: String,
    /// Role.
    pub role: MembershipRole,
    /// Section ids a contributor may edit; `None` for all.
    pub sections: Option<Vec<String>>,
}

/// A CSO invitation to a report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invitation {
    /// Id.
    pub id: InvitationId,
    /// Report.
    pub report_id: ReportId,
    /// Where the link was sent.
    pub email: Option<String>,
    /// Invited organization.
    pub organization: String,
    /// Until when the link works.
    pub expires_at: Timestamp,
    /// When the CSO submitted, if it did.
    pub submitted_at: Option<Timestamp>,
    /// The CSO's form answers (JSON), saved or submitted.
    pub submission: Option<String>,
    /// The focal point's decision on each submitted CSO measure, by measure id: included in
    /// the report or not. A measure without a decision is still to be looked at.
    pub decisions: BTreeMap<String, bool>,
}

impl Invitation {
    /// Whether the link still opens the CSO's form (not expired, not revoked).
    pub fn link_works(&self) -> bool {
        self.expires_at > now()
    }
}

/// What a token of a user is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenPurpose {
    /// A one-time link that sets the password (first password after an invitation, or a reset).
    Password,
    /// An API token (`Authorization: Bearer`), valid until it expires or is revoked.
    Api,
}

impl TokenPurpose {
    fn as_str(self) -> &'static str {
        match self {
            TokenPurpose::Password => "password",
            TokenPurpose::Api => "api",
        }
    }
}

/// An API token as its owner sees it (never the secret).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiTokenInfo {
    /// The first characters of the token's SHA-256, to tell tokens apart and revoke one.
    pub id: String,
    /// The owner's name for it.
    pub label: String,
    /// When it was made.
    pub created_at: Timestamp,
    /// Until when it works, if it expires.
    pub expires_at: Option<Timestamp>,
}

/// A stored HTTP session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    /// User.
    pub user_id: UserId,
    /// Session data (JSON).
    pub data: String,
    /// Expiry.
    pub expires_at: Timestamp,
}

fn user_from_row(row: &AnyRow) -> Result<User, StoreError> {
    Ok(User {
        id: row.try_get("id")?,
        email: row.try_get("email")?,
        display_name: row.try_get("display_name")?,
        password_hash: row.try_get("password_hash")?,
        is_secretariat: int(row, "is_secretariat")? != 0,
        disabled: int(row, "disabled")? != 0,
    })
}

fn membership_from_row(row: &AnyRow) -> Result<Membership, StoreError> {
    let user_id: UserId = row.try_get("user_id")?;
    let party_iso3: String = row.try_get("party_iso3")?;
    let which = || format!("user {user_id}, Party {party_iso3}");
    let role: String = row.try_get("role")?;
    let sections: Option<String> = row.try_get("sections")?;
    let role = [MembershipRole::FocalPoint, MembershipRole::Contributor]
        .into_iter()
        .find(|r| r.as_str() == role)
        .ok_or_else(|| corrupt("memberships", which(), format_args!("unknown role `{role}`")))?;
    // No sections (NULL) is the whole report.
    let sections = sections.map(|s| serde_json::from_str(&s)).transpose().map_err(|e| {
        corrupt("memberships", which(), format_args!("sections are not a JSON list of section ids ({e})"))
    })?;
    Ok(Membership { user_id, party_iso3, role, sections })
}

fn invitation_from_row(row: &AnyRow) -> Result<Invitation, StoreError> {
    let decisions: Option<String> = row.try_get("decisions")?;
    let id: InvitationId = row.try_get("id")?;
    let key = format!("id {id}");
    Ok(Invitation {
        // No decisions yet (NULL) is an empty map: the focal point has decided nothing.
        decisions: decisions
            .map(|json| serde_json::from_str(&json))
            .transpose()
            .map_err(|e| corrupt("cso_invitations", &key, format_args!("decisions are not a JSON object ({e})")))?
            .unwrap_or_default(),
        id,
        report_id: row.try_get("report_id")?,
        email: row.try_get("email")?,
        organization: row.try_get("organization")?,
        expires_at: timestamp(row, "cso_invitations", "expires_at", &key)?,
        submitted_at: opt_timestamp(row, "cso_invitations", "submitted_at", &key)?,
        submission: row.try_get("submission")?,
    })
}

const INVITATION_COLUMNS: &str = "id, report_id, email, organization, expires_at, submitted_at, submission, decisions";
const USER_COLUMNS: &str = "id, email, display_name, password_hash, is_secretariat, disabled";

/// Length of an API token's public id (hex characters of its SHA-256).
const API_TOKEN_ID_LEN: usize = 16;

impl Store {
    /// Creates a user; the e-mail must be new (compared case-insensitively).
    pub async fn create_user(&self, user: &NewUser<'_>, actor: &str) -> Result<UserId, StoreError> {
        let email = user.email.trim().to_lowercase();
        let mut tx = self.writer.begin().await?;
        let id: Option<UserId> = sqlx::query_scalar(
            "INSERT INTO users (email, display_name, password_hash, is_secretariat, created_at) VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (email) DO NOTHING RETURNING id",
        )
        .bind(email.clone())
        .bind(user.display_name.to_owned())
        .bind(user.password_hash.map(str::to_owned))
        .bind(i64::from(user.is_secretariat))
        .bind(now())
        .fetch_optional(&mut *tx)
        .await?;
        let id = id.ok_or_else(|| StoreError::Rejected(format!("a user with e-mail {email} exists already")))?;
        crate::audit::append(
            self.audit_key(),
            &mut tx,
            actor,
            "user.created",
            &format!("user:{id}"),
            &serde_json::json!({"email": email, "secretariat": user.is_secretariat}),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// A user by e-mail (case-insensitive).
    pub async fn user_by_email(&self, email: &str) -> Result<Option<User>, StoreError> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!("SELECT {USER_COLUMNS} FROM users WHERE email = $1")))
            .bind(email.trim().to_lowercase())
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(user_from_row).transpose()
    }

    /// A user by id.
    pub async fn user(&self, id: UserId) -> Result<User, StoreError> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1")))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        user_from_row(&row.ok_or_else(|| StoreError::NotFound(format!("user {id}")))?)
    }

    /// Sets a user's password hash, and in the same transaction ends everything that let
    /// someone act as that user before: every session (a reset is what a person does when
    /// someone else may know the password), every API token and every other password link.
    pub async fn set_password_hash(&self, user: UserId, hash: &str, actor: &str) -> Result<(), StoreError> {
        let mut tx = self.writer.begin().await?;
        let changed = sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
            .bind(hash.to_owned())
            .bind(user)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if changed == 0 {
            return Err(StoreError::NotFound(format!("user {user}")));
        }
        let sessions =
            sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(user).execute(&mut *tx).await?.rows_affected();
        let tokens = sqlx::query("UPDATE user_tokens SET used_at = $1 WHERE user_id = $2 AND used_at IS NULL")
            .bind(now())
            .bind(user)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        let ended = serde_json::json!({"sessions_ended": sessions, "tokens_revoked": tokens});
        crate::audit::append(self.audit_key(), &mut tx, actor, "user.password_set", &format!("user:{user}"), &ended)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Gives a user a role for a Party (replacing any earlier one).
    pub async fn set_membership(&self, membership: &Membership, actor: &str) -> Result<(), StoreError> {
        // A list of strings always serializes; the empty default is unreachable.
        let sections = membership.sections.as_ref().map(|s| serde_json::to_string(s).unwrap_or_default());
        let mut tx = self.writer.begin().await?;
        sqlx::query(
            "INSERT INTO memberships (user_id, party_iso3, role, sections) VALUES ($1, $2, $3, $4)
             ON CONFLICT (user_id, party_iso3) DO UPDATE SET role = excluded.role, sections = excluded.sections",
        )
        .bind(membership.user_id)
        .bind(membership.party_iso3.clone())
        .bind(membership.role.as_str())
        .bind(sections)
        .execute(&mut *tx)
        .await?;
        crate::audit::append(
            self.audit_key(),
            &mut tx,
            actor,
            "membership.set",
            &format!("user:{}", membership.user_id),
            &serde_json::json!({"party": membership.party_iso3, "role": membership.role.as_str()}),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// A user's roles.
    pub async fn memberships(&self, user: UserId) -> Result<Vec<Membership>, StoreError> {
        let rows = sqlx::query(
            "SELECT user_id, party_iso3, role, sections FROM memberships WHERE user_id = $1 ORDER BY party_iso3",
        )
        .bind(user)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(membership_from_row).collect()
    }

    /// Creates a CSO invitation; `token` is the secret of the link, kept only hashed.
    pub async fn create_invitation(
        &self,
        report: ReportId,
        organization: &str,
        email: Option<&str>,
        token: &str,
        expires_at: &Timestamp,
        created_by: Option<UserId>,
    ) -> Result<InvitationId, StoreError> {
        let mut tx = self.writer.begin().await?;
        let id: InvitationId = sqlx::query_scalar(
            "INSERT INTO cso_invitations (report_id, email, organization, token_sha256, created_by, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(report)
        .bind(email.map(str::to_owned))
        .bind(organization.to_owned())
        .bind(sha256_hex(token.as_bytes()))
        .bind(created_by)
        .bind(now())
        .bind(expires_at.clone())
        .fetch_one(&mut *tx)
        .await?;
        crate::audit::append(
            self.audit_key(),
            &mut tx,
            &created_by.map_or_else(|| "system".to_owned(), |u| format!("user:{u}")),
            "invitation.created",
            &format!("report:{report}"),
            &serde_json::json!({"invitation": id, "organization": organization}),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The invitation a link's token opens, if it is valid now.
    pub async fn invitation_by_token(&self, token: &str) -> Result<Option<Invitation>, StoreError> {
        let sql =
            format!("SELECT {INVITATION_COLUMNS} FROM cso_invitations WHERE token_sha256 = $1 AND expires_at > $2");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(sha256_hex(token.as_bytes()))
            .bind(now())
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(invitation_from_row).transpose()
    }

    /// Saves a CSO's answers; `submit` also marks them submitted (after which they are final).
    pub async fn save_invitation_answers(
        &self,
        invitation: InvitationId,
        submission: &str,
        submit: bool,
    ) -> Result<(), StoreError> {
        let submitted_at = submit.then(now);
        let changed = sqlx::query(
            "UPDATE cso_invitations SET submission = $1, submitted_at = $2 WHERE id = $3 AND submitted_at IS NULL",
        )
        .bind(submission.to_owned())
        .bind(submitted_at)
        .bind(invitation)
        .execute(&self.writer)
        .await?
        .rows_affected();
        if changed == 0 {
            return Err(StoreError::Rejected("this CSO form was already submitted".into()));
        }
        Ok(())
    }

    /// The invitations of a report.
    pub async fn invitations(&self, report: ReportId) -> Result<Vec<Invitation>, StoreError> {
        let sql = format!("SELECT {INVITATION_COLUMNS} FROM cso_invitations WHERE report_id = $1 ORDER BY id");
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(report).fetch_all(&self.pool).await?;
        rows.iter().map(invitation_from_row).collect()
    }

    /// An invitation by id.
    pub async fn invitation(&self, id: InvitationId) -> Result<Invitation, StoreError> {
        let sql = format!("SELECT {INVITATION_COLUMNS} FROM cso_invitations WHERE id = $1");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(&self.pool).await?;
        invitation_from_row(&row.ok_or_else(|| StoreError::NotFound(format!("invitation {id}")))?)
    }

    /// Ends a CSO's link now (a link sent to the wrong address, or an organization that should
    /// no longer write): the form no longer opens; what it submitted and the decisions on it
    /// stay. [`StoreError::NotFound`] for an invitation of another report or one already closed.
    pub async fn revoke_invitation(
        &self,
        report: ReportId,
        invitation: InvitationId,
        actor: &str,
    ) -> Result<(), StoreError> {
        let mut tx = self.writer.begin().await?;
        let at = now();
        let closed = sqlx::query(
            "UPDATE cso_invitations SET expires_at = $1 WHERE id = $2 AND report_id = $3 AND expires_at > $1",
        )
        .bind(at.clone())
        .bind(invitation)
        .bind(report)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if closed == 0 {
            return Err(StoreError::NotFound(format!("open invitation {invitation}")));
        }
        let details = serde_json::json!({"invitation": invitation});
        crate::audit::append(
            self.audit_key(),
            &mut tx,
            actor,
            "cso_invitation.revoked",
            &format!("report:{report}"),
            &details,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Every user, by e-mail.
    pub async fn users(&self) -> Result<Vec<User>, StoreError> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!("SELECT {USER_COLUMNS} FROM users ORDER BY email")))
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(user_from_row).collect()
    }

    /// The members of a Party with their roles, by e-mail.
    pub async fn party_members(&self, iso3: &str) -> Result<Vec<(User, Membership)>, StoreError> {
        let rows = sqlx::query(
            "SELECT u.id, u.email, u.display_name, u.password_hash, u.is_secretariat, u.disabled, m.user_id, m.party_iso3, m.role, m.sections
             FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.party_iso3 = $1 ORDER BY u.email",
        )
        .bind(iso3.to_owned())
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(|row| Ok((user_from_row(row)?, membership_from_row(row)?))).collect()
    }

    /// Takes a user's role for a Party away.
    pub async fn remove_membership(&self, user: UserId, iso3: &str, actor: &str) -> Result<(), StoreError> {
        let mut tx = self.writer.begin().await?;
        let removed = sqlx::query("DELETE FROM memberships WHERE user_id = $1 AND party_iso3 = $2")
            .bind(user)
            .bind(iso3.to_owned())
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if removed == 0 {
            return Err(StoreError::NotFound(format!("role of user {user} for {iso3}")));
        }
        crate::audit::append(
            self.audit_key(),
            &mut tx,
            actor,
            "membership.removed",
            &format!("user:{user}"),
            &serde_json::json!({"party": iso3}),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Stores a token of a user under the SHA-256 of its secret.
    pub async fn create_user_token(
        &self,
        user: UserId,
        purpose: TokenPurpose,
        token: &str,
        label: &str,
        expires_at: Option<&Timestamp>,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO user_tokens (token_sha256, user_id, purpose, label, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(sha256_hex(token.as_bytes()))
        .bind(user)
        .bind(purpose.as_str())
        .bind(label.to_owned())
        .bind(now())
        .bind(expires_at.cloned())
        .execute(&self.writer)
        .await?;
        Ok(())
    }

    /// Uses a one-time password link: returns its user if the link is valid, and marks it used
    /// in the same statement, so that it works once even when clicked twice at once.
    pub async fn use_password_token(&self, token: &str) -> Result<Option<UserId>, StoreError> {
        let user: Option<UserId> = sqlx::query_scalar(
            "UPDATE user_tokens SET used_at = $1 WHERE token_sha256 = $2 AND purpose = 'password' AND used_at IS NULL AND expires_at > $1 RETURNING user_id",
        )
        .bind(now())
        .bind(sha256_hex(token.as_bytes()))
        .fetch_optional(&self.writer)
        .await?;
        Ok(user)
    }

    /// The user of a one-time password link, without using it (to show the form).
    pub async fn password_token_user(&self, token: &str) -> Result<Option<UserId>, StoreError> {
        Ok(sqlx::query_scalar(
            "SELECT user_id FROM user_tokens WHERE token_sha256 = $1 AND purpose = 'password' AND used_at IS NULL AND expires_at > $2",
        )
        .bind(sha256_hex(token.as_bytes()))
        .bind(now())
        .fetch_optional(&self.pool)
        .await?)
    }

    /// The active user an API token belongs to, if the token is valid.
    pub async fn api_token_user(&self, token: &str) -> Result<Option<User>, StoreError> {
        let sql = format!(
            "SELECT {} FROM user_tokens t JOIN users u ON u.id = t.user_id
             WHERE t.token_sha256 = $1 AND t.purpose = 'api' AND t.used_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > $2) AND u.disabled = 0",
            USER_COLUMNS.split(", ").map(|c| format!("u.{c}")).collect::<Vec<_>>().join(", ")
        );
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(sha256_hex(token.as_bytes()))
            .bind(now())
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(user_from_row).transpose()
    }

    /// A user's API tokens that still work.
    pub async fn api_tokens(&self, user: UserId) -> Result<Vec<ApiTokenInfo>, StoreError> {
        let rows = sqlx::query(
            "SELECT token_sha256, label, created_at, expires_at FROM user_tokens
             WHERE user_id = $1 AND purpose = 'api' AND used_at IS NULL AND (expires_at IS NULL OR expires_at > $2) ORDER BY created_at",
        )
        .bind(user)
        .bind(now())
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                let hash: String = row.try_get("token_sha256")?;
                let id = hash[..API_TOKEN_ID_LEN.min(hash.len())].to_owned();
                let key = format!("token_sha256 {id}…");
                Ok(ApiTokenInfo {
                    label: row.try_get("label")?,
                    created_at: timestamp(row, "user_tokens", "created_at", &key)?,
                    expires_at: opt_timestamp(row, "user_tokens", "expires_at", &key)?,
                    id,
                })
            })
            .collect()
    }

    /// Revokes one of a user's API tokens by its [`ApiTokenInfo::id`].
    pub async fn revoke_api_token(&self, user: UserId, id: &str) -> Result<(), StoreError> {
        if id.len() != API_TOKEN_ID_LEN || !id.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(StoreError::NotFound(format!("API token {id}")));
        }
        let revoked = sqlx::query(
            "UPDATE user_tokens SET used_at = $1 WHERE user_id = $2 AND purpose = 'api' AND used_at IS NULL AND substr(token_sha256, 1, 16) = $3",
        )
        .bind(now())
        .bind(user)
        .bind(id.to_lowercase())
        .execute(&self.writer)
        .await?
        .rows_affected();
        if revoked == 0 {
            return Err(StoreError::NotFound(format!("API token {id}")));
        }
        Ok(())
    }

    /// Stores a session under the SHA-256 of its id.
    pub async fn put_session(&self, id: &str, session: &Session) -> Result<(), StoreError> {
        sqlx::query("INSERT INTO sessions (id_sha256, user_id, data, expires_at) VALUES ($1, $2, $3, $4) ON CONFLICT (id_sha256) DO UPDATE SET data = excluded.data, expires_at = excluded.expires_at")
            .bind(sha256_hex(id.as_bytes()))
            .bind(session.user_id)
            .bind(session.data.clone())
            .bind(session.expires_at.clone())
            .execute(&self.writer)
            .await?;
        Ok(())
    }

    /// The session with this id, if it has not expired.
    pub async fn session(&self, id: &str) -> Result<Option<Session>, StoreError> {
        let row =
            sqlx::query("SELECT user_id, data, expires_at FROM sessions WHERE id_sha256 = $1 AND expires_at > $2")
                .bind(sha256_hex(id.as_bytes()))
                .bind(now())
                .fetch_optional(&self.pool)
                .await?;
        row.map(|row| {
            let user_id: UserId = row.try_get("user_id")?;
            // The key is the hash of a secret: the row is named by its user instead.
            let expires_at = timestamp(&row, "sessions", "expires_at", &format!("user_id {user_id}"))?;
            Ok(Session { user_id, data: row.try_get("data")?, expires_at })
        })
        .transpose()
    }

    /// Ends a session.
    pub async fn delete_session(&self, id: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM sessions WHERE id_sha256 = $1")
            .bind(sha256_hex(id.as_bytes()))
            .execute(&self.writer)
            .await?;
        Ok(())
    }

    /// Removes expired sessions; returns how many.
    pub async fn delete_expired_sessions(&self) -> Result<u64, StoreError> {
        Ok(sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
            .bind(now())
            .execute(&self.writer)
            .await?
            .rows_affected())
    }
}

/// A focal point's decision on one measure a CSO submitted: include it in the report or not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsoDecision {
    /// The CSO's invitation.
    pub invitation: InvitationId,
    /// The measure's id in the CSO's submission.
    pub measure: String,
    /// Included in the report (a copy in its CSO measures) or not.
    pub included: bool,
}

/// Records `decision` inside `tx`, after checking that the invitation exists, belongs to
/// `report` and was submitted: a refused decision writes nothing. A decision is only ever
/// written with the revision that includes or drops the measure ([`Store::save_with_cso_decision`]).
pub(crate) async fn write_cso_decision(
    key: Option<&qpr_signature::PlatformKey>,
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    decision: &CsoDecision,
    report: ReportId,
    actor: &str,
) -> Result<(), StoreError> {
    let invitation = decision.invitation;
    let sql = format!("SELECT {INVITATION_COLUMNS} FROM cso_invitations WHERE id = $1");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(invitation).fetch_optional(&mut **tx).await?;
    let mut current =
        invitation_from_row(&row.ok_or_else(|| StoreError::NotFound(format!("invitation {invitation}")))?)?;
    if report != current.report_id {
        return Err(StoreError::NotFound(format!("invitation {invitation}")));
    }
    if current.submitted_at.is_none() {
        return Err(StoreError::Rejected("the CSO has not submitted its form yet".into()));
    }
    current.decisions.insert(decision.measure.clone(), decision.included);
    let json = serde_json::to_string(&current.decisions).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    sqlx::query("UPDATE cso_invitations SET decisions = $1 WHERE id = $2")
        .bind(json)
        .bind(invitation)
        .execute(&mut **tx)
        .await?;
    crate::audit::append(
        key,
        tx,
        actor,
        "cso_measure.decided",
        &format!("report:{}", current.report_id),
        &serde_json::json!({"invitation": invitation, "measure": decision.measure, "included": decision.included}),
    )
    .await?;
    Ok(())
}
