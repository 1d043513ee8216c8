import type { Locale, Role } from './identity.db';

const ROLE_JA: Record<Role, string> = { admin: '管理者', member: 'メンバー', guest: 'ゲスト' };

/** Identity's emails in both languages. Plain text: links must survive any mail client. */
interface Rendered {
  subject: string;
  text: string;
}

const signature = { ja: '— Toride', en: '— Toride' };

export const mailTemplates = {
  verifyEmail: (locale: Locale, p: { name: string; link: string }): Rendered =>
    locale === 'ja'
      ? {
          subject: '【Toride】メールアドレスの確認',
          text: `${p.name} さん\n\nToride へのご登録ありがとうございます。次のリンクを開いてメールアドレスを確認してください（72 時間有効）。\n\n${p.link}\n\nお心当たりがない場合は、このメールを破棄してください。\n\n${signature.ja}`,
        }
      : {
          subject: 'Verify your email address for Toride',
          text: `Hi ${p.name},\n\nThanks for signing up for Toride. Open this link to verify your email address (valid for 72 hours):\n\n${p.link}\n\nIf you did not sign up, you can ignore this message.\n\n${signature.en}`,
        },

  passwordReset: (locale: Locale, p: { name: string; link: string }): Rendered =>
    locale === 'ja'
      ? {
          subject: '【Toride】パスワードの再設定',
          text: `${p.name} さん\n\nパスワード再設定のリクエストを受け付けました。次のリンクから新しいパスワードを設定してください（1 時間有効、1 回限り）。\n\n${p.link}\n\nリクエストしていない場合は、このメールを破棄してください。パスワードは変更されません。\n\n${signature.ja}`,
        }
      : {
          subject: 'Reset your Toride password',
          text: `Hi ${p.name},\n\nWe received a request to reset your password. Open this link to choose a new one (valid for 1 hour, single use):\n\n${p.link}\n\nIf you did not ask for this, ignore this message; your password stays unchanged.\n\n${signature.en}`,
        },

  invitation: (locale: Locale, p: { inviterName: string; orgName: string; role: Role; link: string; expiresAt: string }): Rendered =>
    locale === 'ja'
      ? {
          subject: `【Toride】${p.inviterName} さんから「${p.orgName}」への招待`,
          text: `${p.inviterName} さんが、あなたを Toride の組織「${p.orgName}」に${ROLE_JA[p.role]}として招待しました。\n\n次のリンクから参加してください（${p.expiresAt} UTC まで有効）。\n\n${p.link}\n\n${signature.ja}`,
        }
      : {
          subject: `${p.inviterName} invited you to ${p.orgName} on Toride`,
          text: `${p.inviterName} invited you to join the organization "${p.orgName}" on Toride as ${p.role}.\n\nAccept the invitation with this link (valid until ${p.expiresAt} UTC):\n\n${p.link}\n\n${signature.en}`,
        },

  confirmNewEmail: (locale: Locale, p: { name: string; link: string }): Rendered =>
    locale === 'ja'
      ? {
          subject: '【Toride】新しいメールアドレスの確認',
          text: `${p.name} さん\n\nToride アカウントのメールアドレスをこのアドレスに変更するリクエストを受け付けました。次のリンクを開くと変更が完了します（24 時間有効）。\n\n${p.link}\n\nお心当たりがない場合は、このメールを破棄してください。\n\n${signature.ja}`,
        }
      : {
          subject: 'Confirm your new email address for Toride',
          text: `Hi ${p.name},\n\nWe received a request to change your Toride account's email address to this one. Open this link to complete the change (valid for 24 hours):\n\n${p.link}\n\nIf you did not ask for this, ignore this message.\n\n${signature.en}`,
        },

  emailChanged: (locale: Locale, p: { name: string; newEmail: string }): Rendered =>
    locale === 'ja'
      ? {
          subject: '【Toride】メールアドレスが変更されました',
          text: `${p.name} さん\n\nToride アカウントのメールアドレスが ${p.newEmail} に変更されました。お心当たりがない場合は、すぐに組織の管理者へご連絡ください。\n\n${signature.ja}`,
        }
      : {
          subject: 'Your Toride email address was changed',
          text: `Hi ${p.name},\n\nThe email address of your Toride account was changed to ${p.newEmail}. If this was not you, contact your organization's admin right away.\n\n${signature.en}`,
        },

  passwordChanged: (locale: Locale, p: { name: string }): Rendered =>
    locale === 'ja'
      ? {
          subject: '【Toride】パスワードが変更されました',
          text: `${p.name} さん\n\nアカウントのパスワードが変更され、他の端末のセッションはすべて終了しました。心当たりがない場合は、すぐにパスワードを再設定してください。\n\n${signature.ja}`,
        }
      : {
          subject: 'Your Toride password was changed',
          text: `Hi ${p.name},\n\nYour account password was changed and every other session was signed out. If this was not you, reset your password right away.\n\n${signature.en}`,
        },

  /** W8.3: a reset asked for an address whose org enforces SSO: no link, a pointer to SSO instead. */
  ssoRequired: (locale: Locale, p: { name: string }): Rendered =>
    locale === 'ja'
      ? {
          subject: '【Toride】パスワードの再設定はできません',
          text: `${p.name} さん\n\nパスワード再設定のリクエストを受け付けましたが、このメールアドレスの組織はシングルサインオンを必須にしているため、パスワードは設定できません。サインイン画面の「SSO でサインイン」から組織の ID プロバイダーでサインインしてください。\n\nリクエストしていない場合は、このメールを破棄してください。\n\n${signature.ja}`,
        }
      : {
          subject: 'Your Toride password cannot be reset',
          text: `Hi ${p.name},\n\nWe received a request to reset your password, but the organization of this address requires single sign-on, so no password can be set. Use "Sign in with SSO" on the sign-in page to sign in through your organization's identity provider.\n\nIf you did not ask for this, ignore this message.\n\n${signature.en}`,
        },

  accountDeleted: (locale: Locale, p: { name: string }): Rendered =>
    locale === 'ja'
      ? {
          subject: '【Toride】アカウントを削除しました',
          text: `${p.name} さん\n\nご依頼により Toride のアカウントを削除し、個人データ（氏名・メールアドレス・パスワード・2段階認証・セッション・API キー）を消去しました。組織で作成したコンテンツは「削除されたユーザー」として組織に残ります。\n\n${signature.ja}`,
        }
      : {
          subject: 'Your Toride account was deleted',
          text: `Hi ${p.name},\n\nAs you asked, your Toride account was deleted and its personal data (name, email, password, two-factor settings, sessions, API keys) erased. Content you created in organizations stays there, shown as "deleted user".\n\n${signature.en}`,
        },
};
