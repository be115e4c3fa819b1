/** Side-by-side measurement: warm-up, then rounds alternating ours and the peer; medians. */

export interface Result {
  id: string;
  ours: number;
  peer: number;
  peerName: string;
  unit: string;
  /** How many times better we are: peer/ours for times and sizes, ours/peer for rates. */
  ratio: number;
  goal: number;
  /** Extra facts a case records (correctness flags, sizes). */
  notes?: Record<string, unknown>;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Times one async run in milliseconds. */
export async function time(run: () => unknown): Promise<number> {
  const started = performance.now();
  await run();
  return performance.now() - started;
}

/**
 * Measures two contenders: `warmup` untimed runs each, then `rounds` rounds in which each
 * contender runs once, the order alternating per round. Returns both medians.
 */
export async function sideBySide(
  ours: () => Promise<number>,
  peer: () => Promise<number>,
  options: { warmup: number; rounds: number },
): Promise<{ ours: number; peer: number }> {
  for (let i = 0; i < options.warmup; i++) {
    await ours();
    await peer();
  }
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < options.rounds; i++) {
    if (i % 2 === 0) {
      a.push(await ours());
      b.push(await peer());
    } else {
      b.push(await peer());
      a.push(await ours());
    }
  }
  return { ours: median(a), peer: median(b) };
}

export function round(value: number, digits = 2): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/** Runs `count` calls with `concurrency` in flight; returns the elapsed milliseconds. */
export async function burst(call: () => Promise<unknown>, count: number, concurrency: number): Promise<number> {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      next++;
      await call();
    }
  };
  return time(() => Promise.all(Array.from({ length: concurrency }, worker)));
}
