/**
 * SHEP's three WSDLs import the same common schemas: their common types are generated once, in
 * src/generated/common, and each channel's metadata refers to that one module.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { sharedTypes } from '../src/generated/common/schema.js';
import { asyncChannelClientMeta, asyncChannelMeta, syncChannelMeta } from '../src/index.js';

const GENERATED = path.join(path.dirname(fileURLToPath(import.meta.url)), '../src/generated');
const CHANNELS = { sync: syncChannelMeta, async: asyncChannelMeta, 'async-client': asyncChannelClientMeta };

describe('SHEP common types', () => {
  it('are declared once, in the common module', () => {
    const declaredIn = (name: string) =>
      readdirSync(GENERATED).filter((dir) =>
        new RegExp(`export (interface|type) ${name}\\b`).test(
          readFileSync(path.join(GENERATED, dir, 'types.ts'), 'utf8'),
        ),
      );
    for (const name of ['SenderInfo', 'Property', 'ErrorInfo', 'MessageData', 'MessageType', 'Guid'])
      expect(declaredIn(name), name).toEqual(['common']);
  });

  it('reach every channel as the one metadata object of the common module', () => {
    for (const [channel, meta] of Object.entries(CHANNELS)) {
      for (const name of ['SenderInfo', 'Property', 'Guid'] as const) {
        expect(meta.types[name], `${channel} ${name}`).toBeDefined();
        expect(meta.types[name], `${channel} ${name}`).toBe(sharedTypes[name]);
      }
    }
    // Types of one channel stay in its own module.
    expect(syncChannelMeta.types.SyncMessageInfo).toBeDefined();
    expect(Object.keys(sharedTypes)).not.toContain('SyncMessageInfo');
  });
});
