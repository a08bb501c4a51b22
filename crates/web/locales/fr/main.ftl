# L’interface du site public de qpr, en français. Chaque message est aussi dans ../en/main.ftl
# (un test le vérifie). Les libellés du formulaire n’y sont pas : ils viennent du cadre.

site-name = qpr
site-tagline = Rapports périodiques quadriennaux · Convention de 2005
skip-to-content = Aller au contenu
nav-label = Principal
nav-home = Accueil
nav-reports = Rapports
nav-parties = Parties
nav-measures = Politiques et mesures
languages-label = Langue
footer-disclaimer = Les opinions exprimées dans les rapports sont celles des gouvernements qui les ont soumis.
footer-open-data = Chaque rapport publié est une donnée ouverte : sa page renvoie à son document JSON.

published-on = publié le { $date }
# Un rapport importé de l'ancienne plateforme : son import n'est pas la date du rapport.
imported-on = importé le { $date }
submitted-imported-on = soumis le { $reported }, importé le { $imported }

## Accueil
home-title = Rapports périodiques quadriennaux
home-intro = Tous les quatre ans, les Parties à la Convention de 2005 sur la protection et la promotion de la diversité des expressions culturelles rendent compte des politiques et mesures qu’elles ont adoptées pour la mettre en œuvre. Ce site publie leurs rapports, tels qu’ils ont été soumis, et les mesures qu’ils décrivent.
home-cycle-heading = Cycle de rapports
home-cycle-open = Le cycle de rapports { $year } est ouvert. Les rapports sont attendus au plus tard le { $deadline }.
home-cycle-common = À partir de 2027, toutes les Parties soumettent leur rapport à la même date, tous les quatre ans. La prochaine échéance est le { $deadline }.
home-figures-heading = En chiffres
figure-parties = { $count ->
        [one] Partie
       *[other] Parties
    } à la Convention
figure-reports = { $count ->
        [one] rapport publié
       *[other] rapports publiés
    }
figure-measures = { $count ->
        [one] politique ou mesure rapportée
       *[other] politiques et mesures rapportées
    }
home-latest-heading = Derniers rapports publiés
home-all-reports = Tous les rapports publiés
no-reports = Aucun rapport n’est encore publié.

## Rapports
reports-title = Rapports publiés
filter-legend = Afficher les rapports de
filter-party = Partie
filter-all-parties = Toutes les Parties
filter-region = Région
filter-all-regions = Toutes les régions
filter-year = Année
filter-all-years = Toutes les années
filter-apply = Afficher
filter-clear = Afficher tous les rapports
reports-count = { $count ->
        [0] Aucun rapport ne correspond.
        [one] Un rapport.
       *[other] { $count } rapports.
    }
reports-table-caption = Rapports publiés, les plus récents d’abord
col-report = Rapport
col-party = Partie
col-region = Région
col-date = Date
report-contents = Sommaire
report-party-profile = Profil : { $party }
report-download-json = Télécharger le document JSON
report-download-pdf = Télécharger le rapport en PDF
# Le pied de chaque page du PDF d’un rapport.
pdf-page = Page { $page } sur { $pages }
# Écrit en travers de chaque page du PDF d’un rapport pas encore publié.
pdf-draft = Projet

## Parties
parties-title = Parties à la Convention
parties-intro = { $count } Parties, par région de l’UNESCO, avec leurs rapports publiés.
parties-reports = Rapports :
parties-no-region = Hors des groupes régionaux
party-kind = Partie à la Convention de 2005
party-region = Région
party-ratification = Adhésion à la Convention
party-deposited-by = { $date } ({ $instrument })
party-date-unknown = Partie ; date du dépôt inconnue
party-not-a-party = N’est pas Partie à la Convention
instrument-ratification = ratification
instrument-accession = adhésion
instrument-acceptance = acceptation
instrument-approval = approbation
party-reports-heading = Rapports par cycle
party-no-reports = Aucun rapport de cette Partie n’est encore publié.
party-reports-caption = Rapports publiés : { $party }
party-report-of = Rapport { $year }
party-json-of = Document JSON du rapport { $year }
col-measures = Mesures
col-open-data = Données ouvertes
party-statistics-heading = Statistiques clés
party-statistics-caption = Statistiques telles que rapportées, avec l’année de leurs données
col-statistic = Statistique
col-value = Valeur
col-data-year = Année des données
party-distinct-measures = Politiques et mesures dans ces rapports : { $count } (une mesure rapportée à nouveau compte une fois).
party-measure-earlier = aussi dans { $years }
party-areas-heading = Politiques et mesures par domaine de suivi
party-cso-heading = Mesures rapportées par les organisations de la société civile
party-domains-heading = Mesures par domaine culturel
party-domains-caption = Nombre de mesures qui concernent chaque domaine culturel, par rapport
col-domain = Domaine culturel

## Mesures
measure-kind-policy = Politique ou mesure rapportée par une Partie
measure-kind-cso = Mesure rapportée par les organisations de la société civile
measure-party = Partie
measure-report = Rapport
measure-goal = Objectif
measure-area = Domaine de suivi
measure-earlier-versions = Rapports antérieurs qui la contiennent
measure-newer-versions = Rapports plus récents qui la contiennent
measure-not-current = Voici la mesure telle que le rapport de { $year } la présente ; la base de données de suivi des politiques en montre la version la plus récente.
measure-as-reported = Telle que rapportée

## Base de données de suivi des politiques (/measures)
search-title = Base de données de suivi des politiques
search-intro = Toutes les politiques et mesures des rapports périodiques quadriennaux publiés, à rechercher par texte et à filtrer par Partie, région, année, objectif, domaine de suivi, domaine culturel, etc.
search-label = Rechercher des mesures
search-button = Rechercher
search-sort = Ordre
search-sort-relevance = Pertinence
search-sort-year = Les plus récentes d’abord
search-filters = Filtres
search-active-filter = { $facet } : { $value }
search-remove-filter = Retirer le filtre { $filter }
search-any-of = Sous un même titre, les mesures correspondant à l’une des valeurs choisies sont affichées ; les choix sous des titres différents doivent tous correspondre.
search-clear-all = Retirer tous les filtres
search-results = { $count ->
        [0] Aucune mesure
        [1] Une mesure
       *[other] { $count } mesures
    }
search-nothing-found = Aucune mesure ne correspond à cette recherche.
search-bad-parameter = Le paramètre « { $param } » de cette adresse n’est pas utilisable ; toutes les mesures sont donc affichées.
search-download = Télécharger tous les résultats :
search-download-csv = CSV
search-download-jsonl = JSON Lines
search-pages = Pages de résultats
search-previous = Page précédente
search-next = Page suivante
search-page-of = Page { $page } sur { $pages }
search-yes = Oui
search-no = Non
search-other = Autre
search-goal = Objectif { $goal }
search-also-in = aussi dans { $years }
search-framework = Formulaire { $version }
search-kind-policy = Politique ou mesure
search-kind-cso = Mesure de la société civile
facet-party = Partie
facet-region = Région
facet-year = Année
facet-goal = Objectif
facet-area = Domaine de suivi
facet-domain = Domaine culturel
facet-targets_youth = Cible les jeunes
facet-ifcd = Soutien du FIDC
facet-evaluated = Évaluée
facet-partner_type = Type de partenaire
facet-kind = Type de mesure
facet-framework = Version du formulaire (cycle)

## Erreurs
error-not-found-title = Page introuvable
error-internal-title = Une erreur est survenue
error-no-page = Il n’y a pas de page à cette adresse.
error-not-a-code = « { $text } » n’est pas un code de pays.
error-not-a-year = « { $text } » n’est pas une année.
error-no-report = Aucun rapport publié de { $party } pour { $year }.
error-no-party = « { $code } » ne désigne aucune Partie.
error-no-measure = Il n’y a pas de mesure publiée « { $id } ».
error-internal = Une erreur est survenue de notre côté ; elle a été consignée.
error-back-home = Retour à l’accueil

api-docs-title = L’API de qpr
api-docs-intro = Tout ce que font les pages de l’espace de travail peut se faire avec cette API JSON. Cette page est produite à partir de sa description OpenAPI 3.1 (en anglais), que les outils lisent à
api-docs-auth = Envoyez un jeton d’API (créé sur la page de votre compte, ou avec POST /api/v1/tokens) comme Authorization: Bearer qpr_… ; les opérations publiques n’en demandent pas. Les erreurs répondent par un objet JSON « error » avec un « code » stable et un « message ».
api-docs-contents = Opérations
api-docs-parameters = Paramètres
api-docs-name = Nom
api-docs-in = Dans
api-docs-description = Description
api-docs-required = obligatoire
api-docs-request = Corps de la requête :
api-docs-responses = Réponses
api-docs-status = Statut
api-docs-body = Corps
back-to-top = Retour en haut de page

## The world map (/indicators/map)
map-heading = Parties ayant soumis un rapport en { $cycle }
map-reported = Rapport soumis en { $cycle }
map-not-reported = Pas de rapport en { $cycle }
map-bad-cycle = Le cycle `{ $text }` n’est pas un cycle de rapport : choisissez 2012–2015, 2016–2019, 2020–2023 ou 2024–2027 (paramètre cycle).
map-cycle = Cycle de rapport
map-show = Afficher
map-intro = Chaque Partie est un lien : vers son rapport du cycle, ou vers sa page. Un rapport est placé dans un cycle par son année. Chaque Partie figure aussi dans les listes sous la carte, y compris les petits États que la carte ne peut montrer et les Parties qui ne sont pas des pays.
map-list = Toutes les Parties, par catégorie
map-list-intro = Les mêmes informations que la carte, sous forme de listes.
map-not-drawn = (absente de la carte, ou trop petite pour y être cliquée)
map-source = Frontières : Natural Earth 1:110m (domaine public), projection Equal Earth. Les frontières indiquées n’impliquent aucune prise de position quant au statut juridique des pays ou territoires.

## Comparing Parties (/compare)
compare-title = Comparer des Parties
compare-choose = Choisissez de deux à cinq Parties ayant publié un rapport
compare-party-n = Partie { $n }
compare-none = (aucune)
compare-submit = Comparer
compare-reports = Les rapports comparés
compare-intro = Le dernier rapport publié de chaque Partie, question par question dans l’ordre du formulaire, puis ses mesures. Sur un petit écran, les tableaux défilent horizontalement.
compare-caption-suffix = : réponses côte à côte
compare-question = Question
compare-not-asked = Question absente du formulaire de ce rapport
compare-asked-as = Posée ainsi : { $label }
compare-too-few = Choisissez au moins { $fewest } Parties à comparer (paramètre party).
compare-too-many = On ne peut comparer plus de { $most } Parties à la fois (paramètre party).
compare-not-a-code = `{ $text }` n’est pas un code de pays (paramètre party).
compare-twice = { $code } est choisie deux fois (paramètre party).
compare-no-report = { $code } n’a pas de rapport publié à comparer (paramètre party).
map-heading-question = { $question } ({ $cycle })
map-question = Colorer selon
map-by-reporting = Si la Partie a présenté un rapport dans le cycle
map-bad-question = `{ $text }` n'est pas un indicateur (paramètre question) : choisissez-en un dans la liste.
map-several-answers = Plusieurs réponses
map-no-answer = Aucune réponse comptée
## Mesures similaires d'autres Parties (page d'une mesure)
similar-heading = Mesures similaires d'autres Parties
similar-none = Aucune mesure d'une autre Partie n'est assez proche pour être montrée.
similar-shared-terms = Termes communs
similar-same-area = Même domaine de suivi
similar-domains = Mêmes domaines culturels
similar-partner-types = Mêmes types de partenaires
similar-evaluated = Évaluée
similar-not-said = Non précisé
similar-results = Résultats

## Une mesure au fil des rapports de la Partie (page d'une mesure)
timeline-heading = Cette mesure au fil des rapports de la Partie
timeline-only-one = Seul le rapport { $year } contient cette mesure : il n'y a pas d'autre rapport avec lequel la comparer.
timeline-this-page = cette page
timeline-first = Le premier rapport qui la contient.
timeline-same-id = La même mesure que dans le rapport précédent (reprise de celui-ci).
timeline-matched = Rapprochée par son contenu de la mesure du rapport précédent (score { $score }).
timeline-split = Issue de la division de la mesure du rapport précédent, avec { $others }.
timeline-merged = La mesure du rapport précédent a été fusionnée avec { $others } dans celle-ci.
timeline-unchanged = Son titre, sa description, ses résultats et son financement n'ont pas changé.
timeline-title = Titre
timeline-description = Description
timeline-results = Résultats
timeline-funding = Financement
timeline-not-given = non précisé

## Ce qui a changé entre deux rapports d'une Partie (/parties/{iso3}/changes)
changes-title = Ce qui a changé dans les rapports de { $party }
changes-heading = { $party } : ce qui a changé du rapport { $from } au rapport { $to }
changes-first-report = Le rapport { $year } est le premier rapport publié de la Partie : il n'y a pas de rapport antérieur avec lequel le comparer.
changes-versions = Les deux rapports répondent à des versions différentes du formulaire ({ $from } et { $to }) : les questions posées de la même façon par les deux sont comparées ; les autres sont listées à part.
changes-measures = Politiques et mesures, par domaine de suivi
changes-cso = Mesures rapportées par les organisations de la société civile
changes-no-measures = Aucune mesure dans l'un ou l'autre rapport.
changes-new = { $count ->
    [one] Nouvelle mesure
   *[other] Nouvelles mesures ({ $count })
}
changes-continued = { $count ->
    [one] Mesure poursuivie
   *[other] Mesures poursuivies ({ $count })
}
changes-gone = { $count ->
    [one] Mesure qui n'est plus rapportée
   *[other] Mesures qui ne sont plus rapportées ({ $count })
}
changes-same-id = la même mesure que dans le rapport antérieur
changes-matched = rapprochée par son contenu, score { $score }, de
changes-split = issue de la division de
changes-merged = issue de la fusion de
changes-unchanged = Ni son titre, ni sa description, ni ses résultats, ni son financement n'ont changé.
changes-changed = Modifié :
changes-part-title = titre
changes-part-description = description
changes-part-results = résultats
changes-part-funding = financement
changes-answers = Réponses oui/non, à choix et à cocher qui ont changé
changes-no-answers = Aucune réponse oui/non, à choix ou à cocher n'a changé.
changes-question = Question
changes-statistics = Statistiques, avec l'année de leurs données
changes-no-statistics = Aucun des deux rapports ne donne de statistique.
changes-figure-year = { $value } en { $year }
changes-unmapped = Réponses aux questions qu'un seul des deux formulaires pose
changes-from = Rapport antérieur
changes-to = Rapport postérieur
changes-compare = Comparer
changes-bad-year = Le paramètre { $param } est incorrect : { $value } n'est pas l'année d'un rapport antérieur au rapport postérieur.
changes-link = Ce qui a changé entre ses rapports
report-compared = Comparé avec le rapport précédent ({ $year })

# The Secretariat's translation of a report's executive summary, above the report.
report-translation-title = Résumé analytique (traduction)
report-translation-by = Traduction du Secrétariat de l’UNESCO
report-translation-date = jointe le { $date }
report-translation-original = Le résumé analytique tel que soumis, dans le rapport ci-dessous
