// Lets Node (22.18+, which strips TypeScript types itself) load the app's TypeScript
// modules, which import each other without file extensions as the Worker bundler allows.
import { registerHooks } from 'node:module';

registerHooks({
  resolve(specifier, context, nextResolve) {
    try {
      return nextResolve(specifier, context);
    } catch (error) {
      if (!/^\.{1,2}\//.test(specifier) || /\.[cm]?[jt]sx?$/.test(specifier)) throw error;
      for (const extension of ['.ts', '/index.ts']) {
        try {
          return nextResolve(specifier + extension, context);
        } catch {
          // try the next one
        }
      }
      throw error;
    }
  },
});
