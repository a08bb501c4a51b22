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
    let mut out = TextOut { text: String::with_capacity(html.len() / 2), pending_breaks: 0 };
    walk(document.root_element(), &mut out);
    tidy(&out.text)
}

/// The text being built. Block elements do not write their line breaks at once: they ask
/// for a number of them, and the requests that meet between two pieces of text collapse to
/// the largest one (`innerText`'s "required line break count"), so nested `<div>`s give one
/// line break, not a blank line, and `<p>` after a `<div>` gives one blank line.
struct TextOut {
    text: String,
    pending_breaks: usize,
}

impl TextOut {
    fn request_breaks(&mut self, count: usize) {
        self.pending_breaks = self.pending_breaks.max(count);
    }

    /// Writes the requested line breaks before the next visible character (none at the start).
    fn flush_breaks(&mut self) {
        if !self.text.is_empty() {
            for _ in 0..self.pending_breaks {
                self.text.push('\n');
            }
        }
        self.pending_breaks = 0;
    }

    /// A forced line break (`<br>`).
    fn line_break(&mut self) {
        self.flush_breaks();
        self.text.push('\n');
    }

    /// Appends text with runs of ASCII white space folded into one space (U+00A0 is kept);
    /// white space at the start of a line is dropped.
    fn push_collapsed(&mut self, text: &str) {
        for ch in text.chars() {
            if ch.is_ascii_whitespace() {
                if self.pending_breaks == 0 && !self.text.is_empty() && !self.text.ends_with([' ', '\n']) {
                    self.text.push(' ');
                }
            } else {
                self.flush_breaks();
                self.text.push(ch);
            }
        }
    }
}

fn walk(element: ElementRef<'_>, out: &mut TextOut) {
    let name = element.value().name();
    if matches!(name, "script" | "style" | "noscript" | "template" | "head" | "svg" | "button" | "select") {
        return;
    }
    let breaks = block_breaks(name);
    out.request_breaks(breaks);
    if name == "br" {
        out.line_break();
    }
    // Table cells after the first of their row are set off by a tab, as `innerText` does.
    if matches!(name, "td" | "th")
        && element.prev_siblings().filter_map(ElementRef::wrap).any(|e| matches!(e.value().name(), "td" | "th"))
    {
        out.flush_breaks();
        out.text.push('\t');
    }
    for child in element.children() {
        match child.value() {
            Node::Text(text) => out.push_collapsed(text),
            Node::Element(_) => {
                if let Some(child) = ElementRef::wrap(child) {
                    walk(child, out);
                }
            }
            _ => {}
        }
    }
    out.request_breaks(breaks);
}

/// Line breaks a browser puts around an element (2: a blank line, 1: a new line), as
/// `innerText` does (and Chromium with it): a blank line around paragraphs only, a new line
/// around every other block, headings included.
fn block_breaks(name: &str) -> usize {
    match name {
        "p" => 2,
        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "section" | "article" | "main" | "header" | "footer" | "nav"
        | "aside" | "table" | "ul" | "ol" | "dl" | "blockquote" | "pre" | "hr" | "figure" | "div" | "li" | "tr"
        | "dt" | "dd" | "form" | "fieldset" | "legend" | "caption" | "address" | "body" => 1,
        _ => 0,
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
            "Quadrennial Periodic Report\nName of Party:\u{a0}\nAzerbaijan\nExecutive summary:\u{a0}\n\nOne & two\n\nThree\nfour\n"
        );
    }

    #[test]
    fn text_is_not_html() {
        assert!(!looks_like_html("Quadrennial Periodic Report\nAzerbaijan 2022\n"));
    }
}
