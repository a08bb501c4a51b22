//! Variants of the seed report built in code from its text (line endings, separators,
//! records removed or added, unknown spellings, cut-off files, inputs that are not reports,
//! stray lines and labels, an HTML rendering, French labels), each checked for the facts it
//! must keep or change.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "test code: a failed lookup is a failed test")]

use qpr_domain::document::{CsoMeasure, ImportWarning, PolicyMeasure};
use qpr_domain::framework::AnswerType;
use qpr_domain::money::Usd;
use qpr_domain::text::normalize_loose;
use qpr_domain::validate::{Severity, validate};
use qpr_domain::{Framework, ReportDocument};
use qpr_import::{ImportError, import_published};
use serde_json::{Value, json};

use crate::support::{SEED, seed_doc};

const NBSP: char = '\u{a0}';

fn framework() -> &'static Framework {
    Framework::qpr_2020()
}

fn import(text: &str) -> ReportDocument {
    import_published(framework(), text).expect("the variant imports")
}

/// The seed's lines (without their `\n`); joining them with `\n` gives the seed back.
fn seed_lines() -> Vec<&'static str> {
    SEED.split('\n').collect()
}

/// Index of the first line at or after `from` for which `wanted` holds.
fn find_line(lines: &[&str], from: usize, wanted: impl Fn(&str) -> bool) -> usize {
    (from..lines.len()).find(|&i| wanted(lines[i])).unwrap_or_else(|| panic!("no such line after line {}", from + 1))
}

fn title_line(lines: &[&str], title: &str) -> usize {
    find_line(lines, 0, |l| l == title)
}

/// Warnings without line numbers.
fn messages(warnings: &[ImportWarning]) -> Vec<&str> {
    warnings.iter().map(|w| w.message.as_str()).collect()
}

/// Everything but the line numbers of warnings is equal.
fn assert_same_document(found: &ReportDocument, expected: &ReportDocument) {
    assert_eq!(found.party, expected.party);
    assert_eq!(found.year, expected.year);
    assert_eq!(found.answers, expected.answers);
    assert_eq!(found.policy_measures, expected.policy_measures);
    assert_eq!(found.cso_measures, expected.cso_measures);
    assert_eq!(found.source, expected.source);
    assert_eq!(messages(&found.warnings), messages(&expected.warnings));
    assert_eq!(found.extra, expected.extra);
}

fn policy_without_id(m: &PolicyMeasure) -> PolicyMeasure {
    PolicyMeasure { id: String::new(), ..m.clone() }
}

fn cso_without_id(m: &CsoMeasure) -> CsoMeasure {
    CsoMeasure { id: String::new(), ..m.clone() }
}

/// The label line of a framework question (as the seed writes it: label, `:`, U+00A0).
fn label_line_of(lines: &[&str], question_id: &str) -> usize {
    let question = framework().question(question_id).expect("a question of the form");
    let wanted = normalize_loose(&question.label.en);
    find_line(lines, 0, |l| l.ends_with(NBSP) && normalize_loose(l) == wanted)
}

// ---------------------------------------------------------------------------------------
// Line endings and label separators

#[test]
fn crlf_line_endings_give_the_same_document() {
    let crlf = SEED.replace('\n', "\r\n");
    assert!(crlf.contains("\r\n") && crlf.len() == SEED.len() + SEED.matches('\n').count());
    let found = import(&crlf);
    assert_same_document(&found, seed_doc());
    assert_eq!(found.policy_measures.len(), 22);
    assert_eq!(found.warnings.len(), 1);
}

#[test]
fn plain_space_instead_of_nbsp_after_labels_gives_the_same_document() {
    let plain = SEED.replace(":\u{a0}\n", ": \n").replace(":\u{a0}", ": ");
    assert!(!plain.contains(":\u{a0}"));
    let found = import(&plain);
    assert_same_document(&found, seed_doc());
    assert_eq!(found.warnings.len(), 1);
    assert_eq!(found.warnings[0].line, 854);
}

// ---------------------------------------------------------------------------------------
// Records removed and added

#[test]
fn removing_the_second_treaties_record_leaves_21_records_and_3_treaties() {
    let lines = seed_lines();
    let start = title_line(
        &lines,
        "Agreement between the Government of the Republic of Azerbaijan and the Government of the United Mexican States on cooperation in the fields of education, science, youth, culture and sports",
    );
    let end = find_line(&lines, start, |l| l.starts_with("Memorandum of Understanding on cultural cooperation"));
    let mut edited = lines.clone();
    edited.drain(start..end);
    let found = import(&edited.join("\n"));

    assert_eq!(found.policy_measures.len(), 21);
    assert_eq!(found.measures_in_area("treaties_agreements").count(), 3);
    let mut expected: Vec<PolicyMeasure> = seed_doc().policy_measures.iter().map(policy_without_id).collect();
    let removed = expected.remove(15);
    assert!(removed.title.starts_with("Agreement between the Government"));
    let found_records: Vec<PolicyMeasure> = found.policy_measures.iter().map(policy_without_id).collect();
    assert_eq!(found_records, expected, "the other records are unchanged");
    assert_eq!(found.cso_measures, seed_doc().cso_measures);
    assert_eq!(found.answers, seed_doc().answers);
    assert_eq!(messages(&found.warnings), messages(&seed_doc().warnings));
    assert_eq!(found.warnings[0].line, 854 - (end - start));
}

/// A record of another author: fields in another order, no results, two partners of an
/// entity type the seed does not use.
const NEW_RECORD: &str = "
Residency grants for artists at risk (2021)

Describe the main features of the policy/measure:\u{a0}
Grants for artists who had to leave their home countries.

A second paragraph on the selection.
Name of agency responsible for the implementation of the policy/measure:\u{a0}
Ministry of Culture of the Republic of Azerbaijan
Baku Arts Council
Does it specifically target young people?:\u{a0}
NO
Cultural domains covered by the policy/measure:\u{a0}
Music
Visual Arts
Has the implementation of the policy/measure been evaluated?:\u{a0}
NO
Does the International Fund for Cultural Diversity (IFCD) support the implementation of the policy/measure?:\u{a0}
YES
Financial resources allocated to the policy/measure in USD:\u{a0}
120,000
Partner(s) engaged in the implementation of the measure:\u{a0}
Name of partner:\u{a0}
Caspian Residencies LLC
Type of entity:\u{a0}
Private Sector
Name of partner:\u{a0}
Gallery Network Baku
Type of entity:\u{a0}
Private Sector";

#[test]
fn a_record_added_to_artistic_freedom_keeps_its_values_partners_and_entity_type() {
    let lines = seed_lines();
    let heading = title_line(&lines, "Artistic Freedom");
    let label = find_line(&lines, heading, |l| l == "Relevant Policies and Measures:\u{a0}");
    assert_eq!(lines[label + 1], "-");
    let mut edited = lines.clone();
    edited.splice(label + 1..label + 2, NEW_RECORD.split('\n'));
    let found = import(&edited.join("\n"));

    let added: Vec<&PolicyMeasure> = found.measures_in_area("artistic_freedom").collect();
    assert_eq!(added.len(), 1);
    let m = added[0];
    assert_eq!(m.title, "Residency grants for artists at risk (2021)");
    assert_eq!(m.agencies, ["Ministry of Culture of the Republic of Azerbaijan", "Baku Arts Council"]);
    assert_eq!(m.domains, ["music", "visual_arts"]);
    assert_eq!(
        m.description,
        "Grants for artists who had to leave their home countries.\n\nA second paragraph on the selection."
    );
    assert_eq!(m.targets_youth, Some(false));
    assert_eq!(m.ifcd_support, Some(true));
    assert_eq!(m.results, None, "results left out");
    let money = m.financial_resources.as_ref().expect("financial resources");
    assert_eq!((money.raw.as_str(), money.usd), ("120,000", Some(Usd::from_cents(12_000_000))));
    assert_eq!(m.evaluated, Some(false));
    assert_eq!(m.evaluation_conclusions, None);
    let partners: Vec<(&str, Option<&str>)> =
        m.partners.iter().map(|p| (p.name.as_str(), p.entity_type.as_deref())).collect();
    assert_eq!(
        partners,
        [("Caspian Residencies LLC", Some("Private Sector")), ("Gallery Network Baku", Some("Private Sector"))]
    );

    assert_eq!(found.policy_measures.len(), 23);
    let others: Vec<PolicyMeasure> =
        found.policy_measures.iter().filter(|p| p.area != "artistic_freedom").map(policy_without_id).collect();
    let seed: Vec<PolicyMeasure> = seed_doc().policy_measures.iter().map(policy_without_id).collect();
    assert_eq!(others, seed, "the other records are unchanged");
    assert_eq!(
        found.cso_measures.iter().map(cso_without_id).collect::<Vec<_>>(),
        seed_doc().cso_measures.iter().map(cso_without_id).collect::<Vec<_>>()
    );
    assert_eq!(found.answers, seed_doc().answers);
    assert_eq!(messages(&found.warnings), messages(&seed_doc().warnings));
    let findings = validate(framework(), &found);
    assert!(findings.iter().all(|f| f.severity != Severity::Error), "{findings:#?}");
}

// ---------------------------------------------------------------------------------------
// Unknown spellings and options

#[test]
fn an_unknown_cultural_domain_is_kept_as_written_and_flagged_by_validation() {
    let lines = seed_lines();
    let title = title_line(&lines, "ABAD - Easy Support for Family Business");
    let visual = find_line(&lines, title, |l| l == "Visual Arts");
    let mut edited = lines.clone();
    edited[visual] = "Crafts & Folk Art";
    let found = import(&edited.join("\n"));

    let abad = &found.policy_measures[9];
    assert_eq!(abad.title, "ABAD - Easy Support for Family Business");
    assert_eq!(abad.domains, ["design", "Crafts & Folk Art"]);
    let findings = validate(framework(), &found);
    let flagged: Vec<_> = findings.iter().filter(|f| f.path == "policy_measures[9].domains[1]").collect();
    assert_eq!(flagged.len(), 1, "{findings:#?}");
    assert_eq!(flagged[0].severity, Severity::Warning);
    assert!(flagged[0].message().contains("Crafts & Folk Art"), "{}", flagged[0].message());
    assert!(findings.iter().all(|f| f.severity != Severity::Error), "{findings:#?}");
}

#[test]
fn an_unknown_option_in_a_multi_select_is_kept() {
    let lines = seed_lines();
    let label = label_line_of(&lines, "g1_ccs_specific_measures");
    let mut edited = lines.clone();
    edited.insert(label + 3, "Support cooperatives of craftspeople");
    let found = import(&edited.join("\n"));

    assert_eq!(
        found.answers["g1_ccs_specific_measures"],
        json!([
            "Support job creation in the cultural and creative sectors",
            "Encourage the formalization and growth of micro/small and medium-sized cultural enterprises",
            "Support cooperatives of craftspeople"
        ])
    );
    let findings = validate(framework(), &found);
    // The list ends with “Other (please specify)”: a text outside it is that answer, not flagged.
    let flagged: Vec<_> = findings.iter().filter(|f| f.path == "answers.g1_ccs_specific_measures[2]").collect();
    assert!(flagged.is_empty(), "{findings:#?}");
    let mut expected = seed_doc().answers.clone();
    expected.remove("g1_ccs_specific_measures");
    let mut answers = found.answers;
    answers.remove("g1_ccs_specific_measures");
    assert_eq!(answers, expected, "the other answers are unchanged");
}

#[test]
fn a_record_with_an_empty_description_and_a_dash_partner_is_kept() {
    let lines = seed_lines();
    let title = title_line(&lines, "State Program \"The theatre of Azerbaijan in 2009-2019\"");
    let description = find_line(&lines, title, |l| l.starts_with("Describe the main features"));
    let partner = find_line(&lines, title, |l| l == "Name of partner:\u{a0}");
    let mut edited = lines.clone();
    edited[partner + 1] = "-";
    edited.remove(description + 1);
    let found = import(&edited.join("\n"));

    assert_eq!(found.policy_measures.len(), 22);
    let m = &found.policy_measures[3];
    let seed = &seed_doc().policy_measures[3];
    assert_eq!(m.title, seed.title);
    assert_eq!(m.description, "", "an empty description is an absent one");
    assert_eq!(m.partners.len(), 1);
    assert_eq!(
        (m.partners[0].name.as_str(), m.partners[0].entity_type.as_deref()),
        ("", Some("Civil Society Organization (CSO)"))
    );
    assert_eq!(
        PolicyMeasure { description: String::new(), partners: Vec::new(), ..seed.clone() },
        PolicyMeasure { partners: Vec::new(), ..m.clone() }
    );
    assert_eq!(messages(&found.warnings), messages(&seed_doc().warnings));
    let findings = validate(framework(), &found);
    let errors: Vec<_> = findings.iter().filter(|f| f.severity == Severity::Error).map(|f| f.path.as_str()).collect();
    assert_eq!(errors, ["policy_measures[3].partners[0].name"], "validation reports the nameless partner");
}

#[test]
fn a_financial_amount_too_large_for_an_exact_figure_keeps_its_record_and_text() {
    let lines = seed_lines();
    let at = find_line(&lines, 0, |l| l == "780000");
    let mut edited = lines.clone();
    edited[at] = "92233720368547758.07";
    let found = import(&edited.join("\n"));

    assert_eq!(found.policy_measures.len(), 22);
    let money = found.policy_measures[3].financial_resources.as_ref().expect("financial resources");
    // Beyond `Usd::MAX_CENTS` no figure is derived; the text is what counts, as for prose.
    assert_eq!((money.raw.as_str(), money.usd), ("92233720368547758.07", None));
    let json = found.to_json_pretty();
    assert_eq!(ReportDocument::from_json(&json).unwrap(), found);
}

#[test]
fn a_label_repeated_after_an_empty_one_fills_the_field() {
    let lines = seed_lines();
    let title = title_line(&lines, "Adoption of the new Law on Media");
    let description = find_line(&lines, title, |l| l.starts_with("Describe the main features"));
    let mut edited = lines.clone();
    edited.insert(description, lines[description]);
    let found = import(&edited.join("\n"));
    assert_eq!(found.policy_measures, seed_doc().policy_measures);
    assert_eq!(found.warnings.len(), 1);
}

// ---------------------------------------------------------------------------------------
// Cut-off files

/// The longest prefix of `text` of at most `bytes` bytes that ends on a char boundary.
fn prefix(text: &str, bytes: usize) -> &str {
    let mut end = bytes.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// Whatever a prefix of the seed gives, what it read before the cut is what the whole seed
/// gives: answers equal (the one read at the cut may be partial), records equal (the last one
/// may be partial), and no answer the whole seed does not have.
fn check_cut(cut: &str) -> Option<ReportDocument> {
    let found = match import_published(framework(), cut) {
        Ok(found) => found,
        Err(error) => {
            assert!(matches!(error, ImportError::NotAReport { .. } | ImportError::NoYear), "{error:?}");
            assert!(!error.to_string().is_empty() && !error.code().is_empty());
            return None;
        }
    };
    let seed = seed_doc();
    assert_eq!(found.year, seed.year);
    assert_eq!(found.party, seed.party);
    let differing: Vec<&String> =
        found.answers.iter().filter(|(k, v)| seed.answers.get(*k) != Some(v)).map(|(k, _)| k).collect();
    assert!(differing.len() <= 1, "answers changed by the cut: {differing:?}");
    assert!(found.answers.keys().all(|k| seed.answers.contains_key(k)));
    let (policies, csos) = (&found.policy_measures, &found.cso_measures);
    assert!(policies.len() <= seed.policy_measures.len() && csos.len() <= seed.cso_measures.len());
    // Complete records are equal; only the last one read (policy or CSO) may be partial.
    let partial_policy = usize::from(csos.is_empty() || policies.len() == seed.policy_measures.len());
    for (i, (m, s)) in policies.iter().zip(&seed.policy_measures).enumerate() {
        assert_eq!(m.title, s.title);
        if i + partial_policy < policies.len() {
            assert_eq!(m, s, "record {i} before the cut");
        }
    }
    for (i, (m, s)) in csos.iter().zip(&seed.cso_measures).enumerate() {
        assert_eq!(m.title, s.title);
        if i + 1 < csos.len() {
            assert_eq!(m, s, "CSO record {i} before the cut");
        }
    }
    Some(found)
}

#[test]
fn a_file_cut_at_60_percent_keeps_what_comes_before() {
    let cut = prefix(SEED, SEED.len() * 60 / 100);
    let found = check_cut(cut).expect("60% of the seed is a report");
    // 60% of the bytes ends inside the Goal 2 records.
    let cut_line = cut.matches('\n').count() + 1;
    assert!((450..560).contains(&cut_line), "cut at line {cut_line}");
    assert!(found.policy_measures.len() >= 12, "{}", found.policy_measures.len());
    assert!(found.policy_measures.len() < 22);
    assert!(found.cso_measures.is_empty());
    for id in [
        "gi_party_name",
        "gi_executive_summary",
        "g1_ccs_public_budget",
        "g1_cso_dialogue_examples",
        "g2_mobility_operational_programmes",
    ] {
        assert_eq!(found.answers.get(id), seed_doc().answers.get(id), "{id}");
    }
    assert!(!found.answers.contains_key("ca_main_results"));
}

#[test]
fn a_file_cut_at_many_points_never_panics_and_keeps_earlier_facts() {
    let mut documents = 0;
    for percent in [1, 2, 5, 10, 20, 25, 33, 40, 50, 55, 60, 66, 75, 80, 90, 95, 99, 100] {
        if check_cut(prefix(SEED, SEED.len() * percent / 100)).is_some() {
            documents += 1;
        }
    }
    assert!(documents >= 15, "most cuts still give a document ({documents})");
}

#[test]
fn a_file_cut_inside_each_record_never_panics() {
    let lines = seed_lines();
    let mut checked = 0;
    for (i, line) in lines.iter().enumerate() {
        let is_record_field =
            line.starts_with("Name of agency responsible") || line.starts_with("Name of CSO(s) responsible");
        if !is_record_field {
            continue;
        }
        // Right after the label, in the middle of the value line under it, and right after
        // the title (before the blank line that follows it).
        let at_label = lines[..=i].iter().map(|l| l.len() + 1).sum::<usize>();
        let middle = at_label + lines[i + 1].len() / 2;
        for bytes in [at_label, middle, at_label - line.len() - 3] {
            check_cut(prefix(SEED, bytes));
            checked += 1;
        }
    }
    assert_eq!(checked, 27 * 3);
}

#[test]
fn a_file_cut_at_every_third_line_never_panics() {
    // Every third line keeps the debug test run short; the fuzz test cuts at random points.
    let lines = seed_lines();
    let mut end = 0;
    let mut documents = 0;
    for (i, line) in lines.iter().enumerate() {
        end += line.len() + 1;
        if i % 3 == 0 && check_cut(prefix(SEED, end)).is_some() {
            documents += 1;
        }
    }
    assert!(documents > 270, "{documents} of {} cuts give a document", lines.len().div_ceil(3));
}

#[test]
fn a_file_cut_before_the_first_question_is_not_a_report() {
    let lines = seed_lines();
    let first_label = find_line(&lines, 0, |l| l.ends_with(NBSP) && l.contains(':'));
    let before = lines[..first_label].join("\n");
    assert!(matches!(import_published(framework(), &before), Err(ImportError::NotAReport { .. })));
}

// ---------------------------------------------------------------------------------------
// Inputs that are not reports

fn assert_not_a_report(input: &str) {
    match import_published(framework(), input) {
        Err(error @ ImportError::NotAReport { .. }) => {
            assert_eq!(error.code(), "not_a_report");
            assert!(error.to_string().contains("not a published periodic report"), "{error}");
        }
        other => panic!("expected NotAReport, got {other:?}"),
    }
}

#[test]
fn a_readme_is_not_a_report() {
    assert_not_a_report(
        "# qpr\n\nTools for the Quadrennial Periodic Reports of the 2005 Convention.\n\n## Building\n\nRun `cargo build`.\nLicense: Apache-2.0\n\nSee also: the documentation.\n",
    );
}

#[test]
fn an_empty_or_blank_input_is_not_a_report() {
    assert_not_a_report("");
    assert_not_a_report("\n\n\u{a0}\r\n   \t\n");
}

#[test]
fn binary_bytes_are_not_a_report() {
    let bytes: Vec<u8> = (0..4096u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8).collect();
    assert_not_a_report(&String::from_utf8_lossy(&bytes));
    let all_bytes: Vec<u8> = (0..=255u8).cycle().take(2048).collect();
    assert_not_a_report(&String::from_utf8_lossy(&all_bytes));
}

#[test]
fn only_the_page_title_is_not_a_report() {
    assert_not_a_report("Quadrennial Periodic Report\nAzerbaijan 2022\n");
}

// ---------------------------------------------------------------------------------------
// Stray text and unknown labels

#[test]
fn a_stray_line_between_two_questions_is_a_warning_at_its_line() {
    let lines = seed_lines();
    let label = label_line_of(&lines, "g1_media_psm_remit");
    assert_eq!(lines[label + 1], "YES");
    let mut edited = lines.clone();
    edited.insert(label + 2, "This sentence belongs to no question.");
    let found = import(&edited.join("\n"));

    let stray: Vec<&ImportWarning> =
        found.warnings.iter().filter(|w| w.message.contains("This sentence belongs to no question.")).collect();
    assert_eq!(stray.len(), 1, "{:#?}", found.warnings);
    assert_eq!(stray[0].line, label + 3, "1-based line of the inserted text");
    assert_eq!(found.warnings.len(), 2);
    assert_eq!(found.answers, seed_doc().answers, "the answer before the stray line is kept");
    assert_eq!(found.policy_measures, seed_doc().policy_measures);
}

#[test]
fn an_unknown_label_is_a_warning_naming_it_and_its_value() {
    let lines = seed_lines();
    let label = label_line_of(&lines, "g1_ccs_ministry");
    let mut edited = lines.clone();
    edited.splice(label + 2..label + 2, ["Some new question:\u{a0}", "Its answer, on its own line"]);
    let found = import(&edited.join("\n"));

    let unknown: Vec<&ImportWarning> =
        found.warnings.iter().filter(|w| w.message.contains("Some new question")).collect();
    assert_eq!(unknown.len(), 1, "{:#?}", found.warnings);
    assert_eq!(unknown[0].line, label + 3);
    assert!(unknown[0].message.contains("Its answer, on its own line"), "{}", unknown[0].message);
    assert_eq!(found.answers, seed_doc().answers);
    assert_eq!(found.policy_measures, seed_doc().policy_measures);
    assert_eq!(found.cso_measures, seed_doc().cso_measures);
}

#[test]
fn an_unknown_label_inside_a_record_is_a_warning_and_the_records_go_on() {
    let lines = seed_lines();
    let title = title_line(&lines, "Adoption of the new Law on Media");
    let youth = find_line(&lines, title, |l| l.starts_with("Does it specifically target young people?"));
    let mut edited = lines.clone();
    edited.splice(youth..youth, ["Number of beneficiaries:\u{a0}", "1200"]);
    let found = import(&edited.join("\n"));

    let unknown: Vec<&ImportWarning> =
        found.warnings.iter().filter(|w| w.message.contains("Number of beneficiaries")).collect();
    assert_eq!(unknown.len(), 1, "{:#?}", found.warnings);
    assert_eq!(unknown[0].line, youth + 1);
    assert!(unknown[0].message.contains("1200"), "{}", unknown[0].message);
    assert_eq!(found.policy_measures, seed_doc().policy_measures, "the record and the ones after it are read");
    assert_eq!(found.answers, seed_doc().answers);
    assert_eq!(found.warnings.len(), 2);
}

// ---------------------------------------------------------------------------------------
// HTML rendering

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// Headings of the framework (sections, sub-headings, goals), loosely normalized.
fn is_heading(line: &str) -> bool {
    let wanted = normalize_loose(line);
    let f = framework();
    f.sections.iter().any(|s| {
        normalize_loose(&s.heading.en) == wanted
            || s.subheading.as_ref().is_some_and(|h| normalize_loose(&h.en) == wanted)
    }) || f.goals.iter().any(|g| normalize_loose(&g.heading.en) == wanted)
}

/// The seed as a simple page: labels and one-line values in `<div>`s, runs of value lines
/// set off by blank lines in one `<p>` (lines joined by `<br>`), headings in `<h2>`, the page
/// title in `<h1>`, and a `<head>` with a script and a style the conversion must ignore.
fn seed_as_html() -> String {
    let lines = seed_lines();
    let mut body = String::new();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        if line.trim().is_empty() {
            i += 1;
            continue;
        }
        if line == "Quadrennial Periodic Report" {
            body.push_str("<h1 class=\"page-title\">Quadrennial Periodic Report</h1>\n");
        } else if is_heading(line) && i > 0 && lines[i - 1].trim().is_empty() {
            body.push_str(&format!("<h2>{}</h2>\n", escape(line)));
        } else if let Some(label) = line.strip_suffix(NBSP) {
            body.push_str(&format!("<div class=\"field-label\">{}&nbsp;</div>\n", escape(label)));
        } else {
            // A run of value lines up to the next blank line, label or heading.
            let start = i;
            while i + 1 < lines.len() && !lines[i + 1].trim().is_empty() && !lines[i + 1].ends_with(NBSP) {
                i += 1;
            }
            let run = &lines[start..=i];
            let blank_around = (start > 0 && lines[start - 1].trim().is_empty())
                || lines.get(i + 1).is_some_and(|l| l.trim().is_empty());
            if blank_around {
                let inner: Vec<String> = run.iter().map(|l| escape(l)).collect();
                body.push_str(&format!("<p>{}</p>\n", inner.join("<br>\n")));
            } else {
                for l in run {
                    body.push_str(&format!("<div class=\"field-item\">{}</div>\n", escape(l)));
                }
            }
        }
        i += 1;
    }
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Quadrennial Periodic Report | UNESCO</title>\n\
         <script>var label = \"Name of Party:\u{a0}\"; document.write(\"<p>YES</p>\");</script>\n\
         <style>.field-label {{ font-weight: bold; }}</style></head>\n<body><div id=\"page\">\n{body}</div></body></html>\n"
    )
}

#[test]
fn the_seed_as_html_gives_the_same_answers_and_records() {
    let html = seed_as_html();
    assert!(qpr_import::looks_like_html(&html));
    let found = import(&html);
    assert_eq!(found.answers, seed_doc().answers);
    assert_eq!(found.policy_measures, seed_doc().policy_measures);
    assert_eq!(found.cso_measures, seed_doc().cso_measures);
    assert_eq!(found.party, seed_doc().party);
    assert_eq!(found.year, 2022);
    let source = found.source.as_ref().unwrap();
    assert_eq!(source.page_title.as_deref(), Some("Quadrennial Periodic Report"));
    assert_eq!(source.report_label.as_deref(), Some("Azerbaijan 2022"));
    assert!(
        !found.warnings.iter().any(|w| w.message.contains("document.write")),
        "the script is ignored: {:#?}",
        found.warnings
    );
    let injected: Vec<&ImportWarning> = found.warnings.iter().filter(|w| w.message.contains("bestbonus.biz")).collect();
    assert_eq!(injected.len(), 1, "{:#?}", found.warnings);
}

// ---------------------------------------------------------------------------------------
// French labels

#[test]
fn french_yes_no_labels_with_oui_non_give_the_same_booleans() {
    let mut lines: Vec<String> = seed_lines().iter().map(|l| (*l).to_owned()).collect();
    let mut translated = 0;
    for (_, question) in framework().questions().filter(|(_, q)| q.answer_type == AnswerType::YesNo) {
        let wanted = normalize_loose(&question.label.en);
        let Some(at) = lines.iter().position(|l| l.ends_with(NBSP) && normalize_loose(l) == wanted) else { continue };
        lines[at] = format!("{}:\u{a0}", question.label.fr);
        let value = &mut lines[at + 1];
        *value = match value.as_str() {
            "YES" => "OUI".to_owned(),
            "NO" => "NON".to_owned(),
            other => other.to_owned(),
        };
        translated += 1;
    }
    assert_eq!(translated, 33);
    // One record's yes/no fields too.
    let record_type = framework().record_type("policy_measure").unwrap();
    let title = lines.iter().position(|l| l == "Adoption of the new Law on Media").unwrap();
    for field in record_type.fields.iter().filter(|f| f.answer_type == AnswerType::YesNo) {
        let wanted = normalize_loose(&field.label.en);
        let at = (title..lines.len()).find(|&i| normalize_loose(&lines[i]) == wanted).unwrap();
        lines[at] = format!("{}:\u{a0}", field.label.fr);
        lines[at + 1] = if lines[at + 1] == "YES" { "OUI".into() } else { "NON".into() };
    }
    let text = lines.join("\n");
    assert!(text.contains("OUI") && text.contains("NON"));
    let found = import(&text);

    let booleans = |doc: &ReportDocument| -> Vec<(String, Value)> {
        doc.answers.iter().filter(|(_, v)| v.is_boolean() || v.is_null()).map(|(k, v)| (k.clone(), v.clone())).collect()
    };
    assert_eq!(booleans(&found), booleans(seed_doc()));
    assert_eq!(found.answers.values().filter(|v| v.is_boolean()).count(), 29);
    assert_eq!(found.answers, seed_doc().answers);
    assert_eq!(found.policy_measures, seed_doc().policy_measures);
    assert_eq!(messages(&found.warnings), messages(&seed_doc().warnings));
}
