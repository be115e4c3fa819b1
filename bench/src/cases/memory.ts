/**
 * memory-10mb: peak memory growth while decoding the 10 MB response (4000 accounts, the
 * event-loop-10mb payload), ours vs node-soap, each side in fresh processes run with
 * --expose-gc (children/memory.ts explains the method). Medians over alternating children.
 */
import { type Result, round, sideBySide } from '../harness.js';
import { timedChild } from './cold-start.js';

interface Sample {
  bytes: number;
  heapGrowth: number;
  external: number;
  peakGrowth: number;
  collections: number;
  decoded: boolean;
}

export async function memory10mb(): Promise<Result> {
  const samples: Record<'ours' | 'peer', Sample[]> = { ours: [], peer: [] };
  const run = (side: 'ours' | 'peer') => async () => {
    const { out } = await timedChild('memory.js', [side], ['--expose-gc']);
    const sample = JSON.parse(out.split('\n').pop() as string) as Sample;
    if (!sample.decoded) throw new Error(`${side} decoded nothing`);
    samples[side].push(sample);
    return sample.peakGrowth;
  };
  const measured = await sideBySide(run('ours'), run('peer'), { warmup: 0, rounds: 5 });
  const mib = (n: number) => round(n / 2 ** 20, 1);
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1] as number;
  return {
    id: 'memory-10mb',
    ours: mib(measured.ours),
    peer: mib(measured.peer),
    peerName: 'node-soap 1.13.0 xmlToObject',
    unit: 'MiB (peak growth)',
    ratio: round(measured.peer / measured.ours, 1),
    goal: 3,
    notes: {
      bytes: samples.ours[0]?.bytes,
      oursHeapMiB: mib(median(samples.ours.map((s) => s.heapGrowth))),
      oursExternalMiB: mib(median(samples.ours.map((s) => s.external))),
      peerHeapMiB: mib(median(samples.peer.map((s) => s.heapGrowth))),
      peerExternalMiB: mib(median(samples.peer.map((s) => s.external))),
      oursCollections: median(samples.ours.map((s) => s.collections)),
      peerCollections: median(samples.peer.map((s) => s.collections)),
    },
  };
}
