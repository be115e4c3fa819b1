export { type FixtureFolder, fixtureFolder, operationOf, ReplayTransport, soapVersionOf } from './fixtures.js';
export { type LocalServer, startLocalServer } from './local-server.js';
export {
  repairNotes,
  type SeedRepair,
  type SeedSample,
  sampleStarts,
  seedDrift,
  seedLines,
  seedsDir,
  withoutLineWraps,
} from './seed-samples.js';
export {
  MOCK_CALLS_POLICY,
  type SoapMock,
  type SoapMockCall,
  type SoapMockOptions,
  type SoapMockService,
  startSoapMock,
} from './soap-mock.js';
export { type CanonicalElement, canonicalXml, type EquivalenceOptions, xmlDifference } from './xml-equivalence.js';
