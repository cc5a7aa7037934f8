## Layout and navigation
skip-to-content = Skip to main content
nav-label = Main menu
nav-home = Home
nav-admin = Secretariat
nav-account = My page
nav-logout = Log out
nav-login = Log in
nav-signup = Sign up
nav-privacy = Privacy

## Forms
form-error-summary = Please check what you entered
form-required = required
form-choose = Choose…
form-save = Save
form-cancel = Cancel
form-yes = Yes
form-no = No

## Sectors and roles
sector-citizen = Citizen
sector-company = Company
sector-university = University
sector-npo = NPO
sector-government = Government
sector-councilor = Council member
role-admin = Secretariat
role-coordinator = Coordinator
role-member = Member

## Account fields
account-email = E-mail address
account-password = Password
account-password-hint = At least 10 characters.
account-display-name = Display name
account-display-name-hint = Family name first, as in Japan (e.g. Sato Misaki).
account-sector = Sector
account-sector-hint = Used to count participants by sector.
account-affiliation = Affiliation
account-affiliation-hint = Organisation or company (optional).
account-affiliation-registered = A registered organisation:
account-affiliation-find = Find your organisation in the list and join it
account-error-email-invalid = Enter an e-mail address like taro@example.jp.
account-error-email-required = Enter your e-mail address.
account-error-password-short = The password must have at least 10 characters.
account-error-password-long = The password is too long (256 characters at most).
account-error-password-mismatch = The two passwords do not match.
account-error-password-wrong = The password is not correct.
account-error-name-required = Enter a display name.
account-error-name-long = The display name can have 100 characters at most.
account-error-sector-required = Choose a sector.
account-error-affiliation-long = The affiliation can have 200 characters at most.
account-error-consent-required = You need to agree to how personal data is handled.
account-error-last-admin = This is the only secretariat account, so it cannot be deleted. Make someone else secretariat first.

## Home
home-title = Home
home-lead = Bring local issues, meet in sessions and work on them in labs: a co-creation platform for citizens, NPOs, companies, universities and government.
home-welcome-back = Welcome, { $name }.
home-bring-text = Is something in your neighbourhood on your mind? You can bring it without giving your name.
home-sessions-heading = Next sessions
home-sessions-all = All sessions
home-consultations-heading = Open for comment
home-consultations-text = Anyone may comment on a lab's roadmap (its plan of work).
home-issues-heading = Issues brought lately
home-issues-none = No issues have been brought yet.
home-issues-all = All local issues
home-join-heading = Taking part
home-join-text = You can register for a session without an account. With an account you can also support issues and comment on them.

## Privacy
privacy-title = Privacy
privacy-intro = { $center } handles the personal data you entrust to it as follows, under Japan's Act on the Protection of Personal Information.
privacy-what-heading = What we keep
privacy-what = Your account's e-mail address, password (stored so that it cannot be recovered), display name, furigana, sector and affiliation; the local issues, comments and board posts you post under your name, what you follow and the news you chose, your roles in labs, your links to organisations, what you put in the people directory, your pro bono needs and offers, introductions a coordinator made for you, and your registrations and attendances at sessions. If you registered for a session without an account: your name, furigana, e-mail address, sector and affiliation, and your registrations and attendances. What you post without your name is kept with no link to you. For events you can join anonymously, neither name nor e-mail is asked or kept.
privacy-purpose-heading = Why
privacy-purpose = To let you log in and to contact you (confirmations, reminders and the news you chose), and to count participants by sector for the report to the city (counts never identify a person). What you put in the directory or pro bono is shown only to those you chose. Every form that asks for personal data says what it is for.
privacy-access-heading = Who looked
privacy-access = Downloads of rosters and personal data, reading the parts of a directory profile the public cannot see or a company hearing, answers to a guest's requests, and failed logins are recorded with who, when and from where, and read by the secretariat. The application cannot change this record.
privacy-rights-heading = Access, correction and deletion
privacy-rights = With an account, you can download everything we keep about you at any time on your page (JSON and CSV), correct it, and delete your account. Deleting takes you off every page, export and search; only the counts of participants (by sector and by body) stay, with no name.
privacy-rights-guest = If you registered without an account, tell the secretariat your e-mail address: it answers requests to see, correct or delete what it keeps about you, and records its answer.
privacy-retention-heading = How long we keep it
privacy-retention = Account data is kept until the account is deleted. The name, furigana and e-mail of people who registered without an account are erased { $guest } days after their last session. An e-mail address left with a comment to hear of the result is erased { $contact } days after the result is published. The access log is kept { $log } days. The counts of participants (by sector and by body) are kept, with no name.
privacy-version = Version of { $date }
privacy-consent-heading = Consent
privacy-consent-given = You have agreed to the version of { $date }.
privacy-consent-first = Please read the notice and agree to it.
privacy-consent-again = We have changed how we handle personal data. Please read the notice and agree to it again.
privacy-consent-submit = I agree
privacy-consent-history = Your consents
privacy-consent-guest = We ask you to agree to this notice when you sign up or register for a session.
privacy-form-sign-up = Sign-up
privacy-form-registration = Registration for a session
privacy-form-renewal = Agreed again after a change
privacy-changed = We have changed how we handle personal data. Please read the notice and agree to it.
privacy-changed-link = Read the privacy notice
privacy-agreed = Your consent is recorded.

## Sign-up and verification
signup-title = Sign up
signup-intro = With an account you can register for sessions and join labs.
signup-consent = I agree to how personal data is handled
signup-submit = Sign up
signup-have-account = Already have an account?
signup-done-title = Check your mail
signup-done-message = We have sent a mail to the address you entered. Open its link to finish signing up. If it does not arrive, look in your spam folder.
verify-done = Your e-mail address is confirmed. Please log in.
verify-invalid-title = This link is not valid
verify-invalid-message = This confirmation link was already used or has expired (after 48 hours). Log in and we will send a new one.

## Login
login-title = Log in
login-submit = Log in
login-forgot = Forgot your password?
login-no-account = New here?
login-error-failed = The e-mail address or password is not correct.
login-error-unverified = Your e-mail address is not confirmed yet. We have sent the confirmation mail again; please open its link.
login-done = You are logged in.

## Password reset
forgot-title = Reset your password
forgot-intro = Enter the e-mail address you signed up with and we will send you a link to set a new password.
forgot-submit = Send the reset mail
forgot-done-title = Check your mail
forgot-done-message = If that address has an account, we have sent it a reset link. The link works for one hour.
reset-title = New password
reset-new-password = New password
reset-confirm-password = New password (again)
reset-submit = Change password
reset-invalid-title = This link is not valid
reset-invalid-message = This reset link was already used or has expired (after one hour). Please ask for a new one.
reset-done = Your password is changed. Log in with the new password.

## Profile
profile-title = Profile and settings
profile-role = Role
profile-since = Member since
profile-edit-heading = Profile
profile-saved = Your profile is saved.
profile-password-heading = Change password
profile-current-password = Current password
profile-password-submit = Change password
password-changed = Your password is changed. Other devices are logged out.
profile-data-heading = Your data
profile-data-text = You can download the information we keep about you, or delete your account.
profile-export = Download my data (JSON)
profile-export-csv = Download my data (CSV, for spreadsheets)
account-export-section = Section
account-export-item = Item
account-export-field = Field
account-export-value = Value
profile-delete = Delete my account
delete-title = Delete account
delete-intro = Deleting your account removes your profile and login for good. Enter your password to continue.
delete-submit = Delete
account-deleted = Your account is deleted. Thank you for taking part.

## Secretariat
admin-accounts-title = Accounts
admin-accounts-count = { $count } accounts
admin-verified = E-mail confirmed
admin-role-of = Role of { $name }
admin-role-saved = The role is changed.
admin-error-role-self = You cannot change your own role.

## Errors
error-status = Status
error-back-home = Back to the home page
error-not-found-title = Page not found
error-not-found-message = The page you are looking for has moved or been removed, or the address is wrong.
error-forbidden-title = Not allowed
error-forbidden-message = You do not have permission to see this page.
error-login-required-title = Please log in
error-login-required-message = Log in to see this page.
error-csrf-title = The form has expired
error-csrf-message = For your safety the form was not accepted. Go back, reload the page and send it again.
error-too-many-title = Too many attempts
error-too-many-message = There were too many attempts in a short time. Please wait a while and try again.
error-unavailable-title = Temporarily unavailable
error-unavailable-message = Please try again in a moment.
error-internal-title = Something went wrong
error-internal-message = Sorry, something went wrong on our side. Please try again later.
error-too-large-title = Too large
error-too-large-message = The file or text you sent is too large. Make it smaller and try again.
error-bad-request-title = The request could not be read
error-bad-request-message = Go back and try again.

## Mail
mail-verify-subject = Confirm your e-mail address
mail-verify-body =
    Dear { $name },

    Thank you for signing up to { $center }.
    Open this link to confirm your e-mail address (valid for 48 hours):

    { $link }

    If you did not sign up, please ignore this mail.
mail-exists-subject = About your sign-up
mail-exists-body =
    Someone asked to sign up to { $center } with this e-mail address, but it already has an account.

    Log in: { $login }
    Forgot your password: { $reset }

    If this was not you, please ignore this mail.
mail-reset-subject = Reset your password
mail-reset-body =
    Dear { $name },

    We received a request to reset your password for { $center }.
    Set a new password with this link (valid for one hour):

    { $link }

    If you did not ask for this, please ignore this mail; your password stays the same.
verify-title = Confirm your e-mail address
verify-message = Press the button below to confirm this e-mail address.
verify-button = Confirm my e-mail address
date-hint = For example 2024-04-18 or 2024/4/18
mypage-title = My page
mypage-upcoming-heading = Sessions you registered for
mypage-upcoming-none = You have not registered for any session.
mypage-registered = Registered ({ $mode })
mypage-waiting = On the waiting list ({ $mode })
mypage-attended-heading = Sessions you attended
mypage-attended-none = No attendance recorded yet.
mypage-issues-heading = Local issues
mypage-brought = Issues you brought
mypage-brought-none = You have not brought an issue yet.
mypage-supported = Issues you support
mypage-following = Issues you follow
mypage-comments-heading = Your comments
mypage-comments-none = You have not written a signed comment yet.
mypage-paragraph = paragraph { $number }
list-separator = , 
format-help-title = How to format
format-help-heading-example = Heading
format-help-heading = A line starting with "# " is a heading.
format-help-list-example = Item
format-help-list = A line starting with "- " is a list item.
format-help-bold-example = Important
format-help-bold = Text between "**" is bold.
format-help-link-example = Link text
format-help-link = A link.
person-furigana = Furigana (reading of the name)
person-furigana-hint = In katakana or hiragana, for example センダイ ハナコ
person-error-furigana = Enter the furigana in katakana or hiragana.
person-error-furigana-required = Enter the furigana (the reading of your name).

## A guest's request (access, correction, deletion)
person-title = A guest's data (requests to see, correct or delete)
person-intro = For a person who registered for a session without an account and asks to see, correct or delete what the center keeps about them. Find them by e-mail. Looking them up, and each answer, is recorded in the access log. People with an account do this themselves on their page.
person-email = E-mail address
person-email-hint = The address of the person asking (check who they are first)
person-search = Find
person-not-found = No guest has this e-mail address.
person-has-account = This address belongs to an account: its owner downloads, corrects and deletes their data on their account page.
person-guest-title = A guest's data
person-guest-intro = What the center keeps about this person. Opening this page is recorded in the access log.
person-held = What we keep
person-name = Name
person-since = First registered
person-registrations = Registrations
person-attendances = Attendances
person-none = None.
person-status-registered = Registered
person-status-waiting = Waiting list
person-status-cancelled = Cancelled
person-comments = Comments that left this address to hear of the result: { $count }
person-disclose = Access
person-disclose-text = Hand the downloaded file to the person. The download is recorded in the access log.
person-export-json = Download the data (JSON)
person-export-csv = Download the data (CSV, for spreadsheets)
person-correct = Correction
person-correct-submit = Correct
person-corrected = Corrected, and recorded in the access log.
person-error-email-taken = This address is another person's.
person-delete = Deletion
person-delete-text = Removes the name, furigana and e-mail, and cancels registrations for sessions to come (the waiting list moves up). Past attendances keep only the sector and the body the person came from, with no name, for the counts; no page or export shows them. The annual report's numbers do not change. This cannot be undone.
person-delete-confirm = Delete at the person's request
person-delete-submit = Delete
person-deleted = Deleted, and recorded in the access log.
person-error-confirm = Tick the box to confirm the deletion.

## What each form's personal data is for
purpose-label = What it is for:
purpose-signup = To let you log in and to contact you (the confirmation mail, the news you choose), and to count participants by sector and by body for the report to the city.
purpose-registration = To confirm your registration, remind you and check you in on the day, and to count participants by sector and by body for the report to the city.
purpose-profile = Your display name is shown on what you write under your name. Your sector and affiliation are used to count participants.
purpose-checkin = To check you in on the day, and to count participants by sector and by body for the report to the city.
purpose-walkin = To check the person in and count participants. Tell them so, and show them the privacy notice.
purpose-introduction = Only to contact the two people introduced. Neither learns the other's name or address until both accept.
purpose-received = The address is used only to tell the person when the result is published, and erased some time after.
purpose-comment = Under your name, your display name is shown with your comment and you are told when the result is published.
purpose-correct = A correction at the person's request. It is recorded in the access log.
purpose-lab-member = The address is used only to find the member's account and add it. Members' display names and roles are shown on the lab's public page.
purpose-lab-join = Your request and your word are used only for the lab's lead to decide. As a member, your display name and role are shown on the lab's public page.
purpose-project-member = The address is used only to find the member's account and add it. Members' display names are shown on this page to logged-in members.
purpose-organisation = The organisation's details are published in the list and in search, to find partners. You, who register it, are recorded as its administrator.
purpose-organisation-join = Your membership is used for the organisation's administrators to confirm it, and is shown on the organisation's page to those you choose.
purpose-hearing = Hearing records are used for the coordinators' work together and the annual report to the city. Only the center's staff can read them, and each reading is logged.
purpose-visit = Visit records are used for the center's activity report and to share with the city. Write the names of people only where the record needs them.
purpose-training = Training records are used for the center's activity report. Write the names of people only where the record needs them.
purpose-meeting = The number of attendees is shown on the lab's public page; the minutes only to the lab's members. Ask people before naming them in the minutes.
purpose-directory = Your profile is shown in the directory and in search to those you choose, to find partners. You can withdraw it at any time.
purpose-probono = Your post is shown to those you choose, and coordinators use it to introduce people to each other.
purpose-issue = Under your name, your display name is shown with the issue. You can also bring it without your name.
purpose-board = Your display name is shown with the post. Choose below who can read it.
purpose-forgot = The address is used only to send you a link to set a new password.
