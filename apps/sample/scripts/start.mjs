// `npm run sample [-- <flow>...]`: builds the sample and the packages it uses through Nx (cached),
// keeping the build log out of the way unless the build fails, then runs the flows.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const nx = createRequire(import.meta.url).resolve('nx/bin/nx.js');

const started = Date.now();
const log = [];
const build = spawn(process.execPath, [nx, 'run', 'sample:build', '--output-style=static'], {
  cwd: root,
  env: { NX_DAEMON: 'false', ...process.env, NX_TUI: 'false' },
  stdio: ['ignore', 'pipe', 'pipe'],
});
build.stdout.on('data', (chunk) => log.push(chunk));
build.stderr.on('data', (chunk) => log.push(chunk));
// A fresh clone builds everything once (minutes): say so instead of sitting silent. A cached
// build takes a few seconds and says nothing.
let noticed = false;
const notice = setTimeout(() => {
  noticed = true;
  console.error('sample: building the packages first (the log is shown only if the build fails)...');
}, 10_000);
const status = await new Promise((resolve) => build.on('close', (code) => resolve(code ?? 1)));
clearTimeout(notice);
if (status !== 0) {
  process.stderr.write(Buffer.concat(log));
  console.error(`sample: the build failed (exit ${status}); its log is above. Nothing was run.`);
  process.exit(status);
}
if (noticed) console.error(`sample: built in ${Math.round((Date.now() - started) / 1000)} s`);

await import('../dist/main.js');
