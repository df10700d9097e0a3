import type { MessageConfig } from "../../src/config/sendSmtpEmailConfig";
import { parseAddressList, parseSingleAddress, type AddressField } from "../../src/message/addressList";
import { emailAddressProblem } from "../../src/message/emailAddress";
import { resolveRecipients } from "../../src/message/recipients";
import { requiresSmtpUtf8 } from "../../src/message/smtpUtf8";
import { errorOf } from "../support/smtpEmailErrors";


const message = (overrides: Partial<MessageConfig> = {}): MessageConfig => ({
  to: "jane@example.com",
  subject: "Hello",
  html: "<p>Hi</p>",
  priority: "normal",
  ...overrides,
});

describe("parseAddressList", () => {
  it("reads comma-separated text with display names, quotes and commas inside quotes", () => {
    expect(parseAddressList('"Doe, Jane" <jane@example.com>, bob@example.org ,  Ann Lee <ann@example.net>', "to")).toEqual([
      { name: "Doe, Jane", address: "jane@example.com" },
      { name: "", address: "bob@example.org" },
      { name: "Ann Lee", address: "ann@example.net" },
    ]);
  });

  it("reads arrays of texts and { name, address } objects from CognigyScript, nested one level", () => {
    expect(
      parseAddressList(["a@example.com, b@example.com", { name: "Zoë", address: "zoe@example.com" }, [{ address: "c@example.com" }], "", null], "cc"),
    ).toEqual([
      { name: "", address: "a@example.com" },
      { name: "", address: "b@example.com" },
      { name: "Zoë", address: "zoe@example.com" },
      { name: "", address: "c@example.com" },
    ]);
  });

  it("keeps a quoted display name that contains an @", () => {
    expect(parseAddressList('"support@acme" <help@acme.example>', "to")).toEqual([{ name: "support@acme", address: "help@acme.example" }]);
  });

  it("flattens address groups and skips empty entries", () => {
    expect(parseAddressList("Team: a@example.com, b@example.com;, , ", "to").map((m) => m.address)).toEqual(["a@example.com", "b@example.com"]);
  });

  it("accepts internationalized domains and local parts", () => {
    expect(parseAddressList("Jörg <joerg@bücher.de>, 用户@例子.广告", "to").map((m) => m.address)).toEqual(["joerg@bücher.de", "用户@例子.广告"]);
  });

  it.each<[AddressField, string, string]>([
    ["cc", "bob@", 'CC Email Addresses (cc): "bob@" is not a valid email address'],
    ["to", "jane", 'Recipient TO Email Addresses (to): "jane" is not a valid email address'],
    ["bcc", "a@example.com, x@localhost", 'BCC Email Addresses (bcc): "x@localhost" is not a valid email address'],
    ["replyTo", "Reply <a@b@example.com>", "Reply To Address (replyTo)"],
    ["to", "jane@example.com bob@example.com", "looks like two addresses without a comma"],
    ["cc", "a@example.com, <b@example.com> <c@example.com>", "looks like two addresses without a comma"],
    ["to", "a@exa_mple.com", '"a@exa_mple.com" is not a valid email address'],
    ["to", "a@-example.com", '"a@-example.com" is not a valid email address'],
    ["to", "a@example.c", "top-level domain"],
    ["to", "a@1.2.3.4", "top-level domain"],
    ["to", "a..b@example.com", "is not a valid email address"],
    ["to", `${"x".repeat(65)}@example.com`, "longer than 64 bytes"],
    ["to", "a@[127.0.0.1]", "is not a valid email address"],
  ])("%s %j is refused with an address error naming the field", (field, input, expected) => {
    const error = errorOf(() => parseAddressList(input, field));
    expect(error.code).toBe("address");
    expect(error.details.field).toBe(field);
    expect(error.message).toContain(expected);
    expect(error.hint).toMatch(/jane@example\.com/);
  });

  it("refuses line breaks in address text and in object names and addresses", () => {
    for (const input of ["a@example.com\r\nBcc: evil@example.com", ["ok@example.com\nX-Evil: 1"], [{ name: "Jane\r\nBcc: evil@example.com", address: "jane@example.com" }], [{ address: "jane@example.com\r\n" }]]) {
      const error = errorOf(() => parseAddressList(input, "to"));
      expect(error.code).toBe("address");
      expect(error.message).toMatch(/line break/);
    }
  });

  it("refuses array entries that are neither text nor address objects", () => {
    expect(errorOf(() => parseAddressList([42], "cc")).message).toMatch(/CC Email Addresses \(cc\): contains 42/);
    expect(errorOf(() => parseAddressList([{ email: "x@example.com" }], "cc")).message).toMatch(/needs a text "address"/);
    expect(errorOf(() => parseAddressList([[[["a@example.com"]]]], "cc")).message).toMatch(/nested too deeply/);
  });

  it("takes exactly one address for single-address fields", () => {
    expect(parseSingleAddress('"Bot" <bot@example.com>', "from")).toEqual({ name: "Bot", address: "bot@example.com" });
    expect(parseSingleAddress(undefined, "from")).toBeUndefined();
    const error = errorOf(() => parseSingleAddress("a@example.com, b@example.com", "replyTo"));
    expect(error.code).toBe("address");
    expect(error.message).toMatch(/^Reply To Address \(replyTo\): takes a single address, but 2 were given/);
  });
});

describe("emailAddressProblem", () => {
  it.each(["jane@example.com", "first.last+tag@sub.example.co.uk", "o'brien@example.ie", "x@xn--bcher-kva.de", "ü@bücher.de"])("accepts %s", (address) => {
    expect(emailAddressProblem(address)).toBeUndefined();
  });
  it.each(["", "@example.com", "jane@", "jane@example", "jane@.example.com", "jane@example..com", ".jane@example.com", "jane.@example.com", "ja ne@example.com"])(
    "refuses %j",
    (address) => expect(emailAddressProblem(address)).toEqual(expect.any(String)),
  );
});

describe("resolveRecipients", () => {
  it("uses the Custom From address when given, else the authenticated user", () => {
    expect(resolveRecipients(message({ from: "Bot <bot@example.com>" }), "login@example.com").from).toEqual({ name: "Bot", address: "bot@example.com" });
    expect(resolveRecipients(message(), " login@example.com ").from).toEqual({ name: "", address: "login@example.com" });
  });

  it("explains a missing sender as a configuration error on the from field", () => {
    for (const login of [undefined, "", "just-a-username"]) {
      const error = errorOf(() => resolveRecipients(message(), login));
      expect(error.code).toBe("configuration");
      expect(error.details.field).toBe("from");
      expect(error.message).toMatch(/Custom From Email Address \(from\) is empty/);
    }
  });

  it("needs at least one TO address", () => {
    for (const to of ["", " , ", []]) {
      const error = errorOf(() => resolveRecipients(message({ to }), "bot@example.com"));
      expect(error.code).toBe("address");
      expect(error.details.field).toBe("to");
      expect(error.message).toMatch(/^Recipient TO Email Addresses \(to\): contains no email address/);
    }
  });

  it("validates cc, bcc and replyTo and names the field at fault", () => {
    expect(errorOf(() => resolveRecipients(message({ cc: "ok@example.com, bob@" }), "bot@example.com")).details.field).toBe("cc");
    expect(errorOf(() => resolveRecipients(message({ bcc: ["nope"] }), "bot@example.com")).details.field).toBe("bcc");
    expect(errorOf(() => resolveRecipients(message({ replyTo: "x@" }), "bot@example.com")).details.field).toBe("replyTo");
    expect(errorOf(() => resolveRecipients(message({ from: "a@example.com, b@example.com" }), "bot@example.com")).details.field).toBe("from");
  });
});

describe("requiresSmtpUtf8", () => {
  it("is true only when an envelope mailbox has a non-ASCII local part", () => {
    expect(requiresSmtpUtf8({ from: "bot@example.com", to: [{ name: "Jörg", address: "joerg@bücher.de" }] })).toBe(false);
    expect(requiresSmtpUtf8({ from: "bot@example.com", to: "jörg@example.com" })).toBe(true);
    expect(requiresSmtpUtf8({ from: { name: "", address: "bot@example.com" }, to: "a@example.com", bcc: ["x@example.com", { name: "", address: "用户@例子.广告" }] })).toBe(true);
    expect(requiresSmtpUtf8({ from: "bot@example.com", to: "a@example.com", replyTo: "jörg@example.com" })).toBe(false);
  });

  it("reads an explicit envelope instead of the headers", () => {
    expect(requiresSmtpUtf8({ from: "jörg@example.com", to: "a@example.com", envelope: { from: "bounce@example.com", to: ["a@example.com"] } })).toBe(false);
    expect(requiresSmtpUtf8({ from: "bot@example.com", to: "a@example.com", envelope: { from: "bounce@example.com", to: ["ä@example.com"] } })).toBe(true);
  });
});
