//! Real spreadsheet software: the workbook opened in `LibreOffice` (headless), answers changed
//! through it (a round trip through its flat XML format, edited as text, which `LibreOffice`
//! then reads and saves as XLSX and as ODS), and both files read back with the changed
//! answers and nothing else changed. `LibreOffice` is required (Debian
//! `libreoffice-calc-nogui`): without it the test fails saying so.

use std::path::{Path, PathBuf};
use std::process::Command;

use qpr_domain::text::Lang;
use qpr_workbook::{Limits, open, read_report, report_workbook};
use serde_json::Value;

use crate::support::{framework, lookup, seed, words};

fn soffice() -> PathBuf {
    let found = std::env::var_os("PATH")
        .into_iter()
        .flat_map(|path| std::env::split_paths(&path).collect::<Vec<_>>())
        .map(|dir| dir.join("soffice"))
        .find(|candidate| candidate.is_file());
    found.unwrap_or_else(|| {
        panic!("LibreOffice's `soffice` is not on PATH: install it (`apt-get install -y libreoffice-calc-nogui`) to run this test")
    })
}

/// Converts `file` to `format` (a `LibreOffice` filter spec) into `out`, with a profile of its
/// own (so that runs in parallel and a desktop `LibreOffice` do not share one).
fn convert(profile: &Path, file: &Path, format: &str, out: &Path) -> PathBuf {
    let status = Command::new(soffice())
        .arg(format!("-env:UserInstallation=file://{}", profile.display()))
        .args(["--headless", "--norestore", "--convert-to", format, "--outdir"])
        .arg(out)
        .arg(file)
        .output()
        .expect("soffice runs");
    assert!(status.status.success(), "soffice failed: {}", String::from_utf8_lossy(&status.stderr));
    let extension = format.split(':').next().unwrap();
    let converted = out.join(file.with_extension(extension).file_name().unwrap());
    assert!(
        converted.is_file(),
        "soffice wrote no {}: {}",
        converted.display(),
        String::from_utf8_lossy(&status.stdout)
    );
    converted
}

fn xml_escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// In the flat ODS `xml`, the row holding the cell text `marker`: replaces `old` by `new` in
/// its first cell holding exactly `old`.
fn edit_row(xml: &str, marker: &str, old: &str, new: &str) -> String {
    let marker = format!("<text:p>{}</text:p>", xml_escape(marker));
    let at = xml.find(&marker).unwrap_or_else(|| panic!("no cell {marker} in the flat ODS"));
    let start = xml[..at].rfind("<table:table-row").unwrap();
    let end = at + xml[at..].find("</table:table-row>").unwrap();
    let row = &xml[start..end];
    let (old, new) = (format!("<text:p>{}</text:p>", xml_escape(old)), format!("<text:p>{}</text:p>", xml_escape(new)));
    assert!(row.contains(&old), "no {old} in the row of {marker}: {row}");
    format!("{}{}{}", &xml[..start], row.replacen(&old, &new, 1), &xml[end..])
}

#[test]
fn a_workbook_filled_in_libreoffice_comes_back_as_xlsx_and_as_ods() {
    let document = seed();
    let dir = tempfile::tempdir().unwrap();
    let profile = dir.path().join("profile");
    let xlsx = dir.path().join("workbook.xlsx");
    std::fs::write(&xlsx, report_workbook(framework(), &document, 4, words(Lang::En)).unwrap()).unwrap();

    // Opened in LibreOffice, saved as flat ODS; two answers changed in it.
    let fods = convert(&profile, &xlsx, "fods", dir.path());
    let mut xml = std::fs::read_to_string(&fods).unwrap();
    let answers = serde_json::to_value(&document).unwrap()["answers"].clone();
    let yes = framework()
        .sections
        .iter()
        .flat_map(|s| s.questions.iter())
        .find(|q| q.answer_type == qpr_domain::framework::AnswerType::YesNo && answers[&q.id] == Value::Bool(true))
        .unwrap();
    xml = edit_row(&xml, &format!("a.{}", yes.id), "Yes", "No");
    let measure = document
        .policy_measures
        .iter()
        .find(|m| m.title.chars().all(|c| c.is_alphanumeric() || c == ' ') && !m.title.is_empty())
        .unwrap();
    xml = edit_row(&xml, &measure.id, &measure.title, "Renamed in LibreOffice");
    let edited = dir.path().join("edited.fods");
    std::fs::write(&edited, xml).unwrap();

    // LibreOffice reads the edited file and saves it as XLSX and as ODS.
    let out_xlsx = dir.path().join("xlsx");
    let out_ods = dir.path().join("ods");
    let saved = [
        convert(&profile, &edited, "xlsx:Calc MS Excel 2007 XML", &out_xlsx),
        convert(&profile, &edited, "ods", &out_ods),
    ];
    for file in saved {
        let bytes = std::fs::read(&file).unwrap();
        let upload = open(&bytes, &Limits::default()).unwrap_or_else(|p| panic!("{}: {p:#?}", file.display()));
        assert_eq!(upload.report_revision("AZE", 2022, &framework().id).unwrap(), 4);
        let filled = read_report(framework(), &document, &upload, lookup)
            .unwrap_or_else(|p| panic!("{}: {p:#?}", file.display()));
        assert_eq!(filled.document.answers[&yes.id], Value::Bool(false), "{}", file.display());
        let renamed = filled.document.policy_measures.iter().find(|m| m.id == measure.id).unwrap();
        assert_eq!(renamed.title, "Renamed in LibreOffice", "{}", file.display());
        assert_eq!(filled.changes.len(), 2, "{}: only the two answers changed: {:#?}", file.display(), filled.changes);
    }
}
