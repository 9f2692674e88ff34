import { CrucibleError, describeError, type Keypair, type Logger } from '@crucible/core';
import { burnedRegister, ensureCommitment, readNeuronRows, type ChainClient } from '@crucible/chain';
import { encodeBucketPointer, type BucketPointer } from '@crucible/storage';

/** The hotkey's uid on `netuid`, or undefined when it is not registered. */
export async function uidOf(client: ChainClient, netuid: number, hotkey: string): Promise<number | undefined> {
  const uid = (await readNeuronRows(client, netuid)).findIndex((r) => r.hotkey === hotkey);
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

/**
 * Publishes where this miner's updates can be read, only when the on-chain commitment differs (the
 * chain rate-limits commitments). A refusal is logged and retried by the caller later, never fatal.
 */
export async function publishBucketPointer(
  client: ChainClient,
  options: { netuid: number; hotkey: Keypair; pointer: BucketPointer; logger: Logger },
): Promise<'unchanged' | 'set' | 'failed'> {
  try {
    const outcome = await ensureCommitment(client, options.hotkey, options.netuid, encodeBucketPointer(options.pointer));
    if (outcome === 'set') options.logger.info('bucket pointer committed', { bucket: options.pointer.kind === 's3' ? options.pointer.bucket : options.pointer.url });
    return outcome;
  } catch (error) {
    options.logger.warn('bucket pointer commit failed; will retry', { error: describeError(error) });
    return 'failed';
  }
}
