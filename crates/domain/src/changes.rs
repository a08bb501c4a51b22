//! Field-level differences between two report documents, and the three-way merge that lets
//! two people save the same report without overwriting each other.
//!
//! A document is seen as a flat map from field paths to values: `answers.<question id>`,
//! `policy_measures.<record id>.<field>`, `cso_measures.<record id>.<field>`, the order of
//! each record list (`policy_measures#order`), and every other top-level key as a whole. Two
//! saves based on the same revision merge when they changed different paths; when they
//! changed the same path to different values, the merge reports a conflict carrying both.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use serde_json::{Map, Value};

use crate::MeasureKind;
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

/// Every field that differs between `a` and `b`, sorted by path.
///
/// Documents are compared in their typed form and only what differs is turned into JSON
/// values: a save of a 100 KB report that changed one field costs one comparison pass, not
/// a copy of the whole report.
pub fn diff(a: &ReportDocument, b: &ReportDocument) -> Vec<Change> {
    let mut changes = Vec::new();
    diff_maps("", &header(a), &header(b), &mut changes);
    diff_answers(a, b, &mut changes);
    diff_records(
        MeasureKind::Policy.array(),
        &records_of(&a.policy_measures),
        &records_of(&b.policy_measures),
        &mut changes,
    );
    diff_records(MeasureKind::Cso.array(), &records_of(&a.cso_measures), &records_of(&b.cso_measures), &mut changes);
    changes.sort_by(|x, y| x.path.cmp(&y.path));
    changes
}

/// Merges `ours` (a save based on `base`) with `theirs` (what was saved since `base`).
pub fn merge(
    base: &ReportDocument,
    theirs: &ReportDocument,
    ours: &ReportDocument,
) -> Result<ReportDocument, MergeError> {
    let theirs_changes: BTreeMap<String, Change> =
        diff(base, theirs).into_iter().map(|c| (c.path.clone(), c)).collect();
    let mut to_apply = Vec::new();
    let mut conflicts = Vec::new();
    for change in diff(base, ours) {
        match theirs_changes.get(&change.path) {
            Some(theirs_change) if theirs_change.after == change.after => {}
            Some(theirs_change) => {
                let merged_order = change
                    .path
                    .ends_with("#order")
                    .then(|| merge_order(change.before.as_ref(), theirs_change.after.as_ref(), change.after.as_ref()))
                    .flatten();
                match merged_order {
                    Some(order) => to_apply.push(Change { after: Some(order), ..change }),
                    None => conflicts.push(Conflict {
                        path: change.path.clone(),
                        base: change.before.clone(),
                        theirs: theirs_change.after.clone(),
                        ours: change.after.clone(),
                    }),
                }
            }
            None => to_apply.push(change),
        }
    }
    if !conflicts.is_empty() {
        return Err(MergeError::Conflicts(conflicts));
    }
    apply(theirs.clone(), to_apply).map_err(|e| MergeError::Invalid(e.to_string()))
}

/// Merges two edits of a record order when they only add and remove records: start from
/// theirs, drop what ours removed, add what ours added after the record it follows in ours.
/// A reordering of the same records on both sides is a conflict (`None`).
fn merge_order(base: Option<&Value>, theirs: Option<&Value>, ours: Option<&Value>) -> Option<Value> {
    // A list that is absent (or not a list of ids) has no records.
    let ids = |v: Option<&Value>| -> Vec<String> {
        v.and_then(Value::as_array)
            .map(|a| a.iter().filter_map(|x| x.as_str().map(str::to_owned)).collect())
            .unwrap_or_default()
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
    let mut merged: Vec<String> =
        theirs.into_iter().filter(|id| !base_set.contains(id) || ours_set.contains(id)).collect();
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

/// The top-level keys other than answers and records, as JSON (they are few and small).
fn header(document: &ReportDocument) -> Map<String, Value> {
    let mut map = Map::new();
    let mut put = |key: &str, value: Result<Value, serde_json::Error>| {
        if let Ok(value) = value {
            map.insert(key.to_owned(), value);
        }
    };
    put("format", serde_json::to_value(&document.format));
    put("framework", serde_json::to_value(&document.framework));
    put("party", serde_json::to_value(&document.party));
    put("year", serde_json::to_value(document.year));
    if let Some(source) = &document.source {
        put("source", serde_json::to_value(source));
    }
    if !document.warnings.is_empty() {
        put("warnings", serde_json::to_value(&document.warnings));
    }
    for (key, value) in &document.extra {
        map.insert(key.clone(), value.clone());
    }
    map
}

fn diff_maps(prefix: &str, a: &Map<String, Value>, b: &Map<String, Value>, changes: &mut Vec<Change>) {
    // serde_json's `Map` is a `BTreeMap` (its `preserve_order` feature is off: a test checks).
    diff_sorted(prefix, a.iter(), b.iter(), changes);
}

fn diff_answers(a: &ReportDocument, b: &ReportDocument, changes: &mut Vec<Change>) {
    diff_sorted("answers.", a.answers.iter(), b.answers.iter(), changes);
}

/// The changes between two sets of entries, both sorted by key, in one pass over both side
/// by side (no set of keys, no lookups: a merge diffs hundreds of answers twice).
fn diff_sorted<'a>(
    prefix: &str,
    a: impl Iterator<Item = (&'a String, &'a Value)>,
    b: impl Iterator<Item = (&'a String, &'a Value)>,
    changes: &mut Vec<Change>,
) {
    let (mut a, mut b) = (a.peekable(), b.peekable());
    loop {
        let order = match (a.peek(), b.peek()) {
            (None, None) => break,
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (Some((x, _)), Some((y, _))) => x.cmp(y),
        };
        let next = match order {
            Ordering::Less => a.next().map(|(key, x)| (key, Some(x), None)),
            Ordering::Greater => b.next().map(|(key, y)| (key, None, Some(y))),
            Ordering::Equal => a.next().zip(b.next()).map(|((key, x), (_, y))| (key, Some(x), Some(y))),
        };
        let Some((key, before, after)) = next else { break };
        if before != after {
            changes.push(Change { path: format!("{prefix}{key}"), before: before.cloned(), after: after.cloned() });
        }
    }
}

/// A record list as (id, record) pairs in order, records compared as typed values.
fn records_of<T: Serialize + PartialEq + HasId>(records: &[T]) -> Vec<(&str, &T)> {
    records.iter().map(|r| (r.id(), r)).collect()
}

/// Records with a stable id.
trait HasId {
    fn id(&self) -> &str;
}

impl HasId for crate::document::PolicyMeasure {
    fn id(&self) -> &str {
        &self.id
    }
}

impl HasId for crate::document::CsoMeasure {
    fn id(&self) -> &str {
        &self.id
    }
}

fn record_fields<T: Serialize>(record: &T) -> Map<String, Value> {
    match serde_json::to_value(record) {
        Ok(Value::Object(mut fields)) => {
            fields.remove("id");
            fields
        }
        _ => Map::new(),
    }
}

fn diff_records<T: Serialize + PartialEq>(list: &str, a: &[(&str, &T)], b: &[(&str, &T)], changes: &mut Vec<Change>) {
    let a_by_id: BTreeMap<&str, &T> = a.iter().copied().collect();
    let b_by_id: BTreeMap<&str, &T> = b.iter().copied().collect();
    let ids: BTreeSet<&str> = a_by_id.keys().chain(b_by_id.keys()).copied().collect();
    let empty = Map::new();
    for id in ids {
        match (a_by_id.get(id), b_by_id.get(id)) {
            (Some(x), Some(y)) if x == y => {}
            (x, y) => {
                let (x, y) = (x.map(|r| record_fields(*r)), y.map(|r| record_fields(*r)));
                diff_maps(
                    &format!("{list}.{id}."),
                    x.as_ref().unwrap_or(&empty),
                    y.as_ref().unwrap_or(&empty),
                    changes,
                );
            }
        }
    }
    let order =
        |records: &[(&str, &T)]| Value::Array(records.iter().map(|(id, _)| Value::String((*id).to_owned())).collect());
    let (before, after) = (order(a), order(b));
    if before != after {
        changes.push(Change { path: format!("{list}#order"), before: Some(before), after: Some(after) });
    }
}

/// Field changes by (record list, record id): each field's new value, `None` to remove it.
type RecordChanges = BTreeMap<(MeasureKind, String), Vec<(String, Option<Value>)>>;

/// Applies changes (as computed against a base) to a document.
fn apply(mut document: ReportDocument, changes: Vec<Change>) -> Result<ReportDocument, serde_json::Error> {
    let mut header_changes = Vec::new();
    let mut record_changes: RecordChanges = BTreeMap::new();
    let mut orders: BTreeMap<MeasureKind, Vec<String>> = BTreeMap::new();
    for change in changes {
        if let Some(id) = change.path.strip_prefix("answers.") {
            match change.after {
                Some(value) => document.answers.insert(id.to_owned(), value),
                None => document.answers.remove(id),
            };
            continue;
        }
        let list = MeasureKind::ALL.into_iter().find(|kind| {
            let array = kind.array();
            change.path.strip_prefix(array).is_some_and(|rest| rest.starts_with('.') || rest == "#order")
        });
        match list {
            Some(list) if change.path.ends_with("#order") => {
                let ids = change
                    .after
                    .as_ref()
                    .and_then(Value::as_array)
                    .map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect());
                // An order changed to nothing (the list removed) is the empty order.
                orders.insert(list, ids.unwrap_or_default());
            }
            // Record ids may contain dots; field names never do.
            Some(list) => match change.path[list.array().len() + 1..].rsplit_once('.') {
                Some((id, field)) => {
                    record_changes.entry((list, id.to_owned())).or_default().push((field.to_owned(), change.after))
                }
                None => header_changes.push(change),
            },
            None => header_changes.push(change),
        }
    }
    if !header_changes.is_empty() {
        let mut top = match serde_json::to_value(&document)? {
            Value::Object(top) => top,
            _ => Map::new(),
        };
        for change in header_changes {
            match change.after {
                Some(value) => top.insert(change.path, value),
                None => top.remove(&change.path),
            };
        }
        document = serde_json::from_value(Value::Object(top))?;
    }
    let (policy, cso) = (MeasureKind::Policy, MeasureKind::Cso);
    document.policy_measures =
        apply_records(std::mem::take(&mut document.policy_measures), policy, &record_changes, orders.get(&policy))?;
    document.cso_measures =
        apply_records(std::mem::take(&mut document.cso_measures), cso, &record_changes, orders.get(&cso))?;
    Ok(document)
}

fn apply_records<T: Serialize + serde::de::DeserializeOwned + HasId>(
    records: Vec<T>,
    list: MeasureKind,
    changes: &RecordChanges,
    order: Option<&Vec<String>>,
) -> Result<Vec<T>, serde_json::Error> {
    let current_order: Vec<String> = records.iter().map(|r| r.id().to_owned()).collect();
    let mut by_id: BTreeMap<String, T> = records.into_iter().map(|r| (r.id().to_owned(), r)).collect();
    for ((_, id), fields) in changes.range((list, String::new())..).take_while(|((l, _), _)| *l == list) {
        // A record the changes add starts with no fields.
        let mut object = by_id.get(id).map(record_fields).unwrap_or_default();
        for (field, value) in fields {
            match value {
                Some(value) => object.insert(field.clone(), value.clone()),
                None => object.remove(field),
            };
        }
        if object.is_empty() {
            by_id.remove(id);
            continue;
        }
        object.insert("id".into(), Value::String(id.clone()));
        by_id.insert(id.clone(), serde_json::from_value(Value::Object(object))?);
    }
    Ok(order.unwrap_or(&current_order).iter().filter_map(|id| by_id.remove(id)).collect())
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
    fn applying_a_diff_gives_the_other_document() {
        let document = base();
        assert!(diff(&document, &document).is_empty());
        let mut other = base();
        other.year = 2030;
        other.answers.remove("g1_ccs_ministry");
        other.answers.insert("new".into(), json!([1]));
        other.policy_measures.remove(0);
        other.policy_measures.push(measure("m9", "Nine"));
        other.policy_measures[0].partners.push(crate::document::Partner { name: "P".into(), entity_type: None });
        other.extra.insert("added".into(), json!({"k": 1}));
        assert_eq!(apply(document.clone(), diff(&document, &other)).unwrap(), other);
        assert_eq!(apply(other.clone(), diff(&other, &document)).unwrap(), document);
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
    fn json_maps_iterate_in_key_order_as_diff_sorted_needs() {
        let map: Map<String, Value> =
            [("b", 1), ("a", 2), ("c", 3)].into_iter().map(|(k, v)| (k.to_owned(), json!(v))).collect();
        assert_eq!(
            map.keys().map(String::as_str).collect::<Vec<_>>(),
            ["a", "b", "c"],
            "serde_json's preserve_order is on"
        );
    }

    #[test]
    fn answers_only_on_one_side_or_changed_are_found_in_key_order() {
        let (mut a, mut b) = (base(), base());
        for (key, value) in
            [("a_only", json!(1)), ("c_both", json!("same")), ("d_changed", json!(1)), ("f_only", json!(null))]
        {
            a.answers.insert(key.into(), value);
        }
        for (key, value) in
            [("b_only", json!(2)), ("c_both", json!("same")), ("d_changed", json!(2)), ("e_only", json!([]))]
        {
            b.answers.insert(key.into(), value);
        }
        let found: Vec<(String, Option<Value>, Option<Value>)> = diff(&a, &b)
            .into_iter()
            .filter(|c| c.path.starts_with("answers."))
            .map(|c| (c.path, c.before, c.after))
            .collect();
        let expected = [
            ("answers.a_only", Some(json!(1)), None),
            ("answers.b_only", None, Some(json!(2))),
            ("answers.d_changed", Some(json!(1)), Some(json!(2))),
            ("answers.e_only", None, Some(json!([]))),
            ("answers.f_only", Some(json!(null)), None),
        ];
        assert_eq!(found, expected.map(|(path, before, after)| (path.to_owned(), before, after)));
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
        assert!(
            matches!(merge(&three, &theirs, &ours), Err(MergeError::Conflicts(c)) if c[0].path == "policy_measures#order")
        );
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
