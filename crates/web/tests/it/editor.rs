//! The form engine on the real published report: every section round-trips through its page
//! (view → what a browser posts → apply → the same document), edits land where they should,
//! bad posts are refused with the field named, and no post makes it panic.

// Test helpers are not `#[test]` functions, so clippy's test exemption misses them.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use qpr_domain::ReportDocument;
use qpr_domain::framework::Framework;
use qpr_domain::text::Lang;
use qpr_domain::validate::validate;
use qpr_web::editor::{
    self, Applied, CsoSubmission, EditorSection, FormAction, FormError, Item, Problem, SectionKind, SectionView, Widget,
};
use scraper::{Html, Selector};

const SEED: &str = include_str!("../../../../demo/qpr-azerbaijan-2022.txt");

fn framework() -> &'static Framework {
    Framework::qpr_2020()
}

fn seed() -> ReportDocument {
    qpr_import::import_published(framework(), SEED).expect("the demo report imports")
}

fn page(slug: &str) -> EditorSection {
    editor::section(framework(), slug).unwrap_or_else(|| panic!("no page {slug}"))
}

fn view(document: &ReportDocument, slug: &str, lang: Lang) -> SectionView {
    editor::section_view(framework(), document, &page(slug), &validate(framework(), document), lang)
}

fn apply(document: &ReportDocument, slug: &str, pairs: &[(String, String)]) -> Result<Applied, FormError> {
    editor::apply_form(framework(), document, &page(slug), pairs)
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter().map(|(n, v)| ((*n).to_owned(), (*v).to_owned())).collect()
}

/// What a browser posts for the rendered HTML: controls in document order, text areas with
/// `\r\n` line breaks (as browsers send them), the page's own hidden fields around them.
fn browser_post(html: &str) -> Vec<(String, String)> {
    let document = Html::parse_fragment(html);
    let controls = Selector::parse("input, textarea, select").unwrap();
    let option = Selector::parse("option").unwrap();
    let mut post = vec![("csrf".to_owned(), "token".to_owned()), ("base_revision".to_owned(), "7".to_owned())];
    for control in document.select(&controls) {
        let element = control.value();
        let Some(name) = element.attr("name") else { continue };
        if element.attr("disabled").is_some() {
            continue;
        }
        let value = match element.name() {
            "textarea" => control.text().collect::<String>().replace('\n', "\r\n"),
            "select" => {
                let options: Vec<_> = control.select(&option).collect();
                let chosen = options.iter().find(|o| o.value().attr("selected").is_some()).or(options.first());
                chosen.and_then(|o| o.value().attr("value")).unwrap_or_default().to_owned()
            }
            _ => match element.attr("type") {
                Some("radio" | "checkbox") if element.attr("checked").is_none() => continue,
                Some("submit") => continue,
                _ => element.attr("value").unwrap_or_default().to_owned(),
            },
        };
        post.push((name.to_owned(), value));
    }
    post
}

#[test]
fn the_pages_follow_the_official_form() {
    let pages = editor::sections(framework());
    let slugs: Vec<&str> = pages.iter().map(|p| p.slug.as_str()).collect();
    assert_eq!(slugs.first(), Some(&"general-information"));
    assert_eq!(&slugs[slugs.len() - 2..], ["annexes", "submission"]);
    let kinds: Vec<SectionKind> = pages.iter().map(|p| p.kind).collect();
    assert_eq!(kinds.iter().filter(|k| matches!(k, SectionKind::Area { .. })).count(), 11, "one page per area of monitoring");
    assert_eq!(kinds[0], SectionKind::Questions);
    assert_eq!(page("cultural-creative-sectors").kind, SectionKind::Area { goal: 1 });
    assert_eq!(page("artistic-freedom").kind, SectionKind::Area { goal: 4 });
    assert_eq!(page("cso-measures").kind, SectionKind::CsoMeasures);
    assert_eq!(page("cso-measures").record_types, ["cso_measure"]);
    assert_eq!(page("transversal").kind, SectionKind::Transversal);
    assert_eq!(page("challenges-achievements").kind, SectionKind::Questions);
    assert_eq!(page("annexes").kind, SectionKind::Annexes);
    assert_eq!(page("submission").kind, SectionKind::Submission);
    let mobility = page("mobility");
    assert_eq!(mobility.record_types, ["policy_measure"]);
    assert_eq!(mobility.title.fr, "Mobilité des artistes et des professionnels de la culture");
    assert!(mobility.goal_heading.unwrap().en.starts_with("Goal 2"));
}

#[test]
fn every_page_of_the_demo_report_round_trips_through_the_browser() {
    let document = seed();
    for page in editor::sections(framework()) {
        for lang in [Lang::En, Lang::Fr] {
            let view = view(&document, &page.slug, lang);
            // The view's own values, and what a browser posts for the rendered HTML.
            let from_view = apply(&document, &page.slug, &view.form_pairs()).unwrap_or_else(|e| panic!("{}: {e}", page.slug));
            assert_eq!(from_view.document, document, "{} ({lang:?}): view values", page.slug);
            assert_eq!(from_view.action, FormAction::Save);
            let post = browser_post(&view.render().unwrap());
            let from_html = apply(&document, &page.slug, &post).unwrap_or_else(|e| panic!("{}: {e}", page.slug));
            assert_eq!(from_html.document, document, "{} ({lang:?}): browser post", page.slug);
        }
    }
}

#[test]
fn changed_fields_are_parsed_and_nothing_else_moves() {
    let document = seed();
    let view = view(&document, "cultural-creative-sectors", Lang::En);
    let mut post = view.form_pairs();
    let mut set = |name: &str, value: &str| {
        let slot = post.iter_mut().find(|(n, _)| n == name).unwrap_or_else(|| panic!("{name} is posted"));
        value.clone_into(&mut slot.1);
    };
    set("a.g1_ccs_ministry", "no");
    set("a.g1_ccs_gdp_share.percent", "2,5");
    set("a.g1_ccs_public_budget.raw", "  120 000 USD ");
    set("r.policy_measure.AZE-2022-pm02.description", "First line\r\nSecond line  ");
    set("r.policy_measure.AZE-2022-pm01.partners.0.entity_type", "Private Sector");
    let applied = apply(&document, "cultural-creative-sectors", &post).unwrap();
    let new = applied.document;
    assert_eq!(new.answers["g1_ccs_ministry"], false);
    assert_eq!(new.answers["g1_ccs_gdp_share"], serde_json::json!({"percent": 2.5, "year": 2021}));
    assert_eq!(new.answers["g1_ccs_public_budget"], serde_json::json!({"raw": "  120 000 USD ", "usd": 120000, "year": 2021}));
    let pm02 = new.policy_measures.iter().find(|m| m.id == "AZE-2022-pm02").unwrap();
    assert_eq!(pm02.description, "First line\nSecond line  ", "typed text is kept, line breaks as the document keeps them");
    let pm01 = new.policy_measures.iter().find(|m| m.id == "AZE-2022-pm01").unwrap();
    assert_eq!(pm01.partners[0].entity_type.as_deref(), Some("Private Sector"));
    // Everything outside those fields is as it was.
    let mut expected = document.clone();
    expected.answers.clone_from(&new.answers);
    for (i, measure) in expected.policy_measures.iter_mut().enumerate() {
        if ["AZE-2022-pm01", "AZE-2022-pm02"].contains(&measure.id.as_str()) {
            *measure = new.policy_measures[i].clone();
        }
    }
    assert_eq!(new, expected);
    let changed: Vec<_> = qpr_domain::changes::diff(&document, &new).into_iter().map(|c| c.path).collect();
    assert_eq!(
        changed,
        [
            "answers.g1_ccs_gdp_share",
            "answers.g1_ccs_ministry",
            "answers.g1_ccs_public_budget",
            "policy_measures.AZE-2022-pm01.partners",
            "policy_measures.AZE-2022-pm02.description"
        ]
    );
}

#[test]
fn checkboxes_keep_the_stored_order_and_add_new_ones_after() {
    let mut document = seed();
    let (slug, key, name) = ("media-diversity", "g1_media_content_diversity", "a.g1_media_content_diversity");
    let options: Vec<String> = serde_json::from_value(document.answers[key].clone()).unwrap();
    // Stored in another order than the form's, one option unchecked.
    let stored = vec![options[2].clone(), options[0].clone(), options[1].clone()];
    document.answers.insert(key.into(), serde_json::json!(stored));
    let mut post: Vec<_> =
        view(&document, slug, Lang::En).form_pairs().into_iter().filter(|(n, v)| !(n == name && *v == stored[1])).collect();
    post.push((name.into(), options[3].clone()));
    post.push((name.into(), stored[0].clone()));
    let new = apply(&document, slug, &post).unwrap().document;
    assert_eq!(
        new.answers[key],
        serde_json::json!([stored[0], stored[2], options[3]]),
        "stored order kept, the new one after, a value posted twice kept once"
    );
    let view = view(&document, "partnering-civil-society", Lang::En);
    // A checkbox group posted with its marker only is "none checked"; absent, it is kept.
    let name = "a.g1_cso_professional_organizations";
    let mut none: Vec<_> = view.form_pairs().into_iter().filter(|(n, v)| n != name || v.is_empty()).collect();
    assert!(none.contains(&(name.to_owned(), String::new())), "the page posts the group's marker");
    let new = apply(&document, "partnering-civil-society", &none).unwrap().document;
    assert_eq!(new.answers["g1_cso_professional_organizations"], serde_json::json!([]));
    none.retain(|(n, _)| n != name);
    let new = apply(&document, "partnering-civil-society", &none).unwrap().document;
    assert_eq!(new.answers["g1_cso_professional_organizations"], document.answers["g1_cso_professional_organizations"]);
    // But a partial post (only one field) leaves other fields as they are.
    let new = apply(&document, "partnering-civil-society", &pairs(&[("a.g1_cso_training_mentoring", "no")])).unwrap().document;
    assert_eq!(new.answers["g1_cso_training_mentoring"], false);
    assert_eq!(new.answers["g1_cso_policies_consulted"], true);
}

#[test]
fn conditional_questions_follow_their_parent() {
    let mut document = seed();
    document.answers.insert("g1_ccs_regulatory_frameworks".into(), serde_json::json!(false));
    let view = view(&document, "cultural-creative-sectors", Lang::En);
    let child = view.fields().find(|f| f.name == "a.g1_ccs_interministerial").unwrap();
    assert!(child.hidden, "hidden while the parent is NO");
    assert_eq!(child.show_if, Some(("a.g1_ccs_regulatory_frameworks".into(), "yes".into())));
    let conclusions = view.fields().find(|f| f.name == "r.policy_measure.AZE-2022-pm01.evaluation_conclusions").unwrap();
    assert_eq!(conclusions.show_if, Some(("r.policy_measure.AZE-2022-pm01.evaluated".into(), "yes".into())));
    let html = view.render().unwrap();
    assert!(html.contains(r#"data-show-if="a.g1_ccs_regulatory_frameworks" data-show-value="yes" hidden>"#), "{html}");

    // Unchecking every box of a conditional question empties it.
    let mut document = seed();
    let name = "a.g1_media_regulatory_authority_monitors";
    let post: Vec<_> = view_of(&document).form_pairs().into_iter().filter(|(n, v)| n != name || v.is_empty()).collect();
    let emptied = apply(&document, "media-diversity", &post).unwrap().document;
    assert_eq!(emptied.answers["g1_media_regulatory_authority_monitors"], serde_json::json!([]));
    document.answers.clear();
    assert!(view_of(&document).fields().find(|f| f.name == "a.g1_media_regulatory_authority_monitors").unwrap().hidden);
}

fn view_of(document: &ReportDocument) -> SectionView {
    view(document, "media-diversity", Lang::En)
}

#[test]
fn records_are_added_removed_and_moved_by_buttons() {
    let document = seed();
    let area = "mobility";
    let post = |doc: &ReportDocument, action: &str| {
        let mut post = view(doc, area, Lang::En).form_pairs();
        post.push(("action".into(), action.into()));
        apply(doc, area, &post).unwrap_or_else(|e| panic!("{action}: {e}"))
    };
    let ids = |doc: &ReportDocument| doc.measures_in_area(area).map(|m| m.id.clone()).collect::<Vec<_>>();
    assert_eq!(ids(&document), ["AZE-2022-pm11", "AZE-2022-pm12"]);

    let added = post(&document, "add:a.g2_mobility_measures");
    let new_id = ids(&added.document)[2].clone();
    assert!(new_id.starts_with("AZE-2022-") && new_id.len() == "AZE-2022-".len() + 10, "{new_id}");
    assert_eq!(added.focus.as_deref(), Some(format!("rec-{new_id}").as_str()));
    assert_eq!(added.action, FormAction::Add { collection: "a.g2_mobility_measures".into() });
    let position = added.document.policy_measures.iter().position(|m| m.id == new_id).unwrap();
    assert_eq!(added.document.policy_measures[position - 1].id, "AZE-2022-pm12", "after the area's last record");
    assert_eq!(added.document.policy_measures[position].area, area);
    // The new record's untitled state is an error at its title, and in the summary.
    let v = view(&added.document, area, Lang::En);
    let title = v.fields().find(|f| f.name == format!("r.policy_measure.{new_id}.title")).unwrap();
    assert!(title.required && title.findings.iter().any(|f| f.error), "{title:?}");
    assert!(v.summary.iter().any(|s| s.target == title.target));

    // Two partners, then the first moves down.
    let with_partner = post(&added.document, &format!("add:r.policy_measure.{new_id}.partners")).document;
    let mut second = view(&with_partner, area, Lang::En).form_pairs();
    second.iter_mut().find(|(n, _)| *n == format!("r.policy_measure.{new_id}.partners.0.name")).unwrap().1 = "Union of Artists".into();
    second.push(("action".into(), format!("add:r.policy_measure.{new_id}.partners")));
    let two = apply(&with_partner, area, &second).unwrap().document;
    let mut third = view(&two, area, Lang::En).form_pairs();
    third.iter_mut().find(|(n, _)| *n == format!("r.policy_measure.{new_id}.partners.1.name")).unwrap().1 = "City Hall".into();
    third.iter_mut().find(|(n, _)| *n == format!("r.policy_measure.{new_id}.partners.1.entity_type")).unwrap().1 = "Public Sector".into();
    third.push(("action".into(), format!("down:r.policy_measure.{new_id}.partners/0")));
    let moved = apply(&two, area, &third).unwrap().document;
    let partners = &moved.policy_measures.iter().find(|m| m.id == new_id).unwrap().partners;
    assert_eq!(
        partners.iter().map(|p| (p.name.as_str(), p.entity_type.as_deref())).collect::<Vec<_>>(),
        [("City Hall", Some("Public Sector")), ("Union of Artists", None)]
    );

    let up = post(&moved, &format!("up:a.g2_mobility_measures/{new_id}"));
    assert_eq!(ids(&up.document), ["AZE-2022-pm11", new_id.as_str(), "AZE-2022-pm12"]);
    let top = post(&up.document, "up:a.g2_mobility_measures/AZE-2022-pm11");
    assert_eq!(ids(&top.document), ids(&up.document), "the first record stays first");
    let removed = post(&up.document, "remove:a.g2_mobility_measures/AZE-2022-pm11");
    assert_eq!(ids(&removed.document), [new_id.as_str(), "AZE-2022-pm12"]);
    assert_eq!(removed.document.policy_measures.len(), document.policy_measures.len());

    // Lists of texts: agencies.
    let agencies = post(&document, "add:r.policy_measure.AZE-2022-pm11.agencies").document;
    assert_eq!(agencies.policy_measures.iter().find(|m| m.id == "AZE-2022-pm11").unwrap().agencies.last().map(String::as_str), Some(""));
}

#[test]
fn bad_posts_are_refused_with_the_field_named() {
    let document = seed();
    let slug = "cultural-creative-sectors";
    let mut post = view(&document, slug, Lang::En).form_pairs();
    post.iter_mut().find(|(n, _)| n == "a.g1_ccs_gdp_share.year").unwrap().1 = "20211".into();
    post.iter_mut().find(|(n, _)| n == "a.g1_ccs_employment_share.percent").unwrap().1 = "lots".into();
    let error = apply(&document, slug, &post).unwrap_err();
    assert_eq!(
        error.errors.iter().map(|e| (e.name.as_str(), e.problem)).collect::<Vec<_>>(),
        [("a.g1_ccs_employment_share.percent", Problem::Percent), ("a.g1_ccs_gdp_share.year", Problem::Year)]
    );
    let message = error.errors[1].message(Lang::En);
    assert!(message.contains("Share of cultural and creative sectors in GDP") || message.contains("GDP"), "{message}");
    assert!(message.contains("between 1900 and 2100") && message.contains("20211"), "{message}");
    assert!(error.errors[1].message(Lang::Fr).contains("entre 1900 et 2100"));

    // Shown again with what was typed, the error at its field and in the summary.
    let mut again = view(&document, slug, Lang::En);
    again.keep_posted(&post, &error);
    let year = again.fields().find(|f| f.name == "a.g1_ccs_gdp_share").unwrap();
    match &year.widget {
        Widget::Parts { parts, .. } => assert_eq!(parts[1].value, "20211"),
        other => panic!("{other:?}"),
    }
    assert!(year.findings[0].error && year.described_by.contains("-findings"));
    assert_eq!(again.summary[0].target, year.target);
    let html = again.render().unwrap();
    assert!(html.contains(r#"value="20211""#) && html.contains("error-summary"));

    let unknown = apply(&document, slug, &pairs(&[("a.gi_executive_summary", "x")])).unwrap_err();
    assert_eq!(unknown.errors[0].problem, Problem::UnknownField, "another page's field");
    let record = apply(&document, slug, &pairs(&[("action", "remove:a.g1_ccs_measures/AZE-2022-pm11")])).unwrap_err();
    assert_eq!(record.errors[0].problem, Problem::NoSuchRecord, "a record of another area");
    let choice = apply(&document, slug, &pairs(&[("a.g1_ccs_ministry", "perhaps")])).unwrap_err();
    assert_eq!(choice.errors[0].problem, Problem::NotAChoice);
    let action = apply(&document, slug, &pairs(&[("action", "explode:a.g1_ccs_measures")])).unwrap_err();
    assert_eq!(action.errors[0].problem, Problem::BadAction);
    // Names of the page itself are not the engine's.
    let mut page_post = view(&document, slug, Lang::En).form_pairs();
    page_post.extend(pairs(&[("csrf", "x"), ("lang", "fr"), ("base_revision", "3")]));
    assert_eq!(apply(&document, slug, &page_post).unwrap().document, document);
}

#[test]
fn an_area_page_renders_as_a_labelled_form() {
    let document = seed();
    let html = view(&document, "media-diversity", Lang::En).render().unwrap();
    insta::assert_snapshot!("media_diversity_en", html);
    let fragment = Html::parse_fragment(&html);
    // Every control has a label (its own, or the legend of its fieldset for choices).
    let controls = Selector::parse("input:not([type=submit]):not([type=hidden]), textarea, select").unwrap();
    for control in fragment.select(&controls) {
        let id = control.value().attr("id").expect("every control has an id");
        let label = Selector::parse(&format!(r#"label[for="{id}"]"#)).unwrap();
        assert!(fragment.select(&label).next().is_some(), "no label for {id}");
    }
}

#[test]
fn the_cso_form_uses_the_same_engine() {
    let framework = framework();
    let empty = CsoSubmission::default();
    let view = editor::cso_form_view(framework, &empty, Lang::Fr);
    assert_eq!(view.blocks.len(), framework.cso_form.as_ref().unwrap().sections.len());
    assert_eq!(view.blocks[0].heading.as_deref(), Some("Identification de l'organisation"));
    let mut post = view.form_pairs();
    post.iter_mut().find(|(n, _)| n == "a.cso_org_name").unwrap().1 = "Union of Designers".into();
    post.push(("action".into(), "add:a.cso_form_measures_goal3".into()));
    let applied = editor::apply_cso_form(framework, &empty, &post).unwrap();
    let submission = applied.document;
    assert_eq!(submission.answers["cso_org_name"], "Union of Designers");
    assert_eq!(submission.measures.len(), 1);
    assert_eq!(submission.measures[0].goal, 3);
    assert!(submission.measures[0].id.starts_with("cso-"));
    // Its measures are validated like the report's: the new one has no title yet.
    let view = editor::cso_form_view(framework, &submission, Lang::En);
    assert!(view.summary.iter().any(|s| s.message.contains("no title")), "{:?}", view.summary);
    // Its identification is validated too, at its field.
    let mut odd = submission.clone();
    odd.answers.insert("cso_org_email".into(), "nobody".into());
    let view_of_odd = editor::cso_form_view(framework, &odd, Lang::Fr);
    let email = view_of_odd.fields().find(|f| f.path == "answers.cso_org_email").unwrap();
    assert_eq!(email.findings.len(), 1, "{:?}", email.findings);
    assert_eq!(email.findings[0].message, "« nobody » ne ressemble pas à une adresse électronique.");
    // In the page's language: a French page says it in French.
    let french = editor::cso_form_view(framework, &submission, Lang::Fr);
    assert!(french.summary.iter().any(|s| s.message == "L’enregistrement n’a pas de titre."), "{:?}", french.summary);
    // Stored as JSON and back, and round trip through the page.
    let stored = CsoSubmission::from_json(&submission.to_json()).unwrap();
    assert_eq!(stored, submission);
    let again = editor::apply_cso_form(framework, &stored, &view.form_pairs()).unwrap();
    assert_eq!(again.document, submission);
    let html = view.render().unwrap();
    assert!(html.contains(r#"<h3 id="f-a.cso_form_measures_goal3-heading">"#), "records under a block heading are h3");
}

#[test]
fn conflict_paths_name_their_field() {
    assert_eq!(editor::field_name_of_change("answers.g1_ccs_ministry").as_deref(), Some("a.g1_ccs_ministry"));
    assert_eq!(
        editor::field_name_of_change("policy_measures.AZE-2022-pm01.title").as_deref(),
        Some("r.policy_measure.AZE-2022-pm01.title")
    );
    assert_eq!(editor::field_name_of_change("policy_measures#order"), None);
}

#[test]
fn completeness_is_the_validators() {
    let document = seed();
    for page in editor::sections(framework()) {
        let view = view(&document, &page.slug, Lang::En);
        let expected =
            qpr_domain::validate::completeness(framework(), &document).into_iter().find(|c| c.section == page.framework_section).unwrap();
        assert_eq!((view.answered, view.applicable), (expected.answered, expected.applicable), "{}", page.slug);
        assert_eq!(view.completeness, expected.percent());
    }
    let records = view(&document, "cso-measures", Lang::En).blocks[0].items.iter().filter(|i| matches!(i, Item::Records(_))).count();
    assert_eq!(records, 4, "one list of CSO measures per goal");
}

/// What a page must not touch: answers to other sections' questions, records of other lists.
fn outside(document: &ReportDocument, page: &EditorSection) -> (Vec<(String, serde_json::Value)>, Vec<String>, Vec<String>) {
    let section = framework().section(&page.framework_section).unwrap();
    let own: Vec<&str> = section.questions.iter().flat_map(|q| std::iter::once(q).chain(q.fields.iter())).map(|q| q.id.as_str()).collect();
    let answers = document.answers.iter().filter(|(k, _)| !own.contains(&k.as_str())).map(|(k, v)| (k.clone(), v.clone())).collect();
    let measures = document
        .policy_measures
        .iter()
        .filter(|m| section.area.as_deref() != Some(m.area.as_str()))
        .map(|m| serde_json::to_string(m).unwrap())
        .collect();
    let cso = match page.kind {
        SectionKind::CsoMeasures => Vec::new(),
        _ => document.cso_measures.iter().map(|m| serde_json::to_string(m).unwrap()).collect(),
    };
    (answers, measures, cso)
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

    /// Random names, values and actions, mixed with the page's real names: refused or
    /// applied, never a panic, and never a change outside the page.
    #[test]
    fn no_post_makes_it_panic(
        picks in proptest::collection::vec((0usize..400, "\\PC{0,12}"), 0..20),
        noise in proptest::collection::vec(("(a|r|action)[.:]\\PC{0,20}", "\\PC{0,12}"), 0..4),
        action in proptest::sample::select(vec!["save", "add:", "remove:", "up:", "down:"]),
        slug_index in 0usize..16,
    ) {
        let document = seed();
        let pages = editor::sections(framework());
        let page = &pages[slug_index % pages.len()];
        let mut post = view(&document, &page.slug, Lang::En).form_pairs();
        let names: Vec<String> = post.iter().map(|(n, _)| n.clone()).collect();
        for (i, (at, value)) in picks.into_iter().enumerate() {
            let count = post.len().max(1);
            // Half replace a posted value, half add a second value under a real name.
            if i % 2 == 0 {
                if let Some(slot) = post.get_mut(at % count) {
                    slot.1 = value;
                }
            } else if let Some(name) = names.get(at % count) {
                post.push((name.clone(), value));
            }
        }
        post.extend(noise);
        let target = names.first().cloned().unwrap_or_default();
        post.push(("action".into(), format!("{action}{target}/0")));
        if let Ok(applied) = editor::apply_form(framework(), &document, page, &post) {
            proptest::prop_assert_eq!(outside(&document, page), outside(&applied.document, page), "{} changed another page", &page.slug);
        }
    }
}
