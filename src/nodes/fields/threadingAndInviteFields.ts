import type { INodeField } from "@cognigy/extension-tools/build/interfaces/descriptor";
import { t } from "../localize";

/** Reply threading, the designer's own headers and calendar invitations, in the Advanced section. */
export const threadingAndInviteFields: INodeField[] = [
  {
    key: "inReplyTo",
    type: "cognigyText",
    label: t("In Reply To", "Antwort auf (In-Reply-To)"),
    description: t(
      "The Message-ID of the mail this one answers, e.g. <abc@mail.example.com> or {{input.smtpResult.messageId}}. Mail clients then show the reply in that conversation.",
      "Die Message-ID der beantworteten E-Mail, z. B. <abc@mail.example.com> oder {{input.smtpResult.messageId}}. E-Mail-Programme zeigen die Antwort dann in dieser Unterhaltung.",
    ),
  },
  {
    key: "references",
    type: "cognigyText",
    label: t("References", "Referenzen (References)"),
    description: t(
      "Message-IDs of the conversation, oldest first, separated by spaces or commas, or a list. Empty: the In Reply To id. The In Reply To id is added last if missing.",
      "Message-IDs der Unterhaltung, älteste zuerst, durch Leerzeichen oder Komma getrennt, oder eine Liste. Leer: die ID aus Antwort auf; fehlt sie, wird sie angehängt.",
    ),
  },
  {
    key: "messageId",
    type: "cognigyText",
    label: t("Message-ID", "Message-ID"),
    description: t(
      "Empty: a new one. To resend a mail whose outcome was unknown, give the first attempt's, {{input.smtpResult.messageId}}, so receivers can drop a second copy.",
      "Leer: eine neue. Um eine E-Mail mit unbekanntem Ausgang erneut zu senden, die des ersten Versuchs angeben, {{input.smtpResult.messageId}}.",
    ),
  },
  {
    key: "customHeaders",
    type: "json",
    label: t("Custom Headers (JSON)", "Eigene Kopfzeilen (JSON)"),
    description: t(
      'Extra headers, e.g. { "X-Ticket-Id": "4711" }; a list repeats a header. Single-line values, at most 8 KB in all. Headers the node sets (From, Subject, …) are refused.',
      'Weitere Kopfzeilen, z. B. { "X-Ticket-Id": "4711" }; eine Liste wiederholt sie. Einzeilige Werte, höchstens 8 KB. Kopfzeilen des Knotens (From, Subject, …) werden abgelehnt.',
    ),
    defaultValue: {},
  },
  {
    key: "calendarEvent",
    type: "cognigyText",
    label: t("Calendar Invite (iCalendar)", "Kalendereinladung (iCalendar)"),
    description: t(
      "iCalendar text, BEGIN:VCALENDAR … END:VCALENDAR with at least one VEVENT. Sent so Outlook and Gmail show it as an invitation, plus an invite.ics attachment.",
      "iCalendar-Text, BEGIN:VCALENDAR … END:VCALENDAR mit mindestens einem VEVENT. Wird so gesendet, dass Outlook und Gmail eine Einladung zeigen, dazu als Anhang invite.ics.",
    ),
    defaultValue: "",
    params: { multiline: true },
  },
  {
    key: "calendarMethod",
    type: "select",
    label: t("Calendar Method", "Kalendermethode"),
    description: t(
      "REQUEST invites attendees, PUBLISH shares an event without replies, CANCEL cancels an invitation (same UID). Must match a METHOD line in the text, if it has one.",
      "REQUEST lädt Teilnehmer ein, PUBLISH teilt einen Termin ohne Antwort, CANCEL sagt eine Einladung ab (gleiche UID). Muss zur METHOD-Zeile im Text passen, falls vorhanden.",
    ),
    defaultValue: "REQUEST",
    params: {
      options: [
        { label: t("Request (invitation)", "Request (Einladung)"), value: "REQUEST" },
        { label: t("Publish (no replies)", "Publish (ohne Antwort)"), value: "PUBLISH" },
        { label: t("Cancel", "Cancel (Absage)"), value: "CANCEL" },
      ],
    },
    condition: { key: "calendarEvent", value: "", negate: true },
  },
];
