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
mail-intro = Aucun relais de messagerie n'est configuré : chaque courriel de la plateforme est écrit ici (et dans le dossier mail-outbox du répertoire de données), du plus récent au plus ancien.
mail-to = À :

mail-role-focal-point = point de contact
mail-role-contributor = contributeur
mail-invitation-subject = Rapport périodique quadriennal de { $party } : vous êtes invité comme { $role }
mail-invitation-body =
    Bonjour,

    { $inviter } vous invite à participer au rapport périodique quadriennal de { $party } sur la Convention de 2005, comme { $role }.

    Ouvrez ce lien pour commencer : { $link }

    Si vous n'attendiez pas ce message, vous pouvez l'ignorer.
mail-reset-subject = Votre nouveau mot de passe pour les rapports périodiques
mail-reset-body =
    Bonjour,

    Quelqu'un (sans doute vous) a demandé un nouveau mot de passe. Ouvrez ce lien pour le choisir : { $link }

    Le lien fonctionne une fois, pendant deux heures. Si vous n'avez rien demandé, ignorez ce message : votre mot de passe reste le même.

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
prefill-no-previous = Il n'y a pas de rapport antérieur de cette Partie à copier.
prefill-not-empty = Ce brouillon a déjà ses propres réponses ou mesures : rien n'a été copié, pour ne rien écraser.
prefill-nothing = Le rapport de { $year } n'a ni réponses ni mesures à copier.
report-not-editable = Le rapport est { $state } : il ne peut plus être modifié.
