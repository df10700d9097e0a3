import { createExtension } from "@cognigy/extension-tools";
import { connections } from "./connections";
import { nodes } from "./nodes";

export default createExtension({
  nodes,
  connections,
  options: { label: "SMTP Email" },
});
