//! The form engine on the real published report: every section round-trips through its page
//! (view → the view's own values → apply → the same document), edits land where they should,
//! and no post makes it panic. The rendered page and its words are tested in `qpr-web`.

// Test helpers are not `#[test]` functions, so clippy's test exemption misses them.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use qpr_domain::ReportDocument;
use qpr_domain::framework::Framework;
use qpr_domain::text::Lang;
use qpr_domain::validate::validate;
use qpr_editor::{
    self as editor, Applied, Arg, EditorSection, FormAction, FormError, Item, SectionKind, SectionView, Words,
};

const SEED: &str = include_str!("../../../demo/qpr-azerbaijan-2022.txt");

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
    editor::section_view(framework(), document, &page(slug), &validate(framework(), document), Words::new(lang, ids))
}

/// Words as their message ids and arguments: the engine's texts without a translation.
fn ids(lang: Lang, id: &str, args: &[(&'static str, Arg)]) -> String {
    format!("{}:{id}{args:?}", lang.tag())
}

fn apply(document: &ReportDocument, slug: &str, pairs: &[(String, String)]) -> Result<Applied, FormError> {
    editor::apply_form(framework(), document, &page(slug), pairs)
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter().map(|(n, v)| ((*n).to_owned(), (*v).to_owned())).collect()
}

#[test]
fn the_pages_follow_the_official_form() {
    let pages = editor::sections(framework());
    let slugs: Vec<&str> = pages.iter().map(|p| p.slug.as_str()).collect();
    assert_eq!(slugs.first(), Some(&"general-information"));
    assert_eq!(&slugs[slugs.len() - 2..], ["annexes", "submission"]);
    let kinds: Vec<SectionKind> = pages.iter().map(|p| p.kind).collect();
    assert_eq!(
        kinds.iter().filter(|k| matches!(k, SectionKind::Area { .. })).count(),
        11,
        "one page per area of monitoring"
    );
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
fn every_page_of_the_demo_report_round_trips_through_its_values() {
    let document = seed();
    for page in editor::sections(framework()) {
        for lang in [Lang::En, Lang::Fr] {
            let view = view(&document, &page.slug, lang);
            let from_view =
                apply(&document, &page.slug, &view.form_pairs()).unwrap_or_else(|e| panic!("{}: {e}", page.slug));
            assert_eq!(from_view.document, document, "{} ({lang:?}): view values", page.slug);
            assert_eq!(from_view.action, FormAction::Save);
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
    assert_eq!(
        new.answers["g1_ccs_public_budget"],
        serde_json::json!({"raw": "  120 000 USD ", "usd": 120000, "year": 2021})
    );
    let pm02 = new.policy_measures.iter().find(|m| m.id == "AZE-2022-pm02").unwrap();
    assert_eq!(
        pm02.description, "First line\nSecond line  ",
        "typed text is kept, line breaks as the document keeps them"
    );
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
    let mut post: Vec<_> = view(&document, slug, Lang::En)
        .form_pairs()
        .into_iter()
        .filter(|(n, v)| !(n == name && *v == stored[1]))
        .collect();
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
    let new = apply(&document, "partnering-civil-society", &pairs(&[("a.g1_cso_training_mentoring", "no")]))
        .unwrap()
        .document;
    assert_eq!(new.answers["g1_cso_training_mentoring"], false);
    assert_eq!(new.answers["g1_cso_policies_consulted"], true);
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
    // Issue 15: the new record, nothing typed in it yet, does not shout that it has no title;
    // once something is typed and saved, its untitled state is an error at its title, and in
    // the summary.
    let v = view(&added.document, area, Lang::En);
    let title = v.fields().find(|f| f.name == format!("r.policy_measure.{new_id}.title")).unwrap();
    assert!(title.required && title.findings.is_empty(), "{title:?}");
    assert!(v.summary.is_empty(), "{:?}", v.summary);
    let mut typed = v.form_pairs();
    typed.iter_mut().find(|(n, _)| *n == format!("r.policy_measure.{new_id}.description")).unwrap().1 =
        "Grants for touring abroad.".into();
    let described = apply(&added.document, area, &typed).unwrap().document;
    let v = view(&described, area, Lang::En);
    let title = v.fields().find(|f| f.name == format!("r.policy_measure.{new_id}.title")).unwrap();
    assert!(title.findings.iter().any(|f| f.error), "{title:?}");
    assert!(v.summary.iter().any(|s| s.target == title.target));

    // Two partners, then the first moves down.
    let with_partner = post(&added.document, &format!("add:r.policy_measure.{new_id}.partners")).document;
    let mut second = view(&with_partner, area, Lang::En).form_pairs();
    second.iter_mut().find(|(n, _)| *n == format!("r.policy_measure.{new_id}.partners.0.name")).unwrap().1 =
        "Union of Artists".into();
    second.push(("action".into(), format!("add:r.policy_measure.{new_id}.partners")));
    let two = apply(&with_partner, area, &second).unwrap().document;
    let mut third = view(&two, area, Lang::En).form_pairs();
    third.iter_mut().find(|(n, _)| *n == format!("r.policy_measure.{new_id}.partners.1.name")).unwrap().1 =
        "City Hall".into();
    third.iter_mut().find(|(n, _)| *n == format!("r.policy_measure.{new_id}.partners.1.entity_type")).unwrap().1 =
        "Public Sector".into();
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
    assert_eq!(
        agencies.policy_measures.iter().find(|m| m.id == "AZE-2022-pm11").unwrap().agencies.last().map(String::as_str),
        Some("")
    );
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
        let expected = qpr_domain::validate::completeness(framework(), &document)
            .into_iter()
            .find(|c| c.section == page.framework_section)
            .unwrap();
        assert_eq!((view.answered, view.applicable), (expected.answered, expected.applicable), "{}", page.slug);
        assert_eq!(view.completeness, expected.percent());
    }
    let records = view(&document, "cso-measures", Lang::En).blocks[0]
        .items
        .iter()
        .filter(|i| matches!(i, Item::Records(_)))
        .count();
    assert_eq!(records, 4, "one list of CSO measures per goal");
}

/// What a page must not touch: answers to other sections' questions, records of other lists.
fn outside(
    document: &ReportDocument,
    page: &EditorSection,
) -> (Vec<(String, serde_json::Value)>, Vec<String>, Vec<String>) {
    let section = framework().section(&page.framework_section).unwrap();
    let own: Vec<&str> = section
        .questions
        .iter()
        .flat_map(|q| std::iter::once(q).chain(q.fields.iter()))
        .map(|q| q.id.as_str())
        .collect();
    let answers = document
        .answers
        .iter()
        .filter(|(k, _)| !own.contains(&k.as_str()))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
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

#[test]
fn records_are_collapsed_but_one_and_carry_their_completeness() {
    let document = seed();
    let mut page = view(&document, "cultural-creative-sectors", Lang::En);
    let records: Vec<_> = page.records().collect();
    assert!(records.len() > 1, "several measures on the page");
    assert!(records.iter().all(|r| !r.open), "several records: all collapsed at first");
    assert!(records.iter().all(|r| r.completeness <= 100 && r.completeness_text.contains("editor-completeness")));
    assert!(records.iter().any(|r| r.completeness < 100), "a measure with unanswered fields says so");
    // Opened by its own id or by one of its fields (where an action on a partner leaves the page).
    let second = records[1].id.clone();
    let field = records[0].fields[2].id.clone();
    assert!(page.open_record_at(&second));
    assert_eq!(page.records().filter(|r| r.open).map(|r| r.id.clone()).collect::<Vec<_>>(), [second]);
    assert!(page.open_record_at(&field));
    let open: Vec<_> = page.records().filter(|r| r.open).map(|r| r.id.clone()).collect();
    assert_eq!(open, [page.records().next().unwrap().id.clone()], "one open at a time");
    assert!(!page.open_record_at("no-such-element"), "an unknown id changes nothing");
    assert_eq!(page.records().filter(|r| r.open).count(), 1);
    // A page with a single record shows it open.
    let mut one = document.clone();
    let keep = one.policy_measures.iter().position(|m| m.area == "media_diversity").unwrap();
    one.policy_measures.retain(|m| m.area != "media_diversity" || m.id == document.policy_measures[keep].id);
    let single = view(&one, "media-diversity", Lang::En);
    assert_eq!(single.records().map(|r| r.open).collect::<Vec<_>>(), [true]);
}

#[test]
fn previous_and_next_follow_the_form() {
    let pages = editor::sections(framework());
    let (previous, next) = editor::neighbours(&pages, "cultural-creative-sectors");
    assert_eq!(previous.map(|p| p.slug.as_str()), Some("general-information"));
    assert_eq!(next.map(|p| p.slug.as_str()), Some("media-diversity"));
    assert_eq!(editor::neighbours(&pages, "general-information").0, None);
    assert_eq!(editor::neighbours(&pages, "submission").1, None);
    assert_eq!(editor::neighbours(&pages, "no-such-page"), (None, None));
    // Among the pages a person may see: a contributor given two sections goes from one to the other.
    let mine: Vec<EditorSection> =
        pages.into_iter().filter(|p| ["media-diversity", "mobility"].contains(&p.slug.as_str())).collect();
    assert_eq!(editor::neighbours(&mine, "media-diversity").1.map(|p| p.slug.as_str()), Some("mobility"));
}

/// Issue 15: “Other (please specify)” answers a question whose list lacks the answer (the three
/// lists the form's sources do not give at all included): the text typed is the answer, kept as
/// written among the checked options (or as the single select's value), shown back in its text
/// field, and choosing “Other” with nothing typed is refused.
#[test]
fn other_please_specify_answers_with_the_text_typed() {
    let document = ReportDocument::new("qpr-2020", seed().party, 2028);
    let slug = "mobility";
    let name = "a.g2_mobility_funds";
    let mut post = view(&document, slug, Lang::En).form_pairs();
    assert!(post.contains(&(format!("{name}.other"), String::new())), "the page has the text field: {post:?}");
    post.retain(|(n, _)| n != &format!("{name}.other"));
    post.push((name.into(), "Other (please specify)".into()));
    post.push((format!("{name}.other"), "  Travel grants of the Culture Fund ".into()));
    let new = apply(&document, slug, &post).unwrap().document;
    assert_eq!(new.answers["g2_mobility_funds"], serde_json::json!(["Travel grants of the Culture Fund"]));
    assert!(
        validate(framework(), &new).iter().all(|f| !f.path.starts_with("answers.g2_mobility_funds")),
        "the other answer is no unknown option"
    );
    // Shown back: the entry checked, the text in its field; an untouched post changes nothing.
    let shown = view(&new, slug, Lang::En).form_pairs();
    assert!(shown.contains(&(name.to_owned(), "Other (please specify)".to_owned())), "{shown:?}");
    assert!(shown.contains(&(format!("{name}.other"), "Travel grants of the Culture Fund".to_owned())));
    assert_eq!(apply(&new, slug, &shown).unwrap().document, new);
    // "Other" with nothing said is refused, naming the text field.
    let mut empty = view(&document, slug, Lang::En).form_pairs();
    empty.push((name.into(), "Other (please specify)".into()));
    let refused = apply(&document, slug, &empty).unwrap_err();
    assert!(format!("{refused:?}").contains("problem: OtherEmpty"), "{refused:?}");
    // A single select: the text is the answer.
    let slug = "gender-equality";
    let name = "a.g4_gender_bodies";
    let mut post: Vec<_> =
        view(&document, slug, Lang::En).form_pairs().into_iter().filter(|(n, _)| !n.starts_with(name)).collect();
    post.push((name.into(), "Other (please specify)".into()));
    post.push((format!("{name}.other"), "A parliamentary committee only".into()));
    let new = apply(&document, slug, &post).unwrap().document;
    assert_eq!(new.answers["g4_gender_bodies"], "A parliamentary committee only");
}

/// Sets `name` to `value` in a post (added when the page did not post it).
fn set(post: &mut Vec<(String, String)>, name: &str, value: &str) {
    match post.iter_mut().find(|(n, _)| n == name) {
        Some(slot) => value.clone_into(&mut slot.1),
        None => post.push((name.to_owned(), value.to_owned())),
    }
}

/// Issue 15: the groups of a nested multi-select and the select cells of a table (a record's
/// partners included) have their “Other (please specify)” text too: the text typed is stored in
/// place of the entry (an item of the group's list, the cell's string), shown back in its field,
/// unflagged, and the entry chosen with nothing typed is refused, naming that field.
#[test]
fn other_please_specify_answers_groups_and_table_cells() {
    let document = ReportDocument::new("qpr-2020", seed().party, 2028);
    let other = "Other (please specify)";
    // A group of checkboxes.
    let slug = "cultural-creative-sectors";
    let tvet = "a.g1_ccs_education_training.tvet";
    let tertiary = "a.g1_ccs_education_training.tertiary";
    let mut post = view(&document, slug, Lang::En).form_pairs();
    for group in [tvet, tertiary] {
        assert!(post.contains(&(format!("{group}.other"), String::new())), "{group} has its text: {post:?}");
    }
    post.push((tvet.into(), "Music".into()));
    post.push((tvet.into(), other.into()));
    set(&mut post, &format!("{tvet}.other"), " Puppetry\r\n");
    let new = apply(&document, slug, &post).unwrap().document;
    assert_eq!(new.answers["g1_ccs_education_training"], serde_json::json!({"tvet": ["Music", "Puppetry"]}));
    let findings = validate(framework(), &new);
    assert!(findings.iter().all(|f| !f.path.starts_with("answers.g1_ccs_education_training")), "{findings:?}");
    let shown = view(&new, slug, Lang::En).form_pairs();
    assert!(shown.contains(&(tvet.to_owned(), other.to_owned())), "{shown:?}");
    assert!(shown.contains(&(format!("{tvet}.other"), "Puppetry".to_owned())));
    assert!(shown.contains(&(format!("{tertiary}.other"), String::new())));
    assert_eq!(apply(&new, slug, &shown).unwrap().document, new, "an untouched post changes nothing");
    // The other group changed: the first keeps its stored list as it is.
    let mut second = shown.clone();
    second.push((tertiary.into(), "Design".into()));
    let both = apply(&new, slug, &second).unwrap().document;
    assert_eq!(
        both.answers["g1_ccs_education_training"],
        serde_json::json!({"tvet": ["Music", "Puppetry"], "tertiary": ["Design"]})
    );
    // The text cleared and the entry unchecked: the other answer is gone.
    let mut cleared: Vec<_> = shown.iter().filter(|(n, v)| !(n == tvet && v == other)).cloned().collect();
    set(&mut cleared, &format!("{tvet}.other"), "");
    let gone = apply(&new, slug, &cleared).unwrap().document;
    assert_eq!(gone.answers["g1_ccs_education_training"], serde_json::json!({"tvet": ["Music"]}));
    // “Other” checked with nothing typed is refused, naming the group's text field.
    let mut empty = view(&document, slug, Lang::En).form_pairs();
    empty.push((tertiary.into(), other.into()));
    let refused = apply(&document, slug, &empty).unwrap_err();
    assert_eq!(refused.errors.len(), 1, "{refused:?}");
    assert_eq!(refused.errors[0].problem, editor::Problem::OtherEmpty);
    assert_eq!(refused.errors[0].name, format!("{tertiary}.other"));

    // A table's select cell: a stakeholder of a type the list lacks.
    let slug = "general-information";
    let added = apply(&document, slug, &pairs(&[("action", "add:a.gi_stakeholders")])).unwrap().document;
    let cell = "a.gi_stakeholders.0.organization_type";
    let mut post = view(&added, slug, Lang::En).form_pairs();
    assert!(post.contains(&(format!("{cell}.other"), String::new())), "{post:?}");
    set(&mut post, cell, other);
    set(&mut post, &format!("{cell}.other"), "Academia");
    set(&mut post, "a.gi_stakeholders.0.organization", "University of Baku");
    let new = apply(&added, slug, &post).unwrap().document;
    assert_eq!(new.answers["gi_stakeholders"][0]["organization_type"], "Academia");
    assert_eq!(new.answers["gi_stakeholders"][0]["organization"], "University of Baku");
    let findings = validate(framework(), &new);
    assert!(findings.iter().all(|f| !f.path.ends_with("organization_type")), "{findings:?}");
    let shown = view(&new, slug, Lang::En).form_pairs();
    assert!(shown.contains(&(cell.to_owned(), other.to_owned())), "{shown:?}");
    assert!(shown.contains(&(format!("{cell}.other"), "Academia".to_owned())));
    assert_eq!(apply(&new, slug, &shown).unwrap().document, new);
    // A listed type chosen instead: the option, the stale text ignored.
    let mut listed = shown.clone();
    set(&mut listed, cell, "Public Sector");
    let public = apply(&new, slug, &listed).unwrap().document;
    assert_eq!(public.answers["gi_stakeholders"][0]["organization_type"], "Public Sector");
    let mut empty = shown;
    set(&mut empty, &format!("{cell}.other"), " ");
    let refused = apply(&new, slug, &empty).unwrap_err();
    assert_eq!(refused.errors[0].problem, editor::Problem::OtherEmpty);
    assert_eq!(refused.errors[0].name, format!("{cell}.other"));

    // A record's table: a partner of a measure.
    let document = seed();
    let slug = "cultural-creative-sectors";
    let cell = "r.policy_measure.AZE-2022-pm01.partners.0.entity_type";
    let mut post = view(&document, slug, Lang::En).form_pairs();
    set(&mut post, cell, other);
    set(&mut post, &format!("{cell}.other"), "Academia");
    let new = apply(&document, slug, &post).unwrap().document;
    let pm01 = new.policy_measures.iter().find(|m| m.id == "AZE-2022-pm01").unwrap();
    assert_eq!(pm01.partners[0].entity_type.as_deref(), Some("Academia"));
    assert!(validate(framework(), &new).iter().all(|f| !f.path.contains("partners")));
    let shown = view(&new, slug, Lang::En).form_pairs();
    assert!(shown.contains(&(format!("{cell}.other"), "Academia".to_owned())));
    assert_eq!(apply(&new, slug, &shown).unwrap().document, new);
}

/// Issue 15: every question of every editing page of an empty report has controls to answer
/// it, and every group of choices offers something to choose.
#[test]
fn every_question_of_the_form_has_a_control_to_answer_it() {
    let document = ReportDocument::new("qpr-2020", seed().party, 2028);
    for page in editor::sections(framework()) {
        if matches!(page.kind, SectionKind::Annexes | SectionKind::Submission) {
            continue; // pages of their own, not generated by the engine
        }
        let view = view(&document, &page.slug, Lang::En);
        for field in view.fields() {
            let mut widgets = vec![&field.widget];
            while let Some(widget) = widgets.pop() {
                use qpr_editor::Widget as W;
                match widget {
                    W::ReadOnly(_) => panic!("{} on {} cannot be answered", field.name, page.slug),
                    W::Radios(choices) | W::Checkboxes(choices) => {
                        assert!(!choices.is_empty(), "{} offers no choice", field.name);
                    }
                    W::Groups(groups) => assert!(groups.iter().all(|g| !g.options.is_empty()), "{}", field.name),
                    W::Single(input) if input.kind == qpr_editor::InputKind::Select => {
                        assert!(input.options.len() > 1, "{} offers nothing to choose", field.name);
                    }
                    W::WithOther { choices, .. } => widgets.push(choices),
                    _ => {}
                }
            }
        }
    }
}
