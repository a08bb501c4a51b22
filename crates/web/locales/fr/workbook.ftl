# Le formulaire en classeur (qpr-workbook) : les mots du classeur, la page d’aperçu, les problèmes.
workbook-title = Classeur
workbook-intro = Téléchargez le projet sous forme de tableur à remplir hors ligne (Excel ou LibreOffice), partagez-le avec les organismes consultés, puis déposez-le ici : vous verrez ce qu’il change avant tout enregistrement. Les réponses enregistrées entre-temps par d’autres sont conservées.
workbook-download = Télécharger le classeur (XLSX)
workbook-file = Classeur rempli (XLSX ou ODS)
workbook-file-hint = 8 Mo au plus. Gardez les feuilles, lignes et colonnes telles quelles ; ajoutez les politiques et mesures en nouvelles lignes.
workbook-preview = Voir ce qu’il change
workbook-back = Retour
workbook-too-large = Le classeur dépasse { $limit }.
workbook-problems = { $count ->
    [one] Le classeur ne peut pas être pris : un problème.
   *[other] Le classeur ne peut pas être pris : { $count } problèmes.
}
workbook-nothing-saved = Rien n’a été enregistré. Corrigez les cellules indiquées et déposez à nouveau le classeur.
workbook-sheet = Feuille
workbook-cell = Cellule
workbook-problem = Problème
workbook-field = Champ
workbook-before = Avant
workbook-after = Après
workbook-changes = { $count ->
    [one] Une modification
   *[other] { $count } modifications
}
workbook-apply = { $count ->
    [one] Enregistrer cette modification
   *[other] Enregistrer ces { $count } modifications
}
workbook-no-change = Ce classeur ne change rien.
workbook-conflict = Non enregistré : quelqu’un a modifié les mêmes réponses depuis la création du classeur. Les deux valeurs sont ci-dessous ; modifiez-les sur le site ou dans le classeur, puis déposez-le à nouveau.
workbook-saved = Le classeur a été enregistré.
workbook-merged = Le classeur a été enregistré, avec les réponses enregistrées par d’autres depuis sa création.
workbook-question = Question
workbook-answer = Réponse
workbook-key = Champ (ne pas modifier)
workbook-record = Entrée (ne pas modifier ; un mot de votre choix pour une nouvelle ligne)
workbook-list = Liste
workbook-not-in-list-title = Hors de la liste
workbook-not-in-list = Choisissez une valeur de la liste.
workbook-problem-not-a-workbook = Ce n’est pas un classeur XLSX ou ODS.
workbook-problem-file-too-large = Le fichier dépasse la limite ({ $value } octets).
workbook-problem-unpacked-too-large = Le fichier décompressé dépasse la limite ({ $value } octets).
workbook-problem-too-many-cells = Trop de cellules, ou une cellule au-delà des lignes et colonnes d’un classeur du formulaire.
workbook-problem-missing-meta = La feuille masquée « qpr » manque ou a été modifiée ({ $value }) : téléchargez un nouveau classeur.
workbook-problem-older-format = Ce classeur a été fait avec une mise en page antérieure des classeurs de qpr ({ $value }) : téléchargez un nouveau classeur depuis le rapport et recopiez-y vos réponses.
workbook-problem-other-report = Ce classeur n’est pas celui de ce rapport ({ $value }).
workbook-problem-other-form = Ce classeur a été fait pour une autre version du formulaire ({ $value }).
workbook-problem-unknown-revision = La version du rapport dont ce classeur est issu n’est pas une version de ce rapport ({ $value }).
workbook-problem-missing-sheet = La feuille manque.
workbook-problem-changed-structure = Des lignes, colonnes ou en-têtes ont été modifiés ici (« { $value } ») : gardez la structure du classeur.
workbook-problem-not-an-option = « { $value } » n’est pas une valeur de la liste.
workbook-problem-not-a-number = « { $value } » n’est pas un nombre.
workbook-problem-not-a-year = « { $value } » n’est pas une année (1900 à 2100).
workbook-problem-not-a-date = « { $value } » n’est pas une date (AAAA-MM-JJ).
workbook-problem-formula = Une formule ({ $value }) : saisissez la valeur à la place.
workbook-problem-error-value = Une valeur d’erreur ({ $value }).
workbook-problem-unknown-record = « { $value } » ne désigne aucune ligne de la feuille des entrées.
workbook-problem-duplicate-record = « { $value } » figure sur deux lignes.
workbook-problem-moved-record = La liste d’une entrée ne peut pas être changée dans le classeur (« { $value } ») ; déplacez-la sur le site.
workbook-problem-not-allowed = Vous ne pouvez pas modifier cette section : { $value }.
workbook-problem-refused = Cette valeur ne peut pas être prise : { $value }.
