// Responsiveness while an answer streams at 1,000 deltas per second, for each answer shape, in
// headless Chromium. Once the answer has grown past LOAD_CHARS characters (so the page holds a
// large answer, growing), it types into the composer, scrolls the thread with the mouse wheel,
// then clicks Stop, and prints:
// - typing: keydown to the next animation frame (the frame that shows the character);
// - scrolling: wheel event to the next animation frame;
// (both also on the page at rest, before the stream: what the browser takes anyway)
// - Stop: click to the first frame in which the answer is marked stopped;
// - the main thread's long tasks (> 50 ms, from a Chrome trace) and busy share while it streamed.
// The goal: each within one or two frames (16.7 / 33 ms at 60 Hz), no task over 50 ms.
import { busyBetween, explainLongTasks, mainThread, quantile, SHAPES, traced, withShapedAnswers } from './bench-chat-shapes.mjs';

const LOAD_CHARS = 30_000;
const ms = (value) => `${value.toFixed(1)} ms`;
const spread = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return `median ${ms(quantile(sorted, 0.5))}, p95 ${ms(quantile(sorted, 0.95))}, max ${ms(sorted[sorted.length - 1] ?? 0)} (${sorted.length})`;
};

/** Twenty wheel turns over the thread, up then down, 50 ms apart. */
async function wheel(page) {
  const thread = await page.locator('.thread').boundingBox();
  await page.mouse.move(thread.x + thread.width / 2, thread.y + thread.height / 2);
  for (let step = 0; step < 20; step += 1) {
    await page.mouse.wheel(0, step < 10 ? -240 : 240);
    await page.waitForTimeout(50);
  }
}

async function measureUnderLoad(spec, rate) {
  // Long enough that the stream is still going when Stop is clicked.
  return withShapedAnswers(spec, rate, spec.chars * 2, async (page) => {
    await page.fill('#chat-prompt', `Benchmark under load: ${spec.name}`);
    await page.evaluate(() => {
      window.__keys = [];
      window.__wheels = [];
      // From the event's own time stamp to the callbacks of the next frame after it was handled.
      const afterFrame = (list, event) => requestAnimationFrame(() => list.push(performance.now() - event.timeStamp));
      document.addEventListener('keydown', (event) => afterFrame(window.__keys, event), { capture: true });
      document.addEventListener('wheel', (event) => afterFrame(window.__wheels, event), { capture: true, passive: true });
      document.addEventListener('click', (event) => {
        if (event.target.closest?.('#chat-stop')) window.__stopClicked = event.timeStamp;
      }, { capture: true });
      window.__stopped = new Promise((resolve) => {
        const check = () => {
          if (window.__stopClicked !== undefined && document.querySelector('.message.assistant[data-status="stopped"]')) {
            resolve(performance.now() - window.__stopClicked);
          } else {
            requestAnimationFrame(check);
          }
        };
        requestAnimationFrame(check);
      });
    });
    // The same inputs on the page at rest first: what the browser takes without any stream.
    await page.click('#chat-prompt');
    await page.keyboard.type(' at rest', { delay: 40 });
    await wheel(page);
    const rest = await page.evaluate(() => {
      const lists = { keys: window.__keys, wheels: window.__wheels };
      window.__keys = [];
      window.__wheels = [];
      return lists;
    });
    const { events, result } = await traced(page, async () => {
      await page.click('#chat-send');
      await page.waitForFunction((chars) => (document.querySelector('.message.assistant .answer-text')?.textContent.length ?? 0) > chars,
        LOAD_CHARS, { polling: 250, timeout: 120_000 });
      await page.click('#chat-prompt');
      await page.keyboard.type('typing while a long answer streams in', { delay: 40 });
      await wheel(page);
      const streaming = await page.evaluate(() => document.querySelector('#chat-stop')?.disabled === false);
      await page.click('#chat-stop');
      const stopMs = await page.evaluate(() => window.__stopped);
      return { streaming, stopMs, keys: await page.evaluate(() => window.__keys), wheels: await page.evaluate(() => window.__wheels) };
    });
    const main = mainThread(events);
    const first = main.positions[0].t;
    const last = main.positions[main.positions.length - 1].t;
    const durations = main.tasks.filter(([start, end]) => end > first && start < last).map(([start, end]) => end - start);
    return {
      ...result,
      rest,
      chars: main.positions[main.positions.length - 1].chars,
      longTasks: durations.filter((d) => d > 50).length,
      longest: Math.max(0, ...durations),
      busy: busyBetween(main.tasks, first, last) / (last - first),
      explained: process.env.BENCH_EXPLAIN ? explainLongTasks(events, main) : [],
    };
  });
}

/** Runs every shape (or those named in BENCH_SHAPES) at `rate` deltas per second. */
export async function underLoad(rate = 1000) {
  const only = process.env.BENCH_SHAPES?.split(',');
  for (const spec of SHAPES.filter((s) => !only || only.includes(s.shape))) {
    const result = await measureUnderLoad(spec, rate);
    console.log(`${spec.name}: stopped at ${result.chars} chars${result.streaming ? '' : ' (the stream had ended before Stop)'}`);
    console.log(`  typing (keydown to next frame): ${spread(result.keys)}; at rest ${spread(result.rest.keys)}`);
    console.log(`  scrolling (wheel to next frame): ${spread(result.wheels)}; at rest ${spread(result.rest.wheels)}`);
    console.log(`  Stop (click to the answer shown stopped): ${ms(result.stopMs)}`);
    for (const line of result.explained) console.log(`    ${line}`);
    console.log(`  long tasks (> 50 ms): ${result.longTasks}, longest ${ms(result.longest)}; main thread busy ${(result.busy * 100).toFixed(1)} %`);
  }
}
