// Raw sampling in a real browser against the real gateway: n streamed choices grow side by side
// and finish with a reason and a cost; Stop aborts the call at the gateway; the unary call gives
// the same shape; bad parameters and a failing service show errors; UNAVAILABLE before the first
// chunk is retried with a visible backoff that Stop cancels.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { gatewayAndBrowser, injectFault, openSample, sampleTexts, startBrowser, startGateway } from './harness.mjs';


describe('raw sampling', () => {
  const suite = gatewayAndBrowser(['--stream-rate', '15']);

  test('n=3 streaming: three choices grow side by side, each ends with a finish reason, then usage and cost', async () => {
    const page = await suite.browser.newPage();
    await openSample(page, suite.gateway.url);
    await page.fill('#sample-prompt', 'The old lighthouse keeper opened the door and');
    await page.fill('#sample-n', '3');
    assert.equal(await page.isChecked('#sample-stream'), true, 'streaming is the default');
    await page.click('#sample-run');
    await page.waitForFunction(() => {
      const all = [...document.querySelectorAll('.sample-choice .sample-text')];
      return all.length === 3 && all.every((node) => node.textContent.length > 0);
    }, null, { timeout: 15_000 });
    const early = await sampleTexts(page);
    assert.equal(await page.locator('.phase').getAttribute('data-phase'), 'streaming');
    assert.equal(await page.locator('.sample-choice[data-finished="true"]').count(), 0, 'nothing finished yet');
    await page.waitForTimeout(600);
    const later = await sampleTexts(page);
    for (let i = 0; i < 3; i += 1) {
      assert.ok(later[i].length > early[i].length && later[i].startsWith(early[i]), `choice ${i + 1} grows: ${early[i].length} -> ${later[i].length}`);
    }
    assert.notEqual(later[0], later[1], 'the choices differ');
    await page.locator('.phase[data-phase="done"]').waitFor({ timeout: 30_000 });
    assert.equal(await page.locator('.sample-choice[data-finished="true"]').count(), 3);
    const reasons = await page.locator('.sample-choice .finish-reason').allTextContents();
    assert.deepEqual(reasons, ['Finished: stop', 'Finished: stop', 'Finished: stop']);
    assert.match(await page.locator('#sample-usage').textContent(), /\d+ prompt \+ \d+ completion = \d+ tokens · cost \$0\.\d*[1-9]/);
    // Three columns side by side at desktop width.
    const tops = await page.locator('.sample-choice').evaluateAll((nodes) => nodes.map((n) => Math.round(n.getBoundingClientRect().top)));
    assert.equal(new Set(tops).size, 1, `one row: ${tops}`);
    // At phone width they wrap to one column, and nothing is wider than the screen.
    await page.setViewportSize({ width: 390, height: 844 });
    const stacked = await page.locator('.sample-choice').evaluateAll((nodes) => nodes.map((n) => Math.round(n.getBoundingClientRect().top)));
    assert.equal(new Set(stacked).size, 3, `three rows: ${stacked}`);
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth) <= 390);
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  test('Stop aborts the stream at the gateway and keeps the text so far', async () => {
    const page = await suite.browser.newPage();
    await openSample(page, suite.gateway.url);
    await page.fill('#sample-prompt', 'A long story about a patient cartographer');
    await page.fill('#sample-n', '2');
    await page.click('#sample-run');
    await page.waitForFunction(() => (document.querySelector('.sample-choice .sample-text')?.textContent ?? '').length > 10, null, { timeout: 15_000 });
    await page.click('#sample-stop');
    await page.locator('.phase[data-phase="stopped"]').waitFor();
    const kept = await sampleTexts(page);
    await page.waitForTimeout(800);
    assert.deepEqual(await sampleTexts(page), kept, 'nothing arrives after Stop');
    assert.ok(kept[0].length > 10);
    assert.equal(await page.locator('.sample-choice .finish-reason').count(), 0, 'stopped choices have no finish reason');
    const deadline = Date.now() + 5000;
    while (!/RawSampleStream finished: status cancelled/.test(suite.gateway.log()) && Date.now() < deadline) await page.waitForTimeout(100);
    assert.match(suite.gateway.log(), /Sample\/RawSampleStream finished: status cancelled/);
    await page.close();
  });

  test('without streaming: the unary call returns n whole choices; max tokens and the seed reach the server', async () => {
    const page = await suite.browser.newPage();
    await openSample(page, suite.gateway.url);
    await page.fill('#sample-prompt', 'Rain over the harbour');
    await page.fill('#sample-n', '2');
    await page.fill('#sample-max-tokens', '4');
    await page.fill('#sample-seed', '7');
    await page.fill('#sample-temperature', '0.5');
    await page.uncheck('#sample-stream');
    await page.click('#sample-run');
    await page.locator('.phase[data-phase="done"]').waitFor({ timeout: 15_000 });
    assert.equal(await page.locator('.sample-choice').count(), 2);
    assert.deepEqual(await page.locator('.sample-choice .finish-reason').allTextContents(), ['Finished: max tokens reached', 'Finished: max tokens reached']);
    assert.match(await page.locator('#sample-usage').textContent(), /\+ 8 completion = \d+ tokens · cost \$0\.\d*[1-9]/);
    assert.match(suite.gateway.log(), /call xai_api\.Sample\/RawSample finished: status 0/);
    await page.close();
  });

  test('bad parameters are refused before sending, with every problem named and the prompt kept', async () => {
    const page = await suite.browser.newPage();
    await openSample(page, suite.gateway.url);
    await page.fill('#sample-prompt', 'Keep me');
    await page.fill('#sample-temperature', '5');
    await page.fill('#sample-n', '11');
    const before = (suite.gateway.log().match(/Sample\/RawSample/g) ?? []).length;
    await page.click('#sample-run');
    const problems = page.locator('#sample-problems');
    await problems.waitFor();
    assert.match(await problems.textContent(), /temperature must be a number from 0 to 2/);
    assert.match(await problems.textContent(), /choices must be a whole number from 1 to 10/);
    assert.equal(await page.inputValue('#sample-prompt'), 'Keep me');
    assert.equal((suite.gateway.log().match(/Sample\/RawSample/g) ?? []).length, before, 'nothing was sent');
    await page.close();
  });
});

const streamCalls = (gateway, status) => (gateway.log().match(new RegExp(`Sample/RawSampleStream finished: status ${status}\\b`, 'g')) ?? []).length;


/** Records every phase the page shows (name and text), however briefly. */
async function recordPhases(page) {
  await page.evaluate(() => {
    const phase = document.querySelector('.phase');
    window.seenPhases = [];
    const note = () => window.seenPhases.push(`${phase.dataset.phase}: ${phase.textContent}`);
    new MutationObserver(note).observe(phase, { attributes: true, childList: true, subtree: true, characterData: true });
  });
}

describe('raw sampling retries before the first chunk', () => {
  const suite = gatewayAndBrowser(['--stream-rate', '30', '--enable-faults']);

  test('two UNAVAILABLE tries show "retrying", then the choices stream and finish', async () => {
    const page = await suite.browser.newPage();
    await injectFault(page, 'Sample/RawSampleStream', 'status=unavailable', 2);
    await openSample(page, suite.gateway.url);
    await page.fill('#sample-prompt', 'Try, try again');
    await page.fill('#sample-n', '2');
    await recordPhases(page);
    await page.click('#sample-run');
    await page.locator('.phase[data-phase="done"]').waitFor({ timeout: 30_000 });
    const seen = await page.evaluate(() => window.seenPhases);
    const retrying = seen.filter((entry) => entry.startsWith('retrying:'));
    assert.ok(retrying.length >= 2, `two retry waits shown: ${seen.join(' | ')}`);
    assert.match(retrying[0], /retrying in \d+\.\d s \(retry 1\); Stop cancels/);
    assert.ok(retrying.some((entry) => /\(retry 2\)/.test(entry)), retrying.join(' | '));
    assert.equal(await page.locator('.sample-choice[data-finished="true"]').count(), 2);
    const choices = await sampleTexts(page);
    assert.ok(choices.every((text) => text.length > 0), 'both choices have text');
    assert.equal(streamCalls(suite.gateway, 14), 2, 'two failed tries reached the gateway');
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  test('Stop while retrying cancels: no more tries, the run ends stopped and can be sent again', async () => {
    const page = await suite.browser.newPage();
    await injectFault(page, 'Sample/RawSampleStream', 'status=unavailable');
    await openSample(page, suite.gateway.url);
    await page.fill('#sample-prompt', 'Never reachable');
    await page.click('#sample-run');
    await page.locator('.phase[data-phase="retrying"]').waitFor({ timeout: 15_000 });
    assert.equal(await page.isDisabled('#sample-run'), true, 'busy while retrying');
    await page.click('#sample-stop');
    await page.locator('.phase[data-phase="stopped"]').waitFor();
    const tries = streamCalls(suite.gateway, 14);
    await page.waitForTimeout(2500);
    assert.equal(streamCalls(suite.gateway, 14), tries, 'no try after Stop');
    assert.equal(await page.locator('.phase').getAttribute('data-phase'), 'stopped');
    assert.equal(await page.isDisabled('#sample-run'), false, 'the user can send again');
    assert.equal(await page.inputValue('#sample-prompt'), 'Never reachable');
    await page.close();
  });
});

describe('raw sampling (failing service)', () => {
  test('a RawSampleStream status that is not retried (INTERNAL) shows the error state at once', async () => {
    const gateway = await startGateway(['--enable-faults', '--fault', 'Sample/RawSampleStream:status=INTERNAL']);
    const browser = await startBrowser();
    try {
      const page = await browser.newPage();
      await openSample(page, gateway.url);
      await page.fill('#sample-prompt', 'Anything at all');
      await page.click('#sample-run');
      const error = page.locator('.phase[data-phase="failed"] .error');
      await error.waitFor({ timeout: 15_000 });
      assert.equal(await error.getAttribute('data-code'), '13');
      assert.equal(await page.locator('.sample-choice .finish-reason').count(), 0);
      assert.equal(await page.isDisabled('#sample-run'), false, 'the user can send again');
      await page.close();
    } finally {
      await browser.stop();
      await gateway.stop();
    }
  });
});
