/**
 * The CLI as users run it: on the real published contracts, determinism, --check, and clear
 * messages (never a stack trace) for files that are not what they claim to be.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it, vi } from 'vitest';
import { tempDir, typeCheck } from './support.js';

// Each case starts node and loads the generator: seconds each on a loaded machine.
vi.setConfig({ testTimeout: 60_000 });

const run = promisify(execFile);
const HERE = path.dirname(fileURLToPath(import.meta.url));
const CLI = path.join(HERE, '../dist/cli.js');
const ROOT = path.resolve(HERE, '../../..');
const REFERENCE = path.resolve(ROOT, '../shared/reference-contracts');

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args]);
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const referenceWsdls = [
  'esf-sdk/SessionService.wsdl',
  'esf-sdk/InvoiceService.wsdl',
  'esf-sdk/AwpWebService.wsdl',
  'shep/SyncChannel/v10/Interfaces/SyncChannelHttp_Service.wsdl',
  'shep/SyncChannel/v10/Interfaces/ISyncChannel.wsdl',
  'shep/AsyncChannel/v10/Interfaces/AsyncChannelHttp_Service.wsdl',
  'shep/AsyncChannel/v10/Interfaces/AsyncChannelClientHttp_Service.wsdl',
  'shep/AsyncChannel/v10/Interfaces/IAsyncChannel.wsdl',
  'shep/AsyncChannel/v10/Interfaces/IAsyncChannelClient.wsdl',
];

describe('kz-codegen on the published reference contracts', { timeout: 60_000 }, () => {
  it.each(referenceWsdls)(
    '%s generates a client that type-checks',
    async (wsdl) => {
      const out = path.join(tempDir('reference'), 'generated');
      const result = await cli('generate', '--wsdl', path.join(REFERENCE, wsdl), '--out', out);
      // The SHEP interface files are abstract (portType, no binding): one line says so.
      expect(result.stderr).toMatch(/^(kz-codegen: \S+: no SOAP binding \(an abstract WSDL\)[^\n]*\n)?$/);
      expect(result.code).toBe(0);
      // Every one of them declares wsdl:fault: its fault classes are in faults.ts.
      expect(readdirSync(out).sort()).toEqual(['client.ts', 'faults.ts', 'index.ts', 'schema.ts', 'types.ts']);
      expect(typeCheck(out)).toEqual([]);
    },
    30_000,
  );

  it.each([
    ['esf-sdk/xsd/Awp/AwpV1.xsd', /AwpV1\.xsd: not well-formed XML: 5:\d+: an XML declaration must be at the start/],
    [
      'esf-sdk/xsd/Invoice/GetInvoiceByRegNumberResponse.xsd',
      /not well-formed XML: \d+:\d+: text data outside of root node/,
    ],
    ['esf-sdk/xsd/Invoice/InvoiceV2.xsd', /type AbstractInvoice in namespace "abstractInvoice.esf" is not declared/],
  ])('%s is refused with a clear message, not a crash', async (file, message) => {
    const result = await cli(
      'generate',
      '--xsd',
      path.join(REFERENCE, file),
      '--out',
      path.join(tempDir('bad'), 'out'),
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^kz-codegen: /);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('a file that is not a WSDL is named as such', async () => {
    const xsd = path.join(REFERENCE, 'esf-sdk/xsd/Invoice/InvoiceV1.xsd');
    const result = await cli('generate', '--wsdl', xsd, '--out', path.join(tempDir('bad'), 'out'));
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/is not a WSDL 1\.1 document: its root element is <schema>/);
  });

  it('standalone XSDs produce types and document metadata', async () => {
    const out = path.join(tempDir('xsd'), 'generated');
    const result = await cli(
      'generate',
      '--xsd',
      path.join(REFERENCE, 'esf-sdk/xsd/Invoice/InvoiceV1.xsd'),
      '--out',
      out,
    );
    expect(result.code).toBe(0);
    expect(readFileSync(path.join(out, 'schema.ts'), 'utf8')).toContain('export const schemaMeta: DocumentSchemaMeta');
    expect(typeCheck(out)).toEqual([]);
  });
});

describe('determinism and --check', () => {
  it('a second run writes identical bytes; --check passes, then fails naming the stale file after a spec edit', async () => {
    const dir = tempDir('check');
    const spec = path.join(dir, 'alseco.wsdl');
    copyFileSync(path.join(ROOT, 'specs/alseco/alseco.wsdl'), spec);
    const out = path.join(dir, 'generated');
    expect((await cli('generate', '--wsdl', spec, '--out', out)).code).toBe(0);
    const first = Object.fromEntries(readdirSync(out).map((f) => [f, readFileSync(path.join(out, f), 'utf8')]));
    expect((await cli('generate', '--wsdl', spec, '--out', out)).stdout).toContain('wrote 0 of 4');
    const second = Object.fromEntries(readdirSync(out).map((f) => [f, readFileSync(path.join(out, f), 'utf8')]));
    expect(second).toEqual(first);
    for (const content of Object.values(first)) expect(content.startsWith('// Generated by @kz/codegen')).toBe(true);

    expect((await cli('generate', '--wsdl', spec, '--out', out, '--check')).code).toBe(0);
    writeFileSync(
      spec,
      readFileSync(spec, 'utf8').replace('name="labelId" type="xs:int"', 'name="labelId" type="xs:long"'),
    );
    const stale = await cli('generate', '--wsdl', spec, '--out', out, '--check');
    expect(stale.code).toBe(1);
    expect(stale.stderr).toContain('generated code is stale');
    expect(stale.stderr).toContain(path.join(out, 'types.ts'));
    expect(stale.stderr).toContain(path.join(out, 'schema.ts'));
  }, 120_000);
});
