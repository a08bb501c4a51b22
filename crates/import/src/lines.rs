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
    let raw_lines: Box<dyn Iterator<Item = &str>> = if !input.contains('\n') && input.contains('\r') {
        Box::new(input.split('\r'))
    } else {
        Box::new(input.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l)))
    };
    let mut lines: Vec<Line<'_>> = raw_lines
        .enumerate()
        .map(|(i, raw)| {
            let text = raw.trim_end();
            let label = text.strip_suffix(':');
            let strong_label = label.is_some() && raw[text.len()..].starts_with('\u{a0}');
            Line { no: i + 1, text: text.trim_start_matches(is_invisible), label, strong_label }
        })
        .collect();
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
    fn lone_carriage_returns_split_lines() {
        assert_eq!(split("a\rb\r").len(), 2);
    }
}
