/**
 * codegen-large: whole CLI runs (process start included) on a 2 MB WSDL built by
 * ../large-contract.ts (160 entities, 480 operations): kz-codegen vs wsdl-tsclient. The peer
 * needs --maxRecursiveDefinitionName raised: with its default (64) it stops at the 65th field
 * named "Lines" ("Too many definitions with same name"), as it would for its users.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { type Result, round, sideBySide, time } from '../harness.js';
import { largeWsdl } from '../large-contract.js';
import { ROOT } from '../payloads.js';

const require = createRequire(import.meta.url);
const run = promisify(execFile);
const ENTITIES = 160;

/** Bytes of every file under `dir`. */
function treeBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    total += entry.isDirectory() ? treeBytes(full) : statSync(full).size;
  }
  return total;
}

export async function codegenLarge(): Promise<Result> {
  const work = mkdtempSync(path.join(tmpdir(), 'kz-codegen-large-'));
  const wsdl = path.join(work, 'large-gateway.wsdl');
  const text = largeWsdl(ENTITIES);
  writeFileSync(wsdl, text);
  const ours = path.join(ROOT, 'tools/codegen/dist/cli.js');
  const peer = path.join(path.dirname(require.resolve('wsdl-tsclient/package.json')), 'dist/src/cli.js');
  const oursOut = path.join(work, 'ours');
  const peerOut = path.join(work, 'peer');
  const options = { maxBuffer: 64 * 1024 * 1024 };
  try {
    const measured = await sideBySide(
      () => time(() => run(process.execPath, [ours, 'generate', '--wsdl', wsdl, '--out', oursOut], options)),
      () =>
        time(() => run(process.execPath, [peer, wsdl, '-o', peerOut, '--maxRecursiveDefinitionName', '1000'], options)),
      { warmup: 0, rounds: 3 },
    );
    return {
      id: 'codegen-large',
      ours: round(measured.ours, 0),
      peer: round(measured.peer, 0),
      peerName: 'wsdl-tsclient 1.7.1',
      unit: 'ms',
      ratio: round(measured.peer / measured.ours),
      goal: 2,
      notes: {
        wsdlBytes: Buffer.byteLength(text),
        entities: ENTITIES,
        operations: ENTITIES * 3,
        oursOutputBytes: treeBytes(oursOut),
        peerOutputBytes: treeBytes(peerOut),
      },
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
