//! The input as numbered lines, each classified once.

/// One line of the input.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Line<'a> {
    /// 1-based line number in the input.
    pub no: usize,
    /// The line without its line ending and trailing white space (U+00A0 included).
    pub text: &'a str,
    /// The text before a final `:` (the label candidate), when the line ends with one.
    pub label: Option<&'a str>,
    /// The line ended with `:` followed by U+00A0, the separator the publishing renderer puts
    /// after every label: such a line is a label even when its text is unknown.
    pub strong_label: bool,
}

impl Line<'_> {
    /// Empty or white space only (U+00A0 counts as white space).
    pub(crate) fn is_blank(&self) -> bool {
        self.text.is_empty()
    }
}

/// Splits `input` into lines (LF, CRLF or lone CR endings) and classifies each.
pub(crate) fn split(input: &str) -> Vec<Line<'_>> {
    let input = input.strip_prefix('\u{feff}').unwrap_or(input);
    let mut lines: Vec<Line<'_>>;
    if !input.contains('\n') && input.contains('\r') {
        lines = Vec::with_capacity(input.len() / 32 + 8);
        lines.extend(input.split('\r').enumerate().map(classify));
    } else {
        lines = Vec::with_capacity(input.len() / 32 + 8);
        lines.extend(input.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l)).enumerate().map(classify));
    }
    // A final line ending leaves one empty piece that is not a line of the file.
    if lines.last().is_some_and(|l| l.text.is_empty()) && input.ends_with(['\n', '\r']) {
        lines.pop();
    }
    for line in &mut lines {
        if line.text.chars().all(char::is_whitespace) {
            line.text = "";
        }
    }
    lines
}

/// The headings Drupal puts above the messages of the site (a status, warning or error message
/// shown above the page's content, a PHP notice among them), in the sites' three languages.
/// They are visually hidden but in the text a browser copies.
const SITE_MESSAGE_HEADINGS: [&str; 12] = [
    "Status message",
    "Warning message",
    "Error message",
    "Status messages",
    "Message d'état",
    "Message d'avertissement",
    "Message d'erreur",
    "Message d\u{2019}erreur",
    "Mensaje de estado",
    "Mensaje de advertencia",
    "Mensaje de error",
    "Mensajes de estado",
];

/// At most this many lines after a heading are its message: a message block is a few lines,
/// and a heading followed by no blank line must not swallow the report.
const SITE_MESSAGE_LINES: usize = 10;

/// Blanks the site's message blocks (a heading of [`SITE_MESSAGE_HEADINGS`] and the lines up
/// to the next blank line) and returns one warning per block, naming it: a message of the
/// site is not report content, and is not dropped silently either.
pub(crate) fn take_site_messages(lines: &mut [Line<'_>]) -> Vec<qpr_domain::document::ImportWarning> {
    let mut warnings = Vec::new();
    let mut at = 0;
    while at < lines.len() {
        if !SITE_MESSAGE_HEADINGS.contains(&lines[at].text) {
            at += 1;
            continue;
        }
        let heading = lines[at];
        let body_end = (at + 1..lines.len().min(at + 1 + SITE_MESSAGE_LINES))
            .find(|&i| lines[i].is_blank())
            .unwrap_or_else(|| lines.len().min(at + 1 + SITE_MESSAGE_LINES));
        let body: Vec<&str> = lines[at + 1..body_end].iter().map(|l| l.text).collect();
        warnings.push(qpr_domain::document::ImportWarning {
            line: heading.no,
            message: format!(
                "A message of the site (`{}`), not report content, not imported: `{}`",
                heading.text,
                body.join(" / ")
            ),
        });
        for line in &mut lines[at..body_end] {
            line.text = "";
            line.label = None;
            line.strong_label = false;
        }
        at = body_end;
    }
    warnings
}

/// Line `i` (from 0) of the input, classified.
fn classify((i, raw): (usize, &str)) -> Line<'_> {
    let text = raw.trim_end();
    let label = text.strip_suffix(':');
    let strong_label = label.is_some() && raw[text.len()..].starts_with('\u{a0}');
    Line { no: i + 1, text: text.trim_start_matches(is_invisible), label, strong_label }
}

fn is_invisible(c: char) -> bool {
    matches!(c, '\u{feff}' | '\u{200b}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endings_and_labels() {
        let lines = split("Name of Party:\u{a0}\r\nAzerbaijan\r\n\u{a0}\nEmail: \nDate:");
        assert_eq!(lines.len(), 5);
        assert_eq!(lines[0].label, Some("Name of Party"));
        assert!(lines[0].strong_label);
        assert_eq!(lines[1].text, "Azerbaijan");
        assert!(lines[2].is_blank());
        assert_eq!(lines[3].label, Some("Email"));
        assert!(!lines[3].strong_label, "a plain space is a weak label");
        assert_eq!(lines[4].label, Some("Date"));
        assert_eq!(lines[4].no, 5);
    }

    #[test]
    fn site_messages_are_blanked_and_named() {
        let text = "Austria 2016 report\nError message\nNotice: Undefined index: nid in node_page_view() (line 12 of /var/www/node.module).\n\nTechnical Information\nStatus message\nName of Party:\nAustria";
        let mut lines = split(text);
        let warnings = take_site_messages(&mut lines);
        assert_eq!(warnings.len(), 2);
        assert_eq!(warnings[0].line, 2);
        assert!(warnings[0].message.contains("`Error message`"), "{}", warnings[0].message);
        assert!(warnings[0].message.contains("Undefined index: nid"), "{}", warnings[0].message);
        assert!(lines[1].is_blank() && lines[2].is_blank());
        assert_eq!(lines[4].text, "Technical Information");
        // A heading without a blank line after it takes at most ten lines.
        assert!(lines[5].is_blank() && lines[6].is_blank() && lines[7].is_blank());
        let long = format!("Status message\n{}", "line\n".repeat(30));
        let mut lines = split(&long);
        take_site_messages(&mut lines);
        assert_eq!(lines.iter().filter(|l| !l.is_blank()).count(), 20);
    }

    #[test]
    fn lone_carriage_returns_split_lines() {
        assert_eq!(split("a\rb\r").len(), 2);
    }
}
