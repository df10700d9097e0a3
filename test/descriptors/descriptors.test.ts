import type { INodeDescriptor } from "@cognigy/extension-tools";
import type { INodeField } from "@cognigy/extension-tools/build/interfaces/descriptor";
import extension from "../../src/module";
import { validateDescriptor } from "./validateDescriptor";

const copy = (descriptor: INodeDescriptor): INodeDescriptor => ({
  ...descriptor,
  fields: (descriptor.fields ?? []).map((field) => ({ ...field })),
  sections: (descriptor.sections ?? []).map((section) => ({ ...section, fields: [...section.fields] })),
  form: [...(descriptor.form ?? [])],
});
const node = (type: string) => {
  const found = extension.nodes.find((candidate) => candidate.type === type);
  if (!found) throw new Error(`no node ${type}`);
  return copy(found);
};
const field = (descriptor: INodeDescriptor, key: string): INodeField => {
  const found = descriptor.fields?.find((candidate) => candidate.key === key);
  if (!found) throw new Error(`no field ${key}`);
  return found;
};
const validate = (descriptor: INodeDescriptor) => validateDescriptor(descriptor, extension.connections);

describe("node descriptors", () => {
  it.each(extension.nodes.map((descriptor) => [descriptor.type, descriptor] as const))("%s is complete and consistent", (_type, descriptor) => {
    expect(validate(descriptor)).toEqual([]);
  });

  it("keeps the public config keys of Send SMTP Email", () => {
    const keys = (node("sendSmtpEmail").fields ?? []).map((candidate) => candidate.key);
    expect(keys).toEqual(
      expect.arrayContaining([
        "emailService", "host", "port", "security", "authMethod", "basicConnection", "oauth2Connection", "clientCredentialsConnection",
        "to", "subject", "content", "attachmentType", "attachmentUrl", "attachmentFileName", "attachmentText", "attachmentBase64",
        "attachmentContentType", "attachmentMime", "storeLocation", "inputKey", "contextKey", "stopOnError",
        "from", "cc", "bcc", "replyTo", "text", "priority", "async",
        "caCertificate", "allowInvalidCertificates", "clientName", "timeoutSeconds", "extraAttachments", "allowPrivateNetworkUrls",
        "delivery", "graphEndpoint", "maxRecipients",
      ]),
    );
  });

  it("limits the recipients of a node placed from now on to 50, under Advanced; the config has no default (older nodes keep sending)", () => {
    const send = node("sendSmtpEmail");
    expect(field(send, "maxRecipients")).toMatchObject({ type: "number", defaultValue: 50 });
    expect(send.sections?.find((section) => section.key === "advanced")?.fields).toContain("maxRecipients");
  });

  it("offers Delivery on Send SMTP Email and Test SMTP Connection, SMTP by default, and hides the SMTP-only fields with Graph", () => {
    for (const type of ["sendSmtpEmail", "verifySmtpConnection"]) {
      const descriptor = node(type);
      expect(field(descriptor, "delivery")).toMatchObject({ defaultValue: "smtp" });
      for (const key of ["emailService", "caCertificate", "allowInvalidCertificates", "clientName"]) {
        expect(field(descriptor, key).condition).toEqual(expect.objectContaining({ key: "delivery", value: "graph", negate: true }));
      }
      expect(field(descriptor, "graphEndpoint").condition).toEqual({ key: "delivery", value: "graph" });
    }
  });

  it("offers every well-known nodemailer service plus Other SMTP Service", () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const services = Object.keys(require("nodemailer/lib/well-known/services.json") as object);
    const offered = ((field(node("sendSmtpEmail"), "emailService").params as { options: Array<{ value: string }> }).options).map((option) => option.value);
    expect(offered.sort()).toEqual([...services, "custom"].sort());
  });

  it("puts storage last and keeps optional settings collapsed", () => {
    for (const descriptor of extension.nodes) {
      const form = descriptor.form ?? [];
      expect(form[form.length - 1]).toEqual({ type: "section", key: "storage" });
      for (const section of descriptor.sections ?? []) {
        if (!["emailService", "authentication"].includes(section.key)) expect(section.defaultCollapsed).toBe(true);
      }
    }
  });

  it("labels everything in English and German", () => {
    for (const descriptor of extension.nodes) {
      for (const candidate of descriptor.fields ?? []) {
        expect(candidate.label).toEqual(expect.objectContaining({ default: expect.any(String), deDE: expect.any(String) }));
      }
    }
  });

  describe("the validator catches", () => {
    it("a field removed from its section", () => {
      const descriptor = node("sendSmtpEmail");
      const advanced = descriptor.sections!.find((section) => section.key === "advanced")!;
      advanced.fields = advanced.fields.filter((key) => key !== "bcc");
      expect(validate(descriptor)).toContain('field "bcc" sits in no place');
    });

    it("a field placed twice", () => {
      const descriptor = node("sendSmtpEmail");
      descriptor.form!.push({ type: "field", key: "cc" });
      expect(validate(descriptor)).toContain('field "cc" sits in 2 places');
    });

    it("a form or section naming a missing field", () => {
      const descriptor = node("sendSmtpEmail");
      descriptor.fields = descriptor.fields!.filter((candidate) => candidate.key !== "subject" && candidate.key !== "replyTo");
      const problems = validate(descriptor);
      expect(problems).toContain('form names missing field "subject"');
      expect(problems).toContain('section "advanced" names missing field "replyTo"');
    });

    it("a condition naming a missing field or a value its select does not offer", () => {
      const descriptor = node("sendSmtpEmail");
      field(descriptor, "host").condition = { key: "nope", value: "x" };
      field(descriptor, "port").condition = { key: "emailService", value: "NoSuchService" };
      const problems = validate(descriptor);
      expect(problems).toContain('field "host": condition names missing field "nope"');
      expect(problems).toContain('field "port": condition value "NoSuchService" is not offered by select "emailService"');
    });

    it("a connection field naming no connection schema", () => {
      const descriptor = node("sendSmtpEmail");
      field(descriptor, "basicConnection").params = { connectionType: "smtp-nothing" };
      expect(validate(descriptor)).toContain('field "basicConnection": connectionType "smtp-nothing" names no connection schema');
    });

    it("two fields sharing a key", () => {
      const descriptor = node("buildMime");
      descriptor.fields!.push({ ...field(descriptor, "fileName") });
      expect(validate(descriptor)).toContain('two fields share the key "fileName"');
    });
  });
});
