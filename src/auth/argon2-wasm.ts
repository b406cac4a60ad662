import wasm from '@phi-ag/argon2/argon2.wasm';
import { createArgon2, type Argon2 } from './argon2';

// Workers: wrangler and the vitest plugin turn a .wasm import into a compiled module
// (workerd refuses to compile WASM from bytes at run time). Node gets argon2-wasm-node.ts
// instead, through the "#argon2-wasm" entry of package.json "imports".
// One Argon2 per isolate, on purpose: its WASM memory is allocated once and reused by every sign-in.
let argon2: Argon2 | undefined;

export async function loadArgon2(): Promise<Argon2> {
  argon2 ??= createArgon2(wasm);
  return argon2;
}
