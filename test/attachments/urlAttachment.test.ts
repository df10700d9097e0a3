import crypto from "node:crypto";
import type dns from "node:dns";
import type Mail from "nodemailer/lib/mailer";
import { ByteBudget, prepareAttachment, prepareAttachments } from "../../src/attachments";
import type { AttachmentLimits, AttachmentSpec } from "../../src/config/attachmentSpecs";
import { createDeadline, type Deadline } from "../../src/deadline/deadline";
import { startHttpFileServer, type HttpFileServer } from "../message/helpers/httpFileServer";
import { rejectionOf } from "../support/smtpEmailErrors";
import { trustLoopback } from "../support/trustLoopback";

const MB = 1024 * 1024;
const open: AttachmentLimits = { maxBytes: 10 * MB, maxTotalBytes: 25 * MB, allowPrivateNetworkUrls: true };
const guarded: AttachmentLimits = { maxBytes: 10 * MB, maxTotalBytes: 25 * MB, allowPrivateNetworkUrls: false };

let http: HttpFileServer;
let deadline: Deadline;

beforeAll(async () => {
  http = await startHttpFileServer();
  http.serve("/files/report.pdf", { body: Buffer.from("%PDF-1.4 test"), contentType: "application/pdf" });
  http.serve("/files/Q3 überblick.csv", { body: Buffer.from("a,b\n1,2\n"), contentType: "application/octet-stream" });
  http.serve("/files/data", { body: Buffer.from("{}"), contentType: "application/json; charset=utf-8" });
  http.serve("/files/untyped.png", { body: Buffer.from([0x89, 0x50, 0x4e, 0x47]) });
  http.serve("/files/gzipped.txt", { body: Buffer.from("compressed on the wire ".repeat(1000)), contentType: "text/plain", gzip: true });
});

afterAll(async () => {
  await http.close();
});

beforeEach(() => {
  deadline = createDeadline(10_000);
});

afterEach(() => deadline.dispose());

const urlSpec = (url: string, extra: Partial<Extract<AttachmentSpec, { type: "url" }>> = {}): AttachmentSpec => ({ type: "url", origin: "Attachment", url, ...extra });

/** Trusts the loopback file server unless told otherwise: flows themselves can never reach 127.0.0.1. */
async function attach(spec: AttachmentSpec, limits: AttachmentLimits = open, options: Parameters<typeof prepareAttachment>[2] = trustLoopback): Promise<Mail.Attachment> {
  return prepareAttachment(spec, { limits, deadline, budget: new ByteBudget(limits.maxTotalBytes) }, options);
}


const bytesOf = (attachment: Mail.Attachment): Buffer => attachment.content as Buffer;

describe("url attachments from a local HTTP server", () => {
  it("refuses 127.0.0.1 by default, naming the toggle that allows it", async () => {
    const error = await rejectionOf(attach(urlSpec(http.url("/files/report.pdf")), guarded, {}));
    expect(error.code).toBe("attachment");
    expect(error.details.field).toBe("attachmentUrl");
    expect(error.message).toMatch(/^Attachment: the URL was refused because 127\.0\.0\.1 is a loopback address/);
    expect(error.hint).toContain("allowPrivateNetworkUrls");
    expect(http.requests).not.toContain("/files/report.pdf");
  });

  it("refuses a host name that resolves to a private address, on the address the socket would use", async () => {
    const resolver = (_host: string, _options: dns.LookupAllOptions, callback: (err: NodeJS.ErrnoException | null, addresses: dns.LookupAddress[]) => void) =>
      callback(null, [{ address: "127.0.0.1", family: 4 }]);
    const url = http.url("/files/report.pdf").replace("127.0.0.1", "files.public.example");
    const error = await rejectionOf(attach(urlSpec(url), guarded, { resolver }));
    expect(error.message).toMatch(/files\.public\.example resolves to 127\.0\.0\.1 \(a loopback address/);
  });

  it("refuses loopback even with Allow Attachment URLs in Private Networks on, saying what the toggle opens", async () => {
    const before = http.requests.length;
    const error = await rejectionOf(attach(urlSpec(http.url("/files/report.pdf")), open, {}));
    expect(error.message).toMatch(/127\.0\.0\.1 is a loopback address/);
    expect(error.hint).toMatch(/opens only the private ranges/);
    expect(http.requests.length).toBe(before);
  });

  it("refuses a name resolving to the cloud metadata address even with private networks allowed", async () => {
    const resolved: string[] = [];
    const resolver = (host: string, _options: dns.LookupAllOptions, callback: (err: NodeJS.ErrnoException | null, addresses: dns.LookupAddress[]) => void) => {
      resolved.push(host);
      callback(null, [{ address: "169.254.169.254", family: 4 }]);
    };
    const url = http.url("/latest/meta-data/iam").replace("127.0.0.1", "metadata.attacker.example");
    const error = await rejectionOf(attach(urlSpec(url), open, { resolver }));
    expect(error.code).toBe("attachment");
    expect(error.message).toMatch(/metadata\.attacker\.example resolves to 169\.254\.169\.254 \(a link-local address/);
    expect(resolved).toEqual(["metadata.attacker.example"]);
  });

  it.each(["http://169.254.169.254/latest/meta-data/", "http://[fd00:ec2::254]/latest/meta-data/", "http://metadata.google.internal/computeMetadata/v1/", "http://instance-data/latest/"])(
    "refuses %s with private networks allowed, before any connection",
    async (url) => {
      const error = await rejectionOf(attach(urlSpec(url), open, {}));
      expect(error.message).toMatch(/the URL was refused because .*(link-local|cloud metadata)/);
    },
  );

  it("downloads with the toggle on: name, type and bytes", async () => {
    const attachment = await attach(urlSpec(http.url("/files/report.pdf")));
    expect(attachment).toMatchObject({ filename: "report.pdf", contentType: "application/pdf" });
    expect(bytesOf(attachment).toString()).toBe("%PDF-1.4 test");
  });

  it("takes the decoded last path segment as name and prefers the name's type over octet-stream", async () => {
    const attachment = await attach(urlSpec(http.url("/files/Q3%20%C3%BCberblick.csv?x=1")));
    expect(attachment).toMatchObject({ filename: "Q3 überblick.csv", contentType: "text/csv" });
  });

  it("prefers the given file name and keeps the server's content type", async () => {
    expect(await attach(urlSpec(http.url("/files/data"), { fileName: "export.json" }))).toMatchObject({ filename: "export.json", contentType: "application/json; charset=utf-8" });
    expect(await attach(urlSpec(http.url("/files/untyped.png")))).toMatchObject({ filename: "untyped.png", contentType: "image/png" });
  });

  it("stores decompressed bytes of a gzip response", async () => {
    const attachment = await attach(urlSpec(http.url("/files/gzipped.txt")));
    expect(bytesOf(attachment).toString()).toBe("compressed on the wire ".repeat(1000));
  });

  it("follows up to 5 redirects and names the file after the URL given", async () => {
    const attachment = await attach(urlSpec(http.url("/redirect/5/files/report.pdf")));
    expect(bytesOf(attachment).toString()).toBe("%PDF-1.4 test");
    expect(attachment.filename).toBe("report.pdf");
    const error = await rejectionOf(attach(urlSpec(http.url("/redirect/6/files/report.pdf"))));
    expect(error.message).toBe("Attachment: the URL redirected more than 5 times.");
  });

  it("reports HTTP errors with the status", async () => {
    const error = await rejectionOf(attach(urlSpec(http.url("/missing.pdf"), { origin: "extraAttachments[1]" })));
    expect(error.code).toBe("attachment");
    expect(error.details.field).toBe("extraAttachments");
    expect(error.message).toMatch(/^extraAttachments\[1\]: the server at http:\/\/127\.0\.0\.1:\d+ answered HTTP 404 Not Found/);
  });

  it("reports refused connections", async () => {
    const error = await rejectionOf(attach(urlSpec("http://127.0.0.1:1/x.pdf")));
    expect(error.message).toMatch(/could not be downloaded from http:\/\/127\.0\.0\.1:1: the server refused the connection/);
  });

  it("stops an over-limit download while streaming, even without Content-Length", async () => {
    const body = crypto.randomBytes(4 * MB);
    http.serve("/files/chunked.bin", { body, chunked: true });
    http.serve("/files/sized.bin", { body });
    const limits = { ...open, maxBytes: 1 * MB };
    for (const path of ["/files/chunked.bin", "/files/sized.bin"]) {
      const error = await rejectionOf(attach(urlSpec(http.url(path)), limits));
      expect(error.code).toBe("attachment");
      expect(error.message).toMatch(/larger than the limit of 1 MB/);
      expect(error.hint).toContain("maxAttachmentSizeMb");
    }
    // The declared length is refused before the body is read; the chunked one is cut off early.
    expect(http.bytesSent.get("/files/chunked.bin") ?? 0).toBeLessThan(4 * MB);
  });

  it("accepts a file of exactly the limit", async () => {
    const body = crypto.randomBytes(256 * 1024);
    http.serve("/files/exact.bin", { body, chunked: true });
    const attachment = await attach(urlSpec(http.url("/files/exact.bin")), { ...open, maxBytes: body.length });
    expect(bytesOf(attachment).equals(body)).toBe(true);
  });

  it("aborts a download that stalls when the time budget runs out", async () => {
    http.serve("/files/stalled.bin", { body: Buffer.alloc(64 * 1024), stall: true });
    deadline.dispose();
    deadline = createDeadline(300);
    const started = Date.now();
    const error = await rejectionOf(attach(urlSpec(http.url("/files/stalled.bin"))));
    expect(error.code).toBe("timeout");
    expect(error.message).toMatch(/while downloading the attachment from http:\/\/127\.0\.0\.1/);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it("turns a spent time budget into a timeout error", async () => {
    deadline.dispose();
    deadline = createDeadline(0);
    const error = await rejectionOf(attach(urlSpec(http.url("/files/report.pdf"))));
    expect(error.code).toBe("timeout");
  });
});

describe("url attachments: schemes and data URLs", () => {
  it.each(["file:///etc/passwd", "ftp://example.com/a.txt", "gopher://example.com/", "javascript:alert(1)"])("refuses %s with a clear error", async (url) => {
    const error = await rejectionOf(attach(urlSpec(url)));
    expect(error.code).toBe("attachment");
    expect(error.message).toMatch(/^Attachment: URLs with the scheme "[a-z]+:" are not supported; only http, https and data URLs can be attached\.$/);
  });

  it("refuses text that is not a URL", async () => {
    expect((await rejectionOf(attach(urlSpec("report.pdf")))).message).toMatch(/"report\.pdf" is not a valid URL/);
  });

  it("decodes data URLs, with a name from fileName or attachment.<ext>", async () => {
    const pdf = Buffer.from("%PDF-1.7 data url");
    const fromData = await attach(urlSpec(`data:application/pdf;base64,${pdf.toString("base64")}`));
    expect(fromData).toMatchObject({ filename: "attachment.pdf", contentType: "application/pdf" });
    expect(bytesOf(fromData).equals(pdf)).toBe(true);
    expect(await attach(urlSpec("data:text/plain,hi", { fileName: "hi.txt" }))).toMatchObject({ filename: "hi.txt", contentType: "text/plain" });
  });

  it("refuses invalid and over-limit data URLs", async () => {
    expect((await rejectionOf(attach(urlSpec("data:application/pdf;base64,JVB!ERi0")))).message).toMatch(/data URL is invalid: its Base64 data is invalid/);
    const big = `data:application/octet-stream;base64,${Buffer.alloc(2048).toString("base64")}`;
    expect((await rejectionOf(attach(urlSpec(big), { ...guarded, maxBytes: 1024 }))).message).toMatch(/larger than the limit of 1 KB/);
  });
});

describe("prepareAttachments", () => {
  it("downloads several in parallel and keeps their order", async () => {
    const specs: AttachmentSpec[] = [
      urlSpec(http.url("/redirect/2/files/report.pdf")),
      { type: "text", origin: "extraAttachments[0]", text: "t" },
      urlSpec(http.url("/files/data"), { origin: "extraAttachments[1]" }),
    ];
    const attachments = await prepareAttachments(specs, open, deadline, trustLoopback);
    expect(attachments.map((a) => a.filename)).toEqual(["report.pdf", "attachment.txt", "data"]);
  });

  it("fails with the first error, naming its origin", async () => {
    const specs: AttachmentSpec[] = [urlSpec(http.url("/files/report.pdf")), { type: "base64", origin: "extraAttachments[3]", base64: "@@@" }];
    const error = await rejectionOf(prepareAttachments(specs, open, deadline, trustLoopback));
    expect(error.message).toMatch(/^extraAttachments\[3\]: the Base64 content is invalid/);
  });
});

describe("one budget for all attachments of a mail", () => {
  const small: AttachmentLimits = { ...open, maxBytes: 10 * MB, maxTotalBytes: 12 * MB };
  const file = crypto.randomBytes(5 * MB);

  it.each([
    ["with Content-Length", false],
    ["streamed without Content-Length", true],
  ])("stops parallel downloads (%s) once together they pass the total", async (_kind, chunked) => {
    const paths = [1, 2, 3, 4].map((index) => `/budget/${String(chunked)}/${index}.bin`);
    for (const path of paths) http.serve(path, { body: file, chunked, paceMs: 2 });
    const specs = paths.map((path, index) => urlSpec(http.url(path), { origin: `extraAttachments[${index}]` }));
    const error = await rejectionOf(prepareAttachments(specs, small, deadline, trustLoopback));
    expect(error.code).toBe("attachment");
    expect(error.details.field).toBe("extraAttachments");
    expect(error.message).toMatch(/all attachments of this mail together would be larger than 12 MB/);
    const sent = paths.reduce((sum, path) => sum + (http.bytesSent.get(path) ?? 0), 0);
    expect(sent).toBeLessThan(4 * file.length);
  });

  it("counts attachments given in the config too, and lets a mail within the total through", async () => {
    const base64 = { type: "base64", origin: "extraAttachments[1]", base64: file.toString("base64") } as const;
    const error = await rejectionOf(prepareAttachments([base64, { ...base64, origin: "extraAttachments[2]" }, { ...base64, origin: "extraAttachments[3]" }], small, deadline));
    expect(error.message).toMatch(/^extraAttachments\[\d\]: all attachments of this mail together/);
    expect(await prepareAttachments([base64, { ...base64, origin: "extraAttachments[2]" }], small, deadline)).toHaveLength(2);
  });

  it("refuses a declared length above what is left before reading the body", async () => {
    http.serve("/budget/declared.bin", { body: Buffer.alloc(11 * MB) });
    const budget = new ByteBudget(10 * MB);
    const error = await rejectionOf(prepareAttachment(urlSpec(http.url("/budget/declared.bin")), { limits: { ...open, maxBytes: 20 * MB }, deadline, budget }, trustLoopback));
    expect(error.message).toMatch(/larger than 10 MB/);
    expect(budget.remaining).toBe(10 * MB);
  });
});

describe("memory reserved from a Content-Length", () => {
  it("is at most about 1 MB per download until the bytes arrive", async () => {
    // 20 servers claim 10 MB each, send 1 KB and stall: reserving the claimed length would hold 200 MB.
    const claimed = Buffer.alloc(10 * MB);
    const paths = Array.from({ length: 20 }, (_, index) => `/claims/${index}.bin`);
    for (const path of paths) http.serve(path, { body: claimed, stall: true });
    deadline.dispose();
    deadline = createDeadline(2000);
    const before = process.memoryUsage().arrayBuffers;
    let peak = 0;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().arrayBuffers - before)), 10);
    const specs = paths.map((path, index) => urlSpec(http.url(path), { origin: `extraAttachments[${index}]` }));
    const error = await rejectionOf(prepareAttachments(specs, { ...open, maxTotalBytes: 25 * MB }, deadline, trustLoopback));
    clearInterval(sampler);
    expect(error.code).toBe("timeout");
    expect(peak).toBeLessThan(60 * MB);
  });
});

