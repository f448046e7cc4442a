// The layout of every page at phone, laptop and desktop sizes in both themes, with content that
// used to break it: 13 chats with long titles and an answer holding a long code line and a wide
// table. Chat is exactly the window's height (the thread scrolls, the composer stays in view),
// no page is wider than the window, and at phone width the conversation list is a drawer that
// the keyboard opens and closes. The list groups chats by date and keeps each row's actions in
// a menu the keyboard can use.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { gatewayAndBrowser, openApp, waitForChatModels } from './harness.mjs';

const VIEWPORTS = [
  { name: 'phone', width: 390, height: 844 },
  { name: 'laptop', width: 1280, height: 800 },
  { name: 'desktop', width: 1920, height: 1080 },
];
const THEMES = ['light', 'dark'];
const OTHER_PAGES = ['/images', '/models', '/batches', '/keys', '/sample', '/settings'];

const LONG_TITLE = (n) => `Migrating the billing service's nightly reconciliation job to the new event pipeline, part ${n}`;
const WIDE_ANSWER = [
  'Here is the script:',
  '```rust',
  `fn main() { let reconciliation_report_for_every_account_in_every_region = vec![${'"account", '.repeat(40)}]; println!("{:?}", reconciliation_report_for_every_account_in_every_region); }`,
  '```',
  'And the figures:',
  [`| ${Array.from({ length: 14 }, (_, i) => `Column heading ${i + 1}`).join(' | ')} |`,
  `|${' --- |'.repeat(14)}`,
  `| ${Array.from({ length: 14 }, (_, i) => `value-${i + 1}-with-some-width`).join(' | ')} |`].join('\n'),
  ...Array.from({ length: 40 }, (_, i) => `Paragraph ${i + 1}: the answer goes on long enough that the thread has to scroll at every window size.`),
].join('\n\n');

/** An export file with 13 conversations; the newest ("wide") has the answer above. */
function exportFile() {
  const now = Date.now();
  const conversations = Array.from({ length: 13 }, (_, i) => ({
    id: i === 0 ? 'wide' : `chat-${i}`,
    title: LONG_TITLE(i + 1),
    created_ms: now - i * 3_600_000,
    updated_ms: now - i * 3_600_000,
    messages: [
      { id: 'u', role: 'user', content: `Question ${i + 1}: ${LONG_TITLE(i + 1)}`, status: { state: 'complete' } },
      { id: 'a', role: 'assistant', content: i === 0 ? WIDE_ANSWER : 'A short answer.', status: { state: 'complete' }, finish_reason: 'stop' },
    ],
  }));
  return Buffer.from(JSON.stringify({ format: 'xai-web-conversations', version: 1, conversations }));
}

/** What overflows: the document's size against the window's. */
function pageSize(page) {
  return page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    scrollHeight: document.documentElement.scrollHeight,
    width: innerWidth,
    height: innerHeight,
  }));
}

/** Asserts that the element is entirely inside the window. */
async function assertInView(page, selector) {
  const box = await page.locator(selector).boundingBox();
  assert.ok(box, `${selector} is shown`);
  const { width, height } = page.viewportSize();
  assert.ok(box.x >= 0 && box.y >= 0 && box.x + box.width <= width + 0.5 && box.y + box.height <= height + 0.5,
    `${selector} is inside the ${width}x${height} window: ${JSON.stringify(box)}`);
}

/** The id of the focused element, or its class if it has none. */
function focused(page) {
  return page.evaluate(() => {
    const active = document.activeElement;
    return { id: active?.id, inDrawer: !!active?.closest('#chat-drawer'), title: active?.getAttribute('title') };
  });
}

describe('chat layout', () => {
  const suite = gatewayAndBrowser();

  for (const viewport of VIEWPORTS) {
    for (const theme of THEMES) {
      test(`${viewport.name} ${viewport.width}x${viewport.height}, ${theme} theme: Chat fits the window, nothing is wider than it`, async () => {
        const page = await suite.browser.newPage();
        await page.setViewportSize({ width: viewport.width, height: viewport.height });
        await page.addInitScript((theme) => localStorage.setItem('xai-web.theme', JSON.stringify(theme)), theme);
        await openApp(page, `${suite.gateway.url}/chat`);
        assert.equal(await page.locator('html').getAttribute('data-theme'), theme);
        await waitForChatModels(page);
        await page.setInputFiles('#import-file', { name: 'long.json', mimeType: 'application/json', buffer: exportFile() });
        await page.locator('.conversation[data-id="chat-12"]').waitFor({ state: 'attached' });
        const phone = viewport.width <= 768;

        if (phone) {
          // The list is a drawer, closed: its rows cannot be seen or reached.
          assert.equal(await page.locator('.conversation[data-id="wide"] .conversation-title').isVisible(), false);
          // Opened with the keyboard from the header button; the focus goes into it.
          await page.focus('#chat-drawer-toggle');
          await page.keyboard.press('Enter');
          await page.locator('#chat-drawer .conversation-title').first().waitFor();
          assert.equal(await page.getAttribute('#chat-drawer-toggle', 'aria-expanded'), 'true');
          await page.waitForFunction(() => document.activeElement?.closest('#chat-drawer'));
          // While it is open, Tab does not reach what it covers.
          for (let i = 0; i < 40; i += 1) {
            await page.keyboard.press('Tab');
            const outside = await page.evaluate(() => !!document.activeElement?.closest('.chat-main, header.nav'));
            assert.equal(outside, false, `Tab ${i + 1} left the open drawer`);
          }
          await page.focus('#chat-drawer #new-chat');
          // Esc closes it and gives the focus back.
          await page.keyboard.press('Escape');
          await page.locator('#chat-drawer .conversation-title').first().waitFor({ state: 'hidden' });
          await page.waitForFunction(() => document.activeElement?.id === 'chat-drawer-toggle');
          assert.equal(await page.getAttribute('#chat-drawer-toggle', 'aria-expanded'), 'false');
          // A click on the backdrop closes it too.
          await page.keyboard.press('Enter');
          await page.locator('.drawer-backdrop').waitFor();
          await page.mouse.click(viewport.width - 10, viewport.height / 2);
          await page.locator('.drawer-backdrop').waitFor({ state: 'detached' });
          assert.equal(await page.locator('#chat-drawer .conversation-title').first().isVisible(), false);
          // The focus is back on the button (the next frame), so Enter opens the drawer again.
          await page.waitForFunction(() => document.activeElement?.id === 'chat-drawer-toggle');
          // Choosing a chat with the keyboard opens it and closes the drawer.
          await page.keyboard.press('Enter');
          await page.waitForFunction(() => document.activeElement?.closest('#chat-drawer'));
          await page.focus('.conversation[data-id="wide"] .conversation-title');
          await page.keyboard.press('Enter');
          await page.locator('.conversation[data-id="wide"] .conversation-title').waitFor({ state: 'hidden' });
          await page.waitForFunction(() => document.activeElement?.id === 'chat-drawer-toggle');
        } else {
          assert.equal(await page.locator('#chat-drawer-toggle').isVisible(), false, 'no drawer button beside the list');
          await page.click('.conversation[data-id="wide"] .conversation-title');
        }
        await page.locator('.message.assistant pre').waitFor();
        await page.locator('.message.assistant table').waitFor();
        assert.equal(await page.locator('.conversation.selected').getAttribute('data-id'), 'wide');

        // The whole title is there on hover, in the list and in the header.
        assert.equal(await page.getAttribute('.conversation[data-id="chat-5"] .conversation-title', 'title'), LONG_TITLE(6));
        assert.equal(await page.getAttribute('.chat-title', 'title'), LONG_TITLE(1));

        // Not wider and not taller than the window: the page itself does not scroll.
        const size = await pageSize(page);
        assert.ok(size.scrollWidth <= size.width, `Chat is ${size.scrollWidth} px wide in a ${size.width} px window`);
        assert.ok(size.scrollHeight <= size.height, `Chat is ${size.scrollHeight} px tall in a ${size.height} px window`);
        // The composer's controls are in view without scrolling.
        for (const control of ['#chat-send', '#chat-stop', '#chat-model', '#chat-prompt']) await assertInView(page, control);
        // The thread is what scrolls; the code and the table scroll inside their own boxes.
        const thread = await page.locator('.thread').evaluate((t) => ({
          overflowsDown: t.scrollHeight > t.clientHeight,
          overflowsSideways: t.scrollWidth > t.clientWidth,
          codeScrolls: [...t.querySelectorAll('pre')].some((pre) => pre.scrollWidth > pre.clientWidth),
          tableScrolls: [...t.querySelectorAll('table')].some((table) => table.scrollWidth > table.clientWidth),
        }));
        assert.deepEqual(thread, { overflowsDown: true, overflowsSideways: false, codeScrolls: true, tableScrolls: true });
        await assertInView(page, '.thread');
        // The navigation is one row.
        const rows = await page.locator('header.nav nav a').evaluateAll((links) => new Set(links.map((a) => a.offsetTop)).size);
        assert.equal(rows, 1, 'the navigation links are on one row');

        for (const path of OTHER_PAGES) {
          await page.click(`header.nav a[href$="${path}"]`);
          await page.waitForFunction((path) => location.pathname.endsWith(path), path);
          await page.waitForTimeout(300);
          const other = await pageSize(page);
          assert.ok(other.scrollWidth <= other.width, `${path} is ${other.scrollWidth} px wide in a ${other.width} px window`);
        }
        assert.deepEqual(page.errors, []);
        await page.close();
      });
    }
  }

  test('the conversation list groups chats by date; a row menu renames and deletes by keyboard', async () => {
    const page = await suite.browser.newPage();
    await page.setViewportSize({ width: 1280, height: 800 });
    await openApp(page, `${suite.gateway.url}/chat`);
    await waitForChatModels(page);
    // Times relative to the browser's local midnight.
    const times = await page.evaluate(() => {
      const midnight = new Date();
      midnight.setHours(0, 0, 0, 0);
      const day = 86_400_000;
      const start = midnight.getTime();
      return { today: Date.now(), yesterday: start - day / 2, lastWeek: start - 3.5 * day, older: start - 40 * day };
    });
    const chats = [['d-today', times.today], ['d-yesterday', times.yesterday], ['d-week', times.lastWeek], ['d-older', times.older], ['d-older-2', times.older - 1000]];
    const file = { format: 'xai-web-conversations', version: 1, conversations: chats.map(([id, at]) => ({
      id, title: `Chat ${id}`, created_ms: at, updated_ms: at,
      messages: [{ id: 'u', role: 'user', content: `About ${id}`, status: { state: 'complete' } }],
    })) };
    await page.setInputFiles('#import-file', { name: 'dated.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(file)) });
    await page.locator('.conversation[data-id="d-older-2"]').waitFor();
    const groups = await page.locator('.conversation-group').evaluateAll((sections) => sections.map((s) => [
      s.querySelector('.conversation-group-label').textContent,
      [...s.querySelectorAll('.conversation')].map((row) => row.dataset.id).filter((id) => id.startsWith('d-')),
    ]));
    assert.deepEqual(groups, [['Today', ['d-today']], ['Yesterday', ['d-yesterday']], ['Previous 7 days', ['d-week']], ['Older', ['d-older', 'd-older-2']]]);
    // No Rename or Delete on show: they are in the row's menu.
    assert.equal(await page.locator('.conversation button.rename, .conversation button.delete').count(), 0);

    const row = page.locator('.conversation[data-id="d-week"]');
    const activeClass = () => page.evaluate(() => document.activeElement?.className);
    await row.locator('.row-menu-button').focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.activeElement?.classList.contains('rename'));
    assert.equal(await row.locator('.row-menu-button').getAttribute('aria-expanded'), 'true');
    await page.keyboard.press('ArrowDown');
    assert.equal(await activeClass(), 'delete');
    await page.keyboard.press('ArrowDown');
    assert.equal(await activeClass(), 'rename', 'the arrows wrap round');
    // Esc closes the menu and the focus is back on its button.
    await page.keyboard.press('Escape');
    await row.locator('[role="menu"]').waitFor({ state: 'detached' });
    assert.equal(await activeClass(), 'row-menu-button');
    // Rename: the focus goes into the field, and back to the title after Enter.
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.activeElement?.classList.contains('rename'));
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.activeElement?.classList.contains('rename-input'));
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.type('Renamed by keyboard');
    await page.keyboard.press('Enter');
    await page.locator('.conversation[data-id="d-week"]', { hasText: 'Renamed by keyboard' }).waitFor();
    await page.waitForFunction(() => document.activeElement?.closest('.conversation')?.dataset.id === 'd-week'
      && document.activeElement.classList.contains('conversation-title'));
    // Delete (the last item, by ArrowUp): the focus goes to Undo, and Enter there restores it.
    await page.focus('.conversation[data-id="d-week"] .row-menu-button');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.activeElement?.classList.contains('rename'));
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('Enter');
    await page.locator('.conversation[data-id="d-week"]').waitFor({ state: 'detached' });
    await page.waitForFunction(() => document.activeElement?.id === 'undo-delete');
    await page.keyboard.press('Enter');
    await page.locator('.conversation[data-id="d-week"]', { hasText: 'Renamed by keyboard' }).waitFor();
    assert.deepEqual(page.errors, []);
    await page.close();
  });
});
