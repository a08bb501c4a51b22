# Constats de validation (qpr_domain::validate::Problem), par leur code stable.
finding-unknown-question = « { $key } » n’est pas une question du formulaire { $form } ; la réponse est conservée mais n’est pas affichée.
finding-other-format = Le format du document est « { $found } » ; cette version lit « { $expected } ».
finding-other-form = Le document répond au formulaire « { $found } », et non « { $expected } ».
finding-party-missing = Le nom de la Partie manque.
finding-unknown-party = « { $name } » n’est pas un nom de pays connu ; le rapport ne peut être classé sous une Partie tant qu’il ne l’est pas.
finding-implausible-report-year = { $year } n’est pas une année de rapport plausible.
finding-not-applicable = Cette question ne s’applique que si « { $question_fr } » a pour réponse { $expected ->
        [YES] OUI
        [NO] NON
       *[other] { $expected }
    } ; elle a une réponse alors que cette question { $found ->
        [unanswered] est sans réponse
        [YES] a pour réponse OUI
        [NO] a pour réponse NON
       *[other] a pour réponse { $found }
    }.
finding-expected-yes-no = Répondez OUI ou NON (trouvé : { $found ->
        [empty] rien
       *[other] { $found }
    }).
finding-expected-option = Choisissez une option.
finding-unknown-group = « { $key } » n’est pas un groupe de cette question.
finding-expected-groups = Les options cochées sont attendues par groupe.
finding-percent-out-of-range = Un pourcentage est compris entre 0 et 100 (trouvé : { $found }).
finding-percent-missing = Le pourcentage manque ou n’est pas un nombre.
finding-expected-amount = Un montant est attendu (son texte et un chiffre en USD).
finding-usd-missing = Aucun chiffre en USD n’a pu être lu dans ce montant ; indiquez un nombre.
finding-expected-text = Un texte est attendu.
finding-expected-email = Une adresse électronique est attendue.
finding-expected-date = Une date est attendue sous la forme AAAA, AAAA-MM ou AAAA-MM-JJ (trouvé : { $found }).
finding-expected-rating = Notez de 1 à 4 (trouvé : { $found }).
finding-no-answer-of-its-own = Cette question n’a pas de réponse propre.
finding-expected-list = Une liste est attendue.
finding-too-many-items = Au plus { $max } éléments sont demandés ; { $given } sont donnés.
finding-expected-rows = Une liste de lignes est attendue.
finding-expected-row = Une ligne de cellules est attendue.
finding-unknown-column = « { $key } » n’est pas une colonne de ce tableau.
finding-unknown-country = « { $text } » n’est pas un nom de pays connu.
finding-unknown-option = « { $text } » ne fait pas partie des options connues ; la réponse est conservée telle quelle.
finding-not-an-email = « { $text } » ne ressemble pas à une adresse électronique.
finding-implausible-year = { $year } n’est pas une année plausible.
finding-year-missing = L’année manque.
finding-unknown-area = « { $area } » n’est pas un domaine de suivi.
finding-agency-missing = Nommez l’organisme responsable de la mise en œuvre.
finding-conclusions-without-evaluation = Des conclusions sont données alors que la mesure n’est pas indiquée comme évaluée.
finding-partner-name-missing = Le partenaire n’a pas de nom.
finding-unknown-entity-type = « { $kind } » ne fait pas partie des types d’entité connus ; la réponse est conservée telle quelle.
finding-unknown-goal = { $goal } n’est pas un objectif de la Convention (1 à 4).
finding-organization-missing = Nommez l’OSC responsable de la mise en œuvre.
finding-title-missing = L’enregistrement n’a pas de titre.
finding-unknown-domain = « { $domain } » n’est pas un domaine culturel connu ; la réponse est conservée telle quelle.
