//! `qpr import` on a folder of every sample page and the seed: the summary (text and JSON
//! lines) says what was imported, with warnings, or refused and why; a second run adds nothing.

#![allow(clippy::expect_used)]

use std::path::Path;
use std::process::Command;

fn qpr(data: &Path, args: &[&str]) -> (bool, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_qpr"))
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .env("RUST_LOG", "warn")
        .output()
        .expect("qpr runs");
    (output.status.success(), String::from_utf8_lossy(&output.stdout).into_owned())
}

fn summary(data: &Path) -> Vec<serde_json::Value> {
    let text = std::fs::read_to_string(data.join("import-summary.jsonl")).expect("summary written");
    text.lines().map(|l| serde_json::from_str(l).expect("a JSON line")).collect()
}

fn status_of<'s>(lines: &'s [serde_json::Value], file: &str) -> &'s str {
    let line = lines
        .iter()
        .find(|l| l["file"].as_str().is_some_and(|f| f.ends_with(file)))
        .unwrap_or_else(|| panic!("{file} not in summary"));
    line["status"].as_str().unwrap_or_default()
}

#[test]
fn a_folder_of_every_layout_imports_once_with_its_summary() {
    let dir = tempfile::tempdir().expect("temp dir");
    let pages = dir.path().join("pages");
    std::fs::create_dir(&pages).expect("pages dir");
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../import/tests/fixtures/real-pages");
    for entry in std::fs::read_dir(&fixtures).expect("fixtures") {
        let path = entry.expect("entry").path();
        std::fs::copy(&path, pages.join(path.file_name().expect("name"))).expect("copy");
    }
    let seed = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../demo/qpr-azerbaijan-2022.txt");
    std::fs::copy(seed, pages.join("qpr-azerbaijan-2022.txt")).expect("copy seed");
    let data = dir.path().join("data");
    let pages_arg = pages.to_str().expect("utf-8 path");

    let (ok, text) = qpr(&data, &["import", pages_arg]);
    assert!(!ok, "some pages are refused: the exit status says so");
    assert!(
        text.contains("13 pages: 0 imported, 7 imported with warnings, 0 unchanged (already imported), 6 refused; 1 other files skipped"),
        "{text}"
    );
    let lines = summary(&data);
    assert_eq!(lines.len(), 14, "one line per page and per skipped file");
    assert_eq!(status_of(&lines, "qpr-azerbaijan-2022.txt"), "imported_with_warnings");
    assert_eq!(status_of(&lines, "qpr-norway-2016-measures.txt"), "imported_with_warnings");
    assert_eq!(status_of(&lines, "qpr-denmark-2020-es-nolabels.txt"), "refused");
    assert_eq!(status_of(&lines, "README.md"), "skipped");
    let denmark = lines.iter().find(|l| l["file"].as_str().is_some_and(|f| f.ends_with("nolabels.txt"))).expect("line");
    assert_eq!(denmark["code"], "labels_removed");
    let sweden =
        lines.iter().find(|l| l["file"].as_str().is_some_and(|f| f.ends_with("sweden-2012.txt"))).expect("line");
    assert!(sweden["reason"].as_str().is_some_and(|r| r.contains("--year")), "{sweden}");

    let (_, again) = qpr(&data, &["import", pages_arg]);
    assert!(
        again.contains("13 pages: 0 imported, 0 imported with warnings, 7 unchanged (already imported), 6 refused"),
        "{again}"
    );

    // With the year and the Party given, the measure page of Iceland's Youth Fund is added to
    // Iceland's 2020 report, once.
    let youth_fund = pages.join("pmp-youth-fund-0-es.txt");
    let youth_fund = youth_fund.to_str().expect("utf-8");
    let (ok, text) = qpr(&data, &["import", "--party", "ISL", "--year", "2020", youth_fund]);
    assert!(ok && text.contains("1 imported with warnings"), "{text}");
    let (ok, text) = qpr(&data, &["import", "--party", "Islandia", "--year", "2020", youth_fund]);
    assert!(ok && text.contains("1 unchanged"), "{text}");
}

#[test]
fn validate_names_the_sections_a_cut_off_page_is_missing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let page = Path::new(env!("CARGO_MANIFEST_DIR")).join("../import/tests/fixtures/real-pages/qpr-austria-2016.txt");
    let parsed = Command::new(env!("CARGO_BIN_EXE_qpr")).arg("parse").arg(&page).output().expect("qpr parse runs");
    assert!(parsed.status.success(), "{}", String::from_utf8_lossy(&parsed.stderr));
    let document = dir.path().join("austria-2016.json");
    std::fs::write(&document, &parsed.stdout).expect("written");
    let validated =
        Command::new(env!("CARGO_BIN_EXE_qpr")).arg("validate").arg(&document).output().expect("qpr validate runs");
    let stderr = String::from_utf8_lossy(&validated.stderr);
    assert!(stderr.contains("the page stopped early; sections missing:"), "{stderr}");
    assert!(stderr.contains("CULTURAL POLICIES AND MEASURES"), "{stderr}");
}
