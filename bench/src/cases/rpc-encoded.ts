/**
 * rpc-encoded-decode: a large SOAP-encoded answer with multi-references, as Axis 1 or a .NET
 * rpc/encoded service sends it (every struct a multiRef beside the response, the array one too),
 * decoded through the client generated from the same WSDL vs node-soap's `client.wsdl.xmlToObject`.
 */
import path from 'node:path';
import { loadServiceMeta } from '@kz/codegen';
import { SoapClient, type Transport } from '@kz/soap';
import soap from 'soap';
import { type Result, round, sideBySide, time } from '../harness.js';
import { ROOT } from '../payloads.js';

const WSDL = path.join(ROOT, 'tools/codegen/test/corpus-encoded/people.wsdl');
const ITEMS = 5000;

/** The findPeople answer: the array and each Person a multiRef, each Person's nicknames inline. */
export function multiRefAnswer(items: number): string {
  let refs = '';
  let hrefs = '';
  for (let i = 0; i < items; i++) {
    hrefs += `<item href="#id${i + 2}"/>`;
    refs += `<multiRef id="id${i + 2}" soapenc:root="0" xsi:type="ns2:Person" xmlns:ns2="urn:people"><name xsi:type="xsd:string">Абонент ${i} &amp; Co</name><age xsi:type="xsd:int">${i % 100}</age><email xsi:type="soapenc:string">user${i}@example.kz</email><nicknames xsi:type="soapenc:Array" soapenc:arrayType="xsd:string[2]"><item xsi:type="xsd:string">n${i}</item><item xsi:type="xsd:string">m${i}</item></nicknames></multiRef>`;
  }
  return `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:soapenc="http://schemas.xmlsoap.org/soap/encoding/" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body><ns1:findPeopleResponse soapenv:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/" xmlns:ns1="urn:people"><found href="#id0"/><count href="#id1"/></ns1:findPeopleResponse><multiRef id="id0" soapenc:root="0" xsi:type="soapenc:Array" soapenc:arrayType="ns3:Person[${items}]" xmlns:ns3="urn:people">${hrefs}</multiRef><multiRef id="id1" soapenc:root="0" xsi:type="xsd:int">${items}</multiRef>${refs}</soapenv:Body></soapenv:Envelope>`;
}

function dig(value: unknown, ...keys: string[]): unknown {
  return keys.reduce<unknown>(
    (v, k) => (v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined),
    value,
  );
}

export async function rpcEncodedDecode(): Promise<Result> {
  const xml = multiRefAnswer(ITEMS);
  const bytes = Buffer.from(xml);
  const transport: Transport = {
    send: async () => ({ status: 200, headers: { 'content-type': 'text/xml; charset=utf-8' }, body: bytes }),
  };
  // The metadata the generated client (tools/codegen/test/corpus-encoded) is built on.
  const ours = new SoapClient(await loadServiceMeta(WSDL), { transport, endpoint: 'http://127.0.0.1:9/people' });
  const peer = await soap.createClientAsync(WSDL, { disableCache: true });
  const input = { people: [], tags: [], limit: ITEMS };
  // Both sides start from the same bytes, as in decode-large: node-soap's HTTP client hands
  // xmlToObject the body it decoded with Buffer.toString('utf8') (soap/lib/http.js).
  const measured = await sideBySide(
    () => time(() => ours.invoke('findPeople', input)),
    () => time(() => peer.wsdl.xmlToObject(bytes.toString('utf8'))),
    { warmup: 5, rounds: 21 },
  );
  // For comparison with earlier runs: node-soap given the string already decoded.
  const fromString = await sideBySide(
    () => time(() => ours.invoke('findPeople', input)),
    () => time(() => peer.wsdl.xmlToObject(xml)),
    { warmup: 2, rounds: 21 },
  );
  // Both sides resolved every reference?
  const decoded = (await ours.invoke('findPeople', input)) as { found: { name: string; nicknames?: string[] }[] };
  const last = decoded.found[ITEMS - 1];
  const oursComplete =
    decoded.found.length === ITEMS &&
    last?.name === `Абонент ${ITEMS - 1} & Co` &&
    last.nicknames?.[1] === `m${ITEMS - 1}`;
  const peerFound = dig(peer.wsdl.xmlToObject(xml), 'Body', 'findPeopleResponse', 'found', 'item');
  const peerLast = Array.isArray(peerFound) ? peerFound[ITEMS - 1] : undefined;
  const peerComplete = Array.isArray(peerFound) && peerFound.length === ITEMS && dig(peerLast, 'email') !== undefined;
  return {
    id: 'rpc-encoded-decode',
    ours: round(measured.ours),
    peer: round(measured.peer),
    peerName: 'client.wsdl.xmlToObject(body.toString()) (node-soap 1.13.0)',
    unit: 'ms',
    ratio: round(measured.peer / measured.ours),
    goal: 4,
    notes: {
      items: ITEMS,
      bytes: bytes.length,
      oursComplete,
      peerComplete,
      peerFromStringMs: round(fromString.peer),
      ratioPeerFromString: round(fromString.peer / fromString.ours),
    },
  };
}
