/**
 * Resource ids and small data-type builders. FHIR ids are `[A-Za-z0-9\-\.]{1,64}`; our ids are
 * UUIDs or opaque `[A-Za-z0-9_-]` strings, so `_` is escaped (`.5f`, and `.` as `.2e`), parts of a
 * composite id are joined with `.`, and an id longer than 64 characters becomes a stable hash.
 * Every id pattern has a fixed number of parts, so distinct inputs give distinct ids.
 */
import type { CodeableConcept, Coding, Money, Reference, Resource } from '@medplum/fhirtypes';

function escapePart(s: string): string {
  return s.replace(/[^A-Za-z0-9-]/g, (c) => `.${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** FNV-1a, 64 bit, as 16 hex digits: pure and stable (ids only, not a security function). */
function fnv64(s: string): string {
  let h = 0xcbf29ce484222325n;
  for (const b of new TextEncoder().encode(s)) {
    h ^= BigInt(b);
    h = (h * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return h.toString(16).padStart(16, '0');
}

export function fhirId(...parts: string[]): string {
  const id = parts.map(escapePart).join('.');
  return id.length <= 64 ? id : `h.${fnv64(parts.join('\u0000'))}.${id.slice(0, 40)}`;
}

/** A relative reference; its target type is taken from where it is used (`Reference<never>` fits every element). */
export function ref(type: Resource['resourceType'], id: string, display?: string): Reference<never> {
  return { reference: `${type}/${id}`, ...(display ? { display } : {}) };
}

export function coding(system: string, code: string, display?: string, version?: string): Coding {
  return { system, ...(version ? { version } : {}), code, ...(display ? { display } : {}) };
}

export function concept(c: Coding | Coding[], text?: string): CodeableConcept {
  return { coding: Array.isArray(c) ? c : [c], ...(text ? { text } : {}) };
}

/** Integer fen → Money in yuan (CNY has two decimals, so fen/100 is exact in decimal JSON). */
export function money(fen: number): Money {
  return { value: Math.round(fen) / 100, currency: 'CNY' };
}

/** `YYYY-MM-DD` + `HH:MM` in Asia/Shanghai → FHIR instant with the +08:00 offset. */
export function shanghaiInstant(date: string, time: string): string {
  return `${date}T${time.length === 5 ? `${time}:00` : time}+08:00`;
}
