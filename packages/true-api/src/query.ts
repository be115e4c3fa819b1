/**
 * Query strings as the seed's escaping section asks (RFC 3986): every character outside the
 * unreserved set is percent-encoded, so codes with `"`, `%`, `&`, `+`, `<`, `(`, `)` reach the
 * server intact (`+` as %2B, never a space). Arrays repeat the name (style form, explode).
 */
import { ValidationError } from '@kz/soap';
import { SERVICE } from './errors.js';

/**
 * Percent-encodes `value` for a query string per RFC 3986: everything outside the unreserved set, including
 * `!'()*` (which encodeURIComponent leaves), so a marking code reaches the server intact (`+` as %2B).
 */
export function encodeRfc3986(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** The query string of `query`; a nested object is a ValidationError naming its parameter. */
export function serializeQuery(query: Record<string, unknown>): string {
  const parts: string[] = [];
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    const values = Array.isArray(value) ? value : [value];
    for (const item of values) {
      if (item === undefined || item === null) continue;
      if (typeof item === 'object') {
        throw new ValidationError({ service: SERVICE, operation: 'query' }, [
          { field: name, message: 'nested objects are not supported in a query parameter' },
        ]);
      }
      parts.push(`${encodeRfc3986(name)}=${encodeRfc3986(String(item))}`);
    }
  }
  return parts.join('&');
}
