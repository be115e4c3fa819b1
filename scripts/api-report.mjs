#!/usr/bin/env node
/**
 * API reports: for every publishable package and each entry point of its `exports` map, API
 * Extractor reads the built declarations (dist/*.d.ts) and writes `etc/<entry>.api.md`, the public
 * API as reviewers see it; an export without a doc comment is marked `// (undocumented)` in it.
 *
 *   node scripts/api-report.mjs [dir...]           write the reports (npm run docs:api)
 *   node scripts/api-report.mjs --check [dir...]   fail, naming the files, when a report is stale
 *
 * `dir`: package folders (default: every publishable package); each package's `api:check` target
 * runs it for itself, so Nx checks only the packages that changed, in parallel, from its cache.
 * Every export and member must have a doc comment: a report with an `(undocumented)` item fails
 * both writing and checking (exit 1), naming the report and the count; document the item instead.
 * A type named by a public signature must be exported (users must be able to name it), by that
 * entry point or another of the package (@kz/x/testing may name @kz/x's types): one that is not
 * (API Extractor's ae-forgotten-export) fails too, naming the entry point and the symbol.
 * Needs the packages built (`npm run build`). Exits 1 on a stale report or an API Extractor error.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Extractor, ExtractorConfig } from '@microsoft/api-extractor';
import ts from 'typescript';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Every publishable package: packages/* and tools/* that are not private. */
export function publishablePackages() {
  return ['packages', 'tools'].flatMap((parent) =>
    readdirSync(path.join(ROOT, parent), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => path.join(ROOT, parent, entry.name))
      .flatMap((dir) => {
        let manifest;
        try {
          manifest = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
        } catch {
          return [];
        }
        return manifest.private ? [] : [{ dir, manifest }];
      }),
  );
}

/** Each `exports` entry with types: `{ subpath: '.', name: 'alseco', types: '/abs/dist/index.d.ts' }`. */
export function entryPoints({ dir, manifest }) {
  const unscoped = manifest.name.replace(/^@[^/]+\//, '');
  return Object.entries(manifest.exports ?? {}).flatMap(([subpath, target]) => {
    const types = typeof target === 'object' && target !== null ? target.types : undefined;
    if (typeof types !== 'string') return [];
    const suffix = subpath === '.' ? '' : `-${subpath.replace(/^\.\//, '').replace(/[^\w-]+/g, '-')}`;
    return [{ subpath, name: `${unscoped}${suffix}`, types: path.join(dir, types) }];
  });
}

function configFor(pkg, entry, tempFolder) {
  return ExtractorConfig.prepare({
    configObject: {
      projectFolder: pkg.dir,
      mainEntryPointFilePath: entry.types,
      bundledPackages: [],
      compiler: {
        overrideTsconfig: {
          compilerOptions: {
            target: 'ES2022',
            // DOM: @kz/signing's declarations name xmldom's Node/Element, as its dependencies declare them.
            lib: ['ES2023', 'DOM'],
            module: 'NodeNext',
            moduleResolution: 'NodeNext',
            types: ['node'],
            strict: true,
            skipLibCheck: true,
          },
          files: [entry.types],
        },
      },
      apiReport: {
        enabled: true,
        reportFileName: entry.name,
        reportFolder: path.join(pkg.dir, 'etc'),
        reportTempFolder: tempFolder,
        includeForgottenExports: false,
      },
      docModel: { enabled: false },
      dtsRollup: { enabled: false },
      tsdocMetadata: { enabled: false },
      newlineKind: 'lf',
      messages: {
        compilerMessageReporting: { default: { logLevel: 'error' } },
        extractorMessageReporting: {
          default: { logLevel: 'none' },
          // Undocumented items are marked inline ("// (undocumented)"); the footer would repeat them with
          // declaration line numbers, which change with every unrelated edit.
          'ae-undocumented': { logLevel: 'none', addToApiReportFile: false },
          // A type a public signature names but the entry point does not export: users cannot name it.
          'ae-forgotten-export': { logLevel: 'error', addToApiReportFile: false },
        },
        tsdocMessageReporting: { default: { logLevel: 'none' } },
      },
    },
    configObjectFullPath: undefined,
    packageJsonFullPath: path.join(pkg.dir, 'package.json'),
  });
}

/**
 * The declarations each entry point of `pkg` exports (aliases resolved), from one TypeScript program
 * over the built declarations, and that program, to resolve the names API Extractor reports.
 */
function exportedDeclarations(pkg) {
  const entries = entryPoints(pkg);
  const program = ts.createProgram(
    entries.map((entry) => entry.types),
    {
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      skipLibCheck: true,
      noEmit: true,
    },
  );
  const checker = program.getTypeChecker();
  const byEntry = new Map();
  for (const entry of entries) {
    const file = program.getSourceFile(entry.types);
    const module = file && checker.getSymbolAtLocation(file);
    const declarations = new Set();
    for (const symbol of module ? checker.getExportsOfModule(module) : []) {
      const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
      for (const declaration of target.declarations ?? []) declarations.add(declaration);
    }
    byEntry.set(entry.subpath, declarations);
  }
  return { program, checker, byEntry };
}

/**
 * The entry point (other than `entry`) that exports the symbol an ae-forgotten-export names, if
 * any: a signature of @kz/x/testing may name a type @kz/x exports, and users name it from there.
 * The symbol is resolved in the file API Extractor reports (where a signature names it).
 */
function exportedElsewhere(exports, entry, message, symbol) {
  const { program, checker, byEntry } = exports;
  const file = message.sourceFilePath && program.getSourceFile(message.sourceFilePath);
  if (!file) return undefined;
  const name = symbol.replace(/_\d+$/, ''); // API Extractor renames colliding local names X_2, X_3
  // Resolved wherever it occurs in the file (one name, one symbol per module scope): the reported
  // line is where the naming declaration starts, which may be lines above the name itself.
  let found;
  const visit = (node) => {
    if (found) return;
    if (ts.isIdentifier(node) && node.text === name) {
      let target = checker.getSymbolAtLocation(node);
      if (target && target.flags & ts.SymbolFlags.Alias) target = checker.getAliasedSymbol(target);
      for (const [subpath, declarations] of byEntry) {
        if (subpath === entry.subpath) continue;
        if (target?.declarations?.some((declaration) => declarations.has(declaration))) found = subpath;
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

/**
 * The error for an ae-forgotten-export: a type that a public signature of `entry` names but no entry
 * point of the package exports, so users cannot name it (to annotate a variable, implement an
 * interface); undefined when another entry point of the package exports it.
 */
function forgottenExport(pkg, entry, message, exports) {
  const symbol = /symbol "([^"]+)"/.exec(message.text)?.[1] ?? message.text;
  if (exportedElsewhere(exports(), entry, message, symbol)) return undefined;
  const where = message.sourceFilePath
    ? ` (named in ${path.relative(ROOT, message.sourceFilePath)}${message.sourceFileLine ? `:${message.sourceFileLine}` : ''})`
    : '';
  return (
    `${entry.name}: ${pkg.manifest.name} entry point "${entry.subpath}" does not export ${symbol}, ` +
    `which its public API names${where}: export it (type-only, with a doc comment)`
  );
}

const undocumentedIn = (file) => {
  try {
    return readFileSync(file, 'utf8').split('(undocumented)').length - 1;
  } catch {
    return 0;
  }
};

/**
 * Runs API Extractor on every entry point of `packages`; returns the reports that changed (check)
 * or were rewritten, errors (including a report with undocumented items or a type its API names
 * that no entry point exports).
 */
export function apiReports({ check, packages }) {
  const tempFolder = mkdtempSync(path.join(tmpdir(), 'kz-api-'));
  const changed = [];
  const errors = [];
  try {
    for (const pkg of packages) {
      let exports;
      const exportsOf = () => {
        exports ??= exportedDeclarations(pkg);
        return exports;
      };
      for (const entry of entryPoints(pkg)) {
        if (!check) mkdirSync(path.join(pkg.dir, 'etc'), { recursive: true });
        const reportFile = path.join(pkg.dir, 'etc', `${entry.name}.api.md`);
        const started = performance.now();
        let result;
        try {
          result = Extractor.invoke(configFor(pkg, entry, tempFolder), {
            localBuild: !check,
            showVerboseMessages: false,
            messageCallback: (message) => {
              if (message.messageId === 'ae-forgotten-export') {
                const error = forgottenExport(pkg, entry, message, exportsOf);
                if (error) errors.push(error);
              } else if (message.logLevel === 'error') errors.push(`${entry.name}: ${message.text}`);
              message.handled = true;
            },
          });
        } catch (error) {
          errors.push(`${entry.name}: ${error.message}`);
          continue;
        }
        if (process.env.KZ_API_TIMING) console.log(entry.name, Math.round(performance.now() - started), 'ms');
        const report = path.relative(ROOT, reportFile);
        if (result.apiReportChanged) changed.push(report);
        // Checking leaves the committed report in place: when it is current, its count is the build's.
        const undocumented = undocumentedIn(reportFile);
        if (undocumented > 0) {
          errors.push(
            `${report}: ${undocumented} undocumented item(s) (marked "(undocumented)" in the report): ` +
              'add doc comments, rebuild and run again',
          );
        }
      }
    }
  } finally {
    rmSync(tempFolder, { recursive: true, force: true });
  }
  return { changed, errors };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const check = args.includes('--check');
  const folders = args.filter((arg) => !arg.startsWith('--')).map((dir) => path.resolve(dir));
  const all = publishablePackages();
  const packages = folders.length === 0 ? all : all.filter((pkg) => folders.includes(pkg.dir));
  if (folders.length > 0 && packages.length !== folders.length) {
    console.error(`not a publishable package: ${folders.join(', ')}`);
    process.exit(1);
  }
  const { changed, errors } = apiReports({ check, packages });
  for (const error of errors) console.error(error);
  if (check && changed.length > 0) {
    console.error(`API reports out of date (run npm run docs:api and review): ${changed.join(', ')}`);
  } else if (changed.length > 0) {
    console.log(`API reports written: ${changed.join(', ')}`);
  }
  process.exit(errors.length > 0 || (check && changed.length > 0) ? 1 : 0);
}
