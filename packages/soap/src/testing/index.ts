export { type FixtureFolder, fixtureFolder, operationOf, ReplayTransport, soapVersionOf } from './fixtures.js';
export { type LocalServer, startLocalServer } from './local-server.js';
export { type CanonicalElement, canonicalXml, type EquivalenceOptions, xmlDifference } from './xml-equivalence.js';
