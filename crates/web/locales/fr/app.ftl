# L'espace de travail : connexion, cycles, tableau de suivi, équipe d'un rapport, courriels.

app-nav-workspace = Mon espace
app-nav-cycles = Cycles de rapport
app-nav-mail = Courriels envoyés
app-nav-account = Compte
app-logout = Se déconnecter
app-login = Se connecter

error-request-title = Impossible de faire cela
error-unauthorized = Veuillez d'abord vous connecter.
error-forbidden = Votre rôle ne le permet pas.
error-csrf = Ce formulaire a expiré ou ne vient pas de ce site. Revenez en arrière, rechargez la page et envoyez-le de nouveau : ce que vous avez saisi est toujours dans le formulaire.
error-too-many-attempts = Trop de tentatives. Attendez quelques minutes et réessayez.

login-title = Connexion
login-email = Adresse électronique
login-password = Mot de passe
login-submit = Se connecter
login-forgot = Mot de passe oublié ?
login-failed = L'adresse électronique ou le mot de passe n'est pas correct.
login-throttled = Trop d'essais infructueux pour ce compte. Attendez 15 minutes ou demandez un nouveau mot de passe.
login-password-set = Votre mot de passe est enregistré. Vous pouvez vous connecter.
login-signed-out = Vous êtes déconnecté.

password-title = Mot de passe
password-forgot-intro = Indiquez l'adresse électronique de votre compte : nous vous envoyons un lien pour choisir un nouveau mot de passe.
password-send-link = Envoyer le lien
password-link-sent = Si cette adresse a un compte, un lien lui a été envoyé. Il fonctionne une fois, pendant deux heures.
password-set-intro = Choisissez votre mot de passe.
password-new = Nouveau mot de passe
password-rule = Au moins 12 caractères. Une phrase dont vous vous souvenez fait un bon mot de passe.
password-confirm = Le même mot de passe, une seconde fois
password-save = Enregistrer le mot de passe
password-link-invalid = Ce lien ne fonctionne plus : il a déjà servi ou il a expiré.
password-too-short = Le mot de passe est trop court : au moins 12 caractères.
password-too-long = Le mot de passe est trop long : au plus 1024 caractères.
password-mismatch = Les deux mots de passe ne sont pas identiques.

dashboard-title = Mon espace
dashboard-reports = Les rapports auxquels je participe
dashboard-no-reports = Vous ne participez encore à aucun rapport. Le Secrétariat ou le point de contact de votre Partie vous y ajoute.

cycles-title = Cycles de rapport
cycles-none = Aucun cycle de rapport n'a encore été ouvert.
cycles-open-link = Ouvrir un cycle de rapport
cycles-open-title = Ouvrir un cycle de rapport
cycles-framework = Version du formulaire
cycles-deadline = Date limite de soumission
cycles-parties = Parties appelées à faire rapport
cycles-parties-hint = Codes de pays (ISO 3166-1 alpha-3) séparés par des espaces ou des virgules. Laisser vide pour toutes les Parties à la Convention.
cycles-open-submit = Ouvrir le cycle
cycle-name = Cycle de rapport { $year }
cycle-deadline = Date limite : { $date }
cycle-closed = clos

board-caption = Toutes les Parties appelées à faire rapport dans ce cycle. Les rapports en retard sont signalés.
board-party = Partie
board-year = Année
board-status = État
board-complete = Rempli
board-updated = Dernière modification
board-overdue = En retard
board-focal-title = Désigner le point de contact d'une Partie
board-focal-submit = Inviter le point de contact

status-not_started = Pas commencé
status-in_progress = En cours
status-submitted = Soumis
status-changes_requested = Modifications demandées
status-accepted = Accepté
status-published = Publié

state-draft = Brouillon
state-submitted = Soumis
state-changes_requested = Modifications demandées
state-accepted = Accepté
state-published = Publié

report-workspace-title = Rapport de { $party }
report-sections = Sections du formulaire
report-section = Section
report-read-only = lecture seule

members-title = L'équipe
members-name = Nom
members-role = Rôle
members-sections = Sections
members-actions = Actions
members-all-sections = Toutes les sections
members-remove = Retirer { $name }
members-invite-title = Inviter un contributeur
members-email = Adresse électronique
members-sections-legend = Sections que le contributeur remplit (aucune cochée : toutes les sections)
members-invite = Envoyer l'invitation
members-invited = Une invitation a été envoyée à { $email }.
role-focal_point = Point de contact
role-contributor = Contributeur

account-title = Mon compte
account-password-title = Changer mon mot de passe
account-current-password = Mot de passe actuel
account-new-password = Nouveau mot de passe
account-confirm-password = Nouveau mot de passe, à nouveau
account-change-password = Changer le mot de passe
password-wrong-current = Le mot de passe actuel n'est pas correct. Le mot de passe n'a pas été changé.
tokens-title = Jetons d'API
tokens-intro = Un jeton permet à un programme d'utiliser l'API en votre nom (en-tête « Authorization: Bearer … »). Révoquez ceux qui ne servent plus.
tokens-new = Votre nouveau jeton. Copiez-le maintenant : il n'est affiché qu'une fois.
tokens-label = Nom du jeton
tokens-created = Créé le
tokens-create = Créer un jeton
tokens-revoke = Révoquer { $label }

mail-title = Courriels envoyés
mail-relay = Les courriels partent par le relais de messagerie configuré, qui tient son propre journal.
mail-none = Aucun courriel n'a encore été écrit.
mail-intro = Aucun relais de messagerie n'est configuré : chaque courriel de la plateforme est écrit ici (et dans le dossier mail-outbox du répertoire de données), du plus récent au plus ancien. La partie secrète des liens de mot de passe et des liens OSC est masquée ici ; les fichiers du dossier la contiennent.
mail-to = À :
mail-link-hidden = [lien masqué : seul son destinataire peut l’utiliser]


back-to-report = Retour au rapport
submit-title = Signer et soumettre
submit-errors = { $count ->
    [0] Aucune erreur
    [one] Une erreur à corriger avant de soumettre
   *[other] { $count } erreurs à corriger avant de soumettre
}
submit-warnings = { $count ->
    [0] Aucun avertissement
    [one] Un avertissement à examiner
   *[other] { $count } avertissements à examiner
}
submit-fix-first = Répondez aux questions et corrigez les erreurs indiquées ci-dessus dans leurs sections, puis revenez signer.
submit-sign-title = Signer le rapport
submit-sign-intro = Indiquez le responsable qui signe pour la Partie, puis confirmez avec votre mot de passe. Le rapport est alors verrouillé et envoyé au Secrétariat, avec une signature que chacun peut vérifier.
submit-official = Responsable désigné(e) signataire du rapport
submit-password = Votre mot de passe (pour confirmer que c'est vous)
submit-button = Signer et soumettre le rapport
submit-wrong-password = Le mot de passe n'est pas correct. Rien n'a été soumis.
submit-errors-left = Le rapport contient encore des erreurs. Rien n'a été soumis.
submit-merged = Quelqu'un a enregistré le rapport pendant que vous lisiez cette page. Relisez le résumé et signez de nouveau.
submit-official-missing = Remplissez chaque champ du responsable désigné ({ $field }).
submit-missing = { $count ->
    [0] Toutes les questions obligatoires ont une réponse
    [one] Une question obligatoire sans réponse avant de soumettre
   *[other] { $count } questions obligatoires sans réponse avant de soumettre
}
submit-missing-intro = Le formulaire exige ces réponses. Chaque lien ouvre la question dans sa section ; une question posée seulement après une réponse donnée (la suite d'un OUI) n'est obligatoire que si cette réponse est donnée.
submit-required-missing = { $count ->
    [one] Une question obligatoire est sans réponse. Rien n'a été soumis.
   *[other] { $count } questions obligatoires sont sans réponse. Rien n'a été soumis.
}

review-title = Examen
review-revision = Révision { $revision }
review-signed-at = Signé le { $date }.
review-signature-file = Fichier de signature
review-decisions = Décision
review-changes-message = Que doit modifier la Partie ?
review-request-changes = Demander des modifications
review-accept = Accepter le rapport
review-publish = Publier le rapport
review-withdraw = Retirer la publication
review-public-page = La page publiée
review-recall-intro = Le Secrétariat n'a pas commencé son examen : vous pouvez reprendre le rapport pour le modifier, puis le signer de nouveau.
review-recall = Reprendre la soumission
review-no-decision = Aucune décision à prendre maintenant.
review-comment-button = Ajouter le commentaire
review-changes-requested = modifications demandées
review-earlier-revision = sur une révision antérieure
review-resolved = résolu
review-reply = Répondre
review-reply-button = Envoyer la réponse
review-resolve = Marquer comme résolu
review-comment-on = Commenter « { $field } »
review-contents = Sommaire
review-contents-open = { $count ->
    [one] 1 commentaire ouvert
   *[other] { $count } commentaires ouverts
}
review-open-title = Commentaires ouverts
review-open-none = Aucun commentaire ouvert.
review-open-intro = { $count ->
    [one] 1 commentaire attend une réponse.
   *[other] { $count } commentaires attendent une réponse.
}
review-open-elsewhere = Sur des champs ou des mesures qui ne sont plus dans le rapport
review-since-title = Ce qui a changé depuis la dernière soumission
review-since-intro = Version { $from }, renvoyée à la Partie avec une demande de modifications, comparée à la version { $to }.
review-since-none = Rien n'a changé depuis le renvoi du rapport.
review-your-comment = Votre commentaire sur « { $field } »
review-confirm = Je confirme : { $decision }
review-confirm-title = Confirmer : { $decision }
review-confirm-accept = Accepter clôt l'examen : la Partie ne peut plus modifier le rapport, qui est prêt à être publié.
review-confirm-publish = Publier met le rapport signé sur le site public et dans la base de données des mesures, à la disposition de tous.
review-confirm-withdraw = Retirer ôte le rapport du site public et de la base de données des mesures.
review-confirm-back = Retour à l'examen, sans décider

# Le bloc de signature de la page d'un rapport publié (public).
report-submission = Soumission
report-submitted-on = Soumis le { $date }.
report-imported-on = Importé le { $date } depuis la page publiée par la plateforme de rapports précédente.
report-signature = Signature
report-signed-by = Signé pour la Partie par { $official }.
report-signed-on = Signé le { $date }.
report-signed-document = Le document signé (JSON)
report-signature-file = La signature (JSON)
report-signing-keys = Les clés publiques de la plateforme
report-verify-hint = Chacun peut vérifier que le document est exactement celui qui a été signé : téléchargez les trois fichiers et lancez « qpr verify signed.json signature.json --key qpr-signing-keys.json ».

section-percent = { $percent } %
section-save-continue = Enregistrer et continuer vers « { $section } »
section-pager = Sections précédente et suivante
section-previous = ← Précédente : { $section }
section-next = Suivante : { $section } →
section-saved = Enregistré.
section-save = Enregistrer cette section
section-conflict = Quelqu'un d'autre a modifié ces champs depuis que vous avez ouvert la page. Le formulaire montre maintenant son texte ; le vôtre est ci-dessous. Copiez ce que vous voulez garder dans le champ, puis enregistrez.
section-conflict-theirs = Enregistré maintenant
section-conflict-yours = Ce que vous avez saisi
section-comments = Commentaires de l'examen
section-answer-comments = Répondre aux commentaires
section-read-only = Vous pouvez lire cette section mais pas la modifier maintenant.
history-link = Historique des modifications
report-draft-pdf = Le projet en PDF
history-title = Historique du rapport de { $party } { $year }
history-caption = Chaque version du rapport, de la plus récente à la plus ancienne. Choisissez-en deux pour les comparer.
history-revision = Version
history-time = Enregistrée le
history-author = Par
history-role = Comment
history-from = De
history-to = À
history-compare-from = Comparer à partir de la version { $revision }
history-compare-to = Comparer avec la version { $revision }
history-compare = Comparer
history-page = Page { $page } sur { $pages }
history-newer = Versions plus récentes
history-older = Versions plus anciennes
history-role-created = créée
history-role-saved = enregistrée
history-role-merged = enregistrée, fusionnée avec des modifications faites entre-temps
history-role-submitted = soumise
history-role-published = publiée
history-back = Retour au rapport
history-compare-title = Modifications de la version { $from } à la version { $to }
history-compare-intro = Version { $from } ({ $from_time }, { $from_author }) comparée à la version { $to } ({ $to_time }, { $to_author }).
history-no-changes = Aucune modification dans ce que vous pouvez voir.
history-changes-caption = Modifications dans { $section }
history-field = Champ
history-change = Modification
history-old = Avant
history-new = Après
history-added = ajouté
history-removed = supprimé
history-changed = modifié
history-other = Autres modifications
history-field-area = Domaine de suivi
history-field-goal = Objectif
history-order = Ordre des mesures
history-field-cso-invitation = Reprise du formulaire de l'OSC
history-cso-invitation-value = Formulaire d'OSC n° { $id }
history-words-hint = Dans les textes modifiés, les mots supprimés sont barrés et les mots ajoutés soulignés.
history-back-history = Retour à l'historique
annexes-title = Annexes
annexes-link = Annexes ({ $count })
annexes-intro = Documents au format PDF (loi, politique, accord, règlement, stratégie, études, statistiques) produits pendant la période couverte par le rapport, chacun avec son titre et une description de son contenu principal en anglais ou en français.
annexes-none = Aucune annexe pour l'instant.
annexes-doc-title = Titre
annexes-file = Fichier
annexes-size = Taille
annexes-added = Ajoutée
annexes-added-by = { $name }, { $date }
annexes-download = Télécharger { $title } (PDF)
annexes-remove = Retirer { $title }
annexes-add-title = Ajouter une annexe
annexes-pdf-only = Un fichier PDF de { $limit } au plus.
annexes-description = Description du contenu principal
annexes-upload = Envoyer l'annexe
annexes-added-notice = L'annexe « { $title } » a été ajoutée.
annexes-removed-notice = L'annexe « { $title } » a été retirée.
annexes-read-only = Seul le point de contact (ou un contributeur chargé de cette section) peut modifier les annexes, tant que le rapport est un brouillon ou renvoyé pour modifications.
annexes-back = Retour au rapport
annex-too-large = Le fichier fait { $size } ; la limite est de { $limit }.
annex-over-limit = Le fichier dépasse la limite de { $limit }.
annex-no-file = Choisissez un fichier PDF à envoyer.
annex-title-required = Titre : indiquez le titre du document.
annex-description-required = Description : décrivez le contenu principal du document.
annex-text-too-long = { $field } : { $max } caractères au plus.
annex-empty = Le fichier est vide.
annex-not-pdf = Ce fichier n'est pas un PDF. Enregistrez le document au format PDF (Fichier › Enregistrer sous, ou Imprimer › Enregistrer au format PDF) et envoyez le PDF.
annex-not-pdf-but = Ce fichier n'est pas un PDF : c'est { $kind }. Enregistrez le document au format PDF (Fichier › Enregistrer sous, ou Imprimer › Enregistrer au format PDF) et envoyez le PDF.
annex-pdf-truncated = Ce PDF est tronqué : il ne se termine pas comme un fichier PDF. Le téléchargement ou la copie était-il complet ? Réessayez avec le fichier entier.
annex-pdf-damaged = Ce PDF est endommagé : sa table des matières (table de références croisées) manque ou pointe au mauvais endroit. Ouvrez-le, enregistrez-le à nouveau au format PDF, puis envoyez le nouveau fichier.
file-kind-png = une image PNG
file-kind-jpeg = une image JPEG
file-kind-gif = une image GIF
file-kind-office = un document Word, Excel ou d'une autre suite bureautique (ou une archive ZIP)
file-kind-rtf = un document RTF
size-bytes = { $value } octets
size-kb = { $value } Ko
size-mb = { $value } Mo

prefill-title = Partir du rapport précédent
prefill-intro = Ce brouillon est encore vide. Copiez-y les réponses et les politiques et mesures du rapport de { $year }, puis mettez-les à jour. Les mesures gardent leur identité : la base de données des mesures les suit d'un rapport à l'autre.
prefill-submit = Copier le rapport de { $year } dans ce brouillon
prefill-done = { $answers } réponses et { $measures } mesures du rapport de { $year } ont été copiées dans ce brouillon.
prefill-dropped-answers = Non copiées, car le formulaire ne pose plus ces questions : { $list }.
prefill-dropped-measures = Non copiées, car le formulaire n'a plus leur domaine de suivi : { $list }.
prefill-not-carried = Non copiées, car elles appartiennent au rapport de { $year } lui-même : { $list }.
prefill-cso-not-carried = Les mesures des OSC ne sont pas copiées : elles viennent de la consultation de la société civile de ce cycle.

cso-title = Contribution de la société civile
cso-intro = Invitez des organisations de la société civile à remplir le formulaire OSC. Chacune reçoit son propre lien : aucun compte n'est nécessaire. Quand elles ont soumis, décidez pour chaque mesure si le rapport l'inclut.
cso-share = Mesures des OSC incluses dans le rapport : { $share }
cso-link-made = L'invitation est créée. Son lien (à envoyer à l'organisation, ou à garder : il n'est affiché que maintenant) :
cso-invite-title = Inviter une organisation
cso-organization = Organisation
cso-email = Adresse électronique (facultative)
cso-email-hint = Avec une adresse, le lien est envoyé par courriel ; sans, copiez-le depuis cette page.
cso-invite = Créer l'invitation
cso-invitations = Invitations
cso-none = Aucune organisation n'a encore été invitée.
cso-status-invited = Invitée, pas commencé
cso-status-saved = Commencé, pas soumis
cso-status-submitted = Soumis
cso-status-closed = Lien fermé, pas soumis
cso-revoke = Fermer le lien de { $organization }
cso-measures-of = Mesures soumises par { $organization }
cso-goal = Objectif
cso-measure = Mesure
cso-decision = Dans le rapport
cso-included = Incluse
cso-not-included = Non incluse
cso-undecided = À décider
cso-include = Inclure { $title }
cso-exclude = Ne pas inclure { $title }
cso-form-title = Formulaire OSC
cso-form-intro = Le gouvernement de { $party } invite votre organisation à contribuer à son rapport périodique quadriennal sur la Convention de 2005. Décrivez les mesures prises par votre organisation. Enregistrez aussi souvent que vous le souhaitez et revenez avec le même lien ; soumettez quand vous avez terminé.
cso-form-saved = Enregistré. Vous pouvez revenir avec le même lien.
cso-form-save = Enregistrer
cso-form-submit = Soumettre au gouvernement
cso-form-submit-hint = Une fois soumis, le formulaire ne peut plus être modifié.
cso-form-submitted = Merci : votre formulaire a été soumis au gouvernement. Il ne peut plus être modifié.

# Délais et tâches (le tableau de bord et la vue d’ensemble d’un rapport)
dashboard-deadline = Date limite
deadline-days-left = Date limite : { $date } ({ $days ->
        [one] un jour restant
       *[other] { $days } jours restants
    })
deadline-today = Date limite : aujourd’hui, { $date }
deadline-late = Date limite : { $date } ({ $days ->
        [one] un jour de retard
       *[other] { $days } jours de retard
    })
continue-last-edited = Reprendre là où vous en étiez : { $section }
continue-first-incomplete = Continuer avec la première section incomplète : { $section }
todo-heading = En attente du Secrétariat
todo-review-heading = Rapports soumis à examiner
todo-review-none = Aucun rapport soumis n’attend d’examen.
todo-submitted-on = soumis le { $date }
todo-overdue-heading = Parties en retard
todo-overdue-none = Aucune Partie n’a dépassé la date limite.
returned-title = Modifications demandées par le Secrétariat
returned-by = { $name } a demandé ces modifications le { $date } :
returned-open = { $count ->
    [0] Aucun commentaire ouvert
    [one] Un commentaire ouvert
   *[other] { $count } commentaires ouverts
}
returned-comments = Commentaires du Secrétariat
returned-none = aucun

# Le tableau de suivi à grande échelle (issue 19) : filtres, tri, CSV, examinateurs.
app-nav-reviews = Mes examens
board-region = Région
board-any = Toutes
board-filter-title = Afficher les rapports
board-only-overdue = Seulement les rapports en retard
board-min = Au moins (% rempli)
board-max = Au plus (% rempli)
board-reviewer = Examinateur
board-no-reviewer = Pas encore d'examinateur
board-sort = Trier par
board-sort-party = Partie
board-sort-region = Région
board-sort-status = État
board-sort-complete = Rempli
board-sort-updated = Dernière modification
board-sort-reviewer = Examinateur
board-order = Ordre
board-order-asc = Croissant
board-order-desc = Décroissant
board-show = Afficher
board-clear = Afficher tous les rapports
board-shown = { $shown } rapports affichés sur { $total }
board-csv = Télécharger ces lignes (CSV)
board-reviewer-title = Désigner un examinateur
board-reviewer-submit = Désigner
board-reviewer-assigned = Examinateur enregistré pour le rapport : { $party }.
reviews-title = Mes examens
reviews-none = Aucun rapport ne vous est confié pour examen.
reviews-caption = Les rapports que vous examinez ; ceux qui attendent une décision d'abord.
board-message-title = Écrire aux points de contact de ces rapports
board-message-hint = Le message va au point de contact de chaque rapport que les filtres ci-dessus retiennent, avec le lien vers son rapport. Vous voyez qui le reçoit avant l'envoi.
board-message-subject = Objet
board-message-body = Message
board-message-preview = Voir le message avant l'envoi
board-message-preview-title = Message aux points de contact : aperçu
board-message-summary = Ce message va à { $people } { $people ->
    [one] personne
   *[other] personnes
} (points de contact de { $reports } { $reports ->
    [one] rapport
   *[other] rapports
}).
board-message-unreached = Sans point de contact à qui écrire
board-message-send = { $count ->
    [one] Envoyer à 1 personne
   *[other] Envoyer à { $count } personnes
}
board-message-back = Retour au tableau, rien n'est envoyé
board-message-sent = { $count ->
    [one] Le message a été envoyé à 1 personne.
   *[other] Le message a été envoyé à { $count } personnes.
}
board-message-already-sent = Ce message a déjà été envoyé : rien n'a été envoyé de nouveau.

# The Secretariat's translations of the executive summary (review page).
translation-title = Traductions du résumé analytique
translation-intro = Le Secrétariat traduit le résumé analytique en anglais ou en français. Une traduction est montrée sur la page publique aux lecteurs de sa langue, signalée comme traduction du Secrétariat, avec l’original à côté.
translation-not-yet = Une traduction peut être jointe une fois le rapport soumis.
translation-into-en = Traduction anglaise
translation-into-fr = Traduction française
translation-none = Aucune traduction jointe.
translation-attached = Jointe par { $name } le { $date }, d’après la révision { $revision }.
translation-out-of-date = Le résumé analytique a changé depuis cette traduction : elle n’est pas montrée aux lecteurs tant qu’elle n’est pas jointe de nouveau.
translation-text-en = Traduction en anglais
translation-text-fr = Traduction en français
translation-limit = Jusqu’à 20 000 caractères, en texte simple : une ligne vide sépare les paragraphes.
translation-attach = Joindre la traduction
translation-replace = Remplacer la traduction
translation-remove-en = Retirer la traduction anglaise
translation-remove-fr = Retirer la traduction française
translation-language = Langue
