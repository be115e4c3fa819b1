/**
 * specs/esf/SessionService.wsdl against the operator's published contract
 * (reference-contracts/esf-sdk/SessionService.wsdl, copied to test/reference/): kz-codegen run on
 * each produces clients whose wire shapes agree. Both generated clients encode the same inputs
 * (parsed-XML equivalence), decode the same responses, and the metadata differs only by the
 * optional businessProfileType the seed adds (see the FIX comment in the spec).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { generate } from '@kz/codegen';
import {
  type ComplexTypeMeta,
  type FullComplexTypeMeta,
  type ServiceMeta,
  SoapClient,
  SoapServiceCodec,
  type TypeMeta,
  usernameToken,
  withMetaDefaults,
} from '@kz/soap';
import { xmlDifference } from '@kz/soap/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceMeta as specMeta } from '../src/generated/schema.js';
import { fixture, fixtureNames, operationOf, ReplayTransport } from './fixture-support.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const REFERENCE = path.join(here, 'reference', 'SessionService.wsdl');
const SPEC = path.join(here, '..', '..', '..', 'specs', 'esf', 'SessionService.wsdl');

let dir: string;
let referenceMeta: ServiceMeta;
let regeneratedSpecMeta: ServiceMeta;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'kz-esf-wire-'));
  await generate({ wsdl: REFERENCE, out: path.join(dir, 'reference') });
  await generate({ wsdl: SPEC, out: path.join(dir, 'spec') });
  referenceMeta = (await import(pathToFileURL(path.join(dir, 'reference', 'schema.ts')).href)).serviceMeta;
  regeneratedSpecMeta = (await import(pathToFileURL(path.join(dir, 'spec', 'schema.ts')).href)).serviceMeta;
}, 120_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const TOKEN = { username: '123456789011', password: 'TestPass123', tokenId: 'UsernameToken-1' };
const CERT = 'MIIB\nAAAA';

async function sent(meta: ServiceMeta, operation: string, input: unknown): Promise<string> {
  const response = fixture(`${operation}.response.xml`);
  const transport = new ReplayTransport(response);
  const client = new SoapClient(meta, { endpoint: 'http://127.0.0.1:9/x', transport, security: usernameToken(TOKEN) });
  await client.invoke(operation, input);
  return transport.sentXml();
}

/** Inputs for every operation, with and without the optional fields both contracts declare. */
const INPUTS: [string, unknown][] = [
  ['createSession', { tin: '123456789021', x509Certificate: CERT }],
  [
    'createSession',
    { tin: '123456789021', projectCode: '21374509837942784', x509Certificate: CERT, sourceType: 'OTHER' },
  ],
  ['closeSession', { sessionId: 's-1' }],
  ['closeSessionByCredentials', { tin: '123456789021', x509Certificate: CERT }],
  ['closeSessionByCredentials', { tin: '123456789021', projectCode: '7', x509Certificate: CERT }],
  ['currentSessionStatus', { sessionId: 's-1' }],
  ['currentUser', { sessionId: 's-1' }],
  ['currentUserProfiles', { sessionId: 's-1' }],
];

/** The spec's metadata with the seed-only businessProfileType request elements taken out. */
function withoutSeedAdditions(meta: ServiceMeta): Record<string, TypeMeta> {
  const types: Record<string, TypeMeta> = {};
  for (const [name, type] of Object.entries(meta.types)) {
    const isRequest = name === 'CreateSessionRequest' || name === 'CloseSessionByCredentialsRequest';
    types[name] =
      isRequest && type.kind === 'complex'
        ? ({
            ...type,
            elements: type.elements.filter((e) => e.name !== 'businessProfileType'),
          } satisfies ComplexTypeMeta)
        : type;
  }
  return types;
}

/** Enumerations out of the way (compared separately: the seed's value sets may be larger). */
function withoutEnums(types: Readonly<Record<string, TypeMeta>>): Record<string, TypeMeta> {
  return Object.fromEntries(
    Object.entries(types).map(([name, type]) => [name, type.kind === 'simple' ? { ...type, enum: [] } : type]),
  );
}

describe('kz-codegen on specs/esf and on the reference SessionService', () => {
  it('the package is generated from the spec (same metadata as a fresh run)', () => {
    expect(regeneratedSpecMeta).toEqual(specMeta);
  });

  it('declare the same operations, elements, namespace and soapAction', () => {
    const shape = (meta: ServiceMeta) =>
      Object.fromEntries(
        Object.values(meta.operations).map((o) => [o.name, { input: o.input, output: o.output, action: o.soapAction }]),
      );
    const { createSessionSigned, ...published } = shape(specMeta);
    expect(published).toEqual(shape(referenceMeta));
    expect(Object.keys(published)).toHaveLength(6);
    // The one operation the reference lacks (reconstructed from FACTS.md §2, see the spec):
    expect(createSessionSigned).toEqual({
      input: { name: 'createSessionSignedRequest', ns: 'esf', type: 'CreateSessionSignedRequest' },
      output: { name: 'createSessionResponse', ns: 'esf', type: 'CreateSessionResponse' },
      action: '',
    });
    expect(specMeta.soapVersions).toEqual(referenceMeta.soapVersions);
    expect(specMeta.soapVersions).toEqual(['1.1']);
    for (const op of Object.values(specMeta.operations)) {
      expect(op.input.ns).toBe('esf');
      expect(op.soapAction).toBe('');
    }
  });

  it('have the same types, except the optional businessProfileType the seed adds to two requests and createSessionSigned', () => {
    const { CreateSessionSignedRequest: _reconstructed, ...published } = withoutSeedAdditions(specMeta);
    expect(withoutEnums(published)).toEqual(withoutEnums(referenceMeta.types));
    const added = (name: string) =>
      (withMetaDefaults(specMeta.types[name] as ComplexTypeMeta) as FullComplexTypeMeta).elements.filter(
        (e) => !(referenceMeta.types[name] as ComplexTypeMeta).elements.some((r) => r.name === e.name),
      );
    for (const name of ['CreateSessionRequest', 'CloseSessionByCredentialsRequest']) {
      expect(added(name)).toEqual([
        {
          prop: 'businessProfileType',
          name: 'businessProfileType',
          ns: '',
          type: 'BusinessProfileType',
          min: 0,
          max: 1,
        },
      ]);
    }
  });

  it('every enumeration keeps all the reference values (the seed adds BusinessProfileType values only)', () => {
    const extra: Record<string, string[]> = {};
    for (const [name, type] of Object.entries(referenceMeta.types)) {
      if (type.kind !== 'simple') continue;
      const ours = specMeta.types[name];
      if (ours?.kind !== 'simple') throw new Error(`${name} is missing`);
      expect(ours.enum, name).toEqual(expect.arrayContaining([...(type.enum ?? [])]));
      const added = (ours.enum ?? []).filter((v) => !type.enum?.includes(v));
      if (added.length > 0) extra[name] = added;
    }
    expect(extra).toEqual({
      BusinessProfileType: [
        'LAWYER',
        'BAILIFF',
        'MEDIATOR',
        'NOTARY',
        'LAWYER_USER',
        'BAILIFF_USER',
        'MEDIATOR_USER',
        'NOTARY_USER',
      ],
    });
  });

  it.each(INPUTS)('%s: both clients send the same XML for %j', async (operation, input) => {
    const ours = await sent(specMeta, operation, input);
    const theirs = await sent(referenceMeta, operation, input);
    expect(xmlDifference(ours, theirs)).toBeUndefined();
  });

  it('both clients send the seed samples the same way', async () => {
    const codec = new SoapServiceCodec(specMeta);
    for (const file of fixtureNames('request')) {
      const decoded = await codec.decodeRequest(fixture(file));
      const operation = operationOf(file);
      expect(
        xmlDifference(
          await sent(specMeta, operation, decoded.input),
          await sent(referenceMeta, operation, decoded.input),
        ),
      ).toBeUndefined();
    }
  });

  it('both clients decode every response sample to the same value', async () => {
    for (const file of fixtureNames('response')) {
      const operation = operationOf(file);
      const input = INPUTS.find(([op]) => op === operation)?.[1];
      const decode = async (meta: ServiceMeta) =>
        new SoapClient(meta, {
          endpoint: 'http://127.0.0.1:9/x',
          transport: new ReplayTransport(fixture(file)),
        }).invoke(operation, input);
      expect(await decode(specMeta), file).toEqual(await decode(referenceMeta));
    }
  });

  it('the difference is visible: a request with businessProfileType is refused by the reference client', async () => {
    const input = { tin: '123456789021', businessProfileType: 'ENTREPRENEUR', x509Certificate: CERT };
    expect(await sent(specMeta, 'createSession', input)).toContain(
      '<businessProfileType>ENTREPRENEUR</businessProfileType>',
    );
    await expect(sent(referenceMeta, 'createSession', input)).rejects.toThrow(/businessProfileType/);
  });
});
