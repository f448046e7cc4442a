// Batches in a real browser against the real gateway: a batch written in the page runs to done
// and shows its results; polling stops when the batch is done and when the page is left; cancel
// asks first and leaves the batch cancelled; the list pages with tokens; a failing service shows
// the error state.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { gatewayAndBrowser, openApp, startBrowser, startGateway } from './harness.mjs';

/** How many calls of `method` (e.g. "BatchMgmt/GetBatch") the gateway's call log shows. */
function calls(gateway, method) {
  return gateway.log().split('\n').filter((line) => line.includes(`call xai_api.${method} finished`)).length;
}

/** Fills the create form and waits until the page says the batch exists. */
async function createBatch(page, name, lines) {
  await page.locator('#batch-chat-model option').first().waitFor({ state: 'attached', timeout: 20_000 });
  await page.fill('#batch-name', name);
  await page.fill('#batch-lines', lines);
  await page.click('#batch-create');
  await page.locator('.created a', { hasText: name }).waitFor({ timeout: 10_000 });
}

const card = (page, name) => page.locator('.batch-card', { has: page.locator('a', { hasText: new RegExp(`^${name}$`) }) });

describe('batches (fast worker)', () => {
  const suite = gatewayAndBrowser(['--batch-interval-ms', '150']);

  test('bad lines are refused with the line at fault and nothing is lost', async () => {
    const page = await suite.browser.newPage();
    await openApp(page, `${suite.gateway.url}/batches`);
    await page.locator('.batches .empty', { hasText: 'No batches yet' }).waitFor();
    await page.locator('#batch-chat-model option').first().waitFor({ state: 'attached' });
    await page.fill('#batch-name', 'Broken');
    await page.fill('#batch-lines', 'fine line\nimage:   \n');
    await page.click('#batch-create');
    await page.locator('.draft-errors', { hasText: 'line 2: the prompt after the prefix is empty' }).waitFor();
    assert.equal(await page.inputValue('#batch-lines'), 'fine line\nimage:   \n', 'the lines stay as typed');
    assert.equal(await page.inputValue('#batch-name'), 'Broken');
    assert.equal(calls(suite.gateway, 'BatchMgmt/CreateBatch'), 0, 'nothing was sent');
    await page.close();
  });

  test('a batch written in the page runs to done and shows results, errors and cost; polling then stops', async () => {
    const page = await suite.browser.newPage();
    await openApp(page, `${suite.gateway.url}/batches`);
    const lines = [
      'Name three rivers',
      'chat: Why is the sky blue?',
      'image: a lighthouse at dusk',
      'Describe <img src=x onerror="window.__pwned=1"> a harmless tag',
    ].join('\n');
    await createBatch(page, 'Quick batch', lines);
    const quick = card(page, 'Quick batch');
    await quick.waitFor();
    // The bar moves while the worker runs (four requests, one per 150 ms), then the batch is done.
    await page.waitForFunction(() => document.querySelector('.batch-card[data-status="done"]'), null, { timeout: 20_000 });
    assert.equal(await quick.locator('.bar').getAttribute('data-percent'), '100');
    assert.match(await quick.locator('.progress-text').textContent(), /100 % · 4 of 4 done/);
    assert.match(await quick.textContent(), /Cost: \$0\.\d*[1-9]/);
    assert.equal(await quick.locator('.cancel-batch').count(), 0, 'a finished batch cannot be cancelled');

    // Polling stopped with the batch done: the list is not fetched again.
    await page.waitForTimeout(500);
    const listed = calls(suite.gateway, 'BatchMgmt/ListBatches');
    await page.waitForTimeout(3000);
    assert.equal(calls(suite.gateway, 'BatchMgmt/ListBatches'), listed, 'no ListBatches after the batch is done');

    await quick.locator('a').click();
    await page.waitForURL(/\/batches\/batch/);
    await page.locator('.batch-summary[data-status="done"]').waitFor();
    await page.locator('.batch-result').nth(3).waitFor();
    assert.equal(await page.locator('.batch-result').count(), 4);
    const outcomes = await page.locator('.batch-result').evaluateAll((nodes) => nodes.map((n) => [n.dataset.request, n.dataset.outcome]));
    assert.deepEqual(outcomes, [['request-1', 'answer'], ['request-2', 'answer'], ['request-3', 'image'], ['request-4', 'answer']]);
    assert.ok((await page.locator('.batch-result[data-request="request-1"] .result-text').textContent()).length > 20);
    assert.match(await page.locator('.batch-result[data-request="request-1"] .result-usage').textContent(), /cost \$0\.\d+/);
    const image = page.locator('.batch-result[data-request="request-3"] img.generated');
    assert.match(await image.getAttribute('src'), /^data:image\//);
    // The answer echoing hostile markup stays inert.
    assert.equal(await page.evaluate(() => window.__pwned), undefined);
    assert.equal(await page.locator('.batch-result[data-request="request-4"] .result-text img').count(), 0);
    assert.match(await page.locator('.batch-cost').textContent(), /^\$0\.\d*[1-9]/);
    assert.match(await page.locator('.batch-summary .facts').textContent(), /chat\$[\d.]+ for 3 request\(s\)/);
    // At phone width nothing is wider than the screen (long code lines scroll inside their block).
    await page.setViewportSize({ width: 390, height: 844 });
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth) <= 390, 'no horizontal scroll at 390 px');
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  test('a failed request shows its own error; added requests run and show up', async () => {
    const page = await suite.browser.newPage();
    await openApp(page, `${suite.gateway.url}/batches`);
    await createBatch(page, 'With a failure', 'One good line');
    await card(page, 'With a failure').locator('a').click();
    await page.locator('.batch-summary[data-status="done"]').waitFor({ timeout: 20_000 });
    // An unknown model fails that request only, with the service's status.
    await page.click('.add-requests summary');
    await page.locator('#batch-chat-model option').first().waitFor({ state: 'attached' });
    await page.evaluate(() => {
      const select = document.querySelector('#batch-chat-model');
      select.add(new Option('no-such-model', 'no-such-model'));
      select.value = 'no-such-model';
      select.dispatchEvent(new Event('change', { bubbles: true }));
    });
    await page.fill('#batch-lines', 'This one fails');
    await page.click('#batch-add');
    await page.locator('.batch-result[data-request="request-2"]').waitFor({ timeout: 20_000 });
    await page.locator('.batch-summary[data-status="done"]').waitFor({ timeout: 20_000 });
    const failed = page.locator('.batch-result[data-request="request-2"]');
    assert.equal(await failed.getAttribute('data-outcome'), 'error');
    assert.match(await failed.locator('.result-error').textContent(), /Failed: NOT_FOUND \(5\).*no-such-model/);
    assert.match(await page.locator('.batch-summary .progress-text').textContent(), /2 of 2 done \(1 failed\)/);
    assert.equal(await page.locator('.batch-result[data-request="request-1"]').getAttribute('data-outcome'), 'answer');
    await page.close();
  });
});

describe('batches (slow worker)', () => {
  const suite = gatewayAndBrowser(['--batch-interval-ms', '600000']);

  test('cancel asks first, then leaves the pending batch cancelled', async () => {
    const page = await suite.browser.newPage();
    await openApp(page, `${suite.gateway.url}/batches`);
    await createBatch(page, 'Slow batch', 'first\nsecond\nthird');
    const slow = card(page, 'Slow batch');
    await slow.waitFor();
    assert.equal(await slow.getAttribute('data-status'), 'in progress');
    assert.match(await slow.locator('.progress-text').textContent(), /0 % · 0 of 3 done/);

    await slow.locator('a').click();
    await page.locator('.batch-summary[data-status="in progress"]').waitFor();
    await page.click('.batch-summary .cancel-batch');
    const dialog = page.locator('[role="alertdialog"]');
    await dialog.waitFor();
    assert.match(await dialog.textContent(), /Cancel “Slow batch”\?.*3 pending request/);
    await page.click('.confirm-keep');
    await dialog.waitFor({ state: 'detached' });
    assert.equal(calls(suite.gateway, 'BatchMgmt/CancelBatch'), 0, 'keeping it sends nothing');
    assert.equal(await page.locator('.batch-summary').getAttribute('data-status'), 'in progress');

    await page.click('.batch-summary .cancel-batch');
    await page.click('.confirm-cancel');
    await page.locator('.batch-summary[data-status="cancelled"]').waitFor();
    assert.match(await page.locator('.batch-summary .progress-text').textContent(), /3 of 3 done \(3 cancelled\)/);
    assert.equal(await page.locator('.batch-summary .cancel-batch').count(), 0);
    assert.equal(await page.locator('.add-requests').count(), 0, 'nothing can be added to a cancelled batch');
    // The list agrees after a reload: the state is the server's.
    await page.goto(`${suite.gateway.url}/batches`);
    await card(page, 'Slow batch').waitFor();
    assert.equal(await card(page, 'Slow batch').getAttribute('data-status'), 'cancelled');
    await page.close();
  });

  test('polling runs while a batch is pending and stops when the page is left', async () => {
    const page = await suite.browser.newPage();
    await openApp(page, `${suite.gateway.url}/batches`);
    await createBatch(page, 'Pending forever', 'never runs');
    await card(page, 'Pending forever').locator('a').click();
    await page.locator('.batch-summary[data-status="in progress"]').waitFor();
    await page.locator('.batch-results .empty').waitFor();
    const start = calls(suite.gateway, 'BatchMgmt/GetBatch');
    const results = calls(suite.gateway, 'BatchMgmt/ListBatchResults');
    await page.waitForTimeout(3500);
    const polled = calls(suite.gateway, 'BatchMgmt/GetBatch') - start;
    assert.ok(polled >= 2 && polled <= 4, `polled ${polled} times in 3.5 s (1 s, then 2 s, backing off)`);
    assert.equal(calls(suite.gateway, 'BatchMgmt/ListBatchResults'), results, 'results are fetched again only when requests finish');
    // Leave for another page: after any call in flight, the log goes quiet.
    await page.click('header.nav a[href$="/models"]');
    await page.locator('.model-card').first().waitFor();
    await page.waitForTimeout(1000);
    const left = calls(suite.gateway, 'BatchMgmt/GetBatch') + calls(suite.gateway, 'BatchMgmt/ListBatches');
    await page.waitForTimeout(9000);
    assert.equal(calls(suite.gateway, 'BatchMgmt/GetBatch') + calls(suite.gateway, 'BatchMgmt/ListBatches'), left, 'no batch calls after leaving');
    // The poller was stopped, not killed by touching the left page's disposed state.
    assert.deepEqual(page.errors, []);
    await page.click('header.nav a[href$="/batches"]');
    await card(page, 'Pending forever').waitFor();
    await page.close();
  });

  test('more batches than a page holds: Next shows the next page, Previous comes back', async () => {
    const page = await suite.browser.newPage();
    await openApp(page, `${suite.gateway.url}/batches`);
    // Two batches exist from the tests above; ten more make twelve, over the page size of ten.
    for (let i = 1; i <= 10; i += 1) await createBatch(page, `Paged ${i}`, `request ${i}`);
    await card(page, 'Paged 10').waitFor();
    assert.equal(await page.locator('.batch-card').count(), 10);
    assert.equal(await page.locator('.batch-card').first().locator('a').textContent(), 'Paged 10', 'newest first');
    assert.equal(await page.locator('.page-prev').isDisabled(), true);
    await page.click('.page-next');
    await page.locator('.page-number', { hasText: 'Page 2' }).waitFor();
    await card(page, 'Slow batch').waitFor();
    const second = await page.locator('.batch-card a').allTextContents();
    assert.deepEqual(second, ['Pending forever', 'Slow batch']);
    assert.equal(await page.locator('.page-next').isDisabled(), true, 'the last page');
    await page.click('.page-prev');
    await card(page, 'Paged 10').waitFor();
    assert.equal(await page.locator('.page-number').textContent(), 'Page 1');
    await page.close();
  });
});

describe('batches (failing service)', () => {
  test('ListBatches UNAVAILABLE shows the error state with Try again', async () => {
    const gateway = await startGateway(['--enable-faults', '--fault', 'BatchMgmt/ListBatches:status=UNAVAILABLE']);
    const browser = await startBrowser();
    try {
      const page = await browser.newPage();
      await openApp(page, `${gateway.url}/batches`);
      const error = page.locator('.batches .error');
      await error.waitFor({ timeout: 15_000 });
      assert.equal(await error.getAttribute('data-code'), '14');
      assert.match(await error.textContent(), /UNAVAILABLE/);
      assert.equal(await page.locator('.batch-card').count(), 0);
      // Transient: the page keeps trying with backoff, and the user can try at once.
      const before = calls(gateway, 'BatchMgmt/ListBatches');
      await error.locator('button', { hasText: 'Try again' }).click();
      const deadline = Date.now() + 800;
      while (calls(gateway, 'BatchMgmt/ListBatches') === before && Date.now() < deadline) await page.waitForTimeout(50);
      assert.ok(calls(gateway, 'BatchMgmt/ListBatches') > before, 'Try again called the service again');
      await page.locator('.batches .error[data-code="14"]').waitFor();
      assert.equal(await page.locator('.batch-card').count(), 0);
      await page.close();
    } finally {
      await browser.stop();
      await gateway.stop();
    }
  });
});
