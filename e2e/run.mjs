// End-to-end journeys in real Chromium against the release build in dist/.
// Each test is a user journey; any page error or console error fails it.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { OUTPUT, runJourneys } from './lib.mjs';

const SIZES = { projector: [1920, 1080], laptop: [1366, 768], phone: [390, 844] };
const tests = [];
// `strict: false` for a journey that makes the page fail on purpose (its errors are the point).
const test = (name, fn, { strict = true } = {}) => tests.push({ name, fn, strict });
const assert = (cond, message) => { if (!cond) throw new Error(message); };

// ---------- helpers that read the DOM's stable data-* hooks ----------
const mount = async (page, url, hash = '') => {
  await page.goto(url + hash);
  await page.waitForSelector('[data-mounted="true"]', { timeout: 15000 });
};
const fast = async (page) => page.locator('input[aria-label="Speed"]').fill('0');
const leader = async (page, timeout = 20000) => {
  const el = await page.waitForSelector('.server[data-role="leader"][data-up="true"]', { timeout });
  return { id: await el.getAttribute('data-node-id'), term: Number(await el.getAttribute('data-term')) };
};
const pause = async (page) => {
  if (await page.locator('button.play[aria-label="Pause"]').count()) await page.locator('button.play').click();
};
const kv = (page, id) => page.locator(`tr.log-row[data-node-id="${id}"] td.kv`).getAttribute('data-kv');

test('the app mounts with five servers and the product name', async (page, url) => {
  await mount(page, url);
  assert((await page.title()) === 'Raft Playground', 'title');
  assert((await page.locator('h1').innerText()) === 'Raft Playground', 'heading');
  assert((await page.locator('.server[data-node-id]').count()) === 5, 'five servers');
  assert((await page.locator('tr.log-row').count()) === 5, 'five log rows');
  const seed = await page.locator('#seed-input').inputValue();
  assert(/^\d+$/.test(seed), `the seed is shown: ${seed}`);
});

test('a leader appears', async (page, url) => {
  await mount(page, url);
  await fast(page);
  const l = await leader(page);
  assert(l.term >= 1, `leader in term ${l.term}`);
  const terms = await page.locator('.server[data-up="true"]').evaluateAll((els) => els.map((e) => e.dataset.term));
  await page.waitForFunction((t) => [...document.querySelectorAll('.server')].every((e) => Number(e.dataset.term) === t), l.term);
  assert(terms.length === 5, 'five servers up');
});

test('crashing the leader leads to a new leader in a higher term', async (page, url) => {
  await mount(page, url);
  await fast(page);
  const old = await leader(page);
  await page.locator(`.server[data-node-id="${old.id}"]`).click();
  await page.getByRole('button', { name: `Crash S${Number(old.id) + 1}` }).click();
  await page.waitForSelector(`.server[data-node-id="${old.id}"][data-up="false"]`);
  await page.waitForFunction((t) => [...document.querySelectorAll('.server[data-role="leader"]')]
    .some((e) => Number(e.dataset.term) > t), old.term, { timeout: 20000 });
  const now = await leader(page);
  assert(now.id !== old.id && now.term > old.term, `new leader S${Number(now.id) + 1} in term ${now.term}`);
});

test('a client write ends committed on every live server', async (page, url) => {
  await mount(page, url);
  await fast(page);
  await leader(page);
  await page.locator('input[aria-label="Command for the leader"]').fill('SET x 7');
  await page.getByRole('button', { name: 'Write to leader' }).click();
  await page.waitForFunction(() => {
    const rows = [...document.querySelectorAll('tr.log-row')];
    return rows.length === 5 && rows.every((r) => r.querySelector('td.kv').dataset.kv === 'x=7');
  }, null, { timeout: 10000 });
  const entries = await page.locator('td.entry[data-index="1"]').evaluateAll((els) => els.map((e) => e.dataset.committed));
  assert(entries.length === 5 && entries.every((c) => c === 'true'), `committed everywhere: ${entries}`);
});

test('a minority partition keeps its write uncommitted and loses it on heal', async (page, url) => {
  await mount(page, url);
  await fast(page);
  const old = await leader(page);
  await page.getByRole('button', { name: 'Split' }).click();
  // The old leader is in the minority: send it a write directly.
  await page.locator(`.server[data-node-id="${old.id}"]`).click();
  await page.locator('#server-write').fill('SET x 1');
  await page.getByRole('button', { name: 'Send' }).click();
  await page.waitForSelector(`td.entry[data-node-id="${old.id}"][data-index="1"]`);
  // The majority elects its own leader and commits a write of its own at the same index.
  await page.waitForFunction((t) => [...document.querySelectorAll('.server[data-role="leader"]')]
    .some((e) => Number(e.dataset.term) > t), old.term, { timeout: 20000 });
  await page.locator('input[aria-label="Command for the leader"]').fill('SET x 2');
  await page.getByRole('button', { name: 'Write to leader' }).click();
  await page.waitForTimeout(1500);
  const stale = page.locator(`td.entry[data-node-id="${old.id}"][data-index="1"]`);
  assert((await stale.getAttribute('data-committed')) === 'false', 'the minority write stays uncommitted');
  assert((await stale.getAttribute('data-term')) === String(old.term), 'still the old term');
  await page.keyboard.press('h');
  await page.waitForFunction((id) => {
    const e = document.querySelector(`td.entry[data-node-id="${id}"][data-index="1"]`);
    return e && e.dataset.committed === 'true';
  }, old.id, { timeout: 10000 });
  const term = Number(await stale.getAttribute('data-term'));
  assert(term > old.term, `the old leader's entry 1 was replaced by term ${term}`);
  assert((await kv(page, old.id)) === 'x=2', 'the old leader now holds the majority value');
});

test('stepping advances exactly one event', async (page, url) => {
  await mount(page, url);
  await pause(page);
  const count = async () => Number((await page.locator('.controls .events').innerText()).replace(/\D/g, ''));
  const before = await count();
  await page.keyboard.press('ArrowRight');
  await page.waitForFunction((b) => Number(document.querySelector('.controls .events').innerText.replace(/\D/g, '')) !== b, before);
  assert((await count()) === before + 1, 'one event');
  await page.getByRole('button', { name: 'Step one event' }).click();
  await page.waitForTimeout(200);
  assert((await count()) === before + 2, 'two events');
  assert((await page.locator('button.play').getAttribute('aria-label')) === 'Play', 'stays paused');
});

test('Space is play/pause whatever was clicked last, and presses nothing again', async (page, url) => {
  await mount(page, url);
  await fast(page);
  await leader(page);
  await pause(page);
  const playing = async () => (await page.locator('button.play').getAttribute('aria-label')) === 'Pause';
  const entries = () => page.locator('td.entry').count();
  const cuts = () => page.locator('line.link.cut').count();
  // Write to leader, then Space: the run plays, and no second write is sent.
  await page.getByRole('button', { name: 'Write to leader' }).click();
  await page.waitForFunction(() => document.querySelectorAll('td.entry').length > 0);
  await page.keyboard.press(' ');
  await page.waitForFunction(() => document.querySelector('button.play').getAttribute('aria-label') === 'Pause');
  await page.waitForTimeout(400);
  await page.keyboard.press(' ');
  assert(!(await playing()), 'Space again pauses');
  await page.waitForTimeout(150);
  // One write in every log, never a second: Space did not press Write again.
  const indexes = await page.locator('td.entry').evaluateAll((els) => [...new Set(els.map((e) => e.dataset.index))]);
  assert(JSON.stringify(indexes) === '["1"]', `Space sent no second write: entries at ${indexes}`);
  const sends = await page.locator('.event-log li.intervention').evaluateAll((els) => els.filter((e) => e.innerText.includes('client sends')).length);
  assert(sends === 1, `one client write in the event log, not ${sends}`);
  // Split, then Space: one partition only.
  await page.getByRole('button', { name: 'Split', exact: true }).click();
  const cutAfterSplit = await cuts();
  assert(cutAfterSplit > 0, 'the split cut links');
  const splits = await page.locator('.event-log li.intervention').count();
  await page.keyboard.press(' ');
  await page.waitForFunction(() => document.querySelector('button.play').getAttribute('aria-label') === 'Pause');
  await page.keyboard.press(' ');
  await page.waitForTimeout(150);
  assert((await cuts()) === cutAfterSplit, 'no second split');
  assert((await page.locator('.event-log li.intervention').count()) === splits, 'no second intervention');
  // Step, then Space: plays instead of stepping again.
  await page.getByRole('button', { name: 'Step one event' }).click();
  await page.keyboard.press(' ');
  await page.waitForFunction(() => document.querySelector('button.play').getAttribute('aria-label') === 'Pause');
  assert(await playing(), 'Space after Step plays');
  assert((await entries()) >= 1, 'the write is still there');
});

test('step back returns to the state one event earlier, and Step replays it', async (page, url) => {
  await mount(page, url);
  await fast(page);
  await leader(page);
  await pause(page);
  const count = async () => Number((await page.locator('.controls .events').innerText()).replace(/\D/g, ''));
  const state = () => page.evaluate(() => JSON.stringify({
    now: document.querySelector('.clock').dataset.now,
    servers: [...document.querySelectorAll('.server')].map((e) => [e.dataset.role, e.dataset.term, e.dataset.up].join()),
    msgs: [...document.querySelectorAll('[data-msg-id]')].map((e) => `${e.dataset.msgId}:${e.getAttribute('transform')}`).sort(),
  }));
  await page.keyboard.press('ArrowRight');
  await page.waitForTimeout(100);
  const n = await count();
  const before = await state();
  await page.keyboard.press('ArrowRight');
  await page.waitForFunction((b) => Number(document.querySelector('.controls .events').innerText.replace(/\D/g, '')) === b + 1, n);
  const after = await state();
  await page.keyboard.press('ArrowLeft');
  await page.waitForFunction((b) => Number(document.querySelector('.controls .events').innerText.replace(/\D/g, '')) === b, n);
  assert((await state()) === before, `← shows the earlier state:\n${await state()}\n${before}`);
  await page.keyboard.press('b');
  await page.waitForFunction((b) => Number(document.querySelector('.controls .events').innerText.replace(/\D/g, '')) === b - 1, n);
  await page.getByRole('button', { name: 'Step back one event' }).click();
  await page.waitForFunction((b) => Number(document.querySelector('.controls .events').innerText.replace(/\D/g, '')) === b - 2, n);
  for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
  await page.waitForFunction((b) => Number(document.querySelector('.controls .events').innerText.replace(/\D/g, '')) === b + 1, n);
  assert((await state()) === after, 'Step replays the same events');
});

test('four servers: two candidates can tie 2 to 2', async (page, url) => {
  await mount(page, url);
  // Paused from the start, so the run is the one the native test checks (seed 3).
  await pause(page);
  await page.locator('#seed-input').fill('3');
  await page.getByRole('button', { name: 'Reset', exact: true }).click();
  await page.locator('select[aria-label="Cluster size"]').selectOption('4');
  await page.waitForFunction(() => document.querySelectorAll('.server[data-node-id]').length === 4);
  assert((await page.locator('.clock').getAttribute('data-now')) === '0', 'starts at time 0, paused');
  for (const id of [0, 2]) {
    await page.locator(`.server[data-node-id="${id}"]`).click();
    await page.getByRole('button', { name: 'Time out now' }).click();
  }
  // Step until both are candidates and every vote has arrived.
  for (let i = 0; i < 60; i++) {
    const done = await page.evaluate(() => document.querySelectorAll('.server[data-role="candidate"]').length === 2
      && document.querySelectorAll('[data-msg-id]').length === 0);
    if (done) break;
    await page.getByRole('button', { name: 'Step one event' }).click();
  }
  const granted = await page.locator('.server[data-role="candidate"] .vote.granted').count();
  assert(granted === 4, `2 + 2 granted votes, ${granted} seen`);
  assert((await page.locator('.server[data-role="leader"]').count()) === 0, 'nobody leads');
});

test('clicking a message opens its details and can drop it', async (page, url) => {
  await mount(page, url);
  await fast(page);
  await page.waitForSelector('[data-msg-kind]');
  await pause(page);
  // The message seen while playing may have arrived before the pause: step to the next one.
  for (let i = 0; i < 100 && (await page.locator('[data-msg-kind]').count()) === 0; i++) {
    await page.getByRole('button', { name: 'Step one event' }).click();
  }
  const msg = page.locator('[data-msg-kind]').first();
  const id = await msg.getAttribute('data-msg-id');
  await msg.click({ force: true });
  await page.waitForSelector('.inspector h2');
  assert((await page.locator('.inspector h2').innerText()) === `Message #${id}`, 'inspector names the message');
  assert((await page.locator('.inspector dd[data-field="term"]').count()) === 1, 'shows the term field');
  await page.getByRole('button', { name: 'Drop this message' }).click();
  await page.waitForSelector(`[data-msg-id="${id}"]`, { state: 'detached' });
  // Paused, so the dropped message stays where it was lost, marked ✗, until time moves on.
  await page.waitForSelector(`[data-dropped-id="${id}"]`);
  assert((await page.locator('.event-log li.drop').count()) >= 1, 'the drop is in the event log');
});

test('keyboard help lists the shortcuts; bad input gets a message', async (page, url) => {
  await mount(page, url);
  await page.keyboard.press('?');
  await page.waitForSelector('.help');
  assert((await page.locator('.help kbd').count()) >= 8, 'shortcuts listed');
  await page.getByRole('button', { name: 'Close shortcuts' }).click();
  await page.waitForSelector('.help', { state: 'detached' });
  await page.keyboard.press('?');
  await page.waitForSelector('.help');
  await page.keyboard.press('Escape');
  await page.waitForSelector('.help', { state: 'detached' });
  const seed = await page.locator('#seed-input').inputValue();
  await page.locator('#seed-input').fill('not a seed');
  await page.getByRole('button', { name: 'Reset', exact: true }).click();
  await page.waitForSelector('.notice');
  assert((await page.locator('.notice').innerText()).includes('is not a seed'), 'clear message');
  // The refused text stays to be corrected, marked invalid and described by the notice.
  const field = page.locator('#seed-input');
  assert((await field.inputValue()) === 'not a seed', 'the refused text is kept to be corrected');
  assert((await field.getAttribute('aria-invalid')) === 'true', 'the field is marked invalid');
  assert((await field.getAttribute('aria-describedby')) === 'notice', 'the notice describes the field');
  await field.fill(seed);
  assert((await field.getAttribute('aria-invalid')) === null, 'editing clears the mark');
});

const snapshot = (page) => page.evaluate(() => ({
  now: document.querySelector('.clock').dataset.now,
  events: document.querySelector('.controls .events').innerText,
  servers: [...document.querySelectorAll('.server')].map((e) => `${e.dataset.nodeId}:${e.dataset.role}:${e.dataset.term}:${e.dataset.up}`).join(' '),
  entries: [...document.querySelectorAll('td.entry')].map((e) => `${e.dataset.nodeId}/${e.dataset.index}/${e.dataset.term}/${e.dataset.committed}`).join(' '),
  messages: [...document.querySelectorAll('[data-msg-id]')].map((e) => `${e.dataset.msgId}@${e.getAttribute('transform')}`).join(' '),
}));

test('a copied link reopens the identical run; a broken link changes nothing', async (page, url) => {
  await mount(page, url);
  await fast(page);
  const l = await leader(page);
  await page.locator('h1').click();
  await page.keyboard.press('c');
  await page.locator(`.server[data-node-id="${l.id}"]`).click();
  await page.getByRole('button', { name: 'Crash S' + (Number(l.id) + 1) }).click();
  await page.waitForTimeout(300);
  await pause(page);
  await page.getByRole('button', { name: 'Step one event' }).click();
  await page.getByRole('button', { name: 'Copy link' }).click();
  const shared = page.url();
  assert(shared.includes('#/run/'), `the address bar holds the link: ${shared.slice(0, 60)}`);
  const before = await snapshot(page);
  const other = await page.context().newPage();
  await mount(other, shared);
  const after = await snapshot(other);
  for (const k of Object.keys(before)) assert(before[k] === after[k], `${k} differs:\n${before[k]}\n${after[k]}`);
  assert((await other.locator('button.play').getAttribute('aria-label')) === 'Play', 'opens paused');
  await other.close();
  // A damaged link: a clear message, and the page runs a fresh cluster as usual.
  await page.goto('about:blank');
  await mount(page, url + '#/run/' + shared.split('#/run/')[1].slice(0, 40));
  await page.waitForSelector('.notice');
  assert((await page.locator('.notice').innerText()).includes('could not be opened'), 'clear message');
  await fast(page);
  await leader(page);
});

// The busiest link the bounds accept (issue 12): nine servers, 10 ms heartbeats, elections
// that churn on a 1–200 ms network, half the messages twice; about 2.8 million events.
const stormLink = () => {
  const script = { version: 1, config: { servers: 9, seed: 5,
    raft: { election_timeout_min: 20000, election_timeout_max: 30000, heartbeat_interval: 10000, max_entries_per_append: 16, fast_backup: true },
    net: { latency_min: 1000, latency_max: 200000, loss_permille: 0, duplicate_permille: 500 } },
    steps: [], playhead: 300 * 1000000 };
  return '#/run/' + Buffer.from(JSON.stringify(script)).toString('base64url');
};

test('the storm link opens under a progress bar, keys answered all the way; Cancel keeps the run', async (page, url) => {
  // The replay goes on a slice per animation frame. Playwright's clock fakes the page's frames,
  // so this journey sets the frames' pace (one per 250 ms below) and does not depend on how
  // fast this machine replays a slice: a fast machine once finished before the bar was seen.
  await page.clock.install({ time: 0 });
  await page.clock.pauseAt(1000);
  await mount(page, url, stormLink());
  // The page is up, the old run shown, and the replay waits for the next frame.
  await page.waitForSelector('.loading progress');
  const values = [];
  const waits = [];
  // Keys land between slices: the help opens and closes while the replay is still going.
  while (await page.locator('.loading').count()) {
    const value = Number(await page.locator('.loading progress').getAttribute('value'));
    const started = Date.now();
    await page.keyboard.press('?');
    await page.waitForSelector('.help');
    waits.push(Date.now() - started);
    const stillLoading = await page.locator('.loading').count();
    await page.keyboard.press('Escape');
    await page.waitForSelector('.help', { state: 'detached' });
    if (stillLoading) values.push(value);
    // Esc closed the help, not the replay.
    if (stillLoading) assert(await page.locator('.loading').count() || await page.locator('#notice').count(), 'the replay goes on');
    await page.clock.runFor(250);
  }
  assert(values.length >= 2, `answered keys during the replay: ${values}`);
  assert(values.every((v, k) => k === 0 || v >= values[k - 1]), `the bar only moves forward: ${values}`);
  console.log(`    storm link: key press to help shown ${waits.join(', ')} ms during the replay`);
  assert((await page.locator('#notice').innerText()).includes('Opened the shared run'), 'opened');
  assert((await page.locator('.server').count()) === 9, 'nine servers');
  assert(!(await page.locator('.violation').count()), 'no safety violation');
  // Again, and Cancel: the run that was shown stays, and says so.
  await page.goto('about:blank');
  await mount(page, url);
  await pause(page);
  const before = await page.locator('.controls .events').innerText();
  await page.evaluate((hash) => { window.location.hash = hash; }, stormLink());
  await page.waitForSelector('.loading');
  await page.getByRole('button', { name: 'Cancel (Esc)' }).click();
  await page.waitForSelector('.loading', { state: 'detached' });
  assert((await page.locator('#notice').innerText()).includes('Stopped. The run shown is unchanged.'), 'says so');
  assert((await page.locator('.server').count()) === 5, 'the five servers shown before');
  assert((await page.locator('.controls .events').innerText()) === before, 'the same moment');
});

test('Raft features: with PreVote a timed-out follower asks first and keeps its term; the switch is in the link', async (page, url) => {
  await mount(page, url);
  await fast(page);
  const l = await leader(page);
  await page.waitForTimeout(500);
  await pause(page);
  const preVote = page.getByRole('checkbox', { name: 'PreVote' });
  assert(!(await preVote.isChecked()), 'off by default: the paper');
  await preVote.check();
  assert(await preVote.isChecked(), 'on');
  assert(!(await page.getByRole('checkbox', { name: 'CheckQuorum' }).isChecked()), 'the other switches stay off');
  assert(!(await page.getByRole('checkbox', { name: 'leader no-op' }).isChecked()), 'the no-op too');
  const described = await preVote.getAttribute('aria-describedby');
  assert((await page.locator('#' + described).textContent()).startsWith('PreVote: a server that times out first asks'), 'explained');
  const f = (Number(l.id) + 1) % 5;
  const termBefore = await page.locator(`.server[data-node-id="${f}"]`).getAttribute('data-term');
  await page.locator(`.server[data-node-id="${f}"]`).click();
  await page.getByRole('button', { name: 'Time out now' }).click();
  await page.getByRole('button', { name: 'Step one event' }).click();
  await page.waitForSelector(`.server[data-node-id="${f}"][data-role="pre-candidate"]`);
  assert((await page.locator(`.server[data-node-id="${f}"]`).getAttribute('data-term')) === termBefore, 'its term did not change');
  await page.waitForSelector('[data-msg-kind="pre-vote"]');
  const said = await page.locator('.event-log').innerText();
  assert(said.includes(`S${f + 1} becomes a pre-candidate in term ${termBefore}`), 'the event log says what it does');
  // The others still hear the leader: they say no, and the leader stays.
  // (The leader answers first, at times: it is itself the leader.)
  for (let k = 0; k < 100 && !(await page.locator('.event-log').innerText()).includes('so the leader is alive'); k++) {
    await page.getByRole('button', { name: 'Step one event' }).click();
  }
  assert((await page.locator('.event-log').innerText()).includes('within the shortest election timeout, so the leader is alive'), 'refused, with the reason');
  // The inspector says when a follower last heard its leader, which PreVote now decides by.
  const other3 = (Number(l.id) + 3) % 5;
  await page.locator(`.server[data-node-id="${other3}"]`).click();
  const inspector = await page.locator('.inspector').innerText();
  assert(/heard from its leader\s+S\d, [\d.]+ ms ago/.test(inspector), `the inspector says when: ${inspector}`);
  // The link carries the switch: it reopens with PreVote on and the same state.
  await page.getByRole('button', { name: 'Copy link' }).click();
  const other = await page.context().newPage();
  await mount(other, page.url());
  assert(await other.getByRole('checkbox', { name: 'PreVote' }).isChecked(), 'the link keeps PreVote on');
  assert((await other.locator(`.server[data-node-id="${f}"]`).getAttribute('data-role')) === (await page.locator(`.server[data-node-id="${f}"]`).getAttribute('data-role')), 'the same state');
  await other.close();
  // The presets set every switch at once; a mix reads Custom.
  const preset = page.locator('select[aria-label="Raft preset"]');
  assert((await preset.inputValue()) === 'custom', 'PreVote alone is a custom mix');
  await preset.selectOption('etcd');
  await page.waitForFunction(() => document.querySelector('select[aria-label="Raft preset"]').value === 'etcd');
  for (const name of ['PreVote', 'CheckQuorum', 'leader no-op']) {
    assert(await page.getByRole('checkbox', { name }).isChecked(), `${name} on as etcd runs it`);
  }
  await preset.selectOption('paper');
  await page.waitForFunction(() => document.querySelector('select[aria-label="Raft preset"]').value === 'paper');
  for (const name of ['PreVote', 'CheckQuorum', 'leader no-op']) {
    assert(!(await page.getByRole('checkbox', { name }).isChecked()), `${name} off in the paper's Raft`);
  }
  await preVote.check();
  // In Chinese the group and the explanations are Chinese; the switch names are the features' own.
  await page.locator('[data-lang-toggle]').click();
  await page.waitForFunction(() => document.documentElement.lang === 'zh-CN');
  assert((await page.locator('.controls .features').getAttribute('aria-label')) === 'Raft 特性', 'the group in Chinese');
  assert((await page.locator('#pre-vote-help').textContent()).startsWith('PreVote：超时的服务器先询问'), 'explained in Chinese');
});

test('reads: R reads what was written; a local read at a leader cut off is caught as stale (EN and 中文)', async (page, url) => {
  await mount(page, url);
  await fast(page);
  const l = await leader(page);
  await page.waitForTimeout(400);
  await page.keyboard.press('c');
  await page.waitForTimeout(400);
  await pause(page);
  assert((await page.locator('.controls button.read').innerText()) === 'Read x', 'the Read button names the key written last');
  await page.keyboard.press('r');
  await page.getByRole('button', { name: 'Play' }).click();
  await page.waitForFunction(() => document.querySelector('.event-log').innerText.includes('for read #1'));
  await pause(page);
  const log = await page.locator('.event-log').innerText();
  assert(/the client gets x = 1 from S\d for read #1/.test(log), `ReadIndex answers the write: ${log.slice(0, 400)}`);
  assert(log.includes('a majority confirmed'), 'it says how it knew');
  // Cut the leader off with one follower; the majority elects another and takes x = 2.
  await page.getByRole('button', { name: 'Split' }).click();
  await page.getByRole('button', { name: 'Play' }).click();
  await page.waitForFunction((old) => [...document.querySelectorAll('.server[data-role="leader"]')].some((e) => e.dataset.nodeId !== old), l.id, { timeout: 20000 });
  await page.locator('input[aria-label="Command for the leader"]').fill('SET x 2');
  await page.getByRole('button', { name: 'Write to leader' }).click();
  await page.waitForFunction(() => /write #2 is committed/.test(document.querySelector('.event-log').innerText), null, { timeout: 20000 });
  await pause(page);
  // A local read at the old leader answers from its own state: stale, and flagged.
  await page.locator(`.server[data-node-id="${l.id}"]`).click();
  await page.locator('#server-read').fill('x');
  await page.getByRole('button', { name: 'Local read' }).click();
  const alert = page.locator('.event-log .violation[role="alert"]');
  await alert.waitFor();
  const text = await alert.innerText();
  assert(text.includes('Linearizable reads') && text.includes('answered 1 is stale') && text.includes('(x = 2) was acknowledged before the read began'), `the evidence: ${text}`);
  await page.locator('[data-lang-toggle]').click();
  await page.waitForFunction(() => document.documentElement.lang === 'zh-CN');
  const zh = await alert.innerText();
  assert(zh.includes('读取可线性化') && zh.includes('是过期的') && zh.includes('在这次读取开始之前就已确认'), `the evidence in Chinese: ${zh}`);
  assert((await page.getByRole('button', { name: '本地读取' }).count()) === 1, 'the inspector in Chinese');
});

test('leadership transfer: the inspector hands the leadership to a chosen server, without a timeout', async (page, url) => {
  await mount(page, url);
  await fast(page);
  const l = await leader(page);
  await page.waitForTimeout(400);
  await pause(page);
  const target = (Number(l.id) + 2) % 5;
  await page.locator(`.server[data-node-id="${target}"]`).click();
  await page.getByRole('button', { name: `Transfer leadership to S${target + 1}` }).click();
  // The leader says it is handing over, in its inspector row and the log.
  const said = await page.locator('.event-log').innerText();
  assert(said.includes(`starts handing its leadership to S${target + 1}`), 'the log says so');
  await page.waitForSelector('[data-msg-kind="timeout-now"]');
  // Event by event, so the event log (its newest 80 lines) still holds the whole handover
  // when the target leads: played, a fast machine could scroll it out before the check.
  const leads = `.server[data-node-id="${target}"][data-role="leader"]`;
  for (let k = 0; k < 200 && !(await page.locator(leads).count()); k++) {
    await page.getByRole('button', { name: 'Step one event' }).click();
  }
  assert(await page.locator(leads).count(), `S${target + 1} leads within 200 events`);
  const after = await page.locator('.event-log').innerText();
  assert(after.includes(`S${target + 1} receives TimeoutNow`), 'the target got TimeoutNow');
  // The log is newest first: what happened since the request is what precedes it.
  const since = after.split('the leader is asked to hand its leadership')[0];
  assert(!since.includes('election timeout elapsed'), 'no election timer ran out');
  assert(Number(await page.locator(`.server[data-node-id="${target}"]`).getAttribute('data-term')) === l.term + 1, 'the next term');
  // A transfer is part of the link: it reopens the same run.
  await pause(page);
  await page.getByRole('button', { name: 'Copy link' }).click();
  const other = await page.context().newPage();
  await mount(other, page.url());
  await other.waitForSelector(`.server[data-node-id="${target}"][data-role="leader"]`);
  await other.close();
  await page.locator('[data-lang-toggle]').click();
  await page.waitForFunction(() => document.documentElement.lang === 'zh-CN');
  await page.locator(`.server[data-node-id="${l.id}"]`).click();
  assert((await page.getByRole('button', { name: `把领导权移交给 S${Number(l.id) + 1}` }).count()) === 1, 'the button in Chinese');
});

test('snapshots: a follower back from a crash gets the leader\'s snapshot; the log shows the compacted prefix; the link keeps it (EN and 中文)', async (page, url) => {
  await mount(page, url);
  await fast(page);
  const l = await leader(page);
  await pause(page);
  await page.locator('select.compaction').selectOption('4');
  const follower = (Number(l.id) + 1) % 5;
  await page.locator(`.server[data-node-id="${follower}"]`).click();
  await page.getByRole('button', { name: `Crash S${follower + 1}` }).click();
  await page.getByRole('button', { name: 'Play' }).click();
  for (let x = 1; x <= 10; x++) {
    await page.locator('input[aria-label="Command for the leader"]').fill(`SET x ${x}`);
    await page.getByRole('button', { name: 'Write to leader' }).click();
    await page.waitForFunction((want) => document.querySelector('.event-log').innerText.includes(`write #${want} is committed`), x, { timeout: 20000 });
  }
  // The leader's row starts with one block for its snapshot.
  const block = page.locator(`td.snapshot[data-node-id="${l.id}"]`);
  await block.waitFor();
  assert(Number(await block.getAttribute('data-snapshot-index')) >= 8, 'the leader compacted at least 8 entries');
  assert((await block.getAttribute('title')).startsWith('snapshot up to index'), 'the block says what it is');
  await page.locator(`.server[data-node-id="${follower}"]`).click();
  await page.getByRole('button', { name: `Restart S${follower + 1}` }).click();
  await page.waitForFunction((f) => document.querySelector('.event-log').innerText.includes(`S${f + 1} installs S`), follower, { timeout: 20000 });
  await page.waitForFunction((f) => document.querySelector(`tr.log-row[data-node-id="${f}"] td.kv`).dataset.kv === 'x=10', follower, { timeout: 20000 });
  await pause(page);
  const log = await page.locator('.event-log').innerText();
  assert(/which S\d has compacted into its snapshot: S\d sends it InstallSnapshot up to index \d+/.test(log), 'the leader says why it sends a snapshot');
  // The inspector shows the follower's snapshot.
  await page.locator(`.server[data-node-id="${follower}"]`).click();
  assert((await page.locator('.inspector').innerText()).includes('snapshot'), 'the inspector lists the snapshot');
  // The link carries the setting and the run.
  await page.getByRole('button', { name: 'Copy link' }).click();
  const other = await page.context().newPage();
  await mount(other, page.url());
  await other.waitForSelector(`td.snapshot[data-node-id="${follower}"]`);
  assert(await other.locator('select.compaction').inputValue() === '4', 'the link keeps the snapshot setting');
  await other.close();
  await page.locator('[data-lang-toggle]').click();
  await page.waitForFunction(() => document.documentElement.lang === 'zh-CN');
  assert((await page.locator(`td.snapshot[data-node-id="${l.id}"]`).getAttribute('title')).startsWith('快照'), 'the block in Chinese');
  assert((await page.locator('.event-log').innerText()).includes('安装了'), 'the install in Chinese');
});

test('membership: Add server makes S6 a learner, then a voter; the inspector removes it; the link keeps both (EN and 中文)', async (page, url) => {
  await mount(page, url);
  await fast(page);
  const l = await leader(page);
  // A leader changes the configuration only once an entry of its term is committed.
  await page.locator('input[aria-label="Command for the leader"]').fill('SET x 1');
  await page.getByRole('button', { name: 'Write to leader' }).click();
  await page.waitForFunction(() => document.querySelector('.event-log').innerText.includes('write #1 is committed'), null, { timeout: 20000 });
  await page.getByRole('button', { name: 'Add server' }).click();
  await page.waitForSelector('.server[data-node-id="5"]');
  const said = await page.locator('.event-log').innerText();
  assert(said.includes('to add S6 as a learner'), 'the leader says it adds S6 as a learner');
  await page.waitForFunction(() => document.querySelector('.event-log').innerText.includes('to make S6, caught up, a voter'), null, { timeout: 20000 });
  await page.waitForFunction(() => !document.querySelector('.server[data-node-id="5"]').classList.contains('learner'), null, { timeout: 20000 });
  assert(await page.locator('.server').count() === 6, 'six servers on the ring');
  assert((await page.locator('.logs td.entry.config').count()) > 0, 'configuration entries have their own look');
  // Remove it again from its inspector.
  await pause(page);
  await page.locator('.server[data-node-id="5"]').click();
  await page.getByRole('button', { name: 'Remove S6 from the cluster' }).click();
  await page.getByRole('button', { name: 'Play' }).click();
  await page.waitForSelector('.server.outside[data-node-id="5"]', { timeout: 20000 });
  await pause(page);
  await page.getByRole('button', { name: 'Copy link' }).click();
  const other = await page.context().newPage();
  await mount(other, page.url());
  await other.waitForSelector('.server.outside[data-node-id="5"]');
  assert(await other.locator('.server').count() === 6, 'the link reopens six servers');
  await other.close();
  await page.locator('[data-lang-toggle]').click();
  await page.waitForFunction(() => document.documentElement.lang === 'zh-CN');
  assert((await page.getByRole('button', { name: '加入服务器' }).count()) === 1, 'Add server in Chinese');
  assert((await page.locator('.server[data-node-id="5"] .role-word').textContent()).includes('非成员'), 'not a member, in Chinese');
  await page.locator(`.server[data-node-id="${l.id}"]`).click();
  assert((await page.locator('.inspector').innerText()).includes('配置'), 'the configuration field in Chinese');
});

test('an exported trace imports to the same state; a bad file changes nothing', async (page, url) => {
  await mount(page, url);
  await fast(page);
  await leader(page);
  await page.locator('h1').click();
  await page.keyboard.press('c');
  await page.waitForTimeout(400);
  await pause(page);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export trace' }).click(),
  ]);
  const file = join(OUTPUT, 'exported-trace.json');
  await download.saveAs(file);
  const before = await snapshot(page);
  const other = await page.context().newPage();
  await mount(other, url);
  await other.locator('input[aria-label="Import trace"]').setInputFiles(file);
  await other.waitForSelector('.notice');
  assert((await other.locator('.notice').innerText()).includes('match the replay exactly'), await other.locator('.notice').innerText());
  const after = await snapshot(other);
  for (const k of Object.keys(before)) assert(before[k] === after[k], `${k} differs after import`);
  const bad = join(OUTPUT, 'not-a-trace.json');
  await writeFile(bad, '{"format": "raft-playground-trace", "version": 1, "script": ');
  await other.locator('input[aria-label="Import trace"]').setInputFiles(bad);
  await other.waitForFunction(() => document.querySelector('.notice')?.innerText.includes('could not be imported'));
  const still = await snapshot(other);
  assert(still.servers === after.servers && still.now === after.now, 'the running cluster is unchanged');
  await other.close();
});

test('after the loss and latency controls, Copy link and Export trace still reopen the identical run', async (page, url) => {
  // Issue 12, finding 1: the link used to carry the settings of the end of the run as
  // its start, so it was refused (loss) or replayed another run (latency).
  await mount(page, url);
  await fast(page);
  await leader(page);
  await page.locator('select[aria-label="Latency"]').selectOption({ label: '40–80 ms' });
  await page.waitForTimeout(300);
  await page.locator('input[aria-label="Message loss percent"]').fill('20');
  await page.locator('h1').click();
  await page.keyboard.press('c');
  await page.waitForTimeout(400);
  await pause(page);
  await page.getByRole('button', { name: 'Copy link' }).click();
  const shared = page.url();
  const before = await snapshot(page);
  const linked = await page.context().newPage();
  await mount(linked, shared);
  assert(!(await linked.locator('.notice').count()) || !(await linked.locator('.notice').innerText()).includes('could not'), 'the link opens');
  const viaLink = await snapshot(linked);
  for (const k of Object.keys(before)) assert(before[k] === viaLink[k], `link: ${k} differs:\n${before[k]}\n${viaLink[k]}`);
  assert((await linked.locator('select[aria-label="Latency"]').inputValue()) === (await page.locator('select[aria-label="Latency"]').inputValue()), 'the settings now come back too');
  await linked.close();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export trace' }).click(),
  ]);
  const file = join(OUTPUT, 'exported-trace-network.json');
  await download.saveAs(file);
  const imported = await page.context().newPage();
  await mount(imported, url);
  await imported.locator('input[aria-label="Import trace"]').setInputFiles(file);
  await imported.waitForSelector('.notice');
  assert((await imported.locator('.notice').innerText()).includes('match the replay exactly'), await imported.locator('.notice').innerText());
  const viaTrace = await snapshot(imported);
  for (const k of Object.keys(before)) assert(before[k] === viaTrace[k], `trace: ${k} differs`);
  await imported.close();
});

test('scrubbing back shows the past; a crash there forks a new history', async (page, url) => {
  await mount(page, url);
  await fast(page);
  await leader(page);
  await page.locator('h1').click();
  await page.keyboard.press('c');
  await page.waitForTimeout(1500);
  await pause(page);
  const horizon = Number(await page.locator('.timeline .where').getAttribute('data-horizon'));
  const end = await snapshot(page);
  const back = Math.round(horizon / 2 / 100) * 100;
  await page.locator('input[aria-label="Timeline"]').fill(String(back));
  await page.waitForSelector('.timeline.past');
  assert(Number(await page.locator('.clock').getAttribute('data-now')) === back, 'the cluster shows the chosen moment');
  // Scrubbing back to the end gives back the very same state.
  await page.locator('input[aria-label="Timeline"]').fill(String(horizon));
  await page.waitForFunction(() => !document.querySelector('.timeline.past'));
  const again = await snapshot(page);
  for (const k of Object.keys(end)) assert(end[k] === again[k], `${k} differs after scrubbing back to the end`);
  // Fork: crash a server in the past.
  await page.locator('input[aria-label="Timeline"]').fill(String(back));
  await page.waitForSelector('.timeline.past');
  await page.locator('.server[data-node-id="0"]').click();
  const crash = page.getByRole('button', { name: 'Crash S1' });
  if (await crash.count()) await crash.click(); else await page.getByRole('button', { name: 'Time out now' }).click();
  await page.waitForFunction(() => !document.querySelector('.timeline.past'));
  const newHorizon = Number(await page.locator('.timeline .where').getAttribute('data-horizon'));
  assert(newHorizon === back, `the old future is gone: horizon ${newHorizon}, was ${horizon}`);
  await page.locator('button.play').click();
  await page.waitForTimeout(800);
  await pause(page);
  const forked = await snapshot(page);
  assert(forked.servers !== end.servers || forked.entries !== end.entries || forked.now !== end.now, 'a new history');
});

test('every gallery scenario opens by link at its moment', async (page, url) => {
  const checks = {
    'split-vote': async () => {
      await page.locator('button.play').click();
      await page.waitForFunction(() => document.querySelectorAll('.server[data-role="candidate"]').length >= 2, null, { timeout: 20000 });
    },
    'leader-crash': async () => assert((await page.locator('.server[data-up="false"]').count()) === 1, 'the leader is down'),
    'partition-heal': async () => assert((await page.locator('.server[data-role="leader"]').count()) === 2, 'two leaders'),
    'follower-behind': async () => assert((await page.locator('td.entry').count()) > 4 * 20, 'long logs'),
    'figure-7': async () => {
      assert((await page.locator('.server').count()) === 7, 'seven servers');
      assert((await page.locator('.server[data-node-id="0"]').getAttribute('data-role')) === 'leader', 'S1 leads');
      assert((await page.locator('.server[data-node-id="0"]').getAttribute('data-term')) === '8', 'term 8');
    },
    'figure-8': async () => {
      assert((await page.locator('.server[data-node-id="0"]').getAttribute('data-term')) === '4', 'S1 leads term 4');
      const idx2 = await page.locator('td.entry[data-index="2"]').evaluateAll((els) => els.map((e) => `${e.dataset.term}/${e.dataset.committed}`));
      assert(idx2.filter((x) => x === '2/false').length === 4, `term-2 entry on four servers, uncommitted: ${idx2}`);
    },
    'stale-leader': async () => assert((await page.locator('.server[data-role="leader"]').count()) === 2, 'two leaders'),
  };
  for (const [name, check] of Object.entries(checks)) {
    await page.goto('about:blank');
    await mount(page, `${url}#/scenario/${name}`);
    await page.waitForSelector('.notice');
    assert((await page.locator('button.play').getAttribute('aria-label')) === 'Play', `${name} opens paused`);
    await check();
  }
  // The menu opens one too.
  await page.locator('select[aria-label="Scenarios"]').selectOption('leader-crash');
  await page.waitForFunction(() => location.hash === '#/scenario/leader-crash');
  await page.waitForSelector('.server[data-up="false"]');
});

// What a Chinese page may still show in Latin letters: the paper's identifiers (Figure 2's
// fields, the RPC names), the product's name, the toggle back to English, command verbs
// and key names. Any other run of three or more letters is an untranslated string.
const LATIN_ALLOWED = new Set(['RequestVote', 'AppendEntries', 'PreVote', 'CheckQuorum', 'TimeoutNow', 'ReadIndex', 'CONFIG', 'etcd', 'Raft', 'Playground', 'English',
  'SET', 'DEL', 'Esc', 'Tab', 'JSON', 'term', 'currentTerm', 'votedFor', 'commitIndex', 'lastApplied',
  'nextIndex', 'matchIndex', 'candidateId', 'lastLogIndex', 'lastLogTerm', 'leaderId',
  'prevLogIndex', 'prevLogTerm', 'entries', 'leaderCommit', 'voteGranted', 'success',
  'conflictTerm', 'conflictIndex', 'InstallSnapshot', 'lastIncludedIndex', 'lastIncludedTerm', 'data']);
// Every text a person reads or hears: the rendered text, tooltips, screen-reader labels,
// placeholders, menu options and SVG titles. The language toggle names both languages;
// Esc and Tab are the names printed on the keys.
const pageWords = (page) => page.evaluate(() => {
  const texts = [document.body.innerText, document.title];
  for (const el of document.querySelectorAll('[title], [aria-label], [placeholder]')) {
    if (el.closest('[data-lang-toggle]')) continue;
    for (const a of ['title', 'aria-label', 'placeholder']) if (el.hasAttribute(a)) texts.push(el.getAttribute(a));
  }
  for (const el of document.querySelectorAll('option, svg title')) texts.push(el.textContent);
  return texts.join('\n');
});
const strayLatin = async (page) => [...new Set(((await pageWords(page)).match(/[A-Za-z]{3,}/g) ?? [])
  .filter((w) => !LATIN_ALLOWED.has(w)))];

test('Chinese: every visible string', async (page, url) => {
  await mount(page, url);
  const toggle = page.locator('[data-lang-toggle]');
  assert((await toggle.innerText()) === '中文', 'an English page offers 中文');
  await toggle.click();
  await page.waitForFunction(() => document.documentElement.lang === 'zh-CN');
  assert((await toggle.innerText()) === 'English', 'a Chinese page offers English');
  const clean = async (moment) => {
    const stray = await strayLatin(page);
    assert(stray.length === 0, `English left on the Chinese page ${moment}: ${stray.join(', ')}`);
  };
  await clean('at start');
  // Play: an election, a write, every message in the log, a crashed server and a cut.
  await page.locator('.speed input').fill('0');
  const l = await leader(page);
  await page.locator('.event-log input[type="checkbox"]').check();
  await page.locator('h1').click();
  await page.keyboard.press('c');
  await page.waitForSelector('td.entry[data-committed="true"]', { timeout: 10000 });
  const follower = (Number(l.id) + 1) % 5;
  await page.locator(`.server[data-node-id="${follower}"]`).click();
  await page.locator('.inspector .actions button').first().click();
  await page.waitForSelector(`.server[data-node-id="${follower}"][data-up="false"]`);
  await page.locator('.speed input').fill('-1.8');
  // A message in the inspector, paused.
  await page.waitForSelector('[data-msg-kind]');
  if (await page.locator('.layout.playing').count()) await page.locator('button.play').click();
  for (let i = 0; i < 100 && (await page.locator('[data-msg-kind]').count()) === 0; i++) {
    await page.locator('.controls .group button').nth(1).click();
  }
  await page.locator('[data-msg-kind]').first().click({ force: true });
  await page.waitForSelector('.inspector dd[data-field="term"]');
  assert((await page.locator('.inspector h2').innerText()).startsWith('消息 #'), 'the message inspector is Chinese');
  await clean('with a message in the inspector');
  // The leader in the inspector, its links open, and the ? panel.
  await page.locator(`.server[data-node-id="${l.id}"]`).click();
  await page.waitForSelector('.inspector table.progress');
  await page.locator('.inspector details summary').click();
  await page.keyboard.press('?');
  await page.waitForSelector('.help');
  assert((await page.locator('.help h2').innerText()) === '键盘快捷键', 'the ? panel is Chinese');
  await clean('with the leader in the inspector and the ? panel open');
  await page.setViewportSize({ width: 1920, height: 1080 });
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(OUTPUT, 'chinese-projector.png') });
  await page.setViewportSize({ width: 1366, height: 768 });
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(OUTPUT, 'chinese-laptop.png') });
  // The choice survives a reload.
  await page.reload();
  await page.waitForSelector('[data-mounted="true"]');
  assert((await page.evaluate(() => document.documentElement.lang)) === 'zh-CN', 'still Chinese after a reload');
  assert((await page.locator('.event-log h2').innerText()) === '事件日志', 'the reloaded page is Chinese');
  await clean('after a reload');
  // Back to English, with the ? panel open: it follows too.
  await page.keyboard.press('?');
  await page.waitForSelector('.help');
  await toggle.click();
  await page.waitForFunction(() => document.documentElement.lang === 'en');
  assert((await toggle.innerText()) === '中文', 'an English page offers 中文 again');
  assert((await page.locator('.event-log h2').innerText()) === 'Event log', 'English again');
  await page.waitForFunction(() => document.querySelector('.help h2')?.innerText === 'Keyboard shortcuts');
  assert(['Play', 'Pause'].includes(await page.locator('button.play').getAttribute('aria-label')), 'English labels again');
});

test('screenshots at projector, laptop and phone sizes', async (page, url) => {
  await mount(page, url);
  await fast(page);
  await leader(page);
  await page.keyboard.press('c');
  await page.keyboard.press('c');
  await page.locator('input[aria-label="Speed"]').fill('-1.8');
  await page.waitForTimeout(800);
  for (const [name, [w, h]] of Object.entries(SIZES)) {
    await page.setViewportSize({ width: w, height: h });
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(OUTPUT, `cluster-${name}.png`) });
  }
});

// ---------- runner ----------
test('a real panic shows the error banner, not a frozen page', async (page, url) => {
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await mount(page, url);
  await page.evaluate(() => window.dispatchEvent(new Event('raft-playground-test-panic')));
  const banner = page.locator('#error-banner');
  await banner.waitFor({ state: 'visible', timeout: 5000 });
  const text = await banner.innerText();
  assert(text.includes('Reload the page') && text.includes('请重新加载页面'), `the banner says what to do, in both languages: ${text}`);
  assert(text.includes('a panic on purpose'), `the banner carries the panic's message: ${text}`);
  assert((await banner.getAttribute('role')) === 'alert', 'announced as an alert');
  assert(errors.some((e) => e.includes('Raft Playground crashed')), `the details are in the console: ${errors.join(' | ')}`);
}, { strict: false });

await runJourneys(tests, { only: process.argv[2], label: 'e2e' });
