/**
 * An offline check of a markdown document's relative links: the target file or folder exists
 * inside the repository, and a `#anchor` names a heading of the target (GitHub's slugs).
 * Web links are not followed (no test touches the network).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

export interface BrokenLink {
  readonly document: string;
  readonly line: number;
  readonly link: string;
  readonly problem: string;
}

/** GitHub's heading anchor: lower case, punctuation dropped, spaces to hyphens; repeats get -1, -2. */
export function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const line of withoutCodeBlocks(markdown).split('\n')) {
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!heading) continue;
    const base = (heading[1] as string)
      .replace(/<[^>]+>/g, '')
      .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    anchors.add(count === 0 ? base : `${base}-${count}`);
  }
  return anchors;
}

/** Code blocks blanked (lines kept): a `# comment` in one is no heading. */
function withoutCodeBlocks(markdown: string): string {
  return markdown.replace(/^(\s*)```[\s\S]*?^\s*```/gm, (block) => block.replace(/[^\n]/g, ' '));
}

/** Code blocks and inline code blanked (lines kept), so links inside them are not read. */
function withoutCode(markdown: string): string {
  return withoutCodeBlocks(markdown).replace(/`[^`\n]*`/g, (code) => ' '.repeat(code.length));
}

const LINK = /\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g;

export function brokenLinks(file: string, root: string): BrokenLink[] {
  const markdown = readFileSync(file, 'utf8');
  const document = path.relative(root, file).split(path.sep).join('/');
  const broken: BrokenLink[] = [];
  withoutCode(markdown)
    .split('\n')
    .forEach((text, index) => {
      for (const match of text.matchAll(LINK)) {
        const link = match[1] as string;
        if (/^[a-z][a-z0-9+.-]*:/i.test(link)) continue; // https:, mailto:
        const problem = checkLink(file, link, root, markdown);
        if (problem) broken.push({ document, line: index + 1, link, problem });
      }
    });
  return broken;
}

function checkLink(file: string, link: string, root: string, markdown: string): string | undefined {
  const [target = '', anchor] = link.split('#', 2);
  const resolved = target === '' ? file : path.resolve(path.dirname(file), decodeURIComponent(target));
  const inside = path.relative(root, resolved);
  if (inside.startsWith('..') || path.isAbsolute(inside)) return 'points outside the repository';
  if (!existsSync(resolved)) return 'no such file or folder';
  if (anchor === undefined || anchor === '') return undefined;
  if (statSync(resolved).isDirectory() || !resolved.endsWith('.md')) return 'an anchor into something not markdown';
  const text = target === '' ? markdown : readFileSync(resolved, 'utf8');
  return anchorsOf(text).has(anchor.toLowerCase()) ? undefined : `no heading for #${anchor}`;
}
