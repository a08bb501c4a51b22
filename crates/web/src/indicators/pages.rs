//! `/indicators`, `/indicators/{area}` and the Party page's comparison.

use askama::Template;
use axum::extract::{Path, Query};
use axum::http::HeaderMap;
use axum::response::Response;
use fluent_templates::fluent_bundle::FluentValue;
use qpr_indicators::{Catalog, Cycle, Figures, FlagCount, Group, IndicatorFigure, Reading, Tally};

use super::chart::{BarChart, BarInput};
use super::{Selection, api_href, figures, indicator_label};
use crate::error::{Missing, WebError};
use crate::http::Representation;
use crate::pages::{Site, html, party_name};
use crate::ui::{Section, Ui};

/// The parameters the pages take, besides `lang`.
const PAGE_PARAMS: [&str; 2] = ["cycle", "region"];

/// A message with arguments, in the page's language.
fn say(ui: &Ui, id: &str, args: &[(&'static str, FluentValue<'static>)]) -> String {
    crate::i18n::text_with(ui.language(), id, args)
}

fn num(n: usize) -> FluentValue<'static> {
    FluentValue::from(n)
}

fn text(value: impl Into<String>) -> FluentValue<'static> {
    FluentValue::from(value.into())
}

/// A share as the pages write it: a whole percentage (`57%`, `57 %`).
fn percent(ui: &Ui, share: Option<f64>) -> String {
    match share {
        Some(share) => say(ui, "ind-percent", &[("value", text(format!("{:.0}", share * 100.0)))]),
        None => "-".to_owned(),
    }
}

/// An option of a filter's `<select>`.
pub(crate) struct Choice {
    value: String,
    label: String,
    selected: bool,
}

/// The filter form: the cycles with reports, the regions.
struct Filter {
    cycles: Vec<Choice>,
    regions: Vec<Choice>,
    error: Option<String>,
}

/// The selection of a page, its cycle settled (the newest with a report when none is given).
struct Chosen {
    cycle: Option<Cycle>,
    region: Option<Group>,
    filter: Filter,
}

fn choose(ui: &Ui, figures: &Figures<'_>, params: &[(String, String)]) -> Chosen {
    let (selection, error) = match Selection::parse(params, &PAGE_PARAMS) {
        Ok(selection) => (selection, None),
        Err(error) => (Selection::default(), Some(say(ui, "ind-bad-filter", &[("param", text(error.param))]))),
    };
    let cycle = selection.cycle.or_else(|| figures.latest_cycle());
    let mut cycles: Vec<Cycle> = figures.cycles();
    if let Some(cycle) = cycle.filter(|c| !cycles.contains(c)) {
        cycles.push(cycle);
    }
    let cycles = cycles
        .into_iter()
        .map(|c| Choice { value: c.id(), label: c.to_string(), selected: Some(c) == cycle })
        .collect();
    let regions = std::iter::once(Choice {
        value: String::new(),
        label: ui.t("ind-filter-all"),
        selected: selection.region.is_none(),
    })
    .chain(Group::ALL.iter().map(|g| Choice {
        value: g.id().to_owned(),
        label: ui.local(&g.name()).to_owned(),
        selected: selection.region == Some(*g),
    }))
    .collect();
    Chosen { cycle, region: selection.region, filter: Filter { cycles, regions, error } }
}

fn page_params(params: &[(String, String)]) -> Vec<(&'static str, String)> {
    PAGE_PARAMS
        .iter()
        .filter_map(|name| {
            params.iter().find(|(k, v)| k == name && !v.trim().is_empty()).map(|(_, v)| (*name, v.trim().to_owned()))
        })
        .collect()
}

/// The sentence stating a figure's base, and what is shown apart.
fn base_lines(ui: &Ui, tally: &Tally<'_>, cycle: Cycle) -> Vec<String> {
    let base = tally.base;
    let mut lines = vec![say(
        ui,
        "ind-base",
        &[
            ("answered", num(base.answered)),
            ("reporting", num(base.reporting)),
            ("cycle", text(cycle.to_string())),
            ("not_answered", num(base.not_answered)),
        ],
    )];
    if base.not_applicable > 0 {
        lines.push(say(ui, "ind-not-applicable", &[("count", num(base.not_applicable))]));
    }
    if base.earlier_form > 0 {
        lines.push(say(ui, "ind-earlier-form", &[("count", num(base.earlier_form))]));
    }
    lines
}

/// A Party's answer in words.
fn reading_text(ui: &Ui, reading: &Reading<'_>) -> String {
    match reading {
        Reading::Chose(options) => options.iter().map(|o| ui.local(&o.label)).collect::<Vec<_>>().join("; "),
        Reading::NotAnswered => ui.t("ind-not-answered"),
        Reading::NotApplicable => ui.t("ind-not-applicable-short"),
        Reading::EarlierForm => ui.t("ind-earlier-form-short"),
    }
}

/// The counts of a tally as short texts (`YES: 2 (67%)`), options nobody chose left out.
fn counts_text(ui: &Ui, tally: &Tally<'_>) -> Vec<String> {
    tally
        .values
        .iter()
        .filter(|v| v.count > 0)
        .map(|v| format!("{}: {} ({})", ui.local(&v.option.label), v.count, percent(ui, v.share)))
        .collect()
}

// ---------------------------------------------------------------------------------------
// `/indicators`

struct AreaHeadline {
    heading: String,
    href: String,
    headline: Option<String>,
    question: String,
    base: String,
    measures: String,
}

struct GoalView {
    heading: String,
    areas: Vec<AreaHeadline>,
}

struct FlagRow {
    label: String,
    counts: FlagCount,
}

struct CountRow {
    label: String,
    count: usize,
}

struct MeasuresView {
    summary: String,
    flags: Vec<FlagRow>,
    domains: Vec<CountRow>,
    partner_caption: String,
    partners: Vec<CountRow>,
}

struct CsoView {
    summary: String,
    goals: Vec<CountRow>,
}

#[derive(Template)]
#[template(path = "indicators/index.html")]
struct IndexPage<'a> {
    lang: &'static str,
    ui: &'a Ui,
    filter: Filter,
    reporting: Option<String>,
    set_aside: Vec<String>,
    goals: Vec<GoalView>,
    measures: Option<MeasuresView>,
    cso: Option<CsoView>,
    csv_href: String,
    json_href: String,
}

/// `GET /indicators`.
pub(crate) async fn index(
    site: Site,
    ui: Ui,
    Query(params): Query<Vec<(String, String)>>,
    request: HeaderMap,
) -> Response {
    let ui = ui.in_section(Section::Indicators).with_params(page_params(&params));
    site.page(&ui, &request, || async {
        let figures = figures(&site).await?;
        render_index(&ui, &figures, &params)
    })
    .await
}

fn measures_view(
    ui: &Ui,
    figures: &Figures<'_>,
    cycle: Cycle,
    region: Option<Group>,
    area: Option<&str>,
) -> MeasuresView {
    let measures = figures.measures(cycle, region, area);
    #[expect(clippy::cast_precision_loss, reason = "counts of reports")]
    let share = (measures.reports > 0).then(|| measures.reports_with as f64 / measures.reports as f64);
    let summary = say(
        ui,
        "ind-measures-summary",
        &[
            ("measures", num(measures.measures)),
            ("with", num(measures.reports_with)),
            ("reports", num(measures.reports)),
            ("share", text(percent(ui, share))),
        ],
    );
    let flags = [
        ("ind-flag-youth", measures.youth),
        ("ind-flag-ifcd", measures.ifcd),
        ("ind-flag-evaluated", measures.evaluated),
    ]
    .into_iter()
    .map(|(id, counts)| FlagRow { label: ui.t(id), counts })
    .collect();
    let rows = |counts: &[(qpr_indicators::ChoiceOption, usize)]| {
        counts
            .iter()
            .filter(|(o, n)| *n > 0 || o.key != qpr_indicators::ChoiceOption::UNLISTED)
            .map(|(o, n)| CountRow { label: ui.local(&o.label).to_owned(), count: *n })
            .collect()
    };
    MeasuresView {
        summary,
        flags,
        domains: rows(&measures.by_domain),
        partner_caption: say(ui, "ind-partners-caption", &[("count", num(measures.partner_base))]),
        partners: rows(&measures.by_partner_type),
    }
}

fn render_index(ui: &Ui, figures: &Figures<'_>, params: &[(String, String)]) -> Result<Representation, WebError> {
    let catalog = figures.catalog();
    let Chosen { cycle, region, filter } = choose(ui, figures, params);
    let Some(cycle) = cycle else {
        let page = IndexPage {
            lang: ui.lang(),
            ui,
            filter,
            reporting: None,
            set_aside: Vec::new(),
            goals: Vec::new(),
            measures: None,
            cso: None,
            csv_href: String::new(),
            json_href: String::new(),
        };
        return html(&page, None);
    };
    let reporting = figures.reporting(cycle, region);
    let set_aside = set_aside_lines(ui, figures, cycle);
    let area_measures = figures.measures(cycle, region, None).by_area;
    let goals = catalog
        .goals
        .iter()
        .map(|(number, heading)| GoalView {
            heading: ui.local(heading).replacen(" - ", " – ", 1),
            areas: catalog
                .areas
                .iter()
                .filter(|a| a.goal == *number)
                .map(|area| {
                    let first = catalog.indicators.iter().find(|i| i.area == area.id);
                    let figure = first.and_then(|i| figures.indicator(&i.id, cycle, region));
                    let (headline, question, base) = match &figure {
                        Some(figure) => headline(ui, figure),
                        None => (None, String::new(), String::new()),
                    };
                    let measures = area_measures.iter().find(|(id, _, _)| *id == area.id).map_or(0, |(_, n, _)| *n);
                    AreaHeadline {
                        heading: ui.local(&area.heading).to_owned(),
                        href: area_href(ui, &area.id, cycle, region),
                        headline,
                        question,
                        base,
                        measures: say(ui, "ind-measures-in-area", &[("count", num(measures))]),
                    }
                })
                .collect(),
        })
        .collect();
    let cso = figures.cso(cycle, region);
    #[expect(clippy::cast_precision_loss, reason = "counts of reports and measures")]
    let per_report =
        if cso.reports > 0 { format!("{:.1}", cso.measures as f64 / cso.reports as f64) } else { "-".into() };
    let cso = CsoView {
        summary: say(
            ui,
            "ind-cso-summary",
            &[
                ("with", num(cso.reports_with)),
                ("reports", num(cso.reports)),
                ("measures", num(cso.measures)),
                ("per", text(per_report)),
            ],
        ),
        goals: cso
            .by_goal
            .iter()
            .map(|(goal, count)| CountRow {
                label: catalog
                    .goals
                    .iter()
                    .find(|(n, _)| n == goal)
                    .map_or_else(|| goal.to_string(), |(_, h)| ui.local(h).replacen(" - ", " – ", 1)),
                count: *count,
            })
            .collect(),
    };
    let all = (reporting > 0).then(|| {
        (api_href(cycle, region, None, true, ui.language()), api_href(cycle, region, None, false, ui.language()))
    });
    let (csv_href, json_href) = all.unwrap_or_default();
    let page = IndexPage {
        lang: ui.lang(),
        ui,
        filter,
        reporting: Some(say(ui, "ind-reporting", &[("count", num(reporting)), ("cycle", text(cycle.to_string()))])),
        set_aside,
        goals,
        measures: (reporting > 0).then(|| measures_view(ui, figures, cycle, region, None)),
        cso: (reporting > 0).then_some(cso),
        csv_href,
        json_href,
    };
    html(&page, None)
}

/// The headline of an area: its first indicator's most chosen answer, with its base.
fn headline(ui: &Ui, figure: &IndicatorFigure<'_>) -> (Option<String>, String, String) {
    let label = indicator_label(figure.indicator, ui.language());
    let top = figure
        .all
        .values
        .iter()
        .filter(|v| v.count > 0)
        .max_by(|a, b| a.count.cmp(&b.count).then(b.option.key.cmp(&a.option.key)));
    let headline = top.map(|v| {
        say(
            ui,
            "ind-headline",
            &[
                ("option", text(ui.local(&v.option.label))),
                ("count", num(v.count)),
                ("answered", num(figure.all.base.answered)),
                ("share", text(percent(ui, v.share))),
            ],
        )
    });
    (headline, label, base_lines(ui, &figure.all, figure.cycle).join(" "))
}

fn set_aside_lines(ui: &Ui, figures: &Figures<'_>, cycle: Cycle) -> Vec<String> {
    figures
        .set_aside(cycle)
        .iter()
        .map(|s| {
            say(
                ui,
                "ind-set-aside",
                &[
                    ("party", text(party_name(&s.iso3, ui.language()).unwrap_or_else(|| s.iso3.clone()))),
                    ("year", text(s.year.to_string())),
                    ("counted", text(s.counted_year.to_string())),
                ],
            )
        })
        .collect()
}

fn area_href(ui: &Ui, area: &str, cycle: Cycle, region: Option<Group>) -> String {
    let mut params = vec![("cycle", cycle.id())];
    params.extend(region.map(|g| ("region", g.id().to_owned())));
    ui.href(format!("/indicators/{area}{}", crate::ui::query_string(&params)))
}

// ---------------------------------------------------------------------------------------
// `/indicators/{area}`

struct Row {
    label: String,
    count: usize,
    share: String,
}

struct RegionRow {
    name: String,
    answered: String,
    counts: Vec<String>,
}

struct PartyRow {
    name: String,
    href: String,
    answer: String,
}

struct IndicatorView {
    anchor: String,
    label: String,
    base: Vec<String>,
    multiple: bool,
    chart: BarChart,
    caption: String,
    rows: Vec<Row>,
    csv_href: String,
    json_href: String,
    regions: Vec<RegionRow>,
    parties_summary: String,
    parties: Vec<PartyRow>,
}

struct StatisticRow {
    label: String,
    answered: String,
    quartiles: Option<[String; 3]>,
    years: String,
}

#[derive(Template)]
#[template(path = "indicators/area.html")]
struct AreaPage<'a> {
    lang: &'static str,
    ui: &'a Ui,
    heading: String,
    goal: String,
    filter: Filter,
    reporting: Option<String>,
    set_aside: Vec<String>,
    indicators: Vec<IndicatorView>,
    statistics_caption: String,
    statistics: Vec<StatisticRow>,
    measures: Option<MeasuresView>,
    csv_href: String,
    json_href: String,
    index_href: String,
}

/// `GET /indicators/{area}`.
pub(crate) async fn area(
    site: Site,
    ui: Ui,
    Path(area): Path<String>,
    Query(params): Query<Vec<(String, String)>>,
    request: HeaderMap,
) -> Response {
    let Some(area) = Catalog::builtin().area(&area) else {
        return WebError::NotFound(Missing::Page).page(&ui.in_section(Section::Indicators));
    };
    let ui =
        ui.in_section(Section::Indicators).at(&format!("/indicators/{}", area.id)).with_params(page_params(&params));
    site.page(&ui, &request, || async {
        let figures = figures(&site).await?;
        render_area(&ui, &figures, &area.id, &params)
    })
    .await
}

fn format_figure(ui: &Ui, kind: qpr_indicators::StatisticKind, value: f64) -> String {
    match kind {
        qpr_indicators::StatisticKind::Percent => say(ui, "ind-percent", &[("value", text(format!("{value:.1}")))]),
        qpr_indicators::StatisticKind::Usd => format!("{value:.0} USD"),
    }
}

fn render_area(
    ui: &Ui,
    figures: &Figures<'_>,
    area_id: &str,
    params: &[(String, String)],
) -> Result<Representation, WebError> {
    let catalog = figures.catalog();
    let area = catalog.area(area_id).ok_or(WebError::NotFound(Missing::Page))?;
    let Chosen { cycle, region, filter } = choose(ui, figures, params);
    let goal = catalog
        .goals
        .iter()
        .find(|(n, _)| *n == area.goal)
        .map(|(_, h)| ui.local(h).replacen(" - ", " – ", 1))
        .unwrap_or_default();
    let lang = ui.language();
    let mut page = AreaPage {
        lang: ui.lang(),
        ui,
        heading: ui.local(&area.heading).to_owned(),
        goal,
        filter,
        reporting: None,
        set_aside: Vec::new(),
        indicators: Vec::new(),
        statistics_caption: String::new(),
        statistics: Vec::new(),
        measures: None,
        csv_href: String::new(),
        json_href: String::new(),
        index_href: ui.href("/indicators"),
    };
    let Some(cycle) = cycle else { return html(&page, None) };
    let reporting = figures.reporting(cycle, region);
    page.reporting = Some(say(ui, "ind-reporting", &[("count", num(reporting)), ("cycle", text(cycle.to_string()))]));
    page.set_aside = set_aside_lines(ui, figures, cycle);
    page.csv_href = api_href(cycle, region, Some(("area", area_id)), true, lang);
    page.json_href = api_href(cycle, region, Some(("area", area_id)), false, lang);
    page.index_href = {
        let mut params = vec![("cycle", cycle.id())];
        params.extend(region.map(|g| ("region", g.id().to_owned())));
        ui.href(format!("/indicators{}", crate::ui::query_string(&params)))
    };
    for indicator in catalog.indicators.iter().filter(|i| i.area == area_id) {
        let Some(figure) = figures.indicator(&indicator.id, cycle, region) else { continue };
        page.indicators.push(indicator_view(ui, &figure));
    }
    page.statistics_caption = say(ui, "ind-statistics-caption", &[("cycle", text(cycle.to_string()))]);
    page.statistics = catalog
        .statistics
        .iter()
        .filter(|s| s.area == area_id)
        .filter_map(|s| figures.statistic(&s.question, cycle, region))
        .map(|s| {
            let mut years: Vec<String> = s.data_years.iter().map(|(year, n)| format!("{year} ({n})")).collect();
            if s.without_year > 0 {
                years.push(say(ui, "ind-years-none", &[("count", num(s.without_year))]));
            }
            StatisticRow {
                label: ui.local(&s.statistic.label).to_owned(),
                answered: say(
                    ui,
                    "ind-answered-of",
                    &[("answered", num(s.base.answered)), ("reporting", num(s.base.reporting))],
                ),
                quartiles: s.quartiles.map(|q| q.map(|v| format_figure(ui, s.statistic.kind, v))),
                years: if years.is_empty() { "-".to_owned() } else { years.join(", ") },
            }
        })
        .collect();
    page.measures = (reporting > 0).then(|| measures_view(ui, figures, cycle, region, Some(area_id)));
    html(&page, None)
}

fn indicator_view(ui: &Ui, figure: &IndicatorFigure<'_>) -> IndicatorView {
    let lang = ui.language();
    let indicator = figure.indicator;
    let label = indicator_label(indicator, lang);
    let anchor = indicator.id.replace('.', "-");
    let show =
        |v: &&qpr_indicators::OptionCount<'_>| v.count > 0 || v.option.key != qpr_indicators::ChoiceOption::UNLISTED;
    let rows: Vec<Row> = figure
        .all
        .values
        .iter()
        .filter(show)
        .map(|v| Row { label: ui.local(&v.option.label).to_owned(), count: v.count, share: percent(ui, v.share) })
        .collect();
    let chart = BarChart::new(
        format!("chart-{anchor}"),
        label.clone(),
        say(ui, "ind-chart-desc", &[("answered", num(figure.all.base.answered))]),
        (ui.t("ind-chart-x"), ui.t("ind-chart-y")),
        figure
            .all
            .values
            .iter()
            .filter(show)
            .map(|v| BarInput {
                label: ui.local(&v.option.label).to_owned(),
                share: v.share.unwrap_or(0.0),
                value: format!("{} ({})", v.count, percent(ui, v.share)),
            })
            .collect(),
        |p| say(ui, "ind-percent", &[("value", text(p.to_string()))]),
    );
    let regions = figure
        .by_group
        .iter()
        .map(|(group, tally)| RegionRow {
            name: ui.local(&group.name()).to_owned(),
            answered: say(
                ui,
                "ind-answered-of",
                &[("answered", num(tally.base.answered)), ("reporting", num(tally.base.reporting))],
            ),
            counts: counts_text(ui, tally),
        })
        .collect();
    let mut parties: Vec<PartyRow> = figure
        .parties
        .iter()
        .map(|p| PartyRow {
            name: party_name(&p.iso3, lang).unwrap_or_else(|| p.iso3.clone()),
            href: ui.href(format!("/reports/{}/{}#{}", p.iso3, p.year, indicator.question)),
            answer: reading_text(ui, &p.reading),
        })
        .collect();
    parties.sort_by_cached_key(|p| crate::pages::sort_key(&p.name));
    IndicatorView {
        caption: say(
            ui,
            "ind-table-caption",
            &[("label", text(label.clone())), ("cycle", text(figure.cycle.to_string()))],
        ),
        anchor,
        label,
        base: base_lines(ui, &figure.all, figure.cycle),
        multiple: indicator.multiple,
        chart,
        rows,
        csv_href: api_href(figure.cycle, figure.within, Some(("question", &indicator.id)), true, lang),
        json_href: api_href(figure.cycle, figure.within, Some(("question", &indicator.id)), false, lang),
        regions,
        parties_summary: say(ui, "ind-parties-answers", &[("count", num(parties.len()))]),
        parties,
    }
}

// ---------------------------------------------------------------------------------------
// The Party page

/// A yes/no question: the Party's answer beside the shares of YES.
pub(crate) struct ComparisonRow {
    pub question: String,
    pub href: String,
    pub party: String,
    pub group: String,
    pub all: String,
}

/// The Party page's "compared with its region and with all Parties".
pub(crate) struct PartyComparison {
    pub intro: String,
    pub group_heading: String,
    pub rows: Vec<ComparisonRow>,
    pub link: String,
}

/// The comparison of a Party's newest counted report with its group and all Parties, on the
/// yes/no questions it answered; `None` when it has no counted report.
pub(crate) async fn party_comparison(site: &Site, ui: &Ui, iso3: &str) -> Result<Option<PartyComparison>, WebError> {
    let figures = figures(site).await?;
    let Some((cycle, year, comparisons)) = figures.compare(iso3) else { return Ok(None) };
    let group = Group::of(iso3);
    let share_yes = |tally: &Tally<'_>| {
        let yes = tally.values.iter().find(|v| v.option.key == "yes");
        say(
            ui,
            "ind-compare-share",
            &[("share", text(percent(ui, yes.and_then(|v| v.share)))), ("answered", num(tally.base.answered))],
        )
    };
    let rows = comparisons
        .iter()
        .filter(|c| c.indicator.options.iter().map(|o| o.key.as_str()).eq(["yes", "no"]))
        .filter(|c| matches!(c.party, Reading::Chose(_)))
        .map(|c| ComparisonRow {
            question: indicator_label(c.indicator, ui.language()),
            href: area_href(ui, &c.indicator.area, cycle, None) + "#" + &c.indicator.id.replace('.', "-"),
            party: reading_text(ui, &c.party),
            group: share_yes(&c.group),
            all: share_yes(&c.all),
        })
        .collect();
    Ok(Some(PartyComparison {
        intro: say(
            ui,
            "ind-compare-intro",
            &[
                ("year", text(year.to_string())),
                ("cycle", text(cycle.to_string())),
                ("group", text(ui.local(&group.name()))),
            ],
        ),
        group_heading: ui.local(&group.name()).to_owned(),
        rows,
        link: {
            let mut params = vec![("cycle", cycle.id())];
            if let Group::Region(_) = group {
                params.push(("region", group.id().to_owned()));
            }
            ui.href(format!("/indicators{}", crate::ui::query_string(&params)))
        },
    }))
}
