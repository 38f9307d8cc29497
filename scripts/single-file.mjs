#!/usr/bin/env node
// Writes dist/raft-playground-offline.html: the whole playground in one HTML file (stylesheet,
// favicon, wasm-bindgen's JS glue and the wasm inside), for a teacher who opens it from a USB
// stick by double-clicking. A page opened from file:// may not fetch or import other files
// (trunk's stylesheet carries integrity/crossorigin, its loader imports a .js and fetches the
// .wasm), but it may run its own inline scripts, and that is all this file needs.
//
// Run after `trunk build --release` (`make dist` does both). It reads only dist/; when
// trunk's output is not the shape it expects it stops with a message instead of writing a
// file that might be blank.
import { readFileSync, writeFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const DIST = fileURLToPath(new URL('../dist/', import.meta.url));
const OFFLINE_NAME = 'raft-playground-offline.html';

function fail(message) {
  console.error(`single-file: ${message}`);
  process.exit(1);
}

// Exactly one match of `re` in `text`, or a clear stop naming what was looked for.
function one(text, re, what) {
  const found = [...text.matchAll(new RegExp(re.source, re.flags.includes('g') ? re.flags : re.flags + 'g'))];
  if (found.length !== 1) {
    fail(`expected exactly one ${what} in dist/index.html, found ${found.length}; ` +
      'trunk\'s output changed shape: update scripts/single-file.mjs');
  }
  return found[0];
}

const attr = (tag, name) => tag.match(new RegExp(`\\s${name}\\s*=\\s*"([^"]*)"`))?.[1];

function read(name, encoding) {
  const file = join(DIST, name.replace(/^\.\//, ''));
  try {
    return readFileSync(file, encoding);
  } catch {
    return fail(`${file} is missing: run \`trunk build --release\` (or \`make dist\`) first`);
  }
}

// Text placed inside <script> or <style> must not end the element early.
function inlineSafe(text, element, what) {
  if (new RegExp(`</${element}`, 'i').test(text) || text.includes('<!--')) {
    fail(`${what} contains "</${element}" or "<!--", which cannot be inlined as is`);
  }
  return text;
}

let html = read('index.html', 'utf8');

// 1. The stylesheet: trunk's <link rel="stylesheet" href="./style-<hash>.css" integrity=…
//    crossorigin=…>. Inlined as <style>; integrity and crossorigin go with the link.
const cssLink = one(html, /<link\b[^>]*\brel="stylesheet"[^>]*>/, '<link rel="stylesheet">')[0];
const css = read(attr(cssLink, 'href') ?? fail('the stylesheet link has no href'), 'utf8');
html = html.replace(cssLink, () => `<style>\n${inlineSafe(css, 'style', 'the stylesheet')}</style>`);

// 2. The favicon becomes a data: URL.
const iconLink = one(html, /<link\b[^>]*\brel="icon"[^>]*>/, '<link rel="icon">')[0];
const iconHref = attr(iconLink, 'href');
const ICON_TYPES = { '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon' };
const iconType = ICON_TYPES[extname(iconHref ?? '')] ?? fail(`unexpected favicon ${iconHref}`);
html = html.replace(iconLink, () => iconLink.replace(`"${iconHref}"`,
  `"data:${iconType};base64,${read(iconHref).toString('base64')}"`));

// 3. Trunk's preload hints for the .js and the .wasm: nothing to preload any more.
html = html.replace(/[ \t]*<link\b[^>]*\brel="(?:modulepreload|preload)"[^>]*>\n?/g, '');

// 4. Trunk's loader, a module script of the form
//      import init, * as bindings from './raft-playground-<hash>.js';
//      const wasm = await init({ module_or_path: './raft-playground-<hash>_bg.wasm' });
//    becomes the glue's own source plus a call of its init function with the wasm's bytes.
const loader = one(html, /[ \t]*<script\b[^>]*\btype="module"[^>]*>([\s\S]*?)<\/script>\n?/, 'trunk loader <script type="module">');
const jsName = loader[1].match(/import\s+init\s*,[^;]*?from\s*['"]([^'"]+\.js)['"]/)?.[1];
const wasmName = loader[1].match(/init\(\s*\{\s*module_or_path\s*:\s*['"]([^'"]+\.wasm)['"]/)?.[1];
if (!jsName || !wasmName) {
  fail('trunk\'s loader script no longer has the expected `import init, * as bindings from \'./….js\'` ' +
    'and `init({ module_or_path: \'./….wasm\' })`: update scripts/single-file.mjs');
}
const glue = read(jsName, 'utf8');
// The glue must stand alone: an import (wasm-bindgen snippets, inline_js) would be a file
// that file:// cannot load.
if (/^\s*import\b/m.test(glue) || /\bimport\s*\(/.test(glue)) {
  fail(`${jsName} imports other modules; inline them too before relying on the offline file`);
}
// Its init function is whatever the glue exports as default (`__wbg_init` today).
const initName = glue.match(/export\s*\{[^}]*?\b([\w$]+)\s+as\s+default\b[^}]*\}/)?.[1] ??
  fail(`${jsName} has no \`export { … as default }\` (wasm-bindgen's init function)`);
const wasm = read(wasmName);

// The single file must not fall back to "serve this page": it needs no server.
const check = one(html, /[ \t]*<script id="load-check">[\s\S]*?<\/script>\n?/, '<script id="load-check"> (from index.html)')[0];
html = html.replace(check, '');

// The wasm travels as base64 in a data block (a <script> of a non-JavaScript type is never
// run); the module script decodes it and hands the bytes to init, which instantiates them
// instead of fetching. Should that fail (a browser without WebAssembly), the page says so.
const offlineLoader = `    <script type="application/octet-stream" id="wasm-base64">${wasm.toString('base64')}</script>
    <script type="module">
// ---- wasm-bindgen glue, from ${jsName.replace(/^\.\//, '')}, unchanged ----
${inlineSafe(glue, 'script', jsName)}
// ---- offline loader (scripts/single-file.mjs) ----
{
  const base64 = document.getElementById('wasm-base64').textContent;
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  try {
    // Trunk's loader announces the start the same way.
    const instance = await ${initName}({ module_or_path: bytes });
    dispatchEvent(new CustomEvent('TrunkApplicationStarted', { detail: { wasm: instance } }));
  } catch (error) {
    document.getElementById('app').innerHTML =
      '<p lang="en">Raft Playground could not start in this browser: it needs WebAssembly (a current Chrome, Edge, Firefox or Safari).</p>' +
      '<p lang="zh-CN">Raft Playground 无法在这个浏览器中启动：它需要 WebAssembly（请使用最新的 Chrome、Edge、Firefox 或 Safari）。</p>';
    throw error;
  }
}
    </script>
`;
html = html.replace(loader[0], () => offlineLoader);

// Nothing may still point at a file next to the page: file:// could not load it.
const local = [...html.matchAll(/\s(?:href|src)\s*=\s*"([^"]*)"/g)]
  .map((m) => m[1]).filter((url) => !/^(?:data:|#|https?:|mailto:)/.test(url));
if (local.length) fail(`the offline file would still load ${local.join(', ')}`);

const out = join(DIST, OFFLINE_NAME);
writeFileSync(out, html);
console.log(`single-file: wrote dist/${OFFLINE_NAME} (${Buffer.byteLength(html).toLocaleString('en')} bytes, ` +
  `wasm ${wasm.length.toLocaleString('en')} bytes as base64)`);
