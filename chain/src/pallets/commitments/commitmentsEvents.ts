/** Events and errors of Commitments exactly as the reference runtime declares them (generated). */
import type { ErrorDecl, EventDecl } from '../../runtime/pallet.js';

export const commitmentsEvents: readonly EventDecl[] = [
  { index: 0, name: 'Commitment', fields: ["u16", "AccountId32"] },
];

export const commitmentsErrors: readonly ErrorDecl[] = [
  { index: 0, name: 'TooManyFieldsInCommitmentInfo' },
  { index: 1, name: 'AccountNotAllowedCommit' },
  { index: 2, name: 'CommitmentSetRateLimitExceeded' },
];
