// A long table while it streams keeps its columns (src/markdown/table_freeze.rs: the browser then
// lays out only the rows that grow): every row stays aligned with the header and no cell's text
// is cut or spills into its neighbour, even where a cell is wider than its column was (the "#"
// column's numbers grow from two digits to four). Once the answer is finished, the table is laid
// out as the same answer opened whole: the same column widths, the same HTML.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { gatewayAndBrowser, lastAnswer, openApp, sendChat } from './harness.mjs';

/** The header's column edges and what is wrong with the rows' cells (first rows, and those of the last sections). */
function tableLayout(markdown) {
  const table = markdown.querySelector('table');
  const edges = (cell) => { const r = cell.getBoundingClientRect(); return [r.left, r.right]; };
  const header = [...table.querySelectorAll('thead th')].map(edges);
  const rows = [...table.querySelectorAll('tbody > tr')];
  const sample = [...rows.slice(0, 40), ...rows.slice(-100)];
  const problems = [];
  for (const row of sample) {
    [...row.cells].forEach((cell, column) => {
      const [left, right] = edges(cell);
      const [headerLeft, headerRight] = header[column];
      if (Math.abs(left - headerLeft) > 1 || Math.abs(right - headerRight) > 1) {
        problems.push(`row "${row.cells[0].textContent}" column ${column}: ${left}..${right}, header ${headerLeft}..${headerRight}`);
      }
      // The text drawn inside the cell's box: nothing cut off, nothing over the next cell.
      const range = document.createRange();
      range.selectNodeContents(cell);
      const text = range.getBoundingClientRect();
      const box = cell.getBoundingClientRect();
      const empty = cell.textContent.trim() === ''; // in the row being written
      const outside = text.left < box.left - 0.5 || text.right > box.right + 0.5 || text.top < box.top - 0.5 || text.bottom > box.bottom + 0.5;
      if ((!empty && outside) || cell.scrollWidth > cell.clientWidth + 1 || cell.scrollHeight > cell.clientHeight + 1) {
        problems.push(`row "${row.cells[0].textContent}" column ${column}: text ${text.left}..${text.right} outside ${box.left}..${box.right}`);
      }
    });
  }
  return {
    rows: rows.length,
    finished: !!markdown.closest('.message').querySelector('.finish-reason'),
    columns: header.map(([left, right]) => right - left),
    problems: problems.slice(0, 5),
  };
}

/** The answer's rendered markdown, without the streaming marker class of the open block. */
async function answerHtml(page) {
  return lastAnswer(page).locator('.markdown').evaluate((markdown) => markdown.innerHTML.replaceAll(' md-tail', ''));
}

describe('a long table streaming', () => {
  const suite = gatewayAndBrowser(['--stream-rate', '1000', '--answer-shape', 'table', '--min-answer-chars', '40000']);

  test('keeps its rows aligned with the header, no text cut, and ends as the table opened whole', async () => {
    const page = await suite.browser.newPage();
    await page.setViewportSize({ width: 1280, height: 800 });
    await openApp(page, `${suite.gateway.url}/chat`);
    await sendChat(page, 'Write one long table');
    const markdown = lastAnswer(page).locator('.markdown');
    // Past row 100, whose number is wider than the "#" column of the first rows; still streaming.
    await page.waitForFunction(() => [...document.querySelectorAll('.message.assistant')].pop().querySelectorAll('table > tbody > tr').length > 300);
    const streaming = await markdown.evaluate(tableLayout);
    assert.equal(streaming.finished, false, 'measured while the table streams');
    assert.deepEqual(streaming.problems, [], `while streaming, ${streaming.rows} rows`);

    await lastAnswer(page).locator('.finish-reason').waitFor({ timeout: 60_000 });
    // The table is a table again in the frames after the answer shows finished.
    await page.waitForFunction(() => !document.querySelector('.markdown table.md-frozen'), null, { timeout: 5_000 });
    const finished = await markdown.evaluate(tableLayout);
    assert.ok(finished.rows > 900, `${finished.rows} rows`);
    assert.deepEqual(finished.problems, []);
    const html = await answerHtml(page);

    // The same answer rendered at once.
    await page.reload();
    await lastAnswer(page).locator('.finish-reason').waitFor({ timeout: 20_000 });
    const whole = await lastAnswer(page).locator('.markdown').evaluate(tableLayout);
    assert.equal(whole.rows, finished.rows);
    finished.columns.forEach((width, column) => {
      assert.ok(Math.abs(width - whole.columns[column]) < 0.5, `column ${column}: ${width} px streamed, ${whole.columns[column]} px opened whole`);
    });
    assert.equal(await answerHtml(page), html);
    assert.deepEqual(page.errors, []);
    await page.close();
  });
});
