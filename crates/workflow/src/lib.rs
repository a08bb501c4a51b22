//! The life of a report, without HTTP: who may do what with it ([`access`]), accounts,
//! passwords, tokens and sessions ([`auth`], [`accounts`]), reporting cycles ([`cycles`]),
//! saving a section or a document ([`editing`]), starting from the previous report
//! ([`prefill`]), comments ([`comments`]), the history and the comparison of revisions
//! ([`history`]), civil society input ([`cso`]), the decisions on a submitted report
//! ([`decisions`]), the workflow's e-mails and the deadline reminders ([`notify`], their texts
//! in [`messages`]), signing and submitting ([`submission`]), and the check of an annex file
//! ([`pdf`]). Word-level changes of long texts are [`words`].
//!
//! Boundary: depends on `qpr-domain`, `qpr-store`, `qpr-signature` and `qpr-mail`, never on
//! axum, http or askama. `qpr-web` maps requests to these calls and their results to pages and
//! JSON; the CLI (`qpr user add`, `qpr remind`) calls them directly. Refusals are typed
//! ([`WorkflowError`], stable codes); the caller chooses the status and the language.

pub mod access;
pub mod accounts;
pub mod auth;
pub mod board;
pub mod comments;
pub mod cso;
pub mod cycles;
pub mod decisions;
pub mod editing;
mod error;
pub mod history;
pub mod input;
pub mod messages;
pub mod notify;
pub mod pdf;
pub mod prefill;
pub mod submission;
pub mod todo;
pub mod translations;
/// Word-level changes between two texts (kept in `qpr-learn`, which the public pages use too).
pub use qpr_learn::words;
pub mod workbook;

use std::sync::Arc;

use qpr_domain::Framework;
use qpr_domain::framework::FrameworkRegistry;
use qpr_mail::Mailer;
use qpr_signature::PlatformKey;
use qpr_store::Store;

/// The path of a one-time password link, before its secret (`/password/set/<secret>`).
pub const PASSWORD_LINK_PATH: &str = "/password/set/";

/// The path of a CSO's form link, before its secret (`/cso/<secret>`).
pub const CSO_LINK_PATH: &str = "/cso/";

/// Every path whose last segment is a secret, for whoever must hide them (the mail listing).
pub const SECRET_LINK_PATHS: [&str; 2] = [PASSWORD_LINK_PATH, CSO_LINK_PATH];

pub use access::ReportAccess;
pub use accounts::{CreatedAccount, NewAccount, create_account, first_password_link};
pub use auth::{Credential, SignedIn};
pub use decisions::Decision;
pub use error::WorkflowError;
pub use input::{Field, Invalid, Problem};
pub use notify::{REMINDER_DAYS, ReminderError, ReminderRun, due_threshold, send_reminders};

/// What the workflow works with: the database, outgoing mail, the address of the site (for
/// links in e-mails), the form's versions and the platform key. The web server's state holds
/// one; the CLI makes one for a command.
#[derive(Clone)]
pub struct Workflow {
    /// The database.
    pub store: Store,
    /// Outgoing e-mail (invitations, password links, notifications).
    pub mailer: Mailer,
    /// The address people open (`https://qpr.example.org`), without a trailing slash; links in
    /// e-mails start with it.
    pub public_url: String,
    /// Framework versions, to read any report by its `framework` id.
    pub frameworks: Arc<FrameworkRegistry>,
    /// The platform's signing key, for commands that sign (a server); `None` for those that
    /// sign nothing (`qpr user add`, `qpr remind`).
    pub signing_key: Option<Arc<PlatformKey>>,
    /// The saves this process made, by outcome (for `/metrics`); shared by the clones.
    pub save_counts: Arc<editing::SaveCounts>,
}

impl Workflow {
    /// The workflow on `store`, mailing with `mailer`, for the site reached at `public_url`,
    /// with the built-in frameworks and no signing key.
    pub fn new(store: Store, mailer: Mailer, public_url: &str) -> Workflow {
        Workflow {
            store,
            mailer,
            public_url: public_url.trim_end_matches('/').to_owned(),
            frameworks: Arc::new(FrameworkRegistry::builtin()),
            signing_key: None,
            save_counts: Arc::default(),
        }
    }

    /// The same workflow, signing with `key`.
    pub fn with_signing_key(self, key: Arc<PlatformKey>) -> Workflow {
        Workflow { signing_key: Some(key), ..self }
    }

    /// The same workflow, with these framework versions.
    pub fn with_frameworks(self, frameworks: Arc<FrameworkRegistry>) -> Workflow {
        Workflow { frameworks, ..self }
    }

    /// The framework a report answers.
    pub fn framework(&self, id: &str) -> Result<&Framework, WorkflowError> {
        self.frameworks.get(id).map(AsRef::as_ref).ok_or_else(|| WorkflowError::UnknownFramework(id.to_owned()))
    }

    /// Sends the reminders due `today` (see [`send_reminders`]).
    pub async fn send_reminders(&self, today: time::Date) -> Result<ReminderRun, ReminderError> {
        send_reminders(&self.store, &self.frameworks, &self.mailer, &self.public_url, today).await
    }
}

#[cfg(test)]
mod tests {
    /// The architecture invariant: the workflow knows no HTTP.
    #[test]
    fn the_workflow_depends_on_no_http_crate() {
        let names = qpr_test_support::manifest_dependencies(include_str!("../Cargo.toml"));
        assert!(names.contains(&"qpr-store") && names.contains(&"qpr-mail"), "{names:?}");
        for http in ["axum", "http", "hyper", "askama", "tower", "tower-http", "qpr-web"] {
            assert!(!names.contains(&http), "qpr-workflow depends on {http}: {names:?}");
        }
    }
}
