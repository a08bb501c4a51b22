//! Field-level differences between two report documents, and the three-way merge that lets
//! two people save the same report without overwriting each other.
//!
//! A document is seen as a flat map from field paths to values: `answers.<question id>`,
//! `policy_measures.<record id>.<field>`, `cso_measures.<record id>.<field>`, the order of
//! each record list (`policy_measures#order`), and every other top-level key as a whole. Two
//! saves based on the same revision merge when they changed different paths; when they
//! changed the same path to different values, the merge reports a conflict carrying both.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use serde_json::{Map, Value};

use crate::document::ReportDocument;

/// A value that differs between two documents.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    /// Field path, e.g. `answers.g1_ccs_ministry` or `policy_measures.AZE-2022-pm01.title`.
    pub path: String,
    /// Value in the first document; `None` when absent there.
    pub before: Option<Value>,
    /// Value in the second document; `None` when absent there.
    pub after: Option<Value>,
}

/// Both sides changed one field to different values.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Conflict {
    /// Field path.
    pub path: String,
    /// Value in the common base.
    pub base: Option<Value>,
    /// Value saved by the other person in the meantime.
    pub theirs: Option<Value>,
    /// Value in this save.
    pub ours: Option<Value>,
}

/// Why two saves could not be merged.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum MergeError {
    /// The saves changed the same fields differently.
    #[error("{} field(s) were changed by someone else in the meantime: {}", .0.len(), .0.iter().map(|c| c.path.as_str()).collect::<Vec<_>>().join(", "))]
    Conflicts(Vec<Conflict>),
    /// The merged fields do not make a document (cannot happen for documents this crate wrote).
    #[error("the merged document is not valid: {0}")]
    Invalid(String),
}

const RECORD_LISTS: [&str; 2] = ["policy_measures", "cso_measures"];

/// Every field that differs between `a` and `b`, sorted by path.
pub fn diff(a: &ReportDocument, b: &ReportDocument) -> Vec<Change> {
    diff_flat(&flatten(a), &flatten(b))
}

fn diff_flat(a: &BTreeMap<String, Value>, b: &BTreeMap<String, Value>) -> Vec<Change> {
    let paths: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
    paths
        .into_iter()
        .filter(|path| a.get(*path) != b.get(*path))
        .map(|path| Change { path: path.clone(), before: a.get(path).cloned(), after: b.get(path).cloned() })
        .collect()
}

/// Merges `ours` (a save based on `base`) with `theirs` (what was saved since `base`).
pub fn merge(base: &ReportDocument, theirs: &ReportDocument, ours: &ReportDocument) -> Result<ReportDocument, MergeError> {
    // Each document is flattened once; the two diffs and the result work on the flat maps.
    let base_flat = flatten(base);
    let mut merged = flatten(theirs);
    let theirs_changes: BTreeMap<String, Change> = diff_flat(&base_flat, &merged).into_iter().map(|c| (c.path.clone(), c)).collect();
    let mut conflicts = Vec::new();
    for change in diff_flat(&base_flat, &flatten(ours)) {
        let is_order = change.path.ends_with("#order");
        match theirs_changes.get(&change.path) {
            Some(theirs_change) if theirs_change.after != change.after => {
                if is_order
                    && let Some(order) = merge_order(base_flat.get(&change.path), theirs_change.after.as_ref(), change.after.as_ref())
                {
                    merged.insert(change.path.clone(), order);
                    continue;
                }
                conflicts.push(Conflict {
                    path: change.path.clone(),
                    base: change.before.clone(),
                    theirs: theirs_change.after.clone(),
                    ours: change.after.clone(),
                });
            }
            _ => match change.after {
                Some(value) => {
                    merged.insert(change.path, value);
                }
                None => {
                    merged.remove(&change.path);
                }
            },
        }
    }
    if !conflicts.is_empty() {
        return Err(MergeError::Conflicts(conflicts));
    }
    unflatten(&merged).map_err(|e| MergeError::Invalid(e.to_string()))
}

/// Merges two edits of a record order when they only add and remove records: start from
/// theirs, drop what ours removed, add what ours added after the record it follows in ours.
/// A reordering of the same records on both sides is a conflict (`None`).
fn merge_order(base: Option<&Value>, theirs: Option<&Value>, ours: Option<&Value>) -> Option<Value> {
    let ids = |v: Option<&Value>| -> Vec<String> {
        v.and_then(Value::as_array).map(|a| a.iter().filter_map(|x| x.as_str().map(str::to_owned)).collect()).unwrap_or_default()
    };
    let (base, theirs, ours) = (ids(base), ids(theirs), ids(ours));
    let base_set: BTreeSet<&String> = base.iter().collect();
    let ours_set: BTreeSet<&String> = ours.iter().collect();
    let kept_in_ours: Vec<&String> = ours.iter().filter(|id| base_set.contains(id)).collect();
    let base_kept: Vec<&String> = base.iter().filter(|id| ours_set.contains(id)).collect();
    let theirs_kept: Vec<&String> = theirs.iter().filter(|id| ours_set.contains(id) && base_set.contains(id)).collect();
    // Ours may keep the base order, or take theirs; any other reordering is a conflict.
    if kept_in_ours != base_kept && kept_in_ours != theirs_kept {
        return None;
    }
    let mut merged: Vec<String> = theirs.into_iter().filter(|id| !base_set.contains(id) || ours_set.contains(id)).collect();
    for (i, id) in ours.iter().enumerate() {
        if base_set.contains(id) || merged.contains(id) {
            continue;
        }
        let at = match i.checked_sub(1).and_then(|p| merged.iter().position(|m| *m == ours[p])) {
            Some(previous) => previous + 1,
            None if i == 0 => 0,
            None => merged.len(),
        };
        merged.insert(at, id.clone());
    }
    Some(Value::Array(merged.into_iter().map(Value::String).collect()))
}

/// The document as a map from field paths to values.
fn flatten(document: &ReportDocument) -> BTreeMap<String, Value> {
    let mut flat = BTreeMap::new();
    let Ok(Value::Object(top)) = serde_json::to_value(document) else { return flat };
    for (key, value) in top {
        match (key.as_str(), value) {
            ("answers", Value::Object(answers)) => {
                for (id, answer) in answers {
                    flat.insert(format!("answers.{id}"), answer);
                }
            }
            (list, Value::Array(records)) if RECORD_LISTS.contains(&list) => {
                let mut order = Vec::new();
                for record in records {
                    let Value::Object(fields) = record else { continue };
                    let id = fields.get("id").and_then(Value::as_str).unwrap_or_default().to_owned();
                    for (field, value) in fields {
                        if field != "id" {
                            flat.insert(format!("{list}.{id}.{field}"), value);
                        }
                    }
                    order.push(Value::String(id));
                }
                flat.insert(format!("{list}#order"), Value::Array(order));
            }
            (_, value) => {
                flat.insert(key, value);
            }
        }
    }
    flat
}

/// The inverse of [`flatten`].
fn unflatten(flat: &BTreeMap<String, Value>) -> Result<ReportDocument, serde_json::Error> {
    let mut top = Map::new();
    let mut answers = Map::new();
    let mut records: BTreeMap<&str, BTreeMap<String, Map<String, Value>>> = BTreeMap::new();
    let mut orders: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for (path, value) in flat {
        if let Some(id) = path.strip_prefix("answers.") {
            answers.insert(id.to_owned(), value.clone());
            continue;
        }
        let list = RECORD_LISTS.iter().find(|list| path.starts_with(&format!("{list}.")) || *path == format!("{list}#order"));
        match list {
            Some(list) if path.ends_with("#order") => {
                orders.insert(
                    list,
                    value.as_array().map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect()).unwrap_or_default(),
                );
            }
            Some(list) => {
                let rest = &path[list.len() + 1..];
                // Record ids may contain dots; field names never do.
                if let Some((id, field)) = rest.rsplit_once('.') {
                    records.entry(list).or_default().entry(id.to_owned()).or_default().insert(field.to_owned(), value.clone());
                }
            }
            None => {
                top.insert(path.clone(), value.clone());
            }
        }
    }
    top.insert("answers".into(), Value::Object(answers));
    for list in RECORD_LISTS {
        let mut by_id = records.remove(list).unwrap_or_default();
        let ordered: Vec<Value> = orders
            .get(list)
            .into_iter()
            .flatten()
            .filter_map(|id| {
                let mut fields = by_id.remove(id)?;
                fields.insert("id".into(), Value::String(id.clone()));
                Some(Value::Object(fields))
            })
            .collect();
        top.insert(list.to_owned(), Value::Array(ordered));
    }
    serde_json::from_value(Value::Object(top))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{PartyRef, PolicyMeasure};
    use serde_json::json;

    fn measure(id: &str, title: &str) -> PolicyMeasure {
        serde_json::from_value(json!({"id": id, "area": "mobility", "title": title})).unwrap()
    }

    fn base() -> ReportDocument {
        let mut document = ReportDocument::new("qpr-2020", PartyRef { name: "X".into(), iso3: None }, 2026);
        document.answers.insert("g1_ccs_ministry".into(), json!(true));
        document.answers.insert("gi_executive_summary".into(), json!("Draft"));
        document.policy_measures = vec![measure("m1", "One"), measure("m2", "Two")];
        document
    }

    #[test]
    fn flatten_round_trips() {
        let document = base();
        assert_eq!(unflatten(&flatten(&document)).unwrap(), document);
        assert!(diff(&document, &document).is_empty());
    }

    #[test]
    fn diff_names_each_changed_field() {
        let mut changed = base();
        changed.answers.insert("g1_ccs_ministry".into(), json!(false));
        changed.policy_measures[1].title = "Deux".into();
        let paths: Vec<String> = diff(&base(), &changed).into_iter().map(|c| c.path).collect();
        assert_eq!(paths, ["answers.g1_ccs_ministry", "policy_measures.m2.title"]);
    }

    #[test]
    fn saves_of_different_fields_merge() {
        let mut theirs = base();
        theirs.answers.insert("g1_ccs_ministry".into(), json!(false));
        let mut ours = base();
        ours.answers.insert("gi_executive_summary".into(), json!("Final"));
        ours.policy_measures[0].title = "Uno".into();
        let merged = merge(&base(), &theirs, &ours).unwrap();
        assert_eq!(merged.answers["g1_ccs_ministry"], json!(false));
        assert_eq!(merged.answers["gi_executive_summary"], json!("Final"));
        assert_eq!(merged.policy_measures[0].title, "Uno");
    }

    #[test]
    fn saves_of_the_same_field_conflict_with_both_values() {
        let mut theirs = base();
        theirs.answers.insert("gi_executive_summary".into(), json!("Theirs"));
        let mut ours = base();
        ours.answers.insert("gi_executive_summary".into(), json!("Ours"));
        let Err(MergeError::Conflicts(conflicts)) = merge(&base(), &theirs, &ours) else { panic!("must conflict") };
        assert_eq!(
            conflicts,
            [Conflict {
                path: "answers.gi_executive_summary".into(),
                base: Some(json!("Draft")),
                theirs: Some(json!("Theirs")),
                ours: Some(json!("Ours"))
            }]
        );
    }

    #[test]
    fn the_same_change_on_both_sides_is_no_conflict() {
        let mut both = base();
        both.answers.insert("g1_ccs_ministry".into(), json!(false));
        assert_eq!(merge(&base(), &both, &both).unwrap(), both);
    }

    #[test]
    fn records_added_on_both_sides_are_all_kept() {
        let mut theirs = base();
        theirs.policy_measures.push(measure("t1", "Theirs"));
        let mut ours = base();
        ours.policy_measures.insert(1, measure("o1", "Ours"));
        ours.policy_measures.remove(0);
        let merged = merge(&base(), &theirs, &ours).unwrap();
        let ids: Vec<&str> = merged.policy_measures.iter().map(|m| m.id.as_str()).collect();
        assert_eq!(ids, ["o1", "m2", "t1"]);
    }

    #[test]
    fn different_reorderings_conflict() {
        let mut three = base();
        three.policy_measures.push(measure("m3", "Three"));
        let mut theirs = three.clone();
        theirs.policy_measures.rotate_right(1);
        let mut ours = three.clone();
        ours.policy_measures.rotate_left(1);
        assert!(matches!(merge(&three, &theirs, &ours), Err(MergeError::Conflicts(c)) if c[0].path == "policy_measures#order"));
    }

    #[test]
    fn adding_to_a_list_reordered_by_the_other_side_merges() {
        let mut theirs = base();
        theirs.policy_measures.reverse();
        let mut ours = base();
        ours.policy_measures.reverse();
        ours.policy_measures.push(measure("o1", "Ours"));
        let merged = merge(&base(), &theirs, &ours).unwrap();
        let ids: Vec<&str> = merged.policy_measures.iter().map(|m| m.id.as_str()).collect();
        assert_eq!(ids, ["m2", "m1", "o1"]);
    }
}
