//! Who may do what with a report: the one place the rules are written. Callers ask here; the
//! web answers `404` for what the viewer may not know exists (another Party's draft) and `403`
//! for what they can see but not do.
//!
//! | role | sees | edits | manages (members, CSOs, prefill) |
//! |---|---|---|---|
//! | Secretariat | every report | nothing | cycles and focal points |
//! | focal point of the Party | the report | every section | yes |
//! | contributor of the Party | assigned sections (all if none assigned) | those sections | no |
//! | anyone else | nothing (404) | nothing | no |
//!
//! The executive summary's translations (English, French) are attached and removed by the
//! Secretariat only ([`ReportAccess::can_translate_summary`]); when is
//! `crate::translations::may_translate`.
//!
//! Annexes follow the form's annex section: who may read it downloads them, who may edit it
//! (the focal point, a contributor given it) adds and removes them.
//!
//! Editing also needs the report to be editable (draft or changes requested): the store
//! refuses anything else whoever asks.

use qpr_store::{MembershipRole, StoredReport};

use crate::WorkflowError;
use crate::auth::SignedIn;

/// What a signed-in user may do with one report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReportAccess {
    /// Not theirs: the report does not exist for them.
    None,
    /// The Secretariat: reads everything, edits nothing of a Party's report.
    Secretariat,
    /// A contributor: these sections (every section when `None`).
    Contributor {
        /// The section ids they were given; `None`: every section.
        sections: Option<Vec<String>>,
    },
    /// The Party's focal point.
    FocalPoint,
}

impl ReportAccess {
    /// The access of `viewer` to `report`.
    pub fn of(viewer: &SignedIn, report: &StoredReport) -> ReportAccess {
        if viewer.user.disabled {
            return ReportAccess::None;
        }
        match viewer.membership(&report.party_iso3) {
            Some(m) if m.role == MembershipRole::FocalPoint => ReportAccess::FocalPoint,
            Some(m) => ReportAccess::Contributor { sections: m.sections.clone() },
            None if viewer.user.is_secretariat => ReportAccess::Secretariat,
            None => ReportAccess::None,
        }
    }

    /// Whether the viewer may attach, replace and remove the translations of the report's
    /// executive summary: the Secretariat only.
    pub fn can_translate_summary(&self) -> bool {
        *self == ReportAccess::Secretariat
    }

    /// Whether the report exists for the viewer at all.
    pub fn can_see_report(&self) -> bool {
        *self != ReportAccess::None
    }

    /// Whether the viewer may read the section `id`.
    pub fn can_see_section(&self, id: &str) -> bool {
        match self {
            ReportAccess::None => false,
            ReportAccess::Secretariat | ReportAccess::FocalPoint => true,
            ReportAccess::Contributor { sections } => sections.as_ref().is_none_or(|s| s.iter().any(|x| x == id)),
        }
    }

    /// Whether the viewer may change the section `id` (the report's state aside).
    pub fn can_edit_section(&self, id: &str) -> bool {
        match self {
            ReportAccess::None | ReportAccess::Secretariat => false,
            ReportAccess::FocalPoint => true,
            ReportAccess::Contributor { .. } => self.can_see_section(id),
        }
    }

    /// Whether the viewer may change the whole document at once (API saves, prefill).
    pub fn can_edit_everything(&self) -> bool {
        matches!(self, ReportAccess::FocalPoint | ReportAccess::Contributor { sections: None })
    }

    /// Whether the viewer manages the Party's team and CSO input.
    pub fn can_manage(&self) -> bool {
        *self == ReportAccess::FocalPoint
    }
}

/// Only the Secretariat: [`WorkflowError::Forbidden`] for anyone else.
pub fn require_secretariat(viewer: &SignedIn) -> Result<(), WorkflowError> {
    if viewer.user.is_secretariat { Ok(()) } else { Err(WorkflowError::Forbidden) }
}

#[cfg(test)]
mod tests {
    use qpr_store::{Membership, ReportState, User};

    use super::*;
    use crate::auth::Credential;

    fn report(iso3: &str) -> StoredReport {
        StoredReport {
            id: qpr_store::ReportId::new(1),
            party_iso3: iso3.into(),
            party_name: iso3.into(),
            year: 2028,
            framework: "qpr-2020".into(),
            state: ReportState::Draft,
            current_revision: Some(qpr_store::RevisionId::new(1)),
            submitted_revision: None,
            published_revision: None,
            published_at: None,
            updated_at: qpr_store::Timestamp::now(),
        }
    }

    fn viewer(secretariat: bool, roles: &[(&str, MembershipRole, Option<&[&str]>)]) -> SignedIn {
        SignedIn {
            user: User {
                id: qpr_store::UserId::new(7),
                email: "x@example.org".into(),
                display_name: "X".into(),
                password_hash: None,
                is_secretariat: secretariat,
                disabled: false,
            },
            memberships: roles
                .iter()
                .map(|(iso3, role, sections)| Membership {
                    user_id: qpr_store::UserId::new(7),
                    party_iso3: (*iso3).into(),
                    role: *role,
                    sections: sections.map(|s| s.iter().map(|x| (*x).to_owned()).collect()),
                })
                .collect(),
            credential: Credential::ApiToken,
        }
    }

    #[test]
    fn the_rules_of_the_table() {
        let aze = report("AZE");
        let focal = ReportAccess::of(&viewer(false, &[("AZE", MembershipRole::FocalPoint, None)]), &aze);
        assert!(focal.can_manage() && focal.can_edit_section("general") && focal.can_edit_everything());
        let other = ReportAccess::of(&viewer(false, &[("FRA", MembershipRole::FocalPoint, None)]), &aze);
        assert!(!other.can_see_report() && !other.can_see_section("general"));
        let contributor =
            ReportAccess::of(&viewer(false, &[("AZE", MembershipRole::Contributor, Some(&["area-1"]))]), &aze);
        assert!(
            contributor.can_edit_section("area-1")
                && !contributor.can_see_section("general")
                && !contributor.can_manage()
        );
        assert!(!contributor.can_edit_everything());
        let secretariat = ReportAccess::of(&viewer(true, &[]), &aze);
        assert!(
            secretariat.can_see_section("general")
                && !secretariat.can_edit_section("general")
                && !secretariat.can_manage()
        );
        let mut disabled = viewer(false, &[("AZE", MembershipRole::FocalPoint, None)]);
        disabled.user.disabled = true;
        assert_eq!(ReportAccess::of(&disabled, &aze), ReportAccess::None);
    }
}
