import { CrucibleError, describeError, type Keypair, type Logger } from '@crucible/core';
import { burnedRegister, encodeBucketPointer, getCommitment, getMetagraph, setCommitment, type BucketPointer, type ChainClient } from '@crucible/chain';

/** The hotkey's uid on `netuid`, or undefined when it is not registered. */
export async function uidOf(client: ChainClient, netuid: number, hotkey: string): Promise<number | undefined> {
  const metagraph = await getMetagraph(client, netuid);
  const uid = metagraph.hotkeys.indexOf(hotkey);
  return uid < 0 ? undefined : uid;
}

/**
 * Makes sure the hotkey is registered: returns its uid, registers it with burned_register (paid by the
 * coldkey, loaded only when needed) when `register` is set, and otherwise fails with NOT_REGISTERED.
 */
export async function ensureRegistered(
  client: ChainClient,
  options: { netuid: number; hotkey: string; register: boolean; loadColdkey: () => Promise<Keypair>; logger: Logger },
): Promise<number> {
  const uid = await uidOf(client, options.netuid, options.hotkey);
  if (uid !== undefined) return uid;
  if (!options.register) {
    throw new CrucibleError('NOT_REGISTERED', `hotkey ${options.hotkey} is not registered on subnet ${options.netuid}; register it (btcli subnet register, or --register)`, {
      details: { hotkey: options.hotkey, netuid: options.netuid },
    });
  }
  const coldkey = await options.loadColdkey();
  options.logger.info('registering hotkey (burned_register)', { hotkey: options.hotkey, netuid: options.netuid, coldkey: coldkey.address });
  const receipt = await burnedRegister(client, coldkey, options.netuid, options.hotkey);
  options.logger.info('registered', { uid: receipt.uid, block: receipt.blockNumber });
  return receipt.uid;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/**
 * Publishes where this miner's updates can be read, only when the on-chain commitment differs (the
 * chain rate-limits commitments). A refusal is logged and retried by the caller later, never fatal.
 */
export async function publishBucketPointer(
  client: ChainClient,
  options: { netuid: number; hotkey: Keypair; pointer: BucketPointer; logger: Logger },
): Promise<'unchanged' | 'set' | 'failed'> {
  const wanted = encodeBucketPointer(options.pointer);
  const current = await getCommitment(client, options.netuid, options.hotkey.address);
  if (current && sameBytes(current.data, wanted)) return 'unchanged';
  try {
    await setCommitment(client, options.hotkey, options.netuid, wanted);
    options.logger.info('bucket pointer committed', { bucket: options.pointer.kind === 's3' ? options.pointer.bucket : options.pointer.url });
    return 'set';
  } catch (error) {
    options.logger.warn('bucket pointer commit failed; will retry', { error: describeError(error) });
    return 'failed';
  }
}
