/**
 * `npm run sample`: runs the flows against local mocks, or against real endpoints when
 * configured (ALSECO_ENDPOINT and ALSECO_BANK_CODE).
 */
import { startAlsecoMock } from '@kz/alseco/testing';
import { runAlsecoFlow } from './alseco-flow.js';
import { runEsfSample } from './esf-flow.js';
import { runSonoFnoFlow } from './sono-fno-flow.js';
import { runTrueApiSample } from './true-api-flow.js';

async function main(): Promise<void> {
  const log = (line: string) => console.log(`  ${line}`);
  const realEndpoint = process.env.ALSECO_ENDPOINT;
  const mock = realEndpoint ? undefined : await startAlsecoMock();
  try {
    console.log(`Alseco: a bank's day (${realEndpoint ? realEndpoint : `mock at ${mock?.endpoint}`})`);
    await runAlsecoFlow({
      endpoint: realEndpoint ?? (mock?.endpoint as string),
      bankCode: process.env.ALSECO_BANK_CODE ?? 'ALSC',
      accounts: (process.env.ALSECO_ACCOUNTS ?? '2429284,1988565,7777444').split(',').map(Number),
      log,
    });
  } finally {
    await mock?.close();
  }
  await runTrueApiSample(log);
  await runEsfSample(log);
  await runSonoFnoFlow(log);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? `${error.name}: ${error.message}` : error);
  process.exitCode = 1;
});
