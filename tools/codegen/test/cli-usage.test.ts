/**
 * The CLI as a new user meets it: help and version, one-line usage errors (exit 2), errors that
 * name the input and say why a URL failed, wrapped schemas, several --xsd, and headers that name
 * the command regenerating that output.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it, vi } from 'vitest';
import { tempDir, writeFiles } from './support.js';

// Each case starts node and loads the generator: seconds each on a loaded machine.
vi.setConfig({ testTimeout: 60_000 });

const run = promisify(execFile);
const HERE = path.dirname(fileURLToPath(import.meta.url));
const CLI = path.join(HERE, '../dist/cli.js');
const REFERENCE = path.resolve(HERE, '../../../../shared/reference-contracts');

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args], { timeout: 30_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const oneLine = (text: string) => text.trim().split('\n').length === 1 && !/\n\s+at /.test(text);

describe('help, version and usage errors', () => {
  it('--help prints every flag and an example per input kind on stdout', async () => {
    const { code, stdout, stderr } = await cli('--help');
    expect(code).toBe(0);
    expect(stderr).toBe('');
    for (const flag of ['--wsdl', '--xsd', '--openapi', '--out', '--check', '--changeset', '--help', '--version'])
      expect(stdout).toContain(flag);
    expect(stdout).toMatch(/generate --wsdl \S+ --out/);
    expect(stdout).toMatch(/generate --xsd \S+ --xsd \S+ --out/);
    expect(stdout).toMatch(/generate --openapi \S+ --out/);
  });

  it('--version prints the package version', async () => {
    const { code, stdout } = await cli('--version');
    expect(code).toBe(0);
    expect(stdout.trim()).toBe(JSON.parse(readFileSync(path.join(HERE, '../package.json'), 'utf8')).version);
  });

  it.each([
    [['generate', '--wsdl', 'a.wsdl', '--out', 'x', '--bogus'], /Unknown option '--bogus'/],
    [['generate', '--wsdl'], /'--wsdl <value>' argument missing/],
    [[], /missing command/],
    [['generate', '--out', 'x'], /missing input/],
    [['generate', '--wsdl', 'a.wsdl'], /missing --out/],
    [
      ['generate', '--wsdl', 'a.wsdl', '--xsd', 'b.xsd', '--out', 'x'],
      /give exactly one of --wsdl, --xsd, --openapi, not --wsdl and --xsd/,
    ],
  ])('%j: one line, exit 2', async (args, message) => {
    const { code, stderr } = await cli(...args);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
    expect(oneLine(stderr)).toBe(true);
  });
});

describe('errors name the input and say why', () => {
  it('a URL answering 404', { timeout: 30_000 }, async () => {
    const server = createServer((_, res) => res.writeHead(404).end('no'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/Service.wsdl`;
      const { code, stderr } = await cli('generate', '--wsdl', url, '--out', path.join(tempDir('cli'), 'out'));
      expect(code).toBe(1);
      expect(stderr).toContain(url);
      expect(stderr).toMatch(/HTTP 404/);
      expect(oneLine(stderr)).toBe(true);
    } finally {
      server.close();
    }
  });

  it('a URL whose TLS certificate is not trusted', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kz-codegen-tls-'));
    let identity: { key: string; cert: string };
    try {
      execFileSync(
        'openssl',
        ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1']
          .concat(['-addext', 'subjectAltName=IP:127.0.0.1'])
          .concat(['-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem')]),
        { stdio: 'ignore' },
      );
      identity = {
        key: readFileSync(path.join(dir, 'key.pem'), 'utf8'),
        cert: readFileSync(path.join(dir, 'cert.pem'), 'utf8'),
      };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const server = createTlsServer(identity, (_, res) => res.end('<x/>'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/Service.wsdl`;
      const { code, stderr } = await cli('generate', '--wsdl', url, '--out', path.join(tempDir('cli'), 'out'));
      expect(code).toBe(1);
      expect(stderr).toMatch(/cannot read https:\/\/127\.0\.0\.1:\d+\/Service\.wsdl: TLS: self[- ]signed certificate/);
      expect(oneLine(stderr)).toBe(true);
    } finally {
      server.close();
    }
  });

  it('a host that does not resolve', { timeout: 30_000 }, async () => {
    const { code, stderr } = await cli('generate', '--wsdl', 'http://nonexistent.invalid/x.wsdl', '--out', 'x');
    expect(code).toBe(1);
    expect(stderr).toMatch(/nonexistent\.invalid.*(DNS lookup failed|EAI_AGAIN|ENOTFOUND)/);
    expect(oneLine(stderr)).toBe(true);
  });

  it('a missing import: the missing file and the file importing it', async () => {
    const dir = tempDir('cli');
    writeFiles(dir, {
      'main.xsd': `<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:m"><xs:import namespace="urn:o" schemaLocation="other.xsd"/></xs:schema>`,
    });
    const { code, stderr } = await cli('generate', '--xsd', path.join(dir, 'main.xsd'), '--out', path.join(dir, 'out'));
    expect(code).toBe(1);
    expect(stderr).toMatch(/main\.xsd imports other\.xsd, which cannot be read: no such file/);
    expect(oneLine(stderr)).toBe(true);
  });

  it('a schema pasted unescaped into a SOAP response is recognised as such', async () => {
    const { code, stderr } = await cli(
      'generate',
      '--xsd',
      path.join(REFERENCE, 'esf-sdk/xsd/Awp/AwpV1.xsd'),
      '--out',
      path.join(tempDir('cli'), 'out'),
    );
    expect(code).toBe(1);
    expect(stderr).toMatch(/AwpV1\.xsd: .*the file is <Envelope> .* with an xs:schema pasted inside unescaped/);
    expect(oneLine(stderr)).toBe(true);
  });

  it('a schema inside CDATA of a SOAP response is unwrapped', async () => {
    const dir = tempDir('cli');
    writeFiles(dir, {
      'wrapped.xsd': `<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><r><xsd><![CDATA[<?xml version="1.0"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:w" elementFormDefault="qualified"><xs:element name="Doc" type="xs:string"/></xs:schema>]]></xsd></r></soap:Body></soap:Envelope>`,
    });
    const { code, stderr } = await cli(
      'generate',
      '--xsd',
      path.join(dir, 'wrapped.xsd'),
      '--out',
      path.join(dir, 'out'),
    );
    expect(code).toBe(0);
    expect(stderr).toMatch(/^kz-codegen: \S*wrapped\.xsd: root is <Envelope>, using the xs:schema embedded in it\n$/);
    expect(readFileSync(path.join(dir, 'out/schema.ts'), 'utf8')).toContain('"Doc"');
  });
});

describe('several --xsd and the regenerate command', () => {
  it('the ESF InvoiceV2 schema with its abstract sibling; the header names the command, outside this repo', async () => {
    const out = path.join(mkdtempSync(path.join(tmpdir(), 'kz-codegen-')), 'out');
    const v2 = path.join(REFERENCE, 'esf-sdk/xsd/Invoice/InvoiceV2.xsd');
    const abstract = path.join(REFERENCE, 'esf-sdk/xsd/Invoice/InvoiceV1.xsd');
    const { code, stderr } = await cli('generate', '--xsd', v2, '--xsd', abstract, '--out', out);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const header = readFileSync(path.join(out, 'types.ts'), 'utf8').split('\n').slice(0, 2).join('\n');
    expect(header).toContain(`run \`kz-codegen generate --xsd ${v2} --xsd ${abstract} --out ${out}\``);
    expect(header).not.toContain('npm run generate');
    writeFiles(out, { 'types.ts': `${readFileSync(path.join(out, 'types.ts'), 'utf8')}// edited\n` });
    const check = await cli('generate', '--xsd', v2, '--xsd', abstract, '--out', out, '--check');
    expect(check.code).toBe(1);
    expect(check.stderr).toContain(`run \`kz-codegen generate --xsd ${v2} --xsd ${abstract} --out ${out}\``);
  });
});
