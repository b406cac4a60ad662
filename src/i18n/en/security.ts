import type { Message } from '../message-format';

// Two-factor sign-in, recovery codes and passkeys: /account/security and below, the shared
// code and password fields, the passkey script's own messages and its JSON refusals.
// A <time></time> or <name></name> tag is where the page puts a date or a (hidden) name.
export const security = {
  // src/views/pages/security.tsx
  'security.overview.title': 'Two-factor sign-in',
  'security.overview.intro':
    'After your password, sign-in asks for a code from an authenticator app on your phone, so a stolen password alone cannot open your account.',
  'security.overview.appHeading': 'Authenticator app',
  'security.overview.on': 'On',
  'security.overview.off': 'Off',
  'security.overview.turnedOn': 'Turned on <time></time>.',
  'security.overview.anyApp':
    'Any app that makes time-based codes works, such as Google Authenticator, Microsoft Authenticator, Aegis, 1Password or Bitwarden. Turning it on signs out your other sessions.',
  'security.overview.setUp': 'Set up an authenticator app',
  'security.overview.recoveryHeading': 'Recovery codes',
  'security.overview.recoveryLeft': {
    one: '1 unused code. Each one signs you in once instead of a code from the app, if you lose your phone.',
    other: '{count} unused codes. Each one signs you in once instead of a code from the app, if you lose your phone.',
  },
  'security.overview.makeNewCodes': 'Make new recovery codes…',
  'security.overview.passkeysHeading': 'Passkeys',
  'security.overview.passkeysIntro': 'Sign in with your fingerprint, face or screen lock instead of a password and code.',
  'security.overview.managePasskeys': 'Manage passkeys',
  'security.overview.turnOffHeading': 'Turn off two-factor sign-in',
  'security.overview.turnOffIntro': 'Signing in will need only your password, and your recovery codes will stop working.',
  'security.overview.turnOff': 'Turn off…',

  // src/views/pages/security-fields.tsx
  'security.fields.wrongCode': 'That code did not work. Enter the newest code your app shows (the phone’s clock must be right).',
  'security.fields.wrongRecoveryCode': 'That recovery code did not work. Check it, or try another one: each works only once.',
  'security.fields.wrongCodeOrRecoveryCode': 'That code did not work. Enter the newest code from your app, or an unused recovery code.',
  'security.fields.wrongPassword': 'That password is wrong.',
  'security.fields.yourPassword': 'Your password',
  'security.fields.confirmFirstChange':
    'Your account has no password, so a change like this one needs you to have confirmed it is you in the last 10 minutes (a code by email, a passkey or a sign-in provider).',
  'security.fields.confirmFirstLinking':
    'Your account has no password, so linking or unlinking needs you to have confirmed it is you in the last 10 minutes (a code by email, a passkey or a sign-in provider).',
  'security.fields.confirmLink': 'Confirm it is you',

  // src/views/pages/security-totp.tsx
  'security.totp.setupTitle': 'Set up an authenticator app',
  'security.totp.scan': 'In your authenticator app, add an account and scan this QR code.',
  'security.totp.qrLabel': 'QR code to scan with your authenticator app',
  'security.totp.cannotScan': 'Cannot scan it? Choose to enter a setup key, and type this one (spaces do not matter):',
  'security.totp.keyDetails': 'Account: {username}. Type: time-based, 6 digits.',
  'security.totp.enterCode': 'Enter the 6-digit code the app now shows to turn it on. Your other sessions will be signed out.',
  'security.totp.codeLabel': 'Code from the app',
  'security.totp.turnOn': 'Turn on two-factor sign-in',
  'security.totp.cancel': 'Cancel',
  'security.totp.offTitle': 'Turn off two-factor sign-in',
  'security.totp.offIntro': 'Signing in will need only your password, and your recovery codes will stop working. To confirm, enter your password and a code.',
  'security.totp.offCodeLabel': 'Code from your app, or a recovery code',
  'security.totp.offSubmit': 'Turn off two-factor sign-in',
  'security.totp.keepOn': 'Keep it on',
  'security.totp.noSetupHere': 'To set up an authenticator app, start here with your password. A setup started in another browser cannot be finished in this one.',
  'security.totp.alreadyOn': 'Two-factor sign-in is already on. Turn it off first to move it to another app.',
  'security.totp.turnedOn': {
    one: 'Two-factor sign-in is on. From now on, signing in asks for a code from your app. 1 other session was signed out.',
    other: 'Two-factor sign-in is on. From now on, signing in asks for a code from your app. {count} other sessions were signed out.',
  },
  'security.totp.turnedOff': 'Two-factor sign-in is off. Signing in needs only your password.',
  'security.totp.alreadyOff': 'Two-factor sign-in is already off.',

  // src/views/pages/security-recovery-codes.tsx
  'security.recovery.fileHeading': 'Edge Accounts recovery codes for {username}',
  'security.recovery.fileMade': 'Made {time} UTC. Each code works once, instead of a code from your authenticator app.',
  'security.recovery.saveTitle': 'Save your recovery codes',
  'security.recovery.explain':
    'If you lose your phone, each of these codes signs you in once instead of a code from the app. <strong>This is the only time they are shown:</strong> download them or write them down, and keep them somewhere safe.',
  'security.recovery.download': 'Download as a text file',
  'security.recovery.copy': 'Copy the codes',
  'security.recovery.copied': 'Copied. Paste them somewhere safe, such as a password manager.',
  'security.recovery.copyFailed': 'Could not copy. Select the codes and copy them, or download the file.',
  'security.recovery.saved': 'I have saved them',
  'security.recovery.newTitle': 'Make new recovery codes',
  'security.recovery.newIntro': 'You get ten new codes, and every code you have now stops working.',
  'security.recovery.passwordLabel': 'Your password, to confirm',
  'security.recovery.newSubmit': 'Make new recovery codes',
  'security.recovery.cancel': 'Cancel',
  'security.recovery.ready': 'New recovery codes are ready. The old ones no longer work.',

  // src/views/pages/passkeys.tsx
  'security.passkeys.title': 'Passkeys',
  'security.passkeys.intro':
    'A passkey signs you in with your fingerprint, face or screen lock, with no password to type and no code to copy. It is kept by your device or password manager and works only on this site. Signing in with one counts as two-factor sign-in.',
  'security.passkeys.none': 'You have no passkeys yet.',
  'security.passkeys.back': 'Back to two-factor sign-in',
  'security.passkeys.synced': 'Synced',
  'security.passkeys.added': 'Added',
  'security.passkeys.lastUsed': 'Last used',
  'security.passkeys.never': 'Never',
  'security.passkeys.rename': 'Rename<name></name>',
  'security.passkeys.newName': 'New name',
  'security.passkeys.saveName': 'Save name',
  'security.passkeys.remove': 'Remove…<name></name>',
  'security.passkeys.addHeading': 'Add a passkey',
  'security.passkeys.unsupported': 'Adding a passkey needs a browser that supports passkeys, with JavaScript on. You can keep signing in with your password.',
  'security.passkeys.nameLabel': 'Name',
  'security.passkeys.nameHint': 'To tell your passkeys apart: the device or password manager that keeps it.',
  'security.passkeys.passwordHint': 'Needed to add a new way to sign in.',
  'security.passkeys.addSubmit': 'Add a passkey',
  'security.passkeys.defaultName': 'Passkey',

  // src/views/pages/passkeys-remove.tsx
  'security.passkeyRemove.title': 'Remove a passkey',
  'security.passkeyRemove.heading': 'Remove “{name}”',
  'security.passkeyRemove.explain':
    'Added <time></time>. Once removed it can no longer sign in to your account, and your other sessions are signed out. Delete it from your device or password manager too.',
  'security.passkeyRemove.submit': 'Remove passkey',
  'security.passkeyRemove.keep': 'Keep it',

  // src/routes/passkeys.tsx: flash messages and the JSON errors the passkey script shows.
  'security.passkeyRoutes.nameRule': 'Give the passkey a name of at most 60 characters.',
  'security.passkeyRoutes.added': 'Passkey “{name}” added. You can now sign in with it.',
  'security.passkeyRoutes.renamed': 'Passkey renamed to “{name}”.',
  'security.passkeyRoutes.removed': {
    one: 'Passkey “{name}” removed. 1 other session was signed out.',
    other: 'Passkey “{name}” removed. {count} other sessions were signed out.',
  },
  'security.passkeyRoutes.signInTimedOut': 'Your sign-in timed out. Please sign in again.',
  'security.passkeyRoutes.noPasskeyEnterCode': 'This account has no passkey. Enter a code instead.',
  'security.passkeyRoutes.tooLong': 'That took too long. Please try again.',
  'security.passkeyRoutes.secondStepFailed': 'That passkey did not work. Use a passkey on this account, or try again.',
  'security.passkeyRoutes.passwordMissing': 'Enter your password.',
  'security.passkeyRoutes.confirmFirst': 'Confirm it is you first with the link above, then add the passkey.',
  'security.passkeyRoutes.tooMany': 'You have as many passkeys as an account can have. Remove one first.',
  'security.passkeyRoutes.duplicate': 'That passkey is already on your account.',
  'security.passkeyRoutes.unchecked': 'Your browser’s answer could not be checked, so no passkey was added. Please try again.',
  'security.passkeyRoutes.mustReset': 'This account needs a new password before the next sign-in. Use “Forgot your password?” to set one.',
  'security.passkeyRoutes.signInFailed': 'That passkey did not work. It may have been removed from your account: try another, or sign in with your password.',

  // src/http/json-refusals.ts
  'security.json.tooManyAttempts': {
    one: 'Too many attempts. Please try again in a minute.',
    other: 'Too many attempts. Please try again in {count} minutes.',
  },

  // assets/static/passkeys.js: what it says itself (the page hands these over in data- attributes).
  'security.passkeyScript.generic': 'Something went wrong. Reload the page and try again.',
  'security.passkeyScript.cancelled': 'The passkey request was cancelled or timed out. Try again when you are ready.',
  'security.passkeyScript.alreadyKept': 'This device or password manager already keeps a passkey for your account.',
  'security.passkeyScript.wrongAddress': 'Passkeys cannot be used at this address.',
} as const satisfies Record<string, Message>;
