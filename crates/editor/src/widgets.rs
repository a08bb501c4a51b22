//! The controls of an editing page, by answer type: what `codec` makes of a value and reads
//! back, and what `view` lays out (kept apart from both so that neither imports the other).

/// The controls of a field, by answer type.
#[derive(Debug, Clone)]
pub enum Widget {
    /// One control labelled by the field's label.
    Single(Input),
    /// Radio buttons (yes/no, ratings), under the field's label as legend.
    Radios(Vec<Choice>),
    /// Checkboxes (several options).
    Checkboxes(Vec<Choice>),
    /// Checkboxes under group headers.
    Groups(Vec<ChoiceGroup>),
    /// Several labelled controls making one value (a percentage and its year, an amount).
    Parts {
        /// The controls.
        parts: Vec<Input>,
        /// What was read from the value (the USD figure of an amount).
        note: Option<String>,
    },
    /// A list of texts, with buttons to add, remove and move items.
    List {
        /// The items.
        items: Vec<ListItem>,
        /// Adds an item.
        add: ActionButton,
    },
    /// Rows with fixed columns, with buttons to add, remove and move rows.
    Table {
        /// The rows.
        rows: Vec<RowView>,
        /// Adds a row.
        add: ActionButton,
    },
    /// Choices (checkboxes, or a select) with an "Other (please specify)" entry: the answer
    /// it stands for is the text typed beside it.
    WithOther {
        /// The choices, the "Other" entry among them.
        choices: Box<Widget>,
        /// The other answer.
        other: Input,
        /// The posted value of the "Other" entry.
        marker: String,
    },
    /// Not edited on this page.
    ReadOnly(String),
}

/// The kind of a text control.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputKind {
    /// `<input type="text">`.
    Text,
    /// `<textarea>`.
    TextArea,
    /// `<select>`.
    Select,
}

/// One text control.
#[derive(Debug, Clone)]
pub struct Input {
    /// Element id.
    pub id: String,
    /// Form name.
    pub name: String,
    /// Control kind.
    pub kind: InputKind,
    /// Current value.
    pub value: String,
    /// Own label, for parts, list items and table cells.
    pub label: Option<String>,
    /// Options of a select.
    pub options: Vec<SelectOption>,
    /// `inputmode` hint (`numeric`, `decimal`, `email`, `url`), empty for none.
    pub inputmode: &'static str,
    /// Placeholder (the expected format of a date).
    pub placeholder: String,
}

/// An option of a select.
#[derive(Debug, Clone)]
pub struct SelectOption {
    /// Posted value.
    pub value: String,
    /// Text.
    pub label: String,
    /// Currently chosen.
    pub selected: bool,
}

/// A radio button or checkbox.
#[derive(Debug, Clone)]
pub struct Choice {
    /// Element id.
    pub id: String,
    /// Form name.
    pub name: String,
    /// Posted value.
    pub value: String,
    /// Text.
    pub label: String,
    /// Currently checked.
    pub checked: bool,
}

/// Checkboxes under a group header.
#[derive(Debug, Clone)]
pub struct ChoiceGroup {
    /// Element id.
    pub id: String,
    /// Form name of the checkboxes.
    pub name: String,
    /// Group header.
    pub legend: String,
    /// The checkboxes.
    pub options: Vec<Choice>,
    /// The text beside the group's "Other (please specify)" entry, when its list has one.
    pub other: Option<OtherText>,
}

/// The text field beside an "Other (please specify)" entry (of a group of checkboxes, or of a
/// table cell's select): what is typed there is the answer the entry stands for, stored in its
/// place as written.
#[derive(Debug, Clone)]
pub struct OtherText {
    /// The text field, named `<choices' name>.other`.
    pub input: Input,
    /// The posted value of the "Other" entry among the choices.
    pub marker: String,
}

/// A cell of a table row: its control, and the text beside it when the control is a select
/// whose list has an "Other (please specify)" entry.
#[derive(Debug, Clone)]
pub struct CellView {
    /// The control, labelled by the column header.
    pub input: Input,
    /// The text beside the select's "Other" entry.
    pub other: Option<OtherText>,
}

/// An item of a list.
#[derive(Debug, Clone)]
pub struct ListItem {
    /// The control.
    pub input: Input,
    /// Move up, move down, remove.
    pub actions: Vec<ActionButton>,
}

/// A row of a table.
#[derive(Debug, Clone)]
pub struct RowView {
    /// `Row N`.
    pub legend: String,
    /// One cell per column.
    pub cells: Vec<CellView>,
    /// Move up, move down, remove.
    pub actions: Vec<ActionButton>,
}

/// A submit button naming a record action (`name="action"`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionButton {
    /// `add:<path>`, `remove:<path>/<id>`, `up:…`, `down:…`.
    pub value: String,
    /// Text of the button.
    pub text: String,
}
