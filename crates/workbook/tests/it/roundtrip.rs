//! A workbook comes back as the document it was made from, and the cells people change come
//! back as the changes the editing pages would make.

use qpr_domain::text::Lang;
use qpr_workbook::{Limits, open, read_report, report_workbook};
use serde_json::Value;

use crate::support::{Book, Cell, framework, lookup, seed, words};

#[test]
fn an_untouched_workbook_changes_nothing_in_either_language() {
    let document = seed();
    for lang in [Lang::En, Lang::Fr] {
        let bytes = report_workbook(framework(), &document, 7, words(lang)).unwrap();
        let upload = open(&bytes, &Limits::default()).unwrap();
        assert_eq!(upload.origin.lang, lang);
        assert_eq!(upload.report_revision("AZE", 2022, &framework().id).unwrap(), 7);
        let filled = read_report(framework(), &document, &upload, lookup).unwrap();
        assert_eq!(filled.changes, [], "{lang:?}");
        assert!(filled.document == document, "{lang:?}: the document changed");
        assert_eq!(filled.units, Vec::<String>::new());
        // Rewritten by another program (every cell read and written again), still nothing.
        let again = Book::read(&bytes).write();
        let filled = read_report(framework(), &document, &open(&again, &Limits::default()).unwrap(), lookup).unwrap();
        assert_eq!(filled.changes, [], "{lang:?} after a rewrite");
    }
}

#[test]
fn the_workbook_has_a_sheet_per_section_drop_downs_and_the_hidden_sheets() {
    let bytes = report_workbook(framework(), &seed(), 3, words(Lang::En)).unwrap();
    let book = Book::read(&bytes);
    let hidden: Vec<&str> = book.sheets.iter().filter(|(_, h, _)| *h).map(|(n, _, _)| n.as_str()).collect();
    assert_eq!(hidden, ["lists", "qpr"]);
    let sections = qpr_editor::sections(framework()).len() - 2; // less annexes and submission
    let question_sheets =
        book.sheets.iter().filter(|(_, _, c)| c.get(&(0, 2)) == Some(&Cell::Text("workbook-key".into()))).count();
    assert_eq!(question_sheets, sections);
    assert_eq!(book.text("qpr", (2, 1)), "AZE");
    assert_eq!(book.text("qpr", (5, 0)), "revision");
    assert_eq!(book.text("qpr", (5, 1)), "3");
    // Data validations: one per drop-down cell, pointing at the lists sheet.
    let archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let names: Vec<String> = archive.file_names().map(|n| n.unwrap().into_owned()).collect();
    let mut archive = archive;
    let mut validations = 0;
    for name in names.iter().filter(|n| n.starts_with("xl/worksheets/sheet")) {
        let mut xml = String::new();
        std::io::Read::read_to_string(&mut archive.by_name(name).unwrap(), &mut xml).unwrap();
        validations += xml.matches("<dataValidation ").count();
        assert!(!xml.contains("<f>"), "no formula in {name}");
    }
    let yes_no = book.question_rows().iter().filter(|(_, _, _, v)| v == "Yes" || v == "No").count();
    assert!(validations >= yes_no, "{validations} validations for {yes_no} yes/no answers");
}

fn answer(document: &qpr_domain::ReportDocument, id: &str) -> Value {
    serde_json::to_value(document).unwrap()["answers"][id].clone()
}

#[test]
fn changed_cells_new_rows_and_linked_partners_come_back_as_form_posts() {
    let document = seed();
    let bytes = report_workbook(framework(), &document, 1, words(Lang::En)).unwrap();
    let mut book = Book::read(&bytes);
    let rows = book.question_rows();
    // A yes/no answered Yes becomes No.
    let (sheet, row, key, _) =
        rows.iter().find(|(_, _, k, v)| v == "Yes" && k.starts_with("a.") && !k.contains('=')).unwrap().clone();
    book.set(&sheet, (row, 1), Cell::Text("No".into()));
    let yes_no = key.strip_prefix("a.").unwrap().to_owned();
    assert_eq!(answer(&document, &yes_no), Value::Bool(true));
    // A percentage typed as a number.
    let (sheet, row, key, _) = rows.iter().find(|(_, _, k, _)| k.ends_with(".percent")).unwrap().clone();
    book.set(&sheet, (row, 1), Cell::Number(12.5));
    let percent = key.strip_prefix("a.").unwrap().strip_suffix(".percent").unwrap().to_owned();
    // A box checked.
    let (sheet, row, key, _) =
        rows.iter().find(|(_, _, k, v)| k.starts_with("a.") && k.contains('=') && v.is_empty()).unwrap().clone();
    book.set(&sheet, (row, 1), Cell::Text("yes".into()));
    // `a.<question>` or `a.<question>.<group>` (checkboxes under group headers).
    let checked: Vec<String> = key.split('=').next().unwrap()[2..].split('.').map(str::to_owned).collect();
    let boxes = |document: &qpr_domain::ReportDocument| {
        let value = answer(document, &checked[0]);
        let list = if let Some(group) = checked.get(1) { value[group].clone() } else { value };
        list.as_array().map_or(0, Vec::len)
    };
    let checked_before = boxes(&document);

    // Records: the first measure's title changes, its agencies become three, a new measure is
    // added in the same list with a partner.
    let measures = book.table_with("workbook-record", "workbook-list");
    let first = document.policy_measures.first().unwrap();
    let title_col = (0..40).find(|c| book.text(&measures, (1, *c)) == first.title).unwrap();
    book.set(&measures, (1, title_col), Cell::Text("Renamed offline".into()));
    let first_id = book.text(&measures, (1, 0));
    assert_eq!(first_id, first.id);
    let list = book.text(&measures, (1, 1));
    let new_row = book.rows(&measures);
    book.set(&measures, (new_row, 0), Cell::Text("new-1".into()));
    book.set(&measures, (new_row, 1), Cell::Text(list));
    book.set(&measures, (new_row, title_col), Cell::Text("A measure written offline".into()));
    let partners = book
        .sheets
        .iter()
        .find(|(n, h, c)| {
            !*h && *n != measures
                && c.get(&(0, 0)) == Some(&Cell::Text("workbook-record".into()))
                && n.starts_with(&measures[..measures.len().min(5)])
        })
        .map(|(n, _, _)| n.clone())
        .unwrap();
    let partner_row = book.rows(&partners);
    book.set(&partners, (partner_row, 0), Cell::Text("new-1".into()));
    book.set(&partners, (partner_row, 1), Cell::Text("Partner written offline".into()));

    let upload = open(&book.write(), &Limits::default()).unwrap();
    let filled = read_report(framework(), &document, &upload, lookup).unwrap();
    let new = &filled.document;
    assert_eq!(answer(new, &yes_no), Value::Bool(false));
    assert_eq!(answer(new, &percent)["percent"], serde_json::json!(12.5));
    assert_eq!(boxes(new), checked_before + 1);
    assert_eq!(new.policy_measures.len(), document.policy_measures.len() + 1);
    let renamed = new.policy_measures.iter().find(|m| m.id == first.id).unwrap();
    assert_eq!(renamed.title, "Renamed offline");
    let added = new.policy_measures.iter().find(|m| m.title == "A measure written offline").unwrap();
    assert_ne!(added.id, "new-1", "a new record gets an id from the engine");
    let added_json = serde_json::to_value(added).unwrap();
    let first_json = serde_json::to_value(first).unwrap();
    assert_eq!(added_json["area"], first_json["area"], "added to the row's list");
    let partner_rows = added_json["partners"].as_array().unwrap_or_else(|| panic!("{added_json:#}"));
    assert_eq!(partner_rows.len(), 1);
    assert!(partner_rows[0].as_object().unwrap().values().any(|v| v == "Partner written offline"), "{partner_rows:?}");
    // Every other measure is untouched.
    for measure in &document.policy_measures[1..] {
        assert!(new.policy_measures.iter().any(|m| m == measure), "{} changed", measure.id);
    }
    // The preview says each change by field, old → new.
    let said = |before: &str, after: &str| filled.changes.iter().any(|c| c.before == before && c.after == after);
    assert!(said("Yes", "No"), "{:#?}", filled.changes);
    assert!(said(&first.title, "Renamed offline"), "{:#?}", filled.changes);
    assert!(said("", "A measure written offline"), "{:#?}", filled.changes);
    assert!(said("", "Partner written offline"), "{:#?}", filled.changes);
    assert!(filled.changes.iter().all(|c| c.before != c.after));
    assert!(!filled.units.is_empty());
}

#[test]
fn a_cso_form_comes_back_through_its_own_workbook() {
    use qpr_editor::CsoSubmission;
    let framework = framework();
    let empty = CsoSubmission::default();
    let bytes = qpr_workbook::cso_workbook(framework, &empty, ("AZE", 2022, 5), words(Lang::En)).unwrap();
    let mut book = Book::read(&bytes);
    let upload = open(&bytes, &Limits::default()).unwrap();
    assert!(upload.expect_cso("AZE", 2022, &framework.id, 5).is_ok());
    assert!(upload.expect_cso("AZE", 2022, &framework.id, 6).is_err(), "another invitation's");
    assert!(upload.report_revision("AZE", 2022, &framework.id).is_err(), "not a report's workbook");
    let (sheet, row, key, _) = book
        .question_rows()
        .into_iter()
        .find(|(_, _, k, _)| k.starts_with("a.") && !k.contains('=') && !k.contains("email"))
        .unwrap();
    book.set(&sheet, (row, 1), Cell::Text("Filled offline".into()));
    let measures = book.table_with("workbook-record", "workbook-list");
    let upload = open(&book.write(), &Limits::default()).unwrap();
    let filled = qpr_workbook::read_cso(framework, &empty, &upload, lookup).unwrap();
    let id = key.strip_prefix("a.").unwrap();
    assert_eq!(filled.document.answers[id], Value::String("Filled offline".into()));
    assert_eq!(filled.changes.len(), 1, "{:#?}", filled.changes);
    assert!(!measures.is_empty());
}

/// Issue 15: an “Other (please specify)” answer of a group of checkboxes and of a table's
/// drop-down goes out as the entry chosen with the text beside it (a row of its own for a
/// group, a column of its own for a table), comes back unchanged in either language, and one
/// filled offline comes back as the answer, stored in place of the entry as the page stores it.
#[test]
fn other_please_specify_of_groups_and_tables_round_trips() {
    let mut document = seed();
    let education = document.answers.get_mut("g1_ccs_education_training").unwrap();
    education["tvet"].as_array_mut().unwrap().push(Value::String("Puppetry".into()));
    for lang in [Lang::En, Lang::Fr] {
        let bytes = report_workbook(framework(), &document, 1, words(lang)).unwrap();
        let filled = read_report(framework(), &document, &open(&bytes, &Limits::default()).unwrap(), lookup).unwrap();
        assert_eq!(filled.changes, [], "{lang:?}");
        assert!(filled.document == document, "{lang:?}: the document changed");
    }
    let bytes = report_workbook(framework(), &document, 1, words(Lang::En)).unwrap();
    let mut book = Book::read(&bytes);
    let rows = book.question_rows();
    let row = |key: &str| {
        rows.iter().find(|(_, _, k, _)| k == key).cloned().unwrap_or_else(|| panic!("no row {key}: {rows:#?}"))
    };
    let tvet = "a.g1_ccs_education_training.tvet";
    let tertiary = "a.g1_ccs_education_training.tertiary";
    assert_eq!(row(&format!("{tvet}=Other (please specify)")).3, "Yes");
    assert_eq!(row(&format!("{tvet}.other")).3, "Puppetry");
    assert_eq!(row(&format!("{tertiary}.other")).3, "");
    // Offline: the tertiary group's “Other” checked and said.
    let (sheet, r, _, _) = row(&format!("{tertiary}=Other (please specify)"));
    book.set(&sheet, (r, 1), Cell::Text("Yes".into()));
    let (sheet, r, _, _) = row(&format!("{tertiary}.other"));
    book.set(&sheet, (r, 1), Cell::Text("Heritage studies".into()));
    // The stakeholders: the drop-down, then a column for the text beside “Other”.
    let other_header = "Organization type – editor-other-specify";
    let table = book.table_with("Organization type", other_header);
    let column = |header: &str| (0..10).find(|c| book.text(&table, (0, *c)) == header).unwrap();
    let (kind, other, name) = (column("Organization type"), column(other_header), column("Organization"));
    assert_eq!(other, kind + 1, "the text is beside its drop-down");
    assert_eq!(book.text(&table, (1, kind)), "Public Sector");
    assert_eq!(book.text(&table, (1, other)), "");
    book.set(&table, (1, kind), Cell::Text("Other (please specify)".into()));
    book.set(&table, (1, other), Cell::Text("Government agency".into()));
    book.set(&table, (2, kind), Cell::Text("Other (please specify)".into()));
    book.set(&table, (2, other), Cell::Text("Think tank".into()));
    book.set(&table, (2, name), Cell::Text("Baku Policy Institute".into()));

    let upload = open(&book.write(), &Limits::default()).unwrap();
    let filled = read_report(framework(), &document, &upload, lookup).unwrap();
    let new = &filled.document;
    assert_eq!(
        answer(new, "g1_ccs_education_training")["tertiary"].as_array().unwrap().last(),
        Some(&Value::String("Heritage studies".into()))
    );
    assert_eq!(
        answer(new, "g1_ccs_education_training")["tvet"],
        answer(&document, "g1_ccs_education_training")["tvet"]
    );
    let stakeholders = answer(new, "gi_stakeholders");
    assert_eq!(stakeholders[0]["organization_type"], "Government agency");
    assert_eq!(stakeholders[0]["organization"], answer(&document, "gi_stakeholders")[0]["organization"]);
    assert_eq!(stakeholders[1]["organization_type"], "Think tank");
    assert_eq!(stakeholders[1]["organization"], "Baku Policy Institute");
    let said = |after: &str| filled.changes.iter().any(|c| c.after == after);
    assert!(said("Government agency") && said("Think tank") && said("Heritage studies"), "{:#?}", filled.changes);

    // “Other” chosen with nothing said beside it is refused, at its cell.
    let mut book = Book::read(&bytes);
    book.set(&table, (1, kind), Cell::Text("Other (please specify)".into()));
    let problems =
        read_report(framework(), &document, &open(&book.write(), &Limits::default()).unwrap(), lookup).unwrap_err();
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert_eq!(problems[0].sheet, table);
}
