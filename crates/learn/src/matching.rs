//! Which measure of a Party's report continues which measure of its previous report.
//!
//! The same kind and id is the same measure (`qpr_domain::versions`: a draft started from the
//! previous report keeps its ids). Reports imported or written independently have other ids,
//! so the measures left over are matched by content: each measure's title and description
//! become a set of *concepts* (words lower-cased, accents folded, common words left out, a
//! French word of the Convention's vocabulary read as its English pair (`crate::lexicon`),
//! cut to their first [`STEM`] letters, which also joins most cognates: *cinématographie*
//! and *cinematography*), and two measures score the mean of the Dice coefficients of their
//! titles' concepts and of all their concepts. Pairs scoring at least [`THRESHOLD`] are
//! linked; the links' connected groups say what happened: one to one, a measure *split* into
//! several, several *merged* into one (larger tangles are paired greedily by score). What is
//! left is new, or no longer reported: never dropped.

use std::collections::{BTreeMap, BTreeSet};

use qpr_domain::versions::MeasureKey;
use qpr_domain::{MeasureKind, ReportDocument};
use serde::Serialize;

/// Letters of a word kept as its concept.
pub const STEM: usize = 6;
/// The score from which two measures of consecutive reports are the same measure.
pub const THRESHOLD: f64 = 0.45;

/// What a measure says, the parts compared between reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeasureText {
    /// Policy or CSO measure.
    pub kind: MeasureKind,
    /// Id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Description (main features).
    pub description: String,
    /// Results achieved, if given.
    pub results: Option<String>,
    /// Financial resources as written (policy measures), if given.
    pub funding: Option<String>,
    /// Area of monitoring (policy measures).
    pub area: Option<String>,
    /// Goal (CSO measures).
    pub goal: Option<u8>,
}

impl MeasureText {
    /// The measure's key.
    pub fn key(&self) -> MeasureKey {
        MeasureKey::new(self.kind, &self.id)
    }
}

/// Every measure of a report, policy measures first, in document order.
pub fn measures(document: &ReportDocument) -> Vec<MeasureText> {
    let policies = document.policy_measures.iter().map(|m| MeasureText {
        kind: MeasureKind::Policy,
        id: m.id.clone(),
        title: m.title.clone(),
        description: m.description.clone(),
        results: m.results.clone(),
        funding: m.financial_resources.as_ref().map(|a| a.raw.clone()),
        area: Some(m.area.clone()),
        goal: None,
    });
    let csos = document.cso_measures.iter().map(|m| MeasureText {
        kind: MeasureKind::Cso,
        id: m.id.clone(),
        title: m.title.clone(),
        description: m.description.clone(),
        results: m.results.clone(),
        funding: None,
        area: None,
        goal: Some(m.goal),
    });
    policies.chain(csos).collect()
}

/// Words too common to say what a measure is about, in English and French (folded).
const COMMON: &[&str] = &[
    "the", "and", "for", "with", "from", "this", "that", "which", "its", "their", "are", "was", "were", "has", "have",
    "been", "into", "our", "all", "les", "des", "une", "par", "pour", "sur", "dans", "avec", "qui", "que", "est",
    "aux", "son", "ses", "leur", "leurs", "ont", "sont", "cette", "ces", "mais", "plus", "entre",
];

fn fold(c: char) -> char {
    match c {
        'à' | 'â' | 'ä' | 'á' | 'ã' => 'a',
        'é' | 'è' | 'ê' | 'ë' => 'e',
        'î' | 'ï' | 'í' => 'i',
        'ô' | 'ö' | 'ó' | 'õ' => 'o',
        'ù' | 'û' | 'ü' | 'ú' => 'u',
        'ç' => 'c',
        'ñ' => 'n',
        'ÿ' => 'y',
        other => other,
    }
}

fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .map(|w| w.chars().flat_map(char::to_lowercase).map(fold).collect::<String>().replace('œ', "oe"))
        .filter(|w| w.chars().count() >= 3 && !w.chars().all(|c| c.is_ascii_digit()) && !COMMON.contains(&w.as_str()))
}

fn stem(word: &str) -> String {
    word.chars().take(STEM).collect()
}

/// French words (folded) to the stem of their English pair.
fn french_to_english() -> &'static BTreeMap<String, String> {
    static MAP: std::sync::OnceLock<BTreeMap<String, String>> = std::sync::OnceLock::new();
    MAP.get_or_init(|| {
        let mut map = BTreeMap::new();
        for (en, fr) in crate::lexicon::pairs() {
            if let (Some(fr), Some(en)) = (words(fr).next(), words(en).next()) {
                map.entry(fr).or_insert_with(|| stem(&en));
            }
        }
        map
    })
}

/// The concepts of a text (see the module's doc).
pub fn concepts(text: &str) -> BTreeSet<String> {
    let translations = french_to_english();
    words(text).map(|w| translations.get(&w).cloned().unwrap_or_else(|| stem(&w))).collect()
}

fn dice(a: &BTreeSet<String>, b: &BTreeSet<String>) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    2.0 * a.intersection(b).count() as f64 / (a.len() + b.len()) as f64
}

/// How alike two measures are, from 0 to 1 (see the module's doc).
pub fn score(a: &MeasureText, b: &MeasureText) -> f64 {
    let (title_a, title_b) = (concepts(&a.title), concepts(&b.title));
    let mut all_a = title_a.clone();
    all_a.extend(concepts(&a.description));
    let mut all_b = title_b.clone();
    all_b.extend(concepts(&b.description));
    (dice(&title_a, &title_b) + dice(&all_a, &all_b)) / 2.0
}

/// How a measure of the newer report continues the older one's.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "how", rename_all = "snake_case")]
pub enum Link {
    /// The same kind and id.
    SameId {
        /// Id in both.
        id: String,
    },
    /// Matched by content, one to one.
    Matched {
        /// Id in the older report.
        old: String,
        /// Id in the newer report.
        new: String,
        /// The score (at least [`THRESHOLD`]).
        score: f64,
    },
    /// One measure became several.
    Split {
        /// Id in the older report.
        old: String,
        /// Ids in the newer report, with their scores, best first.
        new: Vec<(String, f64)>,
    },
    /// Several measures became one.
    Merged {
        /// Ids in the older report, with their scores, best first.
        old: Vec<(String, f64)>,
        /// Id in the newer report.
        new: String,
    },
}

impl Link {
    /// The ids of the older report this link holds.
    pub fn old_ids(&self) -> Vec<&str> {
        match self {
            Link::SameId { id } => vec![id],
            Link::Matched { old, .. } | Link::Split { old, .. } => vec![old],
            Link::Merged { old, .. } => old.iter().map(|(id, _)| id.as_str()).collect(),
        }
    }

    /// The ids of the newer report this link holds.
    pub fn new_ids(&self) -> Vec<&str> {
        match self {
            Link::SameId { id } => vec![id],
            Link::Matched { new, .. } | Link::Merged { new, .. } => vec![new],
            Link::Split { new, .. } => new.iter().map(|(id, _)| id.as_str()).collect(),
        }
    }
}

/// The measures of one kind of two reports, paired.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Pairing {
    /// Measures of the older report continued in the newer, in the newer report's order.
    pub links: Vec<Link>,
    /// Ids of measures of the older report no longer reported, in its order.
    pub gone: Vec<String>,
    /// Ids of measures new in the newer report, in its order.
    pub added: Vec<String>,
}

/// The measures of kind `kind` of `old` and `new` (two reports of one Party), paired.
pub fn pair(old: &[MeasureText], new: &[MeasureText], kind: MeasureKind) -> Pairing {
    let old: Vec<&MeasureText> = old.iter().filter(|m| m.kind == kind).collect();
    let new: Vec<&MeasureText> = new.iter().filter(|m| m.kind == kind).collect();
    let old_ids: BTreeSet<&str> = old.iter().map(|m| m.id.as_str()).collect();
    let new_ids: BTreeSet<&str> = new.iter().map(|m| m.id.as_str()).collect();
    let rest_old: Vec<&MeasureText> = old.iter().copied().filter(|m| !new_ids.contains(m.id.as_str())).collect();
    let rest_new: Vec<&MeasureText> = new.iter().copied().filter(|m| !old_ids.contains(m.id.as_str())).collect();
    // Edges above the threshold, and their connected groups (union-find over old + new).
    let mut edges: Vec<(usize, usize, f64)> = Vec::new();
    for (i, o) in rest_old.iter().enumerate() {
        for (j, n) in rest_new.iter().enumerate() {
            let s = score(o, n);
            if s >= THRESHOLD {
                edges.push((i, j, s));
            }
        }
    }
    let mut parent: Vec<usize> = (0..rest_old.len() + rest_new.len()).collect();
    fn root(parent: &mut [usize], mut x: usize) -> usize {
        while parent[x] != x {
            parent[x] = parent[parent[x]];
            x = parent[x];
        }
        x
    }
    for &(i, j, _) in &edges {
        let (a, b) = (root(&mut parent, i), root(&mut parent, rest_old.len() + j));
        parent[a] = b;
    }
    let mut groups: BTreeMap<usize, Vec<(usize, usize, f64)>> = BTreeMap::new();
    for &edge in &edges {
        let r = root(&mut parent, edge.0);
        groups.entry(r).or_default().push(edge);
    }
    // Content links by the position of their (first) new measure.
    let mut content: Vec<(usize, Link)> = Vec::new();
    let (mut used_old, mut used_new) = (BTreeSet::new(), BTreeSet::new());
    for mut group in groups.into_values() {
        group.sort_by(|a, b| b.2.total_cmp(&a.2).then((a.0, a.1).cmp(&(b.0, b.1))));
        let olds: BTreeSet<usize> = group.iter().map(|e| e.0).collect();
        let news: BTreeSet<usize> = group.iter().map(|e| e.1).collect();
        let by = |edges: &[(usize, usize, f64)]| edges.iter().map(|e| e.1).min().unwrap_or(0);
        match (olds.len(), news.len()) {
            (1, 1) => {
                let (i, j, s) = group[0];
                content.push((j, Link::Matched { old: rest_old[i].id.clone(), new: rest_new[j].id.clone(), score: s }));
            }
            (1, _) => {
                let new = group.iter().map(|e| (rest_new[e.1].id.clone(), e.2)).collect();
                content.push((by(&group), Link::Split { old: rest_old[group[0].0].id.clone(), new }));
            }
            (_, 1) => {
                let old = group.iter().map(|e| (rest_old[e.0].id.clone(), e.2)).collect();
                content.push((group[0].1, Link::Merged { old, new: rest_new[group[0].1].id.clone() }));
            }
            _ => {
                let (mut taken_old, mut taken_new) = (BTreeSet::new(), BTreeSet::new());
                for &(i, j, s) in &group {
                    if !taken_old.contains(&i) && !taken_new.contains(&j) {
                        taken_old.insert(i);
                        taken_new.insert(j);
                        let link = Link::Matched { old: rest_old[i].id.clone(), new: rest_new[j].id.clone(), score: s };
                        content.push((j, link));
                    }
                }
                used_old.extend(taken_old);
                used_new.extend(taken_new);
                continue;
            }
        }
        used_old.extend(olds);
        used_new.extend(news);
    }
    // Every link in the newer report's order: same ids at their place, content links at
    // their first new measure's.
    let mut links: Vec<(usize, Link)> = Vec::new();
    let position = |id: &str| new.iter().position(|m| m.id == id).unwrap_or(usize::MAX);
    for m in &new {
        if old_ids.contains(m.id.as_str()) {
            links.push((position(&m.id), Link::SameId { id: m.id.clone() }));
        }
    }
    for (j, link) in content {
        links.push((position(&rest_new[j].id), link));
    }
    links.sort_by_key(|(p, _)| *p);
    Pairing {
        links: links.into_iter().map(|(_, l)| l).collect(),
        gone: rest_old.iter().enumerate().filter(|(i, _)| !used_old.contains(i)).map(|(_, m)| m.id.clone()).collect(),
        added: rest_new.iter().enumerate().filter(|(j, _)| !used_new.contains(j)).map(|(_, m)| m.id.clone()).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(id: &str, title: &str, description: &str) -> MeasureText {
        MeasureText {
            kind: MeasureKind::Policy,
            id: id.into(),
            title: title.into(),
            description: description.into(),
            results: None,
            funding: None,
            area: Some("cultural_creative_sectors".into()),
            goal: None,
        }
    }

    #[test]
    fn a_french_title_of_an_english_measure_still_matches() {
        let en = m("a1", "Presidential decree on the development of cinematography", "");
        let fr = m("b7", "Décret présidentiel sur le développement de la cinématographie", "");
        let other = m("b8", "Fonds pour la musique", "Subventions aux musiciens");
        assert!(score(&en, &fr) >= THRESHOLD, "{}", score(&en, &fr));
        assert!(score(&en, &other) < THRESHOLD, "{}", score(&en, &other));
        let pairing = pair(&[en], &[other, fr], MeasureKind::Policy);
        assert!(matches!(&pairing.links[..], [Link::Matched { old, new, .. }] if old == "a1" && new == "b7"));
        assert_eq!(pairing.added, ["b8"]);
        assert!(pairing.gone.is_empty());
    }

    #[test]
    fn same_ids_splits_merges_and_leftovers_are_all_listed() {
        let old = [
            m("kept", "Music export office", "Tours abroad"),
            m("books", "Book and library support programme", "Publishing grants and library funding"),
            m("film1", "Film production fund", "Grants for film production"),
            m("film2", "Film distribution fund", "Grants for film distribution"),
            m("gone", "Snow clearing", "Plough lorries"),
        ];
        let new = [
            m("n1", "Book publishing support programme", "Publishing grants"),
            m("n2", "Library support programme", "Library funding for books"),
            m("n3", "Film production and distribution fund", "Grants for film production and distribution"),
            m("kept", "Music export office", "Tours and showcases abroad"),
            m("n4", "Dance residencies", "Choreographers in residence"),
        ];
        let pairing = pair(&old, &new, MeasureKind::Policy);
        assert_eq!(pairing.gone, ["gone"]);
        assert_eq!(pairing.added, ["n4"]);
        let kinds: Vec<String> = pairing
            .links
            .iter()
            .map(|l| {
                let (mut olds, mut news) = (l.old_ids(), l.new_ids());
                olds.sort_unstable();
                news.sort_unstable();
                format!("{olds:?} -> {news:?}")
            })
            .collect();
        assert_eq!(
            kinds,
            [r#"["books"] -> ["n1", "n2"]"#, r#"["film1", "film2"] -> ["n3"]"#, r#"["kept"] -> ["kept"]"#],
            "{pairing:?}"
        );
        assert!(matches!(pairing.links[0], Link::Split { .. }));
        assert!(matches!(pairing.links[1], Link::Merged { .. }));
        assert!(pair(&old, &new, MeasureKind::Cso).links.is_empty(), "kinds are paired apart");
    }
}
