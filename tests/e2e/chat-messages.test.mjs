// Messages people can work with, in a real browser: Copy says "Copied"; Regenerate keeps the old
// answer as a version (‹ 1/2 › by mouse and keyboard, kept across a reload) and uses the model
// picked now, which the answer names; unsent text is kept per conversation across pages and
// reloads; a text file named .png is refused in Chat with nothing sent; and errors in the user's
// words: a bad key is one error on Chat with its code under "Details", Settings never sends the
// user to Settings, and a bad import says it is not a chat export.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { gatewayAndBrowser, lastAnswer, openApp, sendChat, waitForChatModels } from './harness.mjs';

/** Lines the local backend logs per chat request ("model M, message roles [...], N image part(s)"). */
function chatRequests(gateway) {
  return gateway.log().split('\n').filter((line) => /chat (stream )?request:/.test(line));
}

async function finished(page) {
  await lastAnswer(page).locator('.finish-reason').waitFor({ timeout: 30_000 });
}

describe('messages', () => {
  const suite = gatewayAndBrowser(['--stream-rate', '0']);

  test('Copy puts the answer on the clipboard and says "Copied", then "Copy" again', async () => {
    await suite.browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: suite.gateway.url });
    const page = await suite.browser.newPage();
    await openApp(page, `${suite.gateway.url}/chat`);
    await sendChat(page, 'Say something worth copying');
    await finished(page);
    const copy = lastAnswer(page).locator('button.copy');
    assert.equal(await copy.textContent(), 'Copy');
    assert.equal(await copy.getAttribute('aria-label'), 'Copy answer');
    await copy.click();
    await page.waitForFunction(() => [...document.querySelectorAll('.message.assistant')].pop()?.querySelector('button.copy')?.textContent === 'Copied');
    assert.equal(await copy.getAttribute('data-outcome'), 'copied');
    assert.equal(await copy.locator('svg[aria-hidden="true"]').count(), 1, 'the icon is decoration');
    // Screen readers hear it too.
    assert.equal(await lastAnswer(page).locator('[aria-live="polite"]').textContent(), 'Copied to the clipboard');
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    // The answer's markdown: a word of the rendered answer is in it.
    const word = (await lastAnswer(page).locator('.answer-text').textContent()).match(/[A-Za-z]{4,}/)[0];
    assert.ok(copied.length > 20 && copied.includes(word), `clipboard: ${copied.slice(0, 80)}`);
    await page.waitForFunction(() => [...document.querySelectorAll('.message.assistant')].pop()?.querySelector('button.copy')?.textContent === 'Copy', null, { timeout: 5_000 });
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  test('Regenerate uses the model picked now, keeps version 1, flips ‹ 1/2 › by mouse and keys, and survives a reload', async () => {
    const page = await suite.browser.newPage();
    await openApp(page, `${suite.gateway.url}/chat`);
    await page.click('#new-chat');
    await waitForChatModels(page);
    await page.selectOption('#chat-model', 'grok-3');
    await sendChat(page, 'Name three rivers');
    await finished(page);
    const answer = lastAnswer(page);
    assert.equal(await answer.locator('.answer-model').textContent(), 'grok-3', 'the answer names its model');
    assert.match(await answer.locator('.cost').textContent(), /\$/);
    assert.equal(await answer.locator('.versions').count(), 0, 'one version: no switcher');

    // Another model picked now: Regenerate asks it, not the answer's model.
    await page.selectOption('#chat-model', 'grok-3-mini');
    const requests = chatRequests(suite.gateway).length;
    await answer.locator('button.regenerate').click();
    await page.locator('.message.assistant .versions[aria-label="Version 2 of 2"]').waitFor({ timeout: 30_000 });
    await finished(page);
    assert.equal(await answer.locator('.answer-model').textContent(), 'grok-3-mini');
    const sent = chatRequests(suite.gateway).slice(requests);
    assert.equal(sent.length, 1);
    assert.match(sent[0], /model grok-3-mini,/);
    assert.equal(await answer.locator('.version-label').textContent(), '2/2');
    assert.equal(await answer.locator('.version-next').getAttribute('aria-disabled'), 'true');

    // Back to version 1 by mouse; forward and back again by the arrow keys.
    await answer.locator('.version-prev').click();
    await answer.locator('.versions[aria-label="Version 1 of 2"]').waitFor();
    assert.equal(await answer.locator('.answer-model').textContent(), 'grok-3');
    await answer.locator('.version-prev').focus();
    await page.keyboard.press('ArrowRight');
    await answer.locator('.versions[aria-label="Version 2 of 2"]').waitFor();
    await page.keyboard.press('ArrowLeft');
    await answer.locator('.versions[aria-label="Version 1 of 2"]').waitFor();
    assert.equal(await page.evaluate(() => document.activeElement?.classList.contains('version-prev')), true, 'the focus stays on the switcher');

    // Kept in IndexedDB: after a reload both versions are there, version 1 still shown.
    await page.waitForFunction(() => document.querySelector('.conversation-list')?.getAttribute('aria-busy') === 'false');
    await page.reload();
    await page.locator('header.nav').waitFor();
    const reloaded = lastAnswer(page);
    await reloaded.locator('.versions[aria-label="Version 1 of 2"]').waitFor({ timeout: 10_000 });
    assert.equal(await reloaded.locator('.answer-model').textContent(), 'grok-3');
    await reloaded.locator('.version-next').click();
    await reloaded.locator('.versions[aria-label="Version 2 of 2"]').waitFor();
    assert.equal(await reloaded.locator('.answer-model').textContent(), 'grok-3-mini');
    // The chat's total counts both versions (both were billed).
    assert.match(await page.locator('.total-cost').textContent(), /\$/);

    // Branch: a new chat up to this answer, its versions included; the original stays.
    await reloaded.locator('button.branch').click();
    await page.locator('.chat-title', { hasText: 'Name three rivers (branch)' }).waitFor();
    assert.equal(await page.locator('.message').count(), 2);
    await lastAnswer(page).locator('.versions[aria-label="Version 2 of 2"]').waitFor();
    assert.equal(await page.locator('.conversation-title', { hasText: /^Name three rivers$/ }).count(), 1, 'the original is kept');
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  test('Edit moves the focus into the field; Esc gives it back to Edit; sending as a branch puts it in the composer', async () => {
    const page = await suite.browser.newPage();
    await openApp(page, `${suite.gateway.url}/chat`);
    await page.click('#new-chat');
    await sendChat(page, 'Original question');
    await finished(page);
    const mine = page.locator('.message.user').last();
    await mine.locator('button.edit').click();
    await page.waitForFunction(() => document.activeElement?.classList.contains('edit-message'));
    assert.equal(await page.inputValue('.edit-message'), 'Original question');
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => document.activeElement?.classList.contains('edit'));
    assert.equal(await mine.locator('.edit-message').count(), 0, 'the field closed');
    // By keyboard: Enter on the focused Edit opens it again.
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.activeElement?.classList.contains('edit-message'));
    await page.fill('.edit-message', 'Edited question');
    await page.click('button.resend');
    await page.waitForFunction(() => document.activeElement?.id === 'chat-prompt', null, { timeout: 5_000 });
    await page.locator('.chat-title', { hasText: '(branch)' }).waitFor();
    await finished(page);
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  test('unsent text is kept per conversation across pages and reloads, and cleared by sending', async () => {
    const page = await suite.browser.newPage();
    await openApp(page, `${suite.gateway.url}/chat`);
    await page.click('#new-chat');
    await sendChat(page, 'A chat that gets a draft');
    await finished(page);
    await page.fill('#chat-prompt', 'half a thought, not sent');

    await page.click('header.nav a[href$="/models"]');
    await page.locator('.model-card').first().waitFor({ timeout: 20_000 });
    await page.click('header.nav a[href$="/chat"]');
    await page.waitForFunction(() => document.querySelector('#chat-prompt')?.value === 'half a thought, not sent', null, { timeout: 10_000 });

    await page.reload();
    await page.locator('header.nav').waitFor();
    await page.waitForFunction(() => document.querySelector('#chat-prompt')?.value === 'half a thought, not sent', null, { timeout: 10_000 });

    // Another conversation has its own (empty) draft; coming back brings this one back.
    await page.click('#new-chat');
    await page.waitForFunction(() => document.querySelector('#chat-prompt')?.value === '');
    await page.locator('.conversation-title', { hasText: 'A chat that gets a draft' }).first().click();
    await page.waitForFunction(() => document.querySelector('#chat-prompt')?.value === 'half a thought, not sent');

    // Sending clears it, for good.
    await page.fill('#chat-prompt', 'now sent');
    await page.click('#chat-send');
    await finished(page);
    assert.equal(await page.inputValue('#chat-prompt'), '');
    await page.reload();
    await page.locator('header.nav').waitFor();
    await page.locator('.message.user', { hasText: 'now sent' }).waitFor({ timeout: 10_000 });
    assert.equal(await page.inputValue('#chat-prompt'), '');
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  test('a text file named .png is refused in Chat by its content, and nothing of it is sent', async () => {
    const page = await suite.browser.newPage();
    await openApp(page, `${suite.gateway.url}/chat`);
    await page.click('#new-chat');
    await waitForChatModels(page);
    await page.selectOption('#chat-model', 'grok-4');
    const requests = chatRequests(suite.gateway).length;
    await page.setInputFiles('#chat-attach', { name: 'notes.png', mimeType: 'image/png', buffer: Buffer.from('Just some text, not a picture at all.\n') });
    await page.locator('#attach-error').waitFor();
    assert.match(await page.locator('#attach-error').textContent(), /^notes\.png is not an image: its content is not PNG, JPEG, WebP or GIF data/);
    assert.equal(await page.locator('.composer .thumb').count(), 0, 'nothing attached');
    assert.equal(chatRequests(suite.gateway).length, requests, 'nothing sent by attaching');
    await sendChat(page, 'Describe the attachment');
    await finished(page);
    const sent = chatRequests(suite.gateway).slice(requests);
    assert.equal(sent.length, 1);
    assert.match(sent[0], /0 image part\(s\)/, 'the message went without the fake image');
    assert.equal(await page.locator('.message.user').last().locator('img.thumb').count(), 0);
    await page.close();
  });
});

describe('errors in the user\'s words', () => {
  const suite = gatewayAndBrowser(['--stream-rate', '0']);

  test('a bad key is one error on Chat, with the code under Details; the picker says why it is empty', async () => {
    const page = await suite.browser.newPage();
    const wrongKey = 'xai-wrong-key-0123456789abcdefghij';
    await openApp(page, `${suite.gateway.url}/settings`);
    await page.fill('#api-key', wrongKey);
    await page.click('header.nav a[href$="/chat"]');
    await page.locator('.error[data-code="16"]').waitFor({ timeout: 20_000 });
    assert.match(await page.locator('.model-state[data-state="failed"]').textContent(), /No models/);
    assert.equal(await page.locator('#chat-model').count(), 0, 'no empty picker');

    await page.fill('#chat-prompt', 'Hello?');
    await page.click('#chat-send');
    await page.locator('.message.assistant[data-status="failed"]').waitFor({ timeout: 20_000 });
    await page.locator('.phase[data-phase="failed"]').waitFor({ state: 'attached' });
    const errors = page.locator('.error');
    assert.equal(await errors.count(), 1, `one error for one cause: ${await errors.allTextContents()}`);
    const error = errors.first();
    assert.equal(await error.locator('.error-title').textContent(), 'Authentication failed');
    assert.match(await error.locator('.error-advice').textContent(), /enter a valid key in Settings/);
    const details = error.locator('details.error-details');
    assert.equal(await details.getAttribute('open'), null, 'details start closed');
    assert.match(await details.locator('.error-code').textContent(), /^UNAUTHENTICATED \(16\)$/);
    const visible = await error.evaluate((node) => node.innerText);
    assert.ok(!visible.includes('UNAUTHENTICATED'), `the code is not the headline: ${visible}`);
    await details.locator('summary').click();
    assert.match(await error.evaluate((node) => node.innerText), /UNAUTHENTICATED \(16\)/);
    assert.match(await lastAnswer(page).locator('.status-note.failed').textContent(), /No answer: Authentication failed/);
    assert.ok(!(await page.content()).includes(wrongKey.slice(8)), 'the key is not on the page');

    // On Settings the same error tells the user what to do there, not to go to Settings.
    await page.click('header.nav a[href$="/settings"]');
    await page.click('#check-connection');
    const check = page.locator('.check-result .error');
    await check.waitFor({ timeout: 20_000 });
    assert.match(await check.locator('.error-advice').textContent(), /enter a valid key here/);
    assert.ok(!(await check.textContent()).includes('Settings'), await check.textContent());
    assert.equal(await check.locator('a').count(), 0, 'no link to the page it is on');
    await page.fill('#api-key', '');
    await page.close();
  });

  test('on Sample too, a bad key is said once: the run that fails for it points at the model list\'s error', async () => {
    const page = await suite.browser.newPage();
    await openApp(page, `${suite.gateway.url}/sample`);
    // A model is chosen while the key is good; then a wrong key is typed.
    await page.waitForFunction(() => document.querySelector('#sample-model')?.value, null, { timeout: 20_000 });
    await page.click('header.nav a[href$="/settings"]');
    await page.fill('#api-key', 'xai-wrong-key-0123456789abcdefghij');
    await page.click('header.nav a[href$="/sample"]');
    await page.locator('.error[data-code="16"]').waitFor({ timeout: 20_000 });
    await page.fill('#sample-prompt', 'Once upon a time');
    await page.click('#sample-run');
    await page.locator('.phase[data-phase="failed"]').waitFor({ state: 'attached', timeout: 20_000 });
    assert.match(await page.locator('.phase .status-note.failed').textContent(), /^Nothing sampled: Authentication failed/);
    assert.equal(await page.locator('.error').count(), 1, 'one error for one cause');
    await page.close();
  });

  test('a file that is not a chat export says so, without parser internals', async () => {
    const page = await suite.browser.newPage();
    await openApp(page, `${suite.gateway.url}/chat`);
    await page.click('.export summary');
    await page.setInputFiles('#import-file', { name: 'notes.json', mimeType: 'application/json', buffer: Buffer.from('not json at all') });
    const message = page.locator('.export .field-error');
    await message.waitFor();
    const text = await message.textContent();
    assert.match(text, /^“notes\.json”: This file is not a chat export \(it is not JSON\)\./);
    assert.ok(!/line \d|column \d|expected/.test(text), text);
    await page.close();
  });
});
