// A returning visitor: the chat's model picker offers the list the endpoint gave last time at
// once, so a message can be sent before the list has been asked for again; a refresh that fails
// shows its error, never the old list as if it were current.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { appErrors, clearFaults, gatewayAndBrowser, injectFault, lastAnswer, openApp, waitForChatModels } from './harness.mjs';

describe('returning visit', () => {
  const suite = gatewayAndBrowser(['--stream-rate', '200', '--enable-faults']);

  test('the last model list is offered at once while it is asked for again; a failed refresh shows its error', async () => {
    const page = await suite.browser.newPage();
    await openApp(page, `${suite.gateway.url}/chat`);
    await waitForChatModels(page);
    const models = await page.locator('#chat-model option').allTextContents();
    assert.ok(models.length > 0);

    // Back later, with a model list that takes 5 s: the picker is there without waiting for it,
    // and a message goes out and is answered meanwhile.
    await injectFault(page, 'Models/ListLanguageModels', 'delay-ms=5000', 1);
    const sentAt = Date.now();
    await page.reload();
    await waitForChatModels(page);
    assert.deepEqual(await page.locator('#chat-model option').allTextContents(), models);
    await page.fill('#chat-prompt', 'Sent before the model list came back');
    await page.click('#chat-send');
    await lastAnswer(page).locator('.finish-reason').waitFor({ timeout: 20_000 });
    assert.ok(Date.now() - sentAt < 5_000, `answered ${Date.now() - sentAt} ms after the reload, before the list's 5 s`);
    assert.match(await lastAnswer(page).innerText(), /Sent before the model list came back/);

    // A refresh that fails: its error, and no stale list.
    await clearFaults(page, 'Models/ListLanguageModels');
    await injectFault(page, 'Models/ListLanguageModels', 'status=unavailable');
    await page.reload();
    await page.getByText('No models: the list could not be loaded').waitFor({ timeout: 20_000 });
    assert.equal(await page.locator('#chat-model option').count(), 0);
    assert.deepEqual(appErrors(page), []);
    await page.close();
  });
});
