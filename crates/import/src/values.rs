//! Reading the value lines under a label as the answer type of its question asks.

use qpr_domain::Year;
use qpr_domain::answer::{Answer, Figure};
use qpr_domain::document::Amount;
use qpr_domain::framework::{AnswerType, Question};
use qpr_domain::text::normalize_loose;
use serde_json::{Number, Value, json};

use crate::lines::Line;

/// What a value reader produced: the answer and what it could not read.
pub(crate) struct Read {
    pub value: Value,
    pub problems: Vec<(usize, String)>,
}

impl Read {
    fn ok(value: Value) -> Read {
        Read { value, problems: Vec::new() }
    }
}

/// The lines of a value without the blank lines around it.
pub(crate) fn trim_blank<'l, 'a>(lines: &'l [Line<'a>]) -> &'l [Line<'a>] {
    let start = lines.iter().position(|l| !l.is_blank()).unwrap_or(lines.len());
    let end = lines.iter().rposition(|l| !l.is_blank()).map_or(start, |i| i + 1);
    &lines[start..end]
}

/// `-` alone marks an unanswered question in published reports.
pub(crate) fn is_dash(lines: &[Line<'_>]) -> bool {
    matches!(trim_blank(lines), [only] if only.text == "-")
}

/// Paragraphs separated by blank lines become `\n\n`, lines within a paragraph `\n`.
pub(crate) fn paragraphs(lines: &[Line<'_>]) -> String {
    let mut out = String::new();
    let mut blank_before = false;
    for line in trim_blank(lines) {
        if line.is_blank() {
            blank_before = true;
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank_before { "\n\n" } else { "\n" });
        }
        blank_before = false;
        out.push_str(line.text);
    }
    out
}

fn non_blank<'l, 'a>(lines: &'l [Line<'a>]) -> impl Iterator<Item = &'l Line<'a>> {
    lines.iter().filter(|l| !l.is_blank())
}

/// `YES`/`NO` (and the French `OUI`/`NON`).
pub(crate) fn yes_no(text: &str) -> Option<bool> {
    match text.trim().to_uppercase().as_str() {
        "YES" | "OUI" | "TRUE" => Some(true),
        "NO" | "NON" | "FALSE" => Some(false),
        _ => None,
    }
}

/// Reads a yes/no value, reporting anything else. Lines after a `YES`/`NO` line are not part
/// of the answer (stray text before the next label): they are reported, the answer is kept.
pub(crate) fn read_yes_no(lines: &[Line<'_>], what: &str) -> Read {
    let lines = trim_blank(lines);
    let Some((first, rest)) = lines.split_first() else { return Read::ok(Value::Null) };
    match yes_no(first.text) {
        Some(answer) => {
            Read { value: Value::Bool(answer), problems: leftovers(rest, &format!("{what}: text after the answer")) }
        }
        None if rest.is_empty() => Read {
            value: Value::Null,
            problems: vec![(first.no, format!("{what}: expected YES or NO, found `{}`", first.text))],
        },
        None => Read { value: Value::Null, problems: leftovers(lines, &format!("{what}: expected YES or NO")) },
    }
}

fn leftovers(lines: &[Line<'_>], context: &str) -> Vec<(usize, String)> {
    non_blank(lines).map(|l| (l.no, format!("{context}; not placed: `{}`", l.text))).collect()
}

/// Reads the value of a question of the form (not records, not groups, not tables).
pub(crate) fn read_answer(question: &Question, lines: &[Line<'_>]) -> Read {
    let lines = trim_blank(lines);
    if is_dash(lines) || lines.is_empty() {
        return Read::ok(Value::Null);
    }
    let first = &lines[0];
    let answer = |answer: Answer| Read::ok(answer.to_value());
    let items = || non_blank(lines).map(|l| l.text.to_owned()).collect::<Vec<_>>();
    let text = || non_blank(lines).map(|l| l.text).collect::<Vec<_>>().join("\n");
    use AnswerType as T;
    match question.answer_type {
        T::YesNo => read_yes_no(lines, &question.id),
        T::FreeText => answer(Answer::FreeText(paragraphs(lines))),
        // A published page never shows the signature itself, so text under its label is
        // something else (the archived seed page ends with injected link text there).
        T::Signature => Read {
            value: Value::Null,
            problems: leftovers(
                lines,
                "Text after the electronic signature label, which a published page leaves empty",
            ),
        },
        T::ShortText => answer(Answer::ShortText(text())),
        T::SingleSelect => answer(Answer::SingleSelect(text())),
        T::Email => answer(Answer::Email(text())),
        T::Url => answer(Answer::Url(text())),
        T::Date => answer(Answer::Date(text())),
        T::MultiSelect => answer(Answer::MultiSelect(items())),
        T::TextList => answer(Answer::TextList(items())),
        T::Address => answer(Answer::Address(items())),
        // What a published page shows of the documents: their titles, one per line, kept as
        // read (not the rows of an upload; validation says so).
        T::FileList => Read::ok(Value::Array(items().into_iter().map(Value::String).collect())),
        T::EmailList => {
            let items = non_blank(lines)
                .flat_map(|l| l.text.split([';', ',']))
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect();
            answer(Answer::EmailList(items))
        }
        T::NestedMultiSelect => nested(question, lines),
        T::PercentWithYear => {
            let (percent, mut problems) = match percent(first.text).and_then(Number::from_f64) {
                Some(p) => (Ok(p), Vec::new()),
                None => (
                    Err(first.text.to_owned()),
                    vec![(first.no, format!("{}: `{}` is not a percentage", question.id, first.text))],
                ),
            };
            let year = year_after(question, lines, &mut problems);
            Read { value: Answer::PercentWithYear(Figure::percent(percent, year)).to_value(), problems }
        }
        T::AmountUsdWithYear | T::AmountUsd => {
            let text_lines = if question.answer_type == T::AmountUsd { lines } else { &lines[..1] };
            let amount = Amount::from_raw(paragraphs(text_lines));
            let mut problems = Vec::new();
            let value = if question.answer_type == T::AmountUsdWithYear {
                let year = year_after(question, lines, &mut problems);
                Answer::AmountUsdWithYear(Figure::amount(amount.raw, amount.usd, Some(year)))
            } else {
                Answer::AmountUsd(Figure::amount(amount.raw, amount.usd, None))
            };
            Read { value: value.to_value(), problems }
        }
        T::Rating1To4 => match first.text.parse::<u8>() {
            // Lines after the rating are stray text before the next label: reported, the
            // rating is kept.
            Ok(rating) => Read {
                value: json!(rating),
                problems: leftovers(&lines[1..], &format!("{}: text after the rating", question.id)),
            },
            Err(_) => Read {
                value: Value::Null,
                problems: leftovers(lines, &format!("{}: expected a rating from 1 to 4", question.id)),
            },
        },
        T::Group | T::Table | T::Records => {
            Read { value: Value::Null, problems: leftovers(lines, &format!("{}: text under a heading", question.id)) }
        }
    }
}

/// The year on the line after a value (`1.00%` then `2021`).
fn year_after(question: &Question, lines: &[Line<'_>], problems: &mut Vec<(usize, String)>) -> Option<Year> {
    let mut rest = non_blank(&lines[1..]);
    let value = match rest.next() {
        Some(line) => match Year::parse(line.text) {
            Ok(year) => Some(year),
            Err(_) => {
                problems.push((line.no, format!("{}: `{}` is not a year", question.id, line.text)));
                None
            }
        },
        None => None,
    };
    for line in rest {
        problems.push((line.no, format!("{}: not placed: `{}`", question.id, line.text)));
    }
    value
}

/// `1.00%`, `37,5 %`, `57`.
fn percent(text: &str) -> Option<f64> {
    let number = text.trim().trim_end_matches('%').trim().replace(',', ".");
    number.parse::<f64>().ok().filter(|p| p.is_finite())
}

/// Options under group headers; items before any header are reported.
fn nested(question: &Question, lines: &[Line<'_>]) -> Read {
    let mut groups: Vec<(String, Vec<String>)> = Vec::new();
    let mut current: Option<usize> = None;
    let mut problems = Vec::new();
    for line in non_blank(lines) {
        let wanted = normalize_loose(line.text);
        if let Some(group) = question
            .groups
            .iter()
            .find(|g| normalize_loose(&g.label.en) == wanted || normalize_loose(&g.label.fr) == wanted)
        {
            let at = groups.iter().position(|(key, _)| key == &group.key).unwrap_or_else(|| {
                groups.push((group.key.clone(), Vec::new()));
                groups.len() - 1
            });
            current = Some(at);
            continue;
        }
        match current.and_then(|at| groups.get_mut(at)) {
            Some((_, items)) => items.push(line.text.to_owned()),
            None => problems
                .push((line.no, format!("{}: option outside any group, not placed: `{}`", question.id, line.text))),
        }
    }
    Read { value: Answer::NestedMultiSelect(groups).to_value(), problems }
}

#[cfg(test)]
mod tests {
    use qpr_domain::Framework;

    use super::*;

    /// Every answer and record field of an imported report reads as its question's type and
    /// writes back as the same JSON text.
    fn assert_answers_round_trip(framework: &Framework, document: &qpr_domain::ReportDocument) -> usize {
        let check = |answer_type: AnswerType, value: &Value, what: &str| {
            let answer = Answer::read(answer_type, value).unwrap_or_else(|e| panic!("{what}: {e}"));
            assert_eq!(
                serde_json::to_string(&answer.to_value()).unwrap(),
                serde_json::to_string(value).unwrap(),
                "{what}"
            );
        };
        let mut checked = 0;
        for (id, value) in document.answers.iter().filter(|(_, v)| !v.is_null()) {
            let question = framework.question(id).unwrap_or_else(|| panic!("{id} is a question"));
            check(question.answer_type, value, id);
            checked += 1;
        }
        let records = [
            ("policy_measure", serde_json::to_value(&document.policy_measures)),
            ("cso_measure", serde_json::to_value(&document.cso_measures)),
        ];
        for (record_type, records) in records {
            let record_type = framework.record_type(record_type).unwrap();
            for record in records.unwrap().as_array().unwrap() {
                for field in &record_type.fields {
                    let key = field.key.as_deref().unwrap_or(&field.id);
                    if let Some(value) = record.get(key).filter(|v| !v.is_null()) {
                        check(field.answer_type, value, key);
                        checked += 1;
                    }
                }
            }
        }
        checked
    }

    #[test]
    fn the_demo_reports_answers_round_trip_through_their_types() {
        let framework = Framework::qpr_2020();
        let document =
            crate::import_published(framework, include_str!("../../../demo/qpr-azerbaijan-2022.txt")).unwrap();
        assert!(assert_answers_round_trip(framework, &document) > 100);
    }
}
