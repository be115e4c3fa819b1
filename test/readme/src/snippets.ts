/** Pulls the TypeScript code blocks out of a markdown document, remembering where each starts. */

export interface Snippet {
  /** The document, relative to the repository root. */
  readonly document: string;
  /** 1-based line of the snippet's first code line in the document. */
  readonly line: number;
  readonly code: string;
}

const OPENING = /^(\s*)```(ts|typescript)\s*$/;

export function extractSnippets(document: string, markdown: string): Snippet[] {
  const lines = markdown.split('\n');
  const snippets: Snippet[] = [];
  for (let i = 0; i < lines.length; i++) {
    const opening = OPENING.exec(lines[i] as string);
    if (!opening) continue;
    const indent = (opening[1] as string).length;
    const body: string[] = [];
    let j = i + 1;
    while (j < lines.length && !/^\s*```\s*$/.test(lines[j] as string)) {
      body.push((lines[j] as string).slice(indent));
      j++;
    }
    snippets.push({ document, line: i + 2, code: body.join('\n') });
    i = j;
  }
  return snippets;
}
