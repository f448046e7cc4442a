// A chat answer in flight crossed with other tabs and a reload. The conversations live in
// IndexedDB, which every tab of the origin shares, so a tab opened while another tab's answer
// streams (a second tab, or a copy of the tab: Chrome's "Duplicate tab") finds that answer saved
// as streaming. It must not take it for one a reload cut short (say "Interrupted" and offer
// Retry while the first tab streams on); it follows it and shows it finished. A reload of the
// streaming tab itself keeps the text so far, marked interrupted, in that tab, on disk and in
// every other tab open on the conversation (which, before, showed it streaming for ever).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyOf, gatewayAndBrowser, injectFault, lastAnswer, openApp, sendChat, storedAnswers } from './harness.mjs';

/** Opens conversation `id` in the chat list of `page`. */
async function openConversation(page, id) {
  await page.locator(`.conversation[data-id="${id}"] .conversation-title`).click();
  await page.locator(`.conversation.selected[data-id="${id}"]`).waitFor();
  await lastAnswer(page).waitFor();
}

/** Waits until the newest answer's shown text is longer than `chars`. */
const answerLongerThan = (page, chars) => page.waitForFunction(
  (n) => ([...document.querySelectorAll('.message.assistant')].pop()?.querySelector('.answer-text')?.textContent ?? '').length > n,
  chars,
  { timeout: 20_000 },
);

const saved = (page) => page.locator('.conversation-list[aria-busy="false"]').waitFor();

describe('a chat answer in flight, crossed with other tabs and a reload', () => {
  const suite = gatewayAndBrowser(['--enable-faults', '--stream-rate', '15', '--min-answer-chars', '1500']);

  test('a copy of the tab and a second tab opened while it waits do not call it interrupted; it ends in both', async () => {
    const a = await suite.browser.newPage();
    await openApp(a, `${suite.gateway.url}/chat`);
    await a.click('#new-chat');
    // The answer waits 5 s at the server before its first word: saved all that time as streaming.
    await injectFault(a, 'Chat/CreateChatCompletionStream', 'delay-ms=5000', 1);
    await sendChat(a, 'Tell me about tide mills');
    await saved(a);
    const id = await a.locator('.conversation.selected').getAttribute('data-id');

    const copy = await copyOf(a, suite.browser.context);
    const other = await suite.browser.newPage();
    await openApp(other, `${suite.gateway.url}/chat`);
    for (const tab of [copy, other]) {
      await openConversation(tab, id);
      // Give a wrong "interrupted" time to show.
      await tab.waitForTimeout(500);
      const answer = lastAnswer(tab);
      assert.equal(await answer.getAttribute('data-status'), 'streaming', "the first tab's answer is under way, not interrupted");
      assert.equal(await answer.locator('button.retry').count(), 0, 'no Retry for an answer another tab streams');
    }
    assert.equal(await lastAnswer(a).getAttribute('data-status'), 'streaming');

    await a.locator('.message.assistant[data-status="complete"] .finish-reason').waitFor({ timeout: 60_000 });
    const text = await lastAnswer(a).locator('.answer-text').textContent();
    for (const tab of [copy, other]) {
      await lastAnswer(tab).locator('.finish-reason').waitFor({ timeout: 10_000 });
      assert.equal(await lastAnswer(tab).getAttribute('data-status'), 'complete');
      assert.equal(await lastAnswer(tab).locator('.answer-text').textContent(), text);
    }
    await saved(a);
    const stored = await storedAnswers(a, id);
    assert.deepEqual(stored.map((answer) => answer.status), ['complete']);
    assert.ok(stored[0].content.length >= 1500, `${stored[0].content.length} characters stored`);
    for (const tab of [a, copy, other]) assert.deepEqual(tab.errors, []);
    await copy.close();
    await other.close();
    await a.close();
  });

  test('a reload mid-answer keeps the text so far, interrupted, in the tab, on disk and in another tab on the conversation', async () => {
    const a = await suite.browser.newPage();
    await openApp(a, `${suite.gateway.url}/chat`);
    await a.click('#new-chat');
    await sendChat(a, 'Tell me about canal locks');
    const id = await a.locator('.conversation.selected').getAttribute('data-id');
    await answerLongerThan(a, 60);

    const other = await suite.browser.newPage();
    await openApp(other, `${suite.gateway.url}/chat`);
    await openConversation(other, id);
    // The other tab follows the checkpoints (one every 400 ms).
    await answerLongerThan(other, 80);
    assert.equal(await lastAnswer(other).getAttribute('data-status'), 'streaming');
    const seen = await lastAnswer(a).locator('.answer-text').textContent();

    await a.reload();
    await a.locator('header.nav').waitFor();
    await openConversation(a, id);
    const answer = lastAnswer(a);
    await a.locator('.message.assistant[data-status="interrupted"]').waitFor({ timeout: 10_000 });
    const kept = await answer.locator('.answer-text').textContent();
    assert.ok(kept.length >= 60 && seen.startsWith(kept.slice(0, 60)), `kept ${kept.length} of the ${seen.length} characters seen`);
    assert.match(await answer.locator('.status-note').textContent(), /Interrupted/);
    await answer.locator('button.retry').waitFor();

    // The other tab no longer shows it streaming: interrupted, with Retry, the same text.
    await other.locator('.message.assistant[data-status="interrupted"]').waitFor({ timeout: 10_000 });
    await lastAnswer(other).locator('button.retry').waitFor();
    assert.equal(await lastAnswer(other).locator('.answer-text').textContent(), kept);

    // On disk: the partial answer, interrupted (not failed, not streaming).
    await saved(a);
    const stored = await storedAnswers(a, id);
    assert.equal(stored.length, 1);
    assert.equal(stored[0].status, 'interrupted');
    assert.ok(stored[0].content.length >= 60, `${stored[0].content.length} characters stored`);

    // A later reload of either tab says the same.
    await other.reload();
    await other.locator('header.nav').waitFor();
    await openConversation(other, id);
    assert.equal(await lastAnswer(other).getAttribute('data-status'), 'interrupted');
    assert.deepEqual(a.errors, []);
    assert.deepEqual(other.errors, []);
    await other.close();
    await a.close();
  });

  test('closing the streaming tab: another tab on the conversation shows the text so far, interrupted, with Retry', async () => {
    const a = await suite.browser.newPage();
    await openApp(a, `${suite.gateway.url}/chat`);
    await a.click('#new-chat');
    await sendChat(a, 'Tell me about weirs');
    const id = await a.locator('.conversation.selected').getAttribute('data-id');
    const other = await suite.browser.newPage();
    await openApp(other, `${suite.gateway.url}/chat`);
    await openConversation(other, id);
    await answerLongerThan(other, 60);
    assert.equal(await lastAnswer(other).getAttribute('data-status'), 'streaming');
    assert.deepEqual(a.errors, []);

    await a.close();
    await other.locator('.message.assistant[data-status="interrupted"]').waitFor({ timeout: 10_000 });
    await lastAnswer(other).locator('button.retry').waitFor();
    assert.ok((await lastAnswer(other).locator('.answer-text').textContent()).length > 60);
    // Retry there finishes it.
    await lastAnswer(other).locator('button.retry').click();
    await other.locator('.message.assistant[data-status="complete"] .finish-reason').waitFor({ timeout: 60_000 });
    assert.deepEqual(other.errors, []);
    await other.close();
  });
});
