// The secretariat's access log (アクセス記録) in a real browser, on the demo data: a login
// refused for a wrong password and a session roster downloaded by the secretariat both
// appear as lines of /admin/access-log, reached from the link on /admin/events; the lines
// are filtered by kind with the keyboard alone (the filter is in the URL). The page has
// zero axe-core (WCAG 2.1 AA) violations at full width, on a 320 px phone and at 200%
// zoom, and never scrolls sideways (the table scrolls in its own region); a plain member
// is refused (403).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { expectAccessible, launchBrowser, logIn as logInAt, noSidewaysScroll, startServer, tabTo } from './server.mjs';

const logIn = (page, email) => logInAt(page, server.base, email);

let server;
let browser;
let adminState;
let accessLog;

before(async () => {
  server = await startServer({ demo: true });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

// The rows of the log's table, each as its class and the text of its cells.
function rows(page) {
  return page.locator('.table-scroll table tbody tr').evaluateAll((trs) =>
    trs.map((tr) => ({ kind: tr.className, cells: [...tr.cells].map((td) => td.textContent.trim()) })));
}

// The N of 「アクセス記録（N件）」.
async function captionCount(page) {
  const text = await page.locator('.table-scroll caption').textContent();
  const m = text.match(/（(\d+)件）/);
  assert.ok(m, `count in caption ${JSON.stringify(text)}`);
  return Number(m[1]);
}

test('a refused login and a roster download appear in the access log, filtered by keyboard, accessibly', async () => {
  const context = await browser.newContext({ locale: 'ja-JP' });
  const page = await context.newPage();

  // 1. A login refused: the member's address with a wrong password.
  await page.goto(`${server.base}/login`);
  await page.getByLabel('メールアドレス').fill('member@example.jp');
  await page.getByLabel('パスワード').fill('not-the-password');
  const refused = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/login'));
  await page.getByRole('button', { name: 'ログインする' }).click();
  assert.equal((await refused).status(), 422);
  await page.getByText('メールアドレスまたはパスワードが正しくありません。').first().waitFor();

  // 2. The secretariat downloads a session's roster from the session's admin page.
  await logIn(page, 'admin@example.jp');
  await page.goto(`${server.base}/admin/events`);
  const first = page.locator('.table-scroll tbody tr').first().getByRole('link');
  const title = (await first.textContent()).trim();
  await Promise.all([page.waitForURL(/\/admin\/events\/\d+$/), first.click()]);
  const eventUrl = page.url();
  const csvLink = page.getByRole('link', { name: 'CSV（Excel 用）' });
  assert.equal(await csvLink.getAttribute('href'), `${new URL(eventUrl).pathname}/roster.csv`);
  const [download] = await Promise.all([page.waitForEvent('download'), csvLink.click()]);
  assert.match(download.suggestedFilename(), /^roster-\d+\.csv$/);
  assert.equal(await download.failure(), null);

  // 3. The access log, from the link on /admin/events.
  await page.goto(`${server.base}/admin/events`);
  await Promise.all([
    page.waitForURL(`${server.base}/admin/access-log`),
    page.getByRole('link', { name: 'アクセス記録', exact: true }).click(),
  ]);
  accessLog = page.url();
  await page.getByRole('heading', { level: 1, name: 'アクセス記録' }).waitFor();
  const headers = await page.locator('.table-scroll thead th').allTextContents();
  assert.deepEqual(headers, ['日時', '誰が', '何を', '対象', '接続元']);
  const all = await rows(page);
  assert.equal(await captionCount(page), all.length, 'the caption counts the rows');
  const failed = all.filter((r) => r.kind === 'access-login-failed');
  const roster = all.filter((r) => r.kind === 'access-roster-downloaded');
  assert.equal(failed.length, 1, `one refused login in ${JSON.stringify(all)}`);
  assert.equal(roster.length, 1, `one roster download in ${JSON.stringify(all)}`);
  // The refused login: no one logged in, the address as typed, from the local address.
  assert.equal(failed[0].cells[1], '—');
  assert.equal(failed[0].cells[2], 'ログイン失敗');
  assert.equal(failed[0].cells[3], 'member@example.jp');
  assert.match(failed[0].cells[4], /127\.0\.0\.1/);
  // The download: the secretariat's name, the session.
  assert.equal(roster[0].cells[1], '青葉 花子');
  assert.equal(roster[0].cells[2], '名簿のダウンロード');
  assert.ok(roster[0].cells[3].startsWith(title), `${JSON.stringify(roster[0].cells[3])} names ${title}`);
  assert.match(roster[0].cells[4], /127\.0\.0\.1/);
  assert.ok(roster[0].cells[0] && failed[0].cells[0], 'each line has its time');
  // Newest first: the download came after the refused login.
  assert.ok(all.indexOf(roster[0]) < all.indexOf(failed[0]), 'newest first');
  await expectAccessible(page, 'access log');
  await noSidewaysScroll(page, 'access log at full width');

  // 4. Only the roster downloads, chosen with the keyboard alone.
  const select = page.getByLabel('種類');
  assert.equal(await select.inputValue(), '');
  await tabTo(page, select, 'the 種類 filter');
  for (let i = 0; i < 6 && (await select.inputValue()) !== 'roster-downloaded'; i++) {
    await page.keyboard.press('ArrowDown');
  }
  assert.equal(await select.inputValue(), 'roster-downloaded');
  assert.equal(await select.evaluate((s) => s.selectedOptions[0].textContent.trim()), '名簿のダウンロード');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.textContent.trim()), '表示する');
  await Promise.all([page.waitForURL(/[?&]action=roster-downloaded(&|$)/), page.keyboard.press('Enter')]);
  await page.getByRole('heading', { level: 1, name: 'アクセス記録' }).waitFor();
  const shown = await rows(page);
  assert.ok(shown.length >= 1, 'the roster download is still shown');
  assert.deepEqual(shown.filter((r) => r.kind !== 'access-roster-downloaded'), [], 'only roster downloads');
  assert.equal(await captionCount(page), shown.length);
  assert.equal(await page.getByLabel('種類').inputValue(), 'roster-downloaded', 'the filter stays chosen');
  await expectAccessible(page, 'access log of roster downloads');
  await noSidewaysScroll(page, 'access log of roster downloads at full width');

  adminState = await context.storageState();
  await context.close();
});

test('the access log fits a 320 px phone and 200% zoom, with zero axe violations', async () => {
  assert.ok(adminState && accessLog, 'the story above opened the access log');
  // A phone 320 px wide and a 1280 px screen at 200% zoom (640 CSS px).
  for (const viewport of [{ width: 320, height: 640 }, { width: 640, height: 400 }]) {
    const context = await browser.newContext({ locale: 'ja-JP', viewport, storageState: adminState });
    const page = await context.newPage();
    for (const url of [accessLog, `${accessLog}?action=login-failed`]) {
      await page.goto(url);
      await page.locator('.table-scroll table').waitFor();
      await noSidewaysScroll(page, `${url} at ${viewport.width} px`);
      // The table scrolls in its own region, which stays within the page.
      const region = await page.locator('.table-scroll').evaluate((el) => {
        const box = el.getBoundingClientRect();
        return { left: box.left, right: box.right, overflowX: getComputedStyle(el).overflowX };
      });
      assert.ok(region.left >= 0 && region.right <= viewport.width,
        `table region at ${viewport.width} px: ${JSON.stringify(region)}`);
      assert.ok(['auto', 'scroll'].includes(region.overflowX), `table region scrolls: ${region.overflowX}`);
      await expectAccessible(page, `${url} at ${viewport.width} px`);
    }
    await context.close();
  }
});

test('a plain member may not open the access log', async () => {
  const context = await browser.newContext({ locale: 'ja-JP' });
  const page = await context.newPage();
  await logIn(page, 'member@example.jp');
  const response = await page.goto(`${server.base}/admin/access-log`);
  assert.equal(response.status(), 403);
  await context.close();
});
