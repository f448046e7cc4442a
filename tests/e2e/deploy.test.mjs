// Deployments beyond the gateway: the release build served by a plain static host under a sub
// path, its endpoint taken from the runtime config file beside index.html; and the chat
// embedded as a widget in a page of another origin.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { readFileSync, existsSync, statSync } from 'node:fs';
import { extname, join, normalize } from 'node:path';
import { ROOT, startBrowser, startGateway, waitForChatModels } from './harness.mjs';

const DIST = process.env.XAI_WEB_DIST ?? join(ROOT, 'dist');
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css', '.json': 'application/json' };

/** A static host: `routes` answer first; `dir` is served under `prefix` with an SPA fallback. */
async function startStaticHost({ prefix = '/', dir = null, routes = {} }) {
  const requests = [];
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    requests.push(path);
    if (routes[path]) {
      const [type, body] = routes[path]();
      res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' });
      return res.end(body);
    }
    if (dir && path.startsWith(prefix)) {
      let file = join(dir, normalize(path.slice(prefix.length)).replace(/^(\.\.[/\\])+/, ''));
      if (!existsSync(file) || statSync(file).isDirectory()) file = join(dir, 'index.html');
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
      return res.end(readFileSync(file));
    }
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('not found');
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${server.address().port}`, requests, stop: () => new Promise((r) => { server.close(r); server.closeAllConnections(); }) };
}

describe('deployments', () => {
  let browser;
  before(async () => { browser = await startBrowser(); });
  after(async () => { await browser?.stop(); });

  test('a static host under a sub path: deep links load, the endpoint comes from config.json', async () => {
    let config = '{}';
    const host = await startStaticHost({ prefix: '/tools/xai/', dir: DIST, routes: { '/tools/xai/config.json': () => ['application/json', config] } });
    const gateway = await startGateway(['--cors-origin', host.url]);
    config = JSON.stringify({ endpoint: `${gateway.url}/`, defaultModel: 'grok-3-mini' });
    try {
      const page = await browser.newPage();
      // A deep link straight to a model's page, reloaded from the static host.
      await page.goto(`${host.url}/tools/xai/models`);
      await page.locator('header.nav').waitFor({ timeout: 20_000 });
      await page.locator('a[href="/tools/xai/models/grok-4"]').first().waitFor({ timeout: 20_000 });
      assert.ok(host.requests.some((p) => /^\/tools\/xai\/xai-web-[0-9a-f]+_bg\.wasm$/.test(p)), 'the wasm loads from under the base');
      assert.match(gateway.log(), /ListModels/, 'the calls go to the endpoint from config.json');
      await page.click('a[href="/tools/xai/models/grok-4"]');
      await page.waitForURL(`${host.url}/tools/xai/models/grok-4`);
      await page.reload();
      await page.locator('.model-detail, h1:has-text("grok-4")').first().waitFor({ timeout: 20_000 });
      // The nav links stay under the base, and the chat starts with the configured model.
      await page.click('header.nav a:has-text("Chat")');
      await page.waitForURL(`${host.url}/tools/xai/chat`);
      await waitForChatModels(page);
      assert.equal(await page.locator('#chat-model').inputValue(), 'grok-3-mini');
      await page.fill('#chat-prompt', 'Hello from a static host');
      await page.click('#chat-send');
      await page.locator('.message.assistant .finish-reason').waitFor({ timeout: 30_000 });
      // The user's own endpoint in Settings wins over the deployment's.
      await page.click('header.nav a:has-text("Settings")');
      assert.equal(await page.locator('#endpoint').getAttribute('placeholder'), gateway.url);
      assert.deepEqual(page.errors, []);
      await page.close();

      // A broken config file is reported, and the app still starts (on its own origin).
      config = '{"endpiont": "typo"}';
      const broken = await browser.newPage();
      await broken.goto(`${host.url}/tools/xai/settings`);
      await broken.locator('.settings .field-error').waitFor({ timeout: 20_000 });
      assert.match(await broken.locator('.settings .field-error').textContent(), /config\.json.*endpiont/);
      await broken.close();
    } finally {
      await gateway.stop();
      await host.stop();
    }
  });

  test('the widget: a host page of another origin embeds the chat with its attributes, no CSS leaks either way', async () => {
    // Configured as the README advises for a public widget: only chat and the model list.
    const gateway = await startGateway(['--allow-rpc', 'Chat/CreateChatCompletionStream', '--allow-rpc', 'Models/*']);
    const system = 'You are the help desk of an example shop. ' + 'Keep every answer short and friendly. '.repeat(6);
    const hostPage = `<!doctype html><html><head><title>Shop</title><link rel="icon" href="data:,">
      <style>* { color: rgb(255, 0, 0) !important; font-family: monospace !important; } button { display: none !important; }</style>
      </head><body><p id="host-text">Welcome to the shop.</p><button id="host-button" style="display:inline">Buy</button>
      <script src="${gateway.url}/widget.js" async></script>
      <xai-chat id="chat" model="grok-3-mini" theme="dark" title="Shop help" width="420px" height="540px"
        system-prompt="${system}"></xai-chat>
      <xai-chat id="plain" model="grok-3-mini" width="300px" height="400px"></xai-chat></body></html>`;
    const framingPage = `<!doctype html><link rel="icon" href="data:,"><iframe src="${gateway.url}/keys" width="600" height="400"></iframe>`;
    const host = await startStaticHost({ routes: {
      '/shop.html': () => ['text/html', hostPage],
      '/framing.html': () => ['text/html', framingPage],
    } });
    try {
      const page = await browser.newPage();
      await page.goto(`${host.url}/shop.html`);
      const hostStyleBefore = await page.evaluate(() => getComputedStyle(document.getElementById('host-text')).fontSize);
      const box = await page.locator('#chat').boundingBox();
      await page.waitForFunction(() => customElements.get('xai-chat'));
      const sized = await page.locator('#chat').boundingBox();
      assert.ok(Math.abs(sized.width - 422) <= 2 && Math.abs(sized.height - 542) <= 2, `widget box ${JSON.stringify(sized)} (was ${JSON.stringify(box)})`);

      // Each widget's frame, by the element id widget.js passes along.
      const frameOf = async (id) => {
        const deadline = Date.now() + 20_000;
        for (;;) {
          const frame = page.frames().find((f) => f.url().includes('/embed?') && new URL(f.url()).searchParams.get('widget') === id);
          if (frame) return frame;
          if (Date.now() > deadline) throw new Error(`no frame for widget ${id}: ${page.frames().map((f) => f.url())}`);
          await page.waitForTimeout(100);
        }
      };
      const frame = await frameOf('chat');
      assert.ok(frame, 'the widget frame loads from the gateway');
      assert.ok(frame.url().startsWith(gateway.url), frame.url());
      await frame.locator('.chat-widget').waitFor({ timeout: 20_000 });
      assert.equal(await frame.locator('header.nav').count(), 0, 'the widget shows the chat alone');
      // The frame loads the widget's own build (embed.html): the chat alone, smaller than even
      // what the console's chat loads first (the console's other pages come on demand,
      // src/pages.rs).
      const wasmOf = (target) => target.evaluate(() => {
        const entry = performance.getEntriesByType('resource').find((resource) => resource.name.endsWith('.wasm'));
        return { name: entry?.name, bytes: entry?.decodedBodySize };
      });
      const consolePage = await browser.newPage();
      await consolePage.goto(`${gateway.url}/chat`);
      await consolePage.locator('header.nav').waitFor({ timeout: 20_000 });
      const [widgetWasm, consoleWasm] = [await wasmOf(frame), await wasmOf(consolePage)];
      assert.notEqual(widgetWasm.name, consoleWasm.name, 'the widget has its own build');
      assert.ok(widgetWasm.bytes > 0 && widgetWasm.bytes < consoleWasm.bytes, `widget wasm ${widgetWasm.bytes} B, console's first wasm ${consoleWasm.bytes} B`);
      await consolePage.close();
      assert.equal(await frame.locator('.sidebar').count(), 0);
      assert.equal(await frame.locator('html').getAttribute('data-theme'), 'dark');
      assert.equal(await frame.locator('.widget-head h1').textContent(), 'Shop help');
      // The host's `button { display: none }` does not reach the widget's buttons.
      assert.ok(await frame.locator('#chat-send').isVisible(), 'the send button is visible in the widget');
      await waitForChatModels(frame);
      assert.equal(await frame.locator('#chat-model').inputValue(), 'grok-3-mini');
      await frame.fill('#chat-prompt', 'Where is my order?');
      await frame.click('#chat-send');
      await frame.locator('.message.assistant .finish-reason').waitFor({ timeout: 30_000 });
      const withSystem = await frame.locator('.message.assistant .usage').textContent();

      const plain = await frameOf('plain');
      await waitForChatModels(plain);
      await plain.fill('#chat-prompt', 'Where is my order?');
      await plain.click('#chat-send');
      await plain.locator('.message.assistant .finish-reason').waitFor({ timeout: 30_000 });
      const withoutSystem = await plain.locator('.message.assistant .usage').textContent();
      const promptTokens = (text) => Number(/(\d+) prompt/.exec(text)[1]);
      assert.ok(promptTokens(withSystem) > promptTokens(withoutSystem) + 40,
        `the system prompt reaches the model: ${withSystem} vs ${withoutSystem}`);

      // The app's stylesheet does not leak into the host page.
      assert.equal(await page.evaluate(() => getComputedStyle(document.getElementById('host-text')).fontSize), hostStyleBefore);
      assert.equal(await page.evaluate(() => document.styleSheets.length), 1, 'only the host\'s own stylesheet');

      // A reload of the host page keeps the widget's conversation.
      await page.reload();
      const again = await frameOf('chat');
      await again.locator('.message.assistant .finish-reason').waitFor({ timeout: 20_000 });
      assert.equal(await again.locator('.message.user').first().textContent().then((t) => t.includes('Where is my order?')), true);
      assert.deepEqual(page.errors, []);
      await page.close();

      // Only the widget may be framed by another site: the full app (key management) may not.
      const framing = await browser.newPage();
      await framing.goto(`${host.url}/framing.html`);
      const refused = Date.now() + 10_000;
      while (!framing.errors.some((e) => /frame-ancestors/.test(e)) && Date.now() < refused) await framing.waitForTimeout(100);
      assert.ok(framing.errors.some((e) => /violates.*frame-ancestors/.test(e)), framing.errors.join('\n'));
      const keysFrame = framing.frames().find((f) => f !== framing.mainFrame());
      assert.equal(await keysFrame.locator('header.nav').count(), 0, 'the framed Keys page does not render');
      await framing.close();
    } finally {
      await gateway.stop();
      await host.stop();
    }
  });
  test('a key remembered by the full app never goes to an endpoint a host page gave the widget', async () => {
    const gateway = await startGateway([]);
    // The "endpoint" a hostile host page names: it accepts any CORS request and records headers.
    const seen = [];
    const evil = createServer((req, res) => {
      seen.push({ method: req.method, authorization: req.headers.authorization ?? null });
      res.writeHead(req.method === 'OPTIONS' ? 204 : 200, {
        'access-control-allow-origin': '*', 'access-control-allow-headers': '*', 'access-control-allow-methods': 'POST',
        'access-control-expose-headers': '*', 'content-type': 'application/grpc-web+proto',
        'grpc-status': '14', 'grpc-message': 'nope',
      });
      res.end();
    });
    await new Promise((resolve) => evil.listen(0, '127.0.0.1', resolve));
    const evilUrl = `http://127.0.0.1:${evil.address().port}`;
    const secret = 'xai-remembered-0123456789abcdefSECRET';
    try {
      // The visitor once typed a key in the full app on the gateway's origin and ticked remember.
      const page = await browser.newPage();
      await page.goto(`${gateway.url}/settings`);
      await page.locator('#api-key').waitFor({ timeout: 20_000 });
      await page.fill('#api-key', secret);
      await page.check('#remember-key');
      await page.waitForFunction((k) => localStorage.getItem('xai-web.api-key')?.includes(k), secret);
      // A widget on the same origin, told by its host page to call another endpoint.
      await page.goto(`${gateway.url}/embed?endpoint=${encodeURIComponent(evilUrl)}&widget=evil`);
      await page.locator('.chat-widget').waitFor({ timeout: 20_000 });
      const deadline = Date.now() + 10_000;
      while (!seen.some((r) => r.method === 'POST') && Date.now() < deadline) await page.waitForTimeout(100);
      assert.ok(seen.some((r) => r.method === 'POST'), 'the widget called the endpoint it was given');
      assert.ok(seen.every((r) => !r.authorization || !r.authorization.includes(secret)), JSON.stringify(seen));
      await page.close();
    } finally {
      await gateway.stop();
      await new Promise((r) => { evil.close(r); evil.closeAllConnections(); });
    }
  });
});
