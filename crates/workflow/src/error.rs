//! The refusals and failures of the workflow, typed, with stable codes. No HTTP status here:
//! `qpr-web` maps each to one (and to a message in the page's language), the CLI to a line.

use qpr_store::StoreError;

/// Why an action of the workflow did not happen.
#[derive(Debug, thiserror::Error)]
pub enum WorkflowError {
    /// The actor may see this but not do it (what they may not see is [`WorkflowError::NotFound`]).
    #[error("not allowed")]
    Forbidden,
    /// Nothing by that name, or nothing the actor may know exists.
    #[error("not found")]
    NotFound,
    /// An input is wrong: `field` names it as the person typed it ("E-mail"), `problem` says
    /// what is wrong with it, in English.
    #[error("{field}: {problem}")]
    Invalid {
        /// The input, as its form labels it.
        field: &'static str,
        /// What is wrong, in a sentence.
        problem: String,
    },
    /// A focal point cannot be taken off the report by the Party: the Secretariat names
    /// another.
    #[error("A focal point cannot be removed here; the Secretariat names the focal point.")]
    FocalPointStays,
    /// The Party cannot recall its submission: the Secretariat has started the review.
    #[error("The Secretariat has started the review: the submission can no longer be recalled.")]
    ReviewStarted,
    /// The report is not in a state in which it can be submitted.
    #[error("The report is {}: it cannot be submitted now.", .0.as_str())]
    NotSubmittable(qpr_store::ReportState),
    /// Too many failed password checks for this account or address; try later.
    #[error("too many attempts")]
    TooManyAttempts,
    /// CSOs are invited only while the report is being drafted.
    #[error("The report is no longer being drafted: CSOs can no longer be invited.")]
    CsoInvitationsClosed,
    /// A message could not be sent (the change it announces was made).
    #[error("the e-mail to {to} could not be sent: {reason}")]
    MailNotSent {
        /// The recipient.
        to: String,
        /// The mailer's error.
        reason: String,
        /// The link the message carried, when the person acting can pass it on by hand.
        link: Option<String>,
    },
    /// A report answers a framework this platform does not know.
    #[error("report uses unknown framework `{0}`")]
    UnknownFramework(String),
    /// The database refused or failed (a conflict, a rule of the store, a fault).
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Something that is our fault (no randomness, a failed hashing task).
    #[error("{0}")]
    Internal(String),
}

impl WorkflowError {
    /// A stable, machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            WorkflowError::Forbidden => "forbidden",
            WorkflowError::NotFound => "not_found",
            WorkflowError::Invalid { .. } => "invalid_input",
            WorkflowError::FocalPointStays => "focal_point_stays",
            WorkflowError::ReviewStarted => "review_started",
            WorkflowError::NotSubmittable(_) => "not_submittable",
            WorkflowError::TooManyAttempts => "too_many_attempts",
            WorkflowError::CsoInvitationsClosed => "cso_invitations_closed",
            WorkflowError::MailNotSent { .. } => "mail_not_sent",
            WorkflowError::UnknownFramework(_) => "unknown_framework",
            WorkflowError::Store(error) => error.code(),
            WorkflowError::Internal(_) => "internal",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_stable_and_messages_name_the_field() {
        let invalid = WorkflowError::Invalid { field: "E-mail", problem: "`x` is not an e-mail address.".into() };
        assert_eq!((invalid.code(), invalid.to_string().as_str()), ("invalid_input", "E-mail: `x` is not an e-mail address."));
        assert_eq!(WorkflowError::Forbidden.code(), "forbidden");
        assert_eq!(WorkflowError::NotFound.code(), "not_found");
        assert_eq!(WorkflowError::Store(StoreError::NotFound("x".into())).code(), StoreError::NotFound("x".into()).code());
    }
}
