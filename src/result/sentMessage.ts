/** What a delivery reports about a message it handed over, as plain strings. */
export interface SentMessage {
  /** Which delivery took the message. */
  transport: "smtp" | "graph";
  messageId: string;
  accepted: string[];
  rejected: string[];
  response: string;
  envelope: { from: string; to: string[] };
  /** Microsoft Graph: its `request-id` and `client-request-id`, for support tickets. */
  requestId?: string;
  clientRequestId?: string;
}
