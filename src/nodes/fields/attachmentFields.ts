import type { INodeField } from "@cognigy/extension-tools/build/interfaces/descriptor";
import { t } from "../localize";

const shownFor = (...kinds: string[]) => ({ key: "attachmentType", value: kinds });

/** One attachment of the kind the user picks; more go in `extraAttachments`. */
export const attachmentFields: INodeField[] = [
  {
    key: "attachmentType",
    type: "select",
    label: t("Attachment", "Anhang"),
    description: t("Where the attachment comes from.", "Woher der Anhang kommt."),
    defaultValue: "none",
    params: {
      options: [
        { label: t("No Attachment", "Kein Anhang"), value: "none" },
        { label: t("From URL", "Von URL"), value: "url" },
        { label: t("From Text Content", "Aus Textinhalt"), value: "text" },
        { label: t("From Base64 String", "Aus Base64-Zeichenkette"), value: "base64" },
        { label: t("Custom Content Attachment", "Eigener Inhalt mit MIME-Typ"), value: "custom" },
        { label: t("From Pregenerated MIME Node", "Aus Build-MIME-Knoten"), value: "mime" },
      ],
    },
  },
  {
    key: "attachmentUrl",
    type: "cognigyText",
    label: t("Attachment URL", "Anhang-URL"),
    description: t(
      "A public http(s) URL or a data URL (data:application/pdf;base64,...) of the file to attach.",
      "Eine öffentliche http(s)-URL oder eine Data-URL (data:application/pdf;base64,...) der Datei.",
    ),
    condition: shownFor("url"),
    params: { required: true },
  },
  {
    key: "attachmentFileName",
    type: "cognigyText",
    label: t("Attachment File Name", "Dateiname des Anhangs"),
    description: t(
      "The file name the recipient sees, e.g. invoice.pdf. Leave empty to take it from the URL or use a default.",
      "Der Dateiname, den der Empfänger sieht, z. B. rechnung.pdf. Leer lassen, um ihn aus der URL zu nehmen oder einen Standard zu verwenden.",
    ),
    condition: shownFor("url", "text", "base64", "custom"),
  },
  {
    key: "attachmentText",
    type: "cognigyText",
    label: t("Attachment Content", "Inhalt des Anhangs"),
    description: t("The text to attach, sent as a UTF-8 file.", "Der anzuhängende Text, gesendet als UTF-8-Datei."),
    condition: shownFor("text", "custom"),
    params: { multiline: true, required: true },
  },
  {
    key: "attachmentBase64",
    type: "cognigyText",
    label: t("Base64 Content", "Base64-Inhalt"),
    description: t("The file's bytes encoded as Base64.", "Die Bytes der Datei, Base64-kodiert."),
    condition: shownFor("base64"),
    params: { multiline: true, required: true },
  },
  {
    key: "attachmentContentType",
    type: "cognigyText",
    label: t("Attachment MIME Type", "MIME-Typ des Anhangs"),
    description: t(
      "The MIME type as type/subtype, e.g. text/csv or application/json. Required for custom content; for Base64 it is guessed from the file name when empty.",
      "Der MIME-Typ als Typ/Untertyp, z. B. text/csv oder application/json. Pflicht bei eigenem Inhalt; bei Base64 wird er aus dem Dateinamen abgeleitet, wenn leer.",
    ),
    condition: shownFor("custom", "base64"),
  },
  {
    // A JSON field, because CognigyScript in a text field turns the stored object into "[object Object]".
    key: "attachmentMime",
    type: "json",
    label: t("Pregenerated MIME Part", "Vorbereiteter MIME-Teil"),
    description: t(
      'What a Build MIME node stored: enter "{{input.mimePart}}" with the quotes, so the object arrives intact, or "{{input.mimePart.raw}}" for its raw MIME text.',
      'Was ein Build-MIME-Knoten gespeichert hat: "{{input.mimePart}}" mit den Anführungszeichen eingeben, damit das Objekt ankommt, oder "{{input.mimePart.raw}}" für den rohen MIME-Text.',
    ),
    condition: shownFor("mime"),
    params: { required: true },
  },
];

/** Attachment options that belong in the Advanced section. */
export const advancedAttachmentFields: INodeField[] = [
  {
    key: "extraAttachments",
    type: "json",
    label: t("Additional Attachments (JSON)", "Weitere Anhänge (JSON)"),
    description: t(
      'A list of further attachments, each { "type": "url" | "text" | "base64" | "custom" | "mime", "url" | "text" | "base64" | "content" | "mime": ..., "fileName"?, "contentType"? }.',
      'Eine Liste weiterer Anhänge, jeweils { "type": "url" | "text" | "base64" | "custom" | "mime", "url" | "text" | "base64" | "content" | "mime": ..., "fileName"?, "contentType"? }.',
    ),
    defaultValue: [],
  },
  {
    key: "maxAttachmentSizeMb",
    type: "number",
    label: t("Maximum Attachment Size (MB)", "Maximale Anhangsgröße (MB)"),
    description: t(
      "A URL attachment larger than this is refused while it downloads; at most 25 MB, which is also the limit for all attachments of one mail together (at most 20 attachments). Cognigy's own limit is 10 MB.",
      "Größere URL-Anhänge werden beim Herunterladen abgelehnt; höchstens 25 MB, zugleich das Limit aller Anhänge einer Mail zusammen (höchstens 20 Anhänge). Cognigys eigenes Limit: 10 MB.",
    ),
    defaultValue: 10,
  },
  {
    key: "allowPrivateNetworkUrls",
    type: "toggle",
    label: t("Allow Attachment URLs in Private Networks", "Anhang-URLs in privaten Netzen erlauben"),
    description: t(
      "Off: only public internet addresses. On: also the private ranges 10/8, 172.16/12, 192.168/16, 100.64/10, fc00::/7; loopback, link-local and metadata addresses stay refused.",
      "Aus: nur öffentliche Adressen. An: auch die privaten Bereiche 10/8, 172.16/12, 192.168/16, 100.64/10, fc00::/7; Loopback-, Link-Local- und Metadaten-Adressen bleiben gesperrt.",
    ),
    defaultValue: false,
  },
];
