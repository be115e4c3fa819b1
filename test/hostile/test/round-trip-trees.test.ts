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

type Meta = (typeof targets)[number]['meta'];

/**
 * Names read as others (`kz:alsoAccept`: e.g. the seed's <GetInvoicesByAccountsResultNew>) are
 * written back under the spec's own name, by decision. The comparison applies the same renaming,
 * walking the sample along the schema so that an alias only counts where the schema allows it.
 */
function canonicalNames(xml: string, meta: Meta): string {
  const tree = parseTree(xml);
  const body = tree.children.find((c) => c.local === 'Body');
  const payload = body?.children[0];
  const operation = Object.values(meta.operations).find(
    (op) => op.output && (op.output.name === payload?.local || op.output.aliases?.includes(payload?.local ?? '')),
  );
  if (!payload || !operation?.output) return xml;
  payload.local = operation.output.name;
  const rename = (node: Node, typeName: string) => {
    const type = meta.types[typeName];
    if (type?.kind !== 'complex') return;
    for (const child of node.children) {
      const element = type.elements.find((e) => e.name === child.local || e.aliases?.includes(child.local));
      if (!element) continue;
      child.local = element.name;
      if (!element.item) {
        rename(child, element.type);
        continue;
      }
      for (const item of child.children) {
        if (item.local !== element.item.name && !element.item.aliases?.includes(item.local)) continue;
        item.local = element.item.name;
        rename(item, element.type);
      }
    }
  };
  rename(payload, operation.output.type);
  return serialize(tree);
}

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
      expect(
        xmlDifference(
          await reencode(exchange, exchange.response),
          canonicalNames(exchange.response, target.meta),
          OPTIONS,
        ),
      ).toBeUndefined();
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
      const difference = xmlDifference(
        await reencode(exchange, mutated),
        canonicalNames(mutated, target.meta),
        OPTIONS,
      );
      expect(difference, `${exchange.operation}`).toBeUndefined();
    }
    expect(inserted).toBeGreaterThan(0);
  });
});
