/** `state_*` methods: storage reads and subscriptions, metadata, runtime version, runtime calls. */
import { u8aToHex } from '@polkadot/util';
import { blake2AsHex } from '@polkadot/util-crypto';
import type { Block } from '../node/block.js';
import type { StateReader } from '../runtime/overlay.js';
import { INVALID_PARAMS, RpcError, type Handler } from './jsonRpc.js';
import { bytesParam, hexListParam, hexParam, optBlockHash, optHexParam, optNumberParam, stringParam } from './params.js';
import { runtimeCall, runtimeVersionJson } from './runtimeApi.js';
import type { NodeServices } from './services.js';

/** Max keys per state_getKeysPaged page, as Substrate. */
const MAX_PAGE = 1000;

export function unknownBlock(hash: string): RpcError {
  return new RpcError(4003, `Client error: UnknownBlock: State already discarded for ${hash}`);
}

export function stateMethods(node: NodeServices): Record<string, Handler> {
  const { chain, runtime } = node;
  const stateAt = (hash: string | undefined): StateReader => {
    const s = chain.stateAt(hash);
    if (s === undefined) throw unknownBlock(hash ?? 'best');
    return s;
  };
  const hexOrNull = (v: Uint8Array | undefined) => (v === undefined ? null : u8aToHex(v));

  const getStorage: Handler = (p) => hexOrNull(stateAt(optBlockHash(p, 1)).get(hexParam(p, 0, 'key')));
  const getKeysPaged: Handler = (p) => {
    const prefix = optHexParam(p, 0, 'prefix') ?? '0x';
    const count = optNumberParam(p, 1, 'count') ?? MAX_PAGE;
    if (count > MAX_PAGE) throw new RpcError(INVALID_PARAMS, `count exceeds maximum value. value: ${count}, max: ${MAX_PAGE}`);
    const start = optHexParam(p, 2, 'startKey');
    const keys = stateAt(optBlockHash(p, 3)).keysWithPrefix(prefix);
    const from = start === undefined ? 0 : keys.findIndex((k) => k > start);
    return from < 0 ? [] : keys.slice(from, from + count);
  };
  const getMetadata: Handler = (p) => {
    optBlockHash(p, 0);
    return u8aToHex(runtime.built.v14);
  };
  const getRuntimeVersion: Handler = (p) => {
    const h = optBlockHash(p, 0);
    if (h !== undefined && chain.blockByHash(h) === undefined) throw unknownBlock(h);
    return runtimeVersionJson();
  };
  const call: Handler = (p) => {
    const method = stringParam(p, 0, 'method');
    const data = bytesParam(p, 1, 'data');
    return u8aToHex(runtimeCall(runtime, stateAt(optBlockHash(p, 2)), method, data));
  };

  return {
    state_getStorage: getStorage,
    state_getStorageAt: getStorage,
    state_getStorageHash: (p) => {
      const v = stateAt(optBlockHash(p, 1)).get(hexParam(p, 0, 'key'));
      return v === undefined ? null : blake2AsHex(v, 256);
    },
    state_getStorageSize: (p) => stateAt(optBlockHash(p, 1)).get(hexParam(p, 0, 'key'))?.length ?? null,
    state_getKeys: (p) => stateAt(optBlockHash(p, 1)).keysWithPrefix(hexParam(p, 0, 'prefix')),
    state_getKeysPaged: getKeysPaged,
    state_getKeysPagedAt: getKeysPaged,
    state_getPairs: (p) => {
      const s = stateAt(optBlockHash(p, 1));
      return s.keysWithPrefix(hexParam(p, 0, 'prefix')).map((k) => [k, hexOrNull(s.get(k))]);
    },
    state_queryStorageAt: (p) => {
      const keys = hexListParam(p, 0, 'keys') ?? [];
      const hash = optBlockHash(p, 1) ?? chain.best.hashHex;
      const s = stateAt(hash);
      return [{ block: hash, changes: keys.map((k) => [k, hexOrNull(s.get(k))]) }];
    },
    state_queryStorage: (p) => {
      // Changes of `keys` over the blocks from..to (inclusive), one entry per block where any changed.
      const keys = hexListParam(p, 0, 'keys') ?? [];
      const from = chain.blockByHash(hexParam(p, 1, 'from block hash'));
      const toHash = optBlockHash(p, 2);
      const to = toHash === undefined ? chain.best : chain.blockByHash(toHash);
      if (from === undefined || to === undefined) throw unknownBlock('range');
      if (to.header.number - from.header.number > MAX_PAGE) throw new RpcError(INVALID_PARAMS, `block range exceeds ${MAX_PAGE} blocks`);
      const out: Array<{ block: string; changes: Array<[string, string | null]> }> = [];
      let previous: Map<string, string | null> | undefined;
      for (let n = from.header.number; n <= to.header.number; n++) {
        const block = chain.blockByNumber(n);
        const state = block === undefined ? undefined : chain.stateAt(block.hashHex);
        if (block === undefined || state === undefined) throw unknownBlock(String(n));
        const now = new Map(keys.map((k) => [k, hexOrNull(state.get(k))]));
        const changes = keys.filter((k) => previous === undefined || previous.get(k) !== now.get(k)).map((k) => [k, now.get(k) ?? null] as [string, string | null]);
        if (changes.length > 0) out.push({ block: block.hashHex, changes });
        previous = now;
      }
      return out;
    },
    state_getMetadata: getMetadata,
    state_getRuntimeVersion: getRuntimeVersion,
    chain_getRuntimeVersion: getRuntimeVersion,
    state_call: call,
    state_callAt: call,
    state_subscribeRuntimeVersion: (_p, conn) => subscribeRuntimeVersion(conn, 'state_runtimeVersion'),
    chain_subscribeRuntimeVersion: (_p, conn) => subscribeRuntimeVersion(conn, 'state_runtimeVersion'),
    state_unsubscribeRuntimeVersion: (p, conn) => conn.removeSubscription('runtimeVersion', stringParam(p, 0, 'subscription id')),
    chain_unsubscribeRuntimeVersion: (p, conn) => conn.removeSubscription('runtimeVersion', stringParam(p, 0, 'subscription id')),
    state_subscribeStorage: (p, conn) => {
      requireSubscriptions(conn.supportsSubscriptions);
      const keys = hexListParam(p, 0, 'keys', true);
      const send = (block: Block, only: ReadonlySet<string> | undefined) => {
        const wanted = keys ?? [...(only ?? [])];
        const changed = only === undefined ? wanted : wanted.filter((k) => only.has(k));
        if (changed.length === 0) return;
        conn.notify('state_storage', id, { block: block.hashHex, changes: changed.map((k) => [k, hexOrNull(chain.state.get(k))]) });
      };
      const listener = (block: Block) => send(block, node.lastChangedKeys());
      chain.on('block', listener);
      const id = conn.addSubscription('storage', () => chain.off('block', listener));
      // The first notification carries every subscribed key (what @polkadot/api waits for).
      if (keys !== undefined) setImmediate(() => send(chain.best, undefined));
      return id;
    },
    state_unsubscribeStorage: (p, conn) => conn.removeSubscription('storage', stringParam(p, 0, 'subscription id')),
  };

  function subscribeRuntimeVersion(conn: Parameters<Handler>[1], method: string): string {
    requireSubscriptions(conn.supportsSubscriptions);
    const id = conn.addSubscription('runtimeVersion', () => {});
    setImmediate(() => conn.notify(method, id, runtimeVersionJson()));
    return id;
  }
}

export function requireSubscriptions(supported: boolean): void {
  if (!supported) throw new RpcError(-32601, 'Subscriptions are not available on this transport (use WebSocket)');
}
