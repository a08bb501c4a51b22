# The interface of qpr's public site, in English. Every message here is in ../fr/main.ftl too
# (a test checks). Form labels are not here: they come from the framework file.

site-name = qpr
site-tagline = Quadrennial Periodic Reports · 2005 Convention
skip-to-content = Skip to content
nav-label = Main
nav-home = Home
nav-reports = Reports
nav-parties = Parties
nav-measures = Policies and measures
languages-label = Language
footer-disclaimer = The opinions expressed in the reports are those of the submitting governments.
footer-open-data = Every published report is open data: its page links to its JSON document.

published-on = published on { $date }
# A report imported from the earlier platform: its import is not when the Party reported.
imported-on = imported on { $date }
submitted-imported-on = submitted on { $reported }, imported on { $imported }

## Home
home-title = Quadrennial Periodic Reports
home-intro = Every four years, the Parties to the 2005 Convention on the Protection and Promotion of the Diversity of Cultural Expressions report on the policies and measures they have adopted to implement it. This site publishes their reports, in the form in which they were submitted, and the measures they describe.
home-cycle-heading = Reporting cycle
home-cycle-open = The { $year } reporting cycle is open. Reports are due by { $deadline }.
home-cycle-common = From 2027, all Parties submit their reports on the same date, every four years. The next deadline is { $deadline }.
home-figures-heading = In figures
figure-parties = { $count ->
        [one] Party
       *[other] Parties
    } to the Convention
figure-reports = published { $count ->
        [one] report
       *[other] reports
    }
figure-measures = { $count ->
        [one] policy or measure reported
       *[other] policies and measures reported
    }
home-latest-heading = Latest published reports
home-all-reports = All published reports
no-reports = No report is published yet.

## Reports
reports-title = Published reports
filter-legend = Show the reports of
filter-party = Party
filter-all-parties = All Parties
filter-region = Region
filter-all-regions = All regions
filter-year = Year
filter-all-years = All years
filter-apply = Show
filter-clear = Show all reports
reports-count = { $count ->
        [0] No report matches.
        [one] One report.
       *[other] { $count } reports.
    }
reports-table-caption = Published reports, newest first
col-report = Report
col-party = Party
col-region = Region
col-date = Date
report-contents = Contents
report-party-profile = Profile of { $party }
report-download-json = Download the JSON document
report-download-pdf = Download the report as a PDF
# The footer of every page of a report's PDF.
pdf-page = Page { $page } of { $pages }
# Written across every page of the PDF of a report not yet published.
pdf-draft = Draft

## Parties
parties-title = Parties to the Convention
parties-intro = { $count } Parties, by UNESCO region, with their published reports.
parties-reports = Reports:
parties-no-region = Outside the regional groups
party-kind = Party to the 2005 Convention
party-region = Region
party-ratification = Joined the Convention
party-deposited-by = { $date } ({ $instrument })
party-date-unknown = Party; date of deposit not known
party-not-a-party = Not a Party to the Convention
instrument-ratification = ratification
instrument-accession = accession
instrument-acceptance = acceptance
instrument-approval = approval
party-reports-heading = Reports by cycle
party-no-reports = No report of this Party is published yet.
party-reports-caption = Published reports of { $party }
party-report-of = { $year } report
party-json-of = JSON document of the { $year } report
col-measures = Measures
col-open-data = Open data
party-statistics-heading = Key statistics
party-statistics-caption = Statistics as reported, with the year of their data
col-statistic = Statistic
col-value = Value
col-data-year = Year of the data
party-distinct-measures = Policies and measures in these reports: { $count } (a measure reported again counts once).
party-measure-earlier = also in { $years }
party-areas-heading = Policies and measures by area of monitoring
party-cso-heading = Measures reported by civil society organizations
party-domains-heading = Measures by cultural domain
party-domains-caption = Number of measures that concern each cultural domain, by report
col-domain = Cultural domain

## Measures
measure-kind-policy = Policy or measure reported by a Party
measure-kind-cso = Measure reported by civil society organizations
measure-party = Party
measure-report = Report
measure-goal = Goal
measure-area = Area of monitoring
measure-earlier-versions = Earlier reports holding it
measure-newer-versions = Newer reports holding it
measure-not-current = This is the measure as the { $year } report has it; the policy monitoring database shows its newest version.
measure-as-reported = As reported

## Policy monitoring database (/measures)
search-title = Policy monitoring database
search-intro = Every policy and measure in the published Quadrennial Periodic Reports, searchable by text and filterable by Party, region, year, goal, area of monitoring, cultural domain and more.
search-label = Search the measures
search-button = Search
search-sort = Order
search-sort-relevance = Best match
search-sort-year = Newest first
search-filters = Filters
search-active-filter = { $facet }: { $value }
search-remove-filter = Remove the filter { $filter }
search-any-of = Under one heading, measures matching any of the chosen values are shown; choices under different headings must all match.
search-clear-all = Clear all filters
search-results = { $count ->
        [0] No measure
        [one] One measure
       *[other] { $count } measures
    }
search-nothing-found = No measure matches this search.
search-bad-parameter = The parameter “{ $param }” of this address cannot be used, so every measure is shown.
search-download = Download the whole result set:
search-download-csv = CSV
search-download-jsonl = JSON Lines
search-pages = Pages of results
search-previous = Previous page
search-next = Next page
search-page-of = Page { $page } / { $pages }
search-yes = Yes
search-no = No
search-other = Other
search-goal = Goal { $goal }
search-also-in = also in { $years }
search-framework = { $version } form
search-kind-policy = Policy or measure
search-kind-cso = CSO measure
facet-party = Party
facet-region = Region
facet-year = Year
facet-goal = Goal
facet-area = Area of monitoring
facet-domain = Cultural domain
facet-targets_youth = Targets young people
facet-ifcd = IFCD support
facet-evaluated = Evaluated
facet-partner_type = Partner type
facet-kind = Kind of measure
facet-framework = Form version (cycle)

## Errors
error-not-found-title = Page not found
error-internal-title = Something went wrong
error-no-page = There is no page at this address.
error-not-a-code = `{ $text }` is not a country code.
error-not-a-year = `{ $text }` is not a year.
error-no-report = No published report of { $party } for { $year }.
error-no-party = `{ $code }` names no Party.
error-no-measure = There is no published measure `{ $id }`.
error-internal = Something went wrong on our side; it has been logged.
error-back-home = Back to the home page

api-docs-title = The qpr API
api-docs-intro = Everything the workspace pages do can be done with this JSON API. This page is generated from its OpenAPI 3.1 description, which tools read at
api-docs-auth = Send an API token (made on your account page, or with POST /api/v1/tokens) as Authorization: Bearer qpr_…; the public operations need none. Errors answer a JSON object "error" with a stable "code" and a "message".
api-docs-contents = Operations
api-docs-parameters = Parameters
api-docs-name = Name
api-docs-in = In
api-docs-description = Description
api-docs-required = required
api-docs-request = Request body:
api-docs-responses = Responses
api-docs-status = Status
api-docs-body = Body
back-to-top = Back to top

## The world map (/indicators/map)
map-heading = Parties that reported in { $cycle }
map-reported = Reported in { $cycle }
map-not-reported = Did not report in { $cycle }
map-bad-cycle = The cycle `{ $text }` is not a reporting cycle: choose 2012–2015, 2016–2019, 2020–2023 or 2024–2027 (parameter cycle).
map-cycle = Reporting cycle
map-show = Show
map-intro = Each Party is a link: to its report of the cycle, or to its page. Reports are placed in a cycle by their year. Every Party is also listed below the map, including small states the map cannot show and Parties that are not countries.
map-list = Every Party, by class
map-list-intro = The same information as the map, as lists.
map-not-drawn = (not on the map, or too small to click there)
map-source = Boundaries: Natural Earth 1:110m (public domain), Equal Earth projection. The boundaries shown do not imply any opinion on the legal status of any country or territory.

## Comparing Parties (/compare)
compare-title = Compare Parties
compare-choose = Choose two to five Parties with a published report
compare-party-n = Party { $n }
compare-none = (none)
compare-submit = Compare
compare-reports = The reports compared
compare-intro = Each Party's latest published report, question by question in the form's order, then its measures. On a small screen, the tables scroll sideways.
compare-caption-suffix = : answers side by side
compare-question = Question
compare-not-asked = Not asked in this report's form
compare-asked-as = Asked as: { $label }
compare-too-few = Choose at least { $fewest } Parties to compare (parameter party).
compare-too-many = At most { $most } Parties can be compared at once (parameter party).
compare-not-a-code = `{ $text }` is not a country code (parameter party).
compare-twice = { $code } is chosen twice (parameter party).
compare-no-report = { $code } has no published report to compare (parameter party).
map-heading-question = { $question } ({ $cycle })
map-question = Colour by
map-by-reporting = Whether the Party reported in the cycle
map-bad-question = `{ $text }` is not an indicator (parameter question): choose one in the list.
map-several-answers = Several answers
map-no-answer = No answer counted
## Similar measures of other Parties (measure page)
similar-heading = Similar measures of other Parties
similar-none = No measure of another Party is similar enough to show.
similar-shared-terms = Shared terms
similar-same-area = Same area
similar-domains = Same cultural domains
similar-partner-types = Same partner types
similar-evaluated = Evaluated
similar-not-said = Not said
similar-results = Results

## A measure across the Party's reports (measure page)
timeline-heading = This measure across the Party's reports
timeline-only-one = Only the { $year } report holds this measure: there is no other report to compare it with.
timeline-this-page = this page
timeline-first = The first report holding it.
timeline-same-id = The same measure as in the previous report (kept from it).
timeline-matched = Matched by content with the previous report's measure (score { $score }).
timeline-split = Split from the previous report's measure, together with { $others }.
timeline-merged = The previous report's measure merged with { $others } into this one.
timeline-unchanged = Its title, description, results and funding did not change.
timeline-title = Title
timeline-description = Description
timeline-results = Results
timeline-funding = Funding
timeline-not-given = not given

## What changed between two reports of a Party (/parties/{iso3}/changes)
changes-title = What changed in the reports of { $party }
changes-heading = { $party }: what changed from the { $from } report to the { $to } report
changes-first-report = The { $year } report is the Party's first published report: there is no earlier report to compare it with.
changes-versions = The two reports answer different versions of the form ({ $from } and { $to }): questions both ask the same way are compared; the others are listed apart.
changes-measures = Policies and measures, by area
changes-cso = Measures reported by civil society organizations
changes-no-measures = No measure in either report.
changes-new = { $count ->
    [one] New measure
   *[other] New measures ({ $count })
}
changes-continued = { $count ->
    [one] Continued measure
   *[other] Continued measures ({ $count })
}
changes-gone = { $count ->
    [one] Measure no longer reported
   *[other] Measures no longer reported ({ $count })
}
changes-same-id = the same measure as in the earlier report
changes-matched = matched by content, score { $score }, with
changes-split = split from
changes-merged = merged from
changes-unchanged = Nothing changed in its title, description, results or funding.
changes-changed = Changed:
changes-part-title = title
changes-part-description = description
changes-part-results = results
changes-part-funding = funding
changes-answers = Yes/no, option and checklist answers that changed
changes-no-answers = No yes/no, option or checklist answer changed.
changes-question = Question
changes-statistics = Statistics, with the year of their data
changes-no-statistics = Neither report gives a statistic.
changes-figure-year = { $value } in { $year }
changes-unmapped = Answers to questions only one of the two forms asks
changes-from = Earlier report
changes-to = Later report
changes-compare = Compare
changes-bad-year = The parameter { $param } is wrong: { $value } is not a year of a report before the later one.
changes-link = What changed between its reports
report-compared = Compared with the previous report ({ $year })

# The Secretariat's translation of a report's executive summary, above the report.
report-translation-title = Executive summary (translation)
report-translation-by = Translation by the UNESCO Secretariat
report-translation-date = attached on { $date }
report-translation-original = The executive summary as submitted, in the report below
