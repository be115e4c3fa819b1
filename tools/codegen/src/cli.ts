#!/usr/bin/env node
/**
 * kz-codegen: the command line. Usage errors exit 2 with one line, contract errors exit 1 with
 * one line naming the input, never a stack trace; --help and --version print on stdout.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { CONFIG_FILE, ConfigError, readConfig } from './config.js';
import { generate, generateFromConfig } from './generate.js';

const HELP = `kz-codegen: typed TypeScript clients from WSDL/XSD (on @kz/soap) and OpenAPI (on openapi-fetch).

usage:
  kz-codegen generate (--wsdl <file|url> | --xsd <file|url>... | --openapi <file|url>) --out <dir> [options]
  kz-codegen generate [--config <file>] [--check] [--changeset]

With no input flag, generate reads the package's config, kz-codegen.json in the current folder (or
--config <file>): every contract it names, each WSDL group's shared types into one shared module
(tools/codegen/README.md, "Per-package config").

inputs (exactly one kind):
  --wsdl <file|url>     a WSDL 1.1 contract: types, serde metadata and a client class
  --xsd <file|url>      an XML Schema: types and document codecs, no client; repeat --xsd for
                        schemas that import each other without a schemaLocation
  --openapi <file|url>  an OpenAPI 3.x document: openapi-typescript types and the operation list

options:
  --config <file>       a kz-codegen.json naming the package's contracts and shared modules
  --out <dir>           the folder the generated .ts files go to (files it did not generate are left alone)
  --check               write nothing; exit 1 if the files in --out differ from what the input produces
  --changeset           when the generated API changed, write a changeset for the package owning --out
  -h, --help            this help
  -v, --version         the version of kz-codegen

examples:
  kz-codegen generate --wsdl https://example.test/Service.svc?wsdl --out src/generated
  kz-codegen generate --xsd InvoiceV2.xsd --xsd AbstractInvoice.xsd --out src/generated/invoice
  kz-codegen generate --openapi openapi.yaml --out src/generated/api --check
  kz-codegen generate --check                      (in a package with a kz-codegen.json)

The generated code imports only @kz/soap (WSDL, XSD) or openapi-fetch (OpenAPI): npm install @kz/soap.
Exit codes: 0 done, 1 the input could not be generated (or --check found stale files), 2 usage error.`;

const OPTIONS = {
  wsdl: { type: 'string' },
  xsd: { type: 'string', multiple: true },
  openapi: { type: 'string' },
  config: { type: 'string' },
  out: { type: 'string' },
  check: { type: 'boolean' },
  changeset: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const;

class UsageError extends Error {}

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/** The command that regenerates this output, as given (shown in headers and --check advice). */
function commandOf(argv: readonly string[]): string {
  const kept = argv.filter((a) => a !== '--check' && a !== '--changeset');
  return ['kz-codegen', ...kept]
    .map((a) => (/^[\w@%+=:,./?&-]+$/.test(a) ? a : `'${a.replace(/'/g, "'\\''")}'`))
    .join(' ');
}

async function main(argv: string[]): Promise<number> {
  let parsed: ReturnType<typeof parseArgs<{ args: string[]; options: typeof OPTIONS; allowPositionals: true }>>;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message.split('\n')[0]?.replace(/\. To specify .*$/, '') ?? 'bad arguments');
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  if (values.version) {
    console.log(version());
    return 0;
  }
  if (positionals.length === 0) throw new UsageError('missing command: kz-codegen generate ...');
  if (positionals[0] !== 'generate') throw new UsageError(`unknown command "${positionals[0]}"`);
  if (positionals.length > 1) throw new UsageError(`unexpected argument "${positionals[1]}"`);
  const kinds = [values.wsdl && '--wsdl', values.xsd && '--xsd', values.openapi && '--openapi'].filter(Boolean);
  if (values.config !== undefined || (kinds.length === 0 && values.out === undefined && existsSync(CONFIG_FILE))) {
    if (kinds.length > 0 || values.out !== undefined)
      throw new UsageError(
        `--config names the inputs and outputs: give no ${[...kinds, ...(values.out ? ['--out'] : [])].join(', ')}`,
      );
    return fromConfig(values.config ?? CONFIG_FILE, values.check === true, values.changeset === true);
  }
  if (kinds.length === 0)
    throw new UsageError(`missing input: give --wsdl, --xsd or --openapi (or run where a ${CONFIG_FILE} is)`);
  if (kinds.length > 1)
    throw new UsageError(`give exactly one of --wsdl, --xsd, --openapi, not ${kinds.join(' and ')}`);
  if (!values.out) throw new UsageError('missing --out <dir>');
  const input = values.wsdl ?? values.openapi ?? (values.xsd as string[]).join(', ');
  const check = values.check === true;
  const command = commandOf(argv);
  // Every line names the input; most name the file they are about already.
  const inputs = values.wsdl || values.openapi ? [input] : (values.xsd as string[]);
  const namesInput = (line: string): boolean =>
    inputs.some((n) => line.includes(n) || line.includes(n.replace(/^.*[\\/]/, '')));
  try {
    const result = await generate({
      ...(values.wsdl
        ? { wsdl: values.wsdl }
        : values.openapi
          ? { openapi: values.openapi }
          : { xsd: values.xsd as string[] }),
      out: values.out,
      check,
      changeset: values.changeset === true,
      command,
      onNote: (line) => console.error(`kz-codegen: ${namesInput(line) ? '' : `${input}: `}${line}`),
    });
    if (check) {
      if (result.stale.length > 0) {
        console.error(
          `kz-codegen: generated code is stale; run \`${result.regenerate}\`:\n${result.stale.map((f) => `  ${f}`).join('\n')}`,
        );
        return 1;
      }
      console.log(`kz-codegen: ${result.files.length} file(s) up to date in ${values.out}`);
      return 0;
    }
    console.log(`kz-codegen: wrote ${result.stale.length} of ${result.files.length} file(s) in ${values.out}`);
    if (result.changesetFile) console.log(`kz-codegen: the API changed; wrote ${result.changesetFile}`);
    return 0;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // Every contract error names the input; most already start with the file they are about.
    throw new Error(namesInput(message) ? message : `${input}: ${message}`);
  }
}

/** Every contract of a package's config; a bad config is a usage error. */
async function fromConfig(file: string, check: boolean, changeset: boolean): Promise<number> {
  let config: Awaited<ReturnType<typeof readConfig>>;
  try {
    config = await readConfig(file);
  } catch (error) {
    if (error instanceof ConfigError) throw new UsageError(error.message);
    throw error;
  }
  const outputs = await generateFromConfig(config, {
    check,
    changeset,
    onNote: (line) => console.error(`kz-codegen: ${line}`),
  });
  const shown = (dir: string): string => path.relative(process.cwd(), dir) || '.';
  const stale = outputs.flatMap((o) => o.stale);
  if (check) {
    if (stale.length > 0) {
      console.error(
        `kz-codegen: generated code is stale; run \`${outputs[0]?.regenerate}\`:\n${stale.map((f) => `  ${f}`).join('\n')}`,
      );
      return 1;
    }
    for (const o of outputs) console.log(`kz-codegen: ${o.files.length} file(s) up to date in ${shown(o.out)}`);
    return 0;
  }
  for (const o of outputs) {
    console.log(`kz-codegen: wrote ${o.stale.length} of ${o.files.length} file(s) in ${shown(o.out)}`);
    if (o.changesetFile) console.log(`kz-codegen: the API changed; wrote ${o.changesetFile}`);
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const message = (error instanceof Error ? error.message : String(error)).split('\n')[0];
    if (error instanceof UsageError) {
      console.error(`kz-codegen: ${message} (kz-codegen --help for usage)`);
      process.exitCode = 2;
      return;
    }
    console.error(`kz-codegen: ${message}`);
    process.exitCode = 1;
  },
);
