//! Import of published reports: the text a browser shows of a published QPR page (or the
//! page's HTML) becomes a [`ReportDocument`].
//!
//! Boundary: pure functions from text to document; no I/O. The form's labels, headings and
//! record types come from the [`Framework`], so nothing here is specific to one report.
//! Nothing is dropped silently: every line that is not page chrome lands in a field of the
//! document or in its `warnings`, with its line number.

mod html;
mod lines;
mod parser;
mod values;

use qpr_domain::{Framework, ReportDocument};

pub use html::{html_to_text, looks_like_html};

/// Why an input could not be imported at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    /// Nothing in the input is a question of the form.
    #[error("this is not a published periodic report: {reason}")]
    NotAReport {
        /// What was looked for.
        reason: String,
    },
    /// The page shows the form's headings but not one of its labels: a copy with its labels
    /// removed, whose answers cannot be told apart.
    #[error(
        "this page copy has its labels removed: it has the headings of form `{framework}` and {text_lines} lines of text under them, but not one question's label, so no answer can be told from the next; import a copy of the page with its labels"
    )]
    LabelsRemoved {
        /// How many lines of text follow the headings.
        text_lines: usize,
        /// The form whose headings they are.
        framework: String,
    },
    /// The report's year is nowhere to be found.
    #[error(
        "the report's year was not found (looked for `<Party> <year>` under the page title, the date of submission and the publication stamp)"
    )]
    NoYear,
}

impl ImportError {
    /// A stable, machine-readable code for the error.
    pub fn code(&self) -> &'static str {
        match self {
            ImportError::NotAReport { .. } => "not_a_report",
            ImportError::LabelsRemoved { .. } => "labels_removed",
            ImportError::NoYear => "no_year",
        }
    }
}

/// Imports published report pages answering one framework. Building it reads the form's
/// labels and headings once; each [`Importer::import`] then only reads the page.
pub struct Importer<'f> {
    form: parser::FormIndex<'f>,
}

impl<'f> Importer<'f> {
    /// An importer for pages of this framework.
    pub fn new(framework: &'f Framework) -> Importer<'f> {
        Importer { form: parser::FormIndex::new(framework) }
    }

    /// Imports a published report page, given as page text or as HTML (detected).
    ///
    /// Line numbers in warnings refer to the text; for HTML input, to the text of the page as
    /// [`html_to_text`] gives it.
    pub fn import(&self, input: &str) -> Result<ReportDocument, ImportError> {
        if looks_like_html(input) {
            let text = html_to_text(input);
            parser::Parser::new(&self.form, &text).parse()
        } else {
            parser::Parser::new(&self.form, input).parse()
        }
    }
}

/// Imports one published report page (see [`Importer::import`]).
pub fn import_published(framework: &Framework, input: &str) -> Result<ReportDocument, ImportError> {
    Importer::new(framework).import(input)
}
