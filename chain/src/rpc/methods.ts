/** The JSON-RPC method table: system_*, chain_*, author_*, payment_*, rpc_methods, plus state_* (stateMethods.ts). */
import { blockJson, headerJson, type Block } from '../node/block.js';
import type { TxStatus } from '../node/txPool.js';
import { decodeAccountInfo } from '../pallets/system/accountInfo.js';
import { Account } from '../pallets/system/systemStorage.js';
import { isValidityError } from '../runtime/validity.js';
import { decodeAddress } from '@polkadot/util-crypto';
import { INVALID_PARAMS, RpcError, type Handler, type RpcConnection } from './jsonRpc.js';
import { bytesParam, optBlockHash, optNumberParam, stringParam } from './params.js';
import { devnetPeerId } from './peerId.js';
import { paymentFee } from './runtimeApi.js';
import type { NodeServices } from './services.js';
import { requireSubscriptions, stateMethods } from './stateMethods.js';

export function rpcMethods(node: NodeServices): Map<string, Handler> {
  const { chain, pool, info } = node;
  const table: Record<string, Handler> = { ...stateMethods(node) };
  const localPeerId = devnetPeerId();

  // system_*
  Object.assign(table, {
    system_name: () => info.name,
    system_version: () => info.version,
    system_chain: () => info.chain,
    system_chainType: () => info.chainType,
    system_properties: () => info.properties,
    system_health: () => ({ peers: 0, isSyncing: false, shouldHavePeers: false }),
    system_peers: () => [],
    system_localPeerId: () => localPeerId,
    system_localListenAddresses: () => [],
    system_nodeRoles: () => ['Authority'],
    system_syncState: () => ({ startingBlock: 0, currentBlock: chain.best.header.number, highestBlock: chain.best.header.number }),
    system_accountNextIndex: (p: unknown[]) => {
      const address = stringParam(p, 0, 'account');
      let who: Uint8Array;
      try {
        who = decodeAddress(address);
      } catch {
        throw new RpcError(INVALID_PARAMS, 'Invalid params: not an SS58 address or public key');
      }
      const raw = chain.state.get(node.runtime.schema.key(Account, [who]));
      let nonce = raw === undefined ? 0 : decodeAccountInfo(raw).nonce;
      // Like Substrate, count ready transactions of this account already in the pool.
      const mine = pool.noncesOf(who);
      while (mine.has(nonce)) nonce++;
      return nonce;
    },
  } satisfies Record<string, Handler>);

  // chain_*
  const blockAt = (hash: string | undefined): Block | undefined => (hash === undefined ? chain.best : chain.blockByHash(hash));
  const getBlockHash: Handler = (p) => {
    const one = (v: unknown) => {
      const n = optNumberParam([v], 0, 'block number');
      const b = n === undefined ? chain.best : chain.blockByNumber(n);
      return b === undefined ? null : b.hashHex;
    };
    return Array.isArray(p[0]) ? p[0].map(one) : one(p[0]);
  };
  const finalizedHead: Handler = () => chain.finalized.hashHex;
  const headSubscription =
    (kind: string, method: string, which: 'block' | 'finalized' = 'block'): Handler =>
    (_p, conn) => {
      requireSubscriptions(conn.supportsSubscriptions);
      const listener = (b: Block) => conn.notify(method, id, headerJson(b.header));
      chain.on(which, listener);
      const id = conn.addSubscription(kind, () => chain.off(which, listener));
      setImmediate(() => conn.notify(method, id, headerJson((which === 'block' ? chain.best : chain.finalized).header)));
      return id;
    };
  const unsubscribe =
    (kind: string): Handler =>
    (p, conn) =>
      conn.removeSubscription(kind, stringParam(p, 0, 'subscription id'));
  Object.assign(table, {
    chain_getBlockHash: getBlockHash,
    chain_getHead: getBlockHash,
    chain_getHeader: (p: unknown[]) => {
      const b = blockAt(optBlockHash(p, 0));
      return b === undefined ? null : headerJson(b.header);
    },
    chain_getBlock: (p: unknown[]) => {
      const b = blockAt(optBlockHash(p, 0));
      return b === undefined ? null : blockJson(b);
    },
    chain_getFinalizedHead: finalizedHead,
    chain_getFinalisedHead: finalizedHead,
    chain_subscribeNewHeads: headSubscription('newHead', 'chain_newHead'),
    chain_subscribeNewHead: headSubscription('newHead', 'chain_newHead'),
    subscribe_newHead: headSubscription('newHead', 'chain_newHead'),
    chain_unsubscribeNewHeads: unsubscribe('newHead'),
    chain_unsubscribeNewHead: unsubscribe('newHead'),
    unsubscribe_newHead: unsubscribe('newHead'),
    chain_subscribeFinalizedHeads: headSubscription('finalizedHead', 'chain_finalizedHead', 'finalized'),
    chain_subscribeFinalisedHeads: headSubscription('finalizedHead', 'chain_finalizedHead', 'finalized'),
    chain_unsubscribeFinalizedHeads: unsubscribe('finalizedHead'),
    chain_unsubscribeFinalisedHeads: unsubscribe('finalizedHead'),
    chain_subscribeAllHeads: headSubscription('allHead', 'chain_allHead'),
    chain_unsubscribeAllHeads: unsubscribe('allHead'),
  } satisfies Record<string, Handler>);

  // author_*
  const submitError = (e: unknown): never => {
    if (isValidityError(e)) throw new RpcError(e.code, e.rpcMessage, e.data);
    throw e;
  };
  Object.assign(table, {
    author_submitExtrinsic: (p: unknown[]) => {
      try {
        return node.submit(bytesParam(p, 0, 'extrinsic')).hash;
      } catch (e) {
        return submitError(e);
      }
    },
    author_submitAndWatchExtrinsic: (p: unknown[], conn: RpcConnection) => {
      requireSubscriptions(conn.supportsSubscriptions);
      const bytes = bytesParam(p, 0, 'extrinsic');
      const updates: TxStatus[] = [];
      let id: string | undefined;
      const watcher = (s: TxStatus) => {
        if (id === undefined) updates.push(s);
        else conn.notify('author_extrinsicUpdate', id, s);
        if (typeof s === 'object' && ('finalized' in s || 'invalid' in s || 'usurped' in s)) {
          if (id !== undefined) conn.removeSubscription('extrinsic', id);
        }
      };
      let submitted: { hash: string; status: 'ready' | 'future' };
      try {
        submitted = node.submit(bytes, watcher);
      } catch (e) {
        return submitError(e);
      }
      const subId = conn.addSubscription('extrinsic', () => pool.unwatch(submitted.hash, watcher));
      id = subId;
      setImmediate(() => {
        conn.notify('author_extrinsicUpdate', subId, submitted.status);
        for (const u of updates.splice(0)) conn.notify('author_extrinsicUpdate', subId, u);
      });
      return subId;
    },
    author_unwatchExtrinsic: unsubscribe('extrinsic'),
    author_pendingExtrinsics: () => pool.pendingHex(),
  } satisfies Record<string, Handler>);

  // payment_* (deprecated upstream, still used by older clients and apps)
  Object.assign(table, {
    payment_queryInfo: (p: unknown[]) => {
      const bytes = bytesParam(p, 0, 'extrinsic');
      optBlockHash(p, 1);
      const f = paymentFee(node.runtime, bytes);
      // The deprecated RPC answers with the v1 (ref-time only) weight, which is what @polkadot/api decodes.
      return {
        weight: Number(f.weight.refTime),
        class: f.class.toLowerCase(),
        partialFee: f.partialFee.toString(),
      };
    },
    payment_queryFeeDetails: (p: unknown[]) => {
      const bytes = bytesParam(p, 0, 'extrinsic');
      const f = paymentFee(node.runtime, bytes);
      const hex = (n: bigint) => '0x' + n.toString(16);
      return {
        inclusionFee: f.partialFee === 0n ? null : { baseFee: hex(f.baseFee), lenFee: hex(f.lenFee), adjustedWeightFee: hex(f.adjustedWeightFee) },
      };
    },
  } satisfies Record<string, Handler>);

  table['rpc_methods'] = () => ({ version: 1, methods: [...Object.keys(table)].sort() });
  return new Map(Object.entries(table));
}
