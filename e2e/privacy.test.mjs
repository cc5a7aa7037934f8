// Personal data in a real browser, on the demo server. The privacy notice (/privacy) shows
// its version, the retention periods and, to a member, that they have agreed; a new account
// made by sign-up has agreed to it, and the sign-up and registration forms say what the
// data is for. A visitor registers for a session as a guest; the secretariat answers the
// guest's request on /admin/people: finds them by e-mail (typed in full-width letters too),
// hands their data over as JSON, corrects their name with the keyboard alone and deletes
// them; each step is a line of the access log. Every page has zero axe-core (WCAG 2.1 AA)
// violations at full width, on a 320 px phone and at 200% zoom, and never scrolls sideways.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { expectAccessible, launchBrowser, logIn as logInAt, noSidewaysScroll, startServer, tabTo } from './server.mjs';

const logIn = (page, email) => logInAt(page, server.base, email);

let server;
let browser;
let memberState;
let adminState;
let guestId;
let versionLine;

const GUEST_EMAIL = 'seikyu@example.jp';
// The same address as someone might type it with a Japanese input method on.
const GUEST_EMAIL_WIDE = 'ＳＥＩＫＹＵ＠ｅｘａｍｐｌｅ．ｊｐ';

before(async () => {
  server = await startServer({ demo: true });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

// Text with whitespace collapsed.
const squash = (s) => (s ?? '').replace(/\s+/g, ' ').trim();

// The guest page's facts, as { 氏名: '…', … }.
function facts(page) {
  return page.locator('dl.facts').evaluate((dl) => {
    const out = {};
    for (const dt of dl.querySelectorAll('dt')) out[dt.textContent.trim()] = dt.nextElementSibling.textContent.trim();
    return out;
  });
}

// The purpose line of the form `form` (a locator): 「利用目的：…」 with a link to the notice.
async function expectPurpose(form, what, says) {
  const purpose = form.locator('p.purpose');
  assert.equal(await purpose.count(), 1, `one purpose line on ${what}`);
  const text = squash(await purpose.textContent());
  assert.ok(text.startsWith('利用目的：'), `${what}: purpose line ${JSON.stringify(text)}`);
  assert.ok(text.includes(says), `${what}: purpose line ${JSON.stringify(text)} says ${says}`);
  assert.equal(await purpose.getByRole('link', { name: '個人情報の取り扱い' }).getAttribute('href'), '/privacy');
}

// The rows of the access log, each as its class and cells.
function logRows(page) {
  return page.locator('.table-scroll table tbody tr').evaluateAll((trs) =>
    trs.map((tr) => ({ kind: tr.className, cells: [...tr.cells].map((td) => td.textContent.trim()) })));
}

test('the privacy notice shows its version, the retention periods and, to a member, the consent given', async () => {
  // A visitor.
  const visitor = await browser.newContext({ locale: 'ja-JP' });
  const v = await visitor.newPage();
  const response = await v.goto(`${server.base}/privacy`);
  assert.equal(response.status(), 200);
  await v.getByRole('heading', { level: 1, name: '個人情報の取り扱い' }).waitFor();
  assert.ok((await v.title()).includes('個人情報の取り扱い'), 'the title names the page');
  versionLine = squash(await v.locator('main h1 + p').textContent());
  assert.match(versionLine, /^令和\d+年\d+月\d+日（.）版$/, `version line ${JSON.stringify(versionLine)}`);
  // 保存期間: a heading, then the periods (in days).
  assert.equal(await v.getByRole('heading', { level: 2, name: '保存期間' }).count(), 1);
  const retention = squash(await v.locator('#retention').textContent());
  assert.ok(retention.includes('アカウントを削除するまで'), `retention ${JSON.stringify(retention)}`);
  assert.match(retention, /最後のセッションから\d+日たったら消去します/);
  assert.match(retention, /閲覧の記録は\d+日保存します/);
  // 同意: a visitor is told when consent is asked, and has nothing to agree to here.
  assert.equal(squash(await v.locator('#consent').textContent()), '同意');
  const guestConsent = squash(await v.locator('#consent + p').textContent());
  assert.ok(guestConsent.includes('新規登録やセッションへの申し込みのときに'), `visitor's 同意 ${JSON.stringify(guestConsent)}`);
  assert.equal(await v.getByRole('button', { name: '同意する' }).count(), 0, 'no consent button for a visitor');
  await expectAccessible(v, 'privacy notice (visitor)');
  await noSidewaysScroll(v, 'privacy notice (visitor) at full width');
  await visitor.close();

  // A demo member has already agreed to this version.
  const member = await browser.newContext({ locale: 'ja-JP' });
  const m = await member.newPage();
  await logIn(m, 'member@example.jp');
  await m.goto(`${server.base}/privacy`);
  await m.getByRole('heading', { level: 1, name: '個人情報の取り扱い' }).waitFor();
  assert.equal(squash(await m.locator('main h1 + p').textContent()), versionLine, 'the same version for a member');
  const given = squash(await m.locator('#consent + p').textContent());
  assert.equal(given, `${versionLine}に同意いただいています。`);
  assert.equal(await m.getByRole('button', { name: '同意する' }).count(), 0, 'nothing to agree to again');
  // Not asked again anywhere.
  assert.equal(await m.getByText('個人情報の取り扱いを改訂しました').count(), 0);
  await expectAccessible(m, 'privacy notice (member)');
  await noSidewaysScroll(m, 'privacy notice (member) at full width');
  memberState = await member.storageState();
  await member.close();
});

test('the sign-up form says what the data is for, and a new account has agreed to the notice', async () => {
  const context = await browser.newContext({ locale: 'ja-JP' });
  const page = await context.newPage();
  await page.goto(`${server.base}/signup`);
  const form = page.locator('form[action="/signup"]');
  await expectPurpose(form, 'the sign-up form', 'ログインとご連絡');
  // Without the consent ticked, nothing is made.
  await page.getByLabel('メールアドレス').fill('privacy-e2e@example.jp');
  await page.getByLabel('パスワード').fill('a long enough password');
  await page.getByLabel('表示名').fill('同意 さくら');
  await page.getByLabel('フリガナ').fill('どうい さくら');
  await page.getByLabel('属性').selectOption('citizen');
  await page.getByLabel('所属').fill('');
  const refused = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/signup'));
  await page.getByRole('button', { name: '登録する' }).click();
  assert.equal((await refused).status(), 422, 'sign-up without consent is refused');
  await page.locator('.error-summary').waitFor();
  assert.equal(await page.getAttribute('#consent', 'aria-invalid'), 'true');
  await expectAccessible(page, 'sign-up without consent');
  await expectPurpose(page.locator('form[action="/signup"]'), 'the sign-up form with errors', 'ログインとご連絡');

  await page.getByLabel('パスワード').fill('a long enough password');
  await page.getByLabel('個人情報の取り扱いに同意します').check();
  await page.getByRole('button', { name: '登録する' }).click();
  await page.waitForSelector('h1:text("確認メールを送りました")');
  const mail = server.mails().find((m) => m.includes('privacy-e2e@example.jp'));
  assert.ok(mail, 'verification mail written to the mailbox');
  await page.goto(mail.match(/http\S+\/account\/verify\?token=\S+/)[0]);
  await page.getByRole('button', { name: 'メールアドレスを確認する' }).click();
  await page.waitForSelector('text=メールアドレスを確認しました');
  await page.getByLabel('メールアドレス').fill('privacy-e2e@example.jp');
  await page.getByLabel('パスワード').fill('a long enough password');
  await page.getByRole('button', { name: 'ログインする' }).click();
  await page.waitForSelector('text=ログインしました');
  // Not asked to agree again: the consent at sign-up is to the current version.
  assert.equal(await page.getByText('個人情報の取り扱いを改訂しました').count(), 0, 'not asked again after sign-up');

  await page.goto(`${server.base}/privacy`);
  const given = squash(await page.locator('#consent + p').textContent());
  assert.equal(given, `${versionLine}に同意いただいています。`);
  // The consent is recorded as given on the sign-up form.
  const history = (await page.locator('#consent ~ ul li').allTextContents()).map(squash);
  assert.ok(history.some((h) => h.includes('新規登録')), `consent history ${JSON.stringify(history)}`);
  await expectAccessible(page, 'privacy notice (new account)');
  await context.close();
});

test('a guest registers, and the secretariat finds, discloses and corrects their data by keyboard', async () => {
  // 1. A visitor registers for the upcoming demo session; the form says what for.
  const visitor = await browser.newContext({ locale: 'ja-JP' });
  const g = await visitor.newPage();
  await g.goto(`${server.base}/events`);
  const sessionLink = g.locator('section[aria-labelledby="upcoming-heading"] a').first();
  const sessionTitle = squash(await sessionLink.textContent());
  await Promise.all([g.waitForURL(/\/events\/\d+$/), sessionLink.click()]);
  const registration = g.locator('form[action$="/registrations"]');
  await expectPurpose(registration, 'the registration form', 'お申し込みの確認');
  await g.getByRole('group', { name: '参加方法' }).getByRole('radio').first().check();
  await g.getByLabel('氏名').fill('請求 太郎');
  await g.getByLabel('フリガナ').fill('せいきゅう たろう');
  await g.getByLabel('メールアドレス').fill(GUEST_EMAIL);
  await g.getByLabel('属性').selectOption('citizen');
  await g.getByLabel('所属').fill('あおば町内会');
  await g.getByLabel('個人情報の取り扱いに同意します').check();
  await g.getByRole('button', { name: '申し込む' }).click();
  await g.waitForSelector('h1:text("申し込みました")');
  await visitor.close();

  // 2. The secretariat looks the guest up by the address, typed in full-width letters.
  const context = await browser.newContext({ locale: 'ja-JP' });
  const page = await context.newPage();
  await logIn(page, 'admin@example.jp');
  await page.goto(`${server.base}/admin/people`);
  await page.getByRole('heading', { level: 1, name: '申込者の情報（開示・訂正・削除の請求）' }).waitFor();
  await expectAccessible(page, '/admin/people');
  await noSidewaysScroll(page, '/admin/people at full width');
  // An address nobody registered with: said so.
  await page.getByLabel('メールアドレス').fill('nobody-here@example.jp');
  await page.getByRole('button', { name: '探す' }).click();
  await page.getByText('このメールアドレスの申込者は見つかりませんでした。').waitFor();
  // An account's address: the person answers for themselves.
  await page.getByLabel('メールアドレス').fill('member@example.jp');
  await page.getByRole('button', { name: '探す' }).click();
  await page.getByText('このメールアドレスはアカウントのものです。').waitFor();
  await expectAccessible(page, '/admin/people, an account\'s address');

  await page.getByLabel('メールアドレス').fill(GUEST_EMAIL_WIDE);
  await page.getByRole('button', { name: '探す' }).click();
  await page.getByRole('heading', { level: 1, name: '申込者の情報', exact: true }).waitFor();
  const json = page.getByRole('link', { name: '情報をダウンロードする（JSON）' });
  const csv = page.getByRole('link', { name: '情報をダウンロードする（CSV、Excel向け）' });
  const jsonHref = await json.getAttribute('href');
  const m = jsonHref.match(/^\/admin\/people\/(\d+)\/export\.json$/);
  assert.ok(m, `JSON link ${jsonHref}`);
  guestId = m[1];
  assert.equal(await csv.getAttribute('href'), `/admin/people/${guestId}/export.csv`);
  const held = await facts(page);
  assert.equal(held['氏名'], '請求 太郎');
  assert.equal(held['フリガナ'], 'セイキュウ タロウ', 'furigana kept in katakana');
  assert.equal(held['メールアドレス'], GUEST_EMAIL);
  assert.equal(held['属性'], '市民');
  assert.equal(held['所属'], 'あおば町内会');
  const registrations = (await page.locator('h3:text("申し込み") + ul li').allTextContents()).map(squash);
  assert.ok(registrations.some((r) => r.startsWith(sessionTitle) && r.endsWith('申し込み済み')),
    `registrations ${JSON.stringify(registrations)} name ${sessionTitle}`);
  const consents = (await page.locator('h3:text("同意") + ul li').allTextContents()).map(squash);
  assert.ok(consents.some((c) => c.includes('セッションへの申し込み')), `consents ${JSON.stringify(consents)}`);
  await expectAccessible(page, 'the guest found by e-mail');

  // 3. The data handed over as JSON: what the page shows.
  const [download] = await Promise.all([page.waitForEvent('download'), json.click()]);
  assert.equal(download.suggestedFilename(), `socialhub-person-${guestId}.json`);
  const body = readFileSync(await download.path(), 'utf8');
  JSON.parse(body);
  for (const held of ['請求 太郎', 'セイキュウ タロウ', GUEST_EMAIL, 'あおば町内会']) {
    assert.ok(body.includes(held), `the JSON holds ${held}`);
  }

  // 4. The guest's own page.
  const guestUrl = `${server.base}/admin/people/${guestId}`;
  await page.goto(guestUrl);
  assert.equal((await facts(page))['氏名'], '請求 太郎');
  await expectAccessible(page, 'the guest page');
  await noSidewaysScroll(page, 'the guest page at full width');

  // 5. A correction without a name is refused, the error tied to the field.
  await page.getByLabel('氏名').fill('');
  const refused = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith(`/admin/people/${guestId}/correct`));
  await page.getByRole('button', { name: '訂正する' }).click();
  assert.equal((await refused).status(), 422);
  const summary = page.locator('.error-summary');
  await summary.waitFor();
  assert.ok(squash(await summary.textContent()).includes('氏名を入力してください。'));
  assert.equal(await summary.getByRole('link', { name: '氏名を入力してください。' }).getAttribute('href'), '#name');
  assert.equal(await page.getAttribute('#name', 'aria-invalid'), 'true');
  assert.equal((await facts(page))['氏名'], '請求 太郎', 'nothing changed');
  await expectAccessible(page, 'the guest page with a correction error');
  await noSidewaysScroll(page, 'the guest page with a correction error at full width');

  // 6. The correction with the keyboard alone: Tab to 氏名, type, Tab to フリガナ, type, Enter.
  const name = page.getByLabel('氏名');
  await tabTo(page, name, 'the 氏名 field');
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.type('請求 次郎');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'furigana', 'Tab goes from 氏名 to フリガナ');
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.type('せいきゅう じろう');
  await Promise.all([page.waitForURL(guestUrl), page.keyboard.press('Enter')]);
  await page.getByText('訂正しました。アクセス記録に残しました。').waitFor();
  const corrected = await facts(page);
  assert.equal(corrected['氏名'], '請求 次郎');
  assert.equal(corrected['フリガナ'], 'セイキュウ ジロウ');
  assert.equal(corrected['メールアドレス'], GUEST_EMAIL, 'the address unchanged');
  assert.equal(await page.inputValue('#name'), '請求 次郎', 'the form shows the corrected name');
  await expectAccessible(page, 'the guest page, corrected');

  adminState = await context.storageState();
  await context.close();
});

test('the privacy and guest pages fit a 320 px phone and 200% zoom, with zero axe violations', async () => {
  assert.ok(memberState && adminState && guestId, 'the stories above ran');
  // A phone 320 px wide and a 1280 px screen at 200% zoom (640 CSS px).
  for (const viewport of [{ width: 320, height: 640 }, { width: 640, height: 400 }]) {
    const at = `at ${viewport.width} px`;
    const visitor = await browser.newContext({ locale: 'ja-JP', viewport });
    const v = await visitor.newPage();
    for (const path of ['/privacy', '/signup']) {
      await v.goto(`${server.base}${path}`);
      await noSidewaysScroll(v, `${path} (visitor) ${at}`);
      await expectAccessible(v, `${path} (visitor) ${at}`);
    }
    await visitor.close();

    const member = await browser.newContext({ locale: 'ja-JP', viewport, storageState: memberState });
    const m = await member.newPage();
    await m.goto(`${server.base}/privacy`);
    assert.ok(squash(await m.locator('#consent + p').textContent()).endsWith('に同意いただいています。'));
    await noSidewaysScroll(m, `/privacy (member) ${at}`);
    await expectAccessible(m, `/privacy (member) ${at}`);
    await member.close();

    const admin = await browser.newContext({ locale: 'ja-JP', viewport, storageState: adminState });
    const page = await admin.newPage();
    await page.goto(`${server.base}/admin/people`);
    await page.getByRole('button', { name: '探す' }).waitFor();
    await noSidewaysScroll(page, `/admin/people ${at}`);
    await expectAccessible(page, `/admin/people ${at}`);
    await page.goto(`${server.base}/admin/people/${guestId}`);
    await page.locator('dl.facts').waitFor();
    await noSidewaysScroll(page, `the guest page ${at}`);
    await expectAccessible(page, `the guest page ${at}`);
    await page.getByLabel('氏名').fill('');
    const refused = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/correct'));
    await page.getByRole('button', { name: '訂正する' }).click();
    assert.equal((await refused).status(), 422);
    await page.locator('.error-summary').waitFor();
    await noSidewaysScroll(page, `the guest page with a correction error ${at}`);
    await expectAccessible(page, `the guest page with a correction error ${at}`);
    await admin.close();
  }
});

test('the secretariat deletes the guest, and every step is in the access log', async () => {
  assert.ok(adminState && guestId, 'the story above found the guest');
  const context = await browser.newContext({ locale: 'ja-JP', storageState: adminState });
  const page = await context.newPage();
  await page.goto(`${server.base}/admin/people/${guestId}`);

  // Without the tick, nothing is deleted.
  const refused = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/delete'));
  await page.getByRole('button', { name: '削除する' }).click();
  assert.equal((await refused).status(), 422);
  await page.getByText('削除するときは、確認のチェックを入れてください。').first().waitFor();
  assert.equal(await page.getAttribute('#confirm', 'aria-invalid'), 'true');
  assert.equal((await facts(page))['氏名'], '請求 次郎', 'nothing deleted');
  await expectAccessible(page, 'the guest page with a deletion error');

  await page.getByLabel('ご本人の請求により削除します').check();
  await Promise.all([page.waitForURL(`${server.base}/admin/people`), page.getByRole('button', { name: '削除する' }).click()]);
  await page.getByText('削除しました。アクセス記録に残しました。').waitFor();
  await expectAccessible(page, '/admin/people after a deletion');

  // The address no longer finds anyone, and the guest's page is gone.
  await page.getByLabel('メールアドレス').fill(GUEST_EMAIL);
  await page.getByRole('button', { name: '探す' }).click();
  await page.getByText('このメールアドレスの申込者は見つかりませんでした。').waitFor();
  const gone = await page.goto(`${server.base}/admin/people/${guestId}`);
  assert.equal(gone.status(), 404, 'the deleted guest has no page');

  // The access log: looked up, disclosed, corrected, deleted, all naming the address.
  await page.goto(`${server.base}/admin/access-log`);
  await page.getByRole('heading', { level: 1, name: 'アクセス記録' }).waitFor();
  const rows = await logRows(page);
  const of = (kind) => rows.filter((r) => r.kind === kind);
  for (const [kind, label] of [
    ['access-guest-looked-up', '申込者情報の閲覧（本人の請求）'],
    ['access-guest-disclosed', '申込者情報の開示'],
    ['access-guest-corrected', '申込者情報の訂正'],
    ['access-guest-deleted', '申込者情報の削除'],
  ]) {
    const found = of(kind);
    assert.ok(found.length >= 1, `a ${kind} line in ${JSON.stringify(rows.map((r) => r.kind))}`);
    for (const r of found) {
      assert.equal(r.cells[1], '青葉 花子', `${kind} by the secretariat`);
      assert.equal(r.cells[2], label);
      assert.ok(r.cells[3].includes(GUEST_EMAIL), `${kind} names the address: ${JSON.stringify(r.cells)}`);
    }
  }
  assert.equal(of('access-guest-deleted').length, 1, 'deleted once');
  // Newest first: the deletion after the correction after the first look.
  const index = (kind) => rows.findIndex((r) => r.kind === kind);
  const lastLookedUp = rows.map((r) => r.kind).lastIndexOf('access-guest-looked-up');
  assert.ok(index('access-guest-deleted') < index('access-guest-corrected'), 'deleted after corrected');
  assert.ok(rows.map((r) => r.kind).lastIndexOf('access-guest-corrected') < lastLookedUp, 'corrected after looked up');
  await expectAccessible(page, 'access log with the guest request');

  // A plain member may not open these pages.
  const member = await browser.newContext({ locale: 'ja-JP', storageState: memberState });
  const mp = await member.newPage();
  assert.equal((await mp.goto(`${server.base}/admin/people`)).status(), 403);
  await member.close();
  await context.close();
});
