/**
 * The mock SessionService and AuthService over an in-memory state: a created session is OK until it
 * is closed (closeSession, closeSessionByCredentials, or its lifetime ends), then CLOSED; an unknown
 * sessionId is NOT_FOUND. Calls must carry a valid UsernameToken (createAuthTicket must not: with
 * one it answers an empty ticket, as the live service does); a BIN/IIN the user has no profile for
 * is refused with accessDeniedException, a closed or unknown session with sessionClosedException, a
 * bad certificate with businessException: the fault elements of the contract.
 *
 * Tickets: createAuthTicket issues an authSign document with a nonce (`state`) that expires after its
 * ttlInMinutes and serves one login. createSessionSigned checks the enveloped XML-DSig (RSA keys), the
 * ticket, the certificate's IIN against the ticket and the cabinet login, and refuses with the
 * documented codes (FACTS.md fact 40) in the fault's description. createSession refuses a non-RSA
 * certificate with METHOD_NOT_SUPPORT_GOST_2015 (fact 31).
 */
import { randomBytes, randomUUID, X509Certificate } from 'node:crypto';
import { ENVELOPED_C14N_WITH_COMMENTS, ENVELOPED_EXC_C14N, verifyXmlDocument, XmlSignatureFailure } from '@kz/signing';
import {
  type DecodedSoapRequest,
  escapeText,
  type OperationImplementations,
  parseXmlSync,
  readUsernameToken,
  SoapFaultResponse,
  type UsernameTokenCredentials,
} from '@kz/soap';
import type { AuthServiceOperations } from '../generated/auth/client.js';
import type { SessionServiceOperations } from '../generated/client.js';
import type { BusinessProfileType, ProfileInfo, SessionStatus } from '../generated/types.js';
import { type MockEsfUser, seedUsers } from './mock-data.js';
import { type MockInvoiceOptions, MockInvoiceStore } from './mock-invoices.js';

/** Options of startEsfMock (and of `new EsfMockState`): users, session lifetime, clock, invoice queue. */
export interface EsfMockOptions {
  /** Users the mock knows (login, password, user record, profiles). Default: the seed's test user. */
  users?: readonly MockEsfUser[];
  /** Lifetime of a session in ms, after which it reads CLOSED. Default: unlimited. */
  sessionTtlMs?: number;
  /** The mock's clock. Default: the real time. */
  now?: () => number;
  /** The invoice queue (processing time, heavy checks). */
  invoices?: MockInvoiceOptions;
}

/** An auth ticket the mock issued (createAuthTicket), kept until it is used. */
export interface MockTicket {
  /** The ticket's nonce (`<state>`), the key it is kept under. */
  readonly state: string;
  /** The IIN the ticket was asked for. */
  readonly iin: string;
  /** When it was issued, ms since the epoch (the mock's clock). */
  readonly issuedAt: number;
  /** How long it may be used, ms (ttlInMinutes × 60 000; default 30 minutes). */
  readonly ttlMs: number;
  /** True once a createSessionSigned used it: a ticket serves one login. */
  used: boolean;
}

/**
 * A session the mock opened; `closed` turns true on closeSession, closeSessionByCredentials or when `sessionTtlMs`
 * ends.
 */
export interface MockSession {
  /** The id the mock issued (random hex, then the BIN/IIN, project and profile). */
  readonly sessionId: string;
  /** Cabinet login of the user who opened it; only that user may use it. */
  readonly login: string;
  /** The BIN/IIN the session acts for. */
  readonly tin: string;
  /** As the request named it, or else as the user's profile has it. */
  readonly businessProfileType: ProfileInfo['businessProfileType'];
  /** The project code the session was opened with, if any. */
  readonly projectCode: string | undefined;
  /** The certificate it was opened with (base64 DER, whitespace removed; the ticket signer's for the key login). */
  readonly certificate: string;
  /** When it was opened, ms since the epoch (the mock's clock). */
  readonly createdAt: number;
  /** True once closed; set it to simulate a session the server closed. */
  closed: boolean;
}

/**
 * The ESF mock's in-memory state and rules (sessions, tickets, users, invoices), shared by the four mock
 * services. `startEsfMock` creates one and exposes it as `mock.state`; tests read it to assert and may change
 * it to arrange (e.g. close a session). Methods that refuse throw SoapFaultResponse, which the mock sends as a
 * soap:Fault. Test-only.
 */
export class EsfMockState {
  /** Known users by login; add one to let it authenticate. */
  readonly users: Map<string, MockEsfUser>;
  /** Every session opened, open or closed, by sessionId. */
  readonly sessions = new Map<string, MockSession>();
  /** Every auth ticket issued, by its nonce (`state`). */
  readonly tickets = new Map<string, MockTicket>();
  /** The invoices uploaded to the mock, with their registration queue and events. */
  readonly invoices: MockInvoiceStore;
  readonly #ttl: number | undefined;
  readonly #now: () => number;

  constructor(options: EsfMockOptions = {}) {
    this.users = new Map((options.users ?? seedUsers()).map((u) => [u.login, u]));
    this.#ttl = options.sessionTtlMs;
    this.#now = options.now ?? Date.now;
    this.invoices = new MockInvoiceStore(options.invoices ?? {}, this.#now);
  }

  /** createAuthTicket: an authSign document for the IIN (no user check: the ticket proves nothing yet). */
  issueTicket(iin: string, ttlInMinutes: number | undefined): string {
    const ttl = ttlInMinutes ?? 30;
    const ticket: MockTicket = {
      state: randomBytes(24).toString('base64url'),
      iin,
      issuedAt: this.#now(),
      ttlMs: ttl * 60_000,
      used: false,
    };
    this.tickets.set(ticket.state, ticket);
    const timeMark = new Date(ticket.issuedAt).toISOString();
    return `<?xml version="1.0" encoding="UTF-8"?><authSign><timeMark>${timeMark}</timeMark><state>${ticket.state}</state><iin>${iin}</iin><ttlInMinutes>${ttl}</ttlInMinutes></authSign>`;
  }

  /** createSessionSigned: the signed ticket in place of the certificate. */
  createSessionSigned(
    user: MockEsfUser,
    input: { tin: string; signedAuthTicket: string; projectCode?: string; businessProfileType?: BusinessProfileType },
  ): MockSession {
    let certificate: string;
    try {
      certificate = verifyXmlDocument(
        input.signedAuthTicket,
        { isTrusted: () => true, now: () => new Date(this.#now()) },
        [ENVELOPED_C14N_WITH_COMMENTS, ENVELOPED_EXC_C14N],
      ).certificate;
    } catch (error) {
      const reason = error instanceof XmlSignatureFailure ? error.reason : 'unreadable';
      if (/not valid at this time/.test(reason)) {
        throw refusal('businessException', 'CERTIFICATE_EXPIRED', 'the certificate is not valid at this time');
      }
      throw esfFault('client', 'businessException', `The signed auth ticket does not verify: ${reason}`);
    }
    const fields = ticketFields(input.signedAuthTicket);
    const ticket = this.tickets.get(fields.state ?? '');
    if (!ticket || ticket.iin !== fields.iin) throw esfFault('client', 'businessException', 'Unknown auth ticket');
    if (ticket.used) throw esfFault('client', 'businessException', 'The auth ticket was already used');
    if (this.#now() > ticket.issuedAt + ticket.ttlMs) {
      throw esfFault('client', 'businessException', 'The auth ticket has expired');
    }
    ticket.used = true;
    const owner = iinOf(certificate);
    if (owner !== ticket.iin || user.login !== ticket.iin) {
      throw refusal(
        'businessException',
        'IIN_NOT_VALID',
        'the ticket, the certificate and the login name different IINs',
      );
    }
    return this.#newSession(user, { ...input, x509Certificate: certificate }, 'ENTERPRISE_NOT_FOUND_FOR_USER');
  }

  /** OK, CLOSED or NOT_FOUND: what currentSessionStatus answers (other services use it too). */
  sessionStatus(sessionId: string): SessionStatus {
    const session = this.sessions.get(sessionId);
    if (!session) return 'NOT_FOUND';
    if (!session.closed && this.#ttl !== undefined && this.#now() - session.createdAt >= this.#ttl)
      session.closed = true;
    return session.closed ? 'CLOSED' : 'OK';
  }

  /** The open session of this id, or undefined. */
  openSession(sessionId: string): MockSession | undefined {
    return this.sessionStatus(sessionId) === 'OK' ? this.sessions.get(sessionId) : undefined;
  }

  /**
   * The user a request's UsernameToken names, if its password matches.
   * @throws SoapFaultResponse (client fault, the same text whatever failed) when the token is missing, the user
   * unknown or the password wrong.
   */
  authenticate(credentials: Credentials | undefined): MockEsfUser {
    const user = credentials ? this.users.get(credentials.username) : undefined;
    // Constant wording whatever failed; the password is never echoed.
    if (!user || !credentials || user.password !== credentials.password) {
      throw new SoapFaultResponse('client', 'The security token could not be authenticated or authorized');
    }
    return user;
  }

  /**
   * createSession: checks the certificate (RSA only, else METHOD_NOT_SUPPORT_GOST_2015; its IIN must be the
   * user's) and that the user has an ACTIVE profile for `tin`, then opens a session.
   * @throws SoapFaultResponse with businessException or accessDeniedException.
   */
  createSession(
    user: MockEsfUser,
    input: { tin: string; projectCode?: string; businessProfileType?: BusinessProfileType; x509Certificate: string },
  ): MockSession {
    checkCertificate(user, input.x509Certificate);
    return this.#newSession(user, input);
  }

  #newSession(
    user: MockEsfUser,
    input: { tin: string; projectCode?: string; businessProfileType?: BusinessProfileType; x509Certificate: string },
    refusalCode?: string,
  ): MockSession {
    const profile = findProfile(user, input.tin, input.businessProfileType, input.projectCode, refusalCode);
    const suffix = input.businessProfileType ? `-${input.businessProfileType}` : '';
    const session: MockSession = {
      sessionId: `${randomUUID().replace(/-/g, '')}-${input.tin}-${input.projectCode ?? ''}${suffix}`,
      login: user.login,
      tin: input.tin,
      businessProfileType: input.businessProfileType ?? profile.businessProfileType,
      projectCode: input.projectCode,
      certificate: input.x509Certificate.replace(/\s+/g, ''),
      createdAt: this.#now(),
      closed: false,
    };
    this.sessions.set(session.sessionId, session);
    return session;
  }

  /** closeSession: CLOSED for a session that existed, NOT_FOUND otherwise. */
  closeSession(user: MockEsfUser, sessionId: string): SessionStatus {
    const session = this.sessions.get(sessionId);
    if (!session || session.login !== user.login) return 'NOT_FOUND';
    session.closed = true;
    return 'CLOSED';
  }

  /** Closes the user's open sessions for this BIN/IIN (and profile/project when given). */
  closeByCredentials(
    user: MockEsfUser,
    input: { tin: string; projectCode?: string; businessProfileType?: BusinessProfileType; x509Certificate: string },
  ): SessionStatus {
    checkCertificate(user, input.x509Certificate);
    findProfile(user, input.tin, input.businessProfileType, input.projectCode);
    let closed = 0;
    for (const session of this.sessions.values()) {
      if (session.closed || session.login !== user.login || session.tin !== input.tin) continue;
      if (input.businessProfileType && session.businessProfileType !== input.businessProfileType) continue;
      if (input.projectCode && session.projectCode !== input.projectCode) continue;
      session.closed = true;
      closed++;
    }
    return closed > 0 ? 'CLOSED' : 'NOT_FOUND';
  }

  /** The user of an open session, or a sessionClosedException fault. */
  sessionUser(user: MockEsfUser, sessionId: string): MockEsfUser {
    this.session(user, sessionId);
    return user;
  }

  /** The open session of this user, or a sessionClosedException fault (FACTS.md fact 22's wording). */
  session(user: MockEsfUser, sessionId: string): MockSession {
    const session = this.openSession(sessionId);
    if (!session || session.login !== user.login) {
      throw esfFault('client', 'sessionClosedException', 'No open session associated with user.');
    }
    return session;
  }
}

/** A request's UsernameToken: what `authenticate` checks. */
export type Credentials = UsernameTokenCredentials;

/** The UsernameToken of a request, from its wsse:Security header block (the handler's `request.soapHeaders`). */
export function credentialsOf(request: DecodedSoapRequest): Credentials | undefined {
  return readUsernameToken(request.soapHeaders);
}

/** A fault carrying one of the contract's fault elements (namespace "esf"), as CXF writes it. */
export function esfFault(side: 'client' | 'server', element: string, description: string): SoapFaultResponse {
  return new SoapFaultResponse(
    side,
    description,
    `<ns2:${element} xmlns:ns2="esf"><description>${escapeText(description)}</description></ns2:${element}>`,
  );
}

function findProfile(
  user: MockEsfUser,
  tin: string,
  businessProfileType: BusinessProfileType | undefined,
  projectCode: string | undefined,
  refusalCode?: string,
): ProfileInfo {
  const profile = user.profiles.find(
    (p) =>
      p.tin === tin &&
      p.status === 'ACTIVE' &&
      (businessProfileType === undefined || p.businessProfileType === businessProfileType) &&
      (projectCode === undefined || p.projectCode === projectCode),
  );
  if (!profile) {
    const text = `User ${user.login} has no active profile ${businessProfileType ?? ''} for ${tin}`.replace('  ', ' ');
    throw esfFault('client', 'accessDeniedException', refusalCode ? `${refusalCode}: ${text}` : text);
  }
  return profile;
}

/**
 * A refusal with one of the documented codes. How the live server words these is not published:
 * the mock puts the code first in the fault's description (a GUESS, documented in the README).
 */
function refusal(element: string, code: string, text: string): SoapFaultResponse {
  return esfFault('client', element, `${code}: ${text}`);
}

/** The IIN an NCA certificate (DER base64) names in its subject's SERIALNUMBER. */
function iinOf(certificate: string): string | undefined {
  try {
    return /(?:^|\n)serialNumber=IIN(\d{12})/.exec(
      new X509Certificate(Buffer.from(certificate, 'base64')).subject,
    )?.[1];
  } catch {
    return undefined;
  }
}

/** state and iin of a signed ticket (its direct children). */
function ticketFields(xml: string): { state?: string; iin?: string } {
  const fields: Record<string, string> = {};
  let depth = 0;
  let field: string | undefined;
  try {
    parseXmlSync(xml, {
      open(_ns, local) {
        depth++;
        field = depth === 2 ? local : undefined;
        if (field) fields[field] = '';
      },
      text(text) {
        if (field) fields[field] += text;
      },
      close() {
        field = undefined;
        depth--;
      },
    });
  } catch {
    return {};
  }
  return { state: fields.state?.trim(), iin: fields.iin?.trim() };
}

/** The certificate must be an X.509 certificate; when its subject names an IIN, the user's. */
function checkCertificate(user: MockEsfUser, base64: string): void {
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(Buffer.from(base64.replace(/\s+/g, ''), 'base64'));
  } catch {
    throw esfFault('client', 'businessException', 'The x509Certificate is not a valid X.509 certificate');
  }
  if (certificate.publicKey.asymmetricKeyType !== 'rsa') {
    throw refusal('businessException', 'METHOD_NOT_SUPPORT_GOST_2015', 'createSession takes RSA certificates only');
  }
  const iin = /(?:^|\n)serialNumber=IIN(\d{12})/.exec(certificate.subject)?.[1];
  if (iin !== undefined && iin !== user.login) {
    throw esfFault('client', 'accessDeniedException', 'The certificate does not belong to the authenticated user');
  }
}

/** The operations; every call must carry a valid UsernameToken. */
export function mockOperations(state: EsfMockState): OperationImplementations<SessionServiceOperations> {
  const auth = (request: DecodedSoapRequest) => state.authenticate(credentialsOf(request));
  return {
    createSession: (input, request) => ({ sessionId: state.createSession(auth(request), input).sessionId }),
    createSessionSigned: (input, request) => ({
      sessionId: state.createSessionSigned(auth(request), input).sessionId,
    }),
    closeSession: (input, request) => ({ status: state.closeSession(auth(request), input.sessionId) }),
    closeSessionByCredentials: (input, request) => ({ status: state.closeByCredentials(auth(request), input) }),
    currentSessionStatus: (input, request) => {
      auth(request);
      return { status: state.sessionStatus(input.sessionId) };
    },
    currentUser: (input, request) => ({ user: state.sessionUser(auth(request), input.sessionId).user }),
    currentUserProfiles: (input, request) => ({
      profileInfoList: [...state.sessionUser(auth(request), input.sessionId).profiles],
    }),
  };
}

/** AuthService: no WS-Security expected; with a UsernameToken the ticket comes back empty (FACTS.md fact 34). */
export function mockAuthOperations(state: EsfMockState): OperationImplementations<AuthServiceOperations> {
  return {
    createAuthTicket: (input, request) =>
      credentialsOf(request) ? {} : { authTicketXml: state.issueTicket(input.iin, input.ttlInMinutes) },
  };
}
