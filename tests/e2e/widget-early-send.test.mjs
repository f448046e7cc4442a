// The chat's composer works before the saved chats are read (IndexedDB slow to open): text typed
// then stays in it when they arrive, and in the widget a message sent then stays on screen as
// its conversation, with its answer, and is the one a reload of the host page shows; it is not
// replaced by the saved one, or by a new one, once the saved chats arrive.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appErrors, startBrowser, startGateway, waitForChatModels } from './harness.mjs';

/** Makes the page's IndexedDB open `ms` late (a slow disk, a busy browser). */
async function slowIndexedDb(page, ms) {
  await page.addInitScript((delay) => {
    const open = IDBFactory.prototype.open;
    IDBFactory.prototype.open = function (...args) {
      const request = open.apply(this, args);
      for (const type of ['success', 'upgradeneeded']) {
        request.addEventListener(type, (event) => {
          if (event.delayed) return;
          event.stopImmediatePropagation();
          setTimeout(() => {
            const again = new Event(type);
            again.delayed = true;
            if (type === 'upgradeneeded') {
              Object.defineProperties(again, { oldVersion: { value: event.oldVersion }, newVersion: { value: event.newVersion } });
            }
            request.dispatchEvent(again);
          }, delay);
        }, { capture: true, once: true });
      }
      return request;
    };
  }, ms);
}

/** A first visit to `url` that asks "An earlier question", so that a saved conversation exists. */
async function saveAConversation(browser, url) {
  const first = await browser.newPage();
  await first.goto(url);
  await waitForChatModels(first);
  await first.fill('#chat-prompt', 'An earlier question');
  await first.click('#chat-send');
  await first.locator('.message.assistant .finish-reason').waitFor({ timeout: 30_000 });
  await first.close();
}

/** Which of the two questions each user message on screen is. */
async function userMessages(page) {
  const texts = await page.locator('.message.user').allTextContents();
  return texts.map((text) => ['An earlier question', 'Sent at once'].find((question) => text.includes(question)) ?? text);
}

test('the widget: a message sent before its saved chats are read stays its conversation, and a reload shows it', async () => {
  const gateway = await startGateway();
  const browser = await startBrowser();
  try {
    const url = `${gateway.url}/embed?widget=early`;
    await saveAConversation(browser, url);

    const page = await browser.newPage();
    await slowIndexedDb(page, 1500);
    await page.goto(url);
    await waitForChatModels(page);
    await page.fill('#chat-prompt', 'Sent at once');
    await page.click('#chat-send');
    await page.locator('.message.assistant .finish-reason').waitFor({ timeout: 30_000 });
    // Well after the saved chats have arrived: still this conversation.
    await page.waitForTimeout(2500);
    assert.deepEqual(await userMessages(page), ['Sent at once']);
    assert.equal(await page.locator('.message.assistant .finish-reason').count(), 1);

    await page.reload();
    await page.locator('.message.assistant .finish-reason').waitFor({ timeout: 30_000 });
    assert.deepEqual(await userMessages(page), ['Sent at once']);
    assert.deepEqual(appErrors(page), []);
  } finally {
    await browser.stop();
    await gateway.stop();
  }
});

for (const [where, path] of [['the console\'s chat', '/chat'], ['the widget', '/embed?widget=typed']]) {
  test(`${where}: text typed before the saved chats are read stays in the composer when they arrive`, async () => {
    const gateway = await startGateway();
    const browser = await startBrowser();
    try {
      // A saved conversation (without a draft), which the page opens once it has read it.
      await saveAConversation(browser, `${gateway.url}${path}`);

      const page = await browser.newPage();
      await slowIndexedDb(page, 1500);
      await page.goto(`${gateway.url}${path}`);
      await waitForChatModels(page);
      await page.fill('#chat-prompt', 'Typed at once');
      await page.locator('.message.assistant .finish-reason').waitFor({ timeout: 30_000 });
      await page.waitForTimeout(500);
      assert.equal(await page.inputValue('#chat-prompt'), 'Typed at once');
      await page.click('#chat-send');
      await page.waitForFunction(() => document.querySelectorAll('.message.assistant .finish-reason').length === 2, null, { timeout: 30_000 });
      assert.deepEqual(appErrors(page), []);
    } finally {
      await browser.stop();
      await gateway.stop();
    }
  });
}
