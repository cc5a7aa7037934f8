// What reaches members by mail, in a real browser, on the demo data: a member opens
// their mail choices from the account page, chooses by keyboard alone to receive board
// notices at once and saves; the page has zero axe-core (WCAG 2.1 AA) violations and
// reads on a 320 px phone and at 200% zoom. When the secretariat posts a notice, the
// postman mails it to the member; the mail's one-click address, opened without logging
// in, asks to stop, stops by keyboard, and the member's choice becomes 「受け取らない」.
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

// A mail's headers, unfolded, by lower-case name, with RFC 2047 encoded words decoded.
function headers(mail) {
  const head = mail.split(/\r?\n\r?\n/)[0].replace(/\r?\n[ \t]+/g, ' ');
  const decode = (value) => value
    .replace(/\?=\s+=\?/g, '?==?') // whitespace between encoded words is not text
    .replace(/=\?([^?]+)\?([bBqQ])\?([^?]*)\?=/g, (_, charset, enc, text) => {
      const bytes = enc.toUpperCase() === 'B'
        ? Buffer.from(text, 'base64')
        : Buffer.from(text.replace(/_/g, ' ').replace(/=([0-9A-Fa-f]{2})/g, (_m, h) => String.fromCharCode(parseInt(h, 16))), 'latin1');
      return new TextDecoder(charset).decode(bytes);
    });
  const out = {};
  for (const line of head.split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i > 0) out[line.slice(0, i).trim().toLowerCase()] = decode(line.slice(i + 1).trim());
  }
  return out;
}

// Waits for the first mail `match` accepts, polling the mailbox directory.
async function waitForMail(match, what, seconds = 30) {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const mail = server.mails().find(match);
    if (mail) return mail;
    if (Date.now() > deadline) {
      const subjects = server.mails().map((m) => `${headers(m).to} / ${headers(m).subject}`);
      assert.fail(`no ${what} in the mailbox after ${seconds} s (the postman looks every 10 s); `
        + `the mailbox holds: ${subjects.length ? subjects.join('; ') : 'nothing'}`);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}

test('a member chooses by keyboard what reaches them, is mailed a notice and stops it without logging in', async () => {
  const member = await (await browser.newContext({ locale: 'ja-JP' })).newPage();
  await logIn(member, 'member@example.jp');
  await member.goto(`${server.base}/account`);
  await member.getByRole('link', { name: 'メールで受け取るお知らせ' }).click();
  await member.waitForSelector('h1:text("メールで受け取るお知らせ")');
  assert.equal(new URL(member.url()).pathname, '/account/mail');
  await expectAccessible(member, 'mail choices');

  // Before choosing: board notices in the weekly digest, mails in Japanese.
  const notices = member.getByRole('group', { name: '掲示板：お知らせ' });
  assert.ok(await notices.getByRole('radio', { name: '毎週のまとめ' }).isChecked(), 'weekly digest by default');
  assert.ok(await member.getByRole('group', { name: 'メールの言語' }).getByRole('radio', { name: '日本語' }).isChecked());

  // Keyboard only: Tab reaches the group's checked radio, arrows move the choice.
  await tabTo(member, notices.getByRole('radio', { name: '毎週のまとめ' }), 'the board notices group');
  await member.keyboard.press('ArrowUp'); // weekly → daily
  await member.keyboard.press('ArrowUp'); // daily → at once
  assert.ok(await notices.getByRole('radio', { name: 'すぐに' }).isChecked(), 'arrows choose at once');
  assert.ok(await notices.getByRole('radio', { name: 'すぐに' }).evaluate((el) => el === document.activeElement));
  await tabTo(member, member.getByRole('button', { name: '保存する' }), 'the save button');
  await member.keyboard.press('Enter');
  await member.waitForSelector('text=メールの設定を保存しました。');
  await expectAccessible(member, 'mail choices, saved');
  await member.reload();
  assert.ok(await notices.getByRole('radio', { name: 'すぐに' }).isChecked(), 'at once kept after reloading');
  const others = await member.evaluate(() => [...document.querySelectorAll('fieldset.choices')]
    .filter((f) => f.id !== 'lang' && f.id !== 'board_notice')
    .map((f) => `${f.id}=${f.querySelector('input:checked')?.value}`));
  assert.deepEqual(others, ['board_grant=weekly', 'board_project=weekly', 'board_data=weekly', 'board_event=weekly',
    'event=weekly', 'issue=immediately', 'consultation=weekly'], 'only board notices changed');

  // A phone 320 px wide and a 1280 px screen at 200% zoom (640 CSS px).
  const small = await browser.newContext({ locale: 'ja-JP', storageState: await member.context().storageState() });
  const phone = await small.newPage();
  for (const viewport of [{ width: 320, height: 640 }, { width: 640, height: 400 }]) {
    await phone.setViewportSize(viewport);
    await phone.goto(`${server.base}/account/mail`);
    await noSidewaysScroll(phone, `mail choices at ${viewport.width} px`);
    await expectAccessible(phone, `mail choices at ${viewport.width} px`);
  }
  await small.close();

  // The secretariat posts a notice; the postman mails it at once.
  const title = `e2e 配信テスト ${Date.now()}`;
  const admin = await (await browser.newContext({ locale: 'ja-JP' })).newPage();
  await logIn(admin, 'admin@example.jp');
  await admin.goto(`${server.base}/board/new`);
  await admin.getByLabel('分類').selectOption('notice');
  await admin.getByLabel('題名').fill(title);
  await admin.getByLabel('本文').fill('メール配信の確認です。');
  await admin.getByRole('button', { name: '保存する' }).click();
  await admin.waitForSelector('text=投稿を保存しました');

  const mail = await waitForMail((m) => {
    const h = headers(m);
    return h.to?.includes('member@example.jp') && h.subject?.includes(title);
  }, `mail to member@example.jp about 「${title}」`);
  const h = headers(mail);
  assert.match(h.subject, /お知らせ/, h.subject);
  assert.equal(h['list-unsubscribe-post'], 'List-Unsubscribe=One-Click');
  const unsubscribe = h['list-unsubscribe']?.match(/^<(http[^>]+)>$/)?.[1];
  assert.ok(unsubscribe, `List-Unsubscribe header: ${h['list-unsubscribe']}`);
  assert.ok(unsubscribe.startsWith(`${server.base}/unsubscribe/`), unsubscribe);
  const body = mail.split(/\r?\n\r?\n/).slice(1).join('\n\n');
  assert.ok(body.includes(title), 'the body names the post');
  assert.ok(body.includes(unsubscribe), 'the body carries the same unsubscribe address');

  // Opened from the mail, without logging in.
  const stranger = await (await browser.newContext({ locale: 'ja-JP' })).newPage();
  const response = await stranger.goto(unsubscribe);
  assert.equal(response.status(), 200);
  await stranger.waitForSelector('h1:text("メールの配信停止")');
  assert.equal(await stranger.locator('#unsubscribe-done').count(), 0, 'opening the link changes nothing');
  await stranger.waitForSelector('text=「お知らせ」のメールの配信を止めますか。');
  await expectAccessible(stranger, 'unsubscribe page');
  await member.reload();
  assert.ok(await notices.getByRole('radio', { name: 'すぐに' }).isChecked(), 'still at once before the button');
  const stop = stranger.getByRole('button', { name: '配信を止める' });
  await tabTo(stranger, stop, 'the stop button');
  await stranger.keyboard.press('Enter');
  await stranger.waitForSelector('#unsubscribe-done');
  assert.equal(await stranger.locator('#unsubscribe-done').innerText(), '「お知らせ」のメールの配信を止めました。');
  await expectAccessible(stranger, 'unsubscribe done');
  assert.equal(await stranger.getByRole('link', { name: 'ログアウト' }).count(), 0, 'still not logged in');

  await member.goto(`${server.base}/account/mail`);
  assert.ok(await notices.getByRole('radio', { name: '受け取らない' }).isChecked(), 'board notices stopped');
  assert.ok(await member.getByRole('group', { name: '掲示板：助成金情報' }).getByRole('radio', { name: '毎週のまとめ' }).isChecked(),
    'other kinds left as they were');
});

test('the mail choices read well in English', async () => {
  const page = await (await browser.newContext({ locale: 'ja-JP' })).newPage();
  await logIn(page, 'company@example.jp');
  await page.goto(`${server.base}/account/mail`);
  await page.getByRole('button', { name: 'English' }).click();
  await page.waitForSelector('h1:text("News by mail")');
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  // A board kind's legend keeps the space after its prefix (Fluent trims trailing spaces).
  const notices = page.getByRole('group', { name: 'Board: Notice', exact: true });
  assert.ok(await notices.getByRole('radio', { name: 'Weekly digest' }).isChecked());
  await expectAccessible(page, 'mail choices in English');
});
