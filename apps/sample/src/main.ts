/**
 * `npm run sample`: every flow, each against its local mock unless its real endpoint is
 * configured (see the README: ALSECO_*, TRUE_API_*, ESF_*, SHEP_* / SONO_*).
 */
import { runAlsecoSample } from './alseco-flow.js';
import { runEsfSample } from './esf-flow.js';
import { runIsgoSample } from './isgo-flow.js';
import { runSonoFnoFlow } from './sono-fno-flow.js';
import { runTrueApiSample } from './true-api-flow.js';

async function main(): Promise<void> {
  const log = (line: string) => console.log(`  ${line}`);
  await runAlsecoSample(log);
  await runTrueApiSample(log);
  await runEsfSample(log);
  await runIsgoSample(log);
  await runSonoFnoFlow(log);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? `${error.name}: ${error.message}` : error);
  process.exitCode = 1;
});
