import { describe, expect, it } from 'vitest';
import { KzError, requireHttpUrl } from '../src/index.js';

const context = { service: 'S', operation: 'configure' };

describe('requireHttpUrl', () => {
  it('returns an http(s) URL as given', () => {
    expect(requireHttpUrl(context, 'createX', 'endpoint', 'https://h/p?q=1')).toBe('https://h/p?q=1');
  });

  it.each([undefined, '', 'file:///etc/passwd', 'no url'])('%s is CONFIG_ERROR naming the option', (value) => {
    const call = () => requireHttpUrl(context, 'createX', 'endpoint.async', value);
    expect(call).toThrow(KzError);
    expect(call).toThrow(/^createX: endpoint\.async /);
  });

  it('never echoes the value (a URL may carry credentials)', () => {
    const secret = 'ftp://user:Secr3t@host/';
    expect(() => requireHttpUrl(context, 'createX', 'endpoint', secret)).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('Secr3t') }),
    );
  });
});
