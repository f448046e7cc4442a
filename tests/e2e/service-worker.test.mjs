// The service worker (static/sw.js, written into dist/ by scripts/write-service-worker.mjs): a
// warm start takes the app shell from it (no request for the page, code or styles; the app even
// opens with the server down), a new deployment is picked up on the next visit, and no page ever
// runs a mix of two deployments' files. The widget's frame keeps working inside another site.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { DIST, ROOT, appErrors, openApp, startBrowser, startGateway, waitForChatModels } from './harness.mjs';

const SHELL_FILE = /\.(css|js|wasm)$/;

/** Records, per page load, the app-shell files the page got and whether its service worker answered. */
function recordShell(page) {
  const files = [];
  page.on('response', (response) => {
    const url = new URL(response.url());
    const name = url.pathname.split('/').pop();
    if (response.request().resourceType() === 'document' || (SHELL_FILE.test(name) && name !== 'sw.js')) {
      files.push({ name: response.request().resourceType() === 'document' ? 'page' : name, fromServiceWorker: response.fromServiceWorker() });
    }
  });
  return files;
}

/** Waits until `condition(registration)`, evaluated in the page, holds for the page's service worker registration. */
async function untilRegistration(page, condition, timeout = 30_000) {
  const deadline = Date.now() + timeout;
  const test = `navigator.serviceWorker.getRegistration().then((registration) => Boolean(registration && (${condition})(registration)))`;
  while (!(await page.evaluate(test))) {
    if (Date.now() > deadline) {
      const states = await page.evaluate(async () => {
        const registration = await navigator.serviceWorker.getRegistration();
        return ['installing', 'waiting', 'active'].map((slot) => `${slot}: ${registration?.[slot]?.state ?? 'none'}`).join(', ');
      });
      throw new Error(`service worker registration never had ${condition} (${states})`);
    }
    await page.waitForTimeout(100);
  }
}

/** Waits until the page's service worker is active (it has stored the build). */
async function serviceWorkerActive(page) {
  await untilRegistration(page, '(registration) => registration.active?.state === "activated"');
}

/** A first visit to the chat at `url`: the page, once its service worker is active. */
async function firstVisit(browser, url) {
  const page = await browser.newPage();
  await openApp(page, `${url}/chat`);
  await serviceWorkerActive(page);
  return page;
}

/** Another deployment (the build in `dist`) goes live on `gateway`'s origin; returns its gateway. */
async function redeploy(gateway, dist) {
  await gateway.stop();
  return startGateway([], { port: gateway.port, dist });
}

test('a warm start comes from the service worker: no request for the app shell, and the app opens with the server down', async () => {
  const gateway = await startGateway();
  const browser = await startBrowser({ serviceWorkers: 'allow' });
  // Node would end the test once the gateway's process is gone: playwright's pipe to the browser
  // does not keep its event loop alive, so a timer does.
  const hold = setInterval(() => {}, 1000);
  try {
    await (await firstVisit(browser, gateway.url)).close();

    // A deep link, as a bookmark opens it: page, code and styles all from the worker.
    const warm = await browser.newPage();
    const shell = recordShell(warm);
    await openApp(warm, `${gateway.url}/models`);
    await warm.locator('a[href="/models/grok-4"]').first().waitFor({ timeout: 20_000 });
    assert.ok(shell.some((file) => file.name.endsWith('.wasm')), JSON.stringify(shell));
    assert.deepEqual(shell.filter((file) => !file.fromServiceWorker), [], 'every shell file came from the service worker');
    assert.deepEqual(appErrors(warm), []);
    await warm.close();

    // The server is gone: the app still opens, and says it cannot reach the endpoint.
    await gateway.stop();
    const offline = await browser.newPage();
    await openApp(offline, `${gateway.url}/chat`);
    await offline.locator('#chat-prompt').waitFor();
    await offline.locator('.error, [role="alert"]').first().waitFor({ timeout: 20_000 });
    assert.deepEqual(appErrors(offline), []);
  } finally {
    await browser.stop();
    await gateway.stop();
    clearInterval(hold);
  }
});

/**
 * A second deployment of the same app: the build in dist/ with one stylesheet changed (so it gets
 * a new content-hashed name, and index.html a new reference and integrity hash), its worker
 * written by the project's own script. Its pages carry the CSS variable --deploy: "2".
 */
function secondDeployment() {
  const dir = mkdtempSync(join(tmpdir(), 'xai-web-deploy-2-'));
  cpSync(DIST, dir, { recursive: true, filter: (source) => !/\.(br|gz)$/.test(source) });
  const old = readdirSync(dir).find((name) => /^tokens-[0-9a-f]+\.css$/.test(name));
  const css = readFileSync(join(dir, old), 'utf8') + '\n:root { --deploy: "2"; }\n';
  const name = `tokens-${createHash('sha256').update(css).digest('hex').slice(0, 16)}.css`;
  writeFileSync(join(dir, old), css);
  renameSync(join(dir, old), join(dir, name));
  const integrity = `sha384-${createHash('sha384').update(css).digest('base64')}`;
  const page = readFileSync(join(dir, 'index.html'), 'utf8')
    // Quoted or not (a release build's index.html is minified).
    .replace(new RegExp(`href="?\\./${old}"? integrity="?[^"\\s>]+"?`), `href="./${name}" integrity="${integrity}"`);
  assert.ok(page.includes(name), 'the second deployment refers to its new stylesheet');
  writeFileSync(join(dir, 'index.html'), page);
  execFileSync('node', [join(ROOT, 'scripts/write-service-worker.mjs'), dir]);
  return { dir, names: fileNames(dir) };
}

/**
 * The names of a build's files, in its folders too (snippets/: the pages loaded on demand), as
 * recordShell names them.
 */
function fileNames(dir) {
  return new Set(readdirSync(dir, { recursive: true }).map((path) => basename(path)));
}

/** Which deployment the page runs, checked to be one deployment's files only. */
async function deploymentOf(page, shell, deployments) {
  await page.locator('header.nav').waitFor({ timeout: 20_000 });
  const marker = await page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--deploy').trim());
  const deployment = marker === '"2"' ? 2 : 1;
  const files = shell.filter((file) => file.name !== 'page').map((file) => file.name);
  assert.ok(files.length >= 5, `the page loaded its shell: ${files}`);
  const foreign = files.filter((file) => !deployments[deployment].has(file));
  assert.deepEqual(foreign, [], `a page of deployment ${deployment} loaded files of another`);
  shell.length = 0;
  return deployment;
}

test('a new deployment is picked up on the next visit, and a page never mixes two deployments', async () => {
  const second = secondDeployment();
  const deployments = { 1: fileNames(DIST), 2: second.names };
  let gateway = await startGateway();
  const browser = await startBrowser({ serviceWorkers: 'allow' });
  try {
    await (await firstVisit(browser, gateway.url)).close();

    // Deployment 2 goes live on the same origin while two tabs of deployment 1 are open.
    const url = gateway.url;
    const one = await browser.newPage();
    const oneShell = recordShell(one);
    await openApp(one, `${url}/chat`);
    assert.equal(await deploymentOf(one, oneShell, deployments), 1);
    const other = await browser.newPage();
    const otherShell = recordShell(other);
    await openApp(other, `${url}/models`);
    assert.equal(await deploymentOf(other, otherShell, deployments), 1);
    gateway = await redeploy(gateway, second.dir);

    // A visit finds the new worker, which stores deployment 2 and waits: the other tab still runs 1,
    // so this reload gets all of deployment 1 again, from the cache.
    await one.reload();
    assert.equal(await deploymentOf(one, oneShell, deployments), 1);
    await untilRegistration(one, '(registration) => registration.waiting');
    await one.reload();
    assert.equal(await deploymentOf(one, oneShell, deployments), 1, 'no switch while another tab runs the old deployment');

    // The other tab is closed: the next reload is deployment 2, whole, and its worker takes over.
    await other.close();
    await one.reload();
    assert.equal(await deploymentOf(one, oneShell, deployments), 2);
    await waitForChatModels(one);
    await untilRegistration(one, '(registration) => !registration.waiting && registration.active?.state === "activated"');
    assert.equal((await one.evaluate(() => caches.keys())).length, 1, 'the old build is dropped');
    const fresh = await browser.newPage();
    const freshShell = recordShell(fresh);
    await openApp(fresh, `${url}/chat`);
    await fresh.locator('header.nav').waitFor();
    assert.deepEqual(freshShell.filter((file) => !file.fromServiceWorker), [], 'deployment 2 is served by its worker');
    assert.equal(await deploymentOf(fresh, freshShell, deployments), 2);
    for (const page of [one, fresh]) assert.deepEqual(appErrors(page), []);
  } finally {
    await browser.stop();
    await gateway.stop();
    rmSync(second.dir, { recursive: true, force: true });
  }
});

test('a deployment whose files do not match its worker (edited after the build) is served from the network, whole, on the next visit', async () => {
  const second = secondDeployment();
  // A file changed after scripts/write-service-worker.mjs wrote its hash.
  writeFileSync(join(second.dir, 'index.html'), readFileSync(join(second.dir, 'index.html'), 'utf8') + '<!-- edited by hand -->\n');
  const deployments = { 1: fileNames(DIST), 2: second.names };
  let gateway = await startGateway();
  const browser = await startBrowser({ serviceWorkers: 'allow' });
  const hold = setInterval(() => {}, 1000);
  try {
    const first = await firstVisit(browser, gateway.url);
    const url = gateway.url;
    gateway = await redeploy(gateway, second.dir);

    // The browser finds the new worker; it installs, but stores nothing of files that fail their check.
    const outcome = await first.evaluate(async () => {
      const registration = await navigator.serviceWorker.getRegistration();
      const found = new Promise((resolve) => registration.addEventListener('updatefound', () => {
        const worker = registration.installing;
        worker.addEventListener('statechange', () => { if (worker.state === 'installed' || worker.state === 'redundant') resolve(worker.state); });
      }));
      await registration.update();
      return found;
    });
    assert.equal(outcome, 'installed');
    await first.close();

    // The next visit: deployment 2, whole (the worker passes its requests to the network); the
    // old build's cache is gone and nothing was stored of the unchecked one.
    const page = await browser.newPage();
    const shell = recordShell(page);
    await openApp(page, `${url}/chat`);
    assert.equal(await deploymentOf(page, shell, deployments), 2);
    await waitForChatModels(page);
    assert.deepEqual(await page.evaluate(() => caches.keys()), []);
    assert.deepEqual(appErrors(page), []);
  } finally {
    await browser.stop();
    await gateway.stop();
    clearInterval(hold);
    rmSync(second.dir, { recursive: true, force: true });
  }
});

test("the widget's frame works inside another site once the console's worker is installed", async () => {
  const gateway = await startGateway();
  const browser = await startBrowser({ serviceWorkers: 'allow' });
  const hostPage = `<!doctype html><link rel="icon" href="data:,"><script src="${gateway.url}/widget.js" async></script>
    <xai-chat id="chat" model="grok-3-mini" width="420px" height="540px"></xai-chat>`;
  const host = createServer((request, response) => {
    response.writeHead(200, { 'content-type': 'text/html' });
    response.end(hostPage);
  });
  await new Promise((resolve) => host.listen(0, '127.0.0.1', resolve));
  try {
    const console = await firstVisit(browser, gateway.url);

    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${host.address().port}/shop.html`);
    // widget.js puts the frame in its element's shadow root.
    const deadline = Date.now() + 20_000;
    let frame;
    while (!(frame = page.frames().find((candidate) => candidate.url().startsWith(`${gateway.url}/embed`)))) {
      if (Date.now() > deadline) throw new Error(`no widget frame: ${page.frames().map((candidate) => candidate.url())}`);
      await page.waitForTimeout(100);
    }
    await frame.locator('.chat-widget').waitFor({ timeout: 20_000 });
    await waitForChatModels(frame);
    await frame.fill('#chat-prompt', 'Hello from a shop');
    await frame.click('#chat-send');
    await frame.locator('.message.assistant .finish-reason').waitFor({ timeout: 30_000 });
    assert.deepEqual(appErrors(page), []);
    assert.deepEqual(appErrors(console), []);
  } finally {
    host.closeAllConnections();
    await new Promise((resolve) => host.close(resolve));
    await browser.stop();
    await gateway.stop();
  }
});
