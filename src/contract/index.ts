export * from './app';
export * from './events';
export * from './fleet';
export * from './methods';
export * from './result';
export * from './client';
