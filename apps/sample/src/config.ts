/**
 * The sample's environment variables: what is missing or wrong is a SampleConfigError naming the
 * variable (never its value: some are passwords), before anything is sent.
 */
import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import { type GostSigner, loadSigner, type RsaSha256Signer } from '@kz/signing';
import type { TlsOptions } from '@kz/soap';

export class SampleConfigError extends Error {
  constructor(
    readonly variable: string,
    problem: string,
  ) {
    super(`${variable} ${problem}`);
    this.name = 'SampleConfigError';
  }
}

/** The variable's value; `why` says what needs it, e.g. "with ALSECO_ENDPOINT set". */
export function required(name: string, why: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') throw new SampleConfigError(name, `is not set (needed ${why})`);
  return value;
}

export function optional(name: string): string | undefined {
  const value = process.env[name];
  return value === undefined || value === '' ? undefined : value;
}

/** The first of `names` that is set: a renamed variable keeps its old name as a fallback. */
export function optionalRenamed(name: string, ...oldNames: string[]): string | undefined {
  for (const candidate of [name, ...oldNames]) {
    const value = optional(candidate);
    if (value !== undefined) return value;
  }
  return undefined;
}

/** The contents of the file a required variable points to. */
export function requiredFile(name: string, why: string): Buffer {
  const file = required(name, why);
  try {
    return readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new SampleConfigError(
      name,
      code === 'ENOENT'
        ? `points to ${file}, which does not exist`
        : `points to ${file}, which cannot be read (${code})`,
    );
  }
}

/**
 * The signer of the key container a variable points to, opened with the password another holds:
 * RSA or GOST, as the container says (`loadSigner`). A wrong password is a WrongPasswordError.
 */
export function requiredSigner(file: string, password: string, why: string): RsaSha256Signer | GostSigner {
  return loadSigner(requiredFile(file, why), required(password, why));
}

/**
 * KZ_TLS_CA_FILE: PEM files (comma-separated) of roots to trust besides Node's own, e.g. the
 * national root CA when a service's certificate chains to it. Passed as the clients' `tls` option.
 */
export function tlsFromEnvironment(): { tls?: TlsOptions } {
  const files = optional('KZ_TLS_CA_FILE');
  if (!files) return {};
  const ca = files.split(',').map((file) => {
    try {
      return readFileSync(file.trim(), 'utf8');
    } catch {
      throw new SampleConfigError('KZ_TLS_CA_FILE', `names ${file.trim()}, which cannot be read`);
    }
  });
  // `ca` replaces Node's roots: keep them so other hosts still verify.
  return { tls: { ca: [...rootCertificates, ...ca] } };
}
