stats-first-timers-with-unknown = { $known }（不明 { $unknown }）
checkin-bodies = 参加した団体
checkin-bodies-count = { $bodies }団体{ $people }名
checkin-bodies-people = { $count }名
checkin-bodies-hint = 参加者が名乗った所属を数えています。全角・半角や空白の違いは同じ団体とし、登録された団体にはリンクしています。所属のない参加者は数えていません。
