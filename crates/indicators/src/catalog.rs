//! What can be counted, read from the framework file: indicators (choice questions) and
//! statistics (figures with the year of their data), by goal and area of monitoring.

use std::sync::OnceLock;

use qpr_domain::Framework;
use qpr_domain::framework::{AnswerType, Question, Section};
use qpr_domain::mapping::{Relation, VersionMapping};
use qpr_domain::text::LocalizedText;

/// An option an indicator counts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChoiceOption {
    /// Stable key: the option list's key, `yes` / `no`, the rating (`1`…`4`), or
    /// [`ChoiceOption::UNLISTED`].
    pub key: String,
    /// Its label.
    pub label: LocalizedText,
}

impl ChoiceOption {
    /// The key of the answers outside an option list that has no "Other (please specify)"
    /// entry (kept as written in the report, counted here).
    pub const UNLISTED: &'static str = "unlisted";
}

/// How an indicator's answer is read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Reader {
    /// `true` / `false`: options `yes`, `no`.
    YesNo,
    /// One or several options of a list (`list`), or the text of its "Other" entry.
    List { list: String, multiple: bool },
    /// One group of a nested multi-select.
    Group { key: String, list: String },
    /// A rating from 1 to 4.
    Rating,
}

/// A question of the form counted across Parties.
#[derive(Debug, Clone, PartialEq)]
pub struct Indicator {
    /// Its id: the question's id, or `question.group` for a group of a checklist.
    pub id: String,
    /// The question's id (the field's anchor on the report page).
    pub question: String,
    /// The goal (1–4).
    pub goal: u8,
    /// The area of monitoring (`media_diversity`).
    pub area: String,
    /// The question's label.
    pub label: LocalizedText,
    /// The group's header, for a group of a checklist.
    pub group_label: Option<LocalizedText>,
    /// Whether a Party may choose several options (shares then do not add up to 100%).
    pub multiple: bool,
    /// The options counted, in the form's order.
    pub options: Vec<ChoiceOption>,
    /// The parent question and the answer that makes this one apply.
    pub(crate) condition: Option<(String, serde_json::Value)>,
    pub(crate) reader: Reader,
    /// For each earlier form version: its question that asks the same (`mapping.json`).
    pub(crate) earlier: Vec<(String, String)>,
}

/// What a statistic measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatisticKind {
    /// A percentage.
    Percent,
    /// An amount in USD.
    Usd,
}

/// A question answered with a figure and the year of its data.
#[derive(Debug, Clone, PartialEq)]
pub struct StatisticDef {
    /// The question's id.
    pub question: String,
    /// The goal (1–4).
    pub goal: u8,
    /// The area of monitoring.
    pub area: String,
    /// The question's label.
    pub label: LocalizedText,
    /// Percentage or amount.
    pub kind: StatisticKind,
    pub(crate) answer_type: AnswerType,
}

/// An area of monitoring.
#[derive(Debug, Clone, PartialEq)]
pub struct Area {
    /// Its id (`media_diversity`).
    pub id: String,
    /// Its goal.
    pub goal: u8,
    /// Its heading.
    pub heading: LocalizedText,
}

/// Everything the figures count, from one framework (the current form), with the earlier
/// versions' questions that ask the same.
#[derive(Debug, Clone)]
pub struct Catalog {
    /// The framework the indicators are questions of.
    pub framework: Framework,
    /// The earlier versions (their option lists resolve their reports' answers).
    pub(crate) earlier: Vec<Framework>,
    /// Indicators in the form's order.
    pub indicators: Vec<Indicator>,
    /// Statistics in the form's order.
    pub statistics: Vec<StatisticDef>,
    /// Areas of monitoring (with a goal) in the form's order.
    pub areas: Vec<Area>,
    /// The form's goals: number and heading.
    pub goals: Vec<(u8, LocalizedText)>,
    /// Which measure fields each earlier version asks as the current one does.
    pub(crate) measure_fields: Vec<(String, Vec<String>)>,
}

fn yes_no() -> Vec<ChoiceOption> {
    let option = |key: &str, en: &str, fr: &str| ChoiceOption {
        key: key.to_owned(),
        label: LocalizedText { en: en.to_owned(), fr: fr.to_owned(), es: None },
    };
    vec![option("yes", "YES", "OUI"), option("no", "NO", "NON")]
}

impl Catalog {
    /// The catalog of the built-in frameworks: the 2020 form, with the 2016 and 2012 ones
    /// brought to it through the built-in mapping.
    pub fn builtin() -> &'static Catalog {
        static CELL: OnceLock<Catalog> = OnceLock::new();
        CELL.get_or_init(|| {
            Catalog::new(
                Framework::qpr_2020(),
                &[Framework::qpr_2016(), Framework::qpr_2012()],
                VersionMapping::builtin(),
            )
        })
    }

    /// The catalog of `current`, reading reports of the `earlier` versions through `mapping`.
    pub fn new(current: &Framework, earlier: &[&Framework], mapping: &VersionMapping) -> Catalog {
        let options_of = |list: &str| -> Vec<ChoiceOption> {
            let items = current.option_lists.get(list).map(Vec::as_slice).unwrap_or_default();
            let mut options: Vec<ChoiceOption> = items
                .iter()
                .map(|item| ChoiceOption {
                    key: item.key.clone(),
                    label: LocalizedText { en: item.en.clone(), fr: item.fr.clone(), es: None },
                })
                .collect();
            if !items.iter().any(|item| item.specify) {
                options.push(ChoiceOption {
                    key: ChoiceOption::UNLISTED.to_owned(),
                    label: LocalizedText {
                        en: "Other answers (not in the form's list)".to_owned(),
                        fr: "Autres réponses (hors de la liste du formulaire)".to_owned(),
                        es: None,
                    },
                });
            }
            options
        };
        let earlier_same = |question: &str| -> Vec<(String, String)> {
            earlier
                .iter()
                .flat_map(|version| {
                    mapping
                        .equivalents(&current.id, question, &version.id)
                        .into_iter()
                        .filter(|(_, relation)| *relation == Relation::Same)
                        .map(|(id, _)| (version.id.clone(), id.to_owned()))
                })
                .collect()
        };
        let mut indicators = Vec::new();
        let mut statistics = Vec::new();
        let areas_of = current.sections.iter().filter_map(|s| Some((s, s.goal?, s.area.clone()?)));
        for (section, goal, area) in areas_of {
            for question in section_questions(section) {
                let condition = question.condition.as_ref().map(|c| (c.question.clone(), c.equals.clone()));
                let base = |id: String, reader: Reader, options, multiple, group_label| Indicator {
                    id,
                    question: question.id.clone(),
                    goal,
                    area: area.clone(),
                    label: question.label.clone(),
                    group_label,
                    multiple,
                    options,
                    condition: condition.clone(),
                    reader,
                    earlier: earlier_same(&question.id),
                };
                match question.answer_type {
                    AnswerType::YesNo => {
                        indicators.push(base(question.id.clone(), Reader::YesNo, yes_no(), false, None));
                    }
                    AnswerType::SingleSelect | AnswerType::MultiSelect => {
                        let Some(list) = question.options.clone() else { continue };
                        let multiple = question.answer_type == AnswerType::MultiSelect;
                        let options = options_of(&list);
                        indicators.push(base(
                            question.id.clone(),
                            Reader::List { list, multiple },
                            options,
                            multiple,
                            None,
                        ));
                    }
                    AnswerType::NestedMultiSelect => {
                        for group in &question.groups {
                            let reader = Reader::Group { key: group.key.clone(), list: group.options.clone() };
                            let id = format!("{}.{}", question.id, group.key);
                            let options = options_of(&group.options);
                            indicators.push(base(id, reader, options, true, Some(group.label.clone())));
                        }
                    }
                    AnswerType::Rating1To4 => {
                        let options = (1..=4)
                            .map(|n: u8| ChoiceOption {
                                key: n.to_string(),
                                label: LocalizedText { en: n.to_string(), fr: n.to_string(), es: None },
                            })
                            .collect();
                        indicators.push(base(question.id.clone(), Reader::Rating, options, false, None));
                    }
                    AnswerType::PercentWithYear | AnswerType::AmountUsdWithYear => statistics.push(StatisticDef {
                        question: question.id.clone(),
                        goal,
                        area: area.clone(),
                        label: question.label.clone(),
                        kind: if question.answer_type == AnswerType::PercentWithYear {
                            StatisticKind::Percent
                        } else {
                            StatisticKind::Usd
                        },
                        answer_type: question.answer_type,
                    }),
                    _ => {}
                }
            }
        }
        let areas = current
            .sections
            .iter()
            .filter_map(|s| Some(Area { id: s.area.clone()?, goal: s.goal?, heading: s.heading.clone() }))
            .collect();
        let measure_fields = earlier
            .iter()
            .map(|version| {
                let same = mapping
                    .pair(&version.id, &current.id)
                    .map(|pair| pair.measure_fields.same.clone())
                    .unwrap_or_default();
                (version.id.clone(), same)
            })
            .collect();
        Catalog {
            framework: current.clone(),
            earlier: earlier.iter().map(|f| (*f).clone()).collect(),
            indicators,
            statistics,
            areas,
            goals: current.goals.iter().map(|g| (g.number, g.heading.clone())).collect(),
            measure_fields,
        }
    }

    /// The indicator with this id.
    pub fn indicator(&self, id: &str) -> Option<&Indicator> {
        self.indicators.iter().find(|i| i.id == id)
    }

    /// The area with this id.
    pub fn area(&self, id: &str) -> Option<&Area> {
        self.areas.iter().find(|a| a.id == id)
    }

    /// The framework a report of version `id` answers, if the catalog reads it.
    pub(crate) fn version(&self, id: &str) -> Option<&Framework> {
        std::iter::once(&self.framework).chain(self.earlier.iter()).find(|f| f.id == id)
    }

    /// Whether reports of version `id` ask the measure field `key` as the current form does.
    pub(crate) fn asks_measure_field(&self, id: &str, key: &str) -> bool {
        id == self.framework.id
            || self.measure_fields.iter().any(|(version, same)| version == id && same.iter().any(|k| k == key))
    }
}

/// The questions of a section, group sub-questions included, in order.
fn section_questions(section: &Section) -> impl Iterator<Item = &Question> {
    section.questions.iter().flat_map(|q| std::iter::once(q).chain(q.fields.iter()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_choice_question_of_an_area_is_an_indicator() {
        let catalog = Catalog::builtin();
        let framework = Framework::qpr_2020();
        let mut expected = Vec::new();
        for section in framework.sections.iter().filter(|s| s.goal.is_some() && s.area.is_some()) {
            for question in section_questions(section) {
                match question.answer_type {
                    AnswerType::YesNo | AnswerType::SingleSelect | AnswerType::MultiSelect | AnswerType::Rating1To4 => {
                        expected.push(question.id.clone())
                    }
                    AnswerType::NestedMultiSelect => {
                        expected.extend(question.groups.iter().map(|g| format!("{}.{}", question.id, g.key)))
                    }
                    _ => {}
                }
            }
        }
        let ids: Vec<_> = catalog.indicators.iter().map(|i| i.id.clone()).collect();
        assert_eq!(ids, expected);
        assert!(ids.len() > 50, "{}", ids.len());
        let tvet = catalog.indicator("g1_ccs_education_training.tvet").expect("a group is an indicator");
        assert!(tvet.multiple && tvet.group_label.is_some());
        let ministry = catalog.indicator("g1_ccs_ministry").unwrap();
        assert_eq!(ministry.options.iter().map(|o| o.key.as_str()).collect::<Vec<_>>(), ["yes", "no"]);
        let follow_up = catalog.indicator("g1_ccs_interministerial").unwrap();
        assert_eq!(follow_up.condition.as_ref().map(|c| c.0.as_str()), Some("g1_ccs_regulatory_frameworks"));
        // An option list with "Other (please specify)" counts other answers under it; one
        // without gets the unlisted bucket.
        let content = catalog.indicator("g1_media_content_diversity").unwrap();
        assert!(content.options.iter().all(|o| o.key != ChoiceOption::UNLISTED));
        let domains = catalog.indicator("g2_flow_export_strategies_domains").unwrap();
        assert_eq!(domains.options.last().map(|o| o.key.as_str()), Some(ChoiceOption::UNLISTED));
        let statistics: Vec<_> = catalog.statistics.iter().map(|s| s.question.as_str()).collect();
        assert!(statistics.contains(&"g1_ccs_gdp_share") && statistics.contains(&"g1_ccs_public_budget"));
        assert_eq!(catalog.areas.len(), 11, "the 11 areas of monitoring");
    }

    #[test]
    fn a_question_added_to_the_framework_file_is_an_indicator() {
        let mut json: serde_json::Value =
            serde_json::to_value(Framework::qpr_2020()).expect("the framework serializes");
        json["id"] = "qpr-2027".into();
        let question = serde_json::json!({
            "id": "g2_mobility_new_question", "label": {"en": "A new question", "fr": "Une nouvelle question"},
            "type": "yes_no"
        });
        let section = json["sections"].as_array_mut().unwrap().iter_mut().find(|s| s["id"] == "mobility").unwrap();
        section["questions"].as_array_mut().unwrap().insert(0, question);
        let next = Framework::from_json(&json.to_string()).expect("valid");
        let catalog = Catalog::new(&next, &[], VersionMapping::builtin());
        let added = catalog.indicator("g2_mobility_new_question").expect("no code needed");
        assert_eq!((added.goal, added.area.as_str()), (2, "mobility"));
    }
}
