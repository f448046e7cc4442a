// Auto-scroll in a real browser, at desktop width (the thread scrolls) and at phone width (the
// page scrolls): a stream is followed only while the reader is at the bottom, and a new message
// or a new chat is followed again wherever the reader had scrolled.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { gatewayAndBrowser, openApp, sendChat } from './harness.mjs';

/**
 * The scroll position of what scrolls the thread: the thread, or at phone width the page.
 * Content that arrived since the last frame is not followed yet (the page scrolls once per
 * frame), so a reading off the bottom is taken again two frames later.
 */
function threadScroll(page, phone) {
  return page.evaluate(async (phone) => {
    const t = phone ? document.scrollingElement : document.querySelector('.thread');
    const read = () => ({ top: t.scrollTop, height: t.scrollHeight, client: t.clientHeight });
    const first = read();
    if (first.height - first.top - first.client <= 48) return first;
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    return read();
  }, phone);
}

/** Sets the scroll position the way a scrollbar or a keyboard would (a scroll event follows). */
function setScroll(page, phone, top) {
  return page.evaluate(({ phone, top }) => {
    const t = phone ? document.scrollingElement : document.querySelector('.thread');
    t.scrollTop = top ?? t.scrollHeight;
  }, { phone, top });
}

describe('chat auto-scroll', () => {
  // A slow, long answer: it keeps growing for far longer than the test watches it.
  const suite = gatewayAndBrowser(['--stream-rate', '60', '--min-answer-chars', '40000']);

  /** Samples the thread for `ms`; returns the samples. */
  async function watch(page, phone, ms) {
    const samples = [];
    const end = Date.now() + ms;
    while (Date.now() < end) {
      samples.push(await threadScroll(page, phone));
      await page.waitForTimeout(150);
    }
    return samples;
  }
  const gap = (s) => s.height - s.top - s.client;

  for (const { layout, viewport, phone } of [
    { layout: 'desktop (the thread scrolls)', viewport: { width: 1280, height: 720 }, phone: false },
    { layout: 'phone (the page scrolls)', viewport: { width: 390, height: 700 }, phone: true },
  ]) {
    test(`${layout}: the thread follows the stream at the bottom, stays where the reader scrolled up, and follows again at the bottom`, async () => {
      const page = await suite.browser.newPage();
      await page.setViewportSize(viewport);
      await openApp(page, `${suite.gateway.url}/chat`);
      await page.click('#new-chat');
      await sendChat(page, 'Tell me everything about scrolling');
      await page.waitForFunction((phone) => {
        const t = phone ? document.scrollingElement : document.querySelector('.thread');
        return t.scrollHeight > t.clientHeight + 400;
      }, phone, { timeout: 30_000 });

      // At the bottom: every sample is at the bottom while the content grows.
      let samples = await watch(page, phone, 2000);
      assert.ok(samples.at(-1).height > samples[0].height + 50, 'the answer grows');
      for (const s of samples) assert.ok(gap(s) <= 48, `follows the stream (gap ${gap(s)} px)`);

      // The reader scrolls up with the mouse wheel: the thread stays where they left it.
      const box = await page.locator('.thread').boundingBox();
      await page.mouse.move(box.x + box.width / 2, Math.min(box.y + box.height / 2, viewport.height / 2));
      await page.mouse.wheel(0, -300);
      await page.waitForTimeout(400);
      const left = await threadScroll(page, phone);
      assert.ok(gap(left) > 200, `scrolled up (gap ${gap(left)} px)`);
      samples = await watch(page, phone, 2000);
      assert.ok(samples.at(-1).height > left.height + 50, 'the answer keeps growing');
      for (const s of samples) assert.ok(Math.abs(s.top - left.top) <= 1, `stays at ${left.top} (now ${s.top})`);

      // Scrolled up by setting scrollTop (as a scrollbar or the keyboard would): also stays.
      await setScroll(page, phone, 100);
      await page.waitForTimeout(300);
      samples = await watch(page, phone, 1000);
      for (const s of samples) assert.ok(Math.abs(s.top - 100) <= 1, `stays at 100 (now ${s.top})`);

      // Back at the bottom: it follows again.
      await setScroll(page, phone, null);
      await page.waitForTimeout(400);
      samples = await watch(page, phone, 2000);
      assert.ok(samples.at(-1).height > samples[0].height + 50, 'the answer grows');
      for (const s of samples) assert.ok(gap(s) <= 48, `follows again (gap ${gap(s)} px)`);
      assert.equal(await page.locator('.phase').getAttribute('data-phase'), 'streaming');
      await page.click('#chat-stop');
      await page.locator('.phase[data-phase="stopped"]').waitFor({ timeout: 5_000 });

      // Scrolled up, the reader sends again: the new answer is followed.
      await setScroll(page, phone, 100);
      await page.waitForTimeout(300);
      await sendChat(page, 'Go on');
      await followsNewAnswer(page, phone, 'after a send');
      await page.click('#chat-stop');

      // Scrolled to the top (on a phone, to reach "New chat"), the reader starts a new chat:
      // its answer is followed too.
      await setScroll(page, phone, 0);
      await page.waitForTimeout(300);
      await page.click('#new-chat');
      await sendChat(page, 'Something new');
      await followsNewAnswer(page, phone, 'in a new chat');
      await page.click('#chat-stop');
      await page.close();
    });
  }

  /** Waits until the answer overflows the view, then checks that the view stays at the bottom. */
  async function followsNewAnswer(page, phone, when) {
    await page.waitForFunction((phone) => {
      const t = phone ? document.scrollingElement : document.querySelector('.thread');
      const answer = [...document.querySelectorAll('.message.assistant')].at(-1);
      return answer.getBoundingClientRect().height > t.clientHeight + 200;
    }, phone, { timeout: 30_000 });
    const samples = await watch(page, phone, 1500);
    for (const s of samples) assert.ok(gap(s) <= 48, `follows ${when} (gap ${gap(s)} px)`);
  }
});
