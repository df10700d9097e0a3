export { buildMailOptions, type MailOptionsContext } from "./buildMailOptions";
export { requiresSmtpUtf8 } from "./smtpUtf8";
export { ADDRESS_FIELD_LABELS, parseAddressList, parseSingleAddress, type AddressField, type Mailbox } from "./addressList";
export { resolveRecipients, type Recipients } from "./recipients";
export { emailAddressProblem } from "./emailAddress";
export { htmlToPlainText } from "./plainText";
export { embedDataUrlImages } from "./inlineImages";
export { sanitizeSubject, sanitizeFileName } from "./headerSafety";
