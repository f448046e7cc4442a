// Chat in two tabs of one browser (same origin, same IndexedDB): neither tab overwrites the
// other's turns, a tab shows the other's changes live (BroadcastChannel), a conversation deleted
// in one tab while the other streams into it stays deleted, and one unreadable stored record is
// skipped with a notice while the rest loads. Chats saved by the previous version (one whole
// record per conversation) are moved over, not lost.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { gatewayAndBrowser, lastAnswer, openApp, sendChat, startBrowser } from './harness.mjs';

/** The user messages of the open conversation, in order. */
async function userTexts(page) {
  return page.locator('.message.user .user-text').allTextContents();
}

async function answerFinished(page) {
  await lastAnswer(page).locator('.finish-reason').waitFor({ timeout: 30_000 });
}

/** Waits until IndexedDB has committed this tab's writes. */
async function saved(page) {
  await page.locator('.conversation-list[aria-busy="false"]').waitFor();
}

async function reloadOn(page, id) {
  await page.reload();
  await page.locator('header.nav').waitFor();
  await page.locator(`.conversation[data-id="${id}"] .conversation-title`).click();
}

describe('chat in two tabs', () => {
  const suite = gatewayAndBrowser(['--stream-rate', '40']);

  test('turns sent from two tabs on one conversation are all kept, in order, and show live in the other tab', async () => {
    const a = await suite.browser.newPage();
    await openApp(a, `${suite.gateway.url}/chat`);
    await a.click('#new-chat');
    await sendChat(a, 'First, from tab A');
    await answerFinished(a);
    const id = await a.locator('.conversation.selected').getAttribute('data-id');

    // B opens the same conversation, then A adds a turn: B shows it without a reload.
    const b = await suite.browser.newPage();
    await openApp(b, `${suite.gateway.url}/chat`);
    await b.locator(`.conversation[data-id="${id}"] .conversation-title`).click();
    await b.locator('.message.user', { hasText: 'First, from tab A' }).waitFor();
    await sendChat(a, 'Second, from tab A');
    await answerFinished(a);
    await b.locator('.message.user', { hasText: 'Second, from tab A' }).waitFor({ timeout: 10_000 });
    await b.locator('.message.assistant').nth(1).locator('.finish-reason').waitFor({ timeout: 10_000 });

    await sendChat(b, 'Third, from tab B');
    await answerFinished(b);
    await a.locator('.message.user', { hasText: 'Third, from tab B' }).waitFor({ timeout: 10_000 });
    await saved(a);
    await saved(b);

    const expected = ['First, from tab A', 'Second, from tab A', 'Third, from tab B'];
    for (const page of [a, b]) {
      await reloadOn(page, id);
      await page.locator('.message.user', { hasText: 'Third, from tab B' }).waitFor();
      assert.deepEqual(await userTexts(page), expected);
      assert.equal(await page.locator('.message.assistant .finish-reason').count(), 3);
    }
    assert.deepEqual(a.errors, []);
    assert.deepEqual(b.errors, []);
    await a.close();
    await b.close();
  });

  test('a tab that never heard of the other tab\'s turn still cannot overwrite it', async () => {
    const a = await suite.browser.newPage();
    await openApp(a, `${suite.gateway.url}/chat`);
    await a.click('#new-chat');
    await sendChat(a, 'Opening question');
    await answerFinished(a);
    await saved(a);
    const id = await a.locator('.conversation.selected').getAttribute('data-id');

    // B holds the conversation as it was and hears nothing from A (its channel is mute).
    const b = await suite.browser.newPage();
    await b.addInitScript(() => {
      window.BroadcastChannel = class {
        postMessage() {}
        close() {}
        set onmessage(_) {}
      };
    });
    await openApp(b, `${suite.gateway.url}/chat`);
    await b.locator(`.conversation[data-id="${id}"] .conversation-title`).click();
    await b.locator('.message.user', { hasText: 'Opening question' }).waitFor();

    await sendChat(a, 'Follow-up from A');
    await answerFinished(a);
    await saved(a);
    assert.equal(await b.locator('.message.user', { hasText: 'Follow-up from A' }).count(), 0, 'B still holds the older copy');
    await sendChat(b, 'Follow-up from B');
    await answerFinished(b);
    await saved(b);

    for (const page of [a, b]) {
      await reloadOn(page, id);
      await page.locator('.message.user', { hasText: 'Follow-up from B' }).waitFor();
      assert.deepEqual(await userTexts(page), ['Opening question', 'Follow-up from A', 'Follow-up from B']);
    }
    assert.deepEqual(a.errors, []);
    assert.deepEqual(b.errors, []);
    await a.close();
    await b.close();
  });

  test('a conversation deleted in one tab while the other streams into it stays deleted', async () => {
    const a = await suite.browser.newPage();
    await openApp(a, `${suite.gateway.url}/chat`);
    await a.click('#new-chat');
    await sendChat(a, 'Keep me brief');
    await answerFinished(a);
    const id = await a.locator('.conversation.selected').getAttribute('data-id');
    const b = await suite.browser.newPage();
    await openApp(b, `${suite.gateway.url}/chat`);
    await b.locator(`.conversation[data-id="${id}"]`).waitFor();

    await sendChat(a, 'Tell me a long story about deletion');
    await a.waitForFunction(() => ([...document.querySelectorAll('.message.assistant')].pop()?.querySelector('.answer-text')?.textContent ?? '').length > 20, null, { timeout: 20_000 });
    await b.locator(`.conversation[data-id="${id}"] .row-menu-button`).click();
    await b.locator(`.conversation[data-id="${id}"] button.delete`).click();
    await saved(b);

    // A drops it and stops writing it.
    await a.locator(`.conversation[data-id="${id}"]`).waitFor({ state: 'detached', timeout: 5_000 });
    await a.locator('.storage-notice', { hasText: 'was deleted in another tab' }).waitFor();
    // Several checkpoint intervals: any write A still attempted would land now.
    await a.waitForTimeout(1500);
    await saved(a);
    for (const page of [a, b]) {
      await page.reload();
      await page.locator('header.nav').waitFor();
      await page.locator('.conversation-list').waitFor();
      await page.waitForTimeout(500);
      assert.equal(await page.locator(`.conversation[data-id="${id}"]`).count(), 0);
    }
    assert.deepEqual(a.errors, []);
    assert.deepEqual(b.errors, []);
    await a.close();
    await b.close();
  });

  test('an unreadable stored record is skipped with a notice and the rest loads', async () => {
    const page = await suite.browser.newPage();
    await openApp(page, `${suite.gateway.url}/chat`);
    await page.click('#new-chat');
    await sendChat(page, 'Survive a broken record');
    await answerFinished(page);
    await saved(page);
    const id = await page.locator('.conversation.selected').getAttribute('data-id');
    const before = await page.locator('.conversation').count();

    /** Writes `record` into the first of `stores` the database has (the layout of any version). */
    const inject = (stores, record) => page.evaluate(({ stores, record }) => new Promise((resolve, reject) => {
      const open = indexedDB.open('xai-web');
      open.onerror = () => reject(open.error);
      open.onsuccess = () => {
        const db = open.result;
        try {
          const store = stores.find((name) => db.objectStoreNames.contains(name));
          const transaction = db.transaction(store, 'readwrite');
          transaction.objectStore(store).put(record);
          transaction.oncomplete = () => { db.close(); resolve(); };
          transaction.onerror = () => reject(transaction.error);
        } catch (error) {
          db.close();
          reject(error);
        }
      };
    }), { stores, record });

    // A conversation record that is not a conversation.
    await inject(['chats', 'conversations'], { id: 'broken', title: 42 });
    await page.reload();
    await page.locator('header.nav').waitFor();
    await page.locator('.storage-notice', { hasText: '1 saved item could not be read and was skipped' }).waitFor({ timeout: 10_000 });
    assert.equal(await page.locator('.conversation').count(), before);
    await page.locator(`.conversation[data-id="${id}"] .conversation-title`).click();
    assert.deepEqual(await userTexts(page), ['Survive a broken record']);

    // A message record of this conversation that is not a message: the conversation still
    // opens with the messages that can be read.
    await inject(['messages'], { key: `${id}\u001fbroken`, conversation_id: id, message: { role: 42 } });
    await page.reload();
    await page.locator('header.nav').waitFor();
    await page.locator('.storage-notice', { hasText: '2 saved items could not be read and were skipped' }).waitFor({ timeout: 10_000 });
    await page.locator(`.conversation[data-id="${id}"] .conversation-title`).click();
    assert.deepEqual(await userTexts(page), ['Survive a broken record']);
    assert.equal(await page.locator('.message.assistant .finish-reason').count(), 1);
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  test('chats saved by the previous version are kept and moved to the new layout', async () => {
    // A browser of its own: its storage has never seen this version.
    const browser = await startBrowser();
    const page = await browser.newPage();
    // A page of the app's origin without the app, to write what version 1 wrote.
    await page.route(`${suite.gateway.url}/seed`, (route) => route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>seed</title>' }));
    await page.goto(`${suite.gateway.url}/seed`);
    const legacy = {
      id: 'legacy1', title: 'From the old version', created_ms: 1000, updated_ms: 2000, system_prompt: '', model: 'grok-4',
      params: { temperature: null, top_p: null, max_tokens: null, stop: [], seed: null, reasoning_effort: '' },
      messages: [
        { id: 'u1', role: 'user', content: 'Old question', reasoning: '', attachments: [], status: { state: 'complete' }, finish_reason: null, usage: null, model: '' },
        { id: 'a1', role: 'assistant', content: 'Old answer', reasoning: '', attachments: [], status: { state: 'complete' }, finish_reason: 'stop', usage: null, model: 'grok-4' },
      ],
    };
    await page.evaluate((conversation) => new Promise((resolve, reject) => {
      const open = indexedDB.open('xai-web', 1);
      open.onupgradeneeded = () => open.result.createObjectStore('conversations', { keyPath: 'id' });
      open.onerror = () => reject(open.error);
      open.onsuccess = () => {
        const db = open.result;
        const transaction = db.transaction('conversations', 'readwrite');
        transaction.objectStore('conversations').put(conversation);
        transaction.oncomplete = () => { db.close(); resolve(); };
      };
    }), legacy);

    await openApp(page, `${suite.gateway.url}/chat`);
    await page.locator('.conversation[data-id="legacy1"] .conversation-title').click();
    assert.deepEqual(await userTexts(page), ['Old question']);
    assert.match(await lastAnswer(page).locator('.answer-text').textContent(), /Old answer/);
    await sendChat(page, 'New question');
    await answerFinished(page);
    await saved(page);
    await reloadOn(page, 'legacy1');
    await page.locator('.message.user', { hasText: 'New question' }).waitFor();
    assert.deepEqual(await userTexts(page), ['Old question', 'New question']);
    const left = await page.evaluate(() => new Promise((resolve) => {
      const open = indexedDB.open('xai-web');
      open.onsuccess = () => {
        try {
          const request = open.result.transaction('conversations').objectStore('conversations').count();
          request.onsuccess = () => { open.result.close(); resolve(request.result); };
        } catch (error) {
          open.result.close();
          resolve(String(error));
        }
      };
    }));
    assert.equal(left, 0, 'the old record is gone once moved');
    assert.equal(await page.locator('.storage-notice').count(), 0);
    assert.deepEqual(page.errors, []);
    await browser.stop();
  });
});
