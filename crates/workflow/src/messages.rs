//! The texts of the workflow's e-mails, in English and French: the Fluent files
//! `locales/{en,fr}/mail.ftl`, compiled into the binary (a test checks both define the same
//! messages). Dates are written out here too ("30 June 2027", "30 juin 2027"), for the mails
//! and for the web pages.

use std::borrow::Cow;
use std::collections::HashMap;

use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader, langid, static_loader};
use qpr_domain::text::Lang;

static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "en",
        // No Unicode isolation marks around arguments: they would end up in the e-mails.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

static EN: LanguageIdentifier = langid!("en");
static FR: LanguageIdentifier = langid!("fr");

/// The Fluent language of `lang`.
pub fn identifier(lang: Lang) -> &'static LanguageIdentifier {
    match lang {
        Lang::En => &EN,
        Lang::Fr => &FR,
    }
}

/// Fluent arguments of a message.
pub type Args = Vec<(&'static str, FluentValue<'static>)>;

/// The message `id` in `lang` from `loader`, with arguments: how every crate with Fluent files
/// of its own (this one, the web's) reads them.
pub fn lookup(loader: &impl Loader, lang: Lang, id: &str, args: &[(&'static str, FluentValue<'static>)]) -> String {
    if args.is_empty() {
        return loader.lookup(identifier(lang), id);
    }
    let args: HashMap<Cow<'static, str>, FluentValue<'_>> =
        args.iter().map(|(name, value)| (Cow::Borrowed(*name), value.clone())).collect();
    loader.lookup_with_args(identifier(lang), id, &args)
}

/// The message `id` in `lang`.
pub fn text(lang: Lang, id: &str) -> String {
    lookup(&*LOCALES, lang, id, &[])
}

/// The message `id` in `lang`, with arguments.
pub fn text_with(lang: Lang, id: &str, args: &[(&'static str, FluentValue<'static>)]) -> String {
    lookup(&*LOCALES, lang, id, args)
}

/// A date (`YYYY-MM-DD`, or an RFC 3339 time, of which the date is shown) as people write it
/// in `lang`: "30 June 2027", "30 juin 2027". Anything else is shown as it is.
pub fn date(lang: Lang, value: &str) -> String {
    let parts = value.get(..10).map(|d| (d.get(..4), d.get(5..7), d.get(8..10)));
    let number = |s: Option<&str>| s.and_then(|s| s.parse::<u32>().ok());
    match parts.map(|(y, m, d)| (number(y), number(m), number(d))) {
        Some((Some(year), Some(month @ 1..=12), Some(day @ 1..=31))) => text_with(
            lang,
            "date",
            &[
                ("year", FluentValue::from(year.to_string())),
                ("month", FluentValue::from(month)),
                ("day", FluentValue::from(day)),
            ],
        ),
        _ => value.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    use qpr_test_support::fluent_message_ids as message_ids;

    #[test]
    fn both_languages_define_the_same_messages() {
        let (en, fr) =
            (message_ids(include_str!("../locales/en/mail.ftl")), message_ids(include_str!("../locales/fr/mail.ftl")));
        assert!(en.len() > 20, "{en:?}");
        assert_eq!(
            en.symmetric_difference(&fr).collect::<Vec<_>>(),
            Vec::<&&str>::new(),
            "messages in one language only"
        );
    }

    #[test]
    fn every_message_the_code_uses_exists() {
        let defined = message_ids(include_str!("../locales/en/mail.ftl"));
        let mut used = BTreeSet::new();
        for source in [include_str!("notify.rs"), include_str!("accounts.rs")] {
            for piece in source.split("\"mail-").skip(1) {
                used.insert(format!("mail-{}", piece.split('"').next().unwrap_or_default()));
            }
        }
        assert!(used.len() > 10, "{used:?}");
        let missing: Vec<_> = used.iter().filter(|id| !defined.contains(id.as_str())).collect();
        assert!(missing.is_empty(), "undefined messages: {missing:?}");
    }

    #[test]
    fn dates_are_written_out() {
        assert_eq!(date(Lang::En, "2027-06-30"), "30 June 2027");
        assert_eq!(date(Lang::Fr, "2027-06-30"), "30 juin 2027");
        assert_eq!(date(Lang::Fr, "2023-03-01T10:00:00.5Z"), "1er mars 2023");
        assert_eq!(date(Lang::En, "2023"), "2023");
        assert_eq!(date(Lang::En, "2023-13-01"), "2023-13-01");
    }
}
