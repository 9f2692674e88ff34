import { describe, expect, it } from 'vitest';
import { chainNetworkSchema, resolveChainEndpoint } from './networks.js';

describe('named networks (as btcli names them)', () => {
  it('resolves finney, test and local, passes URLs through, and lets an explicit endpoint win', () => {
    expect(resolveChainEndpoint({ network: 'finney' })).toBe('wss://entrypoint-finney.opentensor.ai:443');
    expect(resolveChainEndpoint({ network: 'test' })).toBe('wss://test.finney.opentensor.ai:443');
    expect(resolveChainEndpoint({ network: 'local' })).toBe('ws://127.0.0.1:9944');
    expect(resolveChainEndpoint({})).toBe('ws://127.0.0.1:9944');
    expect(resolveChainEndpoint({ network: 'wss://example.invalid:443' })).toBe('wss://example.invalid:443');
    expect(resolveChainEndpoint({ network: 'finney', endpoint: 'ws://10.0.0.1:9944' })).toBe('ws://10.0.0.1:9944');
  });

  it('refuses unknown names and non-WebSocket URLs in the flags', () => {
    expect(chainNetworkSchema.safeParse({ network: 'mainnet' }).success).toBe(false);
    expect(chainNetworkSchema.safeParse({ endpoint: 'http://127.0.0.1:9944' }).success).toBe(false);
    expect(() => resolveChainEndpoint({ network: 'nowhere' })).toThrow(/unknown network/);
  });
});
