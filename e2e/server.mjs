// Starts the real socialhub binary on a free port over a fresh SQLite database, and reads
// the mailbox directory it writes to.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const BIN = process.env.SOCIALHUB_BIN || resolve(import.meta.dirname, '../target/debug/socialhub');

function freePort() {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => ok(port));
    });
    srv.on('error', fail);
  });
}

export async function startServer({ demo = false } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'socialhub-e2e-'));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const args = ['serve', '--listen', `127.0.0.1:${port}`, ...(demo ? ['--demo'] : [])];
  const child = spawn(BIN, args, {
    cwd: dir,
    env: { ...process.env, SOCIALHUB_DATABASE_URL: '', SOCIALHUB_MAILBOX_DIR: join(dir, 'mailbox') },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  for (let i = 0; i < 200; i++) {
    try {
      const res = await fetch(`${base}/healthz`);
      if (res.ok) break;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    base,
    mails() {
      let files = [];
      try {
        // Only whole mails: one being written has another name until it is complete.
        files = readdirSync(join(dir, 'mailbox')).filter((f) => f.endsWith('.eml')).sort();
      } catch {
        return [];
      }
      return files.map((f) => readFileSync(join(dir, 'mailbox', f), 'utf8'));
    },
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// Debian's Chromium, with the flags this closed network needs.
export async function launchBrowser() {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

// Zero axe-core violations of WCAG 2.1 A and AA on the page as it is now.
export async function expectAccessible(page, what) {
  const { default: AxeBuilder } = await import('@axe-core/playwright');
  const { default: assert } = await import('node:assert/strict');
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const summary = result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  assert.deepEqual(summary, [], `axe violations on ${what}`);
  assert.ok(result.passes.length > 10, `axe checked ${what}`);
}

// Logs in through the login form as a demo account (password socialhub-demo).
export async function logIn(page, base, email) {
  await page.goto(`${base}/login`);
  await page.getByLabel('メールアドレス').fill(email);
  await page.getByLabel('パスワード').fill('socialhub-demo');
  await page.getByRole('button', { name: 'ログインする' }).click();
  await page.waitForSelector('text=ログインしました');
}

// Presses Tab until `locator` has the focus (as someone using only the keyboard would).
export async function tabTo(page, locator, what) {
  const { default: assert } = await import('node:assert/strict');
  for (let i = 0; i < 80; i++) {
    if (await locator.evaluate((el) => el === document.activeElement)) return;
    await page.keyboard.press('Tab');
  }
  assert.fail(`Tab never reaches ${what}`);
}

// The page itself does not scroll sideways (WCAG 1.4.10 reflow).
export async function noSidewaysScroll(page, what) {
  const { default: assert } = await import('node:assert/strict');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `${what} scrolls sideways by ${overflow}px`);
}
