// Chat in a real browser: stopping a stream cancels the call at the gateway and keeps the
// partial answer; hostile markdown from the model renders inert.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { openApp, startBrowser, startGateway } from './harness.mjs';

describe('chat', () => {
  let gateway;
  let browser;
  before(async () => {
    gateway = await startGateway(['--stream-rate', '20']);
    browser = await startBrowser();
  });
  after(async () => {
    await browser?.stop();
    await gateway?.stop();
  });

  test('Stop aborts the stream: the gateway sees the call cancelled, the partial answer stays', async () => {
    const page = await browser.newPage();
    await openApp(page, `${gateway.url}/chat`);
    await page.locator('#chat-model option').first().waitFor({ state: 'attached' });
    await page.fill('#chat-prompt', 'Tell me a long story');
    await page.click('#chat-send');
    // Wait for some text, then stop.
    await page.waitForFunction(() => (document.querySelector('.answer-text')?.textContent ?? '').length > 20, null, { timeout: 20_000 });
    await page.click('#chat-stop');
    await page.locator('.phase[data-phase="stopped"]').waitFor();
    const partial = await page.locator('.answer-text').textContent();
    await page.waitForTimeout(1000);
    assert.equal(await page.locator('.answer-text').textContent(), partial, 'nothing arrives after Stop');
    assert.equal(await page.locator('.finish-reason').count(), 0, 'a stopped answer has no finish reason');
    const deadline = Date.now() + 5_000;
    while (!/cancelled/i.test(gateway.log()) && Date.now() < deadline) await page.waitForTimeout(100);
    assert.match(gateway.log(), /cancelled.*CreateChatCompletionStream|CreateChatCompletionStream.*cancelled/i);
    await page.close();
  });

  test('Escape in the composer stops a stream too', async () => {
    const page = await browser.newPage();
    await openApp(page, `${gateway.url}/chat`);
    await page.locator('#chat-model option').first().waitFor({ state: 'attached' });
    await page.fill('#chat-prompt', 'Another long story');
    await page.press('#chat-prompt', 'Enter');
    await page.waitForFunction(() => (document.querySelector('.answer-text')?.textContent ?? '').length > 10, null, { timeout: 20_000 });
    await page.press('#chat-prompt', 'Escape');
    await page.locator('.phase[data-phase="stopped"]').waitFor();
    await page.close();
  });
});
