//! Localized labels and the text normalization used to match labels and options loosely.

use serde::{Deserialize, Serialize};

/// A text in the interface languages. English is the reference; French may be missing in
/// a draft framework, in which case the English text is shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct LocalizedText {
    /// English text, exactly as in the published form.
    pub en: String,
    /// French text.
    #[serde(default)]
    pub fr: String,
    /// Spanish text, where a published site shows it (the Spanish UNESCO site's labels and
    /// country names); not an interface language.
    /// (A boxed string: most texts have none, and labels are carried in many values.)
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub es: Option<Box<str>>,
}

/// An interface language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// English.
    #[default]
    En,
    /// French.
    Fr,
}

impl Lang {
    /// The BCP 47 tag of the language.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Fr => "fr",
        }
    }

    /// Parses `en` / `fr` (case-insensitive, region subtags ignored).
    pub fn parse(tag: &str) -> Option<Lang> {
        // `split` yields at least one piece; the default is unreachable.
        let primary = tag.split(['-', '_']).next().unwrap_or_default();
        match primary.trim().to_ascii_lowercase().as_str() {
            "en" => Some(Lang::En),
            "fr" => Some(Lang::Fr),
            _ => None,
        }
    }
}

impl LocalizedText {
    /// Every non-empty text: English, French, then Spanish.
    pub fn texts(&self) -> impl Iterator<Item = &str> {
        [self.en.as_str(), self.fr.as_str(), self.es.as_deref().unwrap_or_default()]
            .into_iter()
            .filter(|t| !t.is_empty())
    }

    /// The text in `lang`, falling back to English when the translation is missing.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Fr if !self.fr.is_empty() => &self.fr,
            _ => &self.en,
        }
    }
}

/// Normalizes a label or an option for loose matching: case-folded, every run of whitespace
/// (including U+00A0) folded to one space, spaces around `/` removed, and trailing `:`, `.`
/// and whitespace stripped. Published pages differ from the form in exactly these ways
/// (`::` labels, `Cinema/ Audiovisual Arts` vs `Cinema/audiovisual arts`).
pub fn normalize_loose(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    normalize_loose_into(text, &mut out);
    out
}

/// Appends [`normalize_loose`]`(text)` to `out`: a caller normalizing many texts (every line
/// of a page) reuses one buffer instead of allocating a `String` per text.
pub fn normalize_loose_into(text: &str, out: &mut String) {
    let start = out.len();
    out.reserve(text.len());
    // Most labels and lines are ASCII with single spaces between words and no `/`: their key
    // is the text lowercased, copied at once.
    if is_plain_ascii(text) {
        out.push_str(text);
    } else {
        fold_spaces_into(text, out, start);
    }
    // Lowercasing never gives an ASCII capital: this folds only the ASCII copied as is.
    out[start..].make_ascii_lowercase();
    let trimmed_len = start + out[start..].trim_end_matches([':', '.', ' ']).len();
    out.truncate(trimmed_len);
}

/// ASCII without white space but single spaces between words, and without `/`: text that
/// [`normalize_loose`] only lowercases and trims. (Other control characters are sent the
/// slower way too, which reads them as any other character.)
fn is_plain_ascii(text: &str) -> bool {
    // Folded without an early exit, so that the compiler reads many bytes at once.
    let odd = text.bytes().fold(false, |odd, b| odd | !(b' '..0x80).contains(&b) | (b == b'/'));
    // A space at the start, or after another, is dropped by the normalization.
    !odd && !text.starts_with(' ') && !text.contains("  ")
}

/// [`normalize_loose_into`] but for the ASCII capitals and the final trim: white space
/// folded, spaces around `/` dropped, other characters lowercased.
fn fold_spaces_into(text: &str, out: &mut String, start: usize) {
    let mut pending_space = false;
    // The last character pushed was `/` (no space is put after it).
    let mut after_slash = false;
    let bytes = text.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        let byte = bytes[at];
        // ASCII is most of every page: read it without decoding, with ASCII's white space
        // (what `char::is_whitespace` says of it) matched directly, and a run of other ASCII
        // characters copied at once (lowercased by the caller).
        if byte.is_ascii() {
            match byte {
                b'\t'..=b'\r' | b' ' => {
                    pending_space = out.len() > start;
                    at += 1;
                }
                b'/' => {
                    pending_space = false;
                    after_slash = true;
                    out.push('/');
                    at += 1;
                }
                _ => {
                    if pending_space && !after_slash {
                        out.push(' ');
                    }
                    pending_space = false;
                    after_slash = false;
                    let run = bytes[at..]
                        .iter()
                        .position(|&b| !b.is_ascii() || matches!(b, b'\t'..=b'\r' | b' ' | b'/'))
                        .unwrap_or(bytes.len() - at);
                    out.push_str(&text[at..at + run]);
                    at += run;
                }
            }
            continue;
        }
        let Some(ch) = text[at..].chars().next() else { break };
        at += ch.len_utf8();
        if ch.is_whitespace() {
            pending_space = out.len() > start;
            continue;
        }
        if pending_space && !after_slash {
            out.push(' ');
        }
        pending_space = false;
        after_slash = false;
        if ch == '\u{2019}' {
            // Typographic apostrophes are typed as straight ones by half the authors.
            out.push('\'');
        } else {
            out.extend(ch.to_lowercase());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loose_matching_folds_the_published_variants() {
        assert_eq!(normalize_loose("Cinema/ Audiovisual Arts"), normalize_loose("Cinema/audiovisual arts"));
        assert_eq!(normalize_loose("Email:\u{a0}"), "email");
        assert_eq!(normalize_loose("governments  have::"), "governments have");
        assert_eq!(normalize_loose("decision-making /managerial"), "decision-making/managerial");
        // Appended after what the buffer holds, trimmed and spaced as on its own.
        let mut buffer = String::from("kept: ");
        normalize_loose_into("  Nom du\u{a0}Partenaire ::", &mut buffer);
        normalize_loose_into("\u{a0}Cinéma / Arts\tAUDIOVISUELS.", &mut buffer);
        assert_eq!(buffer, "kept: nom du partenairecinéma/arts audiovisuels");
    }

    /// The first, char-by-char version: the byte-level one must give the same key for any text.
    fn normalize_loose_reference(text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut pending_space = false;
        for ch in text.chars() {
            if ch.is_whitespace() {
                pending_space = !out.is_empty();
                continue;
            }
            if ch == '/' {
                pending_space = false;
                out.push('/');
                continue;
            }
            if pending_space && !out.ends_with('/') {
                out.push(' ');
            }
            pending_space = false;
            if ch.is_ascii() {
                out.push(ch.to_ascii_lowercase());
            } else if ch == '\u{2019}' {
                out.push('\'');
            } else {
                out.extend(ch.to_lowercase());
            }
        }
        let trimmed_len = out.trim_end_matches([':', '.', ' ']).len();
        out.truncate(trimmed_len);
        out
    }

    proptest::proptest! {
        #[test]
        fn byte_level_normalization_equals_the_reference(text in "[ a-zA-Z/:.\u{a0}\u{2019}\t\nÉéİıƏəΣσЖж\u{2003}-]{0,40}") {
            proptest::prop_assert_eq!(normalize_loose(&text), normalize_loose_reference(&text));
        }

        #[test]
        fn any_text_normalizes_as_the_reference(text in "\\PC{0,60}") {
            proptest::prop_assert_eq!(normalize_loose(&text), normalize_loose_reference(&text));
        }

        #[test]
        fn ascii_normalizes_as_the_reference(text in "[ a-zA-Z09:./\t]{0,30}") {
            proptest::prop_assert_eq!(normalize_loose(&text), normalize_loose_reference(&text));
        }

        #[test]
        fn appending_normalizes_as_alone(before in "\\PC{0,20}", text in "\\PC{0,60}") {
            let mut buffer = before.clone();
            normalize_loose_into(&text, &mut buffer);
            proptest::prop_assert_eq!(buffer, format!("{before}{}", normalize_loose_reference(&text)));
        }
    }

    #[test]
    fn french_falls_back_to_english() {
        let text = LocalizedText { en: "Design".into(), ..LocalizedText::default() };
        assert_eq!(text.get(Lang::Fr), "Design");
        assert_eq!(Lang::parse("fr-CA"), Some(Lang::Fr));
        assert_eq!(Lang::parse("de"), None);
    }
}
