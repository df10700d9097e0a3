import { buildMimeNode } from "./buildMime";
import { sendSmtpEmailNode } from "./sendSmtpEmail";

export { buildMimeNode, sendSmtpEmailNode };

export const nodes = [sendSmtpEmailNode, buildMimeNode];
