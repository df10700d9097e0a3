import type { TransportConfig } from "../../config/transportConfig";
import type { Deadline } from "../../deadline/deadline";
import { SmtpEmailError } from "../../errors/SmtpEmailError";
import { lookupToken } from "../../oauth2/withAccessToken";
import type { SecretSet } from "../../result/redactSecrets";
import { planGraph } from "./graphPlan";
import { appRoles, readTokenClaims } from "./tokenClaims";

/** Microsoft Graph's application ID: the audience of a Graph token, next to its URL. */
const GRAPH_APP_ID = "00000003-0000-0000-c000-000000000000";
const MAIL_SEND = "Mail.Send";
const CONNECTION_FIELD = "clientCredentialsConnection";

export interface VerifiedGraphAccess {
  secure: boolean;
  authenticated: true;
  /** The Graph endpoint's host. */
  server: string;
  transport: "graph";
  /** The connection's user, the mailbox sent from when Custom From is empty. */
  mailbox: string;
  /** The app permissions the token carries (its `roles` claim); undefined when the token is not a readable JWT. */
  roles?: string[];
  /** Whether `roles` holds Mail.Send; undefined when the token is not a readable JWT. */
  mailSendPermission?: boolean;
  /** Why a send may still fail, when the token alone cannot tell. */
  warning?: string;
}

/**
 * Test Connection for Graph: fetches the token exactly as a send would, and reads its payload to tell
 * whether it is for Graph (a token for another audience fails here, as Graph would refuse it) and
 * whether it holds Mail.Send. Sends nothing: Graph has no call that checks sending without doing it.
 * Rejects with an SmtpEmailError only; the token used is added to `secrets`.
 */
export async function verifyGraph(config: TransportConfig, deadline: Deadline, secrets?: SecretSet): Promise<VerifiedGraphAccess> {
  const plan = planGraph(config);
  const { token } = await lookupToken(plan.tokenSource, deadline, secrets);
  const access: VerifiedGraphAccess = { secure: plan.secure, authenticated: true, server: plan.host, transport: "graph", mailbox: plan.user };
  const claims = readTokenClaims(token.accessToken);
  // An opaque token cannot be read: the first send will tell.
  if (!claims) return access;
  const audience = typeof claims.aud === "string" ? claims.aud : "";
  if (![plan.endpoint, `${plan.endpoint}/`, GRAPH_APP_ID].includes(audience)) {
    throw new SmtpEmailError(
      "authentication",
      `The token endpoint issued a token for "${audience.slice(0, 200)}", not for Microsoft Graph at ${plan.endpoint}: Graph would refuse it (HTTP 401).`,
      `Leave scope empty in the OAuth2 Client Credentials connection, or set it to ${plan.endpoint}/.default.`,
      { field: CONNECTION_FIELD },
    );
  }
  const roles = appRoles(claims);
  if (roles.includes(MAIL_SEND)) return { ...access, roles, mailSendPermission: true };
  // Exchange's RBAC for Applications grants Mail.Send without a role in the token: a warning, not a failure.
  return {
    ...access,
    roles,
    mailSendPermission: false,
    warning:
      "The token holds no Mail.Send role. Sending works only if Exchange Online grants it through RBAC for Applications; otherwise add the Microsoft Graph application permission Mail.Send (Application, not Delegated) and grant admin consent.",
  };
}
