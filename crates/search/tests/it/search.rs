//! Searching the demo report: facet counts against the report's known facts, text search
//! with stemming, phrases and snippets, ordering, paging, and parameter errors.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use qpr_domain::ReportDocument;
use qpr_search::{Facet, SearchIndex, SearchRequest, SearchResults, Sort};
use qpr_store::Store;

use crate::support::seed;

struct Demo {
    index: Arc<SearchIndex>,
    _store: Store,
    _dir: tempfile::TempDir,
}

async fn demo(extra: &[ReportDocument]) -> Demo {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_in_data_dir(dir.path()).await.unwrap();
    store.publish(&seed(), "test").await.unwrap();
    for document in extra {
        store.publish(document, "test").await.unwrap();
    }
    let index = Arc::new(SearchIndex::open(&qpr_search::index_dir(dir.path())).unwrap());
    qpr_search::rebuild(&index, &store, |_, _| {}).await.unwrap();
    Demo { index, _store: store, _dir: dir }
}

fn search(demo: &Demo, query: &str) -> SearchResults {
    let params: Vec<(&str, &str)> =
        query.split('&').filter(|p| !p.is_empty()).map(|p| p.split_once('=').unwrap()).collect();
    demo.index.search(&SearchRequest::from_params(params).unwrap()).unwrap()
}

fn counts(results: &SearchResults, facet: &str) -> Vec<(String, u64)> {
    results.facets.get(facet).map(|m| m.iter().map(|(k, v)| ((*k).to_owned(), *v)).collect()).unwrap_or_default()
}

fn pairs(items: &[(&str, u64)]) -> Vec<(String, u64)> {
    items.iter().map(|(k, v)| ((*k).to_owned(), *v)).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_report_gives_music_4_and_music_for_young_people_3() {
    let demo = demo(&[]).await;
    let music = search(&demo, "domain=music");
    assert_eq!(music.total, 4);
    assert_eq!(music.hits.len(), 4);
    assert_eq!(counts(&music, "targets_youth"), pairs(&[("false", 1), ("true", 3)]));
    let young = search(&demo, "domain=music&targets_youth=true");
    assert_eq!(young.total, 3);
    // Multi-select counts: a facet's own filter does not narrow its counts.
    assert_eq!(counts(&young, "targets_youth"), pairs(&[("false", 1), ("true", 3)]));
    assert_eq!(counts(&young, "domain").iter().find(|(k, _)| k == "music").map(|c| c.1), Some(3));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn facet_counts_match_the_report() {
    let demo = demo(&[]).await;
    let all = search(&demo, "");
    assert_eq!(all.total, 27, "22 policy measures and 5 CSO measures");
    assert_eq!(counts(&all, "kind"), pairs(&[("cso", 5), ("policy", 22)]));
    assert_eq!(counts(&all, "party"), pairs(&[("AZE", 27)]));
    assert_eq!(counts(&all, "year"), pairs(&[("2022", 27)]));
    assert_eq!(counts(&all, "region"), pairs(&[("europe_north_america", 27)]));
    // Policy records: 5 cinema, 4 design, 4 media arts, 4 music, 6 performing arts,
    // 4 publishing, 4 visual arts; CSO records: 2 visual arts, 2 design, 1 media arts.
    assert_eq!(
        counts(&all, "domain"),
        pairs(&[
            ("cinema_audiovisual", 5),
            ("design", 6),
            ("media_arts", 5),
            ("music", 4),
            ("performing_arts", 6),
            ("publishing", 4),
            ("visual_arts", 6)
        ])
    );
    assert_eq!(counts(&all, "targets_youth"), pairs(&[("false", 15), ("true", 12)]));
    assert_eq!(counts(&all, "ifcd"), pairs(&[("false", 27)]));
    assert_eq!(counts(&all, "evaluated"), pairs(&[("false", 21), ("true", 1)]));
    assert_eq!(counts(&all, "partner_type"), pairs(&[("cso", 5), ("public_sector", 2)]));
    assert_eq!(counts(&all, "goal"), pairs(&[("1", 11), ("2", 9), ("3", 1), ("4", 5)]));
    assert_eq!(
        counts(&all, "area"),
        pairs(&[
            ("cultural_creative_sectors", 5),
            ("digital_environment", 2),
            ("flow_goods_services", 2),
            ("gender_equality", 2),
            ("media_diversity", 1),
            ("mobility", 2),
            ("national_sd_policies", 1),
            ("partnering_civil_society", 2),
            ("transversal", 1),
            ("treaties_agreements", 4)
        ])
    );
    let cso_goal_4 = search(&demo, "kind=cso&goal=4");
    assert_eq!(cso_goal_4.total, 3);
    let either = search(&demo, "area=mobility&area=gender_equality");
    assert_eq!(either.total, 4, "repeated values of one facet are ORed");
    let both = search(&demo, "area=mobility&targets_youth=false");
    assert_eq!(both.total, 0, "facets are ANDed: both mobility measures target young people");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn text_search_stems_matches_phrases_and_highlights() {
    let mut french = seed();
    french.party = qpr_domain::document::PartyRef {
        name: "France".into(),
        iso3: Some(qpr_domain::countries::Iso3::parse("FRA").unwrap()),
    };
    french.policy_measures.truncate(1);
    french.cso_measures.clear();
    french.policy_measures[0].title = "Soutien aux musiciennes émergentes".into();
    french.policy_measures[0].description = "Le programme accompagne les jeunes créatrices.".into();
    let demo = demo(&[french]).await;
    let stemmed = search(&demo, "q=theatres");
    assert!(stemmed.total >= 2, "`theatres` finds `theatre`: {}", stemmed.total);
    assert!(stemmed.hits.iter().any(|h| h.title.contains("theatre")), "{:?}", stemmed.hits);
    let phrase = search(&demo, "q=%22Creative+Business+Cup%22".replace("%22", "\"").replace('+', " ").as_str());
    assert_eq!(phrase.total, 1);
    assert!(
        phrase.hits[0].snippet.contains("<mark>") || phrase.hits[0].title.contains("Creative Business Cup"),
        "{:?}",
        phrase.hits[0]
    );
    let french_hit = search(&demo, "q=musicienne");
    assert_eq!(french_hit.hits.iter().map(|h| h.party.as_str()).collect::<Vec<_>>(), ["FRA"], "French stemming");
    let accents = search(&demo, "q=emergente");
    assert!(accents.hits.iter().any(|h| h.party == "FRA"), "accents are folded");
    let snippet = search(&demo, "q=volunteers");
    assert!(snippet.hits[0].snippet.contains("<mark>"), "{}", snippet.hits[0].snippet);
    let and = search(&demo, "q=theatre&party=FRA");
    assert_eq!(and.total, 0);
    assert_eq!(counts(&and, "party"), pairs(&[("AZE", stemmed.total)]), "the party facet still counts the other Party");
}

/// The seed as the Party's report of another year, with measures of its own (new ids).
fn other_measures(year: i32) -> ReportDocument {
    let mut document = seed();
    document.year = year;
    for measure in &mut document.policy_measures {
        measure.id = measure.id.replace("-2022-", &format!("-{year}-"));
    }
    for measure in &mut document.cso_measures {
        measure.id = measure.id.replace("-2022-", &format!("-{year}-"));
    }
    document
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hits_are_sorted_and_paged() {
    let demo = demo(&[other_measures(2018)]).await;
    let newest = search(&demo, "sort=year&per_page=30");
    assert_eq!(newest.total, 54);
    assert!(newest.hits.windows(2).all(|w| w[0].year >= w[1].year));
    assert_eq!(newest.hits[0].year, 2022);
    let page_1 = search(&demo, "per_page=20");
    let page_3 = search(&demo, "per_page=20&page=3");
    assert_eq!((page_1.hits.len(), page_3.hits.len()), (20, 14));
    assert!(page_1.hits.iter().all(|h| !page_3.hits.iter().any(|o| (&o.id, o.year) == (&h.id, h.year))));
    let relevance = search(&demo, "q=creative+industries".replace('+', " ").as_str());
    assert!(relevance.total > 0);
}

/// Issue 15: a report started from a copy of the previous one keeps its measures' ids; the
/// database shows each such measure once, in its newest version, and a filter on a year (or
/// a form version) finds that report's versions.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_measure_reported_again_is_one_hit_in_its_newest_version() {
    let mut older = seed();
    older.year = 2018;
    older.policy_measures[0].title = "Quokkas of 2018".into();
    let demo = demo(&[older, other_measures(2014)]).await;
    let all = search(&demo, "per_page=100");
    assert_eq!(all.total, 54, "27 measures of 2022 (also in 2018) and 27 of 2014");
    assert_eq!(all.hits.iter().filter(|h| h.year == 2018).count(), 0, "2018's versions are not current");
    assert_eq!(counts(&all, "party"), pairs(&[("AZE", 54)]));
    assert_eq!(counts(&all, "year"), pairs(&[("2014", 27), ("2018", 27), ("2022", 27)]), "what a year filter finds");
    assert_eq!(counts(&all, "framework"), pairs(&[("qpr-2020", 81)]), "what a form version filter finds");
    let first = all.hits.iter().find(|h| h.id == seed().policy_measures[0].id).unwrap();
    assert_eq!((first.year, first.reported_in.as_slice()), (2022, &[2022, 2018][..]));
    assert_ne!(first.title, "Quokkas of 2018");

    let in_2018 = search(&demo, "year=2018&per_page=100");
    assert_eq!(in_2018.total, 27);
    assert!(in_2018.hits.iter().all(|h| h.year == 2018));
    assert!(in_2018.hits.iter().any(|h| h.title == "Quokkas of 2018"), "the 2018 version");
    assert_eq!(counts(&in_2018, "year"), pairs(&[("2014", 27), ("2018", 27), ("2022", 27)]));
    assert_eq!(search(&demo, "q=quokkas").total, 0, "an earlier version's words do not find the measure");
    assert_eq!(search(&demo, "q=quokkas&year=2018").total, 1);
    let policies = search(&demo, "kind=policy");
    assert_eq!(policies.total, 44, "22 policy measures of each distinct set");
    assert_eq!(search(&demo, "kind=policy&year=2018").total, 22);
    assert_eq!(search(&demo, "year=2018&year=2022").total, 54, "two years: each report's version");
}

#[test]
fn bad_parameters_name_the_parameter() {
    let error = |params: &[(&str, &str)]| SearchRequest::from_params(params.iter().copied()).unwrap_err();
    assert_eq!(error(&[("domain", "musik")]).param, "domain");
    assert!(error(&[("domain", "musik")]).message.contains("music"), "lists the values");
    assert_eq!(error(&[("year", "twenty")]).param, "year");
    assert_eq!(error(&[("targets_youth", "yes")]).param, "targets_youth");
    assert_eq!(error(&[("sort", "title")]).param, "sort");
    assert_eq!(error(&[("page", "0")]).param, "page");
    assert_eq!(error(&[("per_page", "1000")]).param, "per_page");
    assert_eq!(error(&[("page", "600"), ("per_page", "100")]).param, "page", "too deep");
    assert_eq!(error(&[("colour", "red")]).param, "colour");
    let request =
        SearchRequest::from_params([("party", "aze"), ("q", "music"), ("domain", ""), ("sort", "year")]).unwrap();
    assert_eq!(request.sort, Sort::Year);
    assert!(request.has_filter(Facet::Party, "AZE"));
    assert_eq!(request.filters.len(), 1, "empty values are ignored");
    let again = SearchRequest::from_params(request.to_params().iter().map(|(k, v)| (*k, v.as_str()))).unwrap();
    assert_eq!(again, request);
    assert!(!request.toggled(Facet::Party, "AZE").has_filter(Facet::Party, "AZE"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn phrases_match_adjacent_words_only_with_or_without_stop_words_and_slop() {
    let mut other = seed();
    other.party = qpr_domain::document::PartyRef {
        name: "France".into(),
        iso3: Some(qpr_domain::countries::Iso3::parse("FRA").unwrap()),
    };
    other.cso_measures.clear();
    other.policy_measures.truncate(5);
    let texts = [
        ("Alpha", "Programmes of international cooperation with festivals."),
        ("Beta", "Cooperation between theatres, and later an international tour."),
        ("Gamma", "The cooperation of the states in the region."),
        ("Delta", "An international and cooperation agenda."),
        ("Epsilon", "Une coopération internationale pour les musiciens."),
    ];
    for (measure, (title, description)) in other.policy_measures.iter_mut().zip(texts) {
        measure.title = title.into();
        measure.description = description.into();
        measure.results = None;
        measure.agencies.clear();
        measure.partners.clear();
        measure.evaluation_conclusions = None;
    }
    let demo = demo(&[other]).await;
    let titles = |q: &str| {
        let results = search(&demo, &format!("q={q}&party=FRA&sort=year&per_page=100"));
        let mut titles: Vec<String> = results.hits.into_iter().map(|h| h.title).collect();
        titles.sort();
        titles
    };
    assert_eq!(titles("\"international cooperation\""), ["Alpha"], "adjacent only");
    assert_eq!(titles("\"cooperation of the states\""), ["Gamma"], "stop words leave gaps the phrase keeps");
    assert_eq!(titles("\"international cooperation\"~1"), ["Alpha", "Delta"], "slop lets a word in between");
    assert_eq!(titles("\"international cooperation"), ["Alpha"], "an unclosed quote runs to the end of the text");
    assert_eq!(titles("\"coopération internationale\""), ["Epsilon"], "French phrases");
    assert_eq!(titles("\"tour international\""), Vec::<String>::new(), "order counts");
    assert_eq!(titles("\"international tour\""), ["Beta"]);
    assert_eq!(titles("festivals \"international cooperation\""), ["Alpha"], "a phrase with other words");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn downloads_read_on_several_threads_keep_the_result_order() {
    // 25 reports of 27 measures: three batches of the download's reading threads.
    let copies: Vec<ReportDocument> = (2000..2024).map(other_measures).collect();
    let demo = demo(&copies).await;
    for query in ["sort=year", "q=creative+industries", "domain=music&sort=year"] {
        let params: Vec<(&str, &str)> = query.split('&').map(|p| p.split_once('=').unwrap()).collect();
        let request = SearchRequest::from_params(params).unwrap();
        let expected: Vec<String> = demo
            .index
            .export(&request)
            .unwrap()
            .map(|m| m.unwrap())
            .map(|m| format!("{} {}\n", m.year, m.id))
            .collect();
        for threads in [1, 2, 3] {
            let mut written = String::new();
            let mut batches = 0;
            let export = demo.index.export(&request).unwrap();
            export
                .write_in_order(
                    threads,
                    |m, out| out.push_str(&format!("{} {}\n", m.year, m.id)),
                    |text| {
                        batches += 1;
                        written.push_str(&text);
                        true
                    },
                )
                .unwrap();
            assert_eq!(
                written.lines().collect::<Vec<_>>(),
                expected.iter().map(|l| l.trim_end()).collect::<Vec<_>>(),
                "{query}, {threads} threads"
            );
            assert_eq!(batches, expected.len().div_ceil(256), "{query}");
        }
    }
    assert!(demo.index.export(&SearchRequest::default()).unwrap().remaining() > 600);

    // A client going away after the first batch stops the reading, without an error.
    let mut batches = 0;
    demo.index
        .export(&SearchRequest::default())
        .unwrap()
        .write_in_order(
            2,
            |m, out| out.push_str(&m.id),
            |_| {
                batches += 1;
                false
            },
        )
        .unwrap();
    assert_eq!(batches, 1);
}

/// Issue 13: an index whose last commit does not say how far it follows the database is an
/// error naming the payload, not an index at 0; opening it for writing rebuilds it.
#[test]
fn an_unreadable_commit_payload_is_an_error_and_the_index_is_rebuilt() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("index");
    drop(SearchIndex::open(&path).unwrap());
    let meta = path.join("meta.json");
    let mut value: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&meta).unwrap()).unwrap();
    assert!(value["payload"].is_string(), "{value}");
    value["payload"] = "seq 12".into();
    std::fs::write(&meta, value.to_string()).unwrap();

    let Err(error) = SearchIndex::open_read_only(&path) else { panic!("an unreadable payload is an error") };
    assert!(matches!(error, qpr_search::SearchError::Corrupt(_)), "{error}");
    assert!(error.to_string().contains("commit payload `seq 12`"), "{error}");
    let rebuilt = SearchIndex::open(&path).unwrap();
    assert_eq!(rebuilt.applied_seq().unwrap(), 0);
    assert!(rebuilt.is_empty());
}
