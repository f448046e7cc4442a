// A reload in the middle of work on Sample and Images loses nothing that had reached the page:
// the form as typed, and (Sample) every choice's text so far, marked interrupted, with the run
// one click away. Kept per tab: a second tab starts with its own empty forms and does not take
// the first tab's running work for interrupted.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { gatewayAndBrowser, injectFault, openApp, openSample, sampleTexts } from './harness.mjs';


describe('a reload mid-run on Sample', () => {
  const suite = gatewayAndBrowser(['--stream-rate', '15']);

  test('keeps the form and the text so far, marked interrupted; Sample runs it again', async () => {
    const page = await suite.browser.newPage();
    await openSample(page, suite.gateway.url);
    const prompt = 'The lighthouse keeper wrote in the log that';
    await page.fill('#sample-prompt', prompt);
    await page.fill('#sample-n', '2');
    await page.fill('#sample-temperature', '0.7');
    await page.click('#sample-run');
    await page.waitForFunction(() => [...document.querySelectorAll('.sample-choice .sample-text')].every((choice) => choice.textContent.length > 30), null, { timeout: 20_000 });
    // The run writes what it has every 400 ms.
    await page.waitForTimeout(900);
    const seen = await sampleTexts(page);

    // A second tab meanwhile: its own, empty form, and nothing of the first tab's run.
    const other = await suite.browser.newPage();
    await openSample(other, suite.gateway.url);
    assert.equal(await other.inputValue('#sample-prompt'), '');
    assert.equal(await other.locator('.sample-choice').count(), 0);
    assert.equal(await other.locator('.phase').getAttribute('data-phase'), 'idle');
    assert.deepEqual(other.errors, []);
    await other.close();

    await page.reload();
    await page.locator('#sample-prompt').waitFor();
    assert.equal(await page.inputValue('#sample-prompt'), prompt);
    assert.equal(await page.inputValue('#sample-n'), '2');
    assert.equal(await page.inputValue('#sample-temperature'), '0.7');
    assert.equal(await page.locator('.phase').getAttribute('data-phase'), 'interrupted');
    assert.match(await page.locator('.phase .status-note').textContent(), /Interrupted by a reload/);
    const kept = await sampleTexts(page);
    assert.equal(kept.length, 2);
    kept.forEach((text, index) => {
      assert.ok(text.length >= 30 && seen[index].startsWith(text.slice(0, 30)), `choice ${index + 1}: kept ${text.length} of ${seen[index].length} characters`);
    });
    assert.equal(await page.locator('.sample-choice[data-finished="true"]').count(), 0);

    // Run again: it finishes, and a finished run survives the next reload with its usage.
    await page.click('#sample-run');
    await page.locator('.phase[data-phase="done"]').waitFor({ timeout: 60_000 });
    const finished = await sampleTexts(page);
    await page.reload();
    await page.locator('.phase[data-phase="done"]').waitFor();
    assert.deepEqual(await sampleTexts(page), finished);
    assert.equal(await page.locator('.sample-choice[data-finished="true"]').count(), 2);
    assert.match(await page.locator('#sample-usage').textContent(), /completion/);
    assert.deepEqual(page.errors, []);
    await page.close();
  });
});

describe('a reload while an image is drawn', () => {
  const suite = gatewayAndBrowser(['--enable-faults']);

  test('keeps the form and says the images never arrived; Generate asks again', async () => {
    const page = await suite.browser.newPage();
    await injectFault(page, 'Image/CreateImage', 'delay-ms=5000', 1);
    await openApp(page, `${suite.gateway.url}/images`);
    await page.locator('#image-model option').first().waitFor({ state: 'attached', timeout: 20_000 });
    await page.fill('#image-prompt', 'A windmill at dusk');
    await page.click('#image-generate');
    await page.locator('.image-progress').waitFor();
    await page.reload();

    await page.locator('#image-prompt').waitFor();
    assert.equal(await page.inputValue('#image-prompt'), 'A windmill at dusk');
    const note = page.locator('#create-form ~ .status-note, .status-note', { hasText: 'Interrupted by a reload' });
    await note.waitFor();
    assert.match(await note.textContent(), /drawing 1 image\(s\).*never arrived/);
    assert.equal(await page.locator('.image-progress').count(), 0);

    await page.click('#image-generate');
    await page.locator('#create-result .generation', { hasText: 'A windmill at dusk' }).waitFor({ timeout: 20_000 });
    assert.equal(await note.count(), 0, 'the note goes when a new call starts');
    assert.deepEqual(page.errors, []);
    await page.close();
  });
});
