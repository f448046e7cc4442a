// If the app's wasm traps (every panic ends in a trap; the release build's std aborts without a
// message), the page says so with a banner and a Reload link, drawn by index.html without the
// app's code, and what was saved is still there after the reload. The trap here is a real one in
// the running app's own wasm instance: an allocation request no layout can hold, which
// wasm-bindgen's allocator answers by aborting.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { appErrors, gatewayAndBrowser, lastAnswer, openApp, sendChat } from './harness.mjs';

/** Makes the app's wasm trap, from a timer task (or from a promise's reaction). */
async function trapTheApp(page, { fromPromise = false } = {}) {
  await page.evaluate(async (fromPromise) => {
    const glue = /from '([^']+\.js)'/.exec(document.querySelector('script[type=module]').textContent)[1];
    const wasm = (await import(new URL(glue, document.baseURI).href)).initSync();
    const trap = () => wasm.__wbindgen_malloc(0xfffffff0, 4);
    if (fromPromise) Promise.resolve().then(trap); else setTimeout(trap);
  }, fromPromise);
}

describe('panic banner', () => {
  const suite = gatewayAndBrowser();

  test('a trap shows the banner; Reload brings the app back with the saved conversation', async () => {
    const page = await suite.browser.newPage();
    await openApp(page, `${suite.gateway.url}/chat#composer`);
    await sendChat(page, 'Remember this before the trap');
    await lastAnswer(page).locator('.finish-reason').waitFor({ timeout: 30_000 });
    // An ordinary script error is not the app failing: no banner.
    await page.evaluate(() => setTimeout(() => { throw new Error('some other script'); }));
    await page.waitForTimeout(300);
    assert.equal(await page.locator('#panic-banner').count(), 0);

    await trapTheApp(page);
    const banner = page.locator('#panic-banner[role="alert"]');
    await banner.waitFor({ timeout: 5_000 });
    assert.match(await banner.textContent(), /internal error.*saved on this device is kept/);
    assert.equal(await page.locator('#panic-banner').count(), 1);
    const reload = banner.locator('a.reload');
    assert.equal(await reload.getAttribute('href'), `${suite.gateway.url}/chat`, 'the page again, without its fragment');
    assert.ok(appErrors(page).some((error) => /RuntimeError/.test(error)), appErrors(page).join('\n'));

    page.errors.length = 0;
    await reload.click();
    await page.locator('header.nav').waitFor({ timeout: 20_000 });
    await page.locator('.message.user', { hasText: 'Remember this before the trap' }).waitFor();
    assert.equal(await page.locator('#panic-banner').count(), 0);
    assert.deepEqual(appErrors(page), []);
    await page.close();
  });

  test('a trap inside a promise shows the banner too', async () => {
    const page = await suite.browser.newPage();
    await openApp(page, `${suite.gateway.url}/models`);
    await trapTheApp(page, { fromPromise: true });
    await page.locator('#panic-banner[role="alert"]').waitFor({ timeout: 5_000 });
    assert.ok(appErrors(page).some((error) => /RuntimeError/.test(error)), appErrors(page).join('\n'));
    await page.close();
  });
});
