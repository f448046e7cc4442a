// Stop, then reload: what was stopped stays stopped, with the text that had arrived, on Sample
// (the tab's saved run) and on Chat (the conversation on disk), also when Stop came while the
// answer was still waiting for its first word.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { gatewayAndBrowser, injectFault, lastAnswer, openApp, openSample, sampleTexts, sendChat, storedAnswers } from './harness.mjs';

describe('Stop, then reload', () => {
  const suite = gatewayAndBrowser(['--enable-faults', '--stream-rate', '15', '--min-answer-chars', '1500']);

  test('Sample: the stopped run comes back stopped, with its text', async () => {
    const page = await suite.browser.newPage();
    await openSample(page, suite.gateway.url);
    await page.fill('#sample-prompt', 'The ferry left the harbour and');
    await page.click('#sample-run');
    await page.waitForFunction(() => (document.querySelector('.sample-choice .sample-text')?.textContent ?? '').length > 30, null, { timeout: 20_000 });
    await page.click('#sample-stop');
    await page.locator('.phase[data-phase="stopped"]').waitFor();
    const stopped = await sampleTexts(page);

    await page.reload();
    await page.locator('#sample-prompt').waitFor();
    assert.equal(await page.locator('.phase').getAttribute('data-phase'), 'stopped');
    assert.deepEqual(await sampleTexts(page), stopped);
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  test('Chat: an answer stopped while it waited comes back stopped, with Retry, in the tab and on disk', async () => {
    const page = await suite.browser.newPage();
    await openApp(page, `${suite.gateway.url}/chat`);
    await page.click('#new-chat');
    await injectFault(page, 'Chat/CreateChatCompletionStream', 'delay-ms=5000', 1);
    await sendChat(page, 'Tell me about dry docks');
    const id = await page.locator('.conversation.selected').getAttribute('data-id');
    await page.click('#chat-stop');
    await page.locator('.message.assistant[data-status="stopped"]').waitFor();
    await page.locator('.conversation-list[aria-busy="false"]').waitFor();

    await page.reload();
    await page.locator('header.nav').waitFor();
    await page.locator(`.conversation[data-id="${id}"] .conversation-title`).click();
    await page.locator('.message.assistant[data-status="stopped"]').waitFor({ timeout: 10_000 });
    await lastAnswer(page).locator('button.retry').waitFor();
    assert.deepEqual((await storedAnswers(page, id)).map((answer) => answer.status), ['stopped']);
    assert.deepEqual(page.errors, []);
    await page.close();
  });
});
