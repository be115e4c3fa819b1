/**
 * Property: random valid values of every operation's request and response types survive
 * encode -> decode unchanged, through the same code paths a client and a service use.
 */
import { SoapClient, SoapServiceCodec, type Transport } from '@kz/soap';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arbitraryOf } from '../src/arbitrary.js';
import { soapTargets } from '../src/targets.js';

const targets = await soapTargets();

describe.each(targets)('$name: encode -> decode is the identity', (target) => {
  const codec = new SoapServiceCodec(target.meta);
  const operations = Object.values(target.meta.operations);

  it.each(operations.map((op) => [op.name, op] as const))('%s request and response', async (_name, operation) => {
    let received: unknown;
    let answer: unknown;
    const transport: Transport = {
      async send(request) {
        received = (await codec.decodeRequest(Buffer.from(request.body ?? ''))).input;
        const body = codec.encodeResponse(operation, answer, '1.1');
        return { status: 200, headers: { 'content-type': 'text/xml' }, body: Buffer.from(body) };
      },
    };
    const client = new SoapClient(target.meta, { endpoint: 'http://127.0.0.1:9/', transport });
    const input = arbitraryOf(target.meta, operation.input.type);
    const output = operation.output ? arbitraryOf(target.meta, operation.output.type) : fc.constant(undefined);
    await fc.assert(
      fc.asyncProperty(input, output, async (request, response) => {
        answer = response;
        const decoded = await client.invoke(operation.name, request);
        expect(received).toEqual(request);
        expect(decoded).toEqual(response);
      }),
      { numRuns: 40, seed: 20261123 },
    );
  });
});
