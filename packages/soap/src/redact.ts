/** Removes secret values from text bound for logs, hooks and error messages. */
import { escapeAttribute, escapeText } from './xml/escape.js';

export const REDACTED = '***';

const SECRET_HEADERS = new Set(['authorization', 'cookie', 'set-cookie', 'proxy-authorization']);

/** Replaces every occurrence of each secret (raw, XML-escaped and base64) with ***. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (!secret) continue;
    for (const form of new Set([
      secret,
      escapeText(secret),
      escapeAttribute(secret),
      Buffer.from(secret).toString('base64'),
    ])) {
      out = out.split(form).join(REDACTED);
    }
  }
  return out;
}

/** Copies headers with credentials replaced by ***. */
export function redactHeaders(
  headers: Readonly<Record<string, string | string[] | undefined>>,
  secrets: readonly string[],
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const text = Array.isArray(value) ? value.join(', ') : value;
    out[name] = SECRET_HEADERS.has(name.toLowerCase()) ? REDACTED : redact(text, secrets);
  }
  return out;
}
