// The chat's messages (their views, the markdown renderer, the message toolbar) are loaded on
// demand (src/chat/thread.rs), beside the main module: the composer works before their code is
// there, an answer sent meanwhile streams and is saved and shows once it is, and a download that
// fails says so in the thread, with Try again, while the rest of the chat goes on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appErrors, openApp, startBrowser, startGateway, waitForChatModels } from './harness.mjs';

const THREAD_CODE = /\/snippets\/wasm-split-[0-9a-f]+\/(split_thread|chunk_\d+)\.wasm$/;
/** Playwright's route matcher for those files (one function: `unroute` removes it by identity). */
const isThreadCode = (url) => THREAD_CODE.test(url.pathname);


/** Holds `page`'s requests for the messages' code until the returned function is called. */
async function holdThreadCode(page) {
  let release;
  const released = new Promise((resolve) => { release = resolve; });
  const held = [];
  await page.route(isThreadCode, async (route) => {
    held.push(new URL(route.request().url()).pathname);
    await released;
    await route.continue();
  });
  return { held, release };
}

/** Sends `text` from the composer while the thread may not be there: no wait on the thread. */
async function sendWithoutThread(page, text) {
  await waitForChatModels(page);
  await page.fill('#chat-prompt', text);
  assert.ok(await page.locator('#chat-send').isEnabled(), 'Send is enabled');
  await page.click('#chat-send');
}

for (const [where, path, ready] of [
  ['the console\'s chat', '/chat', (page) => page.locator('header.nav').waitFor({ timeout: 20_000 })],
  ['the widget', '/embed?widget=code-test', (page) => page.locator('.chat-widget').waitFor({ timeout: 20_000 })],
]) {
  test(`${where}: a message can be sent before the messages' code is there; the answer streams, is saved and shows once it is`, async () => {
    const gateway = await startGateway();
    const browser = await startBrowser();
    try {
      const page = await browser.newPage();
      const { held, release } = await holdThreadCode(page);
      await page.goto(`${gateway.url}${path}`);
      await ready(page);
      await sendWithoutThread(page, 'Name three rivers.');
      // The answer is streamed and saved with no view of it: the phase line says so.
      await page.locator('.phase[data-phase="done"]').waitFor({ state: 'attached', timeout: 30_000 });
      assert.ok(held.some((name) => name.includes('split_thread')), `the messages' code was asked for: ${held}`);
      assert.equal(await page.locator('.message').count(), 0, 'no message is drawn without its code');

      release();
      await page.locator('.message.user', { hasText: 'Name three rivers.' }).waitFor({ timeout: 20_000 });
      await page.locator('.message.assistant .finish-reason').waitFor({ timeout: 20_000 });
      assert.ok((await page.locator('.message.assistant .answer-text').textContent()).trim().length > 0, 'the answer has its text');
      // Opened with its code there from the start (the HTTP cache), the same conversation.
      await page.unroute(isThreadCode);
      await page.reload();
      await page.locator('.message.assistant .finish-reason').waitFor({ timeout: 20_000 });
      assert.equal(await page.locator('.message.user').count(), 1);
      assert.deepEqual(appErrors(page), []);
    } finally {
      await browser.stop();
      await gateway.stop();
    }
  });
}

test('when the messages\' code cannot be downloaded, the thread says so, the chat goes on, and Try again shows them', async () => {
  const gateway = await startGateway();
  const browser = await startBrowser();
  try {
    const first = await browser.newPage();
    await openApp(first, `${gateway.url}/chat`);
    await sendWithoutThread(first, 'What is a delta?');
    await first.locator('.message.assistant .finish-reason').waitFor({ timeout: 30_000 });
    await first.close();

    const page = await browser.newPage();
    await page.route(isThreadCode, (route) => route.abort('internetdisconnected'));
    await openApp(page, `${gateway.url}/chat`);
    const failed = page.locator('.thread .load-failed[role="alert"]');
    await failed.waitFor({ timeout: 20_000 });
    assert.match(await failed.textContent(), /The messages could not be loaded.*check your connection/);
    assert.equal(await page.locator('#panic-banner').count(), 0, 'no trap');
    // The rest of the chat goes on: the list of conversations and the composer.
    await page.locator('.sidebar', { hasText: 'What is a delta?' }).waitFor({ timeout: 20_000 });
    await waitForChatModels(page);

    await page.unroute(isThreadCode);
    await failed.getByRole('button', { name: 'Try again' }).click();
    await page.locator('.message.assistant .finish-reason').waitFor({ timeout: 20_000 });
    assert.equal(await page.locator('.load-failed').count(), 0);
    assert.ok(appErrors(page).every((error) => /Failed to fetch|ERR_INTERNET_DISCONNECTED|TypeError/.test(error)), appErrors(page).join('\n'));
  } finally {
    await browser.stop();
    await gateway.stop();
  }
});

test('leaving the chat while its messages\' code downloads, and coming back: the messages show, nothing fails', async () => {
  const gateway = await startGateway();
  const browser = await startBrowser();
  try {
    const page = await browser.newPage();
    await openApp(page, `${gateway.url}/chat`);
    await sendWithoutThread(page, 'Keep this one.');
    await page.locator('.message.assistant .finish-reason').waitFor({ timeout: 30_000 });

    // A second tab, whose messages' code is slow: it leaves the chat for Settings (whose code
    // shares a file with the messages') before any of it is there, then comes back.
    const slow = await browser.newPage();
    const { held, release } = await holdThreadCode(slow);
    await openApp(slow, `${gateway.url}/chat`);
    await waitForChatModels(slow);
    assert.ok(held.length > 0, 'the messages\' code is on its way');
    await slow.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Settings' }).click();
    release();
    await slow.locator('main h1', { hasText: 'Settings' }).waitFor({ timeout: 20_000 });
    await slow.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Chat' }).click();
    await slow.locator('.message.user', { hasText: 'Keep this one.' }).waitFor({ timeout: 20_000 });
    await slow.locator('.message.assistant .finish-reason').waitFor({ timeout: 20_000 });
    assert.equal(await slow.locator('.message.user').count(), 1);
    assert.equal(await slow.locator('#panic-banner').count(), 0);
    assert.deepEqual(appErrors(slow), []);
  } finally {
    await browser.stop();
    await gateway.stop();
  }
});
