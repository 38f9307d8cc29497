// The guided tour in real Chromium against the release build in dist/: every chapter
// walked forward and back in both languages, deep links, keys, Try it yourself, a hidden
// tab, and presenter-mode screenshots of each chapter's key step (looked at by a person).
// `node e2e/tour.mjs [name-substring]` runs all journeys or the matching ones.
import { join } from 'node:path';
import { OUTPUT, runJourneys } from './lib.mjs';

const tests = [];
const test = (name, fn) => tests.push({ name, fn });
const assert = (cond, message) => { if (!cond) throw new Error(message); };

// The chapters and their step counts, as in src/sim/tour.rs.
const CHAPTERS = [['consensus', 6], ['roles-and-terms', 7], ['election', 5], ['split-vote', 4],
  ['log-replication', 5], ['leader-crash', 5], ['partition', 7], ['figure-8', 8],
  ['disruptive-server', 9], ['minority-leader', 5], ['stale-reads', 6], ['leadership-transfer', 4],
  ['snapshots', 4], ['growing-the-cluster', 4], ['removing-the-leader', 4], ['free-play', 1]];
const STEPS = CHAPTERS.flatMap(([id, n]) => Array.from({ length: n }, (_, k) => [id, k + 1]));

const open = async (page, url, hash, lang = 'en') => {
  await page.addInitScript((l) => {
    try { localStorage.setItem('raft-playground-lang', l); } catch { /* about:blank has no storage */ }
  }, lang === 'zh' ? 'zh-CN' : 'en');
  // A new document each time (a goto that changes only the fragment would not reload).
  await page.goto('about:blank');
  await page.goto(url + hash);
  await page.waitForSelector('[data-mounted="true"]', { timeout: 15000 });
};
const tour = (page) => page.locator('section.tour');
const ready = (page) => page.waitForSelector('section.tour[data-tour-state="ready"]', { timeout: 20000 });
const where = async (page) => [await tour(page).getAttribute('data-tour-chapter'), Number(await tour(page).getAttribute('data-tour-step'))];
const caption = (page) => page.locator('section.tour .caption').innerText();

/// The cluster drawn on the page agrees with the step's checkpoint, which the page
/// computed on its own copy of the run: leaders and candidates, counted in the SVG.
const domMatchesCheckpoint = async (page, at) => {
  const want = {
    leaders: Number(await tour(page).getAttribute('data-expect-leaders')),
    candidates: Number(await tour(page).getAttribute('data-expect-candidates')),
  };
  const got = {
    leaders: await page.locator('.server[data-role="leader"][data-up="true"]').count(),
    candidates: await page.locator('.server[data-role="candidate"][data-up="true"]').count(),
  };
  assert(JSON.stringify(want) === JSON.stringify(got), `${at}: the page shows ${JSON.stringify(got)}, the checkpoint ${JSON.stringify(want)}`);
};

// What must be true at a few steps, whatever the captions say.
const PROMISES = {
  'split-vote/2': { leaders: 0, candidates: 2 },
  'partition/3': { leaders: 2 },
  'roles-and-terms/3': { leaders: 1, candidates: 0 },
  'leader-crash/2': { leaders: 0, down: 1 },
  'free-play/1': { leaders: 1 },
  // Without PreVote the cut-off server ends up leading; with it the first leader stays.
  'disruptive-server/5': { leaders: 1, candidates: 0 },
  'disruptive-server/9': { leaders: 1, candidates: 0 },
  // Without CheckQuorum the cut-off leader keeps leading; with it, it steps down.
  'minority-leader/3': { leaders: 2 },
  'stale-reads/4': { leaders: 2, stale: true },
  'stale-reads/6': { leaders: 1 },
  'leadership-transfer/4': { leaders: 1, down: 1 },
  // The leader's snapshot is drawn compacted in the log table and on its way as a page.
  'snapshots/2': { leaders: 1, down: 1, snapshots: 2 },
  'snapshots/3': { leaders: 1, snapshotInFlight: true },
  'snapshots/4': { leaders: 1, snapshots: 3 },
  // Membership: a learner drawn as one; a removed leader faded, outside the configuration.
  'growing-the-cluster/2': { leaders: 1, learners: 1 },
  'growing-the-cluster/4': { leaders: 1, learners: 0 },
  'removing-the-leader/3': { leaders: 0, outside: 1 },
  'removing-the-leader/4': { leaders: 1, outside: 1 },
};
const keepsPromise = async (page, key) => {
  const p = PROMISES[key];
  if (!p) return;
  const count = (sel) => page.locator(sel).count();
  if ('leaders' in p) assert(await count('.server[data-role="leader"][data-up="true"]') === p.leaders, `${key}: ${p.leaders} leader(s)`);
  if ('candidates' in p) assert(await count('.server[data-role="candidate"]') === p.candidates, `${key}: ${p.candidates} candidates`);
  if ('down' in p) assert(await count('.server[data-up="false"]') === p.down, `${key}: ${p.down} down`);
  if ('snapshots' in p) assert(await count('.logs td.snapshot') === p.snapshots, `${key}: ${p.snapshots} snapshot blocks in the logs`);
  if ('learners' in p) assert(await count('.server.learner') === p.learners, `${key}: ${p.learners} learner(s)`);
  if ('outside' in p) assert(await count('.server.outside') === p.outside, `${key}: ${p.outside} server(s) outside the configuration`);
  if (p.snapshotInFlight) assert(await count('.msg[data-msg-kind="install-snapshot"]') === 1, `${key}: an InstallSnapshot on its way`);
  // The stale read is flagged where a reader looks (the event log; in presenter mode the
  // caption says it).
  if (p.stale && await page.locator('.event-log').isVisible()) {
    assert(await count('.event-log .violation[role="alert"]') === 1, `${key}: the stale read is flagged`);
  }
  if (key === 'partition/3') {
    const terms = await page.locator('.server[data-role="leader"]').evaluateAll((els) => els.map((e) => e.dataset.term));
    assert(terms[0] !== terms[1], `two leaders in different terms: ${terms}`);
  }
  if (key === 'split-vote/2') {
    const terms = await page.locator('.server[data-role="candidate"]').evaluateAll((els) => els.map((e) => e.dataset.term));
    assert(terms[0] === terms[1], `both candidates in one term: ${terms}`);
  }
};

const CJK = /[\u4e00-\u9fff]/;
// Where the tour asks a question, and where the run answers it.
const ASKS = new Set(['election/1', 'split-vote/1', 'leader-crash/2', 'partition/4', 'figure-8/2',
  'disruptive-server/3', 'disruptive-server/7', 'stale-reads/3', 'snapshots/2',
  'growing-the-cluster/2', 'removing-the-leader/2']);
const ANSWERS = new Set(['election/4', 'split-vote/2', 'leader-crash/3', 'partition/5', 'figure-8/3',
  'disruptive-server/5', 'disruptive-server/9', 'stale-reads/4', 'snapshots/3',
  'growing-the-cluster/3', 'removing-the-leader/4']);

for (const lang of ['en', 'zh']) {
  test(`walk every chapter forward to the end and back to the start (${lang})`, async (page, url) => {
    await open(page, url, '#/tour', lang);
    await ready(page);
    await page.locator('.speed input').fill('1');
    const seen = [];
    for (let i = 0; i < STEPS.length; i++) {
      const [id, k] = STEPS[i];
      const key = `${id}/${k}`;
      await ready(page);
      assert(JSON.stringify(await where(page)) === JSON.stringify([id, k]), `step ${i}: at ${await where(page)}, expected ${key}`);
      assert(await page.evaluate(() => location.hash) === `#/tour/${key}`, `the address names ${key}`);
      const text = await caption(page);
      assert(text.length > (lang === 'zh' ? 10 : 20), `${key}: a caption: ${text}`);
      assert(lang === 'zh' ? CJK.test(text) : !CJK.test(text), `${key}: the caption is in ${lang}: ${text}`);
      assert(seen.length === 0 || seen[seen.length - 1] !== text, `${key}: the caption changed`);
      seen.push(text);
      await domMatchesCheckpoint(page, key);
      await keepsPromise(page, key);
      const asking = await page.locator('[data-question="open"]').count();
      assert(asking === (ASKS.has(key) ? 1 : 0), `${key}: ${asking ? 'a question' : 'no question'}`);
      const answering = await page.locator('[data-question="revealed"]').count();
      assert(answering === (ANSWERS.has(key) ? 1 : 0), `${key}: ${answering ? 'an answer' : 'no answer'}`);
      if (answering) {
        const verdict = await page.locator('.reveal').getAttribute('class');
        assert(/right|wrong/.test(verdict), `${key}: the guess is judged (${verdict})`);
      }
      if (asking) {
        await page.locator('[data-question="open"] .choice').first().click();
        assert(await page.locator('.choice[aria-pressed="true"]').count() === 1, `${key}: the guess is marked`);
      }
      if (i === STEPS.length - 1) break;
      // An invited action is taken with its own button; anything else with Next.
      const invite = page.locator('[data-invite]');
      if (await invite.count()) await invite.click(); else await page.locator('.tour-nav .next').click();
      const next = STEPS[i + 1];
      await page.waitForFunction(([c, s]) => {
        const t = document.querySelector('section.tour');
        return t && t.dataset.tourChapter === c && t.dataset.tourStep === String(s);
      }, next, { timeout: 10000 });
      await ready(page);
    }
    assert((await page.locator('.tour-nav .next').getAttribute('aria-disabled')) === 'true', 'the last step has no Next');
    // Back, one step at a time, to the very start: each step shows the caption it had.
    for (let i = STEPS.length - 2; i >= 0; i--) {
      await page.locator('.tour-nav .back').click();
      const [id, k] = STEPS[i];
      await page.waitForFunction(([c, s]) => {
        const t = document.querySelector('section.tour[data-tour-state="ready"]');
        return t && t.dataset.tourChapter === c && t.dataset.tourStep === String(s);
      }, STEPS[i], { timeout: 10000 });
      const text = await caption(page);
      assert(text === seen[i], `${id}/${k}: Back shows the caption Next showed:\n${text}\n${seen[i]}`);
      await domMatchesCheckpoint(page, `${id}/${k} (back)`);
      const answering = await page.locator('[data-question="revealed"]').count();
      assert(answering === (ANSWERS.has(`${id}/${k}`) ? 1 : 0), `${id}/${k} (back): the answer is shown again`);
      if (ASKS.has(`${id}/${k}`)) assert(await page.locator('[data-question="open"]').count() === 1, `${id}/${k} (back): asked again`);
      await keepsPromise(page, `${id}/${k}`);
    }
    assert((await page.locator('.tour-nav .back').getAttribute('aria-disabled')) === 'true', 'the first step has no Back');
  });
}

test('deep links open the right step; a bad one changes nothing', async (page, url) => {
  await open(page, url, '#/tour/split-vote/2');
  await ready(page);
  assert(JSON.stringify(await where(page)) === '["split-vote",2]', 'split-vote step 2');
  await keepsPromise(page, 'split-vote/2');
  assert((await page.locator('.chapters').inputValue()) === '3', 'the chapter menu shows chapter 4');
  // Pasting another step's address into the open page.
  await page.evaluate(() => { location.hash = '#/tour/partition/3'; });
  await page.waitForSelector('section.tour[data-tour-chapter="partition"][data-tour-step="3"][data-tour-state="ready"]');
  await keepsPromise(page, 'partition/3');
  const before = await page.locator('.server').evaluateAll((els) => els.map((e) => e.dataset.role + e.dataset.term));
  await page.evaluate(() => { location.hash = '#/tour/partition/99'; });
  await page.waitForSelector('.notice');
  assert((await page.locator('.notice').innerText()).includes('partition'), 'the notice names the link');
  const after = await page.locator('.server').evaluateAll((els) => els.map((e) => e.dataset.role + e.dataset.term));
  assert(JSON.stringify(before) === JSON.stringify(after), 'the run is unchanged');
  // The chapter menu.
  await page.locator('.chapters').selectOption('4');
  await page.waitForSelector('section.tour[data-tour-chapter="log-replication"][data-tour-step="1"]');
  // Doing by hand what a step asks for ("Crash S3") goes on with the tour.
  await open(page, url, '#/tour/leader-crash/1');
  await ready(page);
  const l = await page.locator('.server[data-role="leader"]').getAttribute('data-node-id');
  await page.locator(`.server[data-node-id="${l}"]`).click();
  await page.locator('.inspector').getByRole('button', { name: `Crash S${Number(l) + 1}` }).click();
  await page.waitForSelector('section.tour[data-tour-chapter="leader-crash"][data-tour-step="2"]');
  await page.waitForSelector(`.server[data-node-id="${l}"][data-up="false"]`);
  // A fresh page at a deep link, in Chinese.
  await open(page, url, '#/tour/figure-8/3', 'zh');
  await ready(page);
  assert(CJK.test(await caption(page)), 'a Chinese caption');
  assert((await page.locator('.tour-nav .next').innerText()).includes('下一步'), 'Chinese buttons');
});

test('keys, a hidden tab, and Try it yourself', async (page, url) => {
  await open(page, url, '#/tour/election/1');
  await ready(page);
  await page.locator('h1').click();
  await page.keyboard.press('ArrowRight');
  await page.waitForSelector('section.tour[data-tour-step="2"][data-tour-state="playing"]');
  // The tab is hidden: the run pauses and stays where it is.
  await page.evaluate(() => {
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => true });
    document.dispatchEvent(new Event('visibilitychange', { bubbles: true }));
  });
  await page.waitForFunction(() => !document.querySelector('.layout.playing'));
  const t0 = await page.locator('.clock').getAttribute('data-now');
  await page.waitForTimeout(500);
  assert(await page.locator('.clock').getAttribute('data-now') === t0, 'nothing runs in a hidden tab');
  await page.evaluate(() => { Object.defineProperty(document, 'hidden', { configurable: true, get: () => false }); });
  // → finishes the step at once; ← goes back.
  await page.keyboard.press('ArrowRight');
  await page.waitForSelector('section.tour[data-tour-step="2"][data-tour-state="ready"]');
  await page.keyboard.press('ArrowLeft');
  await page.waitForSelector('section.tour[data-tour-step="1"][data-tour-state="ready"]');
  // A presenter's clicker sends PageDown / PageUp: the first plays step 2, the second
  // finishes it at once.
  await page.keyboard.press('PageDown');
  await page.keyboard.press('PageDown');
  await page.waitForSelector('section.tour[data-tour-step="2"][data-tour-state="ready"]');
  // Nothing runs while a step waits for the reader.
  const t1 = await page.locator('.clock').getAttribute('data-now');
  await page.waitForTimeout(400);
  assert(await page.locator('.clock').getAttribute('data-now') === t1, 'paused at the checkpoint');
  // Try it yourself: the sandbox takes the run exactly as it is.
  const state = () => page.locator('.server').evaluateAll((els) => els.map((e) => [e.dataset.role, e.dataset.term, e.dataset.up].join()));
  const before = await state();
  await page.locator('.tour-nav .try').click();
  await page.waitForFunction(() => !document.querySelector('section.tour'));
  assert(JSON.stringify(await state()) === JSON.stringify(before), 'the sandbox starts from the tour state');
  assert(!(await page.evaluate(() => location.hash)).startsWith('#/tour'), 'the address leaves the tour');
  assert(await page.locator('.clock').getAttribute('data-now') === t1, 'at the same moment');
  // Presenter mode works in the sandbox too, and Esc leaves it.
  await page.keyboard.press('p');
  await page.waitForSelector('.layout.presenter');
  await page.keyboard.press('Escape');
  await page.waitForFunction(() => !document.querySelector('.layout.presenter'));
  await page.keyboard.press(' ');
  await page.waitForFunction((t) => document.querySelector('.clock').dataset.now !== t, t1);
  // The Tour button comes back to the step the reader left, keeping their speed.
  const speed = await page.locator('.speed input').inputValue();
  await page.locator('[data-tour-button]').click();
  await page.waitForSelector('section.tour[data-tour-chapter="election"][data-tour-step="2"][data-tour-state="ready"]');
  assert(await page.locator('.speed input').inputValue() === speed, 'the speed is kept');
  // The browser's Back leaves the tour again, for the page it was entered from.
  await page.goBack();
  await page.waitForFunction(() => !document.querySelector('section.tour'));
});

const KEY_STEPS = [['consensus', 5], ['roles-and-terms', 3], ['election', 2], ['split-vote', 2],
  ['log-replication', 4], ['leader-crash', 3], ['partition', 3], ['figure-8', 5],
  ['disruptive-server', 5], ['disruptive-server', 9], ['minority-leader', 5], ['stale-reads', 4],
  ['leadership-transfer', 3], ['snapshots', 3], ['growing-the-cluster', 2], ['removing-the-leader', 3],
  ['figure-8', 8], ['free-play', 1]];

test('presenter mode: each chapter\'s key step at 1920x1080', async (page, url) => {
  await page.setViewportSize({ width: 1920, height: 1080 });
  for (const [i, [id, k]] of KEY_STEPS.entries()) {
    const lang = i % 3 === 0 && i > 0 ? 'zh' : 'en';
    await open(page, url, `#/tour/${id}/${k}/present`, lang);
    await ready(page);
    assert(await page.locator('.layout.presenter').count() === 1, `${id}: presenter mode`);
    assert(!(await page.locator('.top-bar button').first().isVisible()), 'the top bar is hidden');
    assert(await page.locator('h1').count() === 1, 'its heading stays for screen readers');
    assert(!(await page.locator('.event-log').isVisible()), 'the event log is hidden');
    const size = await page.locator('section.tour .caption').evaluate((e) => parseFloat(getComputedStyle(e).fontSize));
    assert(size >= 28, `${id}: caption type ${size}px`);
    await page.waitForTimeout(200);
    await page.screenshot({ path: join(OUTPUT, `presenter-${i + 1}-${id}-${lang}.png`) });
  }
  // P and Esc toggle it; the address remembers it.
  await page.keyboard.press('Escape');
  await page.waitForFunction(() => !document.querySelector('.layout.presenter'));
  assert(!(await page.evaluate(() => location.hash)).endsWith('/present'), 'the address forgets presenter mode');
  await page.keyboard.press('p');
  await page.waitForSelector('.layout.presenter');
  assert((await page.evaluate(() => location.hash)).endsWith('/present'), 'the address remembers presenter mode');
});

// ---------- presenter mode at classroom projector sizes ----------
// 1024×680: a 4:3 projector with the browser's bars on screen.
const PROJECTORS = [[1024, 768], [1024, 680], [1280, 720], [1366, 768], [1920, 1080]];

/// WCAG contrast ratio of two CSS colours as getComputedStyle gives them (rgb/rgba).
const contrast = (a, b) => {
  const lum = (c) => {
    const [r, g, bl] = c.match(/[\d.]+/g).slice(0, 3).map((v) => {
      const s = Number(v) / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
};

/// The cluster's and one server's size on screen, and the page's background.
const measure = (page) => page.evaluate(() => {
  const svg = document.querySelector('svg.cluster').getBoundingClientRect();
  const body = document.querySelector('.server[data-node-id="0"] .body').getBoundingClientRect();
  return {
    clusterH: svg.height, clusterW: svg.width, server: Math.min(body.width, body.height),
    bg: getComputedStyle(document.querySelector('.layout')).backgroundColor,
    // The smallest role word ("candidate", "follower") in screen px: its SVG font size
    // times the cluster's scale.
    roleFont: Math.min(...[...document.querySelectorAll('.server .role-word')]
      .map((t) => parseFloat(t.getAttribute('font-size')) * t.getScreenCTM().a)),
  };
});

test('presenter mode at every projector size: a big cluster that keeps its size, visible replies and commit bar', async (page, url) => {
  for (const [w, h] of PROJECTORS) {
    await page.setViewportSize({ width: w, height: h });
    // The tour: log replication, where replies and the commit bar show.
    await open(page, url, '#/tour/log-replication/3/present');
    await ready(page);
    const first = await measure(page);
    assert(first.clusterH >= h / 2, `${w}x${h} tour: the cluster is ${first.clusterH}px of ${h}px`);
    if (w === 1366) assert(first.server >= 90, `${w}x${h}: a server is ${first.server}px across`);
    // Role words stay readable on the smallest projectors (they were 5 px at 1366×768).
    assert(first.roleFont >= 12, `${w}x${h}: a role word is ${first.roleFont.toFixed(1)} px`);
    console.log(`        ${w}x${h} tour: cluster ${Math.round(first.clusterH)} px tall, server ${Math.round(first.server)} px, role words ${first.roleFont.toFixed(1)} px`);
    // The logs fit beside the cluster, the state machine column too (it was off screen at
    // 4:3). Checked with the short logs of these steps (8 columns): a long log's table
    // scrolls sideways at any size.
    const logsFit = () => page.evaluate(() => {
      const kv = document.querySelector('.logs th.kv')?.getBoundingClientRect();
      return !!kv && [...document.querySelectorAll('.logs-panel, .logs-scroll')]
        .every((e) => e.scrollWidth <= e.clientWidth + 1) && kv.right <= innerWidth + 0.5;
    });
    assert(await logsFit(), `${w}x${h} tour: the logs table is wider than its panel`);
    await page.screenshot({ path: join(OUTPUT, `presenter-${w}x${h}-tour.png`) });
    // Next: the logs grow (commit), the cluster does not shrink.
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await page.waitForSelector('section.tour[data-tour-step="4"][data-tour-state="ready"]', { timeout: 20000 });
    const later = await measure(page);
    assert(Math.abs(later.clusterH - first.clusterH) < 1, `${w}x${h}: the cluster went from ${first.clusterH} to ${later.clusterH}px`);
    // The commit bar against the page.
    const bar = await page.locator('td.entry.commit-mark').first().evaluate((e) => getComputedStyle(e).boxShadow);
    const barColour = (bar.match(/rgba?\([^)]*\)/) ?? [bar])[0];
    assert(contrast(barColour, first.bg) >= 3, `${w}x${h}: commit bar ${barColour} on ${first.bg}`);

    // The sandbox: P turns presenter mode on; replies are drawn in their term's colour.
    await open(page, url, '');
    await page.locator('input[aria-label="Speed"]').fill('-1.5');
    await page.keyboard.press('p');
    await page.waitForSelector('.layout.presenter');
    // Read in the same frame the reply is found: messages arrive and vanish quickly.
    const seen = await page.waitForFunction(() => {
      const e = document.querySelector('.msg.vote-granted .shape, .msg.append-ok .shape');
      return e && { stroke: getComputedStyle(e).stroke, size: e.getBoundingClientRect().width };
    }, null, { timeout: 20000 });
    const { stroke, size } = await seen.jsonValue();
    const sandbox = await measure(page);
    assert(contrast(stroke, sandbox.bg) >= 3, `${w}x${h}: reply outline ${stroke} on ${sandbox.bg}`);
    assert(stroke !== 'rgb(27, 31, 36)', 'the reply keeps its term colour, not the dark outline');
    if (w >= 1366) assert(size >= 24, `${w}x${h}: a reply is ${size}px across`);
    assert(sandbox.clusterH >= h / 2, `${w}x${h} sandbox: the cluster is ${sandbox.clusterH}px of ${h}px`);
    if (w === 1366) assert(sandbox.server >= 90, `${w}x${h} sandbox: a server is ${sandbox.server}px across`);
    console.log(`        ${w}x${h} sandbox: cluster ${Math.round(sandbox.clusterH)} px tall, server ${Math.round(sandbox.server)} px, reply ${Math.round(size)} px`);
    assert(await page.locator('.controls button.play').isVisible(), 'the sandbox keeps its controls in presenter mode');
    // Every control and the timeline's words are whole on screen, inside the band: the
    // band once cut its first and last rows at 1366×768.
    const cut = await page.evaluate(() => {
      const band = document.querySelector('.controls').getBoundingClientRect();
      const [top, bottom] = [band.top - 0.5, Math.min(band.bottom, innerHeight) + 0.5];
      const [left, right] = [band.left - 0.5, Math.min(band.right, innerWidth) + 0.5];
      return [...document.querySelectorAll('.controls :is(button, input, select, label, .where)')]
        .filter((e) => e.getClientRects().length > 0 && !e.closest('.visually-hidden'))
        .map((e) => [e.className || e.tagName, e.getBoundingClientRect()])
        .filter(([, r]) => r.top < top || r.bottom > bottom || r.left < left || r.right > right)
        .map(([name, r]) => `${name} ${Math.round(r.left)},${Math.round(r.top)}–${Math.round(r.right)},${Math.round(r.bottom)}`);
    });
    assert(cut.length === 0, `${w}x${h} sandbox: cut off in the band: ${cut.join(', ')}`);
    assert(await logsFit(), `${w}x${h} sandbox: the logs table is wider than its panel`);
    await page.keyboard.press(' ');
    await page.waitForTimeout(100);
    await page.screenshot({ path: join(OUTPUT, `presenter-${w}x${h}-sandbox.png`) });
  }
});

// ---------- runner ----------
await runJourneys(tests, { only: process.argv[2], label: 'tour' });
