#!/usr/bin/env node
/**
 * kz-codegen generate --wsdl <file|url> --out <dir> [--check] [--changeset]
 * kz-codegen generate --xsd <file|url> --out <dir> [--check] [--changeset]
 * kz-codegen generate --openapi <file|url> --out <dir> [--check] [--changeset]
 *
 * --changeset: when the generated API changed, write a changeset for the owning package.
 */
import { parseArgs } from 'node:util';
import { generate } from './generate.js';
import { ContractError } from './xml.js';

const USAGE = `usage:
  kz-codegen generate --wsdl <file|url> --out <dir> [--check] [--changeset]
  kz-codegen generate --xsd <file|url> --out <dir> [--check] [--changeset]
  kz-codegen generate --openapi <file|url> --out <dir> [--check] [--changeset]`;

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      wsdl: { type: 'string' },
      xsd: { type: 'string' },
      openapi: { type: 'string' },
      out: { type: 'string' },
      check: { type: 'boolean', default: false },
      changeset: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help || positionals[0] !== 'generate' || !values.out) {
    console.error(USAGE);
    return values.help ? 0 : 2;
  }
  const inputs = [values.wsdl, values.xsd, values.openapi].filter(Boolean);
  if (inputs.length !== 1) {
    console.error(`give exactly one of --wsdl, --xsd, --openapi\n${USAGE}`);
    return 2;
  }
  const check = values.check === true;
  const result = await generate({
    ...(values.wsdl
      ? { wsdl: values.wsdl }
      : values.openapi
        ? { openapi: values.openapi }
        : { xsd: values.xsd as string }),
    out: values.out,
    check,
    changeset: values.changeset === true,
  });
  if (check) {
    if (result.stale.length > 0) {
      console.error(
        `kz-codegen: generated code is stale; run \`npm run generate\`:\n${result.stale.map((f) => `  ${f}`).join('\n')}`,
      );
      return 1;
    }
    console.log(`kz-codegen: ${result.files.length} file(s) up to date in ${values.out}`);
    return 0;
  }
  console.log(`kz-codegen: wrote ${result.stale.length} of ${result.files.length} file(s) in ${values.out}`);
  if (result.changesetFile) console.log(`kz-codegen: the API changed; wrote ${result.changesetFile}`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof ContractError || (error instanceof Error && !(error instanceof TypeError))) {
      console.error(`kz-codegen: ${error.message}`);
    } else {
      console.error(error);
    }
    process.exitCode = 1;
  },
);
