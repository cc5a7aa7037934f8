stats-first-timers-with-unknown = { $known }（不明 { $unknown }）
