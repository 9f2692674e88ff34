// Records every file a Node process loads (ESM imports through a resolve hook, CommonJS through
// require.cache), appending absolute paths to $TRACE_MODULES_FILE. build.sh runs the dry runs with
// NODE_OPTIONS=--import=<this file> so every process they start (chain, S3 server, validator, miner) is
// traced, and packs exactly the packages those files belong to.
import { appendFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';

const file = process.env.TRACE_MODULES_FILE;
if (file) {
  register(new URL('./trace-hooks.mjs', import.meta.url), { data: { file } });
  const cache = createRequire(import.meta.url).cache;
  const dump = () => {
    try {
      appendFileSync(file, Object.keys(cache).join('\n') + '\n');
    } catch {
      // the trace is best effort
    }
  };
  setInterval(dump, 2000).unref();
  process.on('exit', dump);
}
