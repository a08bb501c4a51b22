//! The form engine on an area with 100 policies/measures of 3 partners each (`BENCHMARKS.md`):
//! building and rendering the page, and applying its post.
#![allow(missing_docs)]
#![allow(
    clippy::expect_used,
    clippy::print_stdout,
    reason = "a benchmark: a failed set-up ends it, and it reports the page size"
)]

use criterion::{Criterion, criterion_group, criterion_main};
use qpr_domain::Framework;
use qpr_domain::document::Partner;
use qpr_domain::text::Lang;
use qpr_domain::validate::validate;
use qpr_web::editor;

const SEED: &str = include_str!("../../../demo/qpr-azerbaijan-2022.txt");

fn editor_page(c: &mut Criterion) {
    let framework = Framework::qpr_2020();
    let mut document = qpr_import::import_published(framework, SEED).expect("the demo imports");
    let template = document.measures_in_area("mobility").next().expect("a mobility measure").clone();
    document.policy_measures.retain(|m| m.area != "mobility");
    for n in 0..100 {
        let mut measure = template.clone();
        measure.id = format!("AZE-2022-bench{n:03}");
        measure.title = format!("{} ({n})", template.title);
        measure.partners = (0..3)
            .map(|p| Partner { name: format!("Partner {p} of measure {n}"), entity_type: Some("Public Sector".into()) })
            .collect();
        document.policy_measures.push(measure);
    }
    let page = editor::section(framework, "mobility").expect("the mobility page");
    let findings = validate(framework, &document);
    let view = editor::section_view(framework, &document, &page, &findings, Lang::En);
    let mut post = view.form_pairs();
    post.iter_mut().find(|(n, _)| n.ends_with("bench050.description")).expect("a description").1.push_str(" Edited.");
    println!(
        "page: {} form pairs, {} bytes of HTML",
        post.len(),
        editor::render(&view).map(|h| h.len()).unwrap_or_default()
    );

    let mut group = c.benchmark_group("editor-100-measures");
    group.bench_function("view+render", |b| {
        b.iter(|| {
            let findings = validate(framework, &document);
            editor::render(&editor::section_view(framework, &document, &page, &findings, Lang::En)).map(|h| h.len())
        })
    });
    group.bench_function("apply", |b| {
        b.iter(|| editor::apply_form(framework, &document, &page, &post).map(|a| a.document.policy_measures.len()))
    });
    group.bench_function("apply+view+render", |b| {
        b.iter(|| {
            let applied = editor::apply_form(framework, &document, &page, &post).expect("applies");
            let findings = validate(framework, &applied.document);
            editor::render(&editor::section_view(framework, &applied.document, &page, &findings, Lang::En))
                .map(|h| h.len())
        })
    });
    group.finish();
}

criterion_group!(benches, editor_page);
criterion_main!(benches);
