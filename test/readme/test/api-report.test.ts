/** The API report gate (scripts/api-report.mjs): an export without a doc comment fails the report. */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ES module script, no declarations
import { apiReports } from '../../../scripts/api-report.mjs';

/** A package whose declarations export `documented` with a doc comment and `bare` without one. */
function fixture(declarations: string): { dir: string; manifest: Record<string, unknown> } {
  const dir = mkdtempSync(path.join(tmpdir(), 'kz-api-gate-'));
  mkdirSync(path.join(dir, 'dist'));
  writeFileSync(path.join(dir, 'dist/index.d.ts'), declarations);
  const manifest = { name: '@kz/gate-fixture', version: '0.0.0', exports: { '.': { types: './dist/index.d.ts' } } };
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
});
