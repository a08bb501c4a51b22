//! Real published pages of UNESCO's sites (`tests/fixtures/real-pages`, sources in its
//! README): every one imports with the facts it shows, or is refused saying why.

use qpr_domain::{Framework, ReportDocument};
use qpr_import::{ImportError, import_published};

fn page(name: &str) -> String {
    let path = format!("{}/tests/fixtures/real-pages/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn answer<'d>(document: &'d ReportDocument, id: &str) -> &'d serde_json::Value {
    document.answers.get(id).unwrap_or_else(|| panic!("no answer {id}: {:?}", document.answers.keys().collect::<Vec<_>>()))
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
    let error = import_published(Framework::qpr_2020(), &page("qpr-denmark-2020-es-nolabels.txt")).expect_err("refused");
    assert!(matches!(error, ImportError::LabelsRemoved { .. }), "{error:?}");
    assert_eq!(error.code(), "labels_removed");
    assert!(error.to_string().contains("labels removed"), "{error}");
}
