//! Pages of the earlier forms and of the Policy Monitoring Platform: report pages of the
//! 2016–2019 form (technical information, measures lists) and of the first-cycle 2012 form
//! (title, year, Party, executive summary), and measure pages (one measure each, in the
//! labels of its cycle's form and of the site's language).
//!
//! One reader serves them all, driven by the framework: a line is a label when its text
//! (without a final `:`) is a label of the form in any language, headings open sections,
//! and the lines up to the next label are the answer, read by answer type. What the reader
//! knows of the sites themselves (the archive banner, the newer site's `Where`/`When`/`Who`,
//! the civil-society notice, the facet headers) is page chrome, listed here; nothing about a
//! question is.

use rustc_hash::FxHashMap as HashMap;

use qpr_domain::Year;
use qpr_domain::document::{CsoMeasure, ImportWarning, Partner, PartyRef, PolicyMeasure, ReportDocument, SourceInfo};
use qpr_domain::framework::{AnswerType, Framework, Question, RecordType};
use qpr_domain::text::{normalize_loose, normalize_loose_into};
use qpr_domain::{MeasureKind, countries};
use serde_json::{Map, Value};

use crate::ImportError;
use crate::lines::Line;
use crate::values::{self, paragraphs, trim_blank};

/// What the caller knows that a page may not show.
#[derive(Debug, Clone, Default)]
pub struct Hints {
    /// The Party (a name in any of the three languages, or an ISO 3166-1 alpha-3 code).
    pub party: Option<String>,
    /// The report's year.
    pub year: Option<i32>,
}

/// Lines the sites and the web archive add that are not data.
pub(crate) fn is_chrome(text: &str) -> bool {
    matches!(text, "<" | ">" | "×" | "Loading media information hide")
        || text.starts_with("You are viewing an archived web page")
}

/// The marker web archives and cut copies leave where text is missing.
fn is_gap(text: &str) -> bool {
    matches!(text, "[...]" | "[…]")
}

/// The newer Policy Monitoring Platform site's fields above a measure, in its three languages.
#[derive(Clone, Copy, PartialEq)]
enum SiteField {
    Where,
    When,
    Who,
    Goals,
    Domains,
}

fn site_field(key: &str) -> Option<SiteField> {
    Some(match key {
        "where" | "dónde" | "où" => SiteField::Where,
        "when" | "cuándo" | "quand" => SiteField::When,
        "who" | "quién" | "qui" => SiteField::Who,
        "objetivo(s) de la convención 2005 de la unesco"
        | "objetivo(s) de la convención 2005"
        | "objectif(s) de la convention 2005 de l'unesco"
        | "goal(s) of the unesco 2005 convention"
        | "unesco 2005 convention goal(s)" => SiteField::Goals,
        "cultural domain(s)" | "domaines culturels" | "dominio(s) cultural(es)" | "ámbito(s) cultural(es)" => {
            SiteField::Domains
        }
        _ => return None,
    })
}

/// The notice a measure page shows for a measure reported by civil society.
fn is_cso_notice(key: &str) -> bool {
    [
        "this measure was reported by civil society",
        "this measure has been reported by civil society",
        "cette mesure a été reportée par la société civile",
        "cette mesure a été rapportée par la société civile",
        "esta medida fue reportada por la sociedad civil",
        "esta medida ha sido reportada por la sociedad civil",
    ]
    .contains(&key)
}

/// Where a label of a form points.
#[derive(Clone, Copy)]
enum Target<'f> {
    Question(usize, &'f Question),
    Field(&'f RecordType, usize),
}

/// A form's labels and headings, normalized once.
pub(crate) struct LabelIndex<'f> {
    pub(crate) framework: &'f Framework,
    questions: HashMap<String, Target<'f>>,
    fields: HashMap<String, Vec<(&'f str, &'f RecordType, usize)>>,
    headings: HashMap<String, usize>,
    list_headers: HashMap<String, &'f RecordType>,
    /// Per option list, every spelling (normalized) → the option's key.
    options: HashMap<&'f str, HashMap<String, &'f str>>,
    /// Per option list, every spelling with its ASCII letters lowercased → the key of the
    /// first option spelled so (see [`option_word_in`]).
    option_words: HashMap<&'f str, HashMap<Vec<u8>, &'f str>>,
    /// The form's title in each language, normalized.
    titles: Vec<String>,
}

impl<'f> LabelIndex<'f> {
    pub(crate) fn new(framework: &'f Framework) -> LabelIndex<'f> {
        let mut questions = HashMap::default();
        let mut headings = HashMap::default();
        for (index, section) in framework.sections.iter().enumerate() {
            for text in section.heading.texts() {
                headings.insert(normalize_loose(text), index);
            }
            for question in &section.questions {
                for q in std::iter::once(question).chain(question.fields.iter()) {
                    if q.answer_type == AnswerType::Records {
                        continue;
                    }
                    for text in q.label_texts() {
                        questions.entry(normalize_loose(text)).or_insert(Target::Question(index, q));
                    }
                }
            }
        }
        let mut fields: HashMap<String, Vec<(&'f str, &'f RecordType, usize)>> = HashMap::default();
        let mut list_headers = HashMap::default();
        for (name, record) in &framework.record_types {
            for (i, field) in record.fields.iter().enumerate() {
                for text in field.label_texts() {
                    fields.entry(normalize_loose(text)).or_default().push((name.as_str(), record, i));
                }
            }
            // A measures list flattens its table to one header line: the title, scope and
            // nature columns' labels (`Name of the measure Scope of the measure Nature`).
            let column = |key: &str| record.fields.iter().find(|f| f.key.as_deref() == Some(key));
            if let (Some(title), Some(scope), Some(nature)) = (column("title"), column("scope"), column("nature")) {
                for nature_text in nature.label_texts() {
                    for (t, s) in title.label.texts().zip(scope.label.texts()) {
                        list_headers.insert(normalize_loose(&format!("{t} {s} {nature_text}")), record);
                    }
                }
            }
        }
        questions.remove("");
        headings.remove("");
        fields.remove("");
        let options = framework
            .option_lists
            .iter()
            .map(|(name, items)| {
                let mut spellings = HashMap::default();
                for item in items {
                    for text in [&item.key, &item.en, &item.fr].into_iter().chain(item.aliases.iter()) {
                        spellings.entry(normalize_loose(text)).or_insert(item.key.as_str());
                    }
                }
                spellings.remove("");
                (name.as_str(), spellings)
            })
            .collect();
        let option_words = framework
            .option_lists
            .iter()
            .map(|(name, items)| {
                let mut spellings = HashMap::default();
                for item in items {
                    for text in [&item.key, &item.en, &item.fr].into_iter().chain(item.aliases.iter()) {
                        spellings.entry(text.as_bytes().to_ascii_lowercase()).or_insert(item.key.as_str());
                    }
                }
                (name.as_str(), spellings)
            })
            .collect();
        let titles = framework.title.texts().map(normalize_loose).collect();
        LabelIndex { framework, questions, fields, headings, list_headers, options, option_words, titles }
    }

    /// The key of the option of `list` that `text` names.
    fn option(&self, list: &str, text: &str) -> Option<&'f str> {
        self.options.get(list)?.get(&normalize_loose(text)).copied()
    }

    fn field(&self, record: &str, key: &str) -> Option<Target<'f>> {
        let &(_, record, i) = self.fields.get(key)?.iter().find(|(name, _, _)| *name == record)?;
        Some(Target::Field(record, i))
    }

    /// The keys of every line (see [`LineKeys`]), or `None` as soon as a line shows the form's
    /// title or one of its section headings on a line of its own: the page is a report page.
    /// One pass, so that each line is normalized once whichever the page turns out to be.
    pub(crate) fn keys_unless_report_page<'a>(&self, lines: &[Line<'a>]) -> Option<LineKeys<'a>> {
        let mut keys = LineKeys::with_capacity(lines);
        for (at, line) in lines.iter().enumerate() {
            keys.push(line);
            if line.label.is_none()
                && line.text.len() < 200
                && let Some(key) = keys.label(at)
                && (self.titles.iter().any(|t| t == key) || self.headings.contains_key(key))
            {
                return None;
            }
        }
        Some(keys)
    }

    /// How many lines hold a label of a field of each measure kind's record (in the order of
    /// [`MeasureKind::ALL`]): how well a measure page fits. One look-up per key for both.
    pub(crate) fn measure_scores(&self, keys: &LineKeys<'_>) -> [usize; 2] {
        let records = MeasureKind::ALL.map(MeasureKind::record_type);
        let mut scores = [0; 2];
        for at in 0..keys.len() {
            let label = keys.label(at).and_then(|key| self.fields.get(key));
            let inline = keys.inline(at).and_then(|key| self.fields.get(key));
            for (score, record) in scores.iter_mut().zip(records) {
                let has = |fields: Option<&Vec<(&str, &RecordType, usize)>>| {
                    fields.is_some_and(|fields| fields.iter().any(|(name, _, _)| *name == record))
                };
                if has(label) || has(inline) {
                    *score += 1;
                }
            }
        }
        scores
    }
}

/// The key of the option that one word names (a cell of a measures list), in the spellings
/// of its list ([`LabelIndex::option_words`]): the first option with a spelling equal to the
/// word but for the case of ASCII letters, as [`normalize_loose`] folds them, found without
/// allocating (for a word of up to 64 bytes).
fn option_word_in<'f>(spellings: &HashMap<Vec<u8>, &'f str>, word: &str) -> Option<&'f str> {
    let word = word.trim_end_matches([':', '.']).as_bytes();
    let mut folded = [0u8; 64];
    match folded.get_mut(..word.len()) {
        Some(folded) => {
            folded.copy_from_slice(word);
            folded.make_ascii_lowercase();
            spellings.get(&*folded).copied()
        }
        None => spellings.get(&word.to_ascii_lowercase()).copied(),
    }
}

/// The lookup keys of a page's lines, worked out once for the detection of its layout and
/// its reading. Every key is normalized into one buffer (no allocation per line): a line's
/// keys are ranges of it.
pub(crate) struct LineKeys<'a> {
    /// Every key, one after the other.
    buffer: String,
    /// Per line, in order.
    lines: Vec<KeySpans<'a>>,
}

/// One line's keys, as ranges of [`LineKeys::buffer`].
struct KeySpans<'a> {
    /// The line as a label (without a final `:`).
    label: Option<(usize, usize)>,
    /// The label of a `Label: value` line.
    inline: Option<(usize, usize)>,
    /// The value of a `Label: value` line.
    inline_value: &'a str,
}

impl<'a> LineKeys<'a> {
    /// No keys yet, room for those of `lines`.
    fn with_capacity(lines: &[Line<'_>]) -> LineKeys<'a> {
        let bytes = lines.iter().map(|l| l.text.len()).sum::<usize>();
        LineKeys { buffer: String::with_capacity(bytes + bytes / 4), lines: Vec::with_capacity(lines.len()) }
    }

    /// The keys of every line.
    pub(crate) fn of(lines: &[Line<'a>]) -> LineKeys<'a> {
        let mut keys = LineKeys::with_capacity(lines);
        for line in lines {
            keys.push(line);
        }
        keys
    }

    /// Adds the keys of the next line: its text as a label key, without its final `:`, and
    /// the label of `Label: value` (the value after `: ` cut off).
    fn push(&mut self, line: &Line<'a>) {
        let label = (!line.is_blank() && line.text.len() <= 400).then(|| self.key(line.label.unwrap_or(line.text)));
        // The first `: ` (found by its `:`, which is quicker than searching for two bytes).
        let colon = line.text.match_indices(':').map(|(at, _)| at).find(|&at| line.text[at + 1..].starts_with(' '));
        let (inline, inline_value) = match colon {
            Some(at) if at <= 400 => {
                let (label, rest) = line.text.split_at(at);
                (Some(self.key(label)), rest[1..].trim())
            }
            _ => (None, ""),
        };
        self.lines.push(KeySpans { label, inline, inline_value });
    }

    /// Normalizes `text` at the end of the buffer: its range.
    fn key(&mut self, text: &str) -> (usize, usize) {
        let start = self.buffer.len();
        normalize_loose_into(text, &mut self.buffer);
        (start, self.buffer.len())
    }

    fn len(&self) -> usize {
        self.lines.len()
    }

    /// Line `at` as a label (without a final `:`); `None` for a blank line.
    pub(crate) fn label(&self, at: usize) -> Option<&str> {
        self.lines[at].label.map(|(start, end)| &self.buffer[start..end])
    }

    /// The label of line `at` when it reads `Label: value`.
    pub(crate) fn inline(&self, at: usize) -> Option<&str> {
        self.lines[at].inline.map(|(start, end)| &self.buffer[start..end])
    }

    /// The value of line `at` when it reads `Label: value`.
    pub(crate) fn inline_value(&self, at: usize) -> &'a str {
        self.lines[at].inline_value
    }
}

/// The page title: the first line that is neither blank nor chrome; the archive's capture time.
fn title_at(lines: &[Line<'_>]) -> (Option<usize>, Option<String>) {
    let mut capture = None;
    for (i, line) in lines.iter().enumerate() {
        if line.text.starts_with("You are viewing an archived web page") {
            capture = line
                .text
                .split_once("captured on ")
                .map(|(_, after)| after[..after.find(", and").unwrap_or(after.len())].trim().to_owned());
        }
        if !line.is_blank() && !is_chrome(line.text) {
            return (Some(i), capture);
        }
    }
    (None, capture)
}

/// Matches `title` against `{party} {year} report`-like patterns: the Party's name and year.
fn match_title<'t>(patterns: &[String], title: &'t str) -> Option<(Option<&'t str>, Option<i32>)> {
    for pattern in patterns {
        let Some((prefix, rest)) = pattern.split_once('{') else { continue };
        let (Some(head), Some(body)) = (title.get(..prefix.len()), title.get(prefix.len()..)) else { continue };
        let same = if head.is_ascii() && prefix.is_ascii() {
            head.eq_ignore_ascii_case(prefix)
        } else {
            head.to_lowercase() == prefix.to_lowercase()
        };
        if !same {
            continue;
        }
        if let Some(suffix) = rest.strip_prefix("party} {year}") {
            let Some(body) = strip_suffix_ci(body, suffix) else { continue };
            let Some((party, year)) = body.rsplit_once(' ') else { continue };
            if let Ok(year) = Year::parse(year)
                && !party.trim().is_empty()
            {
                return Some((Some(party.trim()), Some(year.get())));
            }
        } else if rest == "party}" && !body.trim().is_empty() && body.len() < 100 {
            return Some((Some(body.trim()), None));
        }
    }
    None
}

fn strip_suffix_ci<'t>(text: &'t str, suffix: &str) -> Option<&'t str> {
    let cut = text.len().checked_sub(suffix.len())?;
    (text.is_char_boundary(cut) && text[cut..].eq_ignore_ascii_case(suffix)).then(|| &text[..cut])
}

/// Does this page's title name a report of one of the earlier forms?
pub(crate) fn report_title_matches(framework: &Framework, lines: &[Line<'_>]) -> bool {
    let Some(page) = &framework.page else { return false };
    let (Some(at), _) = title_at(lines) else { return false };
    match_title(&page.title_patterns, lines[at].text).is_some()
}

/// A year written alone (`2012`), or the first of a `2014-2017` span.
fn year_of(text: &str) -> Option<i32> {
    let digits: String = text.trim().chars().take(4).collect();
    Year::parse(&digits).ok().map(Year::get)
}

fn resolve_party(name: &str) -> Option<&'static countries::Country> {
    countries::resolve_name(name).or_else(|| countries::by_iso3(name.trim()))
}

fn warn(warnings: &mut Vec<ImportWarning>, line: usize, message: String) {
    warnings.push(ImportWarning { line, message });
}

/// What a section reached, for the report of a page that stops early.
fn missing_sections(framework: &Framework, reached: Option<usize>) -> Vec<String> {
    let from = reached.map_or(0, |r| r + 1);
    framework.sections.iter().skip(from).map(|s| s.id.clone()).collect()
}

/// Reads a report page of an earlier form (2016–2019 or 2012).
/// `lines` are the page's, with the site's messages taken out (`site_messages`).
pub(crate) fn read_report(
    index: &LabelIndex<'_>,
    lines: &[Line<'_>],
    site_messages: Vec<ImportWarning>,
    hints: &Hints,
) -> Result<ReportDocument, ImportError> {
    let framework = index.framework;
    let (title_at, capture) = title_at(lines);
    let Some(title_at) = title_at else {
        return Err(ImportError::NotAReport { reason: "the page is empty".into() });
    };
    let title = lines[title_at].text;
    // A framework that describes no page has no title patterns: the title then names nothing.
    let patterns = framework.page.as_ref().map(|p| p.title_patterns.as_slice()).unwrap_or_default();
    let (title_party, title_year) = match_title(patterns, title).unwrap_or((None, None));
    let group_heading = framework.page.as_ref().and_then(|p| p.group_heading.as_deref()).map(normalize_loose);
    let mut warnings = site_messages;
    let mut answers: Map<String, Value> = Map::new();
    let mut measures: Vec<PolicyMeasure> = Vec::new();
    let mut cso_measures: Vec<CsoMeasure> = Vec::new();
    let mut section: Option<usize> = None;
    let mut list: Option<&RecordType> = None;
    let mut labels = 0;
    let mut last_line = title_at;
    let keys = LineKeys::of(lines);
    let mut empty_measure: Option<PolicyMeasure> = None;
    let mut row_buffers = RowBuffers::default();
    let mut pos = title_at + 1;
    while pos < lines.len() {
        let line = lines[pos];
        let at = pos;
        pos += 1;
        if line.is_blank() {
            continue;
        }
        last_line = at;
        if is_gap(line.text) {
            warn(
                &mut warnings,
                line.no,
                "Text is missing here (the copy marks a gap with `[...]`): the answer before it may be incomplete"
                    .into(),
            );
            continue;
        }
        // A line without a label has the empty key, which is no question's.
        let key = keys.label(at).unwrap_or_default();
        // A heading that is also a question's label (`Executive summary`) is the question.
        if line.label.is_none()
            && !index.questions.contains_key(key)
            && let Some(&heading) = index.headings.get(key)
        {
            section = Some(heading);
            list = None;
            continue;
        }
        if group_heading.as_deref() == Some(key) {
            continue;
        }
        if let Some(record) = index.list_headers.get(key) {
            list = Some(record);
            // Room for a measure a line: a list is most of its page.
            measures.reserve(lines[pos..].iter().filter(|l| !l.is_blank()).count());
            continue;
        }
        let (target, inline) = match index.questions.get(key) {
            Some(target) => (Some(*target), None),
            None => match keys.inline(at).and_then(|k| index.questions.get(k).map(|t| (*t, keys.inline_value(at)))) {
                Some((target, value)) => (Some(target), Some(value)),
                None => (None, None),
            },
        };
        if let Some(Target::Question(at, question)) = target {
            labels += 1;
            section = Some(section.map_or(at, |s| s.max(at)));
            list = None;
            let mut values: Vec<Line<'_>> = Vec::new();
            if let Some(text) = inline.filter(|t| !t.is_empty()) {
                values.push(Line { no: line.no, text, label: None, strong_label: false });
            }
            while pos < lines.len()
                && !ends_value(index, &lines[pos], keys.label(pos), keys.inline(pos), &group_heading)
            {
                values.push(lines[pos]);
                pos += 1;
            }
            if let Some(at) = values.iter().rposition(|l| !l.is_blank()) {
                last_line = last_line.max(values[at].no - 1);
            }
            if question.answer_type == AnswerType::Group {
                for stray in trim_blank(&values) {
                    warn(
                        &mut warnings,
                        stray.no,
                        format!("{}: text under a group heading, not placed: `{}`", question.id, stray.text),
                    );
                }
                continue;
            }
            let read = values::read_answer(question, &values);
            for (no, message) in read.problems {
                warn(&mut warnings, no, message);
            }
            check_value(question, &read.value, line.no, &mut warnings);
            if !read.value.is_null() {
                if answers.contains_key(&question.id) {
                    warn(
                        &mut warnings,
                        line.no,
                        format!("{}: answered twice; the second answer is not placed: {}", question.id, read.value),
                    );
                } else {
                    answers.insert(question.id.clone(), read.value);
                }
            }
            continue;
        }
        if let Some(record) = list {
            // A list outside an area's section has no area; validation reports the measure.
            let area = section.and_then(|s| framework.sections[s].area.clone()).unwrap_or_default();
            match list_row(index, record, line.text, &mut row_buffers) {
                Some(row) => {
                    // Every row has a title, a scope and a nature: the measure is the empty
                    // one with those (no JSON round trip per row).
                    let mut measure = empty_measure.get_or_insert_with(empty_policy_measure).clone();
                    measure.title = row.title.to_owned();
                    measure.area = area;
                    measure.extra.insert("scope".into(), row.scope);
                    measure.extra.insert("nature".into(), row.nature);
                    measures.push(measure);
                }
                None => warn(
                    &mut warnings,
                    line.no,
                    format!("A line of the measures list without its scope and nature, not placed: `{}`", line.text),
                ),
            }
            continue;
        }
        match line.label {
            Some(label) => {
                let mut values = Vec::new();
                while pos < lines.len()
                    && !ends_value(index, &lines[pos], keys.label(pos), keys.inline(pos), &group_heading)
                {
                    values.push(lines[pos]);
                    pos += 1;
                }
                warn(
                    &mut warnings,
                    line.no,
                    format!(
                        "A label form `{}` does not have, not placed: `{label}`: `{}`",
                        framework.id,
                        paragraphs(&values)
                    ),
                );
            }
            None => warn(&mut warnings, line.no, format!("Text outside any question, not placed: `{}`", line.text)),
        }
    }
    if labels == 0 && measures.is_empty() {
        return Err(ImportError::NotAReport {
            reason: format!(
                "the page is titled like a report of form `{}` but holds none of its questions",
                framework.id
            ),
        });
    }
    let party_question = framework.questions().map(|(_, q)| q).find(|q| q.options.as_deref() == Some("parties"));
    let answered_party = party_question.and_then(|q| answers.get(&q.id)).and_then(Value::as_str).map(str::to_owned);
    let party_name = answered_party.or_else(|| title_party.map(str::to_owned)).or_else(|| hints.party.clone());
    let Some(party_name) = party_name else {
        return Err(ImportError::Missing { what: "the Party: give it with --party".into() });
    };
    let year_answer = framework
        .page
        .as_ref()
        .and_then(|p| p.year_question.as_deref())
        .and_then(|id| answers.get(id))
        .and_then(Value::as_str)
        .and_then(year_of);
    let Some(year) = title_year.or(year_answer).or(hints.year) else {
        return Err(ImportError::Missing { what: "the report's year: give it with --year".into() });
    };
    let country = resolve_party(&party_name);
    if country.is_none() {
        warn(
            &mut warnings,
            title_at + 1,
            format!("`{party_name}` is not a known Party name; the report is kept under it"),
        );
    }
    check_ratification(framework, country, &answers, &mut warnings);
    let mut document =
        ReportDocument::new(&framework.id, PartyRef { name: party_name, iso3: country.map(|c| c.iso3.clone()) }, year);
    let prefix = document.party.iso3.as_ref().map_or_else(|| "unknown".to_owned(), ToString::to_string);
    for (i, measure) in measures.iter_mut().enumerate() {
        measure.id = MeasureKind::Policy.measure_id(&prefix, year, i + 1);
    }
    for (i, measure) in cso_measures.iter_mut().enumerate() {
        measure.id = MeasureKind::Cso.measure_id(&prefix, year, i + 1);
    }
    document.answers = answers.into_iter().collect();
    document.policy_measures = measures;
    document.cso_measures = cso_measures;
    // A page that ends on a gap stops early. The 2016–2019 pages carry the whole form, so one
    // that ends before its last section stops early too; the 2012 pages (with a year line)
    // publish only part of the form, so only a final gap tells.
    let ends_on_gap = lines.iter().rev().find(|l| !l.is_blank()).is_some_and(|l| is_gap(l.text));
    let whole_form = framework.page.as_ref().is_none_or(|p| p.year_question.is_none());
    let missing = if ends_on_gap || whole_form { missing_sections(framework, section) } else { Vec::new() };
    let stops = lines.get(last_line).map_or(0, |l| l.no);
    if !missing.is_empty() {
        warn(
            &mut warnings,
            stops,
            format!(
                "The page stops at line {stops}: it is imported with what it has; missing sections: {}",
                missing.join(", ")
            ),
        );
    }
    document.source = Some(SourceInfo {
        page_title: Some(title.to_owned()),
        archive_capture: capture,
        missing_sections: missing,
        ..SourceInfo::default()
    });
    warnings.sort_by_key(|w| w.line);
    document.warnings = warnings;
    Ok(document)
}

/// Does this line end the lines of an answer: a label, a heading, a list header or a gap?
fn ends_value(
    index: &LabelIndex<'_>,
    line: &Line<'_>,
    key: Option<&str>,
    inline: Option<&str>,
    group_heading: &Option<String>,
) -> bool {
    if line.is_blank() {
        return false;
    }
    if is_gap(line.text) {
        return true;
    }
    let Some(key) = key else { return false };
    (line.label.is_none() && index.headings.contains_key(key))
        || index.questions.contains_key(key)
        || index.list_headers.contains_key(key)
        || group_heading.as_deref() == Some(key)
        || inline.is_some_and(|k| index.questions.contains_key(k))
}

/// One row of a flattened measures list, read by [`list_row`].
struct ListRow<'t> {
    /// The free text before the options.
    title: &'t str,
    /// The keys of the scope options, in the order written (an array of strings).
    scope: Value,
    /// The keys of the nature options, in the order written (an array of strings).
    nature: Value,
}

/// The buffers [`list_row`] reuses from row to row.
#[derive(Default)]
struct RowBuffers<'t, 'f> {
    /// The row's words.
    words: Vec<&'t str>,
    /// The keys of one list's options, right to left.
    keys: Vec<&'f str>,
}

/// One row of a flattened measures list: `<title> <scope, …> <nature, …>`, read from the
/// right (the title is free text, scope and nature are options of the form).
fn list_row<'t, 'f>(
    index: &LabelIndex<'f>,
    record: &RecordType,
    text: &'t str,
    buffers: &mut RowBuffers<'t, 'f>,
) -> Option<ListRow<'t>> {
    let list_of =
        |key: &str| record.fields.iter().find(|f| f.key.as_deref() == Some(key)).and_then(|f| f.options.as_deref());
    let (scope_list, nature_list) = (list_of("scope")?, list_of("nature")?);
    // A list the form does not have names no option.
    let no_options = HashMap::default();
    let spellings = |list: &str| index.option_words.get(list).unwrap_or(&no_options);
    let (scope_spellings, nature_spellings) = (spellings(scope_list), spellings(nature_list));
    // The words, split on single spaces as `text.split(' ')` does (a byte loop is quicker for
    // words this short).
    let RowBuffers { words, keys } = buffers;
    words.clear();
    let mut start = 0;
    for (at, byte) in text.bytes().enumerate() {
        if byte == b' ' {
            words.push(&text[start..at]);
            start = at + 1;
        }
    }
    words.push(&text[start..]);
    let words = &*words;
    // The options of one list, read leftwards from `end`: a word of the list, then more as
    // long as the word before ends with `,`; as an array of their keys in the order written.
    let mut read = |spellings: &HashMap<Vec<u8>, &'f str>, end: &mut usize| -> Value {
        keys.clear();
        while *end > 0 {
            let Some(key) = option_word_in(spellings, words[*end - 1].trim_end_matches(',')) else { break };
            keys.push(key);
            *end -= 1;
            if *end > 0 && !words[*end - 1].ends_with(',') {
                break;
            }
        }
        Value::Array(keys.iter().rev().map(|k| Value::String((*k).to_owned())).collect())
    };
    let mut end = words.len();
    let nature = read(nature_spellings, &mut end);
    let scope = read(scope_spellings, &mut end);
    let is_empty = |v: &Value| v.as_array().is_none_or(Vec::is_empty);
    if is_empty(&nature) || is_empty(&scope) || end == 0 {
        return None;
    }
    // The words were split on single spaces: the title is the text up to the last of its words.
    let title_len = words[..end].iter().map(|w| w.len() + 1).sum::<usize>() - 1;
    Some(ListRow { title: &text[..title_len], scope, nature })
}

/// A policy measure with nothing but its empty id, area and title.
fn empty_policy_measure() -> PolicyMeasure {
    let empty = serde_json::json!({"id": "", "area": "", "title": ""});
    serde_json::from_value(empty).unwrap_or_else(|_| unreachable!("the three required fields are given"))
}

/// Values kept as written but worth a look: an e-mail in an address or text field.
fn check_value(question: &Question, value: &Value, line: usize, warnings: &mut Vec<ImportWarning>) {
    if matches!(question.answer_type, AnswerType::Address | AnswerType::ShortText) {
        let texts: Vec<&str> = match value {
            Value::String(s) => vec![s.as_str()],
            Value::Array(items) => items.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        };
        if let Some(email) =
            texts.iter().flat_map(|t| t.split_whitespace()).find(|w| w.contains('@') && w.contains('.'))
        {
            warn(
                warnings,
                line,
                format!(
                    "{}: an e-mail address (`{email}`) in a field that is not an e-mail field; kept as written",
                    question.id
                ),
            );
        }
    }
}

/// A ratification date whose year is not the year the Party deposited its instrument.
fn check_ratification(
    framework: &Framework,
    country: Option<&countries::Country>,
    answers: &Map<String, Value>,
    warnings: &mut Vec<ImportWarning>,
) {
    let Some(deposited) =
        country.and_then(|c| c.ratification.as_ref()).and_then(|r| r.date.as_deref()).and_then(year_of)
    else {
        return;
    };
    for (_, question) in framework.questions() {
        if question.answer_type != AnswerType::Date || !question.id.contains("ratification") {
            continue;
        }
        let Some(text) = answers.get(&question.id).and_then(Value::as_str) else { continue };
        let written = text
            .rsplit(['/', '-', '.', ' '])
            .find_map(|part| (part.len() == 4).then(|| year_of(part)).flatten())
            .or_else(|| year_of(text));
        if let Some(year) = written.filter(|&y| y != deposited) {
            warn(
                warnings,
                0,
                format!(
                    "{}: the page says {year} (`{text}`), the Party deposited its instrument in {deposited}; kept as written",
                    question.id
                ),
            );
        }
    }
}

/// Reads a measure page of the Policy Monitoring Platform: one measure (policy or CSO), in
/// the document of the Party's report of that cycle.
pub(crate) fn read_measure<'a>(
    index: &LabelIndex<'_>,
    lines: &[Line<'a>],
    keys: &LineKeys<'a>,
    hints: &Hints,
) -> Result<ReportDocument, ImportError> {
    let framework = index.framework;
    let (Some(title_at), capture) = title_at(lines) else {
        return Err(ImportError::NotAReport { reason: "the page is empty".into() });
    };
    let title = lines[title_at].text.to_owned();
    let mut warnings = Vec::new();
    let mut cso = false;
    let mut before_label: Vec<Line<'_>> = Vec::new();
    let mut site: HashMap<u8, Vec<Line<'_>>> = HashMap::default();
    let mut fields: Map<String, Value> = Map::new();
    let mut kind = MeasureKind::Policy;
    // A line without a label has the empty key, which is no field's.
    let key_of = |at: usize| keys.label(at).unwrap_or_default();
    let inline_of = |at: usize| keys.inline(at).map(|k| (k, keys.inline_value(at)));
    let mut pos = title_at + 1;
    let mut current_site: Option<SiteField> = None;
    let mut cut = false;
    // First pass over the lines under the title: the site's fields, the CSO notice, and the
    // lines before the first label (the Party and the agencies).
    while pos < lines.len() {
        let line = lines[pos];
        if line.is_blank() {
            pos += 1;
            continue;
        }
        if is_cso_notice(key_of(pos)) {
            cso = true;
            pos += 1;
            continue;
        }
        if let Some(field) = site_field(key_of(pos)) {
            current_site = Some(field);
            site.entry(field as u8).or_default();
            pos += 1;
            continue;
        }
        if index.fields.contains_key(key_of(pos)) || inline_of(pos).is_some_and(|(k, _)| index.fields.contains_key(k)) {
            break;
        }
        if is_gap(line.text) {
            cut = true;
            warn(&mut warnings, line.no, "Text is missing here (the copy marks a gap with `[...]`)".into());
            pos += 1;
            continue;
        }
        match current_site {
            Some(field) => site.entry(field as u8).or_default().push(line),
            None => before_label.push(line),
        }
        pos += 1;
    }
    if cso && framework.record_type(MeasureKind::Cso.record_type()).is_some() {
        kind = MeasureKind::Cso;
    }
    if framework.record_type(kind.record_type()).is_none() {
        return Err(ImportError::NotAReport {
            reason: format!("form `{}` has no record type `{}`", framework.id, kind.record_type()),
        });
    }
    // The labelled fields.
    let mut labels = 0;
    while pos < lines.len() {
        let line = lines[pos];
        let at = pos;
        pos += 1;
        if line.is_blank() {
            continue;
        }
        if is_gap(line.text) {
            cut = true;
            warn(
                &mut warnings,
                line.no,
                "Text is missing here (the copy marks a gap with `[...]`): the page stops or skips here".into(),
            );
            current_site = None;
            continue;
        }
        if let Some(field) = site_field(key_of(at)) {
            current_site = Some(field);
            site.entry(field as u8).or_default();
            continue;
        }
        let (target, inline) = match index.field(kind.record_type(), key_of(at)) {
            Some(target) => (Some(target), None),
            None => match inline_of(at).and_then(|(k, v)| index.field(kind.record_type(), k).map(|t| (t, v))) {
                Some((t, v)) => (Some(t), Some(v)),
                None => (None, None),
            },
        };
        let Some(Target::Field(record, i)) = target else {
            if let Some(field) = current_site {
                site.entry(field as u8).or_default().push(line);
            } else if let Some(label) = line.label {
                warn(
                    &mut warnings,
                    line.no,
                    format!("A label the measure form of `{}` does not have, not placed: `{label}`", framework.id),
                );
            } else {
                warn(&mut warnings, line.no, format!("Text outside any field, not placed: `{}`", line.text));
            }
            continue;
        };
        current_site = None;
        labels += 1;
        let field = &record.fields[i];
        let mut values: Vec<Line<'_>> = Vec::new();
        if let Some(text) = inline.filter(|t| !t.is_empty()) {
            values.push(Line { no: line.no, text, label: None, strong_label: false });
        }
        while pos < lines.len() {
            let next = &lines[pos];
            if !next.is_blank() {
                let ends = is_gap(next.text)
                    || index.field(kind.record_type(), key_of(pos)).is_some()
                    || site_field(key_of(pos)).is_some()
                    || inline_of(pos).is_some_and(|(k, _)| index.field(kind.record_type(), k).is_some());
                if ends {
                    break;
                }
            }
            values.push(*next);
            pos += 1;
        }
        let key = field.key.clone().unwrap_or_else(|| field.id.clone());
        let value = match field.answer_type {
            AnswerType::Table => partners(index, field, &values),
            AnswerType::MultiSelect => multi(index, field, &values),
            _ => {
                let read = values::read_answer(field, &values);
                for (no, message) in read.problems {
                    warn(&mut warnings, no, message);
                }
                read.value
            }
        };
        if !value.is_null() {
            fields.insert(key, value);
        }
    }
    if labels == 0 {
        return Err(ImportError::NotAReport {
            reason: format!("no label of a measure of form `{}` was found", framework.id),
        });
    }
    let site_text =
        |field: SiteField| site.get(&(field as u8)).map(|lines| lines.iter().map(|l| l.text).collect::<Vec<_>>());
    // The lines under the title: the Party when the first names one, then the agencies.
    let mut party_name = site_text(SiteField::Where).and_then(|w| w.first().map(|s| (*s).to_owned()));
    // No `Who` lines: no agencies.
    let mut agencies: Vec<String> = site_text(SiteField::Who)
        .unwrap_or_default()
        .iter()
        .flat_map(|w| w.split(';'))
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
        .collect();
    for (i, line) in before_label.iter().enumerate() {
        if i == 0 && party_name.is_none() && resolve_party(line.text).is_some() {
            party_name = Some(line.text.to_owned());
        } else {
            agencies.push(line.text.to_owned());
        }
    }
    let party_name = party_name.or_else(|| hints.party.clone());
    let year = site_text(SiteField::When).and_then(|w| w.first().and_then(|s| year_of(s))).or(hints.year);
    let mut missing = Vec::new();
    if party_name.is_none() {
        missing.push("the Party: give it with --party");
    }
    if year.is_none() {
        missing.push("the year: give it with --year");
    }
    if !missing.is_empty() {
        return Err(ImportError::Missing { what: missing.join(" and ") });
    }
    let (Some(party_name), Some(year)) = (party_name, year) else { return Err(ImportError::NoYear) };
    let country = resolve_party(&party_name);
    let name = country.map_or_else(
        || party_name.clone(),
        |c| if countries::by_iso3(&party_name).is_some() { c.name.en.clone() } else { party_name.clone() },
    );
    let mut document =
        ReportDocument::new(&framework.id, PartyRef { name, iso3: country.map(|c| c.iso3.clone()) }, year);
    let prefix = document.party.iso3.as_ref().map_or_else(|| "unknown".to_owned(), ToString::to_string);
    fields.insert("title".into(), Value::String(title.clone()));
    if let Some(goals) = site_text(SiteField::Goals).filter(|g| !g.is_empty()) {
        fields.insert("goals".into(), goals.into_iter().map(|g| Value::String(g.to_owned())).collect());
    }
    if let Some(domains) = site_text(SiteField::Domains).filter(|d| !d.is_empty()) {
        fields.entry("domains").or_insert_with(|| domains.into_iter().map(|d| Value::String(d.to_owned())).collect());
    }
    fields.insert("id".into(), Value::String(String::new()));
    if kind == MeasureKind::Cso {
        fields.insert("organizations".into(), agencies.into_iter().map(Value::String).collect());
        let goal = site_text(SiteField::Goals)
            .and_then(|g| g.iter().find_map(|t| t.chars().find(|c| ('1'..='4').contains(c))))
            .and_then(|c| c.to_digit(10));
        // A page that shows no goal gives goal 0, which validation reports (`unknown-goal`), so
        // that the editor asks for it.
        fields.insert("goal".into(), Value::from(goal.unwrap_or(0)));
        let mut measure: CsoMeasure = serde_json::from_value(Value::Object(fields))
            .map_err(|e| ImportError::NotAReport { reason: format!("the measure could not be read: {e}") })?;
        measure.id = MeasureKind::Cso.measure_id(&prefix, year, 1);
        document.cso_measures.push(measure);
    } else {
        fields.insert("agencies".into(), agencies.into_iter().map(Value::String).collect());
        fields.insert("area".into(), Value::String(String::new()));
        let mut measure: PolicyMeasure = serde_json::from_value(Value::Object(fields))
            .map_err(|e| ImportError::NotAReport { reason: format!("the measure could not be read: {e}") })?;
        measure.id = MeasureKind::Policy.measure_id(&prefix, year, 1);
        document.policy_measures.push(measure);
    }
    let stops = lines.iter().rev().find(|l| !l.is_blank()).map_or(0, |l| l.no);
    let mut source = SourceInfo {
        page_title: Some(title),
        archive_capture: capture,
        kind: Some("measure_page".into()),
        ..SourceInfo::default()
    };
    if cut {
        source.missing_sections = vec!["rest of the measure".into()];
        warn(
            &mut warnings,
            stops,
            format!("The page stops at line {stops}: the measure is imported with the fields shown before it"),
        );
    }
    if country.is_none() {
        warn(&mut warnings, title_at + 1, format!("`{}` is not a known Party name", document.party.name));
    }
    document.source = Some(source);
    warnings.sort_by_key(|w| w.line);
    document.warnings = warnings;
    Ok(document)
}

/// Partner rows: the column headers (run together by the page, `Name of partnerType of
/// entity`) are skipped; then a name line, and a type line when the next resolves to a type.
fn partners(index: &LabelIndex<'_>, field: &Question, values: &[Line<'_>]) -> Value {
    let headers: Vec<String> = field.columns.iter().map(|c| c.label.en.clone()).collect();
    let joined = [normalize_loose(&headers.concat()), normalize_loose(&headers.join(" "))];
    let lines: Vec<&str> = values
        .iter()
        .map(|l| l.text)
        .filter(|t| !t.is_empty())
        .filter(|t| !joined.contains(&normalize_loose(t)))
        .collect();
    // A table without a column of options has no type list: every row's type is then unknown.
    let type_list = field.columns.iter().find_map(|c| c.options.clone()).unwrap_or_default();
    let mut rows = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let name = lines[i].to_owned();
        let entity_type = lines.get(i + 1).filter(|t| index.option(&type_list, t).is_some()).map(|t| (*t).to_owned());
        i += if entity_type.is_some() { 2 } else { 1 };
        rows.push(serde_json::to_value(Partner { name, entity_type }).unwrap_or(Value::Null));
    }
    if rows.is_empty() { Value::Null } else { Value::Array(rows) }
}

/// Options written one a line or several on a line separated by commas, as keys when known.
fn multi(index: &LabelIndex<'_>, field: &Question, values: &[Line<'_>]) -> Value {
    let items: Vec<Value> = values
        .iter()
        .flat_map(|l| l.text.split(','))
        .map(str::trim)
        .filter(|s| !s.is_empty() && *s != "-")
        .map(|s| {
            let key = field.options.as_deref().and_then(|list| index.option(list, s));
            Value::String(key.unwrap_or(s).to_owned())
        })
        .collect();
    if items.is_empty() { Value::Null } else { Value::Array(items) }
}
