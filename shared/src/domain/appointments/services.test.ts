import { describe, expect, it } from 'vitest';
import { CLINIC_APPOINTMENT_ITEM_CODE } from '../policy/items';
import { bookableServices, serviceFor, type PackageLike } from './services';

const basic = { code: 'LY-BASIC', name: '基本服务包', category: 'basic', items: [{ code: 'bp', name: '血压测量' }, { code: CLINIC_APPOINTMENT_ITEM_CODE, name: '签约门诊预约服务' }] };
const htn = { code: '160000002-d', name: '高血压服务包', category: 'chronic', items: [{ code: 'htn-followup', name: '高血压随访' }, { code: 'bp', name: '血压测量' }] };

describe('serviceFor', () => {
  it.each<[string, PackageLike[], string | undefined, string | undefined, string | undefined]>([
    ['default: the signed-clinic item', [basic, htn], undefined, CLINIC_APPOINTMENT_ITEM_CODE, undefined],
    ['a promised follow-up item', [basic, htn], 'htn-followup', 'htn-followup', undefined],
    ['an item the member was not promised', [basic], 'htn-followup', undefined, 'itemCode'],
    ['a basic-package item may still be named explicitly', [basic], 'bp', 'bp', undefined],
    ['no appointment item on an old agreement: none recorded', [htn], undefined, undefined, undefined],
  ])('%s', (_n, pkgs, req, itemCode, issuePath) => {
    const r = serviceFor(pkgs, req);
    expect(r.choice?.itemCode).toBe(itemCode);
    expect(r.issue?.path).toBe(issuePath);
  });

  it('offers the appointment item first, then personalized-package items, each once', () => {
    expect(bookableServices([basic, htn]).map((c) => `${c.packageCode}/${c.itemCode}`)).toEqual([
      `LY-BASIC/${CLINIC_APPOINTMENT_ITEM_CODE}`,
      '160000002-d/htn-followup',
    ]);
    expect(bookableServices([basic]).map((c) => c.itemCode)).toEqual([CLINIC_APPOINTMENT_ITEM_CODE]);
  });
});
