/**
 * The public API of generated code, compared before and after a regeneration, so the version
 * bump follows what changed: removed or narrowed -> major, added -> minor, docs only -> patch.
 * Works on the emitted TypeScript (types.ts, client.ts, ...), so it covers WSDL, XSD and OpenAPI
 * output alike: every exported declaration is flattened to its members' paths, optionality and
 * types, string-literal unions (enumerations) to their value sets.
 */
import { Node, Project, type TypeNode } from 'ts-morph';

export type Bump = 'major' | 'minor' | 'patch';

export interface ApiChange {
  readonly bump: Bump;
  readonly text: string;
}

type Entry =
  | { readonly kind: 'declaration' }
  | { readonly kind: 'member'; readonly optional: boolean; readonly type: string }
  | { readonly kind: 'enum'; readonly values: readonly string[] };

/** Flattens the exported API of some TypeScript files into path -> shape. */
export function apiSurface(files: ReadonlyMap<string, string>): Map<string, Entry> {
  const project = new Project({ useInMemoryFileSystem: true });
  const surface = new Map<string, Entry>();
  for (const [name, text] of [...files].sort(([a], [b]) => a.localeCompare(b))) {
    if (!name.endsWith('.ts')) continue;
    addWireSchema(surface, text);
    const file = project.createSourceFile(name, text, { overwrite: true });
    for (const declaration of file.getInterfaces()) {
      if (!declaration.isExported()) continue;
      const path = declaration.getName();
      surface.set(path, { kind: 'declaration' });
      for (const base of declaration.getExtends())
        surface.set(`${path} extends ${base.getText()}`, { kind: 'declaration' });
      for (const member of declaration.getMembers()) addMember(surface, path, member);
    }
    for (const alias of file.getTypeAliases()) {
      if (alias.isExported()) addType(surface, alias.getName(), alias.getTypeNodeOrThrow());
    }
    for (const statement of file.getVariableStatements()) {
      if (!statement.isExported()) continue;
      for (const variable of statement.getDeclarations()) surface.set(variable.getName(), { kind: 'declaration' });
    }
    for (const declaration of file.getClasses()) {
      if (!declaration.isExported()) continue;
      const path = declaration.getName() ?? 'default';
      surface.set(path, { kind: 'declaration' });
      for (const method of declaration.getMethods()) {
        surface.set(`${path}.${method.getName()}()`, {
          kind: 'member',
          optional: false,
          type: method
            .getParameters()
            .map((p) => p.getTypeNode()?.getText() ?? '')
            .join(', '),
        });
      }
    }
  }
  return surface;
}

/**
 * The wire side of a schema.ts (the @kz/soap metadata, one type per line): each element's XSD
 * type and occurrence, so a change the TypeScript types do not show (xs:string -> xs:long, both
 * strings) still counts.
 */
function addWireSchema(surface: Map<string, Entry>, text: string): void {
  for (const line of text.split('\n')) {
    // One type per line: `  Name: {kind:...},` (or the JSON of earlier generators, `"Name": {"kind":...}`).
    const found = /^ {2,4}(["']?)([\w$]+)\1: (\{"?kind"?:"(?:simple|complex)".*\}),$/.exec(line);
    if (!found) continue;
    const name = found[2] as string;
    const meta = JSON.parse(literalToJson(found[3] as string)) as {
      kind: 'simple' | 'complex';
      base?: string;
      list?: boolean;
      facets?: unknown;
      elements?: { prop?: string; name: string; type: string; min?: number; max?: number; nillable?: boolean }[];
    };
    if (meta.kind === 'simple') {
      // Base type, list and facets (a new or tighter facet refuses values accepted before);
      // enumeration values are compared on the TypeScript union.
      const { base, list, facets } = meta;
      surface.set(`${name} (XML)`, { kind: 'member', optional: false, type: JSON.stringify({ base, list, facets }) });
      continue;
    }
    for (const element of meta.elements ?? []) {
      // Omitted fields are @kz/soap's defaults: prop = name, min = max = 1.
      const max = element.max ?? 1;
      surface.set(`${name}.${element.prop ?? element.name} (XML)`, {
        kind: 'member',
        optional: element.min === 0,
        type: `${element.type}${max === 1 ? '' : '[]'}${element.nillable ? ' nillable' : ''}`,
      });
    }
  }
}

/**
 * A generated metadata literal as JSON: unquoted keys quoted, interned namespace constants
 * (`ns1`) turned into strings of their name (the wire surface does not compare namespaces).
 */
function literalToJson(literal: string): string {
  let out = '';
  for (let i = 0; i < literal.length; ) {
    const c = literal[i] as string;
    if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < literal.length && literal[j] !== c) j += literal[j] === '\\' ? 2 : 1;
      const body = literal.slice(i + 1, j);
      out += c === '"' ? `"${body}"` : JSON.stringify(body.replace(/\\'/g, "'"));
      i = j + 1;
      continue;
    }
    const word = /^[A-Za-z_$][\w$]*/.exec(literal.slice(i, i + 200))?.[0];
    if (word) {
      out += ['true', 'false', 'null'].includes(word) ? word : `"${word}"`;
      i += word.length;
      continue;
    }
    out += c;
    i++;
  }
  return out;
}

function addMember(surface: Map<string, Entry>, path: string, member: Node): void {
  if (!Node.isPropertySignature(member)) return;
  const memberPath = `${path}.${member.getName().replace(/^['"]|['"]$/g, '')}`;
  const typeNode = member.getTypeNode();
  if (typeNode && Node.isTypeLiteral(typeNode)) {
    surface.set(memberPath, { kind: 'member', optional: member.hasQuestionToken(), type: '{...}' });
    for (const inner of typeNode.getMembers()) addMember(surface, memberPath, inner);
    return;
  }
  surface.set(memberPath, {
    kind: 'member',
    optional: member.hasQuestionToken(),
    type: normalize(typeNode?.getText() ?? 'unknown'),
  });
}

function addType(surface: Map<string, Entry>, path: string, type: TypeNode): void {
  const values = literalUnion(type);
  if (values) {
    surface.set(path, { kind: 'enum', values });
    return;
  }
  surface.set(path, { kind: 'declaration' });
  if (Node.isTypeLiteral(type)) {
    for (const member of type.getMembers()) addMember(surface, path, member);
    return;
  }
  surface.set(`${path} =`, { kind: 'member', optional: false, type: normalize(type.getText()) });
}

/** The values of a union of string literals ('A' | 'B'), or undefined for any other type. */
function literalUnion(type: TypeNode): string[] | undefined {
  const parts = Node.isUnionTypeNode(type) ? type.getTypeNodes() : [type];
  const values: string[] = [];
  for (const part of parts) {
    if (!Node.isLiteralTypeNode(part)) return undefined;
    const literal = part.getLiteral();
    if (!Node.isStringLiteral(literal)) return undefined;
    values.push(literal.getLiteralValue());
  }
  return values;
}

function normalize(text: string): string {
  return text
    .replace(/\s+/g, ' ')
    .replace(/\/\*\*[\s\S]*?\*\//g, '')
    .trim();
}

/** What changed between two surfaces, each change with the bump it needs. */
export function diffApi(before: ReadonlyMap<string, Entry>, after: ReadonlyMap<string, Entry>): ApiChange[] {
  const changes: ApiChange[] = [];
  for (const [path, old] of before) {
    const now = after.get(path);
    if (!now) {
      if (!before.has(parentOf(path)) || after.has(parentOf(path)) || !parentOf(path)) {
        changes.push({ bump: 'major', text: `removed ${describe(path, old)}` });
      }
      continue;
    }
    if (old.kind === 'enum' && now.kind === 'enum') {
      const removed = old.values.filter((v) => !now.values.includes(v));
      const added = now.values.filter((v) => !old.values.includes(v));
      if (removed.length > 0) changes.push({ bump: 'major', text: `${path}: removed value(s) ${removed.join(', ')}` });
      if (added.length > 0) changes.push({ bump: 'minor', text: `${path}: added value(s) ${added.join(', ')}` });
      continue;
    }
    if (old.kind === 'member' && now.kind === 'member') {
      if (old.optional !== now.optional) {
        changes.push({ bump: 'major', text: `${path} is now ${now.optional ? 'optional' : 'required'}` });
      }
      if (old.type !== now.type) changes.push({ bump: 'major', text: `${path}: type ${old.type} -> ${now.type}` });
      continue;
    }
    if (old.kind !== now.kind) changes.push({ bump: 'major', text: `${path} changed kind` });
  }
  for (const [path, entry] of after) {
    if (before.has(path)) continue;
    const parent = parentOf(path);
    if (parent && !before.has(parent)) continue; // part of a new declaration, reported with it
    const required = entry.kind === 'member' && !entry.optional && parent !== '' && !path.endsWith('()');
    changes.push({
      bump: required ? 'major' : 'minor',
      text: required
        ? `added required ${path} (code that builds this type must set it)`
        : `added ${describe(path, entry)}`,
    });
  }
  return changes;
}

function parentOf(path: string): string {
  const dot = path.lastIndexOf('.');
  return dot === -1 ? '' : path.slice(0, dot);
}

function describe(path: string, entry: Entry): string {
  if (entry.kind === 'enum') return `enumeration ${path}`;
  if (entry.kind === 'declaration') return path.includes(' extends ') ? `base type: ${path}` : `type ${path}`;
  return path.endsWith('()') ? `method ${path}` : `field ${path}`;
}

export function bumpOf(changes: readonly ApiChange[]): Bump {
  if (changes.some((c) => c.bump === 'major')) return 'major';
  if (changes.some((c) => c.bump === 'minor')) return 'minor';
  return 'patch';
}
