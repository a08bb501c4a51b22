//! Parties side by side (`/compare`): the latest published reports of two to five Parties,
//! question by question in the form's order, each answer shown as the report page shows it,
//! and their measures per area of monitoring (and the CSO measures per goal).
//!
//! The rows are the questions of the newest form among the reports. A report that answers an
//! earlier version of the form is read through the version mapping (`qpr_domain::mapping`):
//! its answer to the question that version asks instead, or "not asked" when it asks none.

use qpr_domain::ReportDocument;
use qpr_domain::framework::{AnswerType, Framework, Question, Section};
use qpr_domain::mapping::VersionMapping;
use qpr_domain::text::Lang;

use crate::report::{Shown, shown};

/// One Party's report to compare.
#[derive(Debug, Clone, Copy)]
pub struct CompareInput<'a> {
    /// The Party's code.
    pub iso3: &'a str,
    /// Its name, in the page's language.
    pub name: &'a str,
    /// The framework the report answers.
    pub framework: &'a Framework,
    /// The report.
    pub document: &'a ReportDocument,
}

/// A column: one Party's report.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// The Party's code.
    pub iso3: String,
    /// Its name.
    pub name: String,
    /// The report's year.
    pub year: i32,
}

/// What a report says to a question.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// An answer, as the report page shows it; `asked_as` is the label of the question that
    /// answers it in an earlier version of the form, when the report answers that version.
    Answer {
        /// The answer.
        shown: Shown,
        /// The earlier version's label, if the answer comes through the version mapping.
        asked_as: Option<String>,
    },
    /// The report leaves the question unanswered.
    NoAnswer,
    /// The report's version of the form does not ask it.
    NotAsked,
}

/// A row of a section: a question of the form, in the form's order.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// The question's id (the element id of its field on a report page).
    pub id: String,
    /// Its label.
    pub label: String,
    /// What each report says to it.
    pub kind: RowKind,
}

/// What a row holds, one entry per report in the order of [`Comparison::columns`].
#[derive(Debug, Clone, PartialEq)]
pub enum RowKind {
    /// A group heading (its fields follow), which has no answer of its own.
    Heading,
    /// Each report's answer.
    Answers(Vec<Cell>),
    /// A repeater: each report's measures under it (an area's policies and measures, or a
    /// goal's CSO measures).
    Measures(Vec<Vec<MeasureItem>>),
}

/// A measure in a [`RowKind::Measures`] cell.
#[derive(Debug, Clone, PartialEq)]
pub struct MeasureItem {
    /// Its id (its page is under its report).
    pub id: String,
    /// Its title.
    pub title: String,
}

/// A section of the form with its rows.
#[derive(Debug, Clone, PartialEq)]
pub struct CompareSection {
    /// The section's id.
    pub id: String,
    /// The heading of the goal it opens, on the first section of each goal.
    pub goal: Option<String>,
    /// Its heading.
    pub heading: String,
    /// Whether it belongs to a goal (its heading is then one level below the goal's).
    pub in_goal: bool,
    /// The questions and repeaters, in the form's order.
    pub rows: Vec<Row>,
}

/// The comparison.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    /// The reports, in the order given.
    pub columns: Vec<Column>,
    /// The form's sections (those with a question or a repeater).
    pub sections: Vec<CompareSection>,
}

/// Compares reports: rows from the framework of the newest report (the first of the newest
/// year), one column per report in the order given.
pub fn compare(reports: &[CompareInput<'_>], lang: Lang) -> Comparison {
    let columns = reports
        .iter()
        .map(|r| Column { iso3: r.iso3.to_owned(), name: r.name.to_owned(), year: r.document.year })
        .collect();
    let Some(newest) = reports.iter().max_by_key(|r| (r.document.year, std::cmp::Reverse(r.iso3))) else {
        return Comparison { columns, sections: Vec::new() };
    };
    let base = newest.framework;
    let mut sections = Vec::new();
    let mut goal = None;
    for section in &base.sections {
        let goal_heading = if section.goal != goal {
            goal = section.goal;
            section.goal.and_then(|n| base.goal(n)).map(|g| g.heading.get(lang).to_owned())
        } else {
            None
        };
        let mut rows = Vec::new();
        for question in &section.questions {
            add_question(base, section, question, reports, lang, &mut rows);
        }
        if rows.is_empty() {
            continue;
        }
        sections.push(CompareSection {
            id: section.id.clone(),
            goal: goal_heading,
            heading: section.heading.get(lang).to_owned(),
            in_goal: section.goal.is_some(),
            rows,
        });
    }
    Comparison { columns, sections }
}

fn add_question(
    base: &Framework,
    section: &Section,
    question: &Question,
    reports: &[CompareInput<'_>],
    lang: Lang,
    rows: &mut Vec<Row>,
) {
    let label = question.label.get(lang).to_owned();
    let kind = match question.answer_type {
        AnswerType::Records => {
            RowKind::Measures(reports.iter().map(|r| measures_of(r.document, section, question)).collect())
        }
        AnswerType::Group => {
            rows.push(Row { id: question.id.clone(), label, kind: RowKind::Heading });
            for field in &question.fields {
                add_question(base, section, field, reports, lang, rows);
            }
            return;
        }
        // The published page never shows the signature itself.
        AnswerType::Signature => return,
        _ => RowKind::Answers(reports.iter().map(|r| cell(base, question, r, lang)).collect()),
    };
    rows.push(Row { id: question.id.clone(), label, kind });
}

/// A report's answer to a question of the base framework.
fn cell(base: &Framework, question: &Question, report: &CompareInput<'_>, lang: Lang) -> Cell {
    let answer = |framework: &Framework, asked: &Question, asked_as: Option<String>| {
        report
            .document
            .answer(&asked.id)
            .map(|value| Cell::Answer { shown: shown(framework, asked, value, lang), asked_as })
    };
    if report.framework.id == base.id {
        return answer(base, question, None).unwrap_or(Cell::NoAnswer);
    }
    let equivalents = VersionMapping::builtin().equivalents(&base.id, &question.id, &report.framework.id);
    let asked: Vec<&Question> = equivalents.iter().filter_map(|(id, _)| report.framework.question(id)).collect();
    if asked.is_empty() {
        return Cell::NotAsked;
    }
    asked.iter().find_map(|q| answer(report.framework, q, Some(q.label.get(lang).to_owned()))).unwrap_or(Cell::NoAnswer)
}

/// The measures of a report under a repeater of the base framework: an area's policies and
/// measures, or a goal's CSO measures (area keys and goals are the same in every version).
fn measures_of(document: &ReportDocument, section: &Section, question: &Question) -> Vec<MeasureItem> {
    match (question.goal, section.area.as_deref()) {
        (Some(goal), _) => document
            .cso_measures_of_goal(goal)
            .map(|m| MeasureItem { id: m.id.clone(), title: m.title.clone() })
            .collect(),
        (None, Some(area)) => {
            document.measures_in_area(area).map(|m| MeasureItem { id: m.id.clone(), title: m.title.clone() }).collect()
        }
        (None, None) => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use qpr_domain::document::PartyRef;

    use super::*;

    fn demo() -> ReportDocument {
        qpr_import::import_published(Framework::qpr_2020(), include_str!("../../../demo/qpr-azerbaijan-2022.txt"))
            .unwrap()
    }

    /// The first question of the 2020 form of each answer type asked, with a value.
    fn question_of(framework: &Framework, answer_type: AnswerType) -> &Question {
        framework.questions().map(|(_, q)| q).find(|q| q.answer_type == answer_type).unwrap()
    }

    #[test]
    fn each_cell_is_the_answer_as_the_report_page_shows_it_in_the_forms_order() {
        let framework = Framework::qpr_2020();
        let azerbaijan = demo();
        let mut france = ReportDocument::new("qpr-2020", PartyRef { name: "France".into(), iso3: None }, 2021);
        let yes_no = question_of(framework, AnswerType::YesNo);
        france.answers.insert(yes_no.id.clone(), serde_json::json!(false));
        let inputs = [
            CompareInput { iso3: "AZE", name: "Azerbaïdjan", framework, document: &azerbaijan },
            CompareInput { iso3: "FRA", name: "France", framework, document: &france },
        ];
        let comparison = compare(&inputs, Lang::Fr);
        assert_eq!(
            comparison.columns,
            [
                Column { iso3: "AZE".into(), name: "Azerbaïdjan".into(), year: 2022 },
                Column { iso3: "FRA".into(), name: "France".into(), year: 2021 }
            ]
        );
        // Rows follow the form, question by question, labels in the page's language.
        let ids: Vec<&str> = comparison.sections.iter().flat_map(|s| s.rows.iter().map(|r| r.id.as_str())).collect();
        let expected: Vec<&str> = framework
            .questions()
            .map(|(_, q)| q)
            .filter(|q| q.answer_type != AnswerType::Signature)
            .map(|q| q.id.as_str())
            .collect();
        let with_fields: Vec<&str> = {
            fn walk<'a>(q: &'a Question, out: &mut Vec<&'a str>) {
                if q.answer_type != AnswerType::Signature {
                    out.push(&q.id);
                }
                for f in &q.fields {
                    walk(f, out);
                }
            }
            let mut out = Vec::new();
            for section in &framework.sections {
                for q in &section.questions {
                    walk(q, &mut out);
                }
            }
            out
        };
        assert!(expected.iter().all(|id| with_fields.contains(id)));
        assert_eq!(ids, with_fields);
        // Every cell is what the report page shows for that report.
        for row in comparison.sections.iter().flat_map(|s| &s.rows) {
            let question = framework.question(&row.id).unwrap();
            assert_eq!(row.label, question.label.get(Lang::Fr));
            let RowKind::Answers(cells) = &row.kind else { continue };
            for (cell, document) in cells.iter().zip([&azerbaijan, &france]) {
                let expected = match document.answer(&row.id) {
                    Some(value) => Cell::Answer { shown: shown(framework, question, value, Lang::Fr), asked_as: None },
                    None => Cell::NoAnswer,
                };
                assert_eq!(cell, &expected, "{}", row.id);
            }
        }
        let row = comparison.sections.iter().flat_map(|s| &s.rows).find(|r| r.id == yes_no.id).unwrap();
        let RowKind::Answers(cells) = &row.kind else { panic!("{row:?}") };
        assert_eq!(cells[1], Cell::Answer { shown: Shown::Lines(vec!["NON".into()]), asked_as: None });
        // Measures per area: the demo's, in the report's order; France has none.
        let measures: Vec<&Vec<Vec<MeasureItem>>> = comparison
            .sections
            .iter()
            .flat_map(|s| &s.rows)
            .filter_map(|r| if let RowKind::Measures(cells) = &r.kind { Some(cells) } else { None })
            .collect();
        let listed: usize = measures.iter().map(|m| m[0].len()).sum();
        assert_eq!(listed, azerbaijan.policy_measures.len() + azerbaijan.cso_measures.len());
        assert!(measures.iter().all(|m| m[1].is_empty()));
        let first = azerbaijan.policy_measures.first().unwrap();
        let area = comparison
            .sections
            .iter()
            .find(|s| framework.section(&s.id).and_then(|x| x.area.as_deref()) == Some(first.area.as_str()))
            .unwrap();
        let first_listed = area.rows.iter().find_map(|r| match &r.kind {
            RowKind::Measures(cells) => cells[0].first(),
            _ => None,
        });
        assert_eq!(first_listed, Some(&MeasureItem { id: first.id.clone(), title: first.title.clone() }));
        // A goal heading opens the first section of each goal.
        assert_eq!(comparison.sections.iter().filter(|s| s.goal.is_some()).count(), 4);
    }

    #[test]
    fn an_earlier_forms_report_answers_through_the_mapping_or_is_not_asked() {
        let (new, old) = (Framework::qpr_2020(), Framework::qpr_2016());
        let mapping = VersionMapping::builtin();
        // A question of 2020 the 2016 form asks too, and one it does not ask.
        let (mapped, to) = new
            .questions()
            .map(|(_, q)| q)
            .filter(|q| q.answer_type != AnswerType::Records)
            .find_map(|q| {
                let eq = mapping.equivalents(&new.id, &q.id, &old.id);
                eq.first().and_then(|(id, _)| old.question(id)).map(|o| (q, o))
            })
            .unwrap();
        let unmapped = new
            .questions()
            .map(|(_, q)| q)
            .find(|q| {
                !matches!(q.answer_type, AnswerType::Records | AnswerType::Group | AnswerType::Signature)
                    && mapping.equivalents(&new.id, &q.id, &old.id).is_empty()
            })
            .unwrap();
        let mut earlier = ReportDocument::new(&old.id, PartyRef { name: "France".into(), iso3: None }, 2016);
        let value = match to.answer_type {
            AnswerType::YesNo => serde_json::json!(true),
            _ => serde_json::json!("Written in 2016"),
        };
        earlier.answers.insert(to.id.clone(), value.clone());
        let newer = ReportDocument::new(&new.id, PartyRef { name: "Azerbaijan".into(), iso3: None }, 2022);
        let inputs = [
            CompareInput { iso3: "FRA", name: "France", framework: old, document: &earlier },
            CompareInput { iso3: "AZE", name: "Azerbaijan", framework: new, document: &newer },
        ];
        let comparison = compare(&inputs, Lang::En);
        let row =
            |id: &str| comparison.sections.iter().flat_map(|s| &s.rows).find(|r| r.id == id).unwrap().kind.clone();
        assert_eq!(
            row(&mapped.id),
            RowKind::Answers(vec![
                Cell::Answer { shown: shown(old, to, &value, Lang::En), asked_as: Some(to.label.en.clone()) },
                Cell::NoAnswer
            ])
        );
        assert_eq!(row(&unmapped.id), RowKind::Answers(vec![Cell::NotAsked, Cell::NoAnswer]));
    }
}
