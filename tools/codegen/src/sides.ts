/**
 * Which side of a service each type is on: written by the client (reachable from operation
 * inputs), read by it (reachable from outputs), or both. The runtime keeps response-side
 * enumeration values outside the list (services add codes between releases), so the TypeScript
 * a client reads widens each enumeration to `Known | (string & {})`, while what it writes stays
 * the strict union. A complex type used on both sides that contains an enumeration (directly or
 * deeper) gets a second, output declaration `<Name>Output`; every other type has one.
 */
import type { ModelType } from './xsd.js';

export interface TypeSides {
  /** Types reachable from operation outputs (through elements, attributes, text, bases, derived types). */
  readonly outputs: ReadonlySet<string>;
  readonly inputs: ReadonlySet<string>;
  /** Complex types that have an output declaration of their own, with its name. */
  readonly outputVariants: ReadonlyMap<string, string>;
}

export const NO_SIDES: TypeSides = { outputs: new Set(), inputs: new Set(), outputVariants: new Map() };

/**
 * @param roots the operations' input and output types
 * @param taken names already used in the generated code (output variants must not collide)
 */
export function typeSides(
  types: ReadonlyMap<string, ModelType>,
  roots: { inputs: readonly string[]; outputs: readonly string[] },
  taken: ReadonlySet<string>,
): TypeSides {
  const inputs = reachable(types, roots.inputs);
  const outputs = reachable(types, roots.outputs);
  const withEnum = typesContainingEnums(types);
  const used = new Set([...taken, ...types.keys()]);
  const outputVariants = new Map<string, string>();
  for (const [name, type] of types) {
    if (type.meta.kind !== 'complex' || !inputs.has(name) || !outputs.has(name) || !withEnum.has(name)) continue;
    let variant = `${name}Output`;
    for (let n = 2; used.has(variant); n++) variant = `${name}Output${n}`;
    used.add(variant);
    outputVariants.set(name, variant);
  }
  return { inputs, outputs, outputVariants };
}

/**
 * Every type with an enumeration in it, directly or at any depth: walked back from the
 * enumerations along "is referred to by", so cycles and deep chains cost no stack.
 */
function typesContainingEnums(types: ReadonlyMap<string, ModelType>): Set<string> {
  const referrers = new Map<string, string[]>();
  const found = new Set<string>();
  const pending: string[] = [];
  for (const [name, type] of types) {
    if (type.meta.kind === 'simple' && type.meta.enum !== undefined) pending.push(name);
    for (const member of memberTypes(type)) {
      const list = referrers.get(member) ?? [];
      list.push(name);
      referrers.set(member, list);
    }
  }
  for (let name = pending.pop(); name !== undefined; name = pending.pop()) {
    if (found.has(name)) continue;
    found.add(name);
    pending.push(...(referrers.get(name) ?? []));
  }
  return found;
}

/** The types a complex type's TypeScript declaration refers to (not its derived types). */
export function memberTypes(type: ModelType): string[] {
  const meta = type.meta;
  if (meta.kind !== 'complex') return [];
  const refs = [...meta.elements.map((e) => e.type), ...(meta.attributes ?? []).map((a) => a.type)];
  if (meta.text !== undefined) refs.push(meta.text);
  if (type.base) refs.push(type.base);
  return refs.filter((ref) => !ref.startsWith('xs:'));
}

function reachable(types: ReadonlyMap<string, ModelType>, roots: readonly string[]): Set<string> {
  const seen = new Set<string>();
  const pending = [...roots];
  for (let name = pending.pop(); name !== undefined; name = pending.pop()) {
    if (seen.has(name) || !types.has(name)) continue;
    seen.add(name);
    const type = types.get(name) as ModelType;
    pending.push(...memberTypes(type));
    if (type.meta.kind === 'complex') pending.push(...(type.meta.derived ?? []));
  }
  return seen;
}
