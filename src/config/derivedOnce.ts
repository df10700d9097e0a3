/**
 * What is derived from a validated config (a plan, a set of secret forms), kept as long as the config when
 * the config memo has frozen it, since it can no longer change then; derived afresh for any other config.
 * Weak keys: the derived value lives exactly as long as its config.
 */
export function derivedOnce<K extends object, V>(cache: WeakMap<K, V>, config: K, frozen: boolean, derive: (config: K) => V): V {
  if (!frozen) return derive(config);
  let value = cache.get(config);
  if (value === undefined) {
    value = Object.freeze(derive(config));
    cache.set(config, value);
  }
  return value;
}
