/**
 * Every sample response of every SOAP package decodes and re-encodes to the same XML tree; with
 * elements the schema does not know inserted (first and last child of elements that have known
 * children), it still does: unknown content is kept and written back in place, never dropped.
 */
import { SoapClient, SoapServiceCodec, type Transport } from '@kz/soap';
import { xmlDifference } from '@kz/soap/testing';
import { describe, expect, it } from 'vitest';
import { soapTargets } from '../src/targets.js';
import { clone, type Node, parseTree, serialize, walk } from '../src/tree.js';

const targets = await soapTargets();
const EXTRA = 'urn:kz:hostile:extra';
const OPTIONS = { ignoreBuiltinXsiType: true, integersByValue: true } as const;

const unknown = (n: number): Node => ({
  ns: EXTRA,
  local: `Extra${n}`,
  attributes: [{ ns: EXTRA, local: 'a', value: `v${n}` }],
  text: '',
  children: [{ ns: '', local: 'inner', attributes: [], text: `text ${n}`, children: [] }],
});

describe.each(targets)('$name', (target) => {
  const codec = new SoapServiceCodec(target.meta);

  async function reencode(exchange: (typeof target.exchanges)[number], response: string): Promise<string> {
    const transport: Transport = {
      send: async () => ({ status: 200, headers: { 'content-type': 'text/xml' }, body: Buffer.from(response) }),
    };
    const client = new SoapClient(target.meta, {
      endpoint: 'http://127.0.0.1:9/',
      soapVersion: exchange.version,
      transport,
    });
    const value = await client.invoke(exchange.operation, exchange.input);
    return codec.encodeResponse(target.meta.operations[exchange.operation]!, value, exchange.version);
  }

  it('sample responses, as they are and with unknown elements inserted, round-trip as trees', async () => {
    let inserted = 0;
    for (const exchange of target.exchanges) {
      expect(xmlDifference(await reencode(exchange, exchange.response), exchange.response, OPTIONS)).toBeUndefined();
      const tree = parseTree(exchange.response);
      const payload = tree.children.find((c) => c.local === 'Body')?.children[0];
      if (!payload) continue;
      const copy = clone(tree);
      const nodes = [...walk(copy)].map((w) => w.node);
      const original = [...walk(tree)].map((w) => w.node);
      // The payload and up to three elements below it that have element children.
      const targetsIn = original
        .filter(
          (node) => node === payload || (node.children.length > 0 && [...walk(payload)].some((w) => w.node === node)),
        )
        .slice(0, 4);
      for (const node of targetsIn) {
        const at = nodes[original.indexOf(node)] as Node;
        at.children.unshift(unknown(inserted++));
        at.children.push(unknown(inserted++));
      }
      const mutated = serialize(copy);
      const difference = xmlDifference(await reencode(exchange, mutated), mutated, OPTIONS);
      expect(difference, `${exchange.operation}`).toBeUndefined();
    }
    expect(inserted).toBeGreaterThan(0);
  });
});
