/** Helpers for the publishing tests: the publishable packages, a local Verdaccio, commands. */
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const exec = promisify(execFile);

export interface PackageInfo {
  name: string;
  dir: string;
  version: string;
}

/** Every non-private workspace package under packages/ and tools/. */
export function publishablePackages(): PackageInfo[] {
  const found: PackageInfo[] = [];
  for (const group of ['packages', 'tools']) {
    for (const entry of readdirSync(path.join(ROOT, group))) {
      const dir = path.join(ROOT, group, entry);
      let manifest: { name: string; version: string; private?: boolean };
      try {
        manifest = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
      } catch {
        continue;
      }
      if (!manifest.private) found.push({ name: manifest.name, dir, version: manifest.version });
    }
  }
  return found;
}

export async function run(
  command: string,
  args: string[],
  options: { cwd: string; env?: Record<string, string> },
): Promise<{ stdout: string; stderr: string }> {
  try {
    return await exec(command, args, {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      maxBuffer: 64 * 1024 * 1024,
      timeout: 240_000,
    });
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(
      `${command} ${args.join(' ')} failed in ${options.cwd}:\n${e.stderr ?? ''}\n${e.stdout ?? ''}`.slice(0, 4000),
    );
  }
}

export function bin(name: string): string {
  return path.join(ROOT, 'node_modules', '.bin', name);
}

/** Copies the working tree (tracked and untracked files, plus built dist/ folders) to `target`. */
export async function copyWorkspace(target: string): Promise<void> {
  const { stdout } = await run('git', ['ls-files', '-co', '--exclude-standard'], { cwd: ROOT });
  for (const file of stdout.split('\n').filter(Boolean)) {
    const from = path.join(ROOT, file);
    try {
      if (!statSync(from).isFile()) continue;
    } catch {
      continue; // deleted in the working tree
    }
    mkdirSync(path.dirname(path.join(target, file)), { recursive: true });
    cpSync(from, path.join(target, file));
  }
  for (const pkg of publishablePackages()) {
    const dist = path.join(pkg.dir, 'dist');
    cpSync(dist, path.join(target, path.relative(ROOT, dist)), { recursive: true });
  }
}

export interface LocalRegistry {
  url: string;
  close(): Promise<void>;
}

/** Verdaccio on 127.0.0.1, random port, no uplinks: only what we publish can be installed. */
export async function startRegistry(storage: string): Promise<LocalRegistry> {
  const { runServer } = (await import('verdaccio')) as unknown as {
    runServer(config: unknown): Promise<Server>;
  };
  mkdirSync(storage, { recursive: true });
  const server = await runServer({
    self_path: storage,
    storage,
    uplinks: {},
    packages: { '**': { access: '$all', publish: '$all', unpublish: '$all' } },
    log: { type: 'stdout', format: 'pretty', level: 'error' },
    max_body_size: '50mb',
    web: { enable: false },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        (server as Server & { closeAllConnections?: () => void }).closeAllConnections?.();
      }),
  };
}

export function folderBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) total += folderBytes(full);
    else if (entry.isFile()) total += statSync(full).size;
  }
  return total;
}
