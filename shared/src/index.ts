/**
 * @jiayi/shared — pure domain rules and API contracts used by the handlers and the mini-program.
 * Prefer subpath imports (`@jiayi/shared/domain/dates`, `@jiayi/shared/domain/policy`,
 * `@jiayi/shared/schemas/agreements`) so bundles take only what they use.
 */
export * from './domain/errors';
export * from './domain/dates';
export * from './domain/money';
export * from './domain/person';
