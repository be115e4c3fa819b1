/**
 * `npm run sample [-- <flow>...]`: every flow (or the named ones), each against its local mock
 * unless its real endpoint is configured (docs/production/). A failing flow does not stop the
 * others; the exit code is 1 when any failed, 2 for an unknown flow name.
 */
import { describeFailure } from './failure.js';
import { FLOWS, type Flow } from './flows.js';

async function main(names: string[]): Promise<number> {
  const unknown = names.filter((name) => !FLOWS.some((flow) => flow.name === name));
  if (unknown.length > 0) {
    console.error(`unknown flow ${unknown.join(', ')}; the flows are: ${FLOWS.map((f) => f.name).join(', ')}`);
    return 2;
  }
  const selected = names.length === 0 ? FLOWS : names.map((name) => FLOWS.find((flow) => flow.name === name) as Flow);
  const failed: string[] = [];
  for (const flow of selected) {
    try {
      await flow.run((line) => console.log(`  ${line}`));
    } catch (error) {
      failed.push(flow.name);
      const [first, ...rest] = describeFailure(flow, error);
      console.log(`${flow.name} FAILED: ${first}`);
      for (const line of rest) console.log(`  ${line}`);
    }
  }
  const passed = selected.length - failed.length;
  console.log(
    failed.length === 0
      ? `${passed} of ${selected.length} flow(s) passed`
      : `${passed} of ${selected.length} flow(s) passed; failed: ${failed.join(', ')}`,
  );
  return failed.length === 0 ? 0 : 1;
}

process.exitCode = await main(process.argv.slice(2));
