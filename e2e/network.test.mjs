// The network in a real browser, on the demo data (whose accounts belong to organisations,
// two of them in the directory, and whose board has three posts): a member records an
// organisation, the coordinator asks to belong by keyboard and is confirmed; a member
// fills their directory profile and chooses who sees each part; a member posts on the
// board for members only and a reader marks it useful by keyboard. Mistakes in each form
// are shown and the input kept; every page has zero axe-core (WCAG 2.1 AA) violations and
// reads on a 320 px wide phone.
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

test('a member records an organisation and a colleague joins, accessibly', async () => {
  const visitor = await (await browser.newContext({ locale: 'ja-JP' })).newPage();
  await visitor.goto(`${server.base}/organisations`);
  await expectAccessible(visitor, 'organisations');
  // The demo's coordinator shows their organisation to everyone; the company's person to nobody.
  await visitor.getByRole('link', { name: 'NPO法人底上げ' }).click();
  assert.deepEqual(await visitor.locator('#people li').allInnerTexts(), ['宮城 太郎 管理者']);
  await visitor.goto(`${server.base}/organisations`);
  await visitor.getByRole('link', { name: '株式会社杜の都技研' }).click();
  assert.equal(await visitor.locator('#people li').count(), 0);

  const member = await (await browser.newContext({ locale: 'ja-JP' })).newPage();
  await logIn(member, 'member@example.jp');
  await member.goto(`${server.base}/organisations/new`);
  await expectAccessible(member, 'new organisation form');
  await member.getByLabel('活動内容').fill('高齢者の見守りと居場所づくり');
  await member.getByRole('button', { name: '保存する' }).click();
  await member.waitForSelector('text=団体名を入力してください');
  await expectAccessible(member, 'organisation form with errors');
  assert.equal(await member.getByLabel('活動内容').inputValue(), '高齢者の見守りと居場所づくり', 'input kept');
  await member.getByLabel('団体名').fill('若林区見守りネットワーク');
  await member.getByLabel('種類').selectOption('neighbourhood');
  await member.getByLabel('所属を誰に表示するか').selectOption('public');
  await member.getByRole('button', { name: '保存する' }).click();
  await member.waitForSelector('text=団体の情報を保存しました');
  const path = new URL(member.url()).pathname;
  await expectAccessible(member, 'organisation page, its admin');

  // The coordinator asks to belong, with the keyboard alone.
  const coordinator = await (await browser.newContext({ locale: 'ja-JP' })).newPage();
  await logIn(coordinator, 'coordinator@example.jp');
  await coordinator.goto(`${server.base}${path}`);
  await expectAccessible(coordinator, 'organisation page, before joining');
  const choice = coordinator.getByLabel('所属を誰に表示するか');
  await tabTo(coordinator, choice, 'who sees it');
  await coordinator.keyboard.press('ArrowUp'); // nobody → coordinators only
  await tabTo(coordinator, coordinator.getByRole('button', { name: '所属を申し出る' }), 'the join button');
  await coordinator.keyboard.press('Enter');
  await coordinator.waitForSelector('text=所属を申し出ました');

  await member.goto(`${server.base}${path}/people`);
  await expectAccessible(member, 'its people');
  await member.getByRole('button', { name: '承認する: 宮城 太郎' }).click();
  await member.waitForSelector('text=所属を承認しました');
  await member.goto(`${server.base}${path}`);
  assert.deepEqual(await member.locator('#people li').allInnerTexts(), ['仙台 一郎 管理者'], 'shown to coordinators only');
  await coordinator.goto(`${server.base}${path}`);
  assert.deepEqual(await coordinator.locator('#people li').allInnerTexts(), ['仙台 一郎 管理者', '宮城 太郎']);

  const phone = await (await browser.newContext({ locale: 'ja-JP', viewport: { width: 320, height: 640 } })).newPage();
  await phone.goto(`${server.base}${path}`);
  await noSidewaysScroll(phone, 'organisation page at 320 px');
  await expectAccessible(phone, 'organisation page at 320 px');
});

test('a member fills their directory profile and chooses who sees it, accessibly', async () => {
  const visitor = await (await browser.newContext({ locale: 'ja-JP' })).newPage();
  await visitor.goto(`${server.base}/people`);
  await expectAccessible(visitor, 'the directory');
  // The demo coordinator shows themselves to everyone, the demo member to members only.
  const names = await visitor.locator('#people h2').allInnerTexts();
  assert.ok(names.includes('宮城 太郎') && !names.includes('仙台 一郎'), names.join(', '));

  const company = await (await browser.newContext({ locale: 'ja-JP' })).newPage();
  await logIn(company, 'company@example.jp');
  await company.goto(`${server.base}/account/directory`);
  await expectAccessible(company, 'directory profile form');
  await company.getByLabel('関心のある分野', { exact: true }).fill('プロボノ、DX');
  await company.getByLabel('提供できること（スキル）', { exact: true }).fill('業務システムの相談');
  await company.getByLabel('「名前」を見せる相手').selectOption('public');
  await company.getByLabel('「提供できること（スキル）」を見せる相手').selectOption('public');
  await company.getByRole('button', { name: '保存する' }).click();
  await company.waitForSelector('text=名簿の情報を保存しました');
  await expectAccessible(company, 'own directory page');

  await visitor.goto(`${server.base}/people?interest=${encodeURIComponent('DX')}`);
  assert.deepEqual(await visitor.locator('#people h2').allInnerTexts(), [], 'interests are for members only');
  await visitor.goto(`${server.base}/people`);
  await visitor.getByRole('link', { name: '杜 優子' }).click();
  assert.equal(await visitor.locator('#skills').innerText(), '業務システムの相談');
  assert.equal(await visitor.locator('#interests').count(), 0);
  await expectAccessible(visitor, 'a person seen by the public');

  const phone = await (await browser.newContext({ locale: 'ja-JP', viewport: { width: 320, height: 640 } })).newPage();
  await phone.goto(`${server.base}/people`);
  await noSidewaysScroll(phone, 'directory at 320 px');
});

test('a member posts on the board and a reader marks it useful, accessibly', async () => {
  const visitor = await (await browser.newContext({ locale: 'ja-JP' })).newPage();
  await visitor.goto(`${server.base}/board`);
  await expectAccessible(visitor, 'the board');
  // The demo's pinned notice first; the members' data post is not for the public.
  const titles = await visitor.locator('#posts h2').allInnerTexts();
  assert.equal(titles[0], '掲示板をはじめました');
  assert.ok(!titles.includes('町内会アンケートの集計'), titles.join(', '));

  const member = await (await browser.newContext({ locale: 'ja-JP' })).newPage();
  await logIn(member, 'member@example.jp');
  await member.goto(`${server.base}/board/new`);
  await expectAccessible(member, 'new post form');
  await member.getByLabel('題名').fill('防災訓練の写真を共有します');
  await member.getByRole('button', { name: '保存する' }).click();
  await member.waitForSelector('text=分類を選んでください');
  await expectAccessible(member, 'post form with errors');
  assert.equal(await member.getByLabel('題名').inputValue(), '防災訓練の写真を共有します', 'input kept');
  await member.getByLabel('分類').selectOption('project');
  await member.getByLabel('本文').fill('10月の**防災訓練**には40人が参加しました。');
  await member.getByLabel('会員だけ').check();
  await member.getByRole('button', { name: '保存する' }).click();
  await member.waitForSelector('text=投稿を保存しました');
  await expectAccessible(member, 'a post');
  const path = new URL(member.url()).pathname;

  const coordinator = await (await browser.newContext({ locale: 'ja-JP' })).newPage();
  await logIn(coordinator, 'coordinator@example.jp');
  await coordinator.goto(`${server.base}${path}`);
  const useful = coordinator.getByRole('button', { name: '参考になった' });
  await tabTo(coordinator, useful, 'the useful button');
  await coordinator.keyboard.press('Enter');
  await coordinator.waitForSelector('text=参考になった 1人');
  assert.equal(await coordinator.getByRole('button', { name: '参考になった' }).getAttribute('aria-pressed'), 'true');

  const response = await visitor.goto(`${server.base}${path}`);
  assert.equal(response.status(), 404, 'members only');
  const phone = await (await browser.newContext({ locale: 'ja-JP', viewport: { width: 320, height: 640 } })).newPage();
  await phone.goto(`${server.base}/board`);
  await noSidewaysScroll(phone, 'board at 320 px');
});
