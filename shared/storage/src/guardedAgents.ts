import { Agent as HttpAgent, type AgentOptions, type ClientRequestArgs } from 'node:http';
import { Agent as HttpsAgent, type RequestOptions as HttpsRequestOptions } from 'node:https';
import { isIP, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { addressRefusal, guardedLookup, type EndpointPolicy } from './endpointPolicy.js';

type Created = (err: Error | null, stream: Duplex) => void;

/**
 * Checks one connection before and after it is made: an IP literal host is checked before connecting
 * (net.connect skips `lookup` for literals), a name goes through the guarded lookup, and the address
 * actually connected to is checked again once connected (belt and braces: nothing but a checked address
 * ever gets a request byte).
 */
function guardConnection(
  policy: EndpointPolicy,
  options: { host?: string | null | undefined; port?: string | number | null | undefined },
  callback: Created | undefined,
  connect: (lookup: ReturnType<typeof guardedLookup>) => Duplex | null | undefined,
): Duplex | null | undefined {
  const host = options.host ?? undefined;
  const port = options.port === undefined || options.port === null ? undefined : Number(options.port);
  const literal = host !== undefined && isIP(host) !== 0 ? host : undefined;
  const early = literal !== undefined ? addressRefusal(policy, literal, undefined, port) : undefined;
  if (early !== undefined) {
    // The agent treats an error passed to the callback as a failed connection and fails the request.
    process.nextTick(() => callback?.(early, undefined as unknown as Duplex));
    return undefined;
  }
  // The lookup is made per connection so that an allow entry with a port is matched against this one.
  const socket = connect(guardedLookup(policy, undefined, port)) as Socket | null | undefined;
  socket?.once('connect', () => {
    const remote = socket.remoteAddress;
    const late = remote === undefined ? undefined : addressRefusal(policy, remote, host, socket.remotePort);
    if (late !== undefined) socket.destroy(late);
  });
  return socket;
}

class GuardedHttpAgent extends HttpAgent {
  constructor(
    private readonly policy: EndpointPolicy,
    options: AgentOptions,
  ) {
    super({ ...options, lookup: guardedLookup(policy) } as AgentOptions);
  }

  override createConnection(options: ClientRequestArgs, callback?: Created): Duplex | null | undefined {
    return guardConnection(this.policy, options, callback, (lookup) => super.createConnection({ ...options, lookup } as ClientRequestArgs, callback));
  }
}

class GuardedHttpsAgent extends HttpsAgent {
  constructor(
    private readonly policy: EndpointPolicy,
    options: AgentOptions,
  ) {
    super({ ...options, lookup: guardedLookup(policy) } as AgentOptions);
  }

  override createConnection(options: HttpsRequestOptions, callback?: Created): Duplex | null | undefined {
    return guardConnection(this.policy, options, callback, (lookup) => super.createConnection({ ...options, lookup } as HttpsRequestOptions, callback));
  }
}

/** HTTP and HTTPS agents whose every new connection obeys the endpoint policy. */
export function guardedAgents(policy: EndpointPolicy, options: AgentOptions): { httpAgent: HttpAgent; httpsAgent: HttpsAgent } {
  return { httpAgent: new GuardedHttpAgent(policy, options), httpsAgent: new GuardedHttpsAgent(policy, options) };
}
