/**
 * `@kz/true-api`: typed client for True API (IS MPT, ismet.kz) on openapi-fetch.
 *
 * ```ts
 * const trueApi = createTrueApiClient({ environment: 'stage', signer: RsaSha256Signer.fromPkcs12(p12, password) });
 * const infos = await trueApi.cisesInfo(codes);
 * const { data } = await trueApi.api.GET('/cises/history', { params: { query: { cis } } });
 * ```
 */
import { createTrueApiSession, type TrueApiClientOptions, type TrueApiSession } from './client.js';
import { TrueApiWorkflows } from './workflows.js';

export {
  createTrueApiSession,
  operationOf,
  TRUE_API_SERVERS,
  type TrueApiClientOptions,
  type TrueApiEnvironment,
  type TrueApiFetchClient,
  type TrueApiHooks,
  type TrueApiSession,
} from './client.js';
export { redactToken, SERVICE, TrueApiError } from './errors.js';
export type { OperationId, OperationMeta } from './generated/operations.js';
export { operationMeta } from './generated/operations.js';
export type { components, operations, paths } from './generated/types.js';
export { encodeRfc3986, serializeQuery } from './query.js';
export { REST_CODEC_POLICY } from './rest-codec.js';
export { BEARER_TOKEN_POLICY, TOKEN_SECRET_POLICY, tokenExpiry } from './session-token.js';
export {
  CisesOrderError,
  type CisesOrderRecord,
  type CisesOrderRequest,
  type CisesOrderStatus,
  type CisInfoResult,
  MAX_CODES_PER_REQUEST,
  type OrderOptions,
  type OrderProgress,
  type OrderResult,
  type PageOptions,
  type ProductGroup,
  recordsOf,
  TrueApiWorkflows,
  type WorkflowOptions,
} from './workflows.js';
export { readZip, writeZip, type ZipEntry, ZipFormatError } from './zip.js';

/** A True API session (typed `api`, login) with the workflow conveniences. */
export type TrueApiClient = TrueApiSession & TrueApiWorkflows;

export function createTrueApiClient(options: TrueApiClientOptions): TrueApiClient {
  const session = createTrueApiSession(options);
  const client = new TrueApiWorkflows(
    session.api,
    options.checkIdentifiers === undefined ? {} : { checkIdentifiers: options.checkIdentifiers },
  );
  Object.defineProperties(client, {
    api: { value: session.api, enumerable: true },
    baseUrl: { value: session.baseUrl, enumerable: true },
    pipeline: { value: session.pipeline, enumerable: true },
    login: { value: () => session.login() },
    logout: { value: () => session.logout() },
    authenticated: { get: () => session.authenticated },
  });
  return client as TrueApiClient;
}
