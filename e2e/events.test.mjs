// The sessions program in a real browser, on the demo data: public session pages and the
// secretariat's pages have zero axe-core violations; a guest registers by keyboard-free
// form filling; the check-in page works on a 320 px phone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { expectAccessible, launchBrowser, logIn, startServer } from './server.mjs';

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

test('the secretariat creates a session, a guest registers, the secretariat checks in', async () => {
  const office = await browser.newContext({ locale: 'ja-JP' });
  const page = await office.newPage();
  await logIn(page, server.base, 'admin@example.jp');

  await page.goto(`${server.base}/admin/events`);
  await expectAccessible(page, 'session list (secretariat)');
  await page.goto(`${server.base}/admin/events/new`);
  await expectAccessible(page, 'new session form');
  await page.getByLabel('テーマ').fill('地域で支える居住支援');
  // Tomorrow in Japan, at the form's usual 19:00: still to come whenever the test runs
  // (today's 19:00 has passed in the evening, and self check-in would already be open).
  const jst = new Date(Date.now() + 9 * 3600 * 1000 + 24 * 3600 * 1000);
  await page.getByLabel('開催日').fill(jst.toISOString().slice(0, 10));
  await page.getByLabel('会場', { exact: true }).fill('仙台市市民活動サポートセンター');
  await page.getByLabel('会場の定員').fill('20');
  await page.getByRole('button', { name: '保存する' }).click();
  await page.waitForSelector('text=セッションを作りました');
  await expectAccessible(page, 'session page (secretariat)');
  await page.getByRole('button', { name: '公開する' }).click();
  await page.waitForSelector('text=セッションを公開しました');
  const adminUrl = page.url();
  const id = adminUrl.split('/').pop();

  const guest = await browser.newContext({ locale: 'ja-JP' });
  const g = await guest.newPage();
  await g.goto(`${server.base}/events`);
  await expectAccessible(g, 'sessions');
  await g.goto(`${server.base}/events/${id}`);
  await expectAccessible(g, 'session page with registration form');
  await g.getByRole('button', { name: '申し込む' }).click();
  await g.waitForSelector('.error-summary');
  await expectAccessible(g, 'registration form with errors');
  await g.getByLabel('氏名').fill('参加 花子');
  await g.getByLabel('フリガナ').fill('さんか はなこ');
  await g.getByLabel('メールアドレス').fill('hanako@example.jp');
  await g.getByLabel('属性').selectOption('citizen');
  await g.getByLabel('個人情報の取り扱いに同意します').check();
  await g.getByRole('button', { name: '申し込む' }).click();
  await g.waitForSelector('h1:text("申し込みました")');
  await expectAccessible(g, 'registered');

  const phone = await browser.newContext({ locale: 'ja-JP', viewport: { width: 320, height: 640 }, storageState: await office.storageState() });
  const p = await phone.newPage();
  await p.goto(`${server.base}/admin/events/${id}/checkin`);
  await expectAccessible(p, 'check-in on a phone');
  const overflow = await p.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `check-in scrolls sideways by ${overflow}px`);
  // The button says whom it checks in (the name is read out, not shown twice).
  await p.getByRole('button', { name: /^受付する\s*: 参加 花子$/ }).click();
  await p.waitForSelector('text=受付しました');
  assert.equal(await p.textContent('#checked-in'), '1');

  await page.goto(`${server.base}/admin/roster`);
  await expectAccessible(page, 'roster import');

  // Where the center is, for open data: a wrong check digit is caught, then saved.
  await page.goto(`${server.base}/admin/center`);
  await expectAccessible(page, 'center locality');
  await page.getByLabel('全国地方公共団体コード').fill('041008');
  await page.getByRole('button', { name: '保存する' }).click();
  await page.waitForSelector('.error-summary');
  await expectAccessible(page, 'center locality with errors');
  await page.getByLabel('全国地方公共団体コード').fill('041009');
  await page.getByLabel('市区町村名').fill('仙台市');
  await page.getByRole('button', { name: '保存する' }).click();
  await page.waitForSelector('text=所在地と連絡先を保存しました');
  await page.waitForSelector('text=宮城県');

  // Self check-in, as a participant's phone shows it before the session starts: the code
  // from the QR code's caption on the secretariat's phone.
  const caption = await p.textContent('#qr-caption');
  const code = caption.split('：').pop().trim();
  const self = await guest.newPage();
  await self.setViewportSize({ width: 320, height: 640 });
  await self.goto(`${server.base}/checkin`);
  await expectAccessible(self, 'self check-in');
  await self.goto(`${server.base}/checkin?code=${code}`);
  await self.waitForSelector('#checkin-notice:has-text("受付は開始時刻")');
  await expectAccessible(self, 'self check-in before the start');

  // A guest brings an issue anonymously; the secretariat sees it waiting and publishes it.
  await g.goto(`${server.base}/issues/new`);
  await g.getByLabel('題名').fill('空き家の見守り');
  await g.getByLabel('内容').fill('一人暮らしの高齢者が増えています。');
  await g.getByLabel('居住支援').check();
  await g.getByRole('button', { name: '寄せる' }).click();
  await g.waitForSelector('text=事務局が内容を確認してから公開します');
  await page.goto(`${server.base}/admin/moderation`);
  await expectAccessible(page, 'issue moderation');
  await page.getByRole('button', { name: /^公開する\s*: 空き家の見守り$/ }).click();
  await page.waitForSelector('text=記録しました');
  await g.goto(`${server.base}/issues`);
  await g.getByRole('link', { name: '空き家の見守り' }).click();
  await expectAccessible(g, 'an issue');
  await Promise.all([office.close(), guest.close(), phone.close()]);
});

test('the annual report reads well and prints on A4', async () => {
  const context = await browser.newContext({ locale: 'ja-JP' });
  const page = await context.newPage();
  await logIn(page, server.base, 'admin@example.jp');
  await page.goto(`${server.base}/admin/reports/annual?fiscal_year=2023`);
  await page.waitForSelector('h1:text("令和5年度 情報交換会")');
  assert.equal(await page.textContent('#total-participants'), '250');
  await expectAccessible(page, 'annual report');
  // A PDF as the city receives it, kept as a test artefact to check by eye.
  mkdirSync('test-results', { recursive: true });
  await page.emulateMedia({ media: 'print' });
  await page.pdf({ path: 'test-results/annual-report-fy2023.pdf', format: 'A4', printBackground: true });
  await context.close();
});

test('past sessions from the roster read well', async () => {
  const context = await browser.newContext({ locale: 'ja-JP' });
  const page = await context.newPage();
  await page.goto(`${server.base}/events`);
  await page.getByRole('link', { name: '健常と障害の間' }).click();
  await page.waitForSelector('h1:text("健常と障害の間")');
  assert.ok((await page.textContent('main')).includes('令和5年11月16日（木）'));
  await expectAccessible(page, 'a past session');
  await context.close();
});
