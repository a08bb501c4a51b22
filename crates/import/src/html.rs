//! Published report pages saved as HTML become the text a browser shows, so that one parser
//! serves both inputs: block elements break lines, paragraphs and headings are set off by
//! blank lines, runs of ordinary white space collapse, U+00A0 is kept (it marks labels).

use scraper::{ElementRef, Html, Node};

/// Whether the input looks like an HTML page rather than page text.
pub fn looks_like_html(input: &str) -> bool {
    let head = input.trim_start().get(..512).unwrap_or(input.trim_start()).to_ascii_lowercase();
    head.starts_with("<!doctype html") || head.starts_with("<html") || head.contains("<body") || head.contains("<head")
}

/// The text of an HTML page, as a browser's `innerText` would give it.
pub fn html_to_text(html: &str) -> String {
    let document = Html::parse_document(html);
    let mut out = String::with_capacity(html.len() / 2);
    walk(document.root_element(), &mut out);
    tidy(&out)
}

fn walk(element: ElementRef<'_>, out: &mut String) {
    let name = element.value().name();
    if matches!(name, "script" | "style" | "noscript" | "template" | "head" | "svg" | "button" | "select") {
        return;
    }
    let breaks = block_breaks(name);
    out.push_str(breaks);
    if name == "br" {
        out.push('\n');
    }
    for child in element.children() {
        match child.value() {
            Node::Text(text) => push_collapsed(out, text),
            Node::Element(_) => {
                if let Some(child) = ElementRef::wrap(child) {
                    walk(child, out);
                }
            }
            _ => {}
        }
    }
    out.push_str(breaks);
}

/// Line breaks a browser puts around an element.
fn block_breaks(name: &str) -> &'static str {
    match name {
        "p" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "section" | "article" | "main" | "header" | "footer"
        | "nav" | "aside" | "table" | "ul" | "ol" | "dl" | "blockquote" | "pre" | "hr" | "figure" => "\n\n",
        "div" | "li" | "tr" | "dt" | "dd" | "form" | "fieldset" | "legend" | "caption" | "address" | "body" => "\n",
        _ => "",
    }
}

/// Appends text with runs of ASCII white space folded into one space (U+00A0 is kept).
fn push_collapsed(out: &mut String, text: &str) {
    for ch in text.chars() {
        if ch.is_ascii_whitespace() {
            if !out.ends_with([' ', '\n']) && !out.is_empty() {
                out.push(' ');
            }
        } else {
            out.push(ch);
        }
    }
}

/// Trims spaces at line starts and ends (keeping U+00A0 before a line end, the label mark)
/// and folds runs of blank lines into one.
fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank_run = 0;
    for line in text.split('\n') {
        let line = line.trim_matches(' ');
        if line.trim().is_empty() {
            blank_run += 1;
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank_run > 0 { "\n\n" } else { "\n" });
        }
        blank_run = 0;
        out.push_str(line);
    }
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_and_paragraphs_become_lines() {
        let html = r#"<!DOCTYPE html><html><head><title>x</title><script>var a = "Title:";</script></head>
            <body><h1>Quadrennial Periodic Report</h1>
            <div class="field"><div class="label">Name of Party:&nbsp;</div><div class="item">Azerbaijan</div></div>
            <div class="label">Executive summary:&nbsp;</div><p>One &amp; two</p><p>Three<br>four</p></body></html>"#;
        assert!(looks_like_html(html));
        assert_eq!(
            html_to_text(html),
            "Quadrennial Periodic Report\n\nName of Party:\u{a0}\nAzerbaijan\nExecutive summary:\u{a0}\n\nOne & two\n\nThree\nfour\n"
        );
    }

    #[test]
    fn text_is_not_html() {
        assert!(!looks_like_html("Quadrennial Periodic Report\nAzerbaijan 2022\n"));
    }
}
