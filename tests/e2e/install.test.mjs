// The console installs as an app: its web app manifest is found from any page (deep links
// included), parses without errors, and Chromium reports nothing that keeps it from installing.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { appErrors, gatewayAndBrowser, openApp } from './harness.mjs';

describe('installable', () => {
  const suite = gatewayAndBrowser();

  test('the manifest is found from a deep link, is valid, and nothing blocks installing', async () => {
    const page = await suite.browser.newPage();
    await openApp(page, `${suite.gateway.url}/models/grok-4`);
    const cdp = await page.context().newCDPSession(page);
    const manifest = await cdp.send('Page.getAppManifest');
    assert.equal(manifest.url, `${suite.gateway.url}/manifest.webmanifest`);
    assert.deepEqual(manifest.errors, []);
    const parsed = JSON.parse(manifest.data);
    assert.equal(parsed.display, 'standalone');
    assert.equal(new URL(parsed.start_url, manifest.url).href, `${suite.gateway.url}/chat`);
    // Every icon is served, with its type.
    for (const icon of parsed.icons) {
      const response = await page.request.get(new URL(icon.src, manifest.url).href);
      assert.equal(response.status(), 200, icon.src);
      assert.equal(response.headers()['content-type'], icon.type, icon.src);
    }
    const served = await page.request.get(manifest.url);
    assert.equal(served.headers()['content-type'], 'application/manifest+json');
    const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
    assert.deepEqual(installabilityErrors, []);
    assert.deepEqual(appErrors(page), []);
    await page.close();
  });
});
