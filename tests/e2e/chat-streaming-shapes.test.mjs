// Streaming answers of hard shapes (the gateway's --answer-shape), paced at 400 deltas a second:
// a long code block streamed shows exactly what the same answer shows when opened whole, and a
// 1 MB line of hostile markup streams without freezing the page (typing shows, Stop stops) and
// stays inert.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { gatewayAndBrowser, lastAnswer, openApp, sendChat } from './harness.mjs';

/** The answer's rendered markdown, without the streaming marker class of the open block. */
async function answerHtml(page) {
  return lastAnswer(page).locator('.markdown').evaluate((markdown) => markdown.innerHTML.replaceAll(' md-tail', ''));
}

describe('a long code block streamed', () => {
  const suite = gatewayAndBrowser(['--stream-rate', '400', '--answer-shape', 'code', '--min-answer-chars', '12000']);

  test('renders exactly as the finished answer opened whole', async () => {
    const page = await suite.browser.newPage();
    await openApp(page, `${suite.gateway.url}/chat`);
    await sendChat(page, 'Write one long file');
    // Mid-stream the code block is already there, growing.
    await page.waitForFunction(() => ([...document.querySelectorAll('.message.assistant')].pop()?.querySelector('pre code')?.textContent.length ?? 0) > 2_000, null, { timeout: 20_000 });
    const answer = lastAnswer(page);
    await answer.locator('.finish-reason').waitFor({ timeout: 60_000 });
    const streamed = await answerHtml(page);
    const code = await answer.locator('pre code').textContent();
    assert.ok(code.length > 11_000, `${code.length} characters of code`);
    assert.equal(await answer.locator('.code-block').count(), 1, 'one code block');
    assert.ok(await answer.locator('pre code .hl-kw').count() > 100, 'highlighted');
    // Opened again (rendered from storage in one go), the answer is the same HTML.
    await page.reload();
    await lastAnswer(page).locator('.finish-reason').waitFor({ timeout: 20_000 });
    assert.equal(await answerHtml(page), streamed);
    await page.close();
  });
});

describe('a 1 MB line streamed', () => {
  const suite = gatewayAndBrowser(['--stream-rate', '400', '--answer-shape', 'line', '--min-answer-chars', '1000000', '--delta-chars', '64']);

  test('does not freeze the page: typing shows and Stop stops; the markup stays inert', async () => {
    const page = await suite.browser.newPage();
    await openApp(page, `${suite.gateway.url}/chat`);
    await sendChat(page, 'Say something big');
    const answer = lastAnswer(page);
    // Well into the line (past the point where it is shown as plain text in slices).
    await page.waitForFunction(() => ([...document.querySelectorAll('.message.assistant')].pop()?.querySelector('.answer-text')?.textContent.length ?? 0) > 500_000, null, { timeout: 90_000 });
    // Each key typed shows in the composer within a frame or two: from the key's own time stamp
    // to the next frame after its event was handled.
    await page.evaluate(() => {
      window.__lags = [];
      document.addEventListener('keydown', (event) => {
        requestAnimationFrame(() => window.__lags.push(performance.now() - event.timeStamp));
      }, { capture: true });
    });
    await page.click('#chat-prompt');
    await page.keyboard.type('responsive', { delay: 30 });
    await page.waitForTimeout(100);
    assert.equal(await page.inputValue('#chat-prompt'), 'responsive');
    const lags = await page.evaluate(() => window.__lags);
    assert.equal(lags.length, 10);
    assert.ok(Math.max(...lags) < 50, `key to frame: ${lags.map((lag) => lag.toFixed(0)).join(', ')} ms`);
    // Stop stops within a moment.
    const stopped = Date.now();
    await page.click('#chat-stop');
    await page.locator('.phase[data-phase="stopped"]').waitFor({ timeout: 2_000 });
    assert.ok(Date.now() - stopped < 2_000, `Stop took ${Date.now() - stopped} ms`);
    assert.equal(await answer.getAttribute('data-status'), 'stopped');
    const text = await answer.locator('.answer-text').textContent();
    assert.ok(text.length > 500_000 && text.length < 1_000_000, `${text.length} characters before Stop`);
    assert.ok(text.startsWith('<b onmouseover="window.__xss=1">x</b>'), 'shown as text');
    assert.equal(await answer.locator('.answer-text b').count(), 0, 'no markup from the model');
    await answer.locator('.long-line').hover();
    assert.equal(await page.evaluate(() => window.__xss), undefined);
    await page.close();
  });
});
