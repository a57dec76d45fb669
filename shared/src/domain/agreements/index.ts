/** Pure agreement lifecycle, record, decisions (plans) and document (issues 5, 12). */
export * from './lifecycle';
export * from './document';
export * from './record';
export * from './refusals';
export * from './writes';
export * from './signing';
export * from './transitions';
export * from './payments';
export { addMinutesIso, monthOf } from './time';
