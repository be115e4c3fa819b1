/**
 * Reading a response body safely: never more than the response cap (counted while the body
 * streams, so a 100 MB body is refused at the cap, not after it arrived), gzip and deflate
 * decoded within the same cap, text only if it is valid UTF-8, JSON only if it parses. Failures
 * are `BodyFailure`s; the REST codec policy (rest-codec.ts) and the fetch transport, which know
 * the call, turn them into the error family (RESPONSE_TOO_LARGE, DECODE_ERROR).
 */
import { promisify } from 'node:util';
import { gunzip, inflate, inflateRaw } from 'node:zlib';

export class BodyFailure extends Error {
  constructor(
    readonly kind: 'too-large' | 'undecodable',
    message: string,
  ) {
    super(message);
  }
}

const unzip = { gzip: promisify(gunzip), inflate: promisify(inflate), inflateRaw: promisify(inflateRaw) };

/** The body's bytes, at most `maxBytes`; a body stream that fails (a fetch's own gzip decoding) is undecodable. */
export async function readCapped(response: Response, maxBytes: number): Promise<Uint8Array> {
  const reader = response.body?.getReader();
  if (!reader) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const next = await reader.read().catch(() => {
      throw new BodyFailure(
        'undecodable',
        'the response body could not be read (corrupt compression or a cut connection)',
      );
    });
    if (next.done) break;
    size += next.value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw new BodyFailure('too-large', `response exceeds ${maxBytes} bytes`);
    }
    chunks.push(next.value);
  }
  return Buffer.concat(chunks, size);
}

/**
 * Undoes a gzip or deflate Content-Encoding (deflate as zlib, or raw as some servers send it),
 * producing at most `maxBytes`. Other encodings and none: the bytes as they are.
 */
export async function decodeContent(body: Buffer, encoding: string, maxBytes: number): Promise<Buffer> {
  const name = encoding.trim().toLowerCase();
  if (name === '' || name === 'identity') return body;
  const options = { maxOutputLength: maxBytes };
  try {
    if (name === 'gzip' || name === 'x-gzip') return await unzip.gzip(body, options);
    if (name === 'deflate') {
      return await unzip.inflate(body, options).catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ERR_BUFFER_TOO_LARGE') throw error;
        return unzip.inflateRaw(body, options);
      });
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new BodyFailure('too-large', `response exceeds ${maxBytes} bytes once decompressed`);
    }
    throw new BodyFailure('undecodable', `corrupt ${name} content`);
  }
  throw new BodyFailure('undecodable', `unsupported content encoding ${name}`);
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** UTF-8 text, refusing invalid sequences (replacing them would change data without a trace). */
export function utf8Text(bytes: Uint8Array): string {
  try {
    return utf8.decode(bytes);
  } catch {
    throw new BodyFailure('undecodable', 'the response is not valid UTF-8');
  }
}
