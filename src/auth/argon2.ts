import { constantTimeEqual } from '@oslojs/crypto/subtle';
import Argon2Wasm, { Argon2Type } from '@phi-ag/argon2';
import { type Argon2Params, findArgon2LimitProblem, formatArgon2Hash, parseArgon2Hash } from './argon2-phc';

// Argon2 (RFC 9106) through the reference C code compiled to WASM by @phi-ag/argon2
// (patched in patches/: upstream passes the UTF-16 length, so only a prefix of a
// non-ASCII password was hashed). The password is hashed exactly as given, as UTF-8:
// no normalisation here, so hashes made elsewhere (Django) verify. Runs in workerd and
// in Node; the caller supplies the compiled module (see argon2-wasm*.ts).
export interface Argon2 {
  hashArgon2(password: string, params: Argon2Params, options?: { salt?: Uint8Array; hashLength?: number }): Promise<string>;
  /** Throws Argon2HashError if the string is not an argon2 PHC hash this module can afford to check. */
  verifyArgon2(encoded: string, password: string): Promise<boolean>;
}

export class Argon2HashError extends Error {
  override name = 'Argon2HashError';
}

const TYPES = { argon2d: Argon2Type.Argon2d, argon2i: Argon2Type.Argon2i, argon2id: Argon2Type.Argon2id } as const;
const DEFAULT_SALT_BYTES = 16;
const DEFAULT_HASH_BYTES = 32;
// One WASM instance, reused by every hash. Its memory grows to the largest hash computed
// so far (at most ARGON2_MAX_MEMORY_KIB) and never shrinks, but it is never doubled:
// a fresh instance per large hash would leave each 100 MiB memory to the garbage
// collector, and a few of those at once exceed a Worker's 128 MB.
export function createArgon2(wasm: WebAssembly.Module): Argon2 {
  let instance: Promise<Argon2Wasm> | undefined;
  const instantiate = async () => new Argon2Wasm(await WebAssembly.instantiate(wasm, {}));

  async function compute(password: string, params: Argon2Params, salt: Uint8Array, hashLength: number): Promise<Uint8Array> {
    const problem = findArgon2LimitProblem({ params, salt, hash: new Uint8Array(hashLength) });
    if (problem) throw new Argon2HashError(`Argon2 hash not computed: ${problem}`);
    const engine = await (instance ??= instantiate());
    const { algorithm, version, m, t, p } = params;
    try {
      return engine.hash(password, { salt, hashLength, memoryCost: m, timeCost: t, parallelism: p, type: TYPES[algorithm], version }).hash;
    } catch (error) {
      // A trap (out of memory) can leave the C heap inconsistent: start the next hash afresh.
      if (error instanceof WebAssembly.RuntimeError) instance = undefined;
      throw error;
    }
  }

  return {
    async hashArgon2(password, params, options = {}) {
      const salt = options.salt ?? crypto.getRandomValues(new Uint8Array(DEFAULT_SALT_BYTES));
      const hash = await compute(password, params, salt, options.hashLength ?? DEFAULT_HASH_BYTES);
      return formatArgon2Hash({ params, salt, hash });
    },

    async verifyArgon2(encoded, password) {
      const parsed = parseArgon2Hash(encoded);
      if (!parsed) throw new Argon2HashError('Not an argon2 PHC hash');
      const candidate = await compute(password, parsed.params, parsed.salt, parsed.hash.length);
      return constantTimeEqual(candidate, parsed.hash);
    },
  };
}
