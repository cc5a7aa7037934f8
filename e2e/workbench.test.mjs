// The consultation workbench in a real browser, on the demo data (its 居住支援 lab has a
// consultation open for a month, led by coordinator@example.jp): the lab's lead enters three
// comments received on paper with the keyboard alone (the first with a mistyped e-mail
// address, which is refused with an error summary and the typed text kept), two of them
// the same text, which the workbench shows as one entry 「同文 2件」; ticks that entry with
// Space and drafts a result row with the keyboard, and the unanswered count goes down.
// The page has zero axe-core (WCAG 2.1 AA) violations at full width, on a 320 px phone and
// at 200% zoom, and never scrolls sideways; a plain member of the lab is refused (403).
// The lab's consultation of April 2023 (demo data: paper comments, answered and published)
// reads as the table municipalities publish, for anyone, on a phone and at 200% zoom with
// zero axe violations, downloads as CSV, and prints as its result alone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { expectAccessible, launchBrowser, logIn as logInAt, noSidewaysScroll, startServer, tabTo } from './server.mjs';

const logIn = (page, email) => logInAt(page, server.base, email);

let server;
let browser;
let leadState;
let workbench;

before(async () => {
  server = await startServer({ demo: true });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

const SAME = '保証人がいない人も入居できる物件の一覧を、区役所の窓口でも配ってください。';
const OTHER = '見守りの訪問は、入居してから最初の一年は月に一度にしてほしいです。';

// The number in 「まだ回答していない意見：N件」.
async function unanswered(page) {
  const text = await page.textContent('#unanswered');
  const m = text.match(/：\s*(\d+)件/);
  assert.ok(m, `unanswered count in ${JSON.stringify(text)}`);
  return Number(m[1]);
}

function focusedId(page) {
  return page.evaluate(() => document.activeElement?.id ?? '');
}

// The paper form filled in and sent with the keyboard alone: Tab to each field, type, Tab
// to the button and press Enter. `channelDown` presses ArrowDown on the channel select.
async function enterReceived(page, { paragraphDown = 0, channelDown = 0, body, contact = '' }) {
  await tabTo(page, page.locator('#received-paragraph'), 'the paragraph of a received comment');
  for (let i = 0; i < paragraphDown; i++) await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Tab');
  assert.equal(await focusedId(page), 'received-channel');
  for (let i = 0; i < channelDown; i++) await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Tab');
  assert.equal(await focusedId(page), 'received-body');
  await page.keyboard.type(body);
  await page.keyboard.press('Tab');
  assert.equal(await focusedId(page), 'received-contact');
  if (contact) await page.keyboard.type(contact);
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.textContent.trim()), '意見を加える');
  const response = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/received'));
  await page.keyboard.press('Enter');
  await (await response).finished();
  await page.waitForLoadState('load');
}

test('the lab lead enters paper comments and drafts a row on the workbench, by keyboard, accessibly', async () => {
  const context = await browser.newContext({ locale: 'ja-JP' });
  const page = await context.newPage();
  await logIn(page, 'coordinator@example.jp');

  // The demo consultation, from the list of labs (open consultations are listed first).
  await page.goto(`${server.base}/labs`);
  const href = await page.locator('.notice-box').getByRole('link', { name: '居住支援ロードマップへの意見募集' }).first().getAttribute('href');
  const id = href.match(/^\/consultations\/(\d+)$/)[1];
  workbench = `${server.base}/consultations/${id}/workbench`;

  // From the management page, the workbench's link.
  await page.goto(`${server.base}/consultations/${id}/manage`);
  await Promise.all([
    page.waitForURL(workbench),
    page.getByRole('link', { name: '意見を読み解く（結果の下書き）' }).click(),
  ]);
  await page.getByRole('heading', { level: 1, name: '意見を読み解く（結果の下書き）' }).waitFor();
  const before = await unanswered(page);
  await expectAccessible(page, 'workbench');

  // 1. A paper comment on paragraph 2, sent by post, with a mistyped address: refused.
  await enterReceived(page, { paragraphDown: 1, channelDown: 1, body: SAME, contact: 'taro@example' });
  assert.ok(page.url().endsWith(`/consultations/${id}/received`), page.url());
  const summary = page.locator('.error-summary');
  await summary.waitFor();
  assert.equal(await page.evaluate(() => document.activeElement.classList.contains('error-summary')), true,
    'the error summary takes the focus');
  const link = summary.getByRole('link', { name: /メールアドレスの形式が正しくありません/ });
  assert.equal(await link.getAttribute('href'), '#received-contact');
  // Every link of the summary is reached with Tab, and follows to its field.
  await page.keyboard.press('Tab');
  assert.equal(await link.evaluate((a) => a === document.activeElement), true, 'Tab reaches the error link');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.activeElement?.id === 'received-contact');
  // What was typed is kept, and the field says what is wrong.
  assert.equal(await page.inputValue('#received-body'), SAME);
  assert.equal(await page.inputValue('#received-contact'), 'taro@example');
  assert.equal(await page.inputValue('#received-paragraph'), '2');
  assert.equal(await page.inputValue('#received-channel'), 'post');
  const contact = page.getByLabel('連絡先のメールアドレス');
  assert.equal(await contact.getAttribute('aria-invalid'), 'true');
  assert.match(await contact.getAttribute('aria-describedby'), /received-contact-error/);
  await expectAccessible(page, 'workbench with errors');

  // Corrected from the field the link led to, and sent.
  await page.keyboard.press('Control+A');
  await page.keyboard.type('taro@example.jp');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.textContent.trim()), '意見を加える');
  await Promise.all([page.waitForURL(`${workbench}#received-heading`), page.keyboard.press('Enter')]);
  await page.waitForSelector('text=意見を加えました');
  assert.equal(await page.locator('.error-summary').count(), 0);
  assert.equal(await page.inputValue('#received-body'), '', 'the form is empty again');

  // 2. The same text again (on paper, no address), and 3. another comment.
  await enterReceived(page, { paragraphDown: 1, body: SAME });
  await page.waitForURL(`${workbench}#received-heading`);
  await page.waitForSelector('text=意見を加えました');
  await enterReceived(page, { paragraphDown: 1, channelDown: 2, body: OTHER });
  await page.waitForURL(`${workbench}#received-heading`);
  await page.waitForSelector('text=意見を加えました');
  assert.equal(await unanswered(page), before + 3);

  // The two copies are one entry, 「同文 2件」; the other one stands alone.
  const section = page.locator('section.workbench-paragraph').filter({ has: page.locator('h2#paragraph-2') });
  const same = section.locator('ul.entries > li').filter({ hasText: SAME });
  assert.equal(await same.count(), 1, 'the copies are one entry');
  assert.equal((await same.locator('.badge').textContent()).trim(), '同文 2件');
  const other = section.locator('ul.entries > li').filter({ hasText: OTHER });
  assert.equal(await other.count(), 1);
  assert.equal(await other.locator('.badge').count(), 0);
  await expectAccessible(page, 'workbench with paper comments');

  // 4. Tick the copies with Space and draft a row with the keyboard.
  const tick = section.getByRole('checkbox', { name: SAME });
  await tabTo(page, tick, 'the checkbox of the copies');
  await page.keyboard.press(' ');
  assert.equal(await tick.isChecked(), true, 'Space ticks the entry');
  await tabTo(page, section.getByLabel('意見の概要'), 'the summary of the row');
  await page.keyboard.type('物件の一覧を区役所でも配ってほしい。');
  await page.keyboard.press('Tab');
  assert.equal(await focusedId(page), 'response-2');
  await page.keyboard.type('区役所の窓口にも一覧を置くよう、市と調整します。');
  await page.keyboard.press('Tab');
  assert.equal(await focusedId(page), 'changed-2');
  await page.keyboard.press('ArrowDown');
  assert.equal(await page.inputValue('#changed-2'), 'yes', '修正の有無: 有');
  await page.keyboard.press('Tab');
  assert.equal(await focusedId(page), 'change_reason-2');
  await page.keyboard.type('配布先に区役所を加えました。');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.textContent.trim()), '結果に行を加える');
  await Promise.all([page.waitForURL(`${workbench}#paragraph-2`), page.keyboard.press('Enter')]);
  await page.waitForSelector('text=結果に行を加えました');
  assert.equal(await unanswered(page), before + 1, 'the two copies are answered');
  assert.equal(await same.locator('.tag').textContent(), '回答済み');
  assert.equal(await section.getByRole('checkbox', { name: SAME }).isChecked(), false);
  await expectAccessible(page, 'workbench with a row drafted');
  await noSidewaysScroll(page, 'workbench at full width');

  leadState = await context.storageState();
  await context.close();
});

test('the workbench fits a 320 px phone and 200% zoom, with zero axe violations', async () => {
  assert.ok(leadState && workbench, 'the story above opened the workbench');
  // A phone 320 px wide and a 1280 px screen at 200% zoom (640 CSS px).
  for (const viewport of [{ width: 320, height: 640 }, { width: 640, height: 400 }]) {
    const context = await browser.newContext({ locale: 'ja-JP', viewport, storageState: leadState });
    const page = await context.newPage();
    await page.goto(workbench);
    await page.locator('#unanswered').waitFor();
    // Each paragraph's text open too.
    for (const summary of await page.locator('section.workbench-paragraph details > summary').all()) {
      await summary.click();
    }
    await noSidewaysScroll(page, `workbench at ${viewport.width} px`);
    // Each checkbox sits beside its comment, not alone on a line above it.
    const apart = await page.evaluate(() => [...document.querySelectorAll('ul.entries > li')].filter((li) => {
      const box = li.querySelector('input[type=checkbox]').getBoundingClientRect();
      const label = li.querySelector('label').getBoundingClientRect();
      return label.left < box.right || label.top >= box.bottom;
    }).map((li) => li.textContent.trim().slice(0, 20)));
    assert.deepEqual(apart, [], `workbench at ${viewport.width} px: checkboxes apart from their comments`);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= viewport.width, `workbench at ${viewport.width} px is ${width} px wide`);
    await expectAccessible(page, `workbench at ${viewport.width} px`);
    // With the error summary shown.
    await page.getByLabel('連絡先のメールアドレス').fill('not-an-address');
    await page.locator('#received-body').fill('電話で受けた意見です。');
    await Promise.all([
      page.waitForURL(/\/received$/),
      page.getByRole('button', { name: '意見を加える' }).click(),
    ]);
    await page.locator('.error-summary').waitFor();
    await noSidewaysScroll(page, `workbench with errors at ${viewport.width} px`);
    await expectAccessible(page, `workbench with errors at ${viewport.width} px`);
    await context.close();
  }
});

test('a plain member of the lab may not open the workbench', async () => {
  assert.ok(workbench, 'the story above found the workbench');
  const context = await browser.newContext({ locale: 'ja-JP' });
  const page = await context.newPage();
  await logIn(page, 'member@example.jp');
  const response = await page.goto(workbench);
  assert.equal(response.status(), 403);
  await context.close();
});

test('the published result of April 2023 reads as a table for anyone, on a phone, and prints as the result alone', async () => {
  const context = await browser.newContext({ locale: 'ja-JP' });
  const page = await context.newPage();
  // From the lab's page, without logging in: the consultation whose result is published.
  await page.goto(`${server.base}/labs`);
  await page.getByRole('link', { name: '居住支援', exact: true }).first().click();
  const item = page.locator('section[aria-labelledby=consultations-heading] li').filter({ hasText: '結果公表' });
  assert.equal(await item.count(), 1, 'one published consultation');
  await Promise.all([page.waitForURL(/\/consultations\/\d+$/), item.getByRole('link').click()]);
  const url = page.url();
  await page.getByRole('heading', { level: 2, name: '意見募集の結果' }).waitFor();
  assert.equal((await page.textContent('#phase')).trim(), '結果公表');

  // The table: 番号, 該当箇所, 意見の概要, 件数, 考え方, 修正の有無; the copies and the
  // comment said at the plaza are the three of row 1.
  const headers = await page.locator('.result-table thead th').allTextContents();
  assert.deepEqual(headers, ['番号', '該当箇所（段落）', '意見の概要', '件数', '考え方', '修正の有無']);
  const rows = await page.locator('.result-table tbody tr').evaluateAll((trs) =>
    trs.map((tr) => [...tr.cells].map((td) => td.textContent.trim())));
  assert.equal(rows.length, 4);
  assert.deepEqual(rows.map((r) => [r[0], r[1], r[3]]),
    [['1', '第3段落', '3'], ['2', '第4段落', '1'], ['3', '第4段落', '1'], ['4', '第5段落', '1']]);
  assert.match(rows[0][2], /相談窓口を区ごとに/);
  assert.match(rows[0][5], /^有/);
  assert.equal(rows[3][5], '無');
  // What changed in the text, each change with the rows that caused it.
  const amendments = page.locator('.amendment');
  assert.equal(await amendments.count(), 2);
  assert.deepEqual(await amendments.locator('h4 a').evaluateAll((as) => as.map((a) => a.getAttribute('href'))),
    ['#row-1', '#row-2']);
  assert.match(await amendments.first().locator('.diff-added').textContent(), /区ごとに顔を合わせ/);
  await expectAccessible(page, 'published result');

  // The CSV for spreadsheets: UTF-8 with BOM, CRLF, a header and the four rows.
  const csv = await page.request.get(`${url}/result.csv`);
  assert.equal(csv.status(), 200);
  const bytes = await csv.body();
  assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  const lines = bytes.toString('utf8').slice(1).split('\r\n').filter((l) => l);
  assert.equal(lines.length, 5);
  assert.match(lines[0], /^番号,/);

  // A 320 px phone and a 1280 px screen at 200% zoom: the page never scrolls sideways.
  for (const viewport of [{ width: 320, height: 640 }, { width: 640, height: 400 }]) {
    await page.setViewportSize(viewport);
    await page.goto(url);
    await noSidewaysScroll(page, `published result at ${viewport.width} px`);
    await expectAccessible(page, `published result at ${viewport.width} px`);
  }

  // Printed on A4 (186 mm inside the margins, 703 px at 96 px an inch): the result table
  // and the changes, whole and within the page; not the roadmap's text, the comment
  // lists, the downloads or the print button.
  await page.setViewportSize({ width: 1024, height: 768 });
  await page.goto(url);
  assert.ok(await page.getByRole('button', { name: '印刷する' }).isVisible(), 'the print button, shown with JavaScript');
  await page.setViewportSize({ width: 703, height: 1009 });
  await page.emulateMedia({ media: 'print' });
  const printed = await page.evaluate(() => {
    const shown = (selector) => [...document.querySelectorAll(selector)].some((e) => e.getClientRects().length > 0);
    const table = document.querySelector('.result-table').getBoundingClientRect();
    return {
      table: shown('.result-table'),
      amendments: shown('.amendment'),
      text: shown('#text-heading'),
      downloads: shown('.downloads'),
      button: shown('[data-print]'),
      right: table.right,
      width: document.documentElement.scrollWidth,
    };
  });
  assert.deepEqual(
    { table: printed.table, amendments: printed.amendments, text: printed.text, downloads: printed.downloads, button: printed.button },
    { table: true, amendments: true, text: false, downloads: false, button: false },
  );
  assert.ok(printed.right <= 703 && printed.width <= 703, `the table fits the page (${printed.right}, ${printed.width})`);
  const pdf = await page.pdf({ format: 'A4', printBackground: true });
  assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
  await context.close();
});
