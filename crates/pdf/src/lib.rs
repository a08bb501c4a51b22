//! A report as a PDF: the blocks of the report page (`qpr_views::report::blocks`, the
//! published order and labels) typeset by typst, used as a library.
//!
//! Boundary: no HTTP, no database, no file or network access. `qpr-web` builds the view model
//! and the interface words (from its Fluent files), calls [`render`] off the async runtime and
//! serves the bytes. The typst source of the layout is `report.typ`, compiled in; the report
//! reaches it as *data* (a JSON file of the in-memory world, read with typst's `json`), never
//! as markup, so no report text is ever parsed as typst: a `#`, `$`, `*`, `]`, `\` or `<` in
//! an answer comes out as written.
//!
//! The fonts are typst's bundled ones (`typst-assets`: Libertinus Serif, New Computer Modern,
//! `DejaVu` Sans Mono), embedded (subset) in every PDF. They cover Latin with its extensions
//! (Azerbaijani ə, Turkish ı, Vietnamese), Greek and Cyrillic; a character none of them has
//! is a warning in the log naming it (and listed in [`Rendered::missing`]), never a silent box.

mod world;

use qpr_domain::text::Lang;
use qpr_views::report::{Block, Field, Record, Shown, TocEntry};
use serde::Serialize;

/// The interface's words in the PDF, in the report's language (the caller's translations).
#[derive(Debug, Clone)]
pub struct Words {
    /// Heading of the table of contents (`Contents`).
    pub contents: String,
    /// The footer, with `{page}` and `{pages}` where the page's number and the count go
    /// (`Page {page} of {pages}`).
    pub page: String,
}

/// The signature block: who signed and when, as sentences.
#[derive(Debug, Clone)]
pub struct SignatureBlock {
    /// Its heading.
    pub heading: String,
    /// Its lines (who signed, when, which document).
    pub lines: Vec<String>,
}

/// Everything a report's PDF shows.
#[derive(Debug, Clone, Copy)]
pub struct PdfReport<'a> {
    /// The document's title (the PDF's metadata and the first page): `Azerbaijan 2022`.
    pub title: &'a str,
    /// The form's title, above the report's on the first page.
    pub form_title: &'a str,
    /// The Party and year, in every page's header.
    pub header: &'a str,
    /// The report's language (labels and the PDF's language).
    pub lang: Lang,
    /// The report page's blocks, in the published order.
    pub blocks: &'a [Block],
    /// The table of contents.
    pub toc: &'a [TocEntry],
    /// The signature block, when the report was signed on the platform.
    pub signature: Option<&'a SignatureBlock>,
    /// A word written across every page (`Draft`), for a report that is not published.
    pub watermark: Option<&'a str>,
    /// The interface's words.
    pub words: &'a Words,
}

/// A PDF and what it could not show.
#[derive(Debug, Clone)]
pub struct Rendered {
    /// The PDF file.
    pub bytes: Vec<u8>,
    /// Characters of the report that no bundled font has (each logged as a warning).
    pub missing: Vec<char>,
}

/// Why a PDF could not be made.
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    /// The layout did not compile (a bug of `report.typ` or of the data given to it).
    #[error("typesetting the report failed: {0}")]
    Typeset(String),
    /// The PDF writer refused the document.
    #[error("writing the PDF failed: {0}")]
    Write(String),
    /// The report could not be handed to the layout.
    #[error("preparing the report's data failed: {0}")]
    Data(String),
}

impl PdfError {
    /// A stable code for logs.
    pub fn code(&self) -> &'static str {
        match self {
            PdfError::Typeset(_) => "pdf_typeset",
            PdfError::Write(_) => "pdf_write",
            PdfError::Data(_) => "pdf_data",
        }
    }
}

/// Typesets a report. CPU-bound (about as long as the report is): call it off the async
/// runtime (`spawn_blocking`).
pub fn render(report: &PdfReport<'_>) -> Result<Rendered, PdfError> {
    let data = Data::of(report);
    let missing = world::missing_characters(data.texts());
    for c in &missing {
        tracing::warn!(
            character = %c,
            code_point = %format_args!("U+{:04X}", u32::from(*c)),
            "No bundled font has the character {c:?} (U+{:04X}) of the report {}; the PDF shows it as a blank box",
            u32::from(*c),
            report.title
        );
    }
    let json = serde_json::to_vec(&data).map_err(|e| PdfError::Data(e.to_string()))?;
    let bytes = world::typeset(json)?;
    Ok(Rendered { bytes, missing })
}

/// What `report.typ` reads (`/report.json`).
#[derive(Debug, Serialize)]
struct Data<'a> {
    title: &'a str,
    form_title: &'a str,
    header: &'a str,
    lang: &'static str,
    watermark: Option<&'a str>,
    words: DataWords<'a>,
    toc: Vec<DataToc<'a>>,
    blocks: Vec<DataBlock<'a>>,
    signature: Option<DataSignature<'a>>,
}

#[derive(Debug, Serialize)]
struct DataWords<'a> {
    contents: &'a str,
    page: &'a str,
}

#[derive(Debug, Serialize)]
struct DataToc<'a> {
    id: &'a str,
    text: &'a str,
    level: u8,
}

#[derive(Debug, Serialize)]
struct DataSignature<'a> {
    heading: &'a str,
    lines: &'a [String],
}

#[derive(Debug, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
enum DataBlock<'a> {
    Heading { id: &'a str, text: &'a str, level: u8 },
    Subheading { text: &'a str },
    Field(DataField<'a>),
    Records { label: &'a str, records: Vec<DataRecord<'a>>, level: u8 },
}

#[derive(Debug, Serialize)]
struct DataField<'a> {
    label: &'a str,
    value: Option<DataValue<'a>>,
}

#[derive(Debug, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum DataValue<'a> {
    Dash,
    Lines { items: &'a [String] },
    Paragraphs { items: &'a [String] },
    Groups { groups: Vec<DataGroup<'a>> },
    Table { header: &'a [String], rows: &'a [Vec<String>] },
}

#[derive(Debug, Serialize)]
struct DataGroup<'a> {
    label: &'a str,
    items: &'a [String],
}

#[derive(Debug, Serialize)]
struct DataRecord<'a> {
    title: &'a str,
    fields: Vec<DataField<'a>>,
    partners_label: &'a str,
    name_label: &'a str,
    type_label: &'a str,
    partners: Vec<[&'a str; 2]>,
}

impl<'a> Data<'a> {
    fn of(report: &PdfReport<'a>) -> Data<'a> {
        let mut blocks = Vec::with_capacity(report.blocks.len());
        // PDF headings: goals and top sections at level 1, areas of a goal at 2 (the page's
        // h2 and h3), measures one level below their section.
        let mut section_level = 1;
        for block in report.blocks {
            match block {
                Block::Goal { id, heading } => {
                    section_level = 1;
                    blocks.push(DataBlock::Heading { id, text: heading, level: 1 });
                }
                Block::Section { id, heading, subheading, level } => {
                    section_level = level.saturating_sub(1).max(1);
                    blocks.push(DataBlock::Heading { id, text: heading, level: section_level });
                    if let Some(text) = subheading {
                        blocks.push(DataBlock::Subheading { text });
                    }
                }
                Block::Field(field) => blocks.push(DataBlock::Field(data_field(field))),
                Block::Records { label, records, .. } => blocks.push(DataBlock::Records {
                    label,
                    records: records.iter().map(data_record).collect(),
                    level: section_level + 1,
                }),
            }
        }
        Data {
            title: report.title,
            form_title: report.form_title,
            header: report.header,
            lang: report.lang.tag(),
            watermark: report.watermark,
            words: DataWords { contents: &report.words.contents, page: &report.words.page },
            toc: report.toc.iter().map(|e| DataToc { id: &e.id, text: &e.text, level: e.level }).collect(),
            blocks,
            signature: report.signature.map(|s| DataSignature { heading: &s.heading, lines: &s.lines }),
        }
    }

    /// Every text the PDF shows, for the font check.
    fn texts(&self) -> Vec<&'a str> {
        let mut texts = vec![self.title, self.form_title, self.header, self.words.contents, self.words.page];
        texts.extend(self.watermark);
        texts.extend(self.toc.iter().map(|e| e.text));
        let field_texts = |field: &DataField<'a>, texts: &mut Vec<&'a str>| {
            texts.push(field.label);
            match &field.value {
                None | Some(DataValue::Dash) => {}
                Some(DataValue::Lines { items } | DataValue::Paragraphs { items }) => {
                    texts.extend(items.iter().map(String::as_str));
                }
                Some(DataValue::Groups { groups }) => {
                    for group in groups {
                        texts.push(group.label);
                        texts.extend(group.items.iter().map(String::as_str));
                    }
                }
                Some(DataValue::Table { header, rows }) => {
                    texts.extend(header.iter().map(String::as_str));
                    texts.extend(rows.iter().flatten().map(String::as_str));
                }
            }
        };
        for block in &self.blocks {
            match block {
                DataBlock::Heading { text, .. } | DataBlock::Subheading { text } => texts.push(text),
                DataBlock::Field(field) => field_texts(field, &mut texts),
                DataBlock::Records { label, records, .. } => {
                    texts.push(label);
                    for record in records {
                        texts.extend([record.title, record.partners_label, record.name_label, record.type_label]);
                        for field in &record.fields {
                            field_texts(field, &mut texts);
                        }
                        texts.extend(record.partners.iter().flatten());
                    }
                }
            }
        }
        if let Some(signature) = &self.signature {
            texts.push(signature.heading);
            texts.extend(signature.lines.iter().map(String::as_str));
        }
        texts
    }
}

fn data_field(field: &Field) -> DataField<'_> {
    let value = field.value.as_ref().map(|value| match value {
        Shown::Dash => DataValue::Dash,
        Shown::Lines(items) => DataValue::Lines { items },
        Shown::Paragraphs(items) => DataValue::Paragraphs { items },
        Shown::Groups(groups) => {
            DataValue::Groups { groups: groups.iter().map(|(label, items)| DataGroup { label, items }).collect() }
        }
        Shown::Table { header, rows } => DataValue::Table { header, rows },
    });
    DataField { label: &field.label, value }
}

fn data_record(record: &Record) -> DataRecord<'_> {
    let (partners_label, name_label, type_label) = &record.partner_labels;
    DataRecord {
        title: &record.title,
        fields: record.fields.iter().map(data_field).collect(),
        partners_label,
        name_label,
        type_label,
        partners: record.partners.iter().map(|(name, kind)| [name.as_str(), kind.as_str()]).collect(),
    }
}

#[cfg(test)]
mod tests {
    /// The boundary: typesetting knows no HTTP, no database and no workflow.
    #[test]
    fn the_pdf_crate_depends_on_no_http_or_storage_crate() {
        let names = qpr_test_support::manifest_dependencies(include_str!("../Cargo.toml"));
        assert!(names.contains(&"typst"), "{names:?}");
        for crate_name in
            ["axum", "http", "hyper", "askama", "tower", "qpr-web", "qpr-workflow", "qpr-store", "reqwest"]
        {
            assert!(!names.contains(&crate_name), "qpr-pdf depends on {crate_name}: {names:?}");
        }
    }
}
