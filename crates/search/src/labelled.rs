//! A labelled set for similar measures: synthetic measures made as paraphrases and
//! translations of each other, plus unrelated ones, and the precision at 5 of
//! [`crate::SearchIndex::similar_to`] over it.
//!
//! Each topic is a problem a measure addresses, written as groups of interchangeable words in
//! English and in French. A measure of a topic picks one word of each group at random and
//! fills one of several sentence templates of its language (the templates' own words are
//! shared by every topic, as a report's boilerplate is); each topic gives three English and
//! three French measures, each in another Party's report, so the five others are the relevant
//! answers of each. Unrelated measures mix groups of several topics (near misses) and are not
//! asked. Nothing here knows the bilingual list the similarity query uses.

use qpr_domain::ReportDocument;
use qpr_domain::document::{PartyRef, PolicyMeasure};

use crate::SearchError;
use crate::index::SearchIndex;
use crate::similar::{SimilarOptions, measure_in};
use crate::synth::Rng;

/// Measures per topic (three English, three French).
pub const PER_TOPIC: usize = 6;

/// A topic: its area and, per language, groups of words that say the same.
struct Topic {
    area: &'static str,
    en: &'static [&'static [&'static str]],
    fr: &'static [&'static [&'static str]],
}

const TOPICS: &[Topic] = &[
    Topic {
        area: "cultural_creative_sectors",
        en: &[
            &["music", "musical"],
            &["export", "foreign markets"],
            &["musicians", "performers", "bands"],
            &["tours", "concerts abroad"],
        ],
        fr: &[
            &["musique", "musicale"],
            &["exportation", "marchés étrangers"],
            &["musiciens", "interprètes", "groupes"],
            &["tournées", "concerts à l'étranger"],
        ],
    },
    Topic {
        area: "cultural_creative_sectors",
        en: &[
            &["film", "cinema"],
            &["tax credit", "tax rebate"],
            &["producers", "production companies"],
            &["shooting", "filming"],
        ],
        fr: &[
            &["film", "cinéma"],
            &["crédit d'impôt", "abattement fiscal"],
            &["producteurs", "sociétés de production"],
            &["tournage", "prises de vues"],
        ],
    },
    Topic {
        area: "cultural_creative_sectors",
        en: &[
            &["books", "literature"],
            &["translation", "translators"],
            &["publishers", "publishing houses"],
            &["libraries", "reading"],
        ],
        fr: &[
            &["livres", "littérature"],
            &["traduction", "traducteurs"],
            &["éditeurs", "maisons d'édition"],
            &["bibliothèques", "lecture"],
        ],
    },
    Topic {
        area: "digital_environment",
        en: &[
            &["digital", "online"],
            &["platforms", "streaming services"],
            &["local content", "national works"],
            &["discoverability", "visibility"],
        ],
        fr: &[
            &["numérique", "en ligne"],
            &["plateformes", "services de diffusion"],
            &["contenus locaux", "œuvres nationales"],
            &["découvrabilité", "visibilité"],
        ],
    },
    Topic {
        area: "media_diversity",
        en: &[
            &["public broadcasting", "public service media"],
            &["radio", "television"],
            &["independence", "editorial freedom"],
            &["community stations", "local broadcasters"],
        ],
        fr: &[
            &["radiodiffusion publique", "médias de service public"],
            &["radio", "télévision"],
            &["indépendance", "liberté éditoriale"],
            &["radios communautaires", "diffuseurs locaux"],
        ],
    },
    Topic {
        area: "partnering_civil_society",
        en: &[
            &["civil society", "non-governmental organizations"],
            &["consultation", "dialogue"],
            &["cultural policy", "policy making"],
            &["networks", "platforms of associations"],
        ],
        fr: &[
            &["société civile", "organisations non gouvernementales"],
            &["consultation", "dialogue"],
            &["politique culturelle", "élaboration des politiques"],
            &["réseaux", "plateformes associatives"],
        ],
    },
    Topic {
        area: "mobility",
        en: &[
            &["visas", "visa procedures"],
            &["artists", "cultural professionals"],
            &["mobility", "travel"],
            &["residencies", "exchanges"],
        ],
        fr: &[
            &["visas", "procédures de visa"],
            &["artistes", "professionnels de la culture"],
            &["mobilité", "déplacements"],
            &["résidences", "échanges"],
        ],
    },
    Topic {
        area: "flow_goods_services",
        en: &[
            &["trade fairs", "markets"],
            &["crafts", "handicrafts"],
            &["exporters", "small enterprises"],
            &["customs", "tariffs"],
        ],
        fr: &[
            &["salons professionnels", "marchés"],
            &["artisanat", "métiers d'art"],
            &["exportateurs", "petites entreprises"],
            &["douanes", "droits de douane"],
        ],
    },
    Topic {
        area: "treaties_agreements",
        en: &[
            &["co-production", "coproduction"],
            &["agreement", "treaty"],
            &["audiovisual works", "films"],
            &["partner countries", "signatory states"],
        ],
        fr: &[
            &["coproduction", "co-production"],
            &["accord", "traité"],
            &["œuvres audiovisuelles", "films"],
            &["pays partenaires", "États signataires"],
        ],
    },
    Topic {
        area: "national_sd_policies",
        en: &[
            &["heritage", "historic centres"],
            &["tourism", "visitors"],
            &["sustainable development", "sustainability"],
            &["local communities", "residents"],
        ],
        fr: &[
            &["patrimoine", "centres historiques"],
            &["tourisme", "visiteurs"],
            &["développement durable", "durabilité"],
            &["communautés locales", "habitants"],
        ],
    },
    Topic {
        area: "gender_equality",
        en: &[
            &["women", "female"],
            &["directors", "filmmakers"],
            &["equal pay", "pay gap"],
            &["quotas", "parity targets"],
        ],
        fr: &[
            &["femmes", "féminines"],
            &["réalisatrices", "cinéastes"],
            &["égalité salariale", "écart de rémunération"],
            &["quotas", "objectifs de parité"],
        ],
    },
    Topic {
        area: "artistic_freedom",
        en: &[
            &["artistic freedom", "freedom of expression"],
            &["censorship", "threats"],
            &["artists at risk", "persecuted artists"],
            &["shelter", "safe havens"],
        ],
        fr: &[
            &["liberté artistique", "liberté d'expression"],
            &["censure", "menaces"],
            &["artistes en danger", "artistes persécutés"],
            &["refuge", "villes refuges"],
        ],
    },
    Topic {
        area: "cultural_creative_sectors",
        en: &[
            &["young people", "youth"],
            &["arts education", "creative classes"],
            &["schools", "pupils"],
            &["theatre", "dance"],
        ],
        fr: &[
            &["jeunes", "jeunesse"],
            &["éducation artistique", "ateliers créatifs"],
            &["écoles", "élèves"],
            &["théâtre", "danse"],
        ],
    },
    Topic {
        area: "cultural_creative_sectors",
        en: &[
            &["loans", "guarantees"],
            &["creative enterprises", "start-ups"],
            &["banks", "investment fund"],
            &["design", "fashion"],
        ],
        fr: &[
            &["prêts", "garanties"],
            &["entreprises créatives", "jeunes pousses"],
            &["banques", "fonds d'investissement"],
            &["design", "mode"],
        ],
    },
    Topic {
        area: "national_sd_policies",
        en: &[
            &["indigenous peoples", "first nations"],
            &["languages", "oral traditions"],
            &["revitalization", "safeguarding"],
            &["elders", "knowledge holders"],
        ],
        fr: &[
            &["peuples autochtones", "premières nations"],
            &["langues", "traditions orales"],
            &["revitalisation", "sauvegarde"],
            &["aînés", "détenteurs de savoirs"],
        ],
    },
    Topic {
        area: "digital_environment",
        en: &[
            &["museums", "collections"],
            &["digitization", "digital archives"],
            &["open access", "free access"],
            &["metadata", "catalogues"],
        ],
        fr: &[
            &["musées", "collections"],
            &["numérisation", "archives numériques"],
            &["libre accès", "accès gratuit"],
            &["métadonnées", "catalogues"],
        ],
    },
];

/// Sentence templates: `{0}`…`{3}` are a topic's word groups in order.
const EN_TEMPLATES: &[(&str, &str)] = &[
    (
        "{0} and {1}",
        "The ministry runs a programme on {0} and {1}. It supports {2} through {3}, with an annual budget.",
    ),
    (
        "Support for {2}: {0}",
        "This measure helps {2} with {0}. Its priorities are {1} and {3}. It was adopted by the government.",
    ),
    (
        "National plan for {1}",
        "A national plan addressing {1} in the field of {0}, in favour of {2}; activities include {3}.",
    ),
];
const FR_TEMPLATES: &[(&str, &str)] = &[
    (
        "{0} et {1}",
        "Le ministère conduit un programme consacré à {0} et {1}. Il soutient {2} par {3}, avec un budget annuel.",
    ),
    (
        "Soutien aux {2} : {0}",
        "Cette mesure aide {2} dans le domaine de {0}. Ses priorités sont {1} et {3}. Elle a été adoptée par le gouvernement.",
    ),
    (
        "Plan national pour {1}",
        "Un plan national portant sur {1} dans le domaine de {0}, en faveur de {2} ; les activités comprennent {3}.",
    ),
];

/// Parties the measures are spread over (a topic's six measures are each another Party's).
const PARTIES: [&str; 12] = ["ARG", "BEN", "CAN", "DEU", "EST", "FRA", "GHA", "IND", "JPN", "KEN", "MEX", "NOR"];

fn fill(template: &str, words: &[&str]) -> String {
    let mut text = template.to_owned();
    for (i, word) in words.iter().enumerate() {
        text = text.replace(&format!("{{{i}}}"), word);
    }
    text
}

fn measure(id: &str, area: &str, title: &str, description: &str) -> PolicyMeasure {
    // Records are plain data; this JSON always reads.
    serde_json::from_value(serde_json::json!({"id": id, "area": area, "title": title, "description": description}))
        .unwrap_or_else(|e| unreachable!("a labelled measure reads: {e}"))
}

/// The labelled set: one 2022 report per Party; a measure's id is `{topic}-{n}` for a
/// topic's measures (topic `t`, the others of the same `t` are relevant) and `x-{n}` for an
/// unrelated one.
pub fn labelled_set(seed: u64, unrelated: usize) -> Vec<ReportDocument> {
    let mut rng = Rng::new(seed);
    let mut documents: Vec<ReportDocument> = PARTIES
        .iter()
        .map(|code| {
            let iso3 = qpr_domain::countries::Iso3::parse(code).ok();
            ReportDocument::new("qpr-2020", PartyRef { name: (*code).to_owned(), iso3 }, 2022)
        })
        .collect();
    let pick = |rng: &mut Rng, groups: &[&[&'static str]]| -> Vec<&'static str> {
        groups.iter().map(|g| *rng.pick(g).unwrap_or(&"")).collect()
    };
    for (t, topic) in TOPICS.iter().enumerate() {
        for member in 0..PER_TOPIC {
            let french = member >= PER_TOPIC / 2;
            let (groups, templates) = if french { (topic.fr, FR_TEMPLATES) } else { (topic.en, EN_TEMPLATES) };
            let words = pick(&mut rng, groups);
            let (title, text) = templates[member % templates.len()];
            let party = (t + member * 2) % PARTIES.len();
            let id = format!("{t}-{member}");
            documents[party].policy_measures.push(measure(&id, topic.area, &fill(title, &words), &fill(text, &words)));
        }
    }
    for n in 0..unrelated {
        let french = n % 2 == 1;
        let words: Vec<&str> = (0..4)
            .map(|g| {
                let topic = &TOPICS[rng.below(TOPICS.len())];
                let groups = if french { topic.fr } else { topic.en };
                *rng.pick(groups[g]).unwrap_or(&"")
            })
            .collect();
        let templates = if french { FR_TEMPLATES } else { EN_TEMPLATES };
        let (title, text) = templates[n % templates.len()];
        let topic = &TOPICS[rng.below(TOPICS.len())];
        let party = rng.below(PARTIES.len());
        documents[party].policy_measures.push(measure(
            &format!("x-{n}"),
            topic.area,
            &fill(title, &words),
            &fill(text, &words),
        ));
    }
    documents
}

/// The topic of a labelled measure's id (`None` for an unrelated one).
pub fn topic_of(id: &str) -> Option<&str> {
    id.split_once('-').map(|(t, _)| t).filter(|t| *t != "x")
}

/// The mean precision at 5 of similar measures over every topic measure of the set, in an
/// index that holds the set (and possibly more).
pub fn precision_at_5(
    index: &SearchIndex,
    documents: &[ReportDocument],
    options: SimilarOptions,
) -> Result<f64, SearchError> {
    let (mut sum, mut queries) = (0.0, 0usize);
    for document in documents {
        for m in &document.policy_measures {
            let Some(topic) = topic_of(&m.id) else { continue };
            let Some(measure) = measure_in(index, document, &m.id) else { continue };
            let similar = index.similar_to(&measure, 5, options)?;
            let relevant = similar.iter().filter(|s| topic_of(&s.id) == Some(topic)).count();
            sum += relevant as f64 / 5.0;
            queries += 1;
        }
    }
    Ok(if queries == 0 { 0.0 } else { sum / queries as f64 })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn precision_at_5_of_similar_measures_over_the_labelled_set() {
        let dir = tempfile::tempdir().unwrap();
        let index = SearchIndex::open(dir.path()).unwrap();
        let documents = labelled_set(17, 48);
        for (n, document) in documents.iter().enumerate() {
            let id = qpr_store::ReportId::new(n as i64 + 1);
            index.replace_report(id, Some((qpr_store::RevisionId::new(1), document))).unwrap();
        }
        index.commit(1).unwrap();
        let with = precision_at_5(&index, &documents, SimilarOptions { translate: true }).unwrap();
        let without = precision_at_5(&index, &documents, SimilarOptions { translate: false }).unwrap();
        println!(
            "similar measures, precision at 5 over {} topics: {with:.3} (without the bilingual list: {without:.3})",
            TOPICS.len()
        );
        assert!(with > without, "the bilingual list helps: {with:.3} against {without:.3}");
        assert!(with >= 0.6, "precision at 5 is {with:.3} (0.658 when measured)");
    }
}
