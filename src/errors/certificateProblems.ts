/** Node's certificate verification codes, with what they mean for the user. */
export const CERTIFICATE_PROBLEMS: Record<string, { what: string; hint: string }> = {};
/** What an untrusted certificate means for the user; also the fallback for a code the table does not know. */
export const UNTRUSTED = {
  what: "is self-signed or signed by a certificate authority this node does not trust",
  hint: "Paste the certificate of the authority that signed it into Custom CA Certificate (PEM). Enable Allow Invalid Certificates only if you fully trust the network path: it exposes mail and password to anyone in between.",
};

for (const code of ["DEPTH_ZERO_SELF_SIGNED_CERT", "SELF_SIGNED_CERT_IN_CHAIN", "UNABLE_TO_VERIFY_LEAF_SIGNATURE", "UNABLE_TO_GET_ISSUER_CERT", "UNABLE_TO_GET_ISSUER_CERT_LOCALLY", "CERT_UNTRUSTED", "CERT_REJECTED", "INVALID_CA", "CERT_SIGNATURE_FAILURE"]) {
  CERTIFICATE_PROBLEMS[code] = UNTRUSTED;
}
for (const code of ["CERT_HAS_EXPIRED", "CERT_NOT_YET_VALID"]) {
  CERTIFICATE_PROBLEMS[code] = { what: "is expired or not yet valid", hint: "The server's administrator must renew its certificate; also check the clock of the server." };
}
for (const code of ["ERR_TLS_CERT_ALTNAME_INVALID", "HOSTNAME_MISMATCH"]) {
  CERTIFICATE_PROBLEMS[code] = { what: "was issued for a different host name", hint: "Use the host name the certificate was issued for as SMTP Host, not an alias or IP address." };
}
CERTIFICATE_PROBLEMS.CERT_REVOKED = { what: "has been revoked", hint: "The server's administrator must install a new certificate." };
