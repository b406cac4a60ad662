import type { Db } from '../db/client';

type BatchItems = Parameters<Db['batch']>[0];

// A view of `db` whose next batch() also runs `extra`, first. Staff actions that reuse
// a domain function which owns its change (account deletion, a reset link) use it to
// write their audit event in the same D1 batch (one transaction) as that change,
// through the same code path as the user's own action. `joined()` says whether it did.
export function joinNextBatch(db: Db, extra: BatchItems[number][]): { db: Db; joined: () => boolean } {
  let joined = false;
  const wrapped = new Proxy(db, {
    get(target, property, receiver) {
      if (property !== 'batch' || joined) return Reflect.get(target, property, receiver);
      return (items: BatchItems) => {
        joined = true;
        return target.batch([...extra, ...items] as unknown as BatchItems);
      };
    },
  });
  return { db: wrapped, joined: () => joined };
}
