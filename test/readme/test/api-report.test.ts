/** The API report gate (scripts/api-report.mjs): an export without a doc comment fails the report. */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ES module script, no declarations
import { apiReports } from '../../../scripts/api-report.mjs';

/**
 * A package `@kz/gate-fixture` whose entry point `.` is `dist/index.d.ts` with `declarations`; `more`
 * adds files under dist/, and `testing` (a file among them) a second entry point `./testing`.
 */
function fixture(
  declarations: string,
  more: Record<string, string> = {},
  testing?: string,
): { dir: string; manifest: Record<string, unknown> } {
  const dir = mkdtempSync(path.join(tmpdir(), 'kz-api-gate-'));
  mkdirSync(path.join(dir, 'dist'));
  writeFileSync(path.join(dir, 'dist/index.d.ts'), declarations);
  for (const [file, text] of Object.entries(more)) writeFileSync(path.join(dir, 'dist', file), text);
  const exports: Record<string, { types: string }> = { '.': { types: './dist/index.d.ts' } };
  if (testing) exports['./testing'] = { types: `./dist/${testing}` };
  const manifest = { name: '@kz/gate-fixture', version: '0.0.0', exports };
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify(manifest));
  return { dir, manifest };
}

describe('API report gate', () => {
  it('fails a report with an undocumented export, writing or checking, and passes a documented one', () => {
    const bare = fixture(
      '/** Documented. */\nexport declare const documented: number;\nexport declare const bare: string;\n',
    );
    const clean = fixture('/** Documented. */\nexport declare const documented: number;\n');
    try {
      const written = apiReports({ check: false, packages: [bare] });
      expect(written.errors.join('\n')).toMatch(/gate-fixture\.api\.md: 1 undocumented item/);
      expect(readFileSync(path.join(bare.dir, 'etc/gate-fixture.api.md'), 'utf8')).toContain('(undocumented)');
      expect(apiReports({ check: true, packages: [bare] }).errors.join('\n')).toMatch(/1 undocumented item/);
      expect(apiReports({ check: false, packages: [clean] }).errors).toEqual([]);
      expect(apiReports({ check: true, packages: [clean] })).toEqual({ changed: [], errors: [] });
    } finally {
      for (const { dir } of [bare, clean]) rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('fails when a documented export names a type no entry point exports, naming the entry point and the type', () => {
    const options =
      '/** Options of `run`. */\nexport interface RunOptions {\n  /** Retries. */\n  retries: number;\n}\n';
    const run =
      "import type { RunOptions } from './options.js';\n/** Runs. */\nexport declare function run(options: RunOptions): void;\n";
    const forgotten = fixture(run, { 'options.d.ts': options });
    const exported = fixture(`${run}export type { RunOptions } from './options.js';\n`, { 'options.d.ts': options });
    // The testing entry point names RunOptions, which the main entry point exports: users can name it.
    const sibling = fixture(
      "export type { RunOptions } from './options.js';\n",
      {
        'options.d.ts': options,
        'testing.d.ts':
          "import type { RunOptions } from './options.js';\n/** A test run. */\nexport declare function runTest(options: RunOptions): void;\n",
      },
      'testing.d.ts',
    );
    try {
      const errors = apiReports({ check: false, packages: [forgotten] }).errors;
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatch(/^gate-fixture: @kz\/gate-fixture entry point "\." does not export RunOptions, /);
      expect(apiReports({ check: true, packages: [forgotten] }).errors.join('\n')).toMatch(
        /does not export RunOptions/,
      );
      expect(apiReports({ check: false, packages: [exported] }).errors).toEqual([]);
      expect(apiReports({ check: false, packages: [sibling] }).errors).toEqual([]);
    } finally {
      for (const { dir } of [forgotten, exported, sibling]) rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
