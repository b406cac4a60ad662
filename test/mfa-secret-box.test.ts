import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { ConfigError, DEV_MFA_ENCRYPTION_KEY, readConfig } from '../src/config';
import { SecretBoxError, importSecretBoxKey, openSecret, sealSecret } from '../src/mfa/secret-box';

const randomKey = () => importSecretBoxKey(crypto.getRandomValues(new Uint8Array(32)));
const secret = new TextEncoder().encode('twenty bytes secret!');

function flipLastCharacter(sealed: string): string {
  const last = sealed.at(-1)!;
  return sealed.slice(0, -1) + (last === 'A' ? 'B' : 'A');
}

describe('AES-GCM secret box', () => {
  it('opens what it sealed, and never seals the same way twice', async () => {
    const key = await randomKey();
    const a = await sealSecret(key, secret, 'user-1');
    const b = await sealSecret(key, secret, 'user-1');
    expect(a).not.toBe(b);
    expect(await openSecret(key, a, 'user-1')).toEqual(secret);
    expect(await openSecret(key, b, 'user-1')).toEqual(secret);
  });

  it('refuses a changed ciphertext, a changed IV, another row and another key', async () => {
    const key = await randomKey();
    const sealed = await sealSecret(key, secret, 'user-1');
    const [version, iv, body] = sealed.split('.');
    const changedIv = `${version}.${iv!.startsWith('A') ? 'B' : 'A'}${iv!.slice(1)}.${body}`;
    await expect(openSecret(key, flipLastCharacter(sealed), 'user-1')).rejects.toThrow(SecretBoxError);
    await expect(openSecret(key, changedIv, 'user-1')).rejects.toThrow(SecretBoxError);
    await expect(openSecret(key, sealed, 'user-2')).rejects.toThrow(SecretBoxError);
    await expect(openSecret(await randomKey(), sealed, 'user-1')).rejects.toThrow(SecretBoxError);
    for (const broken of ['', 'v1', 'v2.aaaa.bbbb', 'v1.a.b.c', 'v1.!!.??']) await expect(openSecret(key, broken, 'user-1')).rejects.toThrow(SecretBoxError);
  });

  it('takes only a 32-byte key', () => {
    expect(() => importSecretBoxKey(new Uint8Array(16))).toThrow(SecretBoxError);
  });
});

describe('MFA_ENCRYPTION_KEY setting', () => {
  const configWith = (changes: Record<string, string>) => readConfig({ ...env, ...changes } as Env);

  it('is the development key locally (wrangler.toml [vars]), decoded to 32 bytes', () => {
    expect((env as unknown as Record<string, string>).MFA_ENCRYPTION_KEY).toBe(DEV_MFA_ENCRYPTION_KEY);
    expect(readConfig(env).mfaEncryptionKey.byteLength).toBe(32);
  });

  it('refuses the development key on an https origin', () => {
    expect(() => configWith({ PUBLIC_ORIGIN: 'https://accounts.example.com' })).toThrow(ConfigError);
    expect(() => configWith({ PUBLIC_ORIGIN: 'https://accounts.example.com' })).toThrow(/MFA_ENCRYPTION_KEY is the public development key/);
    const own = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(32))));
    expect(configWith({ PUBLIC_ORIGIN: 'https://accounts.example.com', MFA_ENCRYPTION_KEY: own }).secure).toBe(true);
  });

  it('names the setting when it is missing or not 32 bytes of base64', () => {
    for (const value of ['', 'not base64!', btoa('sixteen bytes!!!')]) {
      expect(() => configWith({ MFA_ENCRYPTION_KEY: value })).toThrow(/MFA_ENCRYPTION_KEY must be 32 bytes in base64/);
    }
    const { MFA_ENCRYPTION_KEY: _, ...withoutKey } = env as unknown as Record<string, unknown>;
    expect(() => readConfig(withoutKey as unknown as Env)).toThrow(/MFA_ENCRYPTION_KEY is missing/);
  });
});
