/** This package's sample messages (test/fixtures) and the shared protocol-test helpers. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { fixtureFolder } from '@kz/soap/testing';

export { operationOf, ReplayTransport, soapVersionOf } from '@kz/soap/testing';

const folder = fixtureFolder(path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures'));

export const FIXTURES = folder.dir;
export const fixture = folder.read;
export const fixtureNames = folder.names;
