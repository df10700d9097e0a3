import type { SentMessage } from "../../result/sentMessage";

/** What nodemailer reports about a message an SMTP server took (the pool's info, or a session's send with its envelope). */
export interface SmtpSendInfo {
  messageId?: unknown;
  accepted?: unknown[];
  rejected?: unknown[];
  response?: unknown;
  envelope: { from?: string | false; to?: unknown[] };
}

/** The same report as plain strings, whichever path sent the message. */
export function sentBySmtp(info: SmtpSendInfo): SentMessage {
  return {
    transport: "smtp",
    messageId: String(info.messageId ?? ""),
    accepted: (info.accepted ?? []).map(String),
    rejected: (info.rejected ?? []).map(String),
    response: String(info.response ?? ""),
    envelope: { from: info.envelope.from === false ? "" : String(info.envelope.from ?? ""), to: (info.envelope.to ?? []).map(String) },
  };
}
