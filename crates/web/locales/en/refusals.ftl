# The workflow's refusals (`qpr_workflow::WorkflowError`), one message per stable code
# (`refusal-{code}`, `_` written `-`), with the refusal's values as arguments.

refusal-invalid-input = { $field }: { $problem }
refusal-focal-point-stays = A focal point cannot be removed here; the Secretariat names the focal point.
refusal-not-confirmed = Confirm the decision first: tick “I confirm” and press the button again. Nothing was changed.
refusal-review-started = The Secretariat has started the review: the submission can no longer be recalled.
refusal-not-submittable = The report is { $state }: it cannot be submitted now.
refusal-cso-invitations-closed = The report is no longer being drafted: CSOs can no longer be invited.
refusal-mail-not-sent = The e-mail to { $to } could not be sent: { $reason }
refusal-mail-not-sent-link = The e-mail to { $to } could not be sent ({ $reason }); copy the link instead: { $link }
refusal-not-editable = The report is { $state }: it can no longer be changed.
refusal-no-base-revision = base_revision: the page did not say which revision it shows; reload it.
refusal-document-of-another-report = document: it must stay the report of { $party } for { $year }
refusal-prefill-not-empty = This draft already has answers or measures of its own: nothing was copied, so that nothing is overwritten.
refusal-no-previous-report = There is no earlier report of this Party to copy from.
refusal-nothing-to-prefill = The { $year } report has no answers or measures to copy.
refusal-comment-length = Comment: write between 1 and 10,000 characters.
refusal-not-commentable = Field: `{ $path }` is not a field of this report.
refusal-cso-form-submitted = This CSO form was submitted already; it can no longer be changed.
refusal-cso-form-closed = The report is no longer being drafted: the CSO form is closed.
refusal-cso-not-submitted = the CSO has not submitted its form yet
refusal-translation-length = Translation: write between 1 and 20,000 characters (this text has { $chars }). Nothing was saved.
refusal-not-translatable = The report is { $state }: its executive summary is translated once it is submitted.
refusal-no-executive-summary = The report has no executive summary to translate.
