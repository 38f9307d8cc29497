// Where a wasm file's bytes are (issue 16), as `twiggy top` would say: the size of each
// function's body by crate and by module of this crate, the largest functions, and the
// data section. Names come from the wasm's name section, which the release build strips:
// measure a build that keeps them: set index.html's rust link to `data-wasm-opt="0"
// data-keep-debug` for a moment, `trunk build --release --offline --dist /tmp/dist-names`,
// put index.html back, then
//   node scripts/wasm-sizes.mjs /tmp/dist-names/*.wasm [how many functions to list]
// (wasm-opt -Oz then shrinks every part by about the same share).
import { readFileSync } from 'node:fs';

const [file, topArg] = process.argv.slice(2);
const data = readFileSync(file);
const leb = (i) => {
  let r = 0, shift = 0, b;
  do { b = data[i++]; r += (b & 0x7f) * 2 ** shift; shift += 7; } while (b & 0x80);
  return [r, i];
};
let i = 8, importedFunctions = 0, dataBytes = 0;
const bodies = [], names = new Map();
while (i < data.length) {
  const id = data[i++];
  let size; [size, i] = leb(i);
  const end = i + size;
  if (id === 2) { // imports: count the imported functions, which come first in the index space
    let n, j = i; [n, j] = leb(j);
    for (let k = 0; k < n; k++) {
      let l; [l, j] = leb(j); j += l; [l, j] = leb(j); j += l;
      const kind = data[j++];
      if (kind === 0) { [, j] = leb(j); importedFunctions++; }
      else if (kind === 1) { j++; const flags = data[j++]; [, j] = leb(j); if (flags & 1) [, j] = leb(j); }
      else if (kind === 2) { const flags = data[j++]; [, j] = leb(j); if (flags & 1) [, j] = leb(j); }
      else if (kind === 3) j += 2;
      else if (kind === 4) { j++; [, j] = leb(j); }
    }
  } else if (id === 10) { // code
    let n, j = i; [n, j] = leb(j);
    for (let k = 0; k < n; k++) { const [l, j2] = leb(j); bodies.push(l + (j2 - j)); j = j2 + l; }
  } else if (id === 11) dataBytes = size;
  else if (id === 0) { // custom: the name section's function names
    let [l, j] = leb(i);
    if (data.subarray(j, j + l).toString() === 'name') {
      j += l;
      while (j < end) {
        const sub = data[j++]; let sz; [sz, j] = leb(j);
        if (sub === 1) {
          let n, k = j; [n, k] = leb(k);
          for (let m = 0; m < n; m++) {
            let idx, len; [idx, k] = leb(k); [len, k] = leb(k);
            names.set(idx, data.subarray(k, k + len).toString()); k += len;
          }
        }
        j += sz;
      }
    }
  }
  i = end;
}
const add = (map, key, n) => map.set(key, (map.get(key) ?? 0) + n);
const byCrate = new Map(), byModule = new Map(), all = [];
bodies.forEach((size, k) => {
  const name = (names.get(k + importedFunctions) ?? '?').replace(/::h[0-9a-f]{16}$/, '');
  add(byCrate, name.match(/^<*([a-z_][a-z0-9_]*)/)?.[1] ?? '?', size);
  const module = name.match(/raft_playground::([a-z_]+::[a-z_0-9]+)/)?.[1];
  if (module) add(byModule, module, size);
  all.push([size, name]);
});
const kb = (n) => `${(n / 1024).toFixed(1).padStart(7)} KB`;
const list = (map, n) => [...map].sort((a, b) => b[1] - a[1]).slice(0, n).forEach(([k, v]) => console.log(`${kb(v)}  ${k}`));
console.log(`${file}: ${kb(data.length)} in all; function bodies ${kb(bodies.reduce((a, b) => a + b, 0))}, data ${kb(dataBytes)}`);
console.log('-- by crate'); list(byCrate, 12);
console.log('-- this crate, by module (a generic function counts where its name says)'); list(byModule, 20);
console.log('-- largest functions');
all.sort((a, b) => b[0] - a[0]).slice(0, Number(topArg ?? 20)).forEach(([s, n]) => console.log(`${kb(s)}  ${n.slice(0, 140)}`));
