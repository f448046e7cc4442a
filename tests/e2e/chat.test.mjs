// Chat in a real browser: stop cancels the call at the gateway; conversations persist in
// IndexedDB across reloads (a reload mid-stream keeps the partial answer, marked interrupted);
// delete has undo; export then import round-trips; attachments are checked before sending.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { gatewayAndBrowser, lastAnswer, openApp, sendChat, waitForChatModels } from './harness.mjs';

describe('chat', () => {
  const suite = gatewayAndBrowser(['--stream-rate', '20']);

  test('Stop aborts the stream: the gateway sees the call cancelled, the partial answer stays', async () => {
    const page = await suite.browser.newPage();
    await openApp(page, `${suite.gateway.url}/chat`);
    await sendChat(page, 'Tell me a long story');
    const answer = lastAnswer(page);
    await page.waitForFunction(() => ([...document.querySelectorAll('.message.assistant')].pop()?.querySelector('.answer-text')?.textContent ?? '').length > 20, null, { timeout: 20_000 });
    await page.click('#chat-stop');
    await page.locator('.phase[data-phase="stopped"]').waitFor();
    const partial = await answer.locator('.answer-text').textContent();
    await page.waitForTimeout(1000);
    assert.equal(await answer.locator('.answer-text').textContent(), partial, 'nothing arrives after Stop');
    assert.equal(await answer.getAttribute('data-status'), 'stopped');
    assert.equal(await answer.locator('.finish-reason').count(), 0, 'a stopped answer has no finish reason');
    assert.equal(await answer.locator('button.retry').textContent(), 'Retry');
    const deadline = Date.now() + 5_000;
    while (!/cancelled/i.test(suite.gateway.log()) && Date.now() < deadline) await page.waitForTimeout(100);
    assert.match(suite.gateway.log(), /cancelled.*CreateChatCompletionStream|CreateChatCompletionStream.*cancelled/i);
    // Retry produces the whole answer in place.
    await answer.locator('button.retry').click();
    await lastAnswer(page).locator('.finish-reason').waitFor({ timeout: 30_000 });
    assert.equal(await lastAnswer(page).getAttribute('data-status'), 'complete');
    await page.close();
  });

  test('a reload mid-stream keeps the partial answer, marked interrupted, with Retry', async () => {
    const page = await suite.browser.newPage();
    await openApp(page, `${suite.gateway.url}/chat`);
    await page.click('#new-chat');
    await sendChat(page, 'Write something long about reloads');
    // Wait until a checkpoint has surely been written (saved every 400 ms).
    await page.waitForFunction(() => ([...document.querySelectorAll('.message.assistant')].pop()?.querySelector('.answer-text')?.textContent ?? '').length > 40, null, { timeout: 20_000 });
    await page.waitForTimeout(900);
    const seen = await lastAnswer(page).locator('.answer-text').textContent();
    await page.reload();
    await page.locator('header.nav').waitFor();
    const answer = lastAnswer(page);
    await answer.waitFor();
    assert.equal(await answer.getAttribute('data-status'), 'interrupted');
    const kept = await answer.locator('.answer-text').textContent();
    assert.ok(kept.length > 0 && seen.startsWith(kept.slice(0, 20)), `kept ${kept.length} chars`);
    assert.match(await answer.locator('.status-note').textContent(), /Interrupted/);
    assert.equal(await answer.locator('button.retry').textContent(), 'Retry');
    await page.close();
  });

  test('conversations: search, rename, delete with undo, kept across reloads', async () => {
    const page = await suite.browser.newPage();
    await openApp(page, `${suite.gateway.url}/chat`);
    await page.click('#new-chat');
    await sendChat(page, 'Penguins of the Antarctic');
    await lastAnswer(page).locator('.finish-reason').waitFor({ timeout: 30_000 });
    const item = page.locator('.conversation.selected');
    assert.match(await item.textContent(), /Penguins of the Antarctic/);

    await item.locator('.row-menu-button').click();
    await item.locator('button.rename').click();
    await page.fill('.rename-input', 'Birds that swim');
    await page.press('.rename-input', 'Enter');
    await page.locator('.conversation.selected', { hasText: 'Birds that swim' }).waitFor();

    // Search finds it by content, not only by title.
    await page.fill('#chat-search', 'antarctic');
    assert.equal(await page.locator('.conversation').count(), 1);
    await page.fill('#chat-search', '');

    await page.reload();
    await page.locator('.conversation', { hasText: 'Birds that swim' }).waitFor();

    const before = await page.locator('.conversation').count();
    await page.locator('.conversation', { hasText: 'Birds that swim' }).locator('.row-menu-button').click();
    await page.locator('.conversation', { hasText: 'Birds that swim' }).locator('button.delete').click();
    assert.equal(await page.locator('.conversation').count(), before - 1);
    await page.click('#undo-delete');
    await page.locator('.conversation', { hasText: 'Birds that swim' }).waitFor();
    // The list is busy until IndexedDB has committed the restore.
    await page.locator('.conversation-list[aria-busy="false"]').waitFor();
    await page.reload();
    await page.locator('.conversation', { hasText: 'Birds that swim' }).waitFor();
    await page.close();
  });

  test('editing an earlier message resends it as a branch and keeps the original', async () => {
    const page = await suite.browser.newPage();
    await openApp(page, `${suite.gateway.url}/chat`);
    await page.click('#new-chat');
    await sendChat(page, 'Original question');
    await lastAnswer(page).locator('.finish-reason').waitFor({ timeout: 30_000 });
    const original = await page.locator('.conversation.selected').getAttribute('data-id');
    await page.locator('.message.user').first().locator('button.edit').click();
    await page.fill('.edit-message', 'Edited question');
    await page.click('button.resend');
    await page.locator('.conversation.selected', { hasText: 'Original question (branch)' }).waitFor();
    assert.equal(await page.locator('.message.user').first().locator('.user-text').textContent(), 'Edited question');
    await lastAnswer(page).locator('.finish-reason').waitFor({ timeout: 30_000 });
    assert.match(await lastAnswer(page).locator('.answer-text').textContent(), /Edited question/);
    // The original is untouched.
    await page.locator(`.conversation[data-id="${original}"] .conversation-title`).click();
    assert.equal(await page.locator('.message.user').first().locator('.user-text').textContent(), 'Original question');
    assert.equal(await page.locator('.message').count(), 2);
    await page.close();
  });

  test('export then import round-trips a conversation exactly', async () => {
    const page = await suite.browser.newPage();
    await openApp(page, `${suite.gateway.url}/chat`);
    await page.click('#new-chat');
    await sendChat(page, 'Round trip me');
    await lastAnswer(page).locator('.finish-reason').waitFor({ timeout: 30_000 });
    await page.click('details.export summary');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-json')]);
    const exported = readFileSync(await download.path(), 'utf8');
    const original = JSON.parse(exported).conversations[0];
    assert.equal(original.title, 'Round trip me');

    await page.locator('.conversation.selected .row-menu-button').click();
    await page.locator('.conversation.selected button.delete').click();
    assert.equal(await page.locator('.conversation', { hasText: 'Round trip me' }).count(), 0);
    await page.setInputFiles('#import-file', { name: 'export.json', mimeType: 'application/json', buffer: Buffer.from(exported) });
    await page.locator('.conversation', { hasText: 'Round trip me' }).waitFor();

    const [again] = await Promise.all([page.waitForEvent('download'), page.click('#export-all')]);
    const all = JSON.parse(readFileSync(await again.path(), 'utf8')).conversations;
    assert.deepEqual(all.find((c) => c.id === original.id), original);
    await page.close();
  });

  test('an image for a model without image input is refused before sending', async () => {
    const page = await suite.browser.newPage();
    await openApp(page, `${suite.gateway.url}/chat`);
    await waitForChatModels(page);
    const textOnly = await page.locator('#chat-model option').evaluateAll((options) => options.find((o) => !o.textContent.includes('vision'))?.value);
    await page.selectOption('#chat-model', textOnly);
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
    await page.setInputFiles('#chat-attach', { name: 'dot.png', mimeType: 'image/png', buffer: png });
    assert.match(await page.locator('#attach-error').textContent(), /does not take images/);
    const vision = await page.locator('#chat-model option').evaluateAll((options) => options.find((o) => o.textContent.includes('vision'))?.value);
    await page.selectOption('#chat-model', vision);
    await page.setInputFiles('#chat-attach', { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hi') });
    assert.match(await page.locator('#attach-error').textContent(), /not a PNG, JPEG, WebP or GIF/);
    await page.setInputFiles('#chat-attach', { name: 'dot.png', mimeType: 'image/png', buffer: png });
    await page.locator('.composer .thumb').waitFor();
    // Sent: the image reaches the gateway as an image part (it bills image prompt tokens).
    await sendChat(page, 'What is in this picture?');
    await lastAnswer(page).locator('.finish-reason').waitFor({ timeout: 30_000 });
    assert.match(await lastAnswer(page).locator('.image-tokens').textContent(), /[1-9]\d* prompt tokens from images/);
    assert.equal(await page.locator('.message.user').last().locator('img.thumb').count(), 1, 'the thumbnail shows in the message');
    await page.close();
  });
});
