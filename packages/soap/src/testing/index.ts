export { type LocalServer, startLocalServer } from './local-server.js';
export { type CanonicalElement, canonicalXml, type EquivalenceOptions, xmlDifference } from './xml-equivalence.js';
