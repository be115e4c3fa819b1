/**
 * The per-package codegen config (`kz-codegen.json`): the contracts a package generates and the
 * shared modules several of them draw their common types from. Read and checked here; every
 * mistake is a ConfigError naming the file and the field (the CLI's usage error, exit 2).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';

/** The file `kz-codegen generate` reads when given no input flags. */
export const CONFIG_FILE = 'kz-codegen.json';

/** One contract of a package, paths resolved against the config file's folder. */
export interface ContractConfig {
  readonly wsdl?: string;
  readonly xsd?: readonly string[];
  readonly openapi?: string;
  readonly out: string;
  /** The shared module (a key of `shared`) this WSDL's common types go to. */
  readonly shared?: string;
  /** Input elements the generated client fills from its constructor's `bound` (see ClientFeatures). */
  readonly bind?: readonly string[];
  /** Whether methods return the single `<Operation>Result` of a .NET answer (see ClientFeatures). */
  readonly unwrapResults?: boolean;
}

export interface CodegenConfig {
  /** The config file, absolute. */
  readonly file: string;
  readonly contracts: readonly ContractConfig[];
  /** Shared module name -> its output folder (absolute). */
  readonly shared: ReadonlyMap<string, string>;
}

/** A config that cannot be used: the CLI reports it as a usage error. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

const CONTRACT_KEYS = new Set(['wsdl', 'xsd', 'openapi', 'out', 'shared', 'bind', 'unwrapResults']);

export async function readConfig(file: string): Promise<CodegenConfig> {
  const absolute = path.resolve(file);
  const shown = path.relative(process.cwd(), absolute) || absolute;
  const fail = (message: string): never => {
    throw new ConfigError(`${shown}: ${message}`);
  };
  const text = await readFile(absolute, 'utf8').catch((error: NodeJS.ErrnoException) =>
    fail(error.code === 'ENOENT' ? 'no such file' : `cannot be read (${error.code ?? error.message})`),
  );
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    fail(`is not JSON (${(error as Error).message})`);
  }
  if (!isObject(raw)) return fail('must be a JSON object with "contracts"');
  for (const key of Object.keys(raw))
    if (key !== 'contracts' && key !== 'shared' && key !== '$comment') fail(`unknown field "${key}"`);
  const dir = path.dirname(absolute);
  const at = (p: string): string => path.resolve(dir, p);
  const sharedRaw = raw.shared ?? {};
  if (!isObject(sharedRaw)) return fail('"shared" must map module names to output folders');
  const shared = new Map<string, string>();
  for (const [name, out] of Object.entries(sharedRaw)) {
    if (typeof out !== 'string' || out === '') fail(`shared.${name} must be an output folder`);
    shared.set(name, at(out as string));
  }
  if (!Array.isArray(raw.contracts) || raw.contracts.length === 0)
    return fail('"contracts" must be a non-empty array of { wsdl | xsd | openapi, out }');
  const contracts = raw.contracts.map((entry: unknown, index: number): ContractConfig => {
    const where = `contracts[${index}]`;
    if (!isObject(entry)) return fail(`${where} must be an object`);
    for (const key of Object.keys(entry)) if (!CONTRACT_KEYS.has(key)) fail(`${where}: unknown field "${key}"`);
    const kinds = ['wsdl', 'xsd', 'openapi'].filter((k) => entry[k] !== undefined);
    if (kinds.length !== 1) fail(`${where} needs exactly one of "wsdl", "xsd", "openapi"`);
    if (typeof entry.out !== 'string' || entry.out === '') fail(`${where}.out must be an output folder`);
    const contract: { -readonly [K in keyof ContractConfig]: ContractConfig[K] } = { out: at(entry.out as string) };
    if (entry.wsdl !== undefined) {
      if (typeof entry.wsdl !== 'string') fail(`${where}.wsdl must be a file or URL`);
      contract.wsdl = location(entry.wsdl as string, at);
    } else if (entry.openapi !== undefined) {
      if (typeof entry.openapi !== 'string') fail(`${where}.openapi must be a file or URL`);
      contract.openapi = location(entry.openapi as string, at);
    } else {
      const xsd = typeof entry.xsd === 'string' ? [entry.xsd] : entry.xsd;
      if (!Array.isArray(xsd) || xsd.length === 0 || xsd.some((x) => typeof x !== 'string'))
        fail(`${where}.xsd must be a file or URL, or a list of them`);
      contract.xsd = (xsd as string[]).map((x) => location(x, at));
    }
    if (entry.shared !== undefined) {
      if (typeof entry.shared !== 'string' || !shared.has(entry.shared))
        fail(`${where}.shared must name a module of "shared" (${[...shared.keys()].join(', ') || 'none declared'})`);
      if (!contract.wsdl) fail(`${where}: only WSDL contracts share a module`);
      contract.shared = entry.shared as string;
    }
    if (entry.bind !== undefined) {
      const bind = entry.bind;
      if (!Array.isArray(bind) || bind.length === 0 || bind.some((b) => typeof b !== 'string' || b === ''))
        fail(`${where}.bind must be a non-empty list of input element names`);
      if (!contract.wsdl) fail(`${where}: only WSDL contracts bind inputs`);
      contract.bind = bind as string[];
    }
    if (entry.unwrapResults !== undefined) {
      if (typeof entry.unwrapResults !== 'boolean') fail(`${where}.unwrapResults must be true or false`);
      if (!contract.wsdl) fail(`${where}: only WSDL contracts unwrap results`);
      contract.unwrapResults = entry.unwrapResults as boolean;
    }
    return contract;
  });
  const outs = [...contracts.map((c) => c.out), ...shared.values()];
  const twice = outs.find((out, i) => outs.indexOf(out) !== i);
  if (twice) fail(`two outputs go to ${path.relative(dir, twice) || '.'}`);
  for (const [name] of shared)
    if (contracts.filter((c) => c.shared === name).length < 2) fail(`shared.${name} needs at least two contracts`);
  return { file: absolute, contracts, shared };
}

function location(value: string, at: (p: string) => string): string {
  return /^https?:/i.test(value) ? value : at(value);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
