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
    /// An input is wrong: which field, and what is wrong with its value (typed: told in the
    /// reader's language where it is shown).
    #[error("{0}")]
    Invalid(crate::Invalid),
    /// A focal point cannot be taken off the report by the Party: the Secretariat names
    /// another.
    #[error("A focal point cannot be removed here; the Secretariat names the focal point.")]
    FocalPointStays,
    /// The Party cannot recall its submission: the Secretariat has started the review.
    #[error("The Secretariat has started the review: the submission can no longer be recalled.")]
    ReviewStarted,
    /// A decision that must be confirmed (see `Decision::needs_confirmation`) was not.
    #[error("Confirm the decision ({}): tick “I confirm” and press the button again. Nothing was changed.", .0.as_str())]
    NotConfirmed(crate::Decision),
    /// The report is not in a state in which it can be submitted.
    #[error("The report is {}: it cannot be submitted now.", .0.as_str())]
    NotSubmittable(qpr_store::ReportState),
    /// The report is no longer being drafted (submitted, accepted, published): it cannot be
    /// changed now.
    #[error("The report is {}: it can no longer be changed.", .0.as_str())]
    NotEditable(qpr_store::ReportState),
    /// A save that does not say which revision it was based on (the page is too old).
    #[error("base_revision: the page did not say which revision it shows; reload it.")]
    NoBaseRevision,
    /// A document sent for a report that is not the one it is saved to.
    #[error("document: it must stay the report of {party} for {year}")]
    DocumentOfAnotherReport {
        /// The report's Party.
        party: String,
        /// The report's year.
        year: i32,
    },
    /// A prefill of a draft that already has answers or measures of its own.
    #[error(
        "This draft already has answers or measures of its own: nothing was copied, so that nothing is overwritten."
    )]
    PrefillNotEmpty,
    /// A prefill without an earlier report of the Party.
    #[error("There is no earlier report of this Party to copy from.")]
    NoPreviousReport,
    /// A prefill from an earlier report (of `year`) that has nothing to copy.
    #[error("The {0} report has no answers or measures to copy.")]
    NothingToPrefill(i32),
    /// A comment that is empty or longer than [`crate::comments::MAX_COMMENT_CHARS`].
    #[error("Comment: write between 1 and 10,000 characters.")]
    CommentLength,
    /// A comment on something that is not a field or record of the report.
    #[error("Field: `{0}` is not a field of this report.")]
    NotCommentable(String),
    /// A CSO form already submitted: it is final.
    #[error("This CSO form was submitted already; it can no longer be changed.")]
    CsoFormSubmitted,
    /// A CSO form whose report is no longer being drafted.
    #[error("The report is no longer being drafted: the CSO form is closed.")]
    CsoFormClosed,
    /// A decision on a CSO's measure before the CSO submitted its form.
    #[error("the CSO has not submitted its form yet")]
    CsoNotSubmitted,
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
    /// A translation of the executive summary that is empty or longer than
    /// [`crate::translations::MAX_TRANSLATION_CHARS`] (`chars`: how long it is).
    #[error("Translation: write between 1 and 20,000 characters (this text has {chars}).")]
    TranslationLength {
        /// The text's length in characters.
        chars: usize,
    },
    /// The report is not in a state whose executive summary the Secretariat translates (see
    /// [`crate::translations::may_translate`]).
    #[error("The report is {}: its executive summary is translated once it is submitted.", .0.as_str())]
    NotTranslatable(qpr_store::ReportState),
    /// The report's form asks no executive summary, or the report leaves it unanswered.
    #[error("The report has no executive summary to translate.")]
    NoExecutiveSummary,
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
            WorkflowError::Invalid(_) => "invalid_input",
            WorkflowError::FocalPointStays => "focal_point_stays",
            WorkflowError::ReviewStarted => "review_started",
            WorkflowError::NotConfirmed(_) => "not_confirmed",
            WorkflowError::NotSubmittable(_) => "not_submittable",
            WorkflowError::NotEditable(_) => "not_editable",
            WorkflowError::NoBaseRevision => "no_base_revision",
            WorkflowError::DocumentOfAnotherReport { .. } => "document_of_another_report",
            WorkflowError::PrefillNotEmpty => "prefill_not_empty",
            WorkflowError::NoPreviousReport => "no_previous_report",
            WorkflowError::NothingToPrefill(_) => "nothing_to_prefill",
            WorkflowError::CommentLength => "comment_length",
            WorkflowError::NotCommentable(_) => "not_commentable",
            WorkflowError::CsoFormSubmitted => "cso_form_submitted",
            WorkflowError::CsoFormClosed => "cso_form_closed",
            WorkflowError::CsoNotSubmitted => "cso_not_submitted",
            WorkflowError::TooManyAttempts => "too_many_attempts",
            WorkflowError::CsoInvitationsClosed => "cso_invitations_closed",
            WorkflowError::MailNotSent { .. } => "mail_not_sent",
            WorkflowError::TranslationLength { .. } => "translation_length",
            WorkflowError::NotTranslatable(_) => "not_translatable",
            WorkflowError::NoExecutiveSummary => "no_executive_summary",
            WorkflowError::UnknownFramework(_) => "unknown_framework",
            WorkflowError::Store(error) => error.code(),
            WorkflowError::Internal(_) => "internal",
        }
    }
}

impl WorkflowError {
    /// The codes of the refusals a person is told about in their language (the callers have a
    /// message for each, named after the code); the other variants are mapped to their own
    /// errors (not allowed, not found, too many attempts, faults).
    pub const REFUSAL_CODES: [&'static str; 21] = [
        "invalid_input",
        "not_confirmed",
        "focal_point_stays",
        "review_started",
        "not_submittable",
        "cso_invitations_closed",
        "mail_not_sent",
        "not_editable",
        "no_base_revision",
        "document_of_another_report",
        "prefill_not_empty",
        "no_previous_report",
        "nothing_to_prefill",
        "comment_length",
        "not_commentable",
        "cso_form_submitted",
        "cso_form_closed",
        "cso_not_submitted",
        "translation_length",
        "not_translatable",
        "no_executive_summary",
    ];

    /// Whether this is a refusal people are told about in their language (see
    /// [`WorkflowError::REFUSAL_CODES`]).
    pub fn is_refusal(&self) -> bool {
        Self::REFUSAL_CODES.contains(&self.code())
    }

    /// Whether the refusal is about where the report stands (a state or content that allows no
    /// such change now) rather than about what was sent.
    pub fn is_state_refusal(&self) -> bool {
        matches!(
            self,
            WorkflowError::NotEditable(_)
                | WorkflowError::PrefillNotEmpty
                | WorkflowError::NoPreviousReport
                | WorkflowError::NothingToPrefill(_)
                | WorkflowError::CsoNotSubmitted
                | WorkflowError::NotTranslatable(_)
                | WorkflowError::NoExecutiveSummary
        )
    }

    /// The values a refusal's message names, by argument name: `state` is a report state's
    /// stored name (`submitted`), which callers word in their language.
    pub fn args(&self) -> Vec<(&'static str, String)> {
        match self {
            WorkflowError::NotSubmittable(state)
            | WorkflowError::NotEditable(state)
            | WorkflowError::NotTranslatable(state) => {
                vec![("state", state.as_str().to_owned())]
            }
            WorkflowError::MailNotSent { to, reason, link } => {
                let mut args = vec![("to", to.clone()), ("reason", reason.clone())];
                args.extend(link.clone().map(|link| ("link", link)));
                args
            }
            WorkflowError::DocumentOfAnotherReport { party, year } => {
                vec![("party", party.clone()), ("year", year.to_string())]
            }
            WorkflowError::NothingToPrefill(year) => vec![("year", year.to_string())],
            WorkflowError::NotConfirmed(decision) => vec![("decision", decision.as_str().to_owned())],
            WorkflowError::NotCommentable(path) => vec![("path", path.clone())],
            WorkflowError::TranslationLength { chars } => vec![("chars", chars.to_string())],
            _ => Vec::new(),
        }
    }
}

/// A wrong input is a refusal of the workflow.
impl From<crate::Invalid> for WorkflowError {
    fn from(invalid: crate::Invalid) -> WorkflowError {
        WorkflowError::Invalid(invalid)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_stable_and_messages_name_the_field() {
        let invalid = WorkflowError::Invalid(crate::Invalid::new(
            crate::Field::Email,
            crate::Problem::NotAnEmail { value: "x".into() },
        ));
        assert_eq!(
            (invalid.code(), invalid.to_string().as_str()),
            ("invalid_input", "E-mail address: `x` is not an e-mail address.")
        );
        assert_eq!(WorkflowError::Forbidden.code(), "forbidden");
        assert_eq!(WorkflowError::NotFound.code(), "not_found");
        assert_eq!(
            WorkflowError::Store(StoreError::NotFound("x".into())).code(),
            StoreError::NotFound("x".into()).code()
        );
        assert!(
            invalid.is_refusal()
                && !WorkflowError::Forbidden.is_refusal()
                && !WorkflowError::TooManyAttempts.is_refusal()
        );
        assert!(WorkflowError::PrefillNotEmpty.is_state_refusal() && !WorkflowError::CommentLength.is_state_refusal());
        let not_editable = WorkflowError::NotEditable(qpr_store::ReportState::Submitted);
        assert_eq!(
            (not_editable.code(), not_editable.args()),
            ("not_editable", vec![("state", "submitted".to_owned())])
        );
        let mail = WorkflowError::MailNotSent { to: "a@b".into(), reason: "down".into(), link: Some("L".into()) };
        assert_eq!(mail.args().iter().map(|(name, _)| *name).collect::<Vec<_>>(), ["to", "reason", "link"]);
    }
}
