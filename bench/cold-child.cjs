/**
 * One cold execution, as a runtime that starts a fresh process per execution does it: plain Node
 * (no tsx, no loader), started by bench/cold.ts. Prints a line "RESULT <json>" with the stored
 * result and a line "CPU <ms>" with the CPU time used so far, and then does nothing more: the process should end by itself.
 *
 *   node bench/cold-child.cjs node|raw   (settings as JSON in the COLD_BENCH environment variable)
 *   node --cpu-prof bench/cold-child.cjs node   (with "exitAfterResult": true in COLD_BENCH: where a cold execution spends its time)
 *
 * "node": requires build/module.js and runs the Send SMTP Email node function with a Cognigy stand-in.
 * "raw": a script that only uses nodemailer: one transport, one send, then transport.close().
 * Both trust the test CA the way a deployment trusts a company CA for every process: NODE_EXTRA_CA_CERTS,
 * set by the parent. (The node's Custom CA Certificate field would add the CA to Node's ~150 built-in
 * roots in a secure context built per process, which raw nodemailer given only `ca` does not do.)
 */
"use strict";
/* eslint-disable @typescript-eslint/no-require-imports -- a plain CommonJS script, as a runtime loads an extension */

const mode = process.argv[2];
const settings = JSON.parse(process.env.COLD_BENCH ?? "{}");

function print(result) {
  const cpu = process.cpuUsage();
  process.stdout.write(`RESULT ${JSON.stringify(result)}\nCPU ${(cpu.user + cpu.system) / 1000}\n`);
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
  const config = {
    emailService: "custom",
    host: settings.host,
    port: settings.port,
    security: "starttls",
    authMethod: "basic",
    basicConnection: { username: settings.user, password: settings.password },
    to: settings.to,
    subject: settings.subject,
    content: settings.html,
    text: settings.text,
    storeLocation: "input",
    inputKey: "smtpResult",
  };
  await node.function({ cognigy: { api }, config, childConfigs: [], nodeId: "cold" });
  print(input.smtpResult);
}

async function viaRawNodemailer() {
  const nodemailer = require(settings.nodemailer);
  const transport = nodemailer.createTransport({
    host: settings.host,
    port: settings.port,
    secure: false,
    requireTLS: true,
    tls: { minVersion: "TLSv1.2" },
    auth: { user: settings.user, pass: settings.password },
  });
  try {
    const info = await transport.sendMail({ from: settings.user, to: settings.to, subject: settings.subject, html: settings.html, text: settings.text });
    print({ success: true, messageId: info.messageId, accepted: info.accepted, rejected: info.rejected, response: info.response, envelope: info.envelope });
  } finally {
    transport.close();
  }
}

(mode === "raw" ? viaRawNodemailer() : viaNode()).catch((error) => {
  process.stderr.write(`${error && error.stack ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
