/** Core, Metadata and AccountNonceApi: what every Substrate client calls first. */
import type { Codec } from '@polkadot/types/types';
import { compactToU8a, u8aConcat } from '@polkadot/util';
import { readAccount } from '../pallets/system/accountInfo.js';
import { RUNTIME_VERSION } from '../runtime/runtimeVersion.js';
import { EncodedAnswer, type ApiModule } from './apiTypes.js';

/** Metadata versions served, oldest first (`Metadata_metadata_versions`). */
export const METADATA_VERSIONS = [14, 15, 16] as const;

export const coreApi: ApiModule = {
  name: 'Core',
  methods: {
    version: () => RUNTIME_VERSION,
  },
};

export const metadataApi: ApiModule = {
  name: 'Metadata',
  methods: {
    // OpaqueMetadata is `Bytes`: the prefixed metadata behind a compact length.
    metadata: ({ runtime }) => new EncodedAnswer(u8aConcat(compactToU8a(runtime.built.v14.length), runtime.built.v14)),
    metadata_at_version: ({ runtime }, [version]) => {
      const v = Number(version?.toString());
      const md = v === 14 ? runtime.built.v14 : v === 15 ? runtime.built.v15 : v === 16 ? runtime.built.v16 : undefined;
      return new EncodedAnswer(md === undefined ? Uint8Array.of(0) : u8aConcat(Uint8Array.of(1), compactToU8a(md.length), md));
    },
    metadata_versions: () => [...METADATA_VERSIONS],
  },
};

export const accountNonceApi: ApiModule = {
  name: 'AccountNonceApi',
  methods: {
    account_nonce: ({ storage }, [account]) => readAccount(storage, (account as Codec).toU8a()).nonce,
  },
};
