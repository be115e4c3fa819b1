/**
 * GOST R 34.11-94 hash with the "Test" parameter set (RFC 5831; RFC 4357 id-GostR3411-94-TestParamSet),
 * which Kazakhstan standardised as GOST 34.311-95: the hash of the legacy GOST 34.310-2004 certificates.
 * That the NCA uses the Test S-box, not CryptoPro's, was checked against the NCA's own certificates
 * (reference-docs/gost-kz.md section 1.4). Used for verification only.
 *
 * Blocks are 32 bytes, least significant byte first (memory order), as every implementation reads
 * the message. GOST 28147-89 encrypts 64-bit halves with 32-bit little-endian key words.
 */

/** S-boxes K1..K8 of the Test parameter set; K1 substitutes the least significant nibble. */
const TEST_SBOX = [
  [4, 10, 9, 2, 13, 8, 0, 14, 6, 11, 1, 12, 7, 15, 5, 3],
  [14, 11, 4, 12, 6, 13, 15, 10, 2, 3, 8, 1, 0, 7, 5, 9],
  [5, 8, 1, 13, 10, 3, 4, 2, 14, 15, 12, 7, 6, 0, 9, 11],
  [7, 13, 10, 1, 0, 8, 9, 15, 14, 4, 6, 12, 11, 2, 5, 3],
  [6, 12, 7, 1, 5, 15, 13, 8, 4, 10, 9, 14, 0, 3, 11, 2],
  [4, 11, 10, 0, 7, 2, 1, 13, 3, 6, 8, 5, 9, 12, 15, 14],
  [13, 11, 4, 1, 3, 15, 5, 9, 0, 10, 14, 7, 6, 8, 2, 12],
  [1, 15, 13, 0, 5, 7, 10, 4, 9, 2, 3, 14, 6, 11, 8, 12],
];

/** For each byte position of a 32-bit word, the two S-boxes applied to a byte at once. */
const BYTE_SBOX = [0, 1, 2, 3].map((position) =>
  Uint8Array.from({ length: 256 }, (_, b) => {
    const low = TEST_SBOX[2 * position] as number[];
    const high = TEST_SBOX[2 * position + 1] as number[];
    return ((high[b >> 4] as number) << 4) | (low[b & 15] as number);
  }),
);

/** C3 of the key schedule; C2 and C4 are zero. Printed most significant byte first. */
const C3 = Uint8Array.from(
  Buffer.from('ff00ffff000000ffff0000ff00ffff0000ff00ff00ff00ffff00ff00ff00ff00', 'hex'),
).reverse();

function sboxRound(x: number): number {
  const y =
    (BYTE_SBOX[0] as Uint8Array)[x & 0xff]! |
    ((BYTE_SBOX[1] as Uint8Array)[(x >>> 8) & 0xff]! << 8) |
    ((BYTE_SBOX[2] as Uint8Array)[(x >>> 16) & 0xff]! << 16) |
    ((BYTE_SBOX[3] as Uint8Array)[x >>> 24]! << 24);
  return ((y << 11) | (y >>> 21)) >>> 0;
}

function readWord(bytes: Uint8Array, offset: number): number {
  return (
    ((bytes[offset] as number) |
      ((bytes[offset + 1] as number) << 8) |
      ((bytes[offset + 2] as number) << 16) |
      ((bytes[offset + 3] as number) << 24)) >>>
    0
  );
}

function writeWord(bytes: Uint8Array, offset: number, value: number): void {
  bytes[offset] = value & 0xff;
  bytes[offset + 1] = (value >>> 8) & 0xff;
  bytes[offset + 2] = (value >>> 16) & 0xff;
  bytes[offset + 3] = value >>> 24;
}

/** GOST 28147-89 ECB encryption of the 8 bytes at `block[offset]` with the 32-byte `key`, into `out`. */
function encryptBlock(key: Uint8Array, block: Uint8Array, offset: number, out: Uint8Array): void {
  const k = Array.from({ length: 8 }, (_, i) => readWord(key, 4 * i));
  let n1 = readWord(block, offset);
  let n2 = readWord(block, offset + 4);
  // Key words 0..7 three times, then 7..0.
  for (let round = 0; round < 32; round++) {
    const index = round < 24 ? round % 8 : 7 - (round % 8);
    const t = n2 ^ sboxRound((n1 + (k[index] as number)) >>> 0);
    n2 = n1;
    n1 = t >>> 0;
  }
  // The last round does not swap the halves.
  writeWord(out, offset, n2);
  writeWord(out, offset + 4, n1);
}

/** A(Y) = (y1 ^ y2) || y4 || y3 || y2 for Y = y4 || y3 || y2 || y1 (64-bit parts, y1 lowest). */
function transformA(y: Uint8Array): Uint8Array {
  const out = new Uint8Array(32);
  out.set(y.subarray(8, 32), 0);
  for (let i = 0; i < 8; i++) out[24 + i] = (y[i] as number) ^ (y[8 + i] as number);
  return out;
}

/** P: byte i + 4k of the result is byte 8i + k of the input (i < 4, k < 8). */
function transformP(y: Uint8Array): Uint8Array {
  const out = new Uint8Array(32);
  for (let i = 0; i < 4; i++) for (let k = 0; k < 8; k++) out[i + 4 * k] = y[8 * i + k] as number;
  return out;
}

/** ψ: shifts the 16-bit words down by one and puts y1^y2^y3^y4^y13^y16 on top. */
function psi(y: Uint8Array): Uint8Array {
  const out = new Uint8Array(32);
  out.set(y.subarray(2, 32), 0);
  for (const word of [0, 1, 2, 3, 12, 15]) {
    out[30] = (out[30] as number) ^ (y[2 * word] as number);
    out[31] = (out[31] as number) ^ (y[2 * word + 1] as number);
  }
  return out;
}

function xor(a: Uint8Array, b: Uint8Array): Uint8Array {
  return Uint8Array.from(a, (v, i) => v ^ (b[i] as number));
}

/** The step function f(H, M). */
function step(h: Uint8Array, m: Uint8Array): Uint8Array {
  // Key generation.
  let u: Uint8Array = h;
  let v: Uint8Array = m;
  const keys = [transformP(xor(u, v))];
  for (let j = 2; j <= 4; j++) {
    u = transformA(u);
    if (j === 3) u = xor(u, C3);
    v = transformA(transformA(v));
    keys.push(transformP(xor(u, v)));
  }
  // Encryption of the four 64-bit parts of H.
  const s = new Uint8Array(32);
  for (let i = 0; i < 4; i++) encryptBlock(keys[i] as Uint8Array, h, 8 * i, s);
  // Mixing: psi^61(H ^ psi(M ^ psi^12(S))).
  let x: Uint8Array = s;
  for (let i = 0; i < 12; i++) x = psi(x);
  x = psi(xor(m, x));
  x = xor(h, x);
  for (let i = 0; i < 61; i++) x = psi(x);
  return x;
}

/** Adds `b` into `a` modulo 2^256 (little-endian). */
function add256(a: Uint8Array, b: Uint8Array): void {
  let carry = 0;
  for (let i = 0; i < 32; i++) {
    const sum = (a[i] as number) + (b[i] as number) + carry;
    a[i] = sum & 0xff;
    carry = sum >> 8;
  }
}

/** GOST R 34.11-94 (Test parameter set) of `data`; 32 bytes in memory order. */
export function gost3411_94(data: Uint8Array): Uint8Array {
  let h: Uint8Array = new Uint8Array(32);
  const sigma = new Uint8Array(32);
  let offset = 0;
  for (; offset + 32 <= data.length; offset += 32) {
    const block = data.subarray(offset, offset + 32);
    h = step(h, block);
    add256(sigma, block);
  }
  // The last part is padded with zeros; an empty message has no part to process (the published
  // digest of "" is ce85b99c...0f8d: gost-engine's gostsum tool differs there, and only there).
  if (offset < data.length) {
    const block = new Uint8Array(32);
    block.set(data.subarray(offset));
    h = step(h, block);
    add256(sigma, block);
  }
  const length = new Uint8Array(32);
  let bits = BigInt(data.length) * 8n;
  for (let i = 0; i < 32 && bits > 0n; i++, bits >>= 8n) length[i] = Number(bits & 0xffn);
  h = step(h, length);
  return step(h, sigma);
}
