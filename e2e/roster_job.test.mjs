// The roster import as a job, in a real browser on the demo server. The secretariat uploads
// a roster of 3,000 rows on /admin/roster and lands at once on the job's page
// (/admin/roster/jobs/{id}), which follows the job by itself (static/app.js reads it every
// two seconds) until it shows the summary: rows, new sessions, new people, new attendances.
// A file with wrong rows imports nothing: the job's page lists every problem by line and
// column and answers 422. Without JavaScript the page has a link to see the latest state.
// The job's page, done and rejected, has zero axe-core (WCAG 2.1 AA) violations at full
// width, on a 320 px phone and at 200% zoom, and never scrolls sideways.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { expectAccessible, launchBrowser, logIn as logInAt, noSidewaysScroll, startServer } from './server.mjs';

const logIn = (page, email) => logInAt(page, server.base, email);

let server;
let browser;
let adminState;
let doneJob;
let rejectedJob;

const HEADER = '日付,テーマ,氏名,メール,所属,属性,初参加,参加方法';
const JOB_URL = /\/admin\/roster\/jobs\/(\d+)$/;
// How long a job may take (a debug build on a busy machine).
const JOB_TIMEOUT = 180_000;
const TEST_TIMEOUT = 300_000;

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

// A roster as Excel writes it (CRLF): `sessions` sessions of `people` first-timers each, on
// days from 2019-04-01, each person with an address of their own.
function roster(tag, sessions, people) {
  const lines = [HEADER];
  for (let s = 0; s < sessions; s++) {
    const day = new Date(Date.UTC(2019, 3, 1 + s)).toISOString().slice(0, 10);
    for (let p = 1; p <= people; p++) {
      lines.push(`${day},${tag}の回${s},参加 ${s}-${p},${tag}${s}-${p}@example.jp,,市民,○,会場`);
    }
  }
  return Buffer.from(`${lines.join('\r\n')}\r\n`, 'utf8');
}

// Chooses `buffer` as the roster file and sends the form; resolves, once the browser is on
// the job's page, to that page's first response (before any script ran), whether it said
// the job was running, and a count of the loads of the job's page since.
async function upload(page, name, buffer) {
  await page.goto(`${server.base}/admin/roster`);
  await page.getByRole('heading', { level: 1, name: '名簿の取り込み' }).waitFor();
  await page.getByLabel('名簿ファイル').setInputFiles({ name, mimeType: 'text/csv', buffer });
  assert.equal(await page.getByLabel('種別の列がないときの種別').inputValue(), 'info_exchange');
  let loads = 0;
  page.on('framenavigated', (frame) => {
    if (frame === page.mainFrame() && JOB_URL.test(frame.url())) loads++;
  });
  const landed = page.waitForResponse((r) => r.request().resourceType() === 'document' && JOB_URL.test(r.url()));
  await page.getByRole('button', { name: '取り込む' }).click();
  const first = await landed;
  await page.waitForURL(JOB_URL);
  await page.getByRole('heading', { level: 1, name: '参加記録の取り込み（進み具合）' }).waitFor();
  const html = await first.text();
  return { first, html, running: /id="job" data-job-running="yes"/.test(html), loads: () => loads };
}

// Waits, with scripts on, until the job has ended and its page has settled: if the page was
// first running, static/app.js puts the end in place and then loads the page again.
async function ended(page, job) {
  await page.locator('#job[data-job-running="no"]').waitFor({ timeout: JOB_TIMEOUT });
  if (job.running) {
    for (const t0 = Date.now(); job.loads() < 2; await page.waitForTimeout(100)) {
      assert.ok(Date.now() - t0 < 30_000, `the script loads the ended job's page again (${job.loads()} loads)`);
    }
  }
  await page.waitForLoadState('load');
  assert.equal(job.loads(), job.running ? 2 : 1, 'the job page loaded once more, by the script, only if it was running');
}

// What the first answer of the job page said: still running (and how), or done.
function firstState(html) {
  const running = /id="job" data-job-running="yes"/.test(html);
  const done = /id="job" data-job-running="no"/.test(html);
  assert.ok(running !== done, 'the job page says whether the job runs');
  const progress = html.match(/<progress id="job-progress" max="(\d+)" value="(\d+)"/);
  return { running, progress: progress && { max: Number(progress[1]), value: Number(progress[2]) } };
}

// The summary's lines.
function summary(page) {
  return page.locator('#job-status li').allTextContents().then((l) => l.map(squash));
}

test('a roster of 3,000 rows is imported as a job whose page follows it without a reload', { timeout: TEST_TIMEOUT }, async (t) => {
  const context = await browser.newContext({ locale: 'ja-JP' });
  const page = await context.newPage();
  await logIn(page, 'admin@example.jp');
  // The page's own reads of itself (static/app.js).
  let polls = 0;
  page.on('request', (r) => {
    if (r.resourceType() === 'fetch' && JOB_URL.test(r.url())) polls++;
  });

  const rows = 3000;
  const file = roster('試験', 100, 30);
  const started = Date.now();
  const job = await upload(page, 'roster-3000.csv', file);
  const { first, html } = job;
  assert.equal(first.status(), 200);
  const url = page.url();
  doneJob = url;
  const state = firstState(html);
  if (state.running) {
    // While it runs: a status region, the link for those without JavaScript and, once the
    // file is read, the rows written out of the file's.
    assert.match(html, /<p id="job-status" role="status">/);
    assert.ok(html.includes('最新の状態を見る'), 'the refresh link while running');
    if (state.progress) {
      assert.equal(state.progress.max, rows, 'progress counts the rows of the file');
      assert.ok(state.progress.value <= rows);
    }
  }
  // The file's name and when it was received.
  const facts = squash(await page.locator('dl.facts').textContent());
  assert.ok(facts.includes('roster-3000.csv'), `facts ${JSON.stringify(facts)}`);

  // The page follows the job by itself: nobody reloads it here.
  await ended(page, job);
  await page.getByText('取り込みました。').waitFor();
  const took = Date.now() - started;
  assert.equal(page.url(), url, 'still on the job page');
  assert.deepEqual(await summary(page), [
    `行数：${rows}`,
    '新しいセッション：100',
    `新しい参加者：${rows}`,
    `新しい参加記録：${rows}`,
    '取り込み済みの行：0',
  ]);
  assert.equal(await page.locator('#job-progress').count(), 0, 'no progress bar once done');
  assert.equal(await page.getByRole('link', { name: '最新の状態を見る' }).count(), 0, 'no refresh link once done');
  assert.equal(await page.getByRole('link', { name: '別のファイルを取り込む' }).getAttribute('href'), '/admin/roster');
  assert.ok(squash(await page.locator('dl.facts').textContent()).includes('終わった日時'), 'when it ended');
  if (state.running) assert.ok(polls >= 1, 'the page read itself again while the job ran');
  t.diagnostic(`3,000 rows: job page first ${state.running ? 'running' : 'done'}${state.progress ? ` (${state.progress.value}/${state.progress.max})` : ''}, done after ${took} ms, ${polls} reads by app.js`);
  await expectAccessible(page, 'the job page, done');
  await noSidewaysScroll(page, 'the job page, done, at full width');

  // The page read again says the same (200).
  const again = await page.request.get(url);
  assert.equal(again.status(), 200);


  adminState = await context.storageState();
  await context.close();
});

test('a roster with wrong rows imports nothing and lists every problem by line, answering 422', { timeout: TEST_TIMEOUT }, async () => {
  assert.ok(adminState, 'the story above logged in');
  const context = await browser.newContext({ locale: 'ja-JP', storageState: adminState });
  const page = await context.newPage();
  const lines = [
    HEADER,
    '2019-09-01,誤りのある回,正し 一郎,tadashi@example.jp,,市民,○,会場',
    '2019-09-01,誤りのある回,学生 花子,gakusei@example.jp,あおば大学,学生,○,会場',
    '2019-09-01,誤りのある回,正し 二郎,jiro@example.jp,,企業,,オンライン',
    '2019-13-45,誤りのある回,日付 三郎,saburo@example.jp,,市民,○,会場',
  ];
  const wrong = await upload(page, 'roster-wrong.csv', Buffer.from(`${lines.join('\r\n')}\r\n`, 'utf8'));
  // 200 while it runs, 422 if it was already refused.
  assert.equal(wrong.first.status(), wrong.running ? 200 : 422);
  rejectedJob = page.url();
  await ended(page, wrong);
  const problems = page.locator('.error-summary#job-status');
  await problems.waitFor();
  assert.equal(squash(await problems.locator('h2').textContent()), '2件の誤りがあるため、何も取り込みませんでした。');
  const listed = (await problems.locator('li').allTextContents()).map(squash);
  assert.equal(listed.length, 2, `problems ${JSON.stringify(listed)}`);
  assert.ok(listed[0].startsWith('3行目「属性」: '), `the 学生 row by line and column: ${JSON.stringify(listed)}`);
  assert.ok(listed[0].includes('「学生」は属性として読めません'), JSON.stringify(listed[0]));
  assert.ok(listed[1].startsWith('5行目「日付」: '), `the date row by line and column: ${JSON.stringify(listed)}`);
  assert.equal(await page.getByText('取り込みました。').count(), 0);
  // The job's page answers 422 once the file is refused.
  assert.equal((await page.request.get(rejectedJob)).status(), 422);
  await expectAccessible(page, 'the job page, rejected');
  await noSidewaysScroll(page, 'the job page, rejected, at full width');

  // Nothing of the file was imported: its right rows, sent alone, are all new.
  const right = await upload(page, 'roster-right.csv', Buffer.from(`${[lines[0], lines[1], lines[3]].join('\r\n')}\r\n`, 'utf8'));
  await ended(page, right);
  await page.getByText('取り込みました。').waitFor();
  assert.deepEqual(await summary(page), [
    '行数：2',
    '新しいセッション：1',
    '新しい参加者：2',
    '新しい参加記録：2',
    '取り込み済みの行：0',
  ]);

  // No file at all: the form says so (422), and no job is made.
  await page.goto(`${server.base}/admin/roster`);
  const refused = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().includes('/admin/roster'));
  await page.getByRole('button', { name: '取り込む' }).click();
  assert.equal((await refused).status(), 422);
  await page.getByText('ファイルを選んでください。').waitFor();
  assert.ok(!JOB_URL.test(page.url()), 'no job without a file');
  await expectAccessible(page, 'the roster form without a file');
  await context.close();
});

test('the job page, done and rejected, fits a 320 px phone and 200% zoom with zero axe violations', { timeout: TEST_TIMEOUT }, async () => {
  assert.ok(adminState && doneJob && rejectedJob, 'the stories above ran');
  // A phone 320 px wide and a 1280 px screen at 200% zoom (640 CSS px).
  for (const viewport of [{ width: 320, height: 640 }, { width: 640, height: 400 }]) {
    const context = await browser.newContext({ locale: 'ja-JP', viewport, storageState: adminState });
    const page = await context.newPage();
    for (const [url, what, status] of [[doneJob, 'done', 200], [rejectedJob, 'rejected', 422]]) {
      const response = await page.goto(url);
      assert.equal(response.status(), status, `${what} job page`);
      await page.locator('#job-status').waitFor();
      await noSidewaysScroll(page, `the job page, ${what}, at ${viewport.width} px`);
      await expectAccessible(page, `the job page, ${what}, at ${viewport.width} px`);
    }
    await context.close();
  }
});

test('without JavaScript the job page has a link to its latest state, and shows the summary', { timeout: TEST_TIMEOUT }, async (t) => {
  assert.ok(adminState, 'the story above logged in');
  const context = await browser.newContext({ locale: 'ja-JP', storageState: adminState, javaScriptEnabled: false });
  const page = await context.newPage();
  const { first } = await upload(page, 'roster-nojs.csv', roster('無効', 100, 30));
  assert.equal(first.status(), 200);
  const url = page.url();
  const refresh = page.getByRole('link', { name: '最新の状態を見る' });
  let followed = 0;
  // Follow the link as someone would, until the job has ended (the job may already have).
  for (const t0 = Date.now(); (await page.locator('#job').getAttribute('data-job-running')) === 'yes';) {
    assert.ok(Date.now() - t0 < JOB_TIMEOUT, 'the job ends');
    assert.equal(await refresh.count(), 1, 'the link to the latest state while running');
    assert.equal(await refresh.getAttribute('href'), new URL(url).pathname);
    assert.equal(await page.locator('#job-status[role="status"]').count(), 1, 'the state is said while running');
    await page.waitForTimeout(1000);
    await Promise.all([page.waitForURL(url), refresh.click()]);
    followed++;
  }
  await page.getByText('取り込みました。').waitFor();
  assert.deepEqual(await summary(page), [
    '行数：3000',
    '新しいセッション：100',
    '新しい参加者：3000',
    '新しい参加記録：3000',
    '取り込み済みの行：0',
  ]);
  assert.equal(await refresh.count(), 0, 'no refresh link once done');
  t.diagnostic(`without JavaScript: first ${followed ? 'running' : 'done'}, followed the link ${followed} times`);
  // (axe-core runs in the page, so not here: the same page is checked above with scripts on.)
  await context.close();
});
