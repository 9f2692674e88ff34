/**
 * The `subnet-set` flags: the hyperparameters a subnet owner may set at spec 424, plus the root-only
 * ones, accepted so the owner is told plainly that only the sudo key can set them.
 */
import { z } from 'zod';
import type { SubnetHyperparameterUpdate } from './hyperparameterCalls.js';

const u16 = z.number().int().min(0).max(65535);

export const subnetSetSchema = {
  tempo: u16.optional().describe('blocks between epochs (an owner may set 360..50400)'),
  maxAllowedUids: u16.min(1).optional().describe('subnet capacity (at least the current uids, at most 256)'),
  immunityPeriod: u16.optional().describe('blocks a new neuron cannot be pruned'),
  minAllowedWeights: u16.optional().describe('minimum weights per validator'),
  weightsVersionKey: z.number().int().min(0).optional().describe('lowest accepted weights version key'),
  commitReveal: z.boolean().optional().describe('commit-reveal of weights on or off'),
  commitRevealPeriod: z.number().int().min(1).max(100).optional().describe('epochs between a commit and its reveal'),
  activityCutoffFactorMilli: z.number().int().min(1000).max(50_000).optional().describe('activity cutoff in thousandths of tempo'),
  bondsMovingAverage: z.number().int().min(0).max(975_000).optional().describe('bonds moving average (per million)'),
  servingRateLimit: z.number().int().min(0).optional().describe('blocks between serve_axon per hotkey'),
  weightsSetRateLimit: z.number().int().min(0).optional().describe('root-only: blocks between weight updates'),
  kappa: u16.optional().describe('root-only: consensus majority'),
  maxAllowedValidators: u16.optional().describe('root-only: validator permits per epoch'),
  networkRegistrationAllowed: z.boolean().optional().describe('root-only: registrations open'),
};

type Flags = { [K in keyof typeof subnetSetSchema]?: z.output<(typeof subnetSetSchema)[K]> };

export function updateFromFlags(c: Flags): SubnetHyperparameterUpdate {
  const update: SubnetHyperparameterUpdate = {};
  if (c.tempo !== undefined) update.tempo = c.tempo;
  if (c.maxAllowedUids !== undefined) update.maxAllowedUids = c.maxAllowedUids;
  if (c.immunityPeriod !== undefined) update.immunityPeriod = c.immunityPeriod;
  if (c.minAllowedWeights !== undefined) update.minAllowedWeights = c.minAllowedWeights;
  if (c.weightsVersionKey !== undefined) update.weightsVersionKey = BigInt(c.weightsVersionKey);
  if (c.commitReveal !== undefined) update.commitRevealWeightsEnabled = c.commitReveal;
  if (c.commitRevealPeriod !== undefined) update.commitRevealPeriod = BigInt(c.commitRevealPeriod);
  if (c.activityCutoffFactorMilli !== undefined) update.activityCutoffFactorMilli = c.activityCutoffFactorMilli;
  if (c.bondsMovingAverage !== undefined) update.bondsMovingAverage = BigInt(c.bondsMovingAverage);
  if (c.servingRateLimit !== undefined) update.servingRateLimit = BigInt(c.servingRateLimit);
  if (c.weightsSetRateLimit !== undefined) update.weightsSetRateLimit = BigInt(c.weightsSetRateLimit);
  if (c.kappa !== undefined) update.kappa = c.kappa;
  if (c.maxAllowedValidators !== undefined) update.maxAllowedValidators = c.maxAllowedValidators;
  if (c.networkRegistrationAllowed !== undefined) update.networkRegistrationAllowed = c.networkRegistrationAllowed;
  return update;
}
