// A hostile or broken endpoint: the gateway's fault injection answers with HTML error pages,
// wrong content types, garbage frames, a 4 GiB length prefix, broken or missing trailers,
// unreadable status details and a status message quoting the user's key. On the Models page
// (a unary call) and in Chat (a stream) each must end in a clear error that names what
// happened, with no page error (a panic in wasm is one) and no hang, partial answers kept, and
// the app working again as soon as the endpoint is healthy. Then the request size limit: the
// app refuses, before sending, a chat turn the gateway would refuse for its size.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  appErrors, clearFaults, countRequests, gatewayAndBrowser, injectFault, lastAnswer, openApp,
  sendChat, waitForChatModels,
} from './harness.mjs';

const NOT_GRPC_WEB = 'The endpoint sent a response that is not gRPC-Web';
const BROKEN = 'The endpoint sent a broken gRPC-Web answer';
const CUT = 'The answer was cut off';
const TOO_LARGE = 'The answer is too large';
const BAD_STATUS = "The endpoint's final status is unreadable";

/** Unary variants on the Models page: [x-fault spec, headline, detail pattern]. */
const UNARY = [
  ['html-error=502', NOT_GRPC_WEB, /HTTP 502 \(Bad Gateway\) with an HTML page/],
  ['content-type=text/plain', NOT_GRPC_WEB, /HTTP 200 \(OK\) with plain text/],
  ['content-type=application/grpc-web-text', BROKEN, /base64/],
  ['empty-200', CUT, /without the endpoint's final status/],
  ['garbage-frame=0', BROKEN, /invalid compression flag: 66/],
  ['huge-length=0', TOO_LARGE, /a message of 4096\.0 MB; this call accepts at most 4 MB/],
  ['short-frame=0', BROKEN, /announced more bytes than were sent/],
  ['bad-trailer', BAD_STATUS, /headers/],
  ['no-trailers', CUT, /without the endpoint's final status/],
  ['status=invalid_argument,details-bin=garbage', 'Invalid request', /injected fault/],
  ['trailers-only=unavailable,details-bin=garbage', 'Service unavailable', /injected fault/],
];

async function modelsListed(page) {
  await page.locator('a[href="/models/grok-4"]').first().waitFor({ timeout: 20_000 });
}

describe('a hostile endpoint answering the Models page (unary)', () => {
  const suite = gatewayAndBrowser(['--enable-faults']);

  for (const [fault, headline, detail] of UNARY) {
    test(`${fault}: "${headline}", then the app works again`, async () => {
      const page = await suite.browser.newPage();
      await injectFault(page, 'Models/ListModels', fault);
      const started = Date.now();
      await openApp(page, `${suite.gateway.url}/models`);
      const error = page.locator('.error').first();
      await error.waitFor({ timeout: 20_000 });
      assert.ok(Date.now() - started < 15_000, 'no hang: the error shows within seconds');
      assert.equal(await error.locator('.error-title').textContent(), headline);
      assert.match(await error.locator('.error-detail').textContent(), detail);
      assert.ok(!/malformed response/i.test(await error.textContent()), 'no transport internals as the story');
      // Healthy again: leaving and re-entering the page lists the models, in the same app.
      await clearFaults(page, 'Models/ListModels');
      await page.click('header.nav a[href$="/chat"]');
      await page.click('header.nav a[href$="/models"]');
      await modelsListed(page);
      assert.deepEqual(appErrors(page), []);
      await page.close();
    });
  }

  test('a status message that is an HTML page quoting the key shows as text, key redacted', async () => {
    const page = await suite.browser.newPage();
    const key = 'xai-hostile-key-0123456789abcdefghij';
    page.on('dialog', (dialog) => { page.errors.push(`dialog: ${dialog.message()}`); dialog.dismiss(); });
    await injectFault(page, 'Models/ListModels', 'hostile-message');
    await openApp(page, `${suite.gateway.url}/settings`);
    await page.fill('#api-key', key);
    await page.click('header.nav a[href$="/models"]');
    const error = page.locator('.error[data-code="16"]');
    await error.waitFor({ timeout: 20_000 });
    const detail = await error.locator('.error-detail').textContent();
    assert.match(detail, /Unauthorized The key \[redacted key\] is not valid/);
    assert.ok(!detail.includes('<'), `markup is removed: ${detail}`);
    assert.ok(!(await page.content()).includes(key.slice(8)), 'the key is nowhere on the page');
    assert.equal(await page.locator('.error h1, .error script').count(), 0);
    assert.deepEqual(appErrors(page), []);
    await page.close();
  });

  test('a unary answer that never comes ends with a clear error at the deadline', async () => {
    const page = await suite.browser.newPage();
    await page.clock.install();
    await injectFault(page, 'Models/ListModels', 'idle-after=0');
    await openApp(page, `${suite.gateway.url}/models`);
    await page.locator('.loading, [aria-busy="true"]').first().waitFor({ timeout: 10_000 }).catch(() => {});
    await page.waitForTimeout(500);
    assert.equal(await page.locator('.error').count(), 0, 'still waiting');
    await page.clock.fastForward('01:10');
    const error = page.locator('.error').first();
    await error.waitFor({ timeout: 10_000 });
    assert.equal(await error.locator('.error-title').textContent(), 'The answer stalled');
    assert.match(await error.locator('.error-detail').textContent(), /no complete answer arrived in 65 s/);
    assert.deepEqual(appErrors(page), []);
    await page.close();
  });
});

/** Stream variants in Chat: [x-fault spec, headline, whether text arrived before the fault]. */
const STREAM = [
  ['garbage-frame=6', BROKEN, true],
  ['short-frame=6', BROKEN, true],
  ['huge-length=6', TOO_LARGE, true],
  ['no-trailers', CUT, true],
  ['bad-trailer', BAD_STATUS, true],
  ['html-error=404', NOT_GRPC_WEB, false],
  ['content-type=text/html', NOT_GRPC_WEB, false],
];

describe('a hostile endpoint answering a chat stream', () => {
  const suite = gatewayAndBrowser(['--stream-rate', '50', '--enable-faults']);

  for (const [fault, headline, partial] of STREAM) {
    test(`${fault}: "${headline}"${partial ? ', the partial answer kept across a reload' : ''}, then chat works`, async () => {
      const page = await suite.browser.newPage();
      await injectFault(page, 'Chat/CreateChatCompletionStream', fault, 1);
      await openApp(page, `${suite.gateway.url}/chat`);
      await page.click('#new-chat');
      await sendChat(page, `Tell me a long story (${fault})`);
      const error = page.locator('.error').first();
      await error.waitFor({ timeout: 20_000 });
      assert.equal(await error.locator('.error-title').textContent(), headline);
      const answer = lastAnswer(page);
      assert.equal(await answer.getAttribute('data-status'), 'failed');
      const text = await answer.locator('.answer-text').textContent();
      if (partial) {
        assert.ok(text.length > 0, 'the text that arrived stays on screen');
        await page.waitForTimeout(600); // the save after a failure
        await page.reload();
        await page.locator('header.nav').waitFor();
        const kept = lastAnswer(page);
        await kept.waitFor({ timeout: 20_000 });
        assert.equal(await kept.locator('.answer-text').textContent(), text, 'and after a reload');
        assert.equal(await kept.getAttribute('data-status'), 'failed');
      }
      // The fault was for one call: the next message gets a whole answer.
      await sendChat(page, 'And now a healthy one');
      await lastAnswer(page).locator('.finish-reason').waitFor({ timeout: 30_000 });
      assert.equal(await lastAnswer(page).getAttribute('data-status'), 'complete');
      assert.deepEqual(appErrors(page), []);
      await page.close();
    });
  }

  test('unreadable status details on a healthy stream are dropped: the answer completes', async () => {
    const page = await suite.browser.newPage();
    await injectFault(page, 'Chat/CreateChatCompletionStream', 'details-bin=garbage');
    await openApp(page, `${suite.gateway.url}/chat`);
    await page.click('#new-chat');
    await sendChat(page, 'Details, please');
    await lastAnswer(page).locator('.finish-reason').waitFor({ timeout: 30_000 });
    assert.equal(await lastAnswer(page).getAttribute('data-status'), 'complete');
    assert.deepEqual(appErrors(page), []);
    await page.close();
  });

  test('a stream that goes silent mid-answer stops with "The answer stalled", text kept', async () => {
    const page = await suite.browser.newPage();
    await injectFault(page, 'Chat/CreateChatCompletionStream', 'idle-after=4', 1);
    await openApp(page, `${suite.gateway.url}/settings`);
    await page.fill('#idle-limit', '2');
    await page.press('#idle-limit', 'Tab');
    await page.click('header.nav a[href$="/chat"]');
    await page.click('#new-chat');
    await sendChat(page, 'Go quiet halfway');
    const error = page.locator('.error').first();
    await error.waitFor({ timeout: 15_000 });
    assert.equal(await error.locator('.error-title').textContent(), 'The answer stalled');
    assert.ok((await lastAnswer(page).locator('.answer-text').textContent()).length > 0);
    await page.goto(`${suite.gateway.url}/settings`);
    await page.fill('#idle-limit', '60');
    await page.press('#idle-limit', 'Tab');
    assert.deepEqual(appErrors(page), []);
    await page.close();
  });
});

describe('request size limits agree end to end', () => {
  const suite = gatewayAndBrowser(['--max-request-bytes', '1MiB']);

  test('a chat turn over the gateway limit with its earlier images is refused before sending', async () => {
    const page = await suite.browser.newPage();
    await page.route('**/config.json', (route) => route.fulfill({ contentType: 'application/json', body: JSON.stringify({ maxRequestBytes: 1048576 }) }));
    const chatCalls = countRequests(page, 'CreateChatCompletion');
    await openApp(page, `${suite.gateway.url}/chat`);
    await page.click('#new-chat');
    await waitForChatModels(page);
    const vision = await page.locator('#chat-model option').evaluateAll((options) => options.find((o) => o.textContent.includes('vision'))?.value);
    await page.selectOption('#chat-model', vision);
    // A real 1x1 PNG padded to 600 KiB: 800 KiB as a data URL, under the 1 MiB limit alone.
    const dot = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
    const image = Buffer.concat([dot, Buffer.alloc(600 * 1024 - dot.length)]);
    await page.setInputFiles('#chat-attach', { name: 'first.png', mimeType: 'image/png', buffer: image });
    await page.locator('.composer .thumb').waitFor();
    await sendChat(page, 'Here is the first picture');
    await lastAnswer(page).locator('.finish-reason').waitFor({ timeout: 30_000 });
    assert.equal(chatCalls.count, 1);
    const logged = (suite.gateway.log().match(/CreateChatCompletion/g) ?? []).length;

    // The second image alone would pass; with the first one sent again it is 1.6 MB.
    await page.setInputFiles('#chat-attach', { name: 'second.png', mimeType: 'image/png', buffer: image });
    await page.locator('.composer .thumb').waitFor();
    const answers = await page.locator('.message.assistant').count();
    await page.fill('#chat-prompt', 'And a second one');
    await page.click('#chat-send');
    const refusal = page.locator('#attach-error');
    await refusal.waitFor();
    assert.equal(
      await refusal.textContent(),
      'This message with its earlier images is 1.6 MB; the gateway accepts at most 1 MB. Remove an image or start a new chat.',
    );
    await page.waitForTimeout(500);
    assert.equal(chatCalls.count, 1, 'no request left the page');
    assert.equal((suite.gateway.log().match(/CreateChatCompletion/g) ?? []).length, logged, 'none reached the gateway');
    assert.equal(await page.locator('.message.assistant').count(), answers, 'the message did not join the chat');
    assert.equal(await page.inputValue('#chat-prompt'), 'And a second one', 'the text is kept to edit');
    assert.deepEqual(appErrors(page), []);
    await page.close();
  });

  test('an image edit over the gateway limit is refused in the page, with the sizes', async () => {
    const page = await suite.browser.newPage();
    await page.route('**/config.json', (route) => route.fulfill({ contentType: 'application/json', body: JSON.stringify({ maxRequestBytes: 1048576 }) }));
    const editCalls = countRequests(page, 'EditImage');
    await openApp(page, `${suite.gateway.url}/images`);
    await page.click('#tab-edit');
    await page.locator('#edit-model option').first().waitFor({ state: 'attached', timeout: 20_000 });
    // 800 KiB on disk, 1.0 MB as the data URL the request carries: over 1 MiB with the prompt.
    const dot = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
    await page.setInputFiles('#edit-source', { name: 'big.png', mimeType: 'image/png', buffer: Buffer.concat([dot, Buffer.alloc(800 * 1024 - dot.length)]) });
    await page.locator('img.source-preview').waitFor();
    await page.fill('#edit-prompt', 'make it night');
    await page.click('#edit-submit');
    const error = page.locator('.error').first();
    await error.waitFor({ timeout: 10_000 });
    assert.equal(await error.locator('.error-title').textContent(), 'Too large to send');
    assert.match(await error.locator('.error-detail').textContent(), /^These images are 1\.\d MB once encoded; the gateway accepts at most 1 MB\./);
    assert.equal(editCalls.count, 0, 'no request left the page');
    assert.doesNotMatch(suite.gateway.log(), /EditImage/, 'none reached the gateway');
    assert.deepEqual(appErrors(page), []);
    await page.close();
  });
});
