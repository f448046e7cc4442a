// The served app cannot be turned against its user: a link with another host in its path loads
// nothing from that host (the <base> stays on the gateway's origin, and the gateway's
// Content-Security-Policy would stop it anyway), and only the exact widget route may be framed
// by other sites and shows the widget.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { gatewayAndBrowser } from './harness.mjs';

/** A page of another origin framing `src`. */
async function startFramingHost(src) {
  const server = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(`<!doctype html><link rel="icon" href="data:,"><iframe id="framed" src="${src}" width="600" height="500"></iframe>`);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${server.address().port}/`, stop: () => new Promise((r) => { server.close(r); server.closeAllConnections(); }) };
}

describe('security', () => {
  const suite = gatewayAndBrowser();

  for (const path of ['//evil.example/chat', '/\\evil.example/chat', '/%2F%2Fevil.example/chat', '/%5Cevil.example/chat', '/%2f%5Cevil.example/models/grok-4']) {
    test(`a link to ${path} loads everything from the gateway and the app still works`, async () => {
      const page = await suite.browser.newPage();
      const origin = new URL(suite.gateway.url).origin;
      const requests = [];
      page.on('request', (request) => requests.push(request.url()));
      await page.goto(`${suite.gateway.url}${path}`);
      await page.locator('header.nav').waitFor({ timeout: 20_000 });
      assert.equal(await page.evaluate(() => document.baseURI), `${origin}/`);
      // The app works: its navigation leads to the model list, served by the gateway.
      await page.click('header.nav a:has-text("Models")');
      await page.locator('.model-card').first().waitFor({ timeout: 20_000 });
      const foreign = requests.filter((url) => !url.startsWith(`${origin}/`) && !/^(data|blob):/.test(url));
      assert.deepEqual(foreign, [], 'every request goes to the gateway');
      assert.ok(requests.some((url) => url.endsWith('/config.json')), 'config.json came from the gateway');
      assert.deepEqual(page.errors, []);
      await page.close();
    });
  }

  test('only /embed and /embed/ are the widget and may be framed; /models/embed is neither', async () => {
    const { browser, gateway } = suite;
    // Opened directly, a path merely ending in "embed" is the full app, not the widget.
    const page = await browser.newPage();
    await page.goto(`${gateway.url}/models/embed`);
    await page.locator('header.nav').waitFor({ timeout: 20_000 });
    assert.equal(await page.locator('.chat-widget').count(), 0);
    await page.goto(`${gateway.url}/embed/`);
    await page.locator('.chat-widget').waitFor({ timeout: 20_000 });
    assert.equal(await page.locator('header.nav').count(), 0, 'the widget alone under /embed/');
    assert.deepEqual(page.errors, []);
    await page.close();

    for (const [path, framable] of [['/embed/', true], ['/models/embed', false], ['/chat/embed', false], ['/embed/x', false]]) {
      const host = await startFramingHost(`${gateway.url}${path}`);
      const framing = await browser.newPage();
      try {
        await framing.goto(host.url);
        const frame = framing.frames().find((f) => f !== framing.mainFrame());
        if (framable) {
          await frame.locator('.chat-widget').waitFor({ timeout: 20_000 });
          assert.deepEqual(framing.errors, [], path);
        } else {
          const deadline = Date.now() + 10_000;
          while (!framing.errors.some((e) => /frame-ancestors/.test(e)) && Date.now() < deadline) await framing.waitForTimeout(100);
          assert.ok(framing.errors.some((e) => /violates.*frame-ancestors/.test(e)), `${path}: ${framing.errors.join('\n')}`);
          assert.equal(await frame.locator('header.nav, .chat-widget').count(), 0, `${path} does not render in the frame`);
        }
      } finally {
        await framing.close();
        await host.stop();
      }
    }
  });
});
