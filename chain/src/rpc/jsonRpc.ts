/**
 * JSON-RPC 2.0 framing: request validation, errors with standard codes, batch handling. Transport
 * agnostic (server.ts feeds it WebSocket messages and HTTP bodies).
 */
export class RpcError extends Error {
  override readonly name = 'RpcError';
  constructor(
    readonly code: number,
    message: string,
    readonly data?: unknown,
  ) {
    super(message);
  }
}

export const PARSE_ERROR = -32700;
export const INVALID_REQUEST = -32600;
export const METHOD_NOT_FOUND = -32601;
export const INVALID_PARAMS = -32602;
export const INTERNAL_ERROR = -32603;

export type RpcId = string | number | null;

export interface RpcRequest {
  readonly id: RpcId;
  readonly method: string;
  readonly params: unknown[];
  /** Notifications (no id) get no response. */
  readonly isNotification: boolean;
}

/** A live connection as handlers see it: WebSocket connections can carry subscriptions. */
export interface RpcConnection {
  readonly supportsSubscriptions: boolean;
  /** Sends a notification for `subscription`. */
  notify(method: string, subscription: string, result: unknown): void;
  /** Registers a subscription's teardown; returns its id. */
  addSubscription(kind: string, teardown: () => void): string;
  /** Removes a subscription of `kind`; false if there is none with that id. */
  removeSubscription(kind: string, id: string): boolean;
}

export type Handler = (params: unknown[], conn: RpcConnection) => unknown | Promise<unknown>;

/** Validates one parsed JSON value as a request, or returns the error response for it. */
export function toRequest(value: unknown): RpcRequest | { error: string } {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return { error: errorResponse(null, INVALID_REQUEST, 'Invalid request') };
  const v = value as Record<string, unknown>;
  const id = v['id'];
  const validId = id === undefined || id === null || typeof id === 'string' || (typeof id === 'number' && Number.isFinite(id));
  const rid: RpcId = validId && id !== undefined ? (id as RpcId) : null;
  if (v['jsonrpc'] !== '2.0' || typeof v['method'] !== 'string' || !validId) return { error: errorResponse(rid, INVALID_REQUEST, 'Invalid request') };
  const params = v['params'];
  if (params !== undefined && params !== null && !Array.isArray(params)) {
    // Named parameters are not used by any client we serve.
    return { error: errorResponse(rid, INVALID_PARAMS, 'Invalid params: expected an array') };
  }
  return { id: rid, method: v['method'], params: (params ?? []) as unknown[], isNotification: id === undefined };
}

export function resultResponse(id: RpcId, result: unknown): string {
  return JSON.stringify({ jsonrpc: '2.0', id, result: result === undefined ? null : result });
}

export function errorResponse(id: RpcId, code: number, message: string, data?: unknown): string {
  return JSON.stringify({ jsonrpc: '2.0', id, error: data === undefined ? { code, message } : { code, message, data } });
}

/**
 * Handles one raw message (single request or batch). Returns the response text, or undefined when
 * nothing is to be sent (notifications only). Never throws.
 */
export async function handleMessage(
  text: string,
  conn: RpcConnection,
  lookup: (method: string) => Handler | undefined,
  onError: (method: string, err: unknown) => void,
): Promise<string | undefined> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return errorResponse(null, PARSE_ERROR, 'Parse error');
  }
  if (Array.isArray(parsed)) {
    if (parsed.length === 0) return errorResponse(null, INVALID_REQUEST, 'Invalid request');
    const out: string[] = [];
    for (const item of parsed) {
      const r = await handleOne(item, conn, lookup, onError);
      if (r !== undefined) out.push(r);
    }
    return out.length === 0 ? undefined : `[${out.join(',')}]`;
  }
  return handleOne(parsed, conn, lookup, onError);
}

async function handleOne(
  value: unknown,
  conn: RpcConnection,
  lookup: (method: string) => Handler | undefined,
  onError: (method: string, err: unknown) => void,
): Promise<string | undefined> {
  const req = toRequest(value);
  if ('error' in req) return req.error;
  const handler = lookup(req.method);
  let response: string;
  if (handler === undefined) {
    response = errorResponse(req.id, METHOD_NOT_FOUND, 'Method not found');
  } else {
    try {
      response = resultResponse(req.id, await handler(req.params, conn));
    } catch (e) {
      if (e instanceof RpcError) {
        response = errorResponse(req.id, e.code, e.message, e.data);
      } else {
        onError(req.method, e);
        response = errorResponse(req.id, INTERNAL_ERROR, 'Internal error', e instanceof Error ? e.message : String(e));
      }
    }
  }
  return req.isNotification ? undefined : response;
}
