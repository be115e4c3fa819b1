/** A small mutable XML tree to derive hostile variants from valid documents. */
import { canonicalXml } from '@kz/soap/testing';

export interface Node {
  ns: string;
  local: string;
  attributes: { ns: string; local: string; value: string }[];
  text: string;
  children: Node[];
}

function split(expanded: string): { ns: string; local: string } {
  const close = expanded.indexOf('}');
  return { ns: expanded.slice(1, close), local: expanded.slice(close + 1) };
}

export function parseTree(xml: string): Node {
  const convert = (element: ReturnType<typeof canonicalXml>): Node => ({
    ...split(element.name),
    attributes: Object.entries(element.attributes).map(([name, value]) => ({ ...split(name), value })),
    text: element.text,
    children: element.children.map(convert),
  });
  return convert(canonicalXml(xml, { ignoreEmptySoapHeader: false }));
}

const escapeXml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const XSI = 'http://www.w3.org/2001/XMLSchema-instance';

/** xsi:type values are kept as {namespace}name (see canonicalXml): written back as QNames. */
function expandedTypeOf(attribute: Node['attributes'][number]): { ns: string; local: string } | undefined {
  if (attribute.ns !== XSI || attribute.local !== 'type' || !attribute.value.startsWith('{')) return undefined;
  return split(attribute.value);
}

/** Serializes with one prefix per namespace, all declared on the root. */
export function serialize(root: Node): string {
  const prefixes = new Map<string, string>();
  const collect = (node: Node) => {
    if (node.ns && !prefixes.has(node.ns)) prefixes.set(node.ns, `n${prefixes.size}`);
    for (const a of node.attributes) {
      if (a.ns && !prefixes.has(a.ns)) prefixes.set(a.ns, `n${prefixes.size}`);
      const type = expandedTypeOf(a);
      if (type?.ns && !prefixes.has(type.ns)) prefixes.set(type.ns, `n${prefixes.size}`);
    }
    node.children.forEach(collect);
  };
  collect(root);
  const qualify = (ns: string, local: string) => (ns ? `${prefixes.get(ns)}:${local}` : local);
  const write = (node: Node, isRoot: boolean): string => {
    const name = qualify(node.ns, node.local);
    let out = `<${name}`;
    if (isRoot) for (const [ns, prefix] of prefixes) out += ` xmlns:${prefix}="${escapeXml(ns)}"`;
    for (const a of node.attributes) {
      const type = expandedTypeOf(a);
      const value = type ? qualify(type.ns, type.local) : a.value;
      out += ` ${qualify(a.ns, a.local)}="${escapeXml(value)}"`;
    }
    return `${out}>${escapeXml(node.text)}${node.children.map((c) => write(c, false)).join('')}</${name}>`;
  };
  return write(root, true);
}

export function clone(node: Node): Node {
  return structuredClone(node);
}

/** Every node with its parent, depth-first. */
export function* walk(node: Node, parent?: Node): Generator<{ node: Node; parent: Node | undefined }> {
  yield { node, parent };
  for (const child of node.children) yield* walk(child, node);
}
