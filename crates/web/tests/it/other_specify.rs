//! Issue 15: "Other (please specify)" of a group of a nested multi-select and of a table's
//! select, saved through the editing pages as plain form posts (no JavaScript) and read back on
//! the page, in English and French; "Other" with nothing said is refused on the page, keeping
//! what was typed.

use axum::http::StatusCode;
use qpr_store::MembershipRole;

use crate::support::{Client, TestApp};

const AREA: &str = "/app/reports/AZE/2028/sections/cultural-creative-sectors";
const GENERAL: &str = "/app/reports/AZE/2028/sections/general-information";

/// The base revision the page was built on.
fn base_revision(body: &str) -> String {
    body.split(r#"name="base_revision" value=""#).nth(1).unwrap().split('"').next().unwrap().to_owned()
}

/// The current document of the 2028 draft.
async fn draft(app: &TestApp) -> serde_json::Value {
    let report = app.store.report_by_key("AZE", 2028).await.unwrap().unwrap();
    let (_, document) = app.store.revision(report.current_revision.unwrap()).await.unwrap();
    serde_json::to_value(document).unwrap()
}

/// Posts `form` on `page` as the page's own form (its token and base revision).
async fn save(app: &TestApp, client: &mut Client, page: &str, form: &[(&str, &str)]) -> crate::support::Reply {
    let base = base_revision(&app.get(client, page).await.body);
    let mut fields = vec![("base_revision", base.as_str())];
    fields.extend_from_slice(form);
    app.submit(client, page, page, &fields).await
}

#[tokio::test]
async fn other_please_specify_of_a_group_and_a_table_row_is_saved_through_the_page() {
    let app = TestApp::new().await;
    let mut secretariat = app.sign_in("sec@unesco.test", None).await;
    app.open_cycle(&mut secretariat, "AZE").await;
    let mut focal = app.sign_in("fp@culture.gov.az", Some(("AZE", MembershipRole::FocalPoint, None))).await;

    // A group: the text field is on the page, labelled, beside the group's checkboxes.
    let tvet = "a.g1_ccs_education_training.tvet";
    let page = app.get(&mut focal, AREA).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let field = format!(r#"<label for="f-{tvet}.other">Other: please specify</label>"#);
    assert!(page.body.contains(&field), "{}", page.body);
    assert!(page.body.contains(&format!(r#"<input type="text" id="f-{tvet}.other" name="{tvet}.other" value="""#)));
    let other = format!("{tvet}.other");
    let saved = save(
        &app,
        &mut focal,
        AREA,
        &[(tvet, ""), (tvet, "Music"), (tvet, "Other (please specify)"), (&other, " Puppetry ")],
    )
    .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert_eq!(
        draft(&app).await["answers"]["g1_ccs_education_training"],
        serde_json::json!({"tvet": ["Music", "Puppetry"]})
    );
    // Read back: the entry checked, the text in its field, in English and in French.
    let page = app.get(&mut focal, AREA).await;
    assert!(page.body.contains(&format!(r#"name="{tvet}" value="Other (please specify)" checked"#)), "{}", page.body);
    assert!(page.body.contains(&format!(r#"name="{tvet}.other" value="Puppetry""#)), "{}", page.body);
    let french = app.get(&mut focal, &format!("{AREA}?lang=fr")).await;
    assert!(french.body.contains(&format!(r#"<label for="f-{tvet}.other">Autre : veuillez préciser</label>"#)));
    assert!(french.body.contains("Autre (veuillez préciser)</label>"), "the entry in French");
    assert!(french.body.contains(&format!(r#"name="{tvet}.other" value="Puppetry""#)));

    // A table row: a stakeholder of a type the list lacks.
    let added = save(&app, &mut focal, GENERAL, &[("action", "add:a.gi_stakeholders")]).await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
    let cell = "a.gi_stakeholders.0.organization_type";
    let cell_other = format!("{cell}.other");
    let page = app.get(&mut focal, GENERAL).await;
    assert!(
        page.body.contains(&format!(r#"<label for="f-{cell}.other">Other: please specify</label>"#)),
        "{}",
        page.body
    );
    let saved = save(
        &app,
        &mut focal,
        GENERAL,
        &[
            (cell, "Other (please specify)"),
            (&cell_other, "Academia"),
            ("a.gi_stakeholders.0.organization", "University of Baku"),
        ],
    )
    .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let stakeholders = &draft(&app).await["answers"]["gi_stakeholders"];
    assert_eq!(stakeholders[0]["organization_type"], "Academia", "{stakeholders}");
    assert_eq!(stakeholders[0]["organization"], "University of Baku");
    let page = app.get(&mut focal, GENERAL).await;
    assert!(page.body.contains(r#"<option value="Other (please specify)" selected>Other (please specify)</option>"#));
    assert!(page.body.contains(&format!(r#"name="{cell}.other" value="Academia""#)), "{}", page.body);
    let french = app.get(&mut focal, &format!("{GENERAL}?lang=fr")).await;
    assert!(
        french.body.contains(r#"<option value="Other (please specify)" selected>Autre (veuillez préciser)</option>"#)
    );
    assert!(french.body.contains(&format!(r#"name="{cell}.other" value="Academia""#)));

    // “Other” with nothing said: refused on the page, the field named, what was typed kept.
    let refused = save(
        &app,
        &mut focal,
        GENERAL,
        &[(&cell_other, ""), ("a.gi_stakeholders.0.organization", "Baku Policy Institute")],
    )
    .await;
    assert_ne!(refused.status, StatusCode::SEE_OTHER);
    assert!(refused.body.contains("you chose “Other”; say what it is in the text beside it."), "{}", refused.body);
    assert!(refused.body.contains(r#"value="Baku Policy Institute""#), "what was typed is shown again");
    assert_eq!(draft(&app).await["answers"]["gi_stakeholders"][0]["organization_type"], "Academia", "nothing saved");
}
