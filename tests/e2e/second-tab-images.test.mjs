// Images in two tabs of one browser: the history (IndexedDB) is shared, the forms and the calls
// in flight are each tab's own. A second tab opened while the first one draws neither takes nor
// overwrites the first tab's result; each generation is kept exactly once and shows in the other
// tab's history at once, and a reload of one tab leaves the other's work alone. Two tabs drawing
// at once each keep their own result; a delete in one goes from both.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { gatewayAndBrowser, injectFault, openImages } from './harness.mjs';

/** Waits until the history (below the forms) has been read from the device. */
async function historyLoaded(page) {
  await page.locator('#history').waitFor();
  await page.waitForFunction(() => !document.querySelector('#history .loading'));
}

/** The prompts of the history list, newest first. */
function historyPrompts(page) {
  return page.locator('#history .generation .generation-prompt').allTextContents();
}

/** The prompts of the generations kept in the browser's IndexedDB (every tab's), sorted. */
function storedPrompts(page) {
  return page.evaluate(() => new Promise((resolve, reject) => {
    const opening = indexedDB.open('xai-web-images');
    opening.onerror = () => reject(opening.error);
    opening.onsuccess = () => {
      const db = opening.result;
      const reading = db.transaction('generations').objectStore('generations').getAll();
      reading.onerror = () => reject(reading.error);
      reading.onsuccess = () => {
        db.close();
        resolve(reading.result.map((generation) => generation.prompt).sort());
      };
    };
  }));
}

/** Waits until the history list holds exactly `prompts` (newest first). */
async function expectHistory(page, prompts) {
  await page.waitForFunction(
    (expected) => JSON.stringify([...document.querySelectorAll('#history .generation .generation-prompt')].map((p) => p.textContent)) === JSON.stringify(expected),
    prompts,
    { timeout: 20_000 },
  ).catch(async () => assert.deepEqual(await historyPrompts(page), prompts));
}

const createResult = (page) => page.locator('#create-result .generation .generation-prompt');
const interruptedNote = (page) => page.locator('.status-note', { hasText: 'Interrupted by a reload' });

describe('Images in a second tab', () => {
  const suite = gatewayAndBrowser(['--enable-faults']);

  test('a second tab opened mid-generation keeps its own form; the result lands once, in the first tab, and in the second after a reload', async () => {
    const a = await suite.browser.newPage();
    await injectFault(a, 'Image/CreateImage', 'delay-ms=4000', 1);
    await openImages(a, suite.gateway.url);
    await a.fill('#image-prompt', 'A windmill at dusk');
    await a.fill('#image-count', '2');
    await a.click('#image-generate');
    await a.locator('.image-progress').waitFor();

    // B, while A draws: an empty form, no progress, nothing of A's call; it types its own prompt.
    const b = await suite.browser.newPage();
    await openImages(b, suite.gateway.url);
    await historyLoaded(b);
    assert.equal(await b.inputValue('#image-prompt'), '');
    assert.equal(await b.locator('.image-progress').count(), 0);
    assert.equal(await b.locator('#image-generate').isDisabled(), false);
    assert.equal(await interruptedNote(b).count(), 0);
    await b.fill('#image-prompt', 'A barn in snow');

    // A's result arrives in A, with A's form as typed there.
    await createResult(a).filter({ hasText: 'A windmill at dusk' }).waitFor({ timeout: 20_000 });
    assert.equal(await a.locator('#create-result img.generated').count(), 2);
    assert.equal(await a.inputValue('#image-prompt'), 'A windmill at dusk');
    assert.equal(await b.inputValue('#image-prompt'), 'A barn in snow');
    assert.equal(await createResult(b).count(), 0, "A's result is not B's");
    // B's history shows it at once, without a reload.
    await expectHistory(b, ['A windmill at dusk']);

    // B, reloaded: A's generation in the history once, B's form still B's, no note of a call.
    await b.reload();
    await historyLoaded(b);
    await expectHistory(b, ['A windmill at dusk']);
    assert.equal(await b.locator('#history .generation img.generated').count(), 2);
    assert.equal(await b.inputValue('#image-prompt'), 'A barn in snow');
    assert.equal(await interruptedNote(b).count(), 0);
    assert.deepEqual(await storedPrompts(b), ['A windmill at dusk']);

    // A reloaded while B is open: the finished generation, once, and A's form.
    await a.reload();
    await historyLoaded(a);
    await expectHistory(a, ['A windmill at dusk']);
    assert.equal(await a.inputValue('#image-prompt'), 'A windmill at dusk');
    assert.equal(await interruptedNote(a).count(), 0);

    // A reload of A mid-generation with B open: A keeps its form and says its images never
    // arrived; B's form and history are untouched, and nothing half-drawn is kept.
    await injectFault(a, 'Image/CreateImage', 'delay-ms=5000', 1);
    await a.fill('#image-prompt', 'A mill race in spring');
    await a.click('#image-generate');
    await a.locator('.image-progress').waitFor();
    await a.reload();
    await interruptedNote(a).waitFor();
    assert.equal(await a.inputValue('#image-prompt'), 'A mill race in spring');
    assert.equal(await a.locator('.image-progress').count(), 0);
    await historyLoaded(a);
    await expectHistory(a, ['A windmill at dusk']);
    await b.reload();
    await historyLoaded(b);
    assert.equal(await b.inputValue('#image-prompt'), 'A barn in snow');
    assert.equal(await interruptedNote(b).count(), 0);
    await expectHistory(b, ['A windmill at dusk']);
    assert.deepEqual(await storedPrompts(a), ['A windmill at dusk']);

    assert.deepEqual(a.errors, []);
    assert.deepEqual(b.errors, []);
    await a.close();
    await b.close();
  });

  test('two tabs drawing at once each keep their own result, and the history holds both once', async () => {
    const a = await suite.browser.newPage();
    const b = await suite.browser.newPage();
    await injectFault(a, 'Image/CreateImage', 'delay-ms=2500', 1);
    await injectFault(b, 'Image/CreateImage', 'delay-ms=2500', 1);
    for (const page of [a, b]) {
      await openImages(page, suite.gateway.url);
      await historyLoaded(page);
    }
    // The first test's generation is in the history already.
    const before = await storedPrompts(a);
    await a.fill('#image-prompt', 'A heron on one leg');
    await b.fill('#image-prompt', 'A kingfisher diving');
    await a.click('#image-generate');
    await b.click('#image-generate');
    await a.locator('.image-progress').waitFor();
    await b.locator('.image-progress').waitFor();

    await createResult(a).filter({ hasText: 'A heron on one leg' }).waitFor({ timeout: 20_000 });
    await createResult(b).filter({ hasText: 'A kingfisher diving' }).waitFor({ timeout: 20_000 });
    for (const [page, own] of [[a, 'A heron on one leg'], [b, 'A kingfisher diving']]) {
      await page.locator('.image-progress').waitFor({ state: 'detached' });
      assert.deepEqual(await createResult(page).allTextContents(), [own], "one result under the form, the tab's own");
    }
    assert.equal(await a.inputValue('#image-prompt'), 'A heron on one leg');
    assert.equal(await b.inputValue('#image-prompt'), 'A kingfisher diving');

    // Each tab's history shows the other's result live, once.
    await expectHistory(a, ['A kingfisher diving', ...before]);
    await expectHistory(b, ['A heron on one leg', ...before]);

    assert.deepEqual(await storedPrompts(a), [...before, 'A heron on one leg', 'A kingfisher diving'].sort());
    for (const page of [a, b]) {
      await page.reload();
      await historyLoaded(page);
      const prompts = await historyPrompts(page);
      assert.deepEqual([...prompts].sort(), [...before, 'A heron on one leg', 'A kingfisher diving'].sort(), 'each generation once');
      assert.equal(await interruptedNote(page).count(), 0);
    }

    // A delete in one tab goes from the other's history too, and from the device.
    await a.locator('#history .generation', { hasText: 'A heron on one leg' }).locator('.delete-generation').click();
    await expectHistory(b, (await historyPrompts(b)).filter((prompt) => prompt !== 'A heron on one leg'));
    assert.deepEqual(await storedPrompts(b), [...before, 'A kingfisher diving'].sort());
    assert.deepEqual(a.errors, []);
    assert.deepEqual(b.errors, []);
    await a.close();
    await b.close();
  });
});
