//! What an editing page shows: every field of a section as form controls with its current
//! value, label, hints, findings and visibility, built from the framework and the data.
//! `qpr-web`'s `templates/editor/section_fields.html` renders it.

use std::collections::HashMap;

use qpr_domain::framework::{AnswerType, GuidancePassage, Question, Section};
use qpr_domain::validate::{Finding, SectionCompleteness, Severity, is_answered};
use serde_json::Value;

pub use super::widgets::{
    ActionButton, CellView, Choice, ChoiceGroup, Input, InputKind, ListItem, OtherText, RowView, SelectOption, Widget,
};

use super::codec::{self, Context, control_id};
use super::model::{Field, Node, Walker};
use super::{FormError, Words};

/// The fields of one editing page (one section of the report, or the whole CSO form).
#[derive(Debug, Clone)]
pub struct SectionView {
    /// Language tag of the texts.
    pub lang: &'static str,
    /// Share of the applicable questions answered, 0 to 100.
    pub completeness: u8,
    /// Applicable questions that have an answer.
    pub answered: usize,
    /// Questions that apply.
    pub applicable: usize,
    /// The blocks of the page: one per section shown (a heading each when there are several).
    pub blocks: Vec<Block>,
    /// Errors of the page, each linking to its field (shown above the fields).
    pub summary: Vec<SummaryEntry>,
    /// Fixed texts of the page, in its language.
    pub texts: Texts,
    /// The words the page was built with (for [`SectionView::keep_posted`]).
    words: Words,
}

/// A section on the page.
#[derive(Debug, Clone)]
pub struct Block {
    /// Heading, when the page shows several sections.
    pub heading: Option<String>,
    /// Level of the headings of its record lists: 2, or 3 under a block heading.
    pub records_level: u8,
    /// Element id of the heading.
    pub id: String,
    /// The official guidance of the section, shown on demand (empty: none).
    pub guidance: Vec<PassageView>,
    /// Its questions.
    pub items: Vec<Item>,
}

/// A question, a group of questions or a list of records.
#[derive(Debug, Clone)]
pub enum Item {
    /// One question.
    Field(Box<FieldView>),
    /// Questions under one label.
    Group(GroupView),
    /// Repeated records.
    Records(RecordsView),
}

/// Questions under one label (a fieldset).
#[derive(Debug, Clone)]
pub struct GroupView {
    /// Element id.
    pub id: String,
    /// Label of the group.
    pub legend: String,
    /// The official guidance of the group's question, shown on demand.
    pub guidance: Vec<PassageView>,
    /// Its questions.
    pub fields: Vec<FieldView>,
}

/// A list of records (policies and measures of an area, CSO measures of a goal).
#[derive(Debug, Clone)]
pub struct RecordsView {
    /// Element id.
    pub id: String,
    /// Label of the list.
    pub heading: String,
    /// The official guidance of the records question, shown on demand.
    pub guidance: Vec<PassageView>,
    /// The records, in order.
    pub records: Vec<RecordView>,
    /// Shown when there is no record yet.
    pub empty: String,
    /// The button that adds a record.
    pub add: ActionButton,
}

/// One record.
#[derive(Debug, Clone)]
pub struct RecordView {
    /// Element id (`rec-<record id>`), the target of the page after an add.
    pub id: String,
    /// Record id.
    pub record_id: String,
    /// Heading: the record's title, or its type and number while it has none.
    pub legend: String,
    /// Findings about the record as a whole.
    pub findings: Vec<FindingView>,
    /// Its fields.
    pub fields: Vec<FieldView>,
    /// Move up, move down, remove.
    pub actions: Vec<ActionButton>,
    /// Share of the record's applicable fields answered, 0 to 100.
    pub completeness: u8,
    /// `N% complete`, in the page's language.
    pub completeness_text: String,
    /// The record is shown open; the others of its list are collapsed to their title, so a page
    /// of many measures stays short. At most one record of a page is open.
    pub open: bool,
}

/// One question with its controls.
#[derive(Debug, Clone)]
pub struct FieldView {
    /// Form name of the field (`a.<question id>`, `r.<record type>.<record id>.<key>`);
    /// controls of several parts are named `<name>.<part>`.
    pub name: String,
    /// Element id of the field's wrapper.
    pub id: String,
    /// Path of the value as validation names it (`answers.x`, `policy_measures[3].title`), so
    /// the script can place the findings of an autosave (`data-path`).
    pub path: String,
    /// Element id of the first control, for links to the field.
    pub target: String,
    /// Label in the page's language.
    pub label: String,
    /// How to answer, when the type needs saying.
    pub help: Option<String>,
    /// The official guidance of the question (what is asked, examples, length), shown on
    /// demand.
    pub guidance: Vec<PassageView>,
    /// The form expects an answer.
    pub required: bool,
    /// Errors and warnings about this field.
    pub findings: Vec<FindingView>,
    /// Element ids describing every control (help and findings), for `aria-describedby`.
    pub described_by: String,
    /// The question does not apply given the current answers (rendered `hidden`).
    pub hidden: bool,
    /// `(name, value)`: the field applies when the control `name` holds `value`
    /// (`data-show-if` / `data-show-value`, for the script that toggles it live).
    pub show_if: Option<(String, String)>,
    /// The controls.
    pub widget: Widget,
}

/// A passage of official guidance as the page shows it, in the page's language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PassageView {
    /// Paragraphs, each a list of lines.
    pub paragraphs: Vec<Vec<String>>,
    /// Says the text is qpr's translation, when it is in this language.
    pub translation_note: Option<String>,
    /// The document it is quoted from (in English, as the source names itself).
    pub document: String,
    /// The part of the document.
    pub part: String,
    /// The address of the document.
    pub url: String,
}

/// A finding as the page shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FindingView {
    /// `true` for an error (blocks submission), `false` for a warning.
    pub error: bool,
    /// `Error` / `Warning` in the page's language.
    pub kind: String,
    /// What is wrong, in plain words.
    pub message: String,
}

/// An error of the page, linking to its field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SummaryEntry {
    /// Element id of the control.
    pub target: String,
    /// Label of the field.
    pub label: String,
    /// What is wrong.
    pub message: String,
}

/// Fixed texts of an editing page.
#[derive(Debug, Clone)]
pub struct Texts {
    /// Marker of a required field.
    pub required: String,
    /// Heading of the error summary.
    pub summary_heading: String,
    /// `Complete: N%`.
    pub completeness: String,
    /// Label of the hidden default button (Enter in a text field saves).
    pub save: String,
    /// What opens a collapsed record (`Edit`).
    pub edit_record: String,
    /// Summary of the official guidance of a question or section (`Guidance`).
    pub guidance: String,
    /// What names a passage's source (`Source:`).
    pub guidance_source: String,
    /// Texts of `editor.js`, as `data-<name>` attributes of `#save-state`.
    pub script: Vec<(&'static str, String)>,
}

impl SectionView {
    /// What a browser posts for this page as shown (the `a.`/`r.` pairs, in page order):
    /// the value of every text control and select, each checked radio and checkbox, and the
    /// empty marker of each group of checkboxes.
    pub fn form_pairs(&self) -> Vec<(String, String)> {
        let mut pairs = Vec::new();
        let text =
            |pairs: &mut Vec<(String, String)>, input: &Input| pairs.push((input.name.clone(), input.value.clone()));
        let checked = |pairs: &mut Vec<(String, String)>, choices: &[Choice]| {
            pairs.extend(choices.iter().filter(|c| c.checked).map(|c| (c.name.clone(), c.value.clone())));
        };
        // Checkbox groups post an empty marker (see the template), so "none checked" is said.
        let marked = |pairs: &mut Vec<(String, String)>, choices: &[Choice]| {
            if let Some(first) = choices.first() {
                pairs.push((first.name.clone(), String::new()));
            }
            checked(pairs, choices);
        };
        for field in self.fields() {
            let mut widgets = vec![&field.widget];
            while let Some(widget) = widgets.pop() {
                match widget {
                    Widget::Single(input) => text(&mut pairs, input),
                    Widget::Parts { parts, .. } => parts.iter().for_each(|p| text(&mut pairs, p)),
                    Widget::List { items, .. } => items.iter().for_each(|i| text(&mut pairs, &i.input)),
                    Widget::Table { rows, .. } => {
                        for cell in rows.iter().flat_map(|r| r.cells.iter()) {
                            text(&mut pairs, &cell.input);
                            if let Some(other) = &cell.other {
                                text(&mut pairs, &other.input);
                            }
                        }
                    }
                    Widget::Radios(choices) => checked(&mut pairs, choices),
                    Widget::Checkboxes(choices) => marked(&mut pairs, choices),
                    Widget::Groups(groups) => {
                        for group in groups {
                            marked(&mut pairs, &group.options);
                            if let Some(other) = &group.other {
                                text(&mut pairs, &other.input);
                            }
                        }
                    }
                    Widget::WithOther { choices, other, .. } => {
                        text(&mut pairs, other);
                        widgets.push(choices);
                    }
                    Widget::ReadOnly(_) => {}
                }
            }
        }
        pairs
    }

    /// Shows a refused post again: every control holds what was posted (so nothing typed is
    /// lost), and each error of `error` is shown at its field and in the summary.
    pub fn keep_posted(&mut self, pairs: &[(String, String)], error: &FormError) {
        let mut posted: HashMap<&str, Vec<&str>> = HashMap::new();
        for (name, value) in pairs {
            posted.entry(name.as_str()).or_default().push(value.as_str());
        }
        let words = self.words;
        let mut summary = Vec::new();
        for field in self.fields_mut() {
            overlay(&mut field.widget, &posted);
            for problem in
                error.errors.iter().filter(|e| e.name == field.name || e.name.starts_with(&format!("{}.", field.name)))
            {
                let message = problem.message(words);
                field
                    .findings
                    .insert(0, FindingView { error: true, kind: words.t("editor-error"), message: message.clone() });
                summary.push(SummaryEntry { target: field.target.clone(), label: field.label.clone(), message });
            }
            field.described_by = described_by(field);
        }
        // The first record holding a refused value is opened, so the person sees what to fix.
        let refused = summary.first().map(|entry| entry.target.clone());
        if let Some(target) = refused {
            self.open_record_at(&target);
        }
        summary.append(&mut self.summary);
        self.summary = summary;
        // Errors that name no field of the page (a stale form) are still said.
        for problem in &error.errors {
            if !self.summary.iter().any(|s| s.message == problem.message(words)) {
                self.summary.push(SummaryEntry {
                    target: String::new(),
                    label: String::new(),
                    message: problem.message(words),
                });
            }
        }
    }

    /// Opens the record that `element` (an element id: the record's own, or one of its fields',
    /// as an action's focus names it) belongs to, and collapses every other record. An id
    /// outside any record changes nothing. Returns whether a record was opened.
    pub fn open_record_at(&mut self, element: &str) -> bool {
        let belongs = |record: &RecordView| {
            record.id == element
                || record.fields.iter().any(|f| f.id == element || f.target == element || f.name == element)
        };
        if !self.records().any(belongs) {
            return false;
        }
        let mut found = false;
        for record in self.records_mut() {
            record.open = !found && belongs(record);
            found |= record.open;
        }
        true
    }

    /// Every record of the page, in order.
    pub fn records(&self) -> impl Iterator<Item = &RecordView> {
        self.blocks.iter().flat_map(|b| b.items.iter()).flat_map(|item| match item {
            Item::Records(list) => list.records.iter(),
            _ => [].iter(),
        })
    }

    fn records_mut(&mut self) -> impl Iterator<Item = &mut RecordView> {
        self.blocks.iter_mut().flat_map(|b| b.items.iter_mut()).flat_map(|item| match item {
            Item::Records(list) => list.records.iter_mut(),
            _ => [].iter_mut(),
        })
    }

    /// Every field of the page, in order (records' fields included).
    pub fn fields(&self) -> impl Iterator<Item = &FieldView> {
        self.blocks.iter().flat_map(|b| b.items.iter()).flat_map(|item| -> Box<dyn Iterator<Item = &FieldView>> {
            match item {
                Item::Field(field) => Box::new(std::iter::once(&**field)),
                Item::Group(group) => Box::new(group.fields.iter()),
                Item::Records(records) => Box::new(records.records.iter().flat_map(|r| r.fields.iter())),
            }
        })
    }

    fn fields_mut(&mut self) -> impl Iterator<Item = &mut FieldView> {
        self.blocks.iter_mut().flat_map(|b| b.items.iter_mut()).flat_map(
            |item| -> Box<dyn Iterator<Item = &mut FieldView>> {
                match item {
                    Item::Field(field) => Box::new(std::iter::once(&mut **field)),
                    Item::Group(group) => Box::new(group.fields.iter_mut()),
                    Item::Records(records) => Box::new(records.records.iter_mut().flat_map(|r| r.fields.iter_mut())),
                }
            },
        )
    }
}

fn overlay(widget: &mut Widget, posted: &HashMap<&str, Vec<&str>>) {
    let text = |input: &mut Input| {
        if let Some(value) = posted.get(input.name.as_str()).and_then(|v| v.first()) {
            (*value).clone_into(&mut input.value);
            for option in &mut input.options {
                option.selected = option.value == *value;
            }
        }
    };
    let checks = |choices: &mut [Choice]| {
        let Some(name) = choices.first().map(|c| c.name.clone()) else { return };
        let values = posted.get(name.as_str()).map(Vec::as_slice).unwrap_or_default();
        for choice in choices {
            choice.checked = values.contains(&choice.value.as_str());
        }
    };
    match widget {
        Widget::Single(input) => text(input),
        Widget::Parts { parts, .. } => parts.iter_mut().for_each(text),
        Widget::List { items, .. } => items.iter_mut().for_each(|i| text(&mut i.input)),
        Widget::Table { rows, .. } => {
            for cell in rows.iter_mut().flat_map(|r| r.cells.iter_mut()) {
                text(&mut cell.input);
                if let Some(other) = &mut cell.other {
                    text(&mut other.input);
                }
            }
        }
        Widget::Radios(choices) | Widget::Checkboxes(choices) => checks(choices),
        Widget::Groups(groups) => {
            for group in groups {
                checks(&mut group.options);
                if let Some(other) = &mut group.other {
                    text(&mut other.input);
                }
            }
        }
        Widget::WithOther { choices, other, .. } => {
            text(other);
            overlay(choices, posted);
        }
        Widget::ReadOnly(_) => {}
    }
}

fn described_by(field: &FieldView) -> String {
    let mut ids = Vec::with_capacity(2);
    if field.help.is_some() {
        ids.push(format!("{}-help", field.id));
    }
    if !field.findings.is_empty() {
        ids.push(format!("{}-findings", field.id));
    }
    ids.join(" ")
}

/// Builds the view of `sections` over `state`. `findings` are validation findings with
/// paths into `state` (`answers.x`, `<array>[i].key`); `completeness` is (answered,
/// applicable) when the caller counts it, else it is counted here.
pub(crate) fn build(
    walker: &Walker<'_>,
    sections: &[&Section],
    state: &Value,
    findings: &[Finding],
    completeness: Option<(usize, usize)>,
    words: Words,
) -> SectionView {
    let cx = Context { framework: walker.framework, words };
    let mut builder = Builder { cx: &cx, state, findings, counted: (0, 0), summary: Vec::new() };
    let several = sections.len() > 1;
    let blocks: Vec<Block> = sections
        .iter()
        .map(|section| Block {
            heading: several.then(|| section.heading.get(words.lang).to_owned()),
            records_level: if several { 3 } else { 2 },
            id: format!("s-{}", section.id),
            guidance: passages(&section.guidance, &words),
            items: walker.nodes(section, state).iter().map(|node| builder.item(node)).collect(),
        })
        .collect();
    let mut blocks = blocks;
    // A page with a single record shows it open; with several, each is collapsed to its title
    // until opened (`SectionView::open_record_at`).
    let mut records = blocks.iter_mut().flat_map(|b| b.items.iter_mut()).flat_map(|item| match item {
        Item::Records(list) => list.records.iter_mut(),
        _ => [].iter_mut(),
    });
    if let (Some(only), None) = (records.next(), records.next()) {
        only.open = true;
    }
    let (answered, applicable) = completeness.unwrap_or(builder.counted);
    let percent = SectionCompleteness { section: String::new(), answered, applicable }.percent();
    let w = &cx.words;
    SectionView {
        words: *w,
        lang: w.lang.tag(),
        completeness: percent,
        answered,
        applicable,
        blocks,
        summary: builder.summary,
        texts: Texts {
            required: w.t("editor-required"),
            summary_heading: w.t("editor-summary-heading"),
            completeness: w.tn("editor-completeness", "percent", usize::from(percent)),
            save: w.t("editor-save"),
            edit_record: w.t("editor-edit-record"),
            guidance: w.t("editor-guidance"),
            guidance_source: w.t("editor-guidance-source"),
            script: [
                ("saving", "editor-js-saving"),
                ("saved", "editor-js-saved"),
                ("offline", "editor-js-offline"),
                ("conflict", "editor-js-conflict"),
                ("invalid", "editor-js-invalid"),
                ("expired", "editor-js-expired"),
                ("restore", "editor-js-restore"),
                ("restore-yes", "editor-js-restore-yes"),
                ("restore-no", "editor-js-restore-no"),
                ("yours", "editor-js-yours"),
                ("theirs", "editor-js-theirs"),
                ("resolve", "editor-js-resolve"),
            ]
            .into_iter()
            .map(|(name, id)| (name, w.t(id)))
            .collect(),
        },
    }
}

/// The official guidance of a question in the page's language, if the framework gives one.
fn guidance(question: &Question, words: &Words) -> Vec<PassageView> {
    passages(&question.guidance, words)
}

/// Passages of guidance in the page's language: paragraphs at blank lines, lines at line
/// breaks; a translation by qpr says so.
fn passages(guidance: &[GuidancePassage], words: &Words) -> Vec<PassageView> {
    guidance
        .iter()
        .map(|passage| PassageView {
            paragraphs: passage
                .text(words.lang)
                .split("\n\n")
                .map(|paragraph| {
                    paragraph.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_owned).collect()
                })
                .filter(|lines: &Vec<String>| !lines.is_empty())
                .collect(),
            translation_note: passage.translated_into(words.lang).then(|| words.t("editor-guidance-translated")),
            document: passage.source.document.clone(),
            part: passage.source.section.clone(),
            url: passage.source.url.clone(),
        })
        .collect()
}

/// Whether a finding's path is `path` or lies inside it (`path.key`, `path[i]`).
fn within(finding: &str, path: &str) -> bool {
    finding.strip_prefix(path).is_some_and(|rest| rest.is_empty() || rest.starts_with(['.', '[']))
}

struct Builder<'c, 'a> {
    cx: &'c Context<'a>,
    state: &'c Value,
    findings: &'c [Finding],
    /// (answered, applicable), counted as `validate::completeness` counts.
    counted: (usize, usize),
    summary: Vec<SummaryEntry>,
}

impl Builder<'_, '_> {
    fn item(&mut self, node: &Node<'_>) -> Item {
        let w = self.cx.words;
        match node {
            Node::Field(field) => {
                self.count(field);
                Item::Field(Box::new(self.field(field)))
            }
            Node::Group { question, fields } => {
                fields.iter().for_each(|field| self.count(field));
                Item::Group(GroupView {
                    id: control_id(&format!("a.{}", question.id)),
                    legend: question.label.get(w.lang).to_owned(),
                    guidance: guidance(question, &w),
                    fields: fields.iter().map(|f| self.field(f)).collect(),
                })
            }
            Node::Records(records) => {
                self.counted.1 += 1;
                self.counted.0 += usize::from(!records.items.is_empty());
                let type_label = records.record_type.label.get(w.lang);
                let count = records.items.len();
                let views = records
                    .items
                    .iter()
                    .enumerate()
                    .map(|(n, item)| {
                        let title = item
                            .fields
                            .iter()
                            .find(|f| f.question.unlabelled)
                            .and_then(|f| f.value(self.state))
                            .and_then(Value::as_str);
                        let legend = match title.map(str::trim) {
                            Some(title) if !title.is_empty() => title.to_owned(),
                            _ => format!("{type_label} {}", n + 1),
                        };
                        // A record just added, nothing typed in it yet, does not shout what it
                        // lacks (no title, no agency): its findings show once something is typed,
                        // and the submit page lists them whatever.
                        let all_findings = self.findings;
                        let blank = item.fields.iter().all(|f| f.value(self.state).is_none_or(|v| !is_answered(v)));
                        if blank {
                            self.findings = &[];
                        }
                        let fields: Vec<FieldView> = item.fields.iter().map(|f| self.field(f)).collect();
                        let counted = item.fields.iter().filter(|f| self.counts(f));
                        let (answered, applicable) = counted.fold((0, 0), |(answered, applicable), f| {
                            (answered + usize::from(f.value(self.state).is_some_and(is_answered)), applicable + 1)
                        });
                        let completeness =
                            SectionCompleteness { section: String::new(), answered, applicable }.percent();
                        // Findings about the record that no field of it shows (its area, say).
                        let record_path = format!("{}[{}]", records.array, item.index);
                        let findings: Vec<FindingView> = self
                            .findings
                            .iter()
                            .filter(|f| {
                                within(&f.path, &record_path)
                                    && !item.fields.iter().any(|field| within(&f.path, &field.doc_path))
                            })
                            .map(|f| {
                                self.finding(f, fields.first().map(|f| f.target.as_str()).unwrap_or_default(), &legend)
                            })
                            .collect();
                        self.findings = all_findings;
                        RecordView {
                            id: format!("rec-{}", item.id.replace(char::is_whitespace, "_")),
                            record_id: item.id.clone(),
                            findings,
                            actions: codec::item_actions(&w, &records.name, &item.id, &format!("“{legend}”"), n, count),
                            fields,
                            legend,
                            completeness,
                            completeness_text: w.tn("editor-completeness", "percent", usize::from(completeness)),
                            open: false,
                        }
                    })
                    .collect();
                Item::Records(RecordsView {
                    id: control_id(&records.name),
                    heading: records.question.label.get(w.lang).to_owned(),
                    guidance: guidance(records.question, &w),
                    records: views,
                    empty: w.ts("editor-no-records", "type", type_label),
                    add: ActionButton {
                        value: format!("add:{}", records.name),
                        text: w.ts("editor-add-record", "type", type_label),
                    },
                })
            }
        }
    }

    /// Counts a question for completeness as `validate::completeness` does.
    fn count(&mut self, field: &Field<'_>) {
        if !self.counts(field) {
            return;
        }
        self.counted.1 += 1;
        self.counted.0 += usize::from(field.value(self.state).is_some_and(is_answered));
    }

    /// Whether a question counts for completeness: it applies and is no signature.
    fn counts(&self, field: &Field<'_>) -> bool {
        field.question.answer_type != AnswerType::Signature && field.applies(self.state)
    }

    /// A finding as shown, adding errors to the summary.
    fn finding(&mut self, finding: &Finding, target: &str, label: &str) -> FindingView {
        let w = self.cx.words;
        let error = finding.severity == Severity::Error;
        let message = w.finding(&finding.problem);
        if error {
            self.summary.push(SummaryEntry {
                target: target.to_owned(),
                label: label.to_owned(),
                message: message.clone(),
            });
        }
        FindingView { error, kind: w.t(if error { "editor-error" } else { "editor-warning" }), message }
    }

    fn field(&mut self, field: &Field<'_>) -> FieldView {
        let w = self.cx.words;
        let widget = codec::widget(self.cx, field, field.value(self.state));
        let wrapper = format!("{}-field", control_id(&field.name));
        let add_button = || wrapper.clone();
        let shown = match &widget {
            Widget::WithOther { choices, .. } => &**choices,
            widget => widget,
        };
        let target = match shown {
            Widget::Single(input) => input.id.clone(),
            Widget::Parts { parts, .. } => parts.first().map(|p| p.id.clone()).unwrap_or_default(),
            Widget::Radios(choices) | Widget::Checkboxes(choices) => {
                choices.first().map(|c| c.id.clone()).unwrap_or_default()
            }
            Widget::Groups(groups) => {
                groups.first().and_then(|g| g.options.first()).map(|c| c.id.clone()).unwrap_or_default()
            }
            Widget::List { items, .. } => items.first().map_or_else(add_button, |i| i.input.id.clone()),
            Widget::Table { rows, .. } => {
                rows.first().and_then(|r| r.cells.first()).map_or_else(add_button, |c| c.input.id.clone())
            }
            Widget::ReadOnly(_) | Widget::WithOther { .. } => String::new(),
        };
        let q = field.question;
        let max = q.max_items.map_or(0, |n| n as usize);
        let help = match q.answer_type {
            AnswerType::Date => Some(w.t("editor-help-date")),
            AnswerType::Address => Some(w.t("editor-help-lines")),
            AnswerType::AmountUsd | AnswerType::AmountUsdWithYear => Some(w.t("editor-help-amount")),
            AnswerType::TextList | AnswerType::EmailList | AnswerType::MultiSelect if max > 0 => {
                Some(w.tn("editor-help-max", "n", max))
            }
            AnswerType::FreeText if max > 0 => Some(w.tn("editor-help-max-free", "n", max)),
            _ => None,
        };
        let show_if = field
            .condition
            .as_ref()
            .map(|c| (c.parent.name.clone(), codec::condition_text(c.parent.question, c.equals, &w)));
        let label = q.label.get(w.lang).trim_end().to_owned();
        let findings: Vec<FindingView> = self
            .findings
            .iter()
            .filter(|f| within(&f.path, &field.doc_path))
            .map(|f| self.finding(f, &target, &label))
            .collect();
        let mut view = FieldView {
            id: wrapper.clone(),
            path: field.doc_path.clone(),
            name: field.name.clone(),
            target,
            label,
            help,
            guidance: guidance(q, &w),
            required: field.required,
            findings,
            described_by: String::new(),
            hidden: !field.applies(self.state),
            show_if,
            widget,
        };
        view.described_by = described_by(&view);
        view
    }
}
