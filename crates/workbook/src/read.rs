//! Reading an uploaded file, trusting nothing in it: its size, what its parts decompress to
//! (measured by decompressing them, not by what the zip directory says), the cells of each
//! sheet (streamed, bounded in count and position before anything dense is allocated), and no
//! formula (a formula cell is a problem; its cached value is never taken).

use std::collections::HashMap;
use std::io::{Cursor, Read};

use calamine::{Data, DataRef, Ods, Reader, Xlsx};

use crate::{Limits, Problem, ProblemKind, cell_ref};

/// A cell as read.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum CellValue {
    /// Text.
    Text(String),
    /// A number.
    Number(f64),
    /// TRUE / FALSE.
    Bool(bool),
    /// A date, as `YYYY-MM-DD`.
    Date(String),
    /// An error value (`#N/A`).
    Error(String),
}

impl CellValue {
    /// The cell as the text a form control would hold.
    pub(crate) fn text(&self) -> String {
        match self {
            CellValue::Text(text) | CellValue::Date(text) | CellValue::Error(text) => text.clone(),
            CellValue::Number(n) => number_as_text(*n),
            CellValue::Bool(b) => b.to_string(),
        }
    }
}

/// A number as people write it: no `.0` for a whole number.
pub(crate) fn number_as_text(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        #[allow(clippy::cast_possible_truncation)]
        let whole = n as i64;
        whole.to_string()
    } else {
        n.to_string()
    }
}

/// The cells of one sheet, by zero-based (row, column).
#[derive(Debug, Default)]
pub(crate) struct Grid {
    pub cells: HashMap<(u32, u32), CellValue>,
}

impl Grid {
    /// The text of a cell, empty when the cell is empty.
    pub(crate) fn text(&self, row: u32, col: u32) -> String {
        self.cells.get(&(row, col)).map(CellValue::text).unwrap_or_default()
    }

    pub(crate) fn get(&self, row: u32, col: u32) -> Option<&CellValue> {
        self.cells.get(&(row, col))
    }

    /// One past the last row holding anything.
    pub(crate) fn rows(&self) -> u32 {
        self.cells.keys().map(|(r, _)| r + 1).max().unwrap_or(0)
    }
}

/// The sheets of a file, in order.
#[derive(Debug, Default)]
pub(crate) struct Sheets {
    pub sheets: Vec<(String, Grid)>,
}

impl Sheets {
    pub(crate) fn get(&self, name: &str) -> Option<&Grid> {
        self.sheets.iter().find(|(n, _)| n == name).map(|(_, g)| g)
    }
}

fn problem(kind: ProblemKind, value: impl Into<String>) -> Problem {
    Problem { sheet: String::new(), cell: String::new(), kind, value: value.into() }
}

/// Reads every sheet of an XLSX or ODS file within `limits`.
pub(crate) fn open(bytes: &[u8], limits: &Limits) -> Result<Sheets, Vec<Problem>> {
    if bytes.len() > limits.file_bytes {
        return Err(vec![problem(ProblemKind::FileTooLarge, limits.file_bytes.to_string())]);
    }
    let ods = scan_zip(bytes, limits).map_err(|p| vec![p])?;
    if ods { open_ods(bytes, limits) } else { open_xlsx(bytes, limits) }
}

/// Decompresses every part of the zip, counting: refuses more than `limits.unpacked_bytes`
/// in all, whatever the zip's directory declares. Returns whether the file is an ODS.
fn scan_zip(bytes: &[u8], limits: &Limits) -> Result<bool, Problem> {
    let not_a_workbook = |e: &dyn std::fmt::Display| problem(ProblemKind::NotAWorkbook, e.to_string());
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| not_a_workbook(&e))?;
    if archive.len() > limits.parts {
        return Err(problem(ProblemKind::FileTooLarge, archive.len().to_string()));
    }
    let mut total: u64 = 0;
    let mut buffer = vec![0u8; 64 * 1024];
    let (mut xlsx, mut ods) = (false, false);
    let mut content = Vec::new();
    for i in 0..archive.len() {
        let mut part = archive.by_index(i).map_err(|e| not_a_workbook(&e))?;
        let name = part.name().map_err(|e| not_a_workbook(&e))?.into_owned();
        xlsx |= name == "xl/workbook.xml";
        ods |= name == "content.xml";
        let keep = name == "content.xml";
        loop {
            let n = part.read(&mut buffer).map_err(|e| not_a_workbook(&e))?;
            if n == 0 {
                break;
            }
            total += n as u64;
            if total > limits.unpacked_bytes {
                return Err(problem(ProblemKind::UnpackedTooLarge, limits.unpacked_bytes.to_string()));
            }
            if keep {
                content.extend_from_slice(&buffer[..n]);
            }
        }
    }
    if xlsx {
        Ok(false)
    } else if ods {
        ods_cell_bound(&content, limits)?;
        Ok(true)
    } else {
        Err(problem(ProblemKind::NotAWorkbook, "no workbook part"))
    }
}

/// The most cells an ODS's repeated rows and columns expand to (calamine's own cap is 100
/// million cells, gigabytes once expanded): cells with content, each counted with its row's
/// and its own repetition.
fn ods_cell_bound(content: &[u8], limits: &Limits) -> Result<(), Problem> {
    let text = String::from_utf8_lossy(content);
    let mut total: u64 = 0;
    let mut row_repeat: u64 = 1;
    let mut rest = text.as_ref();
    while let Some(at) = rest.find('<') {
        rest = &rest[at + 1..];
        let end = rest.find('>').unwrap_or(rest.len());
        let tag = &rest[..end];
        if tag.starts_with("table:table-row ") || tag == "table:table-row" {
            row_repeat = attribute(tag, "table:number-rows-repeated").unwrap_or(1);
        } else if tag.starts_with("table:table-cell") || tag.starts_with("table:covered-table-cell") {
            let filled = !tag.ends_with('/') || tag.contains("office:value-type");
            if filled {
                let repeat = attribute(tag, "table:number-columns-repeated").unwrap_or(1);
                total = total.saturating_add(repeat.saturating_mul(row_repeat));
                if total > limits.cells as u64 {
                    return Err(problem(ProblemKind::TooManyCells, limits.cells.to_string()));
                }
            }
        }
    }
    Ok(())
}

fn attribute(tag: &str, name: &str) -> Option<u64> {
    let at = tag.find(&format!("{name}=\""))? + name.len() + 2;
    let end = tag[at..].find('"')?;
    tag[at..at + end].parse().ok()
}

fn bounded(pos: (u32, u32), count: usize, limits: &Limits, sheet: &str) -> Result<(), Problem> {
    if count > limits.cells || pos.0 >= limits.rows || pos.1 >= limits.columns {
        return Err(Problem {
            sheet: sheet.to_owned(),
            cell: cell_ref(pos.0, pos.1),
            kind: ProblemKind::TooManyCells,
            value: limits.cells.to_string(),
        });
    }
    Ok(())
}

fn open_xlsx(bytes: &[u8], limits: &Limits) -> Result<Sheets, Vec<Problem>> {
    let mut book =
        Xlsx::new(Cursor::new(bytes)).map_err(|e| vec![problem(ProblemKind::NotAWorkbook, e.to_string())])?;
    let names = book.sheet_names();
    let mut sheets = Sheets::default();
    let mut problems = Vec::new();
    let mut count = 0usize;
    for name in names {
        let mut grid = Grid::default();
        let mut reader =
            book.worksheet_cells_reader(&name).map_err(|e| vec![problem(ProblemKind::NotAWorkbook, e.to_string())])?;
        loop {
            let cell = match reader.next_cell_with_formula() {
                Ok(Some(cell)) => cell,
                Ok(None) => break,
                Err(e) => return Err(vec![problem(ProblemKind::NotAWorkbook, e.to_string())]),
            };
            count += 1;
            bounded(cell.pos, count, limits, &name).map_err(|p| vec![p])?;
            if cell.formula.as_deref().is_some_and(|f| !f.is_empty()) {
                problems.push(Problem {
                    sheet: name.clone(),
                    cell: cell_ref(cell.pos.0, cell.pos.1),
                    kind: ProblemKind::Formula,
                    value: cell.formula.unwrap_or_default(),
                });
                continue;
            }
            let value = match cell.value {
                DataRef::Empty => continue,
                DataRef::Int(i) => CellValue::Number(i as f64),
                DataRef::Float(f) => CellValue::Number(f),
                DataRef::String(s) => CellValue::Text(s),
                DataRef::SharedString(s) => CellValue::Text(s.to_owned()),
                DataRef::Bool(b) => CellValue::Bool(b),
                DataRef::DateTime(d) => CellValue::Date(serial_date(d.as_f64())),
                DataRef::DateTimeIso(s) => CellValue::Date(s.chars().take(10).collect()),
                DataRef::DurationIso(s) => CellValue::Text(s),
                DataRef::Error(e) => CellValue::Error(e.to_string()),
            };
            grid.cells.insert(cell.pos, value);
        }
        sheets.sheets.push((name, grid));
    }
    if problems.is_empty() { Ok(sheets) } else { Err(problems) }
}

fn open_ods(bytes: &[u8], limits: &Limits) -> Result<Sheets, Vec<Problem>> {
    let mut book = Ods::new(Cursor::new(bytes)).map_err(|e| vec![problem(ProblemKind::NotAWorkbook, e.to_string())])?;
    let names = book.sheet_names();
    let mut sheets = Sheets::default();
    let mut problems = Vec::new();
    let mut count = 0usize;
    for name in names {
        let range = book.worksheet_range(&name).map_err(|e| vec![problem(ProblemKind::NotAWorkbook, e.to_string())])?;
        let formulas =
            book.worksheet_formula(&name).map_err(|e| vec![problem(ProblemKind::NotAWorkbook, e.to_string())])?;
        for (row, col, formula) in formulas.used_cells() {
            if !formula.is_empty() {
                let (r, c) = (
                    row as u32 + formulas.start().map_or(0, |s| s.0),
                    col as u32 + formulas.start().map_or(0, |s| s.1),
                );
                problems.push(Problem {
                    sheet: name.clone(),
                    cell: cell_ref(r, c),
                    kind: ProblemKind::Formula,
                    value: formula.clone(),
                });
            }
        }
        let start = range.start().unwrap_or((0, 0));
        let mut grid = Grid::default();
        for (row, col, data) in range.used_cells() {
            let pos = (row as u32 + start.0, col as u32 + start.1);
            count += 1;
            bounded(pos, count, limits, &name).map_err(|p| vec![p])?;
            if problems.iter().any(|p| p.sheet == name && p.cell == cell_ref(pos.0, pos.1)) {
                continue;
            }
            let value = match data {
                Data::Empty => continue,
                Data::Int(i) => CellValue::Number(*i as f64),
                Data::Float(f) => CellValue::Number(*f),
                Data::String(s) => CellValue::Text(s.clone()),
                Data::Bool(b) => CellValue::Bool(*b),
                Data::DateTime(d) => CellValue::Date(serial_date(d.as_f64())),
                Data::DateTimeIso(s) => CellValue::Date(s.chars().take(10).collect()),
                Data::DurationIso(s) => CellValue::Text(s.clone()),
                Data::Error(e) => CellValue::Error(e.to_string()),
            };
            grid.cells.insert(pos, value);
        }
        sheets.sheets.push((name, grid));
    }
    if problems.is_empty() { Ok(sheets) } else { Err(problems) }
}

/// A spreadsheet date serial (days since 1899-12-30) as `YYYY-MM-DD`.
pub(crate) fn serial_date(serial: f64) -> String {
    #[allow(clippy::cast_possible_truncation)]
    let days = serial.floor() as i64 - 25_569; // days from 1970-01-01
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serials_are_dates() {
        assert_eq!(serial_date(44_621.0), "2022-03-01");
        assert_eq!(serial_date(25_569.0), "1970-01-01");
        assert_eq!(serial_date(36_526.5), "2000-01-01");
    }

    #[test]
    fn whole_numbers_read_without_a_decimal_point() {
        assert_eq!(number_as_text(2021.0), "2021");
        assert_eq!(number_as_text(37.5), "37.5");
    }

    #[test]
    fn repeated_ods_cells_are_counted_before_calamine_expands_them() {
        let limits = Limits::default();
        let bomb = br#"<table:table-row table:number-rows-repeated="1048576"><table:table-cell table:number-columns-repeated="16384" office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row>"#;
        assert_eq!(ods_cell_bound(bomb, &limits).unwrap_err().kind, ProblemKind::TooManyCells);
        let empty = br#"<table:table-row table:number-rows-repeated="1048576"><table:table-cell table:number-columns-repeated="16384"/></table:table-row>"#;
        assert!(ods_cell_bound(empty, &limits).is_ok());
    }

    #[test]
    fn what_is_not_a_zip_is_not_a_workbook() {
        let problems = open(b"hello", &Limits::default()).unwrap_err();
        assert_eq!(problems[0].kind, ProblemKind::NotAWorkbook);
    }
}
