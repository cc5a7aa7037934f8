// First contact on a phone (390 px wide), on the demo data: a citizen finds the next
// session from the home page by keyboard, registers as a guest with a mistake first (the
// error summary takes focus and is in view), and a member registers and finds it again on
// the session's page and on マイページ; axe finds nothing on each page and state.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { expectAccessible, launchBrowser, logIn, noSidewaysScroll, startServer, tabTo } from './server.mjs';

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

const phone = { locale: 'ja-JP', viewport: { width: 390, height: 844 } };

test('a citizen finds the next session by keyboard and registers with a mistake first', async () => {
  const context = await browser.newContext(phone);
  const page = await context.newPage();
  await page.goto(server.base);
  await expectAccessible(page, 'home page');
  await noSidewaysScroll(page, 'home page');
  const next = page.locator('section[aria-labelledby=home-sessions-heading] li').first();
  assert.match(await next.textContent(), /令和/);
  assert.match(await next.textContent(), /残り|満席|定員なし/);
  await tabTo(page, page.locator('section[aria-labelledby=home-sessions-heading] h3 a').first(), 'the next session');
  await page.keyboard.press('Enter');
  await page.waitForSelector('#register-heading');
  await expectAccessible(page, 'session page on a phone');
  await noSidewaysScroll(page, 'session page');

  // Submitting the empty form: the summary has focus, is in view, names each field.
  await page.getByRole('button', { name: '申し込む' }).click();
  await page.waitForSelector('.error-summary');
  await page.waitForFunction(() => document.activeElement?.classList.contains('error-summary'));
  const top = await page.evaluate(() => document.querySelector('.error-summary').getBoundingClientRect().top);
  assert.ok(top >= 0 && top < 844, `the summary is in view (top ${top})`);
  const items = await page.locator('.error-summary li').allTextContents();
  assert.ok(items.some((t) => t.includes('お名前') || t.includes('氏名')), items.join(' / '));
  assert.ok(items.some((t) => t.includes('フリガナ')), items.join(' / '));
  assert.equal(await page.getAttribute('#name', 'aria-describedby'), 'name-hint name-error');
  await expectAccessible(page, 'registration form with errors on a phone');

  await page.getByLabel('氏名').fill('市民 花子');
  await page.getByLabel('フリガナ').fill('しみん はなこ');
  await page.getByLabel('メールアドレス').fill('citizen@example.jp');
  await page.getByLabel('属性').selectOption('citizen');
  await page.getByLabel('個人情報の取り扱いに同意します').check();
  await page.getByRole('button', { name: '申し込む' }).click();
  await page.waitForSelector('h1:text("申し込みました")');
  await expectAccessible(page, 'registered, on a phone');
  await context.close();
});

test('a member registers, then sees it on the session page and on マイページ', async () => {
  const context = await browser.newContext(phone);
  const page = await context.newPage();
  await logIn(page, server.base, 'member@example.jp');
  await page.goto(`${server.base}/events`);
  await expectAccessible(page, 'sessions list on a phone');
  await page.locator('section[aria-labelledby=upcoming-heading] h3 a').first().click();
  await page.getByRole('button', { name: '申し込む' }).click();
  await page.waitForSelector('h1:text("申し込みました"), h1:text("キャンセル待ちで受け付けました")');
  await page.goBack();
  await page.reload();
  await page.waitForSelector('#mine-heading');
  assert.match(await page.textContent('#mine-heading + p'), /申し込み済みです|キャンセル待ちの/);
  await expectAccessible(page, 'session page with my registration');
  await page.getByRole('link', { name: 'マイページ' }).click();
  await page.waitForSelector('h1:text("マイページ")');
  assert.equal(await page.locator('section[aria-labelledby=mypage-upcoming-heading] li').count(), 1);
  await expectAccessible(page, 'my page on a phone');
  await noSidewaysScroll(page, 'my page');
  await context.close();
});

test('the annual report reads on a phone, at 200% zoom, and prints its title and first table on page one', async () => {
  const context = await browser.newContext({ locale: 'ja-JP', viewport: { width: 320, height: 640 } });
  const page = await context.newPage();
  await logIn(page, server.base, 'admin@example.jp');
  const report = `${server.base}/admin/reports/annual?fiscal_year=2023`;
  // 320 px, and a 1280 px screen at 200% zoom (640 CSS px): the page itself never
  // scrolls sideways; the wide table scrolls in its own region.
  for (const viewport of [{ width: 320, height: 640 }, { width: 640, height: 400 }]) {
    await page.setViewportSize(viewport);
    await page.goto(report);
    await page.waitForSelector('h1:text("令和5年度 情報交換会")');
    await noSidewaysScroll(page, `the annual report at ${viewport.width} px`);
    await expectAccessible(page, `annual report at ${viewport.width} px`);
  }
  // Table headers do not break inside a word.
  const broken = await page.evaluate(() => [...document.querySelectorAll('.report-table thead th')]
    .filter((th) => th.textContent.trim() && th.scrollWidth > th.clientWidth + 1).map((th) => th.textContent));
  assert.deepEqual(broken, []);
  const first = await page.evaluate(() => getComputedStyle(document.querySelector('.report-table thead th:nth-child(5)')).wordBreak);
  assert.equal(first, 'keep-all');

  // The print button, shown with JavaScript.
  assert.ok(await page.getByRole('button', { name: '印刷する' }).isVisible());
  // Printed on A4 (186 mm × 267 mm inside the margins, at 96 px an inch): the title and
  // the whole first table are on page one, and the theme column is not squeezed.
  await page.setViewportSize({ width: 703, height: 1009 });
  await page.emulateMedia({ media: 'print' });
  const layout = await page.evaluate(() => ({
    title: document.querySelector('h1').getBoundingClientRect().top,
    tableBottom: document.querySelector('.report-table').getBoundingClientRect().bottom,
    theme: document.querySelector('.report-table tbody th[scope=row]').getBoundingClientRect().width,
    buttonBoxes: document.querySelector('[data-print]').getClientRects().length,
  }));
  assert.ok(layout.title < 100, `the title opens page one (${layout.title})`);
  assert.ok(layout.tableBottom < 1009, `the first table ends on page one (${layout.tableBottom})`);
  assert.ok(layout.theme >= 100, `the theme column is readable (${layout.theme} px)`);
  assert.equal(layout.buttonBoxes, 0, 'the print button is not printed');
  await context.close();
});

test('the secretariat at the door finds a person by keyboard on a phone and checks them in', async () => {
  // Someone to find: a guest registers with フリガナ in hiragana.
  const guest = await browser.newContext(phone);
  const g = await guest.newPage();
  await g.goto(`${server.base}/events`);
  const href = await g.locator('section[aria-labelledby=upcoming-heading] h3 a').first().getAttribute('href');
  await g.goto(`${server.base}${href}`);
  await g.getByLabel('氏名').fill('渡辺 健');
  await g.getByLabel('フリガナ').fill('わたなべ けん');
  await g.getByLabel('メールアドレス').fill('ken@example.jp');
  await g.getByLabel('属性').selectOption('npo');
  await g.getByLabel('個人情報の取り扱いに同意します').check();
  await g.getByRole('button', { name: '申し込む' }).click();
  await g.waitForSelector('h1:text("申し込みました"), h1:text("キャンセル待ちで受け付けました")');
  await guest.close();

  const context = await browser.newContext(phone);
  const page = await context.newPage();
  await logIn(page, server.base, 'admin@example.jp');
  await page.goto(`${server.base}/admin${href}/checkin`);
  await expectAccessible(page, 'check-in list on a phone');
  await noSidewaysScroll(page, 'check-in list');
  await tabTo(page, page.locator('#q'), 'the search box');
  await page.keyboard.type('ワタナベ');
  await page.keyboard.press('Enter');
  await page.waitForSelector('text=1人が見つかりました');
  await expectAccessible(page, 'check-in search result');
  assert.equal(await page.locator('.checkin-list .who').count(), 1);
  await tabTo(page, page.locator('.checkin-list button').first(), 'the check-in button');
  await page.keyboard.press('Enter');
  await page.waitForSelector('text=受付しました');
  await context.close();
});

test('a lab lead records a meeting after a mistake and writes a new roadmap version, on a phone', async () => {
  const context = await browser.newContext(phone);
  const page = await context.newPage();
  await logIn(page, server.base, 'coordinator@example.jp');
  await page.goto(`${server.base}/labs`);
  await expectAccessible(page, 'labs on a phone');
  await tabTo(page, page.getByRole('link', { name: '居住支援', exact: true }), 'the lab it leads');
  await page.keyboard.press('Enter');
  await page.waitForSelector('h1');
  const lab = page.url();
  await page.getByRole('link', { name: 'ミーティングを記録する' }).click();
  await page.getByRole('button', { name: '保存する' }).click();
  await page.waitForSelector('.error-summary');
  await page.waitForFunction(() => document.activeElement?.classList.contains('error-summary'));
  assert.equal(await page.textContent('#held_on-error'), '日付を入力してください。');
  await expectAccessible(page, 'meeting form with errors on a phone');
  await page.getByLabel('日付').fill('令和6年4月18日');
  await page.getByLabel('属性のわからない参加者（人数）').fill('５');
  await page.getByRole('button', { name: '保存する' }).click();
  await page.waitForSelector('text=ミーティングを記録しました');
  await page.goto(lab);
  await page.getByRole('link', { name: '新しい版を書く' }).click();
  await expectAccessible(page, 'roadmap form on a phone');
  await noSidewaysScroll(page, 'roadmap form');
  await page.getByLabel('本文').fill('# 居住支援\n\n相談窓口を区ごとにつくる');
  await page.getByRole('button', { name: '保存する' }).click();
  await page.waitForSelector('text=新しい版を保存しました');
  await expectAccessible(page, 'lab page after a new version, on a phone');
  await context.close();
});
