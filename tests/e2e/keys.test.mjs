// API keys in a real browser against the real gateway: a created key's secret shows once (gone
// after dismiss and after a reload, stored nowhere) and really authenticates; delete asks first,
// naming the key; a key without the "keys" ACL gets the PERMISSION_DENIED explanation; a key the
// gateway's operator disables shows as disabled, with its calls refused for that reason.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { gatewayAndBrowser, openApp } from './harness.mjs';

/** Creates a key on the open Keys page and returns its secret (the dialog stays open). */
async function createKey(page, name, acls) {
  await page.locator('#create-key-form').waitFor();
  await page.fill('#key-name', name);
  if (acls) {
    await page.uncheck('input[name="acl"][value="*"]');
    for (const acl of acls) await page.check(`input[name="acl"][value="${acl}"]`);
  }
  await page.click('#create-key');
  await page.locator('.new-secret', { hasText: name }).waitFor({ timeout: 20_000 });
  return (await page.locator('#new-secret').textContent()).trim();
}

/** Everything the app keeps on this device, as text. */
async function deviceStorage(page) {
  return page.evaluate(async () => {
    const local = JSON.stringify(localStorage) + JSON.stringify(sessionStorage);
    const dumps = [];
    for (const { name } of await indexedDB.databases()) {
      const db = await new Promise((resolve, reject) => {
        const open = indexedDB.open(name);
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(open.error);
      });
      for (const store of db.objectStoreNames) {
        const all = await new Promise((resolve) => {
          const request = db.transaction(store).objectStore(store).getAll();
          request.onsuccess = () => resolve(request.result);
        });
        dumps.push(JSON.stringify(all));
      }
      db.close();
    }
    return local + dumps.join('');
  });
}

/** Uses `secret` as the app's key (in memory only) and comes back to the Keys page. */
async function useKey(page, secret) {
  await page.click('header.nav a[href$="/settings"]');
  await page.fill('#api-key', secret);
  await page.click('header.nav a[href$="/keys"]');
}

describe('keys', () => {
  const suite = gatewayAndBrowser();

  test('a new key: secret shown once, stored nowhere, it authenticates; delete asks first', async () => {
    const page = await suite.browser.newPage();
    await openApp(page, `${suite.gateway.url}/keys`);
    await page.locator('.current-key-name', { hasText: 'gateway (server-held)' }).waitFor({ timeout: 20_000 });
    await page.locator('.key-row').first().waitFor();
    assert.equal(await page.locator('.key-row').count(), 1);

    // An empty name is refused in the page.
    await page.click('#create-key');
    assert.equal(await page.locator('#key-form-error').textContent(), 'Give the key a name');

    const secret = await createKey(page, 'ci bot');
    assert.match(secret, /^xai-[A-Za-z0-9]{20,}$/);
    assert.match(await page.locator('.new-secret').textContent(), /will not be shown again/);
    // The list refreshed: the new key is a row, redacted.
    const row = page.locator('.key-row[data-name="ci bot"]');
    await row.waitFor();
    assert.ok(!(await row.textContent()).includes(secret.slice(8)), 'the table shows the key redacted');
    assert.match(await row.textContent(), /\*/);
    assert.ok(!(await deviceStorage(page)).includes(secret.slice(8)), 'the secret is not stored on the device');

    await page.click('#dismiss-secret');
    assert.equal(await page.locator('#new-secret').count(), 0);
    assert.ok(!(await page.content()).includes(secret.slice(8)), 'gone from the page after dismiss');

    // A second key: its secret is gone after a reload too.
    const temporary = await createKey(page, 'temporary key');
    await page.reload();
    await page.locator('.key-row[data-name="temporary key"]').waitFor({ timeout: 20_000 });
    assert.equal(await page.locator('#new-secret').count(), 0);
    assert.ok(!(await page.content()).includes(temporary.slice(8)), 'gone from the page after reload');

    // Delete asks first and names the key; Cancel keeps it.
    await page.locator('.key-row[data-name="temporary key"] .delete-key').click();
    const confirm = page.locator('.confirm');
    assert.match(await confirm.locator('h3').textContent(), /Delete the key “temporary key”\?/);
    await page.click('#cancel-delete');
    assert.equal(await page.locator('.confirm').count(), 0);
    assert.equal(await page.locator('.key-row[data-name="temporary key"]').count(), 1);
    await page.locator('.key-row[data-name="temporary key"] .delete-key').click();
    assert.equal(await page.locator('#confirm-delete').textContent(), 'Delete “temporary key”');
    await page.click('#confirm-delete');
    await page.locator('.key-row[data-name="temporary key"]').waitFor({ state: 'detached', timeout: 20_000 });
    assert.equal(await page.locator('.key-row').count(), 2);
    assert.match(suite.gateway.log(), /Auth\/DeleteApiKey finished: status 0 /);

    // The first secret really authenticates: used as the app's key, it is the current key.
    await useKey(page, secret);
    await page.locator('.current-key-name', { hasText: 'ci bot' }).waitFor({ timeout: 20_000 });
    assert.equal(await page.locator('.key-row').count(), 2);
    await page.close();
  });

  test('a key without the "keys" ACL gets the PERMISSION_DENIED explanation', async () => {
    const page = await suite.browser.newPage();
    await openApp(page, `${suite.gateway.url}/keys`);
    const secret = await createKey(page, 'models only', ['models']);
    await page.locator('.key-row[data-name="models only"]').waitFor();
    assert.match(await page.locator('.key-row[data-name="models only"]').textContent(), /models/);

    await useKey(page, secret);
    await page.locator('.current-key-name', { hasText: 'models only' }).waitFor({ timeout: 20_000 });
    assert.equal(await page.locator('.current-key-acls').textContent(), 'models');
    const explained = page.locator('.all-keys .denied-explained');
    await explained.waitFor({ timeout: 20_000 });
    assert.match(await explained.textContent(), /lacks the “keys” permission \(managing API keys/);
    assert.match(await page.locator('.all-keys .error').textContent(), /PERMISSION_DENIED \(7\)/);
    assert.equal(await page.locator('#create-key-form').count(), 0, 'no create form for a key that may not create');
    assert.equal(await page.locator('.key-row').count(), 0);

    // The same key on the Images page: it may list models but not draw.
    await page.click('header.nav a[href$="/images"]');
    await page.locator('#image-model option').first().waitFor({ state: 'attached', timeout: 20_000 });
    await page.fill('#image-prompt', 'a lighthouse');
    await page.click('#image-generate');
    const denied = page.locator('.images .denied-explained');
    await denied.waitFor({ timeout: 20_000 });
    assert.match(await denied.textContent(), /lacks the “image” permission/);
    await denied.locator('a', { hasText: 'Use another key in Settings' }).click();
    await page.waitForURL(/\/settings$/);
    await page.close();
  });

  test('a key the operator disables shows as disabled and its calls are refused for that reason; enabled, it works again', async () => {
    const page = await suite.browser.newPage();
    await openApp(page, `${suite.gateway.url}/keys`);
    const secret = await createKey(page, 'disabled later');
    const id = await page.locator('.key-row[data-name="disabled later"]').getAttribute('data-id');
    assert.match(suite.gateway.operator(['keys', 'disable', id]), /is now disabled/);

    await useKey(page, secret);
    await page.locator('.current-key-name', { hasText: 'disabled later' }).waitFor({ timeout: 20_000 });
    assert.equal(await page.locator('.current-key .key-state').textContent(), 'disabled');
    const unusable = page.locator('.key-unusable');
    assert.match(await unusable.textContent(), /cannot make calls while it is disabled/);
    assert.equal(await unusable.locator('a', { hasText: 'Use another key in Settings' }).count(), 1);
    const explained = page.locator('.all-keys .denied-explained');
    await explained.waitFor({ timeout: 20_000 });
    assert.match(await explained.textContent(), /This API key is disabled, so it cannot make any call/);
    assert.equal(await page.locator('.key-row').count(), 0);

    // Another page says the same.
    await page.click('header.nav a[href$="/models"]');
    const error = page.locator('.error').first();
    await error.waitFor({ timeout: 20_000 });
    assert.match(await error.textContent(), /PERMISSION_DENIED \(7\)/);
    assert.match(await error.textContent(), /is disabled/);

    // Blocked is named as such.
    suite.gateway.operator(['keys', 'block', id]);
    await page.click('header.nav a[href$="/keys"]');
    await page.locator('.current-key .key-state', { hasText: 'blocked' }).waitFor({ timeout: 20_000 });

    // Unblocked and enabled: the same key, still in memory, works again without a reload.
    suite.gateway.operator(['keys', 'unblock', id]);
    assert.match(suite.gateway.operator(['keys', 'enable', id]), /is now active/);
    await page.click('header.nav a[href$="/models"]');
    await page.click('header.nav a[href$="/keys"]');
    await page.locator('.current-key .key-state', { hasText: 'active' }).waitFor({ timeout: 20_000 });
    await page.locator('.key-row[data-name="disabled later"]').waitFor({ timeout: 20_000 });
    assert.equal(await page.locator('.key-unusable').count(), 0);
    await page.close();
  });
});
