/**
 * npm run bench: every case side by side with its peer, medians of alternating rounds after
 * warm-up. Prints a table and writes bench/results.json. bench/README.md documents each case.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { callCases } from './cases/calls.js';
import { codegen } from './cases/codegen.js';
import { codegenLarge } from './cases/codegen-large.js';
import { coldStart } from './cases/cold-start.js';
import { gost512 } from './cases/gost.js';
import { installFootprint } from './cases/install.js';
import { memory10mb } from './cases/memory.js';
import { rpcEncodedDecode } from './cases/rpc-encoded.js';
import { createClient, decodeLarge, encodeLarge, eventLoop10mb } from './cases/serde.js';
import { trueApiOverhead } from './cases/true-api.js';
import { trueApiPage } from './cases/true-api-page.js';
import { type Result, round } from './harness.js';
import { ROOT } from './payloads.js';

const cases: [string, () => Promise<Result | Result[]>][] = [
  ['create-client', createClient],
  ['decode-large', decodeLarge],
  ['encode-large', encodeLarge],
  ['event-loop-10mb', eventLoop10mb],
  ['memory-10mb', memory10mb],
  ['rpc-encoded-decode', rpcEncodedDecode],
  ['cold-start', coldStart],
  ['call-loopback, call-overhead', callCases],
  ['codegen', codegen],
  ['codegen-large', codegenLarge],
  ['install-footprint', installFootprint],
  ['true-api-overhead', trueApiOverhead],
  ['true-api-page', trueApiPage],
  ['gost-512', gost512],
];

/** Runs one case in this process and prints its results as JSON (what the parent reads). */
async function runCase(name: string): Promise<void> {
  const entry = cases.find(([caseName]) => caseName === name);
  if (!entry) throw new Error(`no case ${name}`);
  const results = [await entry[1]()].flat();
  // Exit once written: a case may leave keep-alive sockets or timers behind.
  process.stdout.write(`${JSON.stringify(results)}\n`, () => process.exit(0));
}

/** Each case in a fresh process, so one case's heap, sockets and timers cannot slow the next. */
async function runAll(filters: string[]): Promise<Result[]> {
  const results: Result[] = [];
  for (const [name] of cases) {
    if (filters.length > 0 && !filters.some((f) => name.includes(f))) continue;
    process.stderr.write(`running ${name}...\n`);
    const output = execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--case', name], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      maxBuffer: 16 * 1024 * 1024,
    });
    results.push(...(JSON.parse(output.trim().split('\n').pop() as string) as Result[]));
  }
  return results;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === '--case') return runCase(args[1] as string);
  // The machine's load (1, 5, 15 minute averages) around the run: ratios shrink on a busy machine.
  const loadBefore = os.loadavg().map((n) => round(n));
  const results = await runAll(args);
  const machine = {
    loadAverageBefore: loadBefore,
    loadAverageAfter: os.loadavg().map((n) => round(n)),
    node: process.version,
    platform: `${os.platform()} ${os.arch()}`,
    cpus: `${os.cpus().length} x ${os.cpus()[0]?.model ?? 'unknown'}`,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    date: new Date().toISOString(),
  };
  console.log(
    `\n${'id'.padEnd(18)}${'ours'.padStart(12)}${'peer'.padStart(12)}  ${'unit'.padEnd(20)}${'ratio'.padStart(8)}${'goal'.padStart(7)}  peer`,
  );
  for (const r of results) {
    const mark = r.ratio >= r.goal ? ' ' : '!';
    console.log(
      `${r.id.padEnd(18)}${String(r.ours).padStart(12)}${String(r.peer).padStart(12)}  ${r.unit.padEnd(20)}${String(r.ratio).padStart(8)}${`>=${r.goal}`.padStart(7)}${mark} ${r.peerName}`,
    );
  }
  if (args.length === 0)
    writeFileSync(path.join(ROOT, 'bench/results.json'), `${JSON.stringify({ machine, results }, null, 2)}\n`);
  else console.log('\n(a subset ran: bench/results.json left as it was)');
  const missed = results.filter((r) => r.ratio < r.goal);
  if (missed.length > 0) console.log(`\nbelow goal: ${missed.map((r) => r.id).join(', ')}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
