//! Interface text in English and French, and the choice of a page's language.
//!
//! Every word of the interface comes from the Fluent files `locales/{en,fr}/main.ftl`, compiled
//! into the binary (a test checks that both files define the same messages and that every
//! message the templates use exists). Form labels come from the framework in the page's
//! language; report content is shown as submitted.
//!
//! A page's language is its `?lang=` when that names a supported language, else the best
//! supported language of the `Accept-Language` header, else English.

use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::static_loader;
use qpr_domain::text::Lang;
use qpr_domain::validate::Problem;

static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "en",
        // No Unicode isolation marks around arguments: both languages are left-to-right, and
        // the marks would end up in attribute values and in the page text the importer reads.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

/// The message `id` in `lang`.
pub(crate) fn text(lang: Lang, id: &str) -> String {
    qpr_workflow::messages::lookup(&*LOCALES, lang, id, &[])
}

/// The message `id` in `lang`, with arguments.
pub(crate) fn text_with(lang: Lang, id: &str, args: &[(&'static str, FluentValue<'static>)]) -> String {
    qpr_workflow::messages::lookup(&*LOCALES, lang, id, args)
}

/// The message `id` in `lang` for the form engine (`qpr-editor`'s [`qpr_editor::Lookup`]).
pub(crate) fn editor_text(lang: Lang, id: &str, args: &[(&'static str, qpr_editor::Arg)]) -> String {
    let args: Vec<(&'static str, FluentValue<'static>)> = args
        .iter()
        .map(|(name, arg)| match arg {
            qpr_editor::Arg::Number(n) => (*name, FluentValue::from(*n)),
            qpr_editor::Arg::Text(text) => (*name, FluentValue::from(text.clone())),
        })
        .collect();
    text_with(lang, id, &args)
}

/// A validation finding's problem in `lang`: the message `finding-{code}` with the problem's
/// values as arguments (the domain's own sentence is English only).
pub(crate) fn finding(lang: Lang, problem: &Problem) -> String {
    let args: Vec<(&'static str, FluentValue<'static>)> =
        problem.args().into_iter().map(|(name, value)| (name, FluentValue::from(value))).collect();
    text_with(lang, &format!("finding-{}", problem.code()), &args)
}

/// A refusal of the workflow in `lang`: the message `refusal-{code}` (`_` written `-`) with
/// the refusal's values as arguments, a report state worded as the pages word it. A mail that
/// could not be sent says the link to pass on when it has one (`refusal-mail-not-sent-link`).
pub(crate) fn refusal(lang: Lang, error: &qpr_workflow::WorkflowError) -> String {
    if let qpr_workflow::WorkflowError::Invalid(invalid) = error {
        return self::invalid(lang, invalid);
    }
    let args = error.args();
    let args: Vec<(&'static str, FluentValue<'static>)> = args
        .into_iter()
        .map(|(name, value)| {
            let value = if name == "state" { text(lang, &format!("state-{value}")).to_lowercase() } else { value };
            (name, FluentValue::from(value))
        })
        .collect();
    let mut id = format!("refusal-{}", error.code().replace('_', "-"));
    if args.iter().any(|(name, _)| *name == "link") {
        id.push_str("-link");
    }
    text_with(lang, &id, &args)
}

/// A wrong input in `lang`: `refusal-invalid-input` with the field and the problem in words of
/// the workflow's own Fluent files ([`qpr_workflow::Invalid::field_text`], `problem_text`).
pub(crate) fn invalid(lang: Lang, invalid: &qpr_workflow::Invalid) -> String {
    let (field, problem) = (invalid.field_text(lang), invalid.problem_text(lang));
    text_with(lang, "refusal-invalid-input", &[("field", field.into()), ("problem", problem.into())])
}

/// The message `id` in the language tagged `tag` (English for a tag it does not know): the
/// texts of `base.html`, which knows only its page's language tag.
pub(crate) fn chrome(tag: &str, id: &str) -> String {
    text(Lang::parse(tag).unwrap_or_default(), id)
}

/// The query that keeps a page's language on links of `base.html`: French is carried, English
/// is the default.
pub(crate) fn lang_query(tag: &str) -> &'static str {
    match Lang::parse(tag) {
        Some(Lang::Fr) => "?lang=fr",
        _ => "",
    }
}

/// A date (`YYYY-MM-DD`, or an RFC 3339 time, of which the date is shown) as people write it
/// in `lang`: "30 June 2027", "30 juin 2027". Anything else is shown as it is.
/// The one place dates are written is the workflow's messages (its e-mails write them too).
pub(crate) fn date(lang: Lang, value: &str) -> String {
    qpr_workflow::messages::date(lang, value)
}

/// A page's language and whether it was asked for explicitly (`?lang=`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Choice {
    /// The language.
    pub lang: Lang,
    /// `true` when the address named it.
    pub explicit: bool,
}

/// Chooses a page's language from its `?lang=` and the `Accept-Language` header.
pub(crate) fn choose(query: Option<&str>, accept_language: Option<&str>) -> Choice {
    match query.and_then(Lang::parse) {
        Some(lang) => Choice { lang, explicit: true },
        None => Choice { lang: accept_language.and_then(preferred).unwrap_or_default(), explicit: false },
    }
}

/// The supported language with the highest weight in an `Accept-Language` header (the first
/// of equal weights); languages with `q=0` are refused.
fn preferred(header: &str) -> Option<Lang> {
    let mut best: Option<(f32, Lang)> = None;
    for item in header.split(',') {
        let mut parts = item.split(';');
        let tag = parts.next().unwrap_or_default().trim();
        let weight =
            parts.find_map(|p| p.trim().strip_prefix("q=")).map_or(Some(1.0), |q| q.trim().parse::<f32>().ok());
        let (Some(weight), Some(lang)) = (weight, Lang::parse(tag)) else { continue };
        if weight > 0.0 && best.is_none_or(|(top, _)| weight > top) {
            best = Some((weight, lang));
        }
    }
    best.map(|(_, lang)| lang)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    #[test]
    fn the_address_wins_then_the_browser_then_english() {
        assert_eq!(choose(Some("fr"), Some("en")), Choice { lang: Lang::Fr, explicit: true });
        assert_eq!(choose(Some("de"), Some("fr-CA,fr;q=0.9")), Choice { lang: Lang::Fr, explicit: false });
        assert_eq!(choose(None, Some("de-DE,de;q=0.9,en;q=0.5,fr;q=0.7")).lang, Lang::Fr);
        assert_eq!(choose(None, Some("fr;q=0, en")).lang, Lang::En);
        assert_eq!(choose(None, Some("fr;q=0")).lang, Lang::En);
        assert_eq!(choose(None, Some("es, *;q=0.1")).lang, Lang::En);
        assert_eq!(choose(None, Some("fr;q=bad, en;q=0.2")).lang, Lang::En);
        assert_eq!(choose(None, None), Choice { lang: Lang::En, explicit: false });
    }

    #[test]
    fn dates_are_written_out() {
        assert_eq!(date(Lang::En, "2027-06-30"), "30 June 2027");
        assert_eq!(date(Lang::Fr, "2027-06-30"), "30 juin 2027");
        assert_eq!(date(Lang::Fr, "2023-03-01T10:00:00.5Z"), "1er mars 2023");
        assert_eq!(date(Lang::En, "2023"), "2023");
        assert_eq!(date(Lang::En, "2023-13-01"), "2023-13-01");
    }

    use qpr_test_support::fluent_message_ids as message_ids;

    #[test]
    fn both_languages_define_the_same_messages() {
        for (en, fr) in [
            (include_str!("../locales/en/main.ftl"), include_str!("../locales/fr/main.ftl")),
            (include_str!("../locales/en/editor.ftl"), include_str!("../locales/fr/editor.ftl")),
            (include_str!("../locales/en/app.ftl"), include_str!("../locales/fr/app.ftl")),
            (include_str!("../locales/en/findings.ftl"), include_str!("../locales/fr/findings.ftl")),
            (include_str!("../locales/en/refusals.ftl"), include_str!("../locales/fr/refusals.ftl")),
            (include_str!("../locales/en/workbook.ftl"), include_str!("../locales/fr/workbook.ftl")),
            (include_str!("../locales/en/indicators.ftl"), include_str!("../locales/fr/indicators.ftl")),
        ] {
            let (en, fr) = (message_ids(en), message_ids(fr));
            assert!(en.len() > 15, "{en:?}");
            assert_eq!(
                en.symmetric_difference(&fr).collect::<Vec<_>>(),
                Vec::<&&str>::new(),
                "messages in one language only"
            );
        }
    }

    #[test]
    fn every_validation_problem_has_a_message_in_both_languages() {
        let defined = message_ids(include_str!("../locales/fr/findings.ftl"));
        let missing: Vec<_> =
            Problem::CODES.iter().filter(|code| !defined.contains(format!("finding-{code}").as_str())).collect();
        assert!(missing.is_empty(), "problems without a message: {missing:?}");
        let stray: Vec<_> =
            defined.iter().filter(|id| !Problem::CODES.iter().any(|code| **id == format!("finding-{code}"))).collect();
        assert!(stray.is_empty(), "messages of no problem: {stray:?}");
    }

    #[test]
    fn every_workbook_problem_has_a_message() {
        let defined = message_ids(include_str!("../locales/fr/workbook.ftl"));
        let missing: Vec<String> = qpr_workflow::workbook::ProblemKind::ALL
            .iter()
            .map(|kind| kind.message_id())
            .filter(|id| !defined.contains(id.as_str()))
            .collect();
        assert!(missing.is_empty(), "problems without a message: {missing:?}");
    }

    #[test]
    fn every_workflow_refusal_has_a_message_in_both_languages() {
        use qpr_workflow::WorkflowError;
        let defined = message_ids(include_str!("../locales/fr/refusals.ftl"));
        let expected: BTreeSet<String> = WorkflowError::REFUSAL_CODES
            .iter()
            .map(|code| format!("refusal-{}", code.replace('_', "-")))
            .chain(["refusal-mail-not-sent-link".to_owned()])
            .collect();
        assert_eq!(defined.iter().map(|id| (*id).to_owned()).collect::<BTreeSet<_>>(), expected);
    }

    #[test]
    fn a_wrong_input_reads_in_the_page_language_with_the_value_as_typed() {
        use qpr_workflow::{Field, Invalid, Problem, WorkflowError};
        let email = Invalid::new(Field::Email, Problem::NotAnEmail { value: "a b".into() });
        assert_eq!(invalid(Lang::En, &email), "E-mail address: `a b` is not an e-mail address.");
        assert_eq!(invalid(Lang::En, &email), email.to_string(), "the CLI's English is the pages' English");
        assert_eq!(invalid(Lang::Fr, &email), "Adresse électronique : « a b » n'est pas une adresse électronique.");
        let role =
            Invalid::new(Field::Email, Problem::HigherRole { who: "a@b.org".into(), role: "focal_point".into() });
        assert_eq!(
            refusal(Lang::Fr, &WorkflowError::Invalid(role.clone())),
            "Adresse électronique : a@b.org est déjà point de contact de ce rapport ; une invitation n'abaisse jamais un rôle."
        );
        assert_eq!(invalid(Lang::En, &role), role.to_string());
        let required = Invalid::new(Field::Subject, Problem::Required);
        assert_eq!(invalid(Lang::Fr, &required), "Objet : ce champ est obligatoire.");
        // Every problem reads in English as the CLI says it (one wording, two places it is kept).
        for problem in Problem::examples() {
            let invalid = Invalid::new(Field::Party, problem);
            assert_eq!(self::invalid(Lang::En, &invalid), invalid.to_string());
        }
        for field in Field::ALL {
            let invalid = Invalid::new(field, Problem::Required);
            assert_eq!(self::invalid(Lang::En, &invalid), invalid.to_string());
        }
    }

    #[test]
    fn refusals_read_in_the_page_language_with_their_values() {
        use qpr_workflow::WorkflowError;
        let closed = WorkflowError::NotEditable(qpr_store::ReportState::Submitted);
        assert_eq!(refusal(Lang::En, &closed), "The report is submitted: it can no longer be changed.");
        assert_eq!(refusal(Lang::Fr, &closed), "Le rapport est soumis : il ne peut plus être modifié.");
        assert_eq!(refusal(Lang::En, &WorkflowError::ReviewStarted), WorkflowError::ReviewStarted.to_string());
        assert_eq!(
            refusal(Lang::En, &WorkflowError::NothingToPrefill(2022)),
            "The 2022 report has no answers or measures to copy."
        );
        let mail = WorkflowError::MailNotSent {
            to: "a@b.org".into(),
            reason: "down".into(),
            link: Some("https://x/cso/s".into()),
        };
        assert_eq!(
            refusal(Lang::En, &mail),
            "The e-mail to a@b.org could not be sent (down); copy the link instead: https://x/cso/s"
        );
        assert!(refusal(Lang::Fr, &mail).contains("https://x/cso/s"));
    }

    #[test]
    fn findings_read_in_the_page_language_with_their_values() {
        let problem = Problem::NotApplicable {
            question_en: "Is there a ministry?".into(),
            question_fr: "Existe-t-il un ministère ?".into(),
            expected: "YES".into(),
            found: "NO".into(),
        };
        assert_eq!(
            finding(Lang::Fr, &problem),
            "Cette question ne s’applique que si « Existe-t-il un ministère ? » a pour réponse OUI ; elle a une réponse alors que cette question a pour réponse NON."
        );
        assert_eq!(finding(Lang::En, &problem), problem.to_string());
        let too_many = Problem::TooManyItems { max: 3, given: 5 };
        assert_eq!(finding(Lang::Fr, &too_many), "Au plus 3 éléments sont demandés ; 5 sont donnés.");
    }

    #[test]
    fn every_message_the_templates_use_exists() {
        let defined = message_ids(concat!(
            include_str!("../locales/en/main.ftl"),
            include_str!("../locales/en/app.ftl"),
            include_str!("../locales/en/editor.ftl"),
            include_str!("../locales/en/workbook.ftl"),
            include_str!("../locales/en/indicators.ftl")
        ));
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/templates");
        let mut used = BTreeSet::new();
        let mut files = Vec::new();
        let mut dirs = vec![std::path::PathBuf::from(dir)];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() { dirs.push(path) } else { files.push(path) }
            }
        }
        for path in files {
            let source = std::fs::read_to_string(path).unwrap();
            for call in ["ui.t(\"", "ui.tn(\"", "ui.ts(\"", "chrome(lang, \""] {
                for piece in source.split(call).skip(1) {
                    used.insert(piece.split('"').next().unwrap().to_owned());
                }
            }
        }
        assert!(used.len() > 30, "{used:?}");
        let missing: Vec<_> = used.iter().filter(|id| !defined.contains(id.as_str())).collect();
        assert!(missing.is_empty(), "templates use undefined messages: {missing:?}");
    }
}
