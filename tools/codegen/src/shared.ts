/**
 * Shared schema modules: several WSDLs of one service that import the same XSDs declare those
 * types once. A type goes to the shared module when at least two WSDLs of the group generate it
 * identically (same name, metadata, docs and sides) and no WSDL of the group generates another
 * type under its name, and everything it refers to is shared too. A fault class is shared when
 * its element, class name and detail type are.
 */
import path from 'node:path';
import { TypeUses } from './docs.js';
import { declarationsOf, type FaultClassModel, faultClassesOf, type SharedImports, sidesOf, TypeRefs } from './emit.js';
import { memberTypes, type TypeSides } from './sides.js';
import type { ServiceModel } from './wsdl.js';
import type { ModelType } from './xsd.js';

/** One WSDL of a group, as built. */
export interface GroupMember {
  readonly out: string;
  readonly types: ReadonlyMap<string, ModelType>;
  readonly service: ServiceModel;
}

export interface SharedPlan {
  readonly types: ReadonlyMap<string, ModelType>;
  readonly sides: TypeSides;
  readonly faults: readonly FaultClassModel[];
  /** Per member (same order): what its module imports from the shared one. */
  readonly imports: readonly SharedImports[];
}

export function planShared(members: readonly GroupMember[], sharedOut: string): SharedPlan {
  const analysed = members.map((m) => {
    const sides = sidesOf(m);
    const refs = new TypeRefs(m.types, sides);
    return { ...m, sides, refs, faults: faultClassesOf(m.service, m.types, refs) };
  });
  // Name -> fingerprint in every member declaring it ("" once two disagree).
  const prints = new Map<string, { print: string; count: number }>();
  for (const m of analysed) {
    // Docs as the shared module would write them: without this WSDL's operations.
    const uses = new TypeUses(m.types);
    for (const [name, type] of m.types) {
      // What the module would declare: the metadata and the TypeScript, whichever side it is on.
      const print = JSON.stringify([type, declarationsOf(type, m.refs, uses)]);
      const seen = prints.get(name);
      if (!seen) prints.set(name, { print, count: 1 });
      else prints.set(name, { print: seen.print === print ? print : '', count: seen.count + 1 });
    }
  }
  const shared = new Set([...prints].filter(([, p]) => p.count >= 2 && p.print !== '').map(([name]) => name));
  const typeOf = (name: string): ModelType => {
    for (const m of analysed) {
      const type = m.types.get(name);
      if (type) return type;
    }
    throw new Error(`no type ${name}`);
  };
  const dependencies = (type: ModelType): string[] => [
    ...memberTypes(type),
    ...(type.meta.kind === 'complex' ? (type.meta.derived ?? []) : []),
  ];
  // Shared only with everything it refers to: drop the others until nothing changes.
  for (let changed = true; changed; ) {
    changed = false;
    for (const name of shared) {
      if (dependencies(typeOf(name)).some((d) => !shared.has(d))) {
        shared.delete(name);
        changed = true;
      }
    }
  }
  // Declaration order: the first member's, then each later member's additions.
  const types = new Map<string, ModelType>();
  for (const m of analysed) for (const [name, type] of m.types) if (shared.has(name)) types.set(name, type);
  const sides: TypeSides = {
    inputs: new Set(analysed.flatMap((m) => [...m.sides.inputs].filter((n) => shared.has(n)))),
    outputs: new Set(analysed.flatMap((m) => [...m.sides.outputs].filter((n) => shared.has(n)))),
    outputVariants: new Map(analysed.flatMap((m) => [...m.sides.outputVariants].filter(([n]) => shared.has(n)))),
  };
  const faults = sharedFaults(analysed, shared);
  const faultKey = (f: FaultClassModel): string => `${f.className} {${f.element.ns}}${f.element.name}`;
  const sharedFaultKeys = new Set(faults.map(faultKey));
  const imports = analysed.map((m) => ({
    module: moduleSpecifier(m.out, sharedOut),
    types: new Set([...m.types.keys()].filter((n) => shared.has(n))),
    faults: new Set(m.faults.filter((f) => sharedFaultKeys.has(faultKey(f))).map((f) => f.className)),
  }));
  return { types, sides, faults, imports };
}

function sharedFaults(
  members: readonly { readonly service: ServiceModel; readonly faults: readonly FaultClassModel[] }[],
  sharedTypes: ReadonlySet<string>,
): FaultClassModel[] {
  const byElement = new Map<string, { model: FaultClassModel; uses: string[]; count: number; same: boolean }>();
  for (const m of members) {
    for (const fault of m.faults) {
      const key = `{${fault.element.ns}}${fault.element.name}`;
      const print = JSON.stringify([fault.className, fault.element]);
      const uses = fault.uses.map((u) => `${m.service.serviceName}.${u}`);
      const seen = byElement.get(key);
      if (!seen) byElement.set(key, { model: fault, uses, count: 1, same: true });
      else {
        seen.uses.push(...uses);
        seen.count++;
        seen.same &&= JSON.stringify([seen.model.className, seen.model.element]) === print;
      }
    }
  }
  return [...byElement.values()]
    .filter(
      (f) =>
        f.count >= 2 && f.same && (f.model.element.type.startsWith('xs:') || sharedTypes.has(f.model.element.type)),
    )
    .map((f) => ({ ...f.model, uses: f.uses }));
}

/** The import path of the shared module from a member's folder ('../common'). */
function moduleSpecifier(from: string, to: string): string {
  const relative = path.relative(from, to).split(path.sep).join('/');
  return relative.startsWith('.') ? relative : `./${relative}`;
}
