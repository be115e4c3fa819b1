/**
 * cold-start, our side: a fresh process that imports the Alseco client, builds it and completes
 * one GetAccountState call against the endpoint given as argv[2]; prints the account's state.
 */
import { AlsecoPaymentsServiceClient } from '@kz/alseco';

const client = new AlsecoPaymentsServiceClient({ endpoint: process.argv[2] as string, bound: { bankCode: 'ALSC' } });
const result = await client.getAccountState({ accountId: 2429284 });
client.soap.close();
// Exit once written, on both sides: a keep-alive socket must not decide when the process ends.
process.stdout.write(`${JSON.stringify(result).length}\n`, () => process.exit(0));
