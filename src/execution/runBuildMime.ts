import type { CognigyApi } from "./cognigyApi";

/** Builds one MIME part as configured on a Build MIME node and stores it. */
export async function runBuildMime(api: CognigyApi, _rawConfig: unknown): Promise<void> {
  api.log?.("error", "Build MIME: not implemented yet in this version of the extension.");
  throw new Error("Build MIME is not implemented yet.");
}
