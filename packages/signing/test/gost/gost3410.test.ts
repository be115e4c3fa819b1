/**
 * GOST 34.10-2015 (R 34.10-2012) signatures: the curves' parameters, the standard's worked examples,
 * Kalkan's signature in the KZ vectors, gost-engine's signatures on every curve, and a property test.
 */
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { bigIntToBytesLE } from '../../src/gost/bytes.js';
import {
  CRYPTOPRO_A,
  type GostCurve,
  pointsOf,
  TC26_256_A,
  TC26_512_A,
  TC26_512_B,
  TC26_512_C,
} from '../../src/gost/curves.js';
import { decodeSignature, encodeSignature } from '../../src/gost/encoding.js';
import { publicKeyOf, signDigest, signDigestWithK, verifyDigest } from '../../src/gost/gost3410.js';
import { streebog512 } from '../../src/gost/streebog.js';
import { fixture, flipBit, VECTOR_KEY, VECTORS } from './helpers.js';

// Key generation, property runs and openssl take seconds each on a loaded, shared 2-core machine.
vi.setConfig({ testTimeout: 60_000 });

const CURVES = [TC26_256_A, TC26_512_A, TC26_512_B, TC26_512_C, CRYPTOPRO_A];

function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  let b = base % modulus;
  for (let e = exponent; e > 0n; e >>= 1n) {
    if (e & 1n) result = (result * b) % modulus;
    b = (b * b) % modulus;
  }
  return result;
}

/** Miller-Rabin with fixed bases: a composite passes all 20 with probability < 4^-20. */
function isProbablePrime(n: bigint): boolean {
  let d = n - 1n;
  let r = 0;
  while ((d & 1n) === 0n) {
    d >>= 1n;
    r++;
  }
  for (const a of [2n, 3n, 5n, 7n, 11n, 13n, 17n, 19n, 23n, 29n, 31n, 37n, 41n, 43n, 47n, 53n, 59n, 61n, 67n, 71n]) {
    let x = modPow(a, d, n);
    if (x === 1n || x === n - 1n) continue;
    let composite = true;
    for (let i = 1; i < r && composite; i++) {
      x = (x * x) % n;
      if (x === n - 1n) composite = false;
    }
    if (composite) return false;
  }
  return true;
}

describe('curve parameters', () => {
  for (const curve of CURVES) {
    it(`${curve.name}: p and q prime, G on the curve, q·G = O`, () => {
      const { p, a, b, q, x, y } = curve;
      expect(isProbablePrime(p)).toBe(true);
      expect(isProbablePrime(q)).toBe(true);
      expect((y * y - (x * x * x + a * x + b)) % p).toBe(0n);
      const G = pointsOf(curve).BASE;
      // (q-1)·G = -G, so q·G = O.
      expect(G.multiplyUnsafe(q - 1n).equals(G.negate())).toBe(true);
      // Hasse: the group order cofactor·q is within 2·sqrt(p) of p + 1.
      const order = curve.cofactor * q;
      const diff = order > p + 1n ? order - p - 1n : p + 1n - order;
      expect(diff * diff <= 4n * p).toBe(true);
    });
  }
});

describe('the worked examples of GOST R 34.10-2012, appendix A (RFC 7091 section 7)', () => {
  const example1: GostCurve = {
    name: 'GOST R 34.10-2012 A.1 test curve',
    size: 32,
    p: 0x8000000000000000000000000000000000000000000000000000000000000431n,
    a: 7n,
    b: 0x5fbff498aa938ce739b8e022fbafef40563f6e6a3472fc2a514c0ce9dae23b7en,
    q: 0x8000000000000000000000000000000150fe8a1892976154c59cfc193accf5b3n,
    cofactor: 1n,
    x: 2n,
    y: 0x8e2a8a0e65147d4bd6316030e16d19c85c97f0a9ca267122b96abbcea7e8fc8n,
  };
  const example2: GostCurve = {
    name: 'GOST R 34.10-2012 A.2 test curve',
    size: 64,
    p: 0x4531acd1fe0023c7550d267b6b2fee80922b14b2ffb90f04d4eb7c09b5d2d15df1d852741af4704a0458047e80e4546d35b8336fac224dd81664bbf528be6373n,
    a: 7n,
    b: 0x1cff0806a31116da29d8cfa54e57eb748bc5f377e49400fdd788b649eca1ac4361834013b2ad7322480a89ca58e0cf74bc9e540c2add6897fad0a3084f302adcn,
    q: 0x4531acd1fe0023c7550d267b6b2fee80922b14b2ffb90f04d4eb7c09b5d2d15da82f2d7ecb1dbac719905c5eecc423f1d86e25edbe23c595d644aaf187e6e6dfn,
    cofactor: 1n,
    x: 0x24d19cc64572ee30f396bf6ebbfd7a6c5213b3b3d7057cc825f91093a68cd762fd60611262cd838dc6b60aa7eee804e28bc849977fac33b4b530f1b120248a9an,
    y: 0x2bb312a43bd2ce6e0d020613c857acddcfbf061e91e5f2c3f32447c259f39b2c83ab156d77f1496bf7eb3351e1ee4e43dc1a18b91b24640b6dbb92cb1add371en,
  };
  const examples = [
    {
      curve: example1,
      d: 0x7a929ade789bb9be10ed359dd39a72c11b60961f49397eee1d19ce9891ec3b28n,
      Q: {
        x: 0x7f2b49e270db6d90d8595bec458b50c58585ba1d4e9b788f6689dbd8e56fd80bn,
        y: 0x26f1b489d6701dd185c8413a977b3cbbaf64d1c593d26627dffb101a87ff77dan,
      },
      e: 0x2dfbc1b372d89a1188c09c52e0eec61fce52032ab1022e8e67ece6672b043ee5n,
      k: 0x77105c9b20bcd3122823c8cf6fcc7b956de33814e95b7fe64fed924594dceab3n,
      r: 0x41aa28d2f1ab148280cd9ed56feda41974053554a42767b83ad043fd39dc0493n,
      s: 0x01456c64ba4642a1653c235a98a60249bcd6d3f746b631df928014f6c5bf9c40n,
    },
    {
      curve: example2,
      d: 0x0ba6048aadae241ba40936d47756d7c93091a0e8514669700ee7508e508b102072e8123b2200a0563322dad2827e2714a2636b7bfd18aadfc62967821fa18dd4n,
      Q: {
        x: 0x115dc5bc96760c7b48598d8ab9e740d4c4a85a65be33c1815b5c320c854621dd5a515856d13314af69bc5b924c8b4ddff75c45415c1d9dd9dd33612cd530efe1n,
        y: 0x37c7c90cd40b0f5621dc3ac1b751cfa0e2634fa0503b3d52639f5d7fb72afd61ea199441d943ffe7f0c70a2759a3cdb84c114e1f9339fdf27f35eca93677beecn,
      },
      e: 0x3754f3cfacc9e0615c4f4a7c4d8dab531b09b6f9c170c533a71d147035b0c5917184ee536593f4414339976c647c5d5a407adedb1d560c4fc6777d2972075b8cn,
      k: 0x0359e7f4b1410feacc570456c6801496946312120b39d019d455986e364f365886748ed7a44b3e794434006011842286212273a6d14cf70ea3af71bb1ae679f1n,
      r: 0x2f86fa60a081091a23dd795e1e3c689ee512a3c82ee0dcc2643c78eea8fcacd35492558486b20f1c9ec197c90699850260c93bcbcd9c5c3317e19344e173ae36n,
      s: 0x1081b394696ffe8e6585e7a9362d26b6325f56778aadbc081c0bfbe933d52ff5823ce288e8c4f362526080df7f70ce406a6eeb1f56919cb92a9853bde73e5b4an,
    },
  ];
  for (const [index, example] of examples.entries()) {
    it(`example ${index + 1}: Q = d·P, (r, s) from the given k and e, and it verifies`, () => {
      const { curve, d, Q, e, k, r, s } = example;
      expect(publicKeyOf(curve, d)).toEqual(Q);
      // The standard gives e as an integer; our API takes the digest bytes, read little-endian.
      const digest = bigIntToBytesLE(e, curve.size);
      expect(signDigestWithK(curve, d, digest, k)).toEqual({ r, s });
      expect(verifyDigest(curve, Q, digest, { r, s })).toBe(true);
      expect(verifyDigest(curve, Q, digest, { r, s: s ^ 1n })).toBe(false);
      expect(verifyDigest(curve, Q, flipBit(digest, 0), { r, s })).toBe(false);
    });
  }
});

describe('Kalkan: the KZ test vectors (TC26 512 paramSetA, KZ byte order)', () => {
  const digest = Buffer.from(VECTORS.digest, 'hex');
  const signature = Buffer.from(VECTORS.sig, 'hex');

  it('derives the public key from the private scalar', () => {
    expect(publicKeyOf(TC26_512_A, VECTOR_KEY.d)).toEqual(VECTOR_KEY.point);
    expect(Buffer.from(streebog512(Buffer.from(VECTORS.msg))).toString('hex')).toBe(VECTORS.digest);
  });

  it("verifies Kalkan's signature as r || s little-endian, and only so", () => {
    const value = decodeSignature(64, signature);
    expect(value && verifyDigest(TC26_512_A, VECTOR_KEY.point, digest, value)).toBe(true);
    // The RFC 4491 layout (the whole value reversed: s || r big-endian) does not verify.
    const reversed = decodeSignature(64, Uint8Array.from(signature).reverse());
    expect(reversed && verifyDigest(TC26_512_A, VECTOR_KEY.point, digest, reversed)).toBe(false);
  });

  it('fails after any single bit of the signature or the digest changes', () => {
    for (let bit = 0; bit < signature.length * 8; bit += 37) {
      const value = decodeSignature(64, flipBit(signature, bit));
      expect(value && verifyDigest(TC26_512_A, VECTOR_KEY.point, digest, value), `signature bit ${bit}`).toBe(false);
    }
    const value = decodeSignature(64, signature);
    for (let bit = 0; bit < digest.length * 8; bit += 29) {
      expect(value && verifyDigest(TC26_512_A, VECTOR_KEY.point, flipBit(digest, bit), value)).toBe(false);
    }
  });

  it('our signature with the vector key verifies, in the same layout', () => {
    const ours = encodeSignature(64, signDigest(TC26_512_A, VECTOR_KEY.d, digest));
    expect(ours).toHaveLength(128);
    const value = decodeSignature(64, ours);
    expect(value && verifyDigest(TC26_512_A, VECTOR_KEY.point, digest, value)).toBe(true);
  });
});

describe('gost-engine: its signatures on every curve verify with ours', () => {
  const { vectors } = JSON.parse(fixture('gost3410-gost-engine.json')) as {
    vectors: { curve: string; x: string; y: string; digest: string; signatureRfc4491: string }[];
  };
  it('covers 512 A/B/C, 256 A and CryptoPro A', () => {
    expect(new Set(vectors.map((v) => v.curve))).toEqual(new Set(CURVES.map((c) => c.name)));
  });
  for (const v of vectors) {
    it(`${v.curve} ${v.digest.slice(0, 8)}`, () => {
      const curve = CURVES.find((c) => c.name === v.curve) as GostCurve;
      const point = { x: BigInt(`0x${v.x}`), y: BigInt(`0x${v.y}`) };
      const digest = Buffer.from(v.digest, 'hex');
      // RFC 4491's s || r big-endian is the byte reverse of the Kazakh r || s little-endian.
      const value = decodeSignature(curve.size, Buffer.from(v.signatureRfc4491, 'hex').reverse());
      expect(value && verifyDigest(curve, point, digest, value)).toBe(true);
      expect(value && verifyDigest(curve, point, flipBit(digest, 3), value)).toBe(false);
    });
  }
});

describe('sign then verify (property)', () => {
  for (const curve of CURVES) {
    it(`${curve.name}: any key, any digest; a changed digest or key fails`, () => {
      const scalar = fc.bigInt({ min: 1n, max: curve.q - 1n });
      fc.assert(
        fc.property(scalar, fc.uint8Array({ minLength: curve.size, maxLength: curve.size }), (d, digest) => {
          const Q = publicKeyOf(curve, d);
          const signature = signDigest(curve, d, digest);
          expect(verifyDigest(curve, Q, digest, signature)).toBe(true);
          expect(verifyDigest(curve, Q, flipBit(digest, digest.length * 4), signature)).toBe(false);
          const other = publicKeyOf(curve, d === 1n ? 2n : d - 1n);
          expect(verifyDigest(curve, other, digest, signature)).toBe(false);
        }),
        { numRuns: 8 },
      );
    });
  }

  it('rejects r or s out of range and points off the curve', () => {
    const digest = new Uint8Array(64).fill(7);
    const signature = signDigest(TC26_512_A, VECTOR_KEY.d, digest);
    const { q } = TC26_512_A;
    for (const bad of [
      { ...signature, r: 0n },
      { ...signature, s: 0n },
      { ...signature, r: signature.r + q },
      { ...signature, s: q },
    ]) {
      expect(verifyDigest(TC26_512_A, VECTOR_KEY.point, digest, bad)).toBe(false);
    }
    const offCurve = { x: VECTOR_KEY.point.x, y: VECTOR_KEY.point.y + 1n };
    expect(verifyDigest(TC26_512_A, offCurve, digest, signature)).toBe(false);
  });
});
