// Pro bono in a real browser, on the demo data (whose own needs and offers stay beside):
// a new NPO member signs up, records their organisation and posts a need for it by
// keyboard; the company's member posts an offer; the coordinator finds the match in
// their queue with its reasons, introduces them, and both accept by keyboard, after which
// each sees the other's contact details and one records the outcome. Every page has zero
// axe-core (WCAG 2.1 AA) violations, the need form also with its errors; the need form, a
// need's page and an introduction read on a 320 px wide phone and at 200% zoom.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { expectAccessible, launchBrowser, logIn as logInAt, noSidewaysScroll, startServer, tabTo } from './server.mjs';

const logIn = (page, email) => logInAt(page, server.base, email);

let server;
let browser;
// Made by the first test, read again by the second.
let npoState;
let needPath;
let introPath;

before(async () => {
  server = await startServer({ demo: true });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

// Tab to a field and type into it, as someone using only the keyboard would.
async function typeInto(page, locator, text, what) {
  await tabTo(page, locator, what);
  await page.keyboard.type(text);
  assert.equal(await locator.inputValue(), text, `${what} as typed`);
}

// Tab to a closed <select> and move its choice with the arrow keys until `value`.
async function chooseWithArrows(page, locator, value, what) {
  await tabTo(page, locator, what);
  for (let i = 0; i < 20 && (await locator.inputValue()) !== value; i++) await page.keyboard.press('ArrowDown');
  assert.equal(await locator.inputValue(), value, `${what}: chosen with the arrow keys`);
}

// Tab to a button or a link and press Enter, waiting for the page it leads to.
async function pressEnterOn(page, locator, what) {
  await tabTo(page, locator, what);
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
}

const NEED = '子ども食堂のチラシのデザインを8時間';
const OFFER = 'デザインの相談にのります（月5時間まで）';
const NPO = 'NPO法人あおば子ども食堂';
const COMPANY = '株式会社杜の都技研'; // the demo company's organisation, its member its admin

test('an NPO\'s need meets a company\'s offer through a coordinator, by keyboard and accessibly', async () => {
  // A new NPO member signs up and confirms the address (the sign-up pages have their own test).
  const npoContext = await browser.newContext({ locale: 'ja-JP' });
  const npo = await npoContext.newPage();
  await npo.goto(`${server.base}/signup`);
  await npo.getByLabel('メールアドレス').fill('aoba@example.jp');
  await npo.getByLabel('パスワード').fill('a long enough password');
  await npo.getByLabel('表示名').fill('青葉 さくら');
  await npo.getByLabel('フリガナ').fill('あおば さくら');
  await npo.getByLabel('属性').selectOption('npo');
  await npo.getByLabel('所属').fill(NPO);
  await npo.getByLabel('個人情報の取り扱いに同意します').check();
  await npo.getByRole('button', { name: '登録する' }).click();
  await npo.waitForSelector('h1:text("確認メールを送りました")');
  const mail = server.mails().find((m) => m.includes('aoba@example.jp'));
  await npo.goto(mail.match(/http\S+\/account\/verify\?token=\S+/)[0]);
  await npo.getByRole('button', { name: 'メールアドレスを確認する' }).click();
  await npo.waitForSelector('text=メールアドレスを確認しました');
  await npo.getByLabel('メールアドレス').fill('aoba@example.jp');
  await npo.getByLabel('パスワード').fill('a long enough password');
  await npo.getByRole('button', { name: 'ログインする' }).click();
  await npo.waitForSelector('text=ログインしました');

  // 1. The NPO member records their organisation.
  await npo.goto(`${server.base}/organisations/new`);
  await npo.getByLabel('団体名').fill(NPO);
  await npo.getByLabel('種類').selectOption('npo');
  await npo.getByRole('button', { name: '保存する' }).click();
  await npo.waitForSelector('text=団体の情報を保存しました');

  // 2. The need form, first sent empty: the errors are listed and tied to their fields.
  await npo.goto(`${server.base}/needs`);
  await pressEnterOn(npo, npo.getByRole('link', { name: '困りごとを載せる' }), 'the link to the need form');
  assert.equal(new URL(npo.url()).pathname, '/needs/new');
  await expectAccessible(npo, 'new need form');
  await pressEnterOn(npo, npo.getByRole('button', { name: '保存する' }), 'the save button');
  await npo.waitForSelector('.error-summary');
  assert.equal(await npo.getAttribute('#title', 'aria-invalid'), 'true');
  assert.equal(await npo.getAttribute('#kind', 'aria-invalid'), 'true');
  const summary = await npo.locator('.error-summary li').allInnerTexts();
  assert.ok(summary.includes('見出しを入力してください。') && summary.includes('種類を選んでください。'), summary.join(' / '));
  await expectAccessible(npo, 'new need form with errors');

  // Then filled by keyboard: typing, arrows in the selects, Space on a skill.
  await typeInto(npo, npo.locator('#title'), NEED, 'the title');
  await chooseWithArrows(npo, npo.locator('#kind'), 'skill', 'the kind');
  const design = npo.getByRole('checkbox', { name: 'デザイン', exact: true });
  await tabTo(npo, design, 'the design skill');
  await npo.keyboard.press(' ');
  assert.ok(await design.isChecked(), 'Space ticks the skill');
  await typeInto(npo, npo.locator('#body'), '夏の子ども食堂のお知らせを作りたい。', 'the details');
  await typeInto(npo, npo.locator('#tags'), '子ども食堂', 'the tags');
  await typeInto(npo, npo.locator('#place'), '若林区', 'the place');
  const behalf = npo.getByLabel('誰として載せるか');
  const npoCode = await behalf.locator('option', { hasText: NPO }).getAttribute('value');
  await chooseWithArrows(npo, behalf, npoCode, 'on behalf of');
  assert.equal(await npo.getByLabel('公開する範囲').inputValue(), 'public', 'a need is public by default');
  await pressEnterOn(npo, npo.getByRole('button', { name: '保存する' }), 'the save button');
  await npo.waitForSelector('text=困りごとを保存しました');
  needPath = new URL(npo.url()).pathname;
  const needId = needPath.match(/^\/needs\/(\d+)$/)[1];
  assert.equal(await npo.textContent('#posted-by'), NPO);
  assert.equal(await npo.textContent('#status'), '募集中');
  // The demo company's offer of design is suggested already.
  assert.ok((await npo.textContent('#suggestions')).includes('ウェブとデザインの相談'), 'a demo offer is suggested');
  await expectAccessible(npo, 'need page, its poster, a suggestion from the demo data');
  await npo.goto(`${server.base}${needPath}/edit`);
  assert.equal(await npo.inputValue('#title'), NEED);
  assert.ok(await npo.getByRole('checkbox', { name: 'デザイン', exact: true }).isChecked());
  await expectAccessible(npo, 'need edit form');

  // 3. The company's member posts an offer for their company, by keyboard too.
  const companyContext = await browser.newContext({ locale: 'ja-JP' });
  const company = await companyContext.newPage();
  await logIn(company, 'company@example.jp');
  await company.goto(`${server.base}/offers/new`);
  await expectAccessible(company, 'new offer form');
  await typeInto(company, company.locator('#title'), OFFER, 'the title');
  await chooseWithArrows(company, company.locator('#kind'), 'skill', 'the kind');
  for (const skill of ['デザイン', 'IT・ウェブ']) {
    const box = company.getByRole('checkbox', { name: skill, exact: true });
    await tabTo(company, box, `the skill ${skill}`);
    await company.keyboard.press(' ');
    assert.ok(await box.isChecked(), `${skill} ticked`);
  }
  await typeInto(company, company.locator('#tags'), '子ども食堂、SDGs', 'the tags');
  await typeInto(company, company.locator('#place'), '仙台市若林区', 'the place');
  const online = company.getByRole('checkbox', { name: 'オンラインでもよい' });
  await tabTo(company, online, 'online');
  await company.keyboard.press(' ');
  assert.ok(await online.isChecked());
  const companyBehalf = company.getByLabel('誰として載せるか');
  const companyCode = await companyBehalf.locator('option', { hasText: COMPANY }).getAttribute('value');
  await chooseWithArrows(company, companyBehalf, companyCode, 'on behalf of');
  assert.equal(await company.getByLabel('公開する範囲').inputValue(), 'members', 'an offer is for members by default');
  await pressEnterOn(company, company.getByRole('button', { name: '保存する' }), 'the save button');
  await company.waitForSelector('text=できることを保存しました');
  const offerPath = new URL(company.url()).pathname;
  const offerId = offerPath.match(/^\/offers\/(\d+)$/)[1];
  assert.equal(await company.textContent('#posted-by'), COMPANY);
  await expectAccessible(company, 'offer page, its poster');
  await company.goto(`${server.base}${offerPath}/edit`);
  await expectAccessible(company, 'offer edit form');
  await company.goto(`${server.base}/offers`);
  await company.getByRole('link', { name: OFFER }).waitFor();
  await expectAccessible(company, 'offers, one posted');

  // The public sees the need under the NPO's name, never a person's; the offer not at all.
  const visitorContext = await browser.newContext({ locale: 'ja-JP' });
  const visitor = await visitorContext.newPage();
  await visitor.goto(`${server.base}/needs`);
  await visitor.getByRole('link', { name: NEED }).click();
  await visitor.waitForSelector(`h1:text("${NEED}")`);
  assert.ok(!(await visitor.textContent('main')).includes('青葉 さくら'));
  assert.equal(await visitor.locator('#suggestions-heading').count(), 0, 'no suggestions for the public');
  await expectAccessible(visitor, 'need page, the public');
  await visitor.goto(`${server.base}/needs`);
  await expectAccessible(visitor, 'needs, the public');
  await visitor.goto(`${server.base}/offers`);
  assert.equal(await visitor.getByRole('link', { name: OFFER }).count(), 0, 'the offer is for members');
  await expectAccessible(visitor, 'offers, the public');

  // The poster now sees the offer suggested, with its reasons, and no way to introduce.
  await npo.goto(`${server.base}${needPath}`);
  await npo.getByRole('heading', { name: '合いそうな「できること」' }).waitFor();
  const ours = npo.locator('#suggestions > li', { hasText: OFFER });
  assert.equal(await ours.count(), 1);
  const reasons = await ours.locator('.match-reasons').textContent();
  for (const why of ['スキル「デザイン」', 'タグ「子ども食堂」', '場所（仙台市若林区）']) {
    assert.ok(reasons.includes(why), `${why} in ${reasons}`);
  }
  assert.equal(await npo.locator('a[href^="/introductions/new"]').count(), 0, 'only coordinators introduce');
  await expectAccessible(npo, 'need page, its poster, with a suggestion');

  // 4. The coordinator's queue shows the need and the offer with its reasons.
  const coordinatorContext = await browser.newContext({ locale: 'ja-JP' });
  const coordinator = await coordinatorContext.newPage();
  await logIn(coordinator, 'coordinator@example.jp');
  await coordinator.goto(`${server.base}/coordination`);
  await coordinator.getByRole('heading', { level: 1, name: 'コーディネーターの受付' }).waitFor();
  const queue = await coordinator.textContent('#queue');
  assert.ok(queue.includes(NEED) && queue.includes(OFFER), queue);
  for (const why of ['スキル「デザイン」', 'タグ「子ども食堂」', '場所（仙台市若林区）']) {
    assert.ok(queue.includes(why), `${why} in the queue: ${queue}`);
  }
  await expectAccessible(coordinator, 'coordinators\' queue');
  await coordinator.goto(`${server.base}${needPath}`);
  await coordinator.locator('#suggestions').getByRole('link', { name: '紹介する' }).first().waitFor();
  await expectAccessible(coordinator, 'need page, a coordinator');
  await coordinator.goto(`${server.base}/introductions/new`);
  await expectAccessible(coordinator, 'introduction form by addresses');

  // Follows 紹介する from the queue, reads who the two are, and sends the introduction.
  await coordinator.goto(`${server.base}/coordination`);
  const introduce = coordinator.locator('#queue > li', { hasText: NEED }).locator('.suggestions li', { hasText: OFFER })
    .getByRole('link', { name: '紹介する' });
  assert.equal(await introduce.getAttribute('href'), `/introductions/new?need=${needId}&offer=${offerId}`);
  await pressEnterOn(coordinator, introduce, 'the link 紹介する');
  assert.equal(new URL(coordinator.url()).search, `?need=${needId}&offer=${offerId}`);
  const pair = await coordinator.textContent('#pair');
  assert.ok(pair.includes('青葉 さくら') && pair.includes('杜 優子'), pair);
  const purpose = await coordinator.inputValue('#purpose');
  assert.ok(purpose.length > 0 && !purpose.includes(NEED) && !purpose.includes(OFFER), 'the words both read name neither');
  await expectAccessible(coordinator, 'introduction form from a match');
  await pressEnterOn(coordinator, coordinator.getByRole('button', { name: '紹介を送る' }), 'the send button');
  await coordinator.waitForSelector('text=紹介を送りました');
  introPath = new URL(coordinator.url()).pathname;
  assert.match(introPath, /^\/introductions\/\d+$/);
  assert.equal(await coordinator.textContent('#state'), '返事を待っています');
  assert.deepEqual(await coordinator.locator('#people li').evaluateAll((li) => li.map((l) => l.textContent.includes('未回答'))),
    [true, true], 'neither has answered');

  // 5. Each side finds it among their introductions and accepts by keyboard.
  for (const [page, who] of [[npo, 'the NPO member'], [company, 'the company\'s member']]) {
    await page.goto(`${server.base}/introductions`);
    await page.waitForSelector('text=あなたの返事を待っています');
    if (page === npo) await expectAccessible(page, `introductions, ${who}`);
    await pressEnterOn(page, page.locator(`#introductions a[href="${introPath}"]`), 'the introduction');
    assert.equal(new URL(page.url()).pathname, introPath);
    assert.equal(await page.textContent('#purpose'), purpose, 'the purpose as the coordinator sent it');
    await page.getByRole('button', { name: '見送る' }).waitFor();
    assert.equal(await page.locator('#people').count(), 0, 'nobody named before both accept');
    if (page === npo) await expectAccessible(page, `introduction, ${who}, to answer`);
    await pressEnterOn(page, page.getByRole('button', { name: '受ける' }), 'the accept button');
    await page.waitForSelector('text=紹介を受けました。');
    assert.equal(await page.textContent('#own-answer'), '受ける');
    if (page === npo) {
      assert.equal(await npo.locator('#people').count(), 0, 'one acceptance shares nothing');
      assert.equal(await npo.textContent('#contact-note'), '相手の連絡先は、双方が受けたときに見られるようになります。');
      assert.ok(!(await npo.textContent('main')).includes('杜 優子'));
    }
  }

  // Both accepted: each sees the other's name, organisation and address, not their own.
  const companySees = await company.textContent('#people');
  assert.ok(companySees.includes('青葉 さくら') && companySees.includes('aoba@example.jp') && companySees.includes(NPO), companySees);
  assert.ok(!companySees.includes('company@example.jp'));
  await expectAccessible(company, 'introduction, both accepted, contact details');
  await npo.reload();
  assert.equal(await npo.textContent('#state'), '双方が受けました');
  const npoSees = await npo.textContent('#people');
  assert.ok(npoSees.includes('杜 優子') && npoSees.includes('company@example.jp') && npoSees.includes(COMPANY), npoSees);
  assert.ok(!npoSees.includes('aoba@example.jp'));
  assert.equal(await npo.getByRole('link', { name: 'company@example.jp' }).getAttribute('href'), 'mailto:company@example.jp');
  await expectAccessible(npo, 'introduction, both accepted, with the outcome form');

  // 6. The outcome, chosen by keyboard among the radio buttons.
  const outcomes = npo.getByRole('group', { name: '結果' });
  await tabTo(npo, outcomes.getByRole('radio', { name: '会った' }), 'the first outcome');
  await npo.keyboard.press('ArrowDown');
  assert.ok(await outcomes.getByRole('radio', { name: 'プロジェクト開始' }).isChecked(), 'the arrow chooses the next');
  await pressEnterOn(npo, npo.getByRole('button', { name: '保存する' }), 'the save button');
  await npo.waitForSelector('text=結果を記録しました。');
  assert.equal(await npo.textContent('#outcome'), 'プロジェクト開始');
  await expectAccessible(npo, 'introduction with its outcome');
  await coordinator.goto(`${server.base}${introPath}`);
  const people = await coordinator.locator('#people li').allInnerTexts();
  assert.equal(people.length, 2);
  assert.ok(people.every((p) => p.includes('受ける')), people.join(' / '));
  await expectAccessible(coordinator, 'introduction, the coordinator, both accepted');
  await coordinator.goto(`${server.base}/introductions`);
  await expectAccessible(coordinator, 'introductions, the coordinator');

  npoState = await npoContext.storageState();
  await Promise.all([npoContext.close(), companyContext.close(), visitorContext.close(), coordinatorContext.close()]);
});

test('the need form, a need\'s page and an introduction fit a 320 px phone and 200% zoom', async () => {
  assert.ok(npoState && needPath && introPath, 'the story above made a need and an introduction');
  // A phone 320 px wide and a 1280 px screen at 200% zoom (640 CSS px).
  for (const viewport of [{ width: 320, height: 640 }, { width: 640, height: 400 }]) {
    const context = await browser.newContext({ locale: 'ja-JP', viewport, storageState: npoState });
    const page = await context.newPage();
    await page.goto(`${server.base}/needs/new`);
    await noSidewaysScroll(page, `need form at ${viewport.width} px`);
    await expectAccessible(page, `need form at ${viewport.width} px`);
    await page.getByRole('button', { name: '保存する' }).click();
    await page.waitForSelector('.error-summary');
    await noSidewaysScroll(page, `need form with errors at ${viewport.width} px`);
    await page.goto(`${server.base}${needPath}`);
    await page.locator('#suggestions').waitFor();
    await noSidewaysScroll(page, `need page at ${viewport.width} px`);
    await expectAccessible(page, `need page at ${viewport.width} px`);
    // The introduction's facts: no value squeezed into a sliver beside a long term.
    await page.goto(`${server.base}${introPath}`);
    await page.locator('#people').waitFor();
    await noSidewaysScroll(page, `introduction at ${viewport.width} px`);
    const squeezed = await page.evaluate(() => [...document.querySelectorAll('main dl.facts dd')]
      .filter((dd) => dd.getBoundingClientRect().width < dd.closest('dl').getBoundingClientRect().width / 2)
      .map((dd) => dd.textContent));
    assert.deepEqual(squeezed, [], `introduction at ${viewport.width} px: values narrower than half the list`);
    await context.close();
  }
});
