// The keyboard's other paths: the arrow keys in a tab list (one Tab stop, Left/Right/Home/End
// move and select); the shortcut sheet: `?` opens it (not while typing), the focus is inside and
// stays there, Esc closes it and the focus comes back, and Esc there does not also stop an answer
// on the page below; and the confirmations (delete a key, cancel a batch) take the focus and
// give it back.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { gatewayAndBrowser, openApp, waitForChatModels } from './harness.mjs';

/** The focused element: id, text, role, and whether it is inside the sheet. */
function focused(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    return { id: el?.id ?? '', text: (el?.textContent ?? '').trim(), inSheet: !!el?.closest('.shortcut-sheet') };
  });
}

/** Which Images tab is selected and which panel shows. */
function imagesTabs(page) {
  return page.evaluate(() => ({
    selected: document.querySelector('[role="tab"][aria-selected="true"]')?.id,
    tabStops: [...document.querySelectorAll('[role="tab"]')].filter((t) => t.tabIndex === 0).map((t) => t.id),
    shown: [...document.querySelectorAll('[role="tabpanel"]')].filter((p) => !p.hidden).map((p) => p.id),
    focused: document.activeElement?.id,
  }));
}

describe('tab lists, the shortcut sheet and confirmations by keyboard', () => {
  // Slow answers (Stop stays available), and batches that stay pending (Cancel stays available).
  const suite = gatewayAndBrowser(['--stream-rate', '20', '--min-answer-chars', '3000', '--batch-interval-ms', '600000']);

  test('the Images tabs: one Tab stop, the arrows, Home and End move the focus and select', async () => {
    const page = await suite.browser.newPage();
    await openApp(page, `${suite.gateway.url}/images`);
    await page.locator('#tab-create').waitFor();
    assert.deepEqual(await imagesTabs(page), { selected: 'tab-create', tabStops: ['tab-create'], shown: ['tab-create-panel'], focused: '' });
    assert.equal(await page.getAttribute('#tab-create', 'aria-controls'), 'tab-create-panel');
    await page.focus('#tab-create');
    await page.keyboard.press('ArrowRight');
    assert.deepEqual(await imagesTabs(page), { selected: 'tab-edit', tabStops: ['tab-edit'], shown: ['tab-edit-panel'], focused: 'tab-edit' });
    await page.keyboard.press('ArrowRight');
    assert.equal((await imagesTabs(page)).focused, 'tab-create', 'Right wraps round from the last tab');
    await page.keyboard.press('ArrowLeft');
    assert.equal((await imagesTabs(page)).selected, 'tab-edit', 'Left wraps round from the first tab');
    await page.keyboard.press('Home');
    assert.deepEqual(await imagesTabs(page), { selected: 'tab-create', tabStops: ['tab-create'], shown: ['tab-create-panel'], focused: 'tab-create' });
    await page.keyboard.press('End');
    assert.equal((await imagesTabs(page)).selected, 'tab-edit');
    // Tab leaves the tab list for the panel, not for the other tab.
    await page.keyboard.press('Tab');
    const after = await page.evaluate(() => document.activeElement?.getAttribute('role'));
    assert.notEqual(after, 'tab');
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  test('? opens the shortcut sheet; the focus stays inside; Esc closes it and gives the focus back', async () => {
    const page = await suite.browser.newPage();
    await openApp(page, `${suite.gateway.url}/models`);
    await page.locator('.model-card').first().waitFor({ timeout: 20_000 });
    // From a link of the navigation.
    await page.focus('header.nav a:text-is("Keys")');
    await page.keyboard.press('?');
    const sheet = page.locator('[role="dialog"][aria-modal="true"]');
    await sheet.waitFor();
    assert.equal(await sheet.getAttribute('aria-labelledby'), 'shortcut-sheet-title');
    assert.equal(await page.locator('#shortcut-sheet-title').textContent(), 'Keyboard shortcuts');
    const listed = await sheet.locator('.shortcut').evaluateAll((rows) => rows.map((row) => row.querySelector('dt').textContent));
    for (const keys of ['?', 'AltN', 'Enter', 'ShiftEnter', 'Esc']) assert.ok(listed.includes(keys), `the sheet lists ${keys}: ${listed}`);
    await page.waitForFunction(() => document.activeElement?.closest('.shortcut-sheet'));
    assert.deepEqual(await focused(page), { id: '', text: 'Close', inSheet: true });
    // The app behind it is inert; Tab and Shift+Tab stay in the sheet.
    assert.equal(await page.locator('.shell').getAttribute('inert'), '');
    for (const key of ['Tab', 'Tab', 'Shift+Tab', 'Shift+Tab', 'Tab']) {
      await page.keyboard.press(key);
      assert.equal((await focused(page)).inSheet, true, `${key} left the sheet`);
    }
    await page.keyboard.press('Escape');
    await sheet.waitFor({ state: 'detached' });
    assert.equal(await page.locator('.shell').getAttribute('inert'), null);
    assert.deepEqual(await focused(page), { id: '', text: 'Keys', inSheet: false }, 'the focus is back where it was');
    assert.equal(new URL(page.url()).pathname, '/models');

    // The navigation's "?" button opens it too; its Close button closes it, the focus back on the button.
    await page.click('.shortcuts-button');
    await sheet.waitFor();
    await page.waitForFunction(() => document.activeElement?.closest('.shortcut-sheet'));
    await page.keyboard.press('Enter');
    await sheet.waitFor({ state: 'detached' });
    assert.equal(await page.evaluate(() => document.activeElement?.className), 'shortcuts-button');
    // A click beside the sheet closes it.
    await page.keyboard.press('?');
    await sheet.waitFor();
    await page.mouse.click(5, 400);
    await sheet.waitFor({ state: 'detached' });
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  test('? typed in a field is text; Esc in the sheet does not stop the answer on the page', async () => {
    const page = await suite.browser.newPage();
    await openApp(page, `${suite.gateway.url}/chat`);
    await waitForChatModels(page);
    await page.focus('#chat-prompt');
    await page.keyboard.type('Why? ');
    assert.equal(await page.inputValue('#chat-prompt'), 'Why? ');
    assert.equal(await page.locator('.shortcut-sheet').count(), 0, 'no sheet while typing');
    // A slow answer (20 tokens a second); the sheet opened from the page while it streams.
    await page.fill('#chat-prompt', 'Tell me a long story about the sea');
    await page.click('#chat-send');
    await page.locator('#chat-stop:not([disabled])').waitFor();
    await page.focus('#chat-stop');
    await page.keyboard.press('?');
    await page.locator('.shortcut-sheet').waitFor();
    await page.keyboard.press('Escape');
    await page.locator('.shortcut-sheet').waitFor({ state: 'detached' });
    assert.equal(await page.locator('#chat-stop').isDisabled(), false, 'the answer is still being written');
    // Esc on the page stops it, as before.
    await page.keyboard.press('Escape');
    await page.locator('#chat-stop[disabled]').waitFor({ timeout: 5_000 });
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  test("a key's Delete question takes the focus; Esc gives it back to that key's Delete", async () => {
    const page = await suite.browser.newPage();
    await openApp(page, `${suite.gateway.url}/keys`);
    const del = page.locator('.key-row .delete-key').first();
    await del.waitFor({ timeout: 20_000 });
    const id = await page.locator('.key-row').first().getAttribute('data-id');
    await del.focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.activeElement?.id === 'cancel-delete');
    await page.keyboard.press('Escape');
    await page.locator('#confirm-delete').waitFor({ state: 'detached' });
    await page.waitForFunction((id) => document.activeElement?.matches(`.key-row[data-id="${id}"] .delete-key`), id);
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  test("a batch's Cancel question takes the focus on Keep it running; Esc or Keep gives it back to Cancel batch", async () => {
    const page = await suite.browser.newPage();
    await openApp(page, `${suite.gateway.url}/batches`);
    await page.locator('#batch-chat-model option').first().waitFor({ state: 'attached', timeout: 20_000 });
    // Two waiting batches: the focus must come back to the Cancel of the one asked about.
    for (const name of ['Older batch', 'Newer batch']) {
      await page.fill('#batch-name', name);
      await page.fill('#batch-lines', 'Name three rivers');
      await page.click('#batch-create');
      await page.locator('.batch-card', { hasText: name }).locator('.cancel-batch').waitFor({ timeout: 10_000 });
    }
    const cards = await page.locator('.batch-card .batch-head a').allTextContents();
    const asked = cards[cards.length - 1];
    const onAskedCancel = (name) => document.activeElement?.classList.contains('cancel-batch')
      && document.activeElement.closest('.batch-card')?.textContent.includes(name);
    await page.locator('.batch-card', { hasText: asked }).locator('.cancel-batch').focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.activeElement?.classList.contains('confirm-keep'));
    await page.keyboard.press('Escape');
    await page.locator('.confirm-keep').waitFor({ state: 'detached' });
    await page.waitForFunction(onAskedCancel, asked);
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.activeElement?.classList.contains('confirm-keep'));
    await page.keyboard.press('Enter');
    await page.locator('.confirm-keep').waitFor({ state: 'detached' });
    await page.waitForFunction(onAskedCancel, asked);
    assert.deepEqual(page.errors, []);
    await page.close();
  });
});
