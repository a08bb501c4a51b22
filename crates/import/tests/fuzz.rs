//! Bounded fuzzing of the importer with proptest (cargo-fuzz needs a nightly toolchain; the
//! project builds with stable Rust only).
//!
//! Inputs are the seed report mangled (lines deleted, duplicated and swapped; byte ranges cut
//! out; strings inserted at random lines: `:` + U+00A0, `-`, `YES`, blank lines, headings and
//! labels of the framework, arbitrary text), pages of HTML built from such pieces, and
//! arbitrary Unicode strings. The property: `import_published` never panics, and when it
//! returns a document, that document survives a JSON round trip unchanged and validation and
//! completeness run on it without panicking.
//!
//! Each property runs `QPR_FUZZ_CASES` cases (default 256, so that `cargo test` stays quick).
//! CI runs the long fuzz job as
//!
//! ```text
//! QPR_FUZZ_CASES=20000 cargo test -p qpr-import --release --test fuzz
//! ```
//!
//! This is a test binary of its own, not a module of `tests/it`, so that CI builds and runs it
//! alone in release.
//!
//! A failing case is shrunk and printed; proptest saves its seed under
//! `crates/import/proptest-regressions/` so that the next run tries it first.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "test code")]

use std::sync::OnceLock;

use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::Config;
use qpr_domain::validate::{completeness, overall, validate};
use qpr_domain::{Framework, ReportDocument};
use qpr_import::{ImportError, import_published};

const SEED: &str = include_str!("../../../demo/qpr-azerbaijan-2022.txt");

fn config() -> Config {
    let cases = std::env::var("QPR_FUZZ_CASES").ok().and_then(|v| v.trim().parse().ok()).unwrap_or(256);
    Config { cases, ..Config::default() }
}

fn seed_lines() -> Vec<&'static str> {
    SEED.split('\n').collect()
}

/// Imports `input` and checks the property; a panic anywhere fails the case.
fn check(input: &str) -> Result<(), TestCaseError> {
    let framework = Framework::qpr_2020();
    match import_published(framework, input) {
        Ok(document) => {
            let json = document.to_json_pretty();
            let again = ReportDocument::from_json(&json)
                .map_err(|e| TestCaseError::fail(format!("the JSON does not parse back: {e}\n{json}")))?;
            prop_assert_eq!(&again, &document, "the JSON round trip changed the document");
            let _findings = validate(framework, &document);
            let total = overall(&completeness(framework, &document));
            prop_assert!(total.answered <= total.applicable, "completeness {total:?}");
            prop_assert_eq!(document.format.as_str(), "qpr-report/1");
        }
        Err(ImportError::NotAReport { reason }) => prop_assert!(!reason.is_empty()),
        Err(ImportError::NoYear) => {}
        Err(ImportError::LabelsRemoved { text_lines, .. }) => prop_assert!(text_lines > 0),
        Err(ImportError::Missing { what }) => prop_assert!(!what.is_empty()),
    }
    Ok(())
}

/// Texts the framework gives a meaning to: headings, labels (with their `:` + U+00A0),
/// option texts, the page title, and the tokens of published pages.
fn vocabulary() -> &'static [String] {
    static WORDS: OnceLock<Vec<String>> = OnceLock::new();
    WORDS.get_or_init(|| {
        let f = Framework::qpr_2020();
        let mut words: Vec<String> = [
            "",
            ":\u{a0}",
            "-",
            "YES",
            "NO",
            "OUI",
            "NON",
            "\u{a0}",
            "×",
            "<",
            ">",
            "1.00%",
            "2021",
            "104,403,692USD",
            "0.00",
            "1",
            "\r",
        ]
        .map(String::from)
        .to_vec();
        words.extend([f.title.en.clone(), f.title.fr.clone(), "Azerbaijan 2022".into()]);
        for section in &f.sections {
            words.extend([section.heading.en.clone(), section.heading.fr.clone()]);
            words.extend(section.subheading.iter().map(|s| s.en.clone()));
        }
        for goal in &f.goals {
            words.extend([goal.heading.en.clone(), format!("{}:\u{a0}", goal.cso_heading.en)]);
        }
        for (_, question) in f.questions() {
            words.push(format!("{}:\u{a0}", question.label.en));
            words.push(format!("{}: ", question.label.fr));
            words.extend(question.groups.iter().map(|g| g.label.en.clone()));
        }
        for record in f.record_types.values() {
            for field in &record.fields {
                words.push(format!("{}:\u{a0}", field.label.en));
                words.extend(field.columns.iter().map(|c| format!("{}:\u{a0}", c.label.en)));
            }
        }
        for options in f.option_lists.values() {
            words.extend(options.iter().map(|o| o.en.clone()));
        }
        words
    })
}

/// One line to insert: a word of the framework, arbitrary text, or a mix with label marks.
fn inserted_line() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => proptest::sample::select(vocabulary()),
        2 => any::<String>(),
        1 => (any::<String>(), proptest::sample::select(vocabulary())).prop_map(|(a, b)| format!("{a}{b}")),
        1 => "[A-Za-z ]{0,30}(:\u{a0}|::\u{a0}|: |\\.:\u{a0})",
    ]
}

#[derive(Debug, Clone)]
enum LineEdit {
    Delete(Index),
    Duplicate(Index),
    Swap(Index, Index),
    Insert(Index, String),
}

fn line_edit() -> impl Strategy<Value = LineEdit> {
    prop_oneof![
        any::<Index>().prop_map(LineEdit::Delete),
        any::<Index>().prop_map(LineEdit::Duplicate),
        (any::<Index>(), any::<Index>()).prop_map(|(a, b)| LineEdit::Swap(a, b)),
        (any::<Index>(), inserted_line()).prop_map(|(at, line)| LineEdit::Insert(at, line)),
    ]
}

fn apply(edits: &[LineEdit]) -> String {
    let mut lines: Vec<String> = seed_lines().into_iter().map(String::from).collect();
    for edit in edits {
        if lines.is_empty() {
            break;
        }
        match edit {
            LineEdit::Delete(at) => {
                lines.remove(at.index(lines.len()));
            }
            LineEdit::Duplicate(at) => {
                let at = at.index(lines.len());
                lines.insert(at, lines[at].clone());
            }
            LineEdit::Swap(a, b) => {
                let (a, b) = (a.index(lines.len()), b.index(lines.len()));
                lines.swap(a, b);
            }
            LineEdit::Insert(at, line) => lines.insert(at.index(lines.len() + 1), line.clone()),
        }
    }
    lines.join("\n")
}

/// The nearest char boundary at or before `at`.
fn floor(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// An HTML page built from framework words and arbitrary text in block elements.
fn html_page() -> impl Strategy<Value = String> {
    let element = (prop::sample::select(vec!["div", "p", "h2", "span", "br", "li", "script", "td"]), inserted_line());
    proptest::collection::vec(element, 0..60).prop_map(|elements| {
        let body: String = elements
            .iter()
            .map(|(tag, text)| {
                let text = text.replace('&', "&amp;").replace('<', "&lt;");
                if *tag == "br" { format!("{text}<br>") } else { format!("<{tag}>{text}</{tag}>\n") }
            })
            .collect();
        format!("<!DOCTYPE html><html><head><script>var x = \"YES\";</script></head><body>{body}</body></html>")
    })
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn seed_with_lines_deleted_duplicated_swapped_or_inserted(edits in proptest::collection::vec(line_edit(), 1..40)) {
        check(&apply(&edits))?;
    }

    #[test]
    fn seed_with_a_byte_range_cut_out_or_kept(a in any::<Index>(), b in any::<Index>(), keep in any::<bool>()) {
        let (a, b) = (floor(SEED, a.index(SEED.len() + 1)), floor(SEED, b.index(SEED.len() + 1)));
        let (start, end) = (a.min(b), a.max(b));
        let input = if keep { SEED[start..end].to_owned() } else { format!("{}{}", &SEED[..start], &SEED[end..]) };
        check(&input)?;
    }

    #[test]
    fn seed_truncated_at_any_byte(at in any::<Index>()) {
        check(&SEED[..floor(SEED, at.index(SEED.len() + 1))])?;
    }

    #[test]
    fn arbitrary_unicode_text(text in any::<String>()) {
        check(&text)?;
    }

    #[test]
    fn lines_of_framework_words_and_arbitrary_text(lines in proptest::collection::vec(inserted_line(), 0..80)) {
        check(&lines.join("\n"))?;
    }

    #[test]
    fn html_pages_of_framework_words(page in html_page()) {
        check(&page)?;
    }
}
