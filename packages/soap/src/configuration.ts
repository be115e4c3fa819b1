/**
 * The one check every facade makes on a URL option: given, and http(s). A client never falls back to
 * a contract's sample address, so a missing URL is a configuration error when the client is created.
 * The message names the option and never echoes the value (a URL may carry credentials).
 */
import { type ErrorContext, KzError } from './errors.js';

/** Returns `value` when it is an http(s) URL; otherwise KzError CONFIG_ERROR `<factory>: <option> ...`. */
export function requireHttpUrl(context: ErrorContext, factory: string, option: string, value: unknown): string {
  if (typeof value !== 'string' || value === '') {
    throw new KzError(context, 'CONFIG_ERROR', `${factory}: ${option} is required`);
  }
  let parsed: URL | undefined;
  try {
    parsed = new URL(value);
  } catch {
    parsed = undefined;
  }
  if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
    throw new KzError(context, 'CONFIG_ERROR', `${factory}: ${option} is not an http(s) URL`);
  }
  return value;
}
