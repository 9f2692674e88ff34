#!/usr/bin/env node
// Runs the s3rver S3-compatible server as its own process. Started by the local services launcher as
// `node --openssl-legacy-provider s3rver-main.cjs --port P --address A --directory D [--bucket NAME]...`
// (s3rver needs the legacy OpenSSL provider for paginated listing on Node 17+).
'use strict';
const S3rver = require('s3rver');

const args = process.argv.slice(2);
const options = { address: '127.0.0.1', port: 9100, directory: '', buckets: [] };
for (let i = 0; i < args.length; i += 2) {
  const key = args[i];
  const value = args[i + 1];
  if (value === undefined) {
    process.stderr.write(`s3rver-main: ${key} needs a value\n`);
    process.exit(2);
  }
  if (key === '--port') options.port = Number(value);
  else if (key === '--address') options.address = value;
  else if (key === '--directory') options.directory = value;
  else if (key === '--bucket') options.buckets.push(value);
  else {
    process.stderr.write(`s3rver-main: unknown option ${key}\n`);
    process.exit(2);
  }
}
if (!options.directory) {
  process.stderr.write('s3rver-main: --directory is required\n');
  process.exit(2);
}

const server = new S3rver({
  address: options.address,
  port: options.port,
  directory: options.directory,
  silent: true,
  configureBuckets: options.buckets.map((name) => ({ name })),
});

server.run().then(
  ({ address, port }) => process.stdout.write(JSON.stringify({ msg: 's3 server listening', address, port }) + '\n'),
  (error) => {
    process.stderr.write(`s3rver-main: ${error && error.stack ? error.stack : error}\n`);
    process.exit(1);
  },
);
const stop = () => server.close().finally(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
