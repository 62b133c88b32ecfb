export * from './definition'
