// Images in a real browser against the real gateway: generate n=2 and see real images, download a
// PNG with a sensible name, the history survives a reload (images kept as bytes, URL results
// too), delete removes an entry; an edit refuses a non-image before anything is sent and shows
// before and after for a real image; the full-size view keeps the keyboard's focus; a file
// dropped beside the drop zone is taken by the page (the browser does not open it).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import { gatewayAndBrowser, openApp } from './harness.mjs';

/** A real PNG (RGB, `size`×`size`, a diagonal gradient), encoded here. */
function makePng(size) {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc32 = (bytes) => {
    let c = 0xffffffff;
    for (const b of bytes) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type, data) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // RGB
  const rows = [];
  for (let y = 0; y < size; y++) {
    const row = [0];
    for (let x = 0; x < size; x++) row.push((x * 255) / size, (y * 255) / size, 128);
    rows.push(Buffer.from(row));
  }
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, chunk('IHDR', header), chunk('IDAT', deflateSync(Buffer.concat(rows))), chunk('IEND', Buffer.alloc(0))]);
}

/** Waits until every image matching `selector` has decoded (naturalWidth > 0); returns their count. */
async function decodedImages(page, selector, expected) {
  await page.waitForFunction(
    ([sel, n]) => {
      const images = [...document.querySelectorAll(sel)];
      return images.length === n && images.every((img) => img.complete && img.naturalWidth > 0);
    },
    [selector, expected],
    { timeout: 20_000 },
  );
  return page.locator(selector).count();
}

async function generate(page, prompt, count, format) {
  await page.locator('#image-model option').first().waitFor({ state: 'attached', timeout: 20_000 });
  await page.fill('#image-prompt', prompt);
  await page.fill('#image-count', String(count));
  if (format) await page.selectOption('#image-format', { label: format });
  await page.click('#image-generate');
  await page.locator('#create-result .generation', { hasText: prompt }).waitFor({ timeout: 30_000 });
}

describe('images', () => {
  const suite = gatewayAndBrowser();

  test('generate two images, download a PNG, full-size view, history kept across reloads, delete', async () => {
    const page = await suite.browser.newPage();
    await openApp(page, `${suite.gateway.url}/images`);
    await page.locator('#history .empty').waitFor();

    await generate(page, 'A red fox in snow', 2);
    assert.equal(await decodedImages(page, '#create-result img.generated', 2), 2, 'two real images');
    const result = page.locator('#create-result .generation');
    assert.match(await result.textContent(), /2 image\(s\)/);

    // Download: a real PNG named after the prompt.
    const [download] = await Promise.all([page.waitForEvent('download'), result.locator('.download-image').nth(1).click()]);
    assert.equal(download.suggestedFilename(), 'a-red-fox-in-snow-2.png');
    const bytes = readFileSync(await download.path());
    assert.deepEqual([...bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'PNG signature');
    assert.ok(bytes.length > 200);

    // Full size, opened from the keyboard: focus moves to Close, Tab and Shift+Tab stay inside
    // the view, and Esc closes it with the focus back on the thumbnail that opened it.
    const opener = result.locator('.open-image').first();
    await opener.focus();
    await page.keyboard.press('Enter');
    await page.locator('.lightbox img.full-size').waitFor();
    assert.ok(await page.locator('.lightbox img.full-size').evaluate((img) => img.naturalWidth > 0));
    const focused = () => page.evaluate(() => {
      const active = document.activeElement;
      return `${active?.closest('.lightbox') ? 'inside' : 'outside'}:${active?.textContent}`;
    });
    await page.waitForFunction(() => document.activeElement?.classList.contains('close-lightbox'));
    const cycle = [];
    for (let i = 0; i < 4; i++) {
      await page.keyboard.press('Tab');
      cycle.push(await focused());
    }
    assert.deepEqual(cycle, ['inside:Download', 'inside:Edit this', 'inside:Close', 'inside:Download'], 'Tab cycles inside the view');
    await page.keyboard.press('Shift+Tab');
    assert.equal(await focused(), 'inside:Close', 'Shift+Tab wraps backwards');
    await page.keyboard.press('Escape');
    await page.locator('.lightbox').waitFor({ state: 'detached' });
    assert.ok(await opener.evaluate((button) => button === document.activeElement), 'focus is back on the thumbnail');
    // Opened with the mouse and closed with its Close button: focus is back on that thumbnail too.
    const second = result.locator('.open-image').nth(1);
    await second.click();
    await page.waitForFunction(() => document.activeElement?.classList.contains('close-lightbox'));
    await page.click('.lightbox .close-lightbox');
    await page.locator('.lightbox').waitFor({ state: 'detached' });
    assert.ok(await second.evaluate((button) => button === document.activeElement), 'focus is back on the second thumbnail');

    // A second generation, as URLs: the images are fetched and kept as bytes.
    await generate(page, 'A blue whale', 1, 'URL (fetched and kept)');
    assert.equal(await decodedImages(page, '#create-result img.generated', 1), 1);
    assert.match(await page.locator('#create-result img.generated').getAttribute('src'), /^data:image\/png;base64,iVBOR/);

    // Reload: both entries, newest first, every image rendering from the stored bytes.
    await page.reload();
    await page.locator('header.nav').waitFor();
    const entries = page.locator('#history .generation');
    await page.waitForFunction(() => document.querySelectorAll('#history .generation').length === 2, null, { timeout: 20_000 });
    assert.match(await entries.nth(0).locator('.generation-prompt').textContent(), /A blue whale/);
    assert.match(await entries.nth(1).locator('.generation-prompt').textContent(), /A red fox in snow/);
    assert.equal(await decodedImages(page, '#history img.generated', 3), 3);
    const sources = await page.locator('#history img.generated').evaluateAll((images) => images.map((img) => img.src));
    assert.ok(sources.every((src) => src.startsWith('data:image/png;base64,')), 'kept as bytes, not as gateway URLs');

    // Delete the whale: gone, and still gone after a reload.
    await entries.nth(0).locator('.delete-generation').click();
    await page.waitForFunction(() => document.querySelectorAll('#history .generation').length === 1);
    await page.reload();
    await page.locator('#history .generation').first().waitFor({ timeout: 20_000 });
    assert.equal(await page.locator('#history .generation').count(), 1);
    assert.match(await page.locator('#history .generation-prompt').textContent(), /A red fox in snow/);
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  test('a file dropped outside the drop zone does not leave the page; the prompt stays', async () => {
    const page = await suite.browser.newPage();
    await openApp(page, `${suite.gateway.url}/images`);
    await page.fill('#image-prompt', 'A lighthouse at dusk');
    const url = page.url();
    // A drop the page does not cancel is one the browser opens (leaving the app): dragover and
    // drop on the page body must both be cancelled.
    const dropOnBody = () => page.evaluate((base64) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))], 'stray.png', { type: 'image/png' }));
      const init = { dataTransfer: transfer, bubbles: true, cancelable: true, clientX: 5, clientY: 5 };
      document.body.dispatchEvent(new DragEvent('dragenter', init));
      const over = new DragEvent('dragover', init);
      document.body.dispatchEvent(over);
      const drop = new DragEvent('drop', init);
      document.body.dispatchEvent(drop);
      return { over: over.defaultPrevented, drop: drop.defaultPrevented };
    }, makePng(8).toString('base64'));
    assert.deepEqual(await dropOnBody(), { over: true, drop: true }, 'the page takes the stray drop');
    await page.waitForTimeout(300);
    assert.equal(page.url(), url);
    assert.equal(await page.inputValue('#image-prompt'), 'A lighthouse at dusk');
    assert.equal(await page.locator('img.source-preview').count(), 0, 'the stray file is not taken as an edit source');
    // The guard belongs to the Images page: on another page the browser's own handling is back.
    await page.locator('header.nav a', { hasText: /^Sample$/ }).click();
    await page.locator('#sample-prompt').waitFor();
    assert.deepEqual(await dropOnBody(), { over: false, drop: false }, 'the guard goes with the page');
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  test('edit: wrong files are refused before sending; a real edit shows before and after', async () => {
    const page = await suite.browser.newPage();
    await openApp(page, `${suite.gateway.url}/images`);
    await page.click('#tab-edit');
    await page.locator('#edit-model option').first().waitFor({ state: 'attached', timeout: 20_000 });

    await page.setInputFiles('#edit-source', { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hello') });
    assert.match(await page.locator('#source-error').textContent(), /notes\.txt is not a PNG or JPEG image \(text\/plain\)/);
    await page.setInputFiles('#edit-source', { name: 'fake.png', mimeType: 'image/png', buffer: Buffer.from('not really a picture') });
    await page.locator('#source-error', { hasText: 'its content is not PNG or JPEG' }).waitFor();
    await page.setInputFiles('#edit-source', { name: 'huge.png', mimeType: 'image/png', buffer: Buffer.alloc(11 * 1024 * 1024) });
    assert.match(await page.locator('#source-error').textContent(), /huge\.png is 11\.0 MB; images may be at most 10 MB/);
    // Sending anyway is refused in the page.
    await page.fill('#edit-prompt', 'make it night');
    await page.click('#edit-submit');
    assert.equal(await page.locator('#edit-error').textContent(), 'Choose an image to edit first');
    await page.waitForTimeout(500);
    assert.doesNotMatch(suite.gateway.log(), /EditImage/, 'no EditImage call reached the gateway');

    // A real PNG, pasted: accepted. A reference image, dropped. Edited, shown before and after.
    const png = makePng(48);
    const withFile = (name, bytes) => page.evaluateHandle(([fileName, base64]) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))], fileName, { type: 'image/png' }));
      return transfer;
    }, [name, bytes.toString('base64')]);
    const pasted = await withFile('gradient.png', png);
    await page.locator('.drop-zone').first().evaluate((zone, clipboardData) => {
      zone.dispatchEvent(new ClipboardEvent('paste', { clipboardData, bubbles: true, cancelable: true }));
    }, pasted);
    await page.locator('img.source-preview').waitFor();
    assert.equal(await page.locator('#source-error').count(), 0, 'the error is cleared');
    await page.click('details.references summary');
    await page.dispatchEvent('details.references .drop-zone', 'drop', { dataTransfer: await withFile('reference.png', makePng(16)) });
    await page.locator('img.thumb.reference').waitFor();
    assert.match(await page.locator('details.references summary').textContent(), /\(1\/4, optional\)/);
    await page.click('#edit-submit');
    const result = page.locator('#edit-result .generation');
    await result.waitFor({ timeout: 30_000 });
    assert.equal(await decodedImages(page, '#edit-result .before img', 1), 1);
    assert.equal(await decodedImages(page, '#edit-result .after img.generated', 1), 1);
    const before = await result.locator('.before img').getAttribute('src');
    const afterSrc = await result.locator('.after img.generated').getAttribute('src');
    assert.equal(before, `data:image/png;base64,${png.toString('base64')}`, 'the source is the uploaded file');
    assert.notEqual(afterSrc, before, 'the edit is a different image');
    assert.match(suite.gateway.log(), /Image\/EditImage finished: status 0 /);
    // Side by side: the before and after columns share a row.
    const [b, a] = [await result.locator('.before').boundingBox(), await result.locator('.after').boundingBox()];
    assert.ok(Math.abs(b.y - a.y) < 5 && a.x > b.x, 'before and after side by side');

    // On the Create tab the edit is listed in the history (it is only shown once per tab).
    await page.click('#tab-create');
    await page.locator('#history .generation[data-kind="Edited"]', { hasText: 'make it night' }).waitFor();
    await page.click('#tab-edit');
    assert.equal(await page.locator('#history .generation[data-kind="Edited"]').count(), 0);

    // "Edit this" on a result makes it the new source.
    await result.locator('.edit-image').first().click();
    assert.equal(await page.locator('img.source-preview').getAttribute('src'), afterSrc);
    assert.deepEqual(page.errors, []);
    await page.close();
  });
});
