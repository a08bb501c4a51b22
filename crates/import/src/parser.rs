//! The parser of published report text, driven by the framework: headings and labels are
//! looked up in the form definition, never written here, so another framework version or a
//! report with other records, counts or field order parses with the same code.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use qpr_domain::Year;
use qpr_domain::document::{CsoMeasure, ImportWarning, PartyRef, PolicyMeasure, ReportDocument, SourceInfo};
use qpr_domain::framework::{AnswerType, Framework, Question, RecordType, Section};
use qpr_domain::text::{LocalizedText, normalize_loose};
use qpr_domain::{MeasureKind, countries};
use serde_json::{Map, Value};

use crate::ImportError;
use crate::lines::{self, Line};
use crate::values::{self, Read, is_dash, paragraphs, trim_blank};

/// Lines the publishing CMS and the web archive add around and inside a report page. They
/// are not data: the archive banner and its controls before the title, and the name of the
/// sub-entity type the CMS prints inside the point-of-contact block.
fn is_page_chrome(text: &str) -> bool {
    matches!(text, "<" | ">" | "×" | "Loading media information hide" | "QPR Stakeholder")
        || text.starts_with("You are viewing an archived web page")
}

/// What a known heading line opens.
#[derive(Debug, Clone, Copy)]
enum Heading {
    Section(usize),
    Subheading,
    Goal,
}

/// Where a record field's label points: a field of the record type, or a column of one of
/// its table fields (partners).
#[derive(Debug, Clone, Copy)]
enum RecordLabel {
    Field(usize),
    Column(usize, usize),
}

/// The record being read and what it has so far.
struct OpenRecord<'f> {
    record_type: &'f RecordType,
    title_line: usize,
    fields: Map<String, Value>,
    last_field: Option<usize>,
    open_table: Option<usize>,
}

/// Which records a repeater holds.
#[derive(Clone, Copy)]
enum RecordOwner<'f> {
    Area(&'f str),
    Goal(u8),
}

/// What a line is, worked out once: its label (with a value written on the same line), the
/// label normalized for lookups, and the heading it is.
#[derive(Default)]
struct LineInfo<'a> {
    label: Option<(&'a str, Option<Line<'a>>)>,
    label_key: Option<String>,
    heading: Option<Heading>,
}

/// What the parser needs to know of a framework, worked out once and reused for every
/// report: every label and heading normalized, each section's questions in order, each record
/// type's field labels.
pub(crate) struct FormIndex<'f> {
    framework: &'f Framework,
    known_labels: HashSet<String>,
    headings: HashMap<String, Heading>,
    /// Per section, its questions flattened (group fields after their group), with every
    /// wording of their labels normalized.
    section_questions: Vec<Vec<(&'f Question, Vec<String>)>>,
    /// Per record type, its field and column labels (normalized, both languages).
    record_labels: Vec<(&'f RecordType, HashMap<String, RecordLabel>)>,
}

impl<'f> FormIndex<'f> {
    pub(crate) fn new(framework: &'f Framework) -> FormIndex<'f> {
        let mut known_labels = HashSet::default();
        let mut headings = HashMap::default();
        let mut section_questions = Vec::new();
        for (index, section) in framework.sections.iter().enumerate() {
            for text in section.heading.texts() {
                headings.insert(normalize_loose(text), Heading::Section(index));
            }
            for text in section.subheading.iter().flat_map(LocalizedText::texts) {
                headings.insert(normalize_loose(text), Heading::Subheading);
            }
            let mut flat = Vec::new();
            for question in &section.questions {
                for q in std::iter::once(question).chain(question.fields.iter()) {
                    let texts: Vec<String> = q.label_texts().map(normalize_loose).collect();
                    known_labels.extend(texts.iter().cloned());
                    flat.push((q, texts));
                }
            }
            section_questions.push(flat);
        }
        for goal in &framework.goals {
            for text in goal.heading.texts() {
                headings.insert(normalize_loose(text), Heading::Goal);
            }
        }
        for record in framework.record_types.values() {
            for field in record.fields.iter().filter(|f| !f.unlabelled) {
                known_labels.extend(field.label_texts().map(normalize_loose));
                for column in &field.columns {
                    known_labels.extend(column.label.texts().map(normalize_loose));
                }
            }
        }
        known_labels.remove("");
        headings.remove("");
        let record_labels =
            framework.record_types.values().map(|record| (record, record_label_index(record))).collect();
        FormIndex { framework, known_labels, headings, section_questions, record_labels }
    }
}

pub(crate) struct Parser<'i, 'f, 'a> {
    form: &'i FormIndex<'f>,
    framework: &'f Framework,
    lines: Vec<Line<'a>>,
    infos: Vec<LineInfo<'a>>,
    pos: usize,
    section: Option<usize>,
    cursor: usize,
    labels_found: usize,
    /// The line of the first heading of the form, when one was found.
    first_heading: Option<usize>,
    answers: Map<String, Value>,
    policy_measures: Vec<PolicyMeasure>,
    cso_measures: Vec<CsoMeasure>,
    warnings: Vec<ImportWarning>,
    source: SourceInfo,
}

impl<'i, 'f, 'a> Parser<'i, 'f, 'a> {
    pub(crate) fn new(form: &'i FormIndex<'f>, input: &'a str) -> Parser<'i, 'f, 'a> {
        let mut lines = lines::split(input);
        let site_messages = lines::take_site_messages(&mut lines);
        let infos = classify(&lines, &form.known_labels, &form.headings);
        Parser {
            form,
            framework: form.framework,
            lines,
            infos,
            pos: 0,
            section: None,
            cursor: 0,
            labels_found: 0,
            first_heading: None,
            answers: Map::new(),
            policy_measures: Vec::new(),
            cso_measures: Vec::new(),
            warnings: site_messages,
            source: SourceInfo::default(),
        }
    }

    pub(crate) fn parse(mut self) -> Result<ReportDocument, ImportError> {
        self.page_header();
        let mut reached: Option<usize> = None;
        while self.pos < self.lines.len() {
            self.step();
            reached = reached.max(self.section);
        }
        self.page_end(reached);
        self.finish()
    }

    /// A page that stops before the form's last section (a cut-off copy, an archive capture
    /// that ends) is kept with what it has; the sections it did not reach are named, in a
    /// warning at its last line and in `source.missing_sections`.
    fn page_end(&mut self, reached: Option<usize>) {
        let Some(reached) = reached.filter(|_| self.labels_found > 0) else { return };
        let missing: Vec<String> = self.framework.sections.iter().skip(reached + 1).map(|s| s.id.clone()).collect();
        if missing.is_empty() {
            return;
        }
        let last = self.lines.iter().rev().find(|l| !l.is_blank()).map_or(0, |l| l.no);
        self.warn(
            last,
            format!(
                "The page stops at line {last}, in section `{}`: it is imported with what it has; missing sections: {}",
                self.framework.sections[reached].id,
                missing.join(", ")
            ),
        );
        self.source.missing_sections = missing;
    }

    fn warn(&mut self, line: usize, message: String) {
        self.warnings.push(ImportWarning { line, message });
    }

    /// Skips the archive chrome before the page title, then reads the title, the report
    /// label (`Azerbaijan 2022`) and the CMS node line.
    fn page_header(&mut self) {
        let title = [normalize_loose(&self.framework.title.en), normalize_loose(&self.framework.title.fr)];
        let Some(title_at) = self.lines.iter().position(|l| title.contains(&normalize_loose(l.text))) else {
            self.warn(
                1,
                format!(
                    "The page title `{}` was not found; reading the whole text as the report body.",
                    self.framework.title.en
                ),
            );
            return;
        };
        for line in &self.lines[..title_at] {
            if line.text.starts_with("You are viewing an archived web page") {
                self.source.archive_capture = capture_time(line.text);
            }
        }
        let stray: Vec<(usize, String)> = self.lines[..title_at]
            .iter()
            .filter(|l| !l.is_blank() && !is_page_chrome(l.text))
            .map(|l| (l.no, format!("Text before the page title, not placed: `{}`", l.text)))
            .collect();
        for (no, message) in stray {
            self.warn(no, message);
        }
        self.source.page_title = Some(self.lines[title_at].text.to_owned());
        self.pos = title_at + 1;
        if let Some(at) = self.next_non_blank(self.pos)
            && self.lines[at].label.is_none()
            && report_label_year(self.lines[at].text).is_some()
        {
            self.source.report_label = Some(self.lines[at].text.to_owned());
            self.pos = at + 1;
            let title_text = self.lines[title_at].text;
            if let Some(node_at) = self.next_non_blank(self.pos)
                && self.lines[node_at].text.starts_with(&format!("{title_text} - "))
            {
                self.source.node_title = Some(self.lines[node_at].text.to_owned());
                self.pos = node_at + 1;
            }
        }
    }

    fn next_non_blank(&self, from: usize) -> Option<usize> {
        (from..self.lines.len()).find(|&i| !self.lines[i].is_blank())
    }

    /// The label on line `at`, and a value written on the same line after it, if any.
    fn label_at(&self, at: usize) -> Option<(&'a str, Option<Line<'a>>)> {
        self.infos.get(at).and_then(|info| info.label)
    }

    /// A known heading standing on its own after a blank line (or at the top of the body).
    fn heading_at(&self, at: usize) -> Option<Heading> {
        self.infos.get(at).and_then(|info| info.heading)
    }

    /// One step of the body: a heading, a labelled question, or a line nothing claims.
    fn step(&mut self) {
        let at = self.pos;
        let line = self.lines[at];
        if line.is_blank() {
            self.pos += 1;
            return;
        }
        if matches!(line.text, "[...]" | "[…]") {
            self.warn(
                line.no,
                "Text is missing here (the copy marks a gap with `[...]`): the answer before it may be incomplete"
                    .into(),
            );
            self.pos += 1;
            return;
        }
        if let Some(heading) = self.heading_at(at) {
            self.first_heading.get_or_insert(line.no);
            if let Heading::Section(index) = heading {
                self.section = Some(index);
                self.cursor = 0;
            }
            self.pos += 1;
            return;
        }
        if let Some((label, inline)) = self.label_at(at) {
            self.pos += 1;
            self.labels_found += 1;
            match self.resolve_question(label) {
                Some((section, question)) => self.question(section, question, inline),
                None => {
                    let values = self.collect_values(inline, None);
                    let value = paragraphs(&values);
                    self.warn(line.no, format!("Unknown question `{label}`, not placed; its answer: `{value}`"));
                }
            }
            return;
        }
        if !is_page_chrome(line.text) {
            self.warn(line.no, format!("Text outside any question, not placed: `{}`", line.text));
        }
        self.pos += 1;
    }

    /// The question a label names: the next one with that label in the current section (two
    /// `If YES, please provide up to 2 examples` stand in one section), else the first one
    /// in another section, which then becomes current (its heading may be missing).
    fn resolve_question(&mut self, label: &str) -> Option<(&'f Section, &'f Question)> {
        let wanted = normalize_loose(label);
        let matches = |(_, texts): &(&Question, Vec<String>)| texts.contains(&wanted);
        if let Some(section) = self.section {
            let questions = &self.form.section_questions[section];
            let found = (self.cursor..questions.len())
                .find(|&i| matches(&questions[i]))
                .or_else(|| (0..self.cursor).find(|&i| matches(&questions[i])));
            if let Some(i) = found {
                self.cursor = i + 1;
                return Some((&self.framework.sections[section], questions[i].0));
            }
        }
        // Before the first section heading, the search starts at the first section.
        let current = self.section.unwrap_or(0);
        let order = (current..self.form.section_questions.len()).chain(0..current);
        for section in order {
            if let Some(i) = self.form.section_questions[section].iter().position(matches) {
                self.section = Some(section);
                self.cursor = i + 1;
                return Some((&self.framework.sections[section], self.form.section_questions[section][i].0));
            }
        }
        None
    }

    /// Value lines from the current position up to the next label, heading or (inside a
    /// repeater) record title.
    fn collect_values(&mut self, inline: Option<Line<'a>>, record: Option<&OpenRecord<'f>>) -> Vec<Line<'a>> {
        let mut values: Vec<Line<'a>> = inline.into_iter().filter(|l| !l.is_blank()).collect();
        while self.pos < self.lines.len() {
            let at = self.pos;
            let title = record.is_some_and(|r| self.is_record_title(at, r.record_type, Some(r)));
            if title
                || self.label_at(at).is_some()
                || self.heading_at(at).is_some()
                || matches!(self.lines[at].text, "[...]" | "[…]")
            {
                break;
            }
            values.push(self.lines[at]);
            self.pos += 1;
        }
        values
    }

    fn question(&mut self, section: &'f Section, question: &'f Question, inline: Option<Line<'a>>) {
        let label_line = self.lines[self.pos - 1].no;
        match question.answer_type {
            AnswerType::Records => {
                let owner = match (question.goal, section.area.as_deref()) {
                    (Some(goal), _) => RecordOwner::Goal(goal),
                    (None, Some(area)) => RecordOwner::Area(area),
                    (None, None) => {
                        self.warn(
                            label_line,
                            format!("`{}` holds records but its section has no area; records not placed", question.id),
                        );
                        RecordOwner::Area("")
                    }
                };
                self.records(question, owner, inline);
            }
            AnswerType::Group => {
                let values = self.collect_values(inline, None);
                for line in values.iter().filter(|l| !l.is_blank() && !is_page_chrome(l.text)) {
                    self.warn(
                        line.no,
                        format!("{}: text under a group heading, not placed: `{}`", question.id, line.text),
                    );
                }
            }
            AnswerType::Table => {
                let values = self.collect_values(inline, None);
                let value = if is_dash(&values) { Value::Null } else { self.unlabelled_table(question, &values) };
                self.store_answer(question, value, label_line);
            }
            _ => {
                let values = self.collect_values(inline, None);
                let Read { value, problems } = values::read_answer(question, &values);
                for (no, message) in problems {
                    self.warn(no, message);
                }
                self.store_answer(question, value, label_line);
            }
        }
    }

    fn store_answer(&mut self, question: &Question, value: Value, line: usize) {
        if self.answers.contains_key(&question.id) {
            self.warn(
                line,
                format!(
                    "`{}` is answered a second time; the first answer is kept, this one is not placed: {value}",
                    question.id
                ),
            );
            return;
        }
        self.answers.insert(question.id.clone(), value);
    }

    /// A table printed as a glued header (`Organization typeOrganizationEmailWebsite`) and
    /// one cell per line with empty cells left out: cells are recognized by what they look
    /// like (an option of the column's list, an e-mail, a web address, else the free column),
    /// and a cell whose column is already filled, or comes before the last one, starts a row.
    fn unlabelled_table(&mut self, question: &Question, values: &[Line<'a>]) -> Value {
        let glued_header: String =
            question.columns.iter().map(|c| normalize_loose(&c.label.en).replace(' ', "")).collect();
        let mut rows: Vec<Map<String, Value>> = Vec::new();
        let mut last_column: Option<usize> = None;
        for line in trim_blank(values).iter().filter(|l| !l.is_blank()) {
            if normalize_loose(line.text).replace([' ', '\t'], "") == glued_header {
                continue;
            }
            // A row copied from a browser keeps its cells on one line, separated by tabs, empty
            // cells included: then the position says the column.
            let cells: Vec<&str> = line.text.split('\t').map(str::trim).collect();
            if cells.len() == question.columns.len() {
                let row: Map<String, Value> = question
                    .columns
                    .iter()
                    .zip(&cells)
                    .filter(|(_, cell)| !cell.is_empty())
                    .map(|(column, cell)| (column.key.clone(), Value::String((*cell).to_owned())))
                    .collect();
                rows.push(row);
                last_column = None;
                continue;
            }
            for cell in cells.into_iter().filter(|c| !c.is_empty()) {
                let column = self.cell_column(question, cell);
                let new_row = rows.is_empty() || last_column.is_none_or(|last| column <= last);
                if new_row {
                    rows.push(Map::new());
                }
                if let Some(row) = rows.last_mut() {
                    row.insert(question.columns[column].key.clone(), Value::String(cell.to_owned()));
                }
                last_column = Some(column);
            }
        }
        Value::Array(rows.into_iter().map(Value::Object).collect())
    }

    fn cell_column(&self, question: &Question, text: &str) -> usize {
        let looks_like_email = text.contains('@') && !text.contains(' ');
        let looks_like_url = !looks_like_email
            && !text.contains(' ')
            && (text.starts_with("http://") || text.starts_with("https://") || text.starts_with("www."));
        let by_type = question.columns.iter().position(|column| match column.answer_type {
            AnswerType::Email => looks_like_email,
            AnswerType::Url => looks_like_url,
            AnswerType::SingleSelect => {
                column.options.as_deref().is_some_and(|list| self.framework.resolve_option(list, text).is_some())
            }
            _ => false,
        });
        by_type
            .or_else(|| {
                question
                    .columns
                    .iter()
                    .position(|c| matches!(c.answer_type, AnswerType::ShortText | AnswerType::FreeText))
            })
            // No better column: the first.
            .unwrap_or(0)
    }

    /// Which field or column of `record_type` the label on line `at` names.
    fn record_label_at(&self, record_type: &RecordType, at: usize) -> Option<RecordLabel> {
        let key = self.infos.get(at)?.label_key.as_deref()?;
        let (_, index) = self.form.record_labels.iter().find(|(record, _)| std::ptr::eq(*record, record_type))?;
        index.get(key).copied()
    }

    /// A record title: a line of its own followed by a blank line, then by a field label of
    /// the record type that opens a record: any, when no record is open; else one the open
    /// record already has, or one that comes before the last field read (the fields' order
    /// restarts). A blank line before it is not required: copied page text has one, but a
    /// browser's `innerText` puts a heading right under the previous value.
    fn is_record_title(&self, at: usize, record_type: &RecordType, open: Option<&OpenRecord<'f>>) -> bool {
        let Some(line) = self.lines.get(at) else { return false };
        if line.is_blank() || self.label_at(at).is_some() {
            return false;
        }
        if !self.lines.get(at + 1).is_some_and(Line::is_blank) {
            return false;
        }
        let Some(next) = self.next_non_blank(at + 1) else { return false };
        match self.record_label_at(record_type, next) {
            Some(RecordLabel::Field(field)) => open.is_none_or(|record| {
                // A field without a key is never in a record's fields.
                let key = record_type.fields[field].key.as_deref().unwrap_or_default();
                record.fields.contains_key(key) || record.last_field.is_some_and(|last| field <= last)
            }),
            _ => false,
        }
    }

    /// The records of a repeater, up to the first label that is not one of their fields.
    fn records(&mut self, question: &'f Question, owner: RecordOwner<'f>, inline: Option<Line<'a>>) {
        let Some(record_type) = question.record.as_deref().and_then(|name| self.framework.record_type(name)) else {
            return;
        };
        if let Some(inline) = inline.filter(|l| !l.is_blank() && l.text != "-") {
            self.warn(inline.no, format!("{}: text on the heading line, not placed: `{}`", question.id, inline.text));
        }
        let mut open: Option<OpenRecord<'f>> = None;
        while self.pos < self.lines.len() {
            let at = self.pos;
            let line = self.lines[at];
            if line.is_blank() {
                self.pos += 1;
                continue;
            }
            if self.heading_at(at).is_some() {
                break;
            }
            if let Some((label, inline)) = self.label_at(at) {
                let Some(target) = self.record_label_at(record_type, at) else {
                    // A label the form does not know, inside a record, is a field of the record
                    // this version of the form lacks: it is reported with its value and the
                    // record goes on. A known label (the next question) ends the records.
                    if let Some(record) =
                        open.as_ref().filter(|_| !self.form.known_labels.contains(&normalize_loose(label)))
                    {
                        let title_line = record.title_line;
                        self.pos += 1;
                        self.labels_found += 1;
                        let values = self.collect_values(inline, open.as_ref());
                        self.warn(
                            line.no,
                            format!(
                                "{}: unknown field `{label}` in the record at line {title_line}, not placed; its answer: `{}`",
                                question.id,
                                paragraphs(&values)
                            ),
                        );
                        continue;
                    }
                    break;
                };
                self.pos += 1;
                self.labels_found += 1;
                match open.as_mut() {
                    Some(_) => self.record_field(&mut open, target, label, inline, line.no),
                    None => {
                        let values = self.collect_values(inline, None);
                        self.warn(
                            line.no,
                            format!(
                                "{}: `{label}` comes before any record title, not placed: `{}`",
                                question.id,
                                paragraphs(&values)
                            ),
                        );
                    }
                }
                continue;
            }
            let opens_record = self.is_record_title(at, record_type, open.as_ref());
            if line.text == "-" && open.is_none() {
                self.pos += 1;
            } else if opens_record {
                if let Some(done) = open.take() {
                    self.finish_record(done, owner);
                }
                open = Some(OpenRecord {
                    record_type,
                    title_line: line.no,
                    fields: Map::new(),
                    last_field: None,
                    open_table: None,
                });
                if let Some(record) = open.as_mut() {
                    record.fields.insert("title".into(), Value::String(line.text.to_owned()));
                }
                self.pos += 1;
            } else {
                self.warn(line.no, format!("{}: text outside any field, not placed: `{}`", question.id, line.text));
                self.pos += 1;
            }
        }
        if let Some(done) = open.take() {
            self.finish_record(done, owner);
        }
    }

    fn record_field(
        &mut self,
        open: &mut Option<OpenRecord<'f>>,
        target: RecordLabel,
        label: &str,
        inline: Option<Line<'a>>,
        line_no: usize,
    ) {
        let values = self.collect_values(inline, open.as_ref());
        let Some(record) = open.as_mut() else { return };
        let record_type = record.record_type;
        match target {
            RecordLabel::Field(index) => {
                let field = &record_type.fields[index];
                let key = field.key.clone().unwrap_or_else(|| field.id.clone());
                record.last_field = Some(index);
                if field.answer_type == AnswerType::Table {
                    record.open_table = Some(index);
                    record.fields.entry(key).or_insert_with(|| Value::Array(Vec::new()));
                    for line in values.iter().filter(|l| !l.is_blank()) {
                        self.warn(
                            line.no,
                            format!("`{label}`: text under a table heading, not placed: `{}`", line.text),
                        );
                    }
                    return;
                }
                let Read { mut value, problems } = values::read_answer(field, &values);
                for (no, message) in problems {
                    self.warn(no, message);
                }
                if field.answer_type == AnswerType::MultiSelect
                    && let (Some(list), Value::Array(items)) = (field.options.as_deref(), &mut value)
                {
                    for item in items.iter_mut() {
                        let key = item
                            .as_str()
                            .and_then(|text| self.framework.resolve_option(list, text))
                            .map(|o| o.key.clone());
                        if let Some(key) = key {
                            *item = Value::String(key);
                        }
                    }
                }
                // A field read empty before (its label repeated) is filled by the second one.
                if record.fields.get(&key).is_some_and(|v| !v.is_null()) {
                    self.warn(
                        line_no,
                        format!(
                            "`{label}` appears twice in the record at line {}; the second value is not placed: {value}",
                            record.title_line
                        ),
                    );
                } else {
                    record.fields.insert(key, value);
                }
            }
            RecordLabel::Column(field_index, column_index) => {
                let field = &record_type.fields[field_index];
                let table_key = field.key.clone().unwrap_or_else(|| field.id.clone());
                let column = &field.columns[column_index];
                let cell = if is_dash(&values) { Value::Null } else { Value::String(paragraphs(&values)) };
                record.open_table = Some(field_index);
                let rows = record.fields.entry(table_key).or_insert_with(|| Value::Array(Vec::new()));
                if let Value::Array(rows) = rows {
                    let needs_row =
                        rows.last().and_then(Value::as_object).is_none_or(|row| row.contains_key(&column.key));
                    if needs_row {
                        rows.push(Value::Object(Map::new()));
                    }
                    if let Some(Value::Object(row)) = rows.last_mut() {
                        row.insert(column.key.clone(), cell);
                    }
                }
            }
        }
    }

    fn finish_record(&mut self, record: OpenRecord<'f>, owner: RecordOwner<'f>) {
        let mut fields = record.fields;
        let line = record.title_line;
        // An empty or `-` field is an absent one (published pages leave empty fields out), so
        // that a record with an empty description is kept rather than failing to read.
        fields.retain(|_, value| !value.is_null());
        let result = match owner {
            RecordOwner::Area(area) => {
                fields.insert("id".into(), Value::String(String::new()));
                fields.insert("area".into(), Value::String(area.to_owned()));
                normalize_partners(&mut fields);
                serde_json::from_value::<PolicyMeasure>(Value::Object(fields)).map(|m| self.policy_measures.push(m))
            }
            RecordOwner::Goal(goal) => {
                fields.insert("id".into(), Value::String(String::new()));
                fields.insert("goal".into(), Value::from(goal));
                serde_json::from_value::<CsoMeasure>(Value::Object(fields)).map(|m| self.cso_measures.push(m))
            }
        };
        if let Err(error) = result {
            self.warn(line, format!("The record at this line could not be read: {error}"));
        }
    }

    fn finish(self) -> Result<ReportDocument, ImportError> {
        // Headings followed by text, and not one label: a copy with its labels removed (a
        // copy cut before its first label has the headings and nothing after them).
        if let Some(first) = self.first_heading.filter(|_| self.labels_found == 0) {
            let text_lines = self.warnings.iter().filter(|w| w.line > first).count();
            if text_lines > 0 {
                return Err(ImportError::LabelsRemoved { text_lines, framework: self.framework.id.clone() });
            }
        }
        if self.labels_found == 0 {
            return Err(ImportError::NotAReport {
                reason: format!(
                    "none of the {} questions of form `{}` was found in the text",
                    self.framework.questions().count(),
                    self.framework.id
                ),
            });
        }
        // A field of a group the page skips between two it shows is unanswered, as a `-`
        // would make it (the form gained it after the page was published, as the point of
        // contact's phone number). Fields after the last one shown stay absent: the page may
        // stop there.
        let mut answers = self.answers;
        for (_, group) in self.framework.questions().filter(|(_, q)| q.answer_type == AnswerType::Group) {
            if let Some(last) = group.fields.iter().rposition(|f| answers.contains_key(&f.id)) {
                for field in &group.fields[..last] {
                    answers.entry(field.id.clone()).or_insert(Value::Null);
                }
            }
        }
        let label_year = self.source.report_label.as_deref().and_then(report_label_year);
        let party_name = match answers.get("gi_party_name").and_then(Value::as_str) {
            Some(name) => name.to_owned(),
            // No Party name anywhere: the empty name resolves to no Party code (the store
            // publishes no report without one).
            None => label_year.map(|(party, _)| party.to_owned()).unwrap_or_default(),
        };
        let year = label_year
            .map(|(_, year)| year)
            .or_else(|| answers.get("sub_date").and_then(Value::as_str).and_then(leading_year))
            .or_else(|| self.source.node_title.as_deref().and_then(trailing_date_year))
            .ok_or(ImportError::NoYear)?;
        let iso3 = countries::resolve_name(&party_name).map(|c| c.iso3.clone());
        let mut document = ReportDocument::new(&self.framework.id, PartyRef { name: party_name, iso3 }, year);
        let prefix = match &document.party.iso3 {
            Some(code) => code.to_string(),
            None => slug(&document.party.name),
        };
        document.answers = answers.into_iter().collect();
        document.policy_measures = self.policy_measures;
        for (i, measure) in document.policy_measures.iter_mut().enumerate() {
            measure.id = MeasureKind::Policy.measure_id(&prefix, year, i + 1);
        }
        document.cso_measures = self.cso_measures;
        for (i, measure) in document.cso_measures.iter_mut().enumerate() {
            measure.id = MeasureKind::Cso.measure_id(&prefix, year, i + 1);
        }
        document.source = Some(self.source);
        document.warnings = self.warnings;
        document.warnings.sort_by_key(|w| w.line);
        Ok(document)
    }
}

/// Field and column labels of a record type, normalized, in both languages. A field label
/// wins over a column label with the same text.
fn record_label_index(record: &RecordType) -> HashMap<String, RecordLabel> {
    let mut index = HashMap::default();
    for (i, field) in record.fields.iter().enumerate() {
        for (c, column) in field.columns.iter().enumerate() {
            for text in column.label.texts() {
                index.insert(normalize_loose(text), RecordLabel::Column(i, c));
            }
        }
    }
    for (i, field) in record.fields.iter().enumerate().rev().filter(|(_, f)| !f.unlabelled) {
        for text in field.label_texts() {
            index.insert(normalize_loose(text), RecordLabel::Field(i));
        }
    }
    index.remove("");
    index
}

/// Works out every line's label and heading once.
fn classify<'a>(
    lines: &[Line<'a>],
    known_labels: &HashSet<String>,
    headings: &HashMap<String, Heading>,
) -> Vec<LineInfo<'a>> {
    let mut infos: Vec<LineInfo<'a>> = lines
        .iter()
        .map(|line| {
            let mut info = LineInfo::default();
            if line.is_blank() {
                return info;
            }
            if let Some(label) = line.label {
                let key = normalize_loose(label);
                if line.strong_label || known_labels.contains(&key) {
                    info.label = Some((label, None));
                    info.label_key = Some(key);
                    return info;
                }
            } else if line.text.len() <= 300 {
                info.heading = headings.get(&normalize_loose(line.text)).copied();
            }
            // Some renderings put the value on the label's line: `Name of Party: Azerbaijan`.
            if let Some(split) = line.text.find(":\u{a0}").or_else(|| line.text.find(": ")) {
                let (label, rest) = line.text.split_at(split);
                let key = if label.len() <= 400 { normalize_loose(label) } else { String::new() };
                if known_labels.contains(&key) {
                    let value = rest[1..].trim();
                    info.label =
                        Some((label, Some(Line { no: line.no, text: value, label: None, strong_label: false })));
                    info.label_key = Some(key);
                    info.heading = None;
                }
            }
            info
        })
        .collect();
    // A heading's text is a heading only where it stands on its own: after a blank line (as in
    // copied page text), or with a blank line after it and the headings right under it (a
    // browser's `innerText` gives headings no blank line before them). Elsewhere it is a value
    // that happens to read like one.
    let candidates: Vec<bool> = infos.iter().map(|info| info.heading.is_some()).collect();
    for (at, info) in infos.iter_mut().enumerate() {
        if !candidates[at] || at == 0 || lines[at - 1].is_blank() {
            continue;
        }
        let after_run = (at + 1..lines.len()).find(|&next| !candidates[next]);
        if !after_run.is_none_or(|next| lines[next].is_blank()) {
            info.heading = None;
        }
    }
    infos
}

/// Partner rows use the document's `name` / `entity_type` keys; a row without a name (or
/// with `-`) keeps an empty one so that validation reports it rather than the row vanishing.
fn normalize_partners(fields: &mut Map<String, Value>) {
    if let Some(Value::Array(rows)) = fields.get_mut("partners") {
        for row in rows.iter_mut() {
            if let Value::Object(cells) = row {
                let name = cells.entry("name").or_insert(Value::Null);
                if name.is_null() {
                    *name = Value::String(String::new());
                }
                cells.entry("entity_type").or_insert(Value::Null);
            }
        }
    }
}

/// `Azerbaijan 2022` → (`Azerbaijan`, 2022).
fn report_label_year(text: &str) -> Option<(&str, i32)> {
    let (party, year) = text.trim().rsplit_once(' ')?;
    let year = leading_year(year)?;
    (!party.trim().is_empty()).then_some((party.trim(), year))
}

/// The four-digit year a date starts with (`2022`, `2022-06-30`).
fn leading_year(text: &str) -> Option<i32> {
    let digits = text.trim().get(..4)?;
    let rest = &text.trim()[4..];
    if !digits.bytes().all(|b| b.is_ascii_digit()) || rest.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    Year::parse(digits).ok().map(Year::get)
}

/// The year of a `05/08/2022 - 23:30` stamp at the end of the node line.
fn trailing_date_year(text: &str) -> Option<i32> {
    text.split_whitespace().filter_map(|word| word.rsplit('/').next()).filter_map(leading_year).next_back()
}

/// `…This page was captured on 01:43:48 Jul 02, 2023, and is…` → `01:43:48 Jul 02, 2023`.
fn capture_time(banner: &str) -> Option<String> {
    let after = banner.split_once("captured on ")?.1;
    let end = after.find(", and").unwrap_or(after.len());
    Some(after[..end].trim().to_owned())
}

fn slug(name: &str) -> String {
    let slug: String = name.chars().map(|c| if c.is_alphanumeric() { c.to_ascii_lowercase() } else { '-' }).collect();
    let slug = slug.trim_matches('-').to_owned();
    if slug.is_empty() { "unknown".to_owned() } else { slug }
}
