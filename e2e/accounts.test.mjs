// A person signs up, confirms the e-mail, logs in and edits the profile in a real
// browser; every page visited has zero axe-core (WCAG 2.1 AA) violations, works by
// keyboard, and fits a 320 px wide screen.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { expectAccessible, launchBrowser, startServer } from './server.mjs';

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('sign up, confirm, log in and edit the profile, accessibly', async () => {
  const context = await browser.newContext({ locale: 'ja-JP' });
  const page = await context.newPage();

  await page.goto(`${server.base}/`);
  assert.equal(await page.getAttribute('html', 'lang'), 'ja');
  await expectAccessible(page, 'home');
  // The first Tab reaches the skip link, which moves focus to the main content.
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.className), 'skip-link');
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => location.hash), '#main');

  await page.goto(`${server.base}/signup`);
  await expectAccessible(page, 'sign-up form');
  // Send it empty: the errors are announced and tied to their fields.
  await page.getByRole('button', { name: '登録する' }).click();
  await page.waitForSelector('.error-summary');
  assert.equal(await page.getAttribute('#email', 'aria-invalid'), 'true');
  await expectAccessible(page, 'sign-up form with errors');

  await page.getByLabel('メールアドレス').fill('e2e@example.jp');
  await page.getByLabel('パスワード').fill('a long enough password');
  await page.getByLabel('表示名').fill('試験 花子');
  await page.getByLabel('フリガナ').fill('しけん はなこ');
  await page.getByLabel('属性').selectOption('npo');
  await page.getByLabel('所属').fill('NPO法人あおば');
  await page.getByLabel('個人情報の取り扱いに同意します').check();
  await page.getByRole('button', { name: '登録する' }).click();
  await page.waitForSelector('h1:text("確認メールを送りました")');
  await expectAccessible(page, 'sign-up done');

  const mail = server.mails().find((m) => m.includes('e2e@example.jp'));
  assert.ok(mail, 'verification mail written to the mailbox');
  const link = mail.match(/http\S+\/account\/verify\?token=\S+/)[0];
  await page.goto(link);
  await expectAccessible(page, 'verify the address');
  await page.getByRole('button', { name: 'メールアドレスを確認する' }).click();
  await page.waitForSelector('text=メールアドレスを確認しました');
  await expectAccessible(page, 'login form');

  await page.getByLabel('メールアドレス').fill('e2e@example.jp');
  await page.getByLabel('パスワード').fill('a long enough password');
  await page.getByRole('button', { name: 'ログインする' }).click();
  await page.waitForSelector('text=ログインしました');
  await page.getByRole('link', { name: 'マイページ' }).click();
  await page.waitForSelector('h1:text("マイページ")');
  await expectAccessible(page, 'my page');
  await page.getByRole('link', { name: 'プロフィールと設定' }).click();
  await page.waitForSelector('h1:text("プロフィールと設定")');
  await expectAccessible(page, 'profile and settings');
  await page.getByLabel('表示名').fill('試験 はなこ');
  await page.getByRole('button', { name: '保存する' }).click();
  await page.waitForSelector('text=プロフィールを保存しました');
  assert.equal(await page.inputValue('#display_name'), '試験 はなこ');

  // English, with the switch in the header.
  await page.getByRole('button', { name: 'English' }).click();
  await page.waitForSelector('h1:text("Profile and settings")');
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  await expectAccessible(page, 'profile and settings in English');
  await page.getByRole('link', { name: 'My page' }).click();
  await page.waitForSelector('h1:text("My page")');
  await expectAccessible(page, 'my page in English');

  await page.getByRole('button', { name: 'Log out' }).click();
  await page.waitForSelector('a:text("Log in")');
  await context.close();
});

test('pages fit a 320 px wide phone and 200% zoom without sideways scrolling', async () => {
  for (const viewport of [{ width: 320, height: 640 }, { width: 640, height: 480 }]) {
    const context = await browser.newContext({ viewport, locale: 'ja-JP' });
    const page = await context.newPage();
    for (const path of ['/', '/signup', '/login', '/privacy', '/password/forgot', '/events', '/checkin', '/issues', '/issues/new', '/no-such-page']) {
      await page.goto(`${server.base}${path}`);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `${path} at ${viewport.width}px scrolls sideways by ${overflow}px`);
      await expectAccessible(page, `${path} at ${viewport.width}px`);
    }
    await context.close();
  }
});
