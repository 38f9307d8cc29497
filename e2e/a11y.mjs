// Accessibility in real Chromium against the release build in dist/: axe-core (npm,
// pinned in package-lock.json) run in the states a class meets, in English and 简体中文.
// No serious or critical violation in any of them, and nothing at all from the rules
// listed in MUST_PASS. Moderate and minor findings are printed, not failed (issue 11).
// axe cannot judge every colour pair (text over the hatched cells is "incomplete" to
// it, and it does not measure SVG graphics): those are measured separately.
// `node e2e/a11y.mjs [name-substring]` runs all journeys or the matching ones.
import { createRequire } from 'node:module';
import { runJourneys } from './lib.mjs';

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const tests = [];
const test = (name, fn) => tests.push({ name, fn });
const assert = (cond, message) => { if (!cond) throw new Error(message); };

/// The rules this page keeps clean in every state: a name that begins with the visible
/// text, no buttons inside an image, a scrolling region a keyboard can reach, one h1.
const MUST_PASS = ['label-content-name-mismatch', 'nested-interactive', 'scrollable-region-focusable',
  'page-has-heading-one', 'button-name', 'aria-allowed-role', 'aria-required-children', 'duplicate-id'];

const open = async (page, url, hash, lang) => {
  await page.addInitScript((l) => {
    try { localStorage.setItem('raft-playground-lang', l); } catch { /* about:blank */ }
  }, lang === 'zh' ? 'zh-CN' : 'en');
  await page.goto('about:blank');
  await page.goto(url + hash);
  await page.waitForSelector('[data-mounted="true"]', { timeout: 15000 });
};
const pause = async (page) => {
  if (await page.locator('button.play[aria-label="Pause"], button.play[aria-label="暂停"]').count()) await page.keyboard.press(' ');
};

/// Runs axe on the page as it is; fails on any violation of MUST_PASS; returns counts.
const audit = async (page, state) => {
  await page.addScriptTag({ path: AXE });
  const result = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length, target: v.nodes[0]?.target?.join(' ') }));
  });
  const broken = result.filter((v) => MUST_PASS.includes(v.id));
  assert(broken.length === 0, `${state}: ${broken.map((v) => `${v.id} (${v.nodes}× e.g. ${v.target})`).join('; ')}`);
  const serious = result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert(serious.length === 0, `${state}: ${serious.map((v) => `${v.id} ${v.impact} ×${v.nodes} (e.g. ${v.target})`).join('; ')}`);
  const other = result.map((v) => `${v.id} ${v.impact} ×${v.nodes}`);
  console.log(`        ${state}: 0 serious or critical${other.length ? `; also ${other.join(', ')}` : ''}`);
  return result;
};

for (const lang of ['en', 'zh']) {
  test(`axe-core in the sandbox's states (${lang})`, async (page, url) => {
    await open(page, url, '', lang);
    await page.locator('.speed input').fill('0');
    await page.waitForSelector('.server[data-role="leader"]', { timeout: 20000 });
    await audit(page, `${lang} playing`);
    await pause(page);
    await page.locator('.server[data-node-id="0"]').focus();
    await page.keyboard.press('Enter');
    await page.waitForSelector('.inspector h2');
    await audit(page, `${lang} paused, a server selected`);
    // A message in flight, selected.
    // N steps (→ on a focused server moves to the next server).
    for (let i = 0; i < 100 && (await page.locator('[data-msg-id]').count()) === 0; i++) await page.keyboard.press('n');
    await page.locator('[data-msg-id]').first().dispatchEvent('click');
    await page.waitForSelector('.inspector dd[data-field="term"]');
    await audit(page, `${lang} a message selected`);
    await page.keyboard.press('?');
    await page.waitForSelector('.help');
    await audit(page, `${lang} help open`);
    await page.keyboard.press('Escape');
    await page.locator('#seed-input').fill('not a seed');
    await page.locator('#seed-input').press('Enter');
    await page.waitForSelector('.notice');
    await audit(page, `${lang} a notice after bad input`);
    await page.locator('h1').click();
    await page.keyboard.press('p');
    await page.waitForSelector('.layout.presenter');
    await audit(page, `${lang} presenter mode`);
  });

  test(`axe-core in the tour's states (${lang})`, async (page, url) => {
    for (const [hash, state] of [['#/tour/election/2', 'tour step'], ['#/tour/election/1', 'tour question'],
      ['#/tour/split-vote/2', 'tour reveal'], ['#/tour/leader-crash/1', 'tour invitation'],
      ['#/tour/partition/3/present', 'tour presenter']]) {
      await open(page, url, hash, lang);
      await page.waitForSelector('section.tour[data-tour-state="ready"]', { timeout: 20000 });
      await audit(page, `${lang} ${state}`);
      if (state === 'tour reveal') {
        assert(await page.evaluate(() => !!document.querySelector('[data-question="revealed"]').closest('[aria-live="polite"]')),
          'the answer is spoken: it is inside a live region');
      }
    }
  });
}

for (const lang of ['en', 'zh']) {
  test(`axe-core in the lab's states (${lang})`, async (page, url) => {
    await open(page, url, '#/lab/figure-16', lang);
    await audit(page, `${lang} lab: Figure 16's form`);
    for (const box of await page.locator('.range-choice input').all()) {
      if (await box.isChecked()) await box.click();
    }
    await page.locator('.range-choice input').nth(5).click();
    await page.locator('.lab-form select').first().selectOption('30');
    await page.locator('button.run').click();
    await page.waitForSelector('.lab-table tbody tr:not(.in-progress)', { timeout: 60000 });
    await page.waitForSelector('button.run', { timeout: 60000 });
    await audit(page, `${lang} lab: Figure 16's plot and table`);
    await open(page, url, '#/lab/break/keep-role-on-higher-term', lang);
    await page.locator('button.run').click();
    await page.waitForSelector('.lab-result', { timeout: 60000 });
    await audit(page, `${lang} lab: a counterexample found`);
    await page.locator('button.open-counterexample').click();
    await page.waitForSelector('.broken-rule .next-violation', { timeout: 20000 });
    await audit(page, `${lang} sandbox: a counterexample paused before the violation`);
  });
}

// The live region: an election, a commit and a crash are spoken, in both languages.
const SAID = {
  en: { leader: 'becomes leader', commit: 'is committed at index', crash: 'crash' },
  zh: { leader: '的领导者', commit: '处提交', crash: '宕机' },
};
for (const lang of ['en', 'zh']) {
  test(`the live region says an election, a commit and a crash (${lang})`, async (page, url) => {
    await open(page, url, '', lang);
    const region = page.locator('[data-narration]');
    assert(await region.getAttribute('aria-live') === 'polite', 'a polite live region');
    assert(await region.count() === 1, 'exactly one');
    const heard = [];
    const says = async (words) => {
      await page.waitForFunction((w) => document.querySelector('[data-narration]').textContent.includes(w), words, { timeout: 20000 });
      heard.push(await region.textContent());
    };
    await page.locator('.speed input').fill('0');
    await page.locator('h1').click();
    await says(SAID[lang].leader);
    await page.keyboard.press('c');
    await says(SAID[lang].commit);
    const leader = await page.locator('.server[data-role="leader"]').first().getAttribute('data-node-id');
    await page.locator(`.server[data-node-id="${leader}"]`).focus();
    await page.keyboard.press('Enter');
    await page.locator('.inspector .crash-restart').click();
    await says(SAID[lang].crash);
    console.log(`        heard (${lang}): ${heard.map((h) => `“${h}”`).join(' / ')}`);
  });
}

test('keyboard only: focus stays on something sensible, and menus wait for a choice', async (page, url) => {
  await open(page, url, '', 'en');
  await pause(page);
  const focused = () => page.evaluate(() => {
    const a = document.activeElement;
    return a === document.body || !a ? 'body' : (a.getAttribute('aria-label') || a.className?.baseVal || a.className || a.tagName);
  });
  // A server, by keyboard: Enter opens the inspector; Crash turns into Restart on the
  // same button, which keeps the focus.
  await page.locator('.server[data-node-id="1"]').focus();
  await page.keyboard.press('Enter');
  await page.waitForSelector('.inspector h2');
  await page.locator('.inspector .crash-restart').focus();
  await page.keyboard.press('Enter');
  await page.waitForSelector('.server[data-node-id="1"][data-up="false"]');
  assert((await page.locator('.inspector .crash-restart').innerText()) === 'Restart S2', 'the button now restarts');
  assert(await page.evaluate(() => document.activeElement.classList.contains('crash-restart')), `focus kept: ${await focused()}`);
  await page.keyboard.press('Enter');
  await page.waitForSelector('.server[data-node-id="1"][data-up="true"]');
  // Closing the inspector gives the focus back to its server.
  await page.locator('.inspector .close').focus();
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => !document.querySelector('.inspector h2'));
  await page.waitForTimeout(50);
  assert(await page.evaluate(() => document.activeElement.dataset?.nodeId === '1'), `focus back on S2: ${await focused()}`);
  // Help: a modal dialog that takes the focus and gives it back to where it was (S2).
  await page.keyboard.press('?');
  await page.waitForSelector('.help');
  await page.waitForTimeout(50);
  assert(await page.evaluate(() => document.querySelector('.help').contains(document.activeElement)), `focus in the dialog: ${await focused()}`);
  await page.keyboard.press('Escape');
  await page.waitForSelector('.help', { state: 'detached' });
  await page.waitForTimeout(50);
  assert(await page.evaluate(() => document.activeElement.dataset?.nodeId === '1'), `focus back on S2: ${await focused()}`);
  // A closed menu does not act on arrows: no scenario opens.
  const seed = await page.locator('#seed-input').inputValue();
  await page.locator('select.scenarios').focus();
  await page.keyboard.press('ArrowDown');
  await page.waitForTimeout(300);
  assert((await page.evaluate(() => location.hash)) === '', 'no scenario opened by an arrow');
  assert((await page.locator('#seed-input').inputValue()) === seed, 'the run is the same');
  await page.locator('select[aria-label="Cluster size"]').focus();
  await page.keyboard.press('ArrowDown');
  await page.waitForTimeout(300);
  assert((await page.locator('.server[data-node-id]').count()) === 5, 'the size menu did not reset the cluster');
  // Single-key shortcuts can be turned off (WCAG 2.1.4), and stay off after a reload.
  await page.locator('h1').click();
  await page.keyboard.press('?');
  await page.waitForSelector('.help');
  await page.locator('.shortcuts-switch input').focus();
  await page.keyboard.press(' ');
  assert(!(await page.locator('.shortcuts-switch input').isChecked()), 'switched off');
  await page.keyboard.press('Escape');
  await page.waitForSelector('.help', { state: 'detached' });
  await page.reload();
  await page.waitForSelector('[data-mounted="true"]');
  // Space is off now: pause with the button.
  if (await page.locator('button.play[aria-label="Pause"]').count()) await page.locator('button.play').click();
  await page.locator('h1').click();
  const clock = await page.locator('.clock').getAttribute('data-now');
  for (const key of ['c', ' ', 'p', 'a']) await page.keyboard.press(key);
  await page.waitForTimeout(300);
  assert((await page.locator('.clock').getAttribute('data-now')) === clock, 'Space did not play');
  assert((await page.locator('.layout.presenter').count()) === 0, 'P did nothing');
  assert((await page.locator('.event-log li.intervention').count()) === 0, 'C and A did nothing');
  await page.keyboard.press('ArrowRight');
  await page.waitForFunction((c) => document.querySelector('.clock').dataset.now !== c, clock);
});

// Keyboard only, as a student without a mouse meets the page: nothing but key presses
// (no click, no focus() call). After every action the focus is on a visible element
// that makes sense, never on <body>.
const active = (page) => page.evaluate(() => {
  const a = document.activeElement;
  if (!a || a === document.body) return { body: true };
  const r = a.getBoundingClientRect();
  const seen = r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0 && r.top < innerHeight && r.left < innerWidth;
  return {
    body: false, seen, tag: a.tagName, cls: String(a.className?.baseVal ?? a.className ?? ''),
    name: a.getAttribute('aria-label') || a.textContent.trim().slice(0, 60),
    node: a.dataset?.nodeId, msg: a.dataset?.msgId,
  };
});
const onSomething = async (page, after) => {
  const a = await active(page);
  assert(!a.body, `${after}: the focus fell back to <body>`);
  assert(a.seen, `${after}: the focused element (${a.name}) is not on screen`);
  return a;
};
/// Presses Tab (or Shift+Tab) until `wanted(focused)` holds; at most `max` presses.
const tabTo = async (page, wanted, what, { back = false, max = 150 } = {}) => {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
    const a = await active(page);
    if (!a.body && wanted(a)) return a;
  }
  throw new Error(`Tab never reached ${what}`);
};

test('keyboard only: a server, a crash, a write, a message dropped, help', async (page, url) => {
  await open(page, url, '', 'en');
  await page.keyboard.press(' ');
  assert((await page.locator('button.play').getAttribute('aria-label')) === 'Play', 'Space paused the run');
  // Tab reaches the servers; the arrow keys move around the ring (and do not step the run).
  const first = await tabTo(page, (a) => a.cls.includes('server'), 'a server');
  const clock = await page.locator('.clock').getAttribute('data-now');
  await page.keyboard.press('ArrowRight');
  let a = await onSomething(page, 'ArrowRight on a server');
  assert(a.node === String((Number(first.node) + 1) % 5), `→ moved from S${Number(first.node) + 1} to the next server, not to ${a.name}`);
  await page.keyboard.press('ArrowLeft');
  a = await onSomething(page, 'ArrowLeft on a server');
  assert(a.node === first.node, `← came back: from ${first.node} to ${a.node} ${a.name}`);
  assert((await page.locator('.clock').getAttribute('data-now')) === clock, 'the arrows moved the focus, not the run');
  // Enter inspects; Crash turns into Restart and keeps the focus.
  await page.keyboard.press('Enter');
  await page.waitForSelector('.inspector h2');
  await tabTo(page, (x) => x.cls.includes('crash-restart'), 'Crash');
  await page.keyboard.press('Enter');
  await page.waitForSelector(`.server[data-node-id="${first.node}"][data-up="false"]`);
  a = await onSomething(page, 'Crash');
  assert(a.cls.includes('crash-restart'), `the focus stays on the button: ${a.name}`);
  await page.keyboard.press('Enter');
  await page.waitForSelector(`.server[data-node-id="${first.node}"][data-up="true"]`);
  // Esc closes the inspector and gives the focus back to the server.
  await page.keyboard.press('Escape');
  await page.waitForFunction(() => !document.querySelector('.inspector h2'));
  a = await onSomething(page, 'Esc in the inspector');
  assert(a.node === first.node, `the focus is back on the server: ${a.name}`);
  // A write, typed into the leader's field once there is a leader (N steps the run).
  await page.keyboard.press('End');
  for (let i = 0; i < 400 && !(await page.locator('.server[data-role="leader"]').count()); i++) await page.keyboard.press('n');
  assert(await page.locator('.server[data-role="leader"]').count(), 'a leader, stepping with N');
  await tabTo(page, (x) => x.name === 'Command for the leader', 'the write field');
  await page.keyboard.type('SET x 7');
  await page.keyboard.press('Enter');
  await page.waitForSelector('.event-log li.intervention');
  await onSomething(page, 'a write');
  // Messages in flight take the focus while paused; Enter inspects one, and its Drop
  // button drops it, leaving the focus in the inspector.
  await page.keyboard.press('Tab');
  for (let i = 0; i < 50 && !(await page.locator('.msg[tabindex]').count()); i++) await page.keyboard.press('n');
  const msg = await tabTo(page, (x) => x.msg !== undefined, 'a message in flight');
  assert(/from S\d to S\d/.test(msg.name), `a message's name says where it goes: ${msg.name}`);
  await page.keyboard.press('Enter');
  await page.waitForSelector('.inspector dd[data-field="term"]');
  await tabTo(page, (x) => x.name === 'Drop this message', 'Drop this message');
  await page.keyboard.press('Enter');
  await page.waitForFunction((id) => !document.querySelector(`[data-msg-id="${id}"]`), msg.msg);
  await page.waitForTimeout(50);
  a = await onSomething(page, 'Drop');
  assert(a.cls.includes('close'), `the focus stays in the inspector: ${a.name}`);
  // Help: opens with ? (here from a server), takes the focus, keeps Tab inside, and
  // gives the focus back to that server on Esc.
  await tabTo(page, (x) => x.node !== undefined, 'a server');
  const opener = (await active(page)).node;
  await page.keyboard.press('?');
  await page.waitForSelector('.help');
  await page.waitForTimeout(50);
  assert(await page.evaluate(() => document.querySelector('.help').contains(document.activeElement)), 'the focus is in help');
  for (const key of ['Tab', 'Tab', 'Tab', 'Shift+Tab', 'Shift+Tab', 'Shift+Tab', 'Shift+Tab']) {
    await page.keyboard.press(key);
    assert(await page.evaluate(() => document.querySelector('.help').contains(document.activeElement)), `${key} left the dialog`);
  }
  await page.keyboard.press('Escape');
  await page.waitForSelector('.help', { state: 'detached' });
  await page.waitForTimeout(50);
  a = await onSomething(page, 'closing help');
  assert(a.node === opener, `the focus went back to the server help was opened from, not ${a.name}`);
  // P hides the top bar: the focus goes to the button that turns presenter mode off.
  await tabTo(page, (x) => x.cls.includes('tour-button'), 'Tour', { back: true });
  await page.keyboard.press('p');
  await page.waitForSelector('.layout.presenter');
  await page.waitForTimeout(100);
  a = await onSomething(page, 'P from the top bar');
  assert(a.cls.includes('presenter-toggle'), `the focus is on Exit presenter, not ${a.name}`);
  assert(/Presenter mode on/.test(await page.locator('[data-narration]').textContent()), 'presenter mode is spoken');
  // Where the page put the focus, Space is still play / pause...
  await page.keyboard.press(' ');
  assert((await page.locator('button.play').getAttribute('aria-label')) === 'Pause', 'Space played');
  await page.keyboard.press(' ');
  assert((await page.locator('button.play').getAttribute('aria-label')) === 'Play', 'Space paused');
  // ...but on a button the reader reached with Tab, Space presses it, as a screen reader
  // says it will.
  await page.keyboard.press('Shift+Tab');
  await tabTo(page, (x) => x.cls.includes('presenter-toggle'), 'Exit presenter');
  await page.keyboard.press(' ');
  await page.waitForSelector('.layout:not(.presenter)');
  assert((await page.locator('button.play').getAttribute('aria-label')) === 'Play', 'Space pressed the button and did not play');
  await onSomething(page, 'Space on Exit presenter');
  // The sliders speak rates and times, not raw numbers.
  const speed = await page.locator('.speed input').getAttribute('aria-valuetext');
  assert(/^1\/\d+×: slower than real time$|×: (real time|faster)/.test(speed), `the speed slider says ${speed}`);
  const where = await page.locator('.timeline input').getAttribute('aria-valuetext');
  assert(/ms of .* ms recorded$/.test(where), `the timeline says ${where}`);
  // The timeline's marks have names: the election is one of them.
  const marks = await page.locator('.timeline .marks li').allTextContents();
  assert(marks.some((m) => /leader of term \d+/.test(m)), `a mark names the election: ${marks.join(' | ')}`);
});

for (const lang of ['en', 'zh']) {
  test(`keyboard only: the whole tour, the focus never lost (${lang})`, async (page, url) => {
    await open(page, url, '#/tour', lang);
    const ready = () => page.waitForSelector('section.tour[data-tour-state="ready"]', { timeout: 20000 });
    await ready();
    const at = () => page.evaluate(() => { const t = document.querySelector('section.tour'); return `${t.dataset.tourChapter}/${t.dataset.tourStep}`; });
    await tabTo(page, (x) => x.cls.includes('next'), 'Next');
    let presses = 0;
    for (;;) {
      const here = await at();
      if (await page.locator('[data-question="open"]').count()) {
        // A guess, from the keyboard: back to the first choice, Enter, on to Next.
        await tabTo(page, (x) => x.cls.includes('choice'), `${here}: a choice`);
        await page.keyboard.press('Enter');
        await page.waitForSelector('.choice[aria-pressed="true"]');
        await onSomething(page, `${here}: a guess`);
      }
      const invite = await page.locator('[data-invite]').count();
      const last = (await page.locator('.tour-nav .next').getAttribute('aria-disabled')) === 'true';
      if (last) break;
      const target = invite ? 'invite' : 'next';
      const a = await active(page);
      if (!a.cls.includes(target)) await tabTo(page, (x) => x.cls.includes(target), `${here}: ${target}`, { back: true });
      await page.keyboard.press('Enter');
      presses++;
      await page.waitForFunction((h) => {
        const t = document.querySelector('section.tour');
        return t && `${t.dataset.tourChapter}/${t.dataset.tourStep}` !== h;
      }, here, { timeout: 20000 }).catch(async () => { throw new Error(`${here}: ${target} pressed, the tour did not move (focus on ${(await active(page)).name})`); });
      // While the step plays, Enter on Next again finishes it at once (as a reader who
      // does not want to wait does).
      if (await page.locator('section.tour[data-tour-state="playing"]').count()) {
        const mid = await onSomething(page, `${lang} a step playing after ${here}`);
        if (mid.cls.includes('next')) await page.keyboard.press('Enter');
      }
      await ready();
      const now = await onSomething(page, `${lang} after ${target} at ${here} (press ${presses})`);
      assert(now.cls.includes('next') || now.cls.includes('invite') || now.cls.includes('back'),
        `${here} → ${await at()}: the focus is on the tour's controls, not ${now.name}`);
    }
    assert(presses >= 40, `walked the whole tour: ${presses} presses`);
    // The last step: Next does nothing there, and keeps the focus.
    await tabTo(page, (x) => x.cls.includes('next'), 'the last Next', { back: true });
    await page.keyboard.press('Enter');
    await page.waitForTimeout(100);
    assert((await active(page)).cls.includes('next'), 'the focus is still on Next at the end');
    console.log(`        ${lang}: ${presses} presses of Next or an invitation, the focus kept every time`);
  });
}

// Reflow (WCAG 1.4.10, 2.4.11): 320 CSS px wide (400 % zoom of 1280×1024) and 200 % zoom
// of a 1366×768 laptop and of a 1920×1080 screen. The cluster can be seen, and a focused
// server is on screen and not covered by the controls.
for (const [w, h, zoom] of [[320, 256, 4], [683, 384, 2], [960, 540, 2]]) {
  test(`reflow at ${w}×${h} CSS px (${zoom * 100} % zoom)`, async (page, url) => {
    await page.setViewportSize({ width: w, height: h });
    await open(page, url, '', 'en');
    await pause(page);
    const scrollsSideways = await page.evaluate(() => document.documentElement.scrollWidth > innerWidth + 1);
    assert(!scrollsSideways, 'the page does not scroll sideways');
    for (const id of ['0', '2', '3']) {
      await page.locator(`.server[data-node-id="${id}"]`).focus();
      const seen = await page.evaluate(() => {
        const el = document.activeElement;
        const r = el.querySelector('.body').getBoundingClientRect();
        const x = r.x + r.width / 2; const y = r.y + r.height / 2;
        const top = document.elementFromPoint(x, y);
        return { inside: y > 0 && y < innerHeight && x > 0 && x < innerWidth, mine: !!top && el.contains(top), over: top?.closest('footer, header, aside, section')?.className ?? '' };
      });
      assert(seen.inside, `S${Number(id) + 1} focused but off screen`);
      assert(seen.mine, `S${Number(id) + 1} focused but covered by ${seen.over}`);
    }
    const cluster = await page.locator('svg.cluster').boundingBox();
    assert(cluster.width >= Math.min(w, 600) * 0.8 && cluster.height >= Math.min(h, 300) * 0.8, `the cluster is big enough to see: ${JSON.stringify(cluster)}`);
    const controls = await page.evaluate(() => getComputedStyle(document.querySelector('.controls')).position);
    assert(controls !== 'sticky' && controls !== 'fixed', `the controls stay in the page's flow (${controls})`);
    if (w <= 760) {
      // What Enter on a server opens comes right under the cluster, before the logs.
      await page.keyboard.press('Enter');
      await page.waitForSelector('.inspector h2');
      const order = await page.evaluate(() => ['svg.cluster', '.inspector', '.logs-panel', '.event-log']
        .map((q) => document.querySelector(q).getBoundingClientRect().top));
      assert(order[0] < order[1] && order[1] < order[2] && order[1] < order[3], `the inspector opens under the cluster: ${order.join(' ')}`);
    }
  });
}

test('reduced motion: the page starts paused and messages jump instead of gliding', async (page, url) => {
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await open(page, url, '', 'en');
  assert((await page.locator('button.play').getAttribute('aria-label')) === 'Play', 'starts paused');
  const clock = await page.locator('.clock').getAttribute('data-now');
  await page.waitForTimeout(400);
  assert((await page.locator('.clock').getAttribute('data-now')) === clock, 'nothing moves before Play');
  await page.locator('button.play').click();
  const msg = await page.waitForSelector('[data-msg-id]', { timeout: 20000 });
  const id = await msg.getAttribute('data-msg-id');
  // Every place the message is drawn at until it arrives: two at most.
  const places = await page.evaluate(async (id) => {
    const seen = new Set();
    for (let i = 0; i < 200; i++) {
      const el = document.querySelector(`[data-msg-id="${id}"]`);
      if (!el) break;
      seen.add(el.getAttribute('transform'));
      await new Promise((r) => requestAnimationFrame(r));
    }
    return [...seen];
  }, id);
  assert(places.length >= 1 && places.length <= 2, `message ${id} was drawn at ${places.length} places: ${places.join(' ')}`);
});

test('axe-core at phone size', async (page, url) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await open(page, url, '', 'en');
  await audit(page, 'phone sandbox');
  await open(page, url, '#/tour/log-replication/3', 'en');
  await page.waitForSelector('section.tour[data-tour-state="ready"]', { timeout: 20000 });
  await audit(page, 'phone tour');
});

await runJourneys(tests, { only: process.argv[2], label: 'a11y' });
