//! The form as a spreadsheet: a draft report (or a CSO's form) as an XLSX workbook to fill
//! offline, and a filled workbook (XLSX or ODS, as Excel or `LibreOffice` save it) read back
//! into the same posts the editing pages make, applied by the form engine.
//!
//! The workbook is the form engine's view model laid out in cells ([`layout`]): one sheet of
//! questions per section (label, answer, and a hidden column naming the control), one table
//! per record type (a row per record, a column per control of its fields: the record's id,
//! its list, then the fields; partners in a linked table whose first column names the
//! record's row by its id), a drop-down for every yes/no, option list and checkbox, a hidden
//! sheet of the lists, and a hidden sheet (`qpr`) with the report, the form version, the
//! revision (or CSO invitation) the workbook was made from and its language.
//!
//! Reading back rebuilds that layout from the revision named in the file, in its language,
//! and checks the file against it cell by cell; every problem names its sheet and cell, and
//! nothing is returned when there is one. What the cells hold becomes form posts (a choice's
//! label its value, a checked box its option, a list's lines its items); records added as
//! rows and items added to lists or tables are added by the engine's own actions first. The
//! result is the whole new document, the sections it changed and a preview of every change
//! by field; saving it (one save on the revision, merged as autosave is) is the caller's.
//!
//! **Nothing in the file is trusted:** its size, the bytes its parts decompress to (counted
//! while decompressing), the number and place of its cells (before anything is expanded),
//! and formulas: a formula cell is refused (its cached value is whatever the file says; no
//! formula is evaluated here).

mod layout;
mod read;
mod write;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use qpr_domain::ReportDocument;
use qpr_domain::framework::{Framework, Section};
use qpr_domain::text::Lang;
use qpr_editor::{Applied, CsoSubmission, FieldView, FormError, RecordsView, SectionKind, Words};

use layout::{Layout, Slot, TextKind, UnitView};
use read::{CellValue, Grid, Sheets};

/// Name of the hidden sheet that says where a workbook comes from.
pub const META_SHEET: &str = "qpr";
/// Name of the hidden sheet holding the drop-down lists.
pub const LISTS_SHEET: &str = "lists";
/// The format of the workbook, written in its hidden sheet.
/// The layout's version, in the hidden sheet. Raised whenever rows, columns or sheets move, so
/// that a workbook of an earlier layout is told as such ([`ProblemKind::OlderFormat`]) rather
/// than as a list of changed cells. 2: "Other (please specify)" rows of groups and columns of
/// tables.
const FORMAT: &str = "qpr-workbook/2";
/// What every layout's version starts with.
const FORMAT_FAMILY: &str = "qpr-workbook/";
/// Empty rows below each table that get the table's drop-downs (for records added offline).
const NEW_ROWS: usize = 200;

/// Bounds of an uploaded file.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Size of the file.
    pub file_bytes: usize,
    /// What all its parts decompress to.
    pub unpacked_bytes: u64,
    /// Number of parts of the zip.
    pub parts: usize,
    /// Cells holding something, all sheets together.
    pub cells: usize,
    /// Rows of a sheet.
    pub rows: u32,
    /// Columns of a sheet.
    pub columns: u32,
}

impl Default for Limits {
    /// A full report's workbook is about 100 KB, 60 KB of cells when unpacked ~1 MB; the
    /// limits leave a wide margin without letting a file cost the server much.
    fn default() -> Limits {
        Limits {
            file_bytes: 8 << 20,
            unpacked_bytes: 64 << 20,
            parts: 1000,
            cells: 200_000,
            rows: 20_000,
            columns: 500,
        }
    }
}

/// What a workbook belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormKind {
    /// A report's draft, made from one of its revisions.
    Report {
        /// The revision the workbook was made from.
        revision: i64,
    },
    /// A CSO's form, from its invitation link.
    Cso {
        /// The invitation.
        invitation: i64,
    },
}

/// Where a workbook comes from: written in its hidden sheet, read back from it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// Report or CSO form.
    pub kind: FormKind,
    /// The Party (ISO 3166-1 alpha-3).
    pub party: String,
    /// The report's year.
    pub year: i32,
    /// The form version (framework id).
    pub form: String,
    /// The language of the labels.
    pub lang: Lang,
}

impl Origin {
    fn pairs(&self) -> Vec<(&'static str, String)> {
        let (kind, key, id) = match self.kind {
            FormKind::Report { revision } => ("report", "revision", revision),
            FormKind::Cso { invitation } => ("cso", "invitation", invitation),
        };
        vec![
            ("format", FORMAT.to_owned()),
            ("kind", kind.to_owned()),
            ("party", self.party.clone()),
            ("year", self.year.to_string()),
            ("form", self.form.clone()),
            (key, id.to_string()),
            ("lang", self.lang.tag().to_owned()),
        ]
    }

    fn read(sheets: &Sheets) -> Result<Origin, Problem> {
        let missing = |value: &str| Problem {
            sheet: META_SHEET.to_owned(),
            cell: String::new(),
            kind: ProblemKind::MissingMeta,
            value: value.to_owned(),
        };
        let grid = sheets.get(META_SHEET).ok_or_else(|| missing(META_SHEET))?;
        let mut values = HashMap::new();
        for row in 0..grid.rows() {
            values.insert(grid.text(row, 0), (row, grid.text(row, 1)));
        }
        let get = |key: &str| values.get(key).map(|(_, v)| v.clone()).ok_or_else(|| missing(key));
        let bad = |key: &str| {
            let (row, value) = values.get(key).cloned().unwrap_or_default();
            Problem { sheet: META_SHEET.to_owned(), cell: cell_ref(row, 1), kind: ProblemKind::MissingMeta, value }
        };
        let format = get("format")?;
        if format != FORMAT {
            if format.starts_with(FORMAT_FAMILY) {
                return Err(Problem { kind: ProblemKind::OlderFormat, ..bad("format") });
            }
            return Err(bad("format"));
        }
        let number = |key: &str| get(key)?.parse::<i64>().map_err(|_| bad(key));
        let kind = match get("kind")?.as_str() {
            "report" => FormKind::Report { revision: number("revision")? },
            "cso" => FormKind::Cso { invitation: number("invitation")? },
            _ => return Err(bad("kind")),
        };
        let lang = Lang::parse(&get("lang")?).ok_or_else(|| bad("lang"))?;
        Ok(Origin {
            kind,
            party: get("party")?,
            year: get("year")?.parse().map_err(|_| bad("year"))?,
            form: get("form")?,
            lang,
        })
    }
}

/// A problem of an uploaded workbook, at a sheet and cell (either empty when it is about the
/// whole file).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Problem {
    /// Sheet name.
    pub sheet: String,
    /// Cell (`B7`).
    pub cell: String,
    /// What is wrong.
    pub kind: ProblemKind,
    /// The value found (or the limit passed).
    pub value: String,
}

/// What is wrong in a workbook.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ProblemKind {
    /// Not an XLSX or ODS file.
    NotAWorkbook,
    /// The file is larger than the limit (or has too many parts).
    FileTooLarge,
    /// Its parts decompress to more than the limit.
    UnpackedTooLarge,
    /// More cells than the limit, or a cell beyond the last row or column allowed.
    TooManyCells,
    /// The hidden sheet (`qpr`) is missing or does not say where the workbook comes from.
    MissingMeta,
    /// The workbook was made by qpr with an earlier layout (before rows or columns moved).
    OlderFormat,
    /// The workbook is another report's (or another CSO's form).
    OtherReport,
    /// The workbook was made for another form version.
    OtherForm,
    /// The revision it names is not one of this report's.
    UnknownRevision,
    /// A sheet of the workbook is missing.
    MissingSheet,
    /// A row, column or header is not where the workbook had it.
    ChangedStructure,
    /// A value that is not in the cell's list.
    NotAnOption,
    /// Text where a number goes.
    NotANumber,
    /// Not a year (1900–2100).
    NotAYear,
    /// Text where a date goes.
    NotADate,
    /// A formula (never evaluated).
    Formula,
    /// An error value (`#N/A`).
    ErrorValue,
    /// A linked row names a record that is not in the records' sheet.
    UnknownRecord,
    /// Two rows name the same record.
    DuplicateRecord,
    /// A record's list changed (records move on the site).
    MovedRecord,
    /// A change to a section the person may not edit.
    NotAllowed,
    /// The form engine refused the value.
    Refused,
}

impl ProblemKind {
    /// Every kind of problem.
    pub const ALL: [ProblemKind; 22] = [
        ProblemKind::NotAWorkbook,
        ProblemKind::FileTooLarge,
        ProblemKind::UnpackedTooLarge,
        ProblemKind::TooManyCells,
        ProblemKind::MissingMeta,
        ProblemKind::OlderFormat,
        ProblemKind::OtherReport,
        ProblemKind::OtherForm,
        ProblemKind::UnknownRevision,
        ProblemKind::MissingSheet,
        ProblemKind::ChangedStructure,
        ProblemKind::NotAnOption,
        ProblemKind::NotANumber,
        ProblemKind::NotAYear,
        ProblemKind::NotADate,
        ProblemKind::Formula,
        ProblemKind::ErrorValue,
        ProblemKind::UnknownRecord,
        ProblemKind::DuplicateRecord,
        ProblemKind::MovedRecord,
        ProblemKind::NotAllowed,
        ProblemKind::Refused,
    ];

    /// Stable code (`not_an_option`), as the API says it.
    pub fn code(self) -> &'static str {
        match self {
            ProblemKind::NotAWorkbook => "not_a_workbook",
            ProblemKind::FileTooLarge => "file_too_large",
            ProblemKind::UnpackedTooLarge => "unpacked_too_large",
            ProblemKind::TooManyCells => "too_many_cells",
            ProblemKind::MissingMeta => "missing_meta",
            ProblemKind::OlderFormat => "older_format",
            ProblemKind::OtherReport => "other_report",
            ProblemKind::OtherForm => "other_form",
            ProblemKind::UnknownRevision => "unknown_revision",
            ProblemKind::MissingSheet => "missing_sheet",
            ProblemKind::ChangedStructure => "changed_structure",
            ProblemKind::NotAnOption => "not_an_option",
            ProblemKind::NotANumber => "not_a_number",
            ProblemKind::NotAYear => "not_a_year",
            ProblemKind::NotADate => "not_a_date",
            ProblemKind::Formula => "formula",
            ProblemKind::ErrorValue => "error_value",
            ProblemKind::UnknownRecord => "unknown_record",
            ProblemKind::DuplicateRecord => "duplicate_record",
            ProblemKind::MovedRecord => "moved_record",
            ProblemKind::NotAllowed => "not_allowed",
            ProblemKind::Refused => "refused",
        }
    }

    /// The id of the message that says it (`workbook-problem-not-an-option`).
    pub fn message_id(self) -> String {
        format!("workbook-problem-{}", self.code().replace('_', "-"))
    }
}

impl Problem {
    fn at(sheet: &str, (row, col): (u32, u32), kind: ProblemKind, value: impl Into<String>) -> Problem {
        Problem { sheet: sheet.to_owned(), cell: cell_ref(row, col), kind, value: value.into() }
    }

    /// A problem about the whole file.
    pub fn file(kind: ProblemKind, value: impl Into<String>) -> Problem {
        Problem { sheet: String::new(), cell: String::new(), kind, value: value.into() }
    }
}

/// `A1` notation of a zero-based cell.
pub(crate) fn cell_ref(row: u32, col: u32) -> String {
    let mut col = col as usize;
    let mut letters = Vec::new();
    loop {
        letters.push(char::from(b'A' + u8::try_from(col % 26).unwrap_or(0)));
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    letters.iter().rev().collect::<String>() + &(row + 1).to_string()
}

/// The workbook's own words, in one language.
#[derive(Debug, Clone)]
pub(crate) struct Texts {
    question: String,
    answer: String,
    key: String,
    record: String,
    list: String,
    yes: String,
    no: String,
    not_in_list_title: String,
    not_in_list: String,
}

impl Texts {
    fn new(words: Words) -> Texts {
        let t = |id: &str| (words.lookup)(words.lang, id, &[]);
        Texts {
            question: t("workbook-question"),
            answer: t("workbook-answer"),
            key: t("workbook-key"),
            record: t("workbook-record"),
            list: t("workbook-list"),
            yes: t("editor-yes"),
            no: t("editor-no"),
            not_in_list_title: t("workbook-not-in-list-title"),
            not_in_list: t("workbook-not-in-list"),
        }
    }
}

/// The sheet names of a layout: titles made valid (31 characters, none of `[]:*?/\`) and
/// unique.
#[derive(Debug, Clone)]
pub(crate) struct SheetNames {
    questions: Vec<String>,
    /// Each record table's, with its linked tables'.
    records: Vec<(String, Vec<String>)>,
    tables: Vec<String>,
}

impl SheetNames {
    fn of(layout: &Layout) -> SheetNames {
        let mut taken: BTreeSet<String> = [META_SHEET.to_owned(), LISTS_SHEET.to_owned()].into();
        let mut name = |title: &str| {
            let clean: String = title
                .chars()
                .map(|c| if "[]:*?/\\".contains(c) || c.is_control() { ' ' } else { c })
                .collect::<String>()
                .trim()
                .trim_matches('\'')
                .to_owned();
            let clean = if clean.is_empty() { "Sheet".to_owned() } else { clean };
            let mut n = 1;
            loop {
                let suffix = if n == 1 { String::new() } else { format!(" ({n})") };
                let room = 31 - suffix.chars().count();
                let candidate: String = clean.chars().take(room).collect::<String>().trim_end().to_owned() + &suffix;
                if taken.insert(candidate.to_lowercase()) {
                    return candidate;
                }
                n += 1;
            }
        };
        let questions = layout.questions.iter().map(|s| name(&s.title)).collect();
        let records = layout
            .records
            .iter()
            .map(|t| {
                (
                    name(&t.title),
                    t.tables.iter().map(|(_, header, _)| name(&format!("{} – {header}", t.title))).collect(),
                )
            })
            .collect();
        let tables = layout.tables.iter().map(|t| name(&t.title)).collect();
        SheetNames { questions, records, tables }
    }
}

/// Why a workbook could not be written.
#[derive(Debug, thiserror::Error)]
#[error("the workbook could not be written: {0}")]
pub struct WorkbookError(String);

/// A change a workbook makes, by field, for the preview.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Change {
    /// The sheet showing the field.
    pub sheet: String,
    /// The field's label (a record's title before it).
    pub label: String,
    /// The value before, as the workbook shows it.
    pub before: String,
    /// The value after.
    pub after: String,
}

/// What a filled workbook comes to.
#[derive(Debug, Clone)]
pub struct Filled<D> {
    /// The whole new document (or CSO form): the base with every cell applied.
    pub document: D,
    /// Every change by field.
    pub changes: Vec<Change>,
    /// What the workbook changed: a report's framework sections (ids), or the CSO form.
    pub units: Vec<String>,
}

/// The form engine over a report or a CSO form.
trait Engine {
    type Doc: Clone + PartialEq;
    fn words(&self) -> Words;
    fn lang(&self) -> Lang {
        self.words().lang
    }
    fn unit_views(&self, doc: &Self::Doc, only: Option<&str>) -> Vec<UnitView>;
    fn apply(&self, doc: &Self::Doc, unit: &str, pairs: &[(String, String)]) -> Result<Applied<Self::Doc>, FormError>;
    fn sections(&self) -> &[Section];
    fn framework(&self) -> &Framework;
}

struct ReportEngine<'a> {
    framework: &'a Framework,
    words: Words,
}

impl Engine for ReportEngine<'_> {
    type Doc = ReportDocument;

    fn words(&self) -> Words {
        self.words
    }

    fn unit_views(&self, doc: &ReportDocument, only: Option<&str>) -> Vec<UnitView> {
        qpr_editor::sections(self.framework)
            .into_iter()
            .filter(|s| !matches!(s.kind, SectionKind::Annexes | SectionKind::Submission))
            .filter(|s| only.is_none_or(|o| o == s.slug))
            .map(|section| {
                let view = qpr_editor::section_view(self.framework, doc, &section, &[], self.words);
                let title = section.title.get(self.words.lang).to_owned();
                UnitView { unit: section.slug, blocks: view.blocks.into_iter().map(|b| (title.clone(), b)).collect() }
            })
            .collect()
    }

    fn apply(&self, doc: &ReportDocument, unit: &str, pairs: &[(String, String)]) -> Result<Applied, FormError> {
        let Some(section) = qpr_editor::section(self.framework, unit) else {
            return Err(FormError { errors: Vec::new() });
        };
        qpr_editor::apply_form(self.framework, doc, &section, pairs)
    }

    fn sections(&self) -> &[Section] {
        &self.framework.sections
    }

    fn framework(&self) -> &Framework {
        self.framework
    }
}

/// The unit of the CSO form: the whole form is one page.
const CSO_UNIT: &str = "cso";

struct CsoEngine<'a> {
    framework: &'a Framework,
    words: Words,
}

impl Engine for CsoEngine<'_> {
    type Doc = CsoSubmission;

    fn words(&self) -> Words {
        self.words
    }

    fn unit_views(&self, doc: &CsoSubmission, _only: Option<&str>) -> Vec<UnitView> {
        let view = qpr_editor::cso_form_view(self.framework, doc, self.words);
        let blocks = view.blocks.into_iter().map(|b| (b.heading.clone().unwrap_or_default(), b)).collect();
        vec![UnitView { unit: CSO_UNIT.to_owned(), blocks }]
    }

    fn apply(
        &self,
        doc: &CsoSubmission,
        _unit: &str,
        pairs: &[(String, String)],
    ) -> Result<Applied<CsoSubmission>, FormError> {
        qpr_editor::apply_cso_form(self.framework, doc, pairs)
    }

    fn sections(&self) -> &[Section] {
        self.framework.cso_form.as_ref().map_or(&[][..], |f| f.sections.as_slice())
    }

    fn framework(&self) -> &Framework {
        self.framework
    }
}

/// The layout of `doc`: its units, the record type of each list (from the question its add
/// button names), and the fields of a new record (added by the engine on a copy) for the
/// columns of a type with no record yet.
fn layout_of<E: Engine>(engine: &E, doc: &E::Doc) -> Layout {
    let units = engine.unit_views(doc, None);
    let record_type = |records: &RecordsView| -> Option<(String, String)> {
        let id = records.add.value.strip_prefix("add:a.")?;
        let question = engine.sections().iter().flat_map(|s| s.questions.iter()).find(|q| q.id == id)?;
        let name = question.record.clone()?;
        let label = engine.framework().record_type(&name)?.label.get(engine.lang()).to_owned();
        Some((name, label))
    };
    let fields_of = |doc: &E::Doc, unit: &str, id: &str| -> Option<Vec<FieldView>> {
        engine.unit_views(doc, Some(unit)).into_iter().flat_map(|u| u.blocks).find_map(|(_, block)| {
            block.items.into_iter().find_map(|item| match item {
                qpr_editor::Item::Records(records) => {
                    records.records.into_iter().find(|r| r.record_id == id).map(|r| r.fields)
                }
                _ => None,
            })
        })
    };
    let action = |doc: &E::Doc, unit: &str, action: String| -> Option<Applied<E::Doc>> {
        engine.apply(doc, unit, &[("action".to_owned(), action)]).ok()
    };
    // A new record with one row in each of its tables, on a copy.
    let template = |unit: &str, add: &str, _type_name: &str| -> Option<Vec<FieldView>> {
        let applied = action(doc, unit, add.to_owned())?;
        let id = applied.focus.as_deref()?.strip_prefix("rec-")?.to_owned();
        let mut probe = applied.document;
        for field in fields_of(&probe, unit, &id)? {
            if let qpr_editor::Widget::Table { .. } = field.widget {
                probe = action(&probe, unit, format!("add:{}", field.name))?.document;
            }
        }
        fields_of(&probe, unit, &id)
    };
    let mut layout = layout::build(&units, &record_type, &template);
    // The columns of a table answer with no row yet: from a row added on a copy.
    for table in layout.tables.iter_mut().filter(|t| t.data.columns.is_empty()) {
        let Some(applied) = action(doc, &table.unit, format!("add:{}", table.name)) else { continue };
        let field = engine
            .unit_views(&applied.document, Some(&table.unit))
            .into_iter()
            .flat_map(|u| u.blocks)
            .flat_map(|(_, b)| b.items)
            .flat_map(|item| match item {
                qpr_editor::Item::Field(field) => vec![*field],
                qpr_editor::Item::Group(group) => group.fields,
                qpr_editor::Item::Records(_) => Vec::new(),
            })
            .find(|f| f.name == table.name);
        if let Some(field) = field {
            let probe = layout::table_data(&field.name, &field.widget);
            table.data.columns = probe.columns;
            table.data.options = probe.options;
        }
    }
    layout
}

/// A draft report as a workbook, labelled in the language of `words`; `revision` is the
/// revision `document` is (written in the hidden sheet, the base of the save it comes back as).
pub fn report_workbook(
    framework: &Framework,
    document: &ReportDocument,
    revision: i64,
    words: Words,
) -> Result<Vec<u8>, WorkbookError> {
    let origin = Origin {
        kind: FormKind::Report { revision },
        party: document.party.iso3.as_ref().map(|c| c.as_str().to_owned()).unwrap_or_default(),
        year: document.year,
        form: framework.id.clone(),
        lang: words.lang,
    };
    let engine = ReportEngine { framework, words };
    write_workbook(&engine, document, &origin, words)
}

/// A CSO's form as a workbook (the report's Party and year, and the invitation, in its hidden
/// sheet; never the link's secret).
pub fn cso_workbook(
    framework: &Framework,
    submission: &CsoSubmission,
    (party, year, invitation): (&str, i32, i64),
    words: Words,
) -> Result<Vec<u8>, WorkbookError> {
    let origin = Origin {
        kind: FormKind::Cso { invitation },
        party: party.to_owned(),
        year,
        form: framework.id.clone(),
        lang: words.lang,
    };
    let engine = CsoEngine { framework, words };
    write_workbook(&engine, submission, &origin, words)
}

fn write_workbook<E: Engine>(
    engine: &E,
    doc: &E::Doc,
    origin: &Origin,
    words: Words,
) -> Result<Vec<u8>, WorkbookError> {
    let layout = layout_of(engine, doc);
    let names = SheetNames::of(&layout);
    let texts = Texts::new(words);
    write::Writer::new(&texts).write(&layout, origin, &names).map_err(|e| WorkbookError(e.to_string()))
}

/// An uploaded workbook, read and bounded, with where it says it comes from.
#[derive(Debug)]
pub struct Upload {
    sheets: Sheets,
    /// What the hidden sheet says.
    pub origin: Origin,
}

/// Reads an uploaded file (XLSX or ODS) within `limits`: every problem of the file itself
/// (size, zip bomb, cells, formulas, the hidden sheet).
pub fn open(bytes: &[u8], limits: &Limits) -> Result<Upload, Vec<Problem>> {
    let sheets = read::open(bytes, limits)?;
    let origin = Origin::read(&sheets).map_err(|p| vec![p])?;
    Ok(Upload { sheets, origin })
}

impl Upload {
    /// The revision a report's workbook was made from, when it is this report's (`party`,
    /// `year`) and form version.
    pub fn report_revision(&self, party: &str, year: i32, form: &str) -> Result<i64, Vec<Problem>> {
        let FormKind::Report { revision } = self.origin.kind else {
            return Err(vec![self.meta_problem(ProblemKind::OtherReport, "cso")]);
        };
        self.same(party, year, form)?;
        Ok(revision)
    }

    /// Checks that a CSO form's workbook is this invitation's.
    pub fn expect_cso(&self, party: &str, year: i32, form: &str, invitation: i64) -> Result<(), Vec<Problem>> {
        if self.origin.kind != (FormKind::Cso { invitation }) {
            return Err(vec![self.meta_problem(ProblemKind::OtherReport, &format!("{:?}", self.origin.kind))]);
        }
        self.same(party, year, form)
    }

    fn same(&self, party: &str, year: i32, form: &str) -> Result<(), Vec<Problem>> {
        if self.origin.party != party || self.origin.year != year {
            return Err(vec![
                self.meta_problem(ProblemKind::OtherReport, &format!("{} {}", self.origin.party, self.origin.year)),
            ]);
        }
        if self.origin.form != form {
            return Err(vec![self.meta_problem(ProblemKind::OtherForm, &self.origin.form)]);
        }
        Ok(())
    }

    fn meta_problem(&self, kind: ProblemKind, value: &str) -> Problem {
        Problem { sheet: META_SHEET.to_owned(), cell: String::new(), kind, value: value.to_owned() }
    }
}

/// Reads a report's workbook over `base` (the revision it names, see
/// [`Upload::report_revision`]): the new document, its changes and the sections it changed,
/// or every problem.
pub fn read_report(
    framework: &Framework,
    base: &ReportDocument,
    upload: &Upload,
    lookup: qpr_editor::Lookup,
) -> Result<Filled<ReportDocument>, Vec<Problem>> {
    let engine = ReportEngine { framework, words: Words::new(upload.origin.lang, lookup) };
    let mut filled = fill(&engine, base, upload)?;
    // The engine's units are pages; a report's are named by their framework section.
    for unit in &mut filled.units {
        if let Some(section) = qpr_editor::section(framework, unit) {
            *unit = section.framework_section;
        }
    }
    Ok(filled)
}

/// Reads a CSO form's workbook over the form as it is now (the CSO form keeps no revisions:
/// what the workbook holds is posted over it, as the form's own page does).
pub fn read_cso(
    framework: &Framework,
    current: &CsoSubmission,
    upload: &Upload,
    lookup: qpr_editor::Lookup,
) -> Result<Filled<CsoSubmission>, Vec<Problem>> {
    let engine = CsoEngine { framework, words: Words::new(upload.origin.lang, lookup) };
    fill(&engine, current, upload)
}

/// Where a cell's value goes, before records added offline have ids.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Target {
    /// A question sheet's row, by its key.
    Question(String),
    /// A record's cell: the record's reference (its id, or the text of a new row's first
    /// cell, or its row) and the column key.
    Record(String, String),
    /// A table cell: owner (record reference, or the answer's name), field key (empty for
    /// an answer), row, column key.
    Table(Owner, String, usize, String),
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Owner {
    Record(String),
    Answer(String),
}

/// A cell read: its place (sheet, row, column) and value.
#[derive(Debug, Clone)]
struct Read {
    sheet: String,
    pos: (u32, u32),
    value: Option<CellValue>,
}

/// What the file asks for besides values: records to add, lengths of lists and tables.
#[derive(Default)]
struct Wishes {
    cells: BTreeMap<Target, Read>,
    /// New records: (reference, record type index, list index), in row order.
    new_records: Vec<(String, usize, usize)>,
    /// Rows of each table (by owner and field key).
    table_rows: BTreeMap<(Owner, String), usize>,
}

fn header_problems(grid: &Grid, sheet: &str, headers: &[String], problems: &mut Vec<Problem>) {
    for (c, header) in headers.iter().enumerate() {
        let col = u32::try_from(c).unwrap_or(u32::MAX);
        let found = grid.text(0, col);
        if found.trim() != header.trim() {
            problems.push(Problem::at(sheet, (0, col), ProblemKind::ChangedStructure, found));
        }
    }
    let last = u32::try_from(headers.len()).unwrap_or(u32::MAX);
    for (&(row, col), value) in &grid.cells {
        if col >= last && value.text().trim() != "" {
            problems.push(Problem::at(sheet, (row, col), ProblemKind::ChangedStructure, value.text()));
        }
    }
}

/// Reads every cell of `upload` against `layout` (the base's).
fn wishes(layout: &Layout, names: &SheetNames, sheets: &Sheets, texts: &Texts) -> Result<Wishes, Vec<Problem>> {
    let mut problems = Vec::new();
    let mut wishes = Wishes::default();
    let missing = |name: &str| Problem::file(ProblemKind::MissingSheet, name).in_sheet(name);
    let read = |grid: &Grid, sheet: &str, pos: (u32, u32)| Read {
        sheet: sheet.to_owned(),
        pos,
        value: grid.get(pos.0, pos.1).cloned(),
    };
    for (sheet, name) in layout.questions.iter().zip(&names.questions) {
        let Some(grid) = sheets.get(name) else {
            problems.push(missing(name));
            continue;
        };
        header_problems(grid, name, &[texts.question.clone(), texts.answer.clone(), texts.key.clone()], &mut problems);
        for (i, row) in sheet.rows.iter().enumerate() {
            let r = u32::try_from(i + 1).unwrap_or(u32::MAX);
            if grid.text(r, 2) != row.key {
                problems.push(Problem::at(name, (r, 2), ProblemKind::ChangedStructure, grid.text(r, 2)));
                continue;
            }
            wishes.cells.insert(Target::Question(row.key.clone()), read(grid, name, (r, 1)));
        }
        let last = u32::try_from(sheet.rows.len()).unwrap_or(u32::MAX);
        for (&(row, col), value) in &grid.cells {
            if row > last && !value.text().trim().is_empty() {
                problems.push(Problem::at(name, (row, col), ProblemKind::ChangedStructure, value.text()));
            }
        }
    }
    for (t, (table, (name, linked))) in layout.records.iter().zip(&names.records).enumerate() {
        let Some(grid) = sheets.get(name) else {
            problems.push(missing(name));
            continue;
        };
        let headers: Vec<String> = [texts.record.clone(), texts.list.clone()]
            .into_iter()
            .chain(table.columns.iter().map(|(_, h)| h.clone()))
            .collect();
        header_problems(grid, name, &headers, &mut problems);
        let mut seen: BTreeSet<String> = BTreeSet::new();
        let mut refs: BTreeSet<String> = table.rows.iter().map(|r| r.id.clone()).collect();
        for r in 1..grid.rows() {
            let filled = (0..u32::try_from(headers.len()).unwrap_or(0)).any(|c| !grid.text(r, c).trim().is_empty());
            if !filled {
                continue;
            }
            let reference = grid.text(r, 0).trim().to_owned();
            let reference = if reference.is_empty() { format!("row {}", r + 1) } else { reference };
            if !seen.insert(reference.clone()) {
                problems.push(Problem::at(name, (r, 0), ProblemKind::DuplicateRecord, reference));
                continue;
            }
            let list_text = grid.text(r, 1).trim().to_owned();
            let list = table.lists.iter().position(|l| l.label.trim() == list_text);
            match table.rows.iter().find(|row| row.id == reference) {
                Some(existing) => {
                    if list != Some(existing.list) {
                        problems.push(Problem::at(name, (r, 1), ProblemKind::MovedRecord, list_text));
                    }
                }
                None => match list {
                    Some(list) => {
                        refs.insert(reference.clone());
                        wishes.new_records.push((reference.clone(), t, list));
                    }
                    None => problems.push(Problem::at(name, (r, 1), ProblemKind::NotAnOption, list_text)),
                },
            }
            for (c, (key, _)) in table.columns.iter().enumerate() {
                let col = u32::try_from(c + 2).unwrap_or(u32::MAX);
                wishes.cells.insert(Target::Record(reference.clone(), key.clone()), read(grid, name, (r, col)));
            }
        }
        for ((field, _, data), linked_name) in table.tables.iter().zip(linked) {
            let Some(grid) = sheets.get(linked_name) else {
                problems.push(missing(linked_name));
                continue;
            };
            let headers: Vec<String> =
                std::iter::once(texts.record.clone()).chain(data.columns.iter().map(|(_, h)| h.clone())).collect();
            header_problems(grid, linked_name, &headers, &mut problems);
            // Every record's rows, the file's being the whole table.
            for row in &table.rows {
                wishes.table_rows.insert((Owner::Record(row.id.clone()), field.clone()), 0);
            }
            for r in 1..grid.rows() {
                let filled = (0..u32::try_from(headers.len()).unwrap_or(0)).any(|c| !grid.text(r, c).trim().is_empty());
                if !filled {
                    continue;
                }
                let reference = grid.text(r, 0).trim().to_owned();
                if !refs.contains(&reference) {
                    problems.push(Problem::at(linked_name, (r, 0), ProblemKind::UnknownRecord, reference));
                    continue;
                }
                let count = wishes.table_rows.entry((Owner::Record(reference.clone()), field.clone())).or_insert(0);
                let index = *count;
                *count += 1;
                for (c, (key, _)) in data.columns.iter().enumerate() {
                    let col = u32::try_from(c + 1).unwrap_or(u32::MAX);
                    wishes.cells.insert(
                        Target::Table(Owner::Record(reference.clone()), field.clone(), index, key.clone()),
                        read(grid, linked_name, (r, col)),
                    );
                }
            }
        }
    }
    for (table, name) in layout.tables.iter().zip(&names.tables) {
        let Some(grid) = sheets.get(name) else {
            problems.push(missing(name));
            continue;
        };
        let headers: Vec<String> = table.data.columns.iter().map(|(_, h)| h.clone()).collect();
        header_problems(grid, name, &headers, &mut problems);
        let mut index = 0;
        for r in 1..grid.rows() {
            let filled = (0..u32::try_from(headers.len()).unwrap_or(0)).any(|c| !grid.text(r, c).trim().is_empty());
            if !filled {
                continue;
            }
            for (c, (key, _)) in table.data.columns.iter().enumerate() {
                let col = u32::try_from(c).unwrap_or(u32::MAX);
                wishes.cells.insert(
                    Target::Table(Owner::Answer(table.name.clone()), String::new(), index, key.clone()),
                    read(grid, name, (r, col)),
                );
            }
            index += 1;
        }
        wishes.table_rows.insert((Owner::Answer(table.name.clone()), String::new()), index);
    }
    if problems.is_empty() { Ok(wishes) } else { Err(problems) }
}

impl Problem {
    fn in_sheet(mut self, sheet: &str) -> Problem {
        sheet.clone_into(&mut self.sheet);
        self
    }
}

/// Every slot of a layout by target (records by id), with the unit that posts it.
fn targets(layout: &Layout) -> Vec<(Target, String, &Slot)> {
    let mut all = Vec::new();
    for sheet in &layout.questions {
        for row in &sheet.rows {
            all.push((Target::Question(row.key.clone()), sheet.unit.clone(), &row.slot));
        }
    }
    for table in &layout.records {
        for row in &table.rows {
            let unit = table.lists.get(row.list).map(|l| l.unit.clone()).unwrap_or_default();
            for (key, slot) in &row.cells {
                all.push((Target::Record(row.id.clone(), key.clone()), unit.clone(), slot));
            }
            for (field, data) in &row.tables {
                for (i, cells) in data.rows.iter().enumerate() {
                    for (key, slot) in cells {
                        all.push((
                            Target::Table(Owner::Record(row.id.clone()), field.clone(), i, key.clone()),
                            unit.clone(),
                            slot,
                        ));
                    }
                }
            }
        }
    }
    for table in &layout.tables {
        for (i, cells) in table.data.rows.iter().enumerate() {
            for (key, slot) in cells {
                all.push((
                    Target::Table(Owner::Answer(table.name.clone()), String::new(), i, key.clone()),
                    table.unit.clone(),
                    slot,
                ));
            }
        }
    }
    all
}

/// The text a cell gives a slot, or the problem with it.
fn posted(slot: &Slot, read: &Read, texts: &Texts) -> Result<Option<String>, Problem> {
    let Some(value) = &read.value else {
        return Ok(Some(String::new()));
    };
    let problem = |kind: ProblemKind| Problem::at(&read.sheet, read.pos, kind, value.text());
    if let CellValue::Error(_) = value {
        return Err(problem(ProblemKind::ErrorValue));
    }
    let text = value.text();
    match slot {
        Slot::Text { kind: TextKind::Date, value: before, .. } => match value {
            CellValue::Date(date) => Ok(Some(date.clone())),
            _ if text == *before || text.trim().is_empty() || date_text(text.trim()) => {
                Ok(Some(text.trim().to_owned()))
            }
            _ => Err(problem(ProblemKind::NotADate)),
        },
        Slot::Text { kind: TextKind::Number, value: before, .. } => match value {
            CellValue::Number(_) => Ok(Some(text)),
            _ if text == *before || text.trim().is_empty() => Ok(Some(text)),
            // The engine reads numbers as people type them (`3,8`, `37 %`), and says which
            // part is wrong; a date or a boolean here is not a number.
            CellValue::Text(_) => Ok(Some(text)),
            _ => Err(problem(ProblemKind::NotANumber)),
        },
        Slot::Text { .. } => Ok(Some(text)),
        Slot::Choice { options, .. } => {
            let wanted = text.trim();
            if wanted.is_empty() {
                return Ok(Some(String::new()));
            }
            options
                .iter()
                .find(|(_, label)| label.trim() == wanted)
                .or_else(|| options.iter().find(|(_, label)| label.trim().to_lowercase() == wanted.to_lowercase()))
                .map(|(v, _)| Some(v.clone()))
                .ok_or_else(|| problem(ProblemKind::NotAnOption))
        }
        Slot::Check { .. } => match value {
            CellValue::Bool(b) => Ok(Some(b.to_string())),
            _ => {
                let wanted = text.trim().to_lowercase();
                if wanted == texts.yes.to_lowercase() {
                    Ok(Some("true".to_owned()))
                } else if wanted.is_empty() || wanted == texts.no.to_lowercase() {
                    Ok(Some("false".to_owned()))
                } else {
                    Err(problem(ProblemKind::NotAnOption))
                }
            }
        },
        Slot::Lines { .. } => Ok(Some(text)),
    }
}

/// A date as the form keeps it: `YYYY-MM-DD`, or a partial `YYYY-MM` or `YYYY` (published
/// reports show the year only).
fn date_text(text: &str) -> bool {
    let b = text.as_bytes();
    let digits = |r: &[u8]| r.iter().all(u8::is_ascii_digit);
    match b.len() {
        4 => digits(b),
        7 => digits(&b[..4]) && b[4] == b'-' && digits(&b[5..]) && matches!(text[5..].parse::<u8>(), Ok(1..=12)),
        _ => write::iso_date(text),
    }
}

fn lines(text: &str) -> Vec<String> {
    let normalized = text.replace("\r\n", "\n");
    let trimmed = normalized.trim_end_matches('\n');
    if trimmed.is_empty() { Vec::new() } else { trimmed.split('\n').map(str::to_owned).collect() }
}

/// Reads the workbook over `base`: structure first (new records, list and table lengths, by
/// the engine's own actions), then one post per unit with every cell.
fn fill<E: Engine>(engine: &E, base: &E::Doc, upload: &Upload) -> Result<Filled<E::Doc>, Vec<Problem>> {
    // The workbook's words, in its language (the engine's).
    let texts = Texts::new(engine.words());
    let base_layout = layout_of(engine, base);
    let names = SheetNames::of(&base_layout);
    let mut wishes = wishes(&base_layout, &names, &upload.sheets, &texts)?;
    let mut doc = base.clone();
    let mut units: BTreeSet<String> = BTreeSet::new();
    let mut problems = Vec::new();
    let refused = |error: FormError, read: Option<&Read>| -> Vec<Problem> {
        error
            .errors
            .into_iter()
            .map(|e| match read {
                Some(read) => Problem::at(&read.sheet, read.pos, ProblemKind::Refused, e.value),
                None => Problem::file(ProblemKind::Refused, format!("{}: {}", e.name, e.value)),
            })
            .collect()
    };
    // New records, each added where its row's list says.
    let mut ids: HashMap<String, String> = HashMap::new();
    for (reference, t, list) in &wishes.new_records {
        let Some(list) = base_layout.records.get(*t).and_then(|table| table.lists.get(*list)) else { continue };
        let applied =
            engine.apply(&doc, &list.unit, &[("action".to_owned(), list.add.clone())]).map_err(|e| refused(e, None))?;
        let id = applied.focus.as_deref().and_then(|f| f.strip_prefix("rec-")).unwrap_or_default().to_owned();
        ids.insert(reference.clone(), id);
        units.insert(list.unit.clone());
        doc = applied.document;
    }
    let resolve = |target: &Target| -> Target {
        let id = |reference: &String| ids.get(reference).cloned().unwrap_or_else(|| reference.clone());
        match target {
            Target::Record(reference, key) => Target::Record(id(reference), key.clone()),
            Target::Table(Owner::Record(reference), field, i, key) => {
                Target::Table(Owner::Record(id(reference)), field.clone(), *i, key.clone())
            }
            other => other.clone(),
        }
    };
    wishes.cells = std::mem::take(&mut wishes.cells).into_iter().map(|(t, r)| (resolve(&t), r)).collect();
    let table_rows: BTreeMap<(Owner, String), usize> = wishes
        .table_rows
        .iter()
        .map(|((owner, field), n)| {
            let owner = match owner {
                Owner::Record(reference) => {
                    Owner::Record(ids.get(reference).cloned().unwrap_or_else(|| reference.clone()))
                }
                other => other.clone(),
            };
            ((owner, field.clone()), *n)
        })
        .collect();
    // Lengths of lists and tables, by the engine's add and remove.
    let layout_now = layout_of(engine, &doc);
    let mut actions: Vec<(String, String)> = Vec::new();
    for (target, unit, slot) in targets(&layout_now) {
        if let (Slot::Lines { name, items }, Some(read)) = (slot, wishes.cells.get(&target)) {
            let want = lines(&read.value.as_ref().map(CellValue::text).unwrap_or_default()).len();
            resize(&mut actions, &unit, name, items.len(), want);
        }
    }
    for table in &layout_now.records {
        for row in &table.rows {
            let unit = table.lists.get(row.list).map(|l| l.unit.clone()).unwrap_or_default();
            for (field, _, _) in &table.tables {
                let have = row.tables.get(field).map_or(0, |d| d.rows.len());
                if let Some(&want) = table_rows.get(&(Owner::Record(row.id.clone()), field.clone())) {
                    let name = format!("r.{}.{}.{field}", table.record_type, row.id);
                    resize(&mut actions, &unit, &name, have, want);
                }
            }
        }
    }
    for table in &layout_now.tables {
        if let Some(&want) = table_rows.get(&(Owner::Answer(table.name.clone()), String::new())) {
            resize(&mut actions, &table.unit, &table.name, table.data.rows.len(), want);
        }
    }
    for (unit, action) in actions {
        let applied = engine.apply(&doc, &unit, &[("action".to_owned(), action)]).map_err(|e| refused(e, None))?;
        units.insert(unit);
        doc = applied.document;
    }
    // Every cell, one post per unit.
    let layout_now = layout_of(engine, &doc);
    let mut posts: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    let mut cells_of: HashMap<String, Read> = HashMap::new();
    let mut markers: BTreeSet<String> = BTreeSet::new();
    let read_groups: BTreeSet<String> = targets(&layout_now)
        .into_iter()
        .filter(|(target, _, _)| wishes.cells.contains_key(target))
        .filter_map(|(_, _, slot)| match slot {
            Slot::Check { name, .. } => Some(name.clone()),
            _ => None,
        })
        .collect();
    for (target, unit, slot) in targets(&layout_now) {
        let read = wishes.cells.get(&target);
        let pairs = posts.entry(unit.clone()).or_default();
        if let Slot::Check { name, value, checked } = slot {
            // A group is posted whole (with its empty marker) when any of its boxes was read;
            // a group none of whose boxes was read is not posted (kept as stored).
            if !read_groups.contains(name) {
                continue;
            }
            let checked = match read {
                Some(read) => match posted(slot, read, &texts) {
                    Ok(text) => text.as_deref() == Some("true"),
                    Err(problem) => {
                        problems.push(problem);
                        continue;
                    }
                },
                None => *checked,
            };
            if markers.insert(name.clone()) {
                pairs.push((name.clone(), String::new()));
            }
            if let Some(read) = read {
                cells_of.entry(name.clone()).or_insert_with(|| read.clone());
            }
            if checked {
                pairs.push((name.clone(), value.clone()));
            }
            continue;
        }
        let Some(read) = read else { continue };
        match posted(slot, read, &texts) {
            Ok(Some(text)) => match slot {
                Slot::Lines { name, .. } => {
                    for (i, line) in lines(&text).into_iter().enumerate() {
                        let item = format!("{name}.{i}");
                        cells_of.insert(item.clone(), read.clone());
                        pairs.push((item, line));
                    }
                    cells_of.insert(name.clone(), read.clone());
                }
                _ => {
                    cells_of.insert(slot.name().to_owned(), read.clone());
                    pairs.push((slot.name().to_owned(), text));
                }
            },
            Ok(None) => {}
            Err(problem) => problems.push(problem),
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    for (unit, pairs) in posts {
        if pairs.is_empty() {
            continue;
        }
        match engine.apply(&doc, &unit, &pairs) {
            Ok(applied) => {
                if applied.document != doc {
                    units.insert(unit);
                }
                doc = applied.document;
            }
            Err(error) => {
                for e in error.errors {
                    let read = cells_of.get(&e.name).or_else(|| {
                        cells_of.iter().find(|(name, _)| e.name.starts_with(&format!("{name}."))).map(|(_, r)| r)
                    });
                    let kind = match e.problem {
                        qpr_editor::Problem::Percent => ProblemKind::NotANumber,
                        qpr_editor::Problem::Year => ProblemKind::NotAYear,
                        qpr_editor::Problem::NotAChoice => ProblemKind::NotAnOption,
                        _ => ProblemKind::Refused,
                    };
                    problems.push(match read {
                        Some(read) => Problem::at(&read.sheet, read.pos, kind, e.value),
                        None => Problem::file(kind, format!("{}: {}", e.name, e.value)),
                    });
                }
            }
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let after = layout_of(engine, &doc);
    let before = layout::by_name(&base_layout, &texts.yes);
    let now = layout::by_name(&after, &texts.yes);
    let mut changes = Vec::new();
    for (key, (sheet, label, text)) in &now {
        let old = before.get(key).map(|(_, _, t)| t.as_str()).unwrap_or_default();
        if old != text {
            changes.push(Change {
                sheet: sheet.clone(),
                label: label.clone(),
                before: old.to_owned(),
                after: text.clone(),
            });
        }
    }
    for (key, (sheet, label, text)) in &before {
        if !now.contains_key(key) && !text.is_empty() {
            changes.push(Change {
                sheet: sheet.clone(),
                label: label.clone(),
                before: text.clone(),
                after: String::new(),
            });
        }
    }
    Ok(Filled { document: doc, changes, units: units.into_iter().collect() })
}

/// The actions that bring a list or table of `have` items to `want`.
fn resize(actions: &mut Vec<(String, String)>, unit: &str, name: &str, have: usize, want: usize) {
    for _ in have..want {
        actions.push((unit.to_owned(), format!("add:{name}")));
    }
    for at in (want..have).rev() {
        actions.push((unit.to_owned(), format!("remove:{name}/{at}")));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The architecture invariant: the workbook knows no HTTP, templates or SQL.
    #[test]
    fn the_workbook_depends_on_no_http_template_or_sql_crate() {
        let names = qpr_test_support::manifest_dependencies(include_str!("../Cargo.toml"));
        assert!(names.contains(&"qpr-editor"), "{names:?}");
        for crate_name in ["axum", "http", "hyper", "askama", "tower", "sqlx", "qpr-web", "qpr-workflow", "qpr-store"] {
            assert!(!names.contains(&crate_name), "qpr-workbook depends on {crate_name}: {names:?}");
        }
    }

    #[test]
    fn cells_are_named_as_spreadsheets_name_them() {
        assert_eq!(cell_ref(0, 0), "A1");
        assert_eq!(cell_ref(6, 1), "B7");
        assert_eq!(cell_ref(1_048_575, 27), "AB1048576");
    }

    #[test]
    fn dates_may_be_partial_as_the_form_keeps_them() {
        assert!(date_text("2010"));
        assert!(date_text("2010-03"));
        assert!(date_text("2010-03-31"));
        assert!(!date_text("2010-13"));
        assert!(!date_text("soon"));
        assert!(!date_text("2010-02-30"));
    }
}
