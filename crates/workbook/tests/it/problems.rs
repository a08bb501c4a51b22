//! A bad workbook is refused with every problem at its sheet and cell, and nothing comes back.

use std::io::Write;

use qpr_domain::text::Lang;
use qpr_workbook::{Limits, Problem, ProblemKind, open, read_report, report_workbook};

use crate::support::{Book, Cell, framework, lookup, seed, words};

fn problems_of(bytes: &[u8]) -> Vec<Problem> {
    let document = seed();
    let upload = match open(bytes, &Limits::default()) {
        Ok(upload) => upload,
        Err(problems) => return problems,
    };
    if let Err(problems) = upload.report_revision("AZE", 2022, &framework().id) {
        return problems;
    }
    match read_report(framework(), &document, &upload, lookup) {
        Ok(filled) => panic!("accepted: {:#?}", filled.changes),
        Err(problems) => problems,
    }
}

fn book() -> Book {
    Book::read(&report_workbook(framework(), &seed(), 1, words(Lang::En)).unwrap())
}

#[test]
fn each_bad_cell_is_named_with_its_sheet_and_nothing_is_returned() {
    let mut book = book();
    let rows = book.question_rows();
    let (yes_sheet, yes_row, _, _) =
        rows.iter().find(|(_, _, k, v)| v == "Yes" && k.starts_with("a.") && !k.contains('=')).unwrap().clone();
    book.set(&yes_sheet, (yes_row, 1), Cell::Text("Maybe".into()));
    let (pct_sheet, pct_row, _, _) = rows.iter().find(|(_, _, k, _)| k.ends_with(".percent")).unwrap().clone();
    book.set(&pct_sheet, (pct_row, 1), Cell::Text("about a third".into()));
    let (pct_field, _) = rows.iter().find(|(_, _, k, _)| k.ends_with(".percent")).unwrap().2.rsplit_once('.').unwrap();
    // The year of another figure (the engine names one problem per field).
    let (year_sheet, year_row, _, _) = rows
        .iter()
        .find(|(_, _, k, _)| k.ends_with(".year") && !k.starts_with(&format!("{pct_field}.")))
        .unwrap()
        .clone();
    book.set(&year_sheet, (year_row, 1), Cell::Text("last year".into()));
    let (date_sheet, date_row, _, _) =
        rows.iter().find(|(_, _, k, _)| k.ends_with("ratification_date")).unwrap().clone();
    book.set(&date_sheet, (date_row, 1), Cell::Text("soon".into()));
    let problems = problems_of(&book.write());
    let at = |sheet: &str, row: u32, kind: ProblemKind| {
        problems.iter().any(|p| p.sheet == sheet && p.cell == format!("B{}", row + 1) && p.kind == kind)
    };
    assert!(at(&yes_sheet, yes_row, ProblemKind::NotAnOption), "{problems:#?}");
    assert!(at(&date_sheet, date_row, ProblemKind::NotADate), "{problems:#?}");
    // Numbers are read by the engine once the cells' own problems are gone.
    let mut book2 = self::book();
    book2.set(&pct_sheet, (pct_row, 1), Cell::Text("about a third".into()));
    book2.set(&year_sheet, (year_row, 1), Cell::Text("last year".into()));
    let problems = problems_of(&book2.write());
    let at = |sheet: &str, row: u32, kind: ProblemKind| {
        problems.iter().any(|p| p.sheet == sheet && p.cell == format!("B{}", row + 1) && p.kind == kind)
    };
    assert!(at(&pct_sheet, pct_row, ProblemKind::NotANumber), "{problems:#?}");
    assert!(at(&year_sheet, year_row, ProblemKind::NotAYear), "{problems:#?}");
}

#[test]
fn another_reports_workbook_and_a_deleted_hidden_sheet_are_refused() {
    let mut other = book();
    other.set("qpr", (2, 1), Cell::Text("FRA".into()));
    let problems = problems_of(&other.write());
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert_eq!(problems[0].kind, ProblemKind::OtherReport);
    assert_eq!(problems[0].sheet, "qpr");

    // A workbook of an earlier layout (before "Other (please specify)" rows and columns) is
    // told as such, once, not as a list of changed cells.
    let mut older = book();
    let format_row = older.cell_row("qpr", "format");
    older.set("qpr", (format_row, 1), Cell::Text("qpr-workbook/1".into()));
    let problems = problems_of(&older.write());
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert_eq!((problems[0].kind, problems[0].value.as_str()), (ProblemKind::OlderFormat, "qpr-workbook/1"));
    assert_eq!((problems[0].sheet.as_str(), problems[0].cell.as_str()), ("qpr", "B1"));
    let mut foreign = book();
    foreign.set("qpr", (format_row, 1), Cell::Text("somebody-else/3".into()));
    assert_eq!(problems_of(&foreign.write())[0].kind, ProblemKind::MissingMeta);

    let mut no_meta = book();
    no_meta.sheets.retain(|(n, _, _)| n != "qpr");
    let problems = problems_of(&no_meta.write());
    assert_eq!(problems[0].kind, ProblemKind::MissingMeta, "{problems:#?}");
    assert_eq!(problems[0].sheet, "qpr");
}

#[test]
fn a_changed_structure_is_named_at_its_cell() {
    let mut book = book();
    let (sheet, row, _, _) = book.question_rows()[3].clone();
    // A row inserted above: every key below moves down one.
    let cells = book.sheet(&sheet);
    let moved: std::collections::BTreeMap<(u32, u32), Cell> = std::mem::take(cells)
        .into_iter()
        .map(|((r, c), v)| if r >= row { ((r + 1, c), v) } else { ((r, c), v) })
        .collect();
    *cells = moved;
    book.set(&sheet, (row, 0), Cell::Text("My own note".into()));
    let problems = problems_of(&book.write());
    assert!(
        problems
            .iter()
            .any(|p| p.sheet == sheet && p.cell == format!("C{}", row + 1) && p.kind == ProblemKind::ChangedStructure),
        "{problems:#?}"
    );
    // A sheet removed.
    let mut book = self::book();
    let removed = book.question_rows()[0].0.clone();
    book.sheets.retain(|(n, _, _)| *n != removed);
    let problems = problems_of(&book.write());
    assert!(problems.iter().any(|p| p.sheet == removed && p.kind == ProblemKind::MissingSheet), "{problems:#?}");
}

#[test]
fn formulas_are_refused_never_evaluated() {
    let mut book = book();
    let (sheet, row, _, _) = book.question_rows().into_iter().find(|(_, _, k, _)| k.ends_with(".percent")).unwrap();
    book.set(&sheet, (row, 1), Cell::Formula("=1+1".into()));
    let problems = problems_of(&book.write());
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert_eq!((problems[0].kind, problems[0].sheet.as_str()), (ProblemKind::Formula, sheet.as_str()));
    assert_eq!(problems[0].cell, format!("B{}", row + 1));
}

#[test]
fn files_too_large_zip_bombs_and_cells_far_away_are_refused_before_they_are_read() {
    let limits = Limits::default();
    let big = vec![b'x'; limits.file_bytes + 1];
    assert_eq!(open(&big, &limits).unwrap_err()[0].kind, ProblemKind::FileTooLarge);
    // A zip whose one part is 100 MB of zeros (about 100 KB compressed).
    let mut bomb = Vec::new();
    {
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(&mut bomb));
        let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        zip.start_file("xl/workbook.xml", options).unwrap();
        let zeros = vec![0u8; 1 << 20];
        for _ in 0..100 {
            zip.write_all(&zeros).unwrap();
        }
        zip.finish().unwrap();
    }
    assert!(bomb.len() < limits.file_bytes);
    assert_eq!(open(&bomb, &limits).unwrap_err()[0].kind, ProblemKind::UnpackedTooLarge);
    // A cell at the last row of the sheet: refused before calamine builds a dense range.
    let mut far = book();
    far.set("qpr", (1_048_575, 0), Cell::Text("far".into()));
    let problems = open(&far.write(), &limits).unwrap_err();
    assert_eq!(problems[0].kind, ProblemKind::TooManyCells);
    assert_eq!((problems[0].sheet.as_str(), problems[0].cell.as_str()), ("qpr", "A1048576"));
    assert_eq!(problems_of(b"not a spreadsheet")[0].kind, ProblemKind::NotAWorkbook);
}
