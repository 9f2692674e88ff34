/** Validation of JSON-RPC positional parameters: invalid input is an INVALID_PARAMS error, never a crash. */
import { INVALID_PARAMS, RpcError } from './jsonRpc.js';

const HEX = /^0x([0-9a-fA-F]{2})*$/;

export function hexParam(params: unknown[], i: number, name: string): string {
  const v = params[i];
  if (typeof v !== 'string' || !HEX.test(v)) throw new RpcError(INVALID_PARAMS, `Invalid params: ${name} must be 0x-prefixed hex`);
  return v.toLowerCase();
}

export function optHexParam(params: unknown[], i: number, name: string): string | undefined {
  const v = params[i];
  return v === undefined || v === null ? undefined : hexParam(params, i, name);
}

export function bytesParam(params: unknown[], i: number, name: string): Uint8Array {
  return Uint8Array.from(Buffer.from(hexParam(params, i, name).slice(2), 'hex'));
}

/** A block hash (32 bytes hex) or undefined for best. */
export function optBlockHash(params: unknown[], i: number): string | undefined {
  const h = optHexParam(params, i, 'block hash');
  if (h !== undefined && h.length !== 66) throw new RpcError(INVALID_PARAMS, 'Invalid params: block hash must be 32 bytes');
  return h;
}

export function optNumberParam(params: unknown[], i: number, name: string): number | undefined {
  const v = params[i];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return v;
  if (typeof v === 'string' && /^0x[0-9a-fA-F]+$/.test(v)) return Number.parseInt(v.slice(2), 16);
  if (typeof v === 'string' && /^[0-9]+$/.test(v)) return Number.parseInt(v, 10);
  throw new RpcError(INVALID_PARAMS, `Invalid params: ${name} must be a non-negative integer`);
}

export function stringParam(params: unknown[], i: number, name: string): string {
  const v = params[i];
  if (typeof v !== 'string') throw new RpcError(INVALID_PARAMS, `Invalid params: ${name} must be a string`);
  return v;
}

export function hexListParam(params: unknown[], i: number, name: string, optional = false): string[] | undefined {
  const v = params[i];
  if ((v === undefined || v === null) && optional) return undefined;
  if (!Array.isArray(v)) throw new RpcError(INVALID_PARAMS, `Invalid params: ${name} must be an array of hex strings`);
  return v.map((_, j) => hexParam(v, j, name));
}
