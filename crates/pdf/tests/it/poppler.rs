//! Running poppler's command-line readers on a PDF. A missing reader fails the test with what
//! to install; nothing is skipped.

use std::io::Write;
use std::process::Command;

/// The output of `tool args… file.pdf` for the PDF `bytes`.
pub(crate) fn run(tool: &str, args: &[&str], bytes: &[u8]) -> String {
    let mut file = tempfile::Builder::new().suffix(".pdf").tempfile().unwrap();
    file.write_all(bytes).unwrap();
    let path = file.path().to_str().unwrap().to_owned();
    let mut command = Command::new(tool);
    command.args(args).arg(&path);
    if tool == "pdftotext" {
        command.arg("-");
    }
    let output = command.output().unwrap_or_else(|e| {
        panic!("cannot run `{tool}` ({e}): install Debian's poppler-utils (`apt-get install -y poppler-utils`)")
    });
    assert!(output.status.success(), "{tool} failed: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).unwrap()
}

/// The text of a PDF in content order, whitespace collapsed, without the lines every page
/// repeats (`repeated`: the header; the footer's lines match `footer`).
pub(crate) fn text(bytes: &[u8], repeated: &[&str], footer: impl Fn(&str) -> bool) -> String {
    let raw = run("pdftotext", &["-raw", "-enc", "UTF-8"], bytes);
    let lines: Vec<&str> = raw.lines().map(|l| l.trim_matches(|c: char| c.is_whitespace() || c == '\u{c}')).collect();
    let kept: Vec<&str> = lines.into_iter().filter(|l| !repeated.contains(l) && !footer(l)).collect();
    collapse(&kept.join(" "))
}

/// Whitespace runs as one space.
pub(crate) fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `pdfinfo`'s fields, by name.
pub(crate) fn info(bytes: &[u8]) -> Vec<(String, String)> {
    run("pdfinfo", &[], bytes)
        .lines()
        .filter_map(|line| line.split_once(':'))
        .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
        .collect()
}

/// One field of `pdfinfo`.
pub(crate) fn info_field(info: &[(String, String)], name: &str) -> String {
    info.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()).unwrap_or_else(|| panic!("no {name} in {info:?}"))
}

/// `pdffonts`' rows: (name, embedded).
pub(crate) fn fonts(bytes: &[u8]) -> Vec<(String, bool)> {
    let listing = run("pdffonts", &[], bytes);
    // Columns from the right: emb, sub, uni, then the object id (two numbers); a long name
    // pushes the columns, so they are counted from the end.
    listing
        .lines()
        .skip(2)
        .map(|line| {
            let tokens: Vec<&str> = line.split_whitespace().collect();
            let emb = tokens.len().checked_sub(5).map(|i| tokens[i]).unwrap_or_default();
            (tokens.first().copied().unwrap_or_default().to_owned(), emb == "yes")
        })
        .collect()
}
