# Les refus du flux de travail (`qpr_workflow::WorkflowError`), un message par code stable
# (`refusal-{code}`, `_` écrit `-`), avec les valeurs du refus en arguments.

refusal-invalid-input = { $field } : { $problem }
refusal-focal-point-stays = Un point focal ne peut pas être retiré ici ; c'est le Secrétariat qui nomme le point focal.
refusal-not-confirmed = Confirmez d'abord la décision : cochez « Je confirme » et appuyez de nouveau sur le bouton. Rien n'a été modifié.
refusal-review-started = Le Secrétariat a commencé l'examen : la soumission ne peut plus être retirée.
refusal-not-submittable = Le rapport est { $state } : il ne peut pas être soumis maintenant.
refusal-cso-invitations-closed = Le rapport n'est plus en préparation : les OSC ne peuvent plus être invitées.
refusal-mail-not-sent = Le courriel à { $to } n'a pas pu être envoyé : { $reason }
refusal-mail-not-sent-link = Le courriel à { $to } n'a pas pu être envoyé ({ $reason }) ; copiez plutôt le lien : { $link }
refusal-not-editable = Le rapport est { $state } : il ne peut plus être modifié.
refusal-no-base-revision = base_revision : la page n'a pas dit quelle version elle montre ; rechargez-la.
refusal-document-of-another-report = document : il doit rester le rapport de { $party } pour { $year }
refusal-prefill-not-empty = Ce brouillon a déjà ses propres réponses ou mesures : rien n'a été copié, pour ne rien écraser.
refusal-no-previous-report = Il n'y a pas de rapport antérieur de cette Partie à copier.
refusal-nothing-to-prefill = Le rapport de { $year } n'a ni réponses ni mesures à copier.
refusal-comment-length = Commentaire : écrivez entre 1 et 10 000 caractères.
refusal-not-commentable = Champ : `{ $path }` n'est pas un champ de ce rapport.
refusal-cso-form-submitted = Ce formulaire d'OSC a déjà été soumis ; il ne peut plus être modifié.
refusal-cso-form-closed = Le rapport n'est plus en préparation : le formulaire des OSC est fermé.
refusal-cso-not-submitted = l'OSC n'a pas encore soumis son formulaire
refusal-translation-length = Traduction : écrivez entre 1 et 20 000 caractères (ce texte en a { $chars }). Rien n’a été enregistré.
refusal-not-translatable = Le rapport est { $state } : son résumé analytique est traduit une fois le rapport soumis.
refusal-no-executive-summary = Le rapport n’a pas de résumé analytique à traduire.
