/**
 * memory-10mb, one side per process (run with --expose-gc): decodes the 10 MB response once and
 * prints how much memory the decoding took at its peak, as JSON.
 *
 * Method: after a full GC, v8.GCProfiler records every collection during the decode with the
 * heap used just before it (the tops of the saw-tooth); the peak is the largest of those and of
 * the heap used when decoding ends (the result still held), minus the heap used before. Memory
 * outside the V8 heap that the decode leaves held (external strings and buffers, e.g. our Latin-1
 * view of the bytes) is added: `external` after minus before.
 */
import v8 from 'node:v8';
import { AlsecoPaymentsServiceClient } from '@kz/alseco';
import soap from 'soap';
import { ALSECO_WSDL, invoicesResponse } from '../payloads.js';

const side = process.argv[2];
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');

const xml = invoicesResponse(4000, 2);
const bytes = Buffer.from(xml);
const input = { accounts: [100000] };
// Each side gets what its HTTP layer hands it: ours the bytes, node-soap the string axios decoded.
const decode =
  side === 'ours'
    ? await (async () => {
        const client = new AlsecoPaymentsServiceClient({
          endpoint: 'http://127.0.0.1:9/AlsecoPaymentsService.asmx',
          bound: { bankCode: 'ALSC' },
          transport: {
            send: async () => ({ status: 200, headers: { 'content-type': 'text/xml; charset=utf-8' }, body: bytes }),
          },
        });
        return () => client.getInvoicesByAccountsNew(input);
      })()
    : await (async () => {
        const client = await soap.createClientAsync(ALSECO_WSDL, { disableCache: true });
        return async () => client.wsdl.xmlToObject(xml);
      })();

// One decode first, so code loading and compilation are not counted as decoding memory.
await decode();
gc();
gc();
const before = process.memoryUsage();
const profiler = new v8.GCProfiler();
profiler.start();
const result = await decode();
const after = process.memoryUsage();
const profile = profiler.stop();
let peakHeap = after.heapUsed;
for (const event of profile.statistics) peakHeap = Math.max(peakHeap, event.beforeGC.heapStatistics.usedHeapSize);
const external = Math.max(0, after.external - before.external);
process.stdout.write(
  `${JSON.stringify({
    side,
    bytes: bytes.length,
    heapGrowth: peakHeap - before.heapUsed,
    external,
    peakGrowth: peakHeap - before.heapUsed + external,
    collections: profile.statistics.length,
    decoded: result !== undefined,
  })}\n`,
  () => process.exit(0),
);
