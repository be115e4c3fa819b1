/**
 * Every error of the family stays small whatever it is built from: the message, the stack and
 * every text field are cut with a visible marker, whoever sets them (the constructor, a
 * subclass, a caller assigning later).
 */
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  DecodeError,
  HttpError,
  KzError,
  MAX_ERROR_MESSAGE,
  MAX_ERROR_TEXT,
  SignatureError,
  SoapFaultError,
  TransportError,
  ValidationError,
} from '../src/index.js';

const HUGE = 10_000_000;
const huge = (c: string) => c.repeat(HUGE);
const context = { service: 'Svc', operation: huge('o') };

/** Every string reachable from the error's own properties (and the message and stack). */
function texts(error: Error): string[] {
  const out: string[] = [error.message, String(error.stack)];
  const walk = (value: unknown, depth: number): void => {
    if (typeof value === 'string') out.push(value);
    else if (value && typeof value === 'object' && depth < 6) for (const v of Object.values(value)) walk(v, depth + 1);
  };
  walk({ ...error }, 0);
  return out;
}

/** Whole error, printed or serialized: a few fields of at most MAX_ERROR_TEXT each. */
const PRINTED_LIMIT = 256 * 1024;

function expectBounded(error: Error, options: { list?: boolean } = {}): void {
  expect(error.message.length).toBeLessThanOrEqual(MAX_ERROR_MESSAGE);
  expect(error.message).toMatch(/…\[cut \d+ chars\]/);
  // The stack is the message plus the frames.
  for (const text of texts(error)) expect(text.length).toBeLessThanOrEqual(MAX_ERROR_TEXT + 2_000);
  expect(inspect(error, { depth: 8 }).length).toBeLessThan(PRINTED_LIMIT);
  // A list (ValidationError.issues) is as long as the input it describes; its texts are bounded.
  if (!options.list) expect(JSON.stringify(error).length).toBeLessThan(PRINTED_LIMIT);
}

describe('errors are bounded', () => {
  it('DecodeError from a 10-million-character value and path', () => {
    const error = new DecodeError(context, `not an integer: ${huge('9')}`, huge('a/'), { httpStatus: 200 });
    expectBounded(error);
    expect(error.path.length).toBeLessThanOrEqual(MAX_ERROR_TEXT);
    expect(error.path).toMatch(/^a\/a\/.*…\[cut \d+ chars\]$/);
  });

  it('the marker says how much was cut, and what is kept is the start of the text', () => {
    const error = new DecodeError({ service: 'S', operation: 'o' }, huge('x'));
    const [, count] = /…\[cut (\d+) chars\]/.exec(error.message) ?? [];
    const kept = error.message.slice(0, error.message.indexOf('…'));
    // "S.o: " + the kept x's + the cut ones = everything there was.
    expect(kept.length - 'S.o: '.length + Number(count)).toBe(HUGE);
  });

  it('HttpError with a 10-million-character excerpt', () => {
    const error = new HttpError(context, 502, huge('<'), huge('m'));
    expectBounded(error);
    expect(error.bodyExcerpt.length).toBeLessThanOrEqual(MAX_ERROR_TEXT);
  });

  it('SoapFaultError with a 10-million-character reason, code and detail', () => {
    const error = new SoapFaultError(
      context,
      { faultCode: huge('c'), faultSubcodes: [huge('s')], reason: huge('r'), detail: huge('d') },
      500,
    );
    expectBounded(error);
    expect(error.reason.length).toBeLessThanOrEqual(MAX_ERROR_TEXT);
    expect(error.detail?.length).toBeLessThanOrEqual(MAX_ERROR_TEXT);
    expect(error.faultCode.length).toBeLessThanOrEqual(MAX_ERROR_TEXT);
    expect(error.faultSubcodes[0]?.length).toBeLessThanOrEqual(MAX_ERROR_TEXT);
  });

  it('ValidationError with a 10-million-character field name and message, and many issues', () => {
    const issues = [
      { field: huge('f'), message: huge('m') },
      ...Array.from({ length: 20_000 }, (_, i) => ({ field: `items[${i}]`, message: 'required' })),
    ];
    const error = new ValidationError(context, issues);
    expectBounded(error, { list: true });
    expect(error.issues).toHaveLength(issues.length);
    expect(error.issues[0]?.field.length).toBeLessThanOrEqual(MAX_ERROR_TEXT);
  });

  it('TransportError, SignatureError and the base class', () => {
    expectBounded(new TransportError(context, 'TIMEOUT', huge('t'), { maybeDelivered: false }));
    expectBounded(new SignatureError(context, huge('s')));
    expectBounded(new KzError(context, 'CONFIG_ERROR', huge('k')));
  });

  it('a subclass field and a message assigned later are bounded too', () => {
    class ServiceError extends SoapFaultError {
      readonly description: string;
      constructor(fault: SoapFaultError, description: string) {
        super(fault, { faultCode: fault.faultCode, reason: fault.reason }, fault.httpStatus);
        this.description = description;
        this.message = `${fault.service}: ${description}`;
      }
    }
    const error = new ServiceError(new SoapFaultError(context, { faultCode: 'c', reason: 'r' }, 500), huge('d'));
    expectBounded(error);
    expect(error.description.length).toBeLessThanOrEqual(MAX_ERROR_TEXT);
    expect(error).toBeInstanceOf(ServiceError);
    expect(error).toBeInstanceOf(SoapFaultError);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('ServiceError');
    (error as unknown as { extra: string }).extra = huge('e');
    expect((error as unknown as { extra: string }).extra.length).toBeLessThanOrEqual(MAX_ERROR_TEXT);
  });

  it('short texts are kept exactly, and building a bounded error stays cheap', () => {
    const error = new SoapFaultError(
      { service: 'S', operation: 'o' },
      { faultCode: 'soap:Client', reason: 'bad', detail: '<d/>' },
      500,
    );
    expect(error).toMatchObject({ message: 'S.o: SOAP fault soap:Client: bad', reason: 'bad', detail: '<d/>' });
    const [x, y] = [huge('x'), huge('y')];
    new DecodeError(context, x, y); // the first use flattens the inputs: once, linear
    const started = performance.now();
    for (let i = 0; i < 100; i++) new DecodeError(context, x, y);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
