//! The form engine (`qpr-editor`) rendered by this crate's templates, on the real published
//! report: every section round-trips through the browser (view → rendered HTML → what a
//! browser posts → apply → the same document), conditional questions and refused posts show
//! as they should, in English and French. The engine alone is tested in `qpr-editor`.

// Test helpers are not `#[test]` functions, so clippy's test exemption misses them.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use qpr_domain::ReportDocument;
use qpr_domain::framework::Framework;
use qpr_domain::text::Lang;
use qpr_domain::validate::validate;
use qpr_web::editor::{
    self, Applied, CsoSubmission, EditorSection, FormAction, FormError, Problem, SectionView, Widget,
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

fn view_of(document: &ReportDocument) -> SectionView {
    view(document, "media-diversity", Lang::En)
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
fn every_page_of_the_demo_report_round_trips_through_the_browser() {
    let document = seed();
    for page in editor::sections(framework()) {
        for lang in [Lang::En, Lang::Fr] {
            let view = view(&document, &page.slug, lang);
            // The view's own values, and what a browser posts for the rendered HTML.
            let from_view =
                apply(&document, &page.slug, &view.form_pairs()).unwrap_or_else(|e| panic!("{}: {e}", page.slug));
            assert_eq!(from_view.document, document, "{} ({lang:?}): view values", page.slug);
            assert_eq!(from_view.action, FormAction::Save);
            let post = browser_post(&editor::render(&view).unwrap());
            let from_html = apply(&document, &page.slug, &post).unwrap_or_else(|e| panic!("{}: {e}", page.slug));
            assert_eq!(from_html.document, document, "{} ({lang:?}): browser post", page.slug);
        }
    }
}

#[test]
fn conditional_questions_follow_their_parent() {
    let mut document = seed();
    document.answers.insert("g1_ccs_regulatory_frameworks".into(), serde_json::json!(false));
    let view = view(&document, "cultural-creative-sectors", Lang::En);
    let child = view.fields().find(|f| f.name == "a.g1_ccs_interministerial").unwrap();
    assert!(child.hidden, "hidden while the parent is NO");
    assert_eq!(child.show_if, Some(("a.g1_ccs_regulatory_frameworks".into(), "yes".into())));
    let conclusions =
        view.fields().find(|f| f.name == "r.policy_measure.AZE-2022-pm01.evaluation_conclusions").unwrap();
    assert_eq!(conclusions.show_if, Some(("r.policy_measure.AZE-2022-pm01.evaluated".into(), "yes".into())));
    let html = editor::render(&view).unwrap();
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
    let message = error.errors[1].message(editor::words(Lang::En));
    assert!(message.contains("Share of cultural and creative sectors in GDP") || message.contains("GDP"), "{message}");
    assert!(message.contains("between 1900 and 2100") && message.contains("20211"), "{message}");
    assert!(error.errors[1].message(editor::words(Lang::Fr)).contains("entre 1900 et 2100"));

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
    let html = editor::render(&again).unwrap();
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
    let html = editor::render(&view(&document, "media-diversity", Lang::En)).unwrap();
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
    // Its measures are validated like the report's: the new one, once something is typed in it,
    // has no title yet (just added, it says nothing).
    let view = editor::cso_form_view(framework, &submission, Lang::En);
    assert!(view.summary.is_empty(), "{:?}", view.summary);
    let mut described = submission.clone();
    described.measures[0].description = "Workshops in three towns.".into();
    let typed = editor::cso_form_view(framework, &described, Lang::En);
    assert!(typed.summary.iter().any(|s| s.message.contains("no title")), "{:?}", typed.summary);
    // Its identification is validated too, at its field.
    let mut odd = submission.clone();
    odd.answers.insert("cso_org_email".into(), "nobody".into());
    let view_of_odd = editor::cso_form_view(framework, &odd, Lang::Fr);
    let email = view_of_odd.fields().find(|f| f.path == "answers.cso_org_email").unwrap();
    assert_eq!(email.findings.len(), 1, "{:?}", email.findings);
    assert_eq!(email.findings[0].message, "« nobody » ne ressemble pas à une adresse électronique.");
    // In the page's language: a French page says it in French.
    let french = editor::cso_form_view(framework, &described, Lang::Fr);
    assert!(french.summary.iter().any(|s| s.message == "L’enregistrement n’a pas de titre."), "{:?}", french.summary);
    // Stored as JSON and back, and round trip through the page.
    let stored = CsoSubmission::from_json(&submission.to_json()).unwrap();
    assert_eq!(stored, submission);
    let again = editor::apply_cso_form(framework, &stored, &view.form_pairs()).unwrap();
    assert_eq!(again.document, submission);
    let html = editor::render(&view).unwrap();
    assert!(html.contains(r#"<h3 id="f-a.cso_form_measures_goal3-heading">"#), "records under a block heading are h3");
}

/// The official guidance of the framework file is shown on demand, closed, in the page's
/// language: the area's passages (the built-in 2020 form's, real texts with their sources) and a
/// question's (test data on a copy of the form), each with its source, a French translation by
/// qpr said to be one, every text escaped.
#[test]
fn guidance_from_the_framework_is_shown_on_demand_in_the_pages_language() {
    use qpr_domain::framework::{GuidancePassage, GuidanceSource};
    let mut framework = framework().clone();
    let section = framework.sections.iter_mut().find(|s| s.id == "mobility").unwrap();
    let question = section.questions.iter_mut().find(|q| q.answer_type != qpr_domain::framework::AnswerType::Records);
    let question = question.unwrap();
    question.guidance = vec![GuidancePassage {
        en: "Question <b>guidance</b>.\nSecond line.".to_owned(),
        fr: "Aide de la question.".to_owned(),
        translated: None,
        source: GuidanceSource {
            document: "Test document".to_owned(),
            section: String::new(),
            url: "https://example.org/?a=1&b=2".to_owned(),
        },
    }];
    let id = question.id.clone();
    let document = seed();
    for (lang, summary, area_text, question_text, translated) in [
        (
            Lang::En,
            "Guidance",
            "Parties shall provide information on policies and measures, including preferential treatment",
            "Question <b>guidance</b>.",
            0,
        ),
        (
            Lang::Fr,
            "Conseils",
            "Les Parties fournissent des informations sur les politiques et mesures, y compris le traitement préférentiel",
            "Aide de la question.",
            2,
        ),
    ] {
        let view =
            editor::section_view(&framework, &document, &page("mobility"), &validate(&framework, &document), lang);
        let raw = editor::render(&view).unwrap();
        assert!(!raw.contains("<b>guidance</b>"), "guidance is escaped");
        let html = Html::parse_fragment(&raw);
        let found: Vec<(String, String)> = html
            .select(&Selector::parse("details.guidance").unwrap())
            .map(|d| {
                let summary = d.select(&Selector::parse("summary").unwrap()).next().unwrap().text().collect();
                (summary, d.select(&Selector::parse(".guidance-text").unwrap()).next().unwrap().text().collect())
            })
            .collect();
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(found.iter().all(|(s, _)| s == summary), "{found:?}");
        assert!(found[0].1.contains(area_text), "{found:?}");
        assert!(found[1].1.contains(question_text), "{found:?}");
        // The area's two passages (the online form's introduction, the Monitoring Framework's
        // indicator), each naming its source with a link.
        let sources: Vec<String> = html
            .select(&Selector::parse("details.guidance .guidance-source a").unwrap())
            .map(|a| a.value().attr("href").unwrap().to_owned())
            .collect();
        assert_eq!(sources.len(), 3, "{sources:?}");
        assert_eq!(sources[0], "https://unesco.tfaforms.net/3");
        assert_eq!(sources[2], "https://example.org/?a=1&b=2");
        let notes = html.select(&Selector::parse("details.guidance .guidance-note").unwrap()).count();
        assert_eq!(notes, translated, "the French of the area's passages is qpr's translation, and says so");
        let field = html.select(&Selector::parse(&format!("[data-field='a.{id}'] details.guidance")).unwrap()).count();
        assert_eq!(field, 1, "the question's guidance is beside its field");
        assert_eq!(
            html.select(&Selector::parse("details.guidance[open]").unwrap()).count(),
            0,
            "closed until asked for"
        );
        if lang == Lang::En {
            let breaks = Selector::parse(&format!("[data-field='a.{id}'] details.guidance p br")).unwrap();
            assert_eq!(html.select(&breaks).count(), 1, "a line break in the text is one on the page");
        }
    }
    // A section without a found official text shows no guidance.
    let view = editor::section_view(
        &framework,
        &document,
        &page("challenges-achievements"),
        &validate(&framework, &document),
        Lang::En,
    );
    assert!(!editor::render(&view).unwrap().contains("details class=\"guidance\""));

    // The Convention's own French is shown as the official text, without the translation note;
    // the Preamble's French, not found, is qpr's and says so.
    let view = editor::section_view(
        &framework,
        &document,
        &page("gender-equality"),
        &validate(&framework, &document),
        Lang::Fr,
    );
    let html = Html::parse_fragment(&editor::render(&view).unwrap());
    let passages: Vec<(String, usize)> = html
        .select(&Selector::parse("details.guidance .guidance-passage").unwrap())
        .map(|p| (p.text().collect(), p.select(&Selector::parse(".guidance-note").unwrap()).count()))
        .collect();
    assert_eq!(passages.len(), 2, "{passages:?}");
    assert!(passages[0].0.contains("en tenant dûment compte des conditions et besoins particuliers des femmes"));
    assert_eq!((passages[0].1, passages[1].1), (0, 1), "{passages:?}");
}
