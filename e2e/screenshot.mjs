// Takes the README's screenshot: node e2e/screenshot.mjs OUT.png
// (starts the server with demo data, logs in as the secretariat, shows the sessions).
import { chromium } from 'playwright-core';
import { startServer } from './server.mjs';

const out = process.argv[2] || 'docs/screenshot.png';
const server = await startServer({ demo: true });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1100, height: 720 }, locale: 'ja-JP' });
  await page.goto(`${server.base}/login`);
  await page.getByLabel('メールアドレス').fill('admin@example.jp');
  await page.getByLabel('パスワード').fill('socialhub-demo');
  await page.getByRole('button', { name: 'ログインする' }).click();
  await page.waitForSelector('text=ログインしました');
  await page.goto(`${server.base}/events`);
  await page.screenshot({ path: out });
  console.log(`wrote ${out}`);
} finally {
  await browser.close();
  await server.stop();
}
