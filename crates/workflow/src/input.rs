//! What is wrong with an input a person typed, typed: the field ([`Field`]) and the problem
//! ([`Problem`]) with its values. No sentence is written in code: the words are the `field-*`
//! and `problem-*` messages of `locales/{en,fr}/input.ftl` ([`Invalid::field_text`],
//! [`Invalid::problem_text`]); `qpr-web` tells an [`Invalid`] in the page's language, the CLI
//! in English through its `Display`. A test checks that every field and every problem has its
//! message in both languages.

use std::fmt;

use fluent_templates::fluent_bundle::FluentValue;
use qpr_domain::text::Lang;

use crate::messages;

/// A field of a form or a request, as a refusal names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// What a form asks to do (`invite`, `remove`).
    Action,
    /// The review's decision.
    Decision,
    /// A cycle's deadline.
    Deadline,
    /// A report document sent whole (API).
    Document,
    /// An e-mail address.
    Email,
    /// A form's fields as sent (a form that could not be read at all).
    Form,
    /// A reporting framework.
    Framework,
    /// A CSO's invitation.
    Invitation,
    /// The language of a translation.
    Language,
    /// A CSO's measure.
    Measure,
    /// A message's text (a board message, the changes the Secretariat asks for).
    Message,
    /// The board's "at least (%)" filter.
    MinPercent,
    /// The board's "at most (%)" filter.
    MaxPercent,
    /// The board's order (ascending or descending).
    Order,
    /// The name of a CSO.
    Organization,
    /// The board's "overdue" filter.
    Overdue,
    /// A page number of a list.
    Page,
    /// A Party (its ISO 3166-1 alpha-3 code).
    Party,
    /// The Parties of a cycle.
    Parties,
    /// The token of a board message's preview.
    PreviewToken,
    /// The board's region filter.
    Region,
    /// A request's JSON body (API).
    RequestBody,
    /// The reviewer of a report.
    Reviewer,
    /// The sections given to a contributor.
    Sections,
    /// The board's column to sort by.
    SortBy,
    /// The board's status filter.
    Status,
    /// A message's subject.
    Subject,
    /// The name of an API token.
    TokenName,
    /// An uploaded file (an annex, a workbook).
    Upload,
    /// A user (by id).
    User,
    /// A revision of a report, to compare.
    Version,
    /// A year (a cycle's, a report's).
    Year,
}

impl Field {
    /// Every field, for the test that each has a message in every language.
    pub const ALL: [Field; 32] = [
        Field::Action,
        Field::Decision,
        Field::Deadline,
        Field::Document,
        Field::Email,
        Field::Form,
        Field::Framework,
        Field::Invitation,
        Field::Language,
        Field::Measure,
        Field::Message,
        Field::MinPercent,
        Field::MaxPercent,
        Field::Order,
        Field::Organization,
        Field::Overdue,
        Field::Page,
        Field::Party,
        Field::Parties,
        Field::PreviewToken,
        Field::Region,
        Field::RequestBody,
        Field::Reviewer,
        Field::Sections,
        Field::SortBy,
        Field::Status,
        Field::Subject,
        Field::TokenName,
        Field::Upload,
        Field::User,
        Field::Version,
        Field::Year,
    ];

    /// The stable name of the field (`email`), as in its message's id `field-email`.
    pub fn as_str(self) -> &'static str {
        match self {
            Field::Action => "action",
            Field::Decision => "decision",
            Field::Deadline => "deadline",
            Field::Document => "document",
            Field::Email => "email",
            Field::Form => "form",
            Field::Framework => "framework",
            Field::Invitation => "invitation",
            Field::Language => "language",
            Field::Measure => "measure",
            Field::Message => "message",
            Field::MinPercent => "min-percent",
            Field::MaxPercent => "max-percent",
            Field::Order => "order",
            Field::Organization => "organization",
            Field::Overdue => "overdue",
            Field::Page => "page",
            Field::Party => "party",
            Field::Parties => "parties",
            Field::PreviewToken => "preview-token",
            Field::Region => "region",
            Field::RequestBody => "request-body",
            Field::Reviewer => "reviewer",
            Field::Sections => "sections",
            Field::SortBy => "sort-by",
            Field::Status => "status",
            Field::Subject => "subject",
            Field::TokenName => "token-name",
            Field::Upload => "upload",
            Field::User => "user",
            Field::Version => "version",
            Field::Year => "year",
        }
    }
}

/// What is wrong with a field's value. A value typed by the person is repeated as typed, so
/// that they see what was read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// Left empty.
    Required,
    /// Empty, or longer than `max` characters.
    Length {
        /// The most characters it takes.
        max: usize,
    },
    /// Not one of the values the field takes.
    Unknown {
        /// The value as typed.
        value: String,
    },
    /// Not an ISO 3166-1 alpha-3 code of a Party.
    NotACountryCode {
        /// The value as typed.
        value: String,
    },
    /// Not an e-mail address.
    NotAnEmail {
        /// The value as typed.
        value: String,
    },
    /// Not a whole number.
    NotANumber {
        /// The value as typed.
        value: String,
    },
    /// Not a year in `Year`'s range.
    NotAYear {
        /// The value as typed.
        value: String,
    },
    /// Not a date written `YYYY-MM-DD`.
    NotADate {
        /// The value as typed.
        value: String,
    },
    /// Not a whole number from 0 to 100.
    NotAPercent {
        /// The value as typed.
        value: String,
    },
    /// Less than the least it may be (a range's upper bound below its lower bound).
    LessThanLeast {
        /// The value.
        value: String,
        /// The least it may be.
        least: String,
    },
    /// Neither `yes` nor `no`.
    NotYesNo {
        /// The value as typed.
        value: String,
    },
    /// The Party has no report in the cycle of `year`.
    NotInCycle {
        /// The Party's code.
        party: String,
        /// The cycle's year.
        year: i32,
    },
    /// No user has this id.
    NoSuchUser {
        /// The id as sent.
        value: String,
    },
    /// The user is not (or no longer) a member of the Secretariat.
    NotSecretariat {
        /// The user's e-mail address.
        who: String,
    },
    /// A member of the Secretariat cannot hold a Party's role.
    SecretariatMember {
        /// The user's e-mail address.
        who: String,
    },
    /// The user works on another Party's report.
    OtherParty {
        /// The user's e-mail address.
        who: String,
        /// The other Party's code.
        party: String,
    },
    /// The user already holds a higher role on this report: an invitation never lowers it.
    HigherRole {
        /// The user's e-mail address.
        who: String,
        /// The role held, by its stored name (`focal_point`).
        role: String,
    },
    /// The token of the message's preview is missing: the message must be previewed again.
    PreviewMissing,
    /// The Secretariat asks for changes without saying which.
    ChangesUnsaid,
    /// No revision was chosen to compare.
    ChooseVersion,
    /// The upload is not a `multipart/form-data` form with the parts `parts`.
    NotMultipart {
        /// The parts expected, as named in the form (`file, csrf`).
        parts: &'static str,
    },
    /// The input could not be read; `detail` is the reader's own words (technical, English).
    Unreadable {
        /// What the reader said.
        detail: String,
    },
    /// The workbook applied is not the one whose preview was shown.
    NotThePreviewedFile,
}

impl Problem {
    /// The stable name of the problem (`not-an-email`), as in its message's id
    /// `problem-not-an-email`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Problem::Required => "required",
            Problem::Length { .. } => "length",
            Problem::Unknown { .. } => "unknown",
            Problem::NotACountryCode { .. } => "not-a-country-code",
            Problem::NotAnEmail { .. } => "not-an-email",
            Problem::NotANumber { .. } => "not-a-number",
            Problem::NotAYear { .. } => "not-a-year",
            Problem::NotADate { .. } => "not-a-date",
            Problem::NotAPercent { .. } => "not-a-percent",
            Problem::LessThanLeast { .. } => "less-than-least",
            Problem::NotYesNo { .. } => "not-yes-no",
            Problem::NotInCycle { .. } => "not-in-cycle",
            Problem::NoSuchUser { .. } => "no-such-user",
            Problem::NotSecretariat { .. } => "not-secretariat",
            Problem::SecretariatMember { .. } => "secretariat-member",
            Problem::OtherParty { .. } => "other-party",
            Problem::HigherRole { .. } => "higher-role",
            Problem::PreviewMissing => "preview-missing",
            Problem::ChangesUnsaid => "changes-unsaid",
            Problem::ChooseVersion => "choose-version",
            Problem::NotMultipart { .. } => "not-multipart",
            Problem::Unreadable { .. } => "unreadable",
            Problem::NotThePreviewedFile => "not-the-previewed-file",
        }
    }

    /// The values its message names, by argument name (`role`: a membership role's stored
    /// name, which the message words).
    pub fn args(&self) -> Vec<(&'static str, String)> {
        match self {
            Problem::Required | Problem::PreviewMissing | Problem::ChangesUnsaid | Problem::ChooseVersion => Vec::new(),
            Problem::NotThePreviewedFile => Vec::new(),
            Problem::Length { max } => vec![("max", max.to_string())],
            Problem::NotAYear { value } => vec![
                ("value", value.clone()),
                ("min", qpr_domain::Year::MIN.to_string()),
                ("max", qpr_domain::Year::MAX.to_string()),
            ],
            Problem::Unknown { value }
            | Problem::NotACountryCode { value }
            | Problem::NotAnEmail { value }
            | Problem::NotANumber { value }
            | Problem::NotADate { value }
            | Problem::NotYesNo { value }
            | Problem::NotAPercent { value }
            | Problem::NoSuchUser { value } => vec![("value", value.clone())],
            Problem::LessThanLeast { value, least } => vec![("value", value.clone()), ("least", least.clone())],
            Problem::NotInCycle { party, year } => vec![("party", party.clone()), ("year", year.to_string())],
            Problem::NotSecretariat { who } | Problem::SecretariatMember { who } => vec![("who", who.clone())],
            Problem::OtherParty { who, party } => vec![("who", who.clone()), ("party", party.clone())],
            Problem::HigherRole { who, role } => vec![("who", who.clone()), ("role", role.clone())],
            Problem::NotMultipart { parts } => vec![("parts", (*parts).to_owned())],
            Problem::Unreadable { detail } => vec![("detail", detail.clone())],
        }
    }

    /// One example of each problem, for the test that each has a message in every language.
    pub fn examples() -> Vec<Problem> {
        let value = || "x".to_owned();
        vec![
            Problem::Required,
            Problem::Length { max: 300 },
            Problem::Unknown { value: value() },
            Problem::NotACountryCode { value: value() },
            Problem::NotAnEmail { value: value() },
            Problem::NotANumber { value: value() },
            Problem::NotAYear { value: value() },
            Problem::NotADate { value: value() },
            Problem::NotYesNo { value: value() },
            Problem::NotAPercent { value: value() },
            Problem::LessThanLeast { value: "50".into(), least: "60".into() },
            Problem::NotInCycle { party: "AZE".into(), year: 2027 },
            Problem::NoSuchUser { value: value() },
            Problem::NotSecretariat { who: "a@example.org".into() },
            Problem::SecretariatMember { who: "a@example.org".into() },
            Problem::OtherParty { who: "a@example.org".into(), party: "FRA".into() },
            Problem::HigherRole { who: "a@example.org".into(), role: "focal_point".into() },
            Problem::PreviewMissing,
            Problem::ChangesUnsaid,
            Problem::ChooseVersion,
            Problem::NotMultipart { parts: "file, csrf" },
            Problem::Unreadable { detail: "x".into() },
            Problem::NotThePreviewedFile,
        ]
    }
}

/// A wrong input: which field, and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid {
    /// The field.
    pub field: Field,
    /// What is wrong with its value.
    pub problem: Problem,
}

impl Invalid {
    /// `field` has `problem`.
    pub fn new(field: Field, problem: Problem) -> Invalid {
        Invalid { field, problem }
    }

    /// The field's name in `lang` (`field-{name}` of `locales/{en,fr}/input.ftl`).
    pub fn field_text(&self, lang: Lang) -> String {
        messages::text(lang, &format!("field-{}", self.field.as_str()))
    }

    /// What is wrong, in `lang`, with the values it names (`problem-{name}`).
    pub fn problem_text(&self, lang: Lang) -> String {
        let args: messages::Args =
            self.problem.args().into_iter().map(|(name, value)| (name, FluentValue::from(value))).collect();
        messages::text_with(lang, &format!("problem-{}", self.problem.as_str()), &args)
    }
}

/// In English (the CLI, logs): "E-mail address: `x` is not an e-mail address."
impl fmt::Display for Invalid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field_text(Lang::En), self.problem_text(Lang::En))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_distinct_and_examples_cover_every_problem() {
        let fields: std::collections::BTreeSet<&str> = Field::ALL.iter().map(|f| f.as_str()).collect();
        assert_eq!(fields.len(), Field::ALL.len());
        let problems: std::collections::BTreeSet<&str> = Problem::examples().iter().map(Problem::as_str).collect();
        assert_eq!(problems.len(), Problem::examples().len());
        // `as_str` is an exhaustive match: a new problem without an example is caught here only
        // if its name is new, so count the variants through a match that names them all.
        assert_eq!(problems.len(), 23);
    }

    #[test]
    fn every_field_and_input_problem_has_a_message_in_both_languages() {
        use std::collections::BTreeSet;
        let expected: BTreeSet<String> = Field::ALL
            .iter()
            .map(|field| format!("field-{}", field.as_str()))
            .chain(Problem::examples().iter().map(|problem| format!("problem-{}", problem.as_str())))
            .collect();
        for ftl in [include_str!("../locales/en/input.ftl"), include_str!("../locales/fr/input.ftl")] {
            let defined: BTreeSet<String> =
                qpr_test_support::fluent_message_ids(ftl).into_iter().map(str::to_owned).collect();
            assert_eq!(defined, expected);
        }
    }

    #[test]
    fn english_names_the_field_and_the_value_as_typed() {
        let invalid = Invalid::new(Field::Email, Problem::NotAnEmail { value: "x y".into() });
        assert_eq!(invalid.to_string(), "E-mail address: `x y` is not an e-mail address.");
        let year = Invalid::new(Field::Year, Problem::NotAYear { value: "20x".into() });
        assert_eq!(year.to_string(), "Year: `20x` is not a year between 1900 and 2100.");
        assert_eq!(year.problem.args()[1], ("min", "1900".to_owned()));
    }
}
