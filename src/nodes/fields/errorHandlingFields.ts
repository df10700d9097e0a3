import type { INodeField } from "@cognigy/extension-tools/build/interfaces/descriptor";
import { t } from "../localize";

export const stopOnErrorField: INodeField = {
  key: "stopOnError",
  type: "toggle",
  label: t("Stop on Error", "Bei Fehler anhalten"),
  description: t(
    "Halt the flow when the node fails. When off, the flow continues and the stored result says what failed.",
    "Hält den Flow an, wenn der Knoten fehlschlägt. Ausgeschaltet läuft der Flow weiter und das gespeicherte Ergebnis nennt den Fehler.",
  ),
  defaultValue: false,
};
