// The lab's journeys in real Chromium against the release build in dist/: a small
// Figure 16 experiment (the plot and the table appear, a trial opens in the sandbox and
// Back returns), and breaking a rule (a counterexample is found, opens paused before the
// violation, and one step shows it), in English and in Chinese. Prints the rates the
// page measured, for docs/benchmarks.md.
import { join } from 'node:path';
import { OUTPUT, runJourneys } from './lib.mjs';

const tests = [];
const test = (name, fn) => tests.push({ name, fn, strict: true });
const assert = (cond, message) => { if (!cond) throw new Error(message); };

const mount = async (page, url, hash = '') => {
  await page.goto(url + hash);
  await page.waitForSelector('[data-mounted="true"]', { timeout: 15000 });
};
// Every range unchecked but `keep` (labels as the page writes them, e.g. "150–300 ms").
const chooseRanges = async (page, keep) => {
  for (const box of await page.locator('.range-choice').all()) {
    const label = (await box.innerText()).trim();
    const input = box.locator('input');
    if ((await input.isChecked()) !== keep.includes(label)) await input.click();
  }
};

for (const lang of ['en', 'zh']) {
  const zh = lang === 'zh';
  test(`figure 16: a small experiment draws its curves and table and opens a trial (${lang})`, async (page, url) => {
    await mount(page, url, '#/lab/figure-16');
    if (zh) await page.locator('[data-lang-toggle]').click();
    await page.waitForSelector(zh ? 'text=一次选举要多久' : 'text=How long does an election take');
    assert(await page.locator('.lab-tab[aria-current="page"]').count() === 1, 'the current tab is marked');
    await chooseRanges(page, ['150–175 ms', '150–300 ms', '50–100 ms']);
    await page.locator('.lab-form select').first().selectOption('30');
    const started = Date.now();
    await page.locator('button.run').click();
    await page.waitForSelector('.lab-progress:has-text("90")', { timeout: 60000 });
    await page.waitForSelector('button.run', { timeout: 60000 });
    const seconds = (Date.now() - started) / 1000;
    const line = await page.locator('.lab-progress').innerText();
    assert(zh ? line.includes('全部 90 次试验已完成') : line.includes('All 90 trials done'), `done: ${line}`);
    // Two plots (top panel: 150–175 and 150–300; bottom: 50–100 and 150–300), each
    // curve a drawn path, and the table's rows with medians.
    assert(await page.locator('figure.cdf').count() === 2, 'two panels');
    const paths = await page.locator('.cdf-curve path:not(.paper-median)').evaluateAll((ps) => ps.map((p) => p.getAttribute('d').length));
    assert(paths.length === 4 && paths.every((n) => n > 20), `curves drawn: ${paths}`);
    const rows = await page.locator('.lab-table tbody tr').count();
    assert(rows === 3, `three rows: ${rows}`);
    const p50 = Number(await page.locator('.lab-table tr[data-range="150–300 ms"] td.p50').innerText());
    assert(p50 > 100 && p50 < 300, `150–300 ms median ${p50}`);
    await page.screenshot({ path: join(OUTPUT, `lab-figure-16-${lang}.png`), fullPage: true });
    console.log(`        figure 16 (${lang}): 90 trials in ${seconds.toFixed(1)} s of wall time; the page says: ${line}`);
    // The median trial opens in the sandbox, paused at the crash; Back returns.
    await page.locator('.lab-table tr[data-range="150–300 ms"] button.open-trial').first().click();
    await page.waitForSelector('.layout .cluster', { timeout: 20000 });
    await page.waitForFunction(() => location.hash.startsWith('#/run/'));
    await page.waitForFunction(() => !document.querySelector('.loading'));
    const down = await page.locator('.server[data-up="false"]').count();
    assert(down === 1, `the crashed leader is down: ${down}`);
    assert(await page.locator('.server[data-role="leader"][data-up="true"]').count() === 0, 'nobody leads yet');
    assert(await page.locator('button.play[aria-label="Play"], button.play[aria-label="播放"]').count() === 1, 'paused');
    await page.goBack();
    await page.waitForSelector('.lab-table tbody tr', { timeout: 10000 });
    assert(await page.locator('.lab-table tbody tr').count() === 3, 'the results are still there');
    // A click on a curve opens a trial of that curve's range (the point under the pointer).
    for (const [panel, range, min, max] of [[0, '150–300 ms', 150000, 300000], [1, '50–100 ms', 50000, 100000]]) {
      const svg = page.locator('figure.cdf svg').nth(panel);
      await svg.scrollIntoViewIfNeeded();
      const box = await svg.boundingBox();
      const point = await svg.locator(`g.cdf-curve[data-range="${range}"] path:not(.paper-median)`).evaluate((p) => {
        const steps = [...p.getAttribute('d').matchAll(/H([\d.]+)V([\d.]+)/g)];
        const [, x, y] = steps[Math.floor(steps.length / 2)];
        return { x: Number(x), y: Number(y) };
      });
      await page.mouse.click(box.x + point.x * box.width / 640, box.y + point.y * box.height / 340);
      await page.waitForFunction(() => location.hash.startsWith('#/run/'), null, { timeout: 10000 });
      const hash = await page.evaluate(() => location.hash.slice('#/run/'.length));
      const script = JSON.parse(Buffer.from(hash, 'base64url').toString());
      assert(script.config.raft.election_timeout_min === min && script.config.raft.election_timeout_max === max,
        `a click on the ${range} curve opened ${script.config.raft.election_timeout_min}–${script.config.raft.election_timeout_max}`);
      await page.waitForSelector('.layout .cluster', { timeout: 20000 });
      await page.goBack();
      await page.waitForSelector('.lab-table tbody tr', { timeout: 10000 });
      // The sandbox's notice about opening the run is not the lab's to show.
      assert(await page.locator('.lab-notice').count() === 0, 'no stale notice on the lab page');
    }
  });

  test(`break a rule: a counterexample is found, opens before the violation and one step shows it (${lang})`, async (page, url) => {
    await mount(page, url, '#/lab/break/forget-vote-on-restart');
    if (zh) await page.locator('[data-lang-toggle]').click();
    assert(await page.locator('input[value="forget-vote-on-restart"]').isChecked(), 'the address picks the rule');
    const started = Date.now();
    await page.locator('button.run').click();
    await page.waitForSelector('.lab-result.found', { timeout: 60000 });
    const seconds = (Date.now() - started) / 1000;
    const result = await page.locator('.lab-result').innerText();
    assert(result.includes(zh ? '选举安全' : 'Election Safety'), `the invariant: ${result}`);
    const steps = await page.locator('.shrunk-steps li').count();
    assert(steps > 0, 'the shrunk schedule is listed');
    const line = await page.locator('.lab-progress').innerText();
    console.log(`        break a rule (${lang}): found in ${seconds.toFixed(1)} s, ${steps} steps after shrinking; the page says: ${line}`);
    await page.screenshot({ path: join(OUTPUT, `lab-break-${lang}.png`), fullPage: true });
    await page.locator('button.open-counterexample').click();
    await page.waitForSelector('.layout .cluster', { timeout: 20000 });
    await page.waitForFunction(() => !document.querySelector('.loading'));
    await page.waitForSelector('.broken-rule .next-violation');
    assert(await page.locator('.event-log .violation').count() === 0, 'no violation yet');
    assert(await page.locator('.event-log li.breach').count() > 0, 'the breaches are marked in the event log');
    await page.screenshot({ path: join(OUTPUT, `lab-counterexample-${lang}.png`) });
    await page.keyboard.press('ArrowRight');
    await page.waitForSelector('.event-log div.violation[role="alert"]', { timeout: 10000 });
    const alert = await page.locator('.event-log div.violation').innerText();
    assert(alert.includes(zh ? '选举安全' : 'Election Safety'), `the violation shows: ${alert}`);
  });
}

test('break a rule: with every rule kept the same schedules find nothing, and the page says how many it tried', async (page, url) => {
  await mount(page, url, '#/lab/break');
  await page.locator('input[value="none"]').click();
  await page.locator('.lab-run select').selectOption('500');
  const started = Date.now();
  await page.locator('button.run').click();
  await page.waitForSelector('.lab-result.nothing', { timeout: 120000 });
  const seconds = (Date.now() - started) / 1000;
  const text = await page.locator('.lab-result').innerText();
  assert(text.includes('No safety violation in 500 runs'), text);
  const line = await page.locator('.lab-progress').innerText();
  console.log(`        every rule kept: 500 schedules in ${seconds.toFixed(1)} s of wall time; the page says: ${line}`);
});

test('the lab is reached from the top bar and left for the playground', async (page, url) => {
  await mount(page, url);
  await page.locator('a.lab-link').click();
  await page.waitForSelector('.lab-page');
  assert((await page.evaluate(() => location.hash)) === '#/lab/figure-16', 'the address names the page');
  // Keys are the page's own here: Space does not start the hidden sandbox.
  await page.keyboard.press('Space');
  await page.locator('a.back-to-playground').click();
  await page.waitForSelector('.layout .cluster');
});

await runJourneys(tests, { only: process.argv[2], label: 'lab' });
