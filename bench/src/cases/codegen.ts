/** codegen: kz-codegen vs wsdl-tsclient on the same WSDL, whole CLI runs (process start included). */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Result, round, sideBySide, time } from '../harness.js';
import { ALSECO_WSDL, ROOT } from '../payloads.js';

const require = createRequire(import.meta.url);

export async function codegen(): Promise<Result> {
  const out = mkdtempSync(path.join(tmpdir(), 'kz-codegen-bench-'));
  const ours = path.join(ROOT, 'tools/codegen/dist/cli.js');
  const peer = path.join(path.dirname(require.resolve('wsdl-tsclient/package.json')), 'dist/src/cli.js');
  try {
    const run = (args: string[]) => time(() => execFileSync(process.execPath, args, { stdio: 'ignore' }));
    const measured = await sideBySide(
      () => run([ours, 'generate', '--wsdl', ALSECO_WSDL, '--out', path.join(out, 'ours')]),
      () => run([peer, ALSECO_WSDL, '-o', path.join(out, 'peer')]),
      { warmup: 1, rounds: 7 },
    );
    return {
      id: 'codegen',
      ours: round(measured.ours, 0),
      peer: round(measured.peer, 0),
      peerName: 'wsdl-tsclient 1.7.1',
      unit: 'ms',
      ratio: round(measured.peer / measured.ours),
      goal: 1,
    };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
