// The end-of-run checks: what D1 and the S3 bucket hold, read directly (not through the
// app, nor through the fault proxy), and the Worker's scheduled cleanup.

// Every key in the bucket, straight from the S3 server (s3rver checks no signature, so a
// plain ListObjectsV2 request does).
export async function listBucket(endpoint, bucket) {
  const keys = [];
  let startAfter = '';
  for (;;) {
    const query = new URLSearchParams({ 'list-type': '2', 'max-keys': '1000', ...(startAfter ? { 'start-after': startAfter } : {}) });
    const { response, xml } = await listPage(`${endpoint}/${bucket}?${query}`);
    if (!response.ok) throw new Error(`listing the bucket answered ${response.status}: ${xml.slice(0, 300)}`);
    const page = [...xml.matchAll(/<Key>([^<]*)<\/Key>/g)].map((m) => decodeXml(m[1]));
    keys.push(...page);
    if (!/<IsTruncated>true<\/IsTruncated>/.test(xml) || !page.length) return keys;
    startAfter = page.at(-1);
  }
}

// s3rver answers 500 when a directory it walks is deleted under it (the last uploads and
// deletes, delayed by the proxy, may still be landing): a few tries, a second apart.
async function listPage(url, tries = 5) {
  for (let attempt = 1; ; attempt++) {
    const response = await fetch(url);
    const xml = await response.text();
    if (response.ok || response.status < 500 || attempt === tries) return { response, xml };
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

function decodeXml(text) {
  return text.replace(/&(lt|gt|quot|apos|amp);/g, (_, e) => ({ lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' })[e]);
}

// As src/storage/avatar-keys.ts: the picture and its 96 px version.
const objectKeys = (key) => (key ? [key, key.replace(/\.webp$/, '-96.webp')] : []);

// Each soak account's avatar_key, by username.
export async function avatarKeys(db, usernames) {
  const { results } = await db.prepare('SELECT u.username AS username, p.avatar_key AS avatarKey FROM users u JOIN profiles p ON p.user_id = u.id').all();
  const wanted = new Set(usernames);
  return new Map(results.filter((r) => wanted.has(r.username)).map((r) => [r.username, r.avatarKey]));
}

// Lost: the profile names a picture the bucket lacks, or an account with a saved
// upload has no picture at all.
export function lostAvatars(accounts, keysByUser, bucketKeys) {
  const present = new Set(bucketKeys);
  const lost = [];
  for (const account of accounts) {
    const key = keysByUser.get(account.username) ?? null;
    if (!key && account.uploadsSaved > 0) lost.push({ username: account.username, avatarKey: null, missing: [`no avatar_key after ${account.uploadsSaved} saved uploads`] });
    const missing = objectKeys(key).filter((k) => !present.has(k));
    if (missing.length) lost.push({ username: account.username, avatarKey: key, missing, lastUploads: account.uploadLog.slice(-3) });
  }
  return lost;
}

// Objects no profile references (any account, not only the soak's).
export async function unreferencedObjects(db, bucketKeys) {
  const { results } = await db.prepare('SELECT avatar_key AS avatarKey, avatar_import_key AS importKey FROM profiles WHERE avatar_key IS NOT NULL OR avatar_import_key IS NOT NULL').all();
  const referenced = new Set(results.flatMap((r) => [...objectKeys(r.avatarKey), ...(r.importKey ? [r.importKey] : [])]));
  return bucketKeys.filter((key) => !referenced.has(key));
}

// The Worker's scheduled handler (src/index.ts -> runScheduledCleanup), as the cron would
// call it at `scheduledTime`. The outcome is "ok" unless the cleanup threw.
export async function runCleanup(mf, scheduledTime) {
  const worker = await mf.getWorker('app');
  const started = Date.now();
  const result = await worker.scheduled({ scheduledTime: new Date(scheduledTime), cron: '17 * * * *' });
  return { outcome: result.outcome, ms: Date.now() - started };
}
