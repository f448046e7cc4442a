// Work outlives pages: leaving a page through the navigation while its work runs, then coming
// back. An answer keeps streaming (its conversation says "answering…", it shows live on return,
// Stop still stops it, it is saved complete); a sampling run goes on and shows finished; an image
// being drawn lands in the history; a batch goes on at the server while its page stops polling.
// Every test fails on any page error (the harness records them): before this, leaving Chat
// mid-answer panicked ("reactive value … disposed") and lost the rest of the answer.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { gatewayAndBrowser, injectFault, lastAnswer, openApp, openSample, sampleTexts, sendChat, waitForChatModels } from './harness.mjs';

/** Clicks the navigation link of `label` and waits for something of that page. */
async function go(page, label, ready) {
  await page.locator('header.nav nav a', { hasText: new RegExp(`^${label}$`) }).click();
  await page.locator(ready).first().waitFor({ timeout: 20_000 });
}

const answerText = (page) => lastAnswer(page).locator('.answer-text').textContent();

async function waitForAnswerLength(page, chars) {
  await page.waitForFunction(
    (n) => ([...document.querySelectorAll('.message.assistant')].pop()?.querySelector('.answer-text')?.textContent ?? '').length > n,
    chars,
    { timeout: 20_000 },
  );
}

describe('leaving Chat while an answer streams', () => {
  // About 2,500 characters at 60 tokens a second: several seconds of streaming.
  const suite = gatewayAndBrowser(['--stream-rate', '60', '--min-answer-chars', '2500']);
  const PROMPT = 'Explain how lighthouses work, at length';

  test('the answer streams on, is marked in the list, shows live on return and is saved complete', async () => {
    const page = await suite.browser.newPage();
    await openApp(page, `${suite.gateway.url}/chat`);
    await page.click('#new-chat');
    await sendChat(page, PROMPT);
    await waitForAnswerLength(page, 100);
    const id = await page.locator('.conversation.selected').getAttribute('data-id');
    const atLeave = (await answerText(page)).length;

    await go(page, 'Models', '.model-card');
    await page.locator('.work-busy[data-page="chat"]').waitFor();
    await page.waitForTimeout(1500);
    await go(page, 'Chat', '.message.assistant');
    // Still answering: the row says so, and the answer grows on screen.
    const row = page.locator(`.conversation[data-id="${id}"]`);
    assert.equal(await row.getAttribute('data-streaming'), 'true', 'the conversation is marked as answering');
    assert.match(await row.textContent(), /answering…/);
    assert.equal(await lastAnswer(page).getAttribute('data-status'), 'streaming');
    const back = (await answerText(page)).length;
    assert.ok(back > atLeave + 100, `the answer went on while away (${atLeave} -> ${back} chars)`);
    await page.waitForTimeout(600);
    assert.ok((await answerText(page)).length > back, 'and shows live');

    await lastAnswer(page).locator('.finish-reason').waitFor({ timeout: 30_000 });
    assert.equal(await lastAnswer(page).getAttribute('data-status'), 'complete');
    assert.equal(await row.getAttribute('data-streaming'), null, 'no longer marked');
    assert.equal(await page.locator('.work-busy').count(), 0, 'the navigation dot is gone');
    const streamed = await answerText(page);

    // The same question without streaming, in another tab: the local backend is deterministic,
    // so this is the whole answer.
    const reference = await suite.browser.newPage();
    await openApp(reference, `${suite.gateway.url}/chat`);
    await waitForChatModels(reference);
    await reference.click('#new-chat');
    await reference.uncheck('#chat-stream');
    await sendChat(reference, PROMPT);
    await lastAnswer(reference).locator('.finish-reason').waitFor({ timeout: 30_000 });
    const whole = await answerText(reference);
    assert.ok(whole.length > 2000, `a long answer (${whole.length} chars)`);
    assert.equal(streamed.length, whole.length, 'nothing of the answer was lost');
    assert.equal(streamed, whole);

    // Saved complete: after a reload the conversation has the whole answer.
    await page.reload();
    await page.locator(`.conversation[data-id="${id}"] .conversation-title`).click();
    await lastAnswer(page).locator('.finish-reason').waitFor();
    assert.equal(await lastAnswer(page).getAttribute('data-status'), 'complete');
    assert.equal(await answerText(page), whole);
    assert.deepEqual(page.errors, []);
    assert.deepEqual(reference.errors, []);
    await reference.close();
    await page.close();
  });

  test('back on Chat after leaving mid-answer, Stop stops it and the partial answer is kept', async () => {
    const page = await suite.browser.newPage();
    await openApp(page, `${suite.gateway.url}/chat`);
    await page.click('#new-chat');
    await sendChat(page, 'Tell me everything about tides');
    await waitForAnswerLength(page, 50);
    const id = await page.locator('.conversation.selected').getAttribute('data-id');
    await go(page, 'Settings', '#endpoint');
    await page.waitForTimeout(700);
    await go(page, 'Chat', '.message.assistant');
    assert.equal(await page.locator('.phase').getAttribute('data-phase'), 'streaming');
    await page.click('#chat-stop');
    await page.locator('.phase[data-phase="stopped"]').waitFor();
    const partial = await answerText(page);
    assert.ok(partial.length > 50, `kept ${partial.length} chars`);
    await page.waitForTimeout(1000);
    assert.equal(await answerText(page), partial, 'nothing arrives after Stop');
    assert.equal(await lastAnswer(page).getAttribute('data-status'), 'stopped');
    assert.equal(await page.locator(`.conversation[data-id="${id}"]`).getAttribute('data-streaming'), null);
    const deadline = Date.now() + 5_000;
    while (!/CreateChatCompletionStream.*cancelled|cancelled.*CreateChatCompletionStream/i.test(suite.gateway.log()) && Date.now() < deadline) await page.waitForTimeout(100);
    assert.match(suite.gateway.log(), /CreateChatCompletionStream.*cancelled|cancelled.*CreateChatCompletionStream/i, 'the call is cancelled at the gateway');
    await page.reload();
    await page.locator(`.conversation[data-id="${id}"] .conversation-title`).click();
    await lastAnswer(page).waitFor();
    assert.equal(await lastAnswer(page).getAttribute('data-status'), 'stopped');
    assert.equal(await answerText(page), partial, 'the partial answer is saved');
    assert.deepEqual(page.errors, []);
    await page.close();
  });
});

describe('leaving Sample while it streams', () => {
  const suite = gatewayAndBrowser(['--stream-rate', '12']);

  test('the run goes on; coming back shows it finished, with the form as typed', async () => {
    const page = await suite.browser.newPage();
    await openSample(page, suite.gateway.url);
    await page.fill('#sample-prompt', 'The ferry crossed the fjord at dawn and');
    await page.fill('#sample-n', '2');
    await page.click('#sample-run');
    await page.waitForFunction(() => (document.querySelector('.sample-choice .sample-text')?.textContent ?? '').length > 0, null, { timeout: 15_000 });
    const atLeave = await sampleTexts(page);
    await go(page, 'Keys', 'h1');
    await page.locator('.work-busy[data-page="sample"]').waitFor();
    await page.locator('.work-busy[data-page="sample"]').waitFor({ state: 'detached', timeout: 30_000 });
    await go(page, 'Sample', '.sample-choice');
    assert.equal(await page.locator('.phase').getAttribute('data-phase'), 'done');
    assert.equal(await page.inputValue('#sample-prompt'), 'The ferry crossed the fjord at dawn and');
    assert.equal(await page.inputValue('#sample-n'), '2');
    assert.equal(await page.locator('.sample-choice[data-finished="true"]').count(), 2);
    const streamed = await sampleTexts(page);
    assert.ok(streamed[0].length > atLeave[0].length && streamed[0].startsWith(atLeave[0]), `choice 1 went on: ${atLeave[0].length} -> ${streamed[0].length}`);
    assert.match(await page.locator('#sample-usage').textContent(), /completion/);

    // The same request whole (unary): the streamed choices lost nothing.
    await page.uncheck('#sample-stream');
    await page.click('#sample-run');
    const deadline = Date.now() + 10_000;
    while (!/Sample\/RawSample finished/.test(suite.gateway.log()) && Date.now() < deadline) await page.waitForTimeout(100);
    await page.locator('.phase[data-phase="done"]').waitFor();
    assert.deepEqual(await sampleTexts(page), streamed);
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  test('coming back while it still streams shows it live, and Stop stops it', async () => {
    const page = await suite.browser.newPage();
    await openSample(page, suite.gateway.url);
    await page.fill('#sample-prompt', 'A slow story about a patient cartographer');
    await page.click('#sample-run');
    await page.waitForFunction(() => (document.querySelector('.sample-choice .sample-text')?.textContent ?? '').length > 0, null, { timeout: 15_000 });
    await go(page, 'Models', '.model-card');
    await page.waitForTimeout(300);
    await go(page, 'Sample', '.sample-choice');
    assert.equal(await page.locator('.phase').getAttribute('data-phase'), 'streaming');
    const shown = (await sampleTexts(page))[0];
    await page.waitForFunction((n) => (document.querySelector('.sample-choice .sample-text')?.textContent ?? '').length > n, shown.length, { timeout: 10_000 });
    await page.click('#sample-stop');
    await page.locator('.phase[data-phase="stopped"]').waitFor();
    const kept = await sampleTexts(page);
    await page.waitForTimeout(800);
    assert.deepEqual(await sampleTexts(page), kept, 'nothing arrives after Stop');
    assert.deepEqual(page.errors, []);
    await page.close();
  });
});

describe('leaving Images and Batches while they work', () => {
  const suite = gatewayAndBrowser(['--enable-faults', '--batch-interval-ms', '500']);

  test('an image being drawn finishes while away, shows on return and is kept in the history', async () => {
    const page = await suite.browser.newPage();
    await injectFault(page, 'Image/CreateImage', 'delay-ms=3000', 1);
    await openApp(page, `${suite.gateway.url}/images`);
    await page.locator('#image-model option').first().waitFor({ state: 'attached', timeout: 20_000 });
    await page.fill('#image-prompt', 'A harbour crane at night');
    await page.click('#image-generate');
    await page.locator('.image-progress').waitFor();
    await go(page, 'Models', '.model-card');
    await page.locator('.work-busy[data-page="images"]').waitFor();
    await page.waitForTimeout(800);
    // Back while it is still drawing: the progress shows, with the time since it started.
    await go(page, 'Images', '#image-prompt');
    await page.locator('.image-progress').waitFor();
    assert.equal(await page.inputValue('#image-prompt'), 'A harbour crane at night', 'the form is as typed');
    assert.equal(await page.locator('#image-generate').isDisabled(), true);
    await page.locator('#create-result .generation', { hasText: 'A harbour crane at night' }).waitFor({ timeout: 20_000 });

    // Away for the whole of a second drawing: on return its result is under the form.
    await injectFault(page, 'Image/CreateImage', 'delay-ms=1500', 1);
    await page.fill('#image-prompt', 'A lighthouse in fog');
    await page.click('#image-generate');
    await page.locator('.image-progress').waitFor();
    await go(page, 'Settings', '#endpoint');
    await page.locator('.work-busy[data-page="images"]').waitFor({ state: 'detached', timeout: 20_000 });
    await go(page, 'Images', '#image-prompt');
    await page.locator('#create-result .generation', { hasText: 'A lighthouse in fog' }).waitFor();
    assert.equal(await page.locator('.image-progress').count(), 0);
    assert.equal(await page.locator('#create-result img.generated').count(), 1);

    // Both are kept on the device.
    await page.reload();
    await page.waitForFunction(() => document.querySelectorAll('#history .generation').length === 2, null, { timeout: 20_000 });
    assert.match(await page.locator('#history .generation').nth(0).textContent(), /A lighthouse in fog/);
    assert.match(await page.locator('#history .generation').nth(1).textContent(), /A harbour crane at night/);
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  test('a batch goes on at the server while away; its page stops polling and is up to date on return', async () => {
    const calls = (method) => suite.gateway.log().split('\n').filter((line) => line.includes(`call xai_api.${method} finished`)).length;
    const page = await suite.browser.newPage();
    await openApp(page, `${suite.gateway.url}/batches`);
    await page.locator('#batch-chat-model option').first().waitFor({ state: 'attached', timeout: 20_000 });
    // Left while the batch is being created: it is created all the same.
    await injectFault(page, 'BatchMgmt/CreateBatch', 'delay-ms=1000', 1);
    await page.fill('#batch-name', 'Away batch');
    await page.fill('#batch-lines', 'one\ntwo\nthree\nfour\nfive\nsix');
    await page.click('#batch-create');
    await go(page, 'Models', '.model-card');
    await page.waitForTimeout(1500);
    await go(page, 'Batches', '.batch-card');
    const card = page.locator('.batch-card', { has: page.locator('a', { hasText: /^Away batch$/ }) });
    await card.waitFor();
    await card.locator('a').click();
    await page.locator('.batch-summary[data-status="in progress"]').waitFor();
    // Away while it runs (six requests, one per 500 ms): no polling meanwhile.
    await go(page, 'Keys', 'h1');
    await page.waitForTimeout(700);
    const away = calls('BatchMgmt/GetBatch') + calls('BatchMgmt/ListBatches');
    await page.waitForTimeout(3500);
    assert.equal(calls('BatchMgmt/GetBatch') + calls('BatchMgmt/ListBatches'), away, 'no batch calls while away');
    await go(page, 'Batches', '.batch-card');
    await page.locator('.batch-card[data-status="done"]', { has: page.locator('a', { hasText: /^Away batch$/ }) }).waitFor({ timeout: 10_000 });
    await card.locator('a').click();
    await page.locator('.batch-summary[data-status="done"]').waitFor();
    await page.waitForFunction(() => document.querySelectorAll('.batch-results .result-list > *').length === 6, null, { timeout: 10_000 });
    assert.deepEqual(page.errors, []);
    await page.close();
  });
});
