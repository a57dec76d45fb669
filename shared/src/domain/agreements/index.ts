/** Pure agreement lifecycle and document (issue 5). */
export * from './lifecycle';
export * from './document';
export { addMinutesIso, monthOf } from './time';
