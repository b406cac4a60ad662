import { createHash } from 'node:crypto';

// workerd's native SHA-256 (nodejs_compat), several times faster than a pure-JS one;
// session checks run it on every signed-in request.
export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}
