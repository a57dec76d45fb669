/** Resident calls of issue 8: progress of an own agreement, ratings, complaints, who read my data. */
import * as z from 'zod';
import { accessLogResponse, complaintView, progressResponse, ratingResponse, type ComplaintCategory } from '@jiayi/shared/schemas/console';
import { api } from '../api/client';

const enc = encodeURIComponent;
const agreementSummary = z.object({ agreements: z.array(z.object({ id: z.string(), status: z.string(), statusLabel: z.string(), team: z.object({ name: z.string() }), cycle: z.object({ start: z.string(), end: z.string() }) }).passthrough()) });

/** The Asia/Shanghai date of an ISO instant. */
export const localDay = (iso: string) => new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(0, 10);
export const myAgreements = () => api('GET', '/agreements', { schema: agreementSummary });
export const myProgress = (id: string) => api('GET', `/me/agreements/${enc(id)}/progress`, { schema: progressResponse });
export const rateService = (agreementId: string, entryId: string, score: number) =>
  api('POST', '/me/ratings', { body: { target: { kind: 'service', agreementId, entryId }, score }, schema: ratingResponse });
export const fileComplaint = (agreementId: string, category: ComplaintCategory, content: string) =>
  api('POST', '/me/complaints', { body: { agreementId, category, content }, schema: complaintView.passthrough() });
export const myComplaints = () => api('GET', '/me/complaints', { schema: z.object({ complaints: z.array(complaintView) }) });
export const myAccessLog = () => api('GET', '/me/access-log', { schema: accessLogResponse });
