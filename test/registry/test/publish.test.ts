/**
 * Publishing for real: every publishable package is linted (publint, attw) and its tarball
 * checked; then `changeset version` and `changeset publish` put all of them into a local
 * Verdaccio with no uplinks, and single service packages are installed from it into empty folders
 * outside the repo and used there (ESM and CommonJS), against their own mocks.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bin,
  copyWorkspace,
  folderBytes,
  type LocalRegistry,
  publishablePackages,
  ROOT,
  run,
  startRegistry,
} from './support.js';

const packages = publishablePackages();
const SERVICE_PACKAGES = ['@kz/alseco', '@kz/esf', '@kz/isgo', '@kz/true-api', '@kz/shep', '@kz/sono-fno'];

describe.each(packages)('$name is a good npm citizen', (pkg) => {
  const manifest = JSON.parse(readFileSync(path.join(pkg.dir, 'package.json'), 'utf8'));

  it('declares exports with types, files, sideEffects, engines, repository, license, README', () => {
    expect(manifest.exports?.['.']?.types).toMatch(/\.d\.ts$/);
    expect(manifest.type).toBe('module');
    expect(manifest.files).toContain('dist');
    expect(manifest.sideEffects).toBe(false);
    expect(manifest.engines?.node).toBe('>=20.19.0');
    expect(manifest.repository?.directory).toBe(path.relative(ROOT, pkg.dir));
    expect(manifest.license).toBe('MIT');
    expect(readFileSync(path.join(pkg.dir, 'README.md'), 'utf8')).toMatch(/```ts/);
  });

  it('publint reports nothing', async () => {
    const { stdout } = await run(bin('publint'), ['--strict'], { cwd: pkg.dir });
    expect(stdout).toContain('All good!');
  }, 60_000);

  it('attw reports no problem (ESM-only: CommonJS users require() it on Node >= 20.19)', async () => {
    // attw exits non-zero when it finds a problem the profile does not ignore.
    const { stdout } = await run(bin('attw'), ['--pack', '.', '--profile', 'esm-only'], { cwd: pkg.dir });
    expect(stdout).toMatch(/node16 \(from ESM\).*🟢/u);
  }, 60_000);

  it('the tarball holds the LICENSE and README but no tests, fixtures, keys, sources or source maps', async () => {
    const { stdout } = await run('npm', ['pack', '--dry-run', '--json'], { cwd: pkg.dir });
    const files = (JSON.parse(stdout) as { files: { path: string }[] }[])[0]?.files.map((f) => f.path) ?? [];
    expect(files).toContain('package.json');
    expect(files).toContain('LICENSE');
    expect(files).toContain('README.md');
    expect(files).toContain('CHANGELOG.md');
    expect(readFileSync(path.join(pkg.dir, 'LICENSE'), 'utf8')).toMatch(/^MIT License\n/);
    expect(files.some((f) => f.startsWith('dist/'))).toBe(true);
    const unwanted = files.filter((f) =>
      /(^|\/)(test|tests|fixtures|src)\/|\.map$|\.(pem|p12|pfx|key)$|\.test\./.test(f),
    );
    expect(unwanted).toEqual([]);
  }, 60_000);
});

describe('changesets into a local registry, installed from outside the repo', () => {
  let registry: LocalRegistry;
  const scratch = mkdtempSync(path.join(tmpdir(), 'kz-registry-'));
  const workspace = path.join(scratch, 'workspace');
  const env = () => ({
    npm_config_registry: registry.url,
    npm_config_cache: path.join(scratch, 'npm-cache'),
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
  });
  const published = new Map<string, string>();

  beforeAll(async () => {
    registry = await startRegistry(path.join(scratch, 'storage'));
    await copyWorkspace(workspace);
    const host = new URL(registry.url).host;
    writeFileSync(path.join(workspace, '.npmrc'), `registry=${registry.url}\n//${host}/:_authToken=local-test-token\n`);
    await run(bin('changeset'), ['version'], { cwd: workspace, env: env() });
    await run(bin('changeset'), ['publish', '--no-git-tag'], { cwd: workspace, env: env() });
    for (const pkg of packages) {
      const manifest = JSON.parse(
        readFileSync(path.join(workspace, path.relative(ROOT, pkg.dir), 'package.json'), 'utf8'),
      );
      published.set(manifest.name, manifest.version);
    }
  }, 300_000);

  afterAll(async () => {
    await registry?.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('changeset version bumps every package with a changeset and writes its CHANGELOG', () => {
    for (const pkg of packages) {
      const changelog = readFileSync(path.join(workspace, path.relative(ROOT, pkg.dir), 'CHANGELOG.md'), 'utf8');
      expect(changelog).toContain(`## ${published.get(pkg.name)}`);
      expect(published.get(pkg.name)).not.toBe(pkg.version);
    }
  });

  it('every package is in the registry at its new version', async () => {
    for (const [name, version] of published) {
      const { stdout } = await run('npm', ['view', `${name}@${version}`, 'version'], { cwd: scratch, env: env() });
      expect(stdout.trim()).toBe(version);
    }
  }, 60_000);

  it('@kz/alseco alone installs into an empty folder and runs against its mock (ESM and CommonJS)', async () => {
    const app = path.join(scratch, 'alseco-app');
    const footprint = await installAlone(app, '@kz/alseco');
    writeFileSync(
      path.join(app, 'check.mjs'),
      `import { createAlsecoClient } from '@kz/alseco';
import { startAlsecoMock } from '@kz/alseco/testing';
const mock = await startAlsecoMock();
const client = createAlsecoClient({ endpoint: mock.endpoint, bankCode: 'ALSC' });
const period = await client.getCurrentPeriod();
const [lookup] = await client.getInvoicesByAccounts([2429284]);
client.close();
await mock.close();
console.log(JSON.stringify({ period, ok: lookup.ok, invoice: lookup.account.Invoices[0].InvoceId }));
`,
    );
    const { stdout } = await run(process.execPath, ['check.mjs'], { cwd: app });
    expect(JSON.parse(stdout)).toEqual({ period: { year: 2018, month: 3 }, ok: true, invoice: '180310134655' });
    writeFileSync(
      path.join(app, 'check.cjs'),
      "const { createAlsecoClient } = require('@kz/alseco');\nconsole.log(typeof createAlsecoClient);\n",
    );
    expect((await run(process.execPath, ['check.cjs'], { cwd: app })).stdout.trim()).toBe('function');
    console.log(
      `@kz/alseco installed alone: ${footprint.packages.join(', ')}; node_modules ${Math.round(footprint.bytes / 1024)} KiB`,
    );
  }, 120_000);

  it.runIf(packages.some((p) => p.name === '@kz/true-api'))(
    '@kz/true-api alone installs into an empty folder and runs against its mock',
    async () => {
      const app = path.join(scratch, 'true-api-app');
      const footprint = await installAlone(app, '@kz/true-api');
      const { stdout } = await run(
        process.execPath,
        ['-e', "import('@kz/true-api').then((m) => console.log(typeof m.createTrueApiClient))"],
        {
          cwd: app,
        },
      );
      expect(stdout.trim()).toBe('function');
      console.log(
        `@kz/true-api installed alone: ${footprint.packages.join(', ')}; node_modules ${Math.round(footprint.bytes / 1024)} KiB`,
      );
    },
    120_000,
  );

  /**
   * The registry has no uplinks, so what a package needs from npm (node-forge, openapi-fetch, ...)
   * is published into it too, packed from the repo's node_modules without running scripts.
   */
  const mirrored = new Set<string>();
  async function mirrorDependenciesOf(name: string): Promise<void> {
    const pending: { name: string; from: string }[] = [{ name, from: ROOT }];
    const tarballs = path.join(scratch, 'mirror');
    mkdirSync(tarballs, { recursive: true });
    while (pending.length > 0) {
      const next = pending.pop() as { name: string; from: string };
      const dir = findPackage(next.name, next.from);
      const manifest = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
      for (const dependency of Object.keys(manifest.dependencies ?? {})) pending.push({ name: dependency, from: dir });
      if (next.name.startsWith('@kz/') || mirrored.has(next.name)) continue;
      mirrored.add(next.name);
      const { stdout } = await run(
        'npm',
        ['pack', dir, '--ignore-scripts', '--pack-destination', tarballs, '--silent'],
        { cwd: scratch },
      );
      const tarball = path.join(tarballs, stdout.trim().split('\n').pop() as string);
      await run('npm', ['publish', tarball, '--ignore-scripts', '--tag', 'mirror'], { cwd: workspace, env: env() });
    }
  }

  /** Installs one package into an empty folder; checks it pulled no other service package. */
  async function installAlone(app: string, name: string): Promise<{ bytes: number; packages: string[] }> {
    mkdirSync(app, { recursive: true });
    writeFileSync(path.join(app, 'package.json'), '{"name":"app","version":"1.0.0","private":true}\n');
    writeFileSync(path.join(app, '.npmrc'), `registry=${registry.url}\n`);
    await mirrorDependenciesOf(name);
    await run('npm', ['install', `${name}@${published.get(name)}`], { cwd: app, env: env() });
    const scoped = readdirSync(path.join(app, 'node_modules', '@kz')).map((p) => `@kz/${p}`);
    expect(scoped).toContain(name);
    expect(scoped.filter((p) => SERVICE_PACKAGES.includes(p) && p !== name)).toEqual([]);
    const all = readdirSync(path.join(app, 'node_modules')).flatMap((entry) =>
      entry.startsWith('@')
        ? readdirSync(path.join(app, 'node_modules', entry)).map((p) => `${entry}/${p}`)
        : entry.startsWith('.')
          ? []
          : [entry],
    );
    return { bytes: folderBytes(path.join(app, 'node_modules')), packages: all.sort() };
  }
});

/** Where Node would find package `name` from `from`: the nearest node_modules up the tree. */
function findPackage(name: string, from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', name);
    if (existsSync(path.join(candidate, 'package.json'))) return candidate;
    if (name.startsWith('@kz/') && dir === ROOT) break;
    if (path.dirname(dir) === dir) break;
  }
  throw new Error(`cannot find ${name} from ${from}`);
}
