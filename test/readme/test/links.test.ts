/** Every relative link and anchor in the READMEs, docs/ and the API reference index resolves. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { documents, ROOT } from '../src/docs.js';
import { anchorsOf, brokenLinks } from '../src/links.js';

describe('documentation links', () => {
  it('every relative link and anchor resolves inside the repository', () => {
    const broken = documents().flatMap((file) => brokenLinks(file, ROOT));
    expect(broken.map((b) => `${b.document}:${b.line}: ${b.link} (${b.problem})`)).toEqual([]);
  });

  it('reports a missing file, a missing heading and a link out of the repository', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'kz-links-'));
    try {
      const file = path.join(root, 'README.md');
      writeFileSync(
        file,
        '# Set up\n\n## Using `npm pack`\n\n[ok](#set-up) [ok](#using-npm-pack) [a](gone.md) [b](#nowhere) [c](../x.md)\n' +
          '```md\n[in code](ignored.md)\n```\n[web](https://example.kz/x)\n',
      );
      expect(brokenLinks(file, root).map((b) => [b.line, b.link, b.problem])).toEqual([
        [5, 'gone.md', 'no such file or folder'],
        [5, '#nowhere', 'no heading for #nowhere'],
        [5, '../x.md', 'points outside the repository'],
      ]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('anchors follow GitHub: punctuation dropped, repeats numbered', () => {
    expect([...anchorsOf('# A: b.c (d)\n## Twice\n## Twice\n')]).toEqual(['a-bc-d', 'twice', 'twice-1']);
  });
});
