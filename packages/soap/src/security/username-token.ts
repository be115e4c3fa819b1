/**
 * WS-Security UsernameToken (OASIS WSS 1.0 UsernameToken Profile) with a PasswordText password,
 * shaped like the ESF samples:
 *
 * ```xml
 * <wsse:Security soap:mustUnderstand="1" xmlns:wsse="…secext-1.0.xsd" xmlns:wsu="…utility-1.0.xsd">
 *   <wsse:UsernameToken wsu:Id="UsernameToken-664678CEF9FFC67AD214168421472821">
 *     <wsse:Username>123456789011</wsse:Username>
 *     <wsse:Password Type="…username-token-profile-1.0#PasswordText">…</wsse:Password>
 *   </wsse:UsernameToken>
 * </wsse:Security>
 * ```
 *
 * The password is a secret: `secrets()` returns it, so SoapClient removes it from hook payloads,
 * error excerpts and fault texts. The policy never puts it anywhere else (no toString, no JSON).
 */
import { randomBytes } from 'node:crypto';
import type { SoapHeaderBlock } from '../envelope.js';
import { KzError } from '../errors.js';
import type { SecurityPolicy } from '../security.js';
import { escapeAttribute, escapeText } from '../xml/escape.js';
import { parseXmlSync } from '../xml/reader.js';

/** Namespace URI of WS-Security 1.0 (`wsse:Security`, `wsse:UsernameToken`). */
export const WSSE_NS = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd';
/** Namespace URI of the WS-Security utility schema (`wsu:Id`, `wsu:Timestamp`). */
export const WSU_NS = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd';
/** The `Type` of a wsse:Password sent in clear text (PasswordText), the only type this policy sends. */
export const PASSWORD_TEXT =
  'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordText';

/** The credentials and shape of a UsernameToken header. */
export interface UsernameTokenOptions {
  /** wsse:Username (for ESF, the cabinet login: the user's IIN). Required: empty is KzError CONFIG_ERROR. */
  username: string;
  /** wsse:Password, sent as PasswordText; a secret, redacted from hooks and errors. Required (CONFIG_ERROR). */
  password: string;
  /** soap:mustUnderstand on wsse:Security. Default true (as the ESF samples). */
  mustUnderstand?: boolean;
  /**
   * The wsu:Id of the token. Default: a fresh "UsernameToken-" + 32 upper-case hex digits per
   * message, the shape of the samples. Give a function (or a fixed string) for reproducible output.
   */
  tokenId?: string | (() => string);
}

/** A fresh token id in the samples' shape: "UsernameToken-" followed by 32 upper-case hex digits. */
export function newUsernameTokenId(): string {
  return `UsernameToken-${randomBytes(16).toString('hex').toUpperCase()}`;
}

/** The UsernameToken security policy; give it to a client as `security`. */
export function usernameToken(options: UsernameTokenOptions): SecurityPolicy {
  const { username } = options;
  const context = { service: 'WS-Security', operation: 'usernameToken' };
  if (!username) throw new KzError(context, 'CONFIG_ERROR', 'usernameToken: username is required');
  if (!options.password) throw new KzError(context, 'CONFIG_ERROR', 'usernameToken: password is required');
  // Kept in a closure, not on the returned object, so it cannot leak through inspection or JSON.
  const password = options.password;
  const mustUnderstand = options.mustUnderstand ?? true;
  const tokenId = options.tokenId;
  const nextId =
    typeof tokenId === 'function' ? tokenId : typeof tokenId === 'string' ? () => tokenId : newUsernameTokenId;
  return {
    headers() {
      const mu = mustUnderstand ? ' soap:mustUnderstand="1"' : '';
      return [
        `<wsse:Security${mu} xmlns:wsse="${WSSE_NS}" xmlns:wsu="${WSU_NS}">` +
          `<wsse:UsernameToken wsu:Id="${escapeAttribute(nextId())}">` +
          `<wsse:Username>${escapeText(username)}</wsse:Username>` +
          `<wsse:Password Type="${PASSWORD_TEXT}">${escapeText(password)}</wsse:Password>` +
          '</wsse:UsernameToken></wsse:Security>',
      ];
    },
    secrets: () => [password],
  };
}

/** The user name and password a UsernameToken carried. */
export interface UsernameTokenCredentials {
  /** wsse:Username, trimmed. */
  username: string;
  /** wsse:Password as sent (a secret: never log it). */
  password: string;
}

/**
 * The server side: the UsernameToken in a request's wsse:Security header block (an operation
 * handler's `request.soapHeaders`), or undefined when there is none or it is unreadable. Reads
 * that one block, never the whole request again.
 */
export function readUsernameToken(headers: readonly SoapHeaderBlock[]): UsernameTokenCredentials | undefined {
  const security = headers.find((block) => block.ns === WSSE_NS && block.name === 'Security');
  if (!security) return undefined;
  let username: string | undefined;
  let password: string | undefined;
  let field: 'username' | 'password' | undefined;
  let text = '';
  try {
    parseXmlSync(security.xml, {
      open(ns, local) {
        field =
          ns === WSSE_NS && local === 'Username'
            ? 'username'
            : ns === WSSE_NS && local === 'Password'
              ? 'password'
              : undefined;
        text = '';
      },
      text(value) {
        if (field) text += value;
      },
      close() {
        if (field === 'username') username ??= text.trim();
        else if (field === 'password') password ??= text;
        field = undefined;
      },
    });
  } catch {
    return undefined;
  }
  return username !== undefined && password !== undefined ? { username, password } : undefined;
}
