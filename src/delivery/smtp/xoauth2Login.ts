import type { SMTPConnectionAuth } from "nodemailer/lib/smtp-connection";
import XOAuth2, { type XOAuth2ProvisionCallback } from "nodemailer/lib/xoauth2";

/**
 * An XOAUTH2 login for a single SMTPConnection with a ready token. In a module of its own, imported when
 * an OAuth2 login happens: a dynamic import of our own module keeps nodemailer's CommonJS build (a dynamic
 * import of the package itself may load its ES module build, a second copy, where import() stays native).
 */
export function xoauth2Login(user: string, accessToken: string | undefined, provisionCallback: XOAuth2ProvisionCallback): SMTPConnectionAuth {
  return { type: "OAUTH2", user, oauth2: new XOAuth2({ user, accessToken, provisionCallback }), method: "XOAUTH2" };
}
