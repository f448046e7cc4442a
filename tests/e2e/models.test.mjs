// Models in a real browser against the real gateway: kind, input and output filters with search;
// the detail view reads prices in human units and states each kind's prompt limit in its own
// unit; an unknown model and a failing service show the error state.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { gatewayAndBrowser, openApp, startBrowser, startGateway } from './harness.mjs';

const shown = (page) => page.locator('.model-card').evaluateAll((nodes) => nodes.map((n) => n.dataset.model));

describe('models', () => {
  const suite = gatewayAndBrowser();

  test('filters by kind, input, output and search, with an empty state', async () => {
    const page = await suite.browser.newPage();
    await openApp(page, `${suite.gateway.url}/models`);
    await page.locator('.model-card').first().waitFor();
    const all = await shown(page);
    await page.selectOption('#model-output', 'image');
    const drawing = await shown(page);
    assert.ok(drawing.length > 0 && drawing.length < all.length, `image output: ${drawing}`);
    assert.ok(drawing.every((name) => /image/.test(name)), `image output: ${drawing}`);
    await page.selectOption('#model-output', 'any');
    await page.selectOption('#model-kind', 'language');
    const language = await shown(page);
    assert.ok(!language.some((name) => drawing.includes(name)), 'no image model among language models');
    await page.fill('#model-search', 'MINI');
    assert.deepEqual(await shown(page), ['grok-3-mini']);
    await page.fill('#model-search', 'no model is called this');
    await page.locator('.models .empty', { hasText: 'No model matches the filter.' }).waitFor();
    await page.close();
  });

  test('detail views: token prices per 1M, image price per image, prompt limits in their own unit', async () => {
    const page = await suite.browser.newPage();
    await openApp(page, `${suite.gateway.url}/models/grok-4-latest`);
    await page.locator('.model-detail h1', { hasText: 'grok-4' }).waitFor();
    const language = await page.locator('.model-detail .facts').textContent();
    assert.match(language, /KindLanguage/);
    assert.match(language, /Aliasesgrok-4-latest, grok-4-0709/);
    assert.match(language, /Inputtext, image/);
    assert.match(language, /Context length256K tokens/);
    assert.match(language, /Prompt text\$3\.00 \/ 1M tokens/);
    assert.match(language, /Completion\$15\.00 \/ 1M tokens/);
    assert.match(language, /Released2025-07-09/);

    await openApp(page, `${suite.gateway.url}/models/grok-2-image`);
    await page.locator('.model-detail h1', { hasText: 'grok-2-image-1212' }).waitFor();
    const image = await page.locator('.model-detail .facts').textContent();
    assert.match(image, /KindImage generation/);
    assert.match(image, /Outputimage/);
    assert.match(image, /Max prompt1024 characters/);
    assert.match(image, /Per image\$0\.07 \/ image/);
    assert.doesNotMatch(image, /tokens/, 'image models are not priced or limited in tokens');
    await page.close();
  });

  test('an unknown model shows NOT_FOUND', async () => {
    const page = await suite.browser.newPage();
    await openApp(page, `${suite.gateway.url}/models/no-such-model`);
    const error = page.locator('.model-detail .error');
    await error.waitFor();
    assert.equal(await error.getAttribute('data-code'), '5');
    await page.close();
  });
});

test('ListModels UNAVAILABLE shows the error state with Try again', async () => {
  const gateway = await startGateway(['--enable-faults', '--fault', 'Models/ListModels:status=UNAVAILABLE']);
  const browser = await startBrowser();
  try {
    const page = await browser.newPage();
    await openApp(page, `${gateway.url}/models`);
    const error = page.locator('.models .error');
    await error.waitFor({ timeout: 15_000 });
    assert.equal(await error.getAttribute('data-code'), '14');
    assert.equal(await error.locator('button', { hasText: 'Try again' }).count(), 1);
    assert.equal(await page.locator('.model-card').count(), 0);
    await page.close();
  } finally {
    await browser.stop();
    await gateway.stop();
  }
});
