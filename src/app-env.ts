import type { Session } from './auth/session';
import type { Config } from './config';
import type { Db } from './db/client';
import type { UserWithProfile } from './users/user-store';

export interface AppVariables {
  config: Config;
  db: Db;
  user: UserWithProfile | null;
  session: Session | null;
}

export interface AppEnv {
  Bindings: Env;
  Variables: AppVariables;
}
