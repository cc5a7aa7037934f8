## Sessions program: events
nav-events = Sessions
event-kind-info-exchange = Information exchange
event-kind-study = Study session
event-kind-report = Report meeting
event-kind-training = Training
event-kind-secretariat-meeting = Secretariat meeting
event-mode-venue = At the venue
event-mode-online = Online
event-status-draft = Draft
event-status-published = Published
event-status-cancelled = Cancelled
event-hybrid = venue and online
event-anonymous = Anonymous, cameras off
event-anonymous-hint = Neither name nor e-mail is asked. Participants count as citizens, first time unknown.
event-fee = Fee
event-fee-hint = In yen. Leave it empty when the session is free.
event-fee-free = Free
event-fee-yen = ¥{ $amount }
event-deadline = Registration deadline
event-deadline-hint = People can register until the end of this day (midnight). Leave it empty to take registrations until the session ends. For example 2024-04-17
event-deadline-until = Until { $date }
event-deadline-short = Register by { $date }
event-error-fee = Enter the fee in yen, like 500 (leave it empty when it is free).
event-error-deadline = Enter the deadline like 2024-04-17, on or before the day of the session (its last day if it runs over several).
events-title = Sessions
events-intro = The monthly information exchange and our study and report meetings. Join at the venue or online.
events-upcoming = Coming up
events-past = Past sessions
events-none-upcoming = No sessions are planned yet.
events-none-past = No past sessions.
events-subscribe = Subscribe in your calendar (iCalendar)
events-opendata-csv = Open data (CSV)
events-opendata-json = Open data (JSON)
event-cancelled-notice = This session is cancelled.
event-draft-notice = Draft: not visible to the public until it is published.
event-when = When
event-venue = Venue
event-online = Online
event-online-after-registration = The link to join is sent by mail to registered people.
event-cohosts = Co-hosts
event-cohosts-hint = One organisation per line.
event-seats = Places
event-seats-unlimited = No limit
event-seats-full = Full ({ $waiting } waiting). Registering puts you on the waiting list.
event-seats-full-short = Full, { $waiting } on the waiting list
event-seats-in-mode = { $mode }: { $seats }
event-seats-left = { $count } places left
event-add-to-calendar = Add to calendar (.ics)
event-manage = Manage (secretariat)
event-new-title = New session
event-edit-title = Edit session
event-kind = Kind
event-title = Theme
event-description = Description
event-description-hint = Headings, lists and links work (see "How to format" below).
event-date = Date
event-start-time = Starts at
event-end-time = Ends at
event-venue-hint = Fill in when held at a venue (e.g. Sendai Civic Activity Support Center, room 5).
event-venue-capacity = Places at the venue
event-capacity-hint = Leave empty for no limit.
event-online-url = Online meeting address
event-online-url-hint = Zoom or similar. Sent only to registered people.
event-online-capacity = Places online
event-status = Status
event-public-page = Public page
event-publish = Publish
event-cancel = Cancel the session
event-withdraw = Back to draft
event-created = The session is created. Check it, then publish it.
event-saved = The session is saved.
event-published = The session is published.
event-cancelled = The session is cancelled.
event-withdrawn = The session is back to draft.
event-error-kind = Choose a kind.
event-error-title-required = Enter a theme.
event-error-title-long = The theme can have 200 characters at most.
event-error-description-long = The description can have 20000 characters at most.
event-error-date = Enter the date like 2024-04-18.
event-error-date-required = Enter the date.
event-error-time = Enter the time like 19:00.
event-error-end-before-start = The end must be after the start.
event-error-end-date = Enter the last day like 2024-04-19, on or after the first day (31 days at most).
event-field-end-date = Last day (for a session over several days)
event-field-end-date-hint = Leave empty for a session of one day.
event-error-place-required = Enter a venue or an online meeting address.
event-error-online-url = Enter an address starting with https://.
event-error-capacity = Enter a whole number of 0 or more (empty for no limit).
event-error-cohosts = At most 20 co-hosts of 200 characters each.
admin-events-title = Manage sessions

## Statistics
stats-heading = Attendance
stats-participants = Participants (attendances)
stats-first-timers = of whom first time
stats-by-sector = Participants by sector
seats-registered = { $count } registered
seats-waiting = { $count } waiting

## Registration
registration-heading = Register
registration-mode = How you take part
registration-anonymous-note = No name or e-mail needed.
registration-as-member = You register as { $name }.
registration-name = Name
registration-email-hint = We send the confirmation and a link to cancel.
registration-submit = Register
registration-mine-heading = Your registration
registration-mine-registered = You are registered ({ $mode }).
registration-mine-waiting = You are number { $place } on the waiting list ({ $mode }). We will e-mail you if a place frees up.
registration-cancel-mine = Cancel my registration
registration-cancelled-mine = Your registration is cancelled.
registration-error-nothing-to-cancel = You have no registration to cancel.
registration-closed = Registration for this session is closed.
registration-error-not-open = This session does not take registrations (cancelled or not published).
registration-error-ended = This session has already ended.
registration-error-deadline = The registration deadline has passed.
registration-error-mode = Choose how you take part.
registration-error-twice = You are already registered. Please see your confirmation mail.
registration-error-name = Enter your name.
registration-done-title = You are registered
registration-done-message = Thank you for registering. See you there.
registration-waiting-title = You are on the waiting list
registration-waiting-message = The session is full, so you are on the waiting list. We will mail you as soon as a place is free.
registration-mailed = We have sent a confirmation mail. You can cancel with its link.
registration-join-link = To join online, open this link when the session starts. Keep it.
registration-keep-link = To cancel, open this link. It is shown only here, so keep it.
registration-status-waiting = waiting
cancel-title = Cancel registration
cancel-confirm = Cancel your registration for this session?
cancel-submit = Cancel registration
cancel-done = Your registration is cancelled. We hope to see you another time.
cancel-invalid = This link is not valid or was already used.

## Check-in
checkin-title = Check-in
checkin-list = Registrations
checkin-none = No registrations yet.
checkin-attended = Checked in
checkin-mark = Check in
checkin-done = Checked in.
checkin-already = This person is already checked in.
walkin-heading = Walk-ins
walkin-email-hint = If known; used to tell whether it is their first time.
walkin-first-time = First time?
walkin-first-time-unknown = Not known / decide from our records
walkin-first-time-hint = Left unknown with nothing in our records to go by (no e-mail), this session's first-timers show as — in the annual report. Ask the person if you can.
walkin-submit = Check in walk-in
walkin-done = Walk-in checked in.
self-checkin-heading = Self check-in
self-checkin-code = Check-in code: { $code }
self-checkin-title = Self check-in
self-checkin-code-label = Check-in code
self-checkin-code-hint = The six-character code shown at the venue.
self-checkin-email-hint = The e-mail you registered with. Not needed when logged in.
self-checkin-submit = Check in
self-checkin-done = You are checked in. Welcome!
checkin-error-not-registered = No registration with this e-mail. Please ask the secretariat at the venue.
self-checkin-not-yet = Check-in opens at the start time ({ $time }). Please try again once the session has begun.
self-checkin-closed = Check-in for this session has closed. Please ask the secretariat at the venue.
self-checkin-full = The venue is full, so check-in here is closed. Please ask the secretariat at the venue.
self-checkin-already = You are already checked in. Thank you!
checkin-error-unknown-code = No session has this check-in code. Please check the code shown at the venue.
walkin-error-name-long = Please keep the name to 100 characters.

## Rosters
roster-import-title = Import a roster
roster-import-intro = Import an attendance roster kept in a spreadsheet (CSV or XLSX). Columns: 日付, テーマ, 氏名, メール, 所属, 属性, 初参加, 参加方法 (種別 optional). If any row is wrong nothing is imported, and every wrong row and column is listed. Importing the same file twice adds nothing.
roster-file = Roster file
roster-file-hint = CSV (UTF-8) or XLSX; the first row holds the headers.
roster-default-kind = Kind when the file has no 種別 column
roster-import-submit = Import
roster-import-done = Imported.
roster-summary-rows = Rows: { $count }
roster-summary-events = New sessions: { $count }
roster-summary-people = New participants: { $count }
roster-summary-attendances = New attendances: { $count }
roster-summary-unchanged = Rows imported before: { $count }
roster-rejected = Nothing was imported because of { $count } problems.
roster-job-title = Roster import (progress)
roster-job-started = Received
roster-job-finished = Finished
roster-job-waiting = Waiting to start.
roster-job-reading = Reading the file.
roster-job-written = { $done } of { $total } rows written.
roster-job-running-hint = The import goes on on the server; closing this page does not stop it. Nothing is imported until every row is written.
roster-job-refresh = See how far it is
roster-job-interrupted = The import stopped half way (the server stopped or failed). Nothing was imported. Please import the file again.
roster-job-another = Import another file
roster-summary-on-platform = Sessions recorded on this site, left as they are: { $count } ({ $rows } rows)
roster-imported = Read { $rows } rows: { $events } new sessions, { $people } new participants, { $attendances } new attendances, { $unchanged } imported before, { $on_platform } sessions recorded on this site left as they are ({ $on_platform_rows } rows).
roster-export-heading = Download the roster
roster-export-csv = CSV (for Excel)
roster-export-xlsx = XLSX
roster-error-at = line { $line }, column { $column }: { $message }
roster-error-empty = The file is empty.
roster-error-missing-column = This column is missing; add it to the header row (line 1).
roster-error-date = { $value } is not a date (e.g. 2023-04-20, 2023/4/20 or 令和5年4月20日).
roster-error-title = The theme is empty.
roster-error-kind = { $value } is not a kind (情報交換会, 勉強会, 報告会, 研修, 事務局ミーティング).
roster-error-email = { $value } is not an e-mail address.
roster-error-sector = { $value } is not a sector (市民, 企業, 大学, NPO, 行政, 議員).
roster-error-first-time = { $value } is not a first-time mark (○, empty, or —).
roster-error-mode = { $value } is not a way of taking part (会場 or オンライン).
roster-error-control = It holds a control character ({ $value }). Remove it and import again.
roster-error-encoding = The file is neither UTF-8 nor Shift_JIS. In Excel, save as "CSV UTF-8" or "CSV (Comma delimited)".
roster-error-csv = Not readable as CSV ({ $value }).
roster-error-xlsx = Not readable as XLSX ({ $value }).
roster-error-no-file = Choose a file.
roster-error-default-kind = { $value } is not a kind. Accepted kinds: { $kinds }.

## Mail
mail-registered-subject = Registered: { $title }
mail-registered-body =
    Dear { $name },

    Thank you for registering for a session of { $center }.

    Theme: { $title }
    When: { $when }
    How: { $mode }
    Venue or link to join: { $place }

    Details: { $page }
    To cancel: { $cancel }
mail-waiting-subject = Waiting list: { $title }
mail-waiting-body =
    Dear { $name },

    The session of { $center } is full, so you are on the waiting list.
    We will mail you as soon as a place is free.

    Theme: { $title }
    When: { $when }
    How: { $mode }
    Venue or joining link (it works once you have a place): { $place }

    Details: { $page }
    To leave the waiting list: { $cancel }
mail-already-subject = Already registered: { $title }
mail-already-body =
    Someone registered again with this e-mail address for "{ $title }" at { $center }.
    You are already registered, so nothing more is needed: see the first confirmation mail.

    Details: { $page }
mail-reminder-subject = Tomorrow: { $title }
mail-reminder-body =
    Dear { $name },

    The session of { $center } is coming up. We look forward to seeing you.

    Theme: { $title }
    When: { $when }
    Venue: { $venue }

    If you take part online, use the link to join in your confirmation mail.
    Details: { $page }
mail-promoted-subject = A place is free: { $title }
mail-promoted-body =
    Dear { $name },

    A place has become free at the session of { $center } you were waiting for: you are now registered.

    Theme: { $title }
    When: { $when }

    Details: { $page }
mail-promoted-body-online =
    Dear { $name },

    A place has become free at the session of { $center } you were waiting for: you are now registered.

    Theme: { $title }
    When: { $when }

    Join with the link in the mail that put you on the waiting list.

    Details: { $page }
event-social-issue = Local issue it takes up
event-social-issue-none = None
event-error-issue = That issue was not found; choose a published one.
join-waiting-title = Your place is not confirmed yet
join-waiting-message = You are on the waiting list. We will mail you when a place is free; then this link takes you to the meeting.
join-title = Join online
join-message = Press the button below: your attendance is recorded and you go on to the online meeting.
join-button = Join
event-seats-of-mode = Places ({ $mode })
checkin-search = Find by name, furigana or e-mail
checkin-search-hint = Part of it is enough (for example sato).
checkin-search-submit = Find
checkin-search-found = { $count } found.
checkin-search-clear = Show everyone
checkin-waiting-heading = On the waiting list
checkin-waiting-hint = Check them in once a place is free. They move up from the top.
checkin-mark-waiting = Check in from the waiting list
checkin-error-waiting = This person is on the waiting list. Check them in from the waiting list.
