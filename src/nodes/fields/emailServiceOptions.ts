import { wellKnownServiceTable } from "../../config/wellKnownServices";
import { CUSTOM_SERVICE } from "../../config/emailService";

/**
 * Case-insensitive order of the (ASCII) service names. Not localeCompare: with a locale it builds an
 * ICU collator per comparison, and even one collator costs ~20 ms to set up in every fresh process.
 */
function byName(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  return x < y ? -1 : x > y ? 1 : 0;
}

let options: Array<{ label: string; value: string }> | undefined;

/**
 * Every well-known service nodemailer ships, by its name, after "Other SMTP Service". Built when first
 * read (the descriptor reads it through a getter): a process that only runs a send never needs the list.
 */
export function emailServiceOptions(): Array<{ label: string; value: string }> {
  if (options) return options;
  const table = wellKnownServiceTable();
  const known = Object.keys(table)
    .sort(byName)
    .map((name) => {
      const description = table[name]?.description;
      return { label: description && description !== name ? `${name} (${description})` : name, value: name };
    });
  options = [{ label: "Other SMTP Service", value: CUSTOM_SERVICE }, ...known];
  return options;
}
