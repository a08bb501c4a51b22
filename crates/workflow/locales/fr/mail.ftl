# Les textes des courriels du flux de travail (qpr-workflow). Les notifications et les rappels
# partent en anglais puis en français ; les invitations et les liens de mot de passe dans la
# langue de la page d'où ils ont été demandés.

## Dates

date = { $day ->
        [1] 1er
       *[other] { $day }
    } { $month ->
        [1] janvier
        [2] février
        [3] mars
        [4] avril
        [5] mai
        [6] juin
        [7] juillet
        [8] août
        [9] septembre
        [10] octobre
        [11] novembre
       *[12] décembre
    } { $year }

## Comptes, invitations et liens de mot de passe

mail-account-subject = Votre compte sur la plateforme des rapports périodiques
mail-account-body =
    Bonjour,

    Un compte a été créé pour vous. Ouvrez ce lien pour choisir votre mot de passe : { $link }

    Le lien fonctionne une fois, pendant 14 jours.
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
mail-cso-subject = { $party } : contribuez au rapport périodique sur la Convention de 2005
mail-cso-body =
    Bonjour,

    Le gouvernement de { $party } invite { $organization } à décrire les mesures prises en faveur de la diversité des expressions culturelles, pour son rapport périodique quadriennal sur la Convention de 2005.

    Ouvrez ce lien pour remplir le formulaire (aucun compte nécessaire ; vous pouvez enregistrer et revenir) : { $link }

## Notifications du processus et rappels d'échéance

mail-submitted-subject = Le rapport de { $party } ({ $year }) a été soumis
mail-submitted-body =
    Bonjour,

    { $by } a soumis le rapport périodique quadriennal de { $party } ({ $year }) le { $date }. Il est prêt pour l'examen :

    { $link }
mail-receipt-subject = Accusé de réception : le rapport de { $party } ({ $year }) a été soumis
mail-receipt-body =
    Bonjour,

    Nous confirmons que { $by } a soumis le rapport périodique quadriennal de { $party } ({ $year }) le { $date }. Le rapport reste verrouillé pendant son examen par le Secrétariat, qui vous écrira.

    { $link }
mail-changes-subject = Le rapport de { $party } ({ $year }) : modifications demandées
mail-changes-body =
    Bonjour,

    Le Secrétariat demande des modifications au rapport périodique quadriennal de { $party } ({ $year }) avant de l'accepter. Son message :

    { $message }

    Le rapport peut de nouveau être modifié. Les commentaires du Secrétariat, par section :

    { $comments }

    La page du rapport :

    { $link }
mail-accepted-subject = Le rapport de { $party } ({ $year }) a été accepté
mail-accepted-body =
    Bonjour,

    Le Secrétariat a accepté le rapport périodique quadriennal de { $party } ({ $year }). Il sera publié sur la plateforme ; vous en serez informé.

    { $link }
mail-published-subject = Le rapport de { $party } ({ $year }) est publié
mail-published-body =
    Bonjour,

    Le rapport périodique quadriennal de { $party } ({ $year }) est maintenant publié :

    { $public_link }

    Son historique reste dans l'espace de travail : { $link }
mail-reminder-subject = { $days ->
        [0] Échéance aujourd'hui
        [one] { $days } jour restant
       *[other] { $days } jours restants
    } : le rapport de { $party } ({ $year })
mail-reminder-body =
    Bonjour,

    Le rapport périodique quadriennal de { $party } ({ $year }) est attendu le { $deadline } : { $days ->
        [0] c'est aujourd'hui.
        [one] dans { $days } jour.
       *[other] dans { $days } jours.
    }

    Il est complet à { $percent } % et n'a pas encore été soumis. Continuez-le ici :

    { $link }
