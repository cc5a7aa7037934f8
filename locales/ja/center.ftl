## The secretariat's page for where the center is (open data).
center-title = センターの所在地と連絡先
center-intro = オープンデータのイベント一覧（自治体標準オープンデータセット）に、すべてのイベントとともに載る項目です。
center-code = 全国地方公共団体コード
center-code-hint = 6桁（最後の1桁は検査数字）。例：仙台市は 041009
center-prefecture = 都道府県名
center-municipality = 市区町村名
center-municipality-hint = 例：仙台市
center-phone = 連絡先電話番号
center-phone-hint = 例：022-212-3010
center-saved = 所在地と連絡先を保存しました
center-opendata-link = オープンデータのイベント一覧（CSV）を見る
center-error-code = 全国地方公共団体コードは6桁の数字で、最後の1桁は検査数字です。コードを確かめてください
center-error-municipality = 市区町村名は40文字以内で入力してください
center-error-phone = 電話番号は数字とハイフン（-）、かっこで20文字以内で入力してください
