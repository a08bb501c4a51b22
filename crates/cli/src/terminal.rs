//! Text from untrusted files (a signature file, an imported page, a document) made safe to
//! print to a terminal: control characters (ESC, CR, newlines, …) and the Unicode bidi
//! controls, which can rewrite or reorder what was printed before them, are shown as
//! `\u{..}` escapes instead of being obeyed.

/// Whether a character changes how a terminal shows text instead of being shown itself.
fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// `text` with every control character and bidi control written as a `\u{..}` escape.
pub(crate) fn escape(text: &str) -> String {
    escape_with(text, |_| false)
}

/// As [`escape`], but keeps line breaks and tabs (for multi-line messages of our own, such as
/// a settings file's parse error with its snippet, that may quote untrusted text).
pub(crate) fn escape_keeping_lines(text: &str) -> String {
    escape_with(text, |c| c == '\n' || c == '\t')
}

fn escape_with(text: &str, keep: impl Fn(char) -> bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if is_unsafe(c) && !keep(c) {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_bidi_controls_are_shown_not_obeyed() {
        assert_eq!(escape("Dr A\u{1b}[2K\rverified OK"), "Dr A\\u{1b}[2K\\u{d}verified OK");
        assert_eq!(escape("a\u{202E}b\u{2066}c\u{9b}d\ne"), "a\\u{202e}b\\u{2066}c\\u{9b}d\\u{a}e");
        assert_eq!(escape("Ministère de la Culture, Азербайджан"), "Ministère de la Culture, Азербайджан");
        assert_eq!(escape_keeping_lines("line 1\n\tline 2\r\u{1b}"), "line 1\n\tline 2\\u{d}\\u{1b}");
    }
}
