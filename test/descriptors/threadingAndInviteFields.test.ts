import type { INodeField } from "@cognigy/extension-tools/build/interfaces/descriptor";
import extension from "../../src/module";

const sendNode = extension.nodes.find((node) => node.type === "sendSmtpEmail");
const NEW_KEYS = ["inReplyTo", "references", "customHeaders", "calendarEvent", "calendarMethod"];
const fields = (sendNode?.fields ?? []).filter((field: INodeField) => NEW_KEYS.includes(field.key));

describe("threading, custom header and calendar fields of Send SMTP Email", () => {
  it("are public config keys in the Advanced section", () => {
    expect(fields.map((field) => field.key)).toEqual(NEW_KEYS);
    const advanced = sendNode?.sections?.find((section) => section.key === "advanced");
    expect(advanced?.fields).toEqual(expect.arrayContaining(NEW_KEYS));
  });

  it("keep labels and descriptions within Cognigy's 200 characters in every locale", () => {
    const tooLong = fields.flatMap((field) =>
      [field.label, field.description].flatMap((text) =>
        Object.entries(text ?? {})
          .filter(([, value]) => String(value).length > 200)
          .map(([locale, value]) => `${field.key} ${locale}: ${String(value).length}`),
      ),
    );
    expect(tooLong).toEqual([]);
  });

  it("offer REQUEST, PUBLISH and CANCEL with REQUEST as default", () => {
    const method = fields.find((field) => field.key === "calendarMethod");
    expect(method?.defaultValue).toBe("REQUEST");
    expect((method?.params as { options: Array<{ value: string }> }).options.map((option) => option.value)).toEqual(["REQUEST", "PUBLISH", "CANCEL"]);
    expect(fields.find((field) => field.key === "customHeaders")?.type).toBe("json");
  });
});
