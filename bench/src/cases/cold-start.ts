/**
 * cold-start: a fresh Node process that imports the client, builds it and completes one call
 * against the local Alseco mock (running here, in the parent), vs node-soap doing the same from
 * the WSDL. Timed from spawn to exit; both children exit as soon as their result is written.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startAlsecoMock } from '@kz/alseco/testing';
import { median, type Result, round, sideBySide } from '../harness.js';
import { ALSECO_WSDL } from '../payloads.js';

const CHILDREN = path.join(path.dirname(fileURLToPath(import.meta.url)), '../children');

/** Runs a child to its exit; returns the milliseconds taken. Fails unless it printed a result. */
export function timedChild(
  script: string,
  args: string[],
  nodeArgs: string[] = [],
): Promise<{ ms: number; out: string }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [...nodeArgs, path.join(CHILDREN, script), ...args], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = performance.now() - started;
      if (code !== 0 || out.trim() === '') reject(new Error(`${script} exited with ${code}`));
      else resolve({ ms, out: out.trim() });
    });
  });
}

export async function coldStart(): Promise<Result> {
  const mock = await startAlsecoMock();
  try {
    const measured = await sideBySide(
      async () => (await timedChild('cold-ours.js', [mock.endpoint])).ms,
      async () => (await timedChild('cold-peer.js', [mock.endpoint, ALSECO_WSDL])).ms,
      { warmup: 1, rounds: 11 },
    );
    const bare: number[] = [];
    for (let i = 0; i < 5; i++) bare.push((await timedChild('empty.js', [])).ms);
    return {
      id: 'cold-start',
      ours: round(measured.ours, 0),
      peer: round(measured.peer, 0),
      peerName: 'node-soap 1.13.0 createClientAsync + one call',
      unit: 'ms (process spawn to exit)',
      ratio: round(measured.peer / measured.ours),
      goal: 3,
      notes: { operation: 'GetAccountState', emptyNodeProcessMs: round(median(bare), 0) },
    };
  } finally {
    await mock.close();
  }
}
