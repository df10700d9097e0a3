import type ICALModule from "ical.js";

export const CALENDAR_METHODS = ["REQUEST", "PUBLISH", "CANCEL"] as const;
export type CalendarMethod = (typeof CALENDAR_METHODS)[number];

/** An iCalendar object ready to send, its METHOD property matching `method`. */
export interface CalendarInvite {
  method: CalendarMethod;
  /** The VCALENDAR text with CRLF line ends, as RFC 5545 requires. */
  content: string;
}

type Report = (field: "calendarEvent" | "calendarMethod", message: string) => void;

export const MAX_CALENDAR_BYTES = 256 * 1024;
const LABEL = "Calendar Invite (calendarEvent)";
const EXAMPLE = "BEGIN:VCALENDAR, VERSION:2.0, PRODID, then BEGIN:VEVENT with UID, DTSTART, DTEND, SUMMARY, ORGANIZER, END:VEVENT, END:VCALENDAR";

/** jCal (RFC 7265): [name, properties, subcomponents], each property [name, parameters, type, ...values]. */
type JCalComponent = [string, Array<[string, unknown, string, ...unknown[]]>, JCalComponent[]];

/**
 * Checks that the text is one VCALENDAR with at least one VEVENT, each with the UID that clients
 * match replies and updates by, and gives it the METHOD property: Outlook shows Accept and Decline
 * only when the calendar's METHOD matches the method of its text/calendar part.
 */
export function calendarInvite(text: string | undefined, method: CalendarMethod, report: Report): CalendarInvite | undefined {
  if (text === undefined) return undefined;
  const bytes = Buffer.byteLength(text);
  if (bytes > MAX_CALENDAR_BYTES) {
    report("calendarEvent", `${LABEL} is ${Math.ceil(bytes / 1024)} KB, more than the ${MAX_CALENDAR_BYTES / 1024} KB an invitation may have: send fewer events at once.`);
    return undefined;
  }
  const content = `${text.trim().replace(/\r\n|\r|\n/g, "\r\n")}\r\n`;
  const calendar = parse(content, report);
  if (calendar === undefined) return undefined;

  const events = calendar[2].filter((component) => component[0] === "vevent");
  if (events.length === 0) {
    report("calendarEvent", `${LABEL} has no event: add a BEGIN:VEVENT … END:VEVENT block inside the VCALENDAR.`);
    return undefined;
  }
  if (events.some((event) => !event[1].some((property) => property[0] === "uid"))) {
    report("calendarEvent", `${LABEL} has an event without a UID: give each VEVENT a UID line, e.g. UID:meeting-4711@example.com, so replies and updates find it.`);
    return undefined;
  }

  const methodProperty = calendar[1].find((property) => property[0] === "method");
  if (methodProperty === undefined) return { method, content: content.replace(/^BEGIN:VCALENDAR\r\n/i, `BEGIN:VCALENDAR\r\nMETHOD:${method}\r\n`) };
  const written = String(methodProperty[3]).trim().toUpperCase();
  if (!(CALENDAR_METHODS as readonly string[]).includes(written)) {
    report("calendarEvent", `${LABEL} has METHOD:${written.slice(0, 20)}; only ${CALENDAR_METHODS.join(", ")} can be sent: change or remove the METHOD line.`);
    return undefined;
  }
  if (written !== method) {
    report("calendarMethod", `Calendar Method (calendarMethod) is ${method}, but ${LABEL} says METHOD:${written}: choose ${written}, or remove the METHOD line from the text.`);
    return undefined;
  }
  return { method, content };
}

let icalModule: typeof ICALModule | undefined;

/** ical.js loads on first use: only sends with an invitation need it, and every cold send would pay for it. */
function ical(): typeof ICALModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, synchronously, inside config validation
  icalModule ??= require("ical.js") as typeof ICALModule;
  return icalModule;
}

function parse(content: string, report: Report): JCalComponent | undefined {
  let parsed: unknown;
  try {
    parsed = ical().parse(content);
  } catch (error) {
    const reason = error instanceof Error ? error.message.replace(/\s+/g, " ").slice(0, 120) : "unreadable";
    report("calendarEvent", `${LABEL} is not valid iCalendar text (${reason}). Expected: ${EXAMPLE}.`);
    return undefined;
  }
  const components = parsed as JCalComponent | JCalComponent[];
  // Several top-level objects come back as a list of components.
  if (Array.isArray(components[0])) {
    report("calendarEvent", `${LABEL} holds ${components.length} calendars; send one VCALENDAR with all its events inside.`);
    return undefined;
  }
  const calendar = components as JCalComponent;
  if (calendar[0] !== "vcalendar" || !/^BEGIN:VCALENDAR\r\n/i.test(content)) {
    report("calendarEvent", `${LABEL} must start with BEGIN:VCALENDAR and end with END:VCALENDAR. Expected: ${EXAMPLE}.`);
    return undefined;
  }
  return calendar;
}
