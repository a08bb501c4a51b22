//! Reading the value lines under a label as the answer type of its question asks.

use qpr_domain::document::Amount;
use qpr_domain::framework::{AnswerType, Question};
use qpr_domain::money::Usd;
use qpr_domain::text::normalize_loose;
use serde_json::{Map, Value, json};

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
        Some(answer) => Read { value: Value::Bool(answer), problems: leftovers(rest, &format!("{what}: text after the answer")) },
        None if rest.is_empty() => {
            Read { value: Value::Null, problems: vec![(first.no, format!("{what}: expected YES or NO, found `{}`", first.text))] }
        }
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
    use AnswerType as T;
    match question.answer_type {
        T::YesNo => read_yes_no(lines, &question.id),
        T::FreeText => Read::ok(Value::String(paragraphs(lines))),
        // A published page never shows the signature itself, so text under its label is
        // something else (the archived seed page ends with injected link text there).
        T::Signature => Read {
            value: Value::Null,
            problems: leftovers(lines, "Text after the electronic signature label, which a published page leaves empty"),
        },
        T::ShortText | T::SingleSelect | T::Email | T::Url | T::Date => {
            let texts: Vec<&str> = non_blank(lines).map(|l| l.text).collect();
            Read::ok(Value::String(texts.join("\n")))
        }
        T::MultiSelect | T::TextList | T::Address | T::FileList => {
            let items = non_blank(lines).map(|l| Value::String(l.text.to_owned())).collect();
            Read::ok(Value::Array(items))
        }
        T::EmailList => {
            let items = non_blank(lines)
                .flat_map(|l| l.text.split([';', ',']))
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| Value::String(s.to_owned()))
                .collect();
            Read::ok(Value::Array(items))
        }
        T::NestedMultiSelect => nested(question, lines),
        T::PercentWithYear => {
            let (percent, mut problems) = match percent(first.text) {
                Some(p) => (json!(p), Vec::new()),
                None => (Value::Null, vec![(first.no, format!("{}: `{}` is not a percentage", question.id, first.text))]),
            };
            let mut object = Map::new();
            if percent.is_null() {
                object.insert("raw".into(), Value::String(first.text.to_owned()));
            }
            object.insert("percent".into(), percent);
            object.insert("year".into(), year_after(question, lines, &mut problems));
            Read { value: Value::Object(object), problems }
        }
        T::AmountUsdWithYear | T::AmountUsd => {
            let text_lines = if question.answer_type == T::AmountUsd { lines } else { &lines[..1] };
            let amount = Amount::from_raw(paragraphs(text_lines));
            let mut problems = Vec::new();
            let mut object = Map::new();
            object.insert("raw".into(), Value::String(amount.raw));
            object.insert("usd".into(), amount.usd.map_or(Value::Null, |u: Usd| json!(u)));
            if question.answer_type == T::AmountUsdWithYear {
                object.insert("year".into(), year_after(question, lines, &mut problems));
            }
            Read { value: Value::Object(object), problems }
        }
        T::Rating1To4 => match first.text.parse::<u8>() {
            // Lines after the rating are stray text before the next label: reported, the
            // rating is kept.
            Ok(rating) => {
                Read { value: json!(rating), problems: leftovers(&lines[1..], &format!("{}: text after the rating", question.id)) }
            }
            Err(_) => Read { value: Value::Null, problems: leftovers(lines, &format!("{}: expected a rating from 1 to 4", question.id)) },
        },
        T::Group | T::Table | T::Records => {
            Read { value: Value::Null, problems: leftovers(lines, &format!("{}: text under a heading", question.id)) }
        }
    }
}

/// The year on the line after a value (`1.00%` then `2021`).
fn year_after(question: &Question, lines: &[Line<'_>], problems: &mut Vec<(usize, String)>) -> Value {
    let mut rest = non_blank(&lines[1..]);
    let value = match rest.next() {
        Some(line) => match line.text.parse::<i32>() {
            Ok(year) if (1900..=2100).contains(&year) => json!(year),
            _ => {
                problems.push((line.no, format!("{}: `{}` is not a year", question.id, line.text)));
                Value::Null
            }
        },
        None => Value::Null,
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
    let mut groups = Map::new();
    let mut current: Option<&str> = None;
    let mut problems = Vec::new();
    for line in non_blank(lines) {
        let wanted = normalize_loose(line.text);
        if let Some(group) =
            question.groups.iter().find(|g| normalize_loose(&g.label.en) == wanted || normalize_loose(&g.label.fr) == wanted)
        {
            current = Some(&group.key);
            groups.entry(group.key.clone()).or_insert_with(|| Value::Array(Vec::new()));
            continue;
        }
        match current {
            Some(key) => {
                if let Some(Value::Array(items)) = groups.get_mut(key) {
                    items.push(Value::String(line.text.to_owned()));
                }
            }
            None => problems.push((line.no, format!("{}: option outside any group, not placed: `{}`", question.id, line.text))),
        }
    }
    Read { value: Value::Object(groups), problems }
}
