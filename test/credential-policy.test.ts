import { inject } from 'vitest';
import { describe, expect, it } from 'vitest';
import { CREDENTIAL_POLICY, policyTableMarkdown } from '../src/auth/credential-policy';

describe('the credential-lifecycle policy as written', () => {
  it('the README carries the table the code enforces', () => {
    expect(inject('readme')).toContain(policyTableMarkdown());
  });

  it('names each event once', () => {
    const events = CREDENTIAL_POLICY.map((row) => row.event);
    expect(new Set(events).size).toBe(events.length);
  });

  it('asks for a step-up before every change that removes or replaces a credential, unless a link or staff proves it', () => {
    const weak = CREDENTIAL_POLICY.filter((row) => row.credentialsRemoved.length && row.stepUp === 'none');
    expect(weak.map((row) => row.event)).toEqual([]);
  });
});
