/**
 * One convention set, enforced: every publishable package's exports pass the checks of
 * src/rules.ts (exceptions only as documented in src/packages.ts), and the deviant canary is
 * reported for every convention it breaks, so the checks are seen to fail.
 */
import { describe, expect, it } from 'vitest';
import { DEVIANT, DEVIANT_EXPECTED } from '../src/deviant.js';
import { EXEMPTIONS, PACKAGES } from '../src/packages.js';
import { deviations } from '../src/rules.js';

describe('conformance', () => {
  it.each(PACKAGES.map((pkg) => [pkg.name, pkg] as const))('%s follows the conventions', async (_, pkg) => {
    expect(await deviations(pkg, EXEMPTIONS)).toEqual([]);
  });

  it('the table covers every publishable package', async () => {
    const { readdirSync, readFileSync } = await import('node:fs');
    const root = new URL('../../../packages/', import.meta.url);
    const publishable = readdirSync(root)
      .map(
        (dir) =>
          JSON.parse(readFileSync(new URL(`${dir}/package.json`, root), 'utf8')) as { name: string; private?: boolean },
      )
      .filter((manifest) => !manifest.private)
      .map((manifest) => manifest.name)
      .sort();
    expect(PACKAGES.map((pkg) => pkg.name).sort()).toEqual(publishable);
  });

  it('every exemption names an export that exists and says why', () => {
    for (const exemption of EXEMPTIONS) {
      const pkg = PACKAGES.find((p) => p.name === exemption.package);
      expect(pkg?.exports[exemption.export], `${exemption.package}.${exemption.export}`).toBeDefined();
      expect(exemption.reason.length).toBeGreaterThan(20);
    }
  });

  it('the deviant canary is reported for every convention it breaks', async () => {
    expect(await deviations(DEVIANT)).toEqual(DEVIANT_EXPECTED);
  });

  it('an exemption silences exactly its own rule for its own export', async () => {
    const found = await deviations(DEVIANT, [
      { package: '@kz/deviant', export: 'sleep', rule: 'one-poll', reason: 'the test of exemptions' },
    ]);
    expect(DEVIANT_EXPECTED.filter((line) => !found.includes(line))).toEqual([
      "@kz/deviant.sleep: one-poll: waits use @kz/soap's poll, sleep and WaitTimeoutError, not a package's own",
    ]);
  });
});
