import services from "nodemailer/lib/well-known/services.json";

/** The value of `emailService` that means "enter host, port and security by hand". */
export const CUSTOM_SERVICE = "custom";

interface WellKnownService {
  description?: string;
}

/** Every well-known service nodemailer ships, by its name, after "Other SMTP Service". */
export function emailServiceOptions(): Array<{ label: string; value: string }> {
  const table = services as Record<string, WellKnownService>;
  const known = Object.keys(table)
    .sort((a, b) => a.localeCompare(b, "en", { sensitivity: "base" }))
    .map((name) => {
      const description = table[name]?.description;
      return { label: description && description !== name ? `${name} (${description})` : name, value: name };
    });
  return [{ label: "Other SMTP Service", value: CUSTOM_SERVICE }, ...known];
}
