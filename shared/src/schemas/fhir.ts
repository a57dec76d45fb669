/**
 * HTTP contracts of the FHIR R4 export (docs/fhir.md):
 *
 *   GET /me/export/fhir?include=identifier                 the household's Bundle
 *   GET /institutions/{id}/export/fhir?_type=&_count=&cursor=   one NDJSON page (Link rel="next")
 *   GET /fhir/CodeSystem, /fhir/CodeSystem/{id}?version=, /fhir/StructureDefinition/{id}
 */
import * as z from 'zod';
import { EXPORT_TYPES, type ExportType } from '../domain/fhir/household';

/** Households per page of the institution export (each page is one Lambda invocation). */
export const BULK_PAGE_DEFAULT = 100;
export const BULK_PAGE_MAX = 500;

const INCLUDES = ['identifier'] as const;

export const householdExportQuery = z.object({
  /** `identifier`: put the full ID number on Patient.identifier (only with the id_number consent in force). */
  include: z
    .string()
    .max(100, '导出选项有误')
    .optional()
    .transform((s, ctx) => {
      const parts = (s ?? '').split(',').map((x) => x.trim()).filter(Boolean);
      for (const p of parts) if (!(INCLUDES as readonly string[]).includes(p)) ctx.addIssue({ code: 'custom', message: '导出选项只能为 identifier（包含身份证号码）' });
      return new Set(parts);
    }),
});

export const bulkExportQuery = z.object({
  _type: z
    .string()
    .max(400, '资源类型参数过长')
    .optional()
    .transform((s, ctx) => {
      const parts = (s ?? '').split(',').map((x) => x.trim()).filter(Boolean);
      for (const p of parts) if (!(EXPORT_TYPES as readonly string[]).includes(p)) ctx.addIssue({ code: 'custom', message: `不支持的资源类型：${p}（可选：${EXPORT_TYPES.join(', ')}）` });
      return parts.length ? new Set(parts as ExportType[]) : undefined;
    }),
  _count: z.coerce
    .number({ error: '每页户数须为数字' })
    .int('每页户数须为整数')
    .min(1, '每页户数至少为1')
    .max(BULK_PAGE_MAX, `每页户数最多为${BULK_PAGE_MAX}`)
    .default(BULK_PAGE_DEFAULT),
  cursor: z.string().max(1000, '分页参数有误，请从第一页重新导出').optional(),
});

const definitionId = z.string().min(1, '请指定定义编号').max(64, '定义编号格式有误').regex(/^[A-Za-z0-9\-.]+$/, '定义编号格式有误');
/** An institution id as the rest of the API takes it (schemas/agreements.ts institutionParams). */
export const institutionIdParams = z.object({
  id: z.string({ error: '请填写医疗机构编号' }).min(1, '请填写医疗机构编号').max(64, '医疗机构编号格式有误').regex(/^[A-Za-z0-9_-]+$/, '医疗机构编号格式有误'),
});
export const definitionParams = z.object({ id: definitionId });
export const codeSystemQuery = z.object({ version: z.string().max(32, '版本号格式有误').optional() });
