//! From a value to its form controls and back, by answer type.
//!
//! [`widget`] turns a field's value into controls holding the value as text; [`decode`] reads
//! a post back. A field whose controls were posted exactly as [`widget`] filled them is left
//! as it was, byte for byte: the post of an untouched form changes nothing, whatever the
//! stored value looks like (an option spelled the old way, `1.0` for a number, `null` next to
//! an absent key). Only a field the person changed is parsed again.

use std::collections::HashMap;

use qpr_domain::Year;
use qpr_domain::answer::{Answer, Figure, Part};
use qpr_domain::countries;
use qpr_domain::framework::{AnswerType, Column, Framework, OptionItem, Question};
use qpr_domain::money::Usd;
use qpr_domain::text::Lang;
use serde_json::{Map, Number, Value};

use super::model::Field;
use super::widgets::{
    ActionButton, CellView, Choice, ChoiceGroup, Input, InputKind, ListItem, OtherText, RowView, SelectOption, Widget,
};
use super::{FieldError, Problem, Words};

/// The value of a radio button or option that keeps a stored value the form cannot show as
/// one of its choices.
const KEEP: &str = "\u{1}keep";

/// Posted form values by name, in order.
#[derive(Debug, Default)]
pub(crate) struct Posted<'p> {
    values: HashMap<&'p str, Vec<&'p str>>,
}

impl<'p> Posted<'p> {
    /// The posted pairs whose name is in the editor's namespace (`a.`, `r.`).
    pub(crate) fn new(pairs: &'p [(String, String)]) -> Posted<'p> {
        let mut values: HashMap<&str, Vec<&str>> = HashMap::new();
        for (name, value) in pairs {
            if is_field_name(name) {
                values.entry(name.as_str()).or_default().push(value.as_str());
            }
        }
        Posted { values }
    }

    /// Every posted field name.
    pub(crate) fn names(&self) -> impl Iterator<Item = &'p str> + '_ {
        self.values.keys().copied()
    }

    fn one(&self, name: &str) -> Option<&'p str> {
        self.values.get(name).and_then(|v| v.first().copied())
    }

    fn all(&self, name: &str) -> Option<&[&'p str]> {
        self.values.get(name).map(Vec::as_slice)
    }
}

/// Whether a form name belongs to the editor (answers and records); other names (`csrf`,
/// `base_revision`, `action`, `lang`) belong to the page.
pub(crate) fn is_field_name(name: &str) -> bool {
    name.starts_with("a.") || name.starts_with("r.")
}

/// What the controls of a field hold after a post: the posted text where a control was
/// posted, what the form showed where it was not.
///
/// A group of checkboxes posts nothing when none is checked, so the page posts an empty
/// marker value under its name with it: a group with its marker and no box is "none
/// checked"; a group absent altogether (a partial post, or a record someone else added since
/// the page was built) keeps its value.
struct Effective<'w, 'p> {
    posted: &'w Posted<'p>,
}

impl<'w> Effective<'w, '_> {
    fn text(&self, input: &'w Input) -> &'w str {
        self.posted.one(&input.name).unwrap_or(&input.value)
    }

    fn radio(&self, options: &'w [Choice]) -> Option<&'w str> {
        let name = &options.first()?.name;
        self.posted.one(name).or_else(|| options.iter().find(|c| c.checked).map(|c| c.value.as_str()))
    }

    fn checked(&self, options: &'w [Choice]) -> Vec<&'w str> {
        let Some(name) = options.first().map(|c| &c.name) else { return Vec::new() };
        match self.posted.all(name) {
            Some(values) => values.iter().copied().filter(|v| !v.is_empty()).collect(),
            None => options.iter().filter(|c| c.checked).map(|c| c.value.as_str()).collect(),
        }
    }

    /// Whether a text control holds what the form showed.
    fn same_text(&self, input: &'w Input) -> bool {
        self.text(input) == input.value
    }

    /// Whether the same boxes are checked as the form showed.
    fn same_checks(&self, options: &'w [Choice]) -> bool {
        let mut now = self.checked(options);
        let mut before: Vec<&str> = options.iter().filter(|c| c.checked).map(|c| c.value.as_str()).collect();
        now.sort_unstable();
        before.sort_unstable();
        now == before
    }

    /// Whether the text beside an "Other" entry, if any, holds what the form showed.
    fn same_other(&self, other: Option<&'w OtherText>) -> bool {
        other.is_none_or(|o| self.same_text(&o.input))
    }

    fn same_group(&self, group: &'w ChoiceGroup) -> bool {
        self.same_checks(&group.options) && self.same_other(group.other.as_ref())
    }

    fn same_cell(&self, cell: &'w CellView) -> bool {
        self.same_text(&cell.input) && self.same_other(cell.other.as_ref())
    }

    /// Whether every control holds what the form showed.
    fn unchanged(&self, widget: &'w Widget) -> bool {
        match widget {
            Widget::Single(input) => self.same_text(input),
            Widget::Parts { parts, .. } => parts.iter().all(|p| self.same_text(p)),
            Widget::Radios(options) => {
                self.radio(options) == options.iter().find(|c| c.checked).map(|c| c.value.as_str())
            }
            Widget::Checkboxes(options) => self.same_checks(options),
            Widget::Groups(groups) => groups.iter().all(|g| self.same_group(g)),
            Widget::WithOther { choices, other, .. } => self.same_text(other) && self.unchanged(choices),
            Widget::List { items, .. } => items.iter().all(|i| self.same_text(&i.input)),
            Widget::Table { rows, .. } => rows.iter().flat_map(|r| r.cells.iter()).all(|c| self.same_cell(c)),
            Widget::ReadOnly(_) => true,
        }
    }
}

/// Everything a widget needs besides the field and its value.
pub(crate) struct Context<'a> {
    pub framework: &'a Framework,
    pub words: Words,
}

/// The HTML id of the control named `name` (ids may hold any character but whitespace).
pub(crate) fn control_id(name: &str) -> String {
    let mut id = String::with_capacity(name.len() + 2);
    id.push_str("f-");
    id.extend(name.chars().map(|c| if c.is_whitespace() { '_' } else { c }));
    id
}

/// A value as the text of a text control.
fn text_of(value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}

/// Line breaks as the document keeps them: browsers post `\r\n` from text areas.
fn normalize_newlines(text: &str) -> String {
    if text.contains('\r') { text.replace("\r\n", "\n").replace('\r', "\n") } else { text.to_owned() }
}

fn input(name: String, kind: InputKind, value: String) -> Input {
    Input {
        id: control_id(&name),
        name,
        kind,
        value,
        label: None,
        options: Vec::new(),
        inputmode: "",
        placeholder: String::new(),
    }
}

/// The controls of `field` holding `value`.
pub(crate) fn widget(cx: &Context<'_>, field: &Field<'_>, value: Option<&Value>) -> Widget {
    let q = field.question;
    let name = &field.name;
    let w = &cx.words;
    use AnswerType as T;
    match q.answer_type {
        T::ShortText | T::Signature | T::Date | T::Email | T::Url => {
            let mut control = input(name.clone(), InputKind::Text, text_of(value));
            control.inputmode = match q.answer_type {
                T::Email => "email",
                T::Url => "url",
                _ => "",
            };
            if q.answer_type == T::Date {
                control.placeholder = w.t("editor-date-placeholder");
            }
            Widget::Single(control)
        }
        T::FreeText => Widget::Single(input(name.clone(), InputKind::TextArea, text_of(value))),
        T::Address => {
            let lines: Vec<String> =
                value.and_then(Value::as_array).into_iter().flatten().map(|v| text_of(Some(v))).collect();
            Widget::Single(input(name.clone(), InputKind::TextArea, lines.join("\n")))
        }
        T::YesNo | T::Rating1To4 => Widget::Radios(radios(name, &scalar_choices(q.answer_type, w), value, w)),
        T::SingleSelect | T::MultiSelect if other_entry(cx, q.options.as_deref(), field.stores_keys).is_some() => {
            with_other(cx, field, value)
        }
        T::SingleSelect => Widget::Single(select(cx, name.clone(), q.options.as_deref(), field.stores_keys, value)),
        T::MultiSelect => Widget::Checkboxes(checkboxes(cx, name, q.options.as_deref(), field.stores_keys, value)),
        T::NestedMultiSelect => Widget::Groups(
            q.groups
                .iter()
                .map(|group| {
                    let group_name = format!("{name}.{}", group.key);
                    let list = Some(group.options.as_str());
                    let stored = value.and_then(|v| v.get(&group.key));
                    let (other, shown) = other_text(cx, &group_name, list, field.stores_keys, stored, true);
                    ChoiceGroup {
                        id: control_id(&group_name),
                        name: group_name.clone(),
                        legend: group.label.get(w.lang).to_owned(),
                        options: checkboxes(cx, &group_name, list, field.stores_keys, shown.as_ref()),
                        other,
                    }
                })
                .collect(),
        ),
        T::PercentWithYear => {
            let figure = figure_of(q.answer_type, value);
            Widget::Parts {
                parts: vec![
                    part(name, Part::Percent, w.t("editor-percent"), &figure, "decimal"),
                    part(name, Part::Year, w.t("editor-year-of-data"), &figure, "numeric"),
                ],
                note: None,
            }
        }
        T::AmountUsd | T::AmountUsdWithYear => {
            let figure = figure_of(q.answer_type, value);
            let mut parts = vec![part(name, Part::Raw, w.t("editor-amount"), &figure, "")];
            if q.answer_type == T::AmountUsdWithYear {
                parts.push(part(name, Part::Year, w.t("editor-year-of-data"), &figure, "numeric"));
            }
            let note = match figure.usd() {
                Some(usd) => Some(w.ts("editor-amount-read", "usd", usd.to_string())),
                None if !figure.raw().unwrap_or_default().trim().is_empty() => Some(w.t("editor-amount-unread")),
                None => None,
            };
            Widget::Parts { parts, note }
        }
        T::TextList | T::EmailList => {
            let items: Vec<String> =
                value.and_then(Value::as_array).into_iter().flatten().map(|v| text_of(Some(v))).collect();
            let count = items.len();
            let kind = if q.answer_type == T::EmailList { InputKind::Text } else { InputKind::TextArea };
            Widget::List {
                items: items
                    .into_iter()
                    .enumerate()
                    .map(|(i, text)| {
                        let mut control = input(format!("{name}.{i}"), kind, text);
                        control.label = Some(w.tn("editor-item", "n", i + 1));
                        if q.answer_type == T::EmailList {
                            control.inputmode = "email";
                        }
                        let what = w.tn("editor-item", "n", i + 1);
                        ListItem { input: control, actions: item_actions(w, name, &i.to_string(), &what, i, count) }
                    })
                    .collect(),
                add: ActionButton { value: format!("add:{name}"), text: w.t("editor-add-item") },
            }
        }
        T::Table => {
            let rows: &[Value] = value.and_then(Value::as_array).map_or(&[], Vec::as_slice);
            Widget::Table {
                rows: rows
                    .iter()
                    .enumerate()
                    .map(|(i, row)| {
                        let what = w.tn("editor-row", "n", i + 1);
                        RowView {
                            legend: what.clone(),
                            cells: q
                                .columns
                                .iter()
                                .map(|column| cell(cx, &format!("{name}.{i}"), column, row.get(&column.key)))
                                .collect(),
                            actions: item_actions(w, name, &i.to_string(), &what, i, rows.len()),
                        }
                    })
                    .collect(),
                add: ActionButton { value: format!("add:{name}"), text: w.t("editor-add-row") },
            }
        }
        // Uploaded files are handled by the annexes page; groups and records are walked by
        // the model, never given as one field.
        T::FileList | T::Group | T::Records => Widget::ReadOnly(w.t("editor-not-editable-here")),
    }
}

/// Remove / up / down buttons of the item `key` at `position` of `count` in `collection`.
pub(crate) fn item_actions(
    w: &Words,
    collection: &str,
    key: &str,
    what: &str,
    position: usize,
    count: usize,
) -> Vec<ActionButton> {
    let mut actions = Vec::with_capacity(3);
    if position > 0 {
        actions.push(ActionButton { value: format!("up:{collection}/{key}"), text: w.ts("editor-up", "what", what) });
    }
    if position + 1 < count {
        actions
            .push(ActionButton { value: format!("down:{collection}/{key}"), text: w.ts("editor-down", "what", what) });
    }
    actions
        .push(ActionButton { value: format!("remove:{collection}/{key}"), text: w.ts("editor-remove", "what", what) });
    actions
}

/// The figure a percentage or amount field holds (empty when it holds none, or something
/// else: the form then shows empty parts).
fn figure_of(answer_type: AnswerType, value: Option<&Value>) -> Figure {
    match value.map(|v| Answer::read(answer_type, v)) {
        Some(Ok(Answer::PercentWithYear(figure) | Answer::AmountUsdWithYear(figure) | Answer::AmountUsd(figure))) => {
            figure
        }
        _ => Figure::default(),
    }
}

/// The control of one part of a figure, named `<field>.<part key>`.
fn part(name: &str, part: Part, label: String, figure: &Figure, inputmode: &'static str) -> Input {
    let mut control = input(format!("{name}.{}", part.key()), InputKind::Text, figure.text(part));
    control.label = Some(label);
    control.inputmode = inputmode;
    control
}

fn cell(cx: &Context<'_>, row_name: &str, column: &Column, value: Option<&Value>) -> CellView {
    let name = format!("{row_name}.{}", column.key);
    let mut other = None;
    let mut control = match column.answer_type {
        // Cells keep the text of the option as written, like the report shows it (and the
        // text typed beside "Other (please specify)" in its place).
        AnswerType::SingleSelect => {
            let list = column.options.as_deref();
            let shown;
            (other, shown) = other_text(cx, &name, list, false, value, false);
            select(cx, name, list, false, shown.as_ref())
        }
        AnswerType::FreeText => input(name, InputKind::TextArea, text_of(value)),
        _ => input(name, InputKind::Text, text_of(value)),
    };
    control.label = Some(column.label.get(cx.words.lang).to_owned());
    control.inputmode = match column.answer_type {
        AnswerType::Email => "email",
        AnswerType::Url => "url",
        _ => control.inputmode,
    };
    CellView { input: control, other }
}

/// The choices of a yes/no or rating question: (posted value, stored value, label).
fn scalar_choices(answer_type: AnswerType, w: &Words) -> Vec<(String, Value, String)> {
    match answer_type {
        AnswerType::YesNo => {
            vec![
                ("yes".into(), Value::Bool(true), w.t("editor-yes")),
                ("no".into(), Value::Bool(false), w.t("editor-no")),
            ]
        }
        _ => (1..=4).map(|n: u8| (n.to_string(), Value::from(n), n.to_string())).collect(),
    }
}

/// The posted text of a condition's value, as the parent's controls hold it.
pub(crate) fn condition_text(parent: &Question, equals: &Value, w: &Words) -> String {
    match parent.answer_type {
        AnswerType::YesNo | AnswerType::Rating1To4 => scalar_choices(parent.answer_type, w)
            .into_iter()
            .find(|(_, v, _)| v == equals)
            .map(|(text, _, _)| text)
            .unwrap_or_default(),
        _ => text_of(Some(equals)),
    }
}

fn radios(name: &str, choices: &[(String, Value, String)], value: Option<&Value>, w: &Words) -> Vec<Choice> {
    let current = value.filter(|v| !v.is_null());
    let known = current.is_none_or(|v| choices.iter().any(|(_, stored, _)| stored == v));
    let mut options: Vec<Choice> = choices
        .iter()
        .map(|(text, stored, label)| choice(name, text.clone(), label.clone(), current == Some(stored)))
        .collect();
    if !known {
        options.push(choice(name, KEEP.to_owned(), w.ts("editor-keep", "value", text_of(current)), true));
    }
    options.push(choice(name, String::new(), w.t("editor-no-answer"), current.is_none()));
    for (i, option) in options.iter_mut().enumerate() {
        option.id = format!("{}-{i}", control_id(name));
    }
    options
}

fn choice(name: &str, value: String, label: String, checked: bool) -> Choice {
    Choice { id: String::new(), name: name.to_owned(), value, label, checked }
}

/// The options of a list, each with the value to post: the stored spelling when the value
/// holds it, else the option's key (records) or English text (answers).
fn options_of<'f>(cx: &Context<'f>, list: Option<&str>, stores_keys: bool) -> Vec<(String, String)> {
    let lang = cx.words.lang;
    match list {
        Some("parties") => countries::all()
            .iter()
            .filter(|c| c.ratification.is_some())
            .map(|c| {
                (if stores_keys { c.iso3.as_str().to_owned() } else { c.name.en.clone() }, c.name.get(lang).to_owned())
            })
            .collect(),
        Some(list) => cx
            .framework
            .option_lists
            .get(list)
            .into_iter()
            .flatten()
            .map(|item| {
                let label = if lang == Lang::Fr && !item.fr.is_empty() { &item.fr } else { &item.en };
                (if stores_keys { item.key.clone() } else { item.en.clone() }, label.clone())
            })
            .collect(),
        None => Vec::new(),
    }
}

/// Which option (by its canonical value) a stored text names.
fn option_value(cx: &Context<'_>, list: Option<&str>, stores_keys: bool, text: &str) -> Option<String> {
    match list? {
        "parties" => countries::resolve_name(text)
            .or_else(|| countries::by_iso3(text))
            .map(|c| if stores_keys { c.iso3.as_str().to_owned() } else { c.name.en.clone() }),
        list => cx
            .framework
            .resolve_option(list, text)
            .map(|item| if stores_keys { item.key.clone() } else { item.en.clone() }),
    }
}

fn select(cx: &Context<'_>, name: String, list: Option<&str>, stores_keys: bool, value: Option<&Value>) -> Input {
    let current = text_of(value);
    let current_option = option_value(cx, list, stores_keys, &current);
    let mut options: Vec<SelectOption> =
        vec![SelectOption { value: String::new(), label: cx.words.t("editor-choose"), selected: current.is_empty() }];
    for (canonical, label) in options_of(cx, list, stores_keys) {
        let selected = current_option.as_deref() == Some(canonical.as_str());
        options.push(SelectOption { value: if selected { current.clone() } else { canonical }, label, selected });
    }
    if !current.is_empty() && current_option.is_none() {
        options.push(SelectOption {
            label: cx.words.ts("editor-as-written", "value", &current),
            value: current.clone(),
            selected: true,
        });
    }
    let mut control = input(name, InputKind::Select, current);
    control.options = options;
    control
}

fn checkboxes(
    cx: &Context<'_>,
    name: &str,
    list: Option<&str>,
    stores_keys: bool,
    value: Option<&Value>,
) -> Vec<Choice> {
    let stored: Vec<String> = value.and_then(Value::as_array).into_iter().flatten().map(|v| text_of(Some(v))).collect();
    let resolved: Vec<Option<String>> = stored.iter().map(|text| option_value(cx, list, stores_keys, text)).collect();
    let mut options: Vec<Choice> = options_of(cx, list, stores_keys)
        .into_iter()
        .map(|(canonical, label)| match resolved.iter().position(|r| r.as_deref() == Some(canonical.as_str())) {
            Some(at) => choice(name, stored[at].clone(), label, true),
            None => choice(name, canonical, label, false),
        })
        .collect();
    // Values outside the list (lists are open) stay checked under their own text.
    for (text, _) in stored.iter().zip(&resolved).filter(|(_, r)| r.is_none()) {
        options.push(choice(name, text.clone(), cx.words.ts("editor-as-written", "value", text), true));
    }
    for (i, option) in options.iter_mut().enumerate() {
        option.id = format!("{}-{i}", control_id(name));
    }
    options
}

/// The new value of `field` from a post: `Ok(None)` leaves the stored value as it is.
pub(crate) fn decode(
    field: &Field<'_>,
    old: Option<&Value>,
    widget: &Widget,
    posted: &Posted<'_>,
) -> Result<Option<Value>, FieldError> {
    let now = Effective { posted };
    if now.unchanged(widget) {
        return Ok(None);
    }
    let q = field.question;
    let error = |problem: Problem, name: &str, value: &str| FieldError {
        name: name.to_owned(),
        label: q.label.clone(),
        problem,
        value: value.to_owned(),
    };
    use AnswerType as T;
    let value = match (q.answer_type, widget) {
        (T::Address, Widget::Single(control)) => {
            let text = normalize_newlines(now.text(control));
            if text.is_empty() { Value::Array(Vec::new()) } else { text.split('\n').map(Value::from).collect() }
        }
        (T::SingleSelect, Widget::Single(control)) => {
            choose(&now, control).map_err(|v| error(Problem::NotAChoice, &control.name, v))?
        }
        (_, Widget::Single(control)) => Value::String(normalize_newlines(now.text(control))),
        (T::YesNo | T::Rating1To4, Widget::Radios(options)) => {
            let picked = now.radio(options).unwrap_or_default();
            if picked == KEEP {
                return Ok(None);
            }
            match scalar_choices(q.answer_type, &Words::ids()).into_iter().find(|(text, _, _)| text == picked) {
                Some((_, stored, _)) => stored,
                None if picked.is_empty() => Value::Null,
                None => return Err(error(Problem::NotAChoice, &field.name, picked)),
            }
        }
        (_, Widget::Checkboxes(options)) => {
            checked_list(&now, options, old).map_err(|v| error(Problem::NotAChoice, &field.name, &v))?
        }
        (_, Widget::Groups(groups)) => {
            let mut object = old.and_then(Value::as_object).cloned().unwrap_or_default();
            for (group, spec) in groups.iter().zip(&q.groups) {
                if now.same_group(group) {
                    continue; // kept as stored
                }
                let before = old.and_then(|v| v.get(&spec.key));
                let list = match &group.other {
                    Some(o) => other_list(&now, &group.options, &group.name, &o.input, &o.marker, before),
                    None => {
                        checked_list(&now, &group.options, before).map_err(|v| (Problem::NotAChoice, &*group.name, v))
                    }
                }
                .map_err(|(problem, name, v)| error(problem, name, &v))?;
                if before.is_some() || list.as_array().is_some_and(|l| !l.is_empty()) {
                    object.insert(spec.key.clone(), list);
                }
            }
            Value::Object(object)
        }
        (_, Widget::Parts { parts, .. }) => {
            let mut figure = figure_of(q.answer_type, old);
            let mut empty = true;
            for control in parts {
                let part = control.name.rsplit('.').next().and_then(Part::from_key).unwrap_or(Part::Raw);
                let text = now.text(control);
                empty &= text.trim().is_empty();
                if text == control.value {
                    continue;
                }
                match part {
                    Part::Percent => {
                        figure.set_percent(
                            parse_number(text, 0.0, 100.0, false)
                                .map_err(|()| error(Problem::Percent, &control.name, text))?,
                        );
                    }
                    Part::Year => {
                        let bounds = (f64::from(Year::MIN), f64::from(Year::MAX));
                        let year = parse_number(text, bounds.0, bounds.1, true)
                            .map_err(|()| error(Problem::Year, &control.name, text))?;
                        figure.set_year(year.and_then(|n| n.as_i64()).and_then(|y| Year::new(y).ok()));
                    }
                    Part::Raw | Part::Usd => {
                        // The figure in USD follows the amount as written.
                        figure.set_usd(Usd::derive(text));
                        figure.set_raw(text.to_owned());
                    }
                }
            }
            if empty { Value::Null } else { figure.to_value() }
        }
        (_, Widget::List { items, .. }) => {
            items.iter().map(|item| Value::String(normalize_newlines(now.text(&item.input)))).collect()
        }
        (_, Widget::Table { rows, .. }) => {
            let old_rows: &[Value] = old.and_then(Value::as_array).map_or(&[], Vec::as_slice);
            let mut new_rows = Vec::with_capacity(rows.len());
            for (row, before) in rows.iter().zip(old_rows) {
                let mut object = before.as_object().cloned().unwrap_or_default();
                for (cell, column) in row.cells.iter().zip(&q.columns) {
                    if now.same_cell(cell) {
                        continue;
                    }
                    let control = &cell.input;
                    let value = match (&cell.other, control.kind) {
                        (Some(o), _) => other_one(&now, control, &o.input, &o.marker)
                            .map_err(|(problem, name, v)| error(problem, name, &v))?,
                        (None, InputKind::Select) => {
                            choose(&now, control).map_err(|v| error(Problem::NotAChoice, &control.name, v))?
                        }
                        (None, _) => Value::String(normalize_newlines(now.text(control))),
                    };
                    object.insert(column.key.clone(), value);
                }
                new_rows.push(Value::Object(object));
            }
            Value::Array(new_rows)
        }
        (_, Widget::WithOther { choices, other, marker }) => {
            let value = match &**choices {
                Widget::Checkboxes(options) => other_list(&now, options, &field.name, other, marker, old),
                Widget::Single(control) => other_one(&now, control, other, marker),
                _ => return Ok(None),
            };
            value.map_err(|(problem, name, v)| error(problem, name, &v))?
        }
        _ => return Ok(None),
    };
    Ok(Some(value))
}

/// The "Other (please specify)" entry of an option list, when it has one and the value stores
/// option texts (a key cannot hold the text typed: records' own fields store keys).
fn other_entry<'f>(cx: &Context<'f>, list: Option<&str>, stores_keys: bool) -> Option<&'f OptionItem> {
    if stores_keys {
        return None;
    }
    cx.framework.other_entry(list?)
}

/// The text field beside the "Other (please specify)" entry of choices named `name` from
/// `list` holding `value` (`many`: a list of choices, else one), and the value the choices show:
/// the first stored choice that is the respondent's own text ([`Framework::is_other_answer`])
/// is shown in the text field and the entry is chosen in its place; further such values stay,
/// as written. No text field (and the value as it is) when the list has no such entry.
fn other_text(
    cx: &Context<'_>,
    name: &str,
    list: Option<&str>,
    stores_keys: bool,
    value: Option<&Value>,
    many: bool,
) -> (Option<OtherText>, Option<Value>) {
    let (Some(list), Some(entry)) = (list, other_entry(cx, list, stores_keys)) else {
        return (None, value.cloned());
    };
    let marker = entry.en.clone();
    let is_other = |v: &Value| v.as_str().is_some_and(|text| cx.framework.is_other_answer(list, text));
    let (typed, shown) = match value {
        Some(Value::Array(items)) if many => match items.iter().position(is_other) {
            Some(at) => {
                let mut rest = items.clone();
                let typed = text_of(Some(&rest.remove(at)));
                rest.push(Value::String(marker.clone()));
                (typed, Some(Value::Array(rest)))
            }
            None => (String::new(), value.cloned()),
        },
        Some(one) if !many && is_other(one) => (text_of(Some(one)), Some(Value::String(marker.clone()))),
        other => (String::new(), other.cloned()),
    };
    let mut input = input(format!("{name}.other"), InputKind::Text, typed);
    input.label = Some(cx.words.t("editor-other-specify"));
    (Some(OtherText { input, marker }), shown)
}

/// The controls of a question whose list has an "Other (please specify)" entry: its choices
/// (checkboxes, or a select) and the text beside them.
fn with_other(cx: &Context<'_>, field: &Field<'_>, value: Option<&Value>) -> Widget {
    let q = field.question;
    let list = q.options.as_deref();
    let many = q.answer_type == AnswerType::MultiSelect;
    let (other, shown) = other_text(cx, &field.name, list, field.stores_keys, value, many);
    let choices = if many {
        Widget::Checkboxes(checkboxes(cx, &field.name, list, false, shown.as_ref()))
    } else {
        Widget::Single(select(cx, field.name.clone(), list, false, shown.as_ref()))
    };
    match other {
        Some(other) => Widget::WithOther { choices: Box::new(choices), other: other.input, marker: other.marker },
        None => choices,
    }
}

/// Why a posted value cannot be taken: the problem, the name of the control, the posted text.
type Refusal<'w> = (Problem, &'w str, String);

/// The checked values of choices with an "Other (please specify)" entry (`marker`) and the
/// text beside it (`other`): the text typed in place of the entry, as written (trimmed); the
/// entry checked with nothing typed is refused, as is a value that is none of the choices.
fn other_list<'w>(
    now: &Effective<'w, '_>,
    options: &'w [Choice],
    name: &'w str,
    other: &'w Input,
    marker: &str,
    old: Option<&Value>,
) -> Result<Value, Refusal<'w>> {
    let typed = normalize_newlines(now.text(other)).trim().to_owned();
    let list = checked_list(now, options, old).map_err(|v| (Problem::NotAChoice, name, v))?;
    let mut items = list.as_array().cloned().unwrap_or_default();
    let chosen = items.iter().any(|v| v.as_str() == Some(marker));
    items.retain(|v| v.as_str() != Some(marker));
    if !typed.is_empty() {
        items.push(Value::String(typed));
    } else if chosen {
        return Err((Problem::OtherEmpty, &other.name, String::new()));
    }
    Ok(Value::Array(items))
}

/// The value of a select with an "Other (please specify)" entry (`marker`) and the text beside
/// it: the text typed when the entry is chosen (or nothing is), else the option chosen; the
/// entry chosen with nothing typed is refused.
fn other_one<'w>(
    now: &Effective<'w, '_>,
    control: &'w Input,
    other: &'w Input,
    marker: &str,
) -> Result<Value, Refusal<'w>> {
    let typed = normalize_newlines(now.text(other)).trim().to_owned();
    let picked = choose(now, control).map_err(|v| (Problem::NotAChoice, control.name.as_str(), v.to_owned()))?;
    Ok(match picked.as_str() {
        Some(text) if text == marker && typed.is_empty() => {
            return Err((Problem::OtherEmpty, &other.name, String::new()));
        }
        Some(text) if text == marker => Value::String(typed),
        None if !typed.is_empty() => Value::String(typed),
        _ => picked,
    })
}

/// The value of a select: one of its options (the stored text included), or empty.
fn choose<'w>(now: &Effective<'w, '_>, control: &'w Input) -> Result<Value, &'w str> {
    let text = now.text(control);
    if text.is_empty() {
        Ok(Value::Null)
    } else if control.options.iter().any(|o| o.value == text) {
        Ok(Value::String(text.to_owned()))
    } else {
        Err(text)
    }
}

/// The checked values: those already stored keep their place, new ones follow in the form's
/// order. A value that is not one of the checkboxes is refused.
fn checked_list(now: &Effective<'_, '_>, options: &[Choice], old: Option<&Value>) -> Result<Value, String> {
    let mut checked = now.checked(options);
    if let Some(unknown) = checked.iter().find(|v| !options.iter().any(|o| o.value == **v)) {
        return Err((*unknown).to_owned());
    }
    let mut list = Vec::with_capacity(checked.len());
    for before in old.and_then(Value::as_array).into_iter().flatten() {
        let text = text_of(Some(before));
        if let Some(at) = checked.iter().position(|v| *v == text) {
            checked.remove(at);
            list.push(before.clone());
        }
    }
    let new = options
        .iter()
        .filter(|o| checked.contains(&o.value.as_str()) && !list.iter().any(|v| v.as_str() == Some(&o.value)));
    let new: Vec<Value> = new.map(|o| Value::String(o.value.clone())).collect();
    list.extend(new);
    Ok(Value::Array(list))
}

/// A number typed in a form (`3.8`, `3,8`, `37 %`), within `min..=max`, whole if `integer`;
/// empty is no number. Whole numbers typed without a decimal point are stored as integers.
fn parse_number(text: &str, min: f64, max: f64, integer: bool) -> Result<Option<Number>, ()> {
    let cleaned: String = text.trim().trim_end_matches('%').trim().replace(',', ".");
    if cleaned.is_empty() {
        return Ok(None);
    }
    let number: f64 = cleaned.parse().map_err(|_| ())?;
    let whole = number.fract() == 0.0;
    if !number.is_finite() || number < min || number > max || (integer && !whole) {
        return Err(());
    }
    if whole && (integer || !cleaned.contains('.')) {
        #[expect(clippy::cast_possible_truncation, reason = "whole and within min..=max")]
        return Ok(Some(Number::from(number as i64)));
    }
    Number::from_f64(number).map(Some).ok_or(())
}

/// The empty value of a new record field or table cell, by type.
pub(crate) fn empty_value(answer_type: AnswerType) -> Value {
    Answer::empty(answer_type).map_or(Value::Null, |empty| empty.to_value())
}

/// A new, empty row of a table.
pub(crate) fn empty_row(columns: &[Column]) -> Value {
    Value::Object(columns.iter().map(|c| (c.key.clone(), empty_value(c.answer_type))).collect::<Map<String, Value>>())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_read_as_people_type_them() {
        // As stored: a number, or `null` for nothing typed.
        let number = |text: &str, min: f64, max: f64, integer: bool| {
            parse_number(text, min, max, integer).map(|n| n.map_or(Value::Null, Value::Number))
        };
        assert_eq!(number("3,8", 0.0, 100.0, false), Ok(serde_json::json!(3.8)));
        assert_eq!(number(" 37 % ", 0.0, 100.0, false), Ok(serde_json::json!(37)));
        assert_eq!(number("2021", 1900.0, 2100.0, true), Ok(serde_json::json!(2021)));
        assert_eq!(number("2021.0", 1900.0, 2100.0, true), Ok(serde_json::json!(2021)));
        assert_eq!(number("2021.5", 1900.0, 2100.0, true), Err(()));
        assert_eq!(number("", 1900.0, 2100.0, true), Ok(Value::Null));
        assert_eq!(number("1850", 1900.0, 2100.0, true), Err(()));
        assert_eq!(number("NaN", 0.0, 100.0, false), Err(()));
        assert_eq!(number("inf", 0.0, 100.0, false), Err(()));
        assert_eq!(number("twenty", 0.0, 100.0, false), Err(()));
    }

    #[test]
    fn text_areas_keep_line_breaks_as_the_document_does() {
        assert_eq!(normalize_newlines("a\r\nb\rc\n"), "a\nb\nc\n");
    }
}
