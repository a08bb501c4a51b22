//! The reporting form as data.
//!
//! A [`Framework`] is one version of the QPR form (sections, goals, questions, answer types,
//! option lists, conditions, record types, labels in English and French) plus the CSO form
//! that feeds it. It is loaded from a JSON file (`data/frameworks/*.json`); nothing about
//! individual questions is written in Rust. Several versions live side by side in a
//! [`FrameworkRegistry`], keyed by their versioned id (`qpr-2020`).

use std::collections::{BTreeMap, HashSet};
use std::sync::{Arc, OnceLock};

use serde::{Deserialize, Serialize};

use crate::text::{Lang, LocalizedText, normalize_loose};

/// The JSON of the built-in 2020 framework.
const QPR_2020_JSON: &str = include_str!("../data/frameworks/qpr-2020.json");
/// The 2016–2019 form (the framework as revised in 2015).
const QPR_2016_JSON: &str = include_str!("../data/frameworks/qpr-2016.json");
/// The first-cycle form (reports of 2012–2015).
const QPR_2012_JSON: &str = include_str!("../data/frameworks/qpr-2012.json");

/// One version of the reporting form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Framework {
    /// Versioned id, e.g. `qpr-2020`; report documents name it in their `framework` key.
    pub id: String,
    /// Format of this file, `qpr-framework/1`.
    pub format: String,
    /// Title of the report form.
    pub title: LocalizedText,
    /// The Convention's goals, with the headings used in the report and in the CSO section.
    pub goals: Vec<Goal>,
    /// Named option lists for the select questions. Lists are open: answers outside them are
    /// kept as written and flagged by validation.
    pub option_lists: BTreeMap<String, Vec<OptionItem>>,
    /// What is known of each option list (`partial: seen in seed`, sources), for form editors.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub option_list_info: BTreeMap<String, serde_json::Value>,
    /// Sections in the published order.
    pub sections: Vec<Section>,
    /// Repeated record types (`policy_measure`, `cso_measure`).
    pub record_types: BTreeMap<String, RecordType>,
    /// The CSO form distributed by the Party, when this version has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cso_form: Option<CsoForm>,
    /// Where the form's questions and labels were taken from (official texts, pages read).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Why the questions marked [`Question::required`] are required (the official form's marks,
    /// or what stands for them when they are not known), for form editors.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub required_note: Option<String>,
    /// Where the guidance of sections and questions ([`Section::guidance`]) was found, what was
    /// searched for and not found, and which texts are translations, for form editors.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub guidance_note: Option<String>,
    /// How published pages of this version name the report, for the importer; `None` for a
    /// version whose pages carry the form's title above `<Party> <year>` (2020).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<PageLayout>,
}

/// How the published pages of a form version are titled.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PageLayout {
    /// Page titles, with `{party}` and `{year}` where they stand (`{party} {year} report`).
    pub title_patterns: Vec<String>,
    /// The question whose answer is the report's year, when the page has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year_question: Option<String>,
    /// A heading that groups sections without being one (`Policies and Measures`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_heading: Option<String>,
}

/// One of the Convention's four goals.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Goal {
    /// 1 to 4.
    pub number: u8,
    /// Heading of the goal in the report (`Goal 1 - Support …`).
    pub heading: LocalizedText,
    /// Label of the goal in the CSO measures section (`GOAL 1 - Support …`).
    pub cso_heading: LocalizedText,
}

/// An entry of an option list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OptionItem {
    /// Stable key (`cinema_audiovisual`).
    pub key: String,
    /// English text as published.
    pub en: String,
    /// French text.
    #[serde(default)]
    pub fr: String,
    /// Other spellings seen in published reports.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// `presumed` when the option was inferred rather than seen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// "Other (please specify)": choosing it means the answer is a text of the respondent's,
    /// stored as written among (or as) the answer's values; no other option is that text.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub specify: bool,
}

/// A section of the form: general information, one area of monitoring, the CSO section, …
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Section {
    /// Stable id (`cultural_creative_sectors`, `general_information`, …).
    pub id: String,
    /// Page of the original online form, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
    /// Heading as published.
    pub heading: LocalizedText,
    /// Sub-heading shown right after the heading (`Technical Information`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subheading: Option<LocalizedText>,
    /// The goal this area of monitoring belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub goal: Option<u8>,
    /// The area id used by records of this section (`report-json.md`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub area: Option<String>,
    /// Questions in the published order.
    pub questions: Vec<Question>,
    /// What the official texts say of the section (what is asked, what the area monitors), in
    /// English and French, each passage with its source; shown on demand beside the form.
    /// Empty where no official text was found: nothing is made up.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub guidance: Vec<GuidancePassage>,
}

/// A passage of official guidance (the online form's introduction to an area, the Monitoring
/// Framework's indicators), quoted as published, in English and French, with its source.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GuidancePassage {
    /// English text; a blank line separates paragraphs, a line break separates lines.
    #[serde(default)]
    pub en: String,
    /// French text.
    #[serde(default)]
    pub fr: String,
    /// The language of the platform's own translation, when the official text was found in the
    /// other language only (`"fr"`: the French is qpr's translation of the official English).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub translated: Option<Lang>,
    /// Where the text is published.
    pub source: GuidanceSource,
}

impl GuidancePassage {
    /// The text in `lang`.
    pub fn text(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.en,
            Lang::Fr => &self.fr,
        }
    }

    /// The text in `lang` is the platform's translation, not the official wording.
    pub fn translated_into(&self, lang: Lang) -> bool {
        self.translated == Some(lang)
    }
}

/// Where a passage of guidance is published.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GuidanceSource {
    /// The document or page (`Online QPR form (unesco.tfaforms.net/3)`).
    pub document: String,
    /// The part of it quoted (`Goal 2, Mobility of artists and cultural professionals, Introduction`).
    #[serde(default)]
    pub section: String,
    /// Its address (the stored copy read).
    pub url: String,
}

/// How a question is answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AnswerType {
    /// `YES` / `NO`, stored as a boolean.
    YesNo,
    /// One option of a list.
    SingleSelect,
    /// Several options of a list.
    MultiSelect,
    /// Several options under group headers.
    NestedMultiSelect,
    /// A percentage with the year it refers to.
    PercentWithYear,
    /// An amount in USD with the year it refers to.
    AmountUsdWithYear,
    /// An amount in USD, kept raw with a derived number.
    AmountUsd,
    /// Long text, several paragraphs allowed.
    FreeText,
    /// One line of text.
    ShortText,
    /// Several texts, one per line.
    TextList,
    /// Several e-mail addresses separated by `;`.
    EmailList,
    /// A postal address block, one line per entry.
    Address,
    /// A date, possibly year only.
    Date,
    /// An integer rating from 1 to 4.
    #[serde(rename = "rating_1_4")]
    Rating1To4,
    /// A group of sub-questions (each stored under its own id).
    Group,
    /// Rows with fixed columns.
    Table,
    /// Repeated records of a record type.
    Records,
    /// Uploaded documents with title and description.
    FileList,
    /// The electronic signature.
    Signature,
    /// One e-mail address.
    Email,
    /// One web address.
    Url,
}

/// A question of the form, or a field of a record type.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Question {
    /// Stable id (`g1_ccs_ministry`, `pm_results`).
    pub id: String,
    /// For record fields: the key of the field in the report document (`results`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// Label as published.
    pub label: LocalizedText,
    /// Other wordings of the label seen on published pages (the French site's official
    /// wording, a site that mixes languages); read by the importer, never shown.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// Answer type.
    #[serde(rename = "type")]
    pub answer_type: AnswerType,
    /// Option list name, for select questions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub options: Option<String>,
    /// Option groups, for nested multi-selects.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<OptionGroup>,
    /// When the question applies only after a given answer to another question.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub condition: Option<Condition>,
    /// A submitted report was seen leaving this question empty.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub observed_optional: bool,
    /// A report cannot be submitted while this question, when it applies (its `condition`
    /// holds), is unanswered. The framework's `required_note` says why these are required.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub required: bool,
    /// The most items (examples, priorities) the answer may hold.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_items: Option<u32>,
    /// Record type, for `records` questions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub record: Option<String>,
    /// Goal of a CSO-measures question.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub goal: Option<u8>,
    /// Sub-questions, for groups.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<Question>,
    /// What the question is for the report's life besides its answer (the official who signs,
    /// the date of submission): the workflow finds these questions by role, never by id. An
    /// unknown role is an error when the framework is read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<QuestionRole>,
    /// Columns, for tables and file lists.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub columns: Vec<Column>,
    /// The published page shows the value without a label (record titles).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub unlabelled: bool,
    /// A remark for form editors (sic, inferred type, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// What the official texts say of the question (what is asked, examples, length), in
    /// English and French, each passage with its source; shown on demand beside the field.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub guidance: Vec<GuidancePassage>,
}

/// A question's part in the report's life, named in the framework file (`"role"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuestionRole {
    /// The designated official's title (Mr., Ms., …).
    SignatoryTitle,
    /// The designated official's first name.
    SignatoryFirstName,
    /// The designated official's family name.
    SignatoryFamilyName,
    /// The designated official's organization.
    SignatoryOrganization,
    /// The designated official's position.
    SignatoryPosition,
    /// The date the report was submitted (set at submission).
    SubmissionDate,
    /// The Party's name: a new draft starts with it (the platform knows the Party).
    PartyName,
    /// When the Party ratified the Convention: a new draft starts with the deposit date of its
    /// instrument (`parties.csv`).
    RatificationDate,
    /// The name of a CSO answering the CSO form: the form starts with the invitation's.
    CsoOrganization,
    /// The CSO's e-mail address: the form starts with the one the invitation was sent to.
    CsoEmail,
    /// The report's executive summary: the one part the Secretariat translates (into English
    /// or French), shown beside it on the public page.
    ExecutiveSummary,
}

impl QuestionRole {
    /// The designated official's questions, in the order the signature names them.
    pub const SIGNATORY: [QuestionRole; 5] = [
        QuestionRole::SignatoryTitle,
        QuestionRole::SignatoryFirstName,
        QuestionRole::SignatoryFamilyName,
        QuestionRole::SignatoryOrganization,
        QuestionRole::SignatoryPosition,
    ];

    /// The question is answered when the report is signed (the official, the date), on the
    /// signing page rather than in a section.
    pub fn answered_at_signing(self) -> bool {
        QuestionRole::SIGNATORY.contains(&self) || self == QuestionRole::SubmissionDate
    }

    /// A new draft starts with the answer: what the platform knows of the Party.
    pub fn known_to_the_platform(self) -> bool {
        matches!(self, QuestionRole::PartyName | QuestionRole::RatificationDate)
    }
}

impl Question {
    /// Every wording of the label a published page may show: English, French, Spanish, then
    /// the aliases.
    pub fn label_texts(&self) -> impl Iterator<Item = &str> {
        self.label.texts().chain(self.aliases.iter().map(String::as_str))
    }
}

/// A group of options under a header, in a nested multi-select.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OptionGroup {
    /// Key of the group in the answer object.
    pub key: String,
    /// Header as published.
    pub label: LocalizedText,
    /// Option list of the group.
    pub options: String,
}

/// A column of a table question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Column {
    /// Key of the cell in a row object.
    pub key: String,
    /// Column header.
    pub label: LocalizedText,
    /// Type of the cell.
    #[serde(rename = "type")]
    pub answer_type: AnswerType,
    /// Option list, for select cells.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub options: Option<String>,
}

/// "Applies only when `question` is answered `equals`".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Condition {
    /// Id of the parent question.
    pub question: String,
    /// Parent answer that makes the question applicable.
    pub equals: serde_json::Value,
}

/// A repeated record type.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecordType {
    /// Name of the record type.
    pub label: LocalizedText,
    /// Fields in the published order; each has a `key`.
    pub fields: Vec<Question>,
}

/// The CSO form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CsoForm {
    /// Title of the form.
    pub title: LocalizedText,
    /// Why the form looks the way it does.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Sections of the form.
    pub sections: Vec<Section>,
}

/// What is wrong with a framework file.
#[derive(Debug, thiserror::Error)]
pub enum FrameworkError {
    /// The file is not valid JSON of the framework shape.
    #[error("framework file is not valid: {0}")]
    Json(#[from] serde_json::Error),
    /// The file parses but contradicts itself.
    #[error("framework `{id}` is inconsistent: {}", problems.join("; "))]
    Inconsistent {
        /// Framework id.
        id: String,
        /// Every problem found.
        problems: Vec<String>,
    },
    /// Two frameworks with one id.
    #[error("a framework with id `{0}` is already loaded")]
    Duplicate(String),
}

impl Framework {
    /// Parses and checks a framework file.
    pub fn from_json(json: &str) -> Result<Framework, FrameworkError> {
        let framework: Framework = serde_json::from_str(json)?;
        let problems = framework.consistency_problems();
        if problems.is_empty() {
            Ok(framework)
        } else {
            Err(FrameworkError::Inconsistent { id: framework.id, problems })
        }
    }

    /// The built-in 2020 framework, parsed once.
    pub fn qpr_2020() -> &'static Framework {
        static CELL: OnceLock<Framework> = OnceLock::new();
        CELL.get_or_init(|| {
            // The file is compiled in and checked by a unit test, so failing here is a build
            // defect, not a user error.
            #[expect(clippy::expect_used, reason = "the embedded file is tested")]
            Framework::from_json(QPR_2020_JSON).expect("embedded qpr-2020 framework is valid")
        })
    }

    /// The built-in 2016–2019 framework (revised in 2015), parsed once.
    pub fn qpr_2016() -> &'static Framework {
        static CELL: OnceLock<Framework> = OnceLock::new();
        CELL.get_or_init(|| {
            #[expect(clippy::expect_used, reason = "the embedded file is tested")]
            Framework::from_json(QPR_2016_JSON).expect("embedded qpr-2016 framework is valid")
        })
    }

    /// The built-in first-cycle framework (2012), parsed once.
    pub fn qpr_2012() -> &'static Framework {
        static CELL: OnceLock<Framework> = OnceLock::new();
        CELL.get_or_init(|| {
            #[expect(clippy::expect_used, reason = "the embedded file is tested")]
            Framework::from_json(QPR_2012_JSON).expect("embedded qpr-2012 framework is valid")
        })
    }

    /// Every built-in framework, oldest first.
    pub fn builtin_versions() -> [&'static Framework; 3] {
        [Framework::qpr_2012(), Framework::qpr_2016(), Framework::qpr_2020()]
    }

    /// The built-in framework of the reporting cycle a year falls in: 2012 for reports of
    /// 2012–2015, 2016 for 2016–2019, 2020 from 2020.
    pub fn builtin_for_year(year: i32) -> &'static Framework {
        match year {
            ..2016 => Framework::qpr_2012(),
            2016..2020 => Framework::qpr_2016(),
            _ => Framework::qpr_2020(),
        }
    }

    /// Every question, group sub-question included, with its section, in the published order.
    pub fn questions(&self) -> impl Iterator<Item = (&Section, &Question)> {
        self.sections.iter().flat_map(|section| {
            section.questions.iter().flat_map(move |question| {
                std::iter::once((section, question)).chain(question.fields.iter().map(move |field| (section, field)))
            })
        })
    }

    /// Every question of the CSO form, group sub-questions included, in its order.
    pub fn cso_questions(&self) -> impl Iterator<Item = &Question> {
        self.cso_form.iter().flat_map(|form| form.sections.iter()).flat_map(|section| {
            section.questions.iter().flat_map(|question| std::iter::once(question).chain(question.fields.iter()))
        })
    }

    /// The question with this id (sections and groups; not record fields).
    pub fn question(&self, id: &str) -> Option<&Question> {
        self.questions().map(|(_, q)| q).find(|q| q.id == id)
    }

    /// The question with this role (group sub-questions included), when the form has one.
    pub fn question_with_role(&self, role: QuestionRole) -> Option<&Question> {
        self.questions().map(|(_, q)| q).find(|q| q.role == Some(role))
    }

    /// The question of the CSO form with this role, when the form has one.
    pub fn cso_question_with_role(&self, role: QuestionRole) -> Option<&Question> {
        self.cso_questions().find(|q| q.role == Some(role))
    }

    /// The section with this id.
    pub fn section(&self, id: &str) -> Option<&Section> {
        self.sections.iter().find(|s| s.id == id)
    }

    /// The section of an area of monitoring (`transversal` included).
    pub fn area_section(&self, area: &str) -> Option<&Section> {
        self.sections.iter().find(|s| s.area.as_deref() == Some(area))
    }

    /// The goal with this number.
    pub fn goal(&self, number: u8) -> Option<&Goal> {
        self.goals.iter().find(|g| g.number == number)
    }

    /// A record type.
    pub fn record_type(&self, name: &str) -> Option<&RecordType> {
        self.record_types.get(name)
    }

    /// The option of `list` that `raw` names, matched loosely on its key, texts and aliases.
    pub fn resolve_option(&self, list: &str, raw: &str) -> Option<&OptionItem> {
        let wanted = normalize_loose(raw);
        self.option_lists.get(list)?.iter().find(|item| {
            item.key == raw
                || std::iter::once(&item.en)
                    .chain(std::iter::once(&item.fr))
                    .chain(item.aliases.iter())
                    .any(|text| !text.is_empty() && normalize_loose(text) == wanted)
        })
    }

    /// The canonical cultural-domain key for a spelling, if it is a known domain.
    pub fn domain_key(&self, raw: &str) -> Option<&str> {
        self.resolve_option("cultural_domains", raw).map(|item| item.key.as_str())
    }

    /// The option item of a list by key.
    pub fn option_by_key(&self, list: &str, key: &str) -> Option<&OptionItem> {
        self.option_lists.get(list)?.iter().find(|item| item.key == key)
    }

    /// The "Other (please specify)" entry of `list`, when it has one.
    pub fn other_entry(&self, list: &str) -> Option<&OptionItem> {
        self.option_lists.get(list)?.iter().find(|item| item.specify)
    }

    /// Whether `text`, stored as a choice of `list`, is the respondent's own answer under the
    /// list's "Other (please specify)" entry: the list has that entry and the text (not empty)
    /// is none of its options. The one rule for every place that stores option texts (a
    /// question's answer, an item of a group of a nested multi-select, a table cell): the text
    /// typed is stored in place of the entry, as written.
    pub fn is_other_answer(&self, list: &str, text: &str) -> bool {
        !text.trim().is_empty() && self.other_entry(list).is_some() && self.resolve_option(list, text).is_none()
    }

    /// Whether `text` answers from `list` as the form knows it: one of its options, or an
    /// answer under its "Other (please specify)" entry. Lists are open: any other text is kept
    /// as written, and validation flags it.
    pub fn known_choice(&self, list: &str, text: &str) -> bool {
        self.resolve_option(list, text).is_some() || self.is_other_answer(list, text)
    }

    fn consistency_problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        let mut ids = HashSet::new();
        let cso_sections = self.cso_form.iter().flat_map(|form| form.sections.iter());
        let all_questions = self
            .sections
            .iter()
            .chain(cso_sections)
            .flat_map(|s| s.questions.iter())
            .chain(self.record_types.values().flat_map(|r| r.fields.iter()));
        let mut flat = Vec::new();
        for question in all_questions {
            flat.push(question);
            flat.extend(question.fields.iter());
        }
        let mut roles = HashSet::new();
        for question in &flat {
            if !ids.insert(question.id.as_str()) {
                problems.push(format!("question id `{}` is used twice", question.id));
            }
            if let Some(role) = question.role
                && !roles.insert(role)
            {
                problems.push(format!("role `{role:?}` is given to two questions (the second is `{}`)", question.id));
            }
        }
        for question in &flat {
            let lists = question
                .options
                .iter()
                .chain(question.groups.iter().map(|g| &g.options))
                .chain(question.columns.iter().filter_map(|c| c.options.as_ref()));
            for list in lists {
                // `parties` is the country list of `countries.csv`, not an option list.
                if list != "parties" && !self.option_lists.contains_key(list) {
                    problems.push(format!("`{}` names unknown option list `{list}`", question.id));
                }
            }
            if let Some(condition) = &question.condition
                && !ids.contains(condition.question.as_str())
            {
                problems.push(format!("`{}` depends on unknown question `{}`", question.id, condition.question));
            }
            if question.required
                && matches!(question.answer_type, AnswerType::Group | AnswerType::Records | AnswerType::Signature)
            {
                problems.push(format!("`{}` is required but has no answer of its own to give", question.id));
            }
            if question.answer_type == AnswerType::Records {
                match &question.record {
                    Some(record) if self.record_types.contains_key(record) => {}
                    other => {
                        problems.push(format!("records question `{}` names unknown record type {other:?}", question.id))
                    }
                }
            }
        }
        for (name, record) in &self.record_types {
            for field in &record.fields {
                if field.key.is_none() {
                    problems.push(format!("field `{}` of `{name}` has no key", field.id));
                }
            }
        }
        // "Other (please specify)" stores the text typed in place of the entry: only what
        // stores option texts can hold it (questions' answers, their groups' items, table
        // cells, a record's table included); a record's own fields store option keys.
        let keyed_lists = self
            .record_types
            .values()
            .flat_map(|r| r.fields.iter().chain(r.fields.iter().flat_map(|f| f.fields.iter())))
            .flat_map(|q| q.options.as_deref().into_iter().chain(q.groups.iter().map(|g| g.options.as_str())));
        for list in keyed_lists {
            if self.other_entry(list).is_some() {
                problems.push(format!("option list `{list}` has an “Other (please specify)” entry but a record field chooses from it (records store option keys, which cannot hold the text typed)"));
            }
        }
        let sections = self.sections.iter().chain(self.cso_form.iter().flat_map(|form| form.sections.iter()));
        for section in sections {
            guidance_problems(&format!("section `{}`", section.id), &section.guidance, &mut problems);
        }
        for question in &flat {
            guidance_problems(&format!("question `{}`", question.id), &question.guidance, &mut problems);
        }
        for (name, items) in &self.option_lists {
            if items.iter().filter(|i| i.specify).count() > 1 {
                problems.push(format!("option list `{name}` has more than one “Other (please specify)” entry"));
            }
        }
        problems
    }
}

/// What is wrong with the guidance of `owner` (a section or a question): every passage is in both
/// languages (a translation marked as such) and names a document and its address.
fn guidance_problems(owner: &str, passages: &[GuidancePassage], problems: &mut Vec<String>) {
    for (index, passage) in passages.iter().enumerate() {
        let at = format!("{owner}, guidance passage {}", index + 1);
        for (lang, name) in [(Lang::En, "English"), (Lang::Fr, "French")] {
            if passage.text(lang).trim().is_empty() {
                problems.push(format!(
                    "{at} has no {name} text (give the official {name} wording, or translate the official text and mark it \"translated\": \"{}\")",
                    lang.tag()
                ));
            }
        }
        if passage.source.document.trim().is_empty() {
            problems.push(format!("{at} names no source document"));
        }
        let url = passage.source.url.trim();
        if !(url.starts_with("https://") || url.starts_with("http://")) || url.contains(char::is_whitespace) {
            problems.push(format!("{at} has no valid source address (http:// or https://): {url:?}"));
        }
    }
}

/// Framework versions loaded side by side, by id.
#[derive(Debug, Clone)]
pub struct FrameworkRegistry {
    frameworks: Vec<Arc<Framework>>,
}

impl FrameworkRegistry {
    /// A registry holding the built-in frameworks.
    pub fn builtin() -> FrameworkRegistry {
        FrameworkRegistry {
            frameworks: Framework::builtin_versions().into_iter().rev().map(|f| Arc::new(f.clone())).collect(),
        }
    }

    /// Adds a framework version; its id must be new.
    pub fn add(&mut self, framework: Framework) -> Result<(), FrameworkError> {
        if self.get(&framework.id).is_some() {
            return Err(FrameworkError::Duplicate(framework.id));
        }
        self.frameworks.push(Arc::new(framework));
        Ok(())
    }

    /// The framework with this id.
    pub fn get(&self, id: &str) -> Option<&Arc<Framework>> {
        self.frameworks.iter().find(|f| f.id == id)
    }

    /// Ids of every loaded framework.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.frameworks.iter().map(|f| f.id.as_str())
    }
}

#[cfg(test)]
mod role_tests {
    use super::*;

    #[test]
    fn the_signatory_and_the_date_of_submission_are_found_by_role() {
        let framework = Framework::qpr_2020();
        let ids: Vec<&str> = QuestionRole::SIGNATORY
            .iter()
            .map(|role| framework.question_with_role(*role).map_or("", |q| q.id.as_str()))
            .collect();
        assert_eq!(ids.len(), 5);
        assert!(ids.iter().all(|id| !id.is_empty()), "{ids:?}");
        let date = framework.question_with_role(QuestionRole::SubmissionDate).unwrap();
        assert_eq!(date.answer_type, AnswerType::Date);
        // Each role once: the signatory questions are five different questions.
        assert_eq!(ids.iter().collect::<HashSet<_>>().len(), 5);
    }

    #[test]
    fn an_unknown_role_is_a_load_error() {
        let json = QPR_2020_JSON.replacen(r#""role": "submission_date""#, r#""role": "stamp""#, 1);
        assert_ne!(json, QPR_2020_JSON);
        let error = Framework::from_json(&json).unwrap_err().to_string();
        assert!(error.contains("stamp"), "{error}");
        let twice = QPR_2020_JSON.replacen(r#""role": "submission_date""#, r#""role": "signatory_position""#, 1);
        let error = Framework::from_json(&twice).unwrap_err().to_string();
        assert!(error.contains("SignatoryPosition"), "{error}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_framework_loads_and_is_consistent() {
        let framework = Framework::from_json(QPR_2020_JSON).expect("valid");
        assert_eq!(framework.id, "qpr-2020");
        let areas: Vec<_> = framework.sections.iter().filter_map(|s| s.area.as_deref()).collect();
        assert_eq!(areas.len(), 12, "11 areas of monitoring and the transversal section");
        assert_eq!(framework.goals.len(), 4);
        let records = framework.questions().filter(|(_, q)| q.answer_type == AnswerType::Records).count();
        assert_eq!(records, 16, "12 policy/measure repeaters and 4 CSO goal repeaters");
    }

    /// The sections and questions the official texts speak to carry their guidance in English
    /// and French, each passage with its source; French translated by qpr says so and the
    /// official French, where found, does not; what no official text was found for carries none.
    #[test]
    fn the_guidance_of_the_areas_loads_in_both_languages_with_its_sources() {
        let framework = Framework::from_json(QPR_2020_JSON).expect("valid");
        let with: Vec<&str> =
            framework.sections.iter().filter(|s| !s.guidance.is_empty()).map(|s| s.id.as_str()).collect();
        assert_eq!(
            with,
            [
                "general_information",
                "cultural_creative_sectors",
                "media_diversity",
                "digital_environment",
                "partnering_civil_society",
                "mobility",
                "flow_goods_services",
                "treaties_agreements",
                "national_sd_policies",
                "international_cooperation_sd",
                "gender_equality",
                "artistic_freedom",
                "cso_measures",
                "transversal"
            ]
        );
        let questions: Vec<&str> =
            framework.questions().filter(|(_, q)| !q.guidance.is_empty()).map(|(_, q)| q.id.as_str()).collect();
        assert_eq!(questions, ["gi_point_of_contact", "g3_intcoop_ifcd", "g3_intcoop_technical_assistance"]);
        let passages = framework
            .sections
            .iter()
            .flat_map(|s| s.guidance.iter().map(move |p| (s.id.as_str(), p)))
            .chain(framework.questions().flat_map(|(_, q)| q.guidance.iter().map(move |p| (q.id.as_str(), p))));
        let mut official_french = Vec::new();
        for (owner, passage) in passages {
            for lang in [Lang::En, Lang::Fr] {
                assert!(passage.text(lang).trim().len() > 40, "{owner}: {lang:?}");
            }
            assert!(passage.source.url.starts_with("http"), "{owner}");
            assert!(!passage.source.document.is_empty() && !passage.source.section.is_empty(), "{owner}");
            // The English is always the official text; the French is qpr's where none was found.
            assert!(!passage.translated_into(Lang::En), "{owner}");
            if !passage.translated_into(Lang::Fr) {
                assert!(passage.source.section.contains("French text as published"), "{owner} names its French");
                official_french.push(owner);
            }
        }
        assert_eq!(
            official_french,
            ["general_information", "international_cooperation_sd", "gender_equality", "gi_point_of_contact"]
        );
        let mobility = &framework.section("mobility").unwrap().guidance;
        assert_eq!(mobility[0].source.url, "https://unesco.tfaforms.net/3");
        assert!(mobility[0].en.starts_with("Parties shall provide information on policies and measures"));
        assert!(mobility[0].fr.contains("coopération Sud-Sud et triangulaire"));
        let media = &framework.section("media_diversity").unwrap().guidance[0];
        assert!(media.en.contains("4.1 Public service media with cultural mandate"));
        assert!(media.fr.contains("4.1 Médias de service public dotés d’un mandat culturel"));
        let gender = &framework.section("gender_equality").unwrap().guidance[0];
        assert!(gender.en.contains("paying due attention to the special circumstances and needs of women"));
        assert!(gender.fr.contains("en tenant dûment compte des conditions et besoins particuliers des femmes"));
        let treaties = &framework.section("treaties_agreements").unwrap().guidance[0];
        assert!(treaties.en.contains("Parties undertake to promote the objectives and principles of this Convention"));
        assert!(treaties.translated_into(Lang::Fr));
        for id in ["challenges_achievements", "annexes", "submission"] {
            assert!(framework.section(id).unwrap().guidance.is_empty(), "no official text found for {id}");
        }
        assert!(framework.guidance_note.as_deref().is_some_and(|n| n.contains("translated")));
    }

    /// A passage missing a language, a source or an address makes the file refused, saying where.
    #[test]
    fn guidance_without_both_languages_or_a_source_is_refused() {
        let mut value: serde_json::Value = serde_json::from_str(QPR_2020_JSON).unwrap();
        let sections = value["sections"].as_array_mut().unwrap();
        let media = sections.iter_mut().find(|s| s["id"] == "media_diversity").unwrap();
        media["guidance"][0]["fr"] = serde_json::json!("  ");
        let error = Framework::from_json(&value.to_string()).unwrap_err().to_string();
        assert!(error.contains("section `media_diversity`, guidance passage 1 has no French text"), "{error}");

        let mut value: serde_json::Value = serde_json::from_str(QPR_2020_JSON).unwrap();
        let sections = value["sections"].as_array_mut().unwrap();
        let mobility = sections.iter_mut().find(|s| s["id"] == "mobility").unwrap();
        mobility["guidance"][1]["en"] = serde_json::json!("");
        mobility["guidance"][1]["source"]["url"] = serde_json::json!("unesco.org");
        mobility["questions"][0]["guidance"] =
            serde_json::json!([{"en": "x", "source": {"document": "", "url": "https://example.org"}}]);
        let error = Framework::from_json(&value.to_string()).unwrap_err().to_string();
        assert!(error.contains("section `mobility`, guidance passage 2 has no English text"), "{error}");
        assert!(error.contains("section `mobility`, guidance passage 2 has no valid source address"), "{error}");
        assert!(error.contains("guidance passage 1 has no French text"), "{error}");
        assert!(error.contains("names no source document"), "{error}");

        // A misspelt key is an error too, not a passage silently without its translation mark.
        let json = QPR_2020_JSON.replacen(r#""translated": "fr""#, r#""translation": "fr""#, 1);
        let error = Framework::from_json(&json).unwrap_err().to_string();
        assert!(error.contains("translation"), "{error}");
    }

    #[test]
    fn the_earlier_versions_load_and_name_their_sources() {
        for (json, id) in [(QPR_2016_JSON, "qpr-2016"), (QPR_2012_JSON, "qpr-2012")] {
            let framework = Framework::from_json(json).expect("valid");
            assert_eq!(framework.id, id);
            assert!(
                framework.source.as_deref().is_some_and(|s| s.contains("Framework for Quadrennial Periodic Reports")),
                "{id}"
            );
            assert!(framework.page.as_ref().is_some_and(|p| !p.title_patterns.is_empty()), "{id}");
            let measure = framework.record_type(crate::MeasureKind::Policy.record_type()).expect("measures");
            let keys: Vec<_> = measure.fields.iter().filter_map(|f| f.key.as_deref()).collect();
            for key in ["title", "objectives", "scope", "nature", "description", "financial_resources"] {
                assert!(keys.contains(&key), "{id} measures lack {key}");
            }
            for (_, question) in framework.questions() {
                assert!(!question.label.fr.is_empty(), "{} has no French label", question.id);
            }
        }
        let ids: Vec<_> = FrameworkRegistry::builtin().ids().map(str::to_owned).collect();
        assert_eq!(ids, ["qpr-2020", "qpr-2016", "qpr-2012"]);
        assert_eq!(Framework::builtin_for_year(2013).id, "qpr-2012");
        assert_eq!(Framework::builtin_for_year(2017).id, "qpr-2016");
        assert_eq!(Framework::builtin_for_year(2022).id, "qpr-2020");
    }

    /// Issue 15: every question of every built-in form has a way to be answered: a select has
    /// options to choose (or the country list), a group has its questions, records a record
    /// type with fields, a table its columns; other types are typed in.
    #[test]
    fn every_question_of_every_framework_can_be_answered() {
        for framework in Framework::builtin_versions() {
            let record_fields = framework.record_types.values().flat_map(|r| r.fields.iter());
            let cso = framework.cso_questions();
            for question in framework.questions().map(|(_, q)| q).chain(record_fields).chain(cso) {
                let what = format!("{} of {}", question.id, framework.id);
                let list_has_options = |list: &str| {
                    list == "parties" || framework.option_lists.get(list).is_some_and(|items| !items.is_empty())
                };
                match question.answer_type {
                    AnswerType::SingleSelect | AnswerType::MultiSelect => {
                        let list = question.options.as_deref().unwrap_or_else(|| panic!("{what} names no option list"));
                        assert!(list_has_options(list), "{what}: option list `{list}` offers nothing to choose");
                    }
                    AnswerType::NestedMultiSelect => {
                        assert!(!question.groups.is_empty(), "{what} has no group");
                        for group in &question.groups {
                            assert!(list_has_options(&group.options), "{what}: group `{}` is empty", group.key);
                        }
                    }
                    AnswerType::Group => assert!(!question.fields.is_empty(), "{what} groups no question"),
                    AnswerType::Records => {
                        let record = question.record.as_deref().and_then(|r| framework.record_type(r));
                        assert!(record.is_some_and(|r| !r.fields.is_empty()), "{what}: no record fields");
                    }
                    AnswerType::Table | AnswerType::FileList => {
                        assert!(!question.columns.is_empty(), "{what} has no column");
                        for column in question.columns.iter().filter_map(|c| c.options.as_deref()) {
                            assert!(list_has_options(column), "{what}: column list `{column}` is empty");
                        }
                    }
                    _ => {}
                }
            }
        }
    }

    /// Issue 15: every list a 2020 question chooses from (its own, a group's of a nested
    /// multi-select, a table column's, a record's table included) ends with "Other (please
    /// specify)", in both languages, so that every question is answerable whatever the list
    /// lacks; the exceptions are the country list, the titles of persons and the Convention's
    /// closed list of cultural domains.
    #[test]
    fn the_lists_of_the_2020_questions_end_with_other_please_specify() {
        let framework = Framework::qpr_2020();
        let record_fields = framework.record_types.values().flat_map(|r| r.fields.iter());
        let mut checked = Vec::new();
        for question in framework.questions().map(|(_, q)| q).chain(record_fields).chain(framework.cso_questions()) {
            let lists = question
                .options
                .iter()
                .map(|l| (l.as_str(), "its own list"))
                .chain(question.groups.iter().map(|g| (g.options.as_str(), "a group")))
                .chain(question.columns.iter().filter_map(|c| c.options.as_deref()).map(|l| (l, "a column")));
            for (list, what) in lists {
                if ["parties", "cultural_domains", "person_titles"].contains(&list) {
                    continue;
                }
                let items = &framework.option_lists[list];
                let last = items.last().filter(|i| i.specify);
                assert!(
                    last.is_some_and(|i| i.en == "Other (please specify)" && i.fr == "Autre (veuillez préciser)"),
                    "{} ({what}, `{list}`): {items:?}",
                    question.id
                );
                checked.push((question.id.as_str(), what));
            }
        }
        for expected in [
            ("g1_ccs_education_training", "a group"),
            ("gi_stakeholders", "a column"),
            ("pm_partners", "a column"),
            ("g2_mobility_funds", "its own list"),
            ("cso_org_type", "its own list"),
        ] {
            assert!(checked.contains(&expected), "{expected:?} not checked: {checked:?}");
        }
        // A second entry is refused, naming the list.
        let twice =
            QPR_2020_JSON.replacen(r#""key": "public_sector","#, r#""key": "public_sector", "specify": true,"#, 1);
        let message = Framework::from_json(&twice).unwrap_err().to_string();
        assert!(message.contains("option list `entity_types` has more than one"), "{message}");
    }

    /// The lists a record's own fields choose from store option keys, which cannot hold the text
    /// typed under "Other (please specify)": the only one, the cultural domains, is the
    /// Convention's closed list and says so; a file giving it an "Other" entry is refused.
    #[test]
    fn the_lists_of_record_fields_are_closed_and_have_no_other() {
        let framework = Framework::qpr_2020();
        let lists: HashSet<&str> = framework
            .record_types
            .values()
            .flat_map(|r| r.fields.iter())
            .flat_map(|f| f.options.iter().map(String::as_str).chain(f.groups.iter().map(|g| g.options.as_str())))
            .collect();
        assert_eq!(lists, HashSet::from(["cultural_domains"]));
        for list in lists {
            assert!(framework.other_entry(list).is_none(), "{list}");
            let info = &framework.option_list_info[list];
            assert_eq!(info["closed"], serde_json::json!(true), "{list}: {info}");
            assert!(info["note"].as_str().is_some_and(|n| n.contains("Convention's seven cultural domains")));
        }
        let broken = QPR_2020_JSON.replacen(r#""key": "design","#, r#""key": "design", "specify": true,"#, 1);
        let message = Framework::from_json(&broken).unwrap_err().to_string();
        assert!(message.contains("option list `cultural_domains` has an “Other (please specify)” entry but a record field chooses from it"), "{message}");
    }

    /// The one rule of "Other (please specify)": a text stored as a choice of a list with that
    /// entry, and none of its options, is the respondent's own answer; a list without the entry
    /// has no such answer (its unknown texts are flagged by validation).
    #[test]
    fn a_text_outside_a_list_with_other_is_its_other_answer() {
        let framework = Framework::qpr_2020();
        assert!(framework.is_other_answer("entity_types", "Academia"));
        assert!(framework.known_choice("entity_types", "Academia"));
        assert!(!framework.is_other_answer("entity_types", "Public Sector"), "an option is no other answer");
        assert!(!framework.is_other_answer("entity_types", "  "), "nothing typed is no answer");
        assert!(framework.is_other_answer("education_domains", "Puppetry"));
        assert!(!framework.is_other_answer("cultural_domains", "Gastronomy"));
        assert!(!framework.known_choice("cultural_domains", "Gastronomy"));
        assert_eq!(framework.other_entry("education_domains").map(|i| i.key.as_str()), Some("other"));
    }

    #[test]
    fn every_question_has_a_french_label() {
        let framework = Framework::qpr_2020();
        for (_, question) in framework.questions() {
            assert!(!question.label.fr.is_empty(), "{} has no French label", question.id);
        }
    }

    #[test]
    fn domain_spellings_resolve_to_one_key() {
        let framework = Framework::qpr_2020();
        for spelling in ["Cinema/ Audiovisual Arts", "Cinema/Audiovisual arts", "cinema/audiovisual ARTS"] {
            assert_eq!(framework.domain_key(spelling), Some("cinema_audiovisual"), "{spelling}");
        }
        assert_eq!(framework.domain_key("Gastronomy"), None);
    }

    #[test]
    fn a_second_version_loads_side_by_side() {
        let mut next: serde_json::Value = serde_json::from_str(QPR_2020_JSON).expect("json");
        next["id"] = "qpr-2027".into();
        next["sections"][1]["questions"][0]["label"]["en"] = "A revised question".into();
        let next = Framework::from_json(&next.to_string()).expect("valid");
        let mut registry = FrameworkRegistry::builtin();
        registry.add(next.clone()).expect("new id");
        assert!(registry.add(next).is_err(), "ids are unique");
        assert_eq!(registry.ids().last(), Some("qpr-2027"));
        let old = registry.get("qpr-2020").expect("old");
        assert_ne!(old.sections[1].questions[0].label.en, "A revised question");
    }

    #[test]
    fn inconsistent_files_are_refused_with_every_problem() {
        let mut broken: serde_json::Value = serde_json::from_str(QPR_2020_JSON).expect("json");
        broken["sections"][1]["questions"][0]["options"] = "no_such_list".into();
        broken["sections"][1]["questions"][1]["id"] = broken["sections"][1]["questions"][2]["id"].clone();
        let error = Framework::from_json(&broken.to_string()).expect_err("inconsistent");
        let message = error.to_string();
        assert!(message.contains("no_such_list"), "{message}");
        assert!(message.contains("used twice"), "{message}");
    }
}
