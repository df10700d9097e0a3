import type { INodeField } from "@cognigy/extension-tools/build/interfaces/descriptor";
import { t } from "../localize";

/** What a user needs to describe one MIME part for Build MIME. */
export const mimePartFields: INodeField[] = [
  {
    key: "contentType",
    type: "cognigyText",
    label: t("Content Type", "Inhaltstyp"),
    description: t(
      "The part's MIME type as type/subtype, e.g. text/calendar or application/pdf. Leave empty to guess it from the file name.",
      "Der MIME-Typ des Teils als Typ/Untertyp, z. B. text/calendar oder application/pdf. Leer lassen, um ihn aus dem Dateinamen abzuleiten.",
    ),
    defaultValue: "text/plain",
  },
  {
    key: "fileName",
    type: "cognigyText",
    label: t("File Name", "Dateiname"),
    description: t("The file name the recipient sees, e.g. invite.ics.", "Der Dateiname, den der Empfänger sieht, z. B. einladung.ics."),
  },
  {
    key: "contentSource",
    type: "select",
    label: t("Content Format", "Format des Inhalts"),
    description: t("Whether you enter the content as text or as Base64-encoded bytes.", "Ob Sie den Inhalt als Text oder als Base64-kodierte Bytes eingeben."),
    defaultValue: "text",
    params: {
      options: [
        { label: t("Text", "Text"), value: "text" },
        { label: t("Base64", "Base64"), value: "base64" },
      ],
    },
  },
  {
    key: "contentText",
    type: "cognigyText",
    label: t("Content", "Inhalt"),
    description: t("The part's content as text; it is encoded as UTF-8.", "Der Inhalt des Teils als Text; er wird als UTF-8 kodiert."),
    condition: { key: "contentSource", value: "text" },
    params: { multiline: true },
  },
  {
    key: "contentBase64",
    type: "cognigyText",
    label: t("Base64 Content", "Base64-Inhalt"),
    description: t("The part's bytes encoded as Base64.", "Die Bytes des Teils, Base64-kodiert."),
    condition: { key: "contentSource", value: "base64" },
    params: { multiline: true },
  },
  {
    key: "disposition",
    type: "select",
    label: t("Content Disposition", "Content-Disposition"),
    description: t(
      "Attachment shows the part as a file; inline lets the HTML content show it, referenced by its content ID.",
      "Anhang zeigt den Teil als Datei; inline lässt den HTML-Inhalt ihn über seine Content-ID anzeigen.",
    ),
    defaultValue: "attachment",
    params: {
      options: [
        { label: t("Attachment", "Anhang"), value: "attachment" },
        { label: t("Inline", "Inline"), value: "inline" },
      ],
    },
  },
  {
    key: "contentId",
    type: "cognigyText",
    label: t("Content ID", "Content-ID"),
    description: t(
      'An ID the HTML content can reference as <img src="cid:ID">. Leave empty when nothing references the part.',
      'Eine ID, auf die der HTML-Inhalt mit <img src="cid:ID"> verweisen kann. Leer lassen, wenn nichts darauf verweist.',
    ),
  },
  {
    key: "headers",
    type: "json",
    label: t("Extra Headers", "Weitere Kopfzeilen"),
    description: t(
      'Additional headers of the part as a JSON object, e.g. { "Content-Language": "de" }.',
      'Weitere Kopfzeilen des Teils als JSON-Objekt, z. B. { "Content-Language": "de" }.',
    ),
    defaultValue: {},
  },
];
