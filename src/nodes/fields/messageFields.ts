import type { INodeField } from "@cognigy/extension-tools/build/interfaces/descriptor";
import { t } from "../localize";

/** What every mail needs: recipients, subject and content. */
export const messageFields: INodeField[] = [
  {
    key: "to",
    type: "cognigyText",
    label: t("Recipient TO Email Addresses", "Empfänger (An)"),
    description: t(
      'Comma-separated addresses, optionally with names: jane@example.com, "Doe, John" <john@example.com>.',
      'Durch Komma getrennte Adressen, optional mit Namen: jane@example.com, "Doe, John" <john@example.com>.',
    ),
    params: { required: true },
  },
  {
    key: "subject",
    type: "cognigyText",
    label: t("Email Subject", "Betreff"),
    description: t("The subject line of the email.", "Die Betreffzeile der E-Mail."),
    params: { required: true },
  },
  {
    key: "content",
    type: "cognigyText",
    label: t("Email Content", "E-Mail-Inhalt"),
    description: t(
      "The body of the email as HTML. A plain-text version is generated from it unless you define one under Advanced.",
      "Der Text der E-Mail als HTML. Eine Nur-Text-Version wird daraus erzeugt, sofern Sie unter Erweitert keine eigene angeben.",
    ),
    params: { multiline: true, required: true },
  },
];

/** Optional message settings in the collapsed Advanced section. */
export const advancedMessageFields: INodeField[] = [
  {
    key: "from",
    type: "cognigyText",
    label: t("Custom From Email Address", "Eigene Absenderadresse"),
    description: t(
      "Shown as the sender. Leave empty to send as the authenticated user; many providers (Microsoft 365, Gmail) reject other addresses.",
      "Wird als Absender angezeigt. Leer lassen, um als angemeldeter Benutzer zu senden; viele Anbieter (Microsoft 365, Gmail) lehnen andere Adressen ab.",
    ),
  },
  {
    key: "cc",
    type: "cognigyText",
    label: t("CC Email Addresses", "CC-Empfänger"),
    description: t("Comma-separated addresses that receive a visible copy.", "Durch Komma getrennte Adressen, die eine sichtbare Kopie erhalten."),
  },
  {
    key: "bcc",
    type: "cognigyText",
    label: t("BCC Email Addresses", "BCC-Empfänger"),
    description: t(
      "Comma-separated addresses that receive a hidden copy; they never appear in the mail's headers.",
      "Durch Komma getrennte Adressen, die eine verdeckte Kopie erhalten; sie erscheinen nie in den Kopfzeilen.",
    ),
  },
  {
    key: "maxRecipients",
    type: "number",
    label: t("Maximum Recipients", "Maximale Empfängerzahl"),
    description: t(
      "To, CC and BCC together; more is an error and nothing is sent. Set 1 when To comes from what the user typed. Empty: no limit.",
      "To, CC und BCC zusammen; mehr ist ein Fehler, nichts wird gesendet. 1, wenn To aus Benutzereingaben stammt. Leer: keine Grenze.",
    ),
    // For nodes placed from now on; a node saved before the field existed has no value and keeps sending as it did.
    defaultValue: 50,
    params: { min: 1 },
  },
  {
    key: "replyTo",
    type: "cognigyText",
    label: t("Reply To Address", "Antwortadresse"),
    description: t("Where replies go when the recipient answers.", "Wohin Antworten gehen, wenn der Empfänger antwortet."),
  },
  {
    key: "text",
    type: "cognigyText",
    label: t("Custom Plain-Text Content", "Eigener Nur-Text-Inhalt"),
    description: t(
      "A plain-text version for clients that do not show HTML. Leave empty to generate it from the HTML content.",
      "Eine Nur-Text-Version für Programme ohne HTML-Anzeige. Leer lassen, um sie aus dem HTML-Inhalt zu erzeugen.",
    ),
    params: { multiline: true },
  },
  {
    key: "priority",
    type: "select",
    label: t("Email Priority", "Priorität"),
    description: t("High or low priority sets the X-Priority and Importance headers.", "Hohe oder niedrige Priorität setzt die Kopfzeilen X-Priority und Importance."),
    defaultValue: "normal",
    params: {
      options: [
        { label: t("High", "Hoch"), value: "high" },
        { label: t("Normal", "Normal"), value: "normal" },
        { label: t("Low", "Niedrig"), value: "low" },
      ],
    },
  },
  {
    key: "async",
    type: "toggle",
    label: t("Execute Request Asynchronously", "Asynchron ausführen"),
    description: t(
      "The flow continues at once and the mail is sent in the background; its outcome is only logged, not stored.",
      "Der Flow läuft sofort weiter und die E-Mail wird im Hintergrund gesendet; das Ergebnis wird nur protokolliert, nicht gespeichert.",
    ),
    defaultValue: false,
  },
];
