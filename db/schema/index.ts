export * from './platform'
export * from './tenant'
export * from './after-decision'
export * from './experiments'
