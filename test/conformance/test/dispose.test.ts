/**
 * Every stand-in a package's testing entry point starts (mocks, the NCANode stand-in, the local
 * server) closes at the end of an `await using` scope: its port refuses connections afterwards,
 * and closing it again is harmless.
 */
import { startAlsecoMock } from '@kz/alseco/testing';
import { startEsfMock } from '@kz/esf/testing';
import { startIsgoMock } from '@kz/isgo/testing';
import { startShepMock } from '@kz/shep/testing';
import { startNcaNodeStandIn } from '@kz/signing/testing';
import { startLocalServer } from '@kz/soap/testing';
import { startTrueApiMock } from '@kz/true-api/testing';
import { describe, expect, it } from 'vitest';

interface Started extends AsyncDisposable {
  close(): unknown;
}

/** What each stand-in is started with, and the URL it answers at. */
const standIns: [string, () => Promise<Started>, (started: never) => string][] = [
  ['@kz/alseco mock', () => startAlsecoMock(), (m: { endpoint: string }) => m.endpoint],
  ['@kz/esf mock', () => startEsfMock(), (m: { endpoint: string }) => m.endpoint],
  ['@kz/isgo mock', () => startIsgoMock(), (m: { endpoint: string }) => m.endpoint],
  ['@kz/shep mock', () => startShepMock({ senders: {} }), (m: { endpoints: { sync: string } }) => m.endpoints.sync],
  ['@kz/signing NCANode stand-in', () => startNcaNodeStandIn(), (m: { url: string }) => m.url],
  ['@kz/soap local server', () => startLocalServer((_req, res) => res.end('ok')), (m: { url: string }) => m.url],
  ['@kz/true-api mock', () => startTrueApiMock(), (m: { endpoint: string }) => m.endpoint],
];

const reach = (url: string): Promise<string> =>
  fetch(url).then(
    () => 'answered',
    () => 'refused',
  );

describe('await using', () => {
  it.each(standIns)('closes the %s at the end of the scope', async (_name, start, urlOf) => {
    let started: Started | undefined;
    let url = '';
    {
      await using scoped = await start();
      started = scoped;
      url = urlOf(scoped as never);
      expect(await reach(url)).toBe('answered');
    }
    expect(await reach(url)).toBe('refused');
    await started.close(); // closing again is harmless
  });
});
