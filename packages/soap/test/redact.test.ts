/**
 * Redaction finds a secret in every form it takes on the wire (raw, XML-escaped once or more,
 * numeric character references, JSON-escaped, percent- and form-encoded, base64 alone or inside a
 * longer base64 text such as HTTP Basic), before any cut, in time linear in the text.
 */
import { describe, expect, it } from 'vitest';
import { credentialSecrets, REDACTED, redact, redactHeaders } from '../src/index.js';

const SECRET = `Pa$$ w0rd&<>"'%+-секрет-😀7`;

const xml1 = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const xmlFull = (s: string) => xml1(s).replace(/"/g, '&quot;').replace(/'/g, '&apos;');
const xmlHtml = (s: string) => xml1(s).replace(/"/g, '&#34;').replace(/'/g, '&#39;');
const xmlAscii = (s: string) =>
  [...xmlFull(s)].map((c) => ((c.codePointAt(0) as number) > 127 ? `&#${c.codePointAt(0)};` : c)).join('');
const xmlHex = (s: string) =>
  [...xml1(s)].map((c) => ((c.codePointAt(0) as number) > 127 ? `&#x${c.codePointAt(0)?.toString(16)};` : c)).join('');
const times = (n: number, f: (s: string) => string) => (s: string) => {
  let out = s;
  for (let i = 0; i < n; i++) out = f(out);
  return out;
};
const jsonAscii = (s: string) =>
  JSON.stringify(s)
    .slice(1, -1)
    .replace(/[\u007f-\uffff<>&']/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
const b64 = (s: string) => Buffer.from(s).toString('base64');

const FORMS: Record<string, (s: string) => string> = {
  raw: (s) => s,
  'XML-escaped once': xml1,
  'XML-escaped twice': times(2, xml1),
  'XML-escaped three times': times(3, xml1),
  'XML-escaped four times, quotes too': times(4, xmlFull),
  'HTML-style numeric quotes': xmlHtml,
  'numeric references for non-ASCII, then escaped again': (s) => xml1(xmlAscii(s)),
  'hex references': xmlHex,
  'JSON string': (s) => JSON.stringify(s).slice(1, -1),
  'JSON with \\u escapes': jsonAscii,
  'JSON then XML-escaped twice': (s) => times(2, xml1)(JSON.stringify(s).slice(1, -1)),
  'percent-encoded': encodeURIComponent,
  'percent-encoded, lower-case hex': (s) => encodeURIComponent(s).replace(/%[0-9A-F]{2}/g, (h) => h.toLowerCase()),
  'form-encoded': (s) => new URLSearchParams({ a: s }).toString().slice(2),
  'percent-encoded then XML-escaped': (s) => xml1(encodeURIComponent(s)),
  'percent-encoded twice': (s) => encodeURIComponent(encodeURIComponent(s)),
  'JSON, then JSON again (a request quoted in an error message)': (s) =>
    JSON.stringify(JSON.stringify(s).slice(1, -1)).slice(1, -1),
  'JSON, then percent-encoded': (s) => encodeURIComponent(JSON.stringify(s).slice(1, -1)),
  'JSON with \\u escapes, then percent-encoded': (s) => encodeURIComponent(jsonAscii(s)),
  base64: b64,
  base64url: (s) => Buffer.from(s).toString('base64url'),
  'HTTP Basic (base64 of user:password)': (s) => `Basic ${b64(`user:${s}`)}`,
  'base64 of longer text, offset 1': (s) => b64(`x${s}tail`),
  'base64 of longer text, offset 2': (s) => b64(`xy${s}tail`),
  'base64 of the XML-escaped secret': (s) => b64(xml1(s)),
};

const BASE64 = /base64|Basic/;

/**
 * What is left of `<a>before FORM after</a>` once redacted: exactly *** for textual forms; for a
 * secret inside a longer base64 text, at most a few characters of the neighbouring encoding on
 * each side (one base64 character carries 6 bits, so the secret's edge bytes may share one).
 */
function expectRedacted(out: string, name: string): void {
  expect(out.startsWith('<a>before ')).toBe(true);
  expect(out.endsWith(' after</a>')).toBe(true);
  const residue = out.slice('<a>before '.length, -' after</a>'.length);
  if (BASE64.test(name)) expect(residue).toMatch(/^(Basic )?[\w+/=-]{0,10}\*\*\*[\w+/=-]{0,10}$/);
  else expect(residue).toBe(REDACTED);
}

describe('every encoding of a secret is redacted', () => {
  it.each(Object.entries(FORMS))('%s', (name, encode) => {
    const out = redact(`<a>before ${encode(SECRET)} after</a>`, [SECRET]);
    expect(out).not.toContain(encode(SECRET));
    expectRedacted(out, name);
  });

  it('each secret of several, and overlapping occurrences as one', () => {
    expect(redact('a:abab;b:ababab;c:x1y2', ['abab', 'x1y2'])).toBe('a:***;b:***;c:***');
  });

  it('JSON quoted inside JSON at any depth (an echo of an echo)', () => {
    const token = `opaque+T0k/en=&<>"'%x\\y`;
    let text = JSON.stringify({ authorization: `Bearer ${token}` });
    for (let depth = 1; depth <= 5; depth++) {
      text = JSON.stringify({ echo: text });
      const out = redact(text, [token]);
      expect(out, `depth ${depth}`).not.toContain('opaque');
      expect(out).toContain('Bearer ***');
    }
  });

  it('leaves text without secrets as it is', () => {
    const text = '<r>&amp;lt; %41 \\u0041 QUJD</r>';
    expect(redact(text, [SECRET])).toBe(text);
    expect(redact(text, [])).toBe(text);
    expect(redact(text, [''])).toBe(text);
  });
});

describe('redaction runs before the cut', () => {
  /** The excerpt is the start of the fully redacted text, then the marker: nothing else. */
  function expectCutAfterRedaction(text: string, secrets: string[], max: number): string {
    const out = redact(text, secrets, max);
    const [kept, marker] = out.split('…[cut ');
    expect(marker).toMatch(/^\d+ chars\]$/);
    // A *** that starts before the limit is kept whole.
    expect((kept as string).length).toBeLessThanOrEqual(max + REDACTED.length - 1);
    expect(redact(text, secrets).startsWith(kept as string)).toBe(true);
    return kept as string;
  }

  it('a secret across the cut point leaves no part of itself', () => {
    for (let before = 40; before <= 100; before += 3) {
      for (const encode of Object.values(FORMS)) {
        const kept = expectCutAfterRedaction(`${'x'.repeat(before)}${encode(SECRET)}${'y'.repeat(500)}`, [SECRET], 100);
        expect(kept.replace(/^x*/, '')).toMatch(/^((Basic )?[\w+/=-]{0,10}(\*\*\*[\w+/=-]{0,10}y*)?)?$/);
      }
    }
  });

  it('even after long runs of redacted occurrences before it', () => {
    const text = `${'abab'.repeat(10_000)}!${'x'.repeat(90)}${xml1(SECRET)}${'y'.repeat(200)}`;
    const kept = expectCutAfterRedaction(text, ['abab', SECRET], 100);
    expect(kept).toMatch(/^\*\*\*!x{90}(\*\*\*y*)?$/);
  });

  it('a short text is not marked', () => {
    expect(redact(`a ${SECRET} b`, [SECRET], 100)).toBe('a *** b');
  });
});

describe('credentials handed over in headers', () => {
  it('Basic, Bearer, cookies and token-like header names become secrets', () => {
    const secrets = credentialSecrets({
      Authorization: `Basic ${b64('bank-user:s3cr&t<pw')}`,
      'proxy-authorization': 'Bearer eyJhbGci.abc.def',
      'X-Api-Key': 'k-123456',
      'x-auth-token': 'tok-98765',
      cookie: 'a=1; sid=SESSION42',
      'content-type': 'text/xml',
      'x-request-source': 'bank',
    });
    expect(secrets).toEqual(
      expect.arrayContaining([
        's3cr&t<pw',
        'bank-user:s3cr&t<pw',
        'eyJhbGci.abc.def',
        'k-123456',
        'tok-98765',
        'SESSION42',
      ]),
    );
    expect(secrets).not.toContain('text/xml');
    expect(secrets).not.toContain('bank');
  });

  it('credential headers are masked whole in hook payloads', () => {
    expect(
      redactHeaders({ 'x-api-key': 'k-123456', authorization: 'Basic x', accept: 'text/xml', 'x-echo': 'k-123456' }, [
        'k-123456',
      ]),
    ).toEqual({ 'x-api-key': REDACTED, authorization: REDACTED, accept: 'text/xml', 'x-echo': REDACTED });
  });
});

describe('cost', () => {
  /** The fastest of five runs: the least disturbed by other work on a shared machine. */
  const time = (text: string, secrets: string[]): number => {
    const runs: number[] = [];
    for (let i = 0; i < 5; i++) {
      const started = performance.now();
      redact(text, secrets);
      runs.push(performance.now() - started);
    }
    return Math.min(...runs);
  };

  it('is linear in the text, also for text made of near-misses of the secret', () => {
    const secrets = [SECRET, 'another-secret-value'];
    const shapes: ((n: number) => string)[] = [
      (n) => 'Pa$$ w0rd&amp;amp;'.repeat(n),
      (n) => `&${'amp;'.repeat(n)}`,
      (n) => `&#${'0'.repeat(4 * n)}`,
      (n) => `\\${'\\'.repeat(n)}`,
      (n) => 'abc &lt;d&gt; '.repeat(n),
    ];
    // n and 8n both larger than the CPU caches; linear gives about 8 (up to ~14 measured with
    // cache effects), quadratic 64.
    for (const shape of shapes) {
      const n = 100_000;
      const small = time(shape(n), secrets);
      const large = time(shape(8 * n), secrets);
      expect(large / Math.max(small, 1)).toBeLessThan(30);
    }
  });

  it('an excerpt of a huge text costs the excerpt, not the text', () => {
    // Built flat (a concatenation would be flattened, once, by the first slice).
    const text = Buffer.alloc(32 * 1024 * 1024, 'y')
      .fill('x', 0, 1000)
      .toString('latin1');
    const started = performance.now();
    for (let i = 0; i < 50; i++) redact(text, [SECRET], 512);
    expect(performance.now() - started).toBeLessThan(500);
  });
});
