// What a user sees when things go wrong: retries before the first token, a rate-limit countdown,
// a cut stream that keeps its partial answer, a silent stream ended by the idle watchdog, auth
// and input errors, and hostile markdown that stays inert. Faults come from the gateway's fault
// injection, asked for per request with the x-fault header (added here by request routing).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { gatewayAndBrowser, injectFault, lastAnswer, openApp, sendChat, waitForChatModels } from './harness.mjs';



describe('faults in the browser', () => {
  const suite = gatewayAndBrowser(['--stream-rate', '50', '--enable-faults']);

  test('UNAVAILABLE before the first token is retried with a visible backoff, then succeeds', async () => {
    const page = await suite.browser.newPage();
    await injectFault(page, 'Chat/CreateChatCompletionStream', 'status=unavailable', 2);
    await openApp(page, `${suite.gateway.url}/chat`);
    await page.click('#new-chat');
    await sendChat(page, 'Retry me');
    // The notice counts down while the backoff lasts (read while it does: the retry may
    // follow at once).
    await page.locator('.phase[data-phase="retrying"]', { hasText: /retrying in \d+\.\d s/ }).waitFor({ timeout: 10_000 });
    await lastAnswer(page).locator('.finish-reason').waitFor({ timeout: 30_000 });
    assert.equal(await lastAnswer(page).getAttribute('data-status'), 'complete');
    await page.close();
  });

  test('RESOURCE_EXHAUSTED shows a countdown that Stop cancels', async () => {
    const page = await suite.browser.newPage();
    await injectFault(page, 'Chat/CreateChatCompletionStream', 'status=resource_exhausted');
    await openApp(page, `${suite.gateway.url}/chat`);
    await page.click('#new-chat');
    await sendChat(page, 'Rate limit me');
    await page.locator('.phase[data-phase="rate-limited"]').waitFor({ timeout: 10_000 });
    const first = await page.locator('.phase').textContent();
    assert.match(first, /trying again in \d+ s/);
    await page.waitForTimeout(1200);
    assert.notEqual(await page.locator('.phase').textContent(), first, 'the countdown ticks');
    await page.click('#chat-stop');
    await page.locator('.phase[data-phase="stopped"]').waitFor();
    await page.close();
  });

  test('a stream cut after its first messages keeps the partial answer and offers Retry', async () => {
    const page = await suite.browser.newPage();
    await injectFault(page, 'Chat/CreateChatCompletionStream', 'cut-after=5', 1);
    await openApp(page, `${suite.gateway.url}/chat`);
    await page.click('#new-chat');
    await sendChat(page, 'Cut me off');
    const answer = lastAnswer(page);
    await page.locator('.error').first().waitFor({ timeout: 20_000 });
    assert.equal(await answer.getAttribute('data-status'), 'failed');
    assert.ok((await answer.locator('.answer-text').textContent()).length > 0, 'the partial answer stays');
    assert.equal(await page.locator('.phase').getAttribute('data-phase'), 'failed', 'no automatic retry after the first token');
    await answer.locator('button.retry').click();
    await lastAnswer(page).locator('.finish-reason').waitFor({ timeout: 30_000 });
    assert.equal(await lastAnswer(page).getAttribute('data-status'), 'complete');
    await page.close();
  });

  test('a stream that goes silent ends as an error after the idle limit', async () => {
    const page = await suite.browser.newPage();
    await injectFault(page, 'Chat/CreateChatCompletionStream', 'idle-after=3', 1);
    await openApp(page, `${suite.gateway.url}/settings`);
    await page.fill('#idle-limit', '2');
    await page.press('#idle-limit', 'Tab');
    await page.click('header.nav a[href$="/chat"]');
    await page.click('#new-chat');
    await sendChat(page, 'Go quiet');
    await page.locator('.error').first().waitFor({ timeout: 15_000 });
    assert.match(await page.locator('.error').first().textContent(), /sent nothing for 2 s/);
    assert.equal(await lastAnswer(page).getAttribute('data-status'), 'failed');
    await page.goto(`${suite.gateway.url}/settings`);
    await page.fill('#idle-limit', '60');
    await page.press('#idle-limit', 'Tab');
    await page.close();
  });

  test('PERMISSION_DENIED explains itself and links to Settings', async () => {
    const page = await suite.browser.newPage();
    await injectFault(page, 'Chat/CreateChatCompletionStream', 'status=permission_denied');
    await openApp(page, `${suite.gateway.url}/chat`);
    await page.click('#new-chat');
    await sendChat(page, 'Am I allowed?');
    const error = page.locator('.error[data-code="7"]');
    await error.waitFor({ timeout: 10_000 });
    assert.match(await error.textContent(), /Access denied/);
    assert.equal(await error.locator('a', { hasText: 'Open Settings' }).count(), 1);
    await page.close();
  });

  test('in the widget, PERMISSION_DENIED says the settings are the embedding site\'s, with no link to the console\'s', async () => {
    const page = await suite.browser.newPage();
    await injectFault(page, 'Chat/CreateChatCompletionStream', 'status=permission_denied');
    await page.goto(`${suite.gateway.url}/embed?widget=denied`);
    await waitForChatModels(page);
    await page.fill('#chat-prompt', 'Am I allowed?');
    await page.click('#chat-send');
    const error = page.locator('.error[data-code="7"]');
    await error.waitFor({ timeout: 10_000 });
    assert.match(await error.locator('.error-advice').textContent(), /in the settings this site gives the chat/);
    assert.doesNotMatch(await error.textContent(), /in Settings/);
    assert.equal(await error.locator('a').count(), 0);
    await page.close();
  });

  test('a prompt longer than the model context is refused with the reason', async () => {
    const page = await suite.browser.newPage();
    await openApp(page, `${suite.gateway.url}/chat`);
    await page.click('#new-chat');
    await waitForChatModels(page);
    const small = await page.locator('#chat-model option').evaluateAll((options) => options.find((o) => o.textContent.includes('32K'))?.value);
    await page.selectOption('#chat-model', small);
    await page.locator('#chat-prompt').evaluate((el, text) => {
      el.value = text;
      el.dispatchEvent(new Event('input', { bubbles: true }));
    }, 'word '.repeat(40_000));
    await page.click('#chat-send');
    const error = page.locator('.error[data-code="3"]');
    await error.waitFor({ timeout: 20_000 });
    assert.match(await error.textContent(), /Invalid request/);
    assert.match(await error.textContent(), /tokens/);
    await page.close();
  });

  test('hostile markdown in an answer renders inert', async () => {
    const page = await suite.browser.newPage();
    await openApp(page, `${suite.gateway.url}/chat`);
    await page.click('#new-chat');
    // The local backend quotes the question in its answer, so the payloads come back as model output.
    const payload = '<img src=x onerror="window.__xss=1"> <script>window.__xss=2</script> [click](javascript:window.__xss=3) [data](data:text/html,<script>1</script>)';
    await sendChat(page, payload);
    const answer = lastAnswer(page);
    await answer.locator('.finish-reason').waitFor({ timeout: 30_000 });
    assert.match(await answer.locator('.answer-text').textContent(), /onerror/, 'the payload is shown as text');
    assert.equal(await answer.locator('.answer-text img, .answer-text script').count(), 0);
    const hrefs = await answer.locator('.answer-text a').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
    assert.ok(hrefs.every((href) => href === null || /^https?:|^mailto:|^\//.test(href)), `links: ${hrefs}`);
    for (const link of await answer.locator('.answer-text a').all()) await link.click({ trial: true }).catch(() => {});
    assert.equal(await page.evaluate(() => window.__xss), undefined);
    await page.close();
  });

  test('a 1 MB single line of hostile markup renders inert and the page stays responsive', async () => {
    const page = await suite.browser.newPage();
    await openApp(page, `${suite.gateway.url}/chat`);
    const line = '<b onmouseover="window.__xss=1">x</b>'.repeat(28_000);
    const exported = JSON.stringify({ format: 'xai-web-conversations', version: 1, conversations: [{
      id: 'huge-line', title: 'Huge line', created_ms: 1, updated_ms: Date.now(), messages: [
        { id: 'u', role: 'user', content: 'Say something big', status: { state: 'complete' } },
        { id: 'a', role: 'assistant', content: line, status: { state: 'complete' }, finish_reason: 'stop' },
      ],
    }] });
    assert.ok(exported.length > 1_000_000);
    await page.click('details.export summary');
    await page.setInputFiles('#import-file', { name: 'huge.json', mimeType: 'application/json', buffer: Buffer.from(exported) });
    await page.locator('.conversation[data-id="huge-line"] .conversation-title').click();
    const answer = page.locator('.message.assistant[data-id="a"]');
    await answer.waitFor({ timeout: 20_000 });
    assert.equal(await answer.locator('.answer-text b').count(), 0, 'no markup from the model');
    assert.match((await answer.locator('.answer-text').textContent()).slice(0, 200), /<b onmouseover/);
    // Responsive: a typed character shows at once.
    const started = Date.now();
    await page.fill('#chat-prompt', 'still responsive');
    assert.equal(await page.inputValue('#chat-prompt'), 'still responsive');
    assert.ok(Date.now() - started < 1000, `typing took ${Date.now() - started} ms`);
    await answer.hover();
    assert.equal(await page.evaluate(() => window.__xss), undefined);
    await page.close();
  });
});
