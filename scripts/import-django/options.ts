import { parseArgs } from 'node:util';
import type { ConflictRule } from '../../src/import/import-plan';

export const USAGE = `Usage: npm run import:django -- <db.sqlite3 | dumpdata.json> [options]

Imports the users of a Django site (contrib.auth and the Profile beside it) into this app:
the local D1 that \`npm run dev\` uses, or production with --remote. Prints a report first.
An address is imported as confirmed only where django-allauth (account_emailaddress) marks
the user's own email verified; a dumpdata file needs account.emailaddress for that.

  --dry-run                 print the report, write nothing
  --on-conflict rename|skip what to do with users Django allowed and this app does not
                            (required when there are any; see README)
  --media DIR               Django's MEDIA_ROOT, where the profile pictures are
  --media-s3-prefix PREFIX  or: the pictures are already in the bucket under PREFIX (django-storages)
  --profile-table NAME      the profile table (found from the data; default app_1_profile)
  --profile-column NAME     its picture column (default profile_pic)
  --remote                  production D1 through wrangler (--env production); S3 keys from
                            S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY in the environment
  --env NAME                wrangler environment for --remote (default: production)
  --persist-to DIR          local state directory (default .wrangler/state)
`;

export interface ImportOptions {
  source: string;
  dryRun: boolean;
  rule: ConflictRule | null;
  media: string | null;
  mediaS3Prefix: string | null;
  profileTable?: string;
  profileColumn?: string;
  remote: boolean;
  env?: string;
  persistTo?: string;
}

export function parseOptions(argv: string[]): ImportOptions {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      'dry-run': { type: 'boolean', default: false },
      'on-conflict': { type: 'string' },
      media: { type: 'string' },
      'media-s3-prefix': { type: 'string' },
      'profile-table': { type: 'string' },
      'profile-column': { type: 'string' },
      remote: { type: 'boolean', default: false },
      env: { type: 'string' },
      'persist-to': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help || positionals.length !== 1) throw new UsageError(values.help ? '' : 'Give one Django database or dumpdata file.');
  const rule = values['on-conflict'];
  if (rule !== undefined && rule !== 'rename' && rule !== 'skip') throw new UsageError('--on-conflict must be rename or skip.');
  if (values.media && values['media-s3-prefix']) throw new UsageError('Give --media or --media-s3-prefix, not both.');
  if (values.remote && values['persist-to']) throw new UsageError('--persist-to is for the local database only.');
  return {
    source: positionals[0]!,
    dryRun: values['dry-run'],
    rule: rule ?? null,
    media: values.media ?? null,
    mediaS3Prefix: values['media-s3-prefix'] ?? null,
    profileTable: values['profile-table'],
    profileColumn: values['profile-column'],
    remote: values.remote,
    env: values.remote ? (values.env ?? 'production') : values.env,
    persistTo: values['persist-to'],
  };
}

export class UsageError extends Error {
  override name = 'UsageError';
}
