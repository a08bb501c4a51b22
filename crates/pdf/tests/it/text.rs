//! Report text is text: markup characters of typst come out as written, and the scripts the
//! fonts cover are extracted as written; a character no font has is reported.

use qpr_domain::text::Lang;
use qpr_pdf::{PdfReport, Words};
use qpr_views::report::{Block, Field, Record, Shown, TocEntry};

use crate::poppler;

/// Answers that would be markup, code, math or labels if they reached typst as source.
const HOSTILE: [&str; 8] = [
    "#pagebreak() #panic(\"boom\") #read(\"/etc/passwd\")",
    "Costs $5 and $10 $x^2$ paid",
    "*not bold* _not emphasis_ `not raw`",
    "closing ] bracket ]] and [ opening [[",
    "back\\slash \\ and \\u{41} and \\#",
    "<label> @reference <a href=x> </b>",
    "// not a comment /* nor this */ = not a heading",
    "\"quotes\" 'single' -- --- ... ~ non-break",
];

fn render(blocks: &[Block], toc: &[TocEntry], title: &str) -> qpr_pdf::Rendered {
    let words = Words { contents: "Contents".into(), page: "Page {page} of {pages}".into() };
    qpr_pdf::render(&PdfReport {
        title,
        form_title: "Quadrennial Periodic Report",
        header: title,
        lang: Lang::En,
        blocks,
        toc,
        signature: None,
        watermark: None,
        words: &words,
    })
    .unwrap()
}

fn field(id: &str, label: &str, value: Shown) -> Block {
    Block::Field(Field { id: id.into(), label: label.into(), value: Some(value) })
}

fn report(items: &[&str]) -> (Vec<Block>, Vec<TocEntry>) {
    let lines: Vec<String> = items.iter().map(|s| (*s).to_owned()).collect();
    let blocks = vec![
        Block::Section { id: "s#1]".into(), heading: "Section #1 $a$ ]".into(), subheading: None, level: 2 },
        field("q1", "Label with # and $ and * and ] and \\ and <", Shown::Paragraphs(lines.clone())),
        field("q2", "Lines", Shown::Lines(lines.clone())),
        field(
            "q3",
            "Table",
            Shown::Table { header: vec!["#col".into(), "$col".into()], rows: vec![vec!["*a*".into(), "]b[".into()]] },
        ),
        Block::Records {
            id: "r".into(),
            label: "Measures".into(),
            records: vec![Record {
                id: "pm-1".into(),
                title: "Measure #1 <x> $y$".into(),
                fields: vec![Field { id: "f".into(), label: "Amount".into(), value: Some(Shown::Lines(lines)) }],
                partners: vec![("Partner ] \\ #".into(), "Public sector $".into())],
                partner_labels: ("Partners".into(), "Name of partner".into(), "Type of entity".into()),
            }],
            title_level: 3,
        },
    ];
    let toc = vec![TocEntry { id: "s#1]".into(), text: "Section #1 $a$ ]".into(), level: 1 }];
    (blocks, toc)
}

#[test]
fn markup_characters_in_answers_come_out_as_written() {
    let (blocks, toc) = report(&HOSTILE);
    let rendered = render(&blocks, &toc, "Title #with $markup$ ]");
    assert!(rendered.missing.is_empty(), "{:?}", rendered.missing);
    let text = poppler::text(&rendered.bytes, &[], |_| false);
    assert!(text.contains("Label with # and $ and * and ] and \\ and <:"), "{text}");
    // Each hostile answer three times: paragraph, line, measure field.
    for answer in HOSTILE {
        let answer = poppler::collapse(answer);
        assert!(text.matches(answer.as_str()).count() >= 3, "{answer:?} not as written in: {text}");
    }
    for literal in ["#col", "$col", "*a*", "]b[", "Measure #1 <x> $y$", "Partner ] \\ #", "Public sector $"] {
        assert!(text.contains(literal), "{literal:?} in {text}");
    }
    let info = poppler::info(&rendered.bytes);
    assert_eq!(poppler::info_field(&info, "Title"), "Title #with $markup$ ]");
}

#[test]
fn latin_extensions_greek_and_cyrillic_are_embedded_and_extracted() {
    let scripts = [
        "Azərbaycan Respublikası Mədəniyyət Nazirliyi",
        "Türkiye Cumhuriyeti Kültür ve Turizm Bakanlığı ılık ışık",
        "Bộ Văn hóa, Thể thao và Du lịch Việt Nam: đặc sắc, ưu tiên, phương thức",
        "Ελληνική Δημοκρατία Υπουργείο Πολιτισμού",
        "Міністерство культури України, Министерство культуры",
    ];
    let (blocks, toc) = report(&scripts);
    let rendered = render(&blocks, &toc, "Scripts");
    assert!(rendered.missing.is_empty(), "{:?}", rendered.missing);
    let text = poppler::text(&rendered.bytes, &[], |_| false);
    for script in scripts {
        assert!(text.contains(script), "{script:?} not extracted from: {text}");
    }
    let fonts = poppler::fonts(&rendered.bytes);
    assert!(fonts.iter().all(|(_, embedded)| *embedded), "{fonts:?}");
}

#[test]
fn a_character_no_font_has_is_reported() {
    let (blocks, toc) = report(&["Culture 文化 and ə"]);
    let rendered = render(&blocks, &toc, "Missing");
    // Each once, in code point order.
    assert_eq!(rendered.missing, vec!['化', '文']);
}
