import { createServer, type IncomingMessage, type Server } from 'node:http';
import { CONTENT_HASH_METADATA, contentHash } from '@crucible/storage';

/**
 * A cheater's own S3-compatible endpoint (path-style GET/HEAD/PUT of one bucket, objects in memory),
 * so it can lie in ways a real bucket never does:
 *   backdate   every object claims to have been written an hour ago (Last-Modified)
 *   swap       each GET of an object with alternates answers the next alternate in turn, so every
 *              request (screening, a worker, a control, another validator) may see different bytes
 * Validators read it through the same S3 client they use for R2. Test-only code.
 */
export interface OwnEndpoint {
  url: string;
  bucket: string;
  put(key: string, body: Uint8Array): void;
  /** Bytes served in turn to successive GETs of `key` (and reported by HEAD as the next one's size). */
  alternate(key: string, bodies: Uint8Array[]): void;
  close(): Promise<void>;
}

const xml = (code: string, message: string) => `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`;

export async function startOwnEndpoint(o: { bucket: string; backdate?: boolean }): Promise<OwnEndpoint> {
  const objects = new Map<string, Uint8Array[]>();
  const turn = new Map<string, number>();
  const read = (req: IncomingMessage) =>
    new Promise<Uint8Array>((resolve) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => resolve(new Uint8Array(Buffer.concat(chunks))));
    });
  const server: Server = createServer((req, res) => {
    void (async () => {
      const path = decodeURIComponent((req.url ?? '/').split('?')[0]!);
      const [, bucket, ...rest] = path.split('/');
      const key = rest.join('/');
      if (bucket !== o.bucket) {
        res.writeHead(404, { 'content-type': 'application/xml' }).end(xml('NoSuchBucket', 'no such bucket'));
        return;
      }
      if (req.method === 'PUT') {
        const body = await read(req);
        if (key) objects.set(key, [body]);
        res.writeHead(200, { etag: `"${contentHash(body).slice(2, 34)}"` }).end();
        return;
      }
      if (!key) {
        // HeadBucket / CreateBucket.
        res.writeHead(200).end();
        return;
      }
      const bodies = objects.get(key);
      if (!bodies) {
        res.writeHead(404, { 'content-type': 'application/xml' }).end(req.method === 'HEAD' ? undefined : xml('NoSuchKey', 'The specified key does not exist.'));
        return;
      }
      const i = turn.get(key) ?? 0;
      const body = bodies[i % bodies.length]!;
      if (req.method === 'GET') turn.set(key, i + 1);
      const modified = o.backdate ? new Date(Date.now() - 3600_000) : new Date();
      res.writeHead(200, {
        'content-type': 'application/octet-stream',
        'content-length': String(body.length),
        'last-modified': modified.toUTCString(),
        etag: `"${contentHash(body).slice(2, 34)}"`,
        [`x-amz-meta-${CONTENT_HASH_METADATA}`]: contentHash(body),
      });
      res.end(req.method === 'HEAD' ? undefined : Buffer.from(body));
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    bucket: o.bucket,
    put: (key, body) => objects.set(key, [body]),
    alternate: (key, bodies) => {
      objects.set(key, bodies);
      turn.set(key, 0);
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
