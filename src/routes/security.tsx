import { zValidator } from '@hono/zod-validator';
import { Hono, type Context } from 'hono';
import * as z from 'zod/mini';
import type { AppEnv } from '../http/app-env';
import { refuseConfirmation } from '../http/refused-confirmation';
import { requireUser, userOf } from '../http/current-user';
import { fieldErrors } from '../auth/forms';
import { setSessionCookie } from '../http/session-cookie';
import { setFlash, takeFlash } from '../http/flash';
import { absoluteUrl } from '../mail/links';
import { requestContext } from '../http/request-context';
import { sendQuietly } from '../mail/mailer';
import { recoveryCodesRegeneratedNotice, twoFactorDisabledNotice, twoFactorEnabledNotice, type MailMessage } from '../mail/messages';
import { codeAndPasswordSchema, passwordOnlySchema } from '../mfa/forms';
import { renderQrSvg } from '../mfa/qr-code';
import { countUnusedRecoveryCodes } from '../mfa/recovery-codes';
import { importSecretBoxKey } from '../mfa/secret-box';
import { formatTotpKey, totpKeyUri } from '../mfa/totp';
import { findPendingEnrolment, findTotpStatus } from '../mfa/totp-credentials';
import { regenerateRecoveryCodes, startTotpSetup, turnOffTwoFactor, turnOnTotp, type SettingsRefusal } from '../mfa/two-factor-settings';
import type { FieldErrors } from '../views/components/field';
import { SecurityPage } from '../views/pages/security';
import { NewRecoveryCodesPage, RecoveryCodesPage } from '../views/pages/security-recovery-codes';
import { TotpSetupPage, TurnOffTwoFactorPage } from '../views/pages/security-totp';

const HOME = '/account/security';

const secretBoxKey = (c: Context<AppEnv>) => importSecretBoxKey(c.var.config.mfaEncryptionKey);
const codeOnlySchema = z.pick(codeAndPasswordSchema, { code: true });
// Which message a wrong code gets: the setup's and the sign-in's take only the app's codes.
type WrongCode = 'security.fields.wrongCode' | 'security.fields.wrongCodeOrRecoveryCode';

function wrongFieldErrors(c: Context<AppEnv>, refusal: Extract<SettingsRefusal, { reason: 'wrong' }>, wrongCode: WrongCode = 'security.fields.wrongCode'): FieldErrors {
  const { t } = c.var.i18n;
  return Object.fromEntries(refusal.fields.map((field) => [field, [field === 'code' ? t(wrongCode) : t('security.fields.wrongPassword')]]));
}

// The refusals every settings form shares; `showForm` draws the form again with errors.
function refuseSettings(
  c: Context<AppEnv>,
  refusal: Exclude<SettingsRefusal, { reason: 'not-applicable' }>,
  returnTo: string,
  showForm: (errors: FieldErrors) => Response | Promise<Response>,
  wrongCode: WrongCode = 'security.fields.wrongCode',
) {
  if (refusal.reason === 'wrong') return showForm(wrongFieldErrors(c, refusal, wrongCode));
  return refuseConfirmation(c, refusal, returnTo, (message) => showForm({ password: [message] }), c.var.i18n.t('security.fields.wrongPassword'));
}

// After the response, like every notice: a slow mail service never holds up the page.
function notify(c: Context<AppEnv>, compose: (to: string, username: string, link: string) => MailMessage) {
  const user = c.var.user!;
  c.executionCtx.waitUntil(sendQuietly(c.var.mailer(), compose(user.email, user.username, absoluteUrl(c.var.config, HOME))));
}

async function renderSecurityPage(c: Context<AppEnv>, errors?: FieldErrors) {
  const user = c.var.user!;
  const totp = await findTotpStatus(c.var.db, user.id);
  const enabledAt = totp?.enabledAt ?? null;
  const recoveryCodesLeft = enabledAt ? await countUnusedRecoveryCodes(c.var.db, user.id) : 0;
  const page = <SecurityPage user={user} status={{ enabledAt, recoveryCodesLeft }} errors={errors} flash={errors ? null : takeFlash(c)} />;
  return c.html(page, errors ? 422 : 200);
}

function redirectToStart(c: Context<AppEnv>) {
  setFlash(c, { kind: 'info', message: c.var.i18n.t('security.totp.noSetupHere') });
  return c.redirect(HOME, 303);
}

// The key is shown only to the session that started the enrolment.
async function renderSetup(c: Context<AppEnv>, errors?: FieldErrors) {
  const user = c.var.user!;
  const enrolment = await findPendingEnrolment(c.var.db, await secretBoxKey(c), user.id, c.var.session!.id);
  if (!enrolment) return (await findTotpStatus(c.var.db, user.id))?.enabledAt ? c.redirect(HOME, 303) : redirectToStart(c);
  const qrSvg = renderQrSvg(totpKeyUri(user.username, enrolment.totpKey), c.var.i18n.t('security.totp.qrLabel'));
  return c.html(<TotpSetupPage user={user} qrSvg={qrSvg} keyText={formatTotpKey(enrolment.totpKey)} errors={errors} />, errors ? 422 : 200);
}

export const securityRoutes = new Hono<AppEnv>()
  .use(HOME, requireUser)
  .use(`${HOME}/*`, requireUser)
  .get(HOME, (c) => renderSecurityPage(c))
  .post(
    `${HOME}/totp`,
    zValidator('form', passwordOnlySchema, (result, c) => {
      if (!result.success) return renderSecurityPage(c as Context<AppEnv>, fieldErrors(result.error));
    }),
    async (c) => {
      const user = c.var.user!;
      const result = await startTotpSetup(c.var.db, await secretBoxKey(c), user, c.req.valid('form').password, c.var.session!.id);
      if (!result.ok && result.reason !== 'not-applicable') return refuseSettings(c, result, HOME, (errors) => renderSecurityPage(c, errors));
      if (!result.ok) {
        setFlash(c, { kind: 'info', message: c.var.i18n.t('security.totp.alreadyOn') });
        return c.redirect(HOME, 303);
      }
      return c.redirect(`${HOME}/totp/setup`, 303);
    },
  )
  .get(`${HOME}/totp/setup`, (c) => renderSetup(c))
  .post(
    `${HOME}/totp/setup`,
    zValidator('form', codeOnlySchema, (result, c) => {
      if (!result.success) return renderSetup(c as Context<AppEnv>, fieldErrors(result.error));
    }),
    async (c) => {
      const result = await turnOnTotp(c.var.db, c.env.SESSIONS, await secretBoxKey(c), c.var.user!, c.req.valid('form').code, c.var.session!, requestContext(c));
      if (!result.ok && result.reason === 'wrong') return renderSetup(c, wrongFieldErrors(c, result));
      if (!result.ok) return renderSetup(c);
      setSessionCookie(c, result.token, result.session.expiresAt);
      notify(c, twoFactorEnabledNotice);
      const intro = c.var.i18n.t('security.totp.turnedOn', { count: result.signedOut });
      return c.html(<RecoveryCodesPage user={c.var.user!} codes={result.recoveryCodes} madeAt={Date.now()} intro={intro} />);
    },
  )
  .get(`${HOME}/recovery-codes`, async (c) => {
    const totp = await findTotpStatus(c.var.db, c.var.user!.id);
    return totp?.enabledAt ? c.html(<NewRecoveryCodesPage user={c.var.user!} flash={takeFlash(c)} />) : c.redirect(HOME, 303);
  })
  .post(
    `${HOME}/recovery-codes`,
    zValidator('form', passwordOnlySchema, (result, c) => {
      if (!result.success) return c.html(<NewRecoveryCodesPage user={userOf(c)} errors={fieldErrors(result.error)} />, 422);
    }),
    async (c) => {
      const result = await regenerateRecoveryCodes(c.var.db, c.var.user!, { ...c.req.valid('form'), sessionId: c.var.session!.id }, requestContext(c));
      if (!result.ok && result.reason !== 'not-applicable') {
        return refuseSettings(c, result, `${HOME}/recovery-codes`, (errors) => c.html(<NewRecoveryCodesPage user={c.var.user!} errors={errors} />, 422));
      }
      if (!result.ok) return c.redirect(HOME, 303);
      notify(c, recoveryCodesRegeneratedNotice);
      const intro = c.var.i18n.t('security.recovery.ready');
      return c.html(<RecoveryCodesPage user={c.var.user!} codes={result.recoveryCodes} madeAt={Date.now()} intro={intro} />);
    },
  )
  .get(`${HOME}/totp/disable`, async (c) => {
    const totp = await findTotpStatus(c.var.db, c.var.user!.id);
    return totp?.enabledAt ? c.html(<TurnOffTwoFactorPage user={c.var.user!} flash={takeFlash(c)} />) : c.redirect(HOME, 303);
  })
  .post(
    `${HOME}/totp/disable`,
    zValidator('form', codeAndPasswordSchema, (result, c) => {
      if (!result.success) return c.html(<TurnOffTwoFactorPage user={userOf(c)} errors={fieldErrors(result.error)} />, 422);
    }),
    async (c) => {
      const result = await turnOffTwoFactor(c.var.db, await secretBoxKey(c), c.var.user!, { ...c.req.valid('form'), sessionId: c.var.session!.id }, requestContext(c));
      if (!result.ok && result.reason !== 'not-applicable') {
        const showForm = (errors: FieldErrors) => c.html(<TurnOffTwoFactorPage user={c.var.user!} errors={errors} />, 422);
        return refuseSettings(c, result, `${HOME}/totp/disable`, showForm, 'security.fields.wrongCodeOrRecoveryCode');
      }
      if (result.ok) notify(c, twoFactorDisabledNotice);
      setFlash(c, { kind: 'success', message: c.var.i18n.t(result.ok ? 'security.totp.turnedOff' : 'security.totp.alreadyOff') });
      return c.redirect(HOME, 303);
    },
  );
