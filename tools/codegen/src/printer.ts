/**
 * The text of a generated file: its imports, its exports, then its statements (interfaces, type
 * aliases, or statements already written as text), laid out exactly as the generator has always
 * laid them out: that layout came from ts-morph (code-block-writer 13, two-space indents, single
 * quotes), whose rules are reproduced here, quirks included, so the output stays byte for byte
 * what it was. Plain string building: loading and running a TypeScript compiler for this took
 * most of a generation run.
 */

/** A property of an interface: `name?: type;` with its doc comment. */
export interface PropertySignature {
  /** The property name as written (quoted already when it is not an identifier). */
  readonly name: string;
  readonly type: string;
  readonly hasQuestionToken?: boolean;
  /** Doc comments, each already safe inside a comment (see docs.ts). */
  readonly docs?: readonly string[];
}

/** An exported interface. */
export interface InterfaceDeclaration {
  readonly kind: 'interface';
  readonly name: string;
  readonly extends: readonly string[];
  readonly properties: readonly PropertySignature[];
  readonly docs?: readonly string[];
}

/** An exported type alias. */
export interface TypeAliasDeclaration {
  readonly kind: 'typeAlias';
  readonly name: string;
  readonly type: string;
  readonly docs?: readonly string[];
}

export type Declaration = InterfaceDeclaration | TypeAliasDeclaration;

/** `import [type] { a, b } from 'module';` (an entry may carry its own `type `). */
export interface ImportDeclaration {
  readonly moduleSpecifier: string;
  readonly namedImports: readonly string[];
  readonly isTypeOnly?: boolean;
}

/** `export [type] { a, b };` or, with no names, `export * from 'module';`. */
export interface ExportDeclaration {
  readonly moduleSpecifier?: string;
  readonly namedExports?: readonly string[];
  readonly isTypeOnly?: boolean;
}

const LF = 10;
const CR = 13;
const BACKSLASH = 92;
const SLASH = 47;
const STAR = 42;
const DOUBLE_QUOTE = 34;
const SINGLE_QUOTE = 39;
const BACKTICK = 96;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const DOLLAR = 36;
/** The characters that change the writer's idea of where it is (string, comment, regex). */
const TRACKED = new Set([
  BACKSLASH,
  SLASH,
  LF,
  CR,
  STAR,
  DOUBLE_QUOTE,
  SINGLE_QUOTE,
  BACKTICK,
  OPEN_BRACE,
  CLOSE_BRACE,
]);

const NO_COMMENT = 0;
const LINE_COMMENT = 1;
const STAR_COMMENT = 2;

/** What ts-morph counts as white space. */
const WHITESPACE = new Set(
  [' ', '\f', '\n', '\r', '\t', '\v', '\u00A0', '\u2028', '\u2029'].map((c) => c.charCodeAt(0)),
);

function isBlank(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (!WHITESPACE.has(text.charCodeAt(i))) return false;
  return true;
}

/**
 * Writes code as code-block-writer does: indents each line it starts unless it believes the line
 * continues a string literal, and follows strings, comments and regular expressions character
 * by character to know that (its belief, right or wrong, decides the indentation).
 */
class CodeWriter {
  readonly #chunks: string[] = [];
  #length = 0;
  #last = -1;
  #beforeLast = -1;
  #indentation = 0;
  #queued: number | undefined;
  readonly #strings: number[] = [];
  #comment = NO_COMMENT;
  #inRegExp = false;
  #firstLineOfBlock = true;

  toString(): string {
    return this.#chunks.join('');
  }

  write(text: string): this {
    if (text.length === 0) {
      this.#writePiece('');
      return this;
    }
    const pieces = text.split(/\r?\n/);
    for (let i = 0; i < pieces.length; i++) {
      if (i > 0) this.#newLine();
      const piece = pieces[i] as string;
      if (piece.length > 0) this.#writePiece(piece);
    }
    return this;
  }

  newLine(): this {
    this.#newLine();
    return this;
  }

  newLineIfLastNot(): this {
    if (!this.#lastIsNewLine()) this.#newLine();
    return this;
  }

  blankLineIfLastNot(): this {
    if (!this.#lastIsBlankLine()) this.newLineIfLastNot().newLine();
    return this;
  }

  space(): this {
    return this.write(' ');
  }

  spaceIfLastNot(): this {
    if (this.#last !== 32) this.write(' ');
    return this;
  }

  /** Lines the action starts hang one level deeper. */
  hangingIndent(action: () => void): this {
    const current = this.#indentation;
    const queued = this.#queued;
    this.#queued = this.#indentation + 1;
    try {
      action();
    } finally {
      this.#indentation = current;
      this.#queued = queued;
    }
    return this;
  }

  /** `{`, the action's lines one level deeper, `}`. */
  inlineBlock(action: () => void): this {
    this.write('{');
    if (this.#length > 0) this.newLineIfLastNot();
    this.#indentation++;
    this.#firstLineOfBlock = true;
    action();
    this.#firstLineOfBlock = false;
    this.#indentation = Math.max(0, this.#indentation - 1);
    return this.newLineIfLastNot().write('}');
  }

  /** Ends a comment the writer believes is open (ts-morph does this before each declaration). */
  closeComment(): this {
    if (this.#comment === LINE_COMMENT) this.#newLine();
    else if (this.#comment === STAR_COMMENT) {
      if (!this.#lastIsNewLine()) this.spaceIfLastNot();
      this.write('*/');
    }
    return this;
  }

  isAtStartOfFirstLineOfBlock(): boolean {
    return this.#firstLineOfBlock && (this.#lastIsNewLine() || this.#length === 0);
  }

  /** Whether the last character that is not white space is `}`. */
  isLastNonWhitespaceCloseBrace(): boolean {
    for (let i = this.#chunks.length - 1; i >= 0; i--) {
      const chunk = this.#chunks[i] as string;
      for (let j = chunk.length - 1; j >= 0; j--) {
        const c = chunk.charCodeAt(j);
        if (c === CLOSE_BRACE) return true;
        if (!WHITESPACE.has(c)) return false;
      }
    }
    return false;
  }

  #isInString(): boolean {
    const top = this.#strings.length === 0 ? undefined : this.#strings[this.#strings.length - 1];
    return top !== undefined && top !== OPEN_BRACE;
  }

  #lastIsNewLine(): boolean {
    return this.#last === LF || this.#last === CR;
  }

  #lastIsBlankLine(): boolean {
    let newLines = 0;
    for (let i = this.#chunks.length - 1; i >= 0; i--) {
      const chunk = this.#chunks[i] as string;
      for (let j = chunk.length - 1; j >= 0; j--) {
        const c = chunk.charCodeAt(j);
        if (c === LF) {
          if (++newLines === 2) return true;
        } else if (c !== CR) return false;
      }
    }
    return false;
  }

  #writePiece(piece: string): void {
    if (!this.#isInString() && (this.#lastIsNewLine() || this.#length === 0)) {
      this.#append('  '.repeat(this.#indentation));
    }
    this.#track(piece);
    this.#append(piece);
  }

  #newLine(): void {
    if (this.#comment === LINE_COMMENT) this.#comment = NO_COMMENT;
    const top = this.#strings[this.#strings.length - 1];
    if ((top === DOUBLE_QUOTE || top === SINGLE_QUOTE) && this.#last !== BACKSLASH) this.#strings.pop();
    this.#append('\n');
    this.#firstLineOfBlock = false;
    if (this.#queued !== undefined) {
      this.#indentation = this.#queued;
      this.#queued = undefined;
    }
  }

  #append(text: string): void {
    if (text.length === 0) return;
    this.#chunks.push(text);
    this.#length += text.length;
    this.#beforeLast = text.length > 1 ? text.charCodeAt(text.length - 2) : this.#last;
    this.#last = text.charCodeAt(text.length - 1);
  }

  /** code-block-writer's _updateInternalState: strings, template holes, comments, regexes. */
  #track(text: string): void {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (!TRACKED.has(c)) continue;
      const past = i === 0 ? this.#last : text.charCodeAt(i - 1);
      const pastPast = i === 0 ? this.#beforeLast : i === 1 ? this.#last : text.charCodeAt(i - 2);
      if (this.#inRegExp) {
        if ((past === SLASH && pastPast !== BACKSLASH) || past === LF) this.#inRegExp = false;
        else continue;
      } else if (
        !this.#isInString() &&
        this.#comment === NO_COMMENT &&
        past === SLASH &&
        c !== SLASH &&
        c !== STAR &&
        pastPast !== STAR &&
        pastPast !== SLASH
      ) {
        this.#inRegExp = true;
        continue;
      }
      if (!this.#isInString()) {
        if (this.#comment === NO_COMMENT && past === SLASH && c === SLASH) this.#comment = LINE_COMMENT;
        else if (this.#comment === NO_COMMENT && past === SLASH && c === STAR) this.#comment = STAR_COMMENT;
        else if (this.#comment === STAR_COMMENT && past === STAR && c === SLASH) this.#comment = NO_COMMENT;
      }
      if (this.#comment !== NO_COMMENT) continue;
      const top = this.#strings.length === 0 ? undefined : this.#strings[this.#strings.length - 1];
      if (past !== BACKSLASH && (c === DOUBLE_QUOTE || c === SINGLE_QUOTE || c === BACKTICK)) {
        if (top === c) this.#strings.pop();
        else if (top === OPEN_BRACE || top === undefined) this.#strings.push(c);
      } else if (pastPast !== BACKSLASH && past === DOLLAR && c === OPEN_BRACE && top === BACKTICK) {
        this.#strings.push(c);
      } else if (c === CLOSE_BRACE && top === OPEN_BRACE) {
        this.#strings.pop();
      }
    }
  }
}

/** Text as a fresh writer at the left margin gives it back (line breaks normalized). */
function plain(text: string): string {
  return text.includes('\r') ? new CodeWriter().write(text).toString() : text;
}

/** A doc comment: on one line when the text is one line, else one ` * ` line per line. */
function printDoc(writer: CodeWriter, text: string): void {
  writer.closeComment();
  const lines = text.split(/\r?\n/);
  const start = lines[0]?.length === 0 ? 1 : 0;
  writer.write('/**');
  if (lines.length <= 1) writer.space().write(lines[start] ?? '');
  else {
    writer.newLine();
    for (let i = start; i < lines.length; i++) {
      const line = lines[i] as string;
      writer.write(' *');
      if (line.length > 0) writer.write(` ${line}`);
      writer.newLine();
    }
  }
  writer.spaceIfLastNot().write('*/');
}

function printDocs(writer: CodeWriter, docs: readonly string[] | undefined): void {
  for (const doc of docs ?? []) {
    printDoc(writer, doc);
    writer.newLine();
  }
}

/** `<separator> type`, lines after the first hanging one level deeper (nothing for a blank type). */
function printType(writer: CodeWriter, separator: string, type: string): void {
  const text = plain(type);
  if (!isBlank(text)) writer.hangingIndent(() => writer.write(`${separator} ${text}`));
}

function printProperty(writer: CodeWriter, property: PropertySignature): void {
  writer.closeComment();
  printDocs(writer, property.docs);
  writer.write(property.name);
  if (property.hasQuestionToken) writer.write('?');
  printType(writer, ':', property.type);
  writer.write(';');
}

function printInterface(writer: CodeWriter, declaration: InterfaceDeclaration): void {
  writer.closeComment();
  printDocs(writer, declaration.docs);
  writer.write('export ').write(`interface ${declaration.name}`).space();
  const bases = declaration.extends.map(plain).join(', ');
  if (!isBlank(bases)) writer.hangingIndent(() => writer.write(`extends ${bases} `));
  writer.inlineBlock(() => {
    if (declaration.properties.length > 0 && !writer.isAtStartOfFirstLineOfBlock()) writer.newLine();
    declaration.properties.forEach((property, i) => {
      if (i > 0) writer.newLine();
      printProperty(writer, property);
    });
  });
}

function printTypeAlias(writer: CodeWriter, declaration: TypeAliasDeclaration): void {
  writer.closeComment();
  printDocs(writer, declaration.docs);
  writer.write('export ').write(`type ${declaration.name}`);
  printType(writer, ' =', declaration.type);
  writer.write(';');
}

/**
 * Declarations one after the other: a blank line before and after every interface, none
 * between two type aliases.
 */
export function printDeclarations(declarations: readonly Declaration[]): string {
  const writer = new CodeWriter();
  for (const declaration of declarations) {
    if (writer.isLastNonWhitespaceCloseBrace()) writer.blankLineIfLastNot();
    else if (!writer.isAtStartOfFirstLineOfBlock()) writer.newLineIfLastNot();
    if (declaration.kind === 'interface') {
      if (!writer.isAtStartOfFirstLineOfBlock()) writer.blankLineIfLastNot();
      printInterface(writer, declaration);
    } else printTypeAlias(writer, declaration);
  }
  return writer.toString();
}

/** A module specifier in single quotes. */
function quote(text: string): string {
  return `'${text.replace(/[\\']/g, '\\$&')}'`;
}

function braces(names: readonly string[]): string {
  return `{ ${names.join(', ')} }`;
}

/** One generated file: its imports, then its exports, then its statements. */
export class SourceText {
  readonly name: string;
  readonly #imports: string[] = [];
  readonly #exports: string[] = [];
  #statements = '';

  constructor(name: string) {
    this.name = name;
  }

  addImportDeclaration(declaration: ImportDeclaration): void {
    const names = declaration.namedImports.length > 0 ? ` ${braces(declaration.namedImports)} from` : '';
    this.#imports.push(`import${declaration.isTypeOnly ? ' type' : ''}${names} ${quote(declaration.moduleSpecifier)};`);
  }

  addExportDeclaration(declaration: ExportDeclaration): void {
    const names = declaration.namedExports ?? [];
    const what = names.length > 0 ? ` ${braces(names)}` : declaration.moduleSpecifier ? ' *' : ' { }';
    const from = declaration.moduleSpecifier ? ` from ${quote(declaration.moduleSpecifier)}` : '';
    this.#exports.push(`export${declaration.isTypeOnly ? ' type' : ''}${what}${from};`);
  }

  /** The statements after the imports and exports: text as written, or declarations to print. */
  setStatements(statements: string | readonly Declaration[]): void {
    this.#statements = typeof statements === 'string' ? plain(statements) : printDeclarations(statements);
  }

  /** The whole file: a block of imports, a blank line, a block of exports, then the statements. */
  text(): string {
    const imports = this.#imports.map((line) => `${line}\n`).join('');
    const exports = this.#exports.map((line) => `${line}\n`).join('');
    const head = `${imports}${imports && exports ? '\n' : ''}${exports}`;
    const statements = this.#statements;
    if (statements === '') return head;
    if (head === '') return statements.endsWith('\n') ? statements : `${statements}\n`;
    return `${head}${statements}\n`;
  }
}
