import { readFile } from 'node:fs/promises';
import { createArgon2, type Argon2 } from './argon2';

// Node (CLI scripts): compile the package's .wasm file from disk. The Worker build uses
// argon2-wasm.ts instead (see the "#argon2-wasm" entry of package.json "imports").
// One per process, like the Worker's one per isolate.
let argon2: Promise<Argon2> | undefined;

// The project is typed with the Workers types, which leave compile() out because workerd forbids it; Node has it.
const { compile } = WebAssembly as unknown as { compile(bytes: Uint8Array): Promise<WebAssembly.Module> };

export function loadArgon2(): Promise<Argon2> {
  argon2 ??= readFile(new URL(import.meta.resolve('@phi-ag/argon2/argon2.wasm')))
    .then((bytes) => compile(bytes))
    .then(createArgon2);
  return argon2;
}
