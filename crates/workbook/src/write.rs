//! The layout as an XLSX file (`rust_xlsxwriter`).

use std::collections::BTreeMap;

use rust_xlsxwriter::{DataValidation, ExcelDateTime, Format, FormatAlign, Formula, Workbook, Worksheet, XlsxError};

use crate::layout::{Layout, Slot, TableData, TextKind};
use crate::{LISTS_SHEET, META_SHEET, Origin, SheetNames, Texts, cell_ref};

/// Distinct drop-down lists, each a column of the hidden lists sheet.
#[derive(Default)]
struct Lists {
    columns: Vec<Vec<String>>,
    index: BTreeMap<Vec<String>, usize>,
}

impl Lists {
    /// The formula of the list holding `labels`.
    fn formula(&mut self, labels: Vec<String>) -> String {
        let next = self.columns.len();
        let at = *self.index.entry(labels.clone()).or_insert(next);
        if at == next {
            self.columns.push(labels);
        }
        let len = self.columns[at].len().max(1);
        let column = column_letters(at);
        format!("='{LISTS_SHEET}'!${column}$1:${column}${len}")
    }
}

fn column_letters(mut col: usize) -> String {
    let mut letters = Vec::new();
    loop {
        letters.push(char::from(b'A' + u8::try_from(col % 26).unwrap_or(0)));
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    letters.iter().rev().collect()
}

pub(crate) struct Writer<'t> {
    pub texts: &'t Texts,
    lists: Lists,
    bold: Format,
    wrap: Format,
    date: Format,
}

fn row32(row: usize) -> u32 {
    u32::try_from(row).unwrap_or(u32::MAX)
}

fn col16(col: usize) -> u16 {
    u16::try_from(col).unwrap_or(u16::MAX)
}

impl<'t> Writer<'t> {
    pub(crate) fn new(texts: &'t Texts) -> Writer<'t> {
        Writer {
            texts,
            lists: Lists::default(),
            bold: Format::new().set_bold().set_text_wrap().set_align(FormatAlign::Top),
            wrap: Format::new().set_text_wrap().set_align(FormatAlign::Top),
            date: Format::new().set_num_format("yyyy-mm-dd").set_align(FormatAlign::Top),
        }
    }

    /// Writes a slot's value at `row`/`col` with its drop-down.
    fn slot(&mut self, sheet: &mut Worksheet, (row, col): (usize, usize), slot: &Slot) -> Result<(), XlsxError> {
        let (r, c) = (row32(row), col16(col));
        let text = slot.text(&self.texts.yes);
        match slot {
            Slot::Text { kind: TextKind::Number, value, .. } if number_text(value) => {
                if let Ok(number) = value.parse::<f64>() {
                    sheet.write_number_with_format(r, c, number, &self.wrap)?;
                }
            }
            Slot::Text { kind: TextKind::Date, value, .. } if iso_date(value) => {
                let date = ExcelDateTime::parse_from_str(value)?;
                sheet.write_datetime_with_format(r, c, date, &self.date)?;
            }
            _ if text.is_empty() => {
                sheet.write_blank(r, c, &self.wrap)?;
            }
            _ => {
                sheet.write_string_with_format(r, c, text, &self.wrap)?;
            }
        }
        let labels = match slot {
            Slot::Choice { options, .. } => Some(options.iter().map(|(_, label)| label.clone()).collect()),
            Slot::Check { .. } => Some(vec![self.texts.yes.clone(), self.texts.no.clone()]),
            _ => None,
        };
        if let Some(labels) = labels {
            let formula = self.lists.formula(labels);
            let validation = DataValidation::new()
                .allow_list_formula(Formula::new(formula))
                .set_error_title(self.texts.not_in_list_title.clone())?
                .set_error_message(self.texts.not_in_list.clone())?;
            sheet.add_data_validation(r, c, r, c, &validation)?;
        }
        Ok(())
    }

    pub(crate) fn write(mut self, layout: &Layout, origin: &Origin, names: &SheetNames) -> Result<Vec<u8>, XlsxError> {
        let mut book = Workbook::new();
        for (sheet_data, name) in layout.questions.iter().zip(&names.questions) {
            let sheet = book.add_worksheet();
            sheet.set_name(name)?;
            sheet.write_string_with_format(0, 0, &self.texts.question, &self.bold)?;
            sheet.write_string_with_format(0, 1, &self.texts.answer, &self.bold)?;
            sheet.write_string_with_format(0, 2, &self.texts.key, &self.bold)?;
            for (i, row) in sheet_data.rows.iter().enumerate() {
                sheet.write_string_with_format(row32(i + 1), 0, &row.label, &self.wrap)?;
                self.slot(sheet, (i + 1, 1), &row.slot)?;
                sheet.write_string(row32(i + 1), 2, &row.key)?;
            }
            sheet.set_column_width(0, 60)?;
            sheet.set_column_width(1, 60)?;
            sheet.set_column_hidden(2)?;
            sheet.set_freeze_panes(1, 0)?;
        }
        for (table, (name, linked)) in layout.records.iter().zip(&names.records) {
            let sheet = book.add_worksheet();
            sheet.set_name(name)?;
            sheet.write_string_with_format(0, 0, &self.texts.record, &self.bold)?;
            sheet.write_string_with_format(0, 1, &self.texts.list, &self.bold)?;
            for (c, (_, header)) in table.columns.iter().enumerate() {
                sheet.write_string_with_format(0, col16(c + 2), header, &self.bold)?;
                sheet.set_column_width(col16(c + 2), 30)?;
            }
            let list_labels: Vec<String> = table.lists.iter().map(|l| l.label.clone()).collect();
            for (i, row) in table.rows.iter().enumerate() {
                let r = row32(i + 1);
                sheet.write_string(r, 0, &row.id)?;
                let list = table.lists.get(row.list).map_or("", |l| l.label.as_str());
                sheet.write_string_with_format(r, 1, list, &self.wrap)?;
                for (c, (key, _)) in table.columns.iter().enumerate() {
                    if let Some(slot) = row.cells.get(key) {
                        self.slot(sheet, (i + 1, c + 2), slot)?;
                    }
                }
            }
            // Drop-downs for the rows people add (up to the row limit of new records).
            let first = table.rows.len() + 1;
            let last = first + crate::NEW_ROWS - 1;
            let formula = self.lists.formula(list_labels);
            let validation = DataValidation::new()
                .allow_list_formula(Formula::new(formula))
                .set_error_title(self.texts.not_in_list_title.clone())?
                .set_error_message(self.texts.not_in_list.clone())?;
            sheet.add_data_validation(row32(first), 1, row32(last), 1, &validation)?;
            for (c, (key, _)) in table.columns.iter().enumerate() {
                self.blank_rows(sheet, table.template.get(key), (first, last), c + 2)?;
            }
            sheet.set_column_width(1, 30)?;
            sheet.set_freeze_panes(1, 1)?;
            for ((key, _, template), name) in table.tables.iter().zip(linked) {
                let rows: Vec<(String, &BTreeMap<String, Slot>)> = table
                    .rows
                    .iter()
                    .flat_map(|row| {
                        row.tables.get(key).into_iter().flat_map(|data| data.rows.iter().map(|r| (row.id.clone(), r)))
                    })
                    .collect();
                let sheet = book.add_worksheet();
                sheet.set_name(name)?;
                self.table_sheet(sheet, Some(&self.texts.record.clone()), template, &rows)?;
            }
        }
        for (table, name) in layout.tables.iter().zip(&names.tables) {
            let sheet = book.add_worksheet();
            sheet.set_name(name)?;
            let rows: Vec<(String, &BTreeMap<String, Slot>)> =
                table.data.rows.iter().map(|r| (String::new(), r)).collect();
            self.table_sheet(sheet, None, &table.data, &rows)?;
        }
        let lists = book.add_worksheet();
        lists.set_name(LISTS_SHEET)?;
        for (c, column) in self.lists.columns.iter().enumerate() {
            for (r, label) in column.iter().enumerate() {
                lists.write_string(row32(r), col16(c), label)?;
            }
        }
        lists.set_hidden(true);
        let meta = book.add_worksheet();
        meta.set_name(META_SHEET)?;
        for (r, (key, value)) in origin.pairs().iter().enumerate() {
            meta.write_string(row32(r), 0, *key)?;
            meta.write_string(row32(r), 1, value)?;
        }
        meta.set_hidden(true);
        book.save_to_buffer()
    }

    /// Drop-downs and date cells of empty rows below the data.
    fn blank_rows(
        &mut self,
        sheet: &mut Worksheet,
        template: Option<&Slot>,
        (first, last): (usize, usize),
        col: usize,
    ) -> Result<(), XlsxError> {
        let labels = match template {
            Some(Slot::Choice { options, .. }) => options.iter().map(|(_, l)| l.clone()).collect(),
            Some(Slot::Check { .. }) => vec![self.texts.yes.clone(), self.texts.no.clone()],
            _ => return Ok(()),
        };
        let formula = self.lists.formula(labels);
        let validation = DataValidation::new()
            .allow_list_formula(Formula::new(formula))
            .set_error_title(self.texts.not_in_list_title.clone())?
            .set_error_message(self.texts.not_in_list.clone())?;
        sheet.add_data_validation(row32(first), col16(col), row32(last), col16(col), &validation)?;
        Ok(())
    }

    /// A table: (record column,) one column per table column, a row per table row.
    fn table_sheet(
        &mut self,
        sheet: &mut Worksheet,
        record: Option<&str>,
        data: &TableData,
        rows: &[(String, &BTreeMap<String, Slot>)],
    ) -> Result<(), XlsxError> {
        let offset = usize::from(record.is_some());
        if let Some(record) = record {
            sheet.write_string_with_format(0, 0, record, &self.bold)?;
        }
        for (c, (_, header)) in data.columns.iter().enumerate() {
            sheet.write_string_with_format(0, col16(c + offset), header, &self.bold)?;
            sheet.set_column_width(col16(c + offset), 30)?;
        }
        for (i, (id, cells)) in rows.iter().enumerate() {
            if record.is_some() {
                sheet.write_string(row32(i + 1), 0, id)?;
            }
            for (c, (key, _)) in data.columns.iter().enumerate() {
                if let Some(slot) = cells.get(key) {
                    self.slot(sheet, (i + 1, c + offset), slot)?;
                }
            }
        }
        let first = rows.len() + 1;
        for (c, (key, _)) in data.columns.iter().enumerate() {
            if let Some(options) = data.options.get(key) {
                let template = Slot::Choice { name: String::new(), value: String::new(), options: options.clone() };
                self.blank_rows(sheet, Some(&template), (first, first + crate::NEW_ROWS - 1), c + offset)?;
            }
        }
        sheet.set_freeze_panes(1, 0)?;
        let _ = cell_ref;
        Ok(())
    }
}

/// Whether a text reads back as the same text once written as a number.
fn number_text(text: &str) -> bool {
    text.parse::<f64>().is_ok_and(|n| n.is_finite() && crate::read::number_as_text(n) == text)
}

/// `YYYY-MM-DD`.
pub(crate) fn iso_date(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter().enumerate().all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
        && ExcelDateTime::parse_from_str(text).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_lettered_as_spreadsheets_do() {
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(701), "ZZ");
        assert_eq!(column_letters(702), "AAA");
    }

    #[test]
    fn dates_and_numbers_are_written_as_such_only_when_they_read_back_the_same() {
        assert!(iso_date("2022-03-01"));
        assert!(!iso_date("2022-13-01"));
        assert!(!iso_date("1 March 2022"));
        assert!(number_text("37.5"));
        assert!(number_text("2021"));
        assert!(!number_text("3.80"));
        assert!(!number_text("1e3"));
    }
}
