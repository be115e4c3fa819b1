/**
 * The session's bearer token as pipeline policies: the sign phase's `bearerTokenPolicy` attaches
 * it (renewing it first when it is about to expire) and, after a 401, renews it once (concurrent
 * callers share one login) and sends the request again only when the operation is safe: a
 * state-changing request is never sent twice. `tokenSecretPolicy` (observe phase, after the hooks)
 * makes a token the login answer carries a secret before any hook sees that answer.
 */
import type { PipelinePolicy } from '@kz/soap';

/** Holds the token: one login at a time, shared by every request waiting for it. */
export class TokenHolder {
  #token: string | undefined;
  #expiresAt = 0;
  #renewal: Promise<string> | undefined;

  constructor(
    private readonly login: (renewal: boolean) => Promise<string>,
    private readonly marginMs: number,
    private readonly defaultLifetimeMs: number,
  ) {}

  get token(): string | undefined {
    return this.#token;
  }

  /** The token when it is still valid, without waiting: the common case on every call. */
  fresh(): string | undefined {
    return this.#token && Date.now() < this.#expiresAt - this.marginMs ? this.#token : undefined;
  }

  async current(): Promise<string> {
    return this.fresh() ?? this.renew(this.#token);
  }

  /** Renews unless another request already replaced `stale`; concurrent callers share one login. */
  renew(stale: string | undefined): Promise<string> {
    if (this.#token && this.#token !== stale && Date.now() < this.#expiresAt - this.marginMs) {
      return Promise.resolve(this.#token);
    }
    if (!this.#renewal) {
      const renewal = stale !== undefined;
      this.#renewal = this.login(renewal)
        .then((token) => {
          this.#token = token;
          this.#expiresAt = tokenExpiry(token) ?? Date.now() + this.defaultLifetimeMs;
          return token;
        })
        .finally(() => {
          this.#renewal = undefined;
        });
    }
    return this.#renewal;
  }

  /** Forgets `stale` if it is still the token held: the next call logs in again. */
  invalidate(stale: string): void {
    if (this.#token === stale) this.clear();
  }

  clear(): void {
    this.#token = undefined;
    this.#expiresAt = 0;
  }
}

/** `exp` of a JWT in milliseconds, if the token is a JWT with one. */
export function tokenExpiry(token: string): number | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    const exp = (JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { exp?: unknown }).exp;
    return typeof exp === 'number' ? exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

/** The name of the bearer token policy (phase sign). */
export const BEARER_TOKEN_POLICY = 'bearer-token';
/** The name of the policy that keeps the sign-in's token out of hooks (phase observe). */
export const TOKEN_SECRET_POLICY = 'token-secret';

/**
 * Attaches the bearer token to every operation but `anonymous` ones (the login's own). `issued`
 * holds the last tokens issued: each is a secret in every request, since servers echo expired ones.
 */
export function bearerTokenPolicy(
  holder: () => TokenHolder,
  issued: readonly string[],
  anonymous: ReadonlySet<string>,
): PipelinePolicy {
  return {
    name: BEARER_TOKEN_POLICY,
    async sendRequest(request, next) {
      request.secrets.push(...issued);
      if (anonymous.has(request.operation)) return next(request);
      const tokens = holder();
      const token = tokens.fresh() ?? (await tokens.current());
      request.secrets.push(token);
      request.headers.authorization = `Bearer ${token}`;
      const response = await next(request);
      if (response.status !== 401) return response;
      if (!request.safe) {
        // Refused unauthenticated, so nothing was done; sending it again is the caller's choice.
        tokens.invalidate(token);
        return response;
      }
      const renewed = await tokens.renew(token);
      request.secrets.push(renewed);
      request.headers.authorization = `Bearer ${renewed}`;
      return next(request);
    },
  };
}

/** Makes the token in the answer of `operation` (the sign-in) a secret of the request. */
export function tokenSecretPolicy(operation: string): PipelinePolicy {
  return {
    name: TOKEN_SECRET_POLICY,
    async sendRequest(request, next) {
      const response = await next(request);
      if (request.operation !== operation || response.status >= 300) return response;
      try {
        const token = (JSON.parse(response.body.toString('utf8')) as { token?: unknown }).token;
        if (typeof token === 'string' && token !== '') request.secrets.push(token);
      } catch {
        // Not JSON: the serialize phase refuses it, and no token can be read from it.
      }
      return response;
    },
  };
}
