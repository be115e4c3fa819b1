// Builds src/testing/seed-examples.ts (the mock's canned 200 bodies) from test/fixtures/seed-examples.
// Run: node scripts/build-mock-examples.mjs. test/mock.test.ts fails when the file is out of date.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export function renderMockExamples() {
  const dir = path.join(root, 'test/fixtures/seed-examples');
  const files = readdirSync(dir)
    .filter((f) => /\.response\.200(\.1)?\.json$/.test(f))
    .sort();
  const lines = [
    "// Built by scripts/build-mock-examples.mjs from test/fixtures/seed-examples (the seed's 200 examples).",
    '// Do not edit by hand: change the fixtures and run `node scripts/build-mock-examples.mjs`.',
    '',
    '/** The first documented 200 body of each operation, by operationId. */',
    'export const seedExamples: Record<string, unknown> = {',
  ];
  for (const file of files) {
    const value = JSON.parse(readFileSync(path.join(dir, file), 'utf8'));
    lines.push(`  ${file.split('.')[0]}: ${JSON.stringify(value)},`);
  }
  lines.push('};', '');
  return lines.join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(path.join(root, 'src/testing/seed-examples.ts'), renderMockExamples());
}
