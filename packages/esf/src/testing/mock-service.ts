/**
 * The mock SessionService's behaviour over an in-memory state: a created session is OK until it is
 * closed (closeSession, closeSessionByCredentials, or its lifetime ends), then CLOSED; an unknown
 * sessionId is NOT_FOUND. Calls must carry a valid UsernameToken; a BIN/IIN the user has no
 * profile for is refused with accessDeniedException, a closed or unknown session in
 * currentUser/currentUserProfiles with sessionClosedException, a bad certificate with
 * businessException: the fault elements of the contract.
 */
import { randomUUID, X509Certificate } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { escapeText, type OperationImplementations, SoapFaultResponse } from '@kz/soap';
import type { SessionServiceOperations } from '../generated/client.js';
import type { BusinessProfileType, ProfileInfo, SessionStatus } from '../generated/types.js';
import { type MockEsfUser, seedUsers } from './mock-data.js';

export interface EsfMockOptions {
  /** Users the mock knows (login, password, user record, profiles). Default: the seed's test user. */
  users?: readonly MockEsfUser[];
  /** Lifetime of a session in ms, after which it reads CLOSED. Default: unlimited. */
  sessionTtlMs?: number;
  /** The mock's clock. Default: the real time. */
  now?: () => number;
}

export interface MockSession {
  readonly sessionId: string;
  readonly login: string;
  readonly tin: string;
  /** As the request named it, or else as the user's profile has it. */
  readonly businessProfileType: ProfileInfo['businessProfileType'];
  readonly projectCode: string | undefined;
  readonly certificate: string;
  readonly createdAt: number;
  closed: boolean;
}

export class EsfMockState {
  readonly users: Map<string, MockEsfUser>;
  readonly sessions = new Map<string, MockSession>();
  readonly #ttl: number | undefined;
  readonly #now: () => number;

  constructor(options: EsfMockOptions = {}) {
    this.users = new Map((options.users ?? seedUsers()).map((u) => [u.login, u]));
    this.#ttl = options.sessionTtlMs;
    this.#now = options.now ?? Date.now;
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

  authenticate(credentials: Credentials | undefined): MockEsfUser {
    const user = credentials ? this.users.get(credentials.username) : undefined;
    // Constant wording whatever failed; the password is never echoed.
    if (!user || !credentials || user.password !== credentials.password) {
      throw new SoapFaultResponse('client', 'The security token could not be authenticated or authorized');
    }
    return user;
  }

  createSession(
    user: MockEsfUser,
    input: { tin: string; projectCode?: string; businessProfileType?: BusinessProfileType; x509Certificate: string },
  ): MockSession {
    checkCertificate(user, input.x509Certificate);
    const profile = findProfile(user, input.tin, input.businessProfileType, input.projectCode);
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
    const session = this.openSession(sessionId);
    if (!session || session.login !== user.login) {
      throw esfFault('client', 'sessionClosedException', `Session ${sessionId} is closed or does not exist`);
    }
    return user;
  }
}

export interface Credentials {
  username: string;
  password: string;
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
): ProfileInfo {
  const profile = user.profiles.find(
    (p) =>
      p.tin === tin &&
      p.status === 'ACTIVE' &&
      (businessProfileType === undefined || p.businessProfileType === businessProfileType) &&
      (projectCode === undefined || p.projectCode === projectCode),
  );
  if (!profile) {
    throw esfFault(
      'client',
      'accessDeniedException',
      `User ${user.login} has no active profile ${businessProfileType ?? ''} for ${tin}`.replace('  ', ' '),
    );
  }
  return profile;
}

/** The certificate must be an X.509 certificate; when its subject names an IIN, the user's. */
function checkCertificate(user: MockEsfUser, base64: string): void {
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(Buffer.from(base64.replace(/\s+/g, ''), 'base64'));
  } catch {
    throw esfFault('client', 'businessException', 'The x509Certificate is not a valid X.509 certificate');
  }
  const iin = /(?:^|\n)serialNumber=IIN(\d{12})/.exec(certificate.subject)?.[1];
  if (iin !== undefined && iin !== user.login) {
    throw esfFault('client', 'accessDeniedException', 'The certificate does not belong to the authenticated user');
  }
}

/** The operations, given how to find the credentials of a request. */
export function mockOperations(
  state: EsfMockState,
  credentialsOf: (request: IncomingMessage) => Credentials | undefined,
): OperationImplementations<SessionServiceOperations> {
  const auth = (request: IncomingMessage) => state.authenticate(credentialsOf(request));
  return {
    createSession: (input, request) => ({ sessionId: state.createSession(auth(request), input).sessionId }),
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
