//! Import of published reports: the text a browser shows of a published QPR page (or the
//! page's HTML) becomes a [`ReportDocument`].
//!
//! Boundary: pure functions from text to document; no I/O. The form's labels, headings and
//! record types come from the [`Framework`], so nothing here is specific to one report.
//! Nothing is dropped silently: every line that is not page chrome lands in a field of the
//! document or in its `warnings`, with its line number.
//!
//! # Speed
//!
//! The target is 50 MB/s per core on every layout (issue 14; figures in `BENCHMARKS.md`).
//! On the shared development machine wall-clock benchmarks vary by 2× from run to run, so
//! changes are measured in instructions (`examples/count.rs` under callgrind). What made the
//! small pages and the measures lists cheaper (instructions per byte, 2026-12-07: 600-row
//! measures list 199 → 91, 15-row list 145 → 68, 866-byte measure page 126 → 76, 2020 report
//! through `PageImporter` 51 → 37):
//! - Line keys: every line's keys are normalized into one buffer per page
//!   (`history::LineKeys`, ranges per line; was two `String`s per line), with
//!   `normalize_loose_into`, which copies and lowercases plain ASCII (single spaces, no `/`)
//!   at once and checks for it without branching per byte. Allocation was a third of a
//!   list's time.
//! - Layout detection: one map look-up per key scores both measure kinds of a form; the
//!   earlier forms' title patterns compare ASCII without allocating; an earlier form's
//!   report page is split into lines once, not twice.
//! - Measures lists: option words are looked up in maps built once per form (ASCII case
//!   folded, the first option spelled so wins, as the linear scan did), each list's map once
//!   a row; a row's words and keys go to buffers reused from row to row; room for the
//!   measures is reserved; `MeasureKind::measure_id` writes its digits without `format!`.

mod history;
mod html;
mod lines;
mod merge;
mod parser;
mod values;

use qpr_domain::{Framework, ReportDocument};

pub use history::Hints;
pub use html::{html_to_text, looks_like_html};
pub use merge::{FROM_MEASURE_PAGE, Merge, merge};

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
    /// The page does not show something a document needs, and it was not given.
    #[error("the page does not show {what}")]
    Missing {
        /// What is missing and how to give it.
        what: String,
    },
}

impl ImportError {
    /// A stable, machine-readable code for the error.
    pub fn code(&self) -> &'static str {
        match self {
            ImportError::NotAReport { .. } => "not_a_report",
            ImportError::LabelsRemoved { .. } => "labels_removed",
            ImportError::NoYear => "no_year",
            ImportError::Missing { .. } => "missing",
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

/// Which layout a page was read as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageKind {
    /// A report page; the document's `framework` says of which form.
    Report,
    /// A measure page of the Policy Monitoring Platform: a document holding that one measure.
    MeasurePage,
}

/// Imports pages of every built-in form version and layout: 2020 report pages (English,
/// French or Spanish site, labels of either language), 2016–2019 and 2012 report pages, and
/// measure pages of the Policy Monitoring Platform. Building it reads every form's labels once.
pub struct PageImporter {
    current: Importer<'static>,
    earlier: Vec<history::LabelIndex<'static>>,
    measure_forms: Vec<history::LabelIndex<'static>>,
}

impl Default for PageImporter {
    fn default() -> Self {
        PageImporter::new()
    }
}

impl PageImporter {
    /// An importer for the built-in form versions.
    pub fn new() -> PageImporter {
        let [v2012, v2016, v2020] = Framework::builtin_versions();
        PageImporter {
            current: Importer::new(v2020),
            earlier: vec![history::LabelIndex::new(v2016), history::LabelIndex::new(v2012)],
            measure_forms: vec![
                history::LabelIndex::new(v2020),
                history::LabelIndex::new(v2016),
                history::LabelIndex::new(v2012),
            ],
        }
    }

    /// Imports a page of any known layout (text or HTML). `hints` give what a page may not
    /// show (the Party of a measure page, the year of a 2012 page); what the page shows wins.
    pub fn import(&self, input: &str, hints: &Hints) -> Result<(PageKind, ReportDocument), ImportError> {
        if looks_like_html(input) {
            self.import_text(&html_to_text(input), hints)
        } else {
            self.import_text(input, hints)
        }
    }

    fn import_text(&self, text: &str, hints: &Hints) -> Result<(PageKind, ReportDocument), ImportError> {
        let mut lines = lines::split(text);
        // The 2020 form's reader splits the text again and takes its messages itself.
        let site_messages = lines::take_site_messages(&mut lines);
        for index in &self.earlier {
            if history::report_title_matches(index.framework, &lines) {
                return history::read_report(index, &lines, site_messages, hints).map(|d| (PageKind::Report, d));
            }
        }
        // A 2020 report page shows the form's title or its section headings; a measure page
        // neither.
        let Some(keys) = self.measure_forms[0].keys_unless_report_page(&lines) else {
            return self.current.import(text).map(|d| (PageKind::Report, d));
        };
        // A measure page: the form whose measure labels it shows most, the cycle of its year
        // (shown or given) breaking a tie.
        let scores: Vec<usize> = self
            .measure_forms
            .iter()
            .map(|index| {
                let [policy, cso] = index.measure_scores(&keys);
                policy.max(cso)
            })
            .collect();
        // No measure form at all scores 0: the page is read as a report.
        let best = scores.iter().copied().max().unwrap_or(0);
        if best == 0 {
            return self.current.import(text).map(|d| (PageKind::Report, d));
        }
        let tied: Vec<usize> = (0..scores.len()).filter(|&i| scores[i] == best).collect();
        let pick =
            |index: &history::LabelIndex<'static>, hints: &Hints| history::read_measure(index, &lines, &keys, hints);
        let chosen = if tied.len() == 1 {
            tied[0]
        } else {
            // Read with the first; its year (shown or given) names the cycle.
            // A first reading that fails names no year; the chosen form's reading reports why.
            let year = pick(&self.measure_forms[tied[0]], hints).ok().map(|d| d.year).or(hints.year);
            let cycle = year.map(|y| Framework::builtin_for_year(y).id.as_str());
            tied.iter()
                .copied()
                .find(|&i| Some(self.measure_forms[i].framework.id.as_str()) == cycle)
                .unwrap_or(tied[0])
        };
        pick(&self.measure_forms[chosen], hints).map(|mut d| {
            d.warnings.extend(site_messages);
            d.warnings.sort_by_key(|w| w.line);
            (PageKind::MeasurePage, d)
        })
    }
}

/// Imports one published report page (see [`Importer::import`]).
pub fn import_published(framework: &Framework, input: &str) -> Result<ReportDocument, ImportError> {
    Importer::new(framework).import(input)
}
