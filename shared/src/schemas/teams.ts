/** API contracts for institutions and family-doctor teams. */
import * as z from 'zod';

export const DOCTOR_ROLES = {
  gp: '全科医生',
  village_doctor: '乡村医生',
  nurse: '护士',
  public_health: '公卫人员',
  specialist: '专科医生',
  pharmacist: '药师',
} as const;
export type DoctorRole = keyof typeof DOCTOR_ROLES;

export const doctorSchema = z.object({
  name: z.string(),
  title: z.string(),
  role: z.enum(Object.keys(DOCTOR_ROLES) as [DoctorRole, ...DoctorRole[]]),
  /** The general practitioner who is the team's first responsible person (第一责任人). */
  lead: z.boolean().optional(),
  photoUrl: z.string().optional(),
});
export type Doctor = z.infer<typeof doctorSchema>;

export const institutionSchema = z.object({
  id: z.string(),
  regionId: z.string(),
  name: z.string(),
  kind: z.string(),
  address: z.string(),
  phone: z.string(),
});
export type Institution = z.infer<typeof institutionSchema>;

export const teamResponse = z.object({
  id: z.string(),
  institutionId: z.string(),
  regionId: z.string(),
  name: z.string(),
  doctors: z.array(doctorSchema),
  clinicHours: z.array(z.string()),
  capacity: z.number().int(),
  /** Active + pending members. */
  memberCount: z.number().int(),
  remaining: z.number().int(),
  full: z.boolean(),
  institution: institutionSchema,
});
export type TeamView = z.infer<typeof teamResponse>;

export const teamsQuery = z.object({
  institutionId: z.string().min(1, '请选择医疗机构').max(64),
});

export const institutionsQuery = z.object({
  regionId: z.string().min(1, '请选择地区').max(64),
});

export const teamsResponse = z.object({ teams: z.array(teamResponse) });
export const institutionsResponse = z.object({ institutions: z.array(institutionSchema) });
