/**
 * npm run bench: every case side by side with its peer, medians of alternating rounds after
 * warm-up. Prints a table and writes bench/results.json. bench/README.md documents each case.
 */
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { callCases } from './cases/calls.js';
import { codegen } from './cases/codegen.js';
import { installFootprint } from './cases/install.js';
import { createClient, decodeLarge, encodeLarge, eventLoop10mb } from './cases/serde.js';
import { trueApiOverhead } from './cases/true-api.js';
import type { Result } from './harness.js';
import { ROOT } from './payloads.js';

const cases: [string, () => Promise<Result | Result[]>][] = [
  ['create-client', createClient],
  ['decode-large', decodeLarge],
  ['encode-large', encodeLarge],
  ['event-loop-10mb', eventLoop10mb],
  ['call-loopback, call-overhead', callCases],
  ['codegen', codegen],
  ['install-footprint', installFootprint],
  ['true-api-overhead', trueApiOverhead],
];

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const results: Result[] = [];
  for (const [name, run] of cases) {
    if (only.length > 0 && !only.some((o) => name.includes(o))) continue;
    process.stderr.write(`running ${name}...\n`);
    results.push(...[await run()].flat());
  }
  const machine = {
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
  writeFileSync(path.join(ROOT, 'bench/results.json'), `${JSON.stringify({ machine, results }, null, 2)}\n`);
  const missed = results.filter((r) => r.ratio < r.goal);
  if (missed.length > 0) console.log(`\nbelow goal: ${missed.map((r) => r.id).join(', ')}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
