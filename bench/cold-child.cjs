"use strict";
// The first statement: "from the child's first line" is measured from here (Node's own start-up is before it).
const firstLine = process.hrtime.bigint();
/**
 * One cold execution, as a runtime that starts a fresh process per execution does it: plain Node
 * (no tsx, no loader), started by bench/cold.ts. Prints, in one write, a line "RESULT <json>" with the
 * stored result, "SINCE_FIRST_LINE <ms>" (time since the statement above) and "CPU <ms>" (CPU time used
 * so far), and then does nothing more: the process should end by itself.
 *
 *   node bench/cold-child.cjs node|raw   (settings as JSON in the COLD_BENCH environment variable)
 *   node --cpu-prof bench/cold-child.cjs node   (with "exitAfterResult": true in COLD_BENCH: where a cold execution spends its time)
 *
 * settings.auth "basic": Basic Auth over STARTTLS. "clientCredentials": an OAuth2 client-credentials token
 * from settings.tokenUrl, then AUTH XOAUTH2 over STARTTLS. Both send HTML only and trust the test CA
 * through settings.ca (PEM text), not NODE_EXTRA_CA_CERTS.
 *
 * "node": requires build/module.js and runs the Send SMTP Email node function with a Cognigy stand-in,
 * configured as a flow designer fills it: Email Content HTML, no plain text, Custom CA Certificate.
 * "raw": a script that does the same work the obvious way with nodemailer and Node alone: (one token
 * POST with node:http,) one transport with `tls.ca`, one sendMail with `html` only, then transport.close().
 */
/* eslint-disable @typescript-eslint/no-require-imports -- a plain CommonJS script, as a runtime loads an extension */

const mode = process.argv[2];
const settings = JSON.parse(process.env.COLD_BENCH ?? "{}");

function print(result) {
  const sinceFirstLine = Number(process.hrtime.bigint() - firstLine) / 1e6;
  const cpu = process.cpuUsage();
  process.stdout.write(`RESULT ${JSON.stringify(result)}\nSINCE_FIRST_LINE ${sinceFirstLine}\nCPU ${(cpu.user + cpu.system) / 1000}\n`);
  // For profiling (node --cpu-prof writes its profile at exit): end now rather than wait for handles.
  if (settings.exitAfterResult) process.exit();
}

async function viaNode() {
  const extension = require(settings.module).default;
  const node = extension.nodes.find((descriptor) => descriptor.type === "sendSmtpEmail");
  const input = {};
  const api = {
    addToInput: (key, value) => {
      input[key] = value;
    },
    addToContext: () => undefined,
    log: () => undefined,
    stopExecution: () => undefined,
  };
  const auth =
    settings.auth === "clientCredentials"
      ? {
          authMethod: "oauth2ClientCredentials",
          clientCredentialsConnection: {
            tokenEndpointUrl: settings.tokenUrl,
            clientId: settings.clientId,
            clientSecret: settings.clientSecret,
            scope: settings.scope,
            user: settings.user,
          },
        }
      : { authMethod: "basic", basicConnection: { username: settings.user, password: settings.password } };
  const config = {
    emailService: "custom",
    host: settings.host,
    port: settings.port,
    security: "starttls",
    caCertificate: settings.ca,
    ...auth,
    to: settings.to,
    subject: settings.subject,
    content: settings.html,
    storeLocation: "input",
    inputKey: "smtpResult",
  };
  await node.function({ cognigy: { api }, config, childConfigs: [], nodeId: "cold" });
  print(input.smtpResult);
}

/** The token request as a script would write it: one form POST, client id and secret in the body. */
function requestToken() {
  const url = new URL(settings.tokenUrl);
  const body = new URLSearchParams({ grant_type: "client_credentials", client_id: settings.clientId, client_secret: settings.clientSecret, scope: settings.scope }).toString();
  const http = require(url.protocol === "https:" ? "node:https" : "node:http");
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json", "Content-Length": Buffer.byteLength(body) } },
      (response) => {
        let text = "";
        response.setEncoding("utf8");
        response.on("data", (chunk) => (text += chunk));
        response.on("end", () => {
          if (response.statusCode !== 200) reject(new Error(`token endpoint answered ${response.statusCode}: ${text}`));
          else resolve(JSON.parse(text).access_token);
        });
      },
    );
    request.on("error", reject);
    request.end(body);
  });
}

async function viaRawNodemailer() {
  const nodemailer = require(settings.nodemailer);
  const auth = settings.auth === "clientCredentials" ? { type: "OAuth2", user: settings.user, accessToken: await requestToken() } : { user: settings.user, pass: settings.password };
  const transport = nodemailer.createTransport({
    host: settings.host,
    port: settings.port,
    secure: false,
    requireTLS: true,
    tls: { ca: settings.ca, minVersion: "TLSv1.2" },
    auth,
  });
  try {
    const info = await transport.sendMail({ from: settings.user, to: settings.to, subject: settings.subject, html: settings.html });
    print({ success: true, messageId: info.messageId, accepted: info.accepted, rejected: info.rejected, response: info.response, envelope: info.envelope });
  } finally {
    transport.close();
  }
}

(mode === "raw" ? viaRawNodemailer() : viaNode()).catch((error) => {
  process.stderr.write(`${error && error.stack ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
