// First-load benchmark: the chat page and the widget's frame in headless Chromium over a
// throttled network (the issue's figures, as DevTools' "Fast 3G"/"Slow 4G": 1.6 Mbit/s down, 750 kbit/s
// up, 150 ms round trip), cold (empty cache) and warm (the same browser loading it again: the
// chat page from its service worker, the widget's frame, which registers none, from the HTTP cache).
// Prints the bytes that crossed the network and the time from navigation until a message can be
// typed and sent (the composer is there, the models are loaded, Send is enabled), then sends one
// to check that it really can. A benchmark, not a test: it prints and asserts nothing.
import { startBrowser, startGateway } from '../tests/e2e/harness.mjs';

const NETWORK = { offline: false, latency: 150, downloadThroughput: 1.6e6 / 8, uploadThroughput: 750e3 / 8 };
const GOALS = { cold: 3000, warm: 500 };
const TARGETS = [
  { name: 'chat page', path: '/chat' },
  { name: 'widget frame', path: '/embed' },
];

/** Loads `url` in a new page of `browser` under the throttled network; returns bytes and time. */
async function load(browser, url) {
  const page = await browser.newPage();
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', NETWORK);
  let bytes = 0;
  let requests = 0;
  let fromCache = 0;
  cdp.on('Network.loadingFinished', (event) => { bytes += event.encodedDataLength; requests += 1; });
  cdp.on('Network.requestServedFromCache', () => { fromCache += 1; });
  await page.goto(url, { waitUntil: 'commit' });
  // The moment the composer can take a message and send it, in the page's own clock (from the
  // start of navigation).
  const ready = await page.waitForFunction(() => {
    const prompt = document.querySelector('#chat-prompt');
    const send = document.querySelector('#chat-send');
    const models = document.querySelectorAll('#chat-model option').length;
    return prompt && !prompt.disabled && send && !send.disabled && models > 0 ? performance.now() : null;
  }, null, { polling: 'raf', timeout: 120_000 });
  const readyMs = await ready.jsonValue();
  const transferred = bytes;
  const counted = requests;
  // It really can send: type, send, and see the answer start.
  await page.fill('#chat-prompt', 'First-load benchmark: hello');
  await page.click('#chat-send');
  await page.locator('.message.assistant').first().waitFor({ timeout: 60_000 });
  const errors = page.errors.filter((e) => !/^Failed to load resource/.test(e));
  // The page's service worker (the console registers one, the widget's frame does not) stores
  // the build after the first load: the warm run starts once it is active.
  await page.evaluate(async () => {
    const registration = await navigator.serviceWorker?.getRegistration();
    for (let i = 0; registration && registration.active?.state !== 'activated' && i < 300; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  });
  await page.close();
  return { readyMs, transferred, requests: counted, fromCache, errors };
}

const gateway = await startGateway();
try {
  console.log(`network: ${(NETWORK.downloadThroughput * 8 / 1e6).toFixed(2)} Mbit/s down, ${(NETWORK.uploadThroughput * 8 / 1e3).toFixed(0)} kbit/s up, ${NETWORK.latency} ms round trip`);
  console.log(`${'what'.padEnd(26)} ${'bytes'.padStart(10)} ${'requests'.padStart(9)} ${'ready to send'.padStart(14)}  goal`);
  for (const target of TARGETS) {
    // A fresh browser profile per target: its first load is truly cold.
    const browser = await startBrowser({ serviceWorkers: 'allow' });
    try {
      const url = `${gateway.url}${target.path}`;
      for (const run of ['cold', 'warm']) {
        const result = await load(browser, url);
        const verdict = result.readyMs <= GOALS[run] ? 'met' : 'missed';
        console.log(`${`${target.name}, ${run}`.padEnd(26)} ${`${(result.transferred / 1024).toFixed(1)} K`.padStart(10)} ${String(result.requests).padStart(9)} ${`${result.readyMs.toFixed(0)} ms`.padStart(14)}  ${GOALS[run]} ms ${verdict}${result.errors.length ? `  page errors: ${result.errors.join(' | ')}` : ''}`);
      }
    } finally {
      await browser.stop();
    }
  }
} finally {
  await gateway.stop();
}
