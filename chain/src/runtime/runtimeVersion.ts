/** The runtime version the devnet reports; identical to the reference's System.Version constant (spec 424). */
export const RUNTIME_VERSION = {
  specName: 'node-subtensor',
  implName: 'node-subtensor',
  authoringVersion: 1,
  specVersion: 424,
  implVersion: 1,
  /**
   * blake2_64(runtime API trait name) → version, in the reference's order. The list is the reference's
   * (it is the System.Version constant); the runtime APIs the devnet answers are fewer: see the README.
   */
  apis: [
    ['0xdf6acb689907609b', 5], // Core
    ['0x37e397fc7c91f5e4', 2], // Metadata
    ['0x40fe3ad401f8959a', 6], // BlockBuilder
    ['0xfbc577b9d747efd6', 1], // GenesisBuilder
    ['0xd2bc9897eed08f15', 3], // TaggedTransactionQueue
    ['0xf78b278be53f454c', 2], // OffchainWorkerApi
    ['0xdd718d5cc53262d4', 1], // AuraApi
    ['0xab3c0572291feb8b', 1], // SessionKeys
    ['0xed99c5acb25eedf5', 3], // GrandpaApi
    ['0xbc9d89904f5b923f', 1], // AccountNonceApi
    ['0x37c8bb1350a9a2a8', 4], // TransactionPaymentApi
    ['0xf3ff14d5ab527059', 3], // TransactionPaymentCallApi
    ['0x582211f65bb14b89', 6], // EthereumRuntimeRPCApi
    ['0xe65b00e46cedd0aa', 2], // ConvertTransactionRuntimeApi
    ['0x68b66ba122c93fa7', 2], // ContractsApi
    ['0x42e62be4a39e5b60', 1], // DelegateInfoRuntimeApi
    ['0x806df4ccaa9ed485', 1], // NeuronInfoRuntimeApi
    ['0x8375104b299b74c5', 2], // SubnetInfoRuntimeApi
    ['0x5d1fbfbe852f2807', 1], // StakeInfoRuntimeApi
    ['0xc6886e2f8e598b0a', 1], // SubnetRegistrationRuntimeApi
    ['0xc0de4984d112f3b4', 1], // ProxyFilterRuntimeApi
    ['0xcbca25e39f142387', 2], // BabeApi
    ['0xa8b093e6508d9e9c', 1], // SwapRuntimeApi
    ['0x1c4585bd5c707202', 1], // ShieldApi
  ] as ReadonlyArray<readonly [string, number]>,
  transactionVersion: 1,
  /** V16's name for stateVersion. */
  systemVersion: 1,
} as const;

/** Weights and limits of the reference runtime (System.BlockWeights etc.). */
export const BLOCK_WEIGHTS = {
  baseBlock: { refTime: 431614000, proofSize: 0 },
  maxBlock: { refTime: 4000000000000, proofSize: '0xffffffffffffffff' },
  perClass: {
    normal: {
      baseExtrinsic: { refTime: 108157000, proofSize: 0 },
      maxExtrinsic: { refTime: 2599891843000, proofSize: '0xa666666666666666' },
      maxTotal: { refTime: 3000000000000, proofSize: '0xbfffffffffffffff' },
      reserved: { refTime: 0, proofSize: 0 },
    },
    operational: {
      baseExtrinsic: { refTime: 108157000, proofSize: 0 },
      maxExtrinsic: { refTime: 3599891843000, proofSize: '0xe666666666666666' },
      maxTotal: { refTime: 4000000000000, proofSize: '0xffffffffffffffff' },
      reserved: { refTime: 1000000000000, proofSize: '0x4000000000000000' },
    },
    mandatory: { baseExtrinsic: { refTime: 108157000, proofSize: 0 }, maxExtrinsic: null, maxTotal: null, reserved: null },
  },
} as const;

export const EXTRINSIC_BASE_WEIGHT = 108_157_000n;
export const BLOCK_HASH_COUNT = 2400;
export const SS58_FORMAT = 42;
export const EXISTENTIAL_DEPOSIT = 500n;

