/** Staff accounts and roles (issue 8): each role sees only its own team / institution / region. */
import * as z from 'zod';

export const STAFF_ROLES = {
  team_doctor: '团队医生',
  team_assistant: '团队助理',
  institution_admin: '机构管理员',
  region_admin: '区域管理员',
} as const;
export type StaffRole = keyof typeof STAFF_ROLES;
export const STAFF_ROLE_CODES = Object.keys(STAFF_ROLES) as [StaffRole, ...StaffRole[]];

export const staffLoginBody = z.object({
  username: z.string({ error: '请输入用户名' }).trim().min(1, '请输入用户名').max(64, '用户名过长'),
  password: z.string({ error: '请输入密码' }).min(1, '请输入密码').max(128, '密码过长'),
});

export const staffView = z.object({
  id: z.string(),
  name: z.string(),
  role: z.enum(STAFF_ROLE_CODES),
  roleName: z.string(),
  regionId: z.string(),
  institutionId: z.string().optional(),
  teamId: z.string().optional(),
});
export type StaffView = z.infer<typeof staffView>;

export const staffLoginResponse = z.object({ token: z.string(), expiresAt: z.string(), staff: staffView });
