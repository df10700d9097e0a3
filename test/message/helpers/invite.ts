/** A meeting invitation as a designer would paste it: one VEVENT with UID, organizer and attendee, no METHOD line. */
export const INVITE = [
  "BEGIN:VCALENDAR",
  "VERSION:2.0",
  "PRODID:-//Example//Support Bot//EN",
  "BEGIN:VEVENT",
  "UID:call-4711@example.com",
  "DTSTAMP:20261120T090000Z",
  "DTSTART:20261201T100000Z",
  "DTEND:20261201T103000Z",
  "SUMMARY:Follow-up call about ticket 4711 – Zürich",
  "ORGANIZER;CN=Support:mailto:support@example.com",
  "ATTENDEE;CN=Jane;RSVP=TRUE:mailto:jane@example.com",
  "END:VEVENT",
  "END:VCALENDAR",
].join("\r\n");
