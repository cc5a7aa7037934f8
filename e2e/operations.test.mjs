// The secretariat's operations page (運用の状態) in a real browser, on the demo server: reached
// with the keyboard alone from the link on /admin/events, it shows the version, the SQLite
// database, the migrations up to date, the mail waiting to go out, that no backup has been
// taken yet and the free disk space. The page has zero axe-core (WCAG 2.1 AA) violations at
// full width, on a 320 px phone and at 200% zoom, and never scrolls sideways; a plain member
// is refused (403).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { expectAccessible, launchBrowser, logIn as logInAt, noSidewaysScroll, startServer, tabTo } from './server.mjs';

const logIn = (page, email) => logInAt(page, server.base, email);

let server;
let browser;
let adminState;
let operations;

before(async () => {
  server = await startServer({ demo: true });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

// The text of one fact of the page, whitespace collapsed.
async function fact(page, id) {
  const text = await page.locator(`#${id}`).textContent();
  return text.replace(/\s+/g, ' ').trim();
}

test('the secretariat reaches the operations page by keyboard and reads the state of the installation', async () => {
  const context = await browser.newContext({ locale: 'ja-JP' });
  const page = await context.newPage();
  await logIn(page, 'admin@example.jp');

  // 1. From /admin/events, Tab to 「運用の状態」 and press Enter.
  await page.goto(`${server.base}/admin/events`);
  const link = page.getByRole('link', { name: '運用の状態', exact: true });
  assert.equal(await link.getAttribute('href'), '/admin/operations');
  await tabTo(page, link, 'the 運用の状態 link');
  await Promise.all([page.waitForURL(`${server.base}/admin/operations`), page.keyboard.press('Enter')]);
  operations = page.url();
  await page.getByRole('heading', { level: 1, name: '運用の状態' }).waitFor();
  assert.equal(await page.title().then((t) => t.includes('運用の状態')), true, 'the title names the page');

  // 2. The facts.
  const labels = await page.locator('#operations dt').allTextContents();
  assert.deepEqual(labels.map((l) => l.trim()),
    ['バージョン', 'データベース', 'マイグレーション', 'メール送信の待ち', '参加記録の取り込み', '最後のバックアップ', 'ディスク']);
  assert.equal(await fact(page, 'ops-jobs'), '実行中 0件 · この7日間に失敗 0件');
  const version = await fact(page, 'ops-version');
  assert.match(version, /^socialhub \d+\.\d+\.\d+/, `version ${JSON.stringify(version)}`);
  const database = await fact(page, 'ops-database');
  assert.ok(database.startsWith('sqlite'), `database ${JSON.stringify(database)}`);
  const migrations = await fact(page, 'ops-migrations');
  assert.ok(migrations.includes('最新です'), `migrations ${JSON.stringify(migrations)}`);
  const m = migrations.match(/^(\d+) \/ (\d+)/);
  assert.ok(m && m[1] === m[2] && Number(m[1]) > 0, `all migrations applied: ${JSON.stringify(migrations)}`);
  const mail = await fact(page, 'ops-mail');
  assert.ok(mail.includes('送信待ち'), `mail ${JSON.stringify(mail)}`);
  assert.match(mail, /送信待ち \d+通/);
  const backup = await fact(page, 'ops-backup');
  assert.ok(backup.includes('記録がありません'), `backup ${JSON.stringify(backup)}`);
  const disk = await fact(page, 'ops-disk');
  assert.ok(disk.startsWith('空き'), `disk ${JSON.stringify(disk)}`);

  await expectAccessible(page, 'operations page');
  await noSidewaysScroll(page, 'operations page at full width');

  adminState = await context.storageState();
  await context.close();
});

test('the operations page fits a 320 px phone and 200% zoom, with zero axe violations', async () => {
  assert.ok(adminState && operations, 'the story above opened the operations page');
  // A phone 320 px wide and a 1280 px screen at 200% zoom (640 CSS px).
  for (const viewport of [{ width: 320, height: 640 }, { width: 640, height: 400 }]) {
    const context = await browser.newContext({ locale: 'ja-JP', viewport, storageState: adminState });
    const page = await context.newPage();
    await page.goto(operations);
    await page.getByRole('heading', { level: 1, name: '運用の状態' }).waitFor();
    await noSidewaysScroll(page, `operations page at ${viewport.width} px`);
    // Every fact stays within the page (a long database path wraps rather than overflows).
    const outside = await page.locator('#operations dd').evaluateAll((dds, width) =>
      dds.filter((dd) => dd.getBoundingClientRect().right > width || dd.scrollWidth > dd.clientWidth)
        .map((dd) => `${dd.id}: right ${dd.getBoundingClientRect().right}, scrollWidth ${dd.scrollWidth} > ${dd.clientWidth}`),
    viewport.width);
    assert.deepEqual(outside, [], `facts overflowing at ${viewport.width} px`);
    await expectAccessible(page, `operations page at ${viewport.width} px`);
    await context.close();
  }
});

test('a plain member may not open the operations page', async () => {
  const context = await browser.newContext({ locale: 'ja-JP' });
  const page = await context.newPage();
  await logIn(page, 'member@example.jp');
  const response = await page.goto(`${server.base}/admin/operations`);
  assert.equal(response.status(), 403);
  await context.close();
});
