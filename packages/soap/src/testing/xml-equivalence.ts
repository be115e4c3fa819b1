/**
 * Parsed-XML equivalence for protocol tests: two documents are equivalent when their element
 * trees match by namespace URI and local name, attributes (namespace declarations aside) and
 * trimmed text, whatever prefixes, quoting or indentation each uses.
 */
import { parseXmlSync } from '../xml/reader.js';

/** An element reduced to what equivalence compares; names are `{namespace URI}local`. */
export interface CanonicalElement {
  /** `{namespace URI}local name`, whatever prefix the document used. */
  name: string;
  /** Attributes by `{namespace URI}local` (namespace declarations left out); xsi:type values as `{URI}name`. */
  attributes: Record<string, string>;
  /** The element's text, trimmed ('' with `ignoreTextBesideElements` when it has children). */
  text: string;
  /** Child elements in document order. */
  children: CanonicalElement[];
}

/** What xmlDifference and canonicalXml treat as the same. */
export interface EquivalenceOptions {
  /** Drop an empty SOAP Header: `<soap:Header/>` and no Header say the same. Default true. */
  ignoreEmptySoapHeader?: boolean;
  /** Drop xsi:type attributes that name an XML Schema built-in type (they restate the declared type). */
  ignoreBuiltinXsiType?: boolean;
  /** Treat integer texts with the same value as equal ("03" and "3"). For xs:int samples only. */
  integersByValue?: boolean;
  /**
   * Ignore text beside child elements: the annotations some documents print after values
   * (`<AccountId>5555</AccountId> - целое`), which are documentation, not data.
   */
  ignoreTextBesideElements?: boolean;
}

const XSI = 'http://www.w3.org/2001/XMLSchema-instance';
const XSD = 'http://www.w3.org/2001/XMLSchema';
const SOAP_NS = new Set(['http://schemas.xmlsoap.org/soap/envelope/', 'http://www.w3.org/2003/05/soap-envelope']);

/**
 * The document's root element as a CanonicalElement tree (prefixes, quoting and indentation gone).
 * Throws XmlSyntaxError for a document that is not well-formed.
 */
export function canonicalXml(xml: string, options: EquivalenceOptions = {}): CanonicalElement {
  const stack: CanonicalElement[] = [];
  let root: CanonicalElement | undefined;
  parseXmlSync(xml, {
    open(ns, local, attributes, scope) {
      const canonical: Record<string, string> = Object.create(null);
      for (const a of Object.values(attributes)) {
        if (a.prefix === 'xmlns' || a.name === 'xmlns') continue;
        if (options.ignoreBuiltinXsiType && a.uri === XSI && a.local === 'type') {
          const [prefix, name] = a.value.includes(':') ? a.value.split(':') : ['', a.value];
          if (scope.lookup(prefix as string) === XSD && name) continue;
        }
        // xsi:type holds a QName: compare it by namespace, not by the prefix each side chose.
        const value =
          a.uri === XSI && a.local === 'type' && a.value.includes(':')
            ? `{${scope.lookup(a.value.slice(0, a.value.indexOf(':'))) ?? ''}}${a.value.slice(a.value.indexOf(':') + 1)}`
            : a.value;
        canonical[`{${a.uri}}${a.local}`] = value;
      }
      const element: CanonicalElement = { name: `{${ns}}${local}`, attributes: canonical, text: '', children: [] };
      stack[stack.length - 1]?.children.push(element);
      root ??= element;
      stack.push(element);
    },
    text(text) {
      const top = stack[stack.length - 1];
      if (top) top.text += text;
    },
    close() {
      const element = stack.pop() as CanonicalElement;
      element.text = options.ignoreTextBesideElements && element.children.length > 0 ? '' : element.text.trim();
      if (options.ignoreEmptySoapHeader !== false) {
        element.children = element.children.filter(
          (c) => !(c.children.length === 0 && c.text === '' && [...SOAP_NS].some((ns) => c.name === `{${ns}}Header`)),
        );
      }
    },
  });
  if (!root) throw new Error('empty document');
  return root;
}

/** Returns undefined when equivalent, else the path and nature of the first difference. */
export function xmlDifference(actual: string, expected: string, options: EquivalenceOptions = {}): string | undefined {
  return diff(canonicalXml(actual, options), canonicalXml(expected, options), '', options);
}

const INTEGER = /^[+-]?\d+$/;

function sameText(a: string, b: string, options: EquivalenceOptions): boolean {
  if (a === b) return true;
  return options.integersByValue === true && INTEGER.test(a) && INTEGER.test(b) && BigInt(a) === BigInt(b);
}

function diff(a: CanonicalElement, b: CanonicalElement, path: string, options: EquivalenceOptions): string | undefined {
  const here = `${path}/${b.name.replace(/^\{[^}]*\}/, '')}`;
  if (a.name !== b.name) return `${here}: element ${a.name} instead of ${b.name}`;
  const keys = new Set([...Object.keys(a.attributes), ...Object.keys(b.attributes)]);
  for (const key of keys) {
    if (a.attributes[key] !== b.attributes[key])
      return `${here}@${key}: ${a.attributes[key]} instead of ${b.attributes[key]}`;
  }
  if (!sameText(a.text, b.text, options))
    return `${here}: text ${JSON.stringify(a.text)} instead of ${JSON.stringify(b.text)}`;
  for (let i = 0; i < Math.max(a.children.length, b.children.length); i++) {
    const ca = a.children[i];
    const cb = b.children[i];
    if (!ca) return `${here}: missing ${cb?.name}`;
    if (!cb) return `${here}: unexpected ${ca.name}`;
    const d = diff(ca, cb, here, options);
    if (d) return d;
  }
  return undefined;
}
