/**
 * GOST R 34.11-2012 / GOST 34.11-2015 "Streebog" hash, 256 and 512 bits (RFC 6986).
 *
 * The 512-bit state is held as 16 little-endian 32-bit words (word 2i and 2i+1 are the low and high
 * halves of the standard's 64-bit lane i): bytes in memory order are the standard's vectors written
 * least significant byte first, which is how every implementation and Kalkan feed messages in.
 * The S, P and L steps are fused into 8 lookup tables built once from the standard's π and A.
 * Table lookups depend on the data hashed; that data is public (documents, signed attributes).
 */

/** π, the substitution (RFC 6986 section 6.2). */
const PI = [
  252, 238, 221, 17, 207, 110, 49, 22, 251, 196, 250, 218, 35, 197, 4, 77, 233, 119, 240, 219, 147, 46, 153, 186, 23,
  54, 241, 187, 20, 205, 95, 193, 249, 24, 101, 90, 226, 92, 239, 33, 129, 28, 60, 66, 139, 1, 142, 79, 5, 132, 2, 174,
  227, 106, 143, 160, 6, 11, 237, 152, 127, 212, 211, 31, 235, 52, 44, 81, 234, 200, 72, 171, 242, 42, 104, 162, 253,
  58, 206, 204, 181, 112, 14, 86, 8, 12, 118, 18, 191, 114, 19, 71, 156, 183, 93, 135, 21, 161, 150, 41, 16, 123, 154,
  199, 243, 145, 120, 111, 157, 158, 178, 177, 50, 117, 25, 61, 255, 53, 138, 126, 109, 84, 198, 128, 195, 189, 13, 87,
  223, 245, 36, 169, 62, 168, 67, 201, 215, 121, 214, 246, 124, 34, 185, 3, 224, 15, 236, 222, 122, 148, 176, 188, 220,
  232, 40, 80, 78, 51, 10, 74, 167, 151, 96, 115, 30, 0, 98, 68, 26, 184, 56, 130, 100, 159, 38, 65, 173, 69, 70, 146,
  39, 94, 85, 47, 140, 163, 165, 125, 105, 213, 149, 59, 7, 88, 179, 64, 134, 172, 29, 247, 48, 55, 107, 228, 136, 217,
  231, 137, 225, 27, 131, 73, 76, 63, 248, 254, 141, 83, 170, 144, 202, 216, 133, 97, 32, 113, 103, 164, 45, 43, 9, 91,
  203, 155, 37, 208, 190, 229, 108, 82, 89, 166, 116, 210, 230, 244, 180, 192, 209, 102, 175, 194, 57, 75, 99, 182,
];

/** The matrix A of the linear step l, row for the most significant bit first (RFC 6986 section 6.4). */
// biome-ignore format: the standard's layout, four rows a line
const A = [
  '8e20faa72ba0b470', '47107ddd9b505a38', 'ad08b0e0c3282d1c', 'd8045870ef14980e',
  '6c022c38f90a4c07', '3601161cf205268d', '1b8e0b0e798c13c8', '83478b07b2468764',
  'a011d380818e8f40', '5086e740ce47c920', '2843fd2067adea10', '14aff010bdd87508',
  '0ad97808d06cb404', '05e23c0468365a02', '8c711e02341b2d01', '46b60f011a83988e',
  '90dab52a387ae76f', '486dd4151c3dfdb9', '24b86a840e90f0d2', '125c354207487869',
  '092e94218d243cba', '8a174a9ec8121e5d', '4585254f64090fa0', 'accc9ca9328a8950',
  '9d4df05d5f661451', 'c0a878a0a1330aa6', '60543c50de970553', '302a1e286fc58ca7',
  '18150f14b9ec46dd', '0c84890ad27623e0', '0642ca05693b9f70', '0321658cba93c138',
  '86275df09ce8aaa8', '439da0784e745554', 'afc0503c273aa42a', 'd960281e9d1d5215',
  'e230140fc0802984', '71180a8960409a42', 'b60c05ca30204d21', '5b068c651810a89e',
  '456c34887a3805b9', 'ac361a443d1c8cd2', '561b0d22900e4669', '2b838811480723ba',
  '9bcf4486248d9f5d', 'c3e9224312c8c1a0', 'effa11af0964ee50', 'f97d86d98a327728',
  'e4fa2054a80b329c', '727d102a548b194e', '39b008152acb8227', '9258048415eb419d',
  '492c024284fbaec0', 'aa16012142f35760', '550b8e9e21f7a530', 'a48b474f9ef5dc18',
  '70a6a56e2440598e', '3853dc371220a247', '1ca76e95091051ad', '0edd37c48a08a6d8',
  '07e095624504536c', '8d70c431ac02a736', 'c83862965601dd1b', '641c314b2b8ee083',
];

/** The iteration constants C1..C12, as printed in the standard (most significant byte first). */
const C = [
  'b1085bda1ecadae9ebcb2f81c0657c1f2f6a76432e45d016714eb88d7585c4fc4b7ce09192676901a2422a08a460d31505767436cc744d23dd806559f2a64507',
  '6fa3b58aa99d2f1a4fe39d460f70b5d7f3feea720a232b9861d55e0f16b501319ab5176b12d699585cb561c2db0aa7ca55dda21bd7cbcd56e679047021b19bb7',
  'f574dcac2bce2fc70a39fc286a3d843506f15e5f529c1f8bf2ea7514b1297b7bd3e20fe490359eb1c1c93a376062db09c2b6f443867adb31991e96f50aba0ab2',
  'ef1fdfb3e81566d2f948e1a05d71e4dd488e857e335c3c7d9d721cad685e353fa9d72c82ed03d675d8b71333935203be3453eaa193e837f1220cbebc84e3d12e',
  '4bea6bacad4747999a3f410c6ca923637f151c1f1686104a359e35d7800fffbdbfcd1747253af5a3dfff00b723271a167a56a27ea9ea63f5601758fd7c6cfe57',
  'ae4faeae1d3ad3d96fa4c33b7a3039c02d66c4f95142a46c187f9ab49af08ec6cffaa6b71c9ab7b40af21f66c2bec6b6bf71c57236904f35fa68407a46647d6e',
  'f4c70e16eeaac5ec51ac86febf240954399ec6c7e6bf87c9d3473e33197a93c90992abc52d822c3706476983284a05043517454ca23c4af38886564d3a14d493',
  '9b1f5b424d93c9a703e7aa020c6e41414eb7f8719c36de1e89b4443b4ddbc49af4892bcb929b069069d18d2bd1a5c42f36acc2355951a8d9a47f0dd4bf02e71e',
  '378f5a541631229b944c9ad8ec165fde3a7d3a1b258942243cd955b7e00d0984800a440bdbb2ceb17b2b8a9aa6079c540e38dc92cb1f2a607261445183235adb',
  'abbedea680056f52382ae548b2e4f3f38941e71cff8a78db1fffe18a1b3361039fe76702af69334b7a1e6c303b7652f43698fad1153bb6c374b4c7fb98459ced',
  '7bcd9ed0efc889fb3002c6cd635afe94d8fa6bbbebab076120018021148466798a1d71efea48b9caefbacd1d7d476e98dea2594ac06fd85d6bcaa4cd81f32d1b',
  '378ee767f11631bad21380b00449b17acda43c32bcdf1d77f82012d430219f9b5d80ef9d1891cc86e71da4aa88e12852faf417d5d9b21b9948bc924af11bd720',
];

/**
 * LPS fused: lane i of L(P(S(x))) is the XOR over j of TABLE[j][byte i of lane j]. Bit k of the byte
 * taken from lane j sits at bit 8j+k of the transposed lane, which l maps to row A[63 - (8j+k)].
 */
const TABLE_LO = new Uint32Array(8 * 256);
const TABLE_HI = new Uint32Array(8 * 256);
for (let j = 0; j < 8; j++) {
  for (let b = 0; b < 256; b++) {
    let lo = 0;
    let hi = 0;
    const s = PI[b] as number;
    for (let k = 0; k < 8; k++) {
      if ((s >> k) & 1) {
        const row = A[63 - (8 * j + k)] as string;
        hi ^= Number.parseInt(row.slice(0, 8), 16);
        lo ^= Number.parseInt(row.slice(8), 16);
      }
    }
    TABLE_LO[j * 256 + b] = lo >>> 0;
    TABLE_HI[j * 256 + b] = hi >>> 0;
  }
}

const ROUND_CONSTANTS = C.map((hex) => wordsOf(Uint8Array.from(Buffer.from(hex, 'hex')).reverse()));

function wordsOf(block: Uint8Array): Uint32Array {
  const words = new Uint32Array(16);
  for (let w = 0; w < 16; w++) {
    const o = 4 * w;
    words[w] =
      ((block[o] as number) |
        ((block[o + 1] as number) << 8) |
        ((block[o + 2] as number) << 16) |
        ((block[o + 3] as number) << 24)) >>>
      0;
  }
  return words;
}

/** out = LPS(a ^ b); `scratch` holds a ^ b. `out` may be `a` or `b`. */
function lpsXor(a: Uint32Array, b: Uint32Array, out: Uint32Array, scratch: Uint32Array): void {
  for (let w = 0; w < 16; w++) scratch[w] = (a[w] as number) ^ (b[w] as number);
  for (let i = 0; i < 8; i++) {
    // Byte i of each lane: in the low word for i < 4, the high word otherwise.
    const word = i < 4 ? 0 : 1;
    const shift = 8 * (i & 3);
    let lo = 0;
    let hi = 0;
    for (let j = 0; j < 8; j++) {
      const index = j * 256 + (((scratch[2 * j + word] as number) >>> shift) & 0xff);
      lo ^= TABLE_LO[index] as number;
      hi ^= TABLE_HI[index] as number;
    }
    out[2 * i] = lo >>> 0;
    out[2 * i + 1] = hi >>> 0;
  }
}

/** a = (a + b) mod 2^512, little-endian words. */
function add512(a: Uint32Array, b: Uint32Array): void {
  let carry = 0;
  for (let w = 0; w < 16; w++) {
    const sum = (a[w] as number) + (b[w] as number) + carry;
    a[w] = sum >>> 0;
    carry = sum > 0xffffffff ? 1 : 0;
  }
}

/** a = (a + small) mod 2^512, small < 2^32. */
function addSmall(a: Uint32Array, small: number): void {
  let carry = small;
  for (let w = 0; w < 16 && carry !== 0; w++) {
    const sum = (a[w] as number) + carry;
    a[w] = sum >>> 0;
    carry = sum > 0xffffffff ? 1 : 0;
  }
}

const ZERO = new Uint32Array(16);

/** Incremental Streebog: `update` any number of times, then `digest` once. */
export class Streebog {
  readonly #outputBytes: 32 | 64;
  readonly #h = new Uint32Array(16);
  readonly #n = new Uint32Array(16);
  readonly #sigma = new Uint32Array(16);
  readonly #block = new Uint8Array(64);
  #buffered = 0;
  #done = false;
  // Scratch space for the compression function, so hashing allocates nothing per block.
  readonly #key = new Uint32Array(16);
  readonly #state = new Uint32Array(16);
  readonly #scratch = new Uint32Array(16);

  constructor(outputBits: 256 | 512) {
    this.#outputBytes = outputBits === 256 ? 32 : 64;
    // The 256-bit variant starts from the IV 0x01 repeated, the 512-bit one from zero.
    if (outputBits === 256) this.#h.fill(0x01010101);
  }

  update(data: Uint8Array): this {
    // A misuse of this internal hash object (not exported), not something a caller's input can cause.
    if (this.#done) throw new Error('digest() was already called');
    let offset = 0;
    if (this.#buffered > 0) {
      const take = Math.min(64 - this.#buffered, data.length);
      this.#block.set(data.subarray(0, take), this.#buffered);
      this.#buffered += take;
      offset = take;
      if (this.#buffered < 64) return this;
      this.#absorb(wordsOf(this.#block), 512);
      this.#buffered = 0;
    }
    for (; offset + 64 <= data.length; offset += 64) this.#absorb(wordsOf(data.subarray(offset, offset + 64)), 512);
    this.#block.set(data.subarray(offset));
    this.#buffered = data.length - offset;
    return this;
  }

  digest(): Uint8Array {
    // A misuse of this internal hash object (not exported), not something a caller's input can cause.
    if (this.#done) throw new Error('digest() was already called');
    this.#done = true;
    // Stage 3: the rest (possibly empty) padded with a single 1 bit above it, then N and Sigma.
    const last = new Uint8Array(64);
    last.set(this.#block.subarray(0, this.#buffered));
    last[this.#buffered] = 0x01;
    this.#absorb(wordsOf(last), 8 * this.#buffered);
    this.#compress(ZERO, this.#n);
    this.#compress(ZERO, this.#sigma);
    const out = new Uint8Array(64);
    for (let w = 0; w < 16; w++) {
      const v = this.#h[w] as number;
      out[4 * w] = v & 0xff;
      out[4 * w + 1] = (v >>> 8) & 0xff;
      out[4 * w + 2] = (v >>> 16) & 0xff;
      out[4 * w + 3] = v >>> 24;
    }
    // The 256-bit hash is the most significant half of the state.
    return this.#outputBytes === 64 ? out : out.slice(32);
  }

  #absorb(m: Uint32Array, bits: number): void {
    this.#compress(this.#n, m);
    addSmall(this.#n, bits);
    add512(this.#sigma, m);
  }

  /** h = g_N(h, m) = E(LPS(h ^ N), m) ^ h ^ m. */
  #compress(n: Uint32Array, m: Uint32Array): void {
    const key = this.#key;
    const state = this.#state;
    const scratch = this.#scratch;
    lpsXor(this.#h, n, key, scratch);
    state.set(m);
    for (let i = 0; i < 12; i++) {
      lpsXor(state, key, state, scratch);
      lpsXor(key, ROUND_CONSTANTS[i] as Uint32Array, key, scratch);
    }
    for (let w = 0; w < 16; w++) {
      this.#h[w] = ((this.#h[w] as number) ^ (state[w] as number) ^ (key[w] as number) ^ (m[w] as number)) >>> 0;
    }
  }
}

export function streebog512(data: Uint8Array): Uint8Array {
  return new Streebog(512).update(data).digest();
}

export function streebog256(data: Uint8Array): Uint8Array {
  return new Streebog(256).update(data).digest();
}
