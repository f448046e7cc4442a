// A tab opened from another (Chrome's "Duplicate tab", or window.open) starts with a copy of its
// sessionStorage, where Images and Sample keep the work in progress that a reload cut short. A
// copy made while the first tab's call runs must not take that call for interrupted: it runs on,
// in the first tab, and lands there. (Before, the copy said "Interrupted by a reload … never
// arrived" on Images, and showed Sample's run so far as interrupted.) A reload of the first tab
// still says its own call was cut short.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyOf, gatewayAndBrowser, injectFault, openImages, openSample, sampleTexts } from './harness.mjs';

/** In the page: whether the tab's storage holds a running Sample run with some text. */
function savedRunning() {
  const run = JSON.parse(sessionStorage.getItem('xai-web.sample') ?? '{}').run;
  return run?.end === 'running' && (run.choices?.[0]?.text ?? '').length > 0;
}

const interruptedNote = (page) => page.locator('.status-note', { hasText: 'Interrupted by a reload' });

describe('a copy of a tab while its work runs', () => {
  const suite = gatewayAndBrowser(['--enable-faults', '--stream-rate', '15']);

  test('Images: the copy has the form, no progress and no "interrupted"; the result lands in the first tab', async () => {
    const a = await suite.browser.newPage();
    await injectFault(a, 'Image/CreateImage', 'delay-ms=4000', 1);
    await openImages(a, suite.gateway.url);
    await a.fill('#image-prompt', 'A tide mill at noon');
    await a.click('#image-generate');
    await a.locator('.image-progress').waitFor();

    const copy = await copyOf(a, suite.browser.context);
    await copy.locator('#image-prompt').waitFor();
    assert.equal(await copy.inputValue('#image-prompt'), 'A tide mill at noon', 'the copy starts from the form as it was');
    assert.equal(await interruptedNote(copy).count(), 0, "the first tab's call runs on: not interrupted");
    assert.equal(await copy.locator('.image-progress').count(), 0);
    assert.equal(await copy.locator('#image-generate').isDisabled(), false);

    await a.locator('#create-result .generation', { hasText: 'A tide mill at noon' }).waitFor({ timeout: 20_000 });
    await copy.reload();
    await copy.locator('#history .generation', { hasText: 'A tide mill at noon' }).waitFor({ timeout: 20_000 });
    assert.equal(await interruptedNote(copy).count(), 0);

    // The first tab's own reload mid-call still says so.
    await injectFault(a, 'Image/CreateImage', 'delay-ms=5000', 1);
    await a.click('#image-generate');
    await a.locator('.image-progress').waitFor();
    await a.reload();
    await interruptedNote(a).waitFor({ timeout: 20_000 });
    assert.deepEqual(copy.errors, []);
    assert.deepEqual(a.errors, []);
    await copy.close();
    await a.close();
  });

  test('Sample: the copy has the form and no run; the run goes on and finishes in the first tab', async () => {
    const a = await suite.browser.newPage();
    await openSample(a, suite.gateway.url);
    await a.fill('#sample-prompt', 'The canal boat drifted past the lock and');
    await a.click('#sample-run');
    await a.waitForFunction(() => (document.querySelector('.sample-choice .sample-text')?.textContent ?? '').length > 30, null, { timeout: 20_000 });
    // The run writes what it has every 400 ms: wait until the tab's storage holds some of it.
    await a.waitForFunction(savedRunning, null, { timeout: 10_000 });

    const copy = await copyOf(a, suite.browser.context);
    await copy.locator('#sample-prompt').waitFor();
    assert.equal(await copy.inputValue('#sample-prompt'), 'The canal boat drifted past the lock and');
    assert.equal(await copy.locator('.phase').getAttribute('data-phase'), 'idle', "the first tab's run is not this one's, nor interrupted");
    assert.equal(await copy.locator('.sample-choice').count(), 0);

    assert.equal(await a.locator('.phase').getAttribute('data-phase'), 'streaming');
    await a.locator('.phase[data-phase="done"]').waitFor({ timeout: 60_000 });
    assert.equal((await sampleTexts(a)).length, 1);

    // The first tab's own reload mid-run still keeps the text so far, interrupted.
    await a.click('#sample-run');
    await a.waitForFunction(savedRunning, null, { timeout: 20_000 });
    await a.reload();
    await a.locator('.phase[data-phase="interrupted"]').waitFor({ timeout: 20_000 });
    assert.deepEqual(copy.errors, []);
    assert.deepEqual(a.errors, []);
    await copy.close();
    await a.close();
  });
});
