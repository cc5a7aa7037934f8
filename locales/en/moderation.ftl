moderation-title = Moderation
moderation-flagged = Reported posts
moderation-flagged-none = No reports are waiting.
moderation-reported-badge = Reported
moderation-reports = { $count ->
    [one] 1 report
   *[other] { $count } reports
}
moderation-keep = Keep it (nothing wrong)
moderation-log-subject = Post
moderation-subject-social-issue = Issue
moderation-subject-issue-comment = Comment on an issue
moderation-subject-consultation-comment = Comment on a consultation
moderation-subject-article-comment = Comment on an article
moderation-subject-board-post = Board post
moderation-subject-board-comment = Comment on a board post
