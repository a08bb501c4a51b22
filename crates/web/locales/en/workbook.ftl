# The form as a workbook (qpr-workbook): the workbook's own words, the preview page, problems.
workbook-title = Workbook
workbook-intro = Download the draft as a spreadsheet to fill offline (Excel or LibreOffice), share it with the agencies you consult, then upload it here: you will see what it changes before anything is saved. Answers others saved in the meantime are kept.
workbook-download = Download the workbook (XLSX)
workbook-file = Filled workbook (XLSX or ODS)
workbook-file-hint = At most 8 MB. Keep the sheets, rows and columns as they are; add policies and measures as new rows.
workbook-preview = See what it changes
workbook-back = Back
workbook-too-large = The workbook is larger than { $limit }.
workbook-problems = { $count ->
    [one] The workbook cannot be taken: one problem.
   *[other] The workbook cannot be taken: { $count } problems.
}
workbook-nothing-saved = Nothing was saved. Correct the cells listed and upload the workbook again.
workbook-sheet = Sheet
workbook-cell = Cell
workbook-problem = Problem
workbook-field = Field
workbook-before = Before
workbook-after = After
workbook-changes = { $count ->
    [one] One change
   *[other] { $count } changes
}
workbook-apply = { $count ->
    [one] Save this change
   *[other] Save these { $count } changes
}
workbook-no-change = This workbook changes nothing.
workbook-conflict = Not saved: someone changed the same answers since the workbook was made. Both values are below; change them on the site or in the workbook, then upload it again.
workbook-saved = The workbook was saved.
workbook-merged = The workbook was saved, together with the answers others saved since it was made.
workbook-question = Question
workbook-answer = Answer
workbook-key = Field (do not change)
workbook-record = Record (do not change; a word of your own for a new row)
workbook-list = List
workbook-not-in-list-title = Not in the list
workbook-not-in-list = Choose a value from the list.
workbook-problem-not-a-workbook = This is not an XLSX or ODS workbook.
workbook-problem-file-too-large = The file is larger than the limit ({ $value } bytes).
workbook-problem-unpacked-too-large = The file unpacks to more than the limit ({ $value } bytes).
workbook-problem-too-many-cells = Too many cells, or a cell beyond the rows and columns a workbook of the form uses.
workbook-problem-missing-meta = The hidden sheet “qpr” is missing or was changed ({ $value }): download a new workbook.
workbook-problem-older-format = This workbook was made with an earlier layout of qpr's workbooks ({ $value }): download a new workbook from the report and copy your answers into it.
workbook-problem-other-report = This workbook is not this report's ({ $value }).
workbook-problem-other-form = This workbook was made for another version of the form ({ $value }).
workbook-problem-unknown-revision = The version of the report this workbook was made from is not one of this report's ({ $value }).
workbook-problem-missing-sheet = The sheet is missing.
workbook-problem-changed-structure = Rows, columns or headings were changed here (“{ $value }”): keep the workbook's structure.
workbook-problem-not-an-option = “{ $value }” is not one of the values of the list.
workbook-problem-not-a-number = “{ $value }” is not a number.
workbook-problem-not-a-year = “{ $value }” is not a year (1900 to 2100).
workbook-problem-not-a-date = “{ $value }” is not a date (YYYY-MM-DD).
workbook-problem-formula = A formula ({ $value }): type the value instead.
workbook-problem-error-value = An error value ({ $value }).
workbook-problem-unknown-record = “{ $value }” names no row of the records' sheet.
workbook-problem-duplicate-record = “{ $value }” is on two rows.
workbook-problem-moved-record = A record's list cannot be changed in the workbook (“{ $value }”); move it on the site.
workbook-problem-not-allowed = You may not change this section: { $value }.
workbook-problem-refused = This value cannot be taken: { $value }.
