// Accessibility and fit of every page, at phone, laptop and desktop sizes in both themes:
// axe-core (from npm, run in the page) reports no serious or critical violation, no page is wider
// than the window, and on Chat (and in the widget) the composer and Send are on screen without
// scrolling. The pages: Chat with a conversation (code, a table, highlighted strings) and empty,
// the conversation drawer open (phone), Images, Models, a model, Batches, a batch, Keys, Sample,
// Settings, the shortcut sheet open, and the widget (/embed, its theme from the host's
// attribute). One page per size and theme moves through the app in-app, as a user does; the
// counts per page are printed for the record.
import { describe, test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { gatewayAndBrowser, openApp, sendChat, waitForChatModels } from './harness.mjs';

// axe-core's own build from node_modules. It is evaluated through the DevTools protocol rather
// than added as a <script>: the app's Content-Security-Policy (rightly) refuses inline scripts.
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

const VIEWPORTS = [
  { name: 'phone', width: 390, height: 844 },
  { name: 'laptop', width: 1280, height: 800 },
  { name: 'desktop', width: 1920, height: 1080 },
];
const THEMES = ['light', 'dark'];

const ANSWER = [
  'Here is a function:',
  '```rust',
  'fn greet(name: &str) -> String { let count = 42; format!("Hello, {name}! You are number {count}") } // says hello',
  '```',
  '| Language | Typed | Year |',
  '| --- | --- | --- |',
  '| Rust | yes | 2015 |',
  '| Python | no | 1991 |',
  'Some `inline code`, a [link](https://example.com) and a list:',
  '- one\n- two',
].join('\n\n');

/** An export file with one conversation whose answer holds code, a table, a link and a list. */
function exportFile() {
  const now = Date.now();
  return Buffer.from(JSON.stringify({
    format: 'xai-web-conversations', version: 1, conversations: [{
      id: 'a11y', title: 'A conversation with code and a table, to check every colour', created_ms: now, updated_ms: now,
      messages: [
        { id: 'u', role: 'user', content: 'Show me a function and a table.', status: { state: 'complete' } },
        { id: 'a', role: 'assistant', content: ANSWER, status: { state: 'complete' }, finish_reason: 'stop' },
      ],
    }],
  }));
}

/** Moves to `path` inside the app (the router follows history), without reloading it. */
async function goInApp(page, path) {
  await page.evaluate((path) => {
    history.pushState({}, '', path);
    dispatchEvent(new PopStateEvent('popstate', { state: {} }));
  }, path);
  await page.waitForFunction((path) => location.pathname === path, path);
}

/** Waits until the page shows `selector` and nothing in it is still loading. */
async function settle(page, selector) {
  await page.locator(selector).first().waitFor({ timeout: 20_000 });
  await page.waitForFunction(() => !document.querySelector('main .loading, main .spinner'), null, { timeout: 10_000 }).catch(() => {});
  await page.waitForTimeout(150);
}

/** axe-core's violations in the page: rule id, impact and how many elements. */
async function axeViolations(page) {
  const loaded = await page.evaluate(() => typeof window.axe !== 'undefined');
  if (!loaded) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    const results = await window.axe.run(document, { resultTypes: ['violations'] });
    return results.violations.map((v) => ({
      id: v.id, impact: v.impact, count: v.nodes.length,
      targets: v.nodes.slice(0, 3).map((n) => `${n.target.join(' ')}${n.any[0]?.message ? ` (${n.any[0].message})` : ''}`),
    }));
  });
}

/** The document's width against the window's. */
function widths(page) {
  return page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, width: innerWidth }));
}

/** Whether the element is entirely inside the window (with the page scrolled to its top). */
async function inView(page, selector) {
  const box = await page.locator(selector).boundingBox();
  const { width, height } = page.viewportSize();
  const scrolled = await page.evaluate(() => scrollY);
  return !!box && scrolled === 0 && box.x >= 0 && box.y >= 0 && box.x + box.width <= width + 0.5 && box.y + box.height <= height + 0.5;
}

/** The pages reached in-app from Chat: name, path, and what shows once it is ready. */
function pagesInApp(batchId) {
  return [
    ['images', '/images', '.images [role="tablist"]'],
    ['models', '/models', '.model-card'],
    ['model detail', '/models/grok-4-latest', '.model-detail h1'],
    ['batches', '/batches', '.batch-card'],
    ['batch detail', `/batches/${batchId}`, '.batch-summary[data-status="done"]'],
    ['keys', '/keys', '.keys h1'],
    ['sample', '/sample', '.sample form'],
    ['settings', '/settings', '.settings form'],
  ];
}

/** Every page's figures, printed at the end: `page -> "viewport theme" -> counts`. */
const report = new Map();

function record(name, combo, violations) {
  const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  if (!report.has(name)) report.set(name, {});
  report.get(name)[combo] = { serious: serious.reduce((n, v) => n + v.count, 0), all: violations.reduce((n, v) => n + v.count, 0) };
  return serious;
}

describe('accessibility and fit of every page', () => {
  const suite = gatewayAndBrowser(['--batch-interval-ms', '100']);
  const shared = { batchId: undefined, prepared: false };

  after(() => {
    const combos = VIEWPORTS.flatMap((v) => THEMES.map((t) => `${v.name} ${t}`));
    console.log('\naxe-core violations per page (serious+critical / all), per size and theme:');
    console.log(['page'.padEnd(22), ...combos.map((c) => c.padEnd(15))].join(' '));
    for (const [name, byCombo] of report) {
      console.log([name.padEnd(22), ...combos.map((c) => (byCombo[c] ? `${byCombo[c].serious} / ${byCombo[c].all}` : '-').padEnd(15))].join(' '));
    }
  });

  /** The data every size and theme shows: a conversation (in the browser's storage) and a finished batch. */
  async function prepare() {
    if (shared.prepared) return;
    const page = await suite.browser.newPage();
    await openApp(page, `${suite.gateway.url}/chat`);
    await waitForChatModels(page);
    await page.setInputFiles('#import-file', { name: 'a11y.json', mimeType: 'application/json', buffer: exportFile() });
    await page.locator('.conversation[data-id="a11y"]').waitFor({ state: 'attached' });
    // A second conversation with a real streamed answer, so the answer's meta line is there.
    await page.keyboard.press('Alt+N');
    await sendChat(page, 'Hello there');
    await page.locator('.message.assistant .answer-meta, .message.assistant [data-finish]').first().waitFor({ timeout: 20_000 }).catch(() => {});
    await page.click('header.nav a:text-is("Batches")');
    await page.locator('#batch-chat-model option').first().waitFor({ state: 'attached', timeout: 20_000 });
    await page.fill('#batch-name', 'Accessible batch');
    await page.fill('#batch-lines', 'Name three rivers\nimage: a lighthouse at dusk');
    await page.click('#batch-create');
    const link = page.locator('.created a', { hasText: 'Accessible batch' });
    await link.waitFor({ timeout: 10_000 });
    shared.batchId = new URL(await link.getAttribute('href'), suite.gateway.url).pathname.split('/').pop();
    await page.waitForFunction(() => document.querySelector('.batch-card[data-status="done"]'), null, { timeout: 20_000 });
    assert.deepEqual(page.errors, []);
    await page.close();
    shared.prepared = true;
  }

  for (const viewport of VIEWPORTS) {
    for (const theme of THEMES) {
      const combo = `${viewport.name} ${theme}`;
      test(`${viewport.width}x${viewport.height}, ${theme} theme: no serious axe violation, nothing wider than the window`, async () => {
        await prepare();
        const page = await suite.browser.newPage();
        await page.setViewportSize({ width: viewport.width, height: viewport.height });
        await page.addInitScript((theme) => localStorage.setItem('xai-web.theme', JSON.stringify(theme)), theme);
        const problems = [];
        const check = async (name, { composer = false } = {}) => {
          const serious = record(name, combo, await axeViolations(page));
          for (const v of serious) problems.push(`${name}: ${v.impact} ${v.id} ×${v.count}: ${v.targets.join('; ')}`);
          const size = await widths(page);
          if (size.scrollWidth > size.width) problems.push(`${name}: ${size.scrollWidth} px wide in a ${size.width} px window`);
          if (composer) {
            for (const control of ['#chat-prompt', '#chat-send']) {
              if (!(await inView(page, control))) problems.push(`${name}: ${control} is not on screen without scrolling`);
            }
          }
        };

        await openApp(page, `${suite.gateway.url}/chat`);
        assert.equal(await page.locator('html').getAttribute('data-theme'), theme);
        await waitForChatModels(page);
        // The conversation with code and a table (chosen from the list; on a phone it is in the
        // closed drawer, which a click through the DOM still reaches).
        await page.locator('.conversation[data-id="a11y"] .conversation-title').evaluate((title) => title.click());
        await settle(page, '.message.assistant .hl-str');
        await check('chat (conversation)', { composer: true });
        if (viewport.width <= 768) {
          // The conversation list as a drawer, open over the chat.
          await page.click('#chat-drawer-toggle');
          await page.waitForFunction(() => document.activeElement?.closest('#chat-drawer'));
          await check('chat drawer (open)');
          await page.keyboard.press('Escape');
          await page.waitForFunction(() => document.activeElement?.id === 'chat-drawer-toggle');
        }
        await page.keyboard.press('Alt+N');
        await page.waitForFunction(() => !document.querySelector('.thread .message'));
        await settle(page, '#chat-prompt');
        await check('chat (empty)', { composer: true });

        for (const [name, path, ready] of pagesInApp(shared.batchId)) {
          await goInApp(page, path);
          await settle(page, ready);
          await check(name);
        }

        // The shortcut sheet, open over the last page.
        await page.locator('body').focus();
        await page.keyboard.press('?');
        await page.waitForFunction(() => document.activeElement?.closest('.shortcut-sheet'));
        await check('shortcut sheet (open)');
        await page.keyboard.press('Escape');
        await page.locator('.shortcut-sheet').waitFor({ state: 'detached' });

        // The widget: its own document, with the theme its host page's attribute gives.
        await page.goto(`${suite.gateway.url}/embed?theme=${theme}&title=Help`);
        await page.locator('.widget #chat-prompt').waitFor({ timeout: 20_000 });
        assert.equal(await page.locator('html').getAttribute('data-theme'), theme, "the widget follows the host's theme");
        await waitForChatModels(page);
        await settle(page, '.widget #chat-send');
        await check('widget (/embed)', { composer: true });

        assert.deepEqual(page.errors, []);
        assert.deepEqual(problems, [], problems.join('\n'));
        await page.close();
      });
    }
  }

  test('one palette for both themes: light, dark and system (either OS setting) and the widget use the same tokens', async () => {
    await prepare();
    const page = await suite.browser.newPage();
    const colours = {};
    for (const theme of THEMES) {
      await page.addInitScript((theme) => localStorage.setItem('xai-web.theme', JSON.stringify(theme)), theme);
      await openApp(page, `${suite.gateway.url}/settings`);
      // Settings' code comes on demand (src/pages.rs): its buttons once it is there.
      await page.locator('main button').first().waitFor({ timeout: 20_000 });
      colours[theme] = await page.evaluate(() => {
        const body = getComputedStyle(document.body);
        const button = getComputedStyle(document.querySelector('main button'));
        return { bg: body.backgroundColor, fg: body.color, button: button.backgroundColor };
      });
    }
    assert.notEqual(colours.light.bg, colours.dark.bg);
    assert.notEqual(colours.light.fg, colours.dark.fg);
    assert.notEqual(colours.light.button, colours.dark.button);
    // "system" follows the OS with the same palette.
    await page.addInitScript(() => localStorage.setItem('xai-web.theme', JSON.stringify('system')));
    for (const scheme of THEMES) {
      await page.emulateMedia({ colorScheme: scheme });
      await openApp(page, `${suite.gateway.url}/settings`);
      assert.equal(await page.locator('html').getAttribute('data-theme'), 'system');
      assert.equal(await page.evaluate(() => getComputedStyle(document.body).backgroundColor), colours[scheme].bg, `system, OS ${scheme}`);
    }
    await page.emulateMedia({ colorScheme: 'light' });
    await page.goto(`${suite.gateway.url}/embed?theme=dark`);
    await page.locator('.widget #chat-prompt').waitFor({ timeout: 20_000 });
    assert.equal(await page.evaluate(() => getComputedStyle(document.body).backgroundColor), colours.dark.bg);
    assert.deepEqual(page.errors, []);
    await page.close();
  });
});
