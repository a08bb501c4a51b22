//! Validation of a report document against its framework, and completeness per section.
//!
//! Findings are of two severities. An **error** means the document cannot be what the form
//! asks (a yes/no answered with a number, a record without a title, an unknown area); errors
//! block submission. A **warning** means something a reviewer should look at but a submitted
//! report may legitimately contain: an option outside the known list (lists are open), a
//! conditional question answered under a parent that is not `YES` (published reports do this),
//! an unresolved Party name.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

use crate::MeasureKind;
use crate::answer::{self, Answer, Row};
use crate::document::{FORMAT, ReportDocument};
use crate::framework::{AnswerType, Framework, Question};
use crate::year::Year;

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Blocks submission.
    Error,
    /// To be looked at.
    Warning,
}

/// One problem found in a document. Serialized as `{"severity", "path", "code", "message"}`
/// (the message in English).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Error or warning.
    pub severity: Severity,
    /// Path of the value in the document, e.g. `answers.g1_ccs_ministry` or
    /// `policy_measures[3].domains[1]`.
    pub path: String,
    /// What is wrong, as data: its stable code, the values it names, its English sentence
    /// (`Display`); the web translates it.
    pub problem: Problem,
}

impl Finding {
    /// The problem as a plain English sentence for the person filling in the form.
    pub fn message(&self) -> String {
        self.problem.to_string()
    }
}

impl Serialize for Finding {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut finding = serializer.serialize_struct("Finding", 4)?;
        finding.serialize_field("severity", &self.severity)?;
        finding.serialize_field("path", &self.path)?;
        finding.serialize_field("code", self.problem.code())?;
        finding.serialize_field("message", &self.message())?;
        finding.end()
    }
}

/// Declares [`Problem`]: each variant with its stable code and its English sentence, which
/// names the variant's fields (`{key}`); the same names are the arguments of translations.
macro_rules! problems {
    ($($(#[$doc:meta])* $variant:ident { $($field:ident: $ty:ty),* } => $code:literal, $english:literal;)*) => {
        /// What a finding says is wrong, with the values it names.
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub enum Problem {
            $($(#[$doc])* $variant { $(#[allow(missing_docs)] $field: $ty),* },)*
        }

        impl Problem {
            /// Every code, in declaration order (translations must cover each).
            pub const CODES: &'static [&'static str] = &[$($code),*];

            /// The stable code, e.g. `expected-yes-no`: API clients and translations key on it.
            pub fn code(&self) -> &'static str {
                match self {
                    $(Problem::$variant { .. } => $code,)*
                }
            }

            /// The values the sentence names, by name.
            pub fn args(&self) -> Vec<(&'static str, String)> {
                match self {
                    $(Problem::$variant { $($field),* } => vec![$((stringify!($field), $field.to_string())),*],)*
                }
            }
        }

        impl std::fmt::Display for Problem {
            // A sentence need not name every value: the English one leaves out the French label.
            #[allow(unused_variables)]
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                match self {
                    $(Problem::$variant { $($field),* } => write!(f, $english),)*
                }
            }
        }
    };
}

problems! {
    /// An answer to a question the form does not have.
    UnknownQuestion { key: String, form: String } => "unknown-question", "`{key}` is not a question of form {form}; it is kept but not shown.";
    /// A document format this version does not read.
    OtherFormat { found: String, expected: String } => "other-format", "The document format is `{found}`; this version reads `{expected}`.";
    /// A document of another form.
    OtherForm { found: String, expected: String } => "other-form", "The document answers form `{found}`, not `{expected}`.";
    /// No Party name.
    PartyMissing {} => "party-missing", "The name of the Party is missing.";
    /// A Party name that is no known country.
    UnknownParty { name: String } => "unknown-party", "`{name}` is not a known country name; the report cannot be filed under a Party until it is.";
    /// A reporting year out of range.
    ImplausibleReportYear { year: i32 } => "implausible-report-year", "{year} is not a plausible reporting year.";
    /// A conditional question answered although its condition does not hold.
    NotApplicable { question_en: String, question_fr: String, expected: String, found: String } => "not-applicable", "This question applies only when “{question_en}” is answered {expected}; it is answered although that question is {found}.";
    /// Not a yes/no answer.
    ExpectedYesNo { found: String } => "expected-yes-no", "Answer YES or NO (found {found}).";
    /// No option chosen.
    ExpectedOption {} => "expected-option", "Choose one option.";
    /// A group of options the question does not have.
    UnknownGroup { key: String } => "unknown-group", "`{key}` is not a group of this question.";
    /// Not options by group.
    ExpectedGroups {} => "expected-groups", "Expected the checked options by group.";
    /// A percentage out of range.
    PercentOutOfRange { found: String } => "percent-out-of-range", "A percentage lies between 0 and 100 (found {found}).";
    /// No percentage.
    PercentMissing {} => "percent-missing", "The percentage is missing or not a number.";
    /// Not an amount.
    ExpectedAmount {} => "expected-amount", "Expected an amount (its text and a figure in USD).";
    /// An amount without a figure in USD.
    UsdMissing {} => "usd-missing", "No figure in USD could be read from this amount; give a number.";
    /// Not text.
    ExpectedText {} => "expected-text", "Expected text.";
    /// Not an e-mail address.
    ExpectedEmail {} => "expected-email", "Expected an e-mail address.";
    /// Not a date.
    ExpectedDate { found: String } => "expected-date", "Expected a date as YYYY, YYYY-MM or YYYY-MM-DD (found {found}).";
    /// Not a rating.
    ExpectedRating { found: String } => "expected-rating", "Rate from 1 to 4 (found {found}).";
    /// A value given for a group or a list of records.
    NoAnswerOfItsOwn {} => "no-answer-of-its-own", "This question has no answer of its own.";
    /// Not a list.
    ExpectedList {} => "expected-list", "Expected a list.";
    /// More items than asked for.
    TooManyItems { max: u32, given: usize } => "too-many-items", "At most {max} items are asked for; {given} are given.";
    /// Not rows.
    ExpectedRows {} => "expected-rows", "Expected a list of rows.";
    /// Not a row.
    ExpectedRow {} => "expected-row", "Expected a row of cells.";
    /// A column the table does not have.
    UnknownColumn { key: String } => "unknown-column", "`{key}` is not a column of this table.";
    /// A country that is no known country.
    UnknownCountry { text: String } => "unknown-country", "`{text}` is not a known country name.";
    /// An option outside the known list.
    UnknownOption { text: String } => "unknown-option", "`{text}` is not one of the known options; it is kept as written.";
    /// Not an e-mail address, by its look.
    NotAnEmail { text: String } => "not-an-email", "`{text}` does not look like an e-mail address.";
    /// A year out of range.
    ImplausibleYear { year: i64 } => "implausible-year", "{year} is not a plausible year.";
    /// No year.
    YearMissing {} => "year-missing", "The year is missing.";
    /// An area of monitoring the form does not have.
    UnknownArea { area: String } => "unknown-area", "`{area}` is not an area of monitoring.";
    /// A measure without an agency.
    AgencyMissing {} => "agency-missing", "Name the agency responsible for the implementation.";
    /// Conclusions of an evaluation for a measure not evaluated.
    ConclusionsWithoutEvaluation {} => "conclusions-without-evaluation", "Conclusions are given although the measure is not marked as evaluated.";
    /// A partner without a name.
    PartnerNameMissing {} => "partner-name-missing", "The partner has no name.";
    /// A type of entity outside the known list.
    UnknownEntityType { kind: String } => "unknown-entity-type", "`{kind}` is not one of the known types of entity; it is kept as written.";
    /// A goal the Convention does not have.
    UnknownGoal { goal: u8 } => "unknown-goal", "{goal} is not a goal of the Convention (1 to 4).";
    /// A CSO measure without an organization.
    OrganizationMissing {} => "organization-missing", "Name the CSO responsible for the implementation.";
    /// A record without a title.
    TitleMissing {} => "title-missing", "The record has no title.";
    /// A cultural domain outside the known list.
    UnknownDomain { domain: String } => "unknown-domain", "`{domain}` is not a known cultural domain; it is kept as written.";
}

/// Answered and applicable questions of one section.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SectionCompleteness {
    /// Section id.
    pub section: String,
    /// Applicable questions that have an answer.
    pub answered: usize,
    /// Questions that apply, given the answers to the questions they depend on.
    pub applicable: usize,
}

impl SectionCompleteness {
    /// Share answered, 0 to 100 (100 for a section with nothing applicable).
    pub fn percent(&self) -> u8 {
        if self.applicable == 0 {
            return 100;
        }
        u8::try_from(self.answered * 100 / self.applicable).unwrap_or(100)
    }
}

/// Validates `document` against `framework`. Findings come in document order.
pub fn validate(framework: &Framework, document: &ReportDocument) -> Vec<Finding> {
    let mut check = Checker { framework, findings: Vec::new() };
    check.header(document);
    for (key, value) in &document.answers {
        match framework.question(key) {
            Some(question) => check.answer(&format!("answers.{key}"), question, value, &document.answers),
            None => check.warn(
                format!("answers.{key}"),
                Problem::UnknownQuestion { key: key.clone(), form: framework.id.clone() },
            ),
        }
    }
    check.policy_measures(document);
    check.cso_measures(document);
    check.findings
}

/// Validates the answers of a CSO's form (its identification and priorities) against the
/// framework's CSO form, as [`validate`] does a report's answers (paths `answers.{id}`).
pub fn validate_cso_answers(framework: &Framework, answers: &BTreeMap<String, Value>) -> Vec<Finding> {
    let mut check = Checker { framework, findings: Vec::new() };
    for (key, value) in answers {
        match framework.cso_questions().find(|q| &q.id == key) {
            Some(question) => check.answer(&format!("answers.{key}"), question, value, answers),
            None => check.warn(
                format!("answers.{key}"),
                Problem::UnknownQuestion { key: key.clone(), form: framework.id.clone() },
            ),
        }
    }
    check.findings
}

/// Completeness of every section of the framework, in order.
pub fn completeness(framework: &Framework, document: &ReportDocument) -> Vec<SectionCompleteness> {
    framework
        .sections
        .iter()
        .map(|section| {
            let mut answered = 0;
            let mut applicable = 0;
            for question in section.questions.iter().flat_map(leaf_questions) {
                if question.answer_type == AnswerType::Signature || !applies(question, document) {
                    continue;
                }
                applicable += 1;
                let has_answer = match question.answer_type {
                    AnswerType::Records => match (question.goal, &section.area) {
                        (Some(goal), _) => document.cso_measures_of_goal(goal).next().is_some(),
                        (None, Some(area)) => document.measures_in_area(area).next().is_some(),
                        (None, None) => false,
                    },
                    _ => document.answer(&question.id).is_some_and(is_answered),
                };
                answered += usize::from(has_answer);
            }
            SectionCompleteness { section: section.id.clone(), answered, applicable }
        })
        .collect()
}

/// A required question that applies and has no answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MissingAnswer {
    /// Id of the framework section that asks it.
    pub section: String,
    /// Id of the question.
    pub question: String,
    /// Path of its answer in the document (`answers.<id>`), as findings name it.
    pub path: String,
}

/// The required questions (`required` in the framework) that apply to `document` and are
/// unanswered, in the form's order. A conditional question applies only when its parent
/// holds the expected answer: a `NO` (or no answer yet) leaves its follow-ups out.
pub fn missing_required(framework: &Framework, document: &ReportDocument) -> Vec<MissingAnswer> {
    framework
        .questions()
        .filter(|(_, question)| question.required && applies(question, document))
        .filter(|(_, question)| !document.answer(&question.id).is_some_and(is_answered))
        .map(|(section, question)| MissingAnswer {
            section: section.id.clone(),
            question: question.id.clone(),
            path: format!("answers.{}", question.id),
        })
        .collect()
}

/// The share of the applicable questions `document` answers, 0–100: what the status board
/// shows, stored with each revision.
pub fn percent_complete(framework: &Framework, document: &ReportDocument) -> u8 {
    overall(&completeness(framework, document)).percent()
}

/// The share of the applicable questions `document` answers on its own built-in framework
/// ([`percent_complete`]); `None` for a document of a framework that is not built in.
pub fn builtin_percent_complete(document: &ReportDocument) -> Option<u8> {
    Framework::builtin_versions()
        .into_iter()
        .find(|framework| framework.id == document.framework)
        .map(|framework| percent_complete(framework, document))
}

/// Overall completeness: the sum over sections.
pub fn overall(sections: &[SectionCompleteness]) -> SectionCompleteness {
    SectionCompleteness {
        section: "all".to_owned(),
        answered: sections.iter().map(|s| s.answered).sum(),
        applicable: sections.iter().map(|s| s.applicable).sum(),
    }
}

/// A group stands for its fields; every other question for itself.
fn leaf_questions(question: &Question) -> Box<dyn Iterator<Item = &Question> + '_> {
    if question.answer_type == AnswerType::Group {
        Box::new(question.fields.iter())
    } else {
        Box::new(std::iter::once(question))
    }
}

/// Whether a conditional question applies: its parent holds the expected answer.
fn applies(question: &Question, document: &ReportDocument) -> bool {
    match &question.condition {
        None => true,
        Some(condition) => document.answer(&condition.question) == Some(&condition.equals),
    }
}

/// Whether a value counts as an answer: not null, not empty, not an object of nulls.
pub fn is_answered(value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::String(s) => !s.trim().is_empty(),
        Value::Array(items) => items.iter().any(is_answered),
        Value::Object(map) => map.values().any(is_answered),
        Value::Bool(_) | Value::Number(_) => true,
    }
}

struct Checker<'a> {
    framework: &'a Framework,
    findings: Vec<Finding>,
}

impl Checker<'_> {
    fn error(&mut self, path: impl Into<String>, problem: Problem) {
        self.push(Severity::Error, path.into(), problem);
    }

    fn warn(&mut self, path: impl Into<String>, problem: Problem) {
        self.push(Severity::Warning, path.into(), problem);
    }

    fn push(&mut self, severity: Severity, path: String, problem: Problem) {
        self.findings.push(Finding { severity, path, problem });
    }

    fn header(&mut self, document: &ReportDocument) {
        if document.format != FORMAT {
            self.error("format", Problem::OtherFormat { found: document.format.clone(), expected: FORMAT.to_owned() });
        }
        if document.framework != self.framework.id {
            self.error(
                "framework",
                Problem::OtherForm { found: document.framework.clone(), expected: self.framework.id.clone() },
            );
        }
        if document.party.name.trim().is_empty() {
            self.error("party.name", Problem::PartyMissing {});
        } else if document.party.iso3.is_none() {
            self.warn("party.iso3", Problem::UnknownParty { name: document.party.name.clone() });
        }
        if !(2005..=2100).contains(&document.year) {
            self.error("year", Problem::ImplausibleReportYear { year: document.year });
        }
    }

    /// Checks one answer; `answers` are its siblings, for the conditions of questions.
    fn answer(&mut self, path: &str, question: &Question, value: &Value, answers: &BTreeMap<String, Value>) {
        let answer_to = |id: &str| answers.get(id).filter(|v| !v.is_null());
        if value.is_null() {
            return;
        }
        if let Some(condition) = &question.condition
            && is_answered(value)
            && answer_to(&condition.question) != Some(&condition.equals)
        {
            let parent = answer_to(&condition.question).map_or_else(|| "unanswered".to_owned(), display_value);
            // Named by its label, as the person filling in the form sees it, in both languages.
            let label = |pick: fn(&Question) -> &str| {
                self.framework
                    .question(&condition.question)
                    .map_or(condition.question.clone(), |q| pick(q).trim_end().to_owned())
            };
            let problem = Problem::NotApplicable {
                question_en: label(|q| &q.label.en),
                question_fr: label(|q| if q.label.fr.is_empty() { &q.label.en } else { &q.label.fr }),
                expected: display_value(&condition.equals),
                found: parent,
            };
            self.warn(path, problem);
        }
        self.typed_value(path, question.answer_type, question.options.as_deref(), question, value);
    }

    fn typed_value(
        &mut self,
        path: &str,
        answer_type: AnswerType,
        options: Option<&str>,
        question: &Question,
        value: &Value,
    ) {
        use AnswerType as T;
        // Lists and tables are checked item by item, so that one misfit item does not hide
        // what is wrong with the others.
        match answer_type {
            T::MultiSelect => {
                self.string_list(path, answer::list_items(value), question.max_items, |check, item_path, text| {
                    check.option(item_path, options, text);
                })
            }
            T::NestedMultiSelect => match answer::groups(value) {
                Some(groups) => {
                    for (key, items) in groups {
                        let group_path = format!("{path}.{key}");
                        match question.groups.iter().find(|g| g.key == key) {
                            Some(group) => self.string_list(
                                &group_path,
                                answer::list_items(items),
                                None,
                                |check, item_path, text| {
                                    check.option(item_path, Some(&group.options), text);
                                },
                            ),
                            None => self.warn(group_path, Problem::UnknownGroup { key: key.to_owned() }),
                        }
                    }
                }
                None => self.error(path, Problem::ExpectedGroups {}),
            },
            T::TextList | T::Address => {
                self.string_list(path, answer::list_items(value), question.max_items, |_, _, _| {})
            }
            T::EmailList => self.string_list(path, answer::list_items(value), None, Checker::email),
            T::Table | T::FileList => self.rows(path, question, answer::table_rows(value)),
            _ => match Answer::read(answer_type, value) {
                Ok(answer) => self.typed_answer(path, options, &answer, value),
                Err(_) => self.misfit(path, answer_type, value),
            },
        }
    }

    /// Checks an answer that has its type's shape (lists and tables are checked above).
    fn typed_answer(&mut self, path: &str, options: Option<&str>, answer: &Answer, value: &Value) {
        match answer {
            Answer::YesNo(_)
            | Answer::Rating1To4(_)
            | Answer::FreeText(_)
            | Answer::ShortText(_)
            | Answer::Signature(_)
            | Answer::Url(_) => {}
            Answer::MultiSelect(_)
            | Answer::NestedMultiSelect(_)
            | Answer::TextList(_)
            | Answer::EmailList(_)
            | Answer::Address(_)
            | Answer::Table(_)
            | Answer::FileList(_) => {}
            Answer::SingleSelect(text) => self.option(path, options, text),
            Answer::PercentWithYear(figure) => {
                match figure.percent_value() {
                    Some(p) if (0.0..=100.0).contains(&p) => {}
                    Some(p) => {
                        self.error(format!("{path}.percent"), Problem::PercentOutOfRange { found: p.to_string() })
                    }
                    None => self.warn(format!("{path}.percent"), Problem::PercentMissing {}),
                }
                self.year(&format!("{path}.year"), figure.year());
            }
            Answer::AmountUsdWithYear(figure) | Answer::AmountUsd(figure) => {
                if !figure.raw_is_text() {
                    self.error(path, Problem::ExpectedAmount {});
                } else if !figure.has_usd() {
                    self.warn(format!("{path}.usd"), Problem::UsdMissing {});
                }
                if let Answer::AmountUsdWithYear(_) = answer {
                    self.year(&format!("{path}.year"), figure.year());
                }
            }
            Answer::Email(text) => self.email(path, text),
            Answer::Date(text) => {
                if !is_partial_date(text) {
                    self.error(path, Problem::ExpectedDate { found: display_value(value) });
                }
            }
        }
    }

    /// Says why a value (not a list or a table) does not have its type's shape.
    fn misfit(&mut self, path: &str, answer_type: AnswerType, value: &Value) {
        use AnswerType as T;
        let found = || display_value(value);
        match answer_type {
            T::YesNo => self.error(path, Problem::ExpectedYesNo { found: found() }),
            T::SingleSelect => self.error(path, Problem::ExpectedOption {}),
            T::FreeText | T::ShortText | T::Signature | T::Url => self.error(path, Problem::ExpectedText {}),
            T::Email => self.error(path, Problem::ExpectedEmail {}),
            T::Date => self.error(path, Problem::ExpectedDate { found: found() }),
            T::Rating1To4 => self.error(path, Problem::ExpectedRating { found: found() }),
            // Not an object: neither part is there.
            T::PercentWithYear => {
                self.warn(format!("{path}.percent"), Problem::PercentMissing {});
                self.year(&format!("{path}.year"), None);
            }
            T::AmountUsdWithYear | T::AmountUsd => {
                self.error(path, Problem::ExpectedAmount {});
                if answer_type == T::AmountUsdWithYear {
                    self.year(&format!("{path}.year"), None);
                }
            }
            T::Group | T::Records => self.error(path, Problem::NoAnswerOfItsOwn {}),
            // Checked item by item in `typed_value`; a value that is no list is not one.
            T::MultiSelect
            | T::NestedMultiSelect
            | T::TextList
            | T::EmailList
            | T::Address
            | T::Table
            | T::FileList => {
                self.error(path, Problem::ExpectedList {});
            }
        }
    }

    fn string_list(
        &mut self,
        path: &str,
        items: Option<Vec<Option<&str>>>,
        max_items: Option<u32>,
        mut each: impl FnMut(&mut Self, &str, &str),
    ) {
        let Some(items) = items else {
            self.error(path, Problem::ExpectedList {});
            return;
        };
        if let Some(max) = max_items
            && items.len() > max as usize
        {
            self.warn(path, Problem::TooManyItems { max, given: items.len() });
        }
        for (i, item) in items.into_iter().enumerate() {
            let item_path = format!("{path}[{i}]");
            match item {
                Some(text) => each(self, &item_path, text),
                None => self.error(item_path, Problem::ExpectedText {}),
            }
        }
    }

    fn rows(&mut self, path: &str, question: &Question, rows: Option<Vec<Option<&Row>>>) {
        let Some(rows) = rows else {
            self.error(path, Problem::ExpectedRows {});
            return;
        };
        for (i, row) in rows.into_iter().enumerate() {
            let Some(cells) = row else {
                self.error(format!("{path}[{i}]"), Problem::ExpectedRow {});
                continue;
            };
            for (key, cell) in cells {
                let cell_path = format!("{path}[{i}].{key}");
                match question.columns.iter().find(|c| &c.key == key) {
                    Some(_) if cell.is_null() => {}
                    Some(column) => {
                        self.typed_value(&cell_path, column.answer_type, column.options.as_deref(), question, cell)
                    }
                    None => self.warn(cell_path, Problem::UnknownColumn { key: key.clone() }),
                }
            }
        }
    }

    fn option(&mut self, path: &str, list: Option<&str>, text: &str) {
        let Some(list) = list else { return };
        if list == "parties" {
            if crate::countries::resolve_name(text).is_none() {
                self.warn(path, Problem::UnknownCountry { text: text.to_owned() });
            }
            return;
        }
        // A list with an "Other (please specify)" entry takes any text: it is the other answer.
        if !self.framework.known_choice(list, text) {
            self.warn(path, Problem::UnknownOption { text: text.to_owned() });
        }
    }

    fn email(&mut self, path: &str, text: &str) {
        let looks_like_email = text
            .split_once('@')
            .is_some_and(|(user, host)| !user.is_empty() && host.contains('.') && !text.contains(char::is_whitespace));
        if !looks_like_email {
            self.warn(path, Problem::NotAnEmail { text: text.to_owned() });
        }
    }

    fn year(&mut self, path: &str, year: Option<i64>) {
        match year.map(|y| (y, Year::new(y))) {
            Some((_, Ok(_))) => {}
            Some((year, Err(_))) => self.error(path, Problem::ImplausibleYear { year }),
            None => self.warn(path, Problem::YearMissing {}),
        }
    }

    fn policy_measures(&mut self, document: &ReportDocument) {
        for (i, measure) in document.policy_measures.iter().enumerate() {
            let path = format!("{}[{i}]", MeasureKind::Policy.array());
            if self.framework.area_section(&measure.area).is_none() {
                self.error(format!("{path}.area"), Problem::UnknownArea { area: measure.area.clone() });
            }
            self.record_common(&path, &measure.title, &measure.domains);
            if measure.agencies.is_empty() {
                self.warn(format!("{path}.agencies"), Problem::AgencyMissing {});
            }
            if measure.evaluation_conclusions.is_some() && measure.evaluated != Some(true) {
                self.warn(format!("{path}.evaluation_conclusions"), Problem::ConclusionsWithoutEvaluation {});
            }
            for (j, partner) in measure.partners.iter().enumerate() {
                if partner.name.trim().is_empty() {
                    self.error(format!("{path}.partners[{j}].name"), Problem::PartnerNameMissing {});
                }
                if let Some(kind) = &partner.entity_type
                    && !self.framework.known_choice("entity_types", kind)
                {
                    self.warn(
                        format!("{path}.partners[{j}].entity_type"),
                        Problem::UnknownEntityType { kind: kind.clone() },
                    );
                }
            }
        }
    }

    fn cso_measures(&mut self, document: &ReportDocument) {
        for (i, measure) in document.cso_measures.iter().enumerate() {
            let path = format!("{}[{i}]", MeasureKind::Cso.array());
            if self.framework.goal(measure.goal).is_none() {
                self.error(format!("{path}.goal"), Problem::UnknownGoal { goal: measure.goal });
            }
            self.record_common(&path, &measure.title, &measure.domains);
            if measure.organizations.is_empty() {
                self.warn(format!("{path}.organizations"), Problem::OrganizationMissing {});
            }
        }
    }

    fn record_common(&mut self, path: &str, title: &str, domains: &[String]) {
        if title.trim().is_empty() {
            self.error(format!("{path}.title"), Problem::TitleMissing {});
        }
        for (j, domain) in domains.iter().enumerate() {
            if self.framework.option_by_key("cultural_domains", domain).is_none() {
                self.warn(format!("{path}.domains[{j}]"), Problem::UnknownDomain { domain: domain.clone() });
            }
        }
    }
}

fn display_value(value: &Value) -> String {
    match value {
        Value::Bool(true) => "YES".to_owned(),
        Value::Bool(false) => "NO".to_owned(),
        Value::Null => "empty".to_owned(),
        other => other.to_string(),
    }
}

/// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
fn is_partial_date(text: &str) -> bool {
    let parts: Vec<&str> = text.split('-').collect();
    let numeric = |s: &str, len: usize| s.len() == len && s.bytes().all(|b| b.is_ascii_digit());
    match parts.as_slice() {
        [y] => numeric(y, 4),
        [y, m] => numeric(y, 4) && numeric(m, 2),
        [y, m, d] => numeric(y, 4) && numeric(m, 2) && numeric(d, 2),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::countries::Iso3;
    use crate::document::{PartyRef, PolicyMeasure};
    use serde_json::json;

    fn document() -> ReportDocument {
        ReportDocument::new("qpr-2020", PartyRef { name: "Azerbaijan".into(), iso3: Iso3::parse("AZE").ok() }, 2022)
    }

    #[test]
    fn an_empty_report_misses_every_required_question_that_applies() {
        let framework = Framework::qpr_2020();
        let missing = missing_required(framework, &document());
        let ids: Vec<&str> = missing.iter().map(|m| m.question.as_str()).collect();
        assert!(ids.contains(&"g1_ccs_ministry"), "{ids:?}");
        assert!(ids.contains(&"gi_poc_email"), "group fields count one by one: {ids:?}");
        assert!(!ids.contains(&"g1_ccs_gdp_share_disaggregated"), "“whenever possible” is not required");
        assert!(!ids.contains(&"g1_ccs_interministerial"), "a follow-up whose parent is unanswered is hidden");
        assert!(!ids.contains(&"sub_date"), "the date is written at signing");
        let required = framework.questions().filter(|(_, q)| q.required && q.condition.is_none()).count();
        assert_eq!(missing.len(), required, "every unconditional required question, nothing else");
        let first = &missing[0];
        assert_eq!((first.section.as_str(), first.path.as_str()), ("general_information", "answers.gi_party_name"));
    }

    #[test]
    fn a_no_hides_the_follow_ups_and_a_yes_requires_them() {
        let framework = Framework::qpr_2020();
        let mut report = document();
        let follow_ups = |report: &ReportDocument| -> Vec<String> {
            missing_required(framework, report)
                .into_iter()
                .map(|m| m.question)
                .filter(|id| id.starts_with("g1_media_regulatory_authority_"))
                .collect()
        };
        assert_eq!(follow_ups(&report), ["g1_media_regulatory_authority_exists"]);
        report.answers.insert("g1_media_regulatory_authority_exists".into(), json!(false));
        assert!(follow_ups(&report).is_empty(), "NO: the three follow-ups do not apply");
        report.answers.insert("g1_media_regulatory_authority_exists".into(), json!(true));
        assert_eq!(follow_ups(&report).len(), 3, "YES: they are asked");
        report.answers.insert("g1_media_regulatory_authority_name_year".into(), json!("  "));
        assert_eq!(follow_ups(&report).len(), 3, "blank text is no answer");
    }

    #[test]
    fn a_csos_answers_are_checked_against_the_cso_form() {
        let answers: BTreeMap<String, Value> = [
            ("cso_org_name", json!(5)),
            ("cso_org_email", json!("nobody")),
            // "Other (please specify)": the organization's own type is the answer.
            ("cso_org_type", json!("A club of aliens")),
            ("cso_org_country", json!("Senegal")),
            ("cso_contact_person", json!("Awa Diop")),
            ("g1_ccs_ministry", json!(true)),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect();
        let found: Vec<(Severity, String, &str)> = validate_cso_answers(Framework::qpr_2020(), &answers)
            .into_iter()
            .map(|f| (f.severity, f.path, f.problem.code()))
            .collect();
        assert_eq!(
            found,
            vec![
                (Severity::Warning, "answers.cso_org_email".into(), "not-an-email"),
                (Severity::Error, "answers.cso_org_name".into(), "expected-text"),
                (Severity::Warning, "answers.g1_ccs_ministry".into(), "unknown-question"),
            ]
        );
    }

    fn messages(document: &ReportDocument) -> Vec<(Severity, String)> {
        validate(Framework::qpr_2020(), document).into_iter().map(|f| (f.severity, f.path)).collect()
    }

    #[test]
    fn an_empty_document_is_valid_but_incomplete() {
        let document = document();
        assert!(messages(&document).is_empty());
        let sections = completeness(Framework::qpr_2020(), &document);
        assert!(sections.iter().all(|s| s.answered == 0));
        assert!(overall(&sections).applicable > 80);
    }

    #[test]
    fn wrong_types_are_errors_with_their_path() {
        let mut document = document();
        document.answers.insert("g1_ccs_ministry".into(), json!("maybe"));
        document.answers.insert("g3_sd_outcome_social".into(), json!(7));
        assert_eq!(
            messages(&document),
            [
                (Severity::Error, "answers.g1_ccs_ministry".into()),
                (Severity::Error, "answers.g3_sd_outcome_social".into())
            ]
        );
    }

    #[test]
    fn unknown_options_and_children_under_no_are_warnings() {
        let mut document = document();
        // A list without “Other (please specify)” flags a text outside it; one with it takes it.
        document.answers.insert("g1_cso_professional_organizations".into(), json!(["Something new"]));
        document.answers.insert("g1_ccs_specific_measures".into(), json!(["Something new"]));
        document.answers.insert("g1_ccs_regulatory_frameworks".into(), json!(false));
        document.answers.insert("g1_ccs_interministerial".into(), json!(true));
        assert_eq!(
            messages(&document),
            [
                (Severity::Warning, "answers.g1_ccs_interministerial".into()),
                (Severity::Warning, "answers.g1_cso_professional_organizations[0]".into()),
            ]
        );
    }

    /// Issue 15: a group of a nested multi-select and a table column (a record's partners
    /// included) whose list ends with “Other (please specify)” take the text typed in place of
    /// the entry, unflagged, and it counts as an answer; a text outside a list without the entry
    /// is still flagged.
    #[test]
    fn other_answers_of_groups_and_table_cells_are_answers_not_unknown_options() {
        let framework = Framework::qpr_2020();
        let mut document = document();
        let before = completeness(framework, &document);
        document.answers.insert("g1_ccs_education_training".into(), json!({"tvet": ["Music", "Puppetry"]}));
        document.answers.insert(
            "gi_stakeholders".into(),
            json!([{"organization_type": "Academia", "organization": "University of Baku"}]),
        );
        document.policy_measures.push(PolicyMeasure {
            id: "m".into(),
            area: "cultural_creative_sectors".into(),
            title: "A measure".into(),
            agencies: vec!["Ministry".into()],
            domains: vec!["music".into()],
            description: String::new(),
            targets_youth: None,
            ifcd_support: None,
            results: None,
            financial_resources: None,
            evaluated: None,
            evaluation_conclusions: None,
            partners: serde_json::from_value(json!([{"name": "A school", "entity_type": "Academia"}])).unwrap(),
            extra: Default::default(),
        });
        assert_eq!(messages(&document), []);
        let after = completeness(framework, &document);
        let answered = |sections: &[SectionCompleteness], id: &str| {
            sections.iter().find(|s| s.section == id).map_or(0, |s| s.answered)
        };
        assert_eq!(answered(&after, "cultural_creative_sectors"), answered(&before, "cultural_creative_sectors") + 2);
        assert_eq!(answered(&after, "general_information"), answered(&before, "general_information") + 1);
        // The cultural domains have no “Other”: a text outside them is still flagged, in a
        // question's answer and in a record.
        document.answers.insert("g2_flow_export_strategies_domains".into(), json!(["Gastronomy"]));
        document.policy_measures[0].domains.push("Gastronomy".into());
        assert_eq!(
            messages(&document),
            [
                (Severity::Warning, "answers.g2_flow_export_strategies_domains[0]".into()),
                (Severity::Warning, "policy_measures[0].domains[1]".into()),
            ]
        );
    }

    #[test]
    fn misfit_parts_are_named_and_the_rest_still_checked() {
        let mut document = document();
        document.answers.insert("g1_cso_professional_organizations".into(), json!([1, "Something new"]));
        document.answers.insert("g1_ccs_gdp_share".into(), json!("5%"));
        document.answers.insert("g1_ccs_employment_share".into(), json!({"percent": 120, "year": 1850}));
        assert_eq!(
            messages(&document),
            [
                (Severity::Error, "answers.g1_ccs_employment_share.percent".into()),
                (Severity::Error, "answers.g1_ccs_employment_share.year".into()),
                (Severity::Warning, "answers.g1_ccs_gdp_share.percent".into()),
                (Severity::Warning, "answers.g1_ccs_gdp_share.year".into()),
                (Severity::Error, "answers.g1_cso_professional_organizations[0]".into()),
                (Severity::Warning, "answers.g1_cso_professional_organizations[1]".into()),
            ]
        );
    }

    #[test]
    fn conditional_questions_count_only_when_they_apply() {
        let framework = Framework::qpr_2020();
        let mut document = document();
        let before = overall(&completeness(framework, &document)).applicable;
        document.answers.insert("g1_ccs_regulatory_frameworks".into(), json!(true));
        let after = overall(&completeness(framework, &document));
        assert_eq!(after.applicable, before + 1, "the interministerial question now applies");
        assert_eq!(after.answered, 1);
    }

    #[test]
    fn records_are_checked() {
        let mut document = document();
        document.policy_measures.push(PolicyMeasure {
            id: "x".into(),
            area: "nowhere".into(),
            title: " ".into(),
            agencies: vec!["Ministry".into()],
            domains: vec!["music".into(), "Gastronomy".into()],
            description: String::new(),
            targets_youth: None,
            ifcd_support: None,
            results: None,
            financial_resources: None,
            evaluated: Some(false),
            evaluation_conclusions: Some("Good".into()),
            partners: Vec::new(),
            extra: Default::default(),
        });
        assert_eq!(
            messages(&document),
            [
                (Severity::Error, "policy_measures[0].area".into()),
                (Severity::Error, "policy_measures[0].title".into()),
                (Severity::Warning, "policy_measures[0].domains[1]".into()),
                (Severity::Warning, "policy_measures[0].evaluation_conclusions".into()),
            ]
        );
    }
}
