/**
 * `@kz/true-api`: typed client for True API (IS MPT, ismet.kz) on openapi-fetch.
 *
 * ```ts
 * const trueApi = createTrueApiClient({ environment: 'stage', signer: RsaSha256Signer.fromPkcs12(p12, password) });
 * const infos = await trueApi.cisesInfo(codes);
 * const { data } = await trueApi.operations.GET('/cises/history', { params: { query: { cis } } });
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
  type OperationQuery,
  type OrderOptions,
  type OrderProgress,
  type OrderResult,
  type OrderWaitResume,
  type PageOptions,
  type ProductGroup,
  recordsOf,
  type Schemas,
  TrueApiWorkflows,
  type WorkflowOptions,
} from './workflows.js';
export { readZip, writeZip, type ZipEntry, ZipFormatError } from './zip.js';

/** A True API session (typed `operations`, login, close) with the workflow conveniences. */
export type TrueApiClient = TrueApiSession & TrueApiWorkflows;

/**
 * Creates a True API client (IS MPT, ismet.kz, Kazakhstan's product marking): a session (typed `operations` over all
 * 46 methods, automatic signed login, pipeline) with the workflow conveniences (orderMyCodes, cisesInfo and the
 * other chunked lookups, paged iterators). Failures are thrown as TrueApiError (HTTP status, errorMessage) or other
 * @kz/soap errors; `await using trueApi = createTrueApiClient(…)` releases connections at the end of the scope.
 * @throws KzError (`CONFIG_ERROR`) when neither or both of `endpoint` and `environment` are given, or the URL is not
 * http(s).
 */
export function createTrueApiClient(options: TrueApiClientOptions): TrueApiClient {
  const session = createTrueApiSession(options);
  const client = new TrueApiWorkflows(
    session.operations,
    options.checkIdentifiers === undefined ? {} : { checkIdentifiers: options.checkIdentifiers },
  );
  Object.defineProperties(client, {
    operations: { value: session.operations, enumerable: true },
    endpoint: { value: session.endpoint, enumerable: true },
    close: { value: () => session.close() },
    [Symbol.asyncDispose]: { value: () => session[Symbol.asyncDispose]() },
    pipeline: { value: session.pipeline, enumerable: true },
    login: { value: () => session.login() },
    logout: { value: () => session.logout() },
    authenticated: { get: () => session.authenticated },
  });
  return client as TrueApiClient;
}
