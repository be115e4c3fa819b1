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
 * Needs the packages built (`npm run build`). Exits 1 on a stale report or an API Extractor error.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Extractor, ExtractorConfig } from '@microsoft/api-extractor';

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
          'ae-forgotten-export': { logLevel: 'none', addToApiReportFile: false },
        },
        tsdocMessageReporting: { default: { logLevel: 'none' } },
      },
    },
    configObjectFullPath: undefined,
    packageJsonFullPath: path.join(pkg.dir, 'package.json'),
  });
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
 * or were rewritten, and errors (including a report with undocumented items).
 */
export function apiReports({ check, packages }) {
  const tempFolder = mkdtempSync(path.join(tmpdir(), 'kz-api-'));
  const changed = [];
  const errors = [];
  try {
    for (const pkg of packages) {
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
              if (message.logLevel === 'error') errors.push(`${entry.name}: ${message.text}`);
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
