/**
 * Decoding cost is linear in the input for every adversarial shape (test/adversarial.ts):
 * the time at 8n over the time at n stays near 8. Times are CPU times of this process
 * (test/timing.ts); each side is the minimum of several runs (noise only ever adds time), and a
 * shape gets three attempts, so a linear decoder passes with a wide margin while a quadratic
 * one (about 64) fails every time.
 *
 * KZ_COMPLEXITY_KIB sets the size of the n document (default 160 KiB; 8n is then 1.25 MiB).
 */
import { describe, expect, it } from 'vitest';
import { TypeRegistry } from '../src/codec/compiled.js';
import { SchemaViolation } from '../src/codec/decode.js';
import { EnvelopeDecoder } from '../src/envelope.js';
import { parseXml, XmlParseInterrupted, XmlSyntaxError } from '../src/index.js';
import { adversarialMeta, responseEnvelope, type Shape, shapes, sizeFor } from './adversarial.js';
import { cpuMs } from './timing.js';

const BASE_BYTES = Number(process.env.KZ_COMPLEXITY_KIB ?? 160) * 1024;
const RUNS = 5;
const ATTEMPTS = 3;
/** Linear gives about 8; quadratic about 64. */
const MAX_RATIO = 24;

const registry = new TypeRegistry(adversarialMeta);
const output = adversarialMeta.operations.Get?.output;

/** Decodes a response envelope; returns how it ended (a value or the error's class). */
async function decode(document: Buffer, maxDepth: number | undefined, deadline?: number): Promise<string> {
  const decoder = new EnvelopeDecoder('1.1', registry, output);
  try {
    await parseXml(document, decoder, { maxDepth: maxDepth ?? 256, ...(deadline ? { deadline } : {}) });
    return decoder.result().kind;
  } catch (error) {
    if (error instanceof XmlSyntaxError || error instanceof SchemaViolation) return error.constructor.name;
    if (error instanceof XmlParseInterrupted) return 'interrupted';
    throw error;
  }
}

/**
 * The least CPU time of RUNS decodes. With `budgetMs`, a decode still running after that much
 * wall time is stopped (a quadratic regression fails in seconds instead of running for minutes).
 */
async function fastest(document: Buffer, shape: Shape, budgetMs?: number): Promise<{ ms: number; outcome: string }> {
  let ms = Number.POSITIVE_INFINITY;
  let outcome = '';
  for (let run = 0; run < RUNS; run++) {
    const started = cpuMs();
    outcome = await decode(document, shape.maxDepth, budgetMs ? performance.now() + budgetMs : undefined);
    if (outcome === 'interrupted') return { ms: Number.POSITIVE_INFINITY, outcome };
    ms = Math.min(ms, cpuMs() - started);
  }
  return { ms, outcome };
}

const table: string[] = [];

describe('decoding is linear in the input for every adversarial shape', () => {
  it.each(shapes.map((shape) => [shape.name, shape] as const))(
    '%s',
    async (_name, shape) => {
      const n = sizeFor(shape, BASE_BYTES);
      const small = Buffer.from(responseEnvelope(shape.build(n)));
      const large = Buffer.from(responseEnvelope(shape.build(8 * n)));
      await decode(small, shape.maxDepth); // warm-up
      let ratio = Number.POSITIVE_INFINITY;
      let line = '';
      for (let attempt = 1; attempt <= ATTEMPTS && ratio > MAX_RATIO; attempt++) {
        const a = await fastest(small, shape);
        const b = await fastest(large, shape);
        expect(b.outcome).toBe(a.outcome);
        ratio = b.ms / Math.max(a.ms, 0.05);
        line = `${shape.name.padEnd(52)} n=${String(n).padStart(7)} ${(small.length / 1024).toFixed(0).padStart(5)} KiB ${a.ms.toFixed(1).padStart(8)} ms | 8n ${(large.length / 1024).toFixed(0).padStart(6)} KiB ${b.ms.toFixed(1).padStart(9)} ms | ratio ${ratio.toFixed(1).padStart(5)} | ${a.outcome}`;
      }
      table.push(line);
      expect(ratio, line).toBeLessThan(MAX_RATIO);
    },
    600_000,
  );

  it('prints the table', () => {
    console.log(`\ndecode time at n and 8n (minimum of ${RUNS} runs)\n${table.join('\n')}`);
    expect(table.length).toBe(shapes.length);
  });
});
