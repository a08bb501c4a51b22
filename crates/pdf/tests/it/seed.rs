//! The seed report (Azerbaijan 2022), in English and in French.

use qpr_domain::framework::Framework;
use qpr_domain::text::Lang;
use qpr_pdf::{PdfReport, SignatureBlock, Words};
use qpr_views::report::{self, Block, Field, Shown, TocEntry};

use crate::poppler;

fn seed() -> qpr_domain::ReportDocument {
    qpr_import::import_published(Framework::qpr_2020(), include_str!("../../../../demo/qpr-azerbaijan-2022.txt"))
        .unwrap()
}

fn words(lang: Lang) -> Words {
    match lang {
        Lang::En => Words { contents: "Contents".into(), page: "Page {page} of {pages}".into() },
        _ => Words { contents: "Table des matières".into(), page: "Page {page} sur {pages}".into() },
    }
}

/// The texts of a field as the page shows them, in order.
fn field_texts(field: &Field, texts: &mut Vec<String>) {
    texts.push(format!("{}:", field.label));
    match &field.value {
        None => {}
        Some(Shown::Dash) => texts.push("-".into()),
        Some(Shown::Lines(items) | Shown::Paragraphs(items)) => texts.extend(items.iter().cloned()),
        Some(Shown::Groups(groups)) => {
            for (label, items) in groups {
                texts.push(label.clone());
                texts.extend(items.iter().cloned());
            }
        }
        Some(Shown::Table { header, rows }) => {
            texts.extend(header.iter().cloned());
            texts.extend(rows.iter().flatten().filter(|c| !c.is_empty()).cloned());
        }
    }
}

/// Every heading, label, answer and measure (title, fields, partners) of the blocks, in the
/// published order.
fn expected_texts(blocks: &[Block]) -> Vec<String> {
    let mut texts = Vec::new();
    for block in blocks {
        match block {
            Block::Goal { heading, .. } => texts.push(heading.clone()),
            Block::Section { heading, subheading, .. } => {
                texts.push(heading.clone());
                texts.extend(subheading.iter().cloned());
            }
            Block::Field(field) => field_texts(field, &mut texts),
            Block::Records { label, records, .. } => {
                texts.push(format!("{label}:"));
                if records.is_empty() {
                    texts.push("-".into());
                }
                for record in records {
                    texts.push(record.title.clone());
                    for field in &record.fields {
                        field_texts(field, &mut texts);
                    }
                    if !record.partners.is_empty() {
                        texts.push(format!("{}:", record.partner_labels.0));
                    }
                    for (name, kind) in &record.partners {
                        texts.push(format!("{}: {name}", record.partner_labels.1));
                        texts.push(format!("{}: {kind}", record.partner_labels.2));
                    }
                }
            }
        }
    }
    texts.into_iter().map(|t| poppler::collapse(&t)).filter(|t| !t.is_empty()).collect()
}

struct Made {
    pdf: Vec<u8>,
    blocks: Vec<Block>,
    toc: Vec<TocEntry>,
    title: String,
}

fn make(lang: Lang, signature: Option<&SignatureBlock>, watermark: Option<&str>) -> Made {
    let document = seed();
    let framework = Framework::qpr_2020();
    let (blocks, toc) = report::blocks(framework, &document, lang);
    let title = format!("{} {}", document.party.name, document.year);
    let words = words(lang);
    let rendered = qpr_pdf::render(&PdfReport {
        title: &title,
        form_title: framework.title.get(lang),
        header: &title,
        lang,
        blocks: &blocks,
        toc: &toc,
        signature,
        watermark,
        words: &words,
    })
    .unwrap();
    assert_eq!(rendered.missing, Vec::<char>::new(), "the bundled fonts have every character of the seed");
    Made { pdf: rendered.bytes, blocks, toc, title }
}

fn footer(lang: Lang) -> impl Fn(&str) -> bool {
    let of = if lang == Lang::En { " of " } else { " sur " };
    move |line: &str| {
        line.strip_prefix("Page ")
            .and_then(|rest| rest.split_once(of))
            .is_some_and(|(a, b)| a.parse::<u32>().is_ok() && b.parse::<u32>().is_ok())
    }
}

/// Where each expected text is in `text`, searched one after the other; the first missing one
/// fails with what came before it.
fn assert_in_order(text: &str, start: usize, expected: &[String]) {
    // Without any whitespace: a line may break after a hyphen of the text ("normative-legal").
    let squeeze = |t: &str| t.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    let start = squeeze(&text[..start]).len();
    let text = squeeze(text);
    let expected: Vec<String> = expected.iter().map(|e| squeeze(e)).collect();
    let text = text.as_str();
    let mut at = start;
    for (i, wanted) in expected.iter().enumerate() {
        match text[at..].find(wanted.as_str()) {
            Some(found) => at += found + wanted.len(),
            None => {
                let before = &text[at.saturating_sub(300)..at];
                let found_anywhere = text.find(wanted.as_str());
                panic!(
                    "text {i} of {} not found after the previous one: {wanted:?}\n(found anywhere at: {found_anywhere:?}; \
                     the text before: …{before})",
                    expected.len()
                );
            }
        }
    }
}

fn check_seed(lang: Lang) {
    let made = make(lang, None, None);
    let text = poppler::text(&made.pdf, &[made.title.as_str()], footer(lang));
    let expected = expected_texts(&made.blocks);
    assert!(expected.len() > 400, "the seed has hundreds of labels and answers: {}", expected.len());
    // The table of contents first: every entry, in order.
    let toc: Vec<String> = made.toc.iter().map(|e| poppler::collapse(&e.text)).collect();
    assert_in_order(&text, 0, &toc);
    // Then the report itself, after the last entry of the contents.
    let last = toc.last().unwrap();
    let body = text.find(last.as_str()).unwrap() + last.len();
    assert_in_order(&text, body, &expected);
    // Every measure title of the report is among them.
    let document = seed();
    for title in document.policy_measures.iter().map(|m| &m.title).chain(document.cso_measures.iter().map(|m| &m.title))
    {
        assert!(text[body..].contains(poppler::collapse(title).as_str()), "measure {title:?} missing");
    }

    let info = poppler::info(&made.pdf);
    assert_eq!(poppler::info_field(&info, "Title"), made.title);
    let pages: u32 = poppler::info_field(&info, "Pages").parse().unwrap();
    assert!(pages > 10, "{pages} pages");
    assert_eq!(poppler::info_field(&info, "Tagged"), "yes");
    let fonts = poppler::fonts(&made.pdf);
    assert!(!fonts.is_empty());
    assert!(fonts.iter().all(|(_, embedded)| *embedded), "every font embedded: {fonts:?}");
    // The document's language and the outline, as written in the file.
    let raw = String::from_utf8_lossy(&made.pdf);
    assert!(raw.contains("/Lang"), "the PDF names its language");
    assert!(raw.contains("/Outlines"), "the PDF has bookmarks");
}

#[test]
fn the_seed_report_in_english_reads_back_in_the_published_order() {
    check_seed(Lang::En);
}

#[test]
fn the_seed_report_in_french_reads_back_in_the_published_order() {
    check_seed(Lang::Fr);
}

#[test]
fn a_draft_is_watermarked_and_the_signature_block_closes_the_report() {
    let signature = SignatureBlock {
        heading: "Signature".into(),
        lines: vec!["Signed for the Party by Mr Anar Karimov, Minister.".into(), "Signed on 1 March 2026.".into()],
    };
    let made = make(Lang::En, Some(&signature), Some("Draft"));
    let text = poppler::text(&made.pdf, &[made.title.as_str()], footer(Lang::En));
    let pages: usize = poppler::info_field(&poppler::info(&made.pdf), "Pages").parse().unwrap();
    assert!(text.matches("Draft").count() >= pages, "the watermark on every page: {pages} pages");
    let tail = &text[text.len() - 200..];
    assert!(
        tail.ends_with("Signature Signed for the Party by Mr Anar Karimov, Minister. Signed on 1 March 2026."),
        "{tail}"
    );
}
