/** Runs hostile cases under a time bound and counts how each ended. */
import { KzError } from '@kz/soap';

export interface Tally {
  tried: number;
  typedErrors: number;
  /** Cases allowed to decode that decoded to exactly the data expected. */
  correctValues: number;
  crashes: number;
  hangs: number;
  /** A hostile input answered as if it were valid: the worst outcome. */
  falseSuccesses: number;
  maxHeapGrowthMiB: number;
  byCode: Record<string, number>;
  failures: string[];
}

export function newTally(): Tally {
  return {
    tried: 0,
    typedErrors: 0,
    correctValues: 0,
    crashes: 0,
    hangs: 0,
    falseSuccesses: 0,
    maxHeapGrowthMiB: 0,
    byCode: {},
    failures: [],
  };
}

const HANG = Symbol('hang');

/** Runs one case: it must reject with a KzError within `timeoutMs`. */
export function expectTypedError(
  tally: Tally,
  name: string,
  run: () => Promise<unknown>,
  timeoutMs = 5000,
): Promise<void> {
  return expectTypedErrorOr(tally, name, run, undefined, timeoutMs);
}

/**
 * Runs one case: it must reject with a KzError, or (when `correct` is given) resolve to a value
 * `correct` accepts, within `timeoutMs`. Any other value counts as accepted hostile input.
 */
export async function expectTypedErrorOr(
  tally: Tally,
  name: string,
  run: () => Promise<unknown>,
  correct: ((value: unknown) => boolean) | undefined,
  timeoutMs = 5000,
): Promise<void> {
  tally.tried++;
  const heapBefore = process.memoryUsage().heapUsed;
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<typeof HANG>((resolve) => {
    timer = setTimeout(() => resolve(HANG), timeoutMs);
  });
  try {
    const outcome = await Promise.race([run(), hang]);
    if (outcome === HANG) {
      tally.hangs++;
      tally.failures.push(`HANG ${name}`);
    } else if (correct?.(outcome)) {
      tally.correctValues++;
    } else {
      tally.falseSuccesses++;
      tally.failures.push(`ACCEPTED ${name}`);
    }
  } catch (error) {
    if (error instanceof KzError) {
      tally.typedErrors++;
      tally.byCode[error.code] = (tally.byCode[error.code] ?? 0) + 1;
    } else {
      tally.crashes++;
      tally.failures.push(
        `CRASH ${name}: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`,
      );
    }
  } finally {
    clearTimeout(timer);
    const growth = (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20;
    tally.maxHeapGrowthMiB = Math.max(tally.maxHeapGrowthMiB, Math.round(growth * 10) / 10);
  }
}

export function summary(title: string, tally: Tally): string {
  const codes = Object.entries(tally.byCode)
    .map(([code, n]) => `${code} ${n}`)
    .join(', ');
  return [
    `${title}: ${tally.tried} cases tried, ${tally.typedErrors} typed errors, ${tally.correctValues} correct values, ${tally.crashes} crashes, ${tally.hangs} hangs, ${tally.falseSuccesses} accepted, max heap growth ${tally.maxHeapGrowthMiB} MiB`,
    `  typed errors by code: ${codes}`,
    ...tally.failures.slice(0, 20).map((f) => `  ${f}`),
  ].join('\n');
}
