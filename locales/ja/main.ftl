## Layout and navigation
skip-to-content = 本文へ移動
nav-label = メインメニュー
nav-home = ホーム
nav-admin = 事務局
nav-account = マイページ
nav-logout = ログアウト
nav-login = ログイン
nav-signup = 新規登録
nav-privacy = 個人情報の取り扱い

## Forms
form-error-summary = 入力内容を確認してください
form-required = 必須
form-choose = 選択してください
form-save = 保存する
form-cancel = やめる
form-yes = はい
form-no = いいえ

## Sectors and roles
sector-citizen = 市民
sector-company = 企業
sector-university = 大学
sector-npo = NPO
sector-government = 行政
sector-councilor = 議員
role-admin = 事務局
role-coordinator = コーディネーター
role-member = メンバー

## Account fields
account-email = メールアドレス
account-password = パスワード
account-password-hint = 10文字以上にしてください。
account-display-name = 表示名
account-display-name-hint = 姓・名の順でお書きください（例：佐藤 美咲）。
account-sector = 属性
account-sector-hint = 参加者の集計に使います。
account-affiliation = 所属
account-affiliation-hint = 団体名・会社名など（任意）。
account-affiliation-registered = 登録されている団体：
account-affiliation-find = 団体の一覧から、所属する団体のメンバーになれます
account-error-email-invalid = メールアドレスの形式が正しくありません（例：taro@example.jp）。
account-error-email-required = メールアドレスを入力してください。
account-error-password-short = パスワードは10文字以上にしてください。
account-error-password-long = パスワードが長すぎます（256文字まで）。
account-error-password-mismatch = 確認用のパスワードが一致しません。
account-error-password-wrong = パスワードが正しくありません。
account-error-name-required = 表示名を入力してください。
account-error-name-long = 表示名は100文字までにしてください。
account-error-sector-required = 属性を選んでください。
account-error-affiliation-long = 所属は200文字までにしてください。
account-error-consent-required = 個人情報の取り扱いへの同意が必要です。
account-error-last-admin = 事務局のアカウントが1つしかないため削除できません。先に別の方を事務局にしてください。

## Home
home-title = ホーム
home-lead = 地域の課題を持ち寄り、セッションで出会い、ラボで取り組む。市民・NPO・企業・大学・行政のための協働の場です。
home-welcome-back = { $name }さん、ようこそ。
home-bring-text = 身近で気になっていることはありませんか。名前を出さずに寄せることもできます。
home-sessions-heading = 次のセッション
home-sessions-all = セッションの一覧へ
home-consultations-heading = ご意見募集中
home-consultations-text = ラボのロードマップ（取り組みの計画）に、どなたでも意見を寄せられます。
home-issues-heading = 最近寄せられた課題
home-issues-none = まだ課題は寄せられていません。
home-issues-all = 地域の課題の一覧へ
home-join-heading = 参加するには
home-join-text = セッションへの申し込みは、アカウントがなくてもできます。アカウントを作ると、課題に共感したりコメントしたりできます。

## Privacy
privacy-title = 個人情報の取り扱い
privacy-intro = { $center }は、個人情報保護法にしたがって、お預かりする個人情報を次のとおり取り扱います。
privacy-what-heading = お預かりする情報
privacy-what = アカウントのメールアドレス、パスワード（復元できない形で保存）、表示名、フリガナ、属性、所属。名前を出して投稿した地域課題・意見・掲示板の投稿、フォローとお知らせの設定、ラボでの役割、団体とのつながり、名簿（人材データベース）に載せた内容、プロボノの募集と申し出、コーディネーターによる紹介、セッションへの申し込みと参加の記録。アカウントなしでセッションに申し込んだ方は、氏名、フリガナ、メールアドレス、属性、所属と申し込み・参加の記録。名前を出さずに投稿したものは、誰のものか分からない形で保存します。顔出しなし・匿名で参加できるセッションでは、氏名もメールアドレスもお預かりしません。
privacy-purpose-heading = 利用の目的
privacy-purpose = ログインと連絡（申し込みの確認、リマインダー、選んだお知らせ）のため、そして参加者数を属性ごとに集計して市への報告に使うためです（集計は個人が特定できない形で行います）。名簿やプロボノに載せた内容は、選んだ範囲の人に見せるためだけに使います。個人情報を入力していただく画面には、それぞれ何に使うかを書いています。
privacy-access-heading = 閲覧の記録
privacy-access = 参加者名簿やデータのダウンロード、一般に公開していない名簿（人材データベース）の内容や企業ヒアリング記録の閲覧、申込者からの請求への対応、ログインの失敗などは、誰がいつどこから行ったかを記録し、事務局が確認します。この記録はアプリケーションから書き換えることができません。
privacy-rights-heading = 開示・訂正・削除
privacy-rights = アカウントをお持ちの方は、マイページから、お預かりしている情報をいつでもダウンロード（JSON・CSV）でき、内容を直し、アカウントを削除できます。削除すると、すべてのページ、エクスポート、検索から消え、参加者数の集計（属性と所属団体ごとの数）だけが名前のない形で残ります。
privacy-rights-guest = アカウントなしで申し込んだ方は、事務局にメールアドレスをお知らせください。お預かりしている情報の開示・訂正・削除にお応えし、その対応を記録します。
privacy-retention-heading = 保存期間
privacy-retention = アカウントの情報は、アカウントを削除するまで保存します。アカウントなしで申し込んだ方の氏名、フリガナ、メールアドレスは、最後のセッションから{ $guest }日たったら消去します。意見に残した連絡先のメールアドレスは、結果を公表してから{ $contact }日たったら消去します。閲覧の記録は{ $log }日保存します。参加者数の集計（属性と所属団体ごとの数）は、名前のない形で保存します。
privacy-version = { $date }版
privacy-consent-heading = 同意
privacy-consent-given = { $date }版に同意いただいています。
privacy-consent-first = 内容を確認して、同意してください。
privacy-consent-again = 個人情報の取り扱いを改訂しました。内容を確認して、あらためて同意してください。
privacy-consent-submit = 同意する
privacy-consent-history = これまでの同意
privacy-consent-guest = 新規登録やセッションへの申し込みのときに、この内容への同意をお願いしています。
privacy-form-sign-up = 新規登録
privacy-form-registration = セッションへの申し込み
privacy-form-renewal = 改訂後の同意
privacy-changed = 個人情報の取り扱いを改訂しました。内容を確認して同意してください。
privacy-changed-link = 個人情報の取り扱いを確認する
privacy-agreed = 同意を記録しました。

## Sign-up and verification
signup-title = 新規登録
signup-intro = 登録すると、セッションへの申し込みやラボへの参加ができます。
signup-consent = 個人情報の取り扱いに同意します
signup-submit = 登録する
signup-have-account = すでに登録済みの方は
signup-done-title = 確認メールを送りました
signup-done-message = ご入力のメールアドレスにメールを送りました。メールのリンクを開いて登録を完了してください。届かない場合は迷惑メールフォルダもご確認ください。
verify-done = メールアドレスを確認しました。ログインしてください。
verify-invalid-title = リンクが無効です
verify-invalid-message = この確認リンクは使用済みか、期限（48時間）が切れています。ログインすると確認メールを再送します。

## Login
login-title = ログイン
login-submit = ログインする
login-forgot = パスワードを忘れた方
login-no-account = はじめての方は
login-error-failed = メールアドレスまたはパスワードが正しくありません。
login-error-unverified = メールアドレスの確認がまだです。確認メールを再送しましたので、リンクを開いてください。
login-done = ログインしました。

## Password reset
forgot-title = パスワードの再設定
forgot-intro = 登録したメールアドレスを入力してください。再設定のためのリンクをお送りします。
forgot-submit = 再設定のメールを送る
forgot-done-title = メールを確認してください
forgot-done-message = 登録されているメールアドレスであれば、再設定のリンクを送りました。リンクの有効期限は1時間です。
reset-title = 新しいパスワード
reset-new-password = 新しいパスワード
reset-confirm-password = 新しいパスワード（確認）
reset-submit = パスワードを変更する
reset-invalid-title = リンクが無効です
reset-invalid-message = この再設定リンクは使用済みか、期限（1時間）が切れています。もう一度お申し込みください。
reset-done = パスワードを変更しました。新しいパスワードでログインしてください。

## Profile
profile-title = プロフィールと設定
profile-role = 役割
profile-since = 登録日
profile-edit-heading = プロフィール
profile-saved = プロフィールを保存しました。
profile-password-heading = パスワードの変更
profile-current-password = 現在のパスワード
profile-password-submit = パスワードを変更する
password-changed = パスワードを変更しました。ほかの端末ではログアウトされます。
profile-data-heading = あなたのデータ
profile-data-text = お預かりしている情報をダウンロードしたり、アカウントを削除したりできます。
profile-export = データをダウンロードする（JSON）
profile-export-csv = データをダウンロードする（CSV、Excel向け）
account-export-section = 区分
account-export-item = 番号
account-export-field = 項目
account-export-value = 値
profile-delete = アカウントを削除する
delete-title = アカウントの削除
delete-intro = アカウントを削除すると、プロフィールとログイン情報が消え、元に戻せません。続けるにはパスワードを入力してください。
delete-submit = 削除する
account-deleted = アカウントを削除しました。ご利用ありがとうございました。

## Secretariat
admin-accounts-title = アカウント一覧
admin-accounts-count = { $count }件
admin-verified = メール確認
admin-role-of = { $name }さんの役割
admin-role-saved = 役割を変更しました。
admin-error-role-self = ご自分の役割は変更できません。

## Errors
error-status = ステータス
error-back-home = ホームへ戻る
error-not-found-title = ページが見つかりません
error-not-found-message = お探しのページは移動または削除されたか、アドレスが間違っている可能性があります。
error-forbidden-title = 権限がありません
error-forbidden-message = このページを見るための権限がありません。
error-login-required-title = ログインが必要です
error-login-required-message = このページを見るにはログインしてください。
error-csrf-title = フォームの有効期限が切れました
error-csrf-message = 安全のため送信を受け付けませんでした。前のページに戻り、ページを再読み込みしてからもう一度送信してください。
error-too-many-title = 試行回数が多すぎます
error-too-many-message = 短い時間に何度も試されました。しばらく待ってからもう一度お試しください。
error-unavailable-title = ただいま利用できません
error-unavailable-message = しばらくしてからもう一度お試しください。
error-internal-title = エラーが発生しました
error-internal-message = 申し訳ありません。問題が発生しました。時間をおいてもう一度お試しください。
error-too-large-title = 送信内容が大きすぎます
error-too-large-message = ファイルや入力が大きすぎます。小さくしてからもう一度お試しください。
error-bad-request-title = 送信内容を読み取れませんでした
error-bad-request-message = 前のページに戻り、もう一度お試しください。

## Mail
mail-verify-subject = メールアドレスの確認
mail-verify-body =
    { $name } 様

    { $center } への登録ありがとうございます。
    次のリンクを開いて、メールアドレスの確認を完了してください（48時間有効）。

    { $link }

    お心当たりのない場合は、このメールを破棄してください。
mail-exists-subject = 登録のお申し込みについて
mail-exists-body =
    { $center } への登録のお申し込みがありましたが、このメールアドレスはすでに登録されています。

    ログイン: { $login }
    パスワードをお忘れの場合: { $reset }

    お心当たりのない場合は、このメールを破棄してください。
mail-reset-subject = パスワードの再設定
mail-reset-body =
    { $name } 様

    { $center } のパスワード再設定のお申し込みを受け付けました。
    次のリンクから新しいパスワードを設定してください（1時間有効）。

    { $link }

    お心当たりのない場合は、このメールを破棄してください。パスワードは変わりません。
verify-title = メールアドレスの確認
verify-message = 下のボタンを押すと、このメールアドレスの確認が終わります。
verify-button = メールアドレスを確認する
date-hint = 例：2024-04-18、2024/4/18、令和6年4月18日
mypage-title = マイページ
mypage-upcoming-heading = 申し込んでいるセッション
mypage-upcoming-none = 申し込んでいるセッションはありません。
mypage-registered = 申し込み済み（{ $mode }）
mypage-waiting = キャンセル待ち（{ $mode }）
mypage-attended-heading = 参加したセッション
mypage-attended-none = 参加の記録はまだありません。
mypage-issues-heading = 地域の課題
mypage-brought = 寄せた課題
mypage-brought-none = 寄せた課題はまだありません。
mypage-supported = 共感した課題
mypage-following = フォローしている課題
mypage-comments-heading = 書いたコメント
mypage-comments-none = 名前を出して書いたコメントはまだありません。
mypage-paragraph = 第{ $number }段落
list-separator = 、
format-help-title = 書き方
format-help-heading-example = 見出し
format-help-heading = 行の頭に「# 」を付けると見出しになります。
format-help-list-example = 項目
format-help-list = 行の頭に「- 」を付けると箇条書きになります。
format-help-bold-example = 強調
format-help-bold = 「**」で囲むと太字になります。
format-help-link-example = リンクの文字
format-help-link = リンクになります。
person-furigana = フリガナ
person-furigana-hint = 例：センダイ ハナコ（ひらがなでも入力できます）
person-error-furigana = フリガナはカタカナかひらがなで入力してください。
person-error-furigana-required = フリガナを入力してください。

## A guest's request (開示・訂正・削除)
person-title = 申込者の情報（開示・訂正・削除の請求）
person-intro = アカウントなしでセッションに申し込んだ方から、お預かりしている情報の開示・訂正・削除を求められたときに使います。メールアドレスで探します。探したこと、開示・訂正・削除したことは、アクセス記録に残ります。アカウントをお持ちの方は、ご本人がマイページで行えます。
person-email = メールアドレス
person-email-hint = 請求した方のメールアドレス（本人確認をしてから入力してください）
person-search = 探す
person-not-found = このメールアドレスの申込者は見つかりませんでした。
person-has-account = このメールアドレスはアカウントのものです。ご本人がマイページ（アカウント）から、ダウンロード・訂正・削除できます。
person-guest-title = 申込者の情報
person-guest-intro = この方についてお預かりしている情報です。この画面を開いたことは、アクセス記録に残っています。
person-held = お預かりしている情報
person-name = 氏名
person-since = 最初の申し込み
person-registrations = 申し込み
person-attendances = 参加
person-none = ありません。
person-status-registered = 申し込み済み
person-status-waiting = キャンセル待ち
person-status-cancelled = キャンセル
person-comments = 結果の連絡先としてこのメールアドレスを残した意見：{ $count }件
person-disclose = 開示
person-disclose-text = ダウンロードしたファイルを、ご本人にお渡しください。ダウンロードはアクセス記録に残ります。
person-export-json = 情報をダウンロードする（JSON）
person-export-csv = 情報をダウンロードする（CSV、Excel向け）
person-correct = 訂正
person-correct-submit = 訂正する
person-corrected = 訂正しました。アクセス記録に残しました。
person-error-email-taken = このメールアドレスは、ほかの方の情報に使われています。
person-delete = 削除
person-delete-text = 氏名、フリガナ、メールアドレスを消し、これからのセッションの申し込みを取り消します（キャンセル待ちの方が繰り上がります）。過去の参加は、名前のない形で属性と所属団体だけが集計のために残り、どの画面にもエクスポートにも表示されません。年次報告の数は変わりません。元に戻せません。
person-delete-confirm = ご本人の請求により削除します
person-delete-submit = 削除する
person-deleted = 削除しました。アクセス記録に残しました。
person-error-confirm = 削除するときは、確認のチェックを入れてください。

## What each form's personal data is for
purpose-label = 利用目的：
purpose-signup = ログインとご連絡（確認メール、選んだお知らせ）のため、また参加者数を属性と所属団体ごとに集計して市に報告するために使います。
purpose-registration = お申し込みの確認、リマインダーなどのご連絡と当日の受付のため、また参加者数を属性と所属団体ごとに集計して市に報告するために使います。
purpose-profile = 表示名は、あなたが名前を出して書いたものに表示されます。属性と所属は、参加者数の集計に使います。
purpose-checkin = 当日の受付と、参加者数を属性と所属団体ごとに集計して市に報告するために使います。
purpose-walkin = 当日の受付と参加者数の集計のために使います。ご本人に、このことと個人情報の取り扱いをお伝えください。
purpose-introduction = 紹介する二人にご連絡するためだけに使います。二人とも受け入れるまで、相手に名前や連絡先は伝わりません。
purpose-received = 連絡先は、結果を公表したときにご本人にお知らせするためだけに使い、公表から一定の期間がたつと消去します。
purpose-comment = 名前を出すと、意見に表示名が表示され、結果を公表したときにお知らせが届きます。
purpose-correct = ご本人の請求による訂正です。訂正はアクセス記録に残ります。
purpose-lab-member = メールアドレスは、会員のアカウントを探してメンバーに加えるためだけに使います。メンバーの表示名と役割は、ラボのページで公開されます。
purpose-lab-join = 申し込みとひとことは、ラボの代表者が参加を受け入れるかどうかを決めるためだけに使います。メンバーになると、表示名と役割がラボのページで公開されます。
purpose-project-member = メールアドレスは、会員のアカウントを探してメンバーに加えるためだけに使います。メンバーの表示名は、ログインした会員にこのページで表示されます。
purpose-organisation = 団体の情報は、団体一覧と検索で公開し、協働の相手探しに使います。登録したあなたは、この団体の管理者として記録されます。
purpose-organisation-join = 所属の申し出は、団体の管理者が確認するためと、選んだ公開範囲で団体のページに表示するために使います。
purpose-hearing = ヒアリングの記録は、コーディネーターの連携と市への年次報告のために使います。読めるのはセンターの担当者だけで、閲覧はアクセス記録に残ります。
purpose-visit = 視察の記録は、センターの活動報告と市への共有のために使います。個人名は、記録に必要な方だけを書いてください。
purpose-training = 研修の記録は、センターの活動報告のために使います。個人名は、記録に必要な方だけを書いてください。
purpose-meeting = 出席者数はラボのページで公開し、議事録はラボのメンバーだけが読めます。議事録に個人名を書くときは、ご本人の了解を得てください。
purpose-directory = プロフィールは、選んだ公開範囲で人材名簿と検索に表示し、協働の相手探しに使います。いつでも取り下げられます。
purpose-probono = 投稿は、選んだ公開範囲で表示し、コーディネーターが人と人を紹介するために使います。
purpose-issue = 名前を出すと、提案に表示名が表示されます。名前を出さずに寄せることもできます。
purpose-board = 投稿には表示名が表示されます。読める人は、下で選べます。
purpose-forgot = メールアドレスは、パスワードを設定し直すためのリンクを送るためだけに使います。
