/**
 * The contract: all 46 methods of the seed are in the spec, the spec lints clean (examples
 * validated against their schemas), and every JSON example of the seed is attached to the spec
 * exactly as in the fixtures, so it decodes into the generated types.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { parseYaml } from '@redocly/openapi-core';
import { describe, expect, it } from 'vitest';
import { operationMeta } from '../src/index.js';
import { fixture, fixtureNames, HERE, SPEC } from './fixture-support.js';

const run = promisify(execFile);
const spec = parseYaml(readFileSync(SPEC, 'utf8')) as Record<string, unknown>;

/** Every `examples` entry anywhere in the spec, by key. */
function specExamples(): Map<string, unknown> {
  const out = new Map<string, unknown>();
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const item of node) walk(item);
      return;
    }
    if (!node || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node)) {
      if (key === 'examples' && value && typeof value === 'object' && !Array.isArray(value)) {
        for (const [name, example] of Object.entries(value)) {
          if (example && typeof example === 'object' && 'value' in example) out.set(name, example.value);
        }
      }
      if (key === 'examples' && Array.isArray(value)) out.set(`schema:${out.size}`, value);
      walk(value);
    }
  };
  walk(spec);
  return out;
}

describe('the spec', () => {
  it('has the 46 methods of METHODS.md (the seed inventory) and nothing else', () => {
    const table = readFileSync(path.resolve(SPEC, '../METHODS.md'), 'utf8');
    const rows = [...table.matchAll(/^\| \d+ \| (GET|POST) \| `([^`]+)` \| `(\w+)` \|/gm)].map(
      ([, method, route, id]) => `${id} ${method} ${route}`,
    );
    expect(rows).toHaveLength(46);
    const ops = Object.entries(operationMeta).map(([id, op]) => `${id} ${op.method.toUpperCase()} ${op.path}`);
    expect(ops.sort()).toEqual(rows.sort());
  });

  it('names the issue list of paths', () => {
    const paths = Object.keys(spec.paths as object);
    for (const p of [
      '/auth/key',
      '/auth/simpleSignIn',
      '/cises/my',
      '/cises/orders/{uuid}/result',
      '/cis/cises-units-count',
      '/edo-api/incoming-documents/{documentId}/events/{decision}/signature',
      '/documents/import/status/{doc_id}',
      '/receipt/{receiptId}/info',
      '/elk/product-groups/balance/all',
    ]) {
      expect(paths).toContain(p);
    }
    expect(paths).toHaveLength(45);
  });

  it('lints clean with @redocly/cli from node_modules (offline), examples checked against schemas', async () => {
    const cli = path.resolve(HERE, '../../../node_modules/@redocly/cli/bin/cli.js');
    const { stdout, stderr } = await run(
      process.execPath,
      [cli, 'lint', SPEC, '--config', path.resolve(SPEC, '../redocly.yaml'), '--format', 'json'],
      { env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', NO_COLOR: '1' } },
    ).catch((e: { stdout: string; stderr: string }) => e);
    const report = JSON.parse(stdout.slice(stdout.indexOf('{'))) as {
      totals: { errors: number; warnings: number };
      problems: { message: string }[];
    };
    expect(
      report.problems.map((p) => p.message),
      stderr,
    ).toEqual([]);
    expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
  }, 60_000);
});

describe('seed examples', () => {
  const examples = specExamples();
  const names = fixtureNames();

  it('there are 121 of them', () => {
    expect(names).toHaveLength(121);
  });

  it.each(names.filter((n) => !n.includes('.request.document') && !n.startsWith('ncaLayer')))(
    '%s is attached to the spec unchanged (so the lint validates it against the schema)',
    (name) => {
      expect(examples.get(name.replace(/\.json$/, ''))).toEqual(fixture(name));
    },
  );

  it.each(names.filter((n) => n.includes('.request.document')))('%s is a schema-level example', (name) => {
    const schemaLevel = [...examples.entries()]
      .filter(([k]) => k.startsWith('schema:'))
      .flatMap(([, v]) => v as unknown[]);
    // The spec leaves out the "$schema" member (a path on the author's disk), as its x-examples-source says.
    const { $schema: _path, ...document } = fixture<Record<string, unknown>>(name);
    expect(schemaLevel).toContainEqual(document);
  });

  it('the NCALayer message of auth step 3 is in the spec as documentation', () => {
    const signIn = (spec.paths as Record<string, Record<string, Record<string, unknown>>>)['/auth/simpleSignIn']?.post;
    expect((signIn?.['x-ncalayer-signing-example'] as { value: unknown } | undefined)?.value).toEqual(
      fixture('ncaLayerCreateCmsSignature.request.json'),
    );
  });
});
