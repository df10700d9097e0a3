import type { INodeFieldTranslations } from "@cognigy/extension-tools/build/interfaces/descriptor";

/** A label or description in English with its German translation, as Cognigy's flow editor expects. */
export function t(english: string, german: string): INodeFieldTranslations {
  return { default: english, enUS: english, deDE: german };
}
