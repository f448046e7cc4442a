// The console's pages other than the chat are loaded on demand (src/pages.rs; the build splits
// them off the main wasm module: tools/wasm-bindgen/src/split.rs): a cold load of the chat
// downloads none of their code, opening one fetches its code and the page works, and with the
// service worker every page still opens offline.
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

test('a cold load of the chat fetches no other page\'s code; opening a page fetches its code and the page works', async () => {
  const gateway = await startGateway();
  const browser = await startBrowser();
  try {
    const page = await browser.newPage();
    const fetched = recordPageCode(page);
    await openApp(page, `${gateway.url}/chat`);
    await waitForChatModels(page);
    // Time for anything fetched after the first paint (preloads, idle work) to show.
    await page.waitForTimeout(1500);
    assert.deepEqual(fetched, [], 'the chat loaded no other page\'s code');

    await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Models' }).click();
    await heading(page, 'Models');
    await page.locator('a[href="/models/grok-4"]').first().waitFor({ timeout: 20_000 });
    assert.ok(fetched.some((name) => name.startsWith('split_models_')), `the Models page's code: ${fetched}`);
    assert.ok(!fetched.some((name) => /^split_(images|batches|keys|sample|settings)_/.test(name)), `only the Models page's code: ${fetched}`);

    // A model's page comes with the list's code: nothing more to fetch.
    const before = fetched.length;
    await page.locator('a[href="/models/grok-4"]').first().click();
    await heading(page, 'grok-4');
    assert.equal(fetched.length, before, `no more code for a model's page: ${fetched}`);

    // Back to the chat and to another page: that page's code, once.
    await page.getByRole('link', { name: 'Chat' }).first().click();
    await page.locator('#chat-prompt').waitFor();
    await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Settings' }).click();
    await heading(page, 'Settings');
    await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Models' }).click();
    await heading(page, 'Models');
    assert.equal(fetched.filter((name) => name.startsWith('split_models_')).length, 1, `fetched once: ${fetched}`);
    assert.ok(fetched.some((name) => name.startsWith('split_settings_')), `the Settings page's code: ${fetched}`);
    assert.deepEqual(appErrors(page), []);
  } finally {
    await browser.stop();
    await gateway.stop();
  }
});

test('a deep link to each page opens it', async () => {
  const gateway = await startGateway();
  const browser = await startBrowser();
  try {
    for (const [path, , text] of PAGES) {
      const page = await browser.newPage();
      await openApp(page, `${gateway.url}${path}`);
      await heading(page, text);
      assert.deepEqual(appErrors(page), [], path);
      await page.close();
    }
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
    await first.close();

    await gateway.stop();
    // Each page by its link (a bookmark), then all of them by the navigation in one page.
    for (const [path, , text] of PAGES) {
      const page = await browser.newPage();
      await openApp(page, `${gateway.url}${path}`);
      await heading(page, text);
      assert.deepEqual(appErrors(page), [], path);
      await page.close();
    }
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
