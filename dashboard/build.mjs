// Bundles the dashboard page into the folder the query server serves from the classpath:
// index.html as written, one JS bundle (our code and uPlot), one CSS file (ours and uPlot's) and uPlot's licence.
// Run by Maven (exec-maven-plugin) after `npm ci`; the output directory is its first argument.
import { build } from 'esbuild';
import { copyFile, mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';

const out = process.argv[2];
if (!out) {
  console.error('usage: node build.mjs OUTPUT_DIRECTORY');
  process.exit(2);
}
await rm(out, { recursive: true, force: true });
await mkdir(out, { recursive: true });
await build({
  entryPoints: { app: 'src/main/web/app.js' },
  bundle: true,
  minify: true,
  sourcemap: false,
  // The browsers a person uses today; no transpiling beyond what esbuild does for these.
  target: ['es2022'],
  format: 'iife',
  outdir: out,
  legalComments: 'none',
  logLevel: 'warning',
});
await copyFile('src/main/web/index.html', join(out, 'index.html'));
// uPlot's MIT licence travels with the bundle that contains it.
await copyFile('node_modules/uplot/LICENSE', join(out, 'uPlot.LICENSE.txt'));
