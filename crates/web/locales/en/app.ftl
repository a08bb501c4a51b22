# The workspace: signing in, cycles, the status board, a report's team, e-mails.

app-nav-workspace = My workspace
app-nav-cycles = Reporting cycles
app-nav-mail = Sent e-mails
app-nav-account = Account
app-logout = Sign out
app-login = Sign in

error-request-title = This cannot be done
error-unauthorized = Please sign in first.
error-forbidden = Your role does not allow this.
error-csrf = This form has expired or did not come from this site. Go back, reload the page and send it again: what you typed is still in the form.
error-too-many-attempts = Too many attempts. Wait a few minutes and try again.

login-title = Sign in
login-email = E-mail address
login-password = Password
login-submit = Sign in
login-forgot = Forgot your password?
login-failed = The e-mail address or the password is not right.
login-throttled = Too many failed attempts for this account. Wait 15 minutes, or ask for a new password.
login-password-set = Your password is set. You can sign in now.
login-signed-out = You are signed out.

password-title = Password
password-forgot-intro = Give the e-mail address of your account: we send you a link to choose a new password.
password-send-link = Send the link
password-link-sent = If this address has an account, a link is on its way. It works once, for two hours.
password-set-intro = Choose your password.
password-new = New password
password-rule = At least 12 characters. A sentence you remember is a good password.
password-confirm = The same password again
password-save = Save the password
password-link-invalid = This link does not work any more: it was used already or it expired.
password-too-short = The password is too short: use at least 12 characters.
password-too-long = The password is too long: use at most 1024 characters.
password-mismatch = The two passwords are not the same.

dashboard-title = My workspace
dashboard-reports = Reports I work on
dashboard-no-reports = You are not working on any report yet. The Secretariat or your Party's focal point adds you to one.

cycles-title = Reporting cycles
cycles-none = No reporting cycle has been opened yet.
cycles-open-link = Open a reporting cycle
cycles-open-title = Open a reporting cycle
cycles-framework = Form version
cycles-deadline = Submission deadline
cycles-parties = Parties expected to report
cycles-parties-hint = Country codes (ISO 3166-1 alpha-3) separated by spaces or commas. Leave empty for every Party to the Convention.
cycles-open-submit = Open the cycle
cycle-name = Reporting cycle { $year }
cycle-deadline = Deadline: { $date }
cycle-closed = closed

board-caption = Every Party expected to report in this cycle. Overdue reports are flagged.
board-party = Party
board-year = Year
board-status = Status
board-complete = Complete
board-updated = Last change
board-overdue = Overdue
board-focal-title = Name a Party's focal point
board-focal-submit = Invite the focal point

status-not_started = Not started
status-in_progress = In progress
status-submitted = Submitted
status-changes_requested = Changes requested
status-accepted = Accepted
status-published = Published

state-draft = Draft
state-submitted = Submitted
state-changes_requested = Changes requested
state-accepted = Accepted
state-published = Published

report-workspace-title = Report of { $party }
report-sections = Sections of the form
report-section = Section
report-read-only = read only

members-title = The team
members-name = Name
members-role = Role
members-sections = Sections
members-actions = Actions
members-all-sections = All sections
members-remove = Remove { $name }
members-invite-title = Invite a contributor
members-email = E-mail address
members-sections-legend = Sections the contributor fills (none ticked: all sections)
members-invite = Send the invitation
members-invited = An invitation was sent to { $email }.
role-focal_point = Focal point
role-contributor = Contributor

account-title = My account
account-password-title = Change my password
account-current-password = Current password
account-new-password = New password
account-confirm-password = New password again
account-change-password = Change the password
password-wrong-current = The current password is not right. The password was not changed.
tokens-title = API tokens
tokens-intro = A token lets a program use the API in your name (header "Authorization: Bearer …"). Revoke the ones you no longer use.
tokens-new = Your new token. Copy it now: it is shown only once.
tokens-label = Name of the token
tokens-created = Made on
tokens-create = Make a token
tokens-revoke = Revoke { $label }

mail-title = Sent e-mails
mail-relay = E-mails go out through the configured mail relay; the relay keeps its own log.
mail-none = No e-mail has been written yet.
mail-intro = No mail relay is configured: every e-mail the platform sends is written here (and to the folder mail-outbox of the data directory), newest first. The secret part of password and CSO links is hidden here; the files in the folder hold it.
mail-to = To:
mail-link-hidden = [link hidden: only its recipient can use it]


back-to-report = Back to the report
submit-title = Sign and submit
submit-errors = { $count ->
    [0] No error
    [one] One error to correct before submitting
   *[other] { $count } errors to correct before submitting
}
submit-warnings = { $count ->
    [0] No warning
    [one] One warning to look at
   *[other] { $count } warnings to look at
}
submit-fix-first = Answer the questions and correct the errors listed above in their sections, then come back to sign.
submit-sign-title = Sign the report
submit-sign-intro = Name the official who signs for the Party, then confirm with your password. The report is then locked and sent to the Secretariat, with a signature anyone can check.
submit-official = Designated official signing the report
submit-password = Your password (to confirm it is you)
submit-button = Sign and submit the report
submit-wrong-password = The password is not right. Nothing was submitted.
submit-errors-left = The report still has errors. Nothing was submitted.
submit-merged = Someone saved the report while you were reading this page. Check the summary again and sign again.
submit-official-missing = Fill in every field of the designated official ({ $field }).
submit-missing = { $count ->
    [0] Every required question is answered
    [one] One required question to answer before submitting
   *[other] { $count } required questions to answer before submitting
}
submit-missing-intro = The form requires these answers. Each link opens the question in its section; a question asked only after a given answer (a follow-up of YES) is required only when that answer is given.
submit-required-missing = { $count ->
    [one] One required question is unanswered. Nothing was submitted.
   *[other] { $count } required questions are unanswered. Nothing was submitted.
}

review-title = Review
review-revision = Revision { $revision }
review-signed-at = Signed on { $date }.
review-signature-file = Signature file
review-decisions = Decision
review-changes-message = What should the Party change?
review-request-changes = Request changes
review-accept = Accept the report
review-publish = Publish the report
review-withdraw = Withdraw the publication
review-public-page = The published page
review-recall-intro = The Secretariat has not started its review: you can take the report back to change it, then sign it again.
review-recall = Recall the submission
review-no-decision = No decision to take now.
review-comment-button = Add the comment
review-changes-requested = changes requested
review-earlier-revision = on an earlier revision
review-resolved = resolved
review-reply = Reply
review-reply-button = Send the reply
review-resolve = Mark as resolved
review-comment-on = Comment on “{ $field }”
review-contents = Contents
review-contents-open = { $count ->
    [one] 1 open comment
   *[other] { $count } open comments
}
review-open-title = Open comments
review-open-none = No open comment.
review-open-intro = { $count ->
    [one] 1 comment waits for an answer.
   *[other] { $count } comments wait for an answer.
}
review-open-elsewhere = On fields or measures no longer in the report
review-since-title = What changed since the last submission
review-since-intro = Version { $from }, returned to the Party with a request for changes, compared with version { $to }.
review-since-none = Nothing changed since the report was returned.
review-your-comment = Your comment on “{ $field }”
review-confirm = I confirm: { $decision }
review-confirm-title = Confirm: { $decision }
review-confirm-accept = Accepting closes the review: the Party can no longer change the report, and it is ready to be published.
review-confirm-publish = Publishing puts the signed report on the public site and in the database of measures, for everyone to read.
review-confirm-withdraw = Withdrawing takes the report off the public site and out of the database of measures.
review-confirm-back = Back to the review, without deciding

# The signature block of a published report page (public).
report-submission = Submission
report-submitted-on = Submitted on { $date }.
report-imported-on = Imported on { $date } from the page the earlier reporting platform published.
report-signature = Signature
report-signed-by = Signed for the Party by { $official }.
report-signed-on = Signed on { $date }.
report-signed-document = The signed document (JSON)
report-signature-file = The signature (JSON)
report-signing-keys = The platform's public keys
report-verify-hint = Anyone can check that the document is exactly what was signed: download the three files and run “qpr verify signed.json signature.json --key qpr-signing-keys.json”.

section-percent = { $percent } %
section-save-continue = Save and continue to “{ $section }”
section-pager = Previous and next sections
section-previous = ← Previous: { $section }
section-next = Next: { $section } →
section-saved = Saved.
section-save = Save this section
section-conflict = Someone else changed these fields since you opened the page. The form now shows their text; your text is below. Copy what you want to keep into the field, then save.
section-conflict-theirs = Now saved
section-conflict-yours = What you typed
section-comments = Comments from the review
section-answer-comments = Answer the comments
section-read-only = You can read this section but not change it now.
history-link = History of the changes
report-draft-pdf = The draft as a PDF
history-title = History of the report of { $party } { $year }
history-caption = Every version of the report, newest first. Choose two to compare them.
history-revision = Version
history-time = Saved on
history-author = By
history-role = How
history-from = From
history-to = To
history-compare-from = Compare from version { $revision }
history-compare-to = Compare with version { $revision }
history-compare = Compare
history-page = Page { $page } of { $pages }
history-newer = Newer versions
history-older = Older versions
history-role-created = created
history-role-saved = saved
history-role-merged = saved, merged with changes made meanwhile
history-role-submitted = submitted
history-role-published = published
history-back = Back to the report
history-compare-title = Changes from version { $from } to version { $to }
history-compare-intro = Version { $from } ({ $from_time }, { $from_author }) compared with version { $to } ({ $to_time }, { $to_author }).
history-no-changes = No change in what you can see.
history-changes-caption = Changes in { $section }
history-field = Field
history-change = Change
history-old = Before
history-new = After
history-added = added
history-removed = removed
history-changed = changed
history-other = Other changes
history-field-area = Area of monitoring
history-field-goal = Goal
history-order = Order of the measures
history-field-cso-invitation = Taken from the form of the CSO
history-cso-invitation-value = CSO form no. { $id }
history-words-hint = In changed texts, deleted words are struck through and inserted words underlined.
history-back-history = Back to the history
annexes-title = Annexes
annexes-link = Annexes ({ $count })
annexes-intro = Documents in PDF (law, policy, agreement, regulation, strategy, studies, statistics) produced during the reporting period, each with its title and a description of its main content in English or French.
annexes-none = No annex yet.
annexes-doc-title = Title
annexes-file = File
annexes-size = Size
annexes-added = Added
annexes-added-by = { $name }, { $date }
annexes-download = Download { $title } (PDF)
annexes-remove = Remove { $title }
annexes-add-title = Add an annex
annexes-pdf-only = A PDF file of at most { $limit }.
annexes-description = Description of the main content
annexes-upload = Upload the annex
annexes-added-notice = The annex “{ $title }” was added.
annexes-removed-notice = The annex “{ $title }” was removed.
annexes-read-only = The annexes can be changed only by the focal point (or a contributor given this section) while the report is a draft or sent back for changes.
annexes-back = Back to the report
annex-too-large = The file is { $size }; the limit is { $limit }.
annex-over-limit = The file is larger than the limit of { $limit }.
annex-no-file = Choose a PDF file to upload.
annex-title-required = Title: give the document's title.
annex-description-required = Description: describe the main content of the document.
annex-text-too-long = { $field }: at most { $max } characters.
annex-empty = The file is empty.
annex-not-pdf = This file is not a PDF. Save the document as PDF (File › Save as, or Print › Save as PDF) and upload the PDF.
annex-not-pdf-but = This file is not a PDF: it is { $kind }. Save the document as PDF (File › Save as, or Print › Save as PDF) and upload the PDF.
annex-pdf-truncated = This PDF is cut off: it does not end as a PDF file does. Was the download or the copy complete? Try again with the whole file.
annex-pdf-damaged = This PDF is damaged: its table of contents (cross-reference) is missing or points to the wrong place. Open it and save it again as PDF, then upload the new file.
file-kind-png = a PNG image
file-kind-jpeg = a JPEG image
file-kind-gif = a GIF image
file-kind-office = a Word, Excel or other office document (or a ZIP archive)
file-kind-rtf = a Rich Text (RTF) document
size-bytes = { $value } bytes
size-kb = { $value } KB
size-mb = { $value } MB

prefill-title = Start from the previous report
prefill-intro = This draft is still empty. Copy the answers and the policies and measures of the { $year } report into it, then update them. Measures keep their identity, so the measure database follows them from one report to the next.
prefill-submit = Copy the { $year } report into this draft
prefill-done = { $answers } answers and { $measures } measures of the { $year } report were copied into this draft.
prefill-dropped-answers = Not copied, because the form no longer asks them: { $list }.
prefill-dropped-measures = Not copied, because the form no longer has their area of monitoring: { $list }.
prefill-not-carried = Not copied, because they belong to the { $year } report itself: { $list }.
prefill-cso-not-carried = CSO measures are not copied: they come from this cycle's consultation of civil society.

cso-title = Civil society input
cso-intro = Invite civil society organizations to fill the CSO form. Each gets its own link: no account is needed. When they submit, decide for each measure whether the report includes it.
cso-share = CSO measures included in the report: { $share }
cso-link-made = The invitation is made. Its link (send it to the organization, or keep it: it is shown only now):
cso-invite-title = Invite an organization
cso-organization = Organization
cso-email = E-mail address (optional)
cso-email-hint = With an address, the link is sent by e-mail; without, copy it from this page.
cso-invite = Make the invitation
cso-invitations = Invitations
cso-none = No organization has been invited yet.
cso-status-invited = Invited, not started
cso-status-saved = Started, not submitted
cso-status-submitted = Submitted
cso-status-closed = Link closed, not submitted
cso-revoke = Close the link of { $organization }
cso-measures-of = Measures submitted by { $organization }
cso-goal = Goal
cso-measure = Measure
cso-decision = In the report
cso-included = Included
cso-not-included = Not included
cso-undecided = To decide
cso-include = Include { $title }
cso-exclude = Do not include { $title }
cso-form-title = CSO form
cso-form-intro = The government of { $party } invites your organization to contribute to its quadrennial periodic report on the 2005 Convention. Describe the measures your organization took. Save as often as you like and come back with the same link; submit when you are done.
cso-form-saved = Saved. You can come back with the same link.
cso-form-save = Save
cso-form-submit = Submit to the government
cso-form-submit-hint = Once submitted, the form can no longer be changed.
cso-form-submitted = Thank you: your form was submitted to the government. It can no longer be changed.

# Time and to-dos (the dashboard and a report's overview)
dashboard-deadline = Deadline
deadline-days-left = Deadline: { $date } ({ $days ->
        [one] one day left
       *[other] { $days } days left
    })
deadline-today = Deadline: today, { $date }
deadline-late = Deadline: { $date } ({ $days ->
        [one] one day late
       *[other] { $days } days late
    })
continue-last-edited = Continue where you left off: { $section }
continue-first-incomplete = Continue with the first incomplete section: { $section }
todo-heading = Waiting for the Secretariat
todo-review-heading = Submitted reports to review
todo-review-none = No submitted report waits for review.
todo-submitted-on = submitted on { $date }
todo-overdue-heading = Parties past the deadline
todo-overdue-none = No Party is past the deadline.
returned-title = Changes requested by the Secretariat
returned-by = { $name } asked for these changes on { $date }:
returned-open = { $count ->
    [0] No open comment
    [one] One open comment
   *[other] { $count } open comments
}
returned-comments = Secretariat's comments
returned-none = none

# The status board at scale (issue 19): filters, sorting, CSV, reviewers.
app-nav-reviews = My reviews
board-region = Region
board-any = Any
board-filter-title = Show reports
board-only-overdue = Only overdue reports
board-min = At least (% complete)
board-max = At most (% complete)
board-reviewer = Reviewer
board-no-reviewer = No reviewer yet
board-sort = Sort by
board-sort-party = Party
board-sort-region = Region
board-sort-status = Status
board-sort-complete = Complete
board-sort-updated = Last change
board-sort-reviewer = Reviewer
board-order = Order
board-order-asc = Ascending
board-order-desc = Descending
board-show = Show
board-clear = Show every report
board-shown = { $shown } of { $total } reports shown
board-csv = Download these rows (CSV)
board-reviewer-title = Assign a reviewer
board-reviewer-submit = Assign
board-reviewer-assigned = Reviewer saved for the report of { $party }.
reviews-title = My reviews
reviews-none = No report is assigned to you for review.
reviews-caption = The reports you review; those awaiting a decision come first.
board-message-title = Write to the focal points of these reports
board-message-hint = The message goes to the focal point of each report the filters above keep, with the link to their report. You see who gets it before it is sent.
board-message-subject = Subject
board-message-body = Message
board-message-preview = Preview the message
board-message-preview-title = Message to focal points: preview
board-message-summary = This message goes to { $people } { $people ->
    [one] person
   *[other] people
} (focal points of { $reports } { $reports ->
    [one] report
   *[other] reports
}).
board-message-unreached = No focal point to write to
board-message-send = { $count ->
    [one] Send to 1 person
   *[other] Send to { $count } people
}
board-message-back = Back to the board, nothing sent
board-message-sent = { $count ->
    [one] The message was sent to 1 person.
   *[other] The message was sent to { $count } people.
}
board-message-already-sent = This message was sent already: nothing was sent again.

# The Secretariat's translations of the executive summary (review page).
translation-title = Executive summary translations
translation-intro = The Secretariat translates the executive summary into English or French. A translation is shown on the public page to readers of its language, marked as the Secretariat's translation, with the original beside it.
translation-not-yet = A translation can be attached once the report is submitted.
translation-into-en = English translation
translation-into-fr = French translation
translation-none = No translation attached.
translation-attached = Attached by { $name } on { $date }, from revision { $revision }.
translation-out-of-date = The executive summary has changed since this translation was made: readers are not shown it until it is attached again.
translation-text-en = Translation into English
translation-text-fr = Translation into French
translation-limit = Up to 20,000 characters, as plain text: blank lines separate paragraphs.
translation-attach = Attach the translation
translation-replace = Replace the translation
translation-remove-en = Remove the English translation
translation-remove-fr = Remove the French translation
translation-language = Language
