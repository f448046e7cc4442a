// Paced chat streams of several answer shapes in headless Chromium: the gateway's local backend
// sends deltas one by one at a fixed rate (--stream-rate) in the shape asked (--answer-shape),
// and the browser's own timing says what the page paid for them:
// - main-thread tasks from a Chrome trace (category "toplevel": every task the renderer's main
//   thread ran, with its duration), so the figures count all the work the browser did, not only
//   what the app measured itself;
// - frame times from a requestAnimationFrame loop in the page;
// - the stream's wall time in the page (send to finish shown) against the server's own time
//   (the gateway logs "stream sent N chunks in X ms").
// The app leaves a User Timing mark every 100 deltas ("xai-delta:<deltas>:<chars>"); the trace
// holds them too, which places the main-thread time at each position of the answer.
import { openApp, startBrowser, startGateway } from '../tests/e2e/harness.mjs';

export const SHAPES = [
  { name: 'mixed markdown', shape: 'markdown', chars: 102_000 },
  { name: 'one code block', shape: 'code', chars: 60_000 },
  { name: 'one long list', shape: 'list', chars: 102_000 },
  { name: 'one long table', shape: 'table', chars: 102_000 },
  // 128 characters a delta: word tokens would make a 1 MB line a 140 s stream.
  { name: 'one 1 MB line', shape: 'line', chars: 1_000_000, deltaChars: 128 },
];

const TASK_NAMES = new Set(['ThreadControllerImpl::RunTask', 'RunTask']);
const ms = (value) => `${value.toFixed(2)} ms`;

/** Records a Chrome trace of `page` while `run` runs; returns its events. */
export async function traced(page, run) {
  const cdp = await page.context().newCDPSession(page);
  const events = [];
  cdp.on('Tracing.dataCollected', ({ value }) => events.push(...value));
  const complete = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
  // BENCH_EXPLAIN=1 also records what the tasks did (layout, paint, style, scripts, GC), which
  // costs time of its own: figures from such a run are not comparable.
  const categories = ['toplevel', 'blink.user_timing', '__metadata'];
  if (process.env.BENCH_EXPLAIN) categories.push('devtools.timeline', 'v8', 'blink.gc');
  await cdp.send('Tracing.start', { categories: categories.join(','), transferMode: 'ReportEvents' });
  const result = await run();
  await cdp.send('Tracing.end');
  await complete;
  await cdp.detach();
  return { events, result };
}

/** The renderer main thread's top-level tasks ([start, end] in ms, sorted) and the app's marks. */
export function mainThread(events) {
  const marks = events.filter((e) => e.name?.startsWith('xai-delta:'));
  if (marks.length === 0) throw new Error('no xai-delta marks in the trace');
  const { pid } = marks[0];
  const main = events.find((e) => e.ph === 'M' && e.name === 'thread_name' && e.pid === pid && e.args?.name === 'CrRendererMain');
  const tasks = events
    .filter((e) => e.pid === pid && e.tid === main?.tid && e.ph === 'X' && TASK_NAMES.has(e.name))
    .map((e) => [e.ts / 1000, (e.ts + (e.dur ?? 0)) / 1000])
    .sort((a, b) => a[0] - b[0]);
  // Nested tasks (a task run inside another) count once.
  const topLevel = [];
  for (const task of tasks) {
    const last = topLevel[topLevel.length - 1];
    if (last && task[0] < last[1]) last[1] = Math.max(last[1], task[1]);
    else topLevel.push([...task]);
  }
  const positions = marks
    .map((m) => { const [, deltas, chars] = m.name.split(':'); return { t: m.ts / 1000, deltas: +deltas, chars: +chars }; })
    .sort((a, b) => a.t - b.t);
  return { tasks: topLevel, positions };
}

/** What each main-thread task over 50 ms spent its time on (BENCH_EXPLAIN=1): the events
 * directly inside it (Layout, Paint, UpdateLayoutTree, FunctionCall, GC ...), longest first. */
export function explainLongTasks(events, main) {
  const { pid } = events.find((e) => e.name?.startsWith('xai-delta:'));
  const tid = events.find((e) => e.ph === 'M' && e.name === 'thread_name' && e.pid === pid && e.args?.name === 'CrRendererMain')?.tid;
  const inner = events.filter((e) => e.pid === pid && e.tid === tid && e.ph === 'X' && !TASK_NAMES.has(e.name) && e.dur > 2_000);
  return main.tasks.filter(([start, end]) => end - start > 50).map(([start, end]) => {
    const within = inner.filter((e) => e.ts / 1000 >= start && (e.ts + e.dur) / 1000 <= end + 0.01);
    const spent = new Map();
    for (const event of within) spent.set(event.name, Math.max(spent.get(event.name) ?? 0, event.dur / 1000));
    const top = [...spent].sort((a, b) => b[1] - a[1]).slice(0, 4).map(([name, dur]) => `${name} ${dur.toFixed(0)}`).join(', ');
    return `${(end - start).toFixed(0)} ms: ${top}`;
  });
}

/** Where the main thread's time went while streaming (BENCH_EXPLAIN=1): total duration per
 * event name among the usual suspects (nested events count inside their parents too). */
export function explainBusy(events, main, from, to) {
  const { pid } = events.find((e) => e.name?.startsWith('xai-delta:'));
  const tid = events.find((e) => e.ph === 'M' && e.name === 'thread_name' && e.pid === pid && e.args?.name === 'CrRendererMain')?.tid;
  const totals = new Map();
  for (const e of events) {
    if (e.pid !== pid || e.tid !== tid || e.ph !== 'X' || TASK_NAMES.has(e.name) || e.ts / 1000 < from || e.ts / 1000 > to) continue;
    totals.set(e.name, (totals.get(e.name) ?? 0) + (e.dur ?? 0) / 1000);
  }
  return [...totals].sort((a, b) => b[1] - a[1]).slice(0, 14).map(([name, total]) => `${name} ${(total / ((to - from) / 1000)).toFixed(0)}`).join(', ');
}

/** Main-thread busy time within [from, to]. */
export function busyBetween(tasks, from, to) {
  let busy = 0;
  for (const [start, end] of tasks) {
    if (end <= from) continue;
    if (start >= to) break;
    busy += Math.min(end, to) - Math.max(start, from);
  }
  return busy;
}

/** Main-thread time per delta around the position `chars`: busy time between the marks around
 * it (about 400 deltas) over the deltas between them; null if the answer is shorter. */
function perDeltaAt(main, chars) {
  const { positions, tasks } = main;
  const index = positions.findIndex((p) => p.chars >= chars);
  if (index < 0 || positions[positions.length - 1].chars < chars) return null;
  const from = positions[Math.max(0, index - 2)];
  const to = positions[Math.min(positions.length - 1, Math.max(index, 1) + 2)];
  return busyBetween(tasks, from.t, to.t) / (to.deltas - from.deltas);
}

export const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))] ?? 0;

/** Runs `measure(page, gateway)` on the chat page of a fresh gateway whose answers have the
 * shape of `spec`, `chars` characters long, streamed at `rate` deltas per second; stops both.
 * BENCH_CSS adds a style sheet to the page (to try a style's effect without a rebuild). */
export async function withShapedAnswers(spec, rate, chars, measure) {
  const args = ['--stream-rate', String(rate), '--answer-shape', spec.shape, '--min-answer-chars', String(chars)];
  if (spec.deltaChars) args.push('--delta-chars', String(spec.deltaChars));
  const gateway = await startGateway(args);
  const browser = await startBrowser();
  try {
    const page = await browser.newPage();
    await openApp(page, `${gateway.url}/chat`);
    if (process.env.BENCH_CSS) await page.addStyleTag({ content: process.env.BENCH_CSS });
    await page.locator('#chat-model option').first().waitFor({ state: 'attached' });
    return await measure(page, gateway);
  } finally {
    await browser.stop();
    await gateway.stop();
  }
}

async function measureShape(spec, rate) {
  return withShapedAnswers(spec, rate, spec.chars, async (page, gateway) => {
    await page.fill('#chat-prompt', `Benchmark: ${spec.name}`);
    const { events, result: wallMs } = await traced(page, async () => {
      await page.evaluate(() => {
        window.__frames = [];
        window.__sent = performance.now();
        const frame = (t) => { window.__frames.push(t); if (!window.__done) requestAnimationFrame(frame); };
        requestAnimationFrame(frame);
        // The answer is finished when its finish reason shows (checked every frame).
        window.__finished = new Promise((resolve) => {
          const check = () => (document.querySelector('.message.assistant .finish-reason') ? resolve(performance.now()) : requestAnimationFrame(check));
          requestAnimationFrame(check);
        });
      });
      await page.click('#chat-send');
      await page.locator('.message.assistant .finish-reason').waitFor({ timeout: 900_000 });
      return page.evaluate(async () => { const end = await window.__finished; window.__done = true; return end - window.__sent; });
    });
    const frames = await page.evaluate(() => window.__frames);
    const main = mainThread(events);
    const first = main.positions[0].t;
    const last = main.positions[main.positions.length - 1].t;
    const streamTasks = main.tasks.filter(([start, end]) => end > first && start < last);
    const durations = streamTasks.map(([start, end]) => end - start);
    const gaps = frames.slice(1).map((t, i) => t - frames[i]).sort((a, b) => a - b);
    const server = /stream sent (\d+) chunks in (\d+) ms/.exec(gateway.log());
    return {
      name: spec.name,
      deltas: server ? +server[1] : main.positions[main.positions.length - 1].deltas,
      chars: main.positions[main.positions.length - 1].chars,
      perDelta: [1_000, 10_000, 50_000, 100_000].map((chars) => perDeltaAt(main, chars)),
      frames: { median: quantile(gaps, 0.5), p95: quantile(gaps, 0.95), max: gaps[gaps.length - 1] ?? 0 },
      longTasks: durations.filter((d) => d > 50).length,
      longest: Math.max(0, ...durations),
      busy: busyBetween(main.tasks, first, last) / (last - first),
      explained: process.env.BENCH_EXPLAIN
        ? [
          `ms per second, first quarter: ${explainBusy(events, main, first, first + (last - first) / 4)}`,
          `ms per second, last quarter: ${explainBusy(events, main, last - (last - first) / 4, last)}`,
          ...explainLongTasks(events, main),
        ]
        : [],
      wallMs,
      serverMs: server ? +server[2] : NaN,
    };
  });
}

/** Runs every shape (or those named in BENCH_SHAPES, e.g. "code,line") and prints a table. */
export async function pacedShapes(rate = 400) {
  const only = process.env.BENCH_SHAPES?.split(',');
  const results = [];
  for (const spec of SHAPES.filter((s) => !only || only.includes(s.shape))) {
    const result = await measureShape(spec, rate);
    results.push(result);
    const perDelta = result.perDelta.map((v) => (v === null ? '-' : ms(v))).join(' / ');
    const ratio = result.perDelta[3] ?? result.perDelta[2];
    console.log(`${result.name}: ${result.deltas} deltas, ${result.chars} chars`);
    console.log(`  main-thread time per delta at 1k / 10k / 50k / 100k chars: ${perDelta}` +
      `${ratio !== null && result.perDelta[0] ? ` (last/1k ${(ratio / result.perDelta[0]).toFixed(2)}, goal <= 1.5)` : ''}`);
    console.log(`  frame time median / p95 / max: ${ms(result.frames.median)} / ${ms(result.frames.p95)} / ${ms(result.frames.max)} (goal p95 <= 33 ms)`);
    console.log(`  long tasks (> 50 ms): ${result.longTasks}, longest task ${ms(result.longest)} (goal none)`);
    for (const line of result.explained) console.log(`    ${line}`);
    console.log(`  main thread busy: ${(result.busy * 100).toFixed(1)} % (goal < 40 %)`);
    console.log(`  stream wall time ${(result.wallMs / 1000).toFixed(2)} s, server ${(result.serverMs / 1000).toFixed(2)} s` +
      ` (+${(((result.wallMs - result.serverMs) / result.serverMs) * 100).toFixed(1)} %, goal <= 2 %)`);
  }
  return results;
}
