/**
 * The options vocabulary at the type level: every factory's options carry BaseClientOptions'
 * names (`endpoint`, `timeoutMs`, `tls`, `transport`, `retry`, `hooks`) and none of the retired
 * ones; `npm test` type-checks this file, and the canary types below must be refused.
 */
import type { AlsecoClient, AlsecoClientOptions } from '@kz/alseco';
import type { EsfClient, EsfClientOptions } from '@kz/esf';
import type { IsgoClient, IsgoClientOptions } from '@kz/isgo';
import type { ShepClient, ShepClientOptions } from '@kz/shep';
import type { BaseClientOptions, KzClient } from '@kz/soap';
import type { TrueApiClient, TrueApiClientOptions } from '@kz/true-api';
import { describe, expectTypeOf, it } from 'vitest';

/** Names of BaseClientOptions an options type lacks (never when it has them all). */
type Missing<O> = Exclude<keyof BaseClientOptions, keyof O>;
/** Names the conventions retired, still present in an options type (never when none are). */
type Retired<O> = Extract<keyof O, 'baseUrl' | 'url' | 'syncTimeoutMs' | 'asyncTimeoutMs' | 'pollIntervalMs'>;
/** A conforming options type: all the base names, none retired, an endpoint that is a URL or per channel. */
type Conforms<O> = [Missing<O>, Retired<O>] extends [never, never]
  ? O extends { endpoint?: string | object }
    ? true
    : false
  : false;

describe('options vocabulary', () => {
  it('every factory takes BaseClientOptions-shaped options', () => {
    expectTypeOf<Conforms<AlsecoClientOptions>>().toEqualTypeOf<true>();
    expectTypeOf<Conforms<EsfClientOptions>>().toEqualTypeOf<true>();
    expectTypeOf<Conforms<IsgoClientOptions>>().toEqualTypeOf<true>();
    expectTypeOf<Conforms<ShepClientOptions>>().toEqualTypeOf<true>();
    expectTypeOf<Conforms<TrueApiClientOptions>>().toEqualTypeOf<true>();
  });

  it('every client is a KzClient: operations, close, await using', () => {
    expectTypeOf<AlsecoClient>().toExtend<KzClient>();
    expectTypeOf<EsfClient>().toExtend<KzClient>();
    expectTypeOf<IsgoClient>().toExtend<KzClient>();
    expectTypeOf<ShepClient>().toExtend<KzClient>();
    expectTypeOf<TrueApiClient>().toExtend<KzClient>();
  });

  it('the canaries are refused', () => {
    expectTypeOf<Conforms<{ baseUrl: string; timeoutMs?: number }>>().toEqualTypeOf<false>();
    expectTypeOf<Conforms<BaseClientOptions & { syncTimeoutMs?: number }>>().toEqualTypeOf<false>();
    expectTypeOf<{ api: unknown; close(): void }>().not.toExtend<KzClient>();
  });
});
