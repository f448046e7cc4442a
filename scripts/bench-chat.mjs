// Chat benchmark in headless Chromium against the local backend. First at maximum rate: prints
// main-thread time per delta at 1k, 10k and 100k characters of one ~100,000-character answer
// streamed in 1-token deltas (and the 100k/1k ratio), deltas per second sustained, the longest
// main-thread task (Long Tasks API), then for a conversation of 2,000 messages the time to first
// render and the input latency while typing (keydown to the next frame). Then paced streams of
// several answer shapes (scripts/bench-chat-shapes.mjs), then each shape at 1,000 deltas per
// second while typing, scrolling and clicking Stop (scripts/bench-chat-load.mjs).
// BENCH_ONLY=max|paced|load runs one part; BENCH_SHAPES=code,line some shapes.
import { openApp, startBrowser, startGateway } from '../tests/e2e/harness.mjs';
import { underLoad } from './bench-chat-load.mjs';
import { pacedShapes } from './bench-chat-shapes.mjs';

async function maxRate() {
  const ANSWER_CHARS = 100_000;
  const gateway = await startGateway(['--stream-rate', '0', '--min-answer-chars', String(ANSWER_CHARS)]);
  const browser = await startBrowser();
  const fmt = (ms) => `${ms.toFixed(3)} ms`;
  try {
    const page = await browser.newPage();
    await openApp(page, `${gateway.url}/chat`);
    await page.evaluate(() => {
      window.__longest = 0;
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) window.__longest = Math.max(window.__longest, entry.duration);
      }).observe({ type: 'longtask', buffered: false });
    });
    await page.locator('#chat-model option').first().waitFor({ state: 'attached' });
    await page.fill('#chat-prompt', 'Benchmark: a long answer');
    const started = Date.now();
    await page.click('#chat-send');
    await page.locator('.message.assistant .finish-reason').waitFor({ timeout: 600_000 });
    const wall = (Date.now() - started) / 1000;
    const marks = await page.evaluate(() => performance.getEntriesByType('mark')
      .filter((m) => m.name.startsWith('xai-delta:'))
      .map((m) => { const [, chunks, chars] = m.name.split(':'); return { t: m.startTime, chunks: +chunks, chars: +chars }; }));
    const longest = await page.evaluate(() => window.__longest);
    // Per-delta time around a position: the time between the marks (100 deltas apart) there.
    const perDeltaAt = (chars) => {
      const i = Math.max(1, marks.findIndex((m) => m.chars >= chars));
      const window = marks.slice(Math.max(0, i - 2), Math.min(marks.length, i + 3));
      const span = window[window.length - 1].t - window[0].t;
      return span / (window[window.length - 1].chunks - window[0].chunks);
    };
    const at1k = perDeltaAt(1_000);
    const at10k = perDeltaAt(10_000);
    const at100k = perDeltaAt(Math.min(ANSWER_CHARS, marks[marks.length - 1].chars));
    const total = marks[marks.length - 1];
    const rate = (total.chunks - marks[0].chunks) / ((total.t - marks[0].t) / 1000);
    console.log(`stream: ${total.chunks} deltas, ${total.chars} characters, ${wall.toFixed(1)} s wall`);
    console.log(`main-thread time per delta at 1k chars:   ${fmt(at1k)}`);
    console.log(`main-thread time per delta at 10k chars:  ${fmt(at10k)}`);
    console.log(`main-thread time per delta at 100k chars: ${fmt(at100k)}`);
    console.log(`ratio 100k/1k: ${(at100k / at1k).toFixed(2)} (goal <= 2)`);
    console.log(`deltas per second sustained: ${rate.toFixed(0)}`);
    console.log(`longest main-thread task during the stream: ${longest ? fmt(longest) : 'none over 50 ms'}`);

    // A conversation of 2,000 messages, imported, then opened.
    const messages = [];
    for (let i = 0; i < 1000; i += 1) {
      messages.push({ id: `u${i}`, role: 'user', content: `Question ${i}: how does part ${i} work?`, status: { state: 'complete' } });
      messages.push({ id: `a${i}`, role: 'assistant', content: `## Part ${i}\n\nIt works like this:\n\n- first\n- second\n\n\`\`\`rust\nfn part_${i}() -> u32 { ${i} }\n\`\`\``, status: { state: 'complete' }, finish_reason: 'stop', model: 'grok-4' });
    }
    const exported = JSON.stringify({ format: 'xai-web-conversations', version: 1, conversations: [
      { id: 'bench-2000', title: 'Two thousand messages', created_ms: 1, updated_ms: 1, messages },
    ] });
    await page.click('details.export summary');
    await page.setInputFiles('#import-file', { name: 'bench.json', mimeType: 'application/json', buffer: Buffer.from(exported) });
    const item = page.locator('.conversation[data-id="bench-2000"] .conversation-title');
    await item.waitFor();
    await page.click('#new-chat');
    const renderMs = await page.evaluate(async () => {
      const t0 = performance.now();
      document.querySelector('.conversation[data-id="bench-2000"] .conversation-title').click();
      await new Promise((resolve) => {
        // Opened: the newest message of the conversation is on screen.
        const check = () => (document.querySelector('.thread .message[data-id="a999"]') ? resolve() : requestAnimationFrame(check));
        check();
      });
      await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
      return performance.now() - t0;
    });
    console.log(`2,000-message conversation: time to first render ${fmt(renderMs)} (goal < 200 ms)`);
    // Input latency: from each keydown's timestamp to the next animation frame after it (the
    // frame that shows the typed character).
    await page.evaluate(() => {
      window.__inputs = [];
      document.addEventListener('keydown', (event) => {
        requestAnimationFrame((frame) => window.__inputs.push(frame - event.timeStamp));
      }, { capture: true });
    });
    await page.click('#chat-prompt');
    await page.keyboard.type('typing into a long conversation to measure input latency', { delay: 30 });
    await page.waitForTimeout(300);
    const inputs = (await page.evaluate(() => window.__inputs)).sort((a, b) => a - b);
    const median = inputs[Math.floor(inputs.length / 2)] ?? 0;
    const p95 = inputs[Math.floor(inputs.length * 0.95)] ?? 0;
    console.log(`input latency while typing (keydown to next frame, ${inputs.length} keys): median ${fmt(median)}, p95 ${fmt(p95)}, max ${fmt(inputs[inputs.length - 1] ?? 0)} (goal < 16 ms)`);
  } finally {
    await browser.stop();
    await gateway.stop();
  }
}

if (!process.env.BENCH_ONLY || process.env.BENCH_ONLY === 'max') {
  console.log('Maximum rate:');
  await maxRate();
}
if (!process.env.BENCH_ONLY || process.env.BENCH_ONLY === 'paced') {
  console.log('\nPaced streams, 400 deltas per second:');
  await pacedShapes(400);
}
if (!process.env.BENCH_ONLY || process.env.BENCH_ONLY === 'load') {
  console.log('\nUnder load, 1,000 deltas per second: typing, scrolling and Stop while it streams:');
  await underLoad(1000);
}
