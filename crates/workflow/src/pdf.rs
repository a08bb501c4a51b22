//! Is this file a PDF? Decided by its content, never by its name or by the type the browser
//! claims: a PNG renamed `.pdf` is refused, and so is a PDF cut off in transfer.
//!
//! The check follows the file's structure as a PDF reader does when it opens a file (ISO
//! 32000-1, 7.5): the header `%PDF-x.y`, the end-of-file marker `%%EOF` within the last
//! 1024 bytes, the `startxref` offset before it, and at that offset either a cross-reference
//! table followed by a trailer naming the document's root, or a cross-reference stream
//! (`/Type /XRef`) naming it. Objects are not parsed: a reader that gets this far opens the
//! file, and a parsing library would cost more to build than the check is worth.

/// How far before the end the `%%EOF` marker may be (readers allow trailing garbage there).
const EOF_WINDOW: usize = 1024;
/// How far the beginning of a cross-reference stream's dictionary is searched for its keys.
const XREF_DICTIONARY_WINDOW: usize = 4096;

/// Why a file is not accepted as a PDF.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PdfProblem {
    /// Nothing was sent.
    Empty,
    /// The file does not start with `%PDF-`; what it looks like instead, when recognisable
    /// (the id of a message naming the kind of file).
    NotPdf {
        /// The id of a message naming the kind of file (`annex-kind-…`), when recognisable.
        looks_like: Option<&'static str>,
    },
    /// No `%%EOF` near the end: the file was cut off.
    Truncated,
    /// The cross-reference (the PDF's table of contents) is missing or does not point where
    /// it should.
    Damaged,
}

impl PdfProblem {
    /// A stable, machine-readable code.
    pub fn code(self) -> &'static str {
        match self {
            PdfProblem::Empty => "empty_file",
            PdfProblem::NotPdf { .. } => "not_pdf",
            PdfProblem::Truncated => "pdf_truncated",
            PdfProblem::Damaged => "pdf_damaged",
        }
    }
}

/// Checks that `bytes` are a PDF file whose structure a reader can follow.
pub fn check(bytes: &[u8]) -> Result<(), PdfProblem> {
    if bytes.is_empty() {
        return Err(PdfProblem::Empty);
    }
    if !has_header(bytes) {
        return Err(PdfProblem::NotPdf { looks_like: looks_like(bytes) });
    }
    let tail_start = bytes.len().saturating_sub(EOF_WINDOW);
    let eof = rfind(&bytes[tail_start..], b"%%EOF").map(|i| tail_start + i).ok_or(PdfProblem::Truncated)?;
    let window_start = eof.saturating_sub(EOF_WINDOW);
    let startxref =
        rfind(&bytes[window_start..eof], b"startxref").map(|i| window_start + i).ok_or(PdfProblem::Damaged)?;
    let (offset, _) =
        number(bytes, skip_whitespace(bytes, startxref + b"startxref".len())).ok_or(PdfProblem::Damaged)?;
    let at = skip_whitespace(bytes, usize::try_from(offset).map_err(|_| PdfProblem::Damaged)?);
    if at >= startxref {
        return Err(PdfProblem::Damaged);
    }
    let followed = if bytes[at..].starts_with(b"xref") {
        xref_table_has_root(&bytes[at..startxref])
    } else {
        xref_stream_has_root(&bytes[at..startxref])
    };
    if followed { Ok(()) } else { Err(PdfProblem::Damaged) }
}

/// `%PDF-` and a version `d.d`.
fn has_header(bytes: &[u8]) -> bool {
    match bytes.get(..8) {
        Some([b'%', b'P', b'D', b'F', b'-', major, b'.', minor]) => major.is_ascii_digit() && minor.is_ascii_digit(),
        _ => false,
    }
}

/// A classic cross-reference table: `xref`, a subsection header (`0 4`), then a `trailer`
/// whose dictionary names the `/Root`.
fn xref_table_has_root(section: &[u8]) -> bool {
    let after_keyword = skip_whitespace(section, b"xref".len());
    let Some((_, after_first)) = number(section, after_keyword) else { return false };
    if number(section, skip_whitespace(section, after_first)).is_none() {
        return false;
    }
    let Some(trailer) = find(section, b"trailer") else { return false };
    let dictionary = &section[skip_whitespace(section, trailer + b"trailer".len())..];
    dictionary.starts_with(b"<<") && find(dictionary, b"/Root").is_some()
}

/// A cross-reference stream: an object header `N G obj` whose dictionary, before `stream`,
/// says `/Type /XRef` and names the `/Root`.
fn xref_stream_has_root(section: &[u8]) -> bool {
    let Some((_, after_number)) = number(section, 0) else { return false };
    let Some((_, after_generation)) = number(section, skip_whitespace(section, after_number)) else { return false };
    let rest = &section[skip_whitespace(section, after_generation)..];
    if !rest.starts_with(b"obj") {
        return false;
    }
    let window = &rest[..rest.len().min(XREF_DICTIONARY_WINDOW)];
    let dictionary = &window[..find(window, b"stream").unwrap_or(window.len())];
    let compact: Vec<u8> = dictionary.iter().copied().filter(|b| !is_whitespace(*b)).collect();
    find(&compact, b"/Type/XRef").is_some() && find(&compact, b"/Root").is_some()
}

/// What a file that is not a PDF looks like, by its first bytes: the id of a message.
fn looks_like(bytes: &[u8]) -> Option<&'static str> {
    const SIGNATURES: [(&[u8], &str); 6] = [
        (b"\x89PNG", "file-kind-png"),
        (b"\xff\xd8\xff", "file-kind-jpeg"),
        (b"GIF8", "file-kind-gif"),
        // Word, Excel, PowerPoint and OpenDocument files are ZIP archives; older Office files
        // are OLE compound files.
        (b"PK\x03\x04", "file-kind-office"),
        (b"\xd0\xcf\x11\xe0", "file-kind-office"),
        (b"{\\rtf", "file-kind-rtf"),
    ];
    SIGNATURES.iter().find(|(magic, _)| bytes.starts_with(magic)).map(|(_, kind)| *kind)
}

/// PDF white-space characters (ISO 32000-1, table 1).
fn is_whitespace(byte: u8) -> bool {
    matches!(byte, b'\0' | b'\t' | b'\n' | b'\x0c' | b'\r' | b' ')
}

fn skip_whitespace(bytes: &[u8], mut at: usize) -> usize {
    while bytes.get(at).is_some_and(|b| is_whitespace(*b)) {
        at += 1;
    }
    at
}

/// A non-negative integer at `at`, and where it ends.
fn number(bytes: &[u8], at: usize) -> Option<(u64, usize)> {
    let digits = bytes.get(at..)?.iter().take_while(|b| b.is_ascii_digit()).count();
    if digits == 0 || digits > 19 {
        return None;
    }
    let text = std::str::from_utf8(&bytes[at..at + digits]).ok()?;
    Some((text.parse().ok()?, at + digits))
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn rfind(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).rposition(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A one-page PDF with a classic cross-reference table (offsets computed when written).
    const CLASSIC: &[u8] = b"%PDF-1.4
1 0 obj
<< /Type /Catalog /Pages 2 0 R >>
endobj
2 0 obj
<< /Type /Pages /Kids [3 0 R] /Count 1 >>
endobj
3 0 obj
<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>
endobj
xref
0 4
0000000000 65535 f 
0000000009 00000 n 
0000000058 00000 n 
0000000115 00000 n 
trailer
<< /Size 4 /Root 1 0 R >>
startxref
186
%%EOF
";

    /// The same page with a cross-reference stream, as PDF 1.5 writers make them.
    const XREF_STREAM: &[u8] = b"%PDF-1.5
1 0 obj
<< /Type /Catalog /Pages 2 0 R >>
endobj
2 0 obj
<< /Type /Pages /Kids [3 0 R] /Count 1 >>
endobj
3 0 obj
<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>
endobj
4 0 obj
<< /Type /XRef /Size 5 /W [1 2 1] /Root 1 0 R /Filter /ASCIIHexDecode /Length 41 >>
stream
000000ff0100090001003a00010073000100ba00>
endstream
endobj
startxref
186
%%EOF
";

    fn replaced(bytes: &[u8], from: &str, to: &str) -> Vec<u8> {
        String::from_utf8(bytes.to_vec()).unwrap().replacen(from, to, 1).into_bytes()
    }

    #[test]
    fn pdfs_with_a_table_or_a_stream_of_cross_references_pass() {
        assert_eq!(check(CLASSIC), Ok(()));
        assert_eq!(check(XREF_STREAM), Ok(()));
        let mut with_garbage_after = CLASSIC.to_vec();
        with_garbage_after.extend_from_slice(&[0u8; 200]);
        assert_eq!(check(&with_garbage_after), Ok(()), "readers allow bytes after %%EOF");
        let crlf = String::from_utf8(CLASSIC.to_vec()).unwrap().replace('\n', "\r\n");
        assert_eq!(check(crlf.as_bytes()), Err(PdfProblem::Damaged), "offsets no longer match the objects");
    }

    #[test]
    fn other_files_are_named_by_what_they_are() {
        assert_eq!(check(b""), Err(PdfProblem::Empty));
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR%%EOF";
        assert_eq!(check(png), Err(PdfProblem::NotPdf { looks_like: Some("file-kind-png") }));
        assert_eq!(
            check(b"PK\x03\x04word/document.xml"),
            Err(PdfProblem::NotPdf { looks_like: Some("file-kind-office") })
        );
        assert_eq!(check(b"Hello, this is text"), Err(PdfProblem::NotPdf { looks_like: None }));
        assert_eq!(check(b"%PDF-x.y"), Err(PdfProblem::NotPdf { looks_like: None }), "a version is two digits");
        let mut later_header = b"   ".to_vec();
        later_header.extend_from_slice(CLASSIC);
        assert!(matches!(check(&later_header), Err(PdfProblem::NotPdf { .. })));
    }

    #[test]
    fn cut_off_or_damaged_pdfs_are_refused() {
        assert_eq!(check(&CLASSIC[..CLASSIC.len() / 2]), Err(PdfProblem::Truncated));
        assert_eq!(check(b"%PDF-1.4\n%%EOF\n"), Err(PdfProblem::Damaged), "header and marker alone are not a PDF");
        let mut far_eof = CLASSIC.to_vec();
        far_eof.extend_from_slice(&[b' '; EOF_WINDOW + 1]);
        assert_eq!(check(&far_eof), Err(PdfProblem::Truncated), "%%EOF must be near the end");
        assert_eq!(check(&replaced(CLASSIC, "startxref\n186", "startxref\n180")), Err(PdfProblem::Damaged));
        assert_eq!(check(&replaced(CLASSIC, "startxref\n186", "startxref\n9999")), Err(PdfProblem::Damaged));
        assert_eq!(
            check(&replaced(CLASSIC, "startxref\n186", "startxref\n99999999999999999999")),
            Err(PdfProblem::Damaged)
        );
        assert_eq!(
            check(&replaced(CLASSIC, "/Root 1 0 R", "/Info 1 0 R")),
            Err(PdfProblem::Damaged),
            "a trailer names the root"
        );
        assert_eq!(check(&replaced(XREF_STREAM, "/Type /XRef", "/Type /Page")), Err(PdfProblem::Damaged));
        assert_eq!(check(&replaced(XREF_STREAM, "/Root 1 0 R", "/Info 1 0 R")), Err(PdfProblem::Damaged));
    }
}
