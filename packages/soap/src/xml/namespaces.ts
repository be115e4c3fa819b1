/**
 * Namespace scopes that share structure: one prefix -> URI map for the whole document plus an
 * undo log, instead of a copy of every binding per element. Declaring, entering and leaving
 * cost O(1) per declaration and lookups O(1), however many prefixes are in scope; a document
 * where every element declares namespaces stays linear. The map is a Map, so prefixes named
 * like Object.prototype members (`constructor`, `__proto__`) are ordinary prefixes.
 */

import { intern } from './intern.js';

export const XML_NS = 'http://www.w3.org/XML/1998/namespace';
export const XMLNS_NS = 'http://www.w3.org/2000/xmlns/';
const MAX_INTERNED_URIS = 256;

/**
 * The namespace context handed to `XmlHandler.open`. It is live: it describes the current
 * position in the document (the element just opened, during `open`, and the element whose text
 * is being delivered, during `text`). Read it during the call; do not keep it for later.
 */
export interface XmlScope {
  /** The prefix the element just opened was written with ('' when unprefixed). */
  readonly prefix: string;
  /**
   * The URI bound to `prefix` at the current position; for '' the default namespace ('' when
   * none is declared); undefined for a prefix that is not bound.
   */
  lookup(prefix: string): string | undefined;
}

export class NamespaceScope implements XmlScope {
  prefix = '';
  /**
   * Current URI per prefix; undefined for a prefix no longer bound. Leaving a scope never
   * deletes a key: V8 Maps degrade badly under insert/delete churn (measured: 8 times the
   * prefixes, 40 times the time), while keys kept unbound cost one entry per distinct prefix.
   */
  readonly #uris = new Map<string, string | undefined>([['xml', XML_NS]]);
  #defaultNs = '';
  /** Undo log: each declaration's prefix and the URI it replaced (undefined: it was unbound). */
  readonly #undoPrefixes: string[] = [];
  readonly #undoUris: (string | undefined)[] = [];
  #version = 0;
  /** Declarations met so far (the first MAX_INTERNED_URIS get their URI internalized). */
  #interned = 0;
  /** Per open element, the undo log's length when it opened. */
  readonly #marks: number[] = [];

  /** Opens an element: its declarations follow, and `leave` undoes exactly them. */
  enter(): void {
    this.#marks.push(this.#undoPrefixes.length);
  }

  declare(prefix: string, rawUri: string): void {
    // Compared with the schema's namespaces on every element. Interning costs far more than a
    // declaration otherwise does: a document declaring on every element gets its URIs as written.
    const uri = this.#interned < MAX_INTERNED_URIS ? intern(rawUri) : rawUri;
    this.#interned++;
    this.#version++;
    this.#undoPrefixes.push(prefix);
    if (prefix === '') {
      this.#undoUris.push(this.#defaultNs);
      this.#defaultNs = uri;
      return;
    }
    this.#undoUris.push(this.#uris.get(prefix));
    this.#uris.set(prefix, uri);
  }

  leave(): void {
    const mark = this.#marks.pop() ?? 0;
    if (this.#undoPrefixes.length > mark) this.#version++;
    while (this.#undoPrefixes.length > mark) {
      const prefix = this.#undoPrefixes.pop() as string;
      const previous = this.#undoUris.pop();
      if (prefix === '') this.#defaultNs = previous ?? '';
      else this.#uris.set(prefix, previous);
    }
  }

  /** Changes whenever a binding does: a lookup remembered at the same version still holds. */
  get version(): number {
    return this.#version;
  }

  get defaultNs(): string {
    return this.#defaultNs;
  }

  lookup(prefix: string): string | undefined {
    return prefix === '' ? this.#defaultNs : this.#uris.get(prefix);
  }
}
