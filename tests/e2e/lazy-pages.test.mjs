// The console's pages other than the chat are loaded on demand (src/pages.rs; the build splits
// them off the main wasm module: tools/wasm-bindgen/src/split.rs): a cold load of the chat
// downloads none of their code, opening one fetches it (once) and the pages work, and with the
// service worker every page still opens offline; without it, a page whose code cannot be
// downloaded says so and opens with Try again once the connection is back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appErrors, openApp, startBrowser, startGateway, waitForChatModels } from './harness.mjs';

/** The pages loaded on demand: path, navigation label, and the heading each shows even when the server is gone. */
const PAGES = [
  ['/images', 'Images', 'Images'],
  ['/models', 'Models', 'Models'],
  ['/batches', 'Batches', 'Batches'],
  ['/keys', 'Keys', 'API keys'],
  ['/sample', 'Sample', 'Raw sampling'],
  ['/settings', 'Settings', 'Settings'],
];

/** Records the URL path of every split-off wasm file `page` requests. */
function recordPageCode(page) {
  const fetched = [];
  page.on('request', (request) => {
    const path = new URL(request.url()).pathname;
    if (/\/snippets\/wasm-split-[0-9a-f]{16}\/[^/]+\.wasm$/.test(path)) fetched.push(path.slice(path.lastIndexOf('/') + 1));
  });
  return fetched;
}

async function heading(page, text) {
  await page.locator('main h1', { hasText: text }).first().waitFor({ timeout: 20_000 });
}

/** Opens each page by its link (as a bookmark does) in a page of its own. */
async function openEachByLink(browser, url) {
  for (const [path, , text] of PAGES) {
    const page = await browser.newPage();
    await openApp(page, `${url}${path}`);
    await heading(page, text);
    assert.deepEqual(appErrors(page), [], path);
    await page.close();
  }
}

test('a cold load of the chat fetches no other page\'s code (only its messages\'); opening a page fetches it, once, and the pages work', async () => {
  const gateway = await startGateway();
  const browser = await startBrowser();
  try {
    const page = await browser.newPage();
    const fetched = recordPageCode(page);
    await openApp(page, `${gateway.url}/chat`);
    await waitForChatModels(page);
    // Time for anything fetched after the first paint (preloads, idle work) to show.
    await page.waitForTimeout(1500);
    assert.ok(!fetched.some((name) => name.startsWith('split_pages')), `the chat loaded no other page's code: ${fetched}`);
    assert.ok(fetched.some((name) => name.startsWith('split_thread')), `the chat's messages' code: ${fetched}`);

    await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Models' }).click();
    await heading(page, 'Models');
    await page.locator('a[href="/models/grok-4"]').first().waitFor({ timeout: 20_000 });
    assert.ok(fetched.some((name) => name.startsWith('split_pages')), `the pages' code: ${fetched}`);
    const loaded = [...fetched];

    // A model's page, the chat again, another page, Models again: nothing more to fetch.
    await page.locator('a[href="/models/grok-4"]').first().click();
    await heading(page, 'grok-4');
    await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Chat' }).click();
    await page.locator('#chat-prompt').waitFor();
    await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Settings' }).click();
    await heading(page, 'Settings');
    await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Models' }).click();
    await heading(page, 'Models');
    assert.deepEqual(fetched, loaded, 'each file fetched once');
    assert.deepEqual(appErrors(page), []);
  } finally {
    await browser.stop();
    await gateway.stop();
  }
});

test('a page whose code cannot be downloaded says so, and Try again opens it once the connection is back', async () => {
  const gateway = await startGateway();
  const browser = await startBrowser();
  try {
    const page = await browser.newPage();
    await openApp(page, `${gateway.url}/chat`);
    await waitForChatModels(page);
    await browser.context.setOffline(true);
    await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Keys' }).click();
    const failed = page.locator('.load-failed[role="alert"]');
    await failed.waitFor({ timeout: 20_000 });
    assert.match(await failed.textContent(), /could not be loaded.*check your connection/);
    // The app goes on: no trap, and the chat still answers to the navigation.
    assert.equal(await page.locator('#panic-banner').count(), 0);
    assert.ok(appErrors(page).every((error) => /Failed to fetch|ERR_INTERNET_DISCONNECTED/.test(error)), appErrors(page).join('\n'));

    await browser.context.setOffline(false);
    await failed.getByRole('button', { name: 'Try again' }).click();
    await heading(page, 'API keys');
    assert.equal(await page.locator('.load-failed').count(), 0);
    // The other pages are in the same file, fetched now: they open at once.
    await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Settings' }).click();
    await heading(page, 'Settings');
    assert.equal(await page.locator('#panic-banner').count(), 0);
  } finally {
    await browser.stop();
    await gateway.stop();
  }
});

test('a deep link to each page opens it', async () => {
  const gateway = await startGateway();
  const browser = await startBrowser();
  try {
    await openEachByLink(browser, gateway.url);
  } finally {
    await browser.stop();
    await gateway.stop();
  }
});

test('with the service worker, every page opens with the server down', async () => {
  const gateway = await startGateway();
  const browser = await startBrowser({ serviceWorkers: 'allow' });
  // Node would end the test once the gateway's process is gone (see service-worker.test.mjs).
  const hold = setInterval(() => {}, 1000);
  try {
    const first = await browser.newPage();
    await openApp(first, `${gateway.url}/chat`);
    await first.waitForFunction(
      () => navigator.serviceWorker.getRegistration().then((registration) => registration?.active?.state === 'activated'),
      null,
      { timeout: 30_000, polling: 100 },
    );
    // Its install stored the build (a worker whose files failed their check stores none).
    const stored = await first.evaluate(async () => {
      const name = (await caches.keys()).find((key) => key.startsWith('xai-web-shell-'));
      return name ? (await (await caches.open(name)).keys()).length : 0;
    });
    assert.ok(stored > 0, 'the service worker stored the build');
    await first.close();

    await gateway.stop();
    // Each page by its link, then all of them by the navigation in one page.
    await openEachByLink(browser, gateway.url);
    const page = await browser.newPage();
    await openApp(page, `${gateway.url}/chat`);
    for (const [, label, text] of PAGES) {
      await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: label }).click();
      await heading(page, text);
    }
    assert.deepEqual(appErrors(page), []);
  } finally {
    await browser.stop();
    await gateway.stop();
    clearInterval(hold);
  }
});
