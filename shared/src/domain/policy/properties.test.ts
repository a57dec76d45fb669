import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CONDITIONS, STATUSES, type Condition, type PersonFacts, type Status } from '../person';
import { allPolicies, PAYER_CODES, quote, refund, type InstitutionValues, type RefundInput } from './index';

const personArb: fc.Arbitrary<PersonFacts> = fc.record({
  birthDate: fc.date({ min: new Date('1920-01-01T00:00:00Z'), max: new Date('2024-06-01T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
  sex: fc.constantFrom('M' as const, 'F' as const),
  conditions: fc.uniqueArray(fc.constantFrom(...(Object.keys(CONDITIONS) as Condition[])), { maxLength: 4 }),
  statuses: fc.uniqueArray(fc.constantFrom(...(Object.keys(STATUSES) as Status[])), { maxLength: 3 }),
  insuredLocally: fc.boolean(),
  localHukou: fc.boolean(),
});

const ivArb: fc.Arbitrary<InstitutionValues> = fc.record(
  {
    priceFen: fc.integer({ min: 0, max: 500_000 }),
    residentShareBp: fc.integer({ min: 3_000, max: 6_000 }),
    insuranceFen: fc.integer({ min: 0, max: 6_000 }),
    subsidyFen: fc.integer({ min: 0, max: 500_000 }),
  },
  { requiredKeys: [] },
);

describe('quote properties', () => {
  for (const policy of allPolicies()) {
    it(`${policy.regionId}: payer amounts are non-negative integers that add up to each price`, () => {
      const codes = policy.packages.map((p) => p.code);
      fc.assert(
        fc.property(
          fc.array(fc.record({ person: personArb, codes: fc.subarray(codes), signingKind: fc.constantFrom('free' as const, 'paid' as const), iv: fc.dictionary(fc.constantFrom(...codes), ivArb) }), { minLength: 1, maxLength: 5 }),
          (members) => {
            const today = '2024-06-01';
            const q = quote(
              { members: members.map((m, i) => ({ memberId: `m${i}`, person: m.person, packageCodes: m.codes, signingKind: m.signingKind, institutionValues: m.iv })) },
              policy,
              today,
            );
            let household = 0;
            for (const m of q.members) {
              let member = 0;
              for (const l of m.lines) {
                const sum = PAYER_CODES.reduce((a, p) => a + l.byPayer[p], 0);
                expect(sum).toBe(l.priceFen);
                for (const p of PAYER_CODES) {
                  expect(Number.isSafeInteger(l.byPayer[p])).toBe(true);
                  expect(l.byPayer[p]).toBeGreaterThanOrEqual(0);
                }
                member += l.priceFen;
              }
              expect(m.totalFen).toBe(member);
              household += member;
              for (const e of m.errors) expect(e.message).toMatch(/[\u4e00-\u9fa5]/);
            }
            expect(q.totalFen).toBe(household);
            expect(PAYER_CODES.reduce((a, p) => a + q.byPayer[p], 0)).toBe(household);
          },
        ),
        { numRuns: 150 },
      );
    });
  }
});

const refundInputArb: fc.Arbitrary<RefundInput> = fc
  .array(
    fc.record({
      price: fc.integer({ min: 0, max: 200_000 }),
      residentPct: fc.integer({ min: 0, max: 100 }),
      items: fc.array(fc.record({ promised: fc.integer({ min: 0, max: 24 }), value: fc.option(fc.integer({ min: 0, max: 50_000 }), { nil: undefined }), basic: fc.option(fc.integer({ min: 0, max: 4 }), { nil: undefined }) }), { maxLength: 6 }),
    }),
    { minLength: 1, maxLength: 4 },
  )
  .chain((pkgs) => {
    const packages = pkgs.map((p, i) => ({
      code: `P${i}`,
      priceFen: p.price,
      residentShareFen: Math.floor((p.price * p.residentPct) / 100),
      items: p.items.map((it, j) => ({
        code: `P${i}/${j}`,
        promisedQuantity: it.promised,
        ...(it.value !== undefined && { unitValueFen: it.value }),
        ...(it.basic !== undefined && { includedFromBasic: it.basic }),
      })),
    }));
    const itemCodes = packages.flatMap((p) => p.items.map((i) => i.code));
    const delivered: fc.Arbitrary<RefundInput['delivered']> = itemCodes.length
      ? fc.array(fc.record({ itemCode: fc.constantFrom(...itemCodes), quantity: fc.integer({ min: 0, max: 40 }) }), { maxLength: 10 })
      : fc.constant([]);
    return fc.record({ residentPaidFen: fc.integer({ min: 0, max: 1_000_000 }), packages: fc.constant(packages), delivered });
  });

describe('refund properties', () => {
  it('is never negative and never more than the resident paid', () => {
    fc.assert(
      fc.property(refundInputArb, (input) => {
        const r = refund(input, '2024-06-01');
        expect(Number.isSafeInteger(r.refundFen)).toBe(true);
        expect(r.refundFen).toBeGreaterThanOrEqual(0);
        expect(r.refundFen).toBeLessThanOrEqual(input.residentPaidFen);
        for (const p of r.packages) {
          expect(p.refundFen).toBeGreaterThanOrEqual(0);
          expect(p.refundFen).toBeLessThanOrEqual(p.residentShareFen);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('delivering more never increases the refund', () => {
    fc.assert(
      fc.property(refundInputArb, fc.nat({ max: 10 }), (input, extra) => {
        fc.pre(input.delivered.length > 0);
        const more = { ...input, delivered: input.delivered.map((d, i) => (i === 0 ? { ...d, quantity: d.quantity + extra } : d)) };
        expect(refund(more, '2024-06-01').refundFen).toBeLessThanOrEqual(refund(input, '2024-06-01').refundFen);
      }),
      { numRuns: 300 },
    );
  });
});
