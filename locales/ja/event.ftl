## Sessions program: events
nav-events = セッション
event-kind-info-exchange = 情報交換会
event-kind-study = 勉強会
event-kind-report = 報告会
event-kind-training = 研修
event-kind-secretariat-meeting = 事務局ミーティング
event-mode-venue = 会場
event-mode-online = オンライン
event-status-draft = 下書き
event-status-published = 公開中
event-status-cancelled = 中止
event-hybrid = 会場とオンライン
event-anonymous = 顔出しなし・匿名
event-anonymous-hint = 氏名もメールアドレスもお聞きしません。参加は「市民」、初参加かどうかは不明として数えます。
event-fee = 参加費
event-fee-hint = 円で入力します。無料のときは空欄のままにします。
event-fee-free = 無料
event-fee-yen = { $amount }円
event-deadline = 申込締切
event-deadline-hint = この日の終わり（24時）まで申し込めます。空欄のときはセッションが終わるまで受け付けます。例：2024-04-17、令和6年4月17日
event-deadline-until = { $date }まで
event-deadline-short = 申込締切 { $date }
event-error-fee = 参加費は 500 のように円の金額で入力してください（無料のときは空欄）。
event-error-deadline = 申込締切は開催日（複数日のときは最終日）までの日を、2024-04-17 や 令和6年4月17日 の形で入力してください。
events-title = セッション
events-intro = 毎月の情報交換会をはじめ、勉強会や報告会のご案内です。会場とオンラインのどちらからでも参加できます。
events-upcoming = これからのセッション
events-past = これまでのセッション
events-none-upcoming = 予定されているセッションはまだありません。
events-none-past = これまでのセッションはありません。
events-subscribe = カレンダーに登録（iCalendar）
events-opendata-csv = オープンデータ（CSV）
events-opendata-json = オープンデータ（JSON）
event-cancelled-notice = このセッションは中止になりました。
event-draft-notice = 下書きです。公開するまで一般の方には見えません。
event-when = 日時
event-venue = 会場
event-online = オンライン
event-online-after-registration = 参加のリンクは、申し込んだ方にメールでお送りします。
event-cohosts = 共催
event-cohosts-hint = 1行に1団体ずつ書いてください。
event-seats = 席
event-seats-unlimited = 定員なし
event-seats-full = 満席です（キャンセル待ち { $waiting }人）。申し込むとキャンセル待ちになります。
event-seats-full-short = 満席・キャンセル待ち { $waiting }人
event-seats-in-mode = { $mode } { $seats }
event-seats-left = 残り { $count }席
event-add-to-calendar = カレンダーに追加（.ics）
event-manage = 事務局の管理ページ
event-new-title = セッションを作る
event-edit-title = セッションを編集する
event-kind = 種別
event-title = テーマ
event-description = 説明
event-description-hint = 見出し、箇条書き、リンクが使えます（下の「書き方」を参照）。
event-date = 開催日
event-start-time = 開始時刻
event-end-time = 終了時刻
event-venue-hint = 会場で開くときに書いてください（例：仙台市市民活動サポートセンター 研修室5）。
event-venue-capacity = 会場の定員
event-capacity-hint = 空欄なら定員なし。
event-online-url = オンライン会議のURL
event-online-url-hint = Zoom などのURL。申し込んだ方にだけ届きます。
event-online-capacity = オンラインの定員
event-status = 状態
event-public-page = 公開ページ
event-publish = 公開する
event-cancel = 中止にする
event-withdraw = 下書きに戻す
event-created = セッションを作りました。内容を確かめて公開してください。
event-saved = セッションを保存しました。
event-published = セッションを公開しました。
event-cancelled = セッションを中止にしました。
event-withdrawn = セッションを下書きに戻しました。
event-error-kind = 種別を選んでください。
event-error-title-required = テーマを入力してください。
event-error-title-long = テーマは200文字までにしてください。
event-error-description-long = 説明は20000文字までにしてください。
event-error-date = 開催日は 2024-04-18 や 令和6年4月18日 の形で入力してください。
event-error-date-required = 開催日を入力してください。
event-error-time = 時刻を 19:00 の形で入力してください。
event-error-end-before-start = 終了時刻は開始時刻より後にしてください。
event-error-end-date = 最終日は開催日と同じか後の日を、2024-04-19 や 令和6年4月19日 の形で入力してください（31日以内）。
event-field-end-date = 最終日（複数日にわたるとき）
event-field-end-date-hint = 1日で終わるときは空欄のままにします。
event-error-place-required = 会場かオンライン会議のURLのどちらかを入力してください。
event-error-online-url = URLは https:// で始まる形で入力してください。
event-error-capacity = 定員は0以上の整数で入力してください（空欄なら定員なし）。
event-error-cohosts = 共催は20団体まで、1団体200文字までにしてください。
admin-events-title = セッションの管理

## Statistics
stats-heading = 参加の集計
stats-participants = 参加者（のべ）
stats-first-timers = うち初参加
stats-by-sector = 属性別の参加者
seats-registered = 申し込み { $count }人
seats-waiting = キャンセル待ち { $count }人

## Registration
registration-heading = 参加の申し込み
registration-mode = 参加方法
registration-anonymous-note = 氏名やメールアドレスは不要です。
registration-as-member = { $name }さんとして申し込みます。
registration-name = 氏名
registration-email-hint = 申し込みの確認とキャンセルのリンクをお送りします。
registration-submit = 申し込む
registration-mine-heading = あなたの申し込み
registration-mine-registered = 申し込み済みです（{ $mode }）。
registration-mine-waiting = キャンセル待ちの{ $place }番目です（{ $mode }）。席が空いたらメールでお知らせします。
registration-cancel-mine = 申し込みを取り消す
registration-cancelled-mine = 申し込みを取り消しました。
registration-error-nothing-to-cancel = 取り消す申し込みはありません。
registration-closed = このセッションの申し込みは受け付けていません。
registration-error-not-open = このセッションは申し込みを受け付けていません（中止または未公開）。
registration-error-ended = このセッションはすでに終わっています。
registration-error-deadline = 申込締切を過ぎたため、申し込みは締め切りました。
registration-error-mode = 参加方法を選んでください。
registration-error-twice = すでに申し込まれています。確認メールをご覧ください。
registration-error-name = 氏名を入力してください。
registration-done-title = 申し込みました
registration-done-message = お申し込みありがとうございます。当日お待ちしています。
registration-waiting-title = キャンセル待ちで受け付けました
registration-waiting-message = 現在満席のため、キャンセル待ちになりました。席が空きしだいメールでお知らせします。
registration-mailed = 確認メールをお送りしました。キャンセルはメールのリンクからできます。
registration-join-link = オンラインで参加するときは、開始時刻になったら次のリンクを開いてください。控えておいてください。
registration-keep-link = キャンセルするときは、次のリンクを開いてください。このページでしか表示されませんので、控えておいてください。
registration-status-waiting = キャンセル待ち
cancel-title = 申し込みのキャンセル
cancel-confirm = 次のセッションの申し込みをキャンセルしますか。
cancel-submit = キャンセルする
cancel-done = キャンセルしました。またのご参加をお待ちしています。
cancel-invalid = このリンクは無効か、すでにキャンセル済みです。

## Check-in
checkin-title = 受付
checkin-list = 申し込み一覧
checkin-none = まだ申し込みはありません。
checkin-attended = 受付済み
checkin-mark = 受付する
checkin-done = 受付しました。
checkin-already = この方はすでに受付済みです。
walkin-heading = 当日参加の受付
walkin-email-hint = 分かれば入力してください。初参加かどうかの判定に使います。
walkin-first-time = 初参加ですか
walkin-first-time-unknown = 分からない・これまでの記録で判断
walkin-first-time-hint = 分からないままで記録に手がかり（メールアドレス）もないと、この回の初参加者数は年度の報告で「—」になります。できるだけご本人に尋ねてください。
walkin-submit = 当日参加を受付する
walkin-done = 当日参加を受付しました。
self-checkin-heading = セルフ受付
self-checkin-code = 受付コード：{ $code }
self-checkin-title = セルフ受付
self-checkin-code-label = 受付コード
self-checkin-code-hint = 会場に表示されている6文字のコードです。
self-checkin-email-hint = 申し込みに使ったメールアドレス。ログインしている方は不要です。
self-checkin-submit = 受付する
self-checkin-done = 受付しました。ようこそ！
checkin-error-not-registered = このメールアドレスでの申し込みが見つかりません。会場の事務局にお声がけください。
self-checkin-not-yet = 受付は開始時刻（{ $time }）から始まります。開始後にもう一度お試しください。
self-checkin-closed = このセッションの受付は終了しました。会場の事務局にお声がけください。
self-checkin-full = 会場の定員に達しているため、ここでは受付できません。会場の事務局にお声がけください。
self-checkin-already = すでに受付済みです。ありがとうございます。
checkin-error-unknown-code = この受付コードのセッションが見つかりません。会場に表示されているコードをお確かめください。
walkin-error-name-long = 氏名は100文字までにしてください。

## Rosters
roster-import-title = 名簿の取り込み
roster-import-intro = 表計算ソフトの出席名簿（CSV または XLSX）を取り込みます。列は 日付・テーマ・氏名・メール・所属・属性・初参加・参加方法（種別は任意）。一行でも誤りがあれば何も取り込まず、誤りのある行と列をすべてお知らせします。同じファイルを2回取り込んでも重複しません。
roster-file = 名簿ファイル
roster-file-hint = CSV（UTF-8）または XLSX。1行目は見出しです。
roster-default-kind = 種別の列がないときの種別
roster-import-submit = 取り込む
roster-import-done = 取り込みました。
roster-summary-rows = 行数：{ $count }
roster-summary-events = 新しいセッション：{ $count }
roster-summary-people = 新しい参加者：{ $count }
roster-summary-attendances = 新しい参加記録：{ $count }
roster-summary-unchanged = 取り込み済みの行：{ $count }
roster-rejected = { $count }件の誤りがあるため、何も取り込みませんでした。
roster-job-title = 参加記録の取り込み（進み具合）
roster-job-started = 受け付けた日時
roster-job-finished = 終わった日時
roster-job-waiting = 取り込みを待っています。
roster-job-reading = ファイルを読んでいます。
roster-job-written = { $total }行のうち{ $done }行を書き込みました。
roster-job-running-hint = 取り込みはサーバーで続いています。このページを閉じても止まりません。すべての行を書き込むまで、何も取り込まれません。
roster-job-refresh = 最新の状態を見る
roster-job-interrupted = 取り込みが途中で止まりました（サーバーの停止か障害）。何も取り込まれていません。もう一度取り込んでください。
roster-job-another = 別のファイルを取り込む
roster-summary-on-platform = このサイトで記録しているため変更しなかったセッション：{ $count }（{ $rows }行）
roster-imported = { $rows }行を読みました：新しいセッション { $events }、新しい参加者 { $people }、新しい参加記録 { $attendances }、取り込み済み { $unchanged }、このサイトで記録しているため変更しなかったセッション { $on_platform }（{ $on_platform_rows }行）。
roster-export-heading = 名簿のダウンロード
roster-export-csv = CSV（Excel 用）
roster-export-xlsx = XLSX
roster-error-at = { $line }行目「{ $column }」: { $message }
roster-error-empty = ファイルが空です。
roster-error-missing-column = この列が見つかりません。見出しの行（1行目）に入れてください。
roster-error-date = 「{ $value }」は日付として読めません（例：2023-04-20、2023/4/20、令和5年4月20日）。
roster-error-title = テーマが空です。
roster-error-kind = 「{ $value }」は種別として読めません（情報交換会・勉強会・報告会・研修・事務局ミーティングのいずれか）。
roster-error-email = 「{ $value }」はメールアドレスとして読めません。
roster-error-sector = 「{ $value }」は属性として読めません（市民・企業・大学・NPO・行政・議員のいずれか）。
roster-error-first-time = 「{ $value }」は初参加の欄として読めません（○、空欄、— のいずれか）。
roster-error-mode = 「{ $value }」は参加方法として読めません（会場・オンラインのいずれか）。
roster-error-control = 制御文字（{ $value }）が含まれています。取り除いてから、もう一度取り込んでください。
roster-error-encoding = 文字コードを読み取れません。Excel では「CSV UTF-8」か「CSV（コンマ区切り）」で保存してください。
roster-error-csv = CSV として読めません（{ $value }）。
roster-error-xlsx = XLSX として読めません（{ $value }）。
roster-error-no-file = ファイルを選んでください。
roster-error-default-kind = 「{ $value }」は種別として読めません。使える種別：{ $kinds }。

## Mail
mail-registered-subject = 【申し込み完了】{ $title }
mail-registered-body =
    { $name } 様

    { $center } のセッションにお申し込みいただき、ありがとうございます。

    テーマ: { $title }
    日時: { $when }
    参加方法: { $mode }
    会場・参加リンク: { $place }

    詳しくは: { $page }
    キャンセルはこちら: { $cancel }
mail-waiting-subject = 【キャンセル待ち】{ $title }
mail-waiting-body =
    { $name } 様

    { $center } のセッションは現在満席のため、キャンセル待ちで受け付けました。
    席が空きしだいメールでお知らせします。

    テーマ: { $title }
    日時: { $when }
    参加方法: { $mode }
    会場・参加リンク（席が空いてから使えます）: { $place }

    詳しくは: { $page }
    キャンセル待ちをやめるときはこちら: { $cancel }
mail-already-subject = 【お申し込み済みです】{ $title }
mail-already-body =
    { $center } のセッション「{ $title }」に、このメールアドレスでもう一度お申し込みがありました。
    すでにお申し込みいただいていますので、新たな手続きは不要です。最初にお送りした確認メールをご覧ください。

    詳しくは: { $page }
mail-reminder-subject = 【明日のご案内】{ $title }
mail-reminder-body =
    { $name } 様

    { $center } のセッションが近づきました。お待ちしています。

    テーマ: { $title }
    日時: { $when }
    会場: { $venue }

    オンラインで参加される方は、お申し込みの確認メールにある参加リンクをお使いください。
    詳しくは: { $page }
mail-promoted-subject = 【席が空きました】{ $title }
mail-promoted-body =
    { $name } 様

    キャンセル待ちをしていただいていた { $center } のセッションに席が空き、参加が確定しました。

    テーマ: { $title }
    日時: { $when }

    詳しくは: { $page }
mail-promoted-body-online =
    { $name } 様

    キャンセル待ちをしていただいていた { $center } のセッションに席が空き、参加が確定しました。

    テーマ: { $title }
    日時: { $when }

    キャンセル待ちのお知らせメールにある参加リンクからご参加ください。

    詳しくは: { $page }
event-social-issue = 取り上げる地域の課題
event-social-issue-none = なし
event-error-issue = 選んだ課題が見つかりません。公開中の課題から選んでください。
join-waiting-title = まだ席が確定していません
join-waiting-message = キャンセル待ちで受け付けています。席が空いたらメールでお知らせしますので、そのあとでこのリンクからご参加ください。
join-title = オンラインで参加する
join-message = 下のボタンを押すと参加が記録され、オンライン会議の画面に移ります。
join-button = 参加する
event-seats-of-mode = 席（{ $mode }）
checkin-search = 名前・フリガナ・メールで探す
checkin-search-hint = 一部だけでも探せます（例：さとう）。
checkin-search-submit = 探す
checkin-search-found = { $count }人が見つかりました。
checkin-search-clear = すべて表示する
checkin-waiting-heading = キャンセル待ちの方
checkin-waiting-hint = 席が空いてから受付してください。上の方から順に繰り上がります。
checkin-mark-waiting = キャンセル待ちから受付する
checkin-error-waiting = この方はキャンセル待ちです。キャンセル待ちの一覧から受付してください。
