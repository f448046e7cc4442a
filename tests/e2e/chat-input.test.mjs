// The chat composer in a real browser: images by paste and by drag and drop (checked before
// anything is sent), keyboard shortcuts (Alt+N, Enter, Shift+Enter, Esc), and the
// per-conversation system prompt reaching the gateway as the first message. Auto-scroll is in
// chat-scroll.test.mjs.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { gatewayAndBrowser, lastAnswer, openApp, sendChat, waitForChatModels as waitForModels } from './harness.mjs';

// A 1×1 PNG.
const PNG_BASE64 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

/** Lines the local backend logs per chat request: model, message roles, image parts. */
function chatRequests(gateway) {
  return gateway.log().split('\n').filter((line) => /chat (stream )?request:/.test(line));
}

/** Waits until the gateway has logged `count` chat requests, and returns them. */
async function waitForChatRequests(page, gateway, count) {
  const deadline = Date.now() + 10_000;
  while (chatRequests(gateway).length < count && Date.now() < deadline) await page.waitForTimeout(50);
  return chatRequests(gateway);
}

/** Selects the first model whose input modalities do (or do not) include images. */
async function pickModel(page, vision) {
  await waitForModels(page);
  const name = await page.locator('#chat-model option').evaluateAll(
    (options, vision) => options.find((o) => o.textContent.includes('vision') === vision)?.value,
    vision,
  );
  assert.ok(name, `a model with vision=${vision}`);
  await page.selectOption('#chat-model', name);
  return name;
}

/**
 * Delivers files to the page the way a browser does: a paste on the composer's textarea (a
 * ClipboardEvent whose DataTransfer holds the files) or a drop on the composer (dragenter,
 * dragover, drop with a DataTransfer). `files`: [{ name, type, base64 } | { name, type, size }].
 * Returns whether the page took the drop/paste (called preventDefault).
 */
async function deliverFiles(page, how, files) {
  return page.evaluate(({ how, files }) => {
    const transfer = new DataTransfer();
    for (const f of files) {
      const bytes = f.base64 ? Uint8Array.from(atob(f.base64), (c) => c.charCodeAt(0)) : new Uint8Array(f.size);
      transfer.items.add(new File([bytes], f.name, { type: f.type }));
    }
    if (how === 'paste') {
      const event = new ClipboardEvent('paste', { clipboardData: transfer, bubbles: true, cancelable: true });
      document.querySelector('#chat-prompt').dispatchEvent(event);
      return event.defaultPrevented;
    }
    const zone = document.querySelector('.composer');
    const init = { dataTransfer: transfer, bubbles: true, cancelable: true };
    zone.dispatchEvent(new DragEvent('dragenter', init));
    const over = new DragEvent('dragover', init);
    zone.dispatchEvent(over);
    const drop = new DragEvent('drop', init);
    zone.dispatchEvent(drop);
    return over.defaultPrevented && drop.defaultPrevented;
  }, { how, files });
}

describe('chat input', () => {
  const suite = gatewayAndBrowser(['--stream-rate', '20']);

  test('images pasted and dropped show as thumbnails, are sent as image parts and show in the message', async () => {
    const page = await suite.browser.newPage();
    await openApp(page, `${suite.gateway.url}/chat`);
    await page.click('#new-chat');
    await pickModel(page, true);
    assert.ok(await deliverFiles(page, 'paste', [{ name: 'pasted.png', type: 'image/png', base64: PNG_BASE64 }]), 'the paste is taken');
    await page.locator('.composer img.thumb[alt="pasted.png"]').waitFor();
    assert.ok(await deliverFiles(page, 'drop', [{ name: 'dropped.png', type: 'image/png', base64: PNG_BASE64 }]), 'the drop is taken');
    await page.locator('.composer img.thumb[alt="dropped.png"]').waitFor();
    assert.equal(await page.locator('#attach-error').count(), 0);

    const seen = chatRequests(suite.gateway).length;
    await sendChat(page, 'What is in these two pictures?');
    const requests = await waitForChatRequests(page, suite.gateway, seen + 1);
    assert.match(requests.at(-1), /message roles \[user\], 2 image part\(s\)/);
    await lastAnswer(page).locator('.finish-reason').waitFor({ timeout: 30_000 });
    // The local backend bills 256 prompt tokens per image it received.
    assert.match(await lastAnswer(page).locator('.image-tokens').textContent(), /^512 prompt tokens from images/);
    const sent = page.locator('.message.user').last();
    assert.deepEqual(await sent.locator('img.thumb').evaluateAll((imgs) => imgs.map((i) => i.alt)), ['pasted.png', 'dropped.png']);
    assert.ok(await sent.locator('img.thumb').first().evaluate((img) => img.complete && img.naturalWidth === 1), 'the thumbnail is the image');
    assert.equal(await page.locator('.composer img.thumb').count(), 0, 'the composer is emptied after sending');
    await page.close();
  });

  test('a non-image file, an over-size image and an image for a text-only model are refused; nothing is sent', async () => {
    const page = await suite.browser.newPage();
    await openApp(page, `${suite.gateway.url}/chat`);
    await page.click('#new-chat');
    const seen = chatRequests(suite.gateway).length;
    await pickModel(page, true);
    await deliverFiles(page, 'paste', [{ name: 'notes.txt', type: 'text/plain', base64: btoa('hello') }]);
    assert.match(await page.locator('#attach-error').textContent(), /notes\.txt is not a PNG, JPEG, WebP or GIF image \(text\/plain\)/);
    await deliverFiles(page, 'drop', [{ name: 'huge.png', type: 'image/png', size: 11 * 1024 * 1024 }]);
    assert.match(await page.locator('#attach-error').textContent(), /huge\.png is 11\.0 MB; images may be at most 10 MB/);
    assert.equal(await page.locator('.composer img.thumb').count(), 0);

    const textOnly = await pickModel(page, false);
    await deliverFiles(page, 'paste', [{ name: 'dot.png', type: 'image/png', base64: PNG_BASE64 }]);
    assert.match(await page.locator('#attach-error').textContent(), new RegExp(`model ${textOnly} does not take images`));
    await deliverFiles(page, 'drop', [{ name: 'dot.png', type: 'image/png', base64: PNG_BASE64 }]);
    assert.match(await page.locator('#attach-error').textContent(), /does not take images/);
    assert.equal(await page.locator('.composer img.thumb').count(), 0);

    // Attached for a vision model, then the model changed to a text-only one: Send refuses
    // (clearly, before any call) and keeps the text and the image for another try.
    await pickModel(page, true);
    await deliverFiles(page, 'paste', [{ name: 'kept.png', type: 'image/png', base64: PNG_BASE64 }]);
    await page.locator('.composer img.thumb[alt="kept.png"]').waitFor();
    await pickModel(page, false);
    await page.fill('#chat-prompt', 'Describe this');
    await page.click('#chat-send');
    await page.locator('#attach-error').filter({ hasText: /does not take images/ }).waitFor();
    await page.waitForTimeout(500);
    assert.equal(await page.locator('.message').count(), 0, 'no message was added');
    assert.equal(chatRequests(suite.gateway).length, seen, 'the gateway received no chat request');
    assert.equal(await page.inputValue('#chat-prompt'), 'Describe this', 'the text is kept');
    assert.equal(await page.locator('.composer img.thumb[alt="kept.png"]').count(), 1, 'the image is kept');
    await page.close();
  });

  test('Alt+N starts a new empty chat; the previous one stays in the list', async () => {
    const page = await suite.browser.newPage();
    await openApp(page, `${suite.gateway.url}/chat`);
    await page.click('#new-chat');
    await sendChat(page, 'Keep this conversation');
    await lastAnswer(page).locator('.finish-reason').waitFor({ timeout: 30_000 });
    const previous = await page.locator('.conversation.selected').getAttribute('data-id');
    const listed = await page.locator('.conversation').count();

    await page.focus('#chat-prompt');
    await page.keyboard.press('Alt+KeyN');
    await page.waitForFunction((id) => {
      const selected = document.querySelector('.conversation.selected');
      return selected && selected.dataset.id !== id;
    }, previous);
    assert.equal(await page.locator('.conversation').count(), listed + 1);
    assert.equal(await page.locator('.conversation.selected .conversation-title').textContent(), 'New chat');
    assert.equal(await page.locator('.message').count(), 0, 'the new chat is empty');
    assert.equal(await page.locator(`.conversation[data-id="${previous}"]`).count(), 1, 'the previous chat stays listed');
    assert.equal(await page.locator('.conversation').first().getAttribute('data-id') !== previous, true, 'the new chat is on top');

    // On a Mac, Option+N is a dead key: the event says key "Dead", code "KeyN" (focus elsewhere).
    const second = await page.locator('.conversation.selected').getAttribute('data-id');
    await page.locator('.chat-title').click();
    await page.evaluate(() => document.activeElement.dispatchEvent(
      new KeyboardEvent('keydown', { key: 'Dead', code: 'KeyN', altKey: true, bubbles: true, cancelable: true }),
    ));
    await page.waitForFunction((id) => document.querySelector('.conversation.selected')?.dataset.id !== id, second);
    assert.equal(await page.locator('.conversation').count(), listed + 2);
    await page.close();
  });

  test('after leaving Chat its shortcuts and drop guard are gone: Alt+N on Settings starts nothing, a drop is not taken', async () => {
    const page = await suite.browser.newPage();
    await openApp(page, `${suite.gateway.url}/chat`);
    await waitForModels(page);
    // The stored chats are listed once the thread shows a chat's messages or the empty note
    // (counting earlier raced the database and sometimes saw none).
    await page.locator('.thread .message, .thread .empty').first().waitFor();
    await page.locator('.conversation-list[aria-busy="false"]').waitFor({ state: 'attached' });
    const listed = await page.locator('.conversation').count();
    await page.click('header.nav a:has-text("Settings")');
    await page.locator('#endpoint').waitFor();
    await page.locator('h1').click();
    await page.keyboard.press('Alt+KeyN');
    await page.keyboard.press('Escape');
    const cancelled = await page.evaluate(() => {
      const data = new DataTransfer();
      data.items.add(new File(['x'], 'x.txt', { type: 'text/plain' }));
      const drop = new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true });
      document.body.dispatchEvent(drop);
      return drop.defaultPrevented;
    });
    assert.equal(cancelled, false, 'Settings takes no files, so the browser keeps its own drop handling');
    await page.click('header.nav a:has-text("Chat")');
    await waitForModels(page);
    await page.locator('.conversation-list[aria-busy="false"]').waitFor({ state: 'attached' });
    assert.equal(await page.locator('.conversation').count(), listed, 'Alt+N on Settings created no chat');
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  test('a chat started while another tab keeps the database busy is kept once the list loads', async () => {
    const first = await suite.browser.newPage();
    await openApp(first, `${suite.gateway.url}/chat`); // creates the database
    await first.close();
    const page = await suite.browser.newPage();
    // Before the app starts, this tab writes to the conversations store for 3 s (as another tab
    // saving a long chat would): the app's first read of its chats waits for it.
    await page.addInitScript(() => {
      const open = indexedDB.open('xai-web');
      open.onsuccess = () => {
        const transaction = open.result.transaction('conversations', 'readwrite');
        const until = Date.now() + 3000;
        const busy = () => { if (Date.now() < until) transaction.objectStore('conversations').count().onsuccess = busy; };
        busy();
      };
    });
    await openApp(page, `${suite.gateway.url}/chat`);
    await page.keyboard.press('Alt+KeyN');
    await sendChat(page, 'Sent before the list loaded');
    await page.waitForTimeout(3500);
    assert.equal(await page.locator('.message.user .user-text').textContent(), 'Sent before the list loaded');
    assert.match(await page.locator('.conversation.selected').textContent(), /Sent before the list loaded/);
    await lastAnswer(page).locator('.finish-reason').waitFor({ timeout: 30_000 });
    await page.reload();
    await page.locator('.conversation', { hasText: 'Sent before the list loaded' }).waitFor();
    await page.close();
  });

  test('Enter sends, Shift+Enter adds a line, Esc stops the stream wherever the focus is', async () => {
    const page = await suite.browser.newPage();
    await openApp(page, `${suite.gateway.url}/chat`);
    await page.click('#new-chat');
    await waitForModels(page);
    const seen = chatRequests(suite.gateway).length;
    await page.click('#chat-prompt');
    await page.keyboard.type('First line');
    await page.keyboard.press('Shift+Enter');
    await page.keyboard.type('second line');
    assert.equal(await page.inputValue('#chat-prompt'), 'First line\nsecond line');
    await page.waitForTimeout(300);
    assert.equal(await page.locator('.message').count(), 0, 'Shift+Enter sends nothing');
    assert.equal(chatRequests(suite.gateway).length, seen);

    await page.keyboard.press('Enter');
    await page.locator('.message.user').waitFor();
    assert.equal(await page.locator('.message.user .user-text').textContent(), 'First line\nsecond line');
    assert.equal(await page.inputValue('#chat-prompt'), '', 'the composer is emptied');
    await waitForChatRequests(page, suite.gateway, seen + 1);

    // Esc in the composer stops the stream: the partial answer stays, marked stopped.
    const streamed = () => page.waitForFunction(() => ([...document.querySelectorAll(".message.assistant")].pop()?.querySelector(".answer-text")?.textContent ?? '').length > 20, null, { timeout: 20_000 });
    await streamed();
    await page.keyboard.press('Escape');
    await page.locator('.phase[data-phase="stopped"]').waitFor({ timeout: 5_000 });
    assert.equal(await lastAnswer(page).getAttribute('data-status'), 'stopped');
    assert.match(await lastAnswer(page).locator('.status-note').textContent(), /Stopped/);

    // Sent with the button, the focus is no longer in the composer: Esc still stops.
    await page.fill('#chat-prompt', 'Another long answer please');
    await page.click('#chat-send');
    await page.waitForFunction(() => document.querySelectorAll('.message.assistant').length === 2);
    await streamed();
    assert.notEqual(await page.evaluate(() => document.activeElement?.id), 'chat-prompt');
    await page.keyboard.press('Escape');
    await page.locator('.phase[data-phase="stopped"]').waitFor({ timeout: 5_000 });
    assert.equal(await lastAnswer(page).getAttribute('data-status'), 'stopped');
    await page.close();
  });

  test('the system prompt set in the parameters panel reaches the gateway as the first message and is kept', async () => {
    const page = await suite.browser.newPage();
    await openApp(page, `${suite.gateway.url}/chat`);
    await page.click('#new-chat');
    await waitForModels(page);
    await page.click('details.params summary');
    await page.fill('#system-prompt', 'Answer like a pirate.');
    const seen = chatRequests(suite.gateway).length;
    await sendChat(page, 'Where is the treasure?');
    let requests = await waitForChatRequests(page, suite.gateway, seen + 1);
    assert.match(requests.at(-1), /message roles \[system, user\]/);
    await lastAnswer(page).locator('.finish-reason').waitFor({ timeout: 30_000 });
    await sendChat(page, 'And the map?');
    requests = await waitForChatRequests(page, suite.gateway, seen + 2);
    assert.match(requests.at(-1), /message roles \[system, user, assistant, user\]/);
    await lastAnswer(page).locator('.finish-reason').waitFor({ timeout: 30_000 });

    // Per conversation: kept across a reload, absent from a new chat.
    const id = await page.locator('.conversation.selected').getAttribute('data-id');
    await page.reload();
    await page.locator(`.conversation[data-id="${id}"] .conversation-title`).click();
    assert.equal(await page.inputValue('#system-prompt'), 'Answer like a pirate.');
    await page.click('#new-chat');
    assert.equal(await page.inputValue('#system-prompt'), '');
    await sendChat(page, 'No pirates here');
    requests = await waitForChatRequests(page, suite.gateway, seen + 3);
    assert.match(requests.at(-1), /message roles \[user\]/);
    await page.close();
  });

  test('the parameters panel stays open and keeps what is being typed while an answer streams', async () => {
    const page = await suite.browser.newPage();
    await openApp(page, `${suite.gateway.url}/chat`);
    await page.click('#new-chat');
    await sendChat(page, 'A long answer while I edit the system prompt');
    await page.click('details.params summary');
    await page.click('#system-prompt');
    await page.keyboard.type('Be brief');
    // The answer is saved every 400 ms while it streams.
    await page.waitForTimeout(1500);
    assert.equal(await page.locator('.phase').getAttribute('data-phase'), 'streaming');
    assert.equal(await page.locator('details.params').evaluate((d) => d.open), true, 'the panel is still open');
    assert.equal(await page.inputValue('#system-prompt'), 'Be brief', 'the typed text is still there');
    await page.keyboard.press('Escape');
    await page.close();
  });
});
