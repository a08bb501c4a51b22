//! Answers as typed values: the one place that knows the JSON shape of each answer type.
//!
//! A report document stores its answers as JSON (`answers` by question id, record fields by
//! key, table cells by column key). [`Answer::read`] reads such a value as the answer type of
//! its question says; [`Answer::to_value`] writes it back. The importer, validation, the form
//! engine, the page views and the CSV export read and write answers through here, so adding
//! an answer type is one variant here plus the compiler's list of exhaustive matches.
//!
//! **Invariant:** the stored JSON does not change shape. Whatever value reads, writes back
//! byte for byte: numbers keep their spelling (`57` stays `57`, `1.0` stays `1.0`), a part
//! stored as `null` stays `null` and an absent one stays absent.
//!
//! The shapes, by answer type:
//!
//! | Answer type | JSON |
//! |---|---|
//! | `yes_no` | `true` / `false` |
//! | `single_select`, `free_text`, `short_text`, `date`, `signature`, `email`, `url` | a string |
//! | `multi_select`, `text_list`, `email_list`, `address` | an array of strings |
//! | `nested_multi_select` | an object: group key → array of strings |
//! | `percent_with_year` | `{"percent": number or null, "year": number or null}`, with `"raw"` (the text as written) when the percentage could not be read |
//! | `amount_usd_with_year` | `{"raw": text as written, "usd": number or null, "year": number or null}` |
//! | `amount_usd` | `{"raw": text as written, "usd": number or null}` |
//! | `rating_1_4` | an integer from 1 to 4 |
//! | `table`, `file_list` | an array of rows, each an object: column key → that column's answer |
//! | `group`, `records` | no answer of their own (sub-questions and records are stored apart) |

use serde_json::{Map, Number, Value};

use crate::framework::AnswerType;
use crate::money::Usd;
use crate::year::Year;

/// An answer read as its question's type: one variant per answer type that holds an answer.
#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    /// `YES` / `NO`.
    YesNo(bool),
    /// One option of a list, as written.
    SingleSelect(String),
    /// Options of a list, as written, in the stored order.
    MultiSelect(Vec<String>),
    /// Options under group headers: group key and its options, by group key.
    NestedMultiSelect(Vec<(String, Vec<String>)>),
    /// A percentage with the year of its data.
    PercentWithYear(Figure),
    /// An amount with the year of its data.
    AmountUsdWithYear(Figure),
    /// An amount.
    AmountUsd(Figure),
    /// Long text (paragraphs separated by a blank line).
    FreeText(String),
    /// One line of text.
    ShortText(String),
    /// Texts, one per item.
    TextList(Vec<String>),
    /// E-mail addresses, one per item.
    EmailList(Vec<String>),
    /// The lines of a postal address.
    Address(Vec<String>),
    /// A date as written (`YYYY`, `YYYY-MM`, `YYYY-MM-DD` when valid).
    Date(String),
    /// A rating from 1 to 4.
    Rating1To4(u8),
    /// Rows of cells.
    Table(Vec<Row>),
    /// Uploaded documents, one row each.
    FileList(Vec<Row>),
    /// The signature's text.
    Signature(String),
    /// One e-mail address as written.
    Email(String),
    /// One web address as written.
    Url(String),
}

/// A row of a table: cells by column key, each the answer of its column's type (read with
/// [`Answer::read`] and the column's type).
pub type Row = Map<String, Value>;

/// Why a value is not an answer of a type.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AnswerError {
    /// Questions of this type hold no answer of their own (groups, records).
    #[error("a {0:?} question has no answer of its own")]
    NoAnswerOfItsOwn(AnswerType),
    /// The value, or parts of it, do not have the type's shape.
    #[error("{}", misfits.iter().map(|m| format!("expected {:?} at `{}`", m.expected, m.at)).collect::<Vec<_>>().join("; "))]
    Shape {
        /// Every part that does not fit, in the value's order.
        misfits: Vec<Misfit>,
    },
}

impl AnswerError {
    fn at(at: impl Into<String>, expected: Expected) -> AnswerError {
        AnswerError::Shape { misfits: vec![Misfit { at: at.into(), expected }] }
    }

    /// The parts that do not fit (none for a type without answers).
    pub fn misfits(&self) -> &[Misfit] {
        match self {
            AnswerError::NoAnswerOfItsOwn(_) => &[],
            AnswerError::Shape { misfits } => misfits,
        }
    }
}

/// A part of a value that does not have the expected shape.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Misfit {
    /// Where, after the value's own path: empty for the value itself, `[2]` for an item,
    /// `.key[0]` for an item of a group.
    pub at: String,
    /// What was expected there.
    pub expected: Expected,
}

/// The shape expected where a value does not fit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expected {
    /// `true` or `false`.
    YesNo,
    /// A string.
    Text,
    /// An array.
    List,
    /// An object of groups.
    Groups,
    /// An object of parts (a percentage or an amount with its year).
    Figure,
    /// An object of parts, for an amount.
    Amount,
    /// An integer from 1 to 4.
    Rating,
    /// An array of rows.
    Rows,
    /// An object of cells.
    Row,
}

impl Answer {
    /// Reads `value` as an answer of `answer_type`. `null` is no answer and reads as nothing
    /// here: callers check for it first.
    pub fn read(answer_type: AnswerType, value: &Value) -> Result<Answer, AnswerError> {
        use AnswerType as T;
        let text = || value.as_str().map(str::to_owned).ok_or_else(|| AnswerError::at("", Expected::Text));
        Ok(match answer_type {
            T::YesNo => Answer::YesNo(value.as_bool().ok_or_else(|| AnswerError::at("", Expected::YesNo))?),
            T::SingleSelect => Answer::SingleSelect(text()?),
            T::MultiSelect => Answer::MultiSelect(texts(value, "")?),
            T::NestedMultiSelect => {
                let groups = groups(value).ok_or_else(|| AnswerError::at("", Expected::Groups))?;
                let mut read = Vec::with_capacity(groups.len());
                let mut misfits = Vec::new();
                for (key, items) in groups {
                    match texts(items, &format!(".{key}")) {
                        Ok(items) => read.push((key.to_owned(), items)),
                        Err(error) => misfits.extend(error.misfits().iter().cloned()),
                    }
                }
                if !misfits.is_empty() {
                    return Err(AnswerError::Shape { misfits });
                }
                Answer::NestedMultiSelect(read)
            }
            T::PercentWithYear => Answer::PercentWithYear(Figure::read(value, false)?),
            T::AmountUsdWithYear => Answer::AmountUsdWithYear(Figure::read(value, true)?),
            T::AmountUsd => Answer::AmountUsd(Figure::read(value, true)?),
            T::FreeText => Answer::FreeText(text()?),
            T::ShortText => Answer::ShortText(text()?),
            T::TextList => Answer::TextList(texts(value, "")?),
            T::EmailList => Answer::EmailList(texts(value, "")?),
            T::Address => Answer::Address(texts(value, "")?),
            T::Date => Answer::Date(text()?),
            T::Rating1To4 => match value.as_i64() {
                Some(rating @ 1..=4) => {
                    Answer::Rating1To4(u8::try_from(rating).map_err(|_| AnswerError::at("", Expected::Rating))?)
                }
                _ => return Err(AnswerError::at("", Expected::Rating)),
            },
            T::Table => Answer::Table(rows(value)?),
            T::FileList => Answer::FileList(rows(value)?),
            T::Signature => Answer::Signature(text()?),
            T::Email => Answer::Email(text()?),
            T::Url => Answer::Url(text()?),
            T::Group | T::Records => return Err(AnswerError::NoAnswerOfItsOwn(answer_type)),
        })
    }

    /// The answer as stored.
    pub fn to_value(&self) -> Value {
        let strings = |items: &[String]| Value::Array(items.iter().map(|s| Value::String(s.clone())).collect());
        match self {
            Answer::YesNo(yes) => Value::Bool(*yes),
            Answer::SingleSelect(text)
            | Answer::FreeText(text)
            | Answer::ShortText(text)
            | Answer::Date(text)
            | Answer::Signature(text)
            | Answer::Email(text)
            | Answer::Url(text) => Value::String(text.clone()),
            Answer::MultiSelect(items)
            | Answer::TextList(items)
            | Answer::EmailList(items)
            | Answer::Address(items) => strings(items),
            Answer::NestedMultiSelect(groups) => {
                Value::Object(groups.iter().map(|(key, items)| (key.clone(), strings(items))).collect())
            }
            Answer::PercentWithYear(figure) | Answer::AmountUsdWithYear(figure) | Answer::AmountUsd(figure) => {
                figure.to_value()
            }
            Answer::Rating1To4(rating) => Value::from(*rating),
            Answer::Table(rows) | Answer::FileList(rows) => {
                Value::Array(rows.iter().cloned().map(Value::Object).collect())
            }
        }
    }

    /// The answer type it answers.
    pub fn answer_type(&self) -> AnswerType {
        match self {
            Answer::YesNo(_) => AnswerType::YesNo,
            Answer::SingleSelect(_) => AnswerType::SingleSelect,
            Answer::MultiSelect(_) => AnswerType::MultiSelect,
            Answer::NestedMultiSelect(_) => AnswerType::NestedMultiSelect,
            Answer::PercentWithYear(_) => AnswerType::PercentWithYear,
            Answer::AmountUsdWithYear(_) => AnswerType::AmountUsdWithYear,
            Answer::AmountUsd(_) => AnswerType::AmountUsd,
            Answer::FreeText(_) => AnswerType::FreeText,
            Answer::ShortText(_) => AnswerType::ShortText,
            Answer::TextList(_) => AnswerType::TextList,
            Answer::EmailList(_) => AnswerType::EmailList,
            Answer::Address(_) => AnswerType::Address,
            Answer::Date(_) => AnswerType::Date,
            Answer::Rating1To4(_) => AnswerType::Rating1To4,
            Answer::Table(_) => AnswerType::Table,
            Answer::FileList(_) => AnswerType::FileList,
            Answer::Signature(_) => AnswerType::Signature,
            Answer::Email(_) => AnswerType::Email,
            Answer::Url(_) => AnswerType::Url,
        }
    }

    /// The empty answer of a new record field or table cell: an empty text or list; `None`
    /// for types whose empty answer is `null` (no answer).
    pub fn empty(answer_type: AnswerType) -> Option<Answer> {
        use AnswerType as T;
        Some(match answer_type {
            T::ShortText => Answer::ShortText(String::new()),
            T::FreeText => Answer::FreeText(String::new()),
            T::Signature => Answer::Signature(String::new()),
            T::Email => Answer::Email(String::new()),
            T::Url => Answer::Url(String::new()),
            T::Date => Answer::Date(String::new()),
            T::MultiSelect => Answer::MultiSelect(Vec::new()),
            T::TextList => Answer::TextList(Vec::new()),
            T::EmailList => Answer::EmailList(Vec::new()),
            T::Address => Answer::Address(Vec::new()),
            T::Table => Answer::Table(Vec::new()),
            T::FileList => Answer::FileList(Vec::new()),
            T::YesNo
            | T::SingleSelect
            | T::NestedMultiSelect
            | T::PercentWithYear
            | T::AmountUsdWithYear
            | T::AmountUsd
            | T::Rating1To4
            | T::Group
            | T::Records => return None,
        })
    }
}

/// The items of a list answer (`multi_select`, `text_list`, `email_list`, `address`, or one
/// group of a `nested_multi_select`) one by one, to say what is wrong with each: an item's
/// text, or `None` where it is not text. `None` when the value is not a list.
pub fn list_items(value: &Value) -> Option<Vec<Option<&str>>> {
    value.as_array().map(|items| items.iter().map(Value::as_str).collect())
}

/// The groups of a `nested_multi_select` answer one by one: each group's key and its list
/// (read with [`list_items`]). `None` when the value is not an object.
pub fn groups(value: &Value) -> Option<Vec<(&str, &Value)>> {
    value.as_object().map(|groups| groups.iter().map(|(key, items)| (key.as_str(), items)).collect())
}

/// The rows of a `table` or `file_list` answer one by one: a row's cells, or `None` where a row
/// is not an object. `None` when the value is not a list.
pub fn table_rows(value: &Value) -> Option<Vec<Option<&Row>>> {
    value.as_array().map(|rows| rows.iter().map(Value::as_object).collect())
}

fn texts(value: &Value, at: &str) -> Result<Vec<String>, AnswerError> {
    let items = list_items(value).ok_or_else(|| AnswerError::at(at, Expected::List))?;
    let misfits: Vec<Misfit> = items
        .iter()
        .enumerate()
        .filter(|(_, v)| v.is_none())
        .map(|(i, _)| Misfit { at: format!("{at}[{i}]"), expected: Expected::Text })
        .collect();
    if !misfits.is_empty() {
        return Err(AnswerError::Shape { misfits });
    }
    Ok(items.into_iter().flatten().map(str::to_owned).collect())
}

fn rows(value: &Value) -> Result<Vec<Row>, AnswerError> {
    let rows = table_rows(value).ok_or_else(|| AnswerError::at("", Expected::Rows))?;
    let misfits: Vec<Misfit> = rows
        .iter()
        .enumerate()
        .filter(|(_, r)| r.is_none())
        .map(|(i, _)| Misfit { at: format!("[{i}]"), expected: Expected::Row })
        .collect();
    if !misfits.is_empty() {
        return Err(AnswerError::Shape { misfits });
    }
    Ok(rows.into_iter().flatten().cloned().collect())
}

/// A part of a [`Figure`]. Its key is both the JSON key and the suffix of the form field
/// (`a.g1_ccs_gdp_share.percent`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// The text as written (`raw`).
    Raw,
    /// The percentage (`percent`).
    Percent,
    /// The amount in USD derived from the text (`usd`).
    Usd,
    /// The year of the data (`year`).
    Year,
}

impl Part {
    /// The key of the part.
    pub fn key(self) -> &'static str {
        match self {
            Part::Raw => "raw",
            Part::Percent => "percent",
            Part::Usd => "usd",
            Part::Year => "year",
        }
    }

    /// The part with this key.
    pub fn from_key(key: &str) -> Option<Part> {
        [Part::Raw, Part::Percent, Part::Usd, Part::Year].into_iter().find(|p| p.key() == key)
    }
}

/// A percentage or an amount with its parts, as stored: the parts are kept as they are (a
/// number's spelling, `null` or absent) so the figure writes back exactly; the getters read
/// them as values.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Figure {
    parts: Map<String, Value>,
}

impl Figure {
    /// A percentage as the importer reads it: the number, or the text when it is not one.
    pub fn percent(percent: Result<Number, String>, year: Option<Year>) -> Figure {
        let mut figure = Figure::default();
        match percent {
            Ok(number) => figure.set_percent(Some(number)),
            Err(raw) => {
                figure.set_raw(raw);
                figure.set_percent(None);
            }
        }
        figure.set_year(year);
        figure
    }

    /// An amount as written, with its USD figure; with its year when `year` is `Some`.
    pub fn amount(raw: String, usd: Option<Usd>, year: Option<Option<Year>>) -> Figure {
        let mut figure = Figure::default();
        figure.set_raw(raw);
        figure.set_usd(usd);
        if let Some(year) = year {
            figure.set_year(year);
        }
        figure
    }

    fn read(value: &Value, amount: bool) -> Result<Figure, AnswerError> {
        let parts = value
            .as_object()
            .ok_or_else(|| AnswerError::at("", if amount { Expected::Amount } else { Expected::Figure }))?;
        Ok(Figure { parts: parts.clone() })
    }

    /// Whether the text as written, if kept, is a string (validation refuses an amount
    /// whose `raw` part is anything else).
    pub fn raw_is_text(&self) -> bool {
        self.parts.get(Part::Raw.key()).is_none_or(Value::is_string)
    }

    /// The figure as stored.
    pub fn to_value(&self) -> Value {
        Value::Object(self.parts.clone())
    }

    fn get(&self, part: Part) -> Option<&Value> {
        self.parts.get(part.key()).filter(|v| !v.is_null())
    }

    /// The text as written, if the figure keeps it.
    pub fn raw(&self) -> Option<&str> {
        self.get(Part::Raw).and_then(Value::as_str)
    }

    /// The percentage, if it is a number.
    pub fn percent_value(&self) -> Option<f64> {
        self.get(Part::Percent).and_then(Value::as_f64)
    }

    /// The amount in USD, if it is one.
    pub fn usd(&self) -> Option<Usd> {
        self.get(Part::Usd).and_then(|usd| serde_json::from_value(usd.clone()).ok())
    }

    /// Whether the USD part holds something (not absent, not `null`).
    pub fn has_usd(&self) -> bool {
        self.get(Part::Usd).is_some()
    }

    /// The year of the data as stored, if it is a whole number (in [`Year`]'s range or not:
    /// validation says which).
    pub fn year(&self) -> Option<i64> {
        self.get(Part::Year).and_then(Value::as_i64)
    }

    /// The part as text, as stored: a string as it is, a number as spelt, nothing as empty.
    pub fn text(&self, part: Part) -> String {
        match self.get(part) {
            None => String::new(),
            Some(Value::String(s)) => s.clone(),
            Some(other) => other.to_string(),
        }
    }

    /// The part as a value shown on a page (`None` when absent or `null`): a string as it is,
    /// anything else as its JSON text.
    pub fn shown(&self, part: Part) -> Option<String> {
        self.get(part).map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned))
    }

    /// Sets the text as written.
    pub fn set_raw(&mut self, raw: String) {
        self.parts.insert(Part::Raw.key().to_owned(), Value::String(raw));
    }

    /// Sets the percentage (`None`: `null`).
    pub fn set_percent(&mut self, percent: Option<Number>) {
        self.parts.insert(Part::Percent.key().to_owned(), percent.map_or(Value::Null, Value::Number));
    }

    /// Sets the amount in USD (`None`: `null`).
    pub fn set_usd(&mut self, usd: Option<Usd>) {
        let usd = usd.and_then(|usd| serde_json::to_value(usd).ok()).unwrap_or(Value::Null);
        self.parts.insert(Part::Usd.key().to_owned(), usd);
    }

    /// Sets the year of the data (`None`: `null`).
    pub fn set_year(&mut self, year: Option<Year>) {
        self.parts.insert(Part::Year.key().to_owned(), year.map_or(Value::Null, |y| Value::from(y.get())));
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use serde_json::json;

    use super::*;

    const TYPES: [AnswerType; 21] = [
        AnswerType::YesNo,
        AnswerType::SingleSelect,
        AnswerType::MultiSelect,
        AnswerType::NestedMultiSelect,
        AnswerType::PercentWithYear,
        AnswerType::AmountUsdWithYear,
        AnswerType::AmountUsd,
        AnswerType::FreeText,
        AnswerType::ShortText,
        AnswerType::TextList,
        AnswerType::EmailList,
        AnswerType::Address,
        AnswerType::Date,
        AnswerType::Rating1To4,
        AnswerType::Group,
        AnswerType::Table,
        AnswerType::Records,
        AnswerType::FileList,
        AnswerType::Signature,
        AnswerType::Email,
        AnswerType::Url,
    ];

    fn round_trips(answer_type: AnswerType, value: &Value) -> Result<(), TestCaseError> {
        if let Ok(answer) = Answer::read(answer_type, value) {
            prop_assert_eq!(answer.answer_type(), answer_type);
            let written = answer.to_value();
            prop_assert_eq!(
                serde_json::to_string(&written).unwrap(),
                serde_json::to_string(value).unwrap(),
                "{:?}",
                answer_type
            );
        }
        Ok(())
    }

    fn any_json() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            (0u8..6).prop_map(Value::from),
            any::<f64>().prop_filter_map("finite", |f| Number::from_f64(f).map(Value::Number)),
            "(raw|percent|usd|year|[a-z ]{0,6}|1\\.0|2021)".prop_map(Value::String),
        ];
        leaf.prop_recursive(3, 24, 4, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
                prop::collection::btree_map("(raw|percent|usd|year|[a-z]{1,4})", inner, 0..4)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest! {
        /// Any value that reads writes back as the same JSON text, for every answer type.
        #[test]
        fn what_reads_writes_back_byte_for_byte(value in any_json()) {
            for answer_type in TYPES {
                round_trips(answer_type, &value)?;
            }
        }
    }

    #[test]
    fn stored_figures_round_trip() {
        let fixture = json!({
            "g1_ccs_gdp_share": {"percent": 1.0, "year": 2021},
            "g1_ccs_public_budget": {"raw": "104,403,692USD", "usd": 104_403_692, "year": 2022},
            "odd": {"percent": null, "raw": "about a third", "year": null},
        });
        for value in fixture.as_object().unwrap().values() {
            for answer_type in TYPES {
                round_trips(answer_type, value).unwrap();
            }
        }
    }

    #[test]
    fn shapes_are_read_as_their_type_says() {
        assert_eq!(Answer::read(AnswerType::YesNo, &json!(true)), Ok(Answer::YesNo(true)));
        assert_eq!(
            Answer::read(AnswerType::MultiSelect, &json!(["a", 1, "b", null])),
            Err(AnswerError::Shape {
                misfits: vec![
                    Misfit { at: "[1]".into(), expected: Expected::Text },
                    Misfit { at: "[3]".into(), expected: Expected::Text }
                ]
            })
        );
        assert_eq!(Answer::read(AnswerType::Rating1To4, &json!(5)), Err(AnswerError::at("", Expected::Rating)));
        assert_eq!(Answer::read(AnswerType::Rating1To4, &json!(4)), Ok(Answer::Rating1To4(4)));
        assert_eq!(Answer::read(AnswerType::AmountUsd, &json!(5)), Err(AnswerError::at("", Expected::Amount)));
        let Ok(Answer::AmountUsd(odd)) = Answer::read(AnswerType::AmountUsd, &json!({"raw": 5})) else {
            panic!("an object reads")
        };
        assert!(!odd.raw_is_text());
        assert_eq!(Answer::read(AnswerType::PercentWithYear, &json!("5%")), Err(AnswerError::at("", Expected::Figure)));
        assert_eq!(Answer::read(AnswerType::Group, &json!({})), Err(AnswerError::NoAnswerOfItsOwn(AnswerType::Group)));
        let Ok(Answer::AmountUsdWithYear(amount)) =
            Answer::read(AnswerType::AmountUsdWithYear, &json!({"raw": "65 000", "usd": 65000, "year": 2021}))
        else {
            panic!("an amount with its year reads");
        };
        assert_eq!(
            (amount.raw(), amount.usd(), amount.year()),
            (Some("65 000"), Some(Usd::from_cents(6_500_000)), Some(2021))
        );
        assert_eq!(amount.text(Part::Usd), "65000");
        assert_eq!(amount.text(Part::Percent), "");
        assert_eq!(
            Answer::read(AnswerType::NestedMultiSelect, &json!({"b": ["x"], "a": [2]})),
            Err(AnswerError::at(".a[0]", Expected::Text))
        );
        assert_eq!(list_items(&json!(["a", 1])), Some(vec![Some("a"), None]));
        assert_eq!(list_items(&json!("a")), None);
        assert_eq!(groups(&json!({"g": []})).map(|g| g.len()), Some(1));
        assert_eq!(
            table_rows(&json!([{}, 1])).map(|r| r.iter().map(Option::is_some).collect::<Vec<_>>()),
            Some(vec![true, false])
        );
    }

    #[test]
    fn figures_are_written_with_their_parts() {
        let year = |y: i64| Year::new(y).ok();
        let percent = Figure::percent(Ok(Number::from(57)), year(2021));
        assert_eq!(percent.to_value(), json!({"percent": 57, "year": 2021}));
        let unread = Figure::percent(Err("about half".into()), None);
        assert_eq!(unread.to_value(), json!({"raw": "about half", "percent": null, "year": null}));
        let amount = Figure::amount("38,000".into(), Usd::derive("38,000"), None);
        assert_eq!(amount.to_value(), json!({"raw": "38,000", "usd": 38000}));
        let with_year = Figure::amount("prose".into(), None, Some(year(2020)));
        assert_eq!(with_year.to_value(), json!({"raw": "prose", "usd": null, "year": 2020}));
        assert_eq!(Part::from_key("year"), Some(Part::Year));
        assert_eq!(Part::from_key("x"), None);
    }

    #[test]
    fn empty_answers_are_empty_texts_and_lists() {
        assert_eq!(Answer::empty(AnswerType::ShortText).map(|a| a.to_value()), Some(json!("")));
        assert_eq!(Answer::empty(AnswerType::Table).map(|a| a.to_value()), Some(json!([])));
        assert_eq!(Answer::empty(AnswerType::YesNo), None);
        for answer_type in TYPES {
            if let Some(empty) = Answer::empty(answer_type) {
                assert_eq!(empty.answer_type(), answer_type);
            }
        }
    }
}
