/**
 * A schema (or any value) made the first time it is asked for. A fresh process builds only what its
 * send needs: the schema of the one connection type in use, the Additional Attachments list only when
 * one is given.
 */
export function builtOnFirstUse<T>(build: () => T): () => T {
  let value: T | undefined;
  let built = false;
  return () => {
    if (!built) {
      value = build();
      built = true;
    }
    return value as T;
  };
}
