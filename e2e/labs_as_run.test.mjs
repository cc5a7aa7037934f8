// Labs as the FY2023 report runs them, in a real browser on the demo server, by keyboard:
// the 町内会 lab says where it came from; a member of the center asks to join it and its
// lead accepts; the lead records a meeting with who came (members ticked, others by
// sector, pro bono partners there); the secretariat withdraws the 居住支援 lab's first
// roadmap version; the annual report's lab tables count it all by sector. Every page has
// zero axe-core (WCAG 2.1 AA) violations at full width, on a 320 px phone and at 200% zoom,
// and never scrolls sideways.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { expectAccessible, launchBrowser, logIn as logInAt, noSidewaysScroll, startServer, tabTo } from './server.mjs';

let server;
let browser;
let townPath;
let housingPath;
const states = {};

before(async () => {
  server = await startServer({ demo: true });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

const squash = (s) => (s ?? '').replace(/\s+/g, ' ').trim();

// A table's body rows, each as its cells' text joined by spaces.
const rowsOf = (locator) => locator.evaluateAll((trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent.trim()).join(' ')));

// A page logged in as a demo account (the session kept for the later stories).
async function as(email, viewport) {
  const context = await browser.newContext({ locale: 'ja-JP', viewport, storageState: states[email] });
  const page = await context.newPage();
  if (!states[email]) {
    await logInAt(page, server.base, email);
    states[email] = await context.storageState();
  }
  return { context, page };
}

test('the 町内会 lab says where it came from, and a member asks to join it by keyboard', async () => {
  const { context, page } = await as('company@example.jp');
  await page.goto(`${server.base}/labs`);
  await page.getByRole('link', { name: '地域自治・町内会' }).click();
  townPath = new URL(page.url()).pathname;
  await page.locator('#lab-founded').waitFor();
  assert.match(squash(await page.locator('#lab-event').textContent()), /いつかはあなたも町内会役員！？.*令和5年9月21日/);
  const note = page.getByLabel('代表者へのひとこと（任意）');
  await tabTo(page, note, 'the word to the lead');
  await page.keyboard.type('企業の立場から勉強会に加わりたいです。');
  await tabTo(page, page.getByRole('button', { name: '参加を申し込む' }), 'the request button');
  await page.keyboard.press('Enter');
  await page.locator('#join-status').waitFor();
  assert.ok(squash(await page.locator('#join-status').textContent()).includes('参加を申し込んでいます'));
  await expectAccessible(page, 'the lab page with a request waiting');
  await context.close();
});

test('the lead accepts the request and records a meeting with who came', async () => {
  assert.ok(townPath, 'the story above ran');
  const { context, page } = await as('member@example.jp');
  await page.goto(`${server.base}${townPath}/members`);
  const request = page.locator('#requests li');
  assert.equal(await request.count(), 1);
  assert.ok(squash(await request.textContent()).includes('企業の立場から勉強会に加わりたいです。'));
  await expectAccessible(page, 'the members page with a request');
  await tabTo(page, request.getByRole('button', { name: /^受け入れる/ }), 'accept');
  await page.keyboard.press('Enter');
  await page.waitForSelector('text=申し込みを受け入れ、メンバーに加えました。');

  await page.goto(`${server.base}${townPath}/meetings/new`);
  await expectAccessible(page, 'the meeting form');
  const today = new Date(Date.now() + 9 * 3600 * 1000).toISOString().slice(0, 10);
  await page.locator('#held_on').fill(today);
  const members = page.locator('#members input[type=checkbox]');
  assert.equal(await members.count(), 2, 'the lead and the new member');
  for (let i = 0; i < 2; i++) {
    await tabTo(page, members.nth(i), `member ${i}`);
    await page.keyboard.press('Space');
  }
  await page.getByLabel('NPO', { exact: true }).fill('２');
  await page.getByLabel('行政', { exact: true }).fill('1');
  await tabTo(page, page.getByLabel('プロボノの協力者と会った'), 'with pro bono');
  await page.keyboard.press('Space');
  await page.getByRole('button', { name: '保存する' }).click();
  await page.waitForURL(/\/labs\/\d+(#.*)?$/);
  const meeting = squash(await page.locator('.meetings li').first().textContent());
  assert.ok(meeting.includes('参加 5人') && meeting.includes('プロボノと'), meeting);
  await context.close();
});

test('the secretariat withdraws a roadmap version: kept, marked, never current', async () => {
  const { context, page } = await as('admin@example.jp');
  await page.goto(`${server.base}/labs`);
  await page.getByRole('link', { name: '居住支援', exact: true }).click();
  housingPath = new URL(page.url()).pathname;
  await page.goto(`${server.base}${housingPath}/roadmap/1`);
  const why = page.getByLabel('取り下げる理由');
  await tabTo(page, why, 'the reason');
  await page.keyboard.type('初版の数字に誤りがありました。');
  await page.getByRole('button', { name: '取り下げる', exact: true }).click();
  await page.locator('#withdrawn').waitFor();
  assert.ok(squash(await page.locator('#withdrawn').textContent()).includes('初版の数字に誤りがありました。'));
  await expectAccessible(page, 'a withdrawn version');
  await page.goto(`${server.base}${housingPath}`);
  const listed = await page.locator('#roadmap-heading + ul li').allTextContents();
  assert.ok(squash(listed.at(-1)).startsWith('第1版 取り下げ'), JSON.stringify(listed));
  await context.close();
});

test('the annual report counts the labs by sector, and the pages fit a phone and 200% zoom', async () => {
  assert.ok(townPath && housingPath, 'the stories above ran');
  const fy = new Date(Date.now() + 9 * 3600 * 1000);
  const year = fy.getUTCMonth() >= 3 ? fy.getUTCFullYear() : fy.getUTCFullYear() - 1;
  const { context, page } = await as('admin@example.jp');
  await page.goto(`${server.base}/admin/reports/annual?fiscal_year=${year}`);
  const rows = await rowsOf(page.locator('#lab-sectors tbody tr'));
  assert.ok(rows.some((r) => r.startsWith('地域自治・町内会 ミーティング')), JSON.stringify(rows));
  await expectAccessible(page, 'the annual report with the lab tables');
  await page.goto(`${server.base}/admin/reports/annual?fiscal_year=2023`);
  const fy2023 = await rowsOf(page.locator('#lab-sectors tbody tr'));
  // 町内会 in FY2023: 2 + 4 at its meetings; its lead (市民) at both, one of unknown sector at
  // the first, an NPO, a city official and a citizen at the second.
  assert.ok(fy2023.includes('地域自治・町内会 ミーティング 3 0 0 1 1 0 1 6'), JSON.stringify(fy2023));
  await context.close();

  for (const viewport of [{ width: 320, height: 640 }, { width: 640, height: 400 }]) {
    const at = `at ${viewport.width} px`;
    for (const [email, paths] of [
      ['company@example.jp', [townPath]],
      ['member@example.jp', [`${townPath}/members`, `${townPath}/meetings/new`]],
      ['admin@example.jp', [`${housingPath}/roadmap/1`, `/admin/reports/annual?fiscal_year=2023`]],
    ]) {
      const { context: c, page: p } = await as(email, viewport);
      for (const path of paths) {
        await p.goto(`${server.base}${path}`);
        await noSidewaysScroll(p, `${path} ${at}`);
        await expectAccessible(p, `${path} ${at}`);
      }
      await c.close();
    }
  }
});
