import { createNodeDescriptor, type INodeFunctionBaseParams } from "@cognigy/extension-tools";
import { mimePartFields } from "./fields/mimePartFields";
import { storageFields, storageSection } from "./fields/storageFields";
import { t } from "./localize";

const optionalKeys = ["disposition", "contentId", "headers"];

export const buildMimeNode = createNodeDescriptor({
  type: "buildMime",
  defaultLabel: t("Build MIME", "MIME erstellen"),
  summary: t(
    "Builds a MIME part that a later Send SMTP Email node attaches",
    "Erstellt einen MIME-Teil, den ein späterer SMTP-E-Mail-Knoten anhängt",
  ),
  preview: { key: "fileName", type: "text" },
  tags: ["service", "email"],
  fields: [
    ...mimePartFields,
    ...storageFields({ locations: ["input", "context"], defaultLocation: "input", defaultKey: "mimePart" }),
  ],
  sections: [
    {
      key: "partOptions",
      label: t("Disposition and Headers", "Disposition und Kopfzeilen"),
      defaultCollapsed: true,
      fields: optionalKeys,
    },
    storageSection(),
  ],
  form: [
    ...mimePartFields.filter((field) => !optionalKeys.includes(field.key)).map((field) => ({ type: "field" as const, key: field.key })),
    { type: "section", key: "partOptions" },
    { type: "section", key: "storage" },
  ],
  appearance: { color: "#2D6CDF" },
  // The work is loaded on first execution: Cognigy loads every extension's descriptors at start-up.
  function: async ({ cognigy, config }: INodeFunctionBaseParams) => {
    const { runBuildMime } = await import("../execution/runBuildMime");
    await runBuildMime(cognigy.api, config);
  },
});
