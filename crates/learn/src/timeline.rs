//! A measure's life across a Party's published reports: each report holding it (by the same
//! id, or matched by content: [`crate::matching`]), how it continues the one before, and what
//! changed in its text, results and funding (word-level, [`crate::words`]).

use qpr_domain::versions::MeasureKey;

use crate::matching::{Link, MeasureText, pair};
use crate::words::{self, Piece};

/// How a step continues the previous one.
#[derive(Debug, Clone, PartialEq)]
pub enum How {
    /// The same id.
    SameId,
    /// Another id, matched by content with this score.
    Matched(f64),
    /// One of the measures the previous one was split into (the others' ids).
    SplitFrom(Vec<String>),
    /// The previous measure was merged into this one with others (their ids).
    MergedWith(Vec<String>),
}

/// What changed from the previous step: each part present only when it changed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Changes {
    /// The title, word by word.
    pub title: Option<Vec<Piece>>,
    /// The description.
    pub description: Option<Vec<Piece>>,
    /// The results.
    pub results: Option<Vec<Piece>>,
    /// Funding as written: before, after.
    pub funding: Option<(Option<String>, Option<String>)>,
}

impl Changes {
    /// Whether nothing changed.
    pub fn is_empty(&self) -> bool {
        self.title.is_none() && self.description.is_none() && self.results.is_none() && self.funding.is_none()
    }
}

/// One report holding the measure.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    /// The report's year.
    pub year: i32,
    /// The measure as that report has it.
    pub measure: MeasureText,
    /// How it continues the previous step (`None` for the first).
    pub how: Option<How>,
    /// What changed since the previous step (empty for the first).
    pub changes: Changes,
}

fn changed(old: &str, new: &str) -> Option<Vec<Piece>> {
    (old.trim() != new.trim()).then(|| words::diff(old, new))
}

fn changes(old: &MeasureText, new: &MeasureText) -> Changes {
    let results = |m: &MeasureText| m.results.clone().unwrap_or_default();
    Changes {
        title: changed(&old.title, &new.title),
        description: changed(&old.description, &new.description),
        results: changed(&results(old), &results(new)),
        funding: (old.funding != new.funding).then(|| (old.funding.clone(), new.funding.clone())),
    }
}

/// The link of a pairing holding `id` on one side.
fn link_with<'a>(links: &'a [Link], id: &str, newer_side: bool) -> Option<&'a Link> {
    links.iter().find(|l| if newer_side { l.new_ids().contains(&id) } else { l.old_ids().contains(&id) })
}

/// The timeline of the measure `key` of the report of `year`, oldest first, over the Party's
/// published reports (`(year, measures)`, any order). Empty when that report does not hold it.
pub fn timeline(reports: &[(i32, Vec<MeasureText>)], year: i32, key: &MeasureKey) -> Vec<Step> {
    let mut reports: Vec<&(i32, Vec<MeasureText>)> = reports.iter().collect();
    reports.sort_by_key(|(y, _)| *y);
    let Some(at) = reports.iter().position(|(y, _)| *y == year) else { return Vec::new() };
    let find = |r: usize, id: &str| reports[r].1.iter().find(|m| m.kind == key.kind && m.id == id).cloned();
    let Some(start) = find(at, &key.id) else { return Vec::new() };
    // Backwards: (report, measure, how it continues the one before).
    let mut back: Vec<(usize, MeasureText)> = Vec::new();
    let mut hows: Vec<Option<How>> = Vec::new();
    let mut current = start.clone();
    for r in (1..=at).rev() {
        let pairing = pair(&reports[r - 1].1, &reports[r].1, key.kind);
        let Some(link) = link_with(&pairing.links, &current.id, true) else { break };
        let (previous, how) = match link {
            Link::SameId { id } => (id.clone(), How::SameId),
            Link::Matched { old, score, .. } => (old.clone(), How::Matched(*score)),
            Link::Split { old, new } => (
                old.clone(),
                How::SplitFrom(new.iter().map(|(id, _)| id.clone()).filter(|id| *id != current.id).collect()),
            ),
            Link::Merged { old, .. } => {
                let best = old.first().map(|(id, _)| id.clone()).unwrap_or_default();
                (best.clone(), How::MergedWith(old.iter().map(|(id, _)| id.clone()).filter(|id| *id != best).collect()))
            }
        };
        hows.push(Some(how));
        let Some(measure) = find(r - 1, &previous) else { break };
        back.push((r - 1, measure.clone()));
        current = measure;
    }
    // back[i] continues back[i + 1] as hows[i + 1] says, the start continues back[0] as
    // hows[0] says (a how without a measure before it, when that was not found, is unused).
    let how_at = |i: usize, exists: bool| if exists { hows.get(i).cloned().flatten() } else { None };
    let mut steps: Vec<(i32, MeasureText, Option<How>)> = Vec::new();
    for (i, (r, measure)) in back.iter().enumerate().rev() {
        steps.push((reports[*r].0, measure.clone(), how_at(i + 1, i + 1 < back.len())));
    }
    steps.push((year, start.clone(), how_at(0, !back.is_empty())));
    // Forwards.
    let mut current = start;
    for r in at..reports.len().saturating_sub(1) {
        let pairing = pair(&reports[r].1, &reports[r + 1].1, key.kind);
        let Some(link) = link_with(&pairing.links, &current.id, false) else { break };
        let (next, how) = match link {
            Link::SameId { id } => (id.clone(), How::SameId),
            Link::Matched { new, score, .. } => (new.clone(), How::Matched(*score)),
            Link::Split { new, .. } => {
                let best = new.first().map(|(id, _)| id.clone()).unwrap_or_default();
                (best.clone(), How::SplitFrom(new.iter().map(|(id, _)| id.clone()).filter(|id| *id != best).collect()))
            }
            Link::Merged { old, new } => (
                new.clone(),
                How::MergedWith(old.iter().map(|(id, _)| id.clone()).filter(|id| *id != current.id).collect()),
            ),
        };
        let Some(measure) = find(r + 1, &next) else { break };
        steps.push((reports[r + 1].0, measure.clone(), Some(how)));
        current = measure;
    }
    let mut out: Vec<Step> = Vec::with_capacity(steps.len());
    for (year, measure, how) in steps {
        let changes = out.last().map(|previous| changes(&previous.measure, &measure)).unwrap_or_default();
        out.push(Step { year, measure, how, changes });
    }
    out
}

#[cfg(test)]
mod tests {
    use qpr_domain::MeasureKind;

    use super::*;

    fn m(id: &str, title: &str, results: &str, funding: Option<&str>) -> MeasureText {
        MeasureText {
            kind: MeasureKind::Policy,
            id: id.into(),
            title: title.into(),
            description: "Grants for film production and distribution".into(),
            results: Some(results.into()),
            funding: funding.map(Into::into),
            area: Some("cultural_creative_sectors".into()),
            goal: None,
        }
    }

    #[test]
    fn a_measure_is_followed_by_id_and_by_content_with_its_changes() {
        let reports = vec![
            (2022, vec![m("AZE-2018-pm01", "National film fund", "Ten films", Some("1,000,000 USD"))]),
            (2014, vec![m("x-1", "Fonds national du film", "Cinq films", None)]),
            (2018, vec![m("AZE-2018-pm01", "National film fund", "Eight films", Some("1,000,000 USD"))]),
            (2026, vec![m("other", "Snow clearing", "", None)]),
        ];
        let key = MeasureKey::new(MeasureKind::Policy, "AZE-2018-pm01");
        let steps = timeline(&reports, 2018, &key);
        let years: Vec<i32> = steps.iter().map(|s| s.year).collect();
        assert_eq!(years, [2014, 2018, 2022], "2026 holds nothing like it");
        assert_eq!(steps[0].how, None);
        assert!(steps[0].changes.is_empty());
        assert!(matches!(steps[1].how, Some(How::Matched(score)) if score >= crate::matching::THRESHOLD));
        assert!(steps[1].changes.title.is_some(), "French title to English");
        assert_eq!(steps[1].changes.funding, Some((None, Some("1,000,000 USD".into()))));
        assert_eq!(steps[2].how, Some(How::SameId));
        let results = steps[2].changes.results.clone().unwrap();
        assert!(results.contains(&Piece::Deleted("Eight".into())) && results.contains(&Piece::Inserted("Ten".into())));
        assert!(steps[2].changes.title.is_none() && steps[2].changes.funding.is_none());
        assert_eq!(timeline(&reports, 2018, &MeasureKey::new(MeasureKind::Cso, "AZE-2018-pm01")), []);
        assert_eq!(timeline(&reports, 2030, &key), []);
    }
}
