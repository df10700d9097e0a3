/**
 * The pooled SMTP delivery as one module, loaded on first use (see delivery/index.ts): nodemailer's pool
 * and Mail front are ~25 ms to load, which a cold send spends while its own session connects instead.
 */
export { sendMail } from "./sendMail";
export { transportCache } from "./transportCache";
