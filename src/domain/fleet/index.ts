export * from './defaults';
export * from './hostname';
export * from './ip';
export * from './rules';
export * from './status';
export * from './draft';
