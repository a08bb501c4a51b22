# The texts of the workflow's e-mails (qpr-workflow). Notifications and reminders are sent in
# English followed by French (the platform does not know which language each person reads);
# invitations and password links in the language of the page they were asked from.

## Dates

date = { $day } { $month ->
        [1] January
        [2] February
        [3] March
        [4] April
        [5] May
        [6] June
        [7] July
        [8] August
        [9] September
        [10] October
        [11] November
       *[12] December
    } { $year }

## Accounts, invitations and password links

mail-account-subject = Your account on the periodic reporting platform
mail-account-body =
    Hello,

    An account was created for you. Open this link to choose your password: { $link }

    The link works once, for 14 days.
mail-role-focal-point = focal point
mail-role-contributor = contributor
mail-invitation-subject = Quadrennial periodic report of { $party }: you are invited as { $role }
mail-invitation-body =
    Hello,

    { $inviter } invites you to work on the quadrennial periodic report of { $party } on the 2005 Convention, as { $role }.

    Open this link to start: { $link }

    If you were not expecting this message, you can ignore it.
mail-reset-subject = Your new password for the periodic reports
mail-reset-body =
    Hello,

    Someone (probably you) asked for a new password. Open this link to choose it: { $link }

    The link works once, for two hours. If you did not ask, ignore this message: your password stays as it is.
mail-cso-subject = { $party }: contribute to the periodic report on the 2005 Convention
mail-cso-body =
    Hello,

    The government of { $party } invites { $organization } to describe the measures it took for the diversity of cultural expressions, for its quadrennial periodic report on the 2005 Convention.

    Open this link to fill the form (no account needed; you can save and come back): { $link }

## Notifications of the workflow and deadline reminders

mail-submitted-subject = The report of { $party } ({ $year }) was submitted
mail-submitted-body =
    Hello,

    { $by } submitted the quadrennial periodic report of { $party } ({ $year }) on { $date }. It is ready for review:

    { $link }
mail-receipt-subject = Receipt: the report of { $party } ({ $year }) was submitted
mail-receipt-body =
    Hello,

    This confirms that { $by } submitted the quadrennial periodic report of { $party } ({ $year }) on { $date }. The report stays locked while the Secretariat reviews it; you will hear from the Secretariat by e-mail.

    { $link }
mail-changes-subject = The report of { $party } ({ $year }): changes requested
mail-changes-body =
    Hello,

    The Secretariat asks for changes to the quadrennial periodic report of { $party } ({ $year }) before accepting it. Its message:

    { $message }

    The report can be edited again. The Secretariat's comments, by section:

    { $comments }

    The report's page:

    { $link }
mail-accepted-subject = The report of { $party } ({ $year }) was accepted
mail-accepted-body =
    Hello,

    The Secretariat accepted the quadrennial periodic report of { $party } ({ $year }). It will be published on the platform; you will be told when it is.

    { $link }
mail-published-subject = The report of { $party } ({ $year }) is published
mail-published-body =
    Hello,

    The quadrennial periodic report of { $party } ({ $year }) is now published:

    { $public_link }

    Its history stays in the workspace: { $link }
mail-reminder-subject = { $days ->
        [0] Due today
        [one] 1 day left
       *[other] { $days } days left
    }: the report of { $party } ({ $year })
mail-reminder-body =
    Hello,

    The quadrennial periodic report of { $party } ({ $year }) is due on { $deadline }: { $days ->
        [0] that is today.
        [one] 1 day from now.
       *[other] { $days } days from now.
    }

    It is { $percent } % complete and has not been submitted yet. Continue it here:

    { $link }
