/**
 * Structured JSON logs. Never log request bodies: they can hold ID numbers and health data.
 * `maskSensitive` is applied to every field as a last line of defence.
 */
import { logLevel } from './config';

const ID_RE = /\b(\d{6})(\d{8})(\d{3}[\dXx])\b/g;

export function maskSensitive(s: string): string {
  return s.replace(ID_RE, (_m, a: string, _b: string, c: string) => `${a}********${c}`);
}

function emit(level: 'info' | 'warn' | 'error', msg: string, fields: Record<string, unknown>) {
  if (logLevel() === 'silent') return;
  const line = maskSensitive(JSON.stringify({ level, msg, time: new Date().toISOString(), ...fields }));
  (level === 'error' ? console.error : console.log)(line);
}

export const log = {
  info: (msg: string, fields: Record<string, unknown> = {}) => emit('info', msg, fields),
  warn: (msg: string, fields: Record<string, unknown> = {}) => emit('warn', msg, fields),
  error: (msg: string, fields: Record<string, unknown> = {}) => emit('error', msg, fields),
};
