/**
 * The signing draft carried from page to page (team → packages → agreement → pay). Kept in
 * storage so a reload (H5) or a page recreated by WeChat keeps the resident's choices.
 *
 * The idempotency key belongs to one signing attempt: it is made when the resident first taps
 * "sign" for a given selection and reused for every retry of that same selection (a lost
 * response returns the same agreement instead of signing twice); a changed selection is a new
 * attempt and gets a new key.
 */
import Taro from '@tarojs/taro';
import type { TeamView } from '@jiayi/shared/schemas/teams';
import { newIdempotencyKey } from './api';

export interface SigningDraft {
  regionId: string;
  team?: Pick<TeamView, 'id' | 'name' | 'institutionId' | 'regionId' | 'doctors' | 'clinicHours'> & { institutionName: string };
  /** memberId → chosen packages (without the basic package, which the server always adds). */
  selections: Record<string, string[]>;
  /** memberId → yongkang 不收费/收费签约 (other regions leave it out). */
  signingKinds: Record<string, 'free' | 'paid'>;
  /** Members the resident signs for now (ordered as listed). */
  memberIds: string[];
  attempt?: { key: string; fingerprint: string };
}

const KEY = 'jiayi.signing-draft';

export function loadDraft(): SigningDraft {
  try {
    const d = Taro.getStorageSync(KEY) as SigningDraft | '';
    if (d && typeof d === 'object') return { ...d, selections: d.selections ?? {}, signingKinds: d.signingKinds ?? {}, memberIds: d.memberIds ?? [] };
  } catch {
    /* storage unavailable: start afresh */
  }
  return { regionId: 'liyang-2019', selections: {}, signingKinds: {}, memberIds: [] };
}

export function saveDraft(d: SigningDraft): SigningDraft {
  try {
    Taro.setStorageSync(KEY, d);
  } catch {
    /* best effort */
  }
  return d;
}

export function updateDraft(patch: Partial<SigningDraft>): SigningDraft {
  return saveDraft({ ...loadDraft(), ...patch });
}

export function clearDraft(): void {
  try {
    Taro.removeStorageSync(KEY);
  } catch {
    /* ignore */
  }
}

/** What one signing attempt is about: a change here means a new attempt (a new key). */
export function fingerprint(d: SigningDraft): string {
  return JSON.stringify([d.team?.id ?? '', d.memberIds.map((m) => [m, [...(d.selections[m] ?? [])].sort(), d.signingKinds[m] ?? ''])]);
}

/** The key of the current attempt: reused while the selection is unchanged, new otherwise. */
export function attemptKey(): string {
  const d = loadDraft();
  const fp = fingerprint(d);
  if (d.attempt && d.attempt.fingerprint === fp) return d.attempt.key;
  const key = newIdempotencyKey();
  saveDraft({ ...d, attempt: { key, fingerprint: fp } });
  return key;
}

/** The body the sign and quote routes take for the current draft. */
export function draftMembers(d: SigningDraft) {
  return d.memberIds.map((memberId) => ({
    memberId,
    packageCodes: d.selections[memberId] ?? [],
    ...(d.signingKinds[memberId] ? { signingKind: d.signingKinds[memberId] } : {}),
  }));
}
