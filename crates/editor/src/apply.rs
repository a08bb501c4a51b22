//! A posted editing page back into the data: every field of the page, then the record action
//! the pressed button names.

use std::collections::HashSet;

use qpr_domain::framework::{AnswerType, Section};
use serde_json::{Map, Value};

use super::codec::{self, Context, Posted};
use super::model::{Field, Node, Records, Walker, read, write};
use super::widgets::Widget;
use super::{FieldError, FormAction, FormError, Problem, Words};

/// The data after a post, the action done, and the element to show next.
pub(crate) struct AppliedState {
    pub state: Value,
    pub action: FormAction,
    pub focus: Option<String>,
}

/// Applies `pairs` (one page's post) to `state`: fields of `sections` only; names of other
/// pages and unknown names are errors, as is an action on a record that is not there.
pub(crate) fn apply(
    walker: &Walker<'_>,
    sections: &[&Section],
    state: &Value,
    pairs: &[(String, String)],
    cx: &Context<'_>,
) -> Result<AppliedState, FormError> {
    let posted = Posted::new(pairs);
    let nodes: Vec<Node<'_>> = sections.iter().flat_map(|section| walker.nodes(section, state)).collect();
    let mut errors = Vec::new();
    let mut new = state.clone();
    let mut known: HashSet<String> = HashSet::new();
    for field in fields(&nodes) {
        let old = field.value(state);
        let widget = codec::widget(cx, field, old);
        names_of(&widget, &mut known);
        match codec::decode(field, old, &widget, &posted) {
            Ok(Some(value)) => {
                write(&mut new, &field.container, &field.key, value);
            }
            Ok(None) => {}
            Err(error) => errors.push(error),
        }
    }
    for name in posted.names() {
        if !known.contains(name) {
            errors.push(FieldError {
                name: name.to_owned(),
                label: Default::default(),
                problem: Problem::UnknownField,
                value: name.to_owned(),
            });
        }
    }
    if !errors.is_empty() {
        errors.sort_by(|a, b| a.name.cmp(&b.name));
        return Err(FormError { errors });
    }
    let action = pairs.iter().rev().find(|(name, _)| name == "action").map_or("save", |(_, value)| value.as_str());
    let (action, focus) = act(walker, &nodes, &mut new, action).map_err(|error| FormError { errors: vec![error] })?;
    Ok(AppliedState { state: new, action, focus })
}

/// Every field of the nodes, records included, in order.
fn fields<'n, 'a>(nodes: &'n [Node<'a>]) -> impl Iterator<Item = &'n Field<'a>> {
    nodes.iter().flat_map(|node| -> Box<dyn Iterator<Item = &'n Field<'a>> + 'n> {
        match node {
            Node::Field(field) => Box::new(std::iter::once(field)),
            Node::Group { fields, .. } => Box::new(fields.iter()),
            Node::Records(records) => Box::new(records.items.iter().flat_map(|item| item.fields.iter())),
        }
    })
}

fn names_of(widget: &Widget, known: &mut HashSet<String>) {
    match widget {
        Widget::Single(input) => {
            known.insert(input.name.clone());
        }
        Widget::Parts { parts, .. } => known.extend(parts.iter().map(|p| p.name.clone())),
        Widget::Radios(choices) | Widget::Checkboxes(choices) => known.extend(choices.iter().map(|c| c.name.clone())),
        Widget::Groups(groups) => {
            for group in groups {
                known.insert(group.name.clone());
                known.extend(group.other.iter().map(|o| o.input.name.clone()));
            }
        }
        Widget::List { items, .. } => known.extend(items.iter().map(|i| i.input.name.clone())),
        Widget::Table { rows, .. } => {
            for cell in rows.iter().flat_map(|r| r.cells.iter()) {
                known.insert(cell.input.name.clone());
                known.extend(cell.other.iter().map(|o| o.input.name.clone()));
            }
        }
        Widget::WithOther { choices, other, .. } => {
            names_of(choices, known);
            known.insert(other.name.clone());
        }
        Widget::ReadOnly(_) => {}
    }
}

/// Does the record action `action` on `state`.
fn act(
    walker: &Walker<'_>,
    nodes: &[Node<'_>],
    state: &mut Value,
    action: &str,
) -> Result<(FormAction, Option<String>), FieldError> {
    let bad = |problem: Problem| FieldError {
        name: "action".to_owned(),
        label: Default::default(),
        problem,
        value: action.to_owned(),
    };
    if action.is_empty() || action == "save" {
        return Ok((FormAction::Save, None));
    }
    let (verb, target) = action.split_once(':').ok_or_else(|| bad(Problem::BadAction))?;
    let (collection, key) = match verb {
        "add" => (target, None),
        "remove" | "up" | "down" => {
            target.rsplit_once('/').map(|(c, k)| (c, Some(k))).ok_or_else(|| bad(Problem::BadAction))?
        }
        _ => return Err(bad(Problem::BadAction)),
    };
    let done = match key {
        None => FormAction::Add { collection: collection.to_owned() },
        Some(key) => {
            let (collection, key) = (collection.to_owned(), key.to_owned());
            match verb {
                "remove" => FormAction::Remove { collection, key },
                "up" => FormAction::MoveUp { collection, key },
                _ => FormAction::MoveDown { collection, key },
            }
        }
    };
    if let Some(records) = nodes.iter().find_map(|n| match n {
        Node::Records(r) if r.name == collection => Some(r),
        _ => None,
    }) {
        let focus = records_action(walker, records, state, verb, key).ok_or_else(|| bad(Problem::NoSuchRecord))?;
        return Ok((done, Some(focus)));
    }
    let field = fields(nodes)
        .find(|f| {
            f.name == collection
                && matches!(f.question.answer_type, AnswerType::TextList | AnswerType::EmailList | AnswerType::Table)
        })
        .ok_or_else(|| bad(Problem::BadAction))?;
    let focus = list_action(field, state, verb, key).ok_or_else(|| bad(Problem::NoSuchRecord))?;
    Ok((done, Some(focus)))
}

/// Adds, removes or moves a record; `None` when the record is not there. Returns the element
/// id to show.
fn records_action(
    walker: &Walker<'_>,
    records: &Records<'_>,
    state: &mut Value,
    verb: &str,
    key: Option<&str>,
) -> Option<String> {
    let prefix = walker.layout.id_prefix.clone();
    let array =
        state.as_object_mut()?.entry(records.array).or_insert_with(|| Value::Array(Vec::new())).as_array_mut()?;
    let in_scope = |record: &Value| record.get(records.scope.0) == Some(&records.scope.1);
    let element = |id: &str| format!("rec-{}", id.replace(char::is_whitespace, "_"));
    if verb == "add" {
        let id = new_id(&prefix, array);
        let mut record = Map::new();
        record.insert("id".to_owned(), Value::String(id.clone()));
        record.insert(records.scope.0.to_owned(), records.scope.1.clone());
        for field in &records.record_type.fields {
            let key = field.key.clone().unwrap_or_else(|| field.id.clone());
            record.insert(key, codec::empty_value(field.answer_type));
        }
        // After the last record of the same list, so the published order stays.
        let at = array.iter().rposition(in_scope).map_or(array.len(), |i| i + 1);
        array.insert(at, Value::Object(record));
        return Some(element(&id));
    }
    let key = key?;
    let at = array.iter().position(|r| in_scope(r) && r.get("id").and_then(Value::as_str) == Some(key))?;
    match verb {
        "remove" => {
            array.remove(at);
            // The page shows the list again.
            return Some(codec::control_id(&records.name));
        }
        "up" => {
            if let Some(before) = array[..at].iter().rposition(in_scope) {
                array.swap(before, at);
            }
        }
        _ => {
            if let Some(after) = array[at + 1..].iter().position(in_scope) {
                array.swap(at, at + 1 + after);
            }
        }
    }
    Some(element(key))
}

/// Adds, removes or moves an item of a list or a row of a table.
fn list_action(field: &Field<'_>, state: &mut Value, verb: &str, key: Option<&str>) -> Option<String> {
    let mut items = read(state, &field.container, &field.key).and_then(Value::as_array).cloned().unwrap_or_default();
    if verb == "add" {
        let empty = if field.question.answer_type == AnswerType::Table {
            codec::empty_row(&field.question.columns)
        } else {
            Value::String(String::new())
        };
        items.push(empty);
    } else {
        let at: usize = key?.parse().ok().filter(|at| *at < items.len())?;
        match verb {
            "remove" => {
                items.remove(at);
            }
            "up" if at > 0 => items.swap(at - 1, at),
            "down" if at + 1 < items.len() => items.swap(at, at + 1),
            _ => {}
        }
    }
    write(state, &field.container, &field.key, Value::Array(items))
        .then(|| format!("{}-field", codec::control_id(&field.name)))
}

/// A new record id, unique in `records`: `<prefix>-<10 random letters and digits>`. Random,
/// not the next number, so that two people adding a record at the same time to the same
/// revision get two records when their saves are merged.
fn new_id(prefix: &str, records: &[Value]) -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    loop {
        let suffix: String = (0..10).map(|_| char::from(ALPHABET[fastrand::usize(..ALPHABET.len())])).collect();
        let id = format!("{prefix}-{suffix}");
        if !records.iter().any(|r| r.get("id").and_then(Value::as_str) == Some(id.as_str())) {
            return id;
        }
    }
}

/// The context of an apply: controls are built as the page built them; their texts do not
/// matter, so English.
pub(crate) fn context<'a>(walker: &Walker<'a>) -> Context<'a> {
    Context { framework: walker.framework, words: Words::ids() }
}
