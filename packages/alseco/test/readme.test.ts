/**
 * The README's mock snippet runs as written: extracted, saved as a module inside this package (so
 * '@kz/alseco' resolves to the built package) and run with node against the mock it starts.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const PACKAGE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

it("the README's 'Testing against a mock' snippet runs", async () => {
  const readme = readFileSync(path.join(PACKAGE, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Testing against a mock'));
  const snippet = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
  expect(snippet).toContain("from '@kz/alseco'");
  const folder = path.join(PACKAGE, '.tmp', `readme-${process.pid}`);
  mkdirSync(folder, { recursive: true });
  const file = path.join(folder, 'snippet.mjs');
  writeFileSync(file, snippet as string);
  try {
    const output = await new Promise<string>((resolve, reject) =>
      execFile(
        process.execPath,
        [file],
        { timeout: 30_000, env: { ...process.env, FORCE_COLOR: '0' } },
        (error, stdout, stderr) => (error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout)),
      ),
    );
    expect(output).toContain('{ year: 2018, month: 3 }');
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}, 40_000);
