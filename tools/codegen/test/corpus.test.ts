/**
 * The conformance corpus (test/corpus): one small contract per class of real-world WSDL that
 * broke generators. Each is generated, the whole corpus type-checked under strict in one
 * compiler run, and every operation round-tripped through the generated client (encode ->
 * decode equals input, and back). Where node-soap (an implementation nobody here wrote) serves
 * the contract, its server is started from the same WSDL: it must parse exactly what we sent,
 * and what it answers must decode to what it meant to send.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ServiceMeta, SoapFaultError, SoapServiceCodec, type Transport } from '@kz/soap';
import * as soap from 'soap';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ContractError, generate, loadServiceMeta } from '../src/index.js';
import { tempDir } from './support.js';

// Generating 10 contracts and one strict compile of all of them: tens of seconds on a loaded machine.
vi.setConfig({ testTimeout: 60_000, hookTimeout: 120_000 });

const HERE = path.dirname(fileURLToPath(import.meta.url));
const CORPUS = path.join(HERE, 'corpus');
const ROOT = path.resolve(HERE, '../../..');

interface Sample {
  readonly input: unknown;
  /** Absent for one-way operations. */
  readonly output?: unknown;
}

interface CorpusCase {
  /** One line each, in order, for what the contract leaves out. */
  readonly notes: readonly RegExp[];
  /** Generated operations (method order) with a value each. */
  readonly samples: Readonly<Record<string, Sample>>;
}

const ping = { input: { text: 'hello' }, output: { text: 'hello', count: 2 } };

const CASES: Readonly<Record<string, CorpusCase>> = {
  recursion: {
    notes: [],
    samples: {
      Walk: {
        input: {
          Node: { label: 'root', Node: [{ label: 'a', Node: [{ label: 'a1' }, { label: 'a2' }] }, { label: 'b' }] },
          list: { value: '1', next: { value: '2', next: { value: '3' } } },
        },
        output: { list: { value: '3', next: { value: '2' } } },
      },
    },
  },
  'simple-derivations': {
    notes: [],
    samples: {
      Op: {
        input: {
          coded: { $value: 'A', v: 'x' },
          mixed: { $value: '7' },
          listed: { $value: ['A', 'B'] },
          onlyA: { $value: 'A' },
          tagged: { $value: 'B', tag: 't' },
          pick: { b: 2, c: 'z' },
        },
        output: {
          coded: { $value: 'B' },
          mixed: { $value: 'A' },
          listed: { $value: [] },
          onlyA: { $value: 'A', v: 'w' },
          tagged: { $value: '5' },
          pick: { a: 'q', c: 'r' },
        },
      },
    },
  },
  dataset: {
    notes: [],
    samples: {
      Op: {
        input: { query: 'select' },
        output: {
          GetDataResult: {
            schema: { $xml: '<xs:element xmlns:xs="http://www.w3.org/2001/XMLSchema" name="T"></xs:element>' },
            $any: [{ $xml: '<diffgram xmlns="urn:schemas-microsoft-com:xml-diffgram-v1"><T>1</T></diffgram>' }],
          },
        },
      },
    },
  },
  'same-name-inline': {
    notes: [],
    samples: { Op: { input: { y: 'why', Item: { x: 'ex' } }, output: { x: 'back' } } },
  },
  'no-input': {
    notes: [/^operation Announce is a notification/, /^operation Ask is solicit-response/],
    samples: { Ping: ping, Send: { input: { text: 'fire and forget' } } },
  },
  abstract: { notes: [/^no SOAP binding \(an abstract WSDL\)/], samples: { Ping: ping } },
  'several-ports': { notes: [], samples: { Ping: ping, Send: { input: { text: 'to the write port' } } } },
  'non-http': {
    notes: [
      /^binding PipeBinding: its transport http:\/\/schemas\.microsoft\.com\/soap\/named-pipe is not HTTP/,
      /^no port has an HTTP address \(net\.pipe:\/\/localhost\/pipe\)/,
    ],
    samples: { Ping: ping },
  },
  'one-way': { notes: [], samples: { Op: { input: { kind: 'created', tags: ['a', 'b'] } } } },
  'malformed-fault': { notes: [], samples: { Ping: ping } },
};

const root = tempDir('corpus');
const generated = new Map<string, { notes: string[]; meta: ServiceMeta; dir: string }>();
let typeErrors: string[] = [];

beforeAll(async () => {
  for (const name of Object.keys(CASES)) {
    const wsdl = path.join(CORPUS, `${name}.wsdl`);
    const dir = path.join(root, name);
    const notes: string[] = [];
    await generate({ wsdl, out: dir, onNote: (line) => notes.push(line) });
    generated.set(name, { notes, meta: await loadServiceMeta(wsdl), dir });
  }
  typeErrors = strictErrors(root);
});

/** One strict compile of every generated file in the corpus; errors with their file. */
function strictErrors(dir: string): string[] {
  const config = ts.readConfigFile(path.join(ROOT, 'tsconfig.base.json'), ts.sys.readFile.bind(ts.sys));
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, ROOT);
  const program = ts.createProgram(ts.sys.readDirectory(dir, ['.ts']), {
    ...parsed.options,
    strict: true,
    noEmit: true,
  });
  return ts
    .getPreEmitDiagnostics(program)
    .map(
      (d) =>
        `${d.file ? path.relative(dir, d.file.fileName) : ''}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`,
    );
}

/** A transport that plays the service with our own codec, recording what reached it and where. */
function codecService(
  meta: ServiceMeta,
  outputs: Record<string, unknown>,
  seen: { op: string; url: string; input: unknown }[],
): Transport {
  const codec = new SoapServiceCodec(meta);
  return {
    async send(request) {
      const { input } = await codec.decodeRequest(Buffer.from(request.body ?? []));
      // By SOAPAction, as servers dispatch: operations may share an input element.
      const action =
        /"([^"]*)"/.exec(request.headers.soapaction ?? '')?.[1] ??
        /action="([^"]*)"/.exec(request.headers['content-type'] ?? '')?.[1];
      const operation = Object.values(meta.operations).find((op) => op.soapAction === action);
      if (!operation) throw new Error(`no operation has SOAPAction ${action}`);
      seen.push({ op: operation.name, url: request.url, input });
      if (!operation.output) return { status: 202, headers: {}, body: Buffer.alloc(0) };
      const body = codec.encodeResponse(operation, outputs[operation.name], meta.soapVersions[0] ?? '1.1');
      return { status: 200, headers: { 'content-type': 'text/xml' }, body: Buffer.from(body) };
    },
  };
}

type GeneratedClient = Record<string, (input: unknown) => Promise<unknown>>;

/** The generated client class of a corpus contract, imported from the generated TypeScript. */
async function clientOf(name: string, options: Record<string, unknown>): Promise<GeneratedClient> {
  const module = (await import(path.join(generated.get(name)?.dir as string, 'client.ts'))) as Record<
    string,
    new (
      options: Record<string, unknown>,
    ) => GeneratedClient
  >;
  const Client = Object.entries(module).find(([key]) => key.endsWith('Client'))?.[1];
  if (!Client) throw new Error(`no client class generated for ${name}`);
  return new Client(options);
}

const methodOf = (operation: string) => operation.charAt(0).toLowerCase() + operation.slice(1);

describe('conformance corpus', () => {
  it('the whole corpus type-checks under strict', () => {
    expect(typeErrors).toEqual([]);
  });

  it('every corpus contract has a case (or is a refusal tested below)', () => {
    const files = readdirSync(CORPUS).map((f) => f.replace(/\.wsdl$/, ''));
    expect(files.sort()).toEqual([...Object.keys(CASES), 'missing-import'].sort());
  });

  it.each(Object.keys(CASES))('%s: notes, operations, and a round trip of each', async (name) => {
    const spec = CASES[name] as CorpusCase;
    const { notes, meta } = generated.get(name) as { notes: string[]; meta: ServiceMeta };
    expect(notes).toHaveLength(spec.notes.length);
    for (const [i, pattern] of spec.notes.entries()) expect(notes[i]).toMatch(pattern);
    expect(Object.keys(meta.operations)).toEqual(Object.keys(spec.samples));
    const seen: { op: string; url: string; input: unknown }[] = [];
    const outputs = Object.fromEntries(Object.entries(spec.samples).map(([op, s]) => [op, s.output]));
    const client = await clientOf(name, {
      transport: codecService(meta, outputs, seen),
      ...(meta.defaultEndpoint ? { useContractEndpoints: true } : { endpoint: 'http://127.0.0.1:9/given' }),
    });
    for (const [op, sample] of Object.entries(spec.samples)) {
      const answer = await (client[methodOf(op)] as (input: unknown) => Promise<unknown>).call(client, sample.input);
      expect(seen.at(-1)?.input).toEqual(sample.input);
      expect(answer).toEqual(sample.output);
    }
    if (name === 'several-ports') {
      expect(seen.map((s) => s.url)).toEqual(['http://127.0.0.1/read', 'http://127.0.0.1/write']);
    }
  });

  it('a bundle missing an imported file is refused in one line naming the file and its importer', async () => {
    const attempt = generate({ wsdl: path.join(CORPUS, 'missing-import.wsdl'), out: path.join(root, 'missing') });
    await expect(attempt).rejects.toBeInstanceOf(ContractError);
    await expect(attempt).rejects.toThrow(
      /^\S*missing-import\.wsdl includes types\/not-in-bundle\.xsd, which cannot be read: no such file$/,
    );
  });
});

/** A node-soap server from a corpus WSDL on 127.0.0.1; stops with the test file. */
async function nodeSoapServer(
  name: string,
  path_: string,
  services: Record<string, unknown>,
  oneWay?: { responseCode?: number; emptyBody?: boolean },
): Promise<string> {
  const server = createServer((_, res) => res.writeHead(404).end());
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  await new Promise<void>((resolve, reject) => {
    soap.listen(server, {
      path: path_,
      services,
      xml: readFileSync(path.join(CORPUS, `${name}.wsdl`), 'utf8'),
      ...(oneWay ? { oneWay } : {}),
      callback: (error: unknown) => (error ? reject(error) : resolve()),
    } as soap.IServerOptions);
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}${path_}`;
}

const servers: Server[] = [];
afterAll(() => {
  for (const server of servers) server.close();
});

describe('interoperability with node-soap servers built from the same WSDL', () => {
  it('recursion: a tree and a linked list, both ways', async () => {
    const sample = CASES.recursion?.samples.Walk as Sample;
    const received: unknown[] = [];
    const endpoint = await nodeSoapServer('recursion', '/recursion', {
      RecursionService: {
        RecursionPort: {
          Walk: (args: unknown) => {
            received.push(args);
            return sample.output;
          },
        },
      },
    });
    const client = await clientOf('recursion', { endpoint });
    const answer = await client.walk?.(sample.input);
    expect(received).toEqual([sample.input]);
    expect(answer).toEqual(sample.output);
  });

  it.each([200, 202])('one-way: node-soap answers an empty %i, the call succeeds', async (status) => {
    const sample = CASES['one-way']?.samples.Op as Sample;
    const received: unknown[] = [];
    const endpoint = await nodeSoapServer(
      'one-way',
      '/one-way',
      { OneWayService: { Port: { Op: (args: unknown) => void received.push(args) } } },
      { responseCode: status },
    );
    const client = await clientOf('one-way', { endpoint });
    await expect(client.op?.(sample.input)).resolves.toBeUndefined();
    expect(received).toEqual([sample.input]);
  });
  it('no-input: beside a notification and a solicit-response, Ping and the one-way Send work', async () => {
    const received: unknown[] = [];
    const endpoint = await nodeSoapServer(
      'no-input',
      '/no-input',
      {
        NoInputService: {
          Port: {
            Ping: (args: unknown) => {
              received.push(args);
              return ping.output;
            },
            Send: (args: unknown) => void received.push(args),
          },
        },
      },
      { responseCode: 202 },
    );
    const client = await clientOf('no-input', { endpoint });
    expect(await client.ping?.(ping.input)).toEqual(ping.output);
    await expect(client.send?.({ text: 'fire and forget' })).resolves.toBeUndefined();
    expect(received).toEqual([ping.input, { text: 'fire and forget' }]);
  });

  it('several-ports: with no endpoint option each operation goes to its own port on its own path', async () => {
    const received: { op: string; args: unknown }[] = [];
    const server = createServer((_, res) => res.writeHead(404).end());
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    // The contract as a service would publish it: its ports at this server's address.
    const xml = readFileSync(path.join(CORPUS, 'several-ports.wsdl'), 'utf8').replaceAll(
      'http://127.0.0.1/',
      `${base}/`,
    );
    const dir = tempDir('several-ports-live');
    const wsdl = path.join(dir, 'several-ports.wsdl');
    writeFileSync(wsdl, xml);
    await generate({ wsdl, out: path.join(dir, 'generated') });
    const services = {
      PortsService: {
        ReadPort: {
          Ping: (args: unknown) => {
            received.push({ op: 'Ping', args });
            return ping.output;
          },
        },
        WritePort: { Send: (args: unknown) => void received.push({ op: 'Send', args }) },
      },
    };
    for (const path_ of ['/read', '/write'])
      await new Promise<void>((resolve, reject) => {
        soap.listen(server, {
          path: path_,
          services,
          xml,
          oneWay: { responseCode: 202 },
          callback: (error: unknown) => (error ? reject(error) : resolve()),
        } as soap.IServerOptions);
      });
    const paths: string[] = [];
    server.prependListener('request', (req) => paths.push(req.url ?? ''));
    const module = (await import(path.join(dir, 'generated', 'client.ts'))) as Record<
      string,
      new (
        options: Record<string, unknown>,
      ) => GeneratedClient
    >;
    const Client = Object.entries(module).find(([key]) => key.endsWith('Client'))?.[1] as new (
      options: Record<string, unknown>,
    ) => GeneratedClient;
    const client = new Client({ useContractEndpoints: true });
    expect(await client.ping?.(ping.input)).toEqual(ping.output);
    await expect(client.send?.({ text: 'to the write port' })).resolves.toBeUndefined();
    expect(paths).toEqual(['/read', '/write']);
    expect(received).toEqual([
      { op: 'Ping', args: ping.input },
      { op: 'Send', args: { text: 'to the write port' } },
    ]);
  });
  // Not served by node-soap: same-name-inline (it fetches the xsd0 import location); abstract has no
  // binding and non-http no HTTP address.
});

describe('a malformed fault from a real socket', () => {
  it('SOAP 1.2 Code/Reason inside a 1.1 envelope: the reason is read', async () => {
    const server = createServer((_, res) => {
      res
        .writeHead(500, { 'content-type': 'text/xml' })
        .end(
          `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><s:Fault><s:Code><s:Value>s:Receiver</s:Value></s:Code><s:Reason><s:Text xml:lang="en">backend unavailable</s:Text></s:Reason></s:Fault></s:Body></s:Envelope>`,
        );
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const client = await clientOf('malformed-fault', {
      endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}/fault`,
    });
    const error = await client.ping?.({ text: 'x' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SoapFaultError);
    expect((error as SoapFaultError).reason).toBe('backend unavailable');
    expect((error as SoapFaultError).faultCode).toBe('s:Receiver');
  });
});
