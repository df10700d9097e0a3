import services from "nodemailer/lib/well-known/services.json";

/** The value of `emailService` that means "enter host, port and security by hand". */
export const CUSTOM_SERVICE = "custom";

interface WellKnownService {
  description?: string;
}

/** Every well-known service nodemailer ships, by its name, after "Other SMTP Service". */
export function emailServiceOptions(): Array<{ label: string; value: string }> {
  const table = services as Record<string, WellKnownService>;
  // One collator for the whole sort: localeCompare with a locale builds a new one per comparison (~8 ms at every start-up).
  const byName = new Intl.Collator("en", { sensitivity: "base" }).compare;
  const known = Object.keys(table)
    .sort(byName)
    .map((name) => {
      const description = table[name]?.description;
      return { label: description && description !== name ? `${name} (${description})` : name, value: name };
    });
  return [{ label: "Other SMTP Service", value: CUSTOM_SERVICE }, ...known];
}
