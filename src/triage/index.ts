/** Triage of runs stuck in `requires_action`: pure logic for the stuck view and the header badge. */
export * from './stuck.js';
export * from './toolCallChecks.js';
export * from './unstick.js';
export {compileSchema, formatSchemaError, toStrictSchema, validateWith, type CompiledSchema} from './schemaValidation.js';
