// Script injection (XSS) in a real browser, on the demo data. 256 script payloads
// (e2e/xss-payloads.mjs: script tags, event handlers, javascript:/data:/vbscript:
// addresses, Markdown links and pictures, attribute and element breakouts, script-string
// and template contexts, encodings and Unicode look-alikes, mutation XSS and polyglots,
// spreadsheet formulas, forged iCalendar and header lines) go through every text field of
// every form the demo accounts reach: the secretariat's (sessions, articles, labs, their
// meetings, roadmaps and consultations, the center, an issue's stages, moderation
// reasons, a guest's details corrected, file names), the coordinators' (hearings,
// trainings, visits, introductions, walk-ins at the door, a consultation's comments
// received on paper, its answers and the names of its groups), the members' (profile,
// directory, board posts and comments, social issues and comments, needs, offers,
// organisations, projects and their updates, comments on articles and consultations,
// reports) and the public's (sign-up, registration for a session, an issue and comments
// without an account, the login and password forms, search and every filter in an
// address).
//
// Each form is filled in and sent once in the browser (the field it shows as text then
// reads on the record's page as the very text typed); then every payload goes through
// every text field at once (the form comes back refused, or is taken, and the browser
// renders the answer); then payloads are stored, packed as many to a submission as a
// field takes, rotating from form to form so that each payload is stored through forty
// fields or more (XSS_STORED=all: every payload through every field that takes it, some
// 4,000 submissions and 7,000 pages, about five minutes).
// The browser then reads every page that shows what was stored (each record and its edit
// form, the lists with their next pages, search, home, my page, the coordinators' and
// the secretariat's pages) as the public, members, a coordinator and the secretariat:
// the lists and the first records of each form visited, the others parsed by its own
// HTML parser. The Atom feeds, the exports (CSV, XLSX, JSON, iCalendar, a guest's data)
// and the mails sent are read too.
//
// What would show an injection: a call of window.__xss, a dialog (alert, confirm,
// prompt), a violation of the Content Security Policy (the policy stops inline scripts
// and handlers, so this is how most would show), an error thrown by a script, a page
// that went elsewhere by itself; and the markup itself: no element carries an on…
// attribute, a javascript:/data:/vbscript: address, a style or srcdoc; no script but the
// page's own, no style, iframe, object, embed, base, template or meta refresh; no
// payload text in an attribute but those that hold text (value, title, alt, aria-label,
// placeholder) or a web address. The watchers are first shown pages made to fail, and
// must see them. The feeds are well-formed XML whose HTML content is clean; the exports
// are downloads of their own type, no CSV cell starts a formula, no XLSX holds one, no
// iCalendar or mail header line was forged. No request answers 500 (one that does is
// narrowed down to its field and payload).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { inflateRawSync } from 'node:zlib';
import { launchBrowser, logIn as logInAt, startServer } from './server.mjs';
import { MARKER, PAYLOADS } from './xss-payloads.mjs';

// The public forms are limited per client address (60 an hour); behind a trusted proxy
// each submission below comes from an address of its own.
process.env.SOCIALHUB_TRUST_PROXY = 'true';
// The sanitiser's parser warns of every table a payload breaks; the server's errors stay.
process.env.SOCIALHUB_LOG ??= 'warn,html5ever=error';

let server;
let browser;
let base;
const actors = {};

// Everything that would show a payload ran or was injected, with where.
const hits = []; // window.__xss(N) calls
const dialogs = []; // alert, confirm, prompt
const violations = []; // CSP violations
const scriptErrors = []; // errors thrown by scripts
const injections = []; // markup that came from a payload
const serverErrors = []; // 5xx answers, with the route, the field and the payload
const refusals = []; // answers a form should not give (400, 403, 404, 413, 429)
const notes = []; // what the summary reports
const stats = { forms: [], visits: 0, renders: 0, requests: 0 };

const DAY = 24 * 3600 * 1000;
const isoDate = (days) => new Date(Date.now() + days * DAY).toISOString().slice(0, 10);
let counter = 0;
const unique = () => ++counter;
// An address of its own for each submission (a private range).
const nextIp = () => { const n = unique(); return `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`; };

before(async () => {
  server = await startServer({ demo: true });
  base = server.base;
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

// ---------------------------------------------------------------------------------------
// The browser: every context watches for the signs of a payload that ran.

const renderStore = new Map();

async function newActor(name, email) {
  const context = await browser.newContext({ locale: 'ja-JP' });
  context.setDefaultTimeout(15000);
  await context.exposeBinding('__xss', ({ page }, n) => { hits.push({ n, url: page?.url(), who: name }); });
  await context.exposeBinding('__xssCsp', ({ page }, v) => {
    // A picture from another site that Markdown allows: the policy keeps it out, and no
    // script is involved. Anything else stopped (an inline script, a handler, a style
    // attribute, a frame, a base) would be a payload's.
    if (/^(img|media|font)-src/.test(v.directive) && /^https?:/.test(v.blocked)) {
      stats.picturesKeptOut = (stats.picturesKeptOut ?? 0) + 1;
      return;
    }
    violations.push({ ...v, url: page?.url(), who: name });
  });
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__xssCsp({ directive: e.violatedDirective, blocked: e.blockedURI, sample: e.sample, source: e.sourceFile });
    });
  });
  // Nothing leaves the test server (payloads name example.jp and x:).
  await context.route((url) => !url.href.startsWith(base), (route) => route.abort());
  // POST answers kept for the browser to render at their own address.
  await context.route(`${base}/__xss_render/**`, (route) => {
    // What the rendered page itself asks for at a relative address (a picture `x` of a
    // description) is not found, as it would not be beside the real page either.
    const key = new URL(route.request().url()).pathname.split('/').pop();
    const r = renderStore.get(key);
    if (!r) route.fulfill({ status: 404, body: '' });
    else route.fulfill({ status: 200, headers: r.headers, body: r.body });
  });
  context.on('page', (page) => watch(page, name));
  const page = await context.newPage();
  if (email) await logInAt(page, base, email);
  else await page.goto(`${base}/`);
  const csrf = await page.locator('input[name="csrf_token"]').first().getAttribute('value');
  const actor = { name, email, context, page, pool: [], csrf };
  actors[name] = actor;
  return actor;
}

function watch(page, who) {
  page.on('dialog', (d) => { dialogs.push({ type: d.type(), message: d.message(), url: page.url(), who }); d.dismiss().catch(() => {}); });
  page.on('pageerror', (e) => scriptErrors.push({ message: String(e.message ?? e).slice(0, 300), url: page.url(), who }));
  page.on('response', (r) => {
    if (r.status() >= 500 && r.url().startsWith(base)) {
      serverErrors.push({ route: `${r.request().method()} ${new URL(r.url()).pathname}`, status: r.status(), who });
    }
  });
}

// Runs in the page (or on HTML parsed in it): what of the document a payload made.
function findInjections({ html, marker, url }) {
  const MARK = new RegExp(marker, 'i');
  const doc = html == null ? document : new DOMParser().parseFromString(html, 'text/html');
  const out = [];
  const TEXT_ATTRS = new Set(['value', 'title', 'alt', 'aria-label', 'placeholder', 'content', 'datetime']);
  const URL_ATTRS = new Set(['href', 'src', 'action', 'formaction', 'data', 'poster', 'background', 'ping',
    'srcset', 'codebase', 'cite', 'longdesc', 'lowsrc', 'dynsrc', 'manifest', 'icon', 'archive', 'classid', 'usemap']);
  const FORBIDDEN = new Set(['IFRAME', 'FRAME', 'FRAMESET', 'OBJECT', 'EMBED', 'APPLET', 'BASE', 'PORTAL', 'XMP',
    'PLAINTEXT', 'LISTING', 'NOEMBED', 'MARQUEE', 'ISINDEX', 'KEYGEN', 'TEMPLATE', 'STYLE', 'MATH', 'ANIMATE', 'SET',
    'FOREIGNOBJECT', 'MACTION', 'MGLYPH']);
  const say = (el, what) => out.push(`${what} in <${el.tagName.toLowerCase()}> ${el.outerHTML.slice(0, 160)}`);
  let marks = 0;
  for (const el of doc.getElementsByTagName('*')) {
    const tag = el.tagName.toUpperCase();
    if (FORBIDDEN.has(tag)) say(el, `element ${tag}`);
    if (/^X(SS)?$|XSS/.test(tag) || MARK.test(tag)) say(el, `element ${tag}`);
    if (tag === 'SCRIPT') {
      const src = el.getAttribute('src');
      if (!src || !src.startsWith('/static/') || el.textContent.trim()) say(el, 'script');
    }
    if (tag === 'SVG' && (el.querySelector('script,a,foreignObject,animate,set') || MARK.test(el.outerHTML))) say(el, 'svg');
    if (tag === 'META' && (el.hasAttribute('http-equiv') || doc.body?.contains(el))) say(el, 'meta');
    if (tag === 'LINK' && !doc.head?.contains(el)) say(el, 'link');
    if (tag === 'FORM' && MARK.test(el.getAttribute('action') ?? '')) say(el, 'form action');
    for (const a of el.attributes) {
      const n = a.name.toLowerCase();
      const v = a.value;
      if (n.startsWith('on')) say(el, `handler ${n}`);
      if (n === 'srcdoc' || n === 'style' || (n.includes(':') && n.endsWith('href'))) say(el, `attribute ${n}`);
      if (MARK.test(n) || /["'<>`/\\]/.test(n)) say(el, `attribute name ${n}`);
      if (URL_ATTRS.has(n)) {
        const squeezed = v.replace(/[\u0000-\u0020\u007f-\u00a0\u200b\u2028\u2029]/g, '').toLowerCase();
        if (/^(javascript|vbscript|livescript|data):/.test(squeezed) && !(tag === 'IMG' && /^data:image\/(png|gif|jpeg|webp);/.test(squeezed))) {
          say(el, `${n}=${v.slice(0, 60)}`);
        }
      }
      if (MARK.test(v)) {
        marks++;
        // An address that stays on the web (a relative one included), never a script's.
        let plainUrl = false;
        if (n === 'href' || n === 'src') try { plainUrl = /^https?:$/.test(new URL(v, url ?? doc.baseURI).protocol); } catch { plainUrl = false; }
        if (!TEXT_ATTRS.has(n) && !plainUrl) say(el, `payload in attribute ${n}`);
        if (n === 'content' && tag === 'META' && el.hasAttribute('http-equiv')) say(el, 'meta refresh');
      }
    }
  }
  if (MARK.test(doc.body?.textContent ?? '')) marks++;
  const text = (doc.body?.innerText ?? doc.body?.textContent ?? '').replace(/\s+/g, ' ');
  return { out, marks, highlighted: doc.getElementsByTagName('mark').length, text };
}

const markerSource = MARKER.source;

// The browser's verdict on the page as it is now.
async function inspect(page, label, { expectShown } = {}) {
  const { out, marks, text, highlighted } = await page.evaluate(findInjections, { html: null, marker: markerSource });
  for (const o of out) injections.push({ where: label, what: o });
  if (expectShown) {
    const want = expectShown.replace(/\s+/g, ' ').trim();
    assert.ok(text.includes(want), `${label} shows ${JSON.stringify(want)} as text`);
  }
  return { marks, text, highlighted };
}

// Visits `url` as `actor` in one of its tabs and inspects it; follows rel=next.
async function visit(actor, url, label = url, opts = {}) {
  const page = await freeTab(actor);
  try {
    const response = await page.goto(base + url, { waitUntil: 'load' });
    stats.visits++;
    const status = response?.status() ?? 0;
    if (status >= 500) serverErrors.push({ route: `GET ${url}`, status, who: actor.name });
    if (opts.status) assert.equal(status, opts.status, `${url} as ${actor.name}`);
    else assert.ok(status < 400 || opts.allowMissing, `${url} as ${actor.name}: ${status}`);
    const r = await inspect(page, `${actor.name} ${label}`, opts);
    const now = new URL(page.url());
    if (now.origin !== base || now.pathname !== new URL(base + url).pathname) {
      injections.push({ where: `${actor.name} ${label}`, what: `the page went on to ${page.url()}` });
    }
    if (opts.expectMarks) assert.ok(r.marks > 0, `${label} as ${actor.name} shows the payloads`);
    const next = await page.evaluate(() => document.querySelector('a[rel="next"]')?.getAttribute('href') ?? null);
    return { ...r, status, next };
  } finally {
    release(actor, page);
  }
}

async function freeTab(actor) {
  const free = actor.pool.find((t) => !t.busy);
  if (free) { free.busy = true; return free.page; }
  const page = await actor.context.newPage();
  actor.pool.push({ page, busy: true });
  return page;
}
function release(actor, page) {
  const t = actor.pool.find((x) => x.page === page);
  if (t) t.busy = false;
}

// Visits many pages, `width` at a time, following each list's next pages.
async function visitAll(actor, urls, opts = {}) {
  const queue = [...new Set(urls)];
  const seen = new Set(queue);
  const width = opts.width ?? 6;
  let i = 0;
  const results = [];
  await Promise.all(Array.from({ length: width }, async () => {
    while (i < queue.length) {
      const url = queue[i++];
      const r = await visit(actor, url, url, opts);
      results.push({ url, ...r });
      if (r.next) {
        const next = r.next.startsWith('?') ? new URL(url, base).pathname + r.next : r.next;
        if (!seen.has(next) && seen.size < 400) { seen.add(next); queue.push(next); }
      }
    }
  }));
  return results;
}

// The same verdict on a page read without navigating: its HTML, fetched with the actor's
// cookies, parsed by the browser's own parser (DOMParser) in a blank tab. For the many
// records past the first few of each form, and for each state of a profile.
async function parse(actor, url, label = url, opts = {}) {
  const response = await actor.context.request.get(base + url, { headers: { accept: 'text/html' }, failOnStatusCode: false, maxRedirects: 0 });
  stats.parsed = (stats.parsed ?? 0) + 1;
  const status = response.status();
  if (status >= 500) serverErrors.push({ route: `GET ${url}`, status, who: actor.name });
  assert.ok(status < 400 || opts.allowMissing, `${url} as ${actor.name}: ${status}`);
  actor.blank ??= await actor.context.newPage();
  const { out, marks } = await actor.blank.evaluate(findInjections, { html: await response.text(), marker: markerSource, url: base + url });
  for (const o of out) injections.push({ where: `${actor.name} ${label} (parsed)`, what: o });
  if (opts.expectMarks) assert.ok(marks > 0, `${label} as ${actor.name} shows the payloads`);
  return { marks, status };
}

// Many pages: the first `navigate` of them visited, the others parsed.
async function checkAll(actor, urls, { navigate = Infinity, width = 4, ...opts } = {}) {
  const list = [...new Set(urls)];
  const visited = await visitAll(actor, list.slice(0, navigate), { width, ...opts });
  const rest = list.slice(navigate);
  let i = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (i < rest.length) { const url = rest[i++]; await parse(actor, url, url, opts); }
  }));
  return visited;
}

// An answer the server gave to a POST, rendered by the browser at an address of the same
// origin with the answer's own headers (its Content Security Policy among them).
async function render(actor, label, body, headers) {
  const key = String(unique());
  const h = {};
  for (const [k, v] of Object.entries(headers)) {
    if (!['content-length', 'content-encoding', 'transfer-encoding', 'set-cookie'].includes(k)) h[k] = v;
  }
  renderStore.set(key, { body, headers: h });
  const page = await freeTab(actor);
  try {
    await page.goto(`${base}/__xss_render/${key}`, { waitUntil: 'load' });
    stats.renders++;
    await inspect(page, `${actor.name} ${label}`);
  } finally {
    release(actor, page);
    renderStore.delete(key);
  }
}

// ---------------------------------------------------------------------------------------
// Forms.

const TEXTISH = new Set(['text', 'search', 'url', 'email', 'tel', 'textarea', 'number', 'date', 'time']);

async function readForm(actor, url, selector) {
  const { page } = actor;
  const response = await page.goto(base + url);
  assert.ok(response.status() < 400, `${url} as ${actor.name}: ${response.status()}`);
  const form = await page.evaluate((sel) => {
    const f = document.querySelector(sel);
    if (!f) return null;
    const fields = [...f.elements].filter((e) => e.name && !['submit', 'button', 'reset', 'image', 'file'].includes(e.type))
      .map((e) => ({
        name: e.name,
        type: e.tagName === 'TEXTAREA' ? 'textarea' : e.tagName === 'SELECT' ? 'select' : (e.getAttribute('type') || 'text').toLowerCase(),
        value: e.value,
        checked: e.checked,
        options: e.tagName === 'SELECT' ? [...e.options].map((o) => o.value) : undefined,
      }));
    return { action: f.getAttribute('action'), fields };
  }, selector);
  assert.ok(form, `a form ${selector} on ${url}`);
  return form;
}

// A form sent as the actor, with their CSRF token.
async function send(actorName, path, fields) {
  const actor = actors[actorName];
  const r = await postForm(actor, path, [['csrf_token', actor.csrf], ...Object.entries(fields)], path);
  if (r.status >= 500) serverErrors.push({ route: `POST ${path}`, status: r.status, field: Object.keys(fields).join(',') });
  return r;
}

// Whether a field of the form carries payloads (else it keeps the value the form has).
const carries = (spec, f) => TEXTISH.has(f.type) && !(f.name in spec.overrides) && !(spec.skip ?? []).includes(f.name)
  && (!spec.only || spec.only.some((o) => (o instanceof RegExp ? o.test(f.name) : o === f.name)));

const resolve = (v) => (typeof v === 'function' ? v() : v);

// The values of the fields that carry no payload: hidden ones, the choices (the one
// chosen, or the first there is: a session tied to an issue and a lab shows on their
// pages too), and what the spec fixes.
function fixedParams(form, spec) {
  const params = [];
  const radios = new Set();
  for (const f of form.fields) {
    if (f.name in spec.overrides || carries(spec, f) || f.type === 'password') continue;
    if (TEXTISH.has(f.type)) params.push([f.name, f.value]);
    if (f.type === 'hidden') params.push([f.name, f.value]);
    else if (f.type === 'checkbox') { if (f.checked) params.push([f.name, f.value]); }
    else if (f.type === 'radio') {
      if (radios.has(f.name)) continue;
      const group = form.fields.filter((x) => x.name === f.name);
      const chosen = group.find((x) => x.checked) ?? group[0];
      radios.add(f.name);
      params.push([f.name, chosen.value]);
    } else if (f.type === 'select') params.push([f.name, f.value || f.options.find((o) => o) || '']);
  }
  for (const [name, v] of Object.entries(spec.overrides)) for (const one of [].concat(resolve(v))) params.push([name, one]);
  return params;
}

// The fields whose errors a refused form lists (the summary links to each field's id; a
// form without a summary marks its field).
function fieldErrors(html) {
  const summary = html.match(/<div class="error-summary"[\s\S]*?<\/ul>/);
  if (summary) return [...summary[0].matchAll(/href="#([^"]+)"/g)].map((m) => m[1]);
  const marked = [...html.matchAll(/class="field-error" id="([^"]+)-error"/g)].map((m) => m[1]);
  return marked.length ? marked : null;
}

async function postForm(actor, action, params, label) {
  const body = new URLSearchParams(params).toString();
  const response = await actor.context.request.post(base + action, {
    data: body,
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': nextIp(), accept: 'text/html' },
    maxRedirects: 0,
    failOnStatusCode: false,
    timeout: 30000,
  });
  stats.requests++;
  const status = response.status();
  const headers = response.headers();
  const html = status === 303 ? '' : await response.text();
  return { status, location: headers.location, html, headers, label };
}

// Packs payloads (by index) from the front of `queue` into at most `budget` characters.
function pack(queue, budget, sep) {
  const taken = [queue.shift()];
  let length = PAYLOADS[taken[0]].text.length;
  while (queue.length && length + sep.length + PAYLOADS[queue[0]].text.length <= budget) {
    length += sep.length + PAYLOADS[queue[0]].text.length;
    taken.push(queue.shift());
  }
  return taken;
}

const sepFor = (f) => (f.type === 'textarea' ? '\n\n' : ' ');
const joinPayloads = (ids, f) => ids.map((i) => PAYLOADS[i].text).join(sepFor(f));

// How many submissions each form's stored pass may take (XSS_STORED=all: as many as it
// takes to store every payload through every field that takes it).
// The payloads rotate from form to form, so that each is stored through many fields.
const STORED = process.env.XSS_STORED === 'all' ? Infinity : Number(process.env.XSS_STORED ?? 10);

// The payloads short enough for any field.
const SHORT = PAYLOADS.map((p, i) => (p.text.length <= 24 && !/[\r\n\t]/.test(p.text) ? i : -1)).filter((i) => i >= 0);

// The canary a form filled in by hand gets in the field it shows as text.
const CANARY = `${PAYLOADS[0].text} ${PAYLOADS[28].text} "'><b>`;

// Sends every payload through every text field of one form; see the file's head.
async function runForm(actorName, spec) {
  const actor = actors[actorName];
  spec.overrides ??= {};
  spec.structured ??= {};
  const form = await readForm(actor, spec.form, spec.select);
  const action = spec.action ?? form.action;
  spec.setup?.(form, spec);
  const textFields = form.fields.filter((f) => carries(spec, f));
  const free = textFields.filter((f) => !(f.name in spec.structured));
  const structured = textFields.filter((f) => f.name in spec.structured);
  const record = {
    key: spec.key, who: actorName, route: `POST ${action}`, fields: {}, submissions: 0, stored: 0, pages: new Set(), locations: [],
  };
  for (const f of textFields) {
    record.fields[f.name] = { echoed: 0, stored: new Set(), refused: new Set(), structured: f.name in spec.structured };
  }
  stats.forms.push(record);
  const pages = record.pages;
  // What to visit for a stored submission: a singleton (a profile, the center) at once,
  // since the next submission overwrites it; a record when all are stored.
  const afterPages = async (location) => {
    const path = location ? new URL(location, base).pathname : null;
    if (path) record.locations.push(path);
    const list = (spec.after ? spec.after(path) : path ? [path] : []).filter(Boolean);
    if (spec.singleton) for (const p of list) { await parse(actor, p, `${spec.key} ${p}`); pages.add(p); }
    else for (const p of list) pages.add(p);
    if (spec.onStored) await spec.onStored(path);
  };

  // 1. Filled in and sent by hand, in the browser: the canary in the shown field, one
  // payload in each other, the structured fields as they must be.
  {
    const { page } = actor;
    const f = page.locator(spec.select).first();
    // A form folded away (a report under its <details>) is opened as a reader would; one
    // the browser checks itself (an e-mail address) is sent anyway, as a forged one would be.
    await f.evaluate((form) => {
      for (let d = form.closest('details'); d; d = d.parentElement?.closest('details')) d.open = true;
      form.noValidate = true;
    });
    let k = 40 + stats.forms.length * 3;
    const typed = {};
    const typedIds = {};
    for (const field of textFields) {
      let value;
      if (field.name in spec.structured) value = String(resolve(spec.structured[field.name]));
      else if (field.name === spec.shows) { value = CANARY; typedIds[field.name] = [0, 28]; }
      else {
        // One payload a short field takes (an input), any in a text area.
        const pool = field.type === 'textarea' ? PAYLOADS.map((_, i) => i) : SHORT;
        const i = pool[k++ % pool.length];
        typedIds[field.name] = [i];
        value = PAYLOADS[i].text;
      }
      typed[field.name] = value;
      await f.locator(`[name="${field.name}"]`).first().fill(value);
    }
    for (const [name, v] of Object.entries(spec.overrides)) {
      const field = form.fields.find((x) => x.name === name);
      if (!field || field.type === 'hidden') continue;
      const value = resolve(v);
      if (field.type === 'select') await f.locator(`[name="${name}"]`).selectOption(String(value));
      else if (field.type === 'radio' || field.type === 'checkbox') {
        for (const one of [].concat(value)) await f.locator(`[name="${name}"][value="${one}"]`).check();
      } else await f.locator(`[name="${name}"]`).first().fill(String(value));
    }
    for (const fld of form.fields) {
      if (fld.type === 'checkbox' && fld.checked && !(fld.name in spec.overrides)) {
        await f.locator(`[name="${fld.name}"][value="${fld.value}"]`).check();
      }
    }
    const submit = f.locator(spec.submit ?? 'button[type="submit"], button:not([type]), input[type="submit"]').first();
    const isPost = (r) => r.request().method() === 'POST' && new URL(r.url()).pathname === new URL(action, base).pathname;
    let [response] = await Promise.all([page.waitForResponse(isPost), page.waitForEvent('load'), submit.click()]);
    // A form that asks once more before sending (similar issues already there).
    if (response.status() === 200 && !(await page.locator('.error-summary').count()) && await page.locator(spec.select).count()) {
      const again = page.locator(spec.select).first().locator('button[type="submit"], button:not([type])').last();
      [response] = await Promise.all([page.waitForResponse(isPost), page.waitForEvent('load'), again.click()]);
    }
    record.submissions++;
    const status = response.status();
    if (status >= 500) serverErrors.push({ route: record.route, status, field: '(filled in by hand)', payloads: typed });
    assert.ok([200, 303, 422].includes(status), `${spec.key}: the form filled in by hand answers ${status}`);
    const refused = await page.locator('.error-summary').count();
    await inspect(page, `${actorName} ${spec.key} (sent by hand)`);
    if (!refused) {
      record.stored++;
      for (const field of free) for (const i of typedIds[field.name] ?? []) record.fields[field.name].stored.add(i);
      const location = status === 303 ? response.headers().location : null;
      await afterPages(location);
      // The field it shows as text reads as typed, on the record's page.
      if (spec.shows) {
        assert.ok(location, `${spec.key}: the form sent by hand leads to its record`);
        await visit(actor, new URL(location, base).pathname, `${spec.key} as sent by hand`, { expectShown: CANARY });
      }
    } else if (!spec.refused) {
      const why = await page.locator('.error-summary li').allInnerTexts();
      notes.push(`${spec.key}: the form filled in by hand was refused (${why.join(' / ')})`);
    }
  }

  // 2. Every payload at once in every text field (structured ones too): whether taken or
  // refused, the answer shows them all.
  if (spec.echo !== false) {
    const params = fixedParams(form, spec);
    for (const f of textFields) {
      params.push([f.name, PAYLOADS.map((p) => p.text).join(sepFor(f))]);
    }
    const r = await postForm(actor, action, params, `${spec.key} echo`);
    record.submissions++;
    if (r.status >= 500) await isolate(actor, spec, form, action, textFields, record, PAYLOADS.map((_, i) => i));
    else if (r.status === 303) {
      await afterPages(r.location);
      record.stored++;
      for (const f of textFields) {
        record.fields[f.name].echoed += PAYLOADS.length;
        for (let i = 0; i < PAYLOADS.length; i++) record.fields[f.name].stored.add(i);
      }
    } else if ([200, 422].includes(r.status)) {
      for (const f of textFields) record.fields[f.name].echoed += PAYLOADS.length;
      await render(actor, `${spec.key} echo (${r.status})`, r.html, r.headers);
      if (r.status === 200 && !fieldErrors(r.html)) {
        record.stored++;
        for (const f of textFields) for (let i = 0; i < PAYLOADS.length; i++) record.fields[f.name].stored.add(i);
      }
    } else {
      refusals.push({ form: spec.key, status: r.status, what: 'every payload at once' });
    }
  }

  // 3. Stored: every payload through every free field, packed.
  const queues = new Map();
  const budgets = new Map();
  const rejectedInRow = new Map();
  free.forEach((f, j) => {
    const offset = (j * 37 + stats.forms.length * 61) % PAYLOADS.length;
    queues.set(f.name, PAYLOADS.map((_, i) => (i + offset) % PAYLOADS.length).filter((i) => !record.fields[f.name].stored.has(i)));
    // What a field takes, first guessed (most one-line fields take 100 characters or so),
    // then halved whenever a submission is refused for it.
    budgets.set(f.name, spec.budget?.[f.name] ?? (f.type === 'textarea' ? 3000 : 100));
    rejectedInRow.set(f.name, 0);
  });
  const demoted = new Set();
  const max = record.submissions + (spec.max ?? STORED);
  let renders = 0;
  while (spec.store !== false && record.submissions < max && free.some((f) => !demoted.has(f.name) && queues.get(f.name).length)) {
    const params = fixedParams(form, spec);
    const carried = new Map();
    for (const f of free) {
      const q = queues.get(f.name);
      if (!demoted.has(f.name) && q.length) {
        const ids = pack(q, budgets.get(f.name), sepFor(f));
        carried.set(f.name, ids);
        params.push([f.name, joinPayloads(ids, f)]);
      } else {
        params.push([f.name, demoted.has(f.name) ? f.value : PAYLOADS[unique() % PAYLOADS.length].text]);
      }
    }
    for (const f of structured) params.push([f.name, String(resolve(spec.structured[f.name]))]);
    const r = await postForm(actor, action, params, spec.key);
    record.submissions++;
    const errors = r.status === 303 ? null : fieldErrors(r.html);
    if (r.status >= 500) {
      await isolate(actor, spec, form, action, free, record, null, carried);
      continue;
    }
    if (r.status === 303 || (r.status === 200 && !errors)) {
      record.stored++;
      for (const [name, ids] of carried) {
        for (const i of ids) record.fields[name].stored.add(i);
        rejectedInRow.set(name, 0);
      }
      await afterPages(r.location);
      if (r.status === 200 && renders++ < 3) await render(actor, `${spec.key} answer`, r.html, r.headers);
      continue;
    }
    if (r.status !== 422 && !(r.status === 200 && errors)) {
      const what = [...carried].map(([n, ids]) => `${n}: ${ids.map((i) => i + 1).join(',')}`).join('; ');
      refusals.push({ form: spec.key, status: r.status, what });
      if (refusals.filter((x) => x.form === spec.key).length > 3) break;
      continue;
    }
    if (renders++ < 4) await render(actor, `${spec.key} refused`, r.html, r.headers);
    const broken = errors.map((id) => free.find((f) => f.name === id || id.startsWith(`${f.name}-`)) ?? { name: id, missing: true });
    for (const b of broken) {
      if (b.missing) {
        const s = structured.find((f) => f.name === b.name || b.name.startsWith(`${f.name}-`));
        throw new Error(`${spec.key}: refused for ${b.name}${s ? ` (the value given: ${JSON.stringify(resolve(spec.structured[s.name]))})` : ''}`);
      }
    }
    const brokenNames = new Set(broken.map((b) => b.name));
    for (const name of brokenNames) {
      if (demoted.has(name)) {
        const value = free.find((f) => f.name === name).value;
        throw new Error(`${spec.key}: refused for ${name}, left as the form has it (${JSON.stringify(value)})`);
      }
    }
    for (const f of free) {
      const ids = carried.get(f.name);
      if (!ids) continue;
      if (!brokenNames.has(f.name)) { queues.get(f.name).unshift(...ids); continue; }
      if (ids.length > 1) {
        budgets.set(f.name, Math.max(1, Math.floor(joinPayloads(ids, f).length / 2)));
        queues.get(f.name).unshift(...ids);
      } else {
        record.fields[f.name].refused.add(ids[0]);
        rejectedInRow.set(f.name, rejectedInRow.get(f.name) + 1);
        if (rejectedInRow.get(f.name) >= 6 && record.fields[f.name].stored.size === 0) {
          demoted.add(f.name);
          record.fields[f.name].structured = true;
          notes.push(`${spec.key}: ${f.name} takes none of the payloads (a structured field): they went through its form only`);
        }
      }
    }
  }
  if (process.env.XSS_DEBUG) {
    const fields = Object.entries(record.fields)
      .map(([n, f]) => `${n}: ${f.stored.size} stored, ${f.refused.size} refused${f.structured ? ' (structured)' : ''}`);
    console.log(`${spec.key}: ${record.submissions} submissions, ${record.stored} stored; ${fields.join('; ')}`);
  }
  return record;
}

// After a 500: which field and which payload. Each field alone, halving its payloads.
async function isolate(actor, spec, form, action, fields, record, all, carried) {
  const culprits = [];
  for (const f of fields) {
    let suspects = all ?? carried?.get(f.name) ?? [];
    const tryIds = async (ids) => {
      const params = fixedParams(form, spec);
      for (const g of fields) {
        const other = g.name in spec.structured ? String(resolve(spec.structured[g.name])) : 'テスト';
        params.push([g.name, g === f ? joinPayloads(ids, f) : other]);
      }
      for (const [name, v] of Object.entries(spec.structured)) {
        if (!fields.some((g) => g.name === name)) params.push([name, String(resolve(v))]);
      }
      const r = await postForm(actor, action, params, `${spec.key} isolate`);
      return r.status >= 500;
    };
    if (!suspects.length || !(await tryIds(suspects))) continue;
    const queue = [suspects];
    while (queue.length) {
      const ids = queue.shift();
      if (ids.length === 1) { culprits.push({ field: f.name, payload: ids[0] }); continue; }
      const half = Math.ceil(ids.length / 2);
      for (const part of [ids.slice(0, half), ids.slice(half)]) if (await tryIds(part)) queue.push(part);
    }
  }
  if (!culprits.length) serverErrors.push({ route: record.route, status: 500, field: '(not reproduced alone)' });
  for (const c of culprits) {
    const payload = `#${c.payload + 1} ${JSON.stringify(PAYLOADS[c.payload].text)}`;
    serverErrors.push({ route: record.route, status: 500, field: c.field, payload });
    record.fields[c.field]?.refused.add(c.payload);
  }
}

// The watchers themselves, on pages made to fail: a script and a handler that run are
// seen (the sink, the dialog), one that the policy stops is seen (the violation), and
// the markup of both is found. Then forgotten, so as not to count below.
async function watchersSeeWhatRuns() {
  const was = [hits.length, dialogs.length, violations.length, injections.length];
  const actor = actors.visitor;
  const html = { 'content-type': 'text/html; charset=utf-8' };
  await render(actor, 'self-test, no policy',
    '<!doctype html><title>t</title><p>x</p><script>__xss(-1)</script><img src="/static/none.png" onerror="alert(-2)">', html);
  await render(actor, 'self-test, the policy',
    '<!doctype html><title>t</title><p>x</p><script>__xss(-3)</script><a href="javascript:__xss(-4)">x</a>',
    { ...html, 'content-security-policy': "script-src 'self'" });
  for (let i = 0; i < 50 && (violations.length === was[2] || dialogs.length === was[1]); i++) await new Promise((r) => setTimeout(r, 100));
  assert.deepEqual(hits.slice(was[0]).map((h) => h.n), [-1], 'a script that runs calls the sink');
  assert.deepEqual(dialogs.slice(was[1]).map((d) => d.message), ['-2'], 'a handler that runs opens its dialog');
  assert.ok(violations.slice(was[2]).some((v) => /^script-src/.test(v.directive)), 'a script the policy stops is seen');
  const found = injections.slice(was[3]).map((i) => i.what.replace(/ in <.*$/, ''));
  for (const what of ['script', 'handler onerror', 'href=javascript:__xss(-4)']) {
    assert.ok(found.includes(what), `${what} found in ${found}`);
  }
  hits.length = was[0];
  dialogs.length = was[1];
  violations.length = was[2];
  injections.length = was[3];
}

// ---------------------------------------------------------------------------------------
// The stories.

const ids = {};
const cycle = (values) => { let i = 0; return () => values[i++ % values.length]; };
const firstId = (record, re) => {
  const path = record.locations.find((l) => re.test(l));
  assert.ok(path, `${record.key} stored something (${record.locations.slice(0, 3).join(' ')})`);
  return path.match(re)[1];
};

test('every payload goes through every text field of every form', async () => {
  assert.ok(PAYLOADS.length >= 200, `${PAYLOADS.length} payloads`);
  assert.equal(new Set(PAYLOADS.map((p) => p.text)).size, PAYLOADS.length, 'the payloads are distinct');
  await Promise.all([
    newActor('visitor'),
    newActor('member', 'member@example.jp'),
    newActor('company', 'company@example.jp'),
    newActor('coordinator', 'coordinator@example.jp'),
    newActor('admin', 'admin@example.jp'),
  ]);

  await watchersSeeWhatRuns();

  // The demo's records the forms below hang on: its session open for registration, its
  // consultation open for comment, its first article, board post and issue.
  const { page } = actors.visitor;
  await page.goto(`${base}/events`);
  ids.event = (await page.locator('main a[href^="/events/"]').evaluateAll((as) => as.map((a) => a.getAttribute('href'))))
    .map((h) => h.match(/^\/events\/(\d+)$/)?.[1]).find(Boolean);
  await page.goto(`${base}/labs`);
  ids.consultation = (await page.locator('main a[href^="/consultations/"]').first().getAttribute('href')).split('/').pop();
  Object.assign(ids, { article: '1', board: '1', issue: '1' });

  const run = runForm;
  // Records one lane makes and another's forms hang on; a lane that fails fails those
  // waiting on it.
  const made = {};
  const ready = (name) => (made[name] ??= (() => {
    let done;
    let fail;
    const promise = new Promise((resolve, reject) => { done = resolve; fail = reject; });
    promise.catch(() => {});
    return { promise, done, fail };
  })());
  ready('issue');
  ready('post');
  const lane = (fn) => fn().catch((e) => { for (const d of Object.values(made)) d.fail(e); throw e; });

  // Four lanes at once: the secretariat, a member, a coordinator, the public and the company.
  const secretariat = async () => {
    // A roster imported from a file (a job that runs while the forms below go on): every
    // payload a participant's name and affiliation, ten of them the themes of sessions,
    // the file's name one too; and a roster whose every row is wrong, each problem
    // quoting a payload.
    const cell = (v) => `"${String(v).replaceAll('"', '""')}"`;
    const roster = (rows) => `\uFEFF日付,テーマ,氏名,メール,所属,属性,初参加,参加方法\r\n${rows.map((r) => r.map(cell).join(',')).join('\r\n')}\r\n`;
    const themes = PAYLOADS.filter((_, i) => i % 26 === 3).map((p) => p.text);
    const good = PAYLOADS.map((p, i) => [
      isoDate(-20 - (i % themes.length)), themes[i % themes.length], p.text, `roster-${p.n}@example.jp`, p.text, '市民', '○', '会場',
    ]);
    const bad = PAYLOADS.filter((_, i) => i % 6 === 1).map((p) => [p.text, p.text, p.text, p.text, p.text, p.text, p.text, p.text]);
    ids.rosterJobs = [];
    for (const [name, rows] of [[`${PAYLOADS[0].text}.csv`, good], [`${PAYLOADS[100].text}.csv`, bad]]) {
      const r = await actors.admin.context.request.post(`${base}/admin/roster?csrf_token=${encodeURIComponent(actors.admin.csrf)}`, {
        multipart: { kind: 'info_exchange', file: { name, mimeType: 'text/csv', buffer: Buffer.from(roster(rows)) } },
        maxRedirects: 0, failOnStatusCode: false,
      });
      if (r.status() >= 500) serverErrors.push({ route: 'POST /admin/roster', status: r.status(), field: 'file' });
      assert.equal(r.status(), 303, `a roster handed to its job (${r.status()})`);
      ids.rosterJobs.push(new URL(r.headers().location, base).pathname);
    }
    // Sessions (published, so that the public lists, feeds and exports show them),
    // articles, labs and what hangs on a lab, the center.
    const session = await run('admin', {
      key: 'session', form: '/admin/events/new', select: 'form[action="/admin/events"]', shows: 'title',
      overrides: { kind: 'study' },
      structured: { date: isoDate(30), start_time: '19:00', end_time: '20:30', end_date: '', venue_capacity: '30',
        online_capacity: '', online_url: '', deadline: '', fee: '' },
      after: (p) => [p, `${p}/edit`, p.replace('/admin', '')],
      onStored: async (p) => {
        const r = await send('admin', `${p}/status`, { status: 'published' });
        assert.equal(r.status, 303, `${p} published`);
      },
    });
    ids.ownEvent = firstId(session, /^\/admin\/events\/(\d+)$/);
    await run('admin', {
      key: 'article', form: '/admin/articles/new', select: 'form[action="/admin/articles"]', shows: 'title',
      submit: 'button[value="publish"]', overrides: { category: 'notice', action: 'publish' },
      structured: { date: isoDate(0) },
      after: (p) => [p, `/admin${p}/edit`],
    });
    const lab = await run('admin', {
      key: 'lab', form: '/labs/new', select: 'form[action="/labs"]', shows: 'title',
      structured: { social_issue: '', event: '', founded_on: isoDate(-30) },
      after: (p) => [p, `${p}/edit`],
    });
    ids.ownLab = firstId(lab, /^\/labs\/(\d+)$/);
    await run('admin', {
      key: 'lab meeting', form: `/labs/${ids.ownLab}/meetings/new`, select: `form[action="/labs/${ids.ownLab}/meetings"]`,
      structured: {
        held_on: isoDate(-1), others: '5', guest_citizen: '1', guest_company: '', guest_university: '', guest_npo: '2',
        guest_government: '', guest_councilor: '',
      },
      after: () => [`/labs/${ids.ownLab}`],
    });
    await run('admin', {
      key: 'roadmap', form: `/labs/${ids.ownLab}/roadmap/new`, select: `form[action="/labs/${ids.ownLab}/roadmap"]`,
      after: (p) => [p, !p.endsWith('/1') && `${p}/diff`],
    });
    await run('admin', {
      key: 'consultation', form: `/labs/${ids.ownLab}/consultations/new`, select: `form[action="/labs/${ids.ownLab}/consultations"]`,
      structured: { opens_on: isoDate(0), closes_on: isoDate(30) },
    });
    await run('admin', {
      key: 'center', form: '/admin/center', select: 'form[action="/admin/center"]', singleton: true,
      structured: { municipality_code: '', phone: '' },
      after: () => ['/admin/center'],
    });
    // Decisions: a post hidden and restored with reasons; an issue's stages with notes.
    await run('admin', {
      key: 'moderation reason', form: '/board/2', select: 'form[action="/admin/board/2/moderation"]',
      overrides: { action: cycle(['restore', 'hide']) }, submit: 'button[value="hide"]', after: () => ['/admin/moderation', '/board/2'],
    });
    await send('admin', '/admin/board/2/moderation', { action: 'restore', reason: '戻します' });
    // Forms that take an address alone: what they show again when it is none.
    const members = `/labs/${ids.ownLab}/members`;
    await run('admin', { key: 'lab member', form: members, select: `form[action="${members}"]`, store: false, refused: true });
    await run('admin', { key: 'guest search', form: '/admin/people', select: 'form[action="/admin/people"]', store: false, refused: true });
    // A guest's details as the secretariat corrects them on request (found by e-mail).
    const guestEmail = 'guest-correct@example.jp';
    const registered = await send('visitor', `/events/${ids.event}/registrations`, {
      mode: 'venue', name: 'ゲスト 太郎', furigana: 'ゲスト タロウ', email: guestEmail, sector: 'citizen', affiliation: '', consent: 'yes',
    });
    assert.ok([200, 303].includes(registered.status), `a guest registers: ${registered.status}`);
    const found = await send('admin', '/admin/people', { email: guestEmail });
    const guest = found.html.match(/\/admin\/people\/(\d+)\/correct/)?.[1];
    if (guest) {
      await run('admin', {
        key: 'guest correction', form: `/admin/people/${guest}`, select: 'form[action$="/correct"]', singleton: true,
        overrides: { sector: 'citizen' }, structured: { email: guestEmail, furigana: 'テスト' },
        after: () => [`/admin/people/${guest}`],
      });
    } else {
      notes.push(`no guest page found for ${guestEmail} (${found.status}): the correction form was not tried`);
    }
    const issue = await ready('issue').promise;
    await run('admin', {
      key: 'stage note', form: `/issues/${issue}`, select: `form[action="/admin/issues/${issue}/stage"]`,
      overrides: { stage: cycle(['2', '3', '4', '1']) }, after: () => [`/issues/${issue}`],
    });
  };

  const member = async () => {
    await run('member', {
      key: 'profile', form: '/account', select: 'form[action="/account"]', singleton: true,
      overrides: { sector: 'citizen' }, structured: { furigana: 'テスト' },
      after: () => ['/account', '/mypage'],
    });
    await run('member', {
      key: 'directory', form: '/account/directory', select: 'form[action="/account/directory"]', singleton: true,
      overrides: Object.fromEntries(['name', 'sector', 'interests', 'skills', 'seeking', 'activity'].map((p) => [`${p}_shown`, 'public'])),
      after: (p) => [p, '/account/directory'],
    });
    const issue = await run('member', {
      key: 'social issue', form: '/issues/new', select: 'form[action="/issues"]', shows: 'title',
      overrides: { similar_seen: 'yes', tag: '防災' },
    });
    ids.ownIssue = firstId(issue, /^\/issues\/(\d+)$/);
    await run('member', { key: 'issue comment', form: `/issues/${ids.ownIssue}`, select: 'form[action$="/comments"]' });
    ready('issue').done(ids.ownIssue);
    const post = await run('member', {
      key: 'board post', form: '/board/new', select: 'form[action="/board"]', shows: 'title',
      overrides: { category: 'notice', audience: 'public' }, structured: { event: '' },
      after: (p) => [p, `${p}/edit`],
    });
    ids.ownPost = firstId(post, /^\/board\/(\d+)$/);
    await run('member', { key: 'board comment', form: `/board/${ids.ownPost}`, select: 'form[action$="/comments"]' });
    ready('post').done(ids.ownPost);
    await run('member', {
      key: 'need', form: '/needs/new', select: 'form[action="/needs"]', shows: 'title',
      overrides: { kind: 'skill', skill: 'design', visibility: 'public' }, structured: { starts_on: '', ends_on: '' },
      after: (p) => [p, `${p}/edit`],
    });
    // Reports, which wait in the secretariat's queue with their reasons.
    for (const [key, page] of [['report of an issue', `/issues/${ids.issue}`], ['report of a board post', `/board/${ids.board}`]]) {
      await run('member', { key, form: page, select: `form[action="${page}/report"]`, after: () => [] });
    }
  };

  const coordinator = async () => {
    // Hearings, trainings, visits, introductions, walk-ins at the door, a consultation's
    // comments received on paper, its answers and the names of its groups.
    await run('coordinator', {
      key: 'hearing', form: '/hearings/new', select: 'form[action="/hearings"]', shows: 'company',
      overrides: { size: 'small', method: 'visit', partner: 'npo' }, structured: { held_on: isoDate(-3), held_until: '' },
      after: (p) => [p, `${p}/edit`],
    });
    await run('coordinator', {
      key: 'training', form: '/trainings/new', select: 'form[action="/trainings"]', shows: 'title',
      overrides: { kind: 'internal', participant: '1' }, structured: { held_on: isoDate(-3), others: '' },
      after: (p) => [p, `${p}/edit`],
    });
    await run('coordinator', {
      key: 'visit', form: '/visits/new', select: 'form[action="/visits"]', shows: 'destination',
      structured: { starts_on: isoDate(-5), ends_on: '', visitors: '2' },
      after: (p) => [p, `${p}/edit`],
    });
    await run('coordinator', {
      key: 'introduction', form: '/introductions/new', select: 'form[action="/introductions"]',
      structured: { a_email: 'member@example.jp', b_email: 'company@example.jp' },
    });
    const door = `/admin/events/${ids.event}/checkin`;
    await run('coordinator', {
      key: 'walk-in', form: door, select: 'form[action$="/walkins"]',
      overrides: { sector: 'citizen', mode: 'venue', first_time: 'yes' }, structured: { furigana: 'テスト', email: '' },
      after: () => [door],
    });
    const workbench = `/consultations/${ids.consultation}/workbench`;
    await run('coordinator', {
      key: 'comment received on paper', form: workbench, select: 'form[action$="/received"]',
      overrides: { paragraph: '1', channel: 'paper' }, structured: { 'received-contact': '' },
      after: () => [workbench, `/consultations/${ids.consultation}/manage`],
    });
    await run('coordinator', {
      key: 'answer to a consultation', form: workbench, select: 'form[action$="/responses"]',
      only: ['summary', 'response', 'change_reason'], submit: 'p.actions button', overrides: { changed: 'yes' },
      setup: (form) => { form.fields.find((f) => f.name === 'comment').checked = true; },
      after: () => [workbench, `/consultations/${ids.consultation}/manage`],
    });
    await run('coordinator', {
      key: 'group label', form: workbench, select: 'form[action$="/responses"]', action: `/consultations/${ids.consultation}/groups`,
      only: [/^label-/], submit: 'button[name="rename"]',
      setup: (form, spec) => {
        const g = form.fields.find((f) => f.name.startsWith('label-'));
        form.fields = form.fields.filter((f) => !f.name.startsWith('label-') || f === g);
        spec.overrides.rename = g.name.slice('label-'.length);
      },
      after: () => [workbench],
    });
  };

  const publicAndCompany = async () => {
    await run('company', {
      key: 'offer', form: '/offers/new', select: 'form[action="/offers"]', shows: 'title',
      overrides: { kind: 'skill', skill: 'web', visibility: 'members' }, structured: { starts_on: '', ends_on: '' },
      after: (p) => [p, `${p}/edit`],
    });
    // Signing up, registering for a session, an issue and comments without an account
    // (they wait for the secretariat), the login and password forms.
    await run('visitor', {
      key: 'sign-up', form: '/signup', select: 'form[action="/signup"]', max: 4,
      overrides: { consent: 'yes', sector: 'citizen', password: 'a long enough password' },
      structured: { email: () => `signup-${unique()}@example.jp`, furigana: 'テスト' }, after: () => [],
    });
    await run('visitor', {
      key: 'registration', form: `/events/${ids.event}`, select: 'form[action$="/registrations"]',
      overrides: { mode: 'venue', consent: 'yes', sector: 'citizen' },
      structured: { email: () => `guest-${unique()}@example.jp`, furigana: 'テスト' }, after: () => [],
    });
    await run('visitor', {
      key: 'anonymous issue', form: '/issues/new', select: 'form[action="/issues"]', max: 5, overrides: { similar_seen: 'yes' }, after: () => [],
    });
    await run('visitor', {
      key: 'anonymous article comment', form: `/articles/${ids.article}`, select: 'form[action$="/comments"]', max: 5, after: () => [],
    });
    await run('visitor', {
      key: 'login', form: '/login', select: 'form[action="/login"]', store: false, refused: true, overrides: { password: 'not the password' },
    });
    await run('visitor', { key: 'self check-in', form: '/checkin', select: 'form[action="/checkin"]', store: false, refused: true });
    await run('visitor', {
      key: 'forgotten password', form: '/password/forgot', select: 'form[action="/password/forgot"]', store: false, refused: true,
    });
    await run('company', {
      key: 'organisation', form: '/organisations/new', select: 'form[action="/organisations"]', shows: 'name',
      overrides: { kind: 'npo', visibility: 'public' },
      after: (p) => [p, `${p}/edit`],
    });
    const project = await run('company', {
      key: 'project', form: '/projects/new', select: 'form[action="/projects"]', shows: 'title',
      overrides: { status: 'active' },
      after: (p) => [p, `${p}/edit`],
    });
    ids.ownProject = firstId(project, /^\/projects\/(\d+)$/);
    await run('company', { key: 'project update', form: `/projects/${ids.ownProject}`, select: 'form[action$="/updates"]' });
    await run('company', {
      key: 'project member', form: `/projects/${ids.ownProject}`, select: 'form[action$="/members"]', store: false, refused: true,
    });
    await run('company', { key: 'article comment', form: `/articles/${ids.article}`, select: 'form[action$="/comments"]' });
    await run('company', { key: 'consultation comment', form: `/consultations/${ids.consultation}`, select: 'form[action$="/comments"]' });
    const issue = await ready('issue').promise;
    await run('visitor', {
      key: 'anonymous issue comment', form: `/issues/${issue}`, select: 'form[action$="/comments"]', max: 5, after: () => [],
    });
    await run('company', {
      key: 'report of an issue comment', form: `/issues/${issue}`, select: 'form[action^="/comments/"][action$="/report"]', after: () => [],
    });
    const post = await ready('post').promise;
    await run('company', {
      key: 'report of a board comment', form: `/board/${post}`, select: 'form[action^="/board-comments/"]', after: () => [],
    });
  };

  const lanes = [lane(secretariat), lane(member), lane(coordinator), lane(publicAndCompany)];
  const outcomes = await Promise.allSettled(lanes);
  for (const o of outcomes) if (o.status === 'rejected') throw o.reason;
}, { timeout: 600000 });

// Pages of every kind, as each reader.
const LISTS = ['/', '/events', '/issues', '/board', '/articles', '/needs', '/offers', '/projects', '/labs', '/organisations',
  '/people', '/search?q=xss', '/search?q=script', '/search?q=__xss', '/privacy'];
const READER_PAGES = {
  visitor: [],
  english: [],
  member: ['/mypage', '/notifications', '/introductions', '/account', '/account/directory', '/account/mail'],
  company: ['/mypage', '/notifications', '/introductions'],
  coordinator: ['/mypage', '/coordination', '/introductions', '/hearings', '/hearings/summary', '/trainings', '/visits'],
  admin: ['/mypage', '/admin/events', '/admin/issues', '/admin/moderation', '/admin/articles', '/admin/accounts',
    '/admin/access-log', '/admin/operations', '/admin/reports/annual', '/admin/files', '/admin/center', '/admin/roster',
    '/coordination', '/hearings', '/hearings/summary', '/trainings', '/visits'],
};

test('no payload runs on any page that shows them, as the public, a member, a coordinator or the secretariat', async () => {
  assert.ok(stats.forms.length, 'the forms were sent');
  // The roster imports' pages, followed by app.js (which puts each new state in place)
  // until their jobs end: one imported, one refused with its problems.
  const outcomes = [];
  for (const job of ids.rosterJobs) {
    const page = await freeTab(actors.admin);
    try {
      await page.goto(base + job);
      await page.waitForSelector('#job[data-job-running="no"]', { timeout: 60000 });
      await page.waitForLoadState('load');
      await inspect(page, `admin ${job}`);
      outcomes.push(await page.locator('#job-status').getAttribute('class'));
    } finally {
      release(actors.admin, page);
    }
  }
  assert.deepEqual(outcomes, ['flash', 'error-summary'], 'the good roster imported, the bad one refused');
  const consultation = `/consultations/${ids.consultation}`;
  READER_PAGES.admin.push(`/admin/events/${ids.event}`, `/admin/events/${ids.event}/checkin`, `/admin/events/${ids.ownEvent}`,
    `${consultation}/manage`, `${consultation}/workbench`, consultation, `/labs/${ids.ownLab}`);
  // The English interface, where a Japanese title is marked lang="ja" within English
  // sentences: the public, and the company's member.
  await newActor('english');
  for (const who of ['english', 'company']) {
    assert.equal((await send(who, '/lang', { lang: 'en', next: '/' })).status, 303, `${who} reads in English`);
    await actors[who].page.goto(`${base}/labs`);
    assert.equal(await actors[who].page.evaluate(() => document.documentElement.lang), 'en', `${who} reads in English`);
  }
  READER_PAGES.coordinator.push(`/admin/events/${ids.event}/checkin`, `${consultation}/workbench`, `${consultation}/manage`);
  // The lists, as each reader, each visited in the browser with its next pages.
  const listed = await Promise.all(Object.keys(READER_PAGES).map((who) =>
    visitAll(actors[who], [...LISTS, ...READER_PAGES[who]], { width: 3 })));
  // The lists show the payloads: the marks of at least one in each of the public lists.
  const adminLists = listed.at(-1);
  const shown = ['/events', '/issues', '/board', '/articles', '/needs', '/projects', '/labs', '/organisations',
    '/admin/reports/annual', '/admin/moderation'];
  for (const path of shown) {
    const r = adminLists.find((x) => x.url === path);
    assert.ok(r?.marks > 0, `${path} shows payloads to the secretariat`);
  }
  // Every record each form made, its page and its edit form: the first two of each form
  // visited in the browser, the rest parsed by it; as their author, and their pages as the
  // secretariat and the public too.
  const blank = [];
  await Promise.all(Object.keys(actors).map(async (who) => {
    for (const record of stats.forms.filter((r) => r.who === who)) {
      const pages = [...record.pages];
      const first = (await checkAll(actors[who], pages, { navigate: 2, width: 3 })).find((v) => v.url === pages[0]);
      if (first && first.marks === 0) blank.push(`${record.key}: ${first.url}`);
    }
  }));
  // Each form's first page shows what was stored (else the visits would test nothing).
  assert.deepEqual(blank, [], 'pages that show none of the payloads stored');
  // The first pages of each form's records as the secretariat (who has the moderation
  // forms there) and as the public.
  const firstPages = [...new Set(stats.forms.filter((r) => r.who !== 'admin').flatMap((r) => [...r.pages].slice(0, 6)))];
  const notPublic = /\/edit$|^\/(admin|account|mypage|hearings|trainings|visits|introductions|offers)\b|\/workbench$|\/manage$/;
  const publicPages = firstPages.filter((p) => !notPublic.test(p));
  await Promise.all([
    checkAll(actors.admin, firstPages.filter((p) => !/^\/(account|mypage|introductions)/.test(p)), { navigate: 0, width: 4, allowMissing: true }),
    checkAll(actors.visitor, publicPages, { navigate: 10, width: 3, allowMissing: true }),
    checkAll(actors.english, publicPages, { navigate: 5, width: 2, allowMissing: true }),
  ]);
}, { timeout: 600000 });

test('search, filters and addresses reflect no payload', async () => {
  const q = (params) => `?${new URLSearchParams(params)}`;
  // The search box filled in and sent in the browser, as someone would.
  {
    const { page } = actors.visitor;
    await page.goto(`${base}/search`);
    await page.locator('main form[action="/search"] input[name="q"]').fill(PAYLOADS[0].text);
    await Promise.all([page.waitForURL(/\/search\?/), page.locator('main form[action="/search"] input[name="q"]').press('Enter')]);
    await inspect(page, 'visitor search sent from its form');
    assert.equal(await page.locator('main form[action="/search"] input[name="q"]').inputValue(), PAYLOADS[0].text, 'the query kept as typed');
  }
  // Search: each payload alone (it finds the records that hold it, the matches marked):
  // one in eight in the browser, the others parsed by it; as the public and the secretariat.
  const searches = PAYLOADS.map((p) => `/search${q({ q: p.text })}`);
  const found = await Promise.all([
    checkAll(actors.visitor, searches.filter((_, i) => i % 8 === 0), { width: 4 }),
    checkAll(actors.admin, searches.filter((_, i) => i % 8 !== 0), { navigate: 0, width: 4 }),
  ]);
  const highlighted = found[0].filter((r) => r.highlighted > 0).length;
  stats.searchesMarked = `${highlighted} of ${found[0].length}`;
  assert.ok(highlighted >= found[0].length / 2, `searches find the payloads, marked (${highlighted} of ${found[0].length})`);
  // The other text in a query, many payloads to an address.
  const chunks = [];
  for (let i = 0; i < PAYLOADS.length;) {
    let text = PAYLOADS[i++].text;
    while (i < PAYLOADS.length && text.length + PAYLOADS[i].text.length < 1500) text += ` ${PAYLOADS[i++].text}`;
    chunks.push(text);
  }
  const reflect = {
    visitor: [['/search', 'tag'], ['/search', 'fy'], ['/search', 'kind'], ['/people', 'interest'], ['/people', 'sector'],
      ['/needs', 'kind'], ['/needs', 'skill'], ['/offers', 'status'], ['/articles', 'category'], ['/board', 'category'],
      ['/organisations', 'kind'], ['/events', 'page'], ['/login', 'next'], ['/signup', 'next'], ['/checkin', 'code'],
      [`/labs/1/roadmap/2/diff`, 'from'], ['/password/reset', 'token'], ['/account/verify', 'token'], ['/registrations/cancel', 'token'],
      ['/join', 'token']],
    admin: [[`/admin/events/${ids.event}/checkin`, 'q'], ['/admin/access-log', 'action'], ['/admin/reports/annual', 'fiscal_year'],
      ['/admin/reports/annual', 'kind'], ['/introductions/new', 'need'], ['/projects/new', 'issue']],
    coordinator: [['/hearings', 'fiscal_year'], ['/hearings/summary', 'fiscal_year']],
  };
  await Promise.all(Object.entries(reflect).map(async ([who, list]) => {
    const urls = list.flatMap(([path, name]) => chunks.map((c) => `${path}${q({ [name]: c })}`));
    await visitAll(actors[who], urls.filter((_, i) => i % chunks.length === 0), { width: 3, allowMissing: true });
    await checkAll(actors[who], urls.filter((_, i) => i % chunks.length !== 0), { navigate: 0, width: 3, allowMissing: true });
  }));
  // An address that is no page: the error page names nothing of it unescaped.
  await visitAll(actors.visitor, chunks.slice(0, 4).map((c) => `/no-such-page/${encodeURIComponent(c.slice(0, 600))}`), { allowMissing: true });
  // Where a form sends one on afterwards: never to a javascript: address or another site.
  for (const next of ['javascript:__xss(901)', '//example.jp/', 'https://example.jp/', '/\\example.jp', ' javascript:__xss(902)']) {
    const lang = await send('visitor', '/lang', { lang: 'ja', next });
    assert.ok([303, 302].includes(lang.status) && /^\/(?![/\\])/.test(lang.location ?? '/'), `/lang next=${next} → ${lang.location}`);
    const fields = [['csrf_token', actors.visitor.csrf], ['email', 'member@example.jp'], ['password', 'socialhub-demo'], ['next', next]];
    const login = await postForm(actors.visitor, '/login', fields, 'login next');
    assert.equal(login.status, 303, `the login with next=${next}`);
    assert.match(login.location, /^\/(?![/\\])/, `/login next=${next} → ${login.location}`);
    await send('visitor', '/logout', {});
  }
}, { timeout: 600000 });

// A PNG of one pixel.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');

test('file names and files uploaded are shown and served harmlessly', async () => {
  const upload = async (who, path, name, buffer, mimeType = 'image/png') => {
    const r = await actors[who].context.request.post(`${base}${path}?csrf_token=${encodeURIComponent(actors[who].csrf)}`, {
      multipart: { file: { name, mimeType, buffer } }, maxRedirects: 0, failOnStatusCode: false,
    });
    if (r.status() >= 500) serverErrors.push({ route: `POST ${path}`, status: r.status(), field: 'file name', payload: name });
    return r;
  };
  // The upload form filled in in the browser: a picture whose name is a payload.
  {
    const { page } = actors.admin;
    await page.goto(`${base}/admin/files`);
    await page.locator('input[name="file"]').setInputFiles({ name: `${PAYLOADS[28].text}.png`, mimeType: 'image/png', buffer: PNG });
    await Promise.all([page.waitForEvent('load'), page.locator('main form[action^="/admin/files"] button').first().click()]);
    await inspect(page, 'admin files after an upload by hand');
  }
  const names = PAYLOADS.filter((_, i) => i % 8 === 0).map((p) => `${p.text}.png`);
  for (const name of names) {
    const r = await upload('admin', '/admin/files', name, PNG);
    assert.ok([303, 422].includes(r.status()), `upload ${name}: ${r.status()}`);
  }
  // Script in a picture's clothing: refused, or served as what it claims with nosniff.
  const disguised = [
    ['svg.png', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="__xss(903)"/>'), 'image/png'],
    ['page.gif', Buffer.from('GIF89a<script>__xss(904)</script>'), 'image/gif'],
    ['page.png', Buffer.concat([PNG, Buffer.from('<html><script>__xss(905)</script>')]), 'image/png'],
    ['x.pdf', Buffer.from('%PDF-1.4 <script>__xss(906)</script>'), 'application/pdf'],
  ];
  for (const [name, buffer, type] of disguised) await upload('admin', '/admin/files', name, buffer, type);
  for (const name of names.slice(0, 3)) {
    const r = await upload('member', `/board/${ids.ownPost}/attachments`, name, PNG);
    assert.ok([303, 422].includes(r.status()), `attachment ${name}: ${r.status()}`);
  }
  const [files] = await visitAll(actors.admin, ['/admin/files']);
  assert.equal(files.status, 200);
  await visit(actors.member, `/board/${ids.ownPost}`);
  // Each file as served: its own type, nosniff, a sandbox; opened in the browser, nothing runs.
  const { page } = actors.admin;
  await page.goto(`${base}/admin/files`);
  const links = await page.locator('main a[href^="/files/"]').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  assert.ok(links.length >= names.length / 2, `${links.length} files listed`);
  for (const link of links) {
    const r = await actors.visitor.context.request.get(base + link, { failOnStatusCode: false });
    assert.equal(r.status(), 200, link);
    const h = r.headers();
    assert.match(h['content-type'], /^(image\/(png|gif|jpeg)|application\/pdf)/, `${link}: ${h['content-type']}`);
    assert.equal(h['x-content-type-options'], 'nosniff', link);
    assert.match(h['content-security-policy'] ?? '', /sandbox/, link);
  }
  const tab = await actors.visitor.context.newPage();
  for (const link of links.slice(-8)) {
    await tab.goto(base + link).catch((e) => assert.match(String(e), /Download is starting/));
  }
  await tab.close();
}, { timeout: 600000 });

test('the Atom feeds are well-formed, and what they carry as HTML is clean', async () => {
  const tab = await actors.visitor.context.newPage();
  actors.visitor.blank ??= await actors.visitor.context.newPage();
  for (const path of ['/issues.atom', '/articles.atom']) {
    const r = await actors.visitor.context.request.get(base + path);
    assert.equal(r.status(), 200, path);
    assert.match(r.headers()['content-type'], /^application\/atom\+xml/, path);
    assert.equal(r.headers()['x-content-type-options'], 'nosniff', path);
    const xml = await r.text();
    assert.ok(MARKER.test(xml), `${path} carries the payloads`);
    const feed = await actors.visitor.blank.evaluate((source) => {
      const doc = new DOMParser().parseFromString(source, 'application/xml');
      const error = doc.querySelector('parsererror');
      if (error) return { error: error.textContent };
      const bad = [];
      for (const el of doc.getElementsByTagName('*')) {
        if (el.namespaceURI !== 'http://www.w3.org/2005/Atom') bad.push(`element ${el.namespaceURI} ${el.localName}`);
        for (const a of el.attributes) {
          const ns = a.namespaceURI;
          const declaration = ns === 'http://www.w3.org/2000/xmlns/' && a.value === 'http://www.w3.org/2005/Atom';
          if (/^on/i.test(a.localName) || (ns && ns !== 'http://www.w3.org/XML/1998/namespace' && !declaration)) bad.push(`attribute ${a.name}`);
        }
        if (el.localName === 'link' && !/^https?:\/\//.test(el.getAttribute('href'))) bad.push(`link ${el.getAttribute('href')}`);
        const type = el.getAttribute('type');
        if (['title', 'summary', 'name'].includes(el.localName) && type && type !== 'text') bad.push(`${el.localName} of type ${type}`);
      }
      const html = [...doc.getElementsByTagName('content')].filter((c) => c.getAttribute('type') === 'html').map((c) => c.textContent);
      const text = [...doc.querySelectorAll('entry > title, entry > summary')].map((t) => t.textContent);
      return { bad, html, text, entries: doc.getElementsByTagName('entry').length };
    }, xml);
    assert.equal(feed.error, undefined, `${path} is well-formed XML`);
    assert.deepEqual(feed.bad, [], `${path}: nothing but Atom`);
    assert.ok(feed.entries > 10, `${path}: ${feed.entries} entries`);
    assert.ok(feed.text.some((t) => MARKER.test(t)), `${path}: payloads in the entries' plain text`);
    // A feed reader renders the HTML content: it must be the sanitised HTML, nothing live.
    for (const [i, html] of feed.html.entries()) {
      const { out } = await actors.visitor.blank.evaluate(findInjections, { html, marker: markerSource, url: `${base}/` });
      for (const o of out) injections.push({ where: `${path} entry ${i + 1} (HTML content)`, what: o });
    }
    // Opened in the browser as a document: nothing runs.
    await tab.goto(base + path);
    stats.visits++;
  }
  await tab.close();
}, { timeout: 600000 });

// The cells of a CSV text (RFC 4180), a byte-order mark aside.
function csvCells(text) {
  const rows = [];
  let row = [];
  let cell = '';
  let quoted = false;
  const s = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (quoted) {
      if (c === '"' && s[i + 1] === '"') { cell += '"'; i++; } else if (c === '"') quoted = false; else cell += c;
    } else if (c === '"' && cell === '') quoted = true;
    else if (c === ',') { row.push(cell); cell = ''; } else if (c === '\n' || c === '\r') {
      if (c === '\r' && s[i + 1] === '\n') i++;
      row.push(cell); rows.push(row); row = []; cell = '';
    } else cell += c;
  }
  if (cell !== '' || row.length) { row.push(cell); rows.push(row); }
  return rows.flat();
}

// What a spreadsheet would take for a formula: a cell starting with = + - @, a tab or a
// carriage return, unless it is a plain number, date or time.
const FORMULA = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;
const PLAIN = /^[-+]?[\d.,:/]*\d[\d.,:/]*$|^-?\d{4}-\d\d-\d\d([T ][\d:.]+Z?)?$|^[-—–]$/;

// The files of a ZIP archive (an XLSX), by name.
function unzip(buffer) {
  const files = {};
  let eocd = buffer.length - 22;
  while (eocd >= 0 && buffer.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  assert.ok(eocd >= 0, 'a ZIP archive');
  const count = buffer.readUInt16LE(eocd + 10);
  let at = buffer.readUInt32LE(eocd + 16);
  for (let i = 0; i < count; i++) {
    const method = buffer.readUInt16LE(at + 10);
    const size = buffer.readUInt32LE(at + 20);
    const nameLength = buffer.readUInt16LE(at + 28);
    const extra = buffer.readUInt16LE(at + 30);
    const comment = buffer.readUInt16LE(at + 32);
    const local = buffer.readUInt32LE(at + 42);
    const name = buffer.toString('utf8', at + 46, at + 46 + nameLength);
    const start = local + 30 + buffer.readUInt16LE(local + 26) + buffer.readUInt16LE(local + 28);
    const data = buffer.subarray(start, start + size);
    files[name] = (method === 8 ? inflateRawSync(data) : data).toString('utf8');
    at += 46 + nameLength + extra + comment;
  }
  return files;
}

test('the exports are downloads of their own type, with every formula defused and no forged line', async () => {
  // Spreadsheet formulas where the exports carry text alone: guests who register and are
  // checked in, a walk-in, sessions, the member's own name and a board post.
  const formulas = PAYLOADS.filter((p) => p.kind === 'formula');
  for (const p of formulas) {
    const r = await send('visitor', `/events/${ids.event}/registrations`, {
      mode: 'venue', name: p.text, furigana: 'テスト', email: `formula-${p.n}@example.jp`, sector: 'citizen', affiliation: p.text, consent: 'yes',
    });
    assert.ok([200, 303, 422].includes(r.status), `registration named ${JSON.stringify(p.text)}: ${r.status}`);
  }
  for (const p of formulas.slice(0, 4)) {
    const r = await send('coordinator', `/admin/events/${ids.event}/walkins`, {
      name: p.text, furigana: 'テスト', email: '', sector: 'company', affiliation: p.text, mode: 'venue', first_time: 'yes',
    });
    assert.ok([303, 422].includes(r.status), `walk-in ${JSON.stringify(p.text)}: ${r.status}`);
  }
  const { page } = actors.admin;
  await page.goto(`${base}/admin/events/${ids.event}/checkin`);
  const checkins = await page.locator('form[action*="/checkin/"]')
    .evaluateAll((fs) => fs.map((f) => [f.getAttribute('action'), !!f.querySelector('[name="waiting_list"]')]));
  for (const [action, waiting] of checkins) await send('admin', action, waiting ? { waiting_list: 'yes' } : {});
  for (const p of formulas.slice(0, 3)) {
    const r = await send('admin', '/admin/events', {
      kind: 'info_exchange', title: p.text, description: p.text, date: isoDate(40), start_time: '19:00', end_time: '20:30', venue: p.text,
      venue_capacity: '10', cohosts: p.text,
    });
    assert.equal(r.status, 303, `a session titled ${JSON.stringify(p.text)}`);
    assert.equal((await send('admin', `${new URL(r.location, base).pathname}/status`, { status: 'published' })).status, 303);
  }
  const fp = formulas.find((p) => p.text.startsWith('=HYPERLINK'));
  const profile = { display_name: fp.text, furigana: 'テスト', sector: 'citizen', affiliation: '@SUM(1+1)' };
  assert.equal((await send('member', '/account', profile)).status, 303);
  const post = { category: 'notice', audience: 'public', title: '=1+1', body: '+1+1', event: '' };
  assert.equal((await send('member', '/board', post)).status, 303);
  assert.equal((await send('admin', '/admin/center', { municipality_code: '', municipality: '=1+1', phone: '' })).status, 303);

  const memberExports = ['/account/export', '/account/export.csv'];
  const publicExports = ['/events.ics', `/events/${ids.event}/calendar.ics`, `/events/${ids.ownEvent}/calendar.ics`,
    '/events/opendata.csv', '/events/opendata.json'];
  const adminExports = [`/admin/events/${ids.event}/roster.csv`, `/admin/events/${ids.event}/roster.xlsx`,
    `/admin/events/${ids.ownEvent}/roster.csv`, '/admin/reports/annual.csv', '/admin/reports/annual.xlsx', '/admin/reports/annual.json',
    '/account/export', '/account/export.csv'];
  const read = [];
  const check = async (who, path) => {
    const r = await actors[who].context.request.get(base + path, { failOnStatusCode: false });
    if (r.status() >= 500) serverErrors.push({ route: `GET ${path}`, status: r.status(), who });
    assert.equal(r.status(), 200, `${path} as ${who}`);
    const h = r.headers();
    const type = h['content-type'] ?? '';
    assert.doesNotMatch(type, /text\/html|xhtml|javascript|ecmascript|svg|text\/xml|^$/i, `${path}: ${type}`);
    assert.ok(h['x-content-type-options'] === 'nosniff' || /^attachment/.test(h['content-disposition'] ?? ''), `${path} cannot be sniffed`);
    const body = await r.body();
    read.push({ who, path, type, disposition: h['content-disposition'], bytes: body.length });
    if (/csv/.test(type)) {
      assert.match(h['content-disposition'] ?? '', /^attachment/, `${path} is a download`);
      const cells = csvCells(body.toString('utf8'));
      const live = cells.filter((c) => FORMULA.test(c) && !PLAIN.test(c));
      assert.deepEqual(live, [], `${path}: cells a spreadsheet would take for formulas`);
      return { cells };
    }
    if (/spreadsheetml/.test(type)) {
      assert.match(h['content-disposition'] ?? '', /^attachment/, `${path} is a download`);
      const files = unzip(body);
      const sheets = Object.entries(files).filter(([n]) => /^xl\/(worksheets\/sheet\d+|sharedStrings)\.xml$/.test(n));
      assert.ok(sheets.length, `${path} has sheets`);
      for (const [name, xml] of sheets) {
        assert.doesNotMatch(xml, /<f[\s>]/, `${path} ${name}: no formula`);
        const parsed = await actors.admin.blank
          .evaluate((x) => !new DOMParser().parseFromString(x, 'application/xml').querySelector('parsererror'), xml);
        assert.ok(parsed, `${path} ${name} is well-formed`);
      }
      // Text that looks like a formula is a string cell, never a number or a formula.
      return { text: Object.values(files).join('\n') };
    }
    if (/json/.test(type)) {
      const value = JSON.parse(body.toString('utf8'));
      return { json: value, text: body.toString('utf8') };
    }
    if (/calendar/.test(type)) {
      const text = body.toString('utf8');
      const lines = text.replace(/\r\n[ \t]/g, '').replace(/\n[ \t]/g, '').split(/\r?\n/).filter((l) => l !== '');
      const forged = lines.filter((l) => !/^[A-Z][A-Z0-9-]*(;[^:]*)?:/.test(l));
      assert.deepEqual(forged, [], `${path}: lines that are no property`);
      let event = null;
      let depth = 0;
      for (const l of lines) {
        const name = l.match(/^[A-Z0-9-]+/)[0];
        if (l === 'BEGIN:VEVENT') { assert.equal(event, null, `${path}: VEVENT inside VEVENT`); event = {}; depth++; continue; }
        if (l === 'END:VEVENT') { assert.ok(event, `${path}: END:VEVENT without BEGIN`); event = null; continue; }
        if (event) {
          if (['SUMMARY', 'DESCRIPTION', 'LOCATION', 'UID', 'DTSTART', 'DTEND', 'URL', 'STATUS'].includes(name)) {
            assert.ok(!event[name], `${path}: a second ${name} in one event: ${l.slice(0, 120)}`);
            event[name] = true;
          }
          if (MARKER.test(l)) assert.ok(['SUMMARY', 'DESCRIPTION', 'LOCATION'].includes(name), `${path}: a payload in ${name}: ${l.slice(0, 120)}`);
          if (name === 'URL') assert.match(l, /^URL:https?:\/\//, `${path}: ${l.slice(0, 120)}`);
        }
      }
      assert.equal(event, null, `${path} closes every event`);
      return { text, events: depth };
    }
    return {};
  };
  const results = {};
  for (const path of publicExports) results[path] = await check('visitor', path);
  for (const path of adminExports) results[`admin ${path}`] = await check('admin', path);
  for (const path of memberExports) results[`member ${path}`] = await check('member', path);
  // Guests named with formulas, found by e-mail as the secretariat answers their request:
  // their page, and what they are given (JSON, CSV).
  for (const p of formulas.slice(0, 4)) {
    const r = await send('admin', '/admin/people', { email: `formula-${p.n}@example.jp` });
    assert.equal(r.status, 200, `the guest formula-${p.n} found`);
    await render(actors.admin, `the guest named ${JSON.stringify(p.text)}`, r.html, r.headers);
    const guest = r.html.match(/\/admin\/people\/(\d+)\/export\.json/)?.[1];
    assert.ok(guest, `the guest page of formula-${p.n}`);
    results[`guest ${p.n} json`] = await check('admin', `/admin/people/${guest}/export.json`);
    results[`guest ${p.n} csv`] = await check('admin', `/admin/people/${guest}/export.csv`);
    assert.ok(results[`guest ${p.n} csv`].cells.some((c) => c.endsWith(p.text.trim())), `the guest's export names them (${p.text})`);
  }
  // The exports carry the payloads (else this would test nothing).
  assert.ok(MARKER.test(results[`/events/${ids.ownEvent}/calendar.ics`].text), 'the session\'s calendar carries its payloads');
  assert.ok(results['/events/opendata.csv'].cells.some((c) => MARKER.test(c)), 'the open data carries the payloads');
  assert.ok(results['/events/opendata.csv'].cells.some((c) => c.endsWith(fp.text) && c !== fp.text), 'a formula in the open data is defused');
  assert.ok(results[`admin /admin/events/${ids.event}/roster.csv`].cells.some((c) => MARKER.test(c)), 'the roster carries the payloads');
  const ownExport = results['member /account/export.csv'].cells;
  assert.ok(ownExport.some((c) => c.endsWith(fp.text) && c !== fp.text), 'a formula in the member\'s export is defused');
  assert.ok(MARKER.test(results[`admin /admin/events/${ids.event}/roster.xlsx`].text), 'the roster\'s workbook carries the payloads');
  stats.exports = read;
  // The JSON and calendars opened in the browser: shown as text, nothing runs.
  const tab = await actors.admin.context.newPage();
  for (const path of ['/events/opendata.json', '/admin/reports/annual.json', `/events/${ids.ownEvent}/calendar.ics`, '/events.ics']) {
    await tab.goto(base + path).catch((e) => assert.match(String(e), /Download is starting/));
  }
  await tab.close();
}, { timeout: 600000 });

test('the mails sent carry no forged header and no live markup', async () => {
  const mails = server.mails();
  assert.ok(mails.length > 20, `${mails.length} mails`);
  const HEADERS = new RegExp(`^(${['From', 'To', 'Cc', 'Bcc', 'Reply-To', 'Subject', 'Date', 'Message-ID', 'MIME-Version', 'Content-Type',
    'Content-Transfer-Encoding', 'Content-Disposition', 'List-Unsubscribe', 'List-Unsubscribe-Post', 'List-Id', 'Auto-Submitted',
    'Precedence', 'X-[A-Za-z-]+', 'In-Reply-To', 'References'].join('|')}):`, 'i');
  actors.admin.blank ??= await actors.admin.context.newPage();
  for (const mail of mails) {
    const [head, ...rest] = mail.split(/\r?\n\r?\n/);
    const lines = head.replace(/\r?\n[ \t]/g, ' ').split(/\r?\n/);
    const forged = lines.filter((l) => !HEADERS.test(l));
    assert.deepEqual(forged, [], `forged header lines in a mail to ${lines.find((l) => l.startsWith('To:'))}`);
    for (const l of lines) {
      if (!/^Subject:/i.test(l)) assert.doesNotMatch(l, MARKER, `a payload in a header other than the subject: ${l.slice(0, 120)}`);
    }
    // The parts a mail program would show as HTML (the mails are plain text so far; a
    // payload that reads "Content-Type: text/html" in a body is text).
    const type = lines.find((l) => /^Content-Type:/i.test(l)) ?? 'Content-Type: text/plain';
    const body = rest.join('\n\n');
    const parts = [];
    if (/text\/html/i.test(type)) parts.push(body);
    const boundary = type.match(/boundary="?([^";]+)"?/i)?.[1];
    if (/multipart\//i.test(type) && boundary) {
      for (const part of body.split(`--${boundary}`)) {
        const [partHead, ...partBody] = part.replace(/^\r?\n/, '').split(/\r?\n\r?\n/);
        if (/^Content-Type:\s*text\/html/im.test(partHead)) parts.push(partBody.join('\n\n'));
      }
    }
    for (const html of parts) {
      const { out } = await actors.admin.blank.evaluate(findInjections, { html, marker: markerSource, url: `${base}/` });
      for (const o of out) injections.push({ where: 'a mail\'s HTML', what: o });
    }
  }
  stats.mails = mails.length;
}, { timeout: 600000 });

test('nothing ran, nothing was injected, nothing failed, and every payload went through every text field', async () => {
  // Coverage: every payload through every text field of every form (at once, in the
  // submission the form shows again), and each stored through many fields.
  const fields = stats.forms.flatMap((r) => Object.entries(r.fields).map(([name, f]) => ({ form: r.key, name, ...f })));
  const short = fields.filter((f) => f.echoed < PAYLOADS.length && f.stored.size + f.refused.size < PAYLOADS.length);
  assert.deepEqual(short.map((f) => `${f.form}/${f.name}`), [], 'fields that did not get every payload');
  const storedIn = PAYLOADS.map((_, i) => fields.filter((f) => f.stored.has(i)).length);
  const fewest = Math.min(...storedIn);
  assert.ok(fewest >= 5, `each payload stored through at least 5 fields (fewest: ${fewest}, payload #${storedIn.indexOf(fewest) + 1})`);

  const summary = {
    payloads: PAYLOADS.length,
    forms: stats.forms.length,
    textFields: fields.length,
    submissions: stats.forms.reduce((n, r) => n + r.submissions, 0),
    stored: stats.forms.reduce((n, r) => n + r.stored, 0),
    pagesVisited: stats.visits,
    pagesParsed: stats.parsed,
    answersRendered: stats.renders,
    picturesFromOtherSitesKeptOut: stats.picturesKeptOut ?? 0,
    searchesInTheBrowserWithMatchesMarked: stats.searchesMarked,
    exports: stats.exports?.length,
    mails: stats.mails,
    storedThroughFields: { fewest, median: storedIn.sort((a, b) => a - b)[storedIn.length >> 1] },
  };
  console.log(`# XSS summary: ${JSON.stringify(summary)}`);
  for (const n of notes) console.log(`# note: ${n}`);
  const show = (list) => JSON.stringify(list.slice(0, 20), null, 1);
  assert.deepEqual(serverErrors, [], `answers 500: ${show(serverErrors)}`);
  assert.deepEqual(refusals, [], `forms refused: ${show(refusals)}`);
  assert.deepEqual(hits, [], `payloads ran: ${show(hits)}`);
  assert.deepEqual(dialogs, [], `dialogs opened: ${show(dialogs)}`);
  assert.deepEqual(violations, [], `Content Security Policy violations: ${show(violations)}`);
  assert.deepEqual(scriptErrors, [], `script errors: ${show(scriptErrors)}`);
  const kinds = {};
  for (const i of injections) { const k = i.what.replace(/ in <.*$/, ''); kinds[k] ??= { count: 0, first: i }; kinds[k].count++; }
  assert.deepEqual(injections, [], `markup injected (${injections.length}): ${JSON.stringify(kinds, null, 1)}`);
});
