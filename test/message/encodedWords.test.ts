import { decodeEncodedWords } from "../../src/message/encodedWords";
import { sanitizeFileName } from "../../src/message/headerSafety";

describe("decodeEncodedWords", () => {
  it("decodes Q and B words in any charset TextDecoder knows", () => {
    expect(decodeEncodedWords("=?utf-8?Q?..=2F..=2F.bashrc?=")).toBe("../../.bashrc");
    expect(decodeEncodedWords("=?UTF-8?B?Li4vLi4vLmJhc2hyYw==?=")).toBe("../../.bashrc");
    expect(decodeEncodedWords("=?iso-8859-1?q?caf=E9_au_lait.txt?=")).toBe("café au lait.txt");
    expect(decodeEncodedWords("=?utf-8*de?Q?a=0D=0Ab?=")).toBe("a\r\nb");
  });

  it("joins adjacent words, also a character split across two, and keeps other text", () => {
    expect(decodeEncodedWords("=?utf-8?Q?a?= =?utf-8?Q?b?=")).toBe("ab");
    expect(decodeEncodedWords("=?utf-8?Q?=C3?= =?utf-8?Q?=A9?=")).toBe("é");
    expect(decodeEncodedWords("x =?utf-8?Q?y?= z")).toBe("x y z");
  });

  it("leaves words in unknown charsets and text without words alone", () => {
    expect(decodeEncodedWords("=?x-made-up?Q?a?=")).toBe("=?x-made-up?Q?a?=");
    expect(decodeEncodedWords("report.pdf")).toBe("report.pdf");
  });
});

describe("sanitizeFileName with encoded words", () => {
  it.each<[string, string | undefined]>([
    ["=?utf-8?Q?..=2F..=2F.bashrc?=", "_._.bashrc"],
    ["=?utf-8?B?Li4vLi4vLmJhc2hyYw==?=", "_._.bashrc"],
    ["=?utf-8?Q?a=0D=0AX-Evil:_1.txt?=", "a X-Evil: 1.txt"],
    ["=?utf-8?Q?..?=", undefined],
    ["=?utf-8?Q?=2E=2E=5Cwin=5Cini.txt?=", "_win_ini.txt"],
    ["=?utf-8?Q?invoice=E2=80=AEfdp.exe?=", "invoice fdp.exe"],
    // An encoded word inside the decoded text is not decoded again by anyone: its "?" are gone.
    ["=?utf-8?Q?=3D=3Futf-8=3FQ=3F=2E=2E=2F=3F=3D?=", "=_utf-8_Q_.__="],
    ["=?x-made-up?Q?a?=", "=_x-made-up_Q_a_="],
  ])("%j becomes %j", (name, expected) => {
    expect(sanitizeFileName(name)).toBe(expected);
  });

  it("never leaves a path, a leading dot, a control character or an encoded word", () => {
    for (const name of [".bashrc", "...", "a/../b", " ..\\..\\x ", "x\u0000y", "=?utf-8?Q?=00?="]) {
      const cleaned = sanitizeFileName(name);
      if (cleaned === undefined) continue;
      expect(cleaned).not.toMatch(/[/\\?\u0000-\u001f]|\.\.|^\./);
    }
  });
});
