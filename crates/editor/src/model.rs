//! The editable data as the form engine sees it: a JSON value with an `answers` object (one
//! entry per question id) and one array per record type, walked along a framework section.
//!
//! The walk is shared by the view (what to show) and by `apply` (what a posted name means),
//! so a name the view renders is exactly a name `apply` accepts. Nothing here knows a
//! question: the walk follows the framework's sections, groups, record types and conditions.

use qpr_domain::framework::{AnswerType, Framework, Question, RecordType, Section};
use serde_json::{Map, Value};

/// The key of the answers object in every editable value.
pub(crate) const ANSWERS: &str = "answers";

/// Where the records of each record type live in an editable value, and how new record ids
/// start.
#[derive(Debug, Clone)]
pub(crate) struct Layout {
    /// Record type name → key of its array in the value.
    pub arrays: &'static [(&'static str, &'static str)],
    /// Prefix of the ids of new records (`AZE-2022`).
    pub id_prefix: String,
}

impl Layout {
    /// The array key of a record type.
    pub(crate) fn array(&self, record_type: &str) -> Option<&'static str> {
        self.arrays.iter().find(|(name, _)| *name == record_type).map(|(_, key)| *key)
    }
}

/// A question at one place of the data.
#[derive(Debug, Clone)]
pub(crate) struct Field<'a> {
    /// The question (or record field) of the framework.
    pub question: &'a Question,
    /// HTML name of the field; controls of several parts add `.<part>`.
    pub name: String,
    /// JSON pointer of the object that holds the value.
    pub container: String,
    /// Key of the value in that object.
    pub key: String,
    /// Path of the value as validation names it (`answers.x`, `policy_measures[3].title`).
    pub doc_path: String,
    /// Option values are stored as option keys (records) rather than as their text (answers).
    pub stores_keys: bool,
    /// Shown only when another field holds a value.
    pub condition: Option<Condition<'a>>,
    /// The form expects an answer.
    pub required: bool,
}

/// "Shown only when the field `name` holds `equals`".
#[derive(Debug, Clone)]
pub(crate) struct Condition<'a> {
    /// The field the condition depends on.
    pub parent: Box<Field<'a>>,
    /// The value that makes the field apply.
    pub equals: &'a Value,
}

/// A repeated record type inside a section.
#[derive(Debug, Clone)]
pub(crate) struct Records<'a> {
    /// The `records` question.
    pub question: &'a Question,
    /// Its record type.
    pub record_type: &'a RecordType,
    /// Key of the array holding the records.
    pub array: &'static str,
    /// The records of this question are those whose `scope.0` is `scope.1` (their area or
    /// their goal); a new record gets it.
    pub scope: (&'static str, Value),
    /// Name of the collection in actions: `a.<question id>`.
    pub name: String,
    /// The records, in order.
    pub items: Vec<RecordItem<'a>>,
}

/// One record of a [`Records`].
#[derive(Debug, Clone)]
pub(crate) struct RecordItem<'a> {
    /// Stable id.
    pub id: String,
    /// Index in the array.
    pub index: usize,
    /// Its fields, in the framework's order.
    pub fields: Vec<Field<'a>>,
}

/// A node of a section.
#[derive(Debug, Clone)]
pub(crate) enum Node<'a> {
    /// A question with a value of its own.
    Field(Field<'a>),
    /// A group of questions under a common label, each stored under its own id.
    Group {
        /// The group question.
        question: &'a Question,
        /// Its questions.
        fields: Vec<Field<'a>>,
    },
    /// Repeated records.
    Records(Records<'a>),
}

/// The value at `container`/`key` of `state`.
pub(crate) fn read<'v>(state: &'v Value, container: &str, key: &str) -> Option<&'v Value> {
    state.pointer(container)?.get(key)
}

/// Sets `container`/`key` of `state` (creating the container object if it is missing).
pub(crate) fn write(state: &mut Value, container: &str, key: &str, value: Value) -> bool {
    if state.pointer(container).is_none() {
        let Some((parent, last)) = container.rsplit_once('/') else { return false };
        if !write(state, parent, &unescape(last), Value::Object(Map::new())) {
            return false;
        }
    }
    match state.pointer_mut(container) {
        Some(Value::Object(map)) => {
            map.insert(key.to_owned(), value);
            true
        }
        _ => false,
    }
}

fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

/// The walk of one framework section over an editable value.
pub(crate) struct Walker<'a> {
    pub framework: &'a Framework,
    pub layout: &'a Layout,
    /// Every section of the form being edited (for conditions across sections).
    pub sections: &'a [Section],
}

impl<'a> Walker<'a> {
    /// The nodes of `section`, with the records `state` holds.
    pub(crate) fn nodes(&self, section: &'a Section, state: &Value) -> Vec<Node<'a>> {
        section
            .questions
            .iter()
            .filter_map(|question| match question.answer_type {
                AnswerType::Group => Some(Node::Group {
                    question,
                    fields: question.fields.iter().map(|field| self.answer_field(field, field.required)).collect(),
                }),
                AnswerType::Records => self.records(section, question, state).map(Node::Records),
                _ => Some(Node::Field(self.answer_field(question, question.required))),
            })
            .collect()
    }

    fn answer_field(&self, question: &'a Question, required: bool) -> Field<'a> {
        let condition = question.condition.as_ref().and_then(|condition| {
            let parent = self.top_question(&condition.question)?;
            Some(Condition { parent: Box::new(self.answer_field(parent, false)), equals: &condition.equals })
        });
        Field {
            question,
            name: format!("a.{}", question.id),
            container: format!("/{ANSWERS}"),
            key: question.id.clone(),
            doc_path: format!("{ANSWERS}.{}", question.id),
            stores_keys: false,
            condition,
            required,
        }
    }

    /// A question of the edited form by id (group members included).
    fn top_question(&self, id: &str) -> Option<&'a Question> {
        self.sections
            .iter()
            .flat_map(|s| s.questions.iter())
            .flat_map(|q| std::iter::once(q).chain(q.fields.iter()))
            .find(|q| q.id == id)
    }

    fn records(&self, section: &'a Section, question: &'a Question, state: &Value) -> Option<Records<'a>> {
        let type_name = question.record.as_deref()?;
        let record_type = self.framework.record_type(type_name)?;
        let array = self.layout.array(type_name)?;
        let scope = match (question.goal, &section.area) {
            (Some(goal), _) => ("goal", Value::from(goal)),
            (None, Some(area)) => ("area", Value::from(area.as_str())),
            (None, None) => return None,
        };
        let items = state
            .get(array)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
            .filter(|(_, record)| record.get(scope.0) == Some(&scope.1))
            .map(|(index, record)| {
                let id = record.get("id").and_then(Value::as_str).unwrap_or_default().to_owned();
                let fields = self.record_fields(type_name, record_type, array, index, &id);
                RecordItem { id, index, fields }
            })
            .collect();
        Some(Records { question, record_type, array, scope, name: format!("a.{}", question.id), items })
    }

    fn record_fields(
        &self,
        type_name: &str,
        record_type: &'a RecordType,
        array: &str,
        index: usize,
        id: &str,
    ) -> Vec<Field<'a>> {
        let field = |question: &'a Question| {
            let key = question.key.clone().unwrap_or_else(|| question.id.clone());
            Field {
                question,
                name: format!("r.{type_name}.{id}.{key}"),
                container: format!("/{array}/{index}"),
                doc_path: format!("{array}[{index}].{key}"),
                key,
                stores_keys: true,
                condition: None,
                // The record's title (shown as its heading, unlabelled when published) is the
                // one field a record cannot be without.
                required: question.unlabelled,
            }
        };
        // Groups inside a record stand for their fields; records inside records are not a
        // shape the document can hold, so they are not offered.
        let leaves: Vec<&'a Question> = record_type
            .fields
            .iter()
            .flat_map(|q| if q.answer_type == AnswerType::Group { q.fields.iter().collect() } else { vec![q] })
            .filter(|q| q.answer_type != AnswerType::Records)
            .collect();
        leaves
            .iter()
            .map(|question| {
                let mut this = field(question);
                this.condition = question.condition.as_ref().and_then(|condition| {
                    let parent = leaves.iter().find(|q| q.id == condition.question)?;
                    Some(Condition { parent: Box::new(field(parent)), equals: &condition.equals })
                });
                this
            })
            .collect()
    }
}

impl Field<'_> {
    /// The field's current value in `state` (`None` when absent).
    pub(crate) fn value<'v>(&self, state: &'v Value) -> Option<&'v Value> {
        read(state, &self.container, &self.key)
    }

    /// Whether the field applies in `state`: no condition, or its parent holds the value.
    pub(crate) fn applies(&self, state: &Value) -> bool {
        self.condition.as_ref().is_none_or(|c| c.parent.value(state) == Some(c.equals))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn write_creates_missing_containers() {
        let mut state = json!({});
        assert!(write(&mut state, "/answers", "x", json!(1)));
        assert_eq!(state, json!({"answers": {"x": 1}}));
        assert!(!write(&mut state, "/answers/x", "y", json!(2)), "a number holds no keys");
    }
}
