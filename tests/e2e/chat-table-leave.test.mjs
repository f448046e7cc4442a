// A long table streaming (its columns frozen meanwhile: src/markdown/table_freeze.rs) crossed with
// a reload and with leaving the page. After a reload mid-stream the partial answer is on screen,
// marked interrupted, its table laid out as a table again (no frozen class, no frozen column
// widths) with the same HTML as the same text opened in a fresh tab, and it is saved on the
// device. Leaving Chat mid-stream and coming back, the stream has gone on in the app's work; the
// table freezes again while it streams and ends as the whole answer opened at once.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { gatewayAndBrowser, lastAnswer, openApp, sendChat, storedAnswers } from './harness.mjs';

const rowsPast = (page, n) => page.waitForFunction(
  (rows) => ([...document.querySelectorAll('.message.assistant')].pop()?.querySelectorAll('table > tbody > tr').length ?? 0) > rows,
  n,
  { timeout: 30_000 },
);

/** A new chat in a new page whose answer, a long table, streams: past row 200 when this returns. */
async function tableStreaming(suite) {
  const page = await suite.browser.newPage();
  await page.setViewportSize({ width: 1280, height: 800 });
  await openApp(page, `${suite.gateway.url}/chat`);
  await page.click('#new-chat');
  await sendChat(page, 'Write one long table');
  const id = await page.locator('.conversation.selected').getAttribute('data-id');
  await rowsPast(page, 200);
  return { page, id };
}

/** The answer's markdown: its HTML (without the streaming marker of the open block) and what freezing leaves. */
function markdownState(markdown) {
  return {
    html: markdown.innerHTML.replaceAll(' md-tail', ''),
    frozen: markdown.querySelectorAll('.md-frozen').length,
    widths: [...markdown.querySelectorAll('[style]')].filter((e) => e.getAttribute('style').includes('--md-columns')).length,
    rows: markdown.querySelectorAll('table > tbody > tr').length,
  };
}

/** The same conversation opened in a fresh tab: its answer's markdown as rendered at once. */
async function openedWhole(suite, id) {
  const fresh = await suite.browser.newPage();
  await fresh.setViewportSize({ width: 1280, height: 800 });
  await openApp(fresh, `${suite.gateway.url}/chat`);
  await fresh.locator(`.conversation[data-id="${id}"] .conversation-title`).click();
  await fresh.locator(`.conversation.selected[data-id="${id}"]`).waitFor();
  await lastAnswer(fresh).locator('.markdown table').waitFor({ timeout: 20_000 });
  const state = await lastAnswer(fresh).locator('.markdown').evaluate(markdownState);
  assert.deepEqual(fresh.errors, []);
  await fresh.close();
  return state;
}

describe('a long table streaming, crossed with a reload and leaving the page', () => {
  const suite = gatewayAndBrowser(['--stream-rate', '1000', '--answer-shape', 'table', '--min-answer-chars', '40000']);

  test('a reload mid-table keeps the partial answer, interrupted, laid out as a table, and saved', async () => {
    const { page, id } = await tableStreaming(suite);
    assert.ok((await lastAnswer(page).locator('.markdown').evaluate(markdownState)).frozen > 0, 'frozen while it streams');
    // A checkpoint is written every 400 ms.
    await page.waitForTimeout(900);
    assert.equal(await lastAnswer(page).locator('.finish-reason').count(), 0, 'reloaded while it streams');

    await page.reload();
    await page.locator('header.nav').waitFor();
    await page.locator(`.conversation[data-id="${id}"] .conversation-title`).click();
    const answer = lastAnswer(page);
    await page.locator('.message.assistant[data-status="interrupted"] .markdown table').waitFor({ timeout: 20_000 });
    // Give a late freeze time to happen.
    await page.waitForTimeout(300);
    const after = await answer.locator('.markdown').evaluate(markdownState);
    assert.ok(after.rows > 200, `${after.rows} rows kept`);
    assert.equal(after.frozen, 0, 'no frozen table after the reload');
    assert.equal(after.widths, 0, 'no frozen column widths left');
    assert.equal(after.html, (await openedWhole(suite, id)).html, 'the same HTML as the text opened whole');

    const stored = await storedAnswers(page, id);
    assert.equal(stored.length, 1);
    assert.equal(stored[0].status, 'interrupted');
    assert.ok((stored[0].content.match(/\n\|/g) ?? []).length >= after.rows, 'the rows shown are on disk');
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  test('leaving Chat mid-table and coming back: the table streamed on, freezes again, and ends as opened whole', async () => {
    const { page, id } = await tableStreaming(suite);
    const atLeave = (await lastAnswer(page).locator('.markdown').evaluate(markdownState)).rows;

    await page.locator('header.nav nav a', { hasText: /^Models$/ }).click();
    await page.locator('.model-card').first().waitFor({ timeout: 20_000 });
    await page.waitForTimeout(300);
    await page.locator('header.nav nav a', { hasText: /^Chat$/ }).click();
    await page.locator(`.conversation.selected[data-id="${id}"]`).waitFor({ timeout: 20_000 });
    const answer = lastAnswer(page);
    await answer.locator('.markdown table').waitFor({ timeout: 20_000 });
    const back = await answer.locator('.markdown').evaluate(markdownState);
    assert.ok(back.rows > atLeave, `the table went on while away (${atLeave} -> ${back.rows} rows)`);
    if ((await answer.getAttribute('data-status')) === 'streaming') {
      // Still streaming: frozen again once it grows.
      await page.waitForFunction(() => !![...document.querySelectorAll('.message.assistant')].pop()?.querySelector('.markdown table.md-frozen') || !![...document.querySelectorAll('.message.assistant')].pop()?.querySelector('.finish-reason'), null, { timeout: 10_000 });
    }

    await page.locator('.message.assistant[data-status="complete"] .finish-reason').waitFor({ timeout: 60_000 });
    await page.waitForFunction(() => !document.querySelector('.markdown .md-frozen'), null, { timeout: 5_000 });
    const finished = await answer.locator('.markdown').evaluate(markdownState);
    assert.equal(finished.widths, 0, 'no frozen column widths left');
    assert.ok(finished.rows > 900, `${finished.rows} rows`);
    await page.locator('.conversation-list[aria-busy="false"]').waitFor();
    assert.equal(finished.html, (await openedWhole(suite, id)).html, 'the same HTML as the answer opened whole');
    assert.deepEqual((await storedAnswers(page, id)).map((answer) => answer.status), ['complete']);
    assert.deepEqual(page.errors, []);
    await page.close();
  });
});
