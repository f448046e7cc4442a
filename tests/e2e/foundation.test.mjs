// The foundation in a real browser: the app loads from the gateway, lists the gateway's models,
// completes a unary and a streaming call, shows UNAUTHENTICATED for a wrong key, and survives a
// trailer frame split across writes.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { gatewayAndBrowser, lastAnswer, openApp, sendChat } from './harness.mjs';

describe('app on the local gateway', () => {
  // A slow stream (40 tokens/s) so the test can watch the answer grow.
  const suite = gatewayAndBrowser(['--stream-rate', '40']);

  test('the app loads with every page in the navigation', async () => {
    const page = await suite.browser.newPage();
    await openApp(page, suite.gateway.url);
    const links = await page.locator('header.nav nav a').allTextContents();
    assert.deepEqual(links, ['Chat', 'Images', 'Models', 'Batches', 'Keys', 'Sample', 'Settings']);
    assert.equal(await page.title(), 'Chat — xai-web');
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  test('Models lists the gateway models, with a detail view', async () => {
    const page = await suite.browser.newPage();
    await openApp(page, `${suite.gateway.url}/models`);
    const cards = page.locator('.model-card');
    await cards.first().waitFor();
    const names = await cards.evaluateAll((nodes) => nodes.map((n) => n.dataset.model));
    assert.ok(names.includes('grok-4'), `models: ${names}`);
    assert.ok(names.length >= 4, `models: ${names}`);
    assert.ok(await page.getByText('Image generation').count() > 0, 'an image generation model is listed');

    // Filter to image input (vision): text-only models disappear.
    await page.selectOption('#model-input', 'image');
    const vision = await page.locator('.model-card').evaluateAll((nodes) => nodes.map((n) => n.dataset.model));
    assert.ok(vision.includes('grok-4') && vision.length < names.length, `vision: ${vision}`);

    await page.locator('.model-card a', { hasText: 'grok-4' }).first().click();
    await page.waitForURL(/\/models\/grok-4$/);
    await page.locator('.model-detail h1', { hasText: 'grok-4' }).waitFor();
    const facts = await page.locator('.model-detail .facts').textContent();
    assert.match(facts, /Context length/);
    assert.match(facts, /\$\d+\.\d\d \/ 1M tokens/);
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  test('a unary chat call completes with finish reason, tokens and cost', async () => {
    const page = await suite.browser.newPage();
    await openApp(page, `${suite.gateway.url}/chat`);
    await page.uncheck('#chat-stream');
    await sendChat(page, 'How do I read a file in Rust?');
    const answer = lastAnswer(page);
    await answer.locator('.finish-reason').waitFor({ timeout: 20_000 });
    const text = await answer.locator('.answer-text').textContent();
    assert.ok(text.length > 100, `answer: ${text}`);
    // The markdown answer renders: a code block with its language label and copy button.
    const code = answer.locator('.answer-text .code-block');
    assert.ok(await code.count() >= 1, 'the answer has a rendered code block');
    assert.ok((await code.first().getAttribute('data-lang')).length > 0);
    assert.equal(await code.first().locator('button.copy-code').count(), 1);
    assert.ok(await code.first().locator('.hl-kw').count() > 0, 'the code is highlighted');
    assert.match(await answer.locator('.finish-reason').textContent(), /stop/);
    assert.match(await answer.locator('.cost').textContent(), /\$/);
    await page.close();
  });

  test('a streaming chat call grows in several steps and ends cleanly', async () => {
    const page = await suite.browser.newPage();
    await openApp(page, `${suite.gateway.url}/chat`);
    await sendChat(page, 'Explain ownership in Rust');
    const answer = lastAnswer(page);
    const lengths = new Set();
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline && !(await answer.locator('.finish-reason').count())) {
      const current = (await answer.locator('.answer-text').textContent().catch(() => '')) ?? '';
      if (current.length) lengths.add(current.length);
      await page.waitForTimeout(100);
    }
    assert.ok(await answer.locator('.finish-reason').count(), 'the stream finished');
    assert.ok(lengths.size >= 3, `the answer grew in ${lengths.size} observed steps`);
    const final = await answer.locator('.answer-text').textContent();
    assert.ok([...lengths].every((length) => length <= final.length));
    assert.equal(await page.locator('.error').count(), 0);
    await page.close();
  });

  test('a wrong key shows the UNAUTHENTICATED state with a way to Settings', async () => {
    const page = await suite.browser.newPage();
    const wrongKey = 'xai-wrong-key-0123456789abcdefghij';
    await openApp(page, `${suite.gateway.url}/settings`);
    await page.fill('#api-key', wrongKey);
    // Client-side navigation keeps the in-memory key.
    await page.click('header.nav a[href$="/models"]');
    const error = page.locator('.error[data-code="16"]');
    await error.waitFor({ timeout: 20_000 });
    assert.match(await error.textContent(), /Authentication failed/);
    assert.match(await error.textContent(), /UNAUTHENTICATED \(16\)/);
    assert.equal(await error.getAttribute('data-kind'), 'service');
    assert.ok(!(await page.content()).includes(wrongKey.slice(8)), 'the key is not on the page');
    assert.ok(!page.url().includes(wrongKey.slice(8)), 'the key is not in the URL');
    await error.locator('a', { hasText: 'Open Settings' }).click();
    await page.waitForURL(/\/settings$/);
    // Not ticked "remember": the key is not in localStorage.
    const stored = await page.evaluate(() => JSON.stringify(localStorage));
    assert.ok(!stored.includes(wrongKey.slice(8)));
    assert.ok(!suite.gateway.log().includes(wrongKey.slice(8)), 'the gateway did not log the key');
    await page.close();
  });

  test('an unreachable endpoint is a transport failure, not a service answer', async () => {
    const page = await suite.browser.newPage();
    await openApp(page, `${suite.gateway.url}/settings`);
    await page.fill('#endpoint', 'http://127.0.0.1:9/');
    await page.click('#check-connection');
    const error = page.locator('.check-result .error');
    await error.waitFor({ timeout: 20_000 });
    assert.equal(await error.getAttribute('data-kind'), 'transport');
    assert.match(await error.textContent(), /Cannot reach the service/);
    // The endpoint is remembered on this device: put the default back for later tests.
    await page.fill('#endpoint', '');
    await page.close();
  });
});

describe('faults', () => {
  const suite = gatewayAndBrowser(['--stream-rate', '0', '--enable-faults', '--fault', 'split-trailer']);

  test('a stream whose trailer frame is split across writes still ends cleanly', async () => {
    const page = await suite.browser.newPage();
    await openApp(page, `${suite.gateway.url}/chat`);
    await sendChat(page, 'Say hello');
    const answer = lastAnswer(page);
    await answer.locator('.finish-reason').waitFor({ timeout: 20_000 });
    assert.deepEqual(await page.locator('.error').allTextContents(), []);
    assert.equal(await answer.getAttribute('data-status'), 'complete');
    assert.ok((await answer.locator('.answer-text').textContent()).length > 50);
    await page.close();
  });
});
