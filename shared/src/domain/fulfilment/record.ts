/**
 * Checks on a service record before it enters the ledger (issue 8): the item must be one the
 * member was promised, the date inside the agreement's cycle and not in the future, and an item
 * promised "at most" n times cannot be recorded beyond n (zhangjiagang-2017 附件3 一、1:
 * 血常规、尿常规… 累计不超过4项次). Pure: returns Chinese field issues, never throws.
 */
import { ConflictError, type FieldIssue } from '../errors';
import type { LocalDate } from '../dates';
import { promisedInCycle, type MemberPackagesLike, type PromisedItemLike } from './progress';

export interface ServiceCheckInput {
  member: MemberPackagesLike | undefined;
  packageCode?: string;
  itemCode: string;
  date: LocalDate;
  quantity: number;
  cycle: { start: LocalDate; end: LocalDate };
  today: LocalDate;
  /** Units of this (member, package, item) already delivered (voided entries excluded). */
  alreadyDelivered: (packageCode: string) => number;
}

export interface ResolvedService {
  packageCode: string;
  packageName: string;
  item: PromisedItemLike;
}

export function checkService(input: ServiceCheckInput): { ok: true; resolved: ResolvedService } | { ok: false; issues: FieldIssue[] } {
  const issues: FieldIssue[] = [];
  if (!input.member) return { ok: false, issues: [{ path: 'memberId', message: '该成员不在此签约协议中' }] };
  const candidates = input.member.packages.filter((p) => (input.packageCode ? p.code === input.packageCode : true));
  if (input.packageCode && candidates.length === 0) {
    issues.push({ path: 'packageCode', message: '该成员未签约此服务包' });
  }
  let resolved: ResolvedService | undefined;
  for (const p of candidates) {
    const item = p.items.find((i) => i.code === input.itemCode);
    if (item) {
      resolved = { packageCode: p.code, packageName: p.name, item };
      break;
    }
  }
  if (!resolved && issues.length === 0) issues.push({ path: 'itemCode', message: '该服务项目不在该成员签约的服务包内' });
  if (input.date > input.today) issues.push({ path: 'date', message: '服务日期不能晚于今天' });
  else if (input.date < input.cycle.start || input.date > input.cycle.end) {
    issues.push({ path: 'date', message: `服务日期不在协议服务周期内（${input.cycle.start}至${input.cycle.end}）` });
  }
  if (resolved && resolved.item.bound === 'atMost') {
    const max = promisedInCycle(resolved.item, input.cycle.start, input.cycle.end);
    if (max !== null && input.alreadyDelivered(resolved.packageCode) + input.quantity > max) {
      issues.push({ path: 'quantity', message: `该项目协议约定累计不超过${max}${resolved.item.unit}，已登记${input.alreadyDelivered(resolved.packageCode)}${resolved.item.unit}` });
    }
  }
  if (issues.length > 0 || !resolved) return { ok: false, issues };
  return { ok: true, resolved };
}

/** A referral is a service whose promised item is a referral (转诊) item — every seed names them so. */
export function isReferralItem(item: { name: string }): boolean {
  return item.name.includes('转诊');
}

/** A ledger entry is voided once: a second correction (or one racing it) is refused. */
export function entryAlreadyVoided(): ConflictError {
  return new ConflictError('ENTRY_ALREADY_VOIDED', '该服务记录已作废，不能再次更正');
}
