// Finding things on a phone (390 px wide), on the demo data: the search box in the header
// by keyboard, results with their matches marked, and a citizen bringing an issue told of
// a similar one first; axe finds nothing on each page and state.
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

test('the header search box finds records by keyboard, on a phone', async () => {
  const context = await browser.newContext(phone);
  const page = await context.newPage();
  await page.goto(server.base);
  await tabTo(page, page.locator('#site-search'), 'the search box');
  await page.keyboard.type('ｷｮｼﾞｭｳ 居住支援');
  await page.keyboard.press('Enter');
  await page.waitForSelector('#search-results-heading');
  // Half-width katakana typed: no record has キョジュウ written, so nothing is found.
  assert.match(await page.textContent('#search-count'), /^0件$/);
  await page.fill('#search-q', '居住支援');
  await page.getByRole('button', { name: 'さがす', exact: true }).last().click();
  await page.waitForSelector('.search-hits');
  const marks = await page.locator('.search-hits mark').allTextContents();
  assert.ok(marks.length > 0 && marks.every((m) => m === '居住支援'), marks.join(' / '));
  await expectAccessible(page, 'search results on a phone');
  await noSidewaysScroll(page, 'search results');
  await page.selectOption('#search-kind', 'lab');
  await page.getByRole('button', { name: 'さがす', exact: true }).last().click();
  await page.waitForSelector('.search-hits');
  assert.deepEqual(await page.locator('.search-hits h3').allTextContents(), ['居住支援']);
  await context.close();
});

test('bringing an issue like one already there suggests supporting it first', async () => {
  const context = await browser.newContext(phone);
  const page = await context.newPage();
  await page.goto(`${server.base}/issues/new`);
  await page.getByLabel('題名').fill('保証人がいなくて部屋が借りられない');
  await page.getByLabel('内容').fill('高齢の母の引っ越し先が見つかりません。');
  await page.getByRole('button', { name: '寄せる' }).click();
  await page.waitForSelector('#similar-heading');
  await page.waitForFunction(() => document.activeElement?.classList.contains('similar-issues'));
  assert.equal(await page.locator('.similar-issues a').first().textContent(), '保証人がいなくて部屋を借りられない');
  assert.equal(await page.inputValue('#title'), '保証人がいなくて部屋が借りられない');
  await expectAccessible(page, 'similar issues before sending');
  await noSidewaysScroll(page, 'similar issues');
  await page.getByRole('button', { name: '寄せる' }).click();
  await page.waitForSelector('h1');
  assert.equal(await page.locator('#similar-heading').count(), 0);
  await context.close();
});

test('the archive: the gallery, an article, and the secretariat writing one with a mistake first', async () => {
  const context = await browser.newContext(phone);
  const page = await context.newPage();
  await page.goto(server.base);
  await page.getByRole('link', { name: '記事', exact: true }).click();
  await page.waitForSelector('.gallery');
  await expectAccessible(page, 'the gallery on a phone');
  await noSidewaysScroll(page, 'the gallery');
  await page.locator('.gallery h2 a').first().click();
  await page.waitForSelector('.description');
  await expectAccessible(page, 'an article on a phone');
  await noSidewaysScroll(page, 'an article');

  await logIn(page, server.base, 'admin@example.jp');
  await page.goto(`${server.base}/admin/articles/new`);
  await expectAccessible(page, 'the article form');
  await page.getByRole('button', { name: '公開する' }).click();
  await page.waitForSelector('.error-summary');
  await page.waitForFunction(() => document.activeElement?.classList.contains('error-summary'));
  await expectAccessible(page, 'the article form with errors');
  await page.getByLabel('題名').fill('防災訓練の報告');
  await page.locator('#body').fill('町内会の**防災訓練**に若い人が参加しました。');
  await page.getByRole('button', { name: '公開する' }).click();
  await page.waitForSelector('h1:text("防災訓練の報告")');
  assert.match(await page.textContent('.flash'), /公開しました/);
  await page.goto(`${server.base}/search?q=${encodeURIComponent('防災訓練')}`);
  assert.ok((await page.locator('.search-hits h3').allTextContents()).includes('防災訓練の報告'));
  await context.close();
});
