import type { LookupAddress } from 'node:dns';
import { describe, expect, it } from 'vitest';
import { endpointPolicyFromFlags, endpointRefusal, guardedLookup, publicEndpointsOnly, type EndpointPolicy } from './endpointPolicy.js';

const localSubnet: EndpointPolicy = { allowPrivateEndpoints: true };

describe('endpoint URLs under the policy', () => {
  it('accepts https endpoints on names and public addresses by default', () => {
    expect(endpointRefusal(publicEndpointsOnly, 'https://0123456789abcdef0123456789abcdef.r2.cloudflarestorage.com')).toBeUndefined();
    expect(endpointRefusal(publicEndpointsOnly, 'https://s3.us-east-1.amazonaws.com/')).toBeUndefined();
    expect(endpointRefusal(publicEndpointsOnly, 'https://8.8.8.8:9000')).toBeUndefined();
  });

  it.each([
    ['http://s3.example.com', 'scheme'],
    ['ftp://s3.example.com', 'scheme'],
    ['not a url', 'url'],
    ['https://s3.example.com/redis/path', 'url'],
    ['https://s3.example.com/?x=1', 'url'],
    ['https://user:pass@s3.example.com', 'url'],
    ['https://127.0.0.1:6379', 'address'],
    ['https://127.1:6379', 'address'], // the URL parser normalises to 127.0.0.1
    ['https://2130706433', 'address'], // and this one too
    ['https://0x7f.0.0.1', 'address'],
    ['https://10.0.0.5', 'address'],
    ['https://100.64.1.1', 'address'],
    ['https://169.254.169.254', 'address'],
    ['https://[::1]:9000', 'address'],
    ['https://[::ffff:127.0.0.1]', 'address'],
    ['https://[fd00:ec2::254]', 'address'],
    ['https://[fe80::1]', 'address'],
    ['https://[64:ff9b::a00:1]', 'address'],
    ['https://[2002:a00:1::]', 'address'],
  ])('refuses %s (%s)', (endpoint, reason) => {
    expect(endpointRefusal(publicEndpointsOnly, endpoint)).toMatchObject({ code: 'STORAGE_FORBIDDEN', details: { reason } });
  });

  it('lets a local subnet use http and loopback, but never a metadata address', () => {
    const policy = endpointPolicyFromFlags({ allowPrivateEndpoints: true });
    expect(endpointRefusal(policy, 'http://127.0.0.1:9100')).toBeUndefined();
    expect(endpointRefusal(policy, 'http://[::1]:9100')).toBeUndefined();
    expect(endpointRefusal(policy, 'http://10.0.0.5')).toBeUndefined();
    expect(endpointRefusal(policy, 'http://169.254.169.254')).toMatchObject({ details: { reason: 'address', class: 'metadata' } });
    expect(endpointPolicyFromFlags({ allowPrivateEndpoints: false })).toBe(publicEndpointsOnly);
  });

  it('accepts a listed address on its port only, when the entry names one', () => {
    const policy = endpointPolicyFromFlags({ allowPrivateEndpoints: false, allowAddresses: ['127.0.0.1:9100', '[::1]:9100'] });
    expect(endpointRefusal(policy, 'http://127.0.0.1:9100')).toBeUndefined();
    expect(endpointRefusal(policy, 'http://[::1]:9100')).toBeUndefined();
    expect(endpointRefusal(policy, 'http://127.0.0.1:6390')).toMatchObject({ details: { reason: 'address', class: 'loopback', port: 6390 } });
    expect(endpointRefusal(policy, 'http://127.0.0.1')).toMatchObject({ details: { port: 80 } });
  });

  it('accepts listed addresses whatever their class, and only those', () => {
    const policy: EndpointPolicy = { allowPrivateEndpoints: false, allowHttp: true, allowAddresses: ['127.0.0.2', '10.1.0.0/16'] };
    expect(endpointRefusal(policy, 'http://127.0.0.2:9000')).toBeUndefined();
    expect(endpointRefusal(policy, 'http://10.1.200.3')).toBeUndefined();
    expect(endpointRefusal(policy, 'http://127.0.0.1:9000')).toMatchObject({ details: { reason: 'address', class: 'loopback' } });
    expect(endpointRefusal(policy, 'http://10.2.0.1')).toMatchObject({ details: { reason: 'address', class: 'private' } });
  });
});

/** A resolver under the test's control: answers in turn, like a rebinding DNS server. */
function scriptedResolver(answers: LookupAddress[][]) {
  let call = 0;
  return (_host: string, _options: object, callback: (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void) => {
    callback(null, answers[Math.min(call++, answers.length - 1)]!);
  };
}

const lookupOnce = (lookup: ReturnType<typeof guardedLookup>, all: boolean) =>
  new Promise<{ error: unknown; address: unknown }>((resolve) => lookup('bucket.example', { all }, (error, address) => resolve({ error, address })));

describe('the guarded lookup, run for every new connection', () => {
  it('refuses a name that rebinds to an internal address after first resolving to a public one', async () => {
    const lookup = guardedLookup(publicEndpointsOnly, scriptedResolver([[{ address: '93.184.216.34', family: 4 }], [{ address: '127.0.0.1', family: 4 }]]) as never);
    expect(await lookupOnce(lookup, false)).toEqual({ error: null, address: '93.184.216.34' });
    const second = await lookupOnce(lookup, false);
    expect(second.error).toMatchObject({ code: 'STORAGE_FORBIDDEN', details: { reason: 'address', host: 'bucket.example', address: '127.0.0.1', class: 'loopback' } });
  });

  it('refuses a name when any of its addresses is forbidden (no choosing the good one)', async () => {
    const lookup = guardedLookup(publicEndpointsOnly, scriptedResolver([[{ address: '93.184.216.34', family: 4 }, { address: 'fd00:ec2::254', family: 6 }]]) as never);
    expect((await lookupOnce(lookup, true)).error).toMatchObject({ details: { class: 'metadata' } });
  });

  it('answers all addresses when asked for all (happy eyeballs)', async () => {
    const both = [{ address: '93.184.216.34', family: 4 }, { address: '2606:2800:220:1::', family: 6 }];
    const lookup = guardedLookup(publicEndpointsOnly, scriptedResolver([both]) as never);
    expect((await lookupOnce(lookup, true)).address).toEqual(both);
  });

  it('lets a local subnet resolve localhost', async () => {
    const lookup = guardedLookup(localSubnet);
    const result = await new Promise<{ error: unknown }>((resolve) => lookup('localhost', {}, (error) => resolve({ error })));
    expect(result.error).toBeNull();
  });
});
