stats-first-timers-with-unknown = { $known } ({ $unknown } unknown)
