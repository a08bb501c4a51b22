//! What a workbook holds, derived from the form engine's view model: sheets of questions
//! (one per section), one table per record type (a row per record, a column per field), and
//! one linked table per table field (partners), each cell tied to the form name it posts.
//!
//! The same layout is built when a workbook is written and when one is read back (from the
//! revision it was made from, in its language), so a cell means the same name both ways.

use std::collections::BTreeMap;

use qpr_editor::{Block, Choice, FieldView, Input, InputKind, Item, RecordsView, Widget};

/// One cell's control: how its text becomes a posted value.
#[derive(Debug, Clone)]
pub(crate) enum Slot {
    /// A text control (text, text area, a part of a figure).
    Text {
        /// Form name.
        name: String,
        /// Current text.
        value: String,
        /// What the text should hold.
        kind: TextKind,
    },
    /// One of a list (a select or radio buttons): a drop-down of the labels.
    Choice {
        /// Form name.
        name: String,
        /// Posted value now (empty for no answer).
        value: String,
        /// `(posted value, label)` of each answer (no answer excluded).
        options: Vec<(String, String)>,
    },
    /// One checkbox of a group: yes or no.
    Check {
        /// Form name of the group.
        name: String,
        /// The value the box posts.
        value: String,
        /// Checked now.
        checked: bool,
    },
    /// A list of texts, one line per item.
    Lines {
        /// Form name of the list (its collection, for add and remove).
        name: String,
        /// Current items.
        items: Vec<String>,
    },
}

/// What a text cell holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TextKind {
    /// Any text.
    Text,
    /// A number (percentages, years).
    Number,
    /// A date (`YYYY-MM-DD`).
    Date,
}

impl Slot {
    /// The cell's text now: a choice's label, `yes`/`no` words for a checkbox (given),
    /// list items one a line.
    pub(crate) fn text(&self, yes: &str) -> String {
        match self {
            Slot::Text { value, .. } => value.clone(),
            Slot::Choice { value, options, .. } => {
                options.iter().find(|(v, _)| v == value).map(|(_, label)| label.clone()).unwrap_or_default()
            }
            Slot::Check { checked, .. } => {
                if *checked {
                    yes.to_owned()
                } else {
                    String::new()
                }
            }
            Slot::Lines { items, .. } => items.join("\n"),
        }
    }

    /// The name the slot posts under.
    pub(crate) fn name(&self) -> &str {
        match self {
            Slot::Text { name, .. }
            | Slot::Choice { name, .. }
            | Slot::Check { name, .. }
            | Slot::Lines { name, .. } => name,
        }
    }
}

/// A slot with its own label (the question's, with the part or option), and the key that
/// identifies it inside a record (`title`, `domains=Music`), or the form name outside one.
#[derive(Debug, Clone)]
pub(crate) struct Labelled {
    pub key: String,
    pub label: String,
    pub slot: Slot,
}

/// A sheet of questions: one row per slot.
#[derive(Debug, Clone)]
pub(crate) struct QuestionSheet {
    /// The unit of the form engine the sheet posts to (the section's slug, `cso`).
    pub unit: String,
    /// Sheet title (the section's heading).
    pub title: String,
    /// The rows.
    pub rows: Vec<Labelled>,
}

/// A table field (partners of a measure, or a table answer) as rows of cells.
#[derive(Debug, Clone)]
pub(crate) struct TableData {
    /// Column `(key, header)`.
    pub columns: Vec<(String, String)>,
    /// Options of the select columns: key → `(value, label)`.
    pub options: BTreeMap<String, Vec<(String, String)>>,
    /// Rows: column key → slot.
    pub rows: Vec<BTreeMap<String, Slot>>,
}

/// One record of a record table.
#[derive(Debug, Clone)]
pub(crate) struct RecordRow {
    /// Record id.
    pub id: String,
    /// Index of its list in [`RecordTable::lists`].
    pub list: usize,
    /// Slots by column key.
    pub cells: BTreeMap<String, Slot>,
    /// Its table fields by field key.
    pub tables: BTreeMap<String, TableData>,
}

/// A list of records of the form (a records question on one page).
#[derive(Debug, Clone)]
pub(crate) struct RecordList {
    pub unit: String,
    /// Shown in the "list" column (the section or the list's heading).
    pub label: String,
    /// The action that adds a record to it (`add:a.<question>`).
    pub add: String,
}

/// Every record of one type.
#[derive(Debug, Clone)]
pub(crate) struct RecordTable {
    pub record_type: String,
    /// Sheet title (the record type's name).
    pub title: String,
    pub lists: Vec<RecordList>,
    /// Column `(key, header)` of the record's slots.
    pub columns: Vec<(String, String)>,
    /// The slots of a record with nothing filled, by column key (kinds and options of each
    /// column, for the validations of new rows).
    pub template: BTreeMap<String, Slot>,
    /// Table fields `(field key, header, columns)` (partners), each a linked table.
    pub tables: Vec<(String, String, TableData)>,
    pub rows: Vec<RecordRow>,
}

/// A table answer outside records: a sheet of its own.
#[derive(Debug, Clone)]
pub(crate) struct AnswerTable {
    pub unit: String,
    /// Form name of the field.
    pub name: String,
    pub title: String,
    pub data: TableData,
}

/// The whole workbook's content.
#[derive(Debug, Clone, Default)]
pub(crate) struct Layout {
    pub questions: Vec<QuestionSheet>,
    pub records: Vec<RecordTable>,
    pub tables: Vec<AnswerTable>,
}

/// A page of the form engine, as the workbook uses it.
#[derive(Debug, Clone)]
pub(crate) struct UnitView {
    pub unit: String,
    /// `(sheet title, block)` for each section shown by the unit.
    pub blocks: Vec<(String, Block)>,
}

/// Record type of a records list: the type named by its records' field names, else by its
/// add action's question (resolved by the caller).
pub(crate) type RecordTypeOf<'a> = &'a dyn Fn(&RecordsView) -> Option<(String, String)>;

/// The fields of a new record of a list: (unit, add action, record type) → fields.
pub(crate) type TemplateOf<'a> = &'a dyn Fn(&str, &str, &str) -> Option<Vec<FieldView>>;

/// Builds the layout of `units`. `record_type` names a records list's record type and its
/// label; `template` gives the fields of a new record of a type (added by the engine on a
/// copy), for the columns of a type with no record yet.
pub(crate) fn build(units: &[UnitView], record_type: RecordTypeOf<'_>, template: TemplateOf<'_>) -> Layout {
    let mut layout = Layout::default();
    for unit in units {
        for (title, block) in &unit.blocks {
            let mut rows = Vec::new();
            for item in &block.items {
                match item {
                    Item::Field(field) => field_rows(field, None, &unit.unit, &mut rows, &mut layout.tables),
                    Item::Group(group) => {
                        for field in &group.fields {
                            field_rows(field, Some(&group.legend), &unit.unit, &mut rows, &mut layout.tables);
                        }
                    }
                    Item::Records(records) => {
                        let Some((type_name, type_label)) = record_type(records) else { continue };
                        let add = records.add.value.clone();
                        let label = if block.items.iter().filter(|i| matches!(i, Item::Records(_))).count() > 1 {
                            format!("{title}: {}", records.heading)
                        } else {
                            title.clone()
                        };
                        let at = match layout.records.iter().position(|t| t.record_type == type_name) {
                            Some(at) => at,
                            None => {
                                layout.records.push(RecordTable {
                                    record_type: type_name.clone(),
                                    title: type_label,
                                    lists: Vec::new(),
                                    columns: Vec::new(),
                                    template: BTreeMap::new(),
                                    tables: Vec::new(),
                                    rows: Vec::new(),
                                });
                                layout.records.len() - 1
                            }
                        };
                        let table = &mut layout.records[at];
                        let list = table.lists.len();
                        table.lists.push(RecordList { unit: unit.unit.clone(), label, add: add.clone() });
                        if table.columns.is_empty()
                            && let Some(fields) = template(&unit.unit, &add, &type_name)
                        {
                            let (cells, tables) = record_slots(&type_name, &fields);
                            table.columns = cells.iter().map(|l| (l.key.clone(), l.label.clone())).collect();
                            table.template = cells.into_iter().map(|l| (l.key, l.slot)).collect();
                            table.tables = tables;
                        }
                        for record in &records.records {
                            let (cells, tables) = record_slots(&type_name, &record.fields);
                            table.rows.push(RecordRow {
                                id: record.record_id.clone(),
                                list,
                                cells: cells.into_iter().map(|l| (l.key, l.slot)).collect(),
                                tables: tables.into_iter().map(|(key, _, data)| (key, data)).collect(),
                            });
                        }
                    }
                }
            }
            layout.questions.push(QuestionSheet { unit: unit.unit.clone(), title: title.clone(), rows });
        }
    }
    layout
}

/// The rows of a question outside records; a table answer becomes a sheet of its own.
fn field_rows(
    field: &FieldView,
    group: Option<&str>,
    unit: &str,
    rows: &mut Vec<Labelled>,
    tables: &mut Vec<AnswerTable>,
) {
    let label = match group {
        Some(legend) => format!("{} – {}", legend.trim_end_matches(':'), field.label),
        None => field.label.clone(),
    };
    if let Widget::Table { .. } = &field.widget {
        tables.push(AnswerTable {
            unit: unit.to_owned(),
            name: field.name.clone(),
            title: label,
            data: table_data(&field.name, &field.widget),
        });
        return;
    }
    for slot in slots(field, &label) {
        rows.push(Labelled { key: slot.slot.name().to_owned() + &slot.key, label: slot.label, slot: slot.slot });
    }
}

/// The slots of a record's fields by column key, and its table fields.
fn record_slots(type_name: &str, fields: &[FieldView]) -> (Vec<Labelled>, Vec<(String, String, TableData)>) {
    let mut cells = Vec::new();
    let mut tables = Vec::new();
    for field in fields {
        let key = record_key(type_name, &field.name);
        if let Widget::Table { .. } = &field.widget {
            tables.push((key, field.label.clone(), table_data(&field.name, &field.widget)));
            continue;
        }
        for slot in slots(field, &field.label) {
            let part = slot.slot.name().strip_prefix(&field.name).unwrap_or_default();
            cells.push(Labelled { key: format!("{key}{part}{}", slot.key), label: slot.label, slot: slot.slot });
        }
    }
    (cells, tables)
}

/// `r.<type>.<id>.<key>` → `<key>` (record ids hold no dot).
fn record_key(type_name: &str, name: &str) -> String {
    let rest = name.strip_prefix("r.").and_then(|r| r.strip_prefix(type_name)).and_then(|r| r.strip_prefix('.'));
    rest.and_then(|r| r.split_once('.')).map_or_else(|| name.to_owned(), |(_, key)| key.to_owned())
}

/// The slots of a field, each with the suffix that tells it apart (`=<option>` for a
/// checkbox; parts carry theirs in their name), and its label.
fn slots(field: &FieldView, label: &str) -> Vec<Labelled> {
    let one = |slot: Slot| vec![Labelled { key: String::new(), label: label.to_owned(), slot }];
    // The text beside an "Other (please specify)" entry: a row of its own after the choices.
    let other_row = |prefix: &str, other: &Input| Labelled {
        key: String::new(),
        label: format!("{prefix} – {}", other.label.as_deref().unwrap_or_default()),
        slot: input_slot(other),
    };
    let checks = |choices: &[Choice], prefix: &str| -> Vec<Labelled> {
        choices
            .iter()
            .map(|c| Labelled {
                key: format!("={}", c.label),
                label: format!("{prefix} – {}", c.label),
                slot: Slot::Check { name: c.name.clone(), value: c.value.clone(), checked: c.checked },
            })
            .collect()
    };
    match &field.widget {
        Widget::Single(input) => one(input_slot(input)),
        Widget::Parts { parts, .. } => parts
            .iter()
            .map(|p| Labelled {
                key: String::new(),
                label: format!("{label} – {}", p.label.as_deref().unwrap_or_default()),
                slot: input_slot(p),
            })
            .collect(),
        Widget::Radios(choices) => one(Slot::Choice {
            name: field.name.clone(),
            value: choices.iter().find(|c| c.checked).map(|c| c.value.clone()).unwrap_or_default(),
            options: choices
                .iter()
                .filter(|c| !c.value.is_empty())
                .map(|c| (c.value.clone(), c.label.clone()))
                .collect(),
        }),
        Widget::Checkboxes(choices) => checks(choices, label),
        Widget::Groups(groups) => groups
            .iter()
            .flat_map(|g| {
                let prefix = format!("{label} – {}", g.legend);
                let mut rows = checks(&g.options, &prefix);
                rows.extend(g.other.iter().map(|o| other_row(&prefix, &o.input)));
                rows
            })
            .collect(),
        Widget::List { items, .. } => {
            one(Slot::Lines { name: field.name.clone(), items: items.iter().map(|i| i.input.value.clone()).collect() })
        }
        // Choices with an "Other (please specify)" entry: the choices, then the text typed
        // beside them.
        Widget::WithOther { choices, other, .. } => {
            let mut inner = field.clone();
            inner.widget = (**choices).clone();
            let mut all = slots(&inner, label);
            all.push(other_row(label, other));
            all
        }
        Widget::Table { .. } | Widget::ReadOnly(_) => Vec::new(),
    }
}

fn input_slot(input: &Input) -> Slot {
    if input.kind == InputKind::Select {
        return Slot::Choice {
            name: input.name.clone(),
            value: input.value.clone(),
            options: input
                .options
                .iter()
                .filter(|o| !o.value.is_empty())
                .map(|o| (o.value.clone(), o.label.clone()))
                .collect(),
        };
    }
    let kind = match input.inputmode {
        "numeric" | "decimal" => TextKind::Number,
        _ if !input.placeholder.is_empty() => TextKind::Date,
        _ => TextKind::Text,
    };
    Slot::Text { name: input.name.clone(), value: input.value.clone(), kind }
}

/// A table widget as rows of slots by column key (`<name>.<row>.<column key>`).
pub(crate) fn table_data(name: &str, widget: &Widget) -> TableData {
    let mut data = TableData { columns: Vec::new(), options: BTreeMap::new(), rows: Vec::new() };
    let Widget::Table { rows, .. } = widget else { return data };
    for (i, row) in rows.iter().enumerate() {
        let prefix = format!("{name}.{i}.");
        let mut cells = BTreeMap::new();
        for cell in &row.cells {
            let header = cell.input.label.clone().unwrap_or_default();
            // A select with "Other (please specify)": its drop-down, then a column for the text.
            let other = cell.other.as_ref().map(|o| {
                let label = o.input.label.as_deref().unwrap_or_default();
                (&o.input, format!("{header} – {label}"))
            });
            for (input, header) in std::iter::once((&cell.input, header.clone())).chain(other) {
                let key = input.name.strip_prefix(&prefix).unwrap_or(&input.name).to_owned();
                if i == 0 {
                    data.columns.push((key.clone(), header));
                }
                let slot = input_slot(input);
                if let Slot::Choice { options, .. } = &slot {
                    data.options.entry(key.clone()).or_insert_with(|| options.clone());
                }
                cells.insert(key, slot);
            }
        }
        data.rows.push(cells);
    }
    data
}

/// Every slot of the layout by form name, with its label and the sheet it is on (for the
/// preview of a change).
pub(crate) fn by_name(layout: &Layout, yes: &str) -> BTreeMap<String, (String, String, String)> {
    let mut names = BTreeMap::new();
    let mut put = |slot: &Slot, sheet: &str, label: String| {
        let entry = names.entry(slot_key(slot)).or_insert_with(|| (sheet.to_owned(), label, String::new()));
        entry.2 = slot.text(yes);
    };
    for sheet in &layout.questions {
        for row in &sheet.rows {
            put(&row.slot, &sheet.title, row.label.clone());
        }
    }
    for table in &layout.records {
        for row in &table.rows {
            let title = row.cells.get("title").map(|s| s.text(yes)).unwrap_or_else(|| row.id.clone());
            for (key, header) in &table.columns {
                if let Some(slot) = row.cells.get(key) {
                    put(slot, &table.title, format!("{title} – {header}"));
                }
            }
            for ((key, header, _), data) in table.tables.iter().filter_map(|t| Some((t, row.tables.get(&t.0)?))) {
                let _ = key;
                for (i, cells) in data.rows.iter().enumerate() {
                    for (column, column_header) in &data.columns {
                        if let Some(slot) = cells.get(column) {
                            put(slot, &table.title, format!("{title} – {header} {} – {column_header}", i + 1));
                        }
                    }
                }
            }
        }
    }
    for table in &layout.tables {
        for (i, cells) in table.data.rows.iter().enumerate() {
            for (column, header) in &table.data.columns {
                if let Some(slot) = cells.get(column) {
                    put(slot, &table.title, format!("{} – {header}", i + 1));
                }
            }
        }
    }
    names
}

/// A slot's identity: its name, and for a checkbox the option it posts.
pub(crate) fn slot_key(slot: &Slot) -> String {
    match slot {
        Slot::Check { name, value, .. } => format!("{name}={value}"),
        other => other.name().to_owned(),
    }
}
