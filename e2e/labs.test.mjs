// Labs in a real browser, on the demo data (which has labs of its own; this test makes
// everything it checks through the pages): the secretariat opens a lab, names its lead,
// writes two versions of the roadmap and opens a consultation on the first; a comment is
// written with the keyboard alone; every page has zero axe-core (WCAG 2.1 AA) violations,
// and the consultation page also on a 320 px wide phone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { expectAccessible, launchBrowser, logIn as logInAt, noSidewaysScroll, startServer, tabTo } from './server.mjs';

const logIn = (page, email) => logInAt(page, server.base, email);

let server;
let browser;

before(async () => {
  server = await startServer({ demo: true });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

// A day in Japan time as YYYY-MM-DD, `offset` days from today.
function japanDay(offset) {
  return new Date(Date.now() + 9 * 3600 * 1000 + offset * 24 * 3600 * 1000).toISOString().slice(0, 10);
}

const VERSION_1 = [
  '## 目標\n住まいに困っている人が、**区ごとの窓口**で相談できるようにする。',
  '空き家の持ち主と、入居を支える団体をつなぐ仕組みをつくる。',
  '- 年に2回、情報交換会で進み具合を報告する\n- 結果を市に提案する',
].join('\n\n');

const VERSION_2 = [
  '## 目標\n住まいに困っている人が、**区ごとの窓口**で相談できるようにする。',
  '空き家の持ち主と、入居を支える団体・不動産会社をつなぐ仕組みをつくる。',
  '- 年に2回、情報交換会で進み具合を報告する\n- 結果を市に提案する',
  '相談の記録は本人の同意を得て共有する。',
].join('\n\n');

test('the secretariat opens a lab, writes its roadmap and asks for comments, accessibly', async () => {
  const office = await browser.newContext({ locale: 'ja-JP' });
  const page = await office.newPage();
  await logIn(page, 'admin@example.jp');

  // 1. A new lab taking up the demo issue (whose author follows it), and its lead.
  await page.goto(`${server.base}/issues`);
  const issueHref = await page.getByRole('link', { name: '保証人がいなくて部屋を借りられない' }).getAttribute('href');
  const issue = issueHref.match(/^\/issues\/(\d+)$/)[1];
  await page.goto(`${server.base}/labs/new`);
  await expectAccessible(page, 'new lab form');
  await page.getByLabel('テーマ').fill('居住支援');
  await page.getByLabel('説明').fill('住まいの確保に困る人を**地域で**支えます。\n\n- 空き家の活用\n- 入居後の見守り\n\n詳しくは[事務局](/)まで。');
  await page.getByLabel('取り上げた地域課題').fill(issue);
  await page.getByRole('button', { name: '保存する' }).click();
  await page.waitForSelector('text=ラボを保存しました');
  const lab = new URL(page.url()).pathname.match(/^\/labs\/(\d+)$/)[1];

  await page.goto(`${server.base}/labs/${lab}/members`);
  await expectAccessible(page, 'lab members (none yet)');
  await page.getByLabel('メールアドレス').fill('member@example.jp');
  await page.getByLabel('役割').selectOption('lead');
  await page.getByRole('button', { name: 'メンバーを加える' }).click();
  await page.waitForSelector('text=メンバーを保存しました');
  assert.ok((await page.textContent('main table')).includes('仙台 一郎'));
  await expectAccessible(page, 'lab members with a lead');
  await page.goto(`${server.base}/labs/${lab}`);
  await page.waitForSelector('h1:text("居住支援")');
  assert.equal(await page.getAttribute('#lab-issue a', 'href'), issueHref);
  assert.ok((await page.textContent('.members')).includes('リーダー'));
  await expectAccessible(page, 'lab page');

  // 2. The roadmap, version 1 and version 2.
  await page.goto(`${server.base}/labs/${lab}/roadmap/new`);
  await expectAccessible(page, 'roadmap form (version 1)');
  await page.getByLabel('本文').fill(VERSION_1);
  await page.getByRole('button', { name: '保存する' }).click();
  await page.waitForSelector('text=新しい版を保存しました');
  assert.equal(await page.locator('.roadmap .paragraph').count(), 3);
  await expectAccessible(page, 'roadmap version 1');

  await page.goto(`${server.base}/labs/${lab}/roadmap/new`);
  assert.equal(await page.inputValue('#body'), VERSION_1);
  await page.getByLabel('本文').fill(VERSION_2);
  await page.getByLabel('変更の概要').fill('不動産会社を加え、記録の共有を追記');
  await page.getByRole('button', { name: '保存する' }).click();
  await page.waitForSelector('text=新しい版を保存しました');
  assert.equal(new URL(page.url()).pathname, `/labs/${lab}/roadmap/2`);
  assert.equal(await page.locator('.roadmap .paragraph').count(), 4);
  await expectAccessible(page, 'roadmap version 2');
  await page.goto(`${server.base}/labs/${lab}/roadmap/2/diff`);
  assert.ok(await page.locator('.diff-added').count() > 0);
  assert.ok(await page.locator('.diff-removed').count() > 0);
  await expectAccessible(page, 'roadmap diff 1 → 2');

  // 3. A consultation on version 1, from yesterday to next week (Japan time).
  await page.goto(`${server.base}/labs/${lab}/consultations/new`);
  await expectAccessible(page, 'new consultation form');
  await page.getByLabel('対象の版').selectOption('1');
  await page.getByLabel('開始日').fill(japanDay(-1));
  await page.getByLabel('最終日').fill(japanDay(7));
  await page.getByRole('button', { name: '意見募集を始める' }).click();
  await page.waitForSelector('text=意見募集を設定しました');
  const consultation = new URL(page.url()).pathname.match(/^\/consultations\/(\d+)$/)[1];
  assert.equal(await page.textContent('#phase'), '募集中');
  assert.equal(await page.locator('details.comment-form').count(), 3);
  await expectAccessible(page, 'consultation page');

  // By keyboard alone: Tab to the second paragraph's "意見を書く", open it, write, send.
  await page.goto(`${server.base}/consultations/${consultation}`);
  const summary = page.locator('#paragraph-2 details.comment-form > summary');
  await tabTo(page, summary, 'the summary of paragraph 2');
  assert.equal(await summary.textContent(), '第2段落に意見を書く');
  await page.keyboard.press('Enter');
  assert.equal(await page.locator('#paragraph-2 details.comment-form').evaluate((d) => d.open), true);
  // First what the form's personal data is for, with the privacy notice's link; then the text.
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.getAttribute('href')), '/privacy');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'body-2');
  await page.keyboard.type('不動産会社にも加わってもらうとよいと思います。');
  await expectAccessible(page, 'consultation page with a comment form open');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'anonymous-2');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.textContent), '意見を送る');
  await page.keyboard.press('Enter');
  await page.waitForSelector('text=意見を公開しました');
  assert.equal(await page.textContent('#paragraph-2 .paragraph-comments summary'), 'この段落への意見（1件）');
  // The published comments open with Space.
  await tabTo(page, page.locator('#paragraph-2 .paragraph-comments > summary'), 'the comments on paragraph 2');
  await page.keyboard.press(' ');
  assert.equal(await page.locator('#paragraph-2 .paragraph-comments').evaluate((d) => d.open), true);
  await expectAccessible(page, 'consultation page with a comment');

  // A guest's comment waits for moderation.
  const guest = await browser.newContext({ locale: 'ja-JP' });
  const g = await guest.newPage();
  await g.goto(`${server.base}/consultations/${consultation}`);
  await expectAccessible(g, 'consultation page (guest)');
  await g.getByText('第1段落に意見を書く').click();
  await g.locator('#body-1').fill('窓口の場所を早めに知らせてください。');
  await g.locator('#paragraph-1').getByRole('button', { name: '意見を送る' }).click();
  await g.waitForSelector('text=事務局が確認してから公開します');

  await page.goto(`${server.base}/consultations/${consultation}/manage`);
  assert.equal(await page.textContent('#count-published'), '1');
  assert.equal(await page.textContent('#count-pending'), '1');
  await expectAccessible(page, 'consultation management');

  // The consultation page on a 320 px wide phone, with a comment form open.
  const phone = await browser.newContext({ locale: 'ja-JP', viewport: { width: 320, height: 640 }, storageState: await office.storageState() });
  const p = await phone.newPage();
  await p.goto(`${server.base}/consultations/${consultation}`);
  await noSidewaysScroll(p, 'consultation page at 320px');
  await expectAccessible(p, 'consultation page at 320px');
  await p.getByText('第3段落に意見を書く').click();
  await p.locator('#paragraph-2 .paragraph-comments > summary').click();
  await noSidewaysScroll(p, 'consultation page at 320px, opened');
  await expectAccessible(p, 'consultation page at 320px with a comment form open');

  // 4. Notifications (the issue's author is told a lab took it up) and the list of labs.
  await page.goto(`${server.base}/notifications`);
  await page.waitForSelector('h1:text("お知らせ")');
  await expectAccessible(page, 'notifications (secretariat)');
  const lead = await browser.newContext({ locale: 'ja-JP' });
  const l = await lead.newPage();
  await logIn(l, 'member@example.jp');
  await l.goto(`${server.base}/notifications`);
  await l.locator(`#notifications a[href="/labs/${lab}"]`).waitFor();
  await expectAccessible(l, 'notifications (the issue\'s author)');
  await page.goto(`${server.base}/labs`);
  // The demo data has its own 居住支援 lab and consultation; this one is listed too.
  await page.locator(`.notice-box a[href="/consultations/${consultation}"]`).waitFor();
  await page.locator(`a[href="/labs/${lab}"]`).waitFor();
  await expectAccessible(page, 'labs');

  // 5. A lab without a theme is refused, and the errors are tied to their field.
  await page.goto(`${server.base}/labs/new`);
  await page.getByLabel('説明').fill('テーマを書き忘れた説明');
  await page.getByRole('button', { name: '保存する' }).click();
  await page.waitForSelector('.error-summary');
  assert.equal(await page.getAttribute('#title', 'aria-invalid'), 'true');
  assert.equal(await page.inputValue('#description'), 'テーマを書き忘れた説明');
  await expectAccessible(page, 'lab form with errors');

  await Promise.all([office.close(), guest.close(), phone.close(), lead.close()]);
});
