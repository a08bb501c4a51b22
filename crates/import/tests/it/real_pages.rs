//! Real published pages of UNESCO's sites (`tests/fixtures/real-pages`, sources in its
//! README): every one imports with the facts it shows, or is refused saying why.

use qpr_domain::document::PolicyMeasure;
use qpr_domain::{Framework, ReportDocument};
use qpr_import::{Hints, ImportError, PageImporter, PageKind, import_published};

fn page(name: &str) -> String {
    let path = format!("{}/tests/fixtures/real-pages/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn answer<'d>(document: &'d ReportDocument, id: &str) -> &'d serde_json::Value {
    document
        .answers
        .get(id)
        .unwrap_or_else(|| panic!("no answer {id}: {:?}", document.answers.keys().collect::<Vec<_>>()))
}

#[test]
fn germany_2020_on_the_spanish_site() {
    let document = import_published(Framework::qpr_2020(), &page("qpr-germany-2020.txt")).expect("imports");
    assert_eq!(document.party.iso3.as_ref().map(|c| c.as_str()), Some("DEU"), "Alemania is Germany");
    assert_eq!(document.party.name, "Alemania");
    assert_eq!(document.year, 2020);
    assert_eq!(answer(&document, "gi_ratification_date"), "2007");
    assert_eq!(answer(&document, "gi_poc_title"), "Ms.");
    assert_eq!(answer(&document, "gi_poc_address")[0], "Christine M. Merkel");
    assert_eq!(answer(&document, "gi_poc_phone"), "+49 228 60497 110");
    assert_eq!(answer(&document, "gi_poc_email"), &serde_json::json!(["2005konvention@unesco.de"]));
    let consultation = answer(&document, "gi_consultation_process").as_str().expect("text");
    assert!(consultation.starts_with("On 24 June 2019, the steering committee"), "{consultation}");
}

#[test]
fn austria_2020_with_the_french_sites_labels() {
    let document = import_published(Framework::qpr_2020(), &page("qpr-austria-2020-fr.txt")).expect("imports");
    assert_eq!(document.party.iso3.as_ref().map(|c| c.as_str()), Some("AUT"), "Autriche is Austria");
    assert_eq!(document.year, 2020);
    assert_eq!(answer(&document, "gi_party_name"), "Autriche");
    assert_eq!(answer(&document, "gi_ratification_date"), "2006", "the French label is read, not swallowed");
    let consultation = answer(&document, "gi_consultation_process").as_str().expect("text");
    assert!(consultation.starts_with("The preparation of the Austrian QPR"), "{consultation}");
    assert!(!document.answers.contains_key("gi_poc_email"), "the consultation text is not an e-mail list");
}

#[test]
fn a_copy_without_labels_is_refused_saying_so() {
    let error =
        import_published(Framework::qpr_2020(), &page("qpr-denmark-2020-es-nolabels.txt")).expect_err("refused");
    assert!(matches!(error, ImportError::LabelsRemoved { .. }), "{error:?}");
    assert_eq!(error.code(), "labels_removed");
    assert!(error.to_string().contains("labels removed"), "{error}");
}

fn import(name: &str, party: Option<&str>, year: Option<i32>) -> (PageKind, ReportDocument) {
    let hints = Hints { party: party.map(str::to_owned), year };
    PageImporter::new().import(&page(name), &hints).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn iso3(document: &ReportDocument) -> &str {
    document.party.iso3.as_ref().map_or("", |c| c.as_str())
}

fn extra<'m>(measure: &'m PolicyMeasure, key: &str) -> &'m serde_json::Value {
    measure.extra.get(key).unwrap_or_else(|| panic!("no {key} in {:?}", measure.extra.keys().collect::<Vec<_>>()))
}

#[test]
fn the_2020_pages_are_read_through_the_page_importer_too() {
    let (kind, germany) = import("qpr-germany-2020.txt", None, None);
    assert_eq!(
        (kind, germany.framework.as_str(), iso3(&germany), germany.year),
        (PageKind::Report, "qpr-2020", "DEU", 2020)
    );
    let (_, austria) = import("qpr-austria-2020-fr.txt", None, None);
    assert_eq!((iso3(&austria), austria.year), ("AUT", 2020));
    let error =
        PageImporter::new().import(&page("qpr-denmark-2020-es-nolabels.txt"), &Hints::default()).expect_err("refused");
    assert_eq!(error.code(), "labels_removed");
}

#[test]
fn austria_2016_technical_information() {
    let (kind, document) = import("qpr-austria-2016.txt", None, None);
    assert_eq!(kind, PageKind::Report);
    assert_eq!((document.framework.as_str(), iso3(&document), document.year), ("qpr-2016", "AUT", 2016));
    assert_eq!(answer(&document, "t16_ratification_date"), "18/12/2006", "day/month/year, as written");
    assert_eq!(answer(&document, "t16_poc_title"), "Ms");
    assert_eq!(answer(&document, "t16_poc_first_name"), "Yvonne");
    assert_eq!(answer(&document, "t16_poc_family_name"), "Gimpel");
    assert_eq!(answer(&document, "t16_poc_organization"), "Austrian Commission for UNESCO");
    assert_eq!(
        answer(&document, "t16_poc_mailing_address"),
        &serde_json::json!(["Universitätsstraße 5/12 A - 1010 Vienna Austria"])
    );
    assert_eq!(answer(&document, "t16_poc_telephone"), "+43 / 1 / 526 13 01 - 18");
    assert_eq!(answer(&document, "t16_poc_fax"), "+43 / 1 / 526 13 01 - 20");
    assert_eq!(answer(&document, "t16_poc_email"), &serde_json::json!(["gimpel@unesco.at"]));
    assert_eq!(answer(&document, "t16_responsible_organizations")[0], "Austrian Federal Chancellery");
    let consultation = answer(&document, "t16_consultation_process").as_str().expect("text");
    assert!(consultation.starts_with("In preparation of the report, the Point of Contact"), "{consultation}");
    let source = document.source.as_ref().expect("source");
    assert!(source.missing_sections.contains(&"cultural_policies".to_owned()), "the cut-off page says what is missing");
    assert!(
        document.warnings.iter().any(|w| w.message.contains("The page stops at line 37")),
        "{:?}",
        document.warnings
    );
}

#[test]
fn norway_2016_measures_list_with_scope_and_nature() {
    let (_, document) = import("qpr-norway-2016-measures.txt", None, None);
    assert_eq!((document.framework.as_str(), iso3(&document), document.year), ("qpr-2016", "NOR", 2016));
    let measures = &document.policy_measures;
    assert_eq!(measures.len(), 15);
    assert_eq!(measures[0].title, "Production Grants for News and Current Affairs Media");
    assert_eq!(measures[0].area, "cultural_policies");
    assert_eq!(extra(&measures[0], "scope"), &serde_json::json!(["national"]));
    assert_eq!(extra(&measures[0], "nature"), &serde_json::json!(["financial"]));
    assert_eq!(measures[3].title, "National Strategy for Libraries (2015-2018)");
    assert_eq!(extra(&measures[3], "nature"), &serde_json::json!(["financial", "institutional"]));
    let high_north = &measures[10];
    assert_eq!(high_north.title, "The Norwegian Government's High North Initiative. Cultural cooperation.");
    assert_eq!(high_north.area, "international_cooperation");
    assert_eq!(extra(high_north, "scope"), &serde_json::json!(["regional", "national", "international"]));
    assert_eq!(measures[12].area, "preferential_treatment");
    assert_eq!(measures[13].area, "culture_sd_national");
    assert_eq!(measures[14].title, "Digitisation of Radio");
    assert_eq!(measures[14].area, "transversal");
    assert_eq!(extra(&measures[14], "scope"), &serde_json::json!(["local", "national"]));
    // The cut-off last row is reported, not dropped.
    assert!(document.warnings.iter().any(|w| w.message.contains("`Action Plan for`")), "{:?}", document.warnings);
}

#[test]
fn austria_2012_with_its_year_and_party_lines() {
    let (_, document) = import("qpr-austria-2012.txt", None, None);
    assert_eq!((document.framework.as_str(), iso3(&document), document.year), ("qpr-2012", "AUT", 2012));
    let summary = answer(&document, "r12_executive_summary").as_str().expect("text");
    assert!(summary.starts_with("Maintaining and developing the necessary conditions"), "{summary}");
    assert!(summary.contains("to support emerging artists"), "{summary}");
    assert_eq!(document.source.as_ref().map(|s| s.archive_capture.as_deref()), Some(Some("14:33:55 Oct 07, 2020")));
}

#[test]
fn sweden_2012_needs_its_year_given() {
    let error = PageImporter::new().import(&page("qpr-sweden-2012.txt"), &Hints::default()).expect_err("no year");
    assert_eq!(error.code(), "missing");
    assert!(error.to_string().contains("--year"), "{error}");
    let (_, document) = import("qpr-sweden-2012.txt", None, Some(2012));
    assert_eq!((document.framework.as_str(), iso3(&document), document.year), ("qpr-2012", "SWE", 2012));
    let summary = answer(&document, "r12_executive_summary").as_str().expect("text");
    assert!(summary.starts_with("In 2006, Sweden ratified the UNESCO Convention"), "{summary}");
}

#[test]
fn measure_page_of_the_2020_cycle_naming_its_party() {
    let error = PageImporter::new()
        .import(&page("pmp-eu-creative-europe-2014-2020-culture-sub-programme.txt"), &Hints::default());
    let error = error.expect_err("no year on the page");
    assert!(error.to_string().contains("the year") && !error.to_string().contains("Party"), "{error}");
    let (kind, document) = import("pmp-eu-creative-europe-2014-2020-culture-sub-programme.txt", None, Some(2021));
    assert_eq!(kind, PageKind::MeasurePage);
    assert_eq!((document.framework.as_str(), iso3(&document), document.year), ("qpr-2020", "EUU", 2021));
    let measure = &document.policy_measures[0];
    assert_eq!(measure.title, "Creative Europe 2014-2020 – Culture sub-programme and Cross-sectoral strand");
    assert_eq!(measure.agencies, ["European Commission", "European Education & Culture Executive Agency"]);
    assert!(
        measure.description.starts_with("Creative Europe is the European Union's framework programme"),
        "{}",
        measure.description
    );
    assert!(measure.results.as_deref().is_some_and(|r| r.starts_with("In the reporting period (2017-2021)")));
    assert_eq!(document.source.as_ref().and_then(|s| s.kind.as_deref()), Some("measure_page"));
}

#[test]
fn measure_page_without_its_party_needs_it_given() {
    let error = PageImporter::new().import(&page("pmp-youth-fund-0-es.txt"), &Hints::default()).expect_err("no Party");
    assert_eq!(error.code(), "missing");
    assert!(error.to_string().contains("--party"), "{error}");
    let (_, document) = import("pmp-youth-fund-0-es.txt", Some("ISL"), Some(2020));
    assert_eq!(
        (document.framework.as_str(), iso3(&document), document.party.name.as_str()),
        ("qpr-2020", "ISL", "Iceland")
    );
    let measure = &document.policy_measures[0];
    assert_eq!(measure.title, "Youth Fund");
    assert_eq!(measure.agencies, ["The Ministry of Education, Science and Culture"]);
    let partners: Vec<_> = measure.partners.iter().map(|p| (p.name.as_str(), p.entity_type.as_deref())).collect();
    assert_eq!(
        partners,
        [
            ("The Icelandic Center for Research (RANNÍS)", Some("Public Sector")),
            ("The Board of the Icelandic Youth Fund", Some("Public Sector"))
        ]
    );
    let money = measure.financial_resources.as_ref().expect("amount");
    assert!(money.raw.starts_with("In 2019, 67,699.18 USD"), "{}", money.raw);
}

#[test]
fn measure_page_of_the_newer_site_with_where_when_who() {
    let (_, document) = import("pmp-croatia-national-programme-youth-2014.txt", None, None);
    assert_eq!((document.framework.as_str(), iso3(&document), document.year), ("qpr-2016", "HRV", 2018));
    let measure = &document.policy_measures[0];
    assert_eq!(measure.title, "National Programme for Youth (2014-2017)");
    assert_eq!(measure.agencies, ["Ministry of Culture", "Ministry of Demography, Family, Youth and Social Policy"]);
    assert_eq!(extra(measure, "scope"), &serde_json::json!(["national"]));
    assert_eq!(extra(measure, "nature"), &serde_json::json!(["regulatory"]));
    assert!(
        extra(measure, "objectives").as_str().is_some_and(|o| o.starts_with("The objective of the National Programme"))
    );
    assert!(measure.description.starts_with("The priority area ‘Culture and Youth’"), "{}", measure.description);
    assert!(document.warnings.iter().any(|w| w.message.contains("stops")), "the cut is reported");
}

#[test]
fn measure_page_of_the_first_cycle_with_spanish_labels() {
    let (_, document) = import("pmp-regional-cultural-development-es.txt", Some("Finlandia"), Some(2012));
    assert_eq!((document.framework.as_str(), iso3(&document)), ("qpr-2012", "FIN"));
    let measure = &document.policy_measures[0];
    assert_eq!(measure.title, "Regional Cultural Development");
    assert_eq!(measure.agencies, ["Ministry of Education and Culture"]);
    assert_eq!(extra(measure, "scope"), &serde_json::json!(["local", "regional", "national"]));
    assert!(extra(measure, "challenges").as_str().is_some_and(|c| c.starts_with("Socially, cultural and economic")));
    assert!(measure.description.starts_with("It has been implemented through cultural infrastructure"));
    assert_eq!(measure.financial_resources.as_ref().map(|m| m.raw.as_str()), Some("US  $17,295,258.00"));
}

#[test]
fn measure_reported_by_civil_society_on_the_french_site() {
    let (_, document) = import("pmp-literary-art-creation-support-program-youth-cso-fr.txt", Some("Chine"), Some(2020));
    assert_eq!((document.framework.as_str(), iso3(&document)), ("qpr-2020", "CHN"));
    assert!(document.policy_measures.is_empty());
    let measure = &document.cso_measures[0];
    assert_eq!(measure.title, "Literary and Art Creation Support Program for the Youth");
    assert_eq!(measure.organizations, ["China Federation of Literary and Art Circles (CFLAC)"]);
    assert!(measure.description.starts_with("The program is specifically targeted at young artists"));
    assert!(measure.results.as_deref().is_some_and(|r| r.contains("CFLAC supported 104 projects in 2016")));
}

#[test]
fn contradicting_values_are_kept_as_written_and_flagged() {
    let text = page("qpr-austria-2016.txt")
        .replace("18/12/2006", "18/12/2009")
        .replace("Universitätsstraße 5/12 A - 1010 Vienna Austria", "gimpel@unesco.at Vienna");
    let (_, document) = PageImporter::new().import(&text, &Hints::default()).expect("imports");
    assert_eq!(answer(&document, "t16_ratification_date"), "18/12/2009", "kept, never fixed");
    assert_eq!(answer(&document, "t16_poc_mailing_address"), &serde_json::json!(["gimpel@unesco.at Vienna"]));
    let messages: Vec<&str> = document.warnings.iter().map(|w| w.message.as_str()).collect();
    assert!(messages.iter().any(|m| m.contains("2009") && m.contains("2006")), "{messages:?}");
    assert!(messages.iter().any(|m| m.contains("t16_poc_mailing_address") && m.contains("e-mail")), "{messages:?}");
}

/// Drupal prints its status, warning and error messages (a PHP notice among them) above a
/// page's content, under a heading hidden to the eye but in the copied text: on a 2016 page,
/// before the title and inside the technical information, on the French site, and on a
/// measure page. The report reads as without them, and each block is named in a warning.
#[test]
fn drupal_message_blocks_are_named_not_imported() {
    let notice = "Notice: Undefined index: field_year in qpr_report_view() (line 214 of /var/www/sites/all/modules/qpr/qpr.module).";
    let text = page("qpr-austria-2016.txt")
        .replacen("Austria 2016 report", &format!("Error message\n{notice}\n\nAustria 2016 report"), 1)
        .replacen("Title: ", "Message d'avertissement\nLe contenu a été modifié.\n\nTitle: ", 1);
    let (kind, document) = PageImporter::new().import(&text, &Hints::default()).expect("imports");
    assert_eq!(kind, PageKind::Report);
    assert_eq!((document.framework.as_str(), iso3(&document), document.year), ("qpr-2016", "AUT", 2016));
    assert_eq!(answer(&document, "t16_poc_title"), "Ms");
    assert_eq!(answer(&document, "t16_responsible_organizations").as_array().map(Vec::len), Some(3));
    let messages: Vec<&str> = document.warnings.iter().map(|w| w.message.as_str()).collect();
    assert!(messages.iter().any(|m| m.contains("`Error message`") && m.contains("field_year")), "{messages:?}");
    assert!(messages.iter().any(|m| m.contains("`Message d'avertissement`") && m.contains("modifié")), "{messages:?}");
    assert!(!messages.iter().any(|m| m.contains("not placed") && m.contains("Notice")), "{messages:?}");

    let text = format!("Mensaje de estado\nSe ha guardado.\n\n{}", page("pmp-youth-fund-0-es.txt"));
    let (kind, document) =
        PageImporter::new().import(&text, &Hints { party: Some("ISL".into()), year: Some(2020) }).expect("imports");
    assert_eq!(kind, PageKind::MeasurePage);
    assert_eq!(document.policy_measures[0].title, "Youth Fund");
    assert!(
        document.warnings.iter().any(|w| w.line == 1 && w.message.contains("Se ha guardado")),
        "{:?}",
        document.warnings
    );

    let text = format!(
        "Status message\nThe report has been updated.\n\n{}",
        include_str!("../../../../demo/qpr-azerbaijan-2022.txt")
    );
    let document = import_published(Framework::qpr_2020(), &text).expect("imports");
    assert_eq!(document.party.iso3.as_ref().map(|c| c.as_str()), Some("AZE"));
    assert!(
        document.warnings.iter().any(|w| w.line == 1 && w.message.contains("has been updated")),
        "{:?}",
        document.warnings
    );
}
