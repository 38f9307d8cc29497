// Writes a brotli (.br) and a gzip (.gz) copy beside each of dist/'s page files (wasm,
// JS, CSS, HTML, the offline file included), for a
// web server that serves pre-compressed files (Caddy's `precompressed br gzip`, nginx's
// `brotli_static` and `gzip_static`): the best compression, paid once at build time
// instead of on every request. Prints the sizes. Called by `make dist`.
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const DIST = process.argv[2] ?? 'dist';
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
for (const name of (await readdir(DIST)).filter((f) => /\.(wasm|js|css|html)$/.test(f)).sort()) {
  const body = await readFile(join(DIST, name));
  const br = brotliCompressSync(body, {
    params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: body.length },
  });
  const gz = gzipSync(body, { level: 9 });
  await writeFile(join(DIST, `${name}.br`), br);
  await writeFile(join(DIST, `${name}.gz`), gz);
  console.log(`${name}: ${kb(body.length)}, gzip ${kb(gz.length)}, brotli ${kb(br.length)}`);
}
