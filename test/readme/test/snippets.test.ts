/**
 * Every TypeScript snippet in every README and guide compiles against the built packages, so none
 * can rot. A snippet that is meant as a fragment is written complete (its imports, `declare const`
 * for what the reader brings), never skipped. A deliberately broken snippet checked alongside
 * proves the check can fail.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { documents, ROOT } from '../src/docs.js';
import { extractSnippets, type Snippet } from '../src/snippets.js';
import { typecheckSnippets } from '../src/typecheck.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));

const snippets = documents().flatMap((file) =>
  extractSnippets(path.relative(ROOT, file).split(path.sep).join('/'), readFileSync(file, 'utf8')),
);

describe('README snippets', () => {
  it('finds the snippets of the root README, the packages, codegen and the production guides', () => {
    const where = new Set(snippets.map((s) => s.document));
    for (const document of ['README.md', 'packages/alseco/README.md', 'tools/codegen/README.md']) {
      expect(where).toContain(document);
    }
    expect([...where].some((d) => d.startsWith('docs/production/'))).toBe(true);
  });

  it('every snippet type-checks against the built packages; a broken one is reported at its line', () => {
    const canary: Snippet = {
      document: 'canary.md',
      line: 10,
      code: "import { validateIin } from '@kz/core';\n\nconst checked: number = validateIin('810716401076');",
    };
    const errors = typecheckSnippets([...snippets, canary], path.join(HERE, '..', '.tmp', `snippets-${process.pid}`));
    const fromCanary = errors.filter((e) => e.snippet === canary);
    expect(fromCanary.map((e) => e.message)).toEqual([expect.stringMatching(/^canary\.md:12: TS2322 /)]);
    expect(errors.filter((e) => e.snippet !== canary).map((e) => e.message)).toEqual([]);
  }, 60_000);
});
