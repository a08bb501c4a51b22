//! What changed between two published reports of a Party: its measures per area (new,
//! continued with what changed, no longer reported; [`crate::matching`] pairs them), its CSO
//! measures, every yes/no, option and checklist answer that changed, and its statistics with
//! the years of their data.
//!
//! Two reports under different form versions compare a question with the other version's
//! question that `mapping.json` calls the `same`; every other answered question is listed
//! apart ([`ReportChanges::unmapped`]), never dropped.

use std::collections::BTreeSet;

use qpr_domain::answer::Answer;
use qpr_domain::framework::{AnswerType, Framework, Question};
use qpr_domain::mapping::{Relation, VersionMapping};
use qpr_domain::text::Lang;
use qpr_domain::{MeasureKind, ReportDocument};
use serde::Serialize;

use crate::matching::{Link, MeasureText, measures, pair};

/// One side of a comparison: a published report and the framework it answers.
#[derive(Debug, Clone, Copy)]
pub struct Side<'a> {
    /// The framework of the report.
    pub framework: &'a Framework,
    /// The report.
    pub document: &'a ReportDocument,
}

/// A measure named by a comparison.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MeasureRef {
    /// Id.
    pub id: String,
    /// Title (in the report it is from).
    pub title: String,
}

/// A measure of the older report continued in the newer one.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Continued {
    /// How: the same id, matched by content, split or merged.
    pub link: Link,
    /// The measure(s) in the older report.
    pub from: Vec<MeasureRef>,
    /// The measure(s) in the newer report.
    pub to: Vec<MeasureRef>,
    /// Which parts changed (`title`, `description`, `results`, `funding`), between the first
    /// measure of each side.
    pub changed: Vec<&'static str>,
    /// Funding as written before and after, when it changed.
    pub funding: Option<(Option<String>, Option<String>)>,
}

/// Measures of one kind (and area) compared.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct MeasureChanges {
    /// New in the newer report.
    pub new: Vec<MeasureRef>,
    /// Continued, with their changes.
    pub continued: Vec<Continued>,
    /// In the older report only.
    pub no_longer_reported: Vec<MeasureRef>,
}

impl MeasureChanges {
    /// Whether there is no measure at all.
    pub fn is_empty(&self) -> bool {
        self.new.is_empty() && self.continued.is_empty() && self.no_longer_reported.is_empty()
    }
}

/// The policy measures of one area of monitoring compared.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AreaChanges {
    /// Area id (as the newer report's framework names it, else the older's).
    pub area: String,
    /// Its heading in the requested language.
    pub heading: String,
    /// The measures.
    #[serde(flatten)]
    pub measures: MeasureChanges,
}

/// A yes/no, option or checklist answer that changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AnswerChange {
    /// The question's id in the newer report's framework.
    pub question: String,
    /// The question's id in the older report's framework (the same unless versions differ).
    pub from_question: String,
    /// Its label.
    pub label: String,
    /// The older answer, as shown (empty when not answered).
    pub from: String,
    /// The newer answer, as shown.
    pub to: String,
}

/// A figure with the year of its data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Figure {
    /// As published (`2.35%`, `104,403,692USD`).
    pub value: String,
    /// The year the data is from, if given.
    pub year: Option<String>,
}

/// A statistic in both reports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatisticChange {
    /// The question's id in the newer report's framework.
    pub question: String,
    /// Its label.
    pub label: String,
    /// In the older report.
    pub from: Option<Figure>,
    /// In the newer report.
    pub to: Option<Figure>,
    /// Whether the value or its year differ.
    pub changed: bool,
}

/// An answered question of one version that the other version does not ask the same way.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unmapped {
    /// The report year it is answered in.
    pub year: i32,
    /// The framework (form version).
    pub framework: String,
    /// The question's id.
    pub question: String,
    /// Its label.
    pub label: String,
    /// The answer, as shown.
    pub answer: String,
}

/// What changed between two reports of a Party.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReportChanges {
    /// The older report's year.
    pub from: i32,
    /// The newer report's year.
    pub to: i32,
    /// The older report's form version.
    pub from_framework: String,
    /// The newer report's form version.
    pub to_framework: String,
    /// Policy measures per area, in the newer framework's order of areas.
    pub areas: Vec<AreaChanges>,
    /// CSO measures.
    pub cso: MeasureChanges,
    /// Yes/no, option and checklist answers that changed.
    pub answers: Vec<AnswerChange>,
    /// Statistics answered in either report.
    pub statistics: Vec<StatisticChange>,
    /// Answered questions one version asks and the other does not ask the same way.
    pub unmapped: Vec<Unmapped>,
}

fn is_choice(t: AnswerType) -> bool {
    matches!(t, AnswerType::YesNo | AnswerType::SingleSelect | AnswerType::MultiSelect | AnswerType::NestedMultiSelect)
}

fn is_statistic(t: AnswerType) -> bool {
    matches!(t, AnswerType::PercentWithYear | AnswerType::AmountUsdWithYear | AnswerType::AmountUsd)
}

fn option_text(framework: &Framework, list: Option<&str>, raw: &str, lang: Lang) -> String {
    match list.and_then(|l| framework.resolve_option(l, raw)) {
        Some(o) if lang == Lang::Fr && !o.fr.is_empty() => o.fr.clone(),
        Some(o) if !o.en.is_empty() => o.en.clone(),
        _ => raw.to_owned(),
    }
}

/// A choice answer as shown, items sorted (a checklist's order is not a change).
fn choice_text(side: Side<'_>, question: &Question, lang: Lang) -> String {
    let Some(value) = side.document.answer(&question.id) else { return String::new() };
    let option = |raw: &str| option_text(side.framework, question.options.as_deref(), raw, lang);
    match Answer::read(question.answer_type, value) {
        Ok(Answer::YesNo(yes)) => match (yes, lang) {
            (true, Lang::Fr) => "Oui".to_owned(),
            (false, Lang::Fr) => "Non".to_owned(),
            (true, _) => "Yes".to_owned(),
            (false, _) => "No".to_owned(),
        },
        Ok(Answer::SingleSelect(raw)) => option(&raw),
        Ok(Answer::MultiSelect(items)) => {
            let set: BTreeSet<String> = items.iter().map(|i| option(i)).collect();
            set.into_iter().collect::<Vec<_>>().join("; ")
        }
        Ok(Answer::NestedMultiSelect(groups)) => {
            let set: BTreeSet<String> = groups
                .iter()
                .map(|(parent, children)| {
                    let children: BTreeSet<String> = children.iter().map(|c| option(c)).collect();
                    if children.is_empty() {
                        option(parent)
                    } else {
                        format!("{}: {}", option(parent), children.into_iter().collect::<Vec<_>>().join(", "))
                    }
                })
                .collect();
            set.into_iter().collect::<Vec<_>>().join("; ")
        }
        _ => value.as_str().map_or_else(|| value.to_string(), str::to_owned),
    }
}

fn figure(side: Side<'_>, question: &Question) -> Option<Figure> {
    let value = side.document.answer(&question.id)?;
    let (value, year) = qpr_views::report::statistic(question.answer_type, value);
    (!value.is_empty()).then_some(Figure { value, year })
}

/// The question of `from`'s framework that asks the same as `question` of `to`'s.
fn same_question<'a>(from: Side<'a>, to: Side<'_>, question: &Question) -> Option<&'a Question> {
    if from.framework.id == to.framework.id {
        return from.framework.question(&question.id);
    }
    VersionMapping::builtin()
        .equivalents(&to.framework.id, &question.id, &from.framework.id)
        .into_iter()
        .find(|(_, relation)| *relation == Relation::Same)
        .and_then(|(id, _)| from.framework.question(id))
}

fn refs(ids: &[&str], of: &[MeasureText]) -> Vec<MeasureRef> {
    ids.iter()
        .filter_map(|id| of.iter().find(|m| m.id == *id))
        .map(|m| MeasureRef { id: m.id.clone(), title: m.title.clone() })
        .collect()
}

/// Measures of one kind compared, each with its area (policy measures): continued, new, gone.
type KindChanges =
    (Vec<(Continued, Option<String>)>, Vec<(MeasureRef, Option<String>)>, Vec<(MeasureRef, Option<String>)>);

fn kind_changes(old: &[MeasureText], new: &[MeasureText], kind: MeasureKind) -> KindChanges {
    let area = |m: &MeasureText| m.area.clone();
    let pairing = pair(old, new, kind);
    let find = |of: &[MeasureText], id: &str| of.iter().find(|m| m.kind == kind && m.id == id).cloned();
    let continued = pairing
        .links
        .into_iter()
        .map(|link| {
            let (from, to) = (refs(&link.old_ids(), old), refs(&link.new_ids(), new));
            let first_old = link.old_ids().first().and_then(|id| find(old, id));
            let first_new = link.new_ids().first().and_then(|id| find(new, id));
            let mut changed = Vec::new();
            let mut funding = None;
            if let (Some(a), Some(b)) = (&first_old, &first_new) {
                if a.title.trim() != b.title.trim() {
                    changed.push("title");
                }
                if a.description.trim() != b.description.trim() {
                    changed.push("description");
                }
                if a.results.as_deref().unwrap_or("").trim() != b.results.as_deref().unwrap_or("").trim() {
                    changed.push("results");
                }
                if a.funding != b.funding {
                    changed.push("funding");
                    funding = Some((a.funding.clone(), b.funding.clone()));
                }
            }
            let place = first_new.as_ref().and_then(area);
            (Continued { link, from, to, changed, funding }, place)
        })
        .collect();
    let one = |of: &[MeasureText], id: &str| {
        find(of, id).map(|m| (MeasureRef { id: m.id.clone(), title: m.title.clone() }, area(&m)))
    };
    let added = pairing.added.iter().filter_map(|id| one(new, id)).collect();
    let gone = pairing.gone.iter().filter_map(|id| one(old, id)).collect();
    (continued, added, gone)
}

/// What changed from `from` to `to` (two published reports of one Party, `from` the older).
pub fn compare(from: Side<'_>, to: Side<'_>, lang: Lang) -> ReportChanges {
    let (old, new) = (measures(from.document), measures(to.document));
    // Policy measures per area, areas in the newer framework's order, then the older's, then
    // any other area id met.
    let (continued, added, gone) = kind_changes(&old, &new, MeasureKind::Policy);
    let mut order: Vec<String> = Vec::new();
    for framework in [to.framework, from.framework] {
        for (section, _) in framework.questions() {
            if let Some(area) = section.area.as_ref()
                && !order.contains(area)
            {
                order.push(area.clone());
            }
        }
    }
    let mut areas: Vec<AreaChanges> = Vec::new();
    let entry = |areas: &mut Vec<AreaChanges>, area: Option<String>| -> usize {
        let area = area.unwrap_or_default();
        if let Some(i) = areas.iter().position(|a| a.area == area) {
            return i;
        }
        let heading = [to.framework, from.framework]
            .iter()
            .find_map(|f| f.area_section(&area))
            .map_or_else(|| area.clone(), |s| s.heading.get(lang).to_owned());
        areas.push(AreaChanges { area, heading, measures: MeasureChanges::default() });
        areas.len() - 1
    };
    for (c, area) in continued {
        let i = entry(&mut areas, area);
        areas[i].measures.continued.push(c);
    }
    for (m, area) in added {
        let i = entry(&mut areas, area);
        areas[i].measures.new.push(m);
    }
    for (m, area) in gone {
        let i = entry(&mut areas, area);
        areas[i].measures.no_longer_reported.push(m);
    }
    areas.sort_by_key(|a| order.iter().position(|o| *o == a.area).unwrap_or(usize::MAX));

    let (continued, added, gone) = kind_changes(&old, &new, MeasureKind::Cso);
    let cso = MeasureChanges {
        new: added.into_iter().map(|(m, _)| m).collect(),
        continued: continued.into_iter().map(|(c, _)| c).collect(),
        no_longer_reported: gone.into_iter().map(|(m, _)| m).collect(),
    };

    let mut answers = Vec::new();
    let mut statistics = Vec::new();
    let mut unmapped = Vec::new();
    let mut compared_old: BTreeSet<String> = BTreeSet::new();
    for (_, question) in to.framework.questions() {
        let (choice, stat) = (is_choice(question.answer_type), is_statistic(question.answer_type));
        if !choice && !stat {
            continue;
        }
        let label = question.label.get(lang).to_owned();
        let Some(old_question) = same_question(from, to, question).filter(|q| q.answer_type == question.answer_type)
        else {
            if to.document.answer(&question.id).is_some() {
                let answer = if choice {
                    choice_text(to, question, lang)
                } else {
                    figure(to, question).map(|f| f.value).unwrap_or_default()
                };
                unmapped.push(Unmapped {
                    year: to.document.year,
                    framework: to.framework.id.clone(),
                    question: question.id.clone(),
                    label,
                    answer,
                });
            }
            continue;
        };
        compared_old.insert(old_question.id.clone());
        if choice {
            let (before, after) = (choice_text(from, old_question, lang), choice_text(to, question, lang));
            if before != after {
                answers.push(AnswerChange {
                    question: question.id.clone(),
                    from_question: old_question.id.clone(),
                    label,
                    from: before,
                    to: after,
                });
            }
        } else {
            let (before, after) = (figure(from, old_question), figure(to, question));
            if before.is_some() || after.is_some() {
                let changed = before != after;
                statistics.push(StatisticChange {
                    question: question.id.clone(),
                    label,
                    from: before,
                    to: after,
                    changed,
                });
            }
        }
    }
    for (_, question) in from.framework.questions() {
        let (choice, stat) = (is_choice(question.answer_type), is_statistic(question.answer_type));
        if (!choice && !stat) || compared_old.contains(&question.id) || from.document.answer(&question.id).is_none() {
            continue;
        }
        let answer = if choice {
            choice_text(from, question, lang)
        } else {
            figure(from, question).map(|f| f.value).unwrap_or_default()
        };
        unmapped.push(Unmapped {
            year: from.document.year,
            framework: from.framework.id.clone(),
            question: question.id.clone(),
            label: question.label.get(lang).to_owned(),
            answer,
        });
    }
    ReportChanges {
        from: from.document.year,
        to: to.document.year,
        from_framework: from.framework.id.clone(),
        to_framework: to.framework.id.clone(),
        areas,
        cso,
        answers,
        statistics,
        unmapped,
    }
}

#[cfg(test)]
mod tests {
    use qpr_domain::framework::AnswerType;
    use serde_json::json;

    use super::*;

    fn demo() -> ReportDocument {
        qpr_import::import_published(Framework::qpr_2020(), include_str!("../../../demo/qpr-azerbaijan-2022.txt"))
            .unwrap()
    }

    /// The first question of `framework` of a type, answered in `document` or not.
    fn first_of(framework: &Framework, answer_type: AnswerType) -> &Question {
        framework.questions().map(|(_, q)| q).find(|q| q.answer_type == answer_type).unwrap()
    }

    #[test]
    fn two_reports_under_one_version_compare_measures_answers_and_statistics() {
        let framework = Framework::qpr_2020();
        let newer = demo();
        let mut older = newer.clone();
        older.year = 2018;
        // A yes/no answer flipped, a statistic of another value and year.
        let yes_no = first_of(framework, AnswerType::YesNo);
        let flipped = match newer.answer(&yes_no.id) {
            Some(serde_json::Value::Bool(b)) => json!(!b),
            _ => json!(true),
        };
        older.answers.insert(yes_no.id.clone(), flipped);
        let percent = first_of(framework, AnswerType::PercentWithYear);
        older.answers.insert(percent.id.clone(), json!({"raw": "2.3%", "percent": 2.3, "year": 2016}));
        // A measure no longer reported, one new, one with other results.
        let gone = older.policy_measures[0].clone();
        older.policy_measures[0].id = "AZE-2018-old".into();
        older.policy_measures[0].title = "Snow clearing on mountain roads".into();
        older.policy_measures[0].description = "Plough lorries".into();
        older.policy_measures[1].results = Some("Nothing yet".into());
        let changes = compare(Side { framework, document: &older }, Side { framework, document: &newer }, Lang::En);
        assert_eq!((changes.from, changes.to), (2018, 2022));
        let all_new: Vec<&str> = changes.areas.iter().flat_map(|a| &a.measures.new).map(|m| m.id.as_str()).collect();
        assert_eq!(all_new, [gone.id.as_str()]);
        let all_gone: Vec<&str> =
            changes.areas.iter().flat_map(|a| &a.measures.no_longer_reported).map(|m| m.id.as_str()).collect();
        assert_eq!(all_gone, ["AZE-2018-old"]);
        let second = &newer.policy_measures[1].id;
        let continued =
            changes.areas.iter().flat_map(|a| &a.measures.continued).find(|c| c.to[0].id == *second).unwrap();
        assert_eq!(continued.changed, ["results"]);
        assert!(matches!(continued.link, Link::SameId { .. }));
        let answer = changes.answers.iter().find(|a| a.question == yes_no.id).unwrap();
        assert_ne!(answer.from, answer.to);
        assert_eq!(changes.answers.len(), 1, "{:?}", changes.answers);
        let stat = changes.statistics.iter().find(|s| s.question == percent.id).unwrap();
        assert!(stat.changed);
        assert_eq!(stat.from, Some(Figure { value: "2.30%".into(), year: Some("2016".into()) }));
        assert!(changes.unmapped.is_empty());
        assert!(changes.cso.continued.iter().all(|c| c.changed.is_empty()), "CSO measures unchanged");
        assert_eq!(changes.cso.continued.len(), newer.cso_measures.len());
    }

    #[test]
    fn questions_of_two_versions_compare_where_the_same_and_are_listed_apart_where_not() {
        let (old_fw, new_fw) = (Framework::qpr_2016(), Framework::qpr_2020());
        let pair = VersionMapping::builtin().pair("qpr-2016", "qpr-2020").unwrap();
        let same = pair
            .questions
            .iter()
            .find(|l| {
                l.relation == Relation::Same
                    && old_fw.question(&l.from).is_some_and(|q| q.answer_type == AnswerType::SingleSelect)
                    && new_fw.question(&l.to).is_some_and(|q| q.answer_type == AnswerType::SingleSelect)
            })
            .expect("an option question both versions ask the same");
        let only_new = pair
            .unmapped_to
            .iter()
            .find(|id| new_fw.question(id).is_some_and(|q| q.answer_type == AnswerType::YesNo))
            .expect("a yes/no question only the 2020 form asks");
        let party = qpr_domain::document::PartyRef { name: "Azerbaijan".into(), iso3: None };
        let mut older = ReportDocument::new("qpr-2016", party.clone(), 2016);
        older.answers.insert(same.from.clone(), json!("Austria"));
        let mut newer = ReportDocument::new("qpr-2020", party, 2020);
        newer.answers.insert(same.to.clone(), json!("Azerbaijan"));
        newer.answers.insert(only_new.clone(), json!(true));
        let changes = compare(
            Side { framework: old_fw, document: &older },
            Side { framework: new_fw, document: &newer },
            Lang::Fr,
        );
        assert_eq!(changes.answers.len(), 1, "{:?}", changes.answers);
        let answer = &changes.answers[0];
        assert_eq!((answer.question.as_str(), answer.from_question.as_str()), (same.to.as_str(), same.from.as_str()));
        assert_eq!(answer.label, new_fw.question(&same.to).unwrap().label.get(Lang::Fr));
        assert!(answer.from.starts_with("Autriche") || answer.from == "Austria", "{answer:?}");
        assert_ne!(answer.from, answer.to);
        assert_eq!(changes.unmapped.len(), 1, "{:?}", changes.unmapped);
        assert_eq!(changes.unmapped[0].question, *only_new);
        assert_eq!(changes.unmapped[0].framework, "qpr-2020");
    }
}
