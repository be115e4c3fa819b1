/** The documents whose snippets and links are checked: every README and guide a reader meets. */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

function markdownUnder(folder: string): string[] {
  if (!existsSync(folder)) return [];
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) return markdownUnder(full);
    return entry.name.endsWith('.md') ? [full] : [];
  });
}

function readmesIn(parent: string): string[] {
  const folder = path.join(ROOT, parent);
  return readdirSync(folder)
    .map((name) => path.join(folder, name, 'README.md'))
    .filter((file) => existsSync(file));
}

/** Absolute paths: the root README, each package's, tool's and app's README, and everything in docs/. */
export function documents(): string[] {
  return [
    path.join(ROOT, 'README.md'),
    ...readmesIn('packages'),
    ...readmesIn('tools'),
    ...readmesIn('apps'),
    ...markdownUnder(path.join(ROOT, 'docs')),
  ];
}
