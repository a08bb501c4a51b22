//! The golden fact sheet (`shared/spec/seed-facts.md`) transcribed as assertions on the
//! import of the seed report (Azerbaijan 2022): every fact a report document can express.
//! Section numbers in test names and comments are those of the fact sheet.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "test code: a failed lookup is a failed test")]

use std::collections::{BTreeMap, BTreeSet};

use qpr_domain::document::{CsoMeasure, PolicyMeasure, numbered_items};
use qpr_domain::framework::AnswerType;
use qpr_domain::money::Usd;
use qpr_domain::validate::{Severity, validate};
use qpr_domain::{Framework, ReportDocument};
use serde_json::{Value, json};

use crate::support::{SEED, seed_doc};

fn answer(id: &str) -> &'static Value {
    seed_doc().answers.get(id).unwrap_or_else(|| panic!("no answer `{id}` in the document"))
}

fn text(id: &str) -> &'static str {
    answer(id).as_str().unwrap_or_else(|| panic!("`{id}` is not text: {}", answer(id)))
}

fn strings(id: &str) -> Vec<&'static str> {
    answer(id)
        .as_array()
        .unwrap_or_else(|| panic!("`{id}` is not a list"))
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect()
}

fn chars(text: &str) -> usize {
    text.chars().count()
}

fn paragraph_lengths(text: &str) -> Vec<usize> {
    text.split("\n\n").map(chars).collect()
}

fn usd(dollars: i64) -> Option<Usd> {
    Some(Usd::from_cents(dollars * 100))
}

fn measures(area: &str) -> Vec<&'static PolicyMeasure> {
    seed_doc().policy_measures.iter().filter(|m| m.area == area).collect()
}

fn cso_of_goal(goal: u8) -> Vec<&'static CsoMeasure> {
    seed_doc().cso_measures_of_goal(goal).collect()
}

// ---------------------------------------------------------------------------------------
// Source and warnings

#[test]
fn source_holds_the_page_header_and_the_archive_capture_time() {
    let source = seed_doc().source.as_ref().expect("source");
    assert_eq!(source.page_title.as_deref(), Some("Quadrennial Periodic Report"));
    assert_eq!(source.report_label.as_deref(), Some("Azerbaijan 2022"));
    assert_eq!(
        source.node_title.as_deref(),
        Some("Quadrennial Periodic Report - azerbaijanreport - 05/08/2022 - 23:30")
    );
    assert_eq!(source.archive_capture.as_deref(), Some("01:43:48 Jul 02, 2023"));
}

#[test]
fn the_only_warning_is_the_text_injected_after_the_electronic_signature_label() {
    let warnings = &seed_doc().warnings;
    assert_eq!(warnings.len(), 1, "{warnings:#?}");
    assert_eq!(warnings[0].line, 854);
    assert!(warnings[0].message.contains("`bestbonus.biz eokul365.com`"), "{}", warnings[0].message);
    assert_eq!(SEED.lines().nth(853), Some("bestbonus.biz eokul365.com"));
    assert_eq!(SEED.lines().nth(852), Some("Electronic Signature:\u{a0}"));
}

#[test]
fn the_document_survives_a_json_round_trip() {
    let json = seed_doc().to_json_pretty();
    let again = ReportDocument::from_json(&json).expect("the JSON parses");
    assert_eq!(&again, seed_doc());
    assert_eq!(again.to_json_pretty(), json);
}

#[test]
fn validation_finds_no_errors() {
    let findings = validate(Framework::qpr_2020(), seed_doc());
    let errors: Vec<_> = findings.iter().filter(|f| f.severity == Severity::Error).collect();
    let warnings: Vec<_> = findings.iter().filter(|f| f.severity == Severity::Warning).collect();
    assert!(errors.is_empty(), "errors: {errors:#?}\nwarnings: {warnings:#?}");
}

#[test]
fn header_keys_follow_the_contract() {
    assert_eq!(seed_doc().format, "qpr-report/1");
    assert_eq!(seed_doc().framework, "qpr-2020");
}

// ---------------------------------------------------------------------------------------
// §1 General information

#[test]
fn s1_party_iso3_and_year() {
    assert_eq!(seed_doc().party.name, "Azerbaijan");
    assert_eq!(seed_doc().party.iso3.as_ref().map(|c| c.as_str()), Some("AZE"));
    assert_eq!(seed_doc().year, 2022);
    assert_eq!(text("gi_party_name"), "Azerbaijan");
}

#[test]
fn s1_ratification_date_is_the_year_only() {
    assert_eq!(text("gi_ratification_date"), "2010");
}

#[test]
fn s1_point_of_contact_title_address_and_two_emails() {
    assert_eq!(text("gi_poc_title"), "Mr.");
    assert_eq!(
        strings("gi_poc_address"),
        [
            "Ramil Abbakirov",
            "Ministry of Culture",
            "84 Ü. Hacıbeyli Str., House of Government",
            "AZ1000 Baku",
            "Azerbaijan"
        ]
    );
    assert_eq!(strings("gi_poc_email"), ["r.abbakirov@mct.gov.az", "ramil.abbakirov@yandex.ru"]);
}

#[test]
fn s1_consultation_process_has_two_paragraphs_of_556_and_992_chars() {
    assert_eq!(paragraph_lengths(text("gi_consultation_process")), [556, 992]);
    assert!(text("gi_consultation_process").contains("starkeholders"), "typos are kept verbatim");
}

#[test]
fn s1_executive_summary_has_three_paragraphs_of_1282_559_and_810_chars() {
    assert_eq!(paragraph_lengths(text("gi_executive_summary")), [1282, 559, 810]);
}

#[test]
fn s1_stakeholder_table_has_one_row_without_website() {
    let rows = answer("gi_stakeholders").as_array().expect("rows");
    assert_eq!(rows.len(), 1);
    let row = rows[0].as_object().expect("a row");
    assert_eq!(row.get("organization_type"), Some(&json!("Public Sector")));
    assert_eq!(row.get("organization"), Some(&json!("Ministry of Culture of the Republic of Azerbaijan")));
    assert_eq!(row.get("email"), Some(&json!("info@culture.gov.az")));
    assert!(row.get("website").is_none_or(Value::is_null), "no website: {row:?}");
}

// ---------------------------------------------------------------------------------------
// §2 Policy/measure records per area and per goal

const AREA_RECORDS: [(&str, usize); 12] = [
    ("cultural_creative_sectors", 5),
    ("media_diversity", 1),
    ("digital_environment", 2),
    ("partnering_civil_society", 2),
    ("mobility", 2),
    ("flow_goods_services", 2),
    ("treaties_agreements", 4),
    ("national_sd_policies", 1),
    ("international_cooperation_sd", 0),
    ("gender_equality", 2),
    ("artistic_freedom", 0),
    ("transversal", 1),
];

#[test]
fn s2_records_per_area() {
    for (area, expected) in AREA_RECORDS {
        assert_eq!(measures(area).len(), expected, "records in {area}");
    }
    assert_eq!(seed_doc().policy_measures.len(), 22);
    let known: BTreeSet<&str> = AREA_RECORDS.iter().map(|(area, _)| *area).collect();
    assert!(seed_doc().policy_measures.iter().all(|m| known.contains(m.area.as_str())));
}

#[test]
fn s2_records_per_goal_and_21_in_the_eleven_areas() {
    let framework = Framework::qpr_2020();
    let mut per_goal: BTreeMap<u8, usize> = BTreeMap::new();
    for measure in &seed_doc().policy_measures {
        if let Some(goal) = framework.area_section(&measure.area).and_then(|s| s.goal) {
            *per_goal.entry(goal).or_default() += 1;
        }
    }
    assert_eq!(per_goal, BTreeMap::from([(1, 10), (2, 8), (3, 1), (4, 2)]));
    assert_eq!(per_goal.values().sum::<usize>(), 21);
    assert_eq!(seed_doc().policy_measures.len() - 21, measures("transversal").len());
}

#[test]
fn s2_empty_repeaters_are_not_stored_as_dash_records() {
    assert!(seed_doc().policy_measures.iter().all(|m| m.title != "-"));
    assert!(seed_doc().cso_measures.iter().all(|m| m.title != "-"));
}

// ---------------------------------------------------------------------------------------
// §3 CSO measures per goal

#[test]
fn s3_cso_measures_per_goal_total_5() {
    let counts: Vec<usize> = (1..=4).map(|goal| cso_of_goal(goal).len()).collect();
    assert_eq!(counts, [1, 1, 0, 3]);
    assert_eq!(seed_doc().cso_measures.len(), 5);
    assert_eq!(seed_doc().policy_measures.len() + seed_doc().cso_measures.len(), 27);
}

// ---------------------------------------------------------------------------------------
// §4 Record-level matrix

#[derive(Debug, Clone, Copy)]
enum Kind {
    Policy(&'static str),
    Cso(u8),
}

#[derive(Debug, Clone, Copy)]
enum Financial {
    Absent,
    Raw(&'static str),
    /// Prose, this many characters.
    Prose(usize),
}

struct Row {
    line: usize,
    kind: Kind,
    title: &'static str,
    agencies: usize,
    domains: usize,
    young: bool,
    results: bool,
    financial: Financial,
    evaluated: bool,
    conclusions: bool,
    partners: usize,
}

const fn policy(
    line: usize,
    area: &'static str,
    title: &'static str,
    (agencies, domains, young, results): (usize, usize, bool, bool),
    financial: Financial,
    (evaluated, conclusions, partners): (bool, bool, usize),
) -> Row {
    Row {
        line,
        kind: Kind::Policy(area),
        title,
        agencies,
        domains,
        young,
        results,
        financial,
        evaluated,
        conclusions,
        partners,
    }
}

const fn cso(
    line: usize,
    goal: u8,
    title: &'static str,
    (agencies, domains, young, results): (usize, usize, bool, bool),
) -> Row {
    Row {
        line,
        kind: Kind::Cso(goal),
        title,
        agencies,
        domains,
        young,
        results,
        financial: Absent,
        evaluated: false,
        conclusions: false,
        partners: 0,
    }
}

const Y: bool = true;
const N: bool = false;
use Financial::{Absent, Prose, Raw};

/// §4, in file order. Titles are the sheet's truncated titles (without the `...`).
const MATRIX: [Row; 27] = [
    policy(
        107,
        "cultural_creative_sectors",
        "Decree of the President of Azerbaijan on \"Measures related to the d",
        (1, 1, Y, Y),
        Prose(102),
        (N, N, 1),
    ),
    policy(
        131,
        "cultural_creative_sectors",
        "Establishment of the Azerbaijan Federation of Creative Industries",
        (1, 0, N, Y),
        Absent,
        (N, N, 0),
    ),
    policy(
        146,
        "cultural_creative_sectors",
        "Declaration of Shusha as a cultural capital of Azerbaijan - 2022",
        (1, 0, Y, Y),
        Absent,
        (N, N, 0),
    ),
    policy(
        161,
        "cultural_creative_sectors",
        "State Program \"The theatre of Azerbaijan in 2009-2019\"",
        (1, 1, Y, Y),
        Raw("780000"),
        (Y, Y, 1),
    ),
    policy(
        187,
        "cultural_creative_sectors",
        "Action Plan on the implementation of necessary activities for the d",
        (1, 0, N, Y),
        Absent,
        (N, N, 0),
    ),
    policy(228, "media_diversity", "Adoption of the new Law on Media", (1, 3, Y, Y), Absent, (N, N, 3)),
    policy(
        274,
        "digital_environment",
        "Establishment of the Department of Creative Industries and Digital ",
        (1, 0, Y, Y),
        Absent,
        (N, N, 0),
    ),
    policy(
        289,
        "digital_environment",
        "Decree of the President of the Republic of Azerbaijan on \"Measures ",
        (2, 7, Y, Y),
        Absent,
        (N, N, 0),
    ),
    policy(
        336,
        "partnering_civil_society",
        "Mechanisms of regular consultation and exchange with the civil soci",
        (1, 0, N, Y),
        Raw("65 000"),
        (N, N, 5),
    ),
    policy(374, "partnering_civil_society", "ABAD - Easy Support for Family Business", (1, 2, N, Y), Absent, (N, N, 0)),
    policy(
        405,
        "mobility",
        "Exchange programmes for students under the State Program \"The theat",
        (2, 1, Y, Y),
        Prose(288),
        (N, N, 0),
    ),
    policy(
        425,
        "mobility",
        "Implementation of the national stage of the \"Creative Business Cup\"",
        (1, 7, Y, Y),
        Absent,
        (N, N, 0),
    ),
    policy(
        468,
        "flow_goods_services",
        "Amendments to the Law on Culture with regard to the flow of cultura",
        (1, 0, N, Y),
        Prose(300),
        (N, N, 0),
    ),
    policy(
        485,
        "flow_goods_services",
        "Creative Azerbaijan: Export Opportunities for Creative Products thr",
        (2, 0, N, Y),
        Absent,
        (N, N, 0),
    ),
    policy(
        511,
        "treaties_agreements",
        "Belgrade Declaration of the Ministers in Charge of Culture of the M",
        (1, 0, N, Y),
        Absent,
        (N, N, 1),
    ),
    policy(
        531,
        "treaties_agreements",
        "Agreement between the Government of the Republic of Azerbaijan and ",
        (1, 0, N, Y),
        Absent,
        (N, N, 0),
    ),
    policy(
        546,
        "treaties_agreements",
        "Memorandum of Understanding on cultural cooperation between the Min",
        (1, 2, N, N),
        Absent,
        (N, N, 0),
    ),
    policy(
        562,
        "treaties_agreements",
        "Protocol between the Ministry of Culture of the Republic of Azerbai",
        (1, 0, N, N),
        Absent,
        (N, N, 0),
    ),
    policy(
        600,
        "national_sd_policies",
        "“Azerbaijan 2030: National Priorities for Socio-Economic Development”",
        (1, 0, N, Y),
        Absent,
        (N, N, 0),
    ),
    policy(
        653,
        "gender_equality",
        "Conference on the role of women in ICT (2019)",
        (2, 0, N, Y),
        Raw("38,000"),
        (N, N, 0),
    ),
    policy(
        671,
        "gender_equality",
        "Round table on \"Women in Innovation and Creativity: a Leading Force",
        (2, 0, N, Y),
        Raw("27,000"),
        (N, N, 0),
    ),
    cso(715, 1, "\"Creative Azerbaijan Volunteers\" Movement", (1, 0, Y, Y)),
    cso(729, 2, "Baku Street Photography Festival 2021", (1, 1, Y, Y)),
    cso(747, 4, "Project on Promotion of cultural diversity through effective use of", (1, 1, N, N)),
    cso(760, 4, "Group exhibition \"Think that not everything exists\"", (1, 2, N, N)),
    cso(774, 4, "Azerbaijan Design Forum 2019", (2, 1, Y, Y)),
    policy(
        796,
        "transversal",
        "Collaboration among universities- Creative Spark Programme",
        (1, 7, Y, Y),
        Absent,
        (N, N, 1),
    ),
];

#[test]
fn s4_matrix_policy_records_in_order() {
    let rows: Vec<&Row> = MATRIX.iter().filter(|r| matches!(r.kind, Kind::Policy(_))).collect();
    assert_eq!(rows.len(), seed_doc().policy_measures.len());
    for (row, m) in rows.iter().zip(&seed_doc().policy_measures) {
        let at = format!("record of line {} (`{}`)", row.line, m.title);
        let Kind::Policy(area) = row.kind else { unreachable!() };
        assert!(m.title.starts_with(row.title.trim_end()), "{at}: title prefix `{}`", row.title);
        assert_eq!(m.area, area, "{at}: area");
        assert_eq!(m.agencies.len(), row.agencies, "{at}: agencies");
        assert_eq!(m.domains.len(), row.domains, "{at}: domains");
        assert_eq!(m.targets_youth, Some(row.young), "{at}: young people");
        assert_eq!(m.ifcd_support, Some(false), "{at}: IFCD");
        assert_eq!(m.results.is_some(), row.results, "{at}: results present");
        match (row.financial, &m.financial_resources) {
            (Absent, None) => {}
            (Raw(raw), Some(amount)) => assert_eq!(amount.raw, raw, "{at}: financial"),
            (Prose(len), Some(amount)) => {
                assert_eq!(chars(&amount.raw), len, "{at}: financial prose length");
                assert_eq!(amount.usd.is_none(), len != 102, "{at}: only the l.122 prose names a USD figure");
            }
            (expected, found) => panic!("{at}: financial expected {expected:?}, found {found:?}"),
        }
        assert_eq!(m.evaluated, Some(row.evaluated), "{at}: evaluated");
        assert_eq!(m.evaluation_conclusions.is_some(), row.conclusions, "{at}: conclusions");
        assert_eq!(m.partners.len(), row.partners, "{at}: partners");
    }
}

#[test]
fn s4_matrix_cso_records_in_order() {
    let rows: Vec<&Row> = MATRIX.iter().filter(|r| matches!(r.kind, Kind::Cso(_))).collect();
    assert_eq!(rows.len(), seed_doc().cso_measures.len());
    for (row, m) in rows.iter().zip(&seed_doc().cso_measures) {
        let at = format!("CSO record of line {} (`{}`)", row.line, m.title);
        let Kind::Cso(goal) = row.kind else { unreachable!() };
        assert!(m.title.starts_with(row.title.trim_end()), "{at}: title prefix `{}`", row.title);
        assert_eq!(m.goal, goal, "{at}: goal");
        assert_eq!(m.organizations.len(), row.agencies, "{at}: CSO names");
        assert_eq!(m.domains.len(), row.domains, "{at}: domains");
        assert_eq!(m.targets_youth, Some(row.young), "{at}: young people");
        assert_eq!(m.ifcd_funding, Some(false), "{at}: IFCD");
        assert_eq!(m.results.is_some(), row.results, "{at}: results present");
        assert!(m.extra.is_empty(), "{at}: no policy-only fields: {:?}", m.extra);
    }
}

#[test]
fn s4_matrix_covers_27_records() {
    assert_eq!(MATRIX.len(), 27);
    assert_eq!(MATRIX.len(), seed_doc().policy_measures.len() + seed_doc().cso_measures.len());
    assert!(MATRIX.windows(2).all(|w| w[0].line < w[1].line), "rows are in file order");
}

#[test]
fn s4_agencies_27_entries_13_distinct_ministry_of_culture_14_times() {
    let agencies: Vec<&str> =
        seed_doc().policy_measures.iter().flat_map(|m| m.agencies.iter().map(String::as_str)).collect();
    assert_eq!(agencies.len(), 27);
    assert_eq!(agencies.iter().collect::<BTreeSet<_>>().len(), 13);
    assert_eq!(agencies.iter().filter(|a| **a == "Ministry of Culture of the Republic of Azerbaijan").count(), 14);
    let with_two: Vec<usize> =
        seed_doc().policy_measures.iter().enumerate().filter(|(_, m)| m.agencies.len() == 2).map(|(i, _)| i).collect();
    // l.289, 405, 485, 653, 671 are the 8th, 11th, 14th, 20th and 21st records.
    assert_eq!(with_two, [7, 10, 13, 19, 20]);
    assert!(seed_doc().policy_measures.iter().all(|m| (1..=2).contains(&m.agencies.len())));
}

#[test]
fn s4_cso_names_6_entries_the_last_record_names_2() {
    let counts: Vec<usize> = seed_doc().cso_measures.iter().map(|m| m.organizations.len()).collect();
    assert_eq!(counts, [1, 1, 1, 1, 2]);
    assert_eq!(counts.iter().sum::<usize>(), 6);
}

fn domain_counts<'a>(domains: impl Iterator<Item = &'a String>) -> BTreeMap<&'a str, usize> {
    let mut counts = BTreeMap::new();
    for domain in domains {
        *counts.entry(domain.as_str()).or_default() += 1;
    }
    counts
}

#[test]
fn s4_policy_domains_31_selections_in_9_records_by_domain() {
    let policies = &seed_doc().policy_measures;
    assert_eq!(policies.iter().filter(|m| !m.domains.is_empty()).count(), 9);
    assert_eq!(policies.iter().map(|m| m.domains.len()).sum::<usize>(), 31);
    assert_eq!(
        domain_counts(policies.iter().flat_map(|m| &m.domains)),
        BTreeMap::from([
            ("cinema_audiovisual", 5),
            ("design", 4),
            ("media_arts", 4),
            ("music", 4),
            ("performing_arts", 6),
            ("publishing", 4),
            ("visual_arts", 4),
        ])
    );
    let all_seven: Vec<usize> =
        policies.iter().enumerate().filter(|(_, m)| m.domains.len() == 7).map(|(i, _)| i).collect();
    assert_eq!(all_seven, [7, 11, 21], "l.289, 425, 796");
}

#[test]
fn s4_cso_domains_5_selections_in_4_records() {
    let csos = &seed_doc().cso_measures;
    assert_eq!(csos.iter().filter(|m| !m.domains.is_empty()).count(), 4);
    assert_eq!(
        domain_counts(csos.iter().flat_map(|m| &m.domains)),
        BTreeMap::from([("design", 2), ("media_arts", 1), ("visual_arts", 2)])
    );
}

#[test]
fn s4_young_people_12_yes_15_no() {
    let policy: Vec<Option<bool>> = seed_doc().policy_measures.iter().map(|m| m.targets_youth).collect();
    let cso: Vec<Option<bool>> = seed_doc().cso_measures.iter().map(|m| m.targets_youth).collect();
    let count = |list: &[Option<bool>], v: bool| list.iter().filter(|x| **x == Some(v)).count();
    assert_eq!((count(&policy, true), count(&policy, false)), (9, 13));
    assert_eq!((count(&cso, true), count(&cso, false)), (3, 2));
    assert_eq!(count(&policy, true) + count(&cso, true), 12);
    assert_eq!(count(&policy, false) + count(&cso, false), 15);
}

#[test]
fn s4_ifcd_all_27_false() {
    assert_eq!(seed_doc().policy_measures.iter().filter(|m| m.ifcd_support == Some(false)).count(), 22);
    assert_eq!(seed_doc().cso_measures.iter().filter(|m| m.ifcd_funding == Some(false)).count(), 5);
}

#[test]
fn s4_one_evaluated_record_with_its_conclusions() {
    let policies = &seed_doc().policy_measures;
    assert_eq!(policies.iter().filter(|m| m.evaluated == Some(true)).count(), 1);
    assert_eq!(policies.iter().filter(|m| m.evaluated == Some(false)).count(), 21);
    let with_conclusions: Vec<&PolicyMeasure> =
        policies.iter().filter(|m| m.evaluation_conclusions.is_some()).collect();
    assert_eq!(with_conclusions.len(), 1);
    assert_eq!(with_conclusions[0].evaluated, Some(true));
    let conclusions = with_conclusions[0].evaluation_conclusions.as_deref().unwrap();
    assert!(conclusions.starts_with("The Program evaluation has shown that its has : 1) contributed"), "{conclusions}");
    assert!(conclusions.ends_with("promote Azerbaijan's theater creativity worldwide."), "{conclusions}");
}

#[test]
fn s4_results_present_in_20_of_22_and_3_of_5() {
    assert_eq!(seed_doc().policy_measures.iter().filter(|m| m.results.is_some()).count(), 20);
    assert_eq!(seed_doc().cso_measures.iter().filter(|m| m.results.is_some()).count(), 3);
}

#[test]
fn s4_financial_resources_present_in_7_of_22() {
    let present: Vec<usize> = seed_doc()
        .policy_measures
        .iter()
        .enumerate()
        .filter(|(_, m)| m.financial_resources.is_some())
        .map(|(i, _)| i)
        .collect();
    // l.107, 161, 336, 405, 468, 653, 671.
    assert_eq!(present, [0, 3, 8, 10, 12, 19, 20]);
}

// ---------------------------------------------------------------------------------------
// §5 Partners

#[test]
fn s5_twelve_partners_in_six_records_9_cso_3_public_12_distinct() {
    let partners: Vec<_> = seed_doc().policy_measures.iter().flat_map(|m| &m.partners).collect();
    assert_eq!(partners.len(), 12);
    assert_eq!(seed_doc().policy_measures.iter().filter(|m| !m.partners.is_empty()).count(), 6);
    let mut by_type: BTreeMap<&str, usize> = BTreeMap::new();
    for p in &partners {
        *by_type.entry(p.entity_type.as_deref().expect("every partner has a type")).or_default() += 1;
    }
    assert_eq!(by_type, BTreeMap::from([("Civil Society Organization (CSO)", 9), ("Public Sector", 3)]));
    assert_eq!(partners.iter().map(|p| p.name.as_str()).collect::<BTreeSet<_>>().len(), 12);
}

#[test]
fn s5_partners_per_area() {
    let expected = [
        ("cultural_creative_sectors", 2),
        ("media_diversity", 3),
        ("digital_environment", 0),
        ("partnering_civil_society", 5),
        ("mobility", 0),
        ("flow_goods_services", 0),
        ("treaties_agreements", 1),
        ("national_sd_policies", 0),
        ("international_cooperation_sd", 0),
        ("gender_equality", 0),
        ("artistic_freedom", 0),
        ("transversal", 1),
    ];
    for (area, count) in expected {
        assert_eq!(measures(area).iter().map(|m| m.partners.len()).sum::<usize>(), count, "partners in {area}");
    }
}

#[test]
fn s5_partner_names_and_types_exactly() {
    const CSO: &str = "Civil Society Organization (CSO)";
    const PUBLIC: &str = "Public Sector";
    let expected: [(usize, &[(&str, &str)]); 6] = [
        (0, &[("Union of Cinematographers of the Republic of Azerbaijan", CSO)]),
        (3, &[("Union of Theatre Artists of Azerbaijan", CSO)]),
        (
            5,
            &[
                ("Azerbaijan Press Council", PUBLIC),
                ("Local authorities", PUBLIC),
                ("Civil society organizations", CSO),
            ],
        ),
        (
            8,
            &[
                ("Azerbaijan Composers' Union", CSO),
                ("Azerbaijan Writers' Union", CSO),
                ("Azerbaijan Theatre workers' Union", CSO),
                ("Azerbaijan Artists' Union", CSO),
                ("Union of Cinematographers of Azerbaijan", CSO),
            ],
        ),
        (14, &[("Member States of the Organization of the Black Sea Economic Cooperation", PUBLIC)]),
        (21, &[("British Council Azerbaijan", CSO)]),
    ];
    for (index, partners) in expected {
        let found: Vec<(&str, &str)> = seed_doc().policy_measures[index]
            .partners
            .iter()
            .map(|p| (p.name.as_str(), p.entity_type.as_deref().unwrap_or("<none>")))
            .collect();
        assert_eq!(found, partners, "partners of record {index} (`{}`)", seed_doc().policy_measures[index].title);
    }
}

// ---------------------------------------------------------------------------------------
// §6 Financial resources

#[test]
fn s6_financial_raw_strings_exactly_and_derived_usd() {
    let expected: [(usize, &str, Option<Usd>); 7] = [
        (
            0,
            "5 million manats (2.94 mln. USD) (Source: Reserve fund of the President of the Republic of Azerbaijan)",
            usd(2_940_000),
        ),
        (3, "780000", usd(780_000)),
        (8, "65 000", usd(65_000)),
        (
            10,
            "The measures envisaged by the State Program were funded from the state budget of the Republic of Azerbaijan, including funds provided for the Ministry of Culture of the Republic of Azerbaijan in the state budget, as well as other sources in conformity with the legislation of the country.",
            None,
        ),
        (
            12,
            "The measures envisaged for the implementation of the Law are funded from the state budget of the Republic of Azerbaijan, including funds provided for the Ministry of Culture of the Republic of Azerbaijan in the state budget, as well as other sources in conformity with the legislation of the country.",
            None,
        ),
        (19, "38,000", usd(38_000)),
        (20, "27,000", usd(27_000)),
    ];
    for (index, raw, usd) in expected {
        let amount = seed_doc().policy_measures[index].financial_resources.as_ref().expect("financial resources");
        assert_eq!(amount.raw, raw, "raw of record {index}");
        assert_eq!(amount.usd, usd, "usd of record {index}");
    }
}

#[test]
fn s6_five_parsable_amounts_sum_to_910000_plain_and_3850000_in_all() {
    let amounts: Vec<_> = seed_doc().policy_measures.iter().filter_map(|m| m.financial_resources.as_ref()).collect();
    let parsed: Vec<i64> = amounts.iter().filter_map(|a| a.usd).map(Usd::cents).collect();
    assert_eq!(parsed.len(), 5);
    let plain: i64 = amounts
        .iter()
        .filter(|a| a.raw.chars().all(|c| c.is_ascii_digit() || c == ',' || c == ' '))
        .filter_map(|a| a.usd)
        .map(Usd::cents)
        .sum();
    assert_eq!(plain, 910_000 * 100);
    assert_eq!(parsed.iter().sum::<i64>(), 3_850_000 * 100);
    assert_eq!(amounts.iter().filter(|a| a.usd.is_none()).count(), 2, "the two prose answers");
}

// ---------------------------------------------------------------------------------------
// §7 Statistics

#[test]
fn s7_percent_with_year_objects() {
    assert_eq!(answer("g1_ccs_gdp_share"), &json!({"percent": 1.0, "year": 2021}));
    assert_eq!(answer("g1_ccs_employment_share"), &json!({"percent": 3.8, "year": 2021}));
    assert_eq!(answer("g4_gender_public_funds_female_pct"), &json!({"percent": 37.0, "year": 2019}));
    assert_eq!(answer("g4_gender_women_participation_pct"), &json!({"percent": 57.0, "year": 2021}));
}

#[test]
fn s7_public_budget_raw_usd_and_year() {
    let budget = answer("g1_ccs_public_budget");
    assert_eq!(budget["raw"], "104,403,692USD");
    assert_eq!(budget["usd"].as_i64(), Some(104_403_692));
    assert_eq!(budget["year"], 2021);
}

#[test]
fn s7_ifcd_contribution_is_zero() {
    let contribution = answer("g3_intcoop_ifcd_contribution_usd");
    assert_eq!(contribution["raw"], "0.00");
    assert_eq!(contribution["usd"].as_i64(), Some(0));
}

#[test]
fn s7_outcome_ratings_are_all_1() {
    for id in
        ["g3_sd_outcome_economic", "g3_sd_outcome_social", "g3_sd_outcome_environmental", "g3_sd_outcome_cultural"]
    {
        assert_eq!(answer(id), &json!(1), "{id}");
    }
}

#[test]
fn s7_numbers_survive_inside_statistics_texts() {
    assert!(
        text("g1_ccs_public_budget_by_domain")
            .contains("\"Television, radio and publishing\" which totals 39,695,852 USD")
    );
    let employment = text("g1_ccs_employment_share_disaggregated");
    for needle in [
        "cultural production (6.3% of total employment)",
        "information and communication (1.7%)",
        "professional / scientific and technical activities (3.8%)",
        "education (22.5%)",
        "63.6% women vs 36.4% men",
        "cultural production 23.5% women vs 76.5% men",
        "information and communication 29.7% women vs 70.3% men",
        "44.6% women vs 55.4% men",
        "71.4% vs 28.6% men",
    ] {
        assert!(employment.contains(needle), "employment text lacks `{needle}`");
    }
    let decision_making = text("g4_gender_decision_making_pct");
    assert!(
        decision_making.contains("out of 16 positions of heads of departments, 5 are held by women"),
        "{decision_making}"
    );
}

#[test]
fn s7_numbers_survive_inside_cso_and_record_texts() {
    let usage = text("cso_form_usage");
    for needle in
        ["among 33 non-governmental organizations", "21 replies were received", "around 25 percent", "February 2022"]
    {
        assert!(usage.contains(needle), "cso_form_usage lacks `{needle}`");
    }
    let records = &seed_doc().policy_measures;
    // l.388 is the ABAD record's results field.
    let abad = records[9].results.as_deref().unwrap();
    for needle in [
        "482 families",
        "54 percent are women",
        "1.6 million AZN (941,000 USD)",
        "1.2 million AZN (706,000 USD)",
        "5.8 million AZN (3,4 mln USD)",
    ] {
        assert!(abad.contains(needle), "ABAD results lack `{needle}`");
    }
    assert!(records[13].description.contains("1.3 billion manat (764 mln USD)"));
    assert!(records[13].description.contains("worth of export orders from about 150 countries"));
    assert!(records[13].results.as_deref().unwrap().contains("$ 1-1.5 billion"));
    assert!(records[12].description.contains("20 AZN (10 USD)"));
    let federation = records[1].results.as_deref().unwrap();
    assert!(
        federation.contains("more than 500 creative people have registered, from which 30 talented"),
        "{federation}"
    );
    let volunteers = seed_doc().cso_measures[0].results.as_deref().unwrap();
    assert!(volunteers.contains("more than 500 creative people have registered"), "{volunteers}");
    assert!(volunteers.contains("30 young people registered during the assessment were elected"), "{volunteers}");
    let media = records[5].results.as_deref().unwrap();
    for needle in [
        "about 50 non-governmental organizations",
        "More than 15 newspapers and magazines",
        "30 are published in Russian",
        "operate in 5 regions",
    ] {
        assert!(media.contains(needle), "media results lack `{needle}`");
    }
}

// ---------------------------------------------------------------------------------------
// §8 Top-level yes/no questions

const YES_NO: [(&str, Option<bool>); 33] = [
    ("g1_ccs_ministry", Some(true)),
    ("g1_ccs_decentralised", Some(true)),
    ("g1_ccs_regulatory_frameworks", Some(true)),
    ("g1_ccs_interministerial", Some(false)),
    ("g1_media_psm_remit", Some(true)),
    ("g1_media_domestic_content_regulations", Some(false)),
    ("g1_media_regulatory_authority_exists", Some(true)),
    ("g1_digital_transformation_support", Some(true)),
    ("g1_digital_market_diversity", Some(true)),
    ("g1_digital_access_discoverability", Some(true)),
    ("g1_digital_creativity_competencies", None),
    ("g1_digital_access_statistics", Some(false)),
    ("g1_cso_public_funding_schemes", Some(true)),
    ("g1_cso_training_mentoring", Some(true)),
    ("g1_cso_dialogue_mechanisms", Some(true)),
    ("g1_cso_policies_consulted", Some(true)),
    ("g2_flow_preferential_treatment", None),
    ("g2_flow_aid_for_trade", None),
    ("g2_treaties_trade_investment", Some(false)),
    ("g2_treaties_ecommerce", Some(false)),
    ("g2_treaties_policy_agreements", Some(true)),
    ("g3_sd_cultural_bodies_involved", Some(true)),
    ("g3_sd_regeneration_initiatives", Some(true)),
    ("g3_sd_participation_access", Some(true)),
    ("g3_intcoop_ifcd", None),
    ("g3_intcoop_dev_strategies", Some(false)),
    ("g4_gender_participation_policies", Some(true)),
    ("g4_gender_advancement_policies", Some(true)),
    ("g4_artfree_independent_bodies", Some(true)),
    ("g4_artfree_artists_at_risk", Some(false)),
    ("g4_artfree_transparent_funding", Some(true)),
    ("g4_artfree_social_protection", Some(true)),
    ("g4_artfree_economic_measures", Some(false)),
];

#[test]
fn s8_all_33_yes_no_answers() {
    for (id, expected) in YES_NO {
        let expected = expected.map_or(Value::Null, Value::Bool);
        assert_eq!(answer(id), &expected, "{id}");
    }
    let count = |v: Option<bool>| YES_NO.iter().filter(|(_, x)| *x == v).count();
    assert_eq!((count(Some(true)), count(Some(false)), count(None)), (21, 8, 4));
}

#[test]
fn s8_the_33_are_exactly_the_yes_no_questions_of_the_form() {
    let framework: BTreeSet<&str> = Framework::qpr_2020()
        .questions()
        .filter(|(_, q)| q.answer_type == AnswerType::YesNo)
        .map(|(_, q)| q.id.as_str())
        .collect();
    let sheet: BTreeSet<&str> = YES_NO.iter().map(|(id, _)| *id).collect();
    assert_eq!(framework, sheet);
    let booleans = seed_doc().answers.values().filter(|v| v.is_boolean()).count();
    assert_eq!(booleans, 29);
}

#[test]
fn s8_gender_bodies_single_select() {
    assert_eq!(text("g4_gender_bodies"), "Exist but are not relevant for artists and cultural professionals");
}

// ---------------------------------------------------------------------------------------
// §9 Multi-select answers

#[test]
fn s9_education_training_is_an_object_of_3_tvet_and_9_tertiary() {
    assert_eq!(
        answer("g1_ccs_education_training"),
        &json!({
            "tvet": ["Cinema/Audiovisual arts", "Design", "Visual arts"],
            "tertiary": [
                "Cinema/audiovisual arts", "Cultural management", "Design", "Digital cultural and creative sectors",
                "Media arts", "Music", "Performing arts", "Publishing", "Visual arts"
            ]
        })
    );
}

#[test]
fn s9_multi_select_counts_and_values() {
    let all_seven =
        ["Cinema/Audiovisual arts", "Design", "Media Arts", "Music", "Publishing", "Visual Arts", "Performing Arts"];
    let expected: [(&str, &[&str]); 11] = [
        (
            "g1_ccs_specific_measures",
            &[
                "Support job creation in the cultural and creative sectors",
                "Encourage the formalization and growth of micro/small and medium-sized cultural enterprises",
            ],
        ),
        ("g1_ccs_statistics_produced", &["related to cultural and creative sectors"]),
        (
            "g1_media_content_diversity",
            &[
                "Regional and/or local broadcasters",
                "Linguistic diversity in media programming",
                "Community programming for marginalised groups (e.g. indigenous peoples, migrants and refugees, etc.)",
                "Socio-cultural programming (e.g. children, youth, people with disabilities, etc.)",
            ],
        ),
        (
            "g1_media_regulatory_authority_monitors",
            &["Public media", "Community media", "Private sector media", "Online media"],
        ),
        (
            "g1_media_regulatory_authority_responsibilities",
            &[
                "Issuing licenses to broadcasters, content providers, platforms",
                "Receiving and addressing public complaints such as online harassment, fake news, hate speech, etc.",
                "Monitoring cultural (including linguistic) obligations",
            ],
        ),
        ("g1_cso_professional_organizations", &all_seven),
        (
            "g2_mobility_operational_programmes",
            &[
                "Infrastructure (e.g. arts residencies, cultural institutes, etc.) having a mandate to promote the diversity of cultural expressions and hosting a large number of foreign artists, notably from developing countries",
                "Major cultural events (e.g. cultural seasons, festivals, cultural industries markets, etc.) having a mandate to promote the diversity of cultural expressions and hosting a large number of foreign artists, notably from developing countries",
            ],
        ),
        ("g2_flow_export_strategies_domains", &all_seven),
        (
            "g3_sd_plans_recognize",
            &["Culture (in general)", "Creativity and innovation", "Cultural and creative industries"],
        ),
        (
            "g4_gender_data_monitored",
            &["Gender equality in the culture and media sectors", "Participation of women in cultural life"],
        ),
        (
            "g4_artfree_acknowledged_rights",
            &[
                "The right of artists to create without censorship or intimidation",
                "The right of artists to disseminate and/or perform their artistic works",
                "The right for all citizens to freely enjoy artistic works both in public and in private",
                "The right for all citizens to take part in cultural life without restrictions",
            ],
        ),
    ];
    for (id, values) in expected {
        assert_eq!(strings(id), values, "{id}");
    }
    let counts: Vec<usize> = expected.iter().map(|(_, v)| v.len()).collect();
    assert_eq!(counts, [2, 1, 4, 4, 3, 7, 2, 7, 3, 2, 4]);
}

#[test]
fn s9_dash_multi_selects_are_null() {
    for id in ["g2_mobility_policies_exist", "g2_mobility_funds", "g3_intcoop_technical_assistance"] {
        assert_eq!(answer(id), &Value::Null, "{id}");
    }
}

#[test]
fn s9_multi_select_options_resolve_in_the_framework() {
    let framework = Framework::qpr_2020();
    for (section, question) in framework.questions().filter(|(_, q)| q.answer_type == AnswerType::MultiSelect) {
        let (Some(list), Some(Value::Array(items))) =
            (question.options.as_deref(), seed_doc().answers.get(&question.id))
        else {
            continue;
        };
        for item in items {
            let item = item.as_str().unwrap();
            assert!(
                framework.resolve_option(list, item).is_some(),
                "{}.{}: `{item}` is not an option of `{list}`",
                section.id,
                question.id
            );
        }
    }
}

// ---------------------------------------------------------------------------------------
// §10 Conditional free-text fields

#[test]
fn s10_conditional_free_text_fields() {
    assert_eq!(text("g1_media_regulatory_authority_name_year"), "Azerbaijan Press Council");
    let examples = strings("g1_cso_dialogue_examples");
    assert_eq!(examples.len(), 2);
    assert!(examples[0].starts_with(
        "As per the decree of the President of Azerbaijan on \"Measures related to the development of Azerbaijani cinematography\""
    ));
    assert!(examples[0].ends_with("was submitted to the Cabinet of Ministers."));
    assert!(
        examples[1].starts_with("In January 2021, based on the exchanges and discussions with design industry actors")
    );
    assert!(examples[1].ends_with("and creative economy in particular."));
    for id in
        ["g2_flow_preferential_treatment_examples", "g2_flow_aid_for_trade_examples", "g3_intcoop_dev_strategies_names"]
    {
        assert_eq!(answer(id), &Value::Null, "{id}");
    }
}

#[test]
fn no_answer_is_a_dash_string() {
    fn has_dash(value: &Value) -> bool {
        match value {
            Value::String(s) => s.trim() == "-",
            Value::Array(items) => items.iter().any(has_dash),
            Value::Object(map) => map.values().any(has_dash),
            _ => false,
        }
    }
    let dashes: Vec<&String> = seed_doc().answers.iter().filter(|(_, v)| has_dash(v)).map(|(k, _)| k).collect();
    assert!(dashes.is_empty(), "{dashes:?}");
}

// ---------------------------------------------------------------------------------------
// §11 CSO section

#[test]
fn s11_cso_form_usage_is_1904_chars() {
    assert_eq!(chars(text("cso_form_usage")), 1904);
}

#[test]
fn s11_cso_priorities_is_2453_chars_with_exactly_the_10_priorities() {
    let priorities = text("cso_priorities");
    assert_eq!(chars(priorities), 2453);
    assert_eq!(
        numbered_items(priorities),
        [
            "Enhancing the opportunities offered by the government for the civil society organizations for the development of cultural and creative industries, including the status of creators and artists;",
            "Improving the knowledge and skills of entrepreneurs and young talents working in cultural and creative industries by organizing training programs, seminars, exchange programs and other activities or sharing innovations;",
            "Create funding opportunities for cultural and creative industries and provide the public with information on available funding and support opportunities;",
            "Taking measures to improve the export of local products of creative and cultural industries and its flow;",
            "Supporting research and development activities in the field of creative and cultural industries.",
            "Strengthening networking activities, especially in the specific areas of cultural and creative industries;",
            "Supporting the participation and involvement of young people in the work of CSOs;",
            "Reinforcing activities related to arts and creativity in formal and non-formal education and training;",
            "Strengthening and developing opportunities for the participation of business entities in the development of the cultural and creative industries.",
            "Developing training activities, seminars, exchange programs and other activities and sharing innovations.",
        ]
        // The sheet quotes each item with the `;` that separates it from the next one; the
        // separator belongs to no item (`numbered_items`), the final `.` of a sentence does.
        .map(|item| item.trim_end_matches(';'))
    );
}

// ---------------------------------------------------------------------------------------
// §12 Challenges, annexes, submission

#[test]
fn s12_challenges_and_achievements_lengths() {
    assert_eq!(chars(text("ca_main_results")), 1925);
    assert_eq!(chars(text("ca_challenges_solutions")), 1730);
    assert_eq!(chars(text("ca_next_steps")), 1771);
    assert!(text("ca_next_steps").contains("next cycle report him of the country"), "typos are kept verbatim");
}

#[test]
fn s12_annex_documents_is_null() {
    assert_eq!(answer("annex_documents"), &Value::Null);
}

#[test]
fn s12_signatory_and_submission_date() {
    assert_eq!(text("sub_signatory_title"), "Mr.");
    assert_eq!(text("sub_signatory_first_name"), "Ramil");
    assert_eq!(text("sub_signatory_family_name"), "Abbakirov");
    assert_eq!(text("sub_signatory_organization"), "Ministry of Culture of the Republic of Azerbaijan");
    assert_eq!(text("sub_signatory_position"), "Head of Creative Industries and Digital Development Department");
    assert_eq!(text("sub_date"), "2022");
    assert_eq!(answer("sub_electronic_signature"), &Value::Null);
}

// ---------------------------------------------------------------------------------------
// §13 Record titles, agencies/CSOs and domains, exactly

/// (title, agencies or CSOs, domains as the sheet writes them).
const RECORDS: [(&str, &[&str], &[&str]); 27] = [
    (
        "Decree of the President of Azerbaijan on \"Measures related to the development of Azerbaijani cinematography\"",
        &[MOC],
        &["Cinema/ Audiovisual Arts"],
    ),
    ("Establishment of the Azerbaijan Federation of Creative Industries", &[MOC], &[]),
    ("Declaration of Shusha as a cultural capital of Azerbaijan - 2022", &[MOC], &[]),
    ("State Program \"The theatre of Azerbaijan in 2009-2019\"", &[MOC], &["Performing Arts"]),
    (
        "Action Plan on the implementation of necessary activities for the development of creative and cultural industries",
        &[MOC],
        &[],
    ),
    (
        "Adoption of the new Law on Media",
        &["Azerbaijan Press Council"],
        &["Cinema/ Audiovisual Arts", "Media Arts", "Publishing"],
    ),
    (
        "Establishment of the Department of Creative Industries and Digital Development at the Ministry of Culture of the Republic of Azerbaijan",
        &[MOC],
        &[],
    ),
    (
        "Decree of the President of the Republic of Azerbaijan on \"Measures to improve governance in the field of digitalization, innovation, high technologies and communications\" and establishment of the Agency for Innovation and Digital Development",
        &[
            "Ministry of Digital Development and Transport of the Republic of Azerbaijan",
            "Agency for Innovation and Digital Development (under the Ministry of Digital Development and Transport)",
        ],
        &ALL_SEVEN,
    ),
    ("Mechanisms of regular consultation and exchange with the civil society organizations and actors", &[MOC], &[]),
    (
        "ABAD - Easy Support for Family Business",
        &["\"ABAD - Easy Support for Family Business\" Public Legal Entity"],
        &["Design", "Visual Arts"],
    ),
    (
        "Exchange programmes for students under the State Program \"The theatre of Azerbaijan in 2009-2019\"",
        &[MOC, "Union of Theater Workers of Azerbaijan"],
        &["Performing Arts"],
    ),
    ("Implementation of the national stage of the \"Creative Business Cup\" project (2019)", &[MOC], &ALL_SEVEN),
    ("Amendments to the Law on Culture with regard to the flow of cultural goods", &[MOC], &[]),
    (
        "Creative Azerbaijan: Export Opportunities for Creative Products through the Azexport.az Portal",
        &["Center for Economic Reforms Analysis and Communication of the Republic of Azerbaijan", MOC],
        &[],
    ),
    (
        "Belgrade Declaration of the Ministers in Charge of Culture of the Member States of the Organization of the Black Sea Economic Cooperation (Belgrade, 23 November 2018)",
        &["Organization of the Black Sea Economic Cooperation"],
        &[],
    ),
    (
        "Agreement between the Government of the Republic of Azerbaijan and the Government of the United Mexican States on cooperation in the fields of education, science, youth, culture and sports",
        &["Ministry of Culture of the Republic of Azerbaijan- for the culture part of the agreement"],
        &[],
    ),
    (
        "Memorandum of Understanding on cultural cooperation between the Ministry of Culture of the Republic of Azerbaijan and the Ministry of Culture of the Hashemite Kingdom of Jordan",
        &[MOC],
        &["Music", "Performing Arts"],
    ),
    (
        "Protocol between the Ministry of Culture of the Republic of Azerbaijan and the Ministry of Culture and Tourism of the People's Republic of China on cultural cooperation for 2019-2023",
        &[MOC],
        &[],
    ),
    (
        "“Azerbaijan 2030: National Priorities for Socio-Economic Development”",
        &["Government of the Republic of Azerbaijan"],
        &[],
    ),
    (
        "Conference on the role of women in ICT (2019)",
        &[
            "State Committee on Family, Women and Children",
            "Institute of Information Technology of the Azerbaijan National Academy of Sciences",
        ],
        &[],
    ),
    (
        "Round table on \"Women in Innovation and Creativity: a Leading Force for Change\" (2018)",
        &["State Committee on Family, Women and Children", "State Copyright Agency"],
        &[],
    ),
    ("Collaboration among universities- Creative Spark Programme", &[MOC], &ALL_SEVEN),
    // CSO records.
    ("\"Creative Azerbaijan Volunteers\" Movement", &["Azerbaijan Federation of Creative Industries"], &[]),
    ("Baku Street Photography Festival 2021", &["YARAT Contemporary Art Space"], &["Visual Arts"]),
    (
        "Project on Promotion of cultural diversity through effective use of information technologies",
        &["“Kamillik” Public Union for Legal Awareness of Citizens"],
        &["Media Arts"],
    ),
    ("Group exhibition \"Think that not everything exists\"", &["Yarat"], &["Design", "Visual Arts"]),
    ("Azerbaijan Design Forum 2019", &["Azerbaijan Digital Arts School", "Graphic Design Azerbaijan"], &["Design"]),
];

const MOC: &str = "Ministry of Culture of the Republic of Azerbaijan";
const ALL_SEVEN: [&str; 7] =
    ["Cinema/ Audiovisual Arts", "Design", "Media Arts", "Music", "Performing Arts", "Publishing", "Visual Arts"];

#[test]
fn s13_all_27_titles_names_and_domains_exactly() {
    let framework = Framework::qpr_2020();
    let found = seed_doc()
        .policy_measures
        .iter()
        .map(|m| (&m.title, &m.agencies, &m.domains))
        .chain(seed_doc().cso_measures.iter().map(|m| (&m.title, &m.organizations, &m.domains)));
    let mut checked = 0;
    for ((title, names, domains), (expected_title, expected_names, expected_domains)) in found.zip(RECORDS) {
        assert_eq!(title, expected_title);
        assert_eq!(names, expected_names, "names of `{title}`");
        let keys: Vec<&str> =
            expected_domains.iter().map(|d| framework.domain_key(d).expect("a known domain")).collect();
        assert_eq!(domains, &keys, "domains of `{title}`");
        checked += 1;
    }
    assert_eq!(checked, 27);
}

#[test]
fn s13_record_ids_are_unique_and_stable() {
    let ids: Vec<&str> = seed_doc()
        .policy_measures
        .iter()
        .map(|m| m.id.as_str())
        .chain(seed_doc().cso_measures.iter().map(|m| m.id.as_str()))
        .collect();
    assert_eq!(ids.iter().collect::<BTreeSet<_>>().len(), 27);
    assert_eq!(ids[0], "AZE-2022-pm01");
    assert_eq!(ids[22], "AZE-2022-cso01");
    let again = qpr_import::import_published(Framework::qpr_2020(), SEED).unwrap();
    assert_eq!(&again, seed_doc(), "importing twice gives the same document");
}

/// The real published report answers every question the form requires (the required marks
/// exclude what a submitted report was seen leaving empty), so it could be submitted as is.
#[test]
fn the_published_report_answers_every_required_question() {
    let missing = qpr_domain::validate::missing_required(Framework::qpr_2020(), seed_doc());
    let ids: Vec<&str> = missing.iter().map(|m| m.question.as_str()).collect();
    // Its date of ratification and the official are answered; so is every area's first question.
    assert!(ids.is_empty(), "unanswered required questions: {ids:?}");
}
