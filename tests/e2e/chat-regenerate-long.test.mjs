// Regenerate is a long operation like sending: a new version of an answer streams in. Crossed
// with a reload (the earlier version stays whole, the partial new one is kept, marked
// interrupted, with Retry) and with a second tab on the same conversation (it follows the new
// version live and neither tab loses a version).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { gatewayAndBrowser, lastAnswer, openApp, sendChat, storedAnswers, waitForChatModels } from './harness.mjs';

const answerText = (answer) => answer.locator('.answer-text').textContent();

/** Waits until `answer` shows version `n` of 2, and checks its text and model. */
async function expectVersion(answer, n, text, model) {
  await answer.locator(`.versions[aria-label="Version ${n} of 2"]`).waitFor({ timeout: 10_000 });
  assert.equal(await answerText(answer), text);
  assert.equal(await answer.locator('.answer-model').textContent(), model);
}

async function finished(page) {
  await lastAnswer(page).locator('.finish-reason').waitFor({ timeout: 30_000 });
}

/** Waits until the newest answer's shown text is longer than `chars`. */
async function streamedPast(page, chars) {
  await page.waitForFunction(
    (n) => ([...document.querySelectorAll('.message.assistant')].pop()?.querySelector('.answer-text')?.textContent ?? '').length > n,
    chars,
    { timeout: 20_000 },
  );
}

/** A conversation with one finished answer; returns its id and the answer's text. */
async function answered(page, url, prompt) {
  await openApp(page, `${url}/chat`);
  await page.click('#new-chat');
  await waitForChatModels(page);
  await page.selectOption('#chat-model', 'grok-3');
  await sendChat(page, prompt);
  await finished(page);
  await page.locator('.conversation-list[aria-busy="false"]').waitFor();
  return { id: await page.locator('.conversation.selected').getAttribute('data-id'), first: await answerText(lastAnswer(page)) };
}

describe('Regenerate while it streams', () => {
  const suite = gatewayAndBrowser(['--stream-rate', '30']);

  test('a reload mid-Regenerate keeps version 1 whole and the partial version 2, interrupted, with Retry', async () => {
    const page = await suite.browser.newPage();
    const { first } = await answered(page, suite.gateway.url, 'Describe three mountains');
    await lastAnswer(page).locator('button.regenerate').click();
    await lastAnswer(page).locator('.versions[aria-label="Version 2 of 2"]').waitFor({ timeout: 10_000 });
    await streamedPast(page, 40);
    // A checkpoint is written every 400 ms.
    await page.waitForTimeout(900);
    const seen = await answerText(lastAnswer(page));
    await page.reload();
    await page.locator('header.nav').waitFor();

    const answer = lastAnswer(page);
    await answer.locator('.versions[aria-label="Version 2 of 2"]').waitFor({ timeout: 10_000 });
    assert.equal(await answer.getAttribute('data-status'), 'interrupted');
    const kept = await answerText(answer);
    assert.ok(kept.length >= 40 && seen.startsWith(kept.slice(0, 40)), `kept ${kept.length} of the ${seen.length} characters seen`);
    assert.match(await answer.locator('.status-note').textContent(), /Interrupted/);

    // Version 1 is untouched.
    await answer.locator('.version-prev').click();
    await answer.locator('.versions[aria-label="Version 1 of 2"]').waitFor();
    assert.equal(await answerText(answer), first);
    assert.equal(await answer.getAttribute('data-status'), 'complete');

    // Retry finishes version 2 in its place: still two versions.
    await answer.locator('.version-next').click();
    await answer.locator('button.retry').click();
    await finished(page);
    await answer.locator('.versions[aria-label="Version 2 of 2"]').waitFor();
    assert.equal(await answer.getAttribute('data-status'), 'complete');
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  test('a second tab on the conversation follows the new version live, and both keep both versions', async () => {
    const a = await suite.browser.newPage();
    const { id, first } = await answered(a, suite.gateway.url, 'Describe three lakes');
    const b = await suite.browser.newPage();
    await openApp(b, `${suite.gateway.url}/chat`);
    await b.locator(`.conversation[data-id="${id}"] .conversation-title`).click();
    await b.locator('.message.assistant .finish-reason').waitFor();

    // Another model, so that version 2 is told apart by its model (the local backend answers
    // from the message alone, so both versions have the same text).
    await a.selectOption('#chat-model', 'grok-3-mini');
    await lastAnswer(a).locator('button.regenerate').click();
    await streamedPast(a, 40);
    await finished(a);
    const second = await answerText(lastAnswer(a));
    assert.equal(await lastAnswer(a).locator('.answer-model').textContent(), 'grok-3-mini');

    // B shows the finished version 2 without a reload, and still has version 1.
    const inB = lastAnswer(b);
    await inB.locator('.versions[aria-label="Version 2 of 2"]').waitFor({ timeout: 10_000 });
    await inB.locator('.finish-reason').waitFor({ timeout: 10_000 });
    await expectVersion(inB, 2, second, 'grok-3-mini');
    await inB.locator('.version-prev').click();
    await expectVersion(inB, 1, first, 'grok-3');

    // B's looking at version 1 wrote nothing over A's version 2: after reloads both have both.
    await a.locator('.conversation-list[aria-busy="false"]').waitFor();
    await b.locator('.conversation-list[aria-busy="false"]').waitFor();
    for (const page of [a, b]) {
      await page.reload();
      await page.locator('header.nav').waitFor();
      await page.locator(`.conversation[data-id="${id}"] .conversation-title`).click();
      const answer = lastAnswer(page);
      await answer.locator('.versions').waitFor({ timeout: 10_000 });
      const label = await answer.locator('.versions').getAttribute('aria-label');
      assert.match(label, /^Version [12] of 2$/);
      if (label === 'Version 2 of 2') await answer.locator('.version-prev').click();
      await expectVersion(answer, 1, first, 'grok-3');
      await answer.locator('.version-next').click();
      await expectVersion(answer, 2, second, 'grok-3-mini');
    }
    assert.deepEqual(a.errors, []);
    assert.deepEqual(b.errors, []);
    await a.close();
    await b.close();
  });
});

describe('leaving Chat while Regenerate streams', () => {
  // About 2,500 characters at 60 tokens a second: several seconds of streaming.
  const suite = gatewayAndBrowser(['--stream-rate', '60', '--min-answer-chars', '2500']);

  test('the new version streams on while away, shows live as the current version on return, and is kept with version 1', async () => {
    const page = await suite.browser.newPage();
    const { id, first } = await answered(page, suite.gateway.url, 'Describe three rivers');
    await page.selectOption('#chat-model', 'grok-3-mini');
    await lastAnswer(page).locator('button.regenerate').click();
    await lastAnswer(page).locator('.versions[aria-label="Version 2 of 2"]').waitFor({ timeout: 10_000 });
    await streamedPast(page, 100);
    const atLeave = await answerText(lastAnswer(page));

    await page.locator('header.nav nav a', { hasText: /^Models$/ }).click();
    await page.locator('.model-card').first().waitFor({ timeout: 20_000 });
    await page.locator('.work-busy[data-page="chat"]').waitFor();
    // Away until the new version, as saved on the device, has grown well past where it was left.
    const deadline = Date.now() + 20_000;
    while (!(await storedAnswers(page, id)).some((answer) => answer.content.length > atLeave.length + 200)) {
      assert.ok(Date.now() < deadline, 'the new version grew on the device while Chat was left');
      await page.waitForTimeout(200);
    }
    await page.locator('header.nav nav a', { hasText: /^Chat$/ }).click();
    const answer = lastAnswer(page);
    await answer.waitFor({ timeout: 20_000 });

    // Back: one answer, showing version 2 of 2 (the new one, by grok-3-mini), going on from
    // where it was left.
    await page.locator(`.conversation.selected[data-id="${id}"]`).waitFor();
    await answer.locator('.versions[aria-label="Version 2 of 2"]').waitFor({ timeout: 10_000 });
    assert.equal(await page.locator('.message.assistant').count(), 1);
    const back = await answerText(answer);
    // (The tail of a partial block can render differently once the block is whole.)
    assert.ok(back.length > atLeave.length && back.startsWith(atLeave.slice(0, 60)), `version 2 went on from what was left (${atLeave.length} -> ${back.length} chars)`);
    if ((await answer.getAttribute('data-status')) === 'streaming') {
      await streamedPast(page, back.length);
    }
    await finished(page);
    assert.equal(await answer.getAttribute('data-status'), 'complete');
    // The local backend answers from the message alone: the whole new version is the first's text.
    await expectVersion(answer, 2, first, 'grok-3-mini');
    await answer.locator('.version-prev').click();
    await expectVersion(answer, 1, first, 'grok-3');
    await answer.locator('.version-next').click();
    await expectVersion(answer, 2, first, 'grok-3-mini');

    // On disk the same: both versions, once each, version 2 shown.
    await page.locator('.conversation-list[aria-busy="false"]').waitFor();
    await page.reload();
    await page.locator('header.nav').waitFor();
    await page.locator(`.conversation[data-id="${id}"] .conversation-title`).click();
    const reloaded = lastAnswer(page);
    await expectVersion(reloaded, 2, first, 'grok-3-mini');
    assert.equal(await page.locator('.message.assistant').count(), 1);
    assert.equal(await page.locator('.message.user').count(), 1);
    assert.equal(await reloaded.getAttribute('data-status'), 'complete');
    await reloaded.locator('.version-prev').click();
    await expectVersion(reloaded, 1, first, 'grok-3');
    assert.deepEqual(page.errors, []);
    await page.close();
  });
});
