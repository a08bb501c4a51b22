//! The form engine (`qpr-editor`) as the pages use it: its view model rendered with
//! `templates/editor/section_fields.html`, its words from this crate's Fluent files.

use qpr_domain::ReportDocument;
use qpr_domain::framework::Framework;
use qpr_domain::text::Lang;
use qpr_domain::validate::Finding;
pub use qpr_editor::*;

/// The engine's words in `lang`, from `locales/*/main.ftl`.
pub fn words(lang: Lang) -> Words {
    Words::new(lang, crate::i18n::editor_text)
}

/// The fields of `section` for `document` in `lang` (see [`qpr_editor::section_view`]).
pub fn section_view(
    framework: &Framework,
    document: &ReportDocument,
    section: &EditorSection,
    findings: &[Finding],
    lang: Lang,
) -> SectionView {
    qpr_editor::section_view(framework, document, section, findings, words(lang))
}

/// The CSO form for `submission` in `lang` (see [`qpr_editor::cso_form_view`]).
pub fn cso_form_view(framework: &Framework, submission: &CsoSubmission, lang: Lang) -> SectionView {
    qpr_editor::cso_form_view(framework, submission, words(lang))
}

/// Makes `view` read as a page that cannot be changed now (a submitted report, a section the
/// person may not edit, a submitted CSO form; the page disables its fieldset): a collapsed
/// record offers to show its fields, not to "Edit" them (issue 15: read-only pages offer
/// nothing that looks active).
pub fn read_only(view: &mut SectionView, lang: Lang) {
    view.texts.edit_record = crate::i18n::editor_text(lang, "editor-show-record", &[]);
}

/// The fields of a page as HTML (`templates/editor/section_fields.html`), without the
/// `<form>`. A page template can also `{% include "editor/section_fields.html" %}` with a
/// `view` ([`SectionView`]) in scope.
#[derive(askama::Template)]
#[template(path = "editor/section_fields.html")]
pub struct SectionFields<'a> {
    /// The page's fields.
    pub view: &'a SectionView,
}

/// The fields of `view` as HTML.
pub fn render(view: &SectionView) -> Result<String, askama::Error> {
    askama::Template::render(&SectionFields { view })
}
