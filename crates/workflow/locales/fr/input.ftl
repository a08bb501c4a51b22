# Saisies erronées (`qpr_workflow::Invalid`) : le champ (`field-{name}`) et ce qui ne va pas
# dans sa valeur (`problem-{name}`), joints par le `Display` d'`Invalid` (en anglais) et par
# `refusal-invalid-input` du web. Une valeur est répétée telle que saisie.

field-action = Action
field-decision = Décision
field-deadline = Date limite de soumission
field-document = Document
field-email = Adresse électronique
field-form = Formulaire
field-framework = Version du formulaire
field-invitation = Invitation
field-language = Langue
field-measure = Mesure
field-message = Message
field-min-percent = Au moins (%)
field-max-percent = Au plus (%)
field-order = Ordre
field-organization = Organisation
field-overdue = En retard
field-page = Page
field-party = Partie
field-parties = Parties
field-preview-token = Aperçu
field-region = Région
field-request-body = Corps de la requête
field-reviewer = Examinateur
field-sections = Sections
field-sort-by = Trier par
field-status = Statut
field-subject = Objet
field-token-name = Nom du jeton
field-upload = Fichier envoyé
field-user = Utilisateur
field-version = Version
field-year = Année

problem-required = ce champ est obligatoire.
problem-length = écrivez entre 1 et { $max } caractères.
problem-unknown = « { $value } » ne fait pas partie des valeurs de ce champ.
problem-not-a-country-code = « { $value } » n'est pas un code de pays.
problem-not-an-email = « { $value } » n'est pas une adresse électronique.
problem-not-a-number = « { $value } » n'est pas un nombre.
problem-not-a-year = « { $value } » n'est pas une année comprise entre { $min } et { $max }.
problem-not-a-date = « { $value } » n'est pas une date écrite AAAA-MM-JJ.
problem-not-a-percent = « { $value } » n'est pas un nombre entier de 0 à 100.
problem-less-than-least = { $value } est inférieur au minimum, { $least }.
problem-not-yes-no = « { $value } » n'est ni « yes » ni « no ».
problem-not-in-cycle = { $party } n'est pas attendue pour le cycle { $year }.
problem-no-such-user = l'utilisateur { $value } n'existe pas.
problem-not-secretariat = { $who } n'est pas membre du Secrétariat : seul le Secrétariat examine les rapports.
problem-secretariat-member = { $who } appartient au Secrétariat, qui ne peut pas tenir un rôle d'une Partie.
problem-other-party = { $who } travaille déjà sur le rapport de { $party }.
problem-higher-role = { $who } est déjà { $role ->
    [focal_point] point de contact
   *[other] contributeur
} de ce rapport ; une invitation n'abaisse jamais un rôle.
problem-preview-missing = le jeton de l'aperçu manque : affichez de nouveau l'aperçu du message.
problem-changes-unsaid = dites ce que la Partie doit modifier.
problem-choose-version = choisissez une version à comparer.
problem-not-multipart = l'envoi doit être un formulaire multipart/form-data avec les parties { $parts }.
problem-unreadable = impossible de le lire : { $detail }
problem-not-the-previewed-file = ce n'est pas le fichier dont l'aperçu a été affiché : envoyez-le de nouveau pour voir son aperçu.
