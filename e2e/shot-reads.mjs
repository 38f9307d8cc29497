import { serveDist, launch } from './lib.mjs';
const { server, url } = await serveDist();
const browser = await launch();
for (const [w, h] of [[1920, 1080], [1366, 768], [1024, 768]]) {
  const page = await browser.newPage({ viewport: { width: w, height: h } });
  page.on('pageerror', (e) => console.log('PAGEERROR', e.message));
  await page.goto(url + '#/sandbox');
  await page.locator('.speed input').fill('0');
  await page.waitForTimeout(1500);
  await page.keyboard.press('c');
  await page.waitForTimeout(600);
  await page.keyboard.press(' ');
  // select a follower
  const followers = page.locator('.server:not(.leader)');
  await followers.first().click();
  await page.waitForTimeout(300);
  await page.screenshot({ path: `/tmp/shots/inspector-${w}.png` });
  await page.keyboard.press('r');
  await page.waitForTimeout(300);
  await page.keyboard.press(' ');
  await page.waitForTimeout(700);
  await page.keyboard.press(' ');
  await page.screenshot({ path: `/tmp/shots/read-${w}.png` });
  await page.locator('.inspector button.transfer').click();
  await page.waitForTimeout(100);
  await page.screenshot({ path: `/tmp/shots/transfer-${w}.png` });
  await page.close();
}
await browser.close();
server.close();
