//! The demo report, the workbook's words, and a small spreadsheet editor for tests.

use std::collections::BTreeMap;
use std::io::Cursor;

use calamine::{Data, Reader, SheetVisible, Xlsx};
use qpr_domain::ReportDocument;
use qpr_domain::framework::Framework;
use qpr_domain::text::Lang;
use qpr_editor::{Arg, Words};

const SEED: &str = include_str!("../../../../demo/qpr-azerbaijan-2022.txt");

pub(crate) fn framework() -> &'static Framework {
    Framework::qpr_2020()
}

pub(crate) fn seed() -> ReportDocument {
    qpr_import::import_published(framework(), SEED).expect("the demo report imports")
}

/// English words for what the workbook shows; other messages as their ids.
pub(crate) fn lookup(lang: Lang, id: &str, _args: &[(&'static str, Arg)]) -> String {
    match (lang, id) {
        (Lang::Fr, "editor-yes") => "Oui".into(),
        (Lang::Fr, "editor-no") => "Non".into(),
        (_, "editor-yes") => "Yes".into(),
        (_, "editor-no") => "No".into(),
        (Lang::Fr, other) => format!("fr:{other}"),
        (_, other) => other.to_owned(),
    }
}

pub(crate) fn words(lang: Lang) -> Words {
    Words::new(lang, lookup)
}

/// A cell's content as a test writes it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Cell {
    Text(String),
    Number(f64),
    Formula(String),
}

/// A sheet: its name, whether it is hidden, its cells by (row, column).
pub(crate) type Sheet = (String, bool, BTreeMap<(u32, u32), Cell>);

/// A workbook as sheets of cells, with each sheet's hidden flag.
#[derive(Debug, Clone)]
pub(crate) struct Book {
    pub(crate) sheets: Vec<Sheet>,
}

impl Book {
    pub(crate) fn read(bytes: &[u8]) -> Book {
        let mut xlsx = Xlsx::new(Cursor::new(bytes.to_vec())).unwrap();
        let meta: Vec<(String, bool)> =
            xlsx.sheets_metadata().iter().map(|s| (s.name.clone(), s.visible != SheetVisible::Visible)).collect();
        let mut sheets = Vec::new();
        for (name, hidden) in meta {
            let range = xlsx.worksheet_range(&name).unwrap();
            let start = range.start().unwrap_or((0, 0));
            let mut cells = BTreeMap::new();
            for (r, c, data) in range.used_cells() {
                let pos = (r as u32 + start.0, c as u32 + start.1);
                let cell = match data {
                    Data::String(s) => Cell::Text(s.clone()),
                    Data::Float(f) => Cell::Number(*f),
                    Data::Int(i) => Cell::Number(*i as f64),
                    Data::DateTime(d) => Cell::Number(d.as_f64()),
                    Data::Bool(b) => Cell::Text(b.to_string()),
                    other => Cell::Text(other.to_string()),
                };
                cells.insert(pos, cell);
            }
            sheets.push((name, hidden, cells));
        }
        Book { sheets }
    }

    pub(crate) fn write(&self) -> Vec<u8> {
        let mut book = rust_xlsxwriter::Workbook::new();
        for (name, hidden, cells) in &self.sheets {
            let sheet = book.add_worksheet();
            sheet.set_name(name).unwrap();
            for (&(r, c), cell) in cells {
                let c = u16::try_from(c).unwrap();
                match cell {
                    Cell::Text(t) => sheet.write_string(r, c, t).map(|_| ()).unwrap(),
                    Cell::Number(n) => sheet.write_number(r, c, *n).map(|_| ()).unwrap(),
                    Cell::Formula(f) => sheet.write_formula(r, c, f.as_str()).map(|_| ()).unwrap(),
                }
            }
            sheet.set_hidden(*hidden);
        }
        book.save_to_buffer().unwrap()
    }

    pub(crate) fn sheet(&mut self, name: &str) -> &mut BTreeMap<(u32, u32), Cell> {
        &mut self.sheets.iter_mut().find(|(n, _, _)| n == name).unwrap_or_else(|| panic!("no sheet {name}")).2
    }

    pub(crate) fn text(&self, sheet: &str, pos: (u32, u32)) -> String {
        let cells = &self.sheets.iter().find(|(n, _, _)| n == sheet).unwrap().2;
        match cells.get(&pos) {
            Some(Cell::Text(t)) => t.clone(),
            Some(Cell::Number(n)) => n.to_string(),
            Some(Cell::Formula(f)) => f.clone(),
            None => String::new(),
        }
    }

    /// Every question row: (sheet, row, key, value).
    pub(crate) fn question_rows(&self) -> Vec<(String, u32, String, String)> {
        let mut rows = Vec::new();
        for (name, hidden, cells) in &self.sheets {
            if *hidden || cells.get(&(0, 2)) != Some(&Cell::Text("workbook-key".into())) {
                continue;
            }
            for (&(r, c), cell) in cells {
                if let (2, true, Cell::Text(key)) = (c, r > 0, cell) {
                    rows.push((name.clone(), r, key.clone(), self.text(name, (r, 1))));
                }
            }
        }
        rows
    }

    /// The row of `sheet` whose first cell is `key` (the hidden sheet's pairs).
    pub(crate) fn cell_row(&self, sheet: &str, key: &str) -> u32 {
        let cells = &self.sheets.iter().find(|(n, _, _)| n == sheet).unwrap().2;
        cells
            .iter()
            .find(|(pos, cell)| pos.1 == 0 && **cell == Cell::Text(key.to_owned()))
            .map(|(pos, _)| pos.0)
            .unwrap_or_else(|| panic!("no row {key} in {sheet}"))
    }

    pub(crate) fn set(&mut self, sheet: &str, pos: (u32, u32), cell: Cell) {
        self.sheet(sheet).insert(pos, cell);
    }

    /// The sheet whose header row starts with `first`, and that has a header `header`.
    pub(crate) fn table_with(&self, first: &str, header: &str) -> String {
        self.sheets
            .iter()
            .find(|(_, _, cells)| {
                cells.get(&(0, 0)) == Some(&Cell::Text(first.to_owned()))
                    && cells.iter().any(|(&(r, _), c)| r == 0 && *c == Cell::Text(header.to_owned()))
            })
            .map(|(n, _, _)| n.clone())
            .unwrap_or_else(|| panic!("no table with {header}"))
    }

    pub(crate) fn rows(&self, sheet: &str) -> u32 {
        let cells = &self.sheets.iter().find(|(n, _, _)| n == sheet).unwrap().2;
        cells.keys().map(|(r, _)| r + 1).max().unwrap_or(0)
    }
}
