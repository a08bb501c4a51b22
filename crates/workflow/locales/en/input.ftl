# Wrong inputs (`qpr_workflow::Invalid`): the field (`field-{name}`) and what is wrong with its
# value (`problem-{name}`), joined by `Invalid`'s Display (English) and by the web's
# `refusal-invalid-input`. A value is repeated as typed.

field-action = Action
field-decision = Decision
field-deadline = Submission deadline
field-document = Document
field-email = E-mail address
field-form = Form
field-framework = Form version
field-invitation = Invitation
field-language = Language
field-measure = Measure
field-message = Message
field-min-percent = At least (%)
field-max-percent = At most (%)
field-order = Order
field-organization = Organization
field-overdue = Overdue
field-page = Page
field-party = Party
field-parties = Parties
field-preview-token = Preview
field-region = Region
field-request-body = Request body
field-reviewer = Reviewer
field-sections = Sections
field-sort-by = Sort by
field-status = Status
field-subject = Subject
field-token-name = Token name
field-upload = Upload
field-user = User
field-version = Version
field-year = Year

problem-required = this field is required.
problem-length = write between 1 and { $max } characters.
problem-unknown = `{ $value }` is not one of the values this field takes.
problem-not-a-country-code = `{ $value }` is not a country code.
problem-not-an-email = `{ $value }` is not an e-mail address.
problem-not-a-number = `{ $value }` is not a number.
problem-not-a-year = `{ $value }` is not a year between { $min } and { $max }.
problem-not-a-date = `{ $value }` is not a date written YYYY-MM-DD.
problem-not-a-percent = `{ $value }` is not a whole number from 0 to 100.
problem-less-than-least = { $value } is less than the least, { $least }.
problem-not-yes-no = `{ $value }` is neither `yes` nor `no`.
problem-not-in-cycle = { $party } is not expected to report in the { $year } cycle.
problem-no-such-user = user { $value } does not exist.
problem-not-secretariat = { $who } is not a member of the Secretariat: only the Secretariat reviews.
problem-secretariat-member = { $who } belongs to the Secretariat, which cannot hold a Party's role.
problem-other-party = { $who } already works on the report of { $party }.
problem-higher-role = { $who } is already { $role ->
    [focal_point] focal point
   *[other] contributor
} of this report; an invitation never lowers a role.
problem-preview-missing = the preview's token is missing: preview the message again.
problem-changes-unsaid = say what the Party should change.
problem-choose-version = choose a version to compare.
problem-not-multipart = the upload must be a multipart/form-data form with the parts { $parts }.
problem-unreadable = it could not be read: { $detail }
problem-not-the-previewed-file = this is not the file whose preview was shown: upload it again to see its preview.
