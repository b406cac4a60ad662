import type { Message } from '../message-format';

// Every email we send (src/mail/messages.ts): subject, paragraphs, button. Composed in the
// recipient's language when it is sent (src/mail/mailer.ts).
export const mail = {
  // The frame every email shares.
  'mail.signature': '— Edge Accounts',
  'mail.actionLine': '{label}: {link}',
  'mail.pasteLink': 'Or paste this address into your browser: {link}',
  'mail.listSeparator': ', ',
  'mail.listPair': '{first} and {second}',
  // Buttons several emails share.
  'mail.action.reviewSecurity': 'Review sign-in security',
  'mail.action.reviewPasskeys': 'Review your passkeys',
  'mail.action.reviewSignIn': 'Review how you sign in',
  'mail.action.resetPassword': 'Reset my password',
  'mail.action.notMe': 'This wasn’t me',

  'mail.passwordReset.subject': 'Reset your Edge Accounts password',
  'mail.passwordReset.intro': 'Hello {username}, someone (hopefully you) asked to reset the password of your Edge Accounts account.',
  'mail.passwordReset.expiry': 'The link works once and expires in one hour. If you did not ask for it, ignore this email: your password stays as it is.',
  'mail.passwordReset.action': 'Choose a new password',

  'mail.verifyEmail.subject': 'Confirm your email address',
  'mail.verifyEmail.introChange':
    'Hello {username}, please confirm that {email} should become the email address of your Edge Accounts account. Until you do, your current address stays in use.',
  'mail.verifyEmail.introNew': 'Welcome to Edge Accounts, {username}! Please confirm that {email} is your email address.',
  'mail.verifyEmail.expiry': 'The link expires in 48 hours. If you did not ask for this, ignore this email.',
  'mail.verifyEmail.action': 'Confirm email address',

  'mail.emailChanged.subject': 'Your Edge Accounts email address was changed',
  'mail.emailChanged.body': 'Hello {username}, the email address of your Edge Accounts account was changed from {oldEmail} to {newEmail}.',
  'mail.emailChanged.advice': 'If you did not make this change, reset your password right away and contact us.',

  'mail.passwordChanged.subject': 'Your Edge Accounts password was changed',
  'mail.passwordChanged.body': 'Hello {username}, the password of your Edge Accounts account was just changed, and other devices were signed out.',
  'mail.passwordChanged.advice': 'If this was you, there is nothing to do. If it was not, reset your password now with the link above.',

  'mail.twoFactorEnabled.subject': 'Two-factor sign-in was turned on',
  'mail.twoFactorEnabled.body':
    'Hello {username}, two-factor sign-in with an authenticator app was just turned on for your Edge Accounts account. From now on, signing in asks for a code from the app after your password.',
  'mail.twoFactorEnabled.advice':
    'Keep your recovery codes somewhere safe: they let you in if you lose the app. If you did not turn this on, reset your password and contact us.',

  'mail.twoFactorDisabled.subject': 'Two-factor sign-in was turned off',
  'mail.twoFactorDisabled.body':
    'Hello {username}, two-factor sign-in was just turned off for your Edge Accounts account: signing in now needs only your password, and your recovery codes no longer work.',
  'mail.twoFactorDisabled.advice': 'If you did not do this, reset your password now and turn two-factor sign-in back on.',

  'mail.recoveryCodesRegenerated.subject': 'New recovery codes were made',
  'mail.recoveryCodesRegenerated.body': 'Hello {username}, a new set of recovery codes was just made for your Edge Accounts account. The previous codes no longer work.',
  'mail.recoveryCodesRegenerated.advice': 'If you did not do this, reset your password now and make new codes.',

  'mail.recoveryCodeUsed.subject': 'A recovery code was used to sign in',
  'mail.recoveryCodeUsed.body':
    'Hello {username}, someone just signed in to your Edge Accounts account with your password and a recovery code instead of a code from your authenticator app. {codesLeft}',
  'mail.recoveryCodeUsed.codesLeft': { one: '1 unused code is left.', other: '{count} unused codes are left.' },
  'mail.recoveryCodeUsed.advice':
    'If this was you and you no longer have the app, set it up again and make new recovery codes. If it was not you, reset your password now.',

  'mail.newSignIn.subject': 'New sign-in to your Edge Accounts account',
  'mail.newSignIn.body':
    'Hello {username}, your account was just signed in to from a place or browser it has not used recently: {device}, near {place}, on {time}.',
  // The same, when the request named no place: a sentence of its own, not a phrase for {place}.
  'mail.newSignIn.bodyUnknownPlace':
    'Hello {username}, your account was just signed in to from a place or browser it has not used recently: {device}, near an unknown place, on {time}.',
  'mail.newSignIn.advice':
    'If this was you, there is nothing to do. If it was not, the link above signs out every device at once and asks for a new password before the next sign-in. It works once, for 7 days, without signing in.',

  'mail.passkeyAdded.subject': 'A passkey was added to your account',
  'mail.passkeyAdded.body': 'Hello {username}, a passkey named “{name}” was just added to your Edge Accounts account. It signs in without your password.',
  'mail.passkeyAdded.advice': 'If this was you, there is nothing to do. If it was not, remove it with the link above and reset your password now.',

  'mail.passkeyRemoved.subject': 'A passkey was removed from your account',
  'mail.passkeyRemoved.body': 'Hello {username}, the passkey named “{name}” was just removed from your Edge Accounts account and can no longer sign in.',
  'mail.passkeyRemoved.advice': 'If you did not do this, reset your password now and review your passkeys.',

  'mail.emailChangeRequested.subject': 'Someone asked to change your email address',
  'mail.emailChangeRequested.body':
    'Hello {username}, someone signed in to your Edge Accounts account asked to change its email address to {newEmail}. Your address changes only once a link we sent there is opened.',
  'mail.emailChangeRequested.advice':
    'If this was you, there is nothing to do. If it was not, change your password now with the link above: that signs out the other devices and cancels the change.',
  'mail.emailChangeRequested.action': 'Change my password',

  'mail.passwordResetDone.subject': 'Your Edge Accounts password was changed',
  'mail.passwordResetDone.body':
    'Hello {username}, the password of your Edge Accounts account was just changed with a reset link sent to this address, and every device was signed out.',
  'mail.passwordResetDone.removed':
    'As this was the first time this address was confirmed, everything else that could sign in was removed, in case someone set it up before you: {removed}.',
  'mail.passwordResetDone.removedPasskeys': { one: 'a passkey', other: '{count} passkeys' },
  'mail.passwordResetDone.removedTwoFactor': 'the authenticator app and its recovery codes',
  'mail.passwordResetDone.providers': 'sign-in through {providers}',
  'mail.passwordResetDone.noPasskeys': 'no passkeys',
  'mail.passwordResetDone.passkeys': { one: 'the passkey {names}', other: 'the passkeys {names}' },
  'mail.passwordResetDone.passkeyName': '“{name}”',
  'mail.passwordResetDone.withProviders': '{passkeys}, {providers}',
  'mail.passwordResetDone.leftTwoFactorOn': 'Besides your new password, your account now has {credentials}, and two-factor sign-in is on.',
  'mail.passwordResetDone.leftTwoFactorOff': 'Besides your new password, your account now has {credentials}, and two-factor sign-in is off.',
  'mail.passwordResetDone.advice':
    'If you do not recognise one of them, remove it on the page above. If you did not reset your password, reset it again now and contact us.',

  'mail.twoFactorResetByStaff.subject': 'Two-factor sign-in was reset by our staff',
  'mail.twoFactorResetByStaff.body':
    'Hello {username}, our staff turned off two-factor sign-in for your Edge Accounts account: the authenticator app and the recovery codes were removed, and every device was signed out. Signing in now needs only your password (your passkeys still work).',
  'mail.twoFactorResetByStaff.advice': 'Turn two-factor sign-in back on with the link above. If you did not ask us for this, reset your password now and contact us.',

  'mail.signInMethodAdded.subject': 'A sign-in method was added to your account',
  'mail.signInMethodAdded.body':
    'Hello {username}, your Edge Accounts account can now be signed in to with {provider}. It was linked because your {provider} account uses this same, verified email address, or because you linked it yourself.',
  'mail.signInMethodAdded.advice':
    'If this was you, there is nothing to do. If it was not, the link above signs out every device at once and asks for a new password before the next sign-in. It works once, for 7 days, without signing in. Then remove the method under Account, Sign-in methods.',

  'mail.providerUnlinked.subject': '{provider} was unlinked from your account',
  'mail.providerUnlinked.body': 'Hello {username}, {provider} was just unlinked from your Edge Accounts account: signing in with {provider} no longer opens it.',
  'mail.providerUnlinked.advice': 'If you did not do this, reset your password now and review how you sign in.',

  'mail.signUpCode.subject': '{code} is your Edge Accounts sign-up code',
  'mail.signUpCode.body':
    'Hello {username}, enter {code} on the sign-up page to confirm this address and create your Edge Accounts account. Or open the link below and press the button.',
  'mail.signUpCode.expiry':
    'The code and the link work once, for 10 minutes, and the code only in the browser where you signed up. If you did not sign up, ignore this email: no account is created.',
  'mail.signUpCode.action': 'Create my account',

  'mail.signUpAddressTaken.subject': 'Someone tried to create an account with this address',
  'mail.signUpAddressTaken.body':
    'Hello {username}, someone just tried to create a new Edge Accounts account with {email}, which is already the address of your account. No account was created, and no code in this email would create one.',
  'mail.signUpAddressTaken.ifYou': 'If it was you, sign in instead with the link above. If you forgot your password, reset it here: {resetLink}',
  'mail.signUpAddressTaken.ifNotYou': 'If it was not you, there is nothing to do: your account is unchanged.',
  'mail.signUpAddressTaken.action': 'Sign in',

  'mail.signInCode.subject': '{code} is your Edge Accounts sign-in code',
  'mail.signInCode.body':
    'Hello {username}, enter {code} on the sign-in page to sign in to your Edge Accounts account. Or open the link below and press the button: it signs in the browser you press it in.',
  'mail.signInCode.expiry':
    'The code and the link work once, for 10 minutes, and the code only in the browser that asked for it. If you did not ask for it, ignore this email: nobody can sign in without it.',
  'mail.signInCode.action': 'Sign me in',
  // Instead of a code: the address has no account, or the account must choose a password first.
  'mail.signInCode.subjectNoCode': 'Your Edge Accounts sign-in code',
  'mail.signInCode.noAccountBody': 'Someone asked for a sign-in code for {email}, but no Edge Accounts account uses this address, so there is no code.',
  'mail.signInCode.noAccountAdvice': 'If you meant to create an account, use the link above. If you did not ask for a code, ignore this email.',
  'mail.signInCode.noAccountAction': 'Create an account',
  'mail.signInCode.resetFirstBody':
    'Hello {username}, someone asked for a sign-in code for your account. Before codes can sign you in, your account needs a new password chosen through a link sent to this address.',
  'mail.signInCode.resetFirstAdvice': 'If you did not ask for a code, ignore this email.',
  'mail.signInCode.resetFirstAction': 'Choose a password',

  'mail.stepUpCode.subject': '{code} is your Edge Accounts confirmation code',
  'mail.stepUpCode.body':
    'Hello {username}, enter {code} to confirm it is you before a change to your Edge Accounts account. It works once, for 10 minutes, in the browser that asked for it.',
  'mail.stepUpCode.advice':
    'If you did not ask for it, someone may be signed in to your account: sign out every other session from the account page and check how you sign in.',

  'mail.passwordRemoved.subject': 'The password of your Edge Accounts account was removed',
  'mail.passwordRemoved.body':
    'Hello {username}, your Edge Accounts account no longer has a password, and other devices were signed out. You sign in with codes sent to this address, or with the other ways listed on the page above.',
  'mail.passwordRemoved.advice': 'If you did not do this, reset your password now (the reset sets a new one) and contact us.',

  'mail.passwordSet.subject': 'A password was set on your Edge Accounts account',
  'mail.passwordSet.body':
    'Hello {username}, your Edge Accounts account now has a password, and other devices were signed out. You can sign in with it as well as the ways you used before.',
  'mail.passwordSet.advice': 'If this was you, there is nothing to do. If it was not, reset your password now with the link above.',
} as const satisfies Record<string, Message>;
