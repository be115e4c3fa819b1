// Runs as the root `prepare` script after `npm install`: builds every publishable package through
// Nx (cached in .nx/cache), so `import '@kz/alseco'` resolves straight away. Quiet when it works;
// when it fails, prints the log and a warning but lets the install finish (fix the build, then
// `npm run build`). KZ_SKIP_BUILD_ON_INSTALL=1 skips it. See docs/decisions/0005-build-on-install.md.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
if (process.env.KZ_SKIP_BUILD_ON_INSTALL) process.exit(0);
let nx;
try {
  nx = createRequire(path.join(root, 'package.json')).resolve('nx/bin/nx.js');
} catch {
  console.warn('kz-clients: nx is not installed (production-only install?); the packages were not built.');
  process.exit(0);
}

const projects = publishablePackages();
const started = Date.now();
const log = [];
// Builds what is committed: generated code is checked in (and checked by `npm test`), so the
// generate tasks a build usually depends on are skipped; the builds keep their order.
const args = ['run-many', '-t', 'build', '-p', ...projects, '--exclude-task-dependencies', '--output-style=static'];
const build = spawn(process.execPath, [nx, ...args], {
  cwd: root,
  env: { NX_DAEMON: 'false', ...process.env, NX_TUI: 'false' },
  stdio: ['ignore', 'pipe', 'pipe'],
});
build.stdout.on('data', (chunk) => log.push(chunk));
build.stderr.on('data', (chunk) => log.push(chunk));
const status = await new Promise((resolve) => build.on('close', (code) => resolve(code ?? 1)));
const seconds = Math.round((Date.now() - started) / 1000);
if (status === 0) {
  console.log(`kz-clients: built ${projects.length} packages in ${seconds} s (npm run build rebuilds them)`);
} else {
  process.stderr.write(Buffer.concat(log));
  console.warn(
    `kz-clients: WARNING: building the packages failed (log above); the install itself is complete, ` +
      `but the workspace packages cannot be imported until \`npm run build\` succeeds.`,
  );
}

/** Names of the non-private packages under packages/ and tools/ (what is published). */
function publishablePackages() {
  const names = [];
  for (const group of ['packages', 'tools']) {
    for (const entry of readdirSync(path.join(root, group))) {
      const manifest = path.join(root, group, entry, 'package.json');
      if (!existsSync(manifest)) continue;
      const { name, private: isPrivate } = JSON.parse(readFileSync(manifest, 'utf8'));
      if (!isPrivate) names.push(name);
    }
  }
  return names;
}
