// The coordinators' records in a real browser, on the demo data (the report's FY2023
// hearings, trainings and visit, and a project of the 居住支援 lab): every page, and every
// form with its errors, has zero axe-core (WCAG 2.1 AA) violations and reads on a 320 px
// wide phone; a member is refused them.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { expectAccessible, launchBrowser, logIn, noSidewaysScroll, startServer } from './server.mjs';

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

test('hearings, trainings, visits and projects are accessible to coordinators and closed to members', async () => {
  for (const viewport of [{ width: 1280, height: 800 }, { width: 320, height: 640 }]) {
    const context = await browser.newContext({ locale: 'ja-JP', viewport });
    const page = await context.newPage();
    await logIn(page, server.base, 'coordinator@example.jp');
    for (const [list, fy] of [['/hearings', 2023], ['/trainings', 2023], ['/visits', 2023]]) {
      await page.goto(`${server.base}${list}?fiscal_year=${fy}`);
      await expectAccessible(page, `${list} at ${viewport.width} px`);
      await noSidewaysScroll(page, `${list} at ${viewport.width} px`);
      // The first record of the year, and its edit form.
      const first = page.locator(`main a[href^="${list}/"]:not([href$="/new"]):not([href*="summary"])`).first();
      const href = await first.getAttribute('href');
      assert.ok(href, `a record on ${list}`);
      await page.goto(`${server.base}${href}`);
      await expectAccessible(page, `${href} at ${viewport.width} px`);
      await noSidewaysScroll(page, `${href} at ${viewport.width} px`);
      await page.goto(`${server.base}${href}/edit`);
      await expectAccessible(page, `${href}/edit at ${viewport.width} px`);
      // A new one sent empty: the errors listed and tied to their fields.
      await page.goto(`${server.base}${list}/new`);
      await page.getByRole('button', { name: '保存する' }).click();
      await page.waitForSelector('.error-summary');
      await expectAccessible(page, `${list}/new with errors at ${viewport.width} px`);
      await noSidewaysScroll(page, `${list}/new with errors at ${viewport.width} px`);
    }
    await page.goto(`${server.base}/hearings/summary?fiscal_year=2023`);
    assert.equal(await page.textContent('#summary-counts'), 'ヒアリング4件（4社）');
    await expectAccessible(page, `hearing summary at ${viewport.width} px`);
    await noSidewaysScroll(page, `hearing summary at ${viewport.width} px`);
    await page.goto(`${server.base}/projects`);
    await expectAccessible(page, `projects at ${viewport.width} px`);
    await page.locator('#projects a').first().click();
    await page.waitForSelector('#born-in-lab');
    await expectAccessible(page, `a project at ${viewport.width} px`);
    await noSidewaysScroll(page, `a project at ${viewport.width} px`);
    await page.goto(`${server.base}/projects/new`);
    await page.getByRole('button', { name: '保存する' }).click();
    await page.waitForSelector('.error-summary');
    await expectAccessible(page, `project form with errors at ${viewport.width} px`);
    await context.close();
  }
  const context = await browser.newContext({ locale: 'ja-JP' });
  const member = await context.newPage();
  await logIn(member, server.base, 'member@example.jp');
  for (const p of ['/hearings', '/trainings', '/visits', '/coordination']) {
    const res = await member.goto(`${server.base}${p}`);
    assert.equal(res.status(), 403, `a member at ${p}`);
  }
  await context.close();
});
