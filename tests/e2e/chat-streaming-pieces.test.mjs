// A long table and a long list streamed (paced at 1,000 deltas a second, so the page renders
// many deltas per frame) show exactly what the same answer shows when opened whole: the table
// in sections of rows (several <tbody>), still one focusable table with its header.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { gatewayAndBrowser, lastAnswer, openApp, sendChat } from './harness.mjs';

/** The answer's rendered markdown, without the streaming marker class of the open block. */
async function answerHtml(page) {
  return lastAnswer(page).locator('.markdown').evaluate((markdown) => markdown.innerHTML.replaceAll(' md-tail', ''));
}

for (const shape of ['table', 'list']) {
  describe(`a long ${shape} streamed`, () => {
    const suite = gatewayAndBrowser(['--stream-rate', '1000', '--answer-shape', shape, '--min-answer-chars', '20000']);

    test('renders exactly as the finished answer opened whole', async () => {
      const page = await suite.browser.newPage();
      await openApp(page, `${suite.gateway.url}/chat`);
      await sendChat(page, `Write one long ${shape}`);
      const answer = lastAnswer(page);
      await answer.locator('.finish-reason').waitFor({ timeout: 60_000 });
      // A long table's columns, frozen while it streamed, are thawed in the frames after the end.
      await page.waitForFunction(() => !document.querySelector('.markdown table.md-frozen'), null, { timeout: 5_000 });
      const streamed = await answerHtml(page);
      if (shape === 'table') {
        assert.equal(await answer.locator('table').count(), 1, 'one table');
        assert.equal(await answer.locator('table[tabindex="0"] > thead').count(), 1, 'focusable, with its header');
        const bodies = await answer.locator('table > tbody').count();
        const rows = await answer.locator('table > tbody > tr').count();
        assert.ok(rows > 100, `${rows} rows`);
        assert.equal(bodies, Math.ceil(rows / 32), `${rows} rows in sections of 32`);
      } else {
        assert.equal(await answer.locator('.answer-text ul, .answer-text ol').count(), 1, 'one list');
        assert.ok(await answer.locator('li').count() > 100);
      }
      // Opened again (rendered from storage in one go), the answer is the same HTML.
      await page.reload();
      await lastAnswer(page).locator('.finish-reason').waitFor({ timeout: 20_000 });
      assert.equal(await answerHtml(page), streamed);
      await page.close();
    });
  });
}
