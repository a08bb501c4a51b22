//! What every page template needs besides its content: the language and its messages, links
//! that keep the language, the language switch that keeps the page, the current section of
//! the site for the navigation.

use std::borrow::Borrow;
use std::fmt::Display;

use axum::extract::FromRequestParts;
use axum::http::header::ACCEPT_LANGUAGE;
use axum::http::request::Parts;
use fluent_templates::fluent_bundle::FluentValue;
use qpr_domain::text::{Lang, LocalizedText};

use crate::i18n::{self, Choice};

/// A top-level part of the site, marked as current in the navigation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    /// The home page.
    Home,
    /// Report lists and report pages.
    Reports,
    /// Party pages.
    Parties,
    /// Measures.
    Measures,
    /// The indicators (`/indicators`).
    Indicators,
    /// None of them (error pages).
    Other,
}

/// The page context of a request: build it with the [`FromRequestParts`] extractor, then name
/// the page's section and its own query parameters.
#[derive(Debug, Clone)]
pub struct Ui {
    choice: Choice,
    path: String,
    /// The page's own query parameters (validated), kept by the language switch.
    params: Vec<(&'static str, String)>,
    section: Section,
}

impl<S: Send + Sync> FromRequestParts<S> for Ui {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Ui, Self::Rejection> {
        let query_lang = parts
            .uri
            .query()
            .into_iter()
            .flat_map(|q| q.split('&'))
            .find_map(|pair| pair.strip_prefix("lang="))
            .map(str::to_owned);
        let accept = parts.headers.get(ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok());
        let choice = i18n::choose(query_lang.as_deref(), accept);
        Ok(Ui { choice, path: parts.uri.path().to_owned(), params: Vec::new(), section: Section::Other })
    }
}

impl Ui {
    /// A context for `path` in `lang` (as if asked with `?lang=`).
    pub fn new(lang: Lang, path: &str) -> Ui {
        Ui {
            choice: Choice { lang, explicit: true },
            path: path.to_owned(),
            params: Vec::new(),
            section: Section::Other,
        }
    }

    /// The same context, in a section of the site.
    pub fn in_section(mut self, section: Section) -> Ui {
        self.section = section;
        self
    }

    /// The same context, for the canonical address of the page (the language switch links to
    /// it, and the cache keeps one copy of the page).
    pub fn at(mut self, path: &str) -> Ui {
        path.clone_into(&mut self.path);
        self
    }

    /// The same context, with the page's own (validated) query parameters.
    pub fn with_params(mut self, params: Vec<(&'static str, String)>) -> Ui {
        self.params = params;
        self
    }

    /// The page's path (its canonical address, without the query).
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The page's language.
    pub fn language(&self) -> Lang {
        self.choice.lang
    }

    /// The language's tag, for `lang` attributes.
    pub fn lang(&self) -> &'static str {
        self.choice.lang.tag()
    }

    /// Whether the page's language is `tag`.
    pub fn lang_is(&self, tag: &str) -> bool {
        self.lang() == tag
    }

    /// What identifies the page's content: its path, its parameters, its language, and whether
    /// its links carry the language.
    pub(crate) fn cache_key(&self) -> String {
        let params: Vec<String> = self.params.iter().map(|(k, v)| format!("{k}={v}")).collect();
        format!("{}?{}|{}|{}", self.path, params.join("&"), self.lang(), self.carried().map_or("", Lang::tag))
    }

    /// A message of the interface.
    pub fn t(&self, id: impl AsRef<str>) -> String {
        i18n::text(self.choice.lang, id.as_ref())
    }

    /// A message with a number (plural forms).
    pub fn tn(&self, id: &str, name: &'static str, count: impl Borrow<usize>) -> String {
        i18n::text_with(self.choice.lang, id, &[(name, FluentValue::from(*count.borrow()))])
    }

    /// A message with a text argument.
    pub fn ts(&self, id: &str, name: &'static str, value: impl AsRef<str>) -> String {
        i18n::text_with(self.choice.lang, id, &[(name, FluentValue::from(value.as_ref().to_owned()))])
    }

    /// A validation finding in the page's language.
    pub fn finding(&self, finding: &qpr_domain::validate::Finding) -> String {
        i18n::finding(self.choice.lang, &finding.problem)
    }

    /// A text of the framework in the page's language.
    pub fn local<'a>(&self, text: &'a LocalizedText) -> &'a str {
        text.get(self.choice.lang)
    }

    /// A date written out in the page's language.
    pub fn date(&self, value: impl AsRef<str>) -> String {
        i18n::date(self.choice.lang, value.as_ref())
    }

    /// The language links carry: the one asked for, and French even when only the browser
    /// asked for it, so that a shared link opens in the language it was copied in.
    fn carried(&self) -> Option<Lang> {
        (self.choice.explicit || self.choice.lang != Lang::default()).then_some(self.choice.lang)
    }

    /// An internal link that keeps the page's language.
    pub fn href(&self, target: impl AsRef<str>) -> String {
        let target = target.as_ref();
        match self.carried() {
            None => target.to_owned(),
            Some(lang) => {
                let (path, fragment) = target.split_once('#').map_or((target, None), |(p, f)| (p, Some(f)));
                let separator = if path.contains('?') { '&' } else { '?' };
                let fragment = fragment.map(|f| format!("#{f}")).unwrap_or_default();
                format!("{path}{separator}lang={}{fragment}", lang.tag())
            }
        }
    }

    /// The value of the hidden `lang` field of the page's forms, if links carry one.
    pub fn form_lang(&self) -> Option<&'static str> {
        self.carried().map(Lang::tag)
    }

    /// The page of a report.
    pub fn report_href(&self, iso3: impl AsRef<str>, year: impl Display) -> String {
        self.href(format!("/reports/{}/{year}", iso3.as_ref()))
    }

    /// The profile of a Party.
    pub fn party_href(&self, iso3: impl AsRef<str>) -> String {
        self.href(format!("/parties/{}", iso3.as_ref()))
    }

    /// What changed between a Party's two newest reports: `/parties/{iso3}/changes`.
    pub fn changes_href(&self, iso3: impl AsRef<str>) -> String {
        self.href(format!("/parties/{}/changes", path_segment(iso3.as_ref())))
    }

    /// What changed from the Party's previous report to its report of `to`.
    pub fn changes_to_href(&self, iso3: impl AsRef<str>, to: impl Display) -> String {
        self.href(format!("/parties/{}/changes?to={to}", path_segment(iso3.as_ref())))
    }

    /// The page of a measure as a report has it: `/measures/{iso3}/{year}/{id}`. A measure's
    /// id alone is not unique (a report started from a copy of an earlier one keeps its ids,
    /// and a copy may be published by another Party), the report and the id together are;
    /// and they do not change when the report is published again.
    pub fn measure_href(&self, iso3: impl AsRef<str>, year: impl Display, id: impl AsRef<str>) -> String {
        self.href(format!("/measures/{}/{year}/{}", path_segment(iso3.as_ref()), path_segment(id.as_ref())))
    }

    /// This page in the language `tag`.
    pub fn switch_href(&self, tag: &str) -> String {
        let mut params = self.params.clone();
        params.push(("lang", tag.to_owned()));
        format!("{}{}", self.path, query_string(&params))
    }

    /// Whether the page belongs to the navigation entry `name` (`home`, `reports`, `parties`,
    /// `measures`).
    pub fn current(&self, name: &str) -> bool {
        let section = match name {
            "home" => Section::Home,
            "reports" => Section::Reports,
            "parties" => Section::Parties,
            "measures" => Section::Measures,
            "indicators" => Section::Indicators,
            _ => return false,
        };
        self.section == section
    }
}

/// A query string (with its `?`; empty when there are no parameters), each value
/// `application/x-www-form-urlencoded` (a space as `+`, anything but unreserved characters
/// percent-encoded), so that search text with `&` or `#` stays one value.
pub(crate) fn query_string(params: &[(&str, String)]) -> String {
    let mut out = String::new();
    for (i, (name, value)) in params.iter().enumerate() {
        out.push(if i == 0 { '?' } else { '&' });
        out.push_str(name);
        out.push('=');
        for byte in value.bytes() {
            match byte {
                b' ' => out.push('+'),
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(char::from(byte)),
                _ => out.push_str(&format!("%{byte:02X}")),
            }
        }
    }
    out
}

/// A text as one segment of a path: anything but unreserved characters percent-encoded.
pub(crate) fn path_segment(text: &str) -> String {
    percent_encoded(text, b"")
}

/// A text as a query-string value that keeps its slashes readable (a path given as `next=`).
pub(crate) fn query_value(text: &str) -> String {
    percent_encoded(text, b"/")
}

/// Anything but unreserved characters and `keep` percent-encoded.
fn percent_encoded(text: &str, keep: &[u8]) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') || keep.contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ui(lang: Lang, explicit: bool) -> Ui {
        Ui {
            choice: Choice { lang, explicit },
            path: "/reports".into(),
            params: vec![("year", "2022".into())],
            section: Section::Reports,
        }
    }

    #[test]
    fn links_keep_a_chosen_language() {
        assert_eq!(ui(Lang::En, false).href("/parties/AZE"), "/parties/AZE");
        assert_eq!(ui(Lang::En, true).href("/parties/AZE"), "/parties/AZE?lang=en");
        assert_eq!(ui(Lang::Fr, false).href("/reports?year=2022#x"), "/reports?year=2022&lang=fr#x");
        assert_eq!(ui(Lang::Fr, true).form_lang(), Some("fr"));
        assert_eq!(ui(Lang::En, false).form_lang(), None);
    }

    #[test]
    fn measure_ids_are_one_path_segment() {
        assert_eq!(ui(Lang::En, false).measure_href("AZE", 2022, "AZE-2022-pm01"), "/measures/AZE/2022/AZE-2022-pm01");
        assert_eq!(ui(Lang::En, false).measure_href("AZE", 2026, "a/b c?é"), "/measures/AZE/2026/a%2Fb%20c%3F%C3%A9");
    }

    #[test]
    fn the_switch_keeps_the_page_and_its_parameters() {
        assert_eq!(ui(Lang::En, false).switch_href("fr"), "/reports?year=2022&lang=fr");
        let search = ui(Lang::En, false).with_params(vec![("q", "arts & \"young\" #1".into())]);
        assert_eq!(
            search.switch_href("fr"),
            "/reports?q=arts+%26+%22young%22+%231&lang=fr",
            "search text stays one value"
        );
        assert!(ui(Lang::En, false).current("reports") && !ui(Lang::En, false).current("home"));
        assert_ne!(ui(Lang::En, false).cache_key(), ui(Lang::En, true).cache_key(), "links differ");
        assert_ne!(ui(Lang::En, true).cache_key(), ui(Lang::Fr, true).cache_key());
    }
}
