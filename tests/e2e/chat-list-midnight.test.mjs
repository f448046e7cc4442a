// The conversation list's date groups follow the clock: a tab left open past midnight shows
// the evening's chat under Yesterday without a reload. The page's clock is Playwright's fake one.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { appErrors, gatewayAndBrowser, openApp } from './harness.mjs';

/** An export file with one chat last changed at `updatedMs`. */
function exportFile(updatedMs) {
  const messages = [
    { id: 'u1', role: 'user', content: 'A question late in the evening', status: { state: 'complete' } },
    { id: 'a1', role: 'assistant', content: 'An answer before midnight', status: { state: 'complete' }, finish_reason: 'stop', model: 'grok-4' },
  ];
  return Buffer.from(JSON.stringify({ format: 'xai-web-conversations', version: 1, conversations: [
    { id: 'late', title: 'Late evening chat', created_ms: updatedMs, updated_ms: updatedMs, messages },
  ] }));
}

describe('chat list and the clock', () => {
  const suite = gatewayAndBrowser();

  test('a tab left open past midnight moves the evening\'s chat from Today to Yesterday', async () => {
    const page = await suite.browser.newPage();
    await page.setViewportSize({ width: 1280, height: 800 });
    // 23:59:00 local time (the browser's zone is this process's).
    const evening = new Date(2026, 11, 7, 23, 59, 0).getTime();
    await page.clock.install({ time: evening });
    await openApp(page, `${suite.gateway.url}/chat`);
    await page.setInputFiles('#import-file', { name: 'late.json', mimeType: 'application/json', buffer: exportFile(evening - 60_000) });
    const row = page.locator('.conversation[data-id="late"]');
    await row.waitFor();
    const heading = page.locator('.conversation-group', { has: row }).locator('.conversation-group-label');
    assert.equal(await heading.textContent(), 'Today');

    // Two minutes later it is tomorrow: the same tab, no reload.
    await page.clock.runFor(120_000);
    await page.waitForFunction(() => {
      const row = document.querySelector('.conversation[data-id="late"]');
      return row?.closest('.conversation-group')?.querySelector('.conversation-group-label')?.textContent === 'Yesterday';
    }, null, { timeout: 10_000 });
    assert.deepEqual(appErrors(page), []);
    await page.close();
  });
});
