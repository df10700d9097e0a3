import { basicAuthConnection } from "./basicAuthConnection";
import { oauth2ClientCredentialsConnection } from "./oauth2ClientCredentialsConnection";
import { oauth2Connection } from "./oauth2Connection";

export { basicAuthConnection, oauth2ClientCredentialsConnection, oauth2Connection };

export const connections = [basicAuthConnection, oauth2Connection, oauth2ClientCredentialsConnection];
