import type { IConnectionSchema, INodeDescriptor } from "@cognigy/extension-tools";
import type { INodeField, TNodeFieldCondition } from "@cognigy/extension-tools/build/interfaces/descriptor";

interface SelectOption {
  value: unknown;
}

function optionsOf(field: INodeField): unknown[] | undefined {
  if (field.type !== "select") return undefined;
  const params = field.params as { options?: SelectOption[] } | undefined;
  return params?.options?.map((option) => option.value);
}

function conditionProblems(condition: TNodeFieldCondition, owner: string, fields: Map<string, INodeField>): string[] {
  if ("and" in condition && condition.and) return condition.and.flatMap((inner) => conditionProblems(inner, owner, fields));
  if ("or" in condition && condition.or) return condition.or.flatMap((inner) => conditionProblems(inner, owner, fields));
  const key = condition.key as string;
  const target = fields.get(key);
  if (!target) return [`${owner}: condition names missing field "${key}"`];
  const offered = optionsOf(target);
  if (!offered) return [];
  const values = Array.isArray(condition.value) ? condition.value : [condition.value];
  return values.filter((value) => !offered.includes(value)).map((value) => `${owner}: condition value "${String(value)}" is not offered by select "${key}"`);
}

/** Everything that makes a descriptor render wrongly or not at all in Cognigy's flow editor. */
export function validateDescriptor(descriptor: INodeDescriptor, connections: IConnectionSchema[]): string[] {
  const problems: string[] = [];
  const fields = new Map<string, INodeField>();
  for (const field of descriptor.fields ?? []) {
    if (fields.has(field.key)) problems.push(`two fields share the key "${field.key}"`);
    fields.set(field.key, field);
  }
  const sections = new Map((descriptor.sections ?? []).map((section) => [section.key, section]));
  if (sections.size !== (descriptor.sections ?? []).length) problems.push("two sections share a key");

  const placements = new Map<string, number>();
  const place = (key: string) => placements.set(key, (placements.get(key) ?? 0) + 1);
  const sectionUses = new Map<string, number>();
  for (const element of descriptor.form ?? []) {
    if (element.type === "field") {
      if (!fields.has(element.key)) problems.push(`form names missing field "${element.key}"`);
      place(element.key);
    } else {
      if (!sections.has(element.key)) problems.push(`form names missing section "${element.key}"`);
      sectionUses.set(element.key, (sectionUses.get(element.key) ?? 0) + 1);
    }
  }
  for (const section of sections.values()) {
    if ((sectionUses.get(section.key) ?? 0) !== 1) problems.push(`section "${section.key}" is placed in the form ${sectionUses.get(section.key) ?? 0} times`);
    for (const key of section.fields) {
      if (!fields.has(key)) problems.push(`section "${section.key}" names missing field "${key}"`);
      place(key);
    }
    if (section.condition) problems.push(...conditionProblems(section.condition, `section "${section.key}"`, fields));
  }
  for (const field of fields.values()) {
    const count = placements.get(field.key) ?? 0;
    if (count !== 1) problems.push(`field "${field.key}" sits in ${count === 0 ? "no place" : `${count} places`}`);
    if (field.condition) problems.push(...conditionProblems(field.condition, `field "${field.key}"`, fields));
    if (field.type === "connection") {
      const connectionType = (field.params as { connectionType?: string } | undefined)?.connectionType;
      if (!connections.some((connection) => connection.type === connectionType)) {
        problems.push(`field "${field.key}": connectionType "${String(connectionType)}" names no connection schema`);
      }
    }
    if (!field.label) problems.push(`field "${field.key}" has no label`);
    if (!field.description) problems.push(`field "${field.key}" has no description`);
    if (field.type === "select" && !optionsOf(field)?.length) problems.push(`select "${field.key}" offers no options`);
    const offered = optionsOf(field);
    if (offered && field.defaultValue !== undefined && !offered.includes(field.defaultValue)) {
      problems.push(`select "${field.key}": default "${String(field.defaultValue)}" is not offered`);
    }
  }
  return problems;
}
