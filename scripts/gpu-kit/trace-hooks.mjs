// Resolve hook for trace-modules.mjs (runs on the loader thread).
import { appendFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

let file;
export function initialize(data) {
  file = data.file;
}
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  if (result.url.startsWith('file:')) {
    try {
      appendFileSync(file, fileURLToPath(result.url) + '\n');
    } catch {
      // best effort
    }
  }
  return result;
}
