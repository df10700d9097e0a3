/** The secrets that occur in any of the transcripts, each reported once. */
export function findLeaks(transcripts: string[], secrets: string[]): string[] {
  return secrets.filter((secret) => transcripts.some((transcript) => transcript.includes(secret)));
}
