/** Independent checks with the openssl CLI: digests and RSA-SHA256 signature verification. */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

function withDir<T>(run: (file: (name: string, content?: Uint8Array | string) => string) => T): T {
  const dir = mkdtempSync(path.join(tmpdir(), 'kz-openssl-'));
  try {
    return run((name, content) => {
      const file = path.join(dir, name);
      if (content !== undefined) writeFileSync(file, content);
      return file;
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** base64 of `openssl dgst -sha256 -binary` over the bytes. */
export function opensslSha256Base64(data: Uint8Array | string): string {
  return withDir((file) =>
    Buffer.from(execFileSync('openssl', ['dgst', '-sha256', '-binary', file('data', data)])).toString('base64'),
  );
}

/** `openssl dgst -sha256 -verify`: true on "Verified OK", false on "Verification failure". */
export function opensslVerifySha256(data: Uint8Array | string, signature: Uint8Array, certificatePem: string): boolean {
  return withDir((file) => {
    const publicKey = execFileSync('openssl', ['x509', '-pubkey', '-noout', '-in', file('cert.pem', certificatePem)]);
    const result = spawnSync('openssl', [
      'dgst',
      '-sha256',
      '-verify',
      file('pub.pem', publicKey),
      '-signature',
      file('sig.bin', signature),
      file('data', data),
    ]);
    const out = `${result.stdout}${result.stderr}`;
    if (result.status === 0 && /Verified OK/.test(out)) return true;
    if (/Verification fail/i.test(out)) return false;
    throw new Error(`openssl failed: ${out}`);
  });
}
