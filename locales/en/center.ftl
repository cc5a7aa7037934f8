## The secretariat's page for where the center is (open data).
center-title = The center's municipality and contact
center-intro = These go with every event in the open-data event list (the government's standard layout).
center-code = Local government code
center-code-hint = Six digits, the last a check digit. Sendai, for example, is 041009
center-prefecture = Prefecture
center-municipality = Municipality
center-municipality-hint = For example: 仙台市
center-phone = Contact phone
center-phone-hint = For example: 022-212-3010
center-saved = The municipality and contact were saved
center-opendata-link = See the open-data event list (CSV)
center-error-code = A local government code is six digits, the last a check digit. Please check the code
center-error-municipality = Enter the municipality in 40 characters or fewer
center-error-phone = Enter the phone number in digits, hyphens and brackets, 20 characters or fewer
