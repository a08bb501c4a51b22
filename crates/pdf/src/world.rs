//! The smallest typst `World` that typesets a report: two files in memory (the layout,
//! `report.typ`, and the report's data, `report.json`), the bundled fonts, no clock, and no
//! file system, package or network access (every other path is "not found"), so nothing is
//! read or downloaded at run time.

use std::collections::BTreeSet;
use std::sync::LazyLock;

use typst::diag::{EcoVec, FileError, FileResult, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_layout::PagedDocument;

use crate::PdfError;

/// The layout of a report's PDF.
const LAYOUT: &str = include_str!("report.typ");

/// The standard library and the bundled fonts, loaded once per process.
struct Shared {
    library: LazyHash<Library>,
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
    main: FileId,
    data: FileId,
    layout: Source,
}

static SHARED: LazyLock<Shared> = LazyLock::new(|| {
    let fonts: Vec<Font> = typst_assets::fonts().flat_map(|data| Font::iter(Bytes::new(data))).collect();
    let path =
        |name: &str| VirtualPath::new(name).map(|vpath| RootedPath::new(VirtualRoot::Project, vpath).intern()).ok();
    // Both paths are constant and valid; `FileId::new` interns them once per process.
    let (main, data) = match (path("/report.typ"), path("/report.json")) {
        (Some(main), Some(data)) => (main, data),
        _ => unreachable!("constant virtual paths are valid"),
    };
    Shared {
        library: LazyHash::new(Library::default()),
        book: LazyHash::new(FontBook::from_fonts(&fonts)),
        fonts,
        main,
        data,
        layout: Source::new(main, LAYOUT.to_owned()),
    }
});

/// One report's world: the shared parts and its data.
struct ReportWorld {
    shared: &'static Shared,
    data: Bytes,
}

impl World for ReportWorld {
    fn library(&self) -> &LazyHash<Library> {
        &self.shared.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &self.shared.book
    }

    fn main(&self) -> FileId {
        self.shared.main
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.shared.main { Ok(self.shared.layout.clone()) } else { Err(not_found(id)) }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.shared.data {
            Ok(self.data.clone())
        } else if id == self.shared.main {
            Ok(Bytes::from_string(LAYOUT))
        } else {
            Err(not_found(id))
        }
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.shared.fonts.get(index).cloned()
    }

    /// No clock: the layout shows no date of its own (a date in the report is its text).
    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        None
    }
}

fn not_found(id: FileId) -> FileError {
    FileError::NotFound(id.vpath().get_without_slash().into())
}

/// Compiles the layout over `json` and writes the PDF (tagged, with the outline typst makes
/// from the headings).
pub(crate) fn typeset(json: Vec<u8>) -> Result<Vec<u8>, PdfError> {
    let world = ReportWorld { shared: &SHARED, data: Bytes::new(json) };
    let warned = typst::compile::<PagedDocument>(&world);
    for warning in &warned.warnings {
        tracing::warn!("Typesetting a report: {}", describe(warning));
    }
    let document =
        warned.output.map_err(|errors: EcoVec<SourceDiagnostic>| PdfError::Typeset(describe_all(&errors)))?;
    let options = typst_pdf::PdfOptions { tagged: true, ..typst_pdf::PdfOptions::default() };
    let pdf = typst_pdf::pdf(&document, &options)
        .map_err(|errors: EcoVec<SourceDiagnostic>| PdfError::Write(describe_all(&errors)));
    // The memoized results of this compilation are of no use to another report's: drop
    // those not used in the last few compilations, so memory does not grow with reports.
    typst::comemo::evict(4);
    pdf
}

fn describe(diagnostic: &SourceDiagnostic) -> String {
    let hints: Vec<&str> = diagnostic.hints.iter().map(|h| h.v.as_str()).collect();
    if hints.is_empty() {
        diagnostic.message.to_string()
    } else {
        format!("{} ({})", diagnostic.message, hints.join("; "))
    }
}

fn describe_all(diagnostics: &[SourceDiagnostic]) -> String {
    diagnostics.iter().map(describe).collect::<Vec<_>>().join("; ")
}

/// The characters of `texts` that no bundled font has (whitespace and control characters
/// aside, which are not drawn).
pub(crate) fn missing_characters<'a>(texts: impl IntoIterator<Item = &'a str>) -> Vec<char> {
    let used: BTreeSet<char> =
        texts.into_iter().flat_map(str::chars).filter(|c| !c.is_whitespace() && !c.is_control()).collect();
    let fonts = &SHARED.fonts;
    used.into_iter()
        .filter(|c| !fonts.iter().any(|font| font.info().coverage.contains(u32::from(*c))))
        // Joiners and variation selectors have no glyph of their own.
        .filter(|c| !matches!(u32::from(*c), 0x200B..=0x200F | 0x2060..=0x2064 | 0xFE00..=0xFE0F | 0xFEFF))
        .collect()
}
