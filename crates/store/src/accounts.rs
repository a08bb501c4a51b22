//! Users, their roles for Parties, CSO invitations and HTTP sessions. Secrets (invitation
//! tokens, session ids) are stored only as their SHA-256; password hashes come hashed from
//! the caller (Argon2id, in the web layer).

use sqlx::Row;
use sqlx::any::AnyRow;

use crate::{Store, StoreError, int, now, sha256_hex};

/// A user account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    /// Id.
    pub id: i64,
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
    fn as_str(self) -> &'static str {
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
    pub user_id: i64,
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
    pub id: i64,
    /// Report.
    pub report_id: i64,
    /// Where the link was sent.
    pub email: Option<String>,
    /// Invited organization.
    pub organization: String,
    /// Until when the link works.
    pub expires_at: String,
    /// When the CSO submitted, if it did.
    pub submitted_at: Option<String>,
    /// The CSO's form answers (JSON), saved or submitted.
    pub submission: Option<String>,
}

/// A stored HTTP session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    /// User.
    pub user_id: i64,
    /// Session data (JSON).
    pub data: String,
    /// Expiry (RFC 3339).
    pub expires_at: String,
}

fn user_from_row(row: &AnyRow) -> Result<User, StoreError> {
    Ok(User {
        id: int(row, "id")?,
        email: row.try_get("email")?,
        display_name: row.try_get("display_name")?,
        password_hash: row.try_get("password_hash")?,
        is_secretariat: int(row, "is_secretariat")? != 0,
        disabled: int(row, "disabled")? != 0,
    })
}

fn invitation_from_row(row: &AnyRow) -> Result<Invitation, StoreError> {
    Ok(Invitation {
        id: int(row, "id")?,
        report_id: int(row, "report_id")?,
        email: row.try_get("email")?,
        organization: row.try_get("organization")?,
        expires_at: row.try_get("expires_at")?,
        submitted_at: row.try_get("submitted_at")?,
        submission: row.try_get("submission")?,
    })
}

const INVITATION_COLUMNS: &str = "id, report_id, email, organization, expires_at, submitted_at, submission";

impl Store {
    /// Creates a user; the e-mail must be new (compared case-insensitively).
    pub async fn create_user(&self, user: &NewUser<'_>, actor: &str) -> Result<i64, StoreError> {
        let email = user.email.trim().to_lowercase();
        let mut tx = self.writer.begin().await?;
        let id: Option<i64> = sqlx::query_scalar(
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
        let row = sqlx::query("SELECT id, email, display_name, password_hash, is_secretariat, disabled FROM users WHERE email = $1")
            .bind(email.trim().to_lowercase())
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(user_from_row).transpose()
    }

    /// A user by id.
    pub async fn user(&self, id: i64) -> Result<User, StoreError> {
        let row = sqlx::query("SELECT id, email, display_name, password_hash, is_secretariat, disabled FROM users WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        user_from_row(&row.ok_or_else(|| StoreError::NotFound(format!("user {id}")))?)
    }

    /// Sets a user's password hash.
    pub async fn set_password_hash(&self, user: i64, hash: &str, actor: &str) -> Result<(), StoreError> {
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
        crate::audit::append(&mut tx, actor, "user.password_set", &format!("user:{user}"), &serde_json::json!({})).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Gives a user a role for a Party (replacing any earlier one).
    pub async fn set_membership(&self, membership: &Membership, actor: &str) -> Result<(), StoreError> {
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
    pub async fn memberships(&self, user: i64) -> Result<Vec<Membership>, StoreError> {
        let rows = sqlx::query("SELECT user_id, party_iso3, role, sections FROM memberships WHERE user_id = $1 ORDER BY party_iso3")
            .bind(user)
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|row| {
                let role: String = row.try_get("role")?;
                let sections: Option<String> = row.try_get("sections")?;
                Ok(Membership {
                    user_id: int(row, "user_id")?,
                    party_iso3: row.try_get("party_iso3")?,
                    role: if role == "focal_point" { MembershipRole::FocalPoint } else { MembershipRole::Contributor },
                    sections: sections
                        .map(|s| serde_json::from_str(&s))
                        .transpose()
                        .map_err(|e| StoreError::Corrupt(format!("membership sections: {e}")))?,
                })
            })
            .collect()
    }

    /// Creates a CSO invitation; `token` is the secret of the link, kept only hashed.
    pub async fn create_invitation(
        &self,
        report: i64,
        organization: &str,
        email: Option<&str>,
        token: &str,
        expires_at: &str,
        created_by: Option<i64>,
    ) -> Result<i64, StoreError> {
        let mut tx = self.writer.begin().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO cso_invitations (report_id, email, organization, token_sha256, created_by, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(report)
        .bind(email.map(str::to_owned))
        .bind(organization.to_owned())
        .bind(sha256_hex(token.as_bytes()))
        .bind(created_by)
        .bind(now())
        .bind(expires_at.to_owned())
        .fetch_one(&mut *tx)
        .await?;
        crate::audit::append(
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
        let sql = format!("SELECT {INVITATION_COLUMNS} FROM cso_invitations WHERE token_sha256 = $1 AND expires_at > $2");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(sha256_hex(token.as_bytes())).bind(now()).fetch_optional(&self.pool).await?;
        row.as_ref().map(invitation_from_row).transpose()
    }

    /// Saves a CSO's answers; `submit` also marks them submitted (after which they are final).
    pub async fn save_invitation_answers(&self, invitation: i64, submission: &str, submit: bool) -> Result<(), StoreError> {
        let submitted_at = submit.then(now);
        let changed = sqlx::query("UPDATE cso_invitations SET submission = $1, submitted_at = $2 WHERE id = $3 AND submitted_at IS NULL")
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
    pub async fn invitations(&self, report: i64) -> Result<Vec<Invitation>, StoreError> {
        let sql = format!("SELECT {INVITATION_COLUMNS} FROM cso_invitations WHERE report_id = $1 ORDER BY id");
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(report).fetch_all(&self.pool).await?;
        rows.iter().map(invitation_from_row).collect()
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
        let row = sqlx::query("SELECT user_id, data, expires_at FROM sessions WHERE id_sha256 = $1 AND expires_at > $2")
            .bind(sha256_hex(id.as_bytes()))
            .bind(now())
            .fetch_optional(&self.pool)
            .await?;
        row.map(|row| Ok(Session { user_id: int(&row, "user_id")?, data: row.try_get("data")?, expires_at: row.try_get("expires_at")? }))
            .transpose()
    }

    /// Ends a session.
    pub async fn delete_session(&self, id: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM sessions WHERE id_sha256 = $1").bind(sha256_hex(id.as_bytes())).execute(&self.writer).await?;
        Ok(())
    }

    /// Removes expired sessions; returns how many.
    pub async fn delete_expired_sessions(&self) -> Result<u64, StoreError> {
        Ok(sqlx::query("DELETE FROM sessions WHERE expires_at <= $1").bind(now()).execute(&self.writer).await?.rows_affected())
    }
}
