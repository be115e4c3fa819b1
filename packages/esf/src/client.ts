/**
 * The ESF session layer: a SessionService client authenticated with WS-Security UsernameToken
 * (the ESF login and password), and sessions as objects that close themselves (`await using`).
 *
 * createSession, closeSession and closeSessionByCredentials change state: they are never retried
 * (the spec does not mark them safe, so @kz/soap's retry option does not apply to them).
 * currentSessionStatus, currentUser and currentUserProfiles are safe and may be retried when the
 * caller opts in with `retry`.
 */
import {
  type CallOptions,
  type ErrorContext,
  type SoapClientOptions,
  type TlsOptions,
  type UsernameTokenOptions,
  usernameToken,
  ValidationError,
} from '@kz/soap';
import { normalizeCertificate } from './certificate.js';
import { toEsfError } from './errors.js';
import { SessionServiceClient } from './generated/client.js';
import type {
  BusinessProfileType,
  CloseSessionByCredentialsRequest,
  CreateSessionRequest,
  ProfileInfo,
  SessionStatus,
  SourceType,
  User,
} from './generated/types.js';

export const SERVICE = 'SessionService';

/** A session status as the service reports it: a value outside SessionStatus is kept as received. */
type ReportedSessionStatus = SessionStatus | (string & {});

export interface EsfClientOptions extends Omit<SoapClientOptions, 'security' | 'endpoint'> {
  /** The SessionService URL, e.g. https://esf.gov.kz:8443/esf-web/ws/api1/SessionService. */
  endpoint: string;
  /** The ESF login (the user's IIN). */
  username: string;
  /** The ESF password: sent as a PasswordText UsernameToken, never logged nor put in errors. */
  password: string;
  /** TLS settings (custom CA of the test stands, client certificate). */
  tls?: TlsOptions;
  /** wsu:Id of the UsernameToken; default a fresh id per message (see @kz/soap usernameToken). */
  tokenId?: UsernameTokenOptions['tokenId'];
}

export interface OpenSessionInput {
  /** BIN/IIN of the enterprise (or entrepreneur) the user acts for: 12 digits. */
  tin: string;
  /** The user's authentication certificate, PEM or bare base64 (normalized before sending). */
  x509Certificate: string;
  /** The profile to act in; the server picks one when absent. */
  businessProfileType?: BusinessProfileType;
  /** Project code (project profiles); digits. */
  projectCode?: string | number | bigint;
  /** What kind of client this is. */
  sourceType?: SourceType;
}

export type CloseByCredentialsInput = Omit<OpenSessionInput, 'sourceType'>;

export function createEsfClient(options: EsfClientOptions): EsfClient {
  return new EsfClient(options);
}

const TIN = /^\d{12}$/;
const DIGITS = /^\d{1,19}$/;

export class EsfClient {
  /** The generated client: every SessionService operation as the WSDL defines it. */
  readonly operations: SessionServiceClient;
  readonly username: string;

  constructor(options: EsfClientOptions) {
    const { username, password, tokenId, ...soapOptions } = options;
    if (!options.endpoint) throw new TypeError('createEsfClient: endpoint is required');
    this.username = username;
    this.operations = new SessionServiceClient({
      ...soapOptions,
      security: usernameToken({ username, password, ...(tokenId === undefined ? {} : { tokenId }) }),
    });
  }

  /** createSession: opens a session and returns it; `await using` closes it at the end of the scope. */
  async openSession(input: OpenSessionInput, options?: CallOptions): Promise<EsfSession> {
    const request = this.#credentials<CreateSessionRequest>('createSession', input);
    if (input.sourceType !== undefined) request.sourceType = input.sourceType;
    const response = await this.#call(() => this.operations.createSession(request, options));
    return new EsfSession(this, response.sessionId, request.tin, input.businessProfileType);
  }

  /** A session object for a sessionId obtained earlier (e.g. kept across a restart). */
  attachSession(sessionId: string, tin?: string): EsfSession {
    checkSessionId('attachSession', sessionId);
    return new EsfSession(this, sessionId, tin, undefined);
  }

  /**
   * closeSessionByCredentials: closes the user's session for this BIN/IIN and certificate when
   * its sessionId is lost (e.g. the process that opened it crashed). Returns the status the service
   * reports (CLOSED).
   */
  async closeSessionByCredentials(
    input: CloseByCredentialsInput,
    options?: CallOptions,
  ): Promise<ReportedSessionStatus> {
    const request = this.#credentials<CloseSessionByCredentialsRequest>('closeSessionByCredentials', input);
    const response = await this.#call(() => this.operations.closeSessionByCredentials(request, options));
    return response.status;
  }

  async sessionStatus(sessionId: string, options?: CallOptions): Promise<ReportedSessionStatus> {
    checkSessionId('currentSessionStatus', sessionId);
    return (await this.#call(() => this.operations.currentSessionStatus({ sessionId }, options))).status;
  }

  async currentUser(sessionId: string, options?: CallOptions): Promise<User> {
    checkSessionId('currentUser', sessionId);
    return (await this.#call(() => this.operations.currentUser({ sessionId }, options))).user;
  }

  async currentUserProfiles(sessionId: string, options?: CallOptions): Promise<ProfileInfo[]> {
    checkSessionId('currentUserProfiles', sessionId);
    return (await this.#call(() => this.operations.currentUserProfiles({ sessionId }, options))).profileInfoList;
  }

  async closeSession(sessionId: string, options?: CallOptions): Promise<ReportedSessionStatus> {
    checkSessionId('closeSession', sessionId);
    return (await this.#call(() => this.operations.closeSession({ sessionId }, options))).status;
  }

  /** Releases pooled connections. */
  close(): void {
    this.operations.soap.close();
  }

  #credentials<T extends CreateSessionRequest | CloseSessionByCredentialsRequest>(
    operation: string,
    input: CloseByCredentialsInput,
  ): T {
    const context: ErrorContext = { service: SERVICE, operation };
    const tin = String(input?.tin ?? '').trim();
    if (!TIN.test(tin)) throw new ValidationError(context, [{ field: 'tin', message: 'expected 12 digits (BIN/IIN)' }]);
    const request: CreateSessionRequest = {
      tin,
      x509Certificate: normalizeCertificate(input.x509Certificate, context),
    };
    if (input.projectCode !== undefined) {
      const code = String(input.projectCode);
      if (!DIGITS.test(code))
        throw new ValidationError(context, [{ field: 'projectCode', message: 'expected a number (xs:long)' }]);
      request.projectCode = code;
    }
    if (input.businessProfileType !== undefined) request.businessProfileType = input.businessProfileType;
    return request as T;
  }

  async #call<T>(send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error) {
      throw toEsfError(error);
    }
  }
}

function checkSessionId(operation: string, sessionId: string): void {
  if (typeof sessionId !== 'string' || sessionId.trim() === '') {
    throw new ValidationError({ service: SERVICE, operation }, [
      { field: 'sessionId', message: 'a sessionId is required' },
    ]);
  }
}

/**
 * An open ESF session. Pass it (or its `sessionId`) to the business services (@kz/isgo).
 * `close()` is idempotent; `await using session = await esf.openSession(...)` closes it when the
 * scope ends, also when the scope throws.
 */
export class EsfSession implements AsyncDisposable {
  readonly sessionId: string;
  /** The BIN/IIN the session acts for (when known). */
  readonly tin: string | undefined;
  readonly businessProfileType: BusinessProfileType | undefined;
  readonly #client: EsfClient;
  #closed: Promise<ReportedSessionStatus> | undefined;

  constructor(
    client: EsfClient,
    sessionId: string,
    tin: string | undefined,
    businessProfileType: BusinessProfileType | undefined,
  ) {
    this.#client = client;
    this.sessionId = sessionId;
    this.tin = tin;
    this.businessProfileType = businessProfileType;
  }

  /** True once close() has been called (successfully or not yet settled). */
  get closed(): boolean {
    return this.#closed !== undefined;
  }

  /** currentSessionStatus: OK, CLOSED or NOT_FOUND. */
  status(options?: CallOptions): Promise<ReportedSessionStatus> {
    return this.#client.sessionStatus(this.sessionId, options);
  }

  /** currentUser. */
  user(options?: CallOptions): Promise<User> {
    return this.#client.currentUser(this.sessionId, options);
  }

  /** currentUserProfiles: the enterprises/projects the user may act for. */
  profiles(options?: CallOptions): Promise<ProfileInfo[]> {
    return this.#client.currentUserProfiles(this.sessionId, options);
  }

  /** closeSession, once: later calls return the first call's result without a new request. */
  close(options?: CallOptions): Promise<ReportedSessionStatus> {
    if (!this.#closed) {
      this.#closed = this.#client.closeSession(this.sessionId, options);
      // A failed close may be tried again.
      this.#closed.catch(() => {
        this.#closed = undefined;
      });
    }
    return this.#closed;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  toJSON(): { sessionId: string; tin: string | undefined } {
    return { sessionId: this.sessionId, tin: this.tin };
  }
}
