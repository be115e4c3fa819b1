/**
 * install-footprint: node_modules bytes after installing only @kz/alseco (from packed
 * tarballs) vs only soap (from the registry), each into an empty folder outside the repo.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Result, round } from '../harness.js';
import { ROOT } from '../payloads.js';

function folderBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) total += folderBytes(full);
    else if (entry.isFile()) total += statSync(full).size;
  }
  return total;
}

function npm(args: string[], cwd: string): string {
  return execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function installInto(specs: string[]): number {
  const dir = mkdtempSync(path.join(tmpdir(), 'kz-footprint-'));
  try {
    writeFileSync(path.join(dir, 'package.json'), '{"name":"footprint","version":"1.0.0","private":true}');
    npm(['install', '--no-audit', '--no-fund', '--omit=dev', ...specs], dir);
    return folderBytes(path.join(dir, 'node_modules'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function installFootprint(): Promise<Result> {
  const packs = mkdtempSync(path.join(tmpdir(), 'kz-packs-'));
  try {
    const tarballs = ['packages/soap', 'packages/alseco'].map((pkg) => {
      const name = npm(['pack', '--pack-destination', packs, '--silent'], path.join(ROOT, pkg))
        .trim()
        .split('\n')
        .pop() as string;
      return path.join(packs, name);
    });
    const ours = installInto(tarballs);
    const peer = installInto(['soap@1.13.0']);
    return {
      id: 'install-footprint',
      ours: round(ours / 1024, 0),
      peer: round(peer / 1024, 0),
      peerName: 'soap 1.13.0',
      unit: 'KiB',
      ratio: round(peer / ours, 1),
      goal: 10,
    };
  } finally {
    rmSync(packs, { recursive: true, force: true });
  }
}
