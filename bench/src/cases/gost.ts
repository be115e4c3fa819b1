/**
 * gost-512: GOST 34.10-2015 (= R 34.10-2012) signatures on the TC26 512-bit paramSetA curve with
 * Streebog-512, signing and verifying a 1 KiB message, through @kz/signing's public API
 * (GostSigner.sign, verifyGostSignature with the certificate) vs @wavesenterprise/crypto-gost-js
 * (GostSign 'T-512-A', Streebog-512) with the same key. Before timing, each side's signatures are
 * checked by the other (byte layouts converted), so both compute the same operation.
 */
import { createHash } from 'node:crypto';
import { parseCertificate, verifyGostSignature } from '@kz/signing';
import { createGostTestIdentity } from '@kz/signing/testing';
import cryptoGost from '@wavesenterprise/crypto-gost-js';
import { type Result, round, sideBySide, time } from '../harness.js';

const SIGNS = 20;
const VERIFIES = 10;
const PEER_NAME = '@wavesenterprise/crypto-gost-js 2.0.1';

const littleEndian = (bytes: Uint8Array) => BigInt(`0x${Buffer.from(bytes).reverse().toString('hex') || '0'}`);

export async function gost512(): Promise<Result[]> {
  const peer = cryptoGost.GostEngine.getGostSign({
    name: 'GOST R 34.10',
    version: 2012,
    mode: 'SIGN',
    length: 512,
    namedCurve: 'T-512-A',
    procreator: 'CP',
    hash: { name: 'GOST R 34.11', version: 2012, length: 512 },
  });
  // One key for both: the peer's, read as the little-endian scalar it stores.
  const peerKey = peer.generateKey();
  const d = littleEndian(new Uint8Array(peerKey.privateKey));
  const identity = createGostTestIdentity({ key: { keyType: 'GOST-2015-512', d } });
  const key = parseCertificate(identity.certificate).publicKey;
  const peerPublic = new Uint8Array(peerKey.publicKey); // x || y, little-endian
  if (
    !('point' in key) ||
    key.point.x !== littleEndian(peerPublic.subarray(0, 64)) ||
    key.point.y !== littleEndian(peerPublic.subarray(64))
  ) {
    throw new Error('the two libraries derive different public keys from the same private key');
  }

  const message = new Uint8Array(createHash('sha512').update('gost-512 bench').digest());
  const data = new Uint8Array(1024).map((_, i) => message[i % 64] as number);
  // The peer writes CryptoPro's (RFC 4491) layout, s || r big-endian: the byte reverse of Kalkan's r || s little-endian.
  const reversed = (signature: Uint8Array) => Uint8Array.from(signature).reverse();
  const ours = (await identity.signer.sign(data)).signature;
  const theirs = new Uint8Array(peer.sign(peerKey.privateKey, data));
  const crossChecked =
    peer.verify(peerKey.publicKey, reversed(ours), data) &&
    verifyGostSignature(data, reversed(theirs), identity.certificate) &&
    !peer.verify(peerKey.publicKey, reversed(ours), data.subarray(1)) &&
    !verifyGostSignature(data.subarray(1), reversed(theirs), identity.certificate);
  if (!crossChecked) throw new Error("the two libraries do not verify each other's signatures");

  const signing = await sideBySide(
    () =>
      time(async () => {
        for (let i = 0; i < SIGNS; i++) await identity.signer.sign(data);
      }),
    () =>
      time(() => {
        for (let i = 0; i < SIGNS; i++) peer.sign(peerKey.privateKey, data);
      }),
    { warmup: 1, rounds: 7 },
  );
  const verifying = await sideBySide(
    () =>
      time(() => {
        for (let i = 0; i < VERIFIES; i++) {
          if (!verifyGostSignature(data, ours, identity.certificate)) throw new Error('ours failed to verify');
        }
      }),
    () =>
      time(() => {
        for (let i = 0; i < VERIFIES; i++) {
          if (!peer.verify(peerKey.publicKey, theirs, data)) throw new Error('the peer failed to verify');
        }
      }),
    { warmup: 1, rounds: 7 },
  );
  const perSecond = (count: number, ms: number) => round((count / ms) * 1000, 1);
  const notes = {
    curve: 'id-tc26-gost-3410-12-512-paramSetA',
    hash: 'Streebog-512',
    messageBytes: data.length,
    crossChecked,
  };
  return [
    {
      id: 'gost-512-sign',
      ours: perSecond(SIGNS, signing.ours),
      peer: perSecond(SIGNS, signing.peer),
      peerName: PEER_NAME,
      unit: 'signatures/s',
      ratio: round(signing.peer / signing.ours),
      goal: 1,
      notes: { ...notes, signaturesPerRound: SIGNS },
    },
    {
      id: 'gost-512-verify',
      ours: perSecond(VERIFIES, verifying.ours),
      peer: perSecond(VERIFIES, verifying.peer),
      peerName: PEER_NAME,
      unit: 'verifications/s',
      ratio: round(verifying.peer / verifying.ours),
      goal: 1,
      notes: { ...notes, verificationsPerRound: VERIFIES, oursIncludes: 'reading the certificate' },
    },
  ];
}
