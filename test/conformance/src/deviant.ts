/**
 * The canary: a package that breaks every convention the checks enforce. The conformance test
 * runs the same checks on it and expects each deviation reported, so a check that stopped
 * working would show here.
 */
import { KzError, type Transport } from '@kz/soap';
import type { PackageUnderTest } from './rules.js';

/** An error outside the family. */
class DeviantError extends Error {}

/** In the family, but with a code outside the closed list. */
class DeviantCodeError extends KzError {
  constructor() {
    super({ service: 'Deviant', operation: 'x' }, 'NOT_A_LISTED_CODE' as never, 'sample');
  }
}

/** In the family, with no sample in the table. */
class DeviantUnsampledError extends KzError {}

/** A package-local wait-timeout error, and its own sleep and poll. */
class DeviantTimeoutError extends KzError {}
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const pollOrder = async () => undefined;

/** `baseUrl` instead of `endpoint`, a sample address when it is missing, `api`, no close, no dispose. */
function createDeviantClient(options: { baseUrl?: string; transport?: Transport }) {
  return { api: {}, baseUrl: options.baseUrl ?? 'http://localhost:9080/SampleService' };
}

/** Conforms except that `await using` leaves the transport open. */
function createLeakyClient(options: { endpoint?: string; transport?: Transport }) {
  if (!options.endpoint)
    throw new KzError({ service: 'Leaky', operation: '*' }, 'CONFIG_ERROR', 'endpoint is required');
  return { operations: {}, close() {}, async [Symbol.asyncDispose]() {} };
}

/** A factory nobody described. */
function createUnlistedClient() {
  return {};
}

export const DEVIANT: PackageUnderTest = {
  name: '@kz/deviant',
  exports: {
    DeviantError,
    DeviantCodeError,
    DeviantUnsampledError,
    DeviantTimeoutError,
    sleep,
    pollOrder,
    createDeviantClient,
    createLeakyClient,
    createUnlistedClient,
  },
  factories: {
    createDeviantClient: (transport) => ({ endpoint: 'http://127.0.0.1:9/x', transport }),
    createLeakyClient: (transport) => ({ endpoint: 'http://127.0.0.1:9/x', transport }),
  },
  errorSamples: {
    DeviantCodeError: () => new DeviantCodeError(),
    DeviantTimeoutError: () => new DeviantTimeoutError({ service: 'Deviant', operation: 'x' }, 'WAIT_TIMEOUT', 'x'),
  },
};

/** Every deviation the checks must report for the canary, in export order. */
export const DEVIANT_EXPECTED: readonly string[] = [
  '@kz/deviant.DeviantError: error-family: an exported error class outside the KzError family',
  '@kz/deviant.DeviantCodeError: error-code: code NOT_A_LISTED_CODE is not in KZ_ERROR_CODES',
  '@kz/deviant.DeviantUnsampledError: error-sample: no sample instance to check its code (add one to the package table)',
  "@kz/deviant.DeviantTimeoutError: one-poll: waits use @kz/soap's poll, sleep and WaitTimeoutError, not a package's own",
  "@kz/deviant.sleep: one-poll: waits use @kz/soap's poll, sleep and WaitTimeoutError, not a package's own",
  "@kz/deviant.pollOrder: one-poll: waits use @kz/soap's poll, sleep and WaitTimeoutError, not a package's own",
  '@kz/deviant.createDeviantClient: endpoint-required: without endpoint it must throw KzError CONFIG_ERROR naming `endpoint`',
  '@kz/deviant.createDeviantClient: operations: the client has no `operations` (the generated client)',
  '@kz/deviant.createDeviantClient: close: the client has no close()',
  '@kz/deviant.createDeviantClient: async-dispose: the client has no [Symbol.asyncDispose]',
  '@kz/deviant.createLeakyClient: async-dispose: await using did not release the transport',
  '@kz/deviant.createUnlistedClient: factory-fixture: a client factory without minimal options in the package table',
];
