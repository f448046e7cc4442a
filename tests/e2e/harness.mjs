// Test harness: starts the real gateway (serving the built app from dist/) on a free port with a
// fresh data directory, and a real headless Chromium (Debian's, driven by playwright-core).
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before } from 'node:test';
import { chromium } from 'playwright-core';

export const ROOT = resolve(import.meta.dirname, '../..');
const GATEWAY = process.env.XAI_GATEWAY_BIN ?? join(ROOT, 'target/debug/xai-gateway');
const DIST = process.env.XAI_WEB_DIST ?? join(ROOT, 'dist');
const CHROMIUM = process.env.CHROMIUM_BIN ?? '/usr/bin/chromium';

async function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

/** A running gateway. `log()` is everything it printed so far. */
/** `options.port` and `options.dist`: another deployment on the same origin (the service worker tests). */
export async function startGateway(extraArgs = [], options = {}) {
  const dist = options.dist ?? DIST;
  if (!existsSync(GATEWAY)) throw new Error(`gateway binary missing: ${GATEWAY} (build it first)`);
  if (!existsSync(join(dist, 'index.html'))) throw new Error(`built app missing: ${dist} (run trunk build first)`);
  const port = options.port ?? await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'xai-web-e2e-'));
  const args = ['--listen', `127.0.0.1:${port}`, '--static-dir', dist, '--data-dir', dataDir, ...extraArgs];
  const child = spawn(GATEWAY, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, RUST_LOG: 'info' } });
  let output = '';
  child.stdout.on('data', (data) => { output += data; });
  child.stderr.on('data', (data) => { output += data; });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 20_000;
  while (!output.includes('listening on')) {
    if (child.exitCode !== null) throw new Error(`gateway exited (${child.exitCode}):\n${output}`);
    if (Date.now() > deadline) throw new Error(`gateway did not start in 20 s:\n${output}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url,
    port,
    dataDir,
    log: () => output,
    /** Runs an operator command (`xai-gateway --data-dir DIR ARGS…`) on this gateway's data; returns its output. */
    operator: (operatorArgs) => execFileSync(GATEWAY, ['--data-dir', dataDir, ...operatorArgs], { encoding: 'utf8' }),
    async stop() {
      // A stopped child has an exit code or, killed by the signal here, a signal code.
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await new Promise((r) => child.once('exit', r));
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * For a describe block: starts a gateway (with `gatewayArgs`) and a browser before its tests and
 * stops both after them. The returned object holds them once started (`suite.gateway`,
 * `suite.browser`).
 */
export function gatewayAndBrowser(gatewayArgs = []) {
  const suite = { gateway: undefined, browser: undefined };
  before(async () => {
    suite.gateway = await startGateway(gatewayArgs);
    suite.browser = await startBrowser();
  });
  after(async () => {
    await suite.browser?.stop();
    await suite.gateway?.stop();
  });
  return suite;
}

export { DIST };

/**
 * A headless Chromium with the project's flags and a fresh profile. The app's service worker is
 * blocked unless `options.serviceWorkers` is 'allow': the page's calls are then always the page's
 * own, which `page.route` (injectFault) sees; service-worker.test.mjs tests the worker itself.
 */
export async function startBrowser(options = {}) {
  const profile = mkdtempSync(join(tmpdir(), 'xai-web-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    serviceWorkers: options.serviceWorkers ?? 'block',
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
  return {
    context,
    async newPage() {
      return recordErrors(await context.newPage());
    },
    async stop() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Collects `page`'s uncaught errors and console errors in `page.errors`; returns the page. */
export function recordErrors(page) {
  page.errors = [];
  page.on('pageerror', (error) => page.errors.push(String(error)));
  page.on('console', (message) => { if (message.type() === 'error') page.errors.push(message.text()); });
  return page;
}

/** Waits until the app has mounted (the navigation bar exists). */
export async function openApp(page, url) {
  await page.goto(url);
  await page.locator('header.nav').waitFor({ timeout: 20_000 });
}

/** The newest assistant message of the open conversation. */
export function lastAnswer(page) {
  return page.locator('.message.assistant').last();
}

/** Waits until the chat's model picker has the gateway's models. */
export async function waitForChatModels(page) {
  await page.locator('#chat-model option').first().waitFor({ state: 'attached', timeout: 20_000 });
}

/** Opens Sample and waits until its model picker has the gateway's models. */
export async function openSample(page, url) {
  await openApp(page, `${url}/sample`);
  await page.locator('#sample-model option').first().waitFor({ state: 'attached', timeout: 20_000 });
}

/** Opens Images and waits until its model picker has the gateway's models. */
export async function openImages(page, url) {
  await openApp(page, `${url}/images`);
  await page.locator('#image-model option').first().waitFor({ state: 'attached', timeout: 20_000 });
}

/** The text of each of Sample's choices, in order. */
export function sampleTexts(page) {
  return page.locator('.sample-choice .sample-text').allTextContents();
}

/** Types a prompt in the composer once the models are there, and sends it. */
export async function sendChat(page, text) {
  await waitForChatModels(page);
  const before = await page.locator('.message.assistant').count();
  await page.fill('#chat-prompt', text);
  await page.click('#chat-send');
  await page.waitForFunction((n) => document.querySelectorAll('.message.assistant').length > n, before);
}

/**
 * Adds `x-fault: spec` to the page's next `times` calls of `method` (e.g. "Chat/CreateChatCompletionStream";
 * all of them when times is Infinity). The gateway must run with --enable-faults.
 */
export async function injectFault(page, method, spec, times = Infinity) {
  let left = times;
  await page.route(`**/xai_api.${method}`, (route) => {
    if (left <= 0) return route.continue();
    left -= 1;
    return route.continue({ headers: { ...route.request().headers(), 'x-fault': spec } });
  });
}

/** Removes the faults `injectFault` added to `method`: its next calls reach the gateway unchanged. */
export async function clearFaults(page, method) {
  await page.unroute(`**/xai_api.${method}`);
}

/**
 * The page's errors that are the app's own: uncaught errors and console errors, less the
 * browser's own notes on failed network requests ("Failed to load resource: … 502"), which a
 * hostile endpoint causes by design.
 */
export function appErrors(page) {
  return page.errors.filter((error) => !/^Failed to load resource/.test(error));
}

/** Counts the page's requests whose URL contains `fragment` (e.g. "CreateChatCompletion"). */
export function countRequests(page, fragment) {
  const counter = { count: 0 };
  page.on('request', (request) => { if (request.url().includes(fragment)) counter.count += 1; });
  return counter;
}

/** Opens a copy of `page`'s tab (its sessionStorage copied, as Chrome's "Duplicate tab" does) and waits until the app has mounted. */
export async function copyOf(page, context) {
  const [copy] = await Promise.all([context.waitForEvent('page'), page.evaluate(() => { window.open(location.href); })]);
  recordErrors(copy);
  await copy.locator('header.nav').waitFor({ timeout: 20_000 });
  return copy;
}

/** In the page: the assistant messages of conversation `id` as stored in IndexedDB ({ status, content }). */
export async function storedAnswers(page, id) {
  return page.evaluate(async (conversation) => {
    const db = await new Promise((resolve, reject) => {
      const opening = indexedDB.open('xai-web');
      opening.onsuccess = () => resolve(opening.result);
      opening.onerror = () => reject(opening.error);
    });
    const all = await new Promise((resolve, reject) => {
      const reading = db.transaction('messages').objectStore('messages').getAll();
      reading.onsuccess = () => resolve(reading.result);
      reading.onerror = () => reject(reading.error);
    });
    db.close();
    return all.filter((r) => r.conversation_id === conversation && r.message.role === 'assistant')
      .map((r) => ({ status: r.message.status.state, content: r.message.content }));
  }, id);
}
