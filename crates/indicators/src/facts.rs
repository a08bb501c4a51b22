//! What one published report says for each indicator, statistic and measure of the catalog,
//! read once (a published revision never changes, so its facts are kept by the caller).

use qpr_domain::answer::Answer;
use qpr_domain::framework::AnswerType;
use qpr_domain::{Framework, ReportDocument};
use serde_json::Value;

use crate::catalog::{Catalog, ChoiceOption, Indicator, Reader};

/// A report's reading of one indicator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Said {
    /// The report's form does not ask this question the same way.
    EarlierForm,
    /// A follow-up its parent answer does not ask.
    NotApplicable,
    /// Unanswered.
    NotAnswered,
    /// The options chosen (indexes into the indicator's options), at least one.
    Chose(Vec<u16>),
}

/// A yes/no field of a measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flag {
    /// The measure's form does not ask it.
    NotAsked,
    /// Left empty.
    NotAnswered,
    /// `YES`.
    Yes,
    /// `NO`.
    No,
}

impl Flag {
    fn of(asked: bool, value: Option<bool>) -> Flag {
        match (asked, value) {
            (false, _) => Flag::NotAsked,
            (true, None) => Flag::NotAnswered,
            (true, Some(true)) => Flag::Yes,
            (true, Some(false)) => Flag::No,
        }
    }
}

/// A policy measure as the figures count it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct MeasureFacts {
    pub area: String,
    /// Cultural domain keys (`unlisted` for a spelling outside the list), each once.
    pub domains: Vec<String>,
    /// Entity types of its partners (keys of `entity_types`, or `unlisted`), each once;
    /// `None` when its form does not ask for partners.
    pub partner_types: Option<Vec<String>>,
    pub youth: Flag,
    pub ifcd: Flag,
    pub evaluated: Flag,
}

/// A CSO measure as the figures count it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct CsoFacts {
    pub goal: u8,
}

/// A statistic as one report gave it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum StatisticSaid {
    EarlierForm,
    NotAnswered,
    /// The value (a percentage, or USD) and the year of its data.
    Value(f64, Option<i64>),
}

/// What one report says, for every indicator and statistic of a catalog.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportFacts {
    pub(crate) said: Vec<Said>,
    pub(crate) statistics: Vec<StatisticSaid>,
    pub(crate) measures: Vec<MeasureFacts>,
    pub(crate) cso_measures: Vec<CsoFacts>,
}

impl ReportFacts {
    /// Reads a published report. A report of a form version the catalog does not know is
    /// read as one that asks none of the questions (its measures still count).
    pub fn of(catalog: &Catalog, document: &ReportDocument) -> ReportFacts {
        let version = catalog.version(&document.framework);
        let said = catalog.indicators.iter().map(|indicator| read(catalog, version, indicator, document)).collect();
        let statistics = catalog
            .statistics
            .iter()
            .map(|statistic| {
                if document.framework != catalog.framework.id {
                    return StatisticSaid::EarlierForm;
                }
                let Some(value) = document.answer(&statistic.question) else { return StatisticSaid::NotAnswered };
                // A figure written as prose (no number) or of another shape is not a number to
                // take a median of: the report did not give one.
                match Answer::read(statistic.answer_type, value) {
                    Ok(Answer::PercentWithYear(figure)) => figure
                        .percent_value()
                        .map_or(StatisticSaid::NotAnswered, |p| StatisticSaid::Value(p, figure.year())),
                    Ok(Answer::AmountUsdWithYear(figure)) => figure.usd().map_or(StatisticSaid::NotAnswered, |usd| {
                        // Cents to dollars: a statistic is a median of amounts, not money kept.
                        let dollars = usd.cents() as f64 / 100.0;
                        StatisticSaid::Value(dollars, figure.year())
                    }),
                    _ => StatisticSaid::NotAnswered,
                }
            })
            .collect();
        let current = &catalog.framework;
        let asks = |key: &str| catalog.asks_measure_field(&document.framework, key);
        let framework = version.unwrap_or(current);
        let measures = document
            .policy_measures
            .iter()
            .map(|measure| MeasureFacts {
                area: measure.area.clone(),
                domains: keys(framework, "cultural_domains", measure.domains.iter().map(String::as_str)),
                partner_types: asks("partners").then(|| {
                    keys(current, "entity_types", measure.partners.iter().filter_map(|p| p.entity_type.as_deref()))
                }),
                youth: Flag::of(asks("targets_youth"), measure.targets_youth),
                ifcd: Flag::of(asks("ifcd_support"), measure.ifcd_support),
                evaluated: Flag::of(asks("evaluated"), measure.evaluated),
            })
            .collect();
        let cso_measures = document.cso_measures.iter().map(|m| CsoFacts { goal: m.goal }).collect();
        ReportFacts { said, statistics, measures, cso_measures }
    }
}

/// Option keys of written values (each once, in the order written), the list's "Other (please
/// specify)" entry or `unlisted` for the others.
fn keys<'a>(framework: &Framework, list: &str, written: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut keys: Vec<String> = Vec::new();
    for text in written {
        // A text outside the list is an answer under its "Other (please specify)" entry when
        // it has one, as for the questions' answers.
        let key = framework
            .resolve_option(list, text)
            .or_else(|| framework.other_entry(list))
            .map_or(ChoiceOption::UNLISTED, |o| o.key.as_str());
        if !keys.iter().any(|k| k == key) {
            keys.push(key.to_owned());
        }
    }
    keys
}

/// What `document` says for `indicator`.
fn read(catalog: &Catalog, version: Option<&Framework>, indicator: &Indicator, document: &ReportDocument) -> Said {
    let current = &catalog.framework;
    // The question of the report's own form that asks this one: the same id in the current
    // form, else the one `mapping.json` says is the same.
    let question = if document.framework == current.id {
        indicator.question.as_str()
    } else {
        match indicator.earlier.iter().find(|(v, _)| *v == document.framework) {
            Some((_, id)) => id.as_str(),
            None => return Said::EarlierForm,
        }
    };
    let Some(framework) = version else { return Said::EarlierForm };
    let Some(value) = document.answer(question) else {
        return match &indicator.condition {
            Some((parent, equals)) if document.framework == current.id => match document.answer(parent) {
                Some(given) if given != equals => Said::NotApplicable,
                _ => Said::NotAnswered,
            },
            _ => Said::NotAnswered,
        };
    };
    let asked_type = framework.question(question).map(|q| q.answer_type);
    let chosen = chosen_keys(framework, current, indicator, asked_type, value);
    // A value that is not an answer of the question's type (validation reports it) says
    // nothing countable: it is not an answer, and is counted with the unanswered.
    let Some(chosen) = chosen else { return Said::NotAnswered };
    let mut indexes: Vec<u16> = Vec::new();
    for key in chosen {
        let Some(index) = indicator.options.iter().position(|o| o.key == key) else { continue };
        let index = u16::try_from(index).unwrap_or(u16::MAX);
        if !indexes.contains(&index) {
            indexes.push(index);
        }
    }
    indexes.sort_unstable();
    if indexes.is_empty() { Said::NotAnswered } else { Said::Chose(indexes) }
}

/// The option keys an answer chooses; `None` when the value is not an answer of its type.
fn chosen_keys(
    framework: &Framework,
    current: &Framework,
    indicator: &Indicator,
    asked_type: Option<AnswerType>,
    value: &Value,
) -> Option<Vec<String>> {
    // An answer outside the list: the list's "Other (please specify)" entry when it has one
    // (that is how the form stores it), else the unlisted bucket.
    let resolve = |list: &str, text: &str| -> String {
        if let Some(item) = framework.resolve_option(list, text).or_else(|| current.resolve_option(list, text)) {
            return current
                .resolve_option(list, &item.en)
                .or_else(|| current.option_by_key(list, &item.key))
                .map_or_else(|| ChoiceOption::UNLISTED.to_owned(), |o| o.key.clone());
        }
        current
            .option_lists
            .get(list)
            .and_then(|items| items.iter().find(|i| i.specify))
            .map_or_else(|| ChoiceOption::UNLISTED.to_owned(), |o| o.key.clone())
    };
    match &indicator.reader {
        Reader::YesNo => match Answer::read(AnswerType::YesNo, value).ok()? {
            Answer::YesNo(yes) => Some(vec![if yes { "yes" } else { "no" }.to_owned()]),
            _ => None,
        },
        Reader::Rating => match Answer::read(AnswerType::Rating1To4, value).ok()? {
            Answer::Rating1To4(rating) => Some(vec![rating.to_string()]),
            _ => None,
        },
        Reader::List { list, .. } => {
            let answer = Answer::read(asked_type.unwrap_or(AnswerType::MultiSelect), value).ok()?;
            let texts = match answer {
                Answer::SingleSelect(text) => vec![text],
                Answer::MultiSelect(texts) => texts,
                _ => return None,
            };
            Some(texts.iter().filter(|t| !t.trim().is_empty()).map(|t| resolve(list, t)).collect())
        }
        Reader::Group { key, list } => match Answer::read(AnswerType::NestedMultiSelect, value).ok()? {
            Answer::NestedMultiSelect(groups) => Some(
                groups
                    .iter()
                    .filter(|(group, _)| group == key)
                    .flat_map(|(_, items)| items.iter())
                    .filter(|t| !t.trim().is_empty())
                    .map(|t| resolve(list, t))
                    .collect(),
            ),
            _ => None,
        },
    }
}
