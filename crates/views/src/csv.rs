//! CSV written by the site (the measure downloads): one writer, so every cell is quoted and
//! neutralized the same way.
//!
//! A spreadsheet opening a CSV file runs a cell that starts with `=`, `+`, `-` or `@` as a
//! formula (and some strip a leading tab or carriage return first): a measure titled
//! `=HYPERLINK("http://…","…")` would become a live link or worse in the reader's spreadsheet.
//! As OWASP recommends ("CSV Injection"), such a cell is written with a leading apostrophe
//! (`'=HYPERLINK(…)`), which spreadsheets show as text. The rule is applied to every cell,
//! numbers included: a negative amount `-5` is written `'-5`. None of the numeric columns of
//! the downloads (years, goals, USD amounts, revisions) is negative in practice, and one rule
//! for every cell is easier to trust than a list of exceptions.

use std::borrow::Cow;
use std::fmt::Write as _;

/// The characters that make a spreadsheet read a cell as a formula when they start it.
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// A cell's text as written: with a leading `'` when it would otherwise start a formula.
pub fn neutralize(cell: &str) -> Cow<'_, str> {
    if cell.starts_with(FORMULA_STARTS) { Cow::Owned(format!("'{cell}")) } else { Cow::Borrowed(cell) }
}

/// Appends one CSV row: each cell neutralized (see [`neutralize`]), then quoted as RFC 4180
/// says when it holds a comma, a quote or a line break; lines end with CRLF.
pub fn push_row<S: AsRef<str>>(out: &mut String, cells: impl IntoIterator<Item = S>) {
    for (i, cell) in cells.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let cell = neutralize(cell.as_ref());
        if cell.contains([',', '"', '\n', '\r']) {
            let _ = write!(out, "\"{}\"", cell.replace('"', "\"\""));
        } else {
            out.push_str(&cell);
        }
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(cells: &[&str]) -> String {
        let mut out = String::new();
        push_row(&mut out, cells);
        out
    }

    #[test]
    fn cells_that_would_start_a_formula_get_an_apostrophe() {
        assert_eq!(row(&["=1+1", "+1", "-1+2", "@SUM(A1)", "\tX"]), "'=1+1,'+1,'-1+2,'@SUM(A1),'\tX\r\n");
        assert_eq!(row(&["\rX"]), "\"'\rX\"\r\n", "a carriage return still makes the cell quoted");
        assert_eq!(row(&[r#"=HYPERLINK("http://x","y")"#]), "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"\r\n");
        assert_eq!(row(&["-5", "2022", "1.5"]), "'-5,2022,1.5\r\n", "numbers too: one rule for every cell");
    }

    #[test]
    fn other_cells_are_written_as_they_are_and_quoted_as_rfc_4180_says() {
        assert_eq!(row(&["plain", "", "a, b", "say \"hi\"", "two\nlines", "x=1", " =1"]), {
            "plain,,\"a, b\",\"say \"\"hi\"\"\",\"two\nlines\",x=1, =1\r\n"
        });
        assert_eq!(neutralize("'already"), "'already");
    }
}
