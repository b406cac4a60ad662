// Bindings that report what the app does with them, for tests that call the app with
// their own env (fetchWith in test/email-code-helpers.ts). Everything else passes through.

// env whose KV binding reports each put of a session record (session:<id>).
export function envWithSessionPuts(base: Env, onPut: (key: string) => void): Env {
  const kv = new Proxy(base.SESSIONS, {
    get(target, property) {
      const value = Reflect.get(target, property) as unknown;
      if (property === 'put') {
        return (key: string, ...rest: unknown[]) => {
          if (key.startsWith('session:')) onPut(key);
          return (value as (...a: unknown[]) => Promise<void>).call(target, key, ...rest);
        };
      }
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { ...base, SESSIONS: kv } as Env;
}
