// Keyboard and assistive technology in the shell: a skip link first in the tab order that moves
// focus to the page's content; the file pickers (Attach image, Import JSON, the Images page's
// "choose a file") reached with Tab and opened with Enter or Space; a document title per page;
// and the Chat link marked current at `/` as at `/chat`.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { gatewayAndBrowser, openApp, waitForChatModels } from './harness.mjs';

const PAGES = ['/', '/chat', '/images', '/models', '/models/grok-4-latest', '/batches', '/keys', '/sample', '/settings', '/no-such-page'];

/** What has focus: its tag, id and text. */
function focused(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    return { tag: el?.tagName.toLowerCase(), id: el?.id ?? '', text: (el?.textContent ?? '').trim() };
  });
}

/** Presses Tab until the focused element's text is `text` (or matches it); fails after `limit` presses. */
async function tabTo(page, text, limit = 120) {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab');
    const now = await focused(page);
    if (text instanceof RegExp ? text.test(now.text) : now.text === text) return now;
  }
  assert.fail(`Tab never reached "${text}" in ${limit} presses`);
}

/** Focuses the page's start (as after loading it), so the next Tab goes to the first control. */
async function fromPageStart(page) {
  await page.evaluate(() => { document.activeElement?.blur(); window.getSelection()?.removeAllRanges(); });
  await page.locator('body').focus();
}

/**
 * Presses `key` on the focused control and returns the file input it clicked (its id and whether
 * it takes several files): a click on a file input is what opens the browser's chooser. The
 * click is recorded and its default cancelled, so no dialog opens: headless Chromium's own
 * choosers, opened one after another, sometimes never showed (about one run in three), which
 * made a test of the page depend on the browser's dialog handling.
 */
async function opensFileChooser(page, key) {
  await page.evaluate(() => {
    window.clickedFileInputs = [];
    if (window.recordingFileClicks) return;
    window.recordingFileClicks = true;
    document.addEventListener('click', (event) => {
      const input = event.target;
      if (input instanceof HTMLInputElement && input.type === 'file') {
        event.preventDefault();
        window.clickedFileInputs.push({ id: input.id, multiple: input.multiple });
      }
    }, true);
  });
  await page.keyboard.press(key);
  await page.waitForFunction(() => window.clickedFileInputs.length > 0, null, { timeout: 5_000 }).catch(() => {});
  const [clicked] = await page.evaluate(() => window.clickedFileInputs);
  assert.ok(clicked, `${key} clicked no file input`);
  return clicked;
}

describe('keyboard and assistive technology', () => {
  const suite = gatewayAndBrowser();

  test('the skip link comes first, shows when focused, and moves focus to the content', async () => {
    const page = await suite.browser.newPage();
    await openApp(page, `${suite.gateway.url}/models`);
    await page.locator('.model-card, .models, table, main h1').first().waitFor({ timeout: 20_000 });
    await fromPageStart(page);
    await page.keyboard.press('Tab');
    assert.deepEqual(await focused(page), { tag: 'a', id: '', text: 'Skip to content' });
    const box = await page.locator('.skip-link').boundingBox();
    assert.ok(box && box.y >= 0 && box.height > 0, `the focused skip link is on screen: ${JSON.stringify(box)}`);
    await page.keyboard.press('Enter');
    assert.equal((await focused(page)).tag, 'main', 'Enter on the skip link focuses <main>');
    assert.equal(new URL(page.url()).pathname, '/models', 'the page did not change');
    // The next Tab goes into the content, not back through the navigation.
    await page.keyboard.press('Tab');
    const inNav = await page.evaluate(() => !!document.activeElement?.closest('header.nav'));
    assert.equal(inNav, false, 'after the skip link, Tab stays in the content');
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  test('Attach image and Import JSON are reached with Tab and open the file chooser with Enter and Space', async () => {
    const page = await suite.browser.newPage();
    await openApp(page, `${suite.gateway.url}/chat`);
    await waitForChatModels(page);
    await fromPageStart(page);
    await tabTo(page, 'Attach image');
    let chooser = await opensFileChooser(page, 'Enter');
    assert.equal(chooser.id, 'chat-attach');
    assert.equal(chooser.multiple, true);
    chooser = await opensFileChooser(page, 'Space');
    assert.equal(chooser.id, 'chat-attach');

    // Import JSON is inside the "Export / import" disclosure, opened from the keyboard too.
    await fromPageStart(page);
    await tabTo(page, 'Export / import');
    await page.keyboard.press('Enter');
    await tabTo(page, 'Import JSON');
    chooser = await opensFileChooser(page, 'Space');
    assert.equal(chooser.id, 'import-file');
    chooser = await opensFileChooser(page, 'Enter');
    assert.equal(chooser.id, 'import-file');
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  test("the Images page's file buttons are reached with Tab and open the file chooser", async () => {
    const page = await suite.browser.newPage();
    await openApp(page, `${suite.gateway.url}/images`);
    // The pickers are on the Edit tab, chosen from the keyboard too: Tab reaches the selected
    // tab (Create), the right arrow moves to Edit and shows it.
    await fromPageStart(page);
    await tabTo(page, 'Create');
    await page.keyboard.press('ArrowRight');
    await page.locator('.drop-zone').first().waitFor({ timeout: 20_000 });
    await tabTo(page, 'choose a file');
    let chooser = await opensFileChooser(page, 'Enter');
    assert.equal(chooser.id, 'edit-source');
    // The reference images' picker is inside a disclosure.
    await tabTo(page, /^Reference images \(/);
    await page.keyboard.press('Enter');
    await tabTo(page, 'choose a file');
    chooser = await opensFileChooser(page, 'Space');
    assert.equal(chooser.id, 'edit-references');
    assert.equal(chooser.multiple, true);
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  test('every page has a title of its own', async () => {
    const page = await suite.browser.newPage();
    const titles = {};
    for (const path of PAGES) {
      await openApp(page, `${suite.gateway.url}${path}`);
      // The detail page names the model once it is loaded.
      const settled = path.startsWith('/models/') ? page.locator('.model-detail h1').waitFor() : Promise.resolve();
      await settled;
      await page.waitForFunction(() => document.title !== 'xai-web', null, { timeout: 10_000 }).catch(() => {});
      titles[path] = await page.title();
    }
    assert.equal(titles['/'], 'Chat — xai-web');
    assert.equal(titles['/chat'], 'Chat — xai-web');
    assert.equal(titles['/models'], 'Models — xai-web');
    assert.equal(titles['/models/grok-4-latest'], 'grok-4 — Models — xai-web', "the model's own name, not the alias in the URL");
    const distinct = new Set(PAGES.filter((p) => p !== '/').map((p) => titles[p]));
    assert.equal(distinct.size, PAGES.length - 1, `titles: ${JSON.stringify(titles, null, 1)}`);
    for (const title of distinct) assert.match(title, / — xai-web$/);
    // Moving between pages in the app (no reload) changes the title too.
    await page.click('header.nav a:text-is("Keys")');
    await page.waitForFunction(() => document.title === 'Keys — xai-web', null, { timeout: 5_000 });
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  test('the Chat link is marked current at / as at /chat, and only it', async () => {
    const page = await suite.browser.newPage();
    for (const path of ['/', '/chat']) {
      await openApp(page, `${suite.gateway.url}${path}`);
      const current = page.locator('header.nav a[aria-current="page"]');
      await current.first().waitFor({ timeout: 5_000 });
      assert.deepEqual(await current.allTextContents(), ['Chat'], `at ${path}`);
      // It looks current as well: the accent background, unlike the other links.
      const [chat, images] = await Promise.all(['Chat', 'Images'].map((label) =>
        page.locator(`header.nav a:text-is("${label}")`).evaluate((a) => getComputedStyle(a).backgroundColor)));
      assert.notEqual(chat, images, `at ${path} the current link looks different`);
    }
    await openApp(page, `${suite.gateway.url}/models/grok-4-latest`);
    assert.deepEqual(await page.locator('header.nav a[aria-current="page"]').allTextContents(), ['Models']);
    // Client-side navigation moves the mark.
    await page.click('header.nav a:text-is("Settings")');
    await page.waitForFunction(() => document.querySelector('header.nav a[aria-current="page"]')?.textContent === 'Settings');
    assert.deepEqual(page.errors, []);
    await page.close();
  });
});
