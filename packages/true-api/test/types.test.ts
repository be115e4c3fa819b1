/**
 * Type-level tests: wrong parameters do not compile. The `@ts-expect-error` lines are checked by
 * `npm run typecheck` (an unused one is itself an error); the test below compiles a snippet with
 * the TypeScript API so a wrong call failing to compile is also asserted at test time.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { CisesOrderStatus, TrueApiClient } from '../src/index.js';
import { HERE } from './fixture-support.js';

// Never called: only compiled.
export async function wrongCalls(trueApi: TrueApiClient): Promise<void> {
  // @ts-expect-error history takes `code`, not `cis`
  await trueApi.operations.GET('/cises/history', { params: { query: { cis: 'x' } } });
  // @ts-expect-error `pg` is required for the aggregation list
  await trueApi.operations.GET('/cises/aggregated/list', { params: { query: { codes: ['x'] } } });
  // @ts-expect-error unknown product group
  await trueApi.cisesInfo(['x'], { pg: 'bread' });
  // @ts-expect-error gtin is required to order codes
  await trueApi.orderMyCodes({ packageType: 'UNIT' });
  // @ts-expect-error unknown package type
  await trueApi.orderMyCodes({ gtin: '1', packageType: 'CRATE' });
  // @ts-expect-error no such path
  await trueApi.operations.GET('/cises/nowhere');
  // @ts-expect-error the body of /cises/info is an array of codes
  await trueApi.operations.POST('/cises/info', { body: { codes: ['x'] } });
}

describe('types', () => {
  it('responses and enums are typed from the spec', () => {
    expectTypeOf<CisesOrderStatus>().toEqualTypeOf<
      | 'NEW'
      | 'PRODUCTION'
      | 'VALIDATION_FAILED'
      | 'IN_PROGRESS'
      | 'IN PROGRESS'
      | 'SUCCESS'
      | 'ERROR'
      | 'RESULT_EXPIRED'
    >();
    type Info = Awaited<ReturnType<TrueApiClient['cisesInfo']>>[number];
    expectTypeOf<NonNullable<Info['cisInfo']>['cis']>().toEqualTypeOf<string | undefined>();
    expect(wrongCalls).toBeTypeOf('function');
  });

  it('a wrong parameter fails to compile (and the right one compiles)', () => {
    const base = path.resolve(HERE, '../../../.tmp');
    mkdirSync(base, { recursive: true });
    const dir = mkdtempSync(path.join(base, 'true-api-types-'));
    const file = path.join(dir, 'probe.ts');
    const source = path.resolve(HERE, '../src/index.js').split(path.sep).join('/');
    const check = (call: string): string[] => {
      writeFileSync(
        file,
        `import type { TrueApiClient } from '${source}';\nexport async function probe(t: TrueApiClient) {\n  ${call};\n}\n`,
      );
      const config = ts.readConfigFile(path.join(HERE, '../tsconfig.json'), ts.sys.readFile);
      const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, path.join(HERE, '..'));
      const program = ts.createProgram([file], { ...parsed.options, noEmit: true });
      return ts
        .getPreEmitDiagnostics(program)
        .filter((d) => d.file?.fileName === file)
        .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    };
    try {
      expect(check("await t.operations.GET('/cises/history', { params: { query: { code: 'x' } } })")).toEqual([]);
      expect(check("await t.operations.GET('/cises/history', { params: { query: { cis: 'x' } } })").join('\n')).toMatch(
        /'cis' does not exist/,
      );
      expect(
        check("await t.operations.GET('/cises/orders/{uuid}/status', { params: { path: { id: 'x' } } })"),
      ).not.toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);
});
