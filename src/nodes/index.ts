import { buildMimeNode } from "./buildMime";
import { sendSmtpEmailNode } from "./sendSmtpEmail";
import { verifySmtpConnectionNode } from "./verifySmtpConnection";

export { buildMimeNode, sendSmtpEmailNode, verifySmtpConnectionNode };

export const nodes = [sendSmtpEmailNode, buildMimeNode, verifySmtpConnectionNode];
