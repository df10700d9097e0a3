import type { INodeField, INodeSection } from "@cognigy/extension-tools/build/interfaces/descriptor";
import { t } from "../localize";

type StoreLocation = "none" | "input" | "context";

/** The storeLocation / inputKey / contextKey triple every node of this extension shares. */
export function storageFields(options: { locations: StoreLocation[]; defaultLocation: StoreLocation; defaultKey: string }): INodeField[] {
  const labels: Record<StoreLocation, ReturnType<typeof t>> = {
    none: t("Don't store", "Nicht speichern"),
    input: t("Input", "Input"),
    context: t("Context", "Context"),
  };
  return [
    {
      key: "storeLocation",
      type: "select",
      label: t("Where to store the result", "Wo das Ergebnis gespeichert wird"),
      description: t(
        "Store the result in the Input object (this turn only) or the Context object (kept for the session).",
        "Speichert das Ergebnis im Input-Objekt (nur dieser Durchlauf) oder im Context-Objekt (für die Sitzung).",
      ),
      defaultValue: options.defaultLocation,
      params: { options: options.locations.map((value) => ({ label: labels[value], value })) },
    },
    {
      key: "inputKey",
      type: "cognigyText",
      label: t("Input Key to store Result", "Input-Schlüssel für das Ergebnis"),
      description: t("The result is stored at input.<key>.", "Das Ergebnis wird unter input.<Schlüssel> gespeichert."),
      defaultValue: options.defaultKey,
      condition: { key: "storeLocation", value: "input" },
    },
    {
      key: "contextKey",
      type: "cognigyText",
      label: t("Context Key to store Result", "Context-Schlüssel für das Ergebnis"),
      description: t("The result is stored at context.<key>.", "Das Ergebnis wird unter context.<Schlüssel> gespeichert."),
      defaultValue: options.defaultKey,
      condition: { key: "storeLocation", value: "context" },
    },
  ];
}

export function storageSection(extraFields: string[] = []): INodeSection {
  return {
    key: "storage",
    label: t("Result Storage", "Ergebnisspeicherung"),
    defaultCollapsed: true,
    fields: ["storeLocation", "inputKey", "contextKey", ...extraFields],
  };
}
