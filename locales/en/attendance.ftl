stats-first-timers-with-unknown = { $known } ({ $unknown } unknown)
checkin-bodies = Organisations present
checkin-bodies-count = { $people } people from { $bodies } organisations
checkin-bodies-people = { $count } people
checkin-bodies-hint = Counted from the affiliations attendees gave, the same however they are written in width or spacing; registered organisations are linked. Attendees who gave none are not counted.
