//! The report page's content as a list of blocks, built from the framework and a document:
//! the published order and labels, every field, `-` where a question has no answer, and
//! records with only their filled fields (as published reports show them).

use qpr_domain::answer::{Answer, Part};
use qpr_domain::document::{CsoMeasure, PolicyMeasure};
use qpr_domain::framework::{AnswerType, Framework, Question, Section};
use qpr_domain::text::Lang;
use qpr_domain::{MeasureKind, ReportDocument};
use serde_json::Value;

/// A value as the page shows it.
#[derive(Debug, Clone, PartialEq)]
pub enum Shown {
    /// No answer: `-`.
    Dash,
    /// One line per item.
    Lines(Vec<String>),
    /// Paragraphs of a long text.
    Paragraphs(Vec<String>),
    /// Options under group headers.
    Groups(Vec<(String, Vec<String>)>),
    /// A table with its header.
    Table {
        /// Column headers.
        header: Vec<String>,
        /// Cells by row; empty cells are empty strings.
        rows: Vec<Vec<String>>,
    },
}

/// A labelled value.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// Question id, used as the element id.
    pub id: String,
    /// Label, without the `:` the page adds.
    pub label: String,
    /// The value; `None` for a group heading, which has none of its own.
    pub value: Option<Shown>,
}

/// A policy/measure or CSO measure.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    /// Stable id, the element id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Filled fields in the framework's order.
    pub fields: Vec<Field>,
    /// Partners (name, type of entity), with the labels of the partner fields.
    pub partners: Vec<(String, String)>,
    /// Label of the partner list, `Name of partner`, `Type of entity`.
    pub partner_labels: (String, String, String),
}

/// One block of the page.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// A goal heading.
    Goal {
        /// Element id.
        id: String,
        /// Heading text.
        heading: String,
    },
    /// A section heading.
    Section {
        /// Element id (the section id).
        id: String,
        /// Heading text.
        heading: String,
        /// Sub-heading, if any (one level below the heading).
        subheading: Option<String>,
        /// Heading level: 2, or 3 for an area of monitoring within a goal.
        level: u8,
    },
    /// A question and its answer.
    Field(Field),
    /// A repeater and its records.
    Records {
        /// Question id.
        id: String,
        /// Label.
        label: String,
        /// Records; empty shows `-`.
        records: Vec<Record>,
        /// Heading level of the record titles: below the section's headings.
        title_level: u8,
    },
}

/// An entry of the table of contents.
#[derive(Debug, Clone, PartialEq)]
pub struct TocEntry {
    /// Anchor.
    pub id: String,
    /// Text.
    pub text: String,
    /// 1 for goals and top sections, 2 for areas within a goal.
    pub level: u8,
}

/// Builds the blocks of a report page.
pub fn blocks(framework: &Framework, document: &ReportDocument, lang: Lang) -> (Vec<Block>, Vec<TocEntry>) {
    let mut blocks = Vec::new();
    let mut toc = Vec::new();
    let mut goal = None;
    for section in &framework.sections {
        if section.goal != goal {
            goal = section.goal;
            if let Some(g) = section.goal.and_then(|n| framework.goal(n)) {
                let id = format!("goal-{}", g.number);
                toc.push(TocEntry { id: id.clone(), text: g.heading.get(lang).to_owned(), level: 1 });
                blocks.push(Block::Goal { id, heading: g.heading.get(lang).to_owned() });
            }
        }
        toc.push(TocEntry {
            id: section.id.clone(),
            text: section.heading.get(lang).to_owned(),
            level: if section.goal.is_some() { 2 } else { 1 },
        });
        let level = if section.goal.is_some() { 3 } else { 2 };
        let subheading = section.subheading.as_ref().map(|s| s.get(lang).to_owned());
        let title_level = level + 1 + u8::from(subheading.is_some());
        blocks.push(Block::Section {
            id: section.id.clone(),
            heading: section.heading.get(lang).to_owned(),
            subheading,
            level,
        });
        for question in &section.questions {
            section_question(framework, section, question, document, lang, title_level, &mut blocks);
        }
    }
    (blocks, toc)
}

fn section_question(
    framework: &Framework,
    section: &Section,
    question: &Question,
    document: &ReportDocument,
    lang: Lang,
    title_level: u8,
    blocks: &mut Vec<Block>,
) {
    let label = question.label.get(lang).to_owned();
    match question.answer_type {
        AnswerType::Records => {
            let records = match (question.goal, section.area.as_deref()) {
                (Some(goal), _) => {
                    document.cso_measures_of_goal(goal).map(|m| cso_record(framework, m, lang)).collect()
                }
                (None, Some(area)) => {
                    document.measures_in_area(area).map(|m| policy_record(framework, m, lang)).collect()
                }
                (None, None) => Vec::new(),
            };
            blocks.push(Block::Records { id: question.id.clone(), label, records, title_level });
        }
        AnswerType::Group => {
            blocks.push(Block::Field(Field { id: question.id.clone(), label, value: None }));
            for field in &question.fields {
                section_question(framework, section, field, document, lang, title_level, blocks);
            }
        }
        // The published page never shows the signature itself.
        AnswerType::Signature => blocks.push(Block::Field(Field { id: question.id.clone(), label, value: None })),
        _ => {
            let value = document.answer(&question.id).map_or(Shown::Dash, |v| shown(framework, question, v, lang));
            blocks.push(Block::Field(Field { id: question.id.clone(), label, value: Some(value) }));
        }
    }
}

/// How an answer of a question's type is shown. A value that does not have its type's shape
/// (see [`qpr_domain::answer`]) is shown as stored, one line per item.
pub fn shown(framework: &Framework, question: &Question, value: &Value, lang: Lang) -> Shown {
    let options =
        |items: &[String], list: Option<&str>| items.iter().map(|s| option_text(framework, list, s, lang)).collect();
    let lines = |text: &str| Shown::Lines(text.lines().map(str::to_owned).collect());
    let answer = match Answer::read(question.answer_type, value) {
        Ok(answer) => answer,
        Err(_) if question.answer_type == AnswerType::YesNo => return Shown::Lines(vec![yes_no(None, lang)]),
        Err(_) => {
            let text = |v: &Value| v.as_str().map_or_else(|| v.to_string(), str::to_owned);
            return match value.as_array() {
                Some(items) => Shown::Lines(items.iter().map(text).collect()),
                None => lines(&text(value)),
            };
        }
    };
    match &answer {
        Answer::YesNo(yes) => Shown::Lines(vec![yes_no(Some(*yes), lang)]),
        Answer::FreeText(text) => Shown::Paragraphs(text.split("\n\n").map(str::to_owned).collect()),
        Answer::MultiSelect(items) | Answer::TextList(items) | Answer::Address(items) => {
            Shown::Lines(options(items, question.options.as_deref()))
        }
        Answer::EmailList(items) => Shown::Lines(vec![items.join("; ")]),
        Answer::NestedMultiSelect(groups) => Shown::Groups(
            question
                .groups
                .iter()
                .filter_map(|group| {
                    let (_, items) = groups.iter().find(|(key, _)| key == &group.key)?;
                    Some((group.label.get(lang).to_owned(), options(items, Some(&group.options))))
                })
                .collect(),
        ),
        Answer::PercentWithYear(_) | Answer::AmountUsdWithYear(_) | Answer::AmountUsd(_) => {
            let (shown, year) = statistic(question.answer_type, value);
            Shown::Lines(std::iter::once(shown).chain(year).collect())
        }
        Answer::Table(rows) => Shown::Table {
            header: question.columns.iter().map(|c| c.label.get(lang).to_owned()).collect(),
            rows: rows
                .iter()
                .map(|row| question.columns.iter().map(|c| cell_text(row.get(&c.key))).collect())
                .collect(),
        },
        Answer::FileList(rows) => Shown::Lines(rows.iter().map(|row| Value::Object(row.clone()).to_string()).collect()),
        Answer::SingleSelect(text) => {
            Shown::Lines(vec![option_text(framework, question.options.as_deref(), text, lang)])
        }
        Answer::ShortText(text)
        | Answer::Date(text)
        | Answer::Signature(text)
        | Answer::Email(text)
        | Answer::Url(text) => lines(text),
        Answer::Rating1To4(rating) => Shown::Lines(vec![rating.to_string()]),
    }
}

/// A table cell as shown: its text, a number or flag as stored, nothing for no answer.
fn cell_text(cell: Option<&Value>) -> String {
    match cell {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(text)) => text.clone(),
        Some(other) => other.to_string(),
    }
}

/// A statistic (a percentage or an amount, with its year or not) as published: the value and
/// the year the data is from. Anything else shows as nothing.
pub fn statistic(answer_type: AnswerType, value: &Value) -> (String, Option<String>) {
    match Answer::read(answer_type, value) {
        Ok(Answer::PercentWithYear(figure)) => {
            let shown = figure
                .percent_value()
                .map_or_else(|| figure.shown(Part::Raw).unwrap_or_default(), |p| format!("{p:.2}%"));
            (shown, figure.shown(Part::Year))
        }
        Ok(Answer::AmountUsdWithYear(figure) | Answer::AmountUsd(figure)) => {
            (figure.shown(Part::Raw).unwrap_or_default(), figure.shown(Part::Year))
        }
        _ => (String::new(), None),
    }
}

/// In English an option shows as written; in French, its French text when the option is known.
/// A value stored as the option's key (records store keys: `design`) shows the option's text
/// in either language, never the key.
fn option_text(framework: &Framework, list: Option<&str>, raw: &str, lang: Lang) -> String {
    let Some(option) = list.and_then(|list| framework.resolve_option(list, raw)) else { return raw.to_owned() };
    match lang {
        Lang::Fr if !option.fr.is_empty() => option.fr.clone(),
        _ if option.key == raw && !option.en.is_empty() => option.en.clone(),
        _ => raw.to_owned(),
    }
}

fn yes_no(value: Option<bool>, lang: Lang) -> String {
    match (value, lang) {
        (Some(true), Lang::En) => "YES",
        (Some(false), Lang::En) => "NO",
        (Some(true), Lang::Fr) => "OUI",
        (Some(false), Lang::Fr) => "NON",
        (None, _) => "-",
    }
    .to_owned()
}

/// A cultural domain's name in `lang` (its key when the framework does not know it).
pub fn domain_text(framework: &Framework, key: &str, lang: Lang) -> String {
    framework.option_by_key("cultural_domains", key).map_or_else(
        || key.to_owned(),
        |o| if lang == Lang::Fr && !o.fr.is_empty() { o.fr.clone() } else { o.en.clone() },
    )
}

/// The labelled fields of a record, in the record type's order, leaving out empty ones.
fn record_fields(framework: &Framework, record_type: &str, values: &[(&str, Option<Shown>)], lang: Lang) -> Vec<Field> {
    let Some(record_type) = framework.record_type(record_type) else { return Vec::new() };
    record_type
        .fields
        .iter()
        .filter(|f| !f.unlabelled && f.answer_type != AnswerType::Table)
        .filter_map(|field| {
            let key = field.key.as_deref()?;
            let value = values.iter().find(|(k, _)| *k == key)?.1.clone()?;
            Some(Field { id: field.id.clone(), label: field.label.get(lang).to_owned(), value: Some(value) })
        })
        .collect()
}

fn partner_labels(framework: &Framework, lang: Lang) -> (String, String, String) {
    let table = framework
        .record_type(MeasureKind::Policy.record_type())
        .and_then(|r| r.fields.iter().find(|f| f.answer_type == AnswerType::Table));
    let label =
        |i: usize| table.and_then(|t| t.columns.get(i)).map(|c| c.label.get(lang).to_owned()).unwrap_or_default();
    (table.map(|t| t.label.get(lang).to_owned()).unwrap_or_default(), label(0), label(1))
}

fn non_empty_lines(items: &[String]) -> Option<Shown> {
    (!items.is_empty()).then(|| Shown::Lines(items.to_vec()))
}

fn paragraphs(text: Option<&String>) -> Option<Shown> {
    text.filter(|t| !t.is_empty()).map(|t| Shown::Paragraphs(t.split("\n\n").map(str::to_owned).collect()))
}

fn flag(value: Option<bool>, lang: Lang) -> Option<Shown> {
    value.map(|v| Shown::Lines(vec![yes_no(Some(v), lang)]))
}

fn policy_record(framework: &Framework, m: &PolicyMeasure, lang: Lang) -> Record {
    let domains: Vec<String> = m.domains.iter().map(|d| domain_text(framework, d, lang)).collect();
    let description = (!m.description.is_empty()).then(|| m.description.clone());
    let values = [
        ("agencies", non_empty_lines(&m.agencies)),
        ("domains", non_empty_lines(&domains)),
        ("description", paragraphs(description.as_ref())),
        ("targets_youth", flag(m.targets_youth, lang)),
        ("ifcd_support", flag(m.ifcd_support, lang)),
        ("results", paragraphs(m.results.as_ref())),
        (
            "financial_resources",
            m.financial_resources.as_ref().map(|a| Shown::Paragraphs(a.raw.split("\n\n").map(str::to_owned).collect())),
        ),
        ("evaluated", flag(m.evaluated, lang)),
        ("evaluation_conclusions", paragraphs(m.evaluation_conclusions.as_ref())),
    ];
    Record {
        id: m.id.clone(),
        title: m.title.clone(),
        fields: record_fields(framework, MeasureKind::Policy.record_type(), &values, lang),
        partners: m.partners.iter().map(|p| (p.name.clone(), p.entity_type.clone().unwrap_or_default())).collect(),
        partner_labels: partner_labels(framework, lang),
    }
}

fn cso_record(framework: &Framework, m: &CsoMeasure, lang: Lang) -> Record {
    let domains: Vec<String> = m.domains.iter().map(|d| domain_text(framework, d, lang)).collect();
    let description = (!m.description.is_empty()).then(|| m.description.clone());
    let values = [
        ("organizations", non_empty_lines(&m.organizations)),
        ("domains", non_empty_lines(&domains)),
        ("description", paragraphs(description.as_ref())),
        ("targets_youth", flag(m.targets_youth, lang)),
        ("ifcd_funding", flag(m.ifcd_funding, lang)),
        ("results", paragraphs(m.results.as_ref())),
    ];
    Record {
        id: m.id.clone(),
        title: m.title.clone(),
        fields: record_fields(framework, MeasureKind::Cso.record_type(), &values, lang),
        partners: Vec::new(),
        partner_labels: partner_labels(framework, lang),
    }
}

/// One measure of a report, with where it sits in the report: the page of a measure.
#[derive(Debug, Clone, PartialEq)]
pub struct MeasureView {
    /// The measure as the report page shows it.
    pub record: Record,
    /// Whether civil society organizations reported it (through the CSO form).
    pub by_cso: bool,
    /// The heading of its goal.
    pub goal: Option<String>,
    /// The heading of its area of monitoring (policies and measures of the Party).
    pub area: Option<String>,
}

/// The measure `id` of a report, if the report has it.
pub fn measure(framework: &Framework, document: &ReportDocument, id: &str, lang: Lang) -> Option<MeasureView> {
    let goal_heading = |number: u8| framework.goal(number).map(|g| g.heading.get(lang).to_owned());
    if let Some(m) = document.policy_measures.iter().find(|m| m.id == id) {
        let section = framework.area_section(&m.area);
        return Some(MeasureView {
            record: policy_record(framework, m, lang),
            by_cso: false,
            goal: section.and_then(|s| s.goal).and_then(goal_heading),
            area: Some(section.map_or_else(|| m.area.clone(), |s| s.heading.get(lang).to_owned())),
        });
    }
    let m = document.cso_measures.iter().find(|m| m.id == id)?;
    Some(MeasureView { record: cso_record(framework, m, lang), by_cso: true, goal: goal_heading(m.goal), area: None })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_option_stored_as_its_key_shows_its_text_in_either_language() {
        let framework = Framework::qpr_2020();
        let list = Some("cultural_domains");
        assert_eq!(option_text(framework, list, "design", Lang::En), "Design");
        assert_eq!(option_text(framework, list, "performing_arts", Lang::En), "Performing Arts");
        assert_eq!(option_text(framework, list, "performing_arts", Lang::Fr), "Arts de la scène");
        // Text as published stays as written in English; unknown values stay as they are.
        assert_eq!(option_text(framework, list, "Performing arts", Lang::En), "Performing arts");
        assert_eq!(option_text(framework, list, "Puppetry", Lang::En), "Puppetry");
        assert_eq!(option_text(framework, None, "design", Lang::En), "design");
    }

    /// Issue 15: the text typed under “Other (please specify)” in a group or a table cell is
    /// the answer the public page (and the PDF and CSV, which show the same) shows, in either
    /// language, beside the options shown in the page's language.
    #[test]
    fn other_answers_of_groups_and_table_cells_show_as_typed() {
        let framework = Framework::qpr_2020();
        let education = framework.question("g1_ccs_education_training").unwrap();
        let value = serde_json::json!({"tvet": ["Music", "Puppetry"]});
        let Shown::Groups(groups) = shown(framework, education, &value, Lang::Fr) else { panic!("groups") };
        assert_eq!(groups[0].1, ["Musique", "Puppetry"]);
        let stakeholders = framework.question("gi_stakeholders").unwrap();
        let value = serde_json::json!([{"organization_type": "Academia", "organization": "University of Baku"}]);
        let Shown::Table { rows, .. } = shown(framework, stakeholders, &value, Lang::En) else { panic!("a table") };
        assert_eq!(rows[0][..2], ["Academia", "University of Baku"]);
    }
}
