/** The part of @wavesenterprise/crypto-gost-js 2.0.1 the gost-512 case uses (it ships no types). */
declare module '@wavesenterprise/crypto-gost-js' {
  interface GostSignCipher {
    generateKey(): { privateKey: ArrayBuffer; publicKey: ArrayBuffer };
    sign(privateKey: ArrayBuffer | Uint8Array, data: Uint8Array): ArrayBuffer;
    verify(publicKey: ArrayBuffer | Uint8Array, signature: ArrayBuffer | Uint8Array, data: Uint8Array): boolean;
  }
  const cryptoGost: {
    GostEngine: { getGostSign(algorithm: Record<string, unknown>): GostSignCipher };
  };
  export default cryptoGost;
}
