// Auto-scroll in a real browser, at desktop and at phone width (the thread scrolls by itself at
// both; the page never does): a stream is followed only while the reader is at the bottom, and a
// new message or a new chat is followed again wherever the reader had scrolled.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { gatewayAndBrowser, openApp, sendChat } from './harness.mjs';

/**
 * The thread's scroll position, and the page's (which must stay 0: the page is the window's
 * height and only the thread scrolls).
 * Content that arrived since the last frame is not followed yet (the page scrolls once per
 * frame), so a reading off the bottom is taken again two frames later.
 */
function threadScroll(page) {
  return page.evaluate(async () => {
    const t = document.querySelector('.thread');
    const read = () => ({ top: t.scrollTop, height: t.scrollHeight, client: t.clientHeight, pageTop: document.scrollingElement.scrollTop });
    const first = read();
    if (first.height - first.top - first.client <= 48) return first;
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    return read();
  });
}

/** Sets the scroll position the way a scrollbar or a keyboard would (a scroll event follows). */
function setScroll(page, top) {
  return page.evaluate((top) => {
    const t = document.querySelector('.thread');
    t.scrollTop = top ?? t.scrollHeight;
  }, top);
}

/** Starts a new chat with its button, which at phone width is in the conversation drawer. */
async function clickNewChat(page, phone) {
  if (phone) await page.click('#chat-drawer-toggle');
  await page.click('#new-chat');
}

describe('chat auto-scroll', () => {
  // A slow, long answer: it keeps growing for far longer than the test watches it.
  const suite = gatewayAndBrowser(['--stream-rate', '60', '--min-answer-chars', '40000']);

  /** Samples the thread for `ms`; returns the samples. */
  async function watch(page, ms) {
    const samples = [];
    const end = Date.now() + ms;
    while (Date.now() < end) {
      samples.push(await threadScroll(page));
      await page.waitForTimeout(150);
    }
    return samples;
  }
  const gap = (s) => s.height - s.top - s.client;

  for (const { layout, viewport, phone } of [
    { layout: 'desktop', viewport: { width: 1280, height: 720 }, phone: false },
    { layout: 'phone', viewport: { width: 390, height: 700 }, phone: true },
  ]) {
    test(`${layout}: the thread follows the stream at the bottom, stays where the reader scrolled up, and follows again at the bottom`, async () => {
      const page = await suite.browser.newPage();
      await page.setViewportSize(viewport);
      await openApp(page, `${suite.gateway.url}/chat`);
      await clickNewChat(page, phone);
      await sendChat(page, 'Tell me everything about scrolling');
      await page.waitForFunction(() => {
        const t = document.querySelector('.thread');
        return t.scrollHeight > t.clientHeight + 400;
      }, null, { timeout: 30_000 });

      // At the bottom: every sample is at the bottom while the content grows.
      let samples = await watch(page, 2000);
      assert.ok(samples.at(-1).height > samples[0].height + 50, 'the answer grows');
      for (const s of samples) assert.ok(gap(s) <= 48, `follows the stream (gap ${gap(s)} px)`);
      for (const s of samples) assert.equal(s.pageTop, 0, 'the page itself does not scroll');

      // The reader scrolls up with the mouse wheel: the thread stays where they left it.
      const box = await page.locator('.thread').boundingBox();
      await page.mouse.move(box.x + box.width / 2, Math.min(box.y + box.height / 2, viewport.height / 2));
      await page.mouse.wheel(0, -300);
      await page.waitForTimeout(400);
      const left = await threadScroll(page);
      assert.ok(gap(left) > 200, `scrolled up (gap ${gap(left)} px)`);
      samples = await watch(page, 2000);
      assert.ok(samples.at(-1).height > left.height + 50, 'the answer keeps growing');
      for (const s of samples) assert.ok(Math.abs(s.top - left.top) <= 1, `stays at ${left.top} (now ${s.top})`);

      // Scrolled up by setting scrollTop (as a scrollbar or the keyboard would): also stays.
      await setScroll(page, 100);
      await page.waitForTimeout(300);
      samples = await watch(page, 1000);
      for (const s of samples) assert.ok(Math.abs(s.top - 100) <= 1, `stays at 100 (now ${s.top})`);

      // Back at the bottom: it follows again.
      await setScroll(page, null);
      await page.waitForTimeout(400);
      samples = await watch(page, 2000);
      assert.ok(samples.at(-1).height > samples[0].height + 50, 'the answer grows');
      for (const s of samples) assert.ok(gap(s) <= 48, `follows again (gap ${gap(s)} px)`);
      assert.equal(await page.locator('.phase').getAttribute('data-phase'), 'streaming');
      await page.click('#chat-stop');
      await page.locator('.phase[data-phase="stopped"]').waitFor({ timeout: 5_000 });

      // Scrolled up, the reader sends again: the new answer is followed.
      await setScroll(page, 100);
      await page.waitForTimeout(300);
      await sendChat(page, 'Go on');
      await followsNewAnswer(page, 'after a send');
      await page.click('#chat-stop');

      // Scrolled to the top, the reader starts a new chat (on a phone from the drawer): its
      // answer is followed too.
      await setScroll(page, 0);
      await page.waitForTimeout(300);
      await clickNewChat(page, phone);
      await sendChat(page, 'Something new');
      await followsNewAnswer(page, 'in a new chat');
      await page.click('#chat-stop');
      await page.close();
    });
  }

  /** Waits until the answer overflows the view, then checks that the view stays at the bottom. */
  async function followsNewAnswer(page, when) {
    await page.waitForFunction(() => {
      const t = document.querySelector('.thread');
      const answer = [...document.querySelectorAll('.message.assistant')].at(-1);
      return answer.getBoundingClientRect().height > t.clientHeight + 200;
    }, null, { timeout: 30_000 });
    const samples = await watch(page, 1500);
    for (const s of samples) assert.ok(gap(s) <= 48, `follows ${when} (gap ${gap(s)} px)`);
  }
});
