/**
 * The ESF session layer: SessionService and AuthService clients, sessions as objects that close
 * themselves (`await using`), and the two logins:
 *
 * - the key login (since August 2023, the one GOST-2015 keys have): AuthService.createAuthTicket
 *   without WS-Security, the ticket signed with an enveloped XML-DSig by the key, then
 *   SessionService.createSessionSigned with the cabinet UsernameToken (reference-docs/FACTS.md §2);
 * - the certificate login (createSession with the certificate), which the service still takes for
 *   RSA keys and refuses for GOST-2015 keys (METHOD_NOT_SUPPORT_GOST_2015).
 *
 * `openSession({ tin, signer })` picks by the key: an RSA `Signer` logs in with its certificate,
 * any other key (a GOST `Signer`, NCANode, NCALayer) with the ticket; `login` chooses explicitly.
 *
 * createSession, createSessionSigned, closeSession and closeSessionByCredentials change state: they
 * are never retried (the spec does not mark them safe). The reads and createAuthTicket are safe and
 * may be retried when the caller opts in with `retry`.
 */
import { validateIdentifierFormat, validateIin, validateIinOrBin } from '@kz/core';
import { RSA_SHA256 } from '@kz/signing';
import {
  type BaseClientOptions,
  type CallOptions,
  type ErrorContext,
  type SoapClientOptions,
  type TlsOptions,
  type UsernameTokenOptions,
  usernameToken,
  ValidationError,
} from '@kz/soap';
import { checkCertificateIin, isSigner, parseAuthTicket, signAuthTicket, type TicketSigner } from './auth-ticket.js';
import { iinOfCertificate, normalizeCertificate } from './certificate.js';
import { type EsfEndpoints, resolveEndpoints } from './endpoints.js';
import { toEsfAuthError, toEsfError } from './errors.js';
import { AuthServiceClient } from './generated/auth/client.js';
import { SessionServiceClient } from './generated/client.js';
import { InvoiceServiceClient } from './generated/invoice-service/client.js';
import type {
  BusinessProfileType,
  CloseSessionByCredentialsRequest,
  CreateSessionRequest,
  CreateSessionSignedRequest,
  ProfileInfo,
  SessionStatus,
  SourceType,
  User,
} from './generated/types.js';
import { UploadInvoiceServiceClient } from './generated/upload/client.js';
import { EsfInvoices } from './invoices.js';

export const SERVICE = 'SessionService';

/** A session status as the service reports it: a value outside SessionStatus is kept as received. */
export type ReportedSessionStatus = SessionStatus | (string & {});

/**
 * Options of createEsfClient: where ESF is, the cabinet credentials, TLS, and the SOAP transport options
 * (timeouts, retry of the safe reads, hooks) every service client shares.
 */
export interface EsfClientOptions
  extends BaseClientOptions,
    Omit<SoapClientOptions, keyof BaseClientOptions | 'security' | 'useContractEndpoints'> {
  /** The SessionService URL, e.g. https://esf.gov.kz:8443/esf-web/ws/api1/SessionService. */
  endpoint: string;
  /**
   * The other services' URLs. By default the SessionService URL's folder with AuthService,
   * InvoiceService, UploadInvoiceService (every ESF service sits in /esf-web/ws/api1/).
   */
  endpoints?: Partial<Omit<EsfEndpoints, 'session'>>;
  /** The ESF cabinet login (the user's IIN). */
  username: string;
  /** The ESF cabinet password: sent as a PasswordText UsernameToken, never logged nor put in errors. */
  password: string;
  /** TLS settings (custom CA of the test stands, client certificate). */
  tls?: TlsOptions;
  /** wsu:Id of the UsernameToken; default a fresh id per message (see @kz/soap usernameToken). */
  tokenId?: UsernameTokenOptions['tokenId'];
  /**
   * Check every BIN/IIN (`tin`, the ticket's `iin`) with the national check-digit algorithm and the
   * rules the number encodes (@kz/core) before sending. Default true; false checks only for 12
   * digits, for test stands and mocks whose sample accounts carry numbers the algorithm rejects
   * (the ESF SDK's 123456789021 and 123456789011).
   */
  checkIdentifiers?: boolean;
}

/** Which enterprise and profile a login acts for (the part every login input shares). */
export interface SessionChoice {
  /** BIN/IIN of the enterprise (or entrepreneur) the user acts for: 12 digits. */
  tin: string;
  /** The profile to act in; the server picks one when absent. */
  businessProfileType?: BusinessProfileType;
  /** Project code (project profiles); digits. */
  projectCode?: string | number | bigint;
  /** What kind of client this is. */
  sourceType?: SourceType;
}

/** The certificate login (createSession): RSA keys. */
export interface CertificateLoginInput extends SessionChoice {
  /** The user's authentication certificate, PEM or bare base64 (normalized before sending). */
  x509Certificate: string;
}

/** The key login: the ticket signed by `signer` (or, for an RSA Signer by default, its certificate). */
export interface KeyLoginInput extends SessionChoice {
  /** Signs the ticket: a Signer (RSA built in, a GOST signer), or NCANode/NCALayer as an XmlDocumentSigner. */
  signer: TicketSigner;
  /** 'ticket' or 'certificate'; by default 'certificate' for an RSA Signer, 'ticket' otherwise. */
  login?: 'ticket' | 'certificate';
  /** IIN of the key's owner; default the one its certificate names, else the cabinet login. */
  iin?: string;
  /** Lifetime of the ticket, minutes (1..1440; the server's default 30). */
  ticketTtlMinutes?: number;
}

/**
 * What `openSession` takes: a certificate (`x509Certificate`: createSession, RSA keys) or a key (`signer`: the
 * ticket login, or the certificate login for an RSA Signer).
 */
export type OpenSessionInput = CertificateLoginInput | KeyLoginInput;

/** What `closeSessionByCredentials` takes: the BIN/IIN, certificate and profile the lost session was opened with. */
export type CloseByCredentialsInput = Omit<CertificateLoginInput, 'sourceType'>;

/**
 * Creates an EsfClient (same as `new EsfClient(options)`).
 * @throws KzError (`CONFIG_ERROR`) when `endpoint` is missing or not an http(s) URL, or another service's URL
 * cannot be derived from it (see `endpoints`).
 */
export function createEsfClient(options: EsfClientOptions): EsfClient {
  return new EsfClient(options);
}

const DIGITS = /^\d{1,19}$/;

/**
 * The ESF (electronic invoices, esf.gov.kz) client: logs in with the cabinet login/password (a WS-Security
 * UsernameToken on every SessionService, InvoiceService and UploadInvoiceService call) and opens sessions;
 * invoices are handled through the session (`session.invoices`). `await using esf = createEsfClient(…)`
 * closes the sessions it opened and its connections at the end of the scope.
 * Service refusals are thrown as EsfAccessDeniedError, EsfBusinessError, EsfSessionClosedError (login
 * refusals as EsfAuthError); invalid input as ValidationError before anything is sent.
 */
export class EsfClient implements AsyncDisposable {
  /** The generated SessionService client: every operation as the WSDL defines it. */
  readonly operations: SessionServiceClient;
  /** AuthService, called without WS-Security (a UsernameToken makes the live server issue an empty ticket). */
  readonly auth: AuthServiceClient;
  /** InvoiceService and UploadInvoiceService; `session.invoices` uses them. */
  readonly invoiceService: InvoiceServiceClient;
  /** The generated UploadInvoiceService client (syncInvoice); `session.invoices.upload` uses it. */
  readonly uploadService: UploadInvoiceServiceClient;
  /** The URL of each service, as given or derived from the SessionService URL. */
  readonly endpoints: EsfEndpoints;
  /** The cabinet login (IIN) the client authenticates with; the default IIN of the key login. */
  readonly username: string;
  /** Sessions this client opened and that are not closed yet (close() closes them). */
  readonly #open = new Set<EsfSession>();
  readonly #checkIdentifiers: boolean;

  constructor(options: EsfClientOptions) {
    const { username, password, tokenId, endpoints, endpoint, checkIdentifiers, ...soapOptions } = options;
    this.#checkIdentifiers = checkIdentifiers ?? true;
    this.endpoints = resolveEndpoints(endpoint, endpoints);
    this.username = username;
    const security = usernameToken({ username, password, ...(tokenId === undefined ? {} : { tokenId }) });
    this.operations = new SessionServiceClient({ ...soapOptions, endpoint: this.endpoints.session, security });
    this.auth = new AuthServiceClient({ ...soapOptions, endpoint: this.endpoints.auth });
    this.invoiceService = new InvoiceServiceClient({ ...soapOptions, endpoint: this.endpoints.invoice, security });
    this.uploadService = new UploadInvoiceServiceClient({ ...soapOptions, endpoint: this.endpoints.upload, security });
  }

  /**
   * Opens a session and returns it; `await using` closes it at the end of the scope. With
   * `x509Certificate`: createSession. With `signer`: the key login (see the module comment).
   */
  async openSession(input: OpenSessionInput, options?: CallOptions): Promise<EsfSession> {
    if (input && 'signer' in input && input.signer) {
      const login = input.login ?? (isSigner(input.signer) && isRsa(input.signer) ? 'certificate' : 'ticket');
      if (login === 'ticket') return this.#openWithTicket(input, options);
      if (!isSigner(input.signer)) {
        throw new ValidationError({ service: SERVICE, operation: 'createSession' }, [
          { field: 'signer', message: 'the certificate login needs a Signer (its certificate); use login: "ticket"' },
        ]);
      }
      return this.#openWithCertificate({ ...input, x509Certificate: input.signer.certificate }, options);
    }
    return this.#openWithCertificate(input as CertificateLoginInput, options);
  }

  /** createAuthTicket: a ticket for the IIN, as issued (the key login does this for you). */
  async createAuthTicket(iin: string, ttlInMinutes?: number, options?: CallOptions) {
    const context: ErrorContext = { service: 'AuthService', operation: 'createAuthTicket' };
    const request = {
      iin: this.#identifier(iin, 'iin', 'IIN', context),
      ...(ttlInMinutes === undefined ? {} : { ttlInMinutes }),
    };
    const response = await this.#call(() => this.auth.createAuthTicket(request, options), toEsfAuthError);
    return parseAuthTicket(response.authTicketXml, context);
  }

  /** A session object for a sessionId obtained earlier (e.g. kept across a restart); not closed by close(). */
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

  /**
   * currentSessionStatus of a session by id: OK, CLOSED or NOT_FOUND (a value outside these is returned as received).
   * @throws ValidationError when `sessionId` is empty.
   */
  async sessionStatus(sessionId: string, options?: CallOptions): Promise<ReportedSessionStatus> {
    checkSessionId('currentSessionStatus', sessionId);
    return (await this.#call(() => this.operations.currentSessionStatus({ sessionId }, options))).status;
  }

  /**
   * currentUser: the user (IIN, names, status) of the session `sessionId`.
   * @throws ValidationError when `sessionId` is empty; EsfSessionClosedError when the session is closed or unknown.
   */
  async currentUser(sessionId: string, options?: CallOptions): Promise<User> {
    checkSessionId('currentUser', sessionId);
    return (await this.#call(() => this.operations.currentUser({ sessionId }, options))).user;
  }

  /**
   * currentUserProfiles: the enterprises and projects the session's user may act for.
   * @throws ValidationError when `sessionId` is empty; EsfSessionClosedError when the session is closed or unknown.
   */
  async currentUserProfiles(sessionId: string, options?: CallOptions): Promise<ProfileInfo[]> {
    checkSessionId('currentUserProfiles', sessionId);
    return (await this.#call(() => this.operations.currentUserProfiles({ sessionId }, options))).profileInfoList;
  }

  /**
   * closeSession by id (prefer `session.close()`, which also stops `close()` of this client from closing it
   * again); returns the status the service reports (CLOSED). Never retried: it changes state.
   * @throws ValidationError when `sessionId` is empty.
   */
  async closeSession(sessionId: string, options?: CallOptions): Promise<ReportedSessionStatus> {
    checkSessionId('closeSession', sessionId);
    return (await this.#call(() => this.operations.closeSession({ sessionId }, options))).status;
  }

  /**
   * Closes the sessions this client opened that are still open (a failure to close one does not
   * stop the others; the first failure is rethrown afterwards).
   */
  async closeSessions(options?: CallOptions): Promise<void> {
    const results = await Promise.allSettled([...this.#open].map((session) => session.close(options)));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  }

  /** Releases pooled connections (sessions stay as they are: see closeSessions). */
  close(): void {
    for (const client of [this.operations, this.auth, this.invoiceService, this.uploadService]) client.soap.close();
  }

  /** `await using esf = createEsfClient(…)`: closes the sessions it opened, then its connections. */
  async [Symbol.asyncDispose](): Promise<void> {
    try {
      await this.closeSessions();
    } finally {
      this.close();
    }
  }

  async #openWithCertificate(input: CertificateLoginInput, options?: CallOptions): Promise<EsfSession> {
    const request = this.#credentials<CreateSessionRequest>('createSession', input);
    if (input.sourceType !== undefined) request.sourceType = input.sourceType;
    const response = await this.#call(() => this.operations.createSession(request, options), toEsfAuthError);
    return this.#track(
      (onClosed) => new EsfSession(this, response.sessionId, request.tin, input.businessProfileType, onClosed),
    );
  }

  async #openWithTicket(input: KeyLoginInput, options?: CallOptions): Promise<EsfSession> {
    const context: ErrorContext = { service: SERVICE, operation: 'createSessionSigned' };
    const choice = this.#choice(input, 'createSessionSigned');
    const fromCertificate = isSigner(input.signer) ? iinOfCertificate(input.signer.certificate) : undefined;
    const iin = this.#identifier(input.iin ?? fromCertificate ?? this.username, 'iin', 'IIN', context);
    // A local key is checked before anything is sent; a signing service after it signed.
    if (isSigner(input.signer)) checkCertificateIin(input.signer.certificate, iin, context);
    const ticket = await this.createAuthTicket(iin, input.ticketTtlMinutes, options);
    const signedAuthTicket = await signAuthTicket(ticket, input.signer, iin, context);
    const request: CreateSessionSignedRequest = {
      tin: choice.tin,
      signedAuthTicket,
      ...(choice.projectCode !== undefined ? { projectCode: choice.projectCode } : {}),
      ...(input.businessProfileType !== undefined ? { businessProfileType: input.businessProfileType } : {}),
      ...(input.sourceType !== undefined ? { sourceType: input.sourceType } : {}),
    };
    const response = await this.#call(
      () => this.operations.createSessionSigned(request, { ...options, retry: false }),
      toEsfAuthError,
    );
    return this.#track(
      (onClosed) => new EsfSession(this, response.sessionId, choice.tin, input.businessProfileType, onClosed),
    );
  }

  /** Remembers an opened session until it is closed, so close() can close what is left open. */
  #track(create: (onClosed: () => void) => EsfSession): EsfSession {
    const session = create(() => this.#open.delete(session));
    this.#open.add(session);
    return session;
  }

  /** A BIN/IIN as the options say: the national algorithm (@kz/core), or 12 digits only. */
  #identifier(value: unknown, field: string, kind: 'IIN' | 'BIN/IIN', context: ErrorContext): string {
    const full = kind === 'IIN' ? validateIin : validateIinOrBin;
    const checked = (this.#checkIdentifiers ? full : validateIdentifierFormat)(String(value ?? '').trim());
    if (!checked.ok)
      throw new ValidationError(context, [{ field, message: `not a valid ${kind}: ${checked.message}` }]);
    return checked.value;
  }

  #choice(input: SessionChoice, operation: string): { tin: string; projectCode?: string } {
    const context: ErrorContext = { service: SERVICE, operation };
    const tin = this.#identifier(input?.tin, 'tin', 'BIN/IIN', context);
    if (input.projectCode === undefined) return { tin };
    const code = String(input.projectCode);
    if (!DIGITS.test(code)) {
      throw new ValidationError(context, [{ field: 'projectCode', message: 'expected a number (xs:long)' }]);
    }
    return { tin, projectCode: code };
  }

  #credentials<T extends CreateSessionRequest | CloseSessionByCredentialsRequest>(
    operation: string,
    input: CloseByCredentialsInput,
  ): T {
    const context: ErrorContext = { service: SERVICE, operation };
    const { tin, projectCode } = this.#choice(input, operation);
    const request: CreateSessionRequest = {
      tin,
      x509Certificate: normalizeCertificate(input.x509Certificate, context),
    };
    if (projectCode !== undefined) request.projectCode = projectCode;
    if (input.businessProfileType !== undefined) request.businessProfileType = input.businessProfileType;
    return request as T;
  }

  async #call<T>(send: () => Promise<T>, map: (error: unknown) => unknown = toEsfError): Promise<T> {
    try {
      return await send();
    } catch (error) {
      throw map(error);
    }
  }
}

function isRsa(signer: { algorithms: { signature: string } }): boolean {
  return signer.algorithms.signature === RSA_SHA256.signature;
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
  /** The session id ESF issued (createSession / createSessionSigned); every invoice call carries it. */
  readonly sessionId: string;
  /** Invoices in this session: upload, wait for registration, status changes, the mailbox. */
  readonly invoices: EsfInvoices;
  /** The BIN/IIN the session acts for (when known). */
  readonly tin: string | undefined;
  /** The profile the session was opened in, when one was asked for (otherwise the server chose it). */
  readonly businessProfileType: BusinessProfileType | undefined;
  readonly #client: EsfClient;
  readonly #onClosed: (() => void) | undefined;
  #closed: Promise<ReportedSessionStatus> | undefined;

  constructor(
    client: EsfClient,
    sessionId: string,
    tin: string | undefined,
    businessProfileType: BusinessProfileType | undefined,
    onClosed?: () => void,
  ) {
    this.#client = client;
    this.#onClosed = onClosed;
    this.sessionId = sessionId;
    this.invoices = new EsfInvoices(sessionId, { invoice: client.invoiceService, upload: client.uploadService });
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
      this.#closed.then(
        () => this.#onClosed?.(),
        // A failed close may be tried again.
        () => {
          this.#closed = undefined;
        },
      );
    }
    return this.#closed;
  }

  /** `await using`: closes the session (close()). */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  /**
   * What JSON.stringify writes: the sessionId and tin (no client, no credentials), so a session can be logged or
   * kept and later re-attached with `esf.attachSession(sessionId, tin)`.
   */
  toJSON(): { sessionId: string; tin: string | undefined } {
    return { sessionId: this.sessionId, tin: this.tin };
  }
}
