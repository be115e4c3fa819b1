/**
 * cold-start, node-soap's side: a fresh process that imports soap, builds a client from the
 * Alseco WSDL (argv[3]) and completes one GetAccountState call against argv[2]; prints the
 * result's size.
 */
import soap from 'soap';

const client = await soap.createClientAsync(process.argv[3] as string, { endpoint: process.argv[2] as string });
const [result] = await client.GetAccountStateAsync({ accountId: 2429284, bankCode: 'ALSC' });
// Exit once written, on both sides: a keep-alive socket must not decide when the process ends.
process.stdout.write(`${JSON.stringify(result).length}\n`, () => process.exit(0));
