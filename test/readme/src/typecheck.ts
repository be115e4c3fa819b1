/**
 * Type-checks snippets as the reader would run them: each one its own ES module beside this
 * package (so `@kz/*` resolves to the built packages, as from another project), all in one
 * TypeScript program with the repository's strict options. Errors point at the document's line.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import type { Snippet } from './snippets.js';

export interface SnippetError {
  readonly snippet: Snippet;
  /** `docs/x.md:12: TS2304 Cannot find name 'y'.` */
  readonly message: string;
}

export function typecheckSnippets(snippets: readonly Snippet[], folder: string): SnippetError[] {
  rmSync(folder, { recursive: true, force: true });
  mkdirSync(folder, { recursive: true });
  const files = new Map<string, Snippet>();
  snippets.forEach((snippet, index) => {
    const file = path.join(folder, `snippet-${index}.ts`);
    // `export {}` keeps a snippet without imports a module, so snippets never share globals.
    writeFileSync(file, `${snippet.code}\nexport {};\n`);
    files.set(path.resolve(file), snippet);
  });
  const program = ts.createProgram([...files.keys()], {
    target: ts.ScriptTarget.ES2022,
    lib: ['lib.es2023.d.ts'],
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    types: ['node'],
    strict: true,
    noUncheckedIndexedAccess: true,
    verbatimModuleSyntax: true,
    skipLibCheck: true,
    noEmit: true,
  });
  return ts.getPreEmitDiagnostics(program).map((diagnostic) => {
    const text = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
    const snippet = diagnostic.file && files.get(path.resolve(diagnostic.file.fileName));
    if (!diagnostic.file || !snippet || diagnostic.start === undefined) {
      throw new Error(`a diagnostic outside the snippets: TS${diagnostic.code} ${text}`);
    }
    const { line } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
    return { snippet, message: `${snippet.document}:${snippet.line + line}: TS${diagnostic.code} ${text}` };
  });
}
